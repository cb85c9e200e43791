"""The unlearning evaluation never trains the user's own network, and refuses a bad option before anything trains;
`unlearn` never pairs labels with the wrong inputs when it is given a loader.

Fixtures are tiny (a ResMLP on 300 Yin-Yang points, a surrogate trained for 2 epochs). "Nothing trained" is
checked by counting the factory's calls and by making every training entry point fail if it is reached.
"""
import os, warnings

os.environ.setdefault('MPLBACKEND', 'Agg')
import pytest
import torch
import torch.nn as nn
from torch.utils.data import BatchSampler, DataLoader, IterableDataset, RandomSampler, TensorDataset

from koopman_repr import data as kd, base_nets as kb, koopman_ae as kk, unlearning as ku
from koopman_repr.paper import unlearning_eval as ke2

ZT = kb.TrainConfig(lr=0.05, epochs=1, batch_size=100)
FEW = dict(classes=(0,), seeds=(0,), n_shadows=2, kodge_n=10, n_probe=20, all_classes=False)


@pytest.fixture(scope='module')
def F():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        X, y = kd.yinyang('train', n=300, seed=1)
        Xt, yt = kd.yinyang('test', n=150, seed=2)
        cfg = kb.ResMLPConfig(2, 8, 2, 3)
        kd.set_seed(0)
        m = kb.ResMLP(cfg)
        kb.fit(m, kb.TrainConfig(lr=0.1, epochs=2, batch_size=100), (X, y), verbose=False)
        sur = kk.fit_surrogate(m.eval(), X, train_cfg={'epochs': 2}, verbose=False)
    yield dict(X=X, y=y, Xt=Xt, yt=yt, cfg=cfg, m=m, sur=sur, splits={'train': (X, y), 'test': (Xt, yt)})
    torch.set_num_threads(threads)


def state(m): return {k: v.clone() for k, v in m.state_dict().items()}

def same_state(a, b): return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


class NoTraining(Exception): "Raised by any training entry point the test reaches."

@pytest.fixture
def no_training(monkeypatch):
    "Every way the evaluation trains (shadows, surrogates, retraining, fine-tuning) fails if it is reached."
    def boom(*a, **k): raise NoTraining
    for name in ('fit', 'fit_surrogates', '_shadow_confidences', '_network_baselines', '_retrain_without'):
        monkeypatch.setattr(ke2, name, boom)


# ---------------------------------------------------------------- make_model must build a NEW network each call
def test_lambda_model_refused_before_training(F, no_training):
    calls, before = [], state(F['m'])
    def same(): calls.append(1); return F['m']
    with pytest.raises(ValueError, match=r'make_model.*shares parameters or buffers with model.*NEW network'):
        ke2.evaluate_unlearning(F['m'], same, ZT, F['splits'], **FEW)
    assert len(calls) <= 2  # only the sharing check built anything
    assert same_state(before, state(F['m']))

def test_plain_lambda_model_refused(F, no_training):
    with pytest.raises(ValueError, match='make_model'):
        ke2.evaluate_unlearning(F['m'], lambda: F['m'], ZT, F['splits'], **FEW)

def test_cached_global_refused(F, no_training):
    cached = kb.ResMLP(F['cfg'])  # another network, built once and returned on every call
    for fn in (lambda: ke2.evaluate_unlearning(F['m'], lambda: cached, ZT, F['splits'], **FEW),
               lambda: ke2.retrain_without(lambda: cached, ZT, F['X'], F['y'], 0, 0),
               lambda: ke2.shadow_confidences(lambda: cached, ZT, F['X'], F['y'], 2),
               lambda: ke2.network_baselines(F['m'], lambda: cached, ZT, F['X'], F['y'], 0, 0)):
        with pytest.raises(ValueError, match=r'make_model returned networks that share .* on two calls'): fn()

def test_shared_submodule_refused(F, no_training):
    "A new network around one of the trained network's layers would train that layer in place."
    around = lambda: nn.Sequential(F['m'], nn.Linear(3, 3))
    for fn in (lambda: ke2.evaluate_unlearning(F['m'], around, ZT, F['splits'], **FEW),
               lambda: ke2.network_baselines(F['m'], around, ZT, F['X'], F['y'], 0, 0)):
        with pytest.raises(ValueError, match='make_model returned a network that shares'): fn()

def test_factory_sharing_a_cached_layer_refused(F, no_training):
    layer = nn.Linear(3, 3)
    with pytest.raises(ValueError, match='on two calls'):
        ke2.retrain_without(lambda: nn.Sequential(kb.ResMLP(F['cfg']), layer), ZT, F['X'], F['y'], 0, 0)

def test_fresh_factory_passes_the_checks(F, no_training):
    "A factory that builds a new network gets through every check, to the first training step."
    with pytest.raises(NoTraining):
        ke2.evaluate_unlearning(F['m'], lambda: kb.ResMLP(F['cfg']), ZT, F['splits'], **FEW)

def test_retrain_without_still_trains(F):
    m = ke2.retrain_without(lambda: kb.ResMLP(F['cfg']), ZT, F['X'], F['y'], 0, 0)
    assert isinstance(m, kb.ResMLP) and not m.training

def test_sharing_check_leaves_the_random_state(F):
    "The check builds two networks; the random numbers drawn after it are those that would have been drawn without it."
    torch.manual_seed(3)
    want = torch.rand(4)
    torch.manual_seed(3)
    ke2._check_fresh(lambda: kb.ResMLP(F['cfg']), F['m'])
    assert torch.equal(torch.rand(4), want)


# ---------------------------------------------------------------- every option checked before anything trains
def counting(F):
    calls = []
    def make(): calls.append(1); return kb.ResMLP(F['cfg'])
    return make, calls

@pytest.mark.parametrize('kw,match', [
    (dict(surrogate_options={'bogus': 1}), r"surrogate_options: unknown option\(s\) \['bogus'\]"),
    (dict(surrogate_options={'epoch': 3}), r"surrogate_options: unknown option\(s\) \['epoch'\]"),
    (dict(surrogate_options={'lr': -1.0}), r'surrogate_options: KAETrainConfig\.lr'),
    (dict(surrogate_options={'epochs': 0}), r'surrogate_options: KAETrainConfig\.epochs'),
    (dict(surrogate_options={'pairs': 'some'}), r'surrogate_options: KAETrainConfig\.pairs'),
    (dict(surrogate_options={'seed': 1}), 'surrogate_seeds'),
    (dict(layers=['blocks.0']), 'layers: a path needs at least two layers'),
    (dict(head=nn.Linear(5, 3)), 'head: it fails on layer'),
    (dict(finetune=kb.TrainConfig(epochs=1, shift=2)), 'finetune.shift'),
    (dict(verbose='yes'), 'verbose'),
], ids=['unknown option', 'misspelt option', 'bad lr', 'bad epochs', 'bad pairs', 'seed option', 'one layer',
        'head failing', 'shift on Yin-Yang', 'verbose'])
def test_bad_option_fails_before_training(F, no_training, kw, match):
    make, calls = counting(F)
    with pytest.raises((ValueError, TypeError), match=match):
        ke2.evaluate_unlearning(F['m'], make, ZT, F['splits'], **(FEW | kw))
    assert len(calls) == 0  # every option is checked before the factory's sharing check, the last one

def test_class_without_test_examples_fails_before_training(F, no_training):
    Xt, yt = F['Xt'], F['yt']
    splits = {'train': F['splits']['train'], 'test': (Xt[yt != 0], yt[yt != 0])}
    make, calls = counting(F)
    with pytest.raises(ValueError, match=r'classes: class 0 has \d+ training and 0 test examples'):
        ke2.evaluate_unlearning(F['m'], make, ZT, splits, **FEW)
    with pytest.raises(ValueError, match='all_classes'):
        ke2.evaluate_unlearning(F['m'], make, ZT, splits, **(FEW | dict(classes=(1,), all_classes=True)))
    assert len(calls) == 0


# ---------------------------------------------------------------- unlearn with a loader
def op(sur): return ku.kstep_matrix(sur.dynamics)

class Stream(IterableDataset):
    def __init__(self, X): self.X = X
    def __iter__(self): return iter(self.X)

def shuffling_loaders(X, y):
    ds = TensorDataset(X, y)
    g = torch.Generator().manual_seed(0)
    batches = BatchSampler(RandomSampler(ds, generator=g), 64, drop_last=False)
    return {'DataLoader(shuffle=True)': DataLoader(ds, batch_size=64, shuffle=True, generator=g),
            'batch_sampler over a RandomSampler': DataLoader(ds, batch_sampler=batches),
            'TensorLoader(shuffle=True)': kd.TensorLoader(X, y, batch_size=64, shuffle=True),
            'IterableDataset': DataLoader(Stream(X), batch_size=64)}

SHUFFLING = ['DataLoader(shuffle=True)', 'batch_sampler over a RandomSampler', 'TensorLoader(shuffle=True)']

@pytest.mark.parametrize('name', SHUFFLING + ['IterableDataset'])
def test_shuffling_loader_with_separate_labels_refused(F, name):
    loader = shuffling_loaders(F['X'], F['y'])[name]
    with pytest.raises(ValueError, match=r'X_train visits its examples in an order of its own.*y_train=None'):
        ku.unlearn(F['sur'], loader, F['y'], 2, n_iter=3)

@pytest.mark.parametrize('method', ['joint', 'paper'])
def test_shuffling_pair_loader_gives_the_same_edit(F, method):
    "A loader of (x, y) pairs brings its own labels: shuffled, it gives the edit of the arrays in their order."
    X, y, Xt, yt = F['X'], F['y'], F['Xt'], F['yt']
    ref = ku.unlearn(F['sur'], X, y, 2, method)
    for name in SHUFFLING:
        ed = ku.unlearn(F['sur'], shuffling_loaders(X, y)[name], None, 2, method)
        assert torch.allclose(op(ed), op(ref), atol=1e-5), name
        assert ku.forget_metrics(ed.predict(Xt), yt, 2) == ku.forget_metrics(ref.predict(Xt), yt, 2), name

def test_ordered_loader_with_separate_labels_still_accepted(F):
    X, y = F['X'], F['y']
    ref = ku.unlearn(F['sur'], X, y, 2, n_iter=5)
    for loader in (DataLoader(TensorDataset(X), batch_size=64), kd.TensorLoader(X, batch_size=64), [X[:100], X[100:]]):
        assert torch.allclose(op(ku.unlearn(F['sur'], loader, y, 2, n_iter=5)), op(ref), atol=1e-6)

def test_labels_from_the_loader_need_pairs(F):
    with pytest.raises(TypeError, match=r'X_train: with y_train=None each batch must be an \(x, y\) pair'):
        ku.unlearn(F['sur'], DataLoader(TensorDataset(F['X']), batch_size=64), None, 2)
    with pytest.raises(ValueError, match='y_train: labels are needed'):
        ku.unlearn(F['sur'], F['X'], None, 2)

def test_forget_class_checked_on_the_loaders_labels(F):
    X, y = F['X'], F['y']
    keep = y != 2
    with pytest.raises(ValueError, match=r"forget set is empty.*X_train's labels"):
        ku.unlearn(F['sur'], DataLoader(TensorDataset(X[keep], y[keep]), batch_size=64), None, 2)
