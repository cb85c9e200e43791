"""The data module from outside: determinism, disjoint splits, errors."""
import pytest, torch
from koopman_repr.data import yinyang, mnist, _MNIST_FILES as MNIST_FILES

def test_yinyang_deterministic_and_disjoint():
    a, b = yinyang('train'), yinyang('train')
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    rows = {s: {tuple(r) for r in yinyang(s)[0].tolist()} for s in ('train', 'val', 'test')}
    assert not (rows['train'] & rows['test']) and not (rows['train'] & rows['val']) and not (rows['val'] & rows['test'])

def test_vectorised_sampler_handles_large_n():
    X, y = yinyang('train', n=100_000, seed=1)
    assert X.shape == (100_000, 2) and torch.bincount(y).tolist() in ([33334, 33333, 33333],)

def test_missing_mnist_names_folder_and_files(tmp_path):
    with pytest.raises(FileNotFoundError) as e: mnist('test', root=tmp_path)
    for f in MNIST_FILES: assert f in str(e.value)
    assert str(tmp_path) in str(e.value)
