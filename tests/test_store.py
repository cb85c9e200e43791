"""The store of reduced states (`StateStore`; `store=` of `fit_surrogate` and `fit_surrogates`): a later call with the
same network, inputs, layers and settings reads it instead of running the network, to the bit; anything else makes a
new entry; an edited, truncated or misplaced entry is refused and left as it is; the files load without pickle."""
import inspect, json, re, shutil
import numpy as np
import pytest, torch
import torch.nn as nn
import koopman_repr.koopman_ae as kk
from koopman_repr.base_nets import CheckpointError, Preprocessor
from koopman_repr.koopman_ae import StateStore, fit_surrogate, fit_surrogates, model_fingerprint, path_states

pytestmark = pytest.mark.filterwarnings('ignore:the surrogate')  # two-epoch fits are poor fits, and say so

LAYERS = ['1', '3']
X = torch.randn(300, 6, generator=torch.Generator().manual_seed(0))

def _net(seed=0):
    "A small tanh MLP that records the rows of every forward pass in `.rows`."
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 3)).eval()
    net.rows = []
    net.register_forward_pre_hook(lambda m, args: m.rows.append(len(args[0])))
    return net

def _fit(net, store=None, seed=0, **kw):
    return fit_surrogate(net, X, LAYERS, head=net[4], train_cfg=dict(epochs=2, seed=seed), verbose=False,
                         store=store, **kw)

def _same_surrogate(a, b):
    "Bit-identical: the KAE's tensors, the preprocessing, the history, the logits."
    for (k, v), w in zip(a.dynamics.state_dict().items(), b.dynamics.state_dict().values()): assert torch.equal(v, w), k
    for l in a.layers:
        for n, t in a.pre.params[l].items(): assert torch.equal(t, b.pre.params[l][n]), (l, n)
    assert a.history == b.history and a.head_shape == b.head_shape and a.layers == b.layers
    assert torch.equal(a.logits(X), b.logits(X))

def _files(entry): return {p.name: p.read_bytes() for p in sorted(entry.iterdir())}

# --- reuse, to the bit -------------------------------------------------------------------------------

PRES = [lambda: Preprocessor(8), lambda: Preprocessor('auto', norm=1.0, norm_rows=True),
        lambda: Preprocessor(4, shared=True), lambda: None]

@pytest.mark.parametrize('stream', [False, 100])
@pytest.mark.parametrize('i', range(len(PRES)))
def test_path_states_read_back_to_the_bit(tmp_path, i, stream):
    net = _net()
    shapes0, shapes1, shapes2 = {}, {}, {}
    Z0, pre0 = path_states(net, X, LAYERS, PRES[i](), shapes0, stream)
    store, given = StateStore(tmp_path), PRES[i]()
    Z1, pre1 = store.path_states(net, X, LAYERS, given, shapes1, stream)
    n_rows = sum(net.rows)
    Z2, pre2 = store.path_states(net, X, LAYERS, PRES[i](), shapes2, stream)
    assert sum(net.rows) == n_rows, 'the second call read the store: the network did not run'
    assert torch.equal(Z1, Z0) and torch.equal(Z2, Z0) and Z2.dtype == Z0.dtype
    assert shapes0 == shapes1 == shapes2 == {'1': (16,), '3': (16,)}
    assert given is None or pre1 is given  # as path_states: an unfitted preprocessor given is fitted in place
    for pre in (pre1, pre2):
        assert pre.layers == LAYERS and pre.q == pre0.q
        assert [getattr(pre, k) for k in kk._PRE_SETTINGS] == [getattr(pre0, k) for k in kk._PRE_SETTINGS]
        for l in LAYERS:
            for n, t in pre0.params[l].items(): assert torch.equal(pre.params[l][n], t)

def test_evaluation_states_in_a_fitted_frame(tmp_path):
    "A fitted preprocessor is part of the key (the SHA-256 of its tensors) and is returned as given."
    net, store = _net(), StateStore(tmp_path)
    sur = _fit(net)
    Xv = torch.randn(200, 6, generator=torch.Generator().manual_seed(1))
    (Z1, p1), (Z2, p2) = [store.path_states(net, Xv, LAYERS, sur.pre) for _ in range(2)]
    assert p1 is sur.pre and p2 is sur.pre and len(store.entries()) == 1
    assert torch.equal(Z2, torch.stack(list(sur.states(Xv).values()), 1))
    other = _fit(net, seed=1, pca_dim=5)  # another frame: another entry
    store.path_states(net, Xv, LAYERS, other.pre)
    assert len(store.entries()) == 2

def test_fit_surrogate_bit_identical_with_a_store(tmp_path):
    net = _net()
    plain = _fit(net)
    written = _fit(net, tmp_path)
    n_rows = sum(net.rows)
    read = _fit(net, StateStore(tmp_path))  # a folder or a StateStore
    assert sum(net.rows) == n_rows, 'the fit read the store: the network did not run'
    _same_surrogate(written, plain)
    _same_surrogate(read, plain)

def test_two_seeds_from_one_store_run_the_network_once(tmp_path):
    net = _net()
    a = [_fit(net, tmp_path, seed=s) for s in (0, 1)]
    assert sum(net.rows) == len(X)  # one pass over X (one batch of 300 rows)
    recipes = [dict(epochs=2, seed=s) for s in (0, 1)]
    both = fit_surrogates(net, X, None, recipes, layers=LAYERS, head=net[4], verbose=False, store=tmp_path)
    assert sum(net.rows) == len(X)
    plain = fit_surrogates(net, X, None, recipes, layers=LAYERS, head=net[4], verbose=False)
    for s, t in zip(both, plain): _same_surrogate(s, t)
    _same_surrogate(a[1], _fit(net, seed=1))

def test_store_is_off_by_default():
    for fn in (fit_surrogate, fit_surrogates):
        assert inspect.signature(fn).parameters['store'].default is None

# --- the files ------------------------------------------------------------------------------------

def test_files_are_standard_and_load_without_pickle(tmp_path):
    net, store = _net(), StateStore(tmp_path)
    Z, pre = store.path_states(net, X, LAYERS, Preprocessor(8))
    entry = store.entry(net, X, LAYERS, Preprocessor(8))
    assert sorted(p.name for p in tmp_path.iterdir()) == [entry.name]  # no temporary folder left
    assert sorted(_files(entry)) == ['meta.json', 'pre.npz', 'states.npy']
    mm = np.load(entry/'states.npy', mmap_mode='r', allow_pickle=False)
    assert isinstance(mm, np.memmap) and np.array_equal(mm, Z.numpy())
    with np.load(entry/'pre.npz', allow_pickle=False) as f:
        assert sorted(f.files) == sorted(f'{l}.{n}' for l in LAYERS for n in ('mean', 'E', 'w', 's', 'R'))
        assert np.array_equal(f['3.E'], pre.params['3']['E'].numpy())
    meta = json.loads((entry/'meta.json').read_text())
    assert meta['key']['fingerprint'] == model_fingerprint(net) and meta['key']['layers'] == LAYERS
    assert meta['key']['x']['shape'] == [300, 6] and meta['key']['pre']['pca_dim'] == 8
    assert meta['states'] | {'sha256': None} == dict(shape=[300, 2, 8], dtype='float32', sha256=None)
    assert store.entries() == {entry.name: meta}

# --- anything else: a new entry, the others left as they are ---------------------------------------------

OTHERS = {'model': dict(model=_net(1)), 'X': dict(X=X[:200]), 'layers': dict(layers=['0', '3']),
          'pre': dict(pre=Preprocessor(5)), 'stream': dict(stream=100), 'reduce': dict(reduce='mean'),
          'X as an array': dict(X=X.numpy())}

def _call(store, net, **change):
    a = dict(model=net, X=X, layers=LAYERS, pre=Preprocessor(8)) | change
    return store.path_states(a.pop('model'), a.pop('X'), a.pop('layers'), a.pop('pre'), **a)

def test_other_arguments_make_new_entries(tmp_path):
    net, store = _net(), StateStore(tmp_path)
    _call(store, net)
    first = store.entry(net, X, LAYERS, Preprocessor(8))
    saved = _files(first)
    for what, change in OTHERS.items():
        n_rows = sum(net.rows) + sum(change.get('model', net).rows)
        _call(store, net, **change)
        assert sum(net.rows) + sum(change.get('model', net).rows) > n_rows, f'{what}: the network ran'
    assert len(store.entries()) == 1 + len(OTHERS)
    assert _files(first) == saved

@pytest.mark.parametrize('arg, change', [('model', dict(model=_net(1))), ('X', dict(X=X[:200])),
                                         ('layers', dict(layers=['0', '3'])), ('pre', dict(pre=Preprocessor(5))),
                                         ('stream', dict(stream=100))])
def test_an_entry_under_another_key_is_refused(tmp_path, arg, change):
    "An entry copied to another call's folder is not read for it: the refusal names the argument that differs."
    net, store = _net(), StateStore(tmp_path)
    _call(store, net)
    a = dict(model=net, X=X, layers=LAYERS, pre=Preprocessor(8)) | change
    target = store.entry(a['model'], a['X'], a['layers'], a['pre'], **{k: v for k, v in a.items() if k == 'stream'})
    shutil.copytree(store.entry(net, X, LAYERS, Preprocessor(8)), target)
    saved = _files(target)
    with pytest.raises(ValueError, match=f'^{arg}: the store entry .* it was not loaded. Accepted: the {arg} it'):
        _call(store, net, **change)
    assert _files(target) == saved

# --- an edited or truncated entry: refused, left as it is, the network not run --------------------------------

def _flip(b:bytes, at:int)->bytes: return b[:at] + bytes([b[at] ^ 1]) + b[at + 1:]

EDITS = {
    'states.npy header': ('states.npy', lambda b: _flip(b, 20), 'states.npy is missing, truncated or was edited'),
    'states.npy value': ('states.npy', lambda b: _flip(b, len(b) - 3), 'states.npy is missing, truncated'),
    'states.npy truncated': ('states.npy', lambda b: b[:len(b) // 2], 'states.npy is missing, truncated'),
    'states.npy emptied': ('states.npy', lambda b: b'', 'states.npy is missing'),
    'pre.npz value': ('pre.npz', lambda b: _flip(b, len(b) // 2), 'pre.npz is missing, truncated'),
    'meta.json field': ('meta.json', lambda b: b.replace(b'"float32"', b'"float64"'), 'meta.json was edited'),
    'meta.json seal': ('meta.json', lambda b: b.replace(b'"seal": "', b'"seal": "0'), 'meta.json was edited'),
    'meta.json truncated': ('meta.json', lambda b: b[:50], 'meta.json is missing or not JSON'),
}

@pytest.mark.parametrize('edit', list(EDITS))
def test_edited_entry_is_refused(tmp_path, edit):
    name, change, msg = EDITS[edit]
    net, store = _net(), StateStore(tmp_path)
    _call(store, net)
    entry = store.entry(net, X, LAYERS, Preprocessor(8))
    (entry/name).write_bytes(change((entry/name).read_bytes()))
    saved, n_rows = _files(entry), sum(net.rows)
    with pytest.raises(CheckpointError, match=msg) as e:
        _call(store, net)
    assert f'delete the folder {entry}' in str(e.value)
    assert _files(entry) == saved and sum(net.rows) == n_rows  # nothing rewritten, nothing recomputed

def test_deleted_file_is_refused(tmp_path):
    net, store = _net(), StateStore(tmp_path)
    _call(store, net)
    (store.entry(net, X, LAYERS, Preprocessor(8))/'pre.npz').unlink()
    with pytest.raises(CheckpointError, match='pre.npz is missing'): _call(store, net)

RAN = []
def _ran(): RAN.append(1)
class _Payload:
    def __reduce__(self): return (_ran, ())

@pytest.mark.parametrize('name', ['states.npy', 'pre.npz'])
def test_a_forged_pickle_never_runs(tmp_path, name):
    "A file replaced by a pickle, its SHA-256 and the seal recomputed to match: refused, and the pickle never runs."
    net, store = _net(), StateStore(tmp_path)
    _call(store, net)
    entry = store.entry(net, X, LAYERS, Preprocessor(8))
    payload = np.array([_Payload()], dtype=object)
    if name == 'states.npy': np.save(entry/name, payload, allow_pickle=True)
    else: np.savez(entry/name, **{f'{l}.{n}': payload for l in LAYERS for n in ('mean', 'E', 'w', 's', 'R')})
    meta = json.loads((entry/'meta.json').read_text())
    meta[name.split('.')[0]]['sha256'] = kk._sha256(entry/name)
    del meta['seal']
    (entry/'meta.json').write_text(json.dumps(meta | {'seal': kk._sha256(kk._canonical(meta))}))
    with pytest.raises(CheckpointError, match='holds invalid contents'): _call(store, net)
    assert RAN == []

# --- writes: atomic, never over an entry ---------------------------------------------------------------

def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    net, store = _net(), StateStore(tmp_path)
    def fail(*a, **k): raise OSError('disk full')
    monkeypatch.setattr(np, 'savez', fail)
    with pytest.raises(OSError, match='disk full'): _call(store, net)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    _call(store, net)
    assert len(store.entries()) == 1

def test_a_second_writer_keeps_the_first_entry(tmp_path):
    "Two processes writing one key: the first rename wins, the second's folder is dropped."
    net, store = _net(), StateStore(tmp_path)
    Z, pre = _call(store, net)
    entry = store.entry(net, X, LAYERS, Preprocessor(8))
    saved = _files(entry)
    kk._write_entry(entry, json.loads((entry/'meta.json').read_text())['key'], Z * 2, pre, {'1': (16,), '3': (16,)})
    assert _files(entry) == saved and [p.name for p in tmp_path.iterdir()] == [entry.name]

# --- bad arguments, refused before anything is written ------------------------------------------------------

@pytest.mark.parametrize('kw, err, msg', [
    (dict(store=3), TypeError, 'store must be a folder (a str or Path), a StateStore or None, got 3 (int)'),
    (dict(store=['a']), TypeError, "store must be a folder (a str or Path), a StateStore or None, got ['a'] (list)"),
    (dict(X=[X[:150], X[150:]]), TypeError, 'X: store= keys each entry by a digest of X, so X must be a tensor'),
    (dict(X=X[0, 0]), TypeError, 'X: store= keys each entry by a digest of X'),
    (dict(reduce=lambda h: h), ValueError, 'reduce: a store keys its entries by the capture options'),
    (dict(stream='yes'), TypeError, 'stream must be False, True or a row count'),
    (dict(epochs=3), TypeError, "train_cfg={'epochs': 3}"),
])
def test_bad_arguments(tmp_path, kw, err, msg):
    net = _net()
    a = dict(X=X, store=tmp_path/'s') | kw
    with pytest.raises(err) as e:
        fit_surrogate(net, a.pop('X'), LAYERS, head=net[4], verbose=False, **a)
    assert msg in str(e.value)
    assert not (tmp_path/'s').exists() and net.rows == []

def test_bad_store_folder_and_path_states_arguments(tmp_path):
    (tmp_path/'f').write_text('mine')
    for folder in (tmp_path/'f', tmp_path/'f'/'sub'):
        with pytest.raises(ValueError, match=re.escape(f"store: {tmp_path/'f'} is a file")): StateStore(folder)
    with pytest.raises(TypeError, match=r'folder must be a str or Path, got None \(NoneType\)'): StateStore(None)
    store, net = StateStore(tmp_path/'s'), _net()
    with pytest.raises(TypeError, match="pre must be a Preprocessor or None, got 'x'"):
        store.path_states(net, X, LAYERS, 'x')
    with pytest.raises(TypeError, match="path_states.. got an unexpected keyword argument 'batch_size'"):
        store.path_states(net, X, LAYERS, batch_size=10)
    with pytest.raises(TypeError, match='model must be a torch.nn.Module'): store.path_states('net', X, LAYERS)
    assert (tmp_path/'f').read_text() == 'mine' and not (tmp_path/'s').exists()


def test_stream_true_and_a_row_count_are_other_entries(tmp_path, monkeypatch):
    "`stream=True` takes at most `STREAM_MB` of raw rows, a count does not: their samples differ, so do their keys."
    store = StateStore(tmp_path)
    a = store.entry(_net(), X, LAYERS, Preprocessor(8), stream=True)
    assert a != store.entry(_net(), X, LAYERS, Preprocessor(8), stream=kk.STREAM_ROWS)
    monkeypatch.setattr(kk, 'STREAM_MB', 1)
    assert a != store.entry(_net(), X, LAYERS, Preprocessor(8), stream=True)
