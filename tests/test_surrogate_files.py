"""Surrogate files are sealed whole, and `fit_surrogate` takes its options by keyword and refuses what it cannot use.

A file written by `Surrogate.save` is a torch archive whose zip comment holds the SHA-256 of every byte before it: any
edit (a flipped byte anywhere, metadata edited and saved again) is refused on load with a `CheckpointError` naming the
file. A file sealed again by someone who knows the format still has every metadata field checked, and its tensors must
be those the metadata implies. Everything here uses one tiny network and a surrogate trained for two epochs.
"""
import json, os, warnings
import pytest
import torch
import torch.nn as nn
from koopman_repr.data import set_seed
from koopman_repr.base_nets import CheckpointError, Preprocessor
from koopman_repr.koopman_ae import (KAEConfig, KAETrainConfig, Surrogate, fit_surrogate, fit_surrogates, SURROGATE_FORMAT,
                                     _surrogate_bytes)

LAYERS = ['0.1', '0.3', '0.5']

def tiny_net(seed=0):
    "Three tanh layers of width 8 and a linear head of 3 classes."
    set_seed(seed)
    body = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh())
    return nn.Sequential(body, nn.Linear(8, 3)).eval()

def fit(net, X, **kw):
    kw = dict(head=net[1], train_cfg=dict(epochs=2), verbose=False) | kw
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # a two-epoch fit is poor (the FVU warning)
        return fit_surrogate(net, X, LAYERS, **kw)

@pytest.fixture(scope='module')
def F(tmp_path_factory):
    "A network, its inputs, a surrogate of it and the surrogate's file."
    tmp = tmp_path_factory.mktemp('surrogate_files')
    net = tiny_net()
    X = torch.randn(200, 4, generator=torch.Generator().manual_seed(1))
    sur = fit(net, X)
    path = sur.save(tmp/'s.kae')
    return dict(tmp=tmp, net=net, X=X, sur=sur, path=path, bytes=path.read_bytes(),
                archive=torch.load(path, weights_only=True))

def refused(path, net, *words):
    "Loading `path` must raise a CheckpointError that names the file (and `words`)."
    with pytest.raises(CheckpointError) as e: Surrogate.load(path, net)
    for w in (path.name, *words): assert w in str(e.value), f"{w!r} missing from: {e.value}"

def resealed(F, name, edit):
    "A file whose metadata `edit` changed and that was sealed again (by someone who knows the format)."
    meta = json.loads(F['archive']['meta'])
    edit(meta)
    path = F['tmp']/name
    path.write_bytes(_surrogate_bytes(meta, F['archive']['state']))
    return path

# ---------------------------------------------------------------- an edited surrogate
def test_edited_surrogate_round_trip_and_a_bad_operator_refused(F):
    "`unlearn`'s result saves as one file, 𝒦' beside the KAE it was edited from; it loads edited, as it was saved."
    from koopman_repr.unlearning import unlearn, EditedKAE
    y = torch.arange(len(F['X'])) % 3  # labels of every class (the tiny surrogate may predict only one)
    edited = unlearn(F['sur'], F['X'], y, 0, 'joint')
    path = edited.save(F['tmp']/'edited.kae')
    loaded = Surrogate.load(path, F['net'])
    assert isinstance(loaded.dynamics, EditedKAE) and torch.equal(loaded.dynamics.Kk, edited.dynamics.Kk)
    assert torch.equal(loaded.logits(F['X']), edited.logits(F['X']))
    assert not torch.equal(loaded.logits(F['X']), F['sur'].logits(F['X']))  # the edit, not the original
    archive = torch.load(path, weights_only=True)
    archive['state']['edit.Kk'] = archive['state']['edit.Kk'][:2, :2]  # an operator of the wrong size, sealed again
    bad = F['tmp']/'edited_bad.kae'
    bad.write_bytes(_surrogate_bytes(json.loads(archive['meta']), archive['state']))
    refused(bad, F['net'], 'edit.Kk')

# ---------------------------------------------------------------- round trip
def test_round_trip_gives_identical_predictions(F):
    loaded = Surrogate.load(F['path'], F['net'])
    assert torch.equal(loaded.logits(F['X']), F['sur'].logits(F['X']))
    assert torch.equal(loaded.predict(F['X']), F['sur'].predict(F['X']))
    assert loaded.dynamics.cfg == F['sur'].dynamics.cfg and loaded.train_cfg == F['sur'].train_cfg
    assert loaded.layers == LAYERS and loaded.history == F['sur'].history

def test_metadata_is_canonical_json(F):
    meta = F['archive']['meta']
    assert meta == json.dumps(json.loads(meta), sort_keys=True, separators=(',', ':'))
    assert json.loads(meta)['format'] == SURROGATE_FORMAT == 'koopman_repr.surrogate/2'

# ---------------------------------------------------------------- byte-level edits
def _offsets(n):
    "Offsets spread over the whole file, with every one of the last 100 bytes (the zip end record and the seal)."
    return sorted(set(range(0, n, max(1, n // 150))) | set(range(max(0, n - 100), n)))

def test_every_flipped_byte_is_refused(F):
    b = F['bytes']
    path = F['tmp']/'flipped.kae'
    for off in _offsets(len(b)):
        path.write_bytes(b[:off] + bytes([b[off] ^ 0x01]) + b[off + 1:])
        refused(path, F['net'])

@pytest.mark.parametrize('cut', [1, 64, 96, 1000])
def test_truncated_or_extended_file_is_refused(F, cut):
    path = F['tmp']/f'cut{cut}.kae'
    path.write_bytes(F['bytes'][:-cut])
    refused(path, F['net'])
    path.write_bytes(F['bytes'] + b'\0' * cut)
    refused(path, F['net'])

# ---------------------------------------------------------------- metadata edits
EDITS = {
    'kae_cfg.k 10 -> 3': lambda m: m['kae_cfg'].update(k=3),
    'first layer renamed': lambda m: m.update(layers=['0.0'] + m['layers'][1:], first='0.0'),
    'a key added': lambda m: m.update(note='hello'),
    'a key removed': lambda m: m.pop('history'),
    'a config field added': lambda m: m['kae_cfg'].update(bogus=1),
}

@pytest.mark.parametrize('edit', EDITS.values(), ids=EDITS.keys())
def test_metadata_edited_and_saved_again_is_refused(F, edit):
    "Edited JSON saved back with torch.save: the file has lost its seal."
    meta = json.loads(F['archive']['meta'])
    edit(meta)
    path = F['tmp']/'edited.kae'
    torch.save(F['archive'] | {'meta': json.dumps(meta, sort_keys=True, separators=(',', ':'))}, path)
    refused(path, F['net'], 'no seal')

@pytest.mark.parametrize('old,new', [('"k":10', '"k":13'), ('"first":"0.1"', '"first":"0.2"')])
def test_metadata_edited_in_place_is_refused(F, old, new):
    "The same bytes edited inside the archive (same length, so the archive still reads): the seal no longer matches."
    assert F['bytes'].count(old.encode()) == 1
    path = F['tmp']/'in_place.kae'
    path.write_bytes(F['bytes'].replace(old.encode(), new.encode()))
    assert torch.load(path, weights_only=True)['meta'] != F['archive']['meta'], 'the edit reaches the metadata'
    refused(path, F['net'], 'SHA-256')

RESEALED = {  # edits a sealed-again file still cannot carry: (edit, words the error names)
    'first layer renamed': (EDITS['first layer renamed'], ('pre.0.0.mean',)),
    'a key added': (EDITS['a key added'], ('note',)),
    'a key removed': (EDITS['a key removed'], ('history',)),
    'kae_cfg field added': (EDITS['a config field added'], ('bogus',)),
    'kae_cfg.k = 0': (lambda m: m['kae_cfg'].update(k=0), ('k must be',)),
    'n_obs changed': (lambda m: m['kae_cfg'].update(n_obs=m['kae_cfg']['n_obs'] + 1), ('size mismatch',)),
    'layers repeated': (lambda m: m.update(layers=[m['layers'][0]] * 3), ('layers must be',)),
    'last not the last layer': (lambda m: m.update(last=m['layers'][0]), ('first and last',)),
    'head_shape wrong': (lambda m: m.update(head_shape=[5]), ('head_shape',)),
    'capture option unknown': (lambda m: m['capture_kw'].update(stop_early=True), ('capture_kw',)),
    'train_cfg invalid': (lambda m: m['train_cfg'].update(lr=-1), ('lr',)),
    'preprocessing invalid': (lambda m: m['pre'].update(alpha=2), ('alpha',)),
    'fingerprint not hex': (lambda m: m.update(fingerprint='x' * 64), ('fingerprint',)),
    'other format': (lambda m: m.update(format='koopman_repr.surrogate/9'), ('format must be',)),
}

@pytest.mark.parametrize('edit,words', RESEALED.values(), ids=RESEALED.keys())
def test_resealed_metadata_is_still_checked(F, edit, words):
    refused(resealed(F, 'resealed.kae', edit), F['net'], *words)

def test_old_format_is_refused_with_its_name(F):
    "A file of format /1 (tensor-only checksum, no seal)."
    meta = json.loads(F['archive']['meta']) | {'format': 'koopman_repr.surrogate/1'}
    path = F['tmp']/'old.kae'
    torch.save({'state': F['archive']['state'], 'sha256': 'x' * 64, 'meta': json.dumps(meta)}, path)
    refused(path, F['net'], 'no seal', 'surrogate/1')

def test_sealed_pickle_never_runs(F, tmp_path):
    "The seal is no signature: a sealed archive that would run code is still read with weights_only=True."
    marker = tmp_path/'ran'
    class Evil:
        def __reduce__(self): return (os.system, (f'touch {marker}',))
    path = F['tmp']/'evil.kae'
    path.write_bytes(_surrogate_bytes({'x': 1}, {'w': Evil()}))
    refused(path, F['net'], 'not a readable')
    assert not marker.exists()

# ---------------------------------------------------------------- the network and the head
def test_other_head_is_refused_unless_asked(F):
    other = nn.Linear(8, 3)
    with pytest.raises(ValueError, match='head: .*another head'): Surrogate.load(F['path'], F['net'], head=other)
    with pytest.raises(ValueError, match='another head'): Surrogate.load(F['path'], F['net'], head=lambda h: F['net'][1](h))
    assert Surrogate.load(F['path'], F['net'], head=other, check_model=False).logits(F['X']).shape == (200, 3)

def test_callable_head_is_known_by_name(F):
    net, X = F['net'], F['X']
    sur = fit(net, X, head=_head_fn)
    path = sur.save(F['tmp']/'callable_head.kae')
    with pytest.raises(ValueError, match='pass head='): Surrogate.load(path, net)
    assert torch.equal(Surrogate.load(path, net, head=_head_fn).logits(X), sur.logits(X))
    with pytest.raises(ValueError, match='another head'): Surrogate.load(path, net, head=lambda h: _head_fn(h))

def _head_fn(h): return torch.cat([h[:, :2], -h[:, :1]], 1)  # a head that is not a module: 3 outputs

# ---------------------------------------------------------------- fit_surrogate's options
def test_old_positional_form_names_the_keywords(F):
    net, X = F['net'], F['X']
    with pytest.raises(TypeError, match=r'at most 3 positional arguments.*kae_cfg=, train_cfg='):
        fit_surrogate(net, X, KAEConfig(k=3), KAETrainConfig(epochs=1))
    with pytest.raises(TypeError, match=r'at most 4 positional arguments.*layers='):
        fit_surrogates(net, X, None, [{}], LAYERS)

@pytest.mark.parametrize('kw,words', [
    (dict(epochs=5), ("'epochs'", "train_cfg={'epochs': 5}")),
    (dict(lr=0.01), ("'lr'", 'train_cfg=')),
    (dict(batch_size=64), ("'batch_size'", 'train_cfg=')),
    (dict(k=3), ("'k'", 'kae_cfg=KAEConfig(k=3)')),
    (dict(norm=1.0), ("'norm'", 'pre=Preprocessor(norm=1.0)')),
    (dict(bogus=1), ("'bogus'", "'train_cfg'", "'reduce'")),
    (dict(shapes={}), ("'shapes'",)),
])
def test_unknown_keyword_is_refused_by_name(F, kw, words):
    with pytest.raises(TypeError) as e: fit(F['net'], F['X'], **kw)
    for w in words: assert w in str(e.value), f"{w!r} missing from: {e.value}"

def test_fit_surrogates_refuses_unknown_keyword(F):
    with pytest.raises(TypeError, match=r"'epochs'.*train_cfgs="): fit_surrogates(F['net'], F['X'], None, [{}], epochs=5)

def test_epochs_in_train_cfg_work(F):
    assert len(fit(F['net'], F['X'], train_cfg=dict(epochs=3)).history['total']) == 3

@pytest.mark.parametrize('pca_dim', [5, None])
def test_pre_with_pca_dim_is_refused(F, pca_dim):
    with pytest.raises(ValueError, match=r'pca_dim=.*pre='): fit(F['net'], F['X'], pre=Preprocessor(), pca_dim=pca_dim)

def test_pre_alone_is_used(F):
    assert fit(F['net'], F['X'], pre=Preprocessor(norm=7.0)).pre.norm == 7.0

def test_fitted_pre_is_refused(F):
    with pytest.raises(ValueError, match='pre: .*already fitted'): fit(F['net'], F['X'], pre=F['sur'].pre)

@pytest.mark.parametrize('head,what', [
    (lambda h: {'logits': h[:, :3]}, 'dict'),
    (lambda h: (h[:, :3],), 'tuple'),
    (lambda h: h[:, 0], 'shape (2,)'),
    (lambda h: h[:1, :3], 'shape (1, 3)'),
])
def test_head_without_logits_is_refused_at_fit(F, head, what):
    with pytest.raises(ValueError, match='head: it must return logits') as e: fit(F['net'], F['X'], head=head)
    assert what in str(e.value)
