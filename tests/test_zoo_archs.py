"""The zoo's networks meant for a GPU (ResNet-18, LSTM, MLP-Mixer), end to end at quick scale on the CPU: each
trains, its surrogates fit along its path, the paper's edit and the joint edit run for every class. The CLI takes
them by name and leaves them out of its default run, whose configs stay those of results/zoo.json."""
import json
from dataclasses import asdict
import numpy as np, pytest, torch
from koopman_repr.paper import zoo as kz, cli as kc

PATHS = {'resnet18': ['layer1', 'layer2', 'layer3', 'layer4'], 'lstm': ['lstm1', 'lstm2'],
         'mixer': [f'blocks.{i}' for i in range(6)]}

@pytest.fixture(autouse=True)
def one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)

@pytest.mark.parametrize('arch', kz.ZOO_GPU_ARCHS)
def test_quick_end_to_end(arch, tmp_path):
    "One quick experiment per network: trained, surrogates fitted on its path, both edits on every class."
    cfg, = kz.zoo_configs('quick', (arch,), ('mnist',))
    rep = kz.zoo_report(cfg, cache_dir=tmp_path)
    assert rep['network']['cached'] is False and 0 <= rep['network']['test_acc'] <= 100
    assert rep['surrogate']['layers'] == PATHS[arch]
    assert len(rep['surrogate']['acc']) == len(cfg.seeds)
    assert np.array(rep['path']['cka']).shape == (11, len(PATHS[arch]))  # iterates t = 0 … 10 × layers
    for edit in ('paper', 'joint'):
        u = rep['unlearning'][edit]
        assert len(u['forget']) == 10 and all(0 <= v <= 100 for v in u['forget'] + u['retain'])
    assert len(list(tmp_path.glob(f'zoo_{cfg.name}-*.pt'))) == 1  # the network is cached

def test_cli_takes_them_by_name_only(tmp_path):
    "`koopman-repr zoo --arch resnet18 lstm mixer` is accepted; without --arch the zoo runs the default networks."
    assert not set(kz.ZOO_GPU_ARCHS) & set(kz.ZOO_ARCHS)
    assert kc.ARCH_CHOICES['zoo'] == kz.ZOO_ARCHS + kz.ZOO_GPU_ARCHS
    kc.check_args(kc.parser().parse_args(['zoo', '--arch', *kz.ZOO_GPU_ARCHS, '--out', str(tmp_path)]))
    assert {c.arch for c in kz.zoo_configs('paper')} == set(kz.ZOO_ARCHS)
    assert {c.arch for c in kz.zoo_configs('quick')} == set(kz.ZOO_ARCHS)

def test_default_zoo_is_the_committed_one(root):
    ("The zoo's configs (hence its networks' cache keys) are those recorded in results/zoo.json: every default "
     "experiment, and each GPU network's that has been run.")
    zoo = json.loads((root/'results'/'zoo.json').read_text())
    for c in kz.zoo_configs('paper', kz.ZOO_ARCHS + kz.ZOO_GPU_ARCHS):
        if c.arch in kz.ZOO_GPU_ARCHS and c.name not in zoo: continue
        assert json.loads(json.dumps(asdict(c))) == zoo[c.name]['config'], c.name

def test_gpu_recipes():
    "Each GPU network has a full-scale recipe, keeps the automatic surrogate recipe and has a reference entry."
    for c in kz.zoo_configs('paper', kz.ZOO_GPU_ARCHS):
        own = (c.arch, c.dataset) if (c.arch, c.dataset) in kz.ZOO_TRAIN else (c.arch, 'images')
        assert c.train == kz.ZOO_TRAIN[own] and c.surrogate_epochs is None and c.n_train is None
        assert (c.arch, c.dataset) in kz.ZOO_REFERENCE
    assert kz.zoo_optimizer(kz.zoo_configs('paper', ('resnet18',))[0]) == 'sgd'

@pytest.mark.parametrize('make,name', [
    (lambda: kz.ZooMixer(patch=5), 'patch'), (lambda: kz.ZooMixer(token_hidden=0), 'token_hidden'),
    (lambda: kz.ZooLSTM(hidden=0), 'hidden'), (lambda: kz.ZooResNet18(n_classes=1), 'n_classes'),
    (lambda: kz.ZooResNet18()(torch.randn(2, 1, 32, 32)), 'ZooResNet18: x must be 28 × 28 images'),
    (lambda: kz.LastStep()(torch.randn(2, 5)), 'LastStep: h must be a sequence'),
    (lambda: kz.TokenMean()(torch.randn(2, 5)), 'TokenMean: x must be a token map')])
def test_bad_arguments(make, name):
    "Each error names the argument and what it got."
    with pytest.raises(ValueError, match=name): make()


def test_stopped_run_goes_on(tmp_path, monkeypatch):
    "A zoo network whose training stopped after its first epoch ends, run again, with an unbroken run's weights."
    import koopman_repr.base_nets as kb
    cfg, = kz.zoo_configs('quick', ('cnn',), ('mnist',))
    assert cfg.train.epochs >= 2
    splits = kz.zoo_splits('mnist', cfg.n_train, cfg.n_test)
    whole, _ = kz.train_zoo_net(cfg, splits, cache_dir=tmp_path/'whole')
    epochs, real = [], kb.one_epoch
    def stop_in_second(*args, **kw):
        epochs.append(1)
        if len(epochs) == 2: raise RuntimeError('stopped')
        return real(*args, **kw)
    monkeypatch.setattr(kb, 'one_epoch', stop_in_second)
    with pytest.raises(RuntimeError, match='stopped'): kz.train_zoo_net(cfg, splits, cache_dir=tmp_path/'stopped')
    assert [p.suffix for p in (tmp_path/'stopped').iterdir()] == ['.run']  # the state after the first epoch, no network
    ran = []
    monkeypatch.setattr(kb, 'one_epoch', lambda *args, **kw: ran.append(1) or real(*args, **kw))
    again, info = kz.train_zoo_net(cfg, splits, cache_dir=tmp_path/'stopped')
    assert len(ran) == cfg.train.epochs - 1  # it went on from the second epoch
    assert info['cached'] is False and info['train_seconds'] > 0
    assert all(torch.equal(a, b) for a, b in zip(whole.state_dict().values(), again.state_dict().values()))
    assert [p.suffix for p in (tmp_path/'stopped').iterdir()] == ['.pt']  # the run's state is gone once it is cached


def test_evaluation_configs_are_the_committed_ones(root):
    "The full-scale unlearning evaluation's configs (its networks' recipes included) are those in unlearning_eval.json."
    from koopman_repr.paper.unlearning_eval import eval_configs
    ev = json.loads((root/'results'/'unlearning_eval.json').read_text())
    for name, c in eval_configs('paper').items():
        assert json.loads(json.dumps(asdict(c))) == ev[name]['config'], name
