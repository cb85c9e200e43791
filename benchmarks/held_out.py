"""Held-out architectures: the acceptance checks of issue #31 on networks the library was not developed on.

    python benchmarks/held_out.py --out results/held_out.json

Five small classifiers, none of them a ResNet, an LSTM, an MLP-Mixer or an MLP: a GRU reading MNIST image rows, a
VGG-style CNN with BatchNorm on Fashion-MNIST, a DenseNet-style CNN whose layers concatenate features on MNIST, a
ConvNeXt-style CNN (depthwise 7 × 7 convolutions, LayerNorm, GELU, residuals) on Fashion-MNIST and a temporal
convolution network (causal dilated 1-d convolutions over the rows) on MNIST. Each is trained for a few epochs at one
thread from `set_seed(0)` on the 60 000 training images, then treated as a new user would: `fit_surrogate` with its
defaults and only the path and head that "Choosing the path and head" advises; test accuracy of the network and the
surrogate, their agreement; `Surrogate.save` and `Surrogate.load`, the reloaded logits compared with the original's
and a copy with one byte changed refused; three edits for every class, judged on the 10 000 test images: the
joint edit as the unlearning page applies it (`unlearn(sur, X, y, c, 'joint', **MNIST_JOINT_EDIT)`), the same with
`margin=1.0`, and the margin edit with its defaults (`unlearn(sur, X, y, c, 'margin')`), each beside the null that
masks class c's output. Every check
passes or fails against the thresholds of issue #31 (gap 2 pp, agreement 95 %, identical reload, forget accuracy 5 %
on the worst class), with each edit.
"""
import argparse
import json
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
import torch
import torch.nn as nn
import torch.nn.functional as F
from koopman_repr.data import idx_images, set_seed, TensorLoader
from koopman_repr.base_nets import predict, accuracy, CheckpointError, compute_env
from koopman_repr.koopman_ae import fit_surrogate, Surrogate
from koopman_repr.unlearning import unlearn, forget_metrics
from koopman_repr.paper.experiments import MNIST_JOINT_EDIT

THRESHOLDS = dict(gap_pp=2.0, agreement=95.0, reload='identical logits', forget=5.0)


class LastStep(nn.Module):
    "The last step of a sequence (n, T, D) → (n, D): a head on the full sequence starts with it."
    def forward(self, h): return h[:, -1]


class RowGRU(nn.Module):
    "Two stacked GRUs over the 28 rows of an image, a linear head on the last step."
    def __init__(self, hidden:int=64):
        super().__init__()
        self.gru1 = nn.GRU(28, hidden, batch_first=True)
        self.gru2 = nn.GRU(hidden, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 10)

    def forward(self, x):
        h, _ = self.gru1(x.reshape(len(x), 28, 28))
        h, _ = self.gru2(h)
        return self.fc(h[:, -1])


def conv_bn(c_in:int, c_out:int)->list:
    return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]


class VGGBN(nn.Module):
    "Two VGG blocks (two 3 × 3 conv–BatchNorm–ReLU, a max-pool), a dense layer with BatchNorm, a linear head."
    def __init__(self, channels=(16, 32), width:int=128):
        super().__init__()
        c1, c2 = channels
        self.block1 = nn.Sequential(*conv_bn(1, c1), *conv_bn(c1, c1), nn.MaxPool2d(2))
        self.block2 = nn.Sequential(*conv_bn(c1, c2), *conv_bn(c2, c2), nn.MaxPool2d(2))
        self.fc1 = nn.Sequential(nn.Flatten(), nn.Linear(c2 * 49, width, bias=False), nn.BatchNorm1d(width),
                                 nn.ReLU())
        self.head = nn.Linear(width, 10)

    def forward(self, x): return self.head(self.fc1(self.block2(self.block1(x.reshape(-1, 1, 28, 28)))))


class DenseLayer(nn.Module):
    "BatchNorm–ReLU–3 × 3 conv, its `growth` new channels concatenated to its input."
    def __init__(self, c_in:int, growth:int):
        super().__init__()
        self.f = nn.Sequential(nn.BatchNorm2d(c_in), nn.ReLU(), nn.Conv2d(c_in, growth, 3, padding=1, bias=False))

    def forward(self, x): return torch.cat([x, self.f(x)], 1)


def dense_block(c_in:int, growth:int, n_layers:int)->nn.Sequential:
    return nn.Sequential(*[DenseLayer(c_in + i * growth, growth) for i in range(n_layers)])


class SmallDenseNet(nn.Module):
    "A strided stem, two dense blocks (each layer sees every earlier one) joined by a transition, a pooling head."
    def __init__(self, c0:int=8, growth:int=8, n_layers:int=3, c1:int=16):
        super().__init__()
        ca, cb = c0 + n_layers * growth, c1 + n_layers * growth
        self.stem = nn.Conv2d(1, c0, 3, stride=2, padding=1, bias=False)  # 14 × 14
        self.block1 = dense_block(c0, growth, n_layers)
        self.trans1 = nn.Sequential(nn.BatchNorm2d(ca), nn.ReLU(), nn.Conv2d(ca, c1, 1, bias=False),
                                    nn.AvgPool2d(2))  # 7 × 7
        self.block2 = dense_block(c1, growth, n_layers)
        self.head = nn.Sequential(nn.BatchNorm2d(cb), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                  nn.Linear(cb, 10))

    def forward(self, x):
        return self.head(self.block2(self.trans1(self.block1(self.stem(x.reshape(-1, 1, 28, 28))))))


class ChannelNorm(nn.Module):
    "LayerNorm over the channels of a feature map (n, C, H, W)."
    def __init__(self, c:int):
        super().__init__()
        self.norm = nn.LayerNorm(c)

    def forward(self, x): return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    "x + MLP(LayerNorm(depthwise 7 × 7 conv(x))), the MLP 4× wide with a GELU."
    def __init__(self, c:int):
        super().__init__()
        self.dw = nn.Conv2d(c, c, 7, padding=3, groups=c)
        self.norm = nn.LayerNorm(c)
        self.mlp = nn.Sequential(nn.Linear(c, 4 * c), nn.GELU(), nn.Linear(4 * c, c))

    def forward(self, x): return x + self.mlp(self.norm(self.dw(x).permute(0, 2, 3, 1))).permute(0, 3, 1, 2)


class TinyConvNeXt(nn.Module):
    "A 2 × 2 patch stem, two ConvNeXt blocks, a downsampling layer, two more blocks, a pooling head."
    def __init__(self, channels=(24, 48)):
        super().__init__()
        c1, c2 = channels
        self.stem = nn.Sequential(nn.Conv2d(1, c1, 2, stride=2), ChannelNorm(c1))  # 14 × 14
        down = nn.Sequential(ChannelNorm(c1), nn.Conv2d(c1, c2, 2, stride=2))  # 7 × 7
        self.blocks = nn.Sequential(ConvNeXtBlock(c1), ConvNeXtBlock(c1), down, ConvNeXtBlock(c2), ConvNeXtBlock(c2))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.LayerNorm(c2), nn.Linear(c2, 10))

    def forward(self, x): return self.head(self.blocks(self.stem(x.reshape(-1, 1, 28, 28))))


class LastTime(nn.Module):
    "The last time step of a 1-d feature map (n, C, T) → (n, C)."
    def forward(self, h): return h[:, :, -1]


class TCNBlock(nn.Module):
    "Two causal dilated 3-tap convolutions with a residual (a 1 × 1 conv where the width changes)."
    def __init__(self, c_in:int, c:int, dilation:int):
        super().__init__()
        self.pad = 2 * dilation
        self.conv1 = nn.Conv1d(c_in, c, 3, dilation=dilation)
        self.conv2 = nn.Conv1d(c, c, 3, dilation=dilation)
        self.skip = nn.Conv1d(c_in, c, 1) if c_in != c else nn.Identity()

    def forward(self, x):
        h = F.relu(self.conv1(F.pad(x, (self.pad, 0))))
        return F.relu(self.conv2(F.pad(h, (self.pad, 0))) + self.skip(x))


class RowTCN(nn.Module):
    "Four causal TCN blocks (dilations 1, 2, 4, 8) over the 28 rows as time steps, a linear head on the last step."
    def __init__(self, c:int=32):
        super().__init__()
        self.blocks = nn.Sequential(TCNBlock(28, c, 1), TCNBlock(c, c, 2), TCNBlock(c, c, 4), TCNBlock(c, c, 8))
        self.head = nn.Sequential(LastTime(), nn.Linear(c, 10))

    def forward(self, x): return self.head(self.blocks(x.reshape(len(x), 28, 28).transpose(1, 2)))


@dataclass(frozen=True)
class Arch:
    "One held-out network: how to build it, its data, and the path page 11 advises for it."
    title:str
    dataset:str
    make:type
    path:callable  # net → `fit_surrogate` options: layers, and head/output where the advice differs from the default
    advice:str  # the row of page 11's advice followed


ARCHS = {
    'gru': Arch('2 stacked GRUs, 64 units, 28 rows of 28 pixels', 'mnist', RowGRU,
                lambda net: dict(layers=['gru1', 'gru2'], output=0, head=nn.Sequential(LastStep(), net.fc)),
                "stacked LSTM or GRU: one module per layer, output=0, the full sequence, LastStep then fc"),
    'vgg_bn': Arch('VGG-style CNN with BatchNorm: 2 blocks of 2 convs (16, 32 channels), a dense layer of 128',
                   'fashion_mnist', VGGBN, lambda net: dict(layers=['block1', 'block2', 'fc1']),
                   "CNN: every conv block, then the dense layers; head model.head"),
    'densenet': Arch('DenseNet-style CNN: 2 dense blocks of 3 layers (growth 8), a transition', 'mnist',
                     SmallDenseNet, lambda net: dict(layers=['block1', 'trans1', 'block2']),
                     "CNN: every conv block (dense blocks and the transition); head model.head"),
    'convnext': Arch('ConvNeXt-style CNN: 4 blocks (24, 48 channels), depthwise 7 × 7 convs, LayerNorm, GELU',
                     'fashion_mnist', TinyConvNeXt, lambda net: dict(layers=['blocks.*']),
                     "CNN: every conv block (and the downsampling layer); head model.head"),
    'tcn': Arch('temporal convolution network: 4 causal blocks (32 channels, dilations 1-8) over 28 rows',
                'mnist', RowTCN, lambda net: dict(layers=['blocks.*']),
                "CNN: every conv block, feature maps flattened; head model.head (last step, linear)"),
}


def train(net, X, y, epochs:int, lr:float=1e-3):
    "Adam on cross-entropy, batches of 128."
    opt = torch.optim.Adam(net.parameters(), lr)
    for epoch in range(epochs):
        for xb, yb in TensorLoader(X, y, batch_size=128, shuffle=True, seed=epoch):
            loss = F.cross_entropy(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return net.eval()


def splits(dataset:str, n_train:int=None, n_test:int=None)->dict:
    "The train and test splits, the first n images of each (None: all)."
    return {s: (X[:n], y[:n]) for s, n in (('train', n_train), ('test', n_test))
            for X, y in [idx_images(dataset, s)]}


def timed(fn, *args, **kw)->tuple:
    "fn's result and the seconds it took."
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, round(time.perf_counter() - t0, 1)


@torch.no_grad()
def reload_check(sur:Surrogate, net:nn.Module, head, X, keep:Path=None)->dict:
    "Save, load on the same network, compare the logits on X; a copy with one byte changed must be refused."
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / 'surrogate.kae'
        sur.save(path)
        if keep is not None: sur.save(keep, overwrite=True)
        again = Surrogate.load(path, net, head=head)
        a, b = sur.logits(X), again.logits(X)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 1
        (Path(tmp) / 'edited.kae').write_bytes(bytes(data))
        try:
            Surrogate.load(Path(tmp) / 'edited.kae', net, head=head)
            refused = False
        except CheckpointError:
            refused = True
    return dict(identical=bool(torch.equal(a, b)), max_abs_diff=float((a - b).abs().max()),
                file_bytes=len(data), edited_copy_refused=refused)


# each edit: (the `unlearn` method, its options). The joint edit as the unlearning page applies it; the same with a
# margin of 1 (a forgotten point counts once its class output is 1 below another's; the margin was chosen on two zoo
# networks, not on these: benchmarks/joint_margin.py); the margin edit with its defaults
EDITS = {'joint': ('joint', MNIST_JOINT_EDIT), 'joint_margin': ('joint', {**MNIST_JOINT_EDIT, 'margin': 1.0}),
         'margin': ('margin', {})}


def edit_check(sur:Surrogate, train:tuple, test:tuple, classes, edit:str)->dict:
    ("One edit for each class: forget and retained test accuracy, beside the unedited surrogate's and the null's "
     "(class c's output masked: forget 0 by construction, retained accuracy what masking alone keeps).")
    (X, y), (Xt, yt) = train, test
    logits = sur.logits(Xt)
    before, rows = logits.argmax(1), []
    for c in classes:
        trace = []  # on the fitted training points: forgotten points still in c, and retained points lost or changed
        method, kw = EDITS[edit]
        edited, secs = timed(unlearn, sur, X, y, c, method, trace=trace, **kw)
        m0, m = forget_metrics(before, yt, c), forget_metrics(edited.predict(Xt), yt, c)
        masked = forget_metrics(logits.index_fill(1, torch.tensor([c]), -float('inf')).argmax(1), yt, c)
        last = trace[-1]
        rows.append(dict(c=c, forget=m['forget_acc'], retain=m['retain_acc'], forget_before=m0['forget_acc'],
                         retain_before=m0['retain_acc'], retain_masked=masked['retain_acc'], seconds=secs,
                         fitted_forget_left=last['forget_left'],
                         **(dict(rounds=len(trace), fixed_point=last['grown'] == 0,
                                 fitted_retained_lost=last['retained_lost']) if method == 'joint' else
                            dict(steps=last['step'], fitted_retained_changed=last['retained_changed']))))
    f, r = [row['forget'] for row in rows], [row['retain'] for row in rows]
    worst = max(rows, key=lambda row: row['forget'])['c']
    return dict(forget_mean=sum(f) / len(f), forget_worst=max(f), worst_class=worst,
                retain_mean=sum(r) / len(r), retain_worst=min(r),
                retain_change_mean=sum(row['retain'] - row['retain_before'] for row in rows) / len(rows),
                retain_below_masked_worst=max(row['retain_masked'] - row['retain'] for row in rows),
                classes=rows)


FLOAT_TOL = 1e-6  # percentages are float32: a count of images at a threshold may read a hair above it


def checks(r:dict, edit:str)->dict:
    "Pass or fail of each acceptance check of issue #31, the edit's judged on `edit`'s worst class."
    return dict(gap=abs(r['gap_pp']) <= THRESHOLDS['gap_pp'], agreement=r['agreement'] >= THRESHOLDS['agreement'],
                reload=r['reload']['identical'] and r['reload']['edited_copy_refused'],
                # a float32 percentage: 50 of 1 000 images reads 5.0000001, which is 5 %
                forget=r['edits'][edit]['forget_worst'] <= THRESHOLDS['forget'] + FLOAT_TOL)


def run_arch(name:str, a)->dict:
    "Train the network, fit its surrogate with the defaults, and run every check."
    arch, cpu0 = ARCHS[name], time.process_time()
    data = splits(arch.dataset, a.n_train, a.n_test)
    (Xtr, ytr), (Xte, yte) = data['train'], data['test']
    set_seed(0)
    net, train_s = timed(train, arch.make(), Xtr, ytr, a.epochs)
    kw = arch.path(net)
    sur, fit_s = timed(fit_surrogate, net, Xtr, verbose=False, **kw)
    pn, ps = predict(net, Xte), sur.predict(Xte)
    n_net, n_sur = int((pn == yte).sum()), int((ps == yte).sum())  # counts: the gap is exact, 2.00 pp is 2.0
    per_class = [accuracy(ps[yte == c], pn[yte == c]) for c in yte.unique()]
    r = dict(model=arch.title, dataset=arch.dataset, advice=arch.advice,
             n_params=sum(p.numel() for p in net.parameters()),
             layers=sur.layers, capture_kw={k: str(v) for k, v in sur.capture_kw.items()},
             head=sur.head_name or ' → '.join(type(m).__name__ for m in sur.head.children()),
             width=sur.pre.q, fit_epochs=sur.train_cfg.epochs, fit_fvu=sur.fit_fvu,
             net_acc=100 * n_net / len(yte), surrogate_acc=100 * n_sur / len(yte),
             gap_pp=100 * (n_net - n_sur) / len(yte), agreement=accuracy(ps, pn),
             agreement_worst_class=min(per_class))
    keep = None
    if a.keep is not None:  # the network's weights and the surrogate, for a closer look
        keep = Path(a.keep) / f'{name}.kae'
        keep.parent.mkdir(parents=True, exist_ok=True)
        torch.save(net.state_dict(), keep.with_suffix('.pt'))
    r['reload'], reload_s = timed(reload_check, sur, net, kw.get('head'), Xte, keep)
    classes = range(10) if a.classes is None else a.classes
    r['edits'], edit_s = {}, {}
    for m in EDITS: r['edits'][m], edit_s[m] = timed(edit_check, sur, data['train'], data['test'], list(classes), m)
    r['checks'] = {m: checks(r, m) for m in EDITS}
    r['seconds'] = dict(train=train_s, fit=fit_s, reload=reload_s, edits=edit_s)  # wall clock
    r['cpu_seconds'] = round(time.process_time() - cpu0, 1)  # this process, all phases
    return r


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='results/held_out.json')
    p.add_argument('--archs', nargs='+', default=list(ARCHS), choices=list(ARCHS))
    p.add_argument('--epochs', type=int, default=3, help="the networks' training epochs")
    p.add_argument('--classes', type=int, nargs='+', default=None, help='forget classes (default: every class)')
    p.add_argument('--n_train', type=int, default=None, help='first n training images (default: all)')
    p.add_argument('--n_test', type=int, default=None, help='first n test images (default: all)')
    p.add_argument('--keep', default=None, help='a folder to keep each network and surrogate in (default: none)')
    a = p.parse_args()
    torch.set_num_threads(1)
    warnings.filterwarnings('ignore', message="the surrogate's last state has FVU")  # fit_fvu is recorded
    t0 = time.perf_counter()
    out = dict(command='python ' + ' '.join(sys.argv), torch_threads=torch.get_num_threads(), compute=compute_env(),
               net_epochs=a.epochs, net_seed=0, n_train=a.n_train, n_test=a.n_test,
               edit_kw={e: dict(method=m, **kw) for e, (m, kw) in EDITS.items()}, thresholds=THRESHOLDS, archs={})
    for name in a.archs:
        out['archs'][name] = run_arch(name, a)
        row = out['archs'][name]
        print(name, {k: row[k] for k in ('net_acc', 'surrogate_acc', 'agreement', 'checks', 'seconds')},
              {m: {k: v for k, v in e.items() if k != 'classes'} for m, e in row['edits'].items()}, flush=True)
    out['all_pass'] = {m: all(all(r['checks'][m].values()) for r in out['archs'].values()) for m in EDITS}
    out['wall_seconds'] = round(time.perf_counter() - t0, 1)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1) + '\n')
    print(json.dumps({k: v for k, v in out.items() if k != 'archs'}))
