"""Bad inputs raise clear errors that name the offending argument; legitimate inputs (numpy, float64, lists) give the same result as float32 tensors.

Every error case asserts (a) the exception type and (b) that the message names the argument as the library spells it
(e.g. 'epochs' matches 'TrainConfig.epochs must be ...'), never the whole wording. Identifier-like names must appear as
whole words (so 'c' does not match 'cannot'); other tokens (file names, option names) as substrings.

Fixtures are tiny and built once for the file (a ResMLP on 300 Yin-Yang points, a surrogate trained for 2 epochs, small
point clouds, fake MNIST IDX files); every case runs under a per-case alarm so nothing can hang.
The case list follows the outside probe battery (data, base_nets, koopman_ae, topology, unlearning, paper, examples, CLI).
"""
import contextlib, copy, io, json, math, os, pickle, re, signal, struct, warnings
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault('MPLBACKEND', 'Agg')
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn as nn

from koopman_repr import data as kd, base_nets as kb, koopman_ae as kk, topology as kt, unlearning as ku, examples as ke
from koopman_repr.paper import experiments as kp
from koopman_repr.paper import cli as kc, zoo as kz, unlearning_eval as ke2
from koopman_repr.base_nets import CheckpointError

V, T, FNF, CK = ValueError, TypeError, FileNotFoundError, CheckpointError
NAN, INF = float('nan'), float('inf')
CASE_TIMEOUT = 20  # seconds per case

# ---------------------------------------------------------------- per-case timeout (pytest-timeout is not a dependency)
class CaseTimeout(BaseException):
    "Raised by the alarm; a BaseException so that no `except Exception` in the library can swallow it."

@contextlib.contextmanager
def alarm(seconds, what='case'):
    def boom(signum, frame): raise CaseTimeout(f"{what} took more than {seconds} s")
    old = signal.signal(signal.SIGALRM, boom)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try: yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)

@pytest.fixture(autouse=True)
def _case_timeout():
    with alarm(CASE_TIMEOUT): yield

# ---------------------------------------------------------------- helpers
def named(msg:str, names)->bool:
    "Whether `msg` names one of `names` (identifiers as whole words, anything else as a substring)."
    for n in names:
        if re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', n):
            if re.search(r'(?<![A-Za-z0-9_])' + re.escape(n) + r'(?![A-Za-z0-9_])', msg): return True
        elif n in msg: return True
    return False

def short(r)->str:
    if torch.is_tensor(r): return f"a tensor {tuple(r.shape)} ({r.dtype})"
    if isinstance(r, np.ndarray): return f"an array {r.shape}"
    return repr(r)[:120]

def expect_error(fn, types, names):
    "`fn()` must raise one of `types` whose message names one of `names`."
    types = types if isinstance(types, tuple) else (types,)
    want = '/'.join(t.__name__ for t in types)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            r = fn()
    except types as e:
        assert named(str(e), names), f"{type(e).__name__} does not name {list(names)}: {e}"
    except Exception as e:
        pytest.fail(f"expected {want} naming {list(names)}, got {type(e).__name__}: {str(e)[:300]}")
    else:
        pytest.fail(f"expected {want} naming {list(names)}, but it returned {short(r)}")
    finally:
        plt.close('all')

def case(id, fn, types, *names):
    return pytest.param(fn, types, names, id=id)

def nanX(X, row=3):
    X = torch.as_tensor(X).clone(); X.view(len(X), -1)[row, 0] = NAN; return X

def infX(X, row=5):
    X = torch.as_tensor(X).clone(); X.view(len(X), -1)[row, -1] = INF; return X

def idx_bytes(magic, dims, payload):
    return struct.pack('>I', magic) + b''.join(struct.pack('>I', d) for d in dims) + payload

def make_mnist(root:Path, kind:str)->Path:
    "A tiny MNIST folder (20 train, 10 test images) with one defect."
    raw = root/'MNIST'/'raw'; raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for split, n in (('train', 20), ('t10k', 10)):
        img = idx_bytes(2051, (n, 28, 28), rng.integers(0, 256, n*784, dtype=np.uint8).tobytes())
        nl = n - 5 if kind == 'label_count' else n
        lab = idx_bytes(2049, (nl,), rng.integers(0, 10, nl, dtype=np.uint8).tobytes())
        if kind == 'trunc_images': img = img[:len(img)//2]
        if kind == 'trunc_labels': lab = lab[:len(lab) - 3]
        if kind == 'bad_magic': img = struct.pack('>I', 0xDEADBEEF) + img[4:]
        if kind == 'empty_labels': lab = b''
        if kind == 'text_file': img = b'<html>404 Not Found</html>\n'
        (raw/f'{split}-images-idx3-ubyte').write_bytes(img)
        if not (kind == 'missing_labels' and split == 't10k'): (raw/f'{split}-labels-idx1-ubyte').write_bytes(lab)
    return root

class Evil:
    "Unpickling this creates the marker file: a loader that runs pickled code would leave it behind."
    def __init__(self, marker): self.marker = str(marker)
    def __reduce__(self): return (open, (self.marker, 'w'))

def tr(**kw):
    "A one-epoch base-network recipe."
    return kb.TrainConfig(**(dict(lr=0.05, epochs=1, batch_size=100) | kw))

def ktr(**kw): return kk.KAETrainConfig(**kw)

# ---------------------------------------------------------------- fixtures, built once for the file
@pytest.fixture(scope='module')
def F(tmp_path_factory):
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the file's time budget is for one thread; restored after the file
    with alarm(60, 'building the fixtures'), warnings.catch_warnings():
        warnings.simplefilter('ignore')
        F = SimpleNamespace(tmp=tmp_path_factory.mktemp('bad_inputs'))
        F.X, F.y = kd.yinyang('train', n=300, seed=1)
        F.Xt, F.yt = kd.yinyang('test', n=150, seed=2)
        F.cfg = kb.ResMLPConfig(2, 8, 2, 3)
        kd.set_seed(0); F.m = kb.ResMLP(F.cfg)
        kb.fit(F.m, kb.TrainConfig(lr=0.1, epochs=2, batch_size=100), (F.X, F.y), verbose=False)
        F.m.eval()
        F.other_m = kb.ResMLP(F.cfg)  # same architecture, other weights
        F.sur = kk.fit_surrogate(F.m, F.X, train_cfg={'epochs': 2}, verbose=False)
        F.sur_path = F.sur.save(F.tmp/'sur.pt')
        F.Z = torch.stack(list(F.sur.states(F.X).values()), 1)  # (n, n_layers, d)
        F.reps = kb.capture(F.m, F.X)
        F.pre = kb.Preprocessor().fit(F.reps)
        F.kae = kk.KoopmanAE(kk.KAEConfig(dim=F.Z.shape[2], k=4, hidden=(8,), n_obs=8))
        F.Obs = ku.observables(F.sur, F.X)
        F.Kk = ku.kstep_matrix(F.sur.dynamics)
        F.dgm = kt.diagrams(F.X[:50])[0]
        F.X_toy, F.y_toy = ke.toy_images(20)
        F.X784, F.y10 = torch.zeros(10, 784), torch.arange(10)
        F.splits = {'train': (F.X, F.y), 'test': (F.Xt, F.yt)}
        # fake MNIST folders
        F.mn = {k: make_mnist(F.tmp/f'mnist_{k}', k) for k in
                ('ok', 'trunc_images', 'trunc_labels', 'bad_magic', 'label_count', 'empty_labels', 'missing_labels', 'text_file')}
        F.nowhere = F.tmp/'nowhere'
        # base-net checkpoints
        F.bcfg = kp.BaseNetConfig('tiny_net', 'yinyang', kb.ResMLPConfig(2, 4, 1, 3), kb.TrainConfig(lr=0.05, epochs=1, batch_size=5000))
        F.ckpt = kb.save_checkpoint(F.tmp/'ck.pt', F.m.state_dict(), F.bcfg, metrics={})
        (F.tmp/'ck_trunc.pt').write_bytes(F.ckpt.read_bytes()[:300])
        ck = torch.load(F.ckpt, weights_only=True); ck['state'] = dict(ck['state']); k0 = next(iter(ck['state'])); ck['state'][k0] = ck['state'][k0] + 1
        torch.save(ck, F.tmp/'ck_tampered.pt')
        F.scfg = kp.SurrogateConfig('tiny_sur', F.bcfg, F.sur.dynamics.cfg, ktr(epochs=1))
        F.psur = kp.save_surrogate(F.tmp/'psur.pt', F.sur, F.scfg, metrics={})
        # damaged surrogate files
        b = F.sur_path.read_bytes()
        (F.tmp/'sur_trunc.pt').write_bytes(b[:len(b)//2])
        (F.tmp/'sur_garbage.pt').write_bytes(np.random.default_rng(0).integers(0, 256, 2000, dtype=np.uint8).tobytes())
        (F.tmp/'sur_empty.pt').write_bytes(b'')
        sk = torch.load(F.sur_path, weights_only=True)
        s2 = dict(sk, state=dict(sk['state'])); k0 = next(iter(s2['state'])); s2['state'][k0] = s2['state'][k0] + 1
        torch.save(s2, F.tmp/'sur_tampered.pt')
        for name, edit in [('sur_format', lambda m: m | {'format': 'other/9'}),
                           ('sur_badmeta', lambda m: m | {'kae_cfg': m['kae_cfg'] | {'bogus': 1}}),
                           ('sur_badk', lambda m: m | {'kae_cfg': m['kae_cfg'] | {'k': 0}})]:
            torch.save(dict(sk, meta=json.dumps(edit(json.loads(sk['meta'])))), F.tmp/f'{name}.pt')
        # CLI folders
        F.afile = F.tmp/'afile'; F.afile.write_text('x')
        F.corrupt_dir = F.tmp/'corrupt_json'; F.corrupt_dir.mkdir(); (F.corrupt_dir/'base_nets.json').write_text('{not json')
        F.shape_dir = F.tmp/'wrongshape_json'; F.shape_dir.mkdir(); (F.shape_dir/'unlearning.json').write_text('{"yinyang": {"x": 1}}')
    plt.close('all')
    yield F
    torch.set_num_threads(threads)

def fresh(F):
    kd.set_seed(0); return kb.ResMLP(F.cfg)

def fit_fresh(F, tcfg, train=None, **kw):
    return kb.fit(fresh(F), tcfg, (F.X, F.y) if train is None else train, verbose=False, **kw)

def sur_fit(F, X=None, model=None, **kw):
    kw.setdefault('train_cfg', {'epochs': 2}); kw.setdefault('verbose', False)
    return kk.fit_surrogate(F.m if model is None else model, F.X if X is None else X, **kw)

def kfit(F, Z, tcfg=None, **kw):
    return kk.fit_kae(copy.deepcopy(F.kae), tcfg or ktr(epochs=1, batch_size=100), Z, verbose=False, **kw)

def unl(F, c=2, method='joint', X=None, y=None, sur=None, **kw):
    if method == 'joint': kw.setdefault('n_iter', 3)
    return ku.unlearn(F.sur if sur is None else sur, F.X if X is None else X, F.y if y is None else y, c, method, **kw)

def without(y, c): return torch.where(y == c, (c + 1) % 3, y)

# ================================================================ data
DATA = [
    case('set_seed(-1)', lambda F: kd.set_seed(-1), V, 'seed'),
    case('set_seed(1.5)', lambda F: kd.set_seed(1.5), T, 'seed'),
    case("set_seed('3')", lambda F: kd.set_seed('3'), T, 'seed'),
    case('set_seed(True)', lambda F: kd.set_seed(True), T, 'seed'),
    case('set_seed(2**40)', lambda F: kd.set_seed(2**40), V, 'seed'),
    case('yinyang_class(1-D)', lambda F: kd.yinyang_class(np.zeros(2)), V, 'xy'),
    case('yinyang_class(NaN row)', lambda F: kd.yinyang_class(np.array([[NAN, 0.5], [0.5, 0.5]])), V, 'xy'),
    case('yinyang_class(r_small=0)', lambda F: kd.yinyang_class(np.zeros((2, 2)), r_small=0), V, 'r_small'),
    case('yinyang_class(r_big=-1)', lambda F: kd.yinyang_class(np.zeros((2, 2)), r_big=-1), V, 'r_big'),
    case('sample_yinyang(n=0)', lambda F: kd.sample_yinyang(0, 1), V, 'n'),
    case('sample_yinyang(n=-5)', lambda F: kd.sample_yinyang(-5, 1), V, 'n'),
    case('sample_yinyang(n=2.5)', lambda F: kd.sample_yinyang(2.5, 1), T, 'n'),
    case('sample_yinyang(n=True)', lambda F: kd.sample_yinyang(True, 1), T, 'n'),
    case('sample_yinyang(r_small=1e-9)', lambda F: kd.sample_yinyang(30, 1, r_small=1e-9), V, 'r_small'),
    case('sample_yinyang(r_small=0.3)', lambda F: kd.sample_yinyang(30, 1, r_small=0.3), V, 'r_small'),
    case('sample_yinyang(seed=-1)', lambda F: kd.sample_yinyang(30, -1), V, 'seed'),
    case("sample_yinyang(seed='a')", lambda F: kd.sample_yinyang(30, 'a'), T, 'seed'),
    case('sample_yinyang(r_small=nan)', lambda F: kd.sample_yinyang(30, 1, r_small=NAN), V, 'r_small'),
    case('sample_yinyang(r_big=inf)', lambda F: kd.sample_yinyang(30, 1, r_big=INF), V, 'r_big'),
    case("yinyang('bogus')", lambda F: kd.yinyang('bogus'), V, 'split'),
    case("yinyang(features='rgb')", lambda F: kd.yinyang(features='rgb'), V, 'features'),
    case("yinyang(n=0)", lambda F: kd.yinyang('train', n=0), V, 'n'),
    case("yinyang(seed=-2)", lambda F: kd.yinyang('train', n=10, seed=-2), V, 'seed'),
    case("mnist('val')", lambda F: kd.mnist('val', root=F.mn['ok']), V, 'split'),
    case('mnist(root=<missing>)', lambda F: kd.mnist('test', root=F.nowhere), FNF, 'root', 'nowhere'),
    case('mnist(root=<a file>)', lambda F: kd.mnist('test', root=F.afile), FNF, 'root', 'afile'),
    case('mnist(<truncated images>)', lambda F: kd.mnist('test', root=F.mn['trunc_images']), V, 't10k-images-idx3-ubyte'),
    case('mnist(<truncated labels>)', lambda F: kd.mnist('test', root=F.mn['trunc_labels']), V, 't10k-labels-idx1-ubyte'),
    case('mnist(<wrong magic>)', lambda F: kd.mnist('test', root=F.mn['bad_magic']), V, 't10k-images-idx3-ubyte'),
    case('mnist(<HTML saved as IDX>)', lambda F: kd.mnist('test', root=F.mn['text_file']), V, 't10k-images-idx3-ubyte'),
    case('mnist(<empty labels file>)', lambda F: kd.mnist('test', root=F.mn['empty_labels']), V, 't10k-labels-idx1-ubyte'),
    case('mnist(<labels file missing>)', lambda F: kd.mnist('test', root=F.mn['missing_labels']), FNF, 't10k-labels-idx1-ubyte'),
    case('mnist(<5 labels for 10 images>)', lambda F: kd.mnist('test', root=F.mn['label_count']), V, 't10k-labels-idx1-ubyte', 'labels'),
    case('mnist(train, <truncated images>)', lambda F: kd.mnist('train', root=F.mn['trunc_images']), V, 'train-images-idx3-ubyte'),
    case('data_root(123)', lambda F: kd.data_root(123), T, 'root'),
    case('TensorLoader()', lambda F: kd.TensorLoader(), V, 'tensors', 'tensor'),
    case('TensorLoader(X, y[:-1])', lambda F: kd.TensorLoader(F.X, F.y[:-1]), V, 'tensors'),
    case('TensorLoader(X[:0])', lambda F: kd.TensorLoader(F.X[:0]), V, 'tensors'),
    case('TensorLoader(batch_size=0)', lambda F: kd.TensorLoader(F.X, batch_size=0), V, 'batch_size'),
    case('TensorLoader(batch_size=2.5)', lambda F: kd.TensorLoader(F.X, batch_size=2.5), T, 'batch_size'),
    case('TensorLoader(batch_size=True)', lambda F: kd.TensorLoader(F.X, batch_size=True), T, 'batch_size'),
    case('TensorLoader(seed=-1)', lambda F: kd.TensorLoader(F.X, seed=-1), V, 'seed'),
    case('plot_yinyang(X, y[:10])', lambda F: kd.plot_yinyang(F.X, F.y[:10]), V, 'y'),
    case('plot_yinyang(X[:, :1], y)', lambda F: kd.plot_yinyang(F.X[:, :1], F.y), V, 'X'),
    case('plot_mnist_grid(X (300, 2))', lambda F: kd.plot_mnist_grid(F.X, F.y), V, 'X'),
    case('plot_mnist_grid(n_per_class=0)', lambda F: kd.plot_mnist_grid(F.X784, F.y10, n_per_class=0), V, 'n_per_class'),
]

@pytest.mark.parametrize('fn,types,names', DATA)
def test_data(F, fn, types, names): expect_error(lambda: fn(F), types, names)

# ================================================================ base_nets
def _nan_head(F):
    m = copy.deepcopy(F.m); m.head.weight.data[:] = NAN
    return kb.capture(m, F.X, ['head'])

BASE_NETS = [
    case('ResMLPConfig(n_in=0)', lambda F: kb.ResMLPConfig(n_in=0), V, 'n_in'),
    case('ResMLPConfig(width=-1)', lambda F: kb.ResMLPConfig(width=-1), V, 'width'),
    case('ResMLPConfig(n_blocks=2.5)', lambda F: kb.ResMLPConfig(n_blocks=2.5), T, 'n_blocks'),
    case('ResMLPConfig(n_classes=1)', lambda F: kb.ResMLPConfig(n_classes=1), V, 'n_classes'),
    case("ResMLPConfig(width='10')", lambda F: kb.ResMLPConfig(width='10'), T, 'width'),
    case("ResMLPConfig(batch_norm='no')", lambda F: kb.ResMLPConfig(batch_norm='no'), T, 'batch_norm'),
    case('ResMLPConfig(n_in=True)', lambda F: kb.ResMLPConfig(n_in=True), T, 'n_in'),
    case('ResMLP(cfg=dict)', lambda F: kb.ResMLP({'width': 4}), T, 'cfg'),
    case('m(zeros(5))', lambda F: F.m(torch.zeros(5)), V, 'x', 'inputs', 'input'),
    case('m(zeros(5, 3))', lambda F: F.m(torch.zeros(5, 3)), V, 'x', 'inputs', 'input'),
    case('TrainConfig(epochs=0)', lambda F: tr(epochs=0), V, 'epochs'),
    case('TrainConfig(epochs=-3)', lambda F: tr(epochs=-3), V, 'epochs'),
    case('TrainConfig(epochs=1.5)', lambda F: tr(epochs=1.5), T, 'epochs'),
    case("TrainConfig(epochs='2')", lambda F: tr(epochs='2'), T, 'epochs'),
    case('TrainConfig(epochs=True)', lambda F: tr(epochs=True), T, 'epochs'),
    case('TrainConfig(lr=-0.1)', lambda F: tr(lr=-0.1), V, 'lr'),
    case('TrainConfig(lr=nan)', lambda F: tr(lr=NAN), V, 'lr'),
    case('TrainConfig(lr=0)', lambda F: tr(lr=0), V, 'lr'),
    case('TrainConfig(batch_size=0)', lambda F: tr(batch_size=0), V, 'batch_size'),
    case('TrainConfig(batch_size=64.0)', lambda F: tr(batch_size=64.0), T, 'batch_size'),
    case('TrainConfig(momentum=-1)', lambda F: tr(momentum=-1), V, 'momentum'),
    case('TrainConfig(weight_decay=-1)', lambda F: tr(weight_decay=-1), V, 'weight_decay'),
    case('TrainConfig(clip=0)', lambda F: tr(clip=0), V, 'clip'),
    case('TrainConfig(warmup=1.5)', lambda F: tr(warmup=1.5), V, 'warmup'),
    case('TrainConfig(shift=-1)', lambda F: tr(shift=-1), V, 'shift'),
    case('TrainConfig(seed=-1)', lambda F: tr(seed=-1), V, 'seed'),
    case('fit(shift=2 on 2-D data)', lambda F: fit_fresh(F, tr(shift=2)), V, 'shift'),
    case('fit(tcfg=dict)', lambda F: fit_fresh(F, {'lr': 0.1, 'epochs': 1}), T, 'tcfg'),
    case("fit(model='m')", lambda F: kb.fit('m', tr(), (F.X, F.y), verbose=False), T, 'model'),
    case('fit(X with NaN)', lambda F: fit_fresh(F, tr(), (nanX(F.X), F.y)), V, 'X'),
    case('fit(X with inf)', lambda F: fit_fresh(F, tr(), (infX(F.X), F.y)), V, 'X'),
    case('fit(y one short)', lambda F: fit_fresh(F, tr(), (F.X, F.y[:-1])), V, 'y'),
    case('fit(label 5 of 3 classes)', lambda F: fit_fresh(F, tr(), (F.X, torch.where(F.y == 2, 5, F.y))), V, 'y'),
    case('fit(label -1)', lambda F: fit_fresh(F, tr(), (F.X, torch.where(F.y == 2, -1, F.y))), V, 'y'),
    case('fit(label -100)', lambda F: fit_fresh(F, tr(), (F.X, torch.where(F.y == 2, -100, F.y))), V, 'y'),
    case('fit(non-integer labels)', lambda F: fit_fresh(F, tr(), (F.X, F.y.float() + 0.5)), V, 'y'),
    case('fit(one example)', lambda F: fit_fresh(F, tr(), (F.X[:1], F.y[:1])), V, 'train'),
    case('fit(no example)', lambda F: fit_fresh(F, tr(), (F.X[:0], F.y[:0])), V, 'train', 'X'),
    case('fit(val labels short)', lambda F: fit_fresh(F, tr(), val=(F.Xt, F.yt[:-5])), V, 'val'),
    case('fit(train=(X,))', lambda F: fit_fresh(F, tr(), (F.X,)), T, 'train'),
    case('fit(train=X)', lambda F: fit_fresh(F, tr(), F.X), T, 'train'),
    case('fit(log_every=0)', lambda F: fit_fresh(F, tr(), log_every=0), V, 'log_every'),
    case("fit(device='gpu')", lambda F: fit_fresh(F, tr(), device='gpu'), V, 'device'),
    case('predict(X with NaN)', lambda F: kb.predict(F.m, nanX(F.X)), V, 'X'),
    case('predict(batch_size=0)', lambda F: kb.predict(F.m, F.X, batch_size=0), V, 'batch_size'),
    case('predict(X[:0])', lambda F: kb.predict(F.m, F.X[:0]), V, 'X'),
    case("predict(model='m')", lambda F: kb.predict('m', F.X), T, 'model'),
    case("predict(X='abc')", lambda F: kb.predict(F.m, 'abc'), T, 'X'),
    case("predict(device='gpu')", lambda F: kb.predict(F.m, F.X, device='gpu'), V, 'device'),
    case('accuracy(pred, y[:1])', lambda F: kb.accuracy(F.y, F.y[:1]), V, 'y'),
    case('accuracy([], [])', lambda F: kb.accuracy([], []), V, 'pred', 'y'),
    case('confusion(n_classes=2, labels up to 2)', lambda F: kb.confusion(F.y, F.y, 2), V, 'n_classes', 'pred', 'y'),
    case('confusion(y-1)', lambda F: kb.confusion(F.y, F.y - 1, 3), V, 'y'),
    case('confusion(n_classes=0)', lambda F: kb.confusion(F.y, F.y, 0), V, 'n_classes'),
    case('triangular_lr(n_steps=0)', lambda F: kb.triangular_lr(0, 0, 0.1), V, 'n_steps'),
    case('triangular_lr(step=-1)', lambda F: kb.triangular_lr(-1, 10, 0.1), V, 'step'),
    case('triangular_lr(warmup=2)', lambda F: kb.triangular_lr(0, 10, 0.1, warmup=2), V, 'warmup'),
    case('triangular_lr(peak=nan)', lambda F: kb.triangular_lr(0, 10, NAN), V, 'peak'),
    case('random_shift(xb (300, 2))', lambda F: kb.random_shift(F.X, 2), V, 'xb'),
    case('random_shift(shift=-1)', lambda F: kb.random_shift(F.X784, -1), V, 'shift'),
    case('config_key(dict)', lambda F: kb.config_key({'a': 1}), T, 'cfg'),
    case('runs_dir(123)', lambda F: kb.runs_dir(123), T, 'path'),
    case('load_checkpoint(<missing>)', lambda F: kb.load_checkpoint(F.nowhere/'ck.pt', F.bcfg), (FNF, CK), 'ck.pt'),
    case('load_checkpoint(<truncated>)', lambda F: kb.load_checkpoint(F.tmp/'ck_trunc.pt', F.bcfg), CK, 'ck_trunc.pt'),
    case('load_checkpoint(<tampered weights>)', lambda F: kb.load_checkpoint(F.tmp/'ck_tampered.pt', F.bcfg), CK, 'ck_tampered.pt'),
    case('load_checkpoint(<other config>)', lambda F: kb.load_checkpoint(F.ckpt, replace(F.bcfg, name='x')), CK, 'config', 'cfg'),
    case('save_checkpoint(<a folder>)', lambda F: kb.save_checkpoint(F.tmp, F.m.state_dict(), F.bcfg), V, 'path'),
    case('save_checkpoint(cfg=dict)', lambda F: kb.save_checkpoint(F.tmp/'x.pt', F.m.state_dict(), {'a': 1}), T, 'cfg'),
    case("save_checkpoint(state='s')", lambda F: kb.save_checkpoint(F.tmp/'x.pt', 's', F.bcfg), T, 'state'),
    case("resolve_layers(['nope'])", lambda F: kb.resolve_layers(F.m, ['nope']), V, 'nope'),
    case('resolve_layers([])', lambda F: kb.resolve_layers(F.m, []), (V, T), 'layers'),
    case('resolve_layers(5)', lambda F: kb.resolve_layers(F.m, 5), T, 'layers'),
    case('resolve_layers([foreign module])', lambda F: kb.resolve_layers(F.m, [nn.Linear(2, 2)]), V, 'layers'),
    case("resolve_layers(model='m')", lambda F: kb.resolve_layers('m'), T, 'model'),
    case('capture(X with NaN)', lambda F: kb.capture(F.m, nanX(F.X)), V, 'X'),
    case('capture(X[:0])', lambda F: kb.capture(F.m, F.X[:0]), V, 'X'),
    case('capture(batch_size=0)', lambda F: kb.capture(F.m, F.X, batch_size=0), V, 'batch_size'),
    case("capture(reduce='max')", lambda F: kb.capture(F.m, F.X, reduce='max'), V, 'reduce'),
    case('capture(output=5)', lambda F: kb.capture(F.m, F.X, output=5), V, 'output'),
    case('capture(call=3)', lambda F: kb.capture(F.m, F.X, call=3), V, 'call'),
    case('capture(zeros(5))', lambda F: kb.capture(F.m, torch.zeros(5)), V, 'X', 'x', 'input', 'inputs'),
    case("capture(['blocks.9'])", lambda F: kb.capture(F.m, F.X, ['blocks.9']), V, 'blocks.9'),
    case("capture(head gives NaN)", _nan_head, V, 'head'),
    case("capture(device='gpu')", lambda F: kb.capture(F.m, F.X, device='gpu'), V, 'device'),
    case('Preprocessor(alpha=2)', lambda F: kb.Preprocessor(alpha=2), V, 'alpha'),
    case('Preprocessor(alpha=nan)', lambda F: kb.Preprocessor(alpha=NAN), V, 'alpha'),
    case('Preprocessor(norm=0)', lambda F: kb.Preprocessor(norm=0), V, 'norm'),
    case('Preprocessor(norm=inf)', lambda F: kb.Preprocessor(norm=INF), V, 'norm'),
    case('Preprocessor(pca_dim=0)', lambda F: kb.Preprocessor(pca_dim=0), V, 'pca_dim'),
    case('Preprocessor(pca_dim=2.5)', lambda F: kb.Preprocessor(pca_dim=2.5), (V, T), 'pca_dim'),
    case("Preprocessor(pca_dim='AUTO')", lambda F: kb.Preprocessor(pca_dim='AUTO'), V, 'pca_dim'),
    case("Preprocessor(align='no')", lambda F: kb.Preprocessor(align='no'), T, 'align'),
    case('Preprocessor(shared=1)', lambda F: kb.Preprocessor(shared=1), T, 'shared'),
    case("Preprocessor(norm_rows='no')", lambda F: kb.Preprocessor(norm_rows='no'), T, 'norm_rows'),
    case('Preprocessor.fit({})', lambda F: kb.Preprocessor().fit({}), V, 'reps'),
    case('Preprocessor.fit([X, X])', lambda F: kb.Preprocessor().fit([F.X, F.X]), T, 'reps'),
    case('Preprocessor.fit(NaN rows)', lambda F: kb.Preprocessor().fit({'a': nanX(F.X), 'b': F.X}), V, 'reps', 'a'),
    case('Preprocessor.fit(one row)', lambda F: kb.Preprocessor().fit({'a': F.X[:1], 'b': F.X[:1]}), V, 'reps'),
    case('Preprocessor.fit(rows differ)', lambda F: kb.Preprocessor().fit({'a': F.X, 'b': F.X[:10]}), V, 'reps'),
    case('Preprocessor.fit(1-D values)', lambda F: kb.Preprocessor().fit({'a': torch.zeros(10), 'b': torch.zeros(10)}), V, 'reps', 'a'),
    case('Preprocessor(pca_dim=9).fit(width 8)', lambda F: kb.Preprocessor(pca_dim=9).fit(F.reps), V, 'pca_dim'),
    case('Preprocessor(shared).fit(widths differ)', lambda F: kb.Preprocessor(shared=True).fit({'a': F.reps['input_layer'], 'b': F.X}), V, 'shared'),
    case("transform(layer='nope')", lambda F: F.pre.transform(F.reps['input_layer'], 'nope'), V, 'layer', 'nope'),
    case('transform(wrong width)', lambda F: F.pre.transform(F.reps['input_layer'][:, :3], 'input_layer'), V, 'x', 'input_layer'),
    case('transform(NaN rows)', lambda F: F.pre.transform(nanX(F.reps['input_layer']), 'input_layer'), V, 'x', 'input_layer'),
    case('Preprocessor.from_state_dict({})', lambda F: kb.Preprocessor.from_state_dict({}), V, 'state'),
    case('auto_pca_dim([])', lambda F: kb.auto_pca_dim([]), V, 'dims'),
]

@pytest.mark.parametrize('fn,types,names', BASE_NETS)
def test_base_nets(F, fn, types, names): expect_error(lambda: fn(F), types, names)

# ================================================================ koopman_ae
def _save_existing(F):
    before = F.sur_path.read_bytes()
    try: return F.sur.save(F.sur_path)
    finally: assert F.sur_path.read_bytes() == before, 'the existing file was overwritten'

KOOPMAN_AE = [
    case('KAEConfig(dim=0)', lambda F: kk.KAEConfig(dim=0), V, 'dim'),
    case('KAEConfig(dim=2.5)', lambda F: kk.KAEConfig(dim=2.5), T, 'dim'),
    case('KAEConfig(dim=True)', lambda F: kk.KAEConfig(dim=True), T, 'dim'),
    case('KAEConfig(k=0)', lambda F: kk.KAEConfig(k=0), V, 'k'),
    case("KAEConfig(operator='EXP')", lambda F: kk.KAEConfig(operator='EXP'), V, 'operator'),
    case('KAEConfig(hidden=30)', lambda F: kk.KAEConfig(hidden=30), T, 'hidden'),
    case('KAEConfig(hidden=(0,))', lambda F: kk.KAEConfig(hidden=(0,)), V, 'hidden'),
    case("KAEConfig(hidden='30')", lambda F: kk.KAEConfig(hidden='30'), T, 'hidden'),
    case('KAEConfig(n_obs=0)', lambda F: kk.KAEConfig(n_obs=0), V, 'n_obs'),
    case('KoopmanAE(dim=None)', lambda F: kk.KoopmanAE(kk.KAEConfig()), V, 'dim'),
    case('kae(states of width 3)', lambda F: F.kae(torch.zeros(4, 3)), V, 'x0'),
    case('operator(t=0.5) of a free K', lambda F: kk.KoopmanAE(kk.KAEConfig(dim=3, operator='free')).operator(0.5), V, 't'),
    case('operator(t=nan)', lambda F: F.kae.operator(NAN), V, 't'),
    case('kae.rollout(n_steps=-1)', lambda F: F.kae.rollout(F.Z[:5, 0], n_steps=-1), V, 'n_steps'),
    case('kae.rollout(n_steps=2.5)', lambda F: F.kae.rollout(F.Z[:5, 0], n_steps=2.5), T, 'n_steps'),
    case('KAETrainConfig(epochs=0)', lambda F: ktr(epochs=0), V, 'epochs'),
    case('KAETrainConfig(lr=nan)', lambda F: ktr(lr=NAN), V, 'lr'),
    case('KAETrainConfig(lr=-1)', lambda F: ktr(lr=-1), V, 'lr'),
    case('KAETrainConfig(lr=inf)', lambda F: ktr(lr=INF), V, 'lr'),
    case("KAETrainConfig(lr='0.1')", lambda F: ktr(lr='0.1'), T, 'lr'),
    case('KAETrainConfig(epochs=2.5)', lambda F: ktr(epochs=2.5), T, 'epochs'),
    case("KAETrainConfig(epochs='5')", lambda F: ktr(epochs='5'), T, 'epochs'),
    case('KAETrainConfig(epochs=True)', lambda F: ktr(epochs=True), T, 'epochs'),
    case('KAETrainConfig(batch_size=0)', lambda F: ktr(batch_size=0), V, 'batch_size'),
    case('KAETrainConfig(batch_size=2.5)', lambda F: ktr(batch_size=2.5), T, 'batch_size'),
    case("KAETrainConfig(pairs='some')", lambda F: ktr(pairs='some'), V, 'pairs'),
    case('KAETrainConfig(lam_head=-1)', lambda F: ktr(lam_head=-1), V, 'lam_head'),
    case('KAETrainConfig(lam_recon=-1)', lambda F: ktr(lam_recon=-1), V, 'lam_recon'),
    case('KAETrainConfig(lam_dist=nan)', lambda F: ktr(lam_dist=NAN), V, 'lam_dist'),
    case('KAETrainConfig(lam_state=inf)', lambda F: ktr(lam_state=INF), V, 'lam_state'),
    case('KAETrainConfig(lam_linear=-0.5)', lambda F: ktr(lam_linear=-0.5), V, 'lam_linear'),
    case('KAETrainConfig(weight_decay=-1)', lambda F: ktr(weight_decay=-1), V, 'weight_decay'),
    case('KAETrainConfig(warmup=2)', lambda F: ktr(warmup=2), V, 'warmup'),
    case('KAETrainConfig(dist_points=0)', lambda F: ktr(dist_points=0), V, 'dist_points'),
    case('KAETrainConfig(dist_points=-5)', lambda F: ktr(dist_points=-5), V, 'dist_points'),
    case('KAETrainConfig(seed=-1)', lambda F: ktr(seed=-1), V, 'seed'),
    case('fit_kae(Z 2-D)', lambda F: kfit(F, F.Z[:, 0]), V, 'Z'),
    case('fit_kae(Z with NaN)', lambda F: kfit(F, nanX(F.Z)), V, 'Z'),
    case('fit_kae(Z of width 3)', lambda F: kfit(F, F.Z[..., :3]), V, 'Z'),
    case('fit_kae(Z[:0])', lambda F: kfit(F, F.Z[:0]), V, 'Z'),
    case('fit_kae(callback=5)', lambda F: kfit(F, F.Z, callback=5), T, 'callback'),
    case('fit_kae(tcfg=dict)', lambda F: kfit(F, F.Z, tcfg={'epochs': 1}), T, 'tcfg'),
    case("fit_kae(kae='kae')", lambda F: kk.fit_kae('kae', ktr(epochs=1), F.Z, verbose=False), T, 'kae'),
    case('fit_kae(lam_head=1, no readout)', lambda F: kfit(F, F.Z, tcfg=ktr(epochs=1, lam_head=1.0)), V, 'readout'),
    case('layer_times(n_layers=1)', lambda F: kk.layer_times(1, 10), V, 'n_layers'),
    case("layer_pairs(scheme='bogus')", lambda F: kk.layer_pairs(3, 'bogus'), V, 'scheme'),
    case('fit_kaes([], [])', lambda F: kk.fit_kaes([], [], F.Z, verbose=False), V, 'kaes'),
    case('fit_kaes(recipes differ)', lambda F: kk.fit_kaes([copy.deepcopy(F.kae) for _ in range(2)], [ktr(epochs=1), ktr(epochs=1, lr=0.2)], F.Z, verbose=False), V, 'tcfgs'),
    case('fit_kaes(1 KAE, 2 recipes)', lambda F: kk.fit_kaes([copy.deepcopy(F.kae)], [ktr(epochs=1), ktr(epochs=1, seed=3)], F.Z, verbose=False), V, 'kaes', 'tcfgs'),
    case("freeze_parts('bogus')", lambda F: kk.freeze_parts(copy.deepcopy(F.kae), 'bogus'), V, 'parts', 'freeze'),
    case('StackedKAE([])', lambda F: kk.StackedKAE([]), V, 'kaes'),
    case("fit_surrogate(model='model')", lambda F: sur_fit(F, model='model'), T, 'model'),
    case('fit_surrogate(X with NaN)', lambda F: sur_fit(F, nanX(F.X)), V, 'X'),
    case('fit_surrogate(X with inf)', lambda F: sur_fit(F, infX(F.X)), V, 'X'),
    case('fit_surrogate(X[:1])', lambda F: sur_fit(F, F.X[:1]), V, 'X'),
    case('fit_surrogate(X[:0])', lambda F: sur_fit(F, F.X[:0]), V, 'X'),
    case('fit_surrogate(identical points)', lambda F: sur_fit(F, F.X[:1].repeat(50, 1)), V, 'X'),
    case('fit_surrogate(X[:, :1])', lambda F: sur_fit(F, F.X[:, :1]), V, 'X', 'inputs'),
    case('fit_surrogate(X[:, 0])', lambda F: sur_fit(F, F.X[:, 0]), V, 'X', 'inputs'),
    case("fit_surrogate(layers=['nope','head'])", lambda F: sur_fit(F, layers=['nope', 'head']), V, 'nope'),
    case("fit_surrogate(layers=['input_layer'])", lambda F: sur_fit(F, layers=['input_layer']), V, 'layers'),
    case("fit_surrogate(head='nope')", lambda F: sur_fit(F, head='nope'), V, 'head'),
    case('fit_surrogate(head=Linear(5, 3))', lambda F: sur_fit(F, head=nn.Linear(5, 3)), V, 'head'),
    case('fit_surrogate(head=5)', lambda F: sur_fit(F, head=5), T, 'head'),
    case('fit_surrogate(kae_cfg dim=3)', lambda F: sur_fit(F, kae_cfg=kk.KAEConfig(dim=3)), V, 'kae_cfg', 'dim'),
    case('fit_surrogate(kae_cfg=dict)', lambda F: sur_fit(F, kae_cfg={'k': 3}), T, 'kae_cfg'),
    case("fit_surrogate(train_cfg={'epochs': 0})", lambda F: sur_fit(F, train_cfg={'epochs': 0}), V, 'epochs'),
    case("fit_surrogate(train_cfg={'bogus': 1})", lambda F: sur_fit(F, train_cfg={'bogus': 1}), (T, V), 'bogus'),
    case("fit_surrogate(train_cfg='fast')", lambda F: sur_fit(F, train_cfg='fast'), T, 'train_cfg'),
    case("fit_surrogate(train_cfg={'seed': -1})", lambda F: sur_fit(F, train_cfg={'seed': -1, 'epochs': 1}), V, 'seed'),
    case("fit_surrogate(train_cfg={'lr': nan})", lambda F: sur_fit(F, train_cfg={'lr': NAN, 'epochs': 1}), V, 'lr'),
    case('fit_surrogate(pca_dim=100)', lambda F: sur_fit(F, pca_dim=100), V, 'pca_dim'),
    case("fit_surrogate(device='gpu')", lambda F: sur_fit(F, device='gpu'), V, 'device'),
    case('fit_surrogate(callback=5)', lambda F: sur_fit(F, callback=5), T, 'callback'),
    case("fit_surrogate(reduce='max')", lambda F: sur_fit(F, reduce='max'), V, 'reduce'),
    case("fit_surrogate(freeze=('bogus',))", lambda F: sur_fit(F, freeze=('bogus',)), V, 'freeze', 'parts'),
    case('fit_surrogates(train_cfgs=[])', lambda F: kk.fit_surrogates(F.m, F.X, None, [], verbose=False), V, 'train_cfgs'),
    case('fit_surrogates(recipes differ)', lambda F: kk.fit_surrogates(F.m, F.X, None, [{'epochs': 1, 'lr': 0.1}, {'epochs': 1, 'lr': 0.2}], verbose=False), V, 'train_cfgs'),
    case('sur.predict(X with NaN)', lambda F: F.sur.predict(nanX(F.X)), V, 'X'),
    case('sur.predict(zeros(5, 3))', lambda F: F.sur.predict(torch.zeros(5, 3)), V, 'X', 'inputs'),
    case('sur.predict()', lambda F: F.sur.predict(), (V, T), 'X', 'z0'),
    case('sur.predict(z0 of width 3)', lambda F: F.sur.predict(z0=torch.zeros(5, 3)), V, 'z0'),
    case('sur.predict(z0 with NaN)', lambda F: F.sur.predict(z0=nanX(F.Z[:, 0])), V, 'z0'),
    case('sur.score(y[:-1])', lambda F: F.sur.score(F.X, F.y[:-1]), V, 'y'),
    case('sur.score(one-hot y)', lambda F: F.sur.score(F.X, nn.functional.one_hot(F.y, 3)), V, 'y'),
    case('sur.rollout(n_steps=-1)', lambda F: F.sur.rollout(F.X, n_steps=-1), V, 'n_steps'),
    case('sur.eig(t=0.5) of a free K', lambda F: F.sur.eig(t=0.5), V, 't'),
    case("with_dynamics(sur, 'x')", lambda F: kk.with_dynamics(F.sur, 'x').predict(F.X), T, 'dynamics'),
    case('LinearMap(Z0 with NaN)', lambda F: kk.LinearMap(nanX(F.Z[:, 0]), F.Z[:, -1]), V, 'Z0'),
    case('LinearMap(rows differ)', lambda F: kk.LinearMap(F.Z[:, 0], F.Z[:5, -1]), V, 'Z0', 'ZL'),
    case("model_fingerprint('m')", lambda F: kk.model_fingerprint('m'), T, 'model'),
    case('auto_train_config(Z 2-D)', lambda F: kk.auto_train_config(F.Z[:, 0], kk.DEFAULT_KAE.resolve(F.Z.shape[2])), V, 'Z'),
    case('surrogate_metrics(y[:10])', lambda F: kk.surrogate_metrics(F.sur, F.X, F.y[:10], 3), V, 'y'),
    case('sur.save(<existing file>)', _save_existing, FileExistsError, 'path', 'overwrite'),
    case('sur.save(<a folder>, overwrite=True)', lambda F: F.sur.save(F.corrupt_dir, overwrite=True), V, 'path'),
    case('with_dynamics(sur, Identity()).save', lambda F: kk.with_dynamics(F.sur, kk.Identity()).save(F.tmp/'id.pt'), T, 'dynamics'),
    case('Surrogate.load(<missing>)', lambda F: kk.Surrogate.load(F.nowhere/'s.pt', F.m), FNF, 's.pt'),
    case('Surrogate.load(<a folder>)', lambda F: kk.Surrogate.load(F.tmp, F.m), (FNF, V), 'path'),
    case('Surrogate.load(<truncated>)', lambda F: kk.Surrogate.load(F.tmp/'sur_trunc.pt', F.m), CK, 'sur_trunc.pt'),
    case('Surrogate.load(<random bytes>)', lambda F: kk.Surrogate.load(F.tmp/'sur_garbage.pt', F.m), CK, 'sur_garbage.pt'),
    case('Surrogate.load(<empty file>)', lambda F: kk.Surrogate.load(F.tmp/'sur_empty.pt', F.m), CK, 'sur_empty.pt'),
    case('Surrogate.load(<tampered tensors>)', lambda F: kk.Surrogate.load(F.tmp/'sur_tampered.pt', F.m), CK, 'sur_tampered.pt'),
    case('Surrogate.load(<other format>)', lambda F: kk.Surrogate.load(F.tmp/'sur_format.pt', F.m), CK, 'sur_format.pt'),
    case('Surrogate.load(<unknown KAE field>)', lambda F: kk.Surrogate.load(F.tmp/'sur_badmeta.pt', F.m), (CK, V), 'sur_badmeta.pt'),
    case('Surrogate.load(<KAE k=0>)', lambda F: kk.Surrogate.load(F.tmp/'sur_badk.pt', F.m), (CK, V), 'sur_badk.pt'),
    case('Surrogate.load(<other network>)', lambda F: kk.Surrogate.load(F.sur_path, F.other_m), V, 'model'),
    case('Surrogate.load(<other width>, check_model=False)', lambda F: kk.Surrogate.load(F.sur_path, kb.ResMLP(kb.ResMLPConfig(2, 4, 2, 3)), check_model=False), V, 'model'),
    case("Surrogate.load(model='m')", lambda F: kk.Surrogate.load(F.sur_path, 'm'), T, 'model'),
]

@pytest.mark.parametrize('fn,types,names', KOOPMAN_AE)
def test_koopman_ae(F, fn, types, names): expect_error(lambda: fn(F), types, names)

# ================================================================ topology
def _ref_path(F):
    ref = {0: F.X[:20].numpy(), 10: F.X[20:40].numpy()}
    return kt.path_distances(ref, {0: F.X[:20].numpy(), 5: F.X[20:40].numpy()})

TOPOLOGY = [
    case('check_cloud(NaN)', lambda F: kt.check_cloud(nanX(F.X)), V, 'X'),
    case('check_cloud(one point)', lambda F: kt.check_cloud(F.X[:1]), V, 'X'),
    case('check_cloud(1-D)', lambda F: kt.check_cloud(F.X[:, 0]), V, 'X'),
    case('check_cloud(strings)', lambda F: kt.check_cloud([['a', 'b'], ['c', 'd']]), T, 'X'),
    case('diagrams(n_points=0)', lambda F: kt.diagrams(F.X, n_points=0), V, 'n_points'),
    case('diagrams(n_points=-1)', lambda F: kt.diagrams(F.X, n_points=-1), V, 'n_points'),
    case('diagrams(n_points=1)', lambda F: kt.diagrams(F.X, n_points=1), V, 'n_points'),
    case('diagrams(n_points=2.5)', lambda F: kt.diagrams(F.X, n_points=2.5), T, 'n_points'),
    case('diagrams(maxdim=-1)', lambda F: kt.diagrams(F.X[:50], maxdim=-1), V, 'maxdim'),
    case('diagrams(maxdim=1.5)', lambda F: kt.diagrams(F.X[:50], maxdim=1.5), T, 'maxdim'),
    case('diagrams(seed=-1)', lambda F: kt.diagrams(F.X, n_points=20, seed=-1), V, 'seed'),
    case('diagrams(X with inf)', lambda F: kt.diagrams(infX(F.X)), V, 'X'),
    case('betti_curve(eps=[-1, 0.1])', lambda F: kt.betti_curve(F.dgm, [-1, 0.1]), V, 'eps', 'ε'),
    case('betti_curve(eps=[nan])', lambda F: kt.betti_curve(F.dgm, [NAN]), V, 'eps', 'ε'),
    case('betti_curve(dgm 1-D)', lambda F: kt.betti_curve(np.zeros(4), [0.1]), V, 'dgm'),
    case('betti(eps=-1)', lambda F: kt.betti(F.dgm, -1), V, 'eps', 'ε'),
    case('pairwise_distances(block=0)', lambda F: kt.pairwise_distances(F.X, block=0), V, 'block'),
    case('pairwise_distances(NaN)', lambda F: kt.pairwise_distances(nanX(F.X)), V, 'X'),
    case('h0_deaths(NaN)', lambda F: kt.h0_deaths(nanX(F.X)), V, 'X'),
    case('h0_deaths(D wrong shape)', lambda F: kt.h0_deaths(F.X[:10], D=np.zeros((3, 3))), V, 'D'),
    case('h0_deaths(D not of X)', lambda F: kt.h0_deaths(F.X[:10], D=np.ones((10, 10)) - np.eye(10)), V, 'D'),
    case('h0_deaths(D with NaN)', lambda F: kt.h0_deaths(F.X[:10], D=np.full((10, 10), NAN)), V, 'D'),
    case('mst_edges(k=0)', lambda F: kt.mst_edges(F.X[:50], k=0), V, 'k'),
    case('mst_edges(k=-1)', lambda F: kt.mst_edges(F.X[:50], k=-1), V, 'k'),
    case('mst_edges(block=0)', lambda F: kt.mst_edges(F.X[:50], block=0, store_bytes=0), V, 'block'),
    case('mst_edges(NaN)', lambda F: kt.mst_edges(nanX(F.X[:50])), V, 'X'),
    case('betti0_curve(eps=[-1])', lambda F: kt.betti0_curve(np.array([0.1, 0.2]), [-1]), V, 'eps', 'ε'),
    case('cap_infinite(dgm 1-D)', lambda F: kt.cap_infinite(np.zeros(3), 1.0), V, 'dgm'),
    case('cap_infinite(cap=nan)', lambda F: kt.cap_infinite(F.dgm, NAN), V, 'cap'),
    case('h0_bottleneck(a=[nan])', lambda F: kt.h0_bottleneck([NAN], [1.0]), V, 'a'),
    case('h0_bottleneck(b=[inf])', lambda F: kt.h0_bottleneck([1.0], [INF]), V, 'b'),
    case("diagram_distance(metric='foo')", lambda F: kt.diagram_distance(np.zeros((1, 2)), np.zeros((1, 2)), 'foo'), V, 'metric'),
    case('diagram_distance(d1 with NaN)', lambda F: kt.diagram_distance(np.array([[0.0, NAN]]), np.array([[0.0, 1.0]])), V, 'd1'),
    case('diagram_distance(inf_cap=-1)', lambda F: kt.diagram_distance(np.array([[0.0, INF]]), np.array([[0.0, 1.0], [0, INF]]), inf_cap=-1), V, 'inf_cap'),
    case('diagram_distance(1-D diagrams)', lambda F: kt.diagram_distance(np.zeros(2), np.zeros(2)), V, 'd1'),
    case('max_persistence(dgm 1-D)', lambda F: kt.max_persistence(np.zeros(2)), V, 'dgm'),
    case('path_diagrams(y[:10])', lambda F: kt.path_diagrams({'L0': F.X[:50]}, F.y[:10], workers=1), V, 'y'),
    case('path_diagrams(NaN state)', lambda F: kt.path_diagrams({'L0': nanX(F.X[:50])}, workers=1), V, 'L0', 'states'),
    case('path_diagrams(workers=-3)', lambda F: kt.path_diagrams({'L0': F.X[:30], 'L1': F.X[:30]}, workers=-3), V, 'workers'),
    case('path_diagrams({})', lambda F: kt.path_diagrams({}, workers=1), V, 'states'),
    case('beta0_summary(eps0=-1)', lambda F: kt.beta0_summary(F.X[:50], -1, [0.1]), V, 'eps0'),
    case('beta0_summary(y[:10])', lambda F: kt.beta0_summary(F.X[:50].numpy(), 0.1, [0.1], F.y[:10].numpy()), V, 'y'),
    case('network_and_surrogate_paths(every=0)', lambda F: kt.network_and_surrogate_paths(F.sur, F.X[:30], every=0), V, 'every'),
    case('network_and_surrogate_paths(every=-1)', lambda F: kt.network_and_surrogate_paths(F.sur, F.X[:30], every=-1), V, 'every'),
    case('network_and_surrogate_paths(NaN)', lambda F: kt.network_and_surrogate_paths(F.sur, nanX(F.X)), V, 'X'),
    case('nearest_iterates(no iterates)', lambda F: kt.nearest_iterates([kt.diagrams(F.X[:20])], []), V, 'iterate_dgms'),
    case('subsample(seed=-1)', lambda F: kt.subsample(F.X.numpy(), 10, seed=-1), V, 'seed'),
    case('subsample(n_points=0)', lambda F: kt.subsample(F.X.numpy(), 0), V, 'n_points'),
    case('interpolation_path(shapes differ)', lambda F: kt.interpolation_path(F.X, F.X[:5], [0, 1], 2), V, 'X0', 'X1'),
    case('interpolation_path(k=0)', lambda F: kt.interpolation_path(F.X, F.X, [0, 1], 0), V, 'k'),
    case('path_distances(times differ)', _ref_path, V, 'path'),
]

@pytest.mark.parametrize('fn,types,names', TOPOLOGY)
def test_topology(F, fn, types, names): expect_error(lambda: fn(F), types, names)

# ================================================================ unlearning
UNLEARNING = [
    case('unlearn(c=5)', lambda F: unl(F, 5), V, 'c'),
    case('unlearn(c=-1)', lambda F: unl(F, -1), V, 'c'),
    case('unlearn(c=1.0)', lambda F: unl(F, 1.0), T, 'c'),
    case('unlearn(c=True)', lambda F: unl(F, True), T, 'c'),
    case('unlearn(class absent, joint)', lambda F: unl(F, 2, y=without(F.y, 2)), V, 'c'),
    case('unlearn(class absent, paper)', lambda F: unl(F, 2, 'paper', y=without(F.y, 2)), V, 'c'),
    case("unlearn(method='bogus')", lambda F: unl(F, 2, 'bogus'), V, 'method'),
    case('unlearn(y_train one short)', lambda F: unl(F, 2, y=F.y[:-1]), V, 'y_train'),
    case('unlearn(y_train non-integer)', lambda F: unl(F, 2, y=F.y.float() + 0.5), V, 'y_train'),
    case('unlearn(X_train with NaN)', lambda F: unl(F, 2, X=nanX(F.X)), V, 'X_train', 'X'),
    case('unlearn(X_train with inf, paper)', lambda F: unl(F, 2, 'paper', X=infX(F.X)), V, 'X_train', 'X'),
    case('unlearn(every label is c)', lambda F: unl(F, 2, y=torch.full_like(F.y, 2)), V, 'y_train'),
    case('unlearn(one example)', lambda F: unl(F, 2, X=F.X[:1], y=F.y[:1]), V, 'X_train', 'y_train', 'c'),
    case("unlearn(sur='sur')", lambda F: unl(F, 2, sur='sur'), T, 'sur'),
    case('unlearn(n_iter=0)', lambda F: unl(F, 2, n_iter=0), V, 'n_iter'),
    case('unlearn(boost=1)', lambda F: unl(F, 2, boost=1), V, 'boost'),
    case('unlearn(rho=-1, joint)', lambda F: unl(F, 2, rho=-1), V, 'rho'),
    case('unlearn(rho=-1, paper)', lambda F: unl(F, 2, 'paper', rho=-1), V, 'rho'),
    case('unlearn(rho=nan, paper)', lambda F: unl(F, 2, 'paper', rho=NAN), V, 'rho'),
    case('unlearn(confident=1.5)', lambda F: unl(F, 2, confident=1.5), V, 'confident'),
    case('unlearn(max_points=0)', lambda F: unl(F, 2, max_points=0), V, 'max_points'),
    case('unlearn(max_points=-5)', lambda F: unl(F, 2, max_points=-5), V, 'max_points'),
    case('unlearn(bogus=1)', lambda F: unl(F, 2, bogus=1), (T, V), 'bogus'),
    case("unlearn(paper, harmful='x')", lambda F: unl(F, 2, 'paper', harmful='x'), V, 'harmful'),
    case("unlearn(paper, target='x')", lambda F: unl(F, 2, 'paper', target='x'), V, 'target'),
    case('unlearn(paper, tol=-1)', lambda F: unl(F, 2, 'paper', tol=-1), V, 'tol'),
    case('unlearn(forget_weight=-1)', lambda F: unl(F, 2, forget_weight=-1), V, 'forget_weight'),
    case('unlearn(max_weight=0.5)', lambda F: unl(F, 2, max_weight=0.5), V, 'max_weight'),
    case("unlearn(trace='x')", lambda F: unl(F, 2, trace='x'), T, 'trace'),
    case('unlearn(class absent, margin)', lambda F: unl(F, 2, 'margin', y=without(F.y, 2)), V, 'c'),
    case('unlearn(X_train with NaN, margin)', lambda F: unl(F, 2, 'margin', X=nanX(F.X)), V, 'X_train', 'X'),
    case('unlearn(margin=-1)', lambda F: unl(F, 2, 'margin', margin=-1), V, 'margin'),
    case('unlearn(margin=inf)', lambda F: unl(F, 2, 'margin', margin=float('inf')), V, 'margin'),
    case("unlearn(margin='2')", lambda F: unl(F, 2, 'margin', margin='2'), T, 'margin'),
    case('unlearn(retain_weight=nan)', lambda F: unl(F, 2, 'margin', retain_weight=NAN), V, 'retain_weight'),
    case('unlearn(steps=0, margin)', lambda F: unl(F, 2, 'margin', steps=0), V, 'steps'),
    case('unlearn(batch_size=0, margin)', lambda F: unl(F, 2, 'margin', batch_size=0), V, 'batch_size'),
    case('unlearn(lr=0, margin)', lambda F: unl(F, 2, 'margin', lr=0), V, 'lr'),
    case('unlearn(max_points=0, margin)', lambda F: unl(F, 2, 'margin', max_points=0), V, 'max_points'),
    case('unlearn(boost=2, margin)', lambda F: unl(F, 2, 'margin', boost=2.0), (T, V), 'boost'),
    case("unlearn(trace='x', margin)", lambda F: unl(F, 2, 'margin', trace='x'), T, 'trace'),
    case("ridge_edit(form='bogus')", lambda F: ku.ridge_edit(F.Kk, F.Obs[:5] @ F.Kk, F.Obs[:5] @ F.Kk, F.Obs[5:], form='bogus'), V, 'form'),
    case('ridge_edit(H, T shapes differ)', lambda F: ku.ridge_edit(F.Kk, F.Obs[:5], F.Obs[:4], F.Obs[5:]), V, 'H', 'T'),
    case('ridge_edit(rho=-1)', lambda F: ku.ridge_edit(F.Kk, F.Obs[:5], F.Obs[:5], F.Obs[5:], rho=-1), V, 'rho'),
    case('paper_edit(rho=0)', lambda F: ku.paper_edit(F.Obs, F.Kk, F.y, 2, rho=0), V, 'rho'),
    case('paper_edit(y[:-10])', lambda F: ku.paper_edit(F.Obs, F.Kk, F.y[:-10], 2), V, 'y'),
    case("harmful_mask(variant='x')", lambda F: ku.harmful_mask(F.Obs, F.y, 2, 'x'), V, 'variant'),
    case("harmful_mask(c=7, 'medoid_ball')", lambda F: ku.harmful_mask(F.Obs, F.y, 7, 'medoid_ball'), V, 'c'),
    case('stratified_subsample(n=0)', lambda F: ku.stratified_subsample(F.y, 0), V, 'n'),
    case('stratified_subsample(n=-10)', lambda F: ku.stratified_subsample(F.y, -10), V, 'n'),
    case('forget_metrics(c=7)', lambda F: ku.forget_metrics(F.y, F.y, 7), V, 'c'),
    case('forget_metrics(y one short)', lambda F: ku.forget_metrics(F.y, F.y[:-1], 2), V, 'y'),
    case('auc(pos=[])', lambda F: ku.auc([], [0.5]), V, 'pos'),
    case('auc(neg=[])', lambda F: ku.auc([0.5], []), V, 'neg'),
    case('auc(pos with NaN)', lambda F: ku.auc([NAN, 1.0], [0.5]), V, 'pos'),
    case('mia_score(c=7)', lambda F: ku.mia_score(F.sur.logits, F.X, F.Xt, 7), V, 'c'),
    case('edit_cells(classes=[7])', lambda F: ku.edit_cells(F.sur, (F.X, F.y), (F.Xt, F.yt), classes=[7], n_iter=2), V, 'c', 'classes'),
    case('edit_cells(budget_factor=0)', lambda F: ku.edit_cells(F.sur, (F.X, F.y), (F.Xt, F.yt), classes=[2], budget_factor=0, n_iter=2), V, 'budget_factor'),
    case("finetune(model='m')", lambda F: ku.finetune('m', tr(), (F.X, F.y)), T, 'model'),
    case('random_relabel(n_classes=1)', lambda F: ku.random_relabel(F.m, tr(), F.splits, 2, 1), V, 'n_classes'),
    case('random_relabel(c=7)', lambda F: ku.random_relabel(F.m, tr(), F.splits, 7, 3), V, 'c'),
    case('neggrad_plus(c=7)', lambda F: ku.neggrad_plus(F.m, tr(), F.splits, 7), V, 'c'),
    case('neggrad_plus(beta=2)', lambda F: ku.neggrad_plus(F.m, tr(), F.splits, 2, beta=2), V, 'beta'),
    case('neggrad_plus(splits={})', lambda F: ku.neggrad_plus(F.m, tr(), {}, 2), (V, T), 'splits'),
    case('post_image_pca(n=0)', lambda F: ku.post_image_pca(F.sur, {}, F.X, n=0), V, 'n'),
    case('with_operator(Kk 3x3)', lambda F: ku.with_operator(F.sur, F.Kk[:3, :3]).predict(F.X), V, 'Kk'),
    case('with_operator(Kk with NaN)', lambda F: ku.with_operator(F.sur, F.Kk * NAN).predict(F.X), V, 'Kk'),
    case('kstep_matrix(Linear)', lambda F: ku.kstep_matrix(nn.Linear(2, 2)), T, 'kae'),
    case('observables(X with NaN)', lambda F: ku.observables(F.sur, nanX(F.X)), V, 'X'),
]

@pytest.mark.parametrize('fn,types,names', UNLEARNING)
def test_unlearning(F, fn, types, names): expect_error(lambda: fn(F), types, names)

# ================================================================ paper
def _corrupt_cache(F, name):
    d = F.tmp/name; d.mkdir(exist_ok=True)
    (d/f"{F.bcfg.name}-{kb.config_key(F.bcfg)}.pt").write_bytes(b'corrupt')
    return kp.train_or_load(F.bcfg, d, verbose=False)

PAPER = [
    case("load_splits(dataset='cifar')", lambda F: kp.load_splits(replace(F.bcfg, dataset='cifar')), V, 'dataset'),
    case("load_splits(features='rgb')", lambda F: kp.load_splits(replace(F.bcfg, features='rgb')), V, 'features'),
    case('load_splits(mnist, <missing root>)', lambda F: kp.load_splits(replace(F.bcfg, dataset='mnist'), F.nowhere), FNF, 'root', 'nowhere'),
    case('load_splits(mnist, <truncated>)', lambda F: kp.load_splits(replace(F.bcfg, dataset='mnist'), F.mn['trunc_images']), V, 'images-idx3-ubyte'),
    case("train_or_load(on_corrupt='x')", lambda F: kp.train_or_load(F.bcfg, F.tmp, on_corrupt='x'), V, 'on_corrupt'),
    case('train_or_load(<corrupt cached checkpoint>)', lambda F: _corrupt_cache(F, 'p_corrupt'), CK, '.pt'),
    case('load_surrogate(<other network>)', lambda F: kp.load_surrogate(F.psur, F.scfg, F.other_m), V, 'model'),
    case('load_surrogate(<other config>)', lambda F: kp.load_surrogate(F.psur, replace(F.scfg, name='other'), F.m), CK, 'config', 'cfg'),
    case('summary_table({})', lambda F: kp.summary_table({}), V, 'report'),
    case('quick(epochs=0)', lambda F: kp.quick(F.bcfg, 0), V, 'epochs'),
    case('seed_configs(seeds=[-1])', lambda F: kp.seed_configs(kp.YINYANG_KAE, [-1]), V, 'seed', 'seeds'),
    case('seed_configs(seeds=[1.5])', lambda F: kp.seed_configs(kp.YINYANG_KAE, [1.5]), T, 'seed', 'seeds'),
    case('surrogate_path(cache_dir=123)', lambda F: kp.surrogate_path(kp.YINYANG_KAE, 123), T, 'cache_dir', 'path'),
    case("fit_or_load_surrogate(model='m')", lambda F: kp.fit_or_load_surrogate(F.scfg, 'm', F.X, F.tmp/'p_fit', verbose=False), T, 'model'),
    case('AutoTrain(epochs=0)', lambda F: kp.AutoTrain(epochs=0), V, 'epochs'),
    case('AutoTrain(lr=-1)', lambda F: kp.AutoTrain(lr=-1), V, 'lr'),
    case('retrain_base_net(c=7)', lambda F: kp.retrain_base_net(F.bcfg, F.splits, 7), V, 'c'),
    case("compare_methods(methods=('bogus',))", lambda F: kp.compare_methods(F.bcfg, F.m, F.sur, F.splits, 2, tr(), methods=('bogus',)), V, 'methods'),
    case('compare_methods(c=7)', lambda F: kp.compare_methods(F.bcfg, F.m, F.sur, F.splits, 7, tr(), methods=('surrogate',)), V, 'c'),
]

@pytest.mark.parametrize('fn,types,names', PAPER)
def test_paper(F, fn, types, names): expect_error(lambda: fn(F), types, names)

# ================================================================ examples
def toy_fit(F, model, layers=None, **kw):
    return kk.fit_surrogate(model, F.X_toy, layers, verbose=False, train_cfg={'epochs': 1}, **kw)

EXAMPLES = [
    case('toy_images(n=-1)', lambda F: ke.toy_images(-1), V, 'n'),
    case('toy_images(n=2.5)', lambda F: ke.toy_images(2.5), T, 'n'),
    case('toy_images(noise=nan)', lambda F: ke.toy_images(5, noise=NAN), V, 'noise'),
    case('toy_images(noise=-1)', lambda F: ke.toy_images(5, noise=-1), V, 'noise'),
    case('toy_images(seed=-1)', lambda F: ke.toy_images(5, seed=-1), V, 'seed'),
    case('TanhMLP(width=0)', lambda F: ke.TanhMLP(width=0), V, 'width'),
    case('TanhMLP(width=2.5)', lambda F: ke.TanhMLP(width=2.5), T, 'width'),
    case('TupleNet(width=0)', lambda F: ke.TupleNet(width=0), V, 'width'),
    case('SharedNet(width=-1)', lambda F: ke.SharedNet(width=-1), V, 'width'),
    case('TokenNet(dim=0)', lambda F: ke.TokenNet(dim=0), V, 'dim'),
    case('FrozenBNNet(width=0)', lambda F: ke.FrozenBNNet(width=0), V, 'width'),
    case('fit_surrogate(TanhMLP, no default_layers)', lambda F: toy_fit(F, ke.TanhMLP()), V, 'layers'),
    case('fit_surrogate(ConvNet, widths differ, pca_dim=None)', lambda F: toy_fit(F, ke.ConvNet(), ['block1', 'block2', 'block3'], pca_dim=None), V, 'pca_dim'),
    case('fit_surrogate(SharedNet, module called twice)', lambda F: toy_fit(F, ke.SharedNet(), ['inp', 'shared']), V, 'call'),
    case('fit_surrogate(TupleNet, output=1 is the gate)', lambda F: toy_fit(F, ke.TupleNet(), ['inp', 'b1', 'b2'], output=1), V, 'output'),
    case("fit_surrogate(TokenNet, reduce='mean')", lambda F: toy_fit(F, ke.TokenNet(), ['emb', 'enc1', 'enc2'], reduce='mean'), V, 'head'),
    case('save(reduce=callable)', lambda F: toy_fit(F, ke.TanhMLP(), ['l1', 'l2', 'l3'], reduce=lambda h: h).save(F.tmp/'cb.pt'), V, 'capture_kw', 'reduce'),
]

@pytest.mark.parametrize('fn,types,names', EXAMPLES)
def test_examples(F, fn, types, names): expect_error(lambda: fn(F), types, names)

# ================================================================ the model zoo
ZT = kb.TrainConfig(epochs=1)
ZOO = [
    case("zoo_splits('cifar10')", lambda F: kz.zoo_splits('cifar10'), V, 'dataset'),
    case('zoo_splits(n_train=0)', lambda F: kz.zoo_splits('yinyang', n_train=0), V, 'n_train'),
    case('zoo_splits(n_test=2.5)', lambda F: kz.zoo_splits('yinyang', n_test=2.5), T, 'n_test'),
    case("idx_images('fashion_mnist', root=<missing>)", lambda F: kd.idx_images('fashion_mnist', 'test', F.nowhere), FNF, 'dataset-fashion-mnist', 'FashionMNIST'),
    case("ZooConfig(arch='resnet')", lambda F: kz.ZooConfig('resnet', 'mnist', ZT), V, 'arch', 'ZooConfig.arch'),
    case("ZooConfig(dataset='svhn')", lambda F: kz.ZooConfig('mlp', 'svhn', ZT), V, 'dataset', 'ZooConfig.dataset'),
    case("ZooConfig('cnn', 'yinyang')", lambda F: kz.ZooConfig('cnn', 'yinyang', ZT), V, 'arch'),
    case('ZooConfig(train=dict)', lambda F: kz.ZooConfig('mlp', 'mnist', {'lr': 1}), T, 'ZooConfig.train'),
    case('ZooConfig(seeds=[0, 1])', lambda F: kz.ZooConfig('mlp', 'mnist', ZT, seeds=[0, 1]), T, 'ZooConfig.seeds'),
    case('ZooConfig(seeds=(-1,))', lambda F: kz.ZooConfig('mlp', 'mnist', ZT, seeds=(-1,)), V, 'seeds'),
    case('ZooConfig(n_topology=1)', lambda F: kz.ZooConfig('mlp', 'mnist', ZT, n_topology=1), V, 'ZooConfig.n_topology'),
    case('ZooConfig(surrogate_epochs=0)', lambda F: kz.ZooConfig('mlp', 'mnist', ZT, surrogate_epochs=0), V, 'ZooConfig.surrogate_epochs'),
    case("zoo_configs(scale='huge')", lambda F: kz.zoo_configs('huge'), V, 'scale'),
    case("zoo_configs(archs=('resnet50',))", lambda F: kz.zoo_configs('quick', archs=('resnet50',)), V, 'arch'),
    case('ZooMLP(width=0)', lambda F: kz.ZooMLP(width=0), V, 'width'),
    case('ZooCNN(channels=(16, 0))', lambda F: kz.ZooCNN(channels=(16, 0)), V, 'channel'),
    case('ZooViT(patch=5)', lambda F: kz.ZooViT(patch=5), V, 'patch'),
    case('ZooViT(heads=3)', lambda F: kz.ZooViT(heads=3), V, 'heads'),
    case('ZooViT()(32 × 32 images)', lambda F: kz.ZooViT()(torch.randn(2, 1, 32, 32)), V, 'x'),
    case('ImageResMLP()(32 × 32 images)', lambda F: kz.ImageResMLP(width=16, n_blocks=1)(torch.randn(2, 1, 32, 32)), V, 'x'),
    case('ImageResMLP(width=0)', lambda F: kz.ImageResMLP(width=0), V, 'width'),
    case("ZooConfig('resmlp', 'yinyang')", lambda F: kz.ZooConfig('resmlp', 'yinyang', ZT), V, 'arch'),
    case('hf_vit(depth=0)', lambda F: kz.hf_vit(depth=0), V, 'depth'),
    case('ClassToken()((n, D))', lambda F: kz.ClassToken()(torch.randn(2, 3)), V, 'x'),
    case('linear_cka(rows differ)', lambda F: kz.linear_cka(torch.randn(10, 3), torch.randn(9, 3)), V, 'A', 'B'),
    case('linear_cka(nan)', lambda F: kz.linear_cka(torch.full((10, 3), NAN), torch.randn(10, 3)), V, 'A'),
    case('linear_cka(1-d)', lambda F: kz.linear_cka(torch.randn(10), torch.randn(10, 3)), V, 'A'),
    case("fit(optimizer='adam')", lambda F: kb.fit(kz.ZooMLP(2, 4, 1, 3), ZT, (torch.randn(8, 2), torch.zeros(8, dtype=torch.long)), verbose=False, optimizer='adam'), V, 'optimizer'),
    case('logits_of(tuple)', lambda F: kb.logits_of((torch.zeros(2, 3),)), T, 'logits'),
]

@pytest.mark.parametrize('fn,types,names', ZOO)
def test_zoo(F, fn, types, names): expect_error(lambda: fn(F), types, names)

def test_hf_missing_names_the_extra(monkeypatch):
    "Without transformers, building the Hugging Face model says which extra to install."
    monkeypatch.setitem(__import__('sys').modules, 'transformers', None)
    with pytest.raises(ImportError, match=r"koopman_repr\[hf\]"): kz.hf_vit()

# ================================================================ the unlearning evaluation
def _shadows(n=20, S=4):
    keep = ke2.shadow_masks(n, S)
    return dict(phi=torch.randn(S, n, dtype=torch.float64) + 2.0 * keep, keep=keep)
_L, _Y = torch.randn(6, 3), torch.tensor([0, 1, 2, 0, 1, 2])
_TR = torch.tensor([True, True, True, False, False, False])
_QZ = kz.ZooConfig('cnn', 'mnist', ZT, n_train=100, n_test=100)
UEVAL = [
    case('confidence_score(labels out of range)', lambda F: ke2.confidence_score(_L, [0, 1, 2, 0, 1, 3]), V, 'y'),
    case('confidence_score(1-d logits)', lambda F: ke2.confidence_score(torch.randn(6), _Y), V, 'logits'),
    case('shadow_masks(n_shadows=3)', lambda F: ke2.shadow_masks(10, 3), V, 'n_shadows'),
    case('shadow_masks(n=1)', lambda F: ke2.shadow_masks(1, 2), V, 'n'),
    case('shadow_confidences(make_model=<a module>)', lambda F: ke2.shadow_confidences(F.m, ZT, F.X, F.y, 2), T, 'make_model'),
    case('shadow_confidences(make_model returns a dict)', lambda F: ke2.shadow_confidences(lambda: {}, ZT, F.X, F.y, 2), T, 'make_model'),
    case('shadow_confidences(tcfg=dict)', lambda F: ke2.shadow_confidences(lambda: F.m, {'lr': 1}, F.X, F.y, 2), T, 'tcfg'),
    case('lira_scores(phi of another length)', lambda F: ke2.lira_scores(torch.zeros(19), _shadows()), V, 'phi'),
    case('lira_scores(nan phi)', lambda F: ke2.lira_scores(torch.full((20,), NAN), _shadows()), V, 'phi'),
    case('lira_scores(fixed_variance=False, 2 shadows)', lambda F: ke2.lira_scores(torch.zeros(20), _shadows(S=2), fixed_variance=False), V, 'fixed_variance'),
    case('membership(float mask)', lambda F: ke2.membership(torch.zeros(6), torch.ones(6), _TR), T, 'members'),
    case('membership(mask of another length)', lambda F: ke2.membership(torch.zeros(6), _TR[:5], ~_TR), V, 'members'),
    case('membership(empty nonmembers)', lambda F: ke2.membership(torch.zeros(6), _TR, torch.zeros(6, dtype=torch.bool)), V, 'nonmembers'),
    case('neighbour_leakage(shapes differ)', lambda F: ke2.neighbour_leakage(_L, _L[:3], 0), V, 'ref_logits'),
    case('neighbour_leakage(c=3 of 3 classes)', lambda F: ke2.neighbour_leakage(_L, _L, 3), V, 'c'),
    case('probe_auc(features differ)', lambda F: ke2.probe_auc(torch.randn(10, 3), _Y.repeat(2)[:10] % 2, torch.randn(10, 4), _Y.repeat(2)[:10] % 2), V, 'F_test'),
    case('probe_auc(one class only)', lambda F: ke2.probe_auc(torch.randn(10, 3), torch.zeros(10), torch.randn(10, 3), _Y.repeat(2)[:10] % 2), V, 'y_train'),
    case('probe_auc(labels 0/1/2)', lambda F: ke2.probe_auc(torch.randn(6, 3), _Y, torch.randn(6, 3), _Y % 2), V, 'y_train'),
    case('scaled_projection(alpha=0)', lambda F: ke2.scaled_projection(torch.randn(5, 3), 0.0), V, 'alpha'),
    case('class_projection(model=dict)', lambda F: ke2.class_projection({}, F.X, F.X), T, 'model'),
    case('class_projection(no linear layer)', lambda F: ke2.class_projection(nn.Sequential(nn.ReLU()), F.X, F.X), V, 'model'),
    case('kodge_unlearn(c=7 of 3 classes)', lambda F: ke2.kodge_unlearn(F.m, F.X, F.y, 7), V, 'c'),
    case('kodge_unlearn(n=0)', lambda F: ke2.kodge_unlearn(F.m, F.X, F.y, 0, n=0), V, 'n'),
    case('kodge_unlearn(grow=-1)', lambda F: ke2.kodge_unlearn(F.m, F.X, F.y, 0, n=2, grow=-1), V, 'grow'),
    case('alpha_search(score=1.0)', lambda F: ke2.alpha_search(1.0), T, 'score'),
    case('alpha_search(grid of one tuple)', lambda F: ke2.alpha_search(lambda a, b: 0.0, ((1.0, 10.0),)), T, 'grid'),
    case('alpha_search(grid with one α_f)', lambda F: ke2.alpha_search(lambda a, b: 0.0, ((1.0, 10.0), (3.0,))), T, 'grid'),
    case('alpha_search(decreasing grid)', lambda F: ke2.alpha_search(lambda a, b: 0.0, ((10.0, 1.0), (1.0, 3.0))), V, 'grid'),
    case('alpha_search(α = 0)', lambda F: ke2.alpha_search(lambda a, b: 0.0, ((0.0, 1.0), (1.0, 3.0))), V, 'grid'),
    case("alpha_search(score returns 'x')", lambda F: ke2.alpha_search(lambda a, b: 'x'), (ValueError, TypeError), 'score'),
    case('salun_row(is_train of another length)', lambda F: ke2.salun_row(_L, _Y, _TR[:4], 0), V, 'is_train'),
    case('salun_row(c=5)', lambda F: ke2.salun_row(_L, _Y, _TR, 5), V, 'c'),
    case('salun_row(seconds=-1)', lambda F: ke2.salun_row(_L, _Y, _TR, 0, seconds=-1), V, 'seconds'),
    case('salun_gaps(missing MIA)', lambda F: ke2.salun_gaps(dict(UA=1, RA=1, TA=1), dict(UA=1, RA=1, TA=1, MIA=1)), V, 'MIA'),
    case('UnlearningEvalConfig(zoo=dict)', lambda F: ke2.UnlearningEvalConfig({}), T, 'UnlearningEvalConfig.zoo'),
    case('UnlearningEvalConfig(Yin-Yang)', lambda F: ke2.UnlearningEvalConfig(kz.ZooConfig('mlp', 'yinyang', ZT)), V, 'UnlearningEvalConfig.zoo'),
    case('UnlearningEvalConfig(n_shadows=5)', lambda F: ke2.UnlearningEvalConfig(_QZ, n_shadows=5), V, 'UnlearningEvalConfig.n_shadows'),
    case('UnlearningEvalConfig(classes=[0])', lambda F: ke2.UnlearningEvalConfig(_QZ, classes=[0]), T, 'UnlearningEvalConfig.classes'),
    case('UnlearningEvalConfig(classes=(0, 0))', lambda F: ke2.UnlearningEvalConfig(_QZ, classes=(0, 0)), T, 'UnlearningEvalConfig.classes'),
    case('UnlearningEvalConfig(classes=(10,))', lambda F: ke2.UnlearningEvalConfig(_QZ, classes=(10,)), V, 'UnlearningEvalConfig.classes'),
    case('UnlearningEvalConfig(seeds=(-1,))', lambda F: ke2.UnlearningEvalConfig(_QZ, seeds=(-1,)), V, 'UnlearningEvalConfig.seeds'),
    case('UnlearningEvalConfig(finetune=dict)', lambda F: ke2.UnlearningEvalConfig(_QZ, finetune={}), T, 'UnlearningEvalConfig.finetune'),
    case("UnlearningEvalConfig(all_classes='yes')", lambda F: ke2.UnlearningEvalConfig(_QZ, all_classes='yes'), T, 'UnlearningEvalConfig.all_classes'),
    case("eval_configs('huge')", lambda F: ke2.eval_configs('huge'), V, 'scale'),
    case('evaluate_unlearning(model=dict)', lambda F: ke2.evaluate_unlearning({}, lambda: F.m, ZT, F.splits), T, 'model'),
    case('evaluate_unlearning(make_model=<a module>)', lambda F: ke2.evaluate_unlearning(F.m, F.m, ZT, F.splits), T, 'make_model'),
    case('evaluate_unlearning(train=dict)', lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, {'lr': 1}, F.splits), T, 'train'),
    case("evaluate_unlearning(splits without 'test')", lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, ZT, {'train': (F.X, F.y)}), T, 'splits'),
    case('evaluate_unlearning(test labels of another length)', lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, ZT, {'train': (F.X, F.y), 'test': (F.Xt, F.yt[:-1])}), V, "splits['test']"),
    case("evaluate_unlearning(optimizer='adam')", lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, ZT, F.splits, optimizer='adam'), V, 'optimizer'),
    case('evaluate_unlearning(classes=(5,) of 3)', lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, ZT, F.splits, classes=(5,)), V, 'classes'),
    case('evaluate_unlearning(n_shadows=3)', lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, ZT, F.splits, classes=(0,), n_shadows=3), V, 'n_shadows'),
    case('evaluate_unlearning(shadows of another universe)', lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, ZT, F.splits, classes=(0,), shadows=_shadows()), V, 'shadows'),
    case('evaluate_unlearning(surrogate_options=list)', lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, ZT, F.splits, classes=(0,), surrogate_options=[1]), T, 'surrogate_options'),
    case("evaluate_unlearning(surrogate_options={'seed': 1})", lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, ZT, F.splits, classes=(0,), surrogate_options={'seed': 1}), V, 'surrogate_options'),
    case("evaluate_unlearning(head='nope')", lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, ZT, F.splits, classes=(0,), head='nope'), V, 'head'),
    case('retrain_without(c absent from y)', lambda F: ke2.retrain_without(lambda: F.m, ZT, F.X, F.y, 7, 0), V, 'c'),
    case('retrain_without(make_model=<a module>)', lambda F: ke2.retrain_without(F.m, ZT, F.X, F.y, 0, 0), T, 'make_model'),
    case('network_baselines(recipe=dict)', lambda F: ke2.network_baselines(F.m, lambda: F.m, ZT, F.X, F.y, 0, 0, {'lr': 1}), T, 'recipe'),
    case("kodge_unlearn(alphas=((1.0,), (1.0, 2.0)))", lambda F: ke2.kodge_unlearn(F.m, F.X, F.y, 0, n=2, alphas=((1.0,), (1.0, 2.0))), T, 'alphas'),
    case('evaluate_unlearning(edit_points=1)', lambda F: ke2.evaluate_unlearning(F.m, lambda: F.m, ZT, F.splits, classes=(0,), edit_points=1), V, 'edit_points'),
    case('evaluate_unlearning(no default_layers, no layers)', lambda F: ke2.evaluate_unlearning(nn.Sequential(nn.Linear(2, 3)), lambda: F.m, ZT, F.splits, classes=(0,)), V, 'layers'),
]

@pytest.mark.parametrize('fn,types,names', UEVAL)
def test_unlearning_eval(F, fn, types, names): expect_error(lambda: fn(F), types, names)

# ================================================================ the command line, in process
def run_cli(args):
    "`koopman_repr.paper.cli.main(args)` in process: (exit status, stderr). argparse errors exit through SystemExit."
    err = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter('ignore')
        try: rc = kc.main(args)
        except SystemExit as e: rc = e.code
    plt.close('all')
    return rc, err.getvalue()

def _out(F, name): return str(F.tmp/'cli'/name)

CLI = [
    pytest.param(lambda F: ['data', '-q', '--dataset', 'cifar', '--out', _out(F, 'a')], ('dataset',), id='--dataset cifar'),
    pytest.param(lambda F: ['data', '-q', '--scale', 'huge', '--out', _out(F, 'b')], ('scale',), id='--scale huge'),
    pytest.param(lambda F: ['data', '-q', '--device', 'gpu', '--out', _out(F, 'c')], ('device',), id='--device gpu'),
    pytest.param(lambda F: ['data', '-q', '--device', 'cuda:99', '--out', _out(F, 'd')], ('device', 'cuda:99'), id='--device cuda:99'),
    pytest.param(lambda F: ['data', '-q', '--out', str(F.afile)], ('--out', 'afile'), id='--out <a file>'),
    pytest.param(lambda F: ['data', '-q', '--out', str(F.afile/'sub')], ('--out', 'afile'), id='--out <below a file>'),
    pytest.param(lambda F: ['data', '-q', '--out', str(F.corrupt_dir)], ('base_nets.json',), id='--out <corrupt base_nets.json>'),
    pytest.param(lambda F: ['data', '-q', '--out', str(F.shape_dir)], ('unlearning.json',), id='--out <wrongly shaped unlearning.json>'),
    pytest.param(lambda F: ['data', '-q', '--seeds', '21', '21', '--out', _out(F, 'e')], ('seeds', '--seeds'), id='--seeds 21 21'),
    pytest.param(lambda F: ['data', '-q', '--seeds', '-1', '--out', _out(F, 'f')], ('seeds', '--seeds'), id='--seeds -1'),
    pytest.param(lambda F: ['data', '-q', '--dataset', 'mnist', '--data-root', str(F.nowhere), '--out', _out(F, 'g')], ('--data-root', 'nowhere'), id='data --data-root <missing>'),
    pytest.param(lambda F: ['data', '-q', '--dataset', 'mnist', '--data-root', str(F.mn['trunc_images']), '--out', _out(F, 'h')], ('images-idx3-ubyte',), id='data --data-root <truncated IDX>'),
    pytest.param(lambda F: ['data', '-q', '--dataset', 'mnist', '--data-root', str(F.mn['bad_magic']), '--out', _out(F, 'i')], ('images-idx3-ubyte',), id='data --data-root <wrong magic>'),
    pytest.param(lambda F: ['base-nets', '-q', '--scale', 'quick', '--dataset', 'mnist', '--data-root', str(F.nowhere), '--out', _out(F, 'j')], ('--data-root', 'nowhere'), id='base-nets --data-root <missing>'),
    pytest.param(lambda F: ['koopman-ae', '-q', '--scale', 'quick', '--dataset', 'mnist', '--data-root', str(F.afile), '--out', _out(F, 'k')], ('--data-root', 'afile'), id='koopman-ae --data-root <a file>'),
    pytest.param(lambda F: ['reproduce', '-q', '--scale', 'quick', '--dataset', 'mnist', '--data-root', str(F.nowhere), '--out', _out(F, 'l')], ('--data-root', 'nowhere'), id='reproduce --data-root <missing>'),
    pytest.param(lambda F: ['zoo', '-q', '--arch', 'resnet50', '--out', _out(F, 'm')], ('--arch',), id='zoo --arch resnet50'),
    pytest.param(lambda F: ['zoo', '-q', '--dataset', 'cifar10', '--out', _out(F, 'n')], ('dataset',), id='zoo --dataset cifar10'),
    pytest.param(lambda F: ['zoo', '-q', '--scale', 'quick', '--arch', 'cnn', '--dataset', 'yinyang', '--out', _out(F, 'o')], ('--arch', 'yinyang'), id='zoo --arch cnn --dataset yinyang'),
    pytest.param(lambda F: ['zoo', '-q', '--scale', 'quick', '--arch', 'mlp', '--dataset', 'fashion_mnist', '--data-root', str(F.nowhere), '--out', _out(F, 'p')], ('dataset-fashion-mnist', 'nowhere'), id='zoo --data-root <missing>'),
    pytest.param(lambda F: ['unlearning-eval', '-q', '--dataset', 'yinyang', '--out', _out(F, 'q')], ('dataset',), id='unlearning-eval --dataset yinyang'),
    pytest.param(lambda F: ['unlearning-eval', '-q', '--arch', 'vit', '--out', _out(F, 's')], ('--arch', 'vit', 'resmlp'), id='unlearning-eval --arch vit'),
    pytest.param(lambda F: ['unlearning-eval', '-q', '--device', 'cuda', '--out', _out(F, 'u')], ('--device', 'cpu'), id='unlearning-eval --device cuda',
                 marks=pytest.mark.skipif(torch.cuda.is_available(), reason='CUDA here: every step accepts --device cuda')),
    pytest.param(lambda F: ['unlearning-eval', '-q', '--scale', 'quick', '--dataset', 'fashion_mnist', '--out', _out(F, 'v')], ('--dataset', 'fashion_mnist', 'cnn_mnist_small_quick'), id='unlearning-eval --scale quick --dataset fashion_mnist'),
    pytest.param(lambda F: ['unlearning-eval', '-q', '--scale', 'quick', '--arch', 'resmlp', '--out', _out(F, 't')], ('--arch', 'resmlp', 'cnn_mnist_small_quick'), id='unlearning-eval --scale quick --arch resmlp'),
    pytest.param(lambda F: ['unlearning-eval', '-q', '--scale', 'quick', '--data-root', str(F.nowhere), '--out', _out(F, 'r')], ('nowhere',), id='unlearning-eval --data-root <missing>'),
]

@pytest.mark.parametrize('argv,names', CLI)
def test_cli(F, argv, names):
    rc, err = run_cli(argv(F))
    lines = err.strip().splitlines()
    assert rc == 2, f"exit status {rc}, stderr: {err[-500:]!r}"
    assert 'Traceback' not in err and len(lines) == 1, f"not a one-line error: {err[-500:]!r}"
    assert named(lines[0], names), f"the error does not name {list(names)}: {lines[0]}"

def _args(F, **kw):
    a = kc.parser().parse_args(['data', '-q', '--out', _out(F, 'ns')])
    for k, v in kw.items(): setattr(a, k, v)
    return a

CLI_FUNCTIONS = [
    case('check_args(seeds=[-1])', lambda F: kc.check_args(_args(F, seeds=[-1])), V, 'seeds', '--seeds'),
    case('check_args(seeds=[21, 21])', lambda F: kc.check_args(_args(F, seeds=[21, 21])), V, 'seeds', '--seeds'),
    case('check_args(out=<a file>)', lambda F: kc.check_args(_args(F, out=str(F.afile))), V, 'out', '--out'),
    case('update_json(<corrupt file>)', lambda F: kc.update_json(F.corrupt_dir/'base_nets.json', {'a': 1}), V, 'base_nets.json'),
    case('summary_rows(<wrongly shaped unlearning.json>)', lambda F: kc.summary_rows(F.shape_dir), V, 'unlearning.json'),
    case("resolve_device('gpu')", lambda F: kc.resolve_device('gpu'), V, 'device'),
]

@pytest.mark.parametrize('fn,types,names', CLI_FUNCTIONS)
def test_cli_functions(F, fn, types, names): expect_error(lambda: fn(F), types, names)

# ================================================================ security: crafted pickles never run
def _evil_file(path, marker, how):
    if how == 'pickle': path.write_bytes(pickle.dumps(Evil(marker)))
    elif how == 'torch': torch.save(Evil(marker), path)
    else: torch.save({'state': {'w': Evil(marker)}, 'sha256': 'x', 'meta': '{}', 'config': {}, 'key': 'x'}, path)  # inside a valid-looking dict
    return path

def _load_ckpt(F, p): return kb.load_checkpoint(p, F.bcfg)
def _load_sur(F, p): return kk.Surrogate.load(p, F.m)
def _load_psur(F, p): return kp.load_surrogate(p, F.scfg, F.m)
def _load_cache(F, p):
    cached = p.parent/f"{F.bcfg.name}-{kb.config_key(F.bcfg)}.pt"; os.replace(p, cached)
    return kp.train_or_load(F.bcfg, p.parent, verbose=False)

@pytest.mark.parametrize('how', ['pickle', 'torch', 'torch-dict'])
@pytest.mark.parametrize('loader', [_load_ckpt, _load_sur, _load_psur, _load_cache], ids=['load_checkpoint', 'Surrogate.load', 'paper.load_surrogate', 'paper.train_or_load'])
def test_crafted_pickle_is_refused(F, tmp_path, loader, how):
    marker = tmp_path/'PWNED'
    p = _evil_file(tmp_path/'evil.pt', marker, how)
    try:
        with pytest.raises(CheckpointError) as e: loader(F, p)
        assert '.pt' in str(e.value), f"the error does not name the file: {e.value}"
    finally:
        assert not marker.exists(), 'unpickling ran code: the marker file was created'

# ================================================================ legitimate inputs: converted, same result as float32 tensors
def _same_fit(F, X, y):
    a, b = fresh(F), fresh(F)
    kb.fit(a, tr(), (F.X, F.y), verbose=False); kb.fit(b, tr(), (X, y), verbose=False)
    return all(torch.allclose(p, q) for p, q in zip(a.state_dict().values(), b.state_dict().values()))

def _same_fit_kae(F, Z):
    return kfit(F, F.Z)['total'] == pytest.approx(kfit(F, Z)['total'])

def _same_surrogate(F, X):
    return torch.equal(sur_fit(F, X).predict(F.Xt), sur_fit(F).predict(F.Xt))

def _same_unlearn(F, **kw):
    return torch.equal(unl(F, 2, **kw).predict(F.X), unl(F, 2).predict(F.X))

def _same_neggrad(F, y):
    a, b = ku.neggrad_plus(F.m, tr(), {'train': (F.X, F.y)}, 2), ku.neggrad_plus(F.m, tr(), {'train': (F.X, y)}, 2)
    return all(torch.allclose(p, q) for p, q in zip(a.state_dict().values(), b.state_dict().values()))

def _same_loader(F):
    a = list(kd.TensorLoader(F.X.numpy(), F.y.numpy(), batch_size=100, shuffle=True))
    b = list(kd.TensorLoader(F.X, F.y, batch_size=100, shuffle=True))
    return len(a) == len(b) and all(torch.equal(torch.as_tensor(p), q) for ab, bb in zip(a, b) for p, q in zip(ab, bb))

def _same_pre(F):
    reps = {k: v.numpy() for k, v in F.reps.items()}
    pre = kb.Preprocessor().fit(reps)
    return all(torch.allclose(pre.transform(F.reps[k], k), F.pre.transform(F.reps[k], k)) for k in F.reps)

CONVERSIONS = [
    pytest.param(lambda F: kd.set_seed(np.int64(3)) == 3, id='set_seed(np.int64)'),
    pytest.param(lambda F: (kd.yinyang_class([[0.5, 0.5], [0.3, 0.8]]) == kd.yinyang_class(np.array([[0.5, 0.5], [0.3, 0.8]], np.float32))).all(), id='yinyang_class(list)'),
    pytest.param(_same_loader, id='TensorLoader(numpy)'),
    pytest.param(lambda F: torch.equal(kb.predict(F.m, F.X.numpy()), kb.predict(F.m, F.X)), id='predict(numpy)'),
    pytest.param(lambda F: torch.equal(kb.predict(F.m, F.X.double()), kb.predict(F.m, F.X)), id='predict(float64)'),
    pytest.param(lambda F: torch.equal(kb.predict(F.m, F.X.tolist()), kb.predict(F.m, F.X)), id='predict(list)'),
    pytest.param(lambda F: all(torch.allclose(v, F.reps[k]) for k, v in kb.capture(F.m, F.X.numpy()).items()), id='capture(numpy)'),
    pytest.param(lambda F: all(torch.allclose(v, F.reps[k]) for k, v in kb.capture(F.m, F.X.double()).items()), id='capture(float64)'),
    pytest.param(lambda F: _same_fit(F, F.X.numpy(), F.y.numpy()), id='fit(numpy X, numpy y)'),
    pytest.param(lambda F: _same_fit(F, F.X.double(), F.y.tolist()), id='fit(float64 X, list y)'),
    pytest.param(lambda F: kb.evaluate(F.y.numpy(), F.y.tolist(), 3) == kb.evaluate(F.y, F.y, 3), id='evaluate(numpy, list)'),
    pytest.param(lambda F: kb.Preprocessor(pca_dim=np.int64(4)).fit(F.reps).q == 4, id='Preprocessor(pca_dim=np.int64)'),
    pytest.param(_same_pre, id='Preprocessor.fit(numpy reps)'),
    pytest.param(lambda F: kk.KoopmanAE(kk.KAEConfig(dim=np.int64(4))).cfg.dim == 4, id='KAEConfig(dim=np.int64)'),
    pytest.param(lambda F: _same_fit_kae(F, F.Z.numpy()), id='fit_kae(numpy Z)'),
    pytest.param(lambda F: _same_fit_kae(F, F.Z.double()), id='fit_kae(float64 Z)'),
    pytest.param(lambda F: _same_surrogate(F, F.X.numpy()), id='fit_surrogate(numpy X)'),
    pytest.param(lambda F: _same_surrogate(F, F.X.double()), id='fit_surrogate(float64 X)'),
    pytest.param(lambda F: torch.equal(F.sur.predict(F.X.numpy()), F.sur.predict(F.X)), id='sur.predict(numpy)'),
    pytest.param(lambda F: torch.equal(F.sur.predict(F.X.double()), F.sur.predict(F.X)), id='sur.predict(float64)'),
    pytest.param(lambda F: F.sur.score(F.X, F.y.numpy()) == F.sur.score(F.X, F.y.tolist()) == F.sur.score(F.X, F.y.double()) == F.sur.score(F.X, F.y), id='sur.score(numpy, list, float64 y)'),
    pytest.param(lambda F: _same_unlearn(F, y=F.y.tolist()), id='unlearn(list y)'),
    pytest.param(lambda F: _same_unlearn(F, y=F.y.numpy()), id='unlearn(numpy y)'),
    pytest.param(lambda F: _same_unlearn(F, X=F.X.numpy()), id='unlearn(numpy X)'),
    pytest.param(lambda F: torch.equal(unl(F, np.int64(2)).predict(F.X), unl(F, 2).predict(F.X)), id='unlearn(c=np.int64)'),
    pytest.param(lambda F: torch.allclose(ku.paper_edit(F.Obs, F.Kk, F.y.numpy(), 2), ku.paper_edit(F.Obs, F.Kk, F.y, 2)), id='paper_edit(numpy y)'),
    pytest.param(lambda F: ku.forget_metrics(F.y.tolist(), F.y.numpy(), 2) == ku.forget_metrics(F.y, F.y, 2), id='forget_metrics(list, numpy)'),
    pytest.param(lambda F: _same_neggrad(F, F.y.numpy()), id='neggrad_plus(numpy y)'),
    pytest.param(lambda F: ku.auc(np.array([0.9, 0.4]), np.array([0.5])) == ku.auc([0.9, 0.4], [0.5]) == 0.5, id='auc(numpy, list)'),
    pytest.param(lambda F: kt.check_cloud([[0, 0], [1, 1]]).shape == (2, 2), id='check_cloud(list)'),
    pytest.param(lambda F: abs(kt.diagram_distance([[0, 1.0]], [[0, 2.0]]) - kt.diagram_distance(np.array([[0, 1.0]]), np.array([[0, 2.0]]))) < 1e-12, id='diagram_distance(lists)'),
    pytest.param(lambda F: list(kt.betti_curve([[0, 1]], [0.5])) == [1], id='betti_curve(list)'),
    pytest.param(lambda F: np.allclose(kt.h0_deaths(F.X[:30].tolist()), kt.h0_deaths(F.X[:30])), id='h0_deaths(list)'),
    pytest.param(lambda F: np.allclose(kt.h0_deaths(F.X[:30].double()), kt.h0_deaths(F.X[:30].numpy())), id='h0_deaths(float64 tensor)'),
    pytest.param(lambda F: ke.toy_images(np.int64(5))[0].shape == (5, 1, 8, 8), id='toy_images(np.int64)'),
]

@pytest.mark.parametrize('check', CONVERSIONS)
def test_conversion(F, check):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        assert check(F)
