"""`--device` on every step: the parser takes cuda everywhere, a machine without CUDA refuses it
before any work (one rule, one message), and the device reaches every training function of the zoo
and of the unlearning evaluation.

CPU only, seconds: a CUDA machine is simulated by patching `torch.cuda.is_available`, and the
training functions are wrapped to record the device they are given and then train on the CPU, so
that the whole pipeline runs and its numbers can be compared with a run given no device.
"""
import contextlib, inspect, io, os, warnings
from dataclasses import replace

os.environ.setdefault('MPLBACKEND', 'Agg')
import pytest
import torch

from koopman_repr import data as kd, base_nets as kb
from koopman_repr.paper import cli as kc, zoo as kz, unlearning_eval as ke2

STEP_NAMES = ['reproduce', *kc.STEPS, *kc.OTHER_STEPS]
REFUSAL = '--device cuda, but no CUDA device is available; accepted here: auto, cpu'
no_cuda = pytest.mark.skipif(torch.cuda.is_available(), reason='CUDA: cuda is accepted')


class Reached(Exception): "Raised by a patched function: the run got that far."


def run_main(argv):
    "`cli.main(argv)`: (exit status, stderr)."
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = kc.main(argv)
    return rc, err.getvalue()


def timeless(o):
    "A report without its timing fields (the edits' own seconds, RTE_edit, among them)."
    if isinstance(o, dict):
        return {k: timeless(v) for k, v in o.items() if not (kc.is_timing(k) or k == 'RTE_edit')}
    if isinstance(o, (list, tuple)): return [timeless(v) for v in o]
    return o


def same_numbers(a, b):
    "Equal to the last bit, timings aside."
    diffs = kc.result_diffs(timeless(a), timeless(b), rtol=0)
    assert diffs == [], diffs[:10]


def recording(monkeypatch, module, names, seen):
    "Wrap each function: record the device it was given, then run it on the CPU."
    for name in names:
        real = getattr(module, name)
        sig = inspect.signature(real)
        def wrapper(*a, _real=real, _sig=sig, _name=name, **k):
            b = _sig.bind(*a, **k)
            seen.append((_name, str(b.arguments.get('device', 'cpu'))))
            b.arguments['device'] = 'cpu'
            return _real(*b.args, **b.kwargs)
        monkeypatch.setattr(module, name, wrapper)


# ---------------------------------------------------------------- the command line
@pytest.mark.parametrize('step', STEP_NAMES)
def test_every_step_parses_device_cuda(step):
    args = kc.parser().parse_args([step, '--device', 'cuda'])
    assert args.device == 'cuda'
    assert 'auto (cuda if available), cpu or cuda' in kc.step_help(step)


@no_cuda
@pytest.mark.parametrize('step', STEP_NAMES)
def test_device_cuda_refused_without_cuda(step, tmp_path):
    out = tmp_path/'out'
    rc, err = run_main([step, '-q', '--device', 'cuda', '--out', str(out)])
    assert rc == 2 and err.strip() == f'koopman-repr: error: {REFUSAL}', err
    assert not out.exists(), 'refused before any work: not even the output folder'


@pytest.mark.parametrize('step', ['zoo', 'unlearning-eval'])
def test_device_cuda_accepted_where_cuda_is(step, tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    args = kc.check_args(kc.parser().parse_args([step, '--device', 'cuda', '--out', str(tmp_path)]))
    assert kc.resolve_device(args.device) == 'cuda' and kc.resolve_device('auto') == 'cuda'


@no_cuda
def test_auto_is_the_cpu_without_cuda():
    assert kc.resolve_device('auto') == 'cpu'


def test_zoo_step_passes_the_device(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    seen = []
    def zoo_report(cfg, *a, device=None, **k):
        seen.append(device)
        raise Reached
    monkeypatch.setattr(kc, 'zoo_report', zoo_report)
    with pytest.raises(Reached):
        kc.main(['zoo', '-q', '--scale', 'quick', '--dataset', 'yinyang', '--arch', 'mlp',
                 '--device', 'cuda', '--out', str(tmp_path)])
    assert seen == ['cuda']


def test_unlearning_eval_step_passes_the_device(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    seen = []
    def attack_validation_report(scale, root=None, device='cpu'):
        seen.append(('attack_validation_report', device))
        return {}
    def unlearning_eval_report(cfg, *a, device=None, **k):
        seen.append(('unlearning_eval_report', device))
        raise Reached
    monkeypatch.setattr(kc, 'attack_validation_report', attack_validation_report)
    monkeypatch.setattr(kc, 'unlearning_eval_report', unlearning_eval_report)
    with pytest.raises(Reached):
        kc.main(['unlearning-eval', '-q', '--scale', 'quick', '--dataset', 'mnist',
                 '--device', 'cuda', '--out', str(tmp_path)])
    assert seen == [('attack_validation_report', 'cuda'), ('unlearning_eval_report', 'cuda')]


# ---------------------------------------------------------------- the zoo
TINY_TRAIN = kb.TrainConfig(lr=1e-2, epochs=3, batch_size=100, weight_decay=0.01, warmup=0.1)
TINY_ZOO = kz.ZooConfig('mlp', 'yinyang', TINY_TRAIN, n_train=300, n_test=150, surrogate_epochs=2,
                        seeds=(0,), n_topology=60, edit_points=90)


def zoo_run(tmp_path, name, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return kz.zoo_report(TINY_ZOO, cache_dir=tmp_path/name, **kw)


def test_zoo_device(tmp_path, monkeypatch):
    "device='cpu' changes no number; device='cuda' reaches the network's and the surrogates' training."
    plain = zoo_run(tmp_path, 'plain')
    same_numbers(plain, zoo_run(tmp_path, 'cpu', device='cpu'))
    seen = []
    recording(monkeypatch, kz, ['fit', 'fit_surrogates'], seen)
    same_numbers(plain, zoo_run(tmp_path, 'cuda', device='cuda'))  # the wrappers train on the CPU
    assert seen == [('fit', 'cuda'), ('fit_surrogates', 'cuda')], seen
    state = torch.load(next((tmp_path/'cuda').glob('zoo_*.pt')), weights_only=True)['state']
    assert all(v.device.type == 'cpu' for v in state.values())


# ---------------------------------------------------------------- the unlearning evaluation
ZT = kb.TrainConfig(lr=0.1, epochs=10, batch_size=100)
FEW = dict(classes=(0,), seeds=(0,), n_shadows=2, kodge_n=10, n_probe=20, all_classes=False,
           ulira_shadows=3, surrogate_options={'epochs': 10})
TRAINERS = ['fit', 'fit_surrogates', 'finetune', 'neggrad_plus', 'random_relabel']


@pytest.fixture(scope='module')
def F():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    X, y = kd.yinyang('train', n=300, seed=1)
    Xt, yt = kd.yinyang('test', n=150, seed=2)
    cfg = kb.ResMLPConfig(2, 8, 2, 3)
    kd.set_seed(0)
    m = kb.ResMLP(cfg)
    kb.fit(m, ZT, (X, y), verbose=False)
    yield dict(m=m.eval(), make=lambda: kb.ResMLP(cfg), splits={'train': (X, y), 'test': (Xt, yt)})
    torch.set_num_threads(threads)


def evaluation(F, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return ke2.evaluate_unlearning(F['m'], F['make'], ZT, F['splits'], **FEW, **kw)


def test_evaluation_device(F, monkeypatch):
    "device='cpu' changes no number; device='cuda' reaches every training function."
    plain = evaluation(F)
    same_numbers(plain, evaluation(F, device='cpu'))
    seen = []
    recording(monkeypatch, ke2, TRAINERS, seen)
    same_numbers(plain, evaluation(F, device='cuda'))  # the wrappers train on the CPU
    assert {d for _, d in seen} == {'cuda'}, seen
    names = [n for n, _ in seen]
    assert set(names) == set(TRAINERS), seen  # shadows, retraining, baselines, surrogates
    # fit: shadows (2), retraining (1 + U-LiRA's 3), U-LiRA's networks (3); surrogates: 1 + 3
    assert names.count('fit') == 9 and names.count('fit_surrogates') == 4, seen


def test_evaluation_refuses_a_model_off_the_cpu(F):
    with pytest.raises(ValueError, match=r'model: got a network on meta; pass it on the CPU'):
        ke2.evaluate_unlearning(F['make']().to('meta'), F['make'], ZT, F['splits'], device='cuda')


def test_report_and_shadows_pass_the_device(monkeypatch, tmp_path):
    "The report passes its device to the network, shadows and evaluation; LiRA's check to its networks."
    cfg = ke2.eval_configs('quick')['cnn_mnist_small_quick']
    seen, real_cached_shadows = [], ke2.cached_shadows
    fake = lambda n: (torch.randn(n, 1, 28, 28), torch.arange(n) % 10)
    monkeypatch.setattr(ke2, 'zoo_splits', lambda *a, **k: {'train': fake(40), 'test': fake(20)})
    def train_zoo_net(c, splits, cache_dir=None, verbose=False, device='cpu'):
        seen.append(('train_zoo_net', str(device)))
        return kz.zoo_model(c), {}
    def cached_shadows(c, X, y, n_train, cache_dir=None, verbose=False, device='cpu'):
        seen.append(('cached_shadows', str(device)))
        return {}
    def evaluate_unlearning(*a, device='cpu', **k):
        seen.append(('evaluate_unlearning', str(device)))
        return {}
    for f in (train_zoo_net, cached_shadows, evaluate_unlearning):
        monkeypatch.setattr(ke2, f.__name__, f)
    ke2.unlearning_eval_report(cfg, cache_dir=tmp_path, device='cuda')
    assert seen == [(n, 'cuda') for n in ('train_zoo_net', 'cached_shadows', 'evaluate_unlearning')]
    seen.clear()
    def fit(*a, device='cpu', **k):
        seen.append(('fit', str(device)))
        raise Reached
    monkeypatch.setattr(ke2, 'fit', fit)
    X, y = fake(40)
    with pytest.raises(Reached):
        ke2.lira_validation(X, y, n_shadows=2, tcfg=replace(ke2.MEMORISE, epochs=1), device='cuda')
    assert seen == [('fit', 'cuda')]
    seen.clear()
    def shadow_confidences(*a, device='cpu', **k):
        seen.append(('shadow_confidences', str(device)))
        raise Reached
    monkeypatch.setattr(ke2, 'shadow_confidences', shadow_confidences)
    with pytest.raises(Reached): real_cached_shadows(cfg, X, y, 20, cache_dir=tmp_path, device='cuda')
    assert seen == [('shadow_confidences', 'cuda')] and not list(tmp_path.glob('shadows_*'))
