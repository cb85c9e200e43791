"""Streaming capture (`stream=` of `path_states`, `fit_surrogate`, `fit_surrogates`): the in-memory
states when the sample covers every row, surrogates as accurate, clear errors, and never the raw layers
of all rows at once."""
import numpy as np
import pytest, torch
import koopman_repr.koopman_ae as kk
from koopman_repr.base_nets import Preprocessor, capture
from koopman_repr.examples import ConvNet, toy_images
from koopman_repr.koopman_ae import STREAM_ROWS, fit_surrogate, fit_surrogates, path_states
from koopman_repr.paper.experiments import YINYANG_RESMLP5, load_splits, quick, train_base_net

LAYERS = ['block1', 'block2', 'block3']

@pytest.fixture(scope='module')
def cnn():
    torch.manual_seed(0)
    return ConvNet().eval(), toy_images(3000, seed=1)[0]

def _cases():
    "Preprocessings with a path each: `fit_surrogate`'s default, the paper's, a shared frame."
    return [(Preprocessor('auto', norm=1.0, norm_rows=True), LAYERS), (Preprocessor(16), LAYERS),
            (Preprocessor(8, shared=True), LAYERS[1:])]  # one frame: layers of one width (128)

# --- the same states when the sample covers every row ----------------------------------------------

@pytest.mark.parametrize('i', range(3))
def test_full_sample_gives_the_in_memory_states(cnn, i):
    (net, X), (pre, lay) = cnn, _cases()[i]
    Z0, pre0 = path_states(net, X, lay, pre)
    loader = [(X[j:j + 500],) for j in range(0, len(X), 500)]
    for data in (X, X.numpy(), loader):
        Z1, pre1 = path_states(net, data, lay, _cases()[i][0], stream=len(X))
        torch.testing.assert_close(Z1, Z0, rtol=1e-5, atol=1e-5 * Z0.abs().max().item())
        for l in lay: torch.testing.assert_close(pre1.params[l]['E'], pre0.params[l]['E'])

def test_streamed_preprocessor_maps_raw_rows_to_the_returned_states(cnn):
    "Fitted on a sample, scaled over all rows: the returned preprocessor gives the returned states."
    net, X = cnn
    for pre, lay in _cases():
        Z, pre = path_states(net, X, lay, pre, stream=700)
        reps = capture(net, X, lay)
        for j, l in enumerate(lay):
            torch.testing.assert_close(pre.transform(reps[l], l), Z[:, j], rtol=1e-4, atol=1e-5)
        if not pre.norm_rows:  # the paper's scale: each layer's n rows (shared: their mean square) at `norm`
            norms = Z.double().pow(2).sum((0, 2)).sqrt()
            got = norms.pow(2).mean().sqrt() if pre.shared else norms
            torch.testing.assert_close(got, torch.full_like(got, pre.norm), rtol=1e-4, atol=0)

@pytest.fixture(scope='module')
def yinyang():
    cfg = quick(YINYANG_RESMLP5, 20, lr=0.05, batch_size=128)
    splits = load_splits(cfg)
    return train_base_net(cfg, splits, verbose=False)[0], splits

def test_surrogates_as_accurate(yinyang):
    "Full sample: the same accuracy (0.3 pp); half the rows: another frame, still within a point."
    net, splits = yinyang
    (X, _), (Xte, yte) = splits['train'], splits['test']
    acc = {s: fit_surrogate(net, X, train_cfg=dict(epochs=20), verbose=False, stream=s).score(Xte, yte)
           for s in (False, True, len(X) // 2)}
    assert len(X) <= STREAM_ROWS and abs(acc[True] - acc[False]) <= 0.3, acc
    assert abs(acc[len(X) // 2] - acc[False]) <= 1.0, acc

def test_fit_surrogates_streams(cnn):
    net, X = cnn
    recipes = [dict(epochs=1, seed=s) for s in (0, 1)]
    a = fit_surrogates(net, X, None, recipes, layers=LAYERS, pca_dim=8, verbose=False)
    b = fit_surrogates(net, X, None, recipes, layers=LAYERS, pca_dim=8, verbose=False, stream=len(X))
    for s, t in zip(a, b):
        torch.testing.assert_close(s.logits(X[:50]), t.logits(X[:50]), rtol=1e-3, atol=1e-4)

# --- bad arguments ---------------------------------------------------------------------------------

@pytest.mark.parametrize('stream, err, msg', [
    ('yes', TypeError, "stream must be False, True or a row count (an integer >= 2), got 'yes' (str)"),
    (2.5, TypeError, 'got 2.5 (float)'), (None, TypeError, 'got None (NoneType)'),
    (1, ValueError, 'stream (the rows the preprocessing is fitted on) must be an integer >= 2, got 1'),
    (0, ValueError, 'got 0')])
def test_bad_stream(cnn, stream, err, msg):
    net, X = cnn
    for f in (lambda: path_states(net, X, LAYERS, stream=stream),
              lambda: fit_surrogate(net, X, LAYERS, verbose=False, stream=stream),
              lambda: fit_surrogates(net, X, None, [{}], layers=LAYERS, verbose=False, stream=stream)):
        with pytest.raises(err) as e: f()
        assert msg in str(e.value)

def test_one_pass_iterator_refused(cnn):
    net, X = cnn
    with pytest.raises(TypeError, match='X: stream= reads X twice .* one-pass generator'):
        batches = ((X[j:j + 100],) for j in range(0, 1000, 100))
        fit_surrogate(net, batches, LAYERS, verbose=False, stream=True)

def test_empty_and_constant_inputs_refused(cnn):
    net, X = cnn
    with pytest.raises(ValueError, match='X: no data'): path_states(net, [], LAYERS, stream=True)
    with pytest.raises(ValueError, match='at least one example'):
        path_states(net, X[:0], LAYERS, stream=True)
    with pytest.raises(ValueError, match='zero variance'):
        path_states(net, X[:1].expand(10, -1, -1, -1), LAYERS, stream=5)

def _count_captures(monkeypatch)->list:
    "Replace the module's `capture` by one that records the rows of every capture in the returned list."
    sizes = []
    def counting(*a, **kw):
        out = capture(*a, **kw)
        sizes.append(len(next(iter(out.values()))))
        return out
    monkeypatch.setattr(kk, 'capture', counting)
    return sizes

# --- bounded memory --------------------------------------------------------------------------------

@pytest.mark.filterwarnings('ignore:the surrogate')  # one epoch: a poor fit, as intended
def test_never_holds_every_row(cnn, monkeypatch):
    "Every `capture` of a streamed fit returns at most the sample or one batch, never the 3000 rows."
    net, X = cnn
    sizes = _count_captures(monkeypatch)
    monkeypatch.setattr(kk, '_STREAM_BATCH', 256)
    sur = fit_surrogate(net, X, LAYERS, pca_dim=8, train_cfg=dict(epochs=1), verbose=False, stream=400)
    assert sizes[0] == 2 and max(sizes) == 400 and sum(sizes) == 2 + 400 + len(X), sizes  # a probe of widths first
    assert sur.pre.q == 8 and sur.history['total']
    sizes.clear()
    loader = [(X[j:j + 300],) for j in range(0, len(X), 300)]
    path_states(net, loader, LAYERS, Preprocessor(8), stream=400)
    assert max(sizes) == 300 and sum(sizes) == 600 + len(X), sizes  # two batches, then every batch


@pytest.mark.filterwarnings('ignore:the surrogate')
def test_wide_paths_take_fewer_rows(cnn, monkeypatch):
    "`stream=True` caps the sample at `STREAM_MB` and every piece at `_BATCH_MB` of raw layers; a count is kept."
    net, X = cnn
    width = sum(v.shape[1] for v in capture(net, X[:2], LAYERS).values())
    sizes = _count_captures(monkeypatch)
    monkeypatch.setattr(kk, 'STREAM_MB', 300.5 * 4 * width / 2**20)  # room for 300 rows
    monkeypatch.setattr(kk, '_BATCH_MB', 700.5 * 4 * width / 2**20)  # 700 rows
    path_states(net, X, LAYERS, Preprocessor(8), stream=True)
    assert sizes == [2, 300] + [700] * 4 + [200], sizes
    sizes.clear()
    path_states(net, X, LAYERS, Preprocessor(8), stream=1000)
    assert sizes == [2, 1000] + [700] * 4 + [200], sizes


@pytest.mark.filterwarnings('ignore:the surrogate')
def test_lift_in_pieces(cnn, monkeypatch):
    "A large input is lifted piece by piece (`_LIFT_MB`), and the states and predictions are the same."
    net, X = cnn
    sur = fit_surrogate(net, X, LAYERS, pca_dim=8, train_cfg=dict(epochs=1), verbose=False)
    whole, pred = sur.lift(X), sur.predict(X)
    sizes = _count_captures(monkeypatch)
    monkeypatch.setattr(kk, '_LIFT_MB', 1001 * 4 * sur.pre.params[LAYERS[0]]['mean'].numel() / 2**20)
    assert torch.equal(sur.lift(X), whole) and torch.equal(sur.predict(X), pred)
    assert sizes == [1001, 1001, 998] * 2, sizes
