"""Choosing the path and head: recurrent, convolutional and transformer networks (issue #31).

    python benchmarks/path_choice.py --out results/path_choice.json

Trains three small classifiers at one thread (a 2-layer LSTM on MNIST rows as a 28-step sequence, a CNN on
Fashion-MNIST, a 2-block ViT on MNIST), fits one surrogate per way of capturing the path (`reduce=`, `pca_dim=`)
and writes the network's test accuracy and, per case, the surrogate's accuracy, its agreement with the network
(overall and in the worst class), the head on the reduced last layer (the ceiling the width leaves) and the
seconds it took; for the CNN also the share of each layer's variance kept by k principal axes.
"""
import argparse
import json
import sys
import time
import warnings
from pathlib import Path
import torch
import torch.nn as nn
import torch.nn.functional as F
from koopman_repr.data import set_seed, TensorLoader, idx_images
from koopman_repr.base_nets import predict, accuracy, capture
from koopman_repr.koopman_ae import fit_surrogate
from koopman_repr.paper.zoo import ZooCNN, ZooViT


class RowLSTM(nn.Module):
    "Two stacked LSTMs over the 28 rows of an image, a linear head on the last step."
    def __init__(self, hidden:int=64):
        super().__init__()
        self.lstm1 = nn.LSTM(28, hidden, batch_first=True)
        self.lstm2 = nn.LSTM(hidden, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 10)

    def forward(self, x):
        h, _ = self.lstm1(x.reshape(len(x), 28, 28))
        h, _ = self.lstm2(h)
        return self.fc(h[:, -1])


class LastStep(nn.Module):
    "The last step of a sequence (n, T, D) → (n, D): a head on the full sequence starts with it."
    def forward(self, h): return h[:, -1]


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


def variance_kept(Z:torch.Tensor, ks)->dict:
    "Share of the centred rows' variance on their first k principal axes, for each k."
    s2 = torch.linalg.svdvals(Z - Z.mean(0)).double().pow(2)
    return {str(k): float(s2[:k].sum() / s2.sum()) for k in ks}


def run_case(net, data:dict, name:str, layers:list, epochs:int, **kw)->dict:
    "Fit one surrogate and measure it on the held-out split."
    (Xtr, _), (Xte, yte) = data['train'], data['test']
    set_seed(0)
    t0 = time.time()
    sur = fit_surrogate(net, Xtr, layers, train_cfg=dict(epochs=epochs), verbose=False, **kw)
    fit_s = time.time() - t0
    ps, pn = sur.predict(Xte), predict(net, Xte)
    last = sur.pre.inverse_transform(sur.states(Xte)[sur.last], sur.last)
    per_class = [accuracy(ps[yte == c], pn[yte == c]) for c in yte.unique()]
    reduce = kw.get('reduce', 'flatten')
    row = dict(case=name, layers=layers, reduce=reduce if isinstance(reduce, dict) else str(reduce),
               pca_dim=str(kw.get('pca_dim', 'auto')), width=sur.pre.q,
               test_acc=accuracy(ps, yte), agreement=accuracy(ps, pn), agreement_worst_class=min(per_class),
               ceiling_acc=accuracy(sur.head_logits(last).argmax(1), yte), fit_fvu=sur.fit_fvu,
               fit_seconds=round(fit_s, 1))
    print(name, {k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()}, flush=True)
    return row


def splits(dataset:str, n_train:int, n_test:int)->dict:
    return {s: (X[:n].reshape(-1, 1, 28, 28), y[:n])
            for s, n in (('train', n_train), ('test', n_test)) for X, y in [idx_images(dataset, s)]}


def trained(net, data:dict, epochs:int)->tuple:
    set_seed(0)
    t0 = time.time()
    net = train(net, *data['train'], epochs)
    Xte, yte = data['test']
    return net, dict(net_test_acc=accuracy(predict(net, Xte), yte), net_train_seconds=round(time.time() - t0, 1),
                     net_epochs=epochs)


def recurrent(a)->dict:
    data = splits('mnist', a.n_train, a.n_test)
    set_seed(0)
    net, out = trained(RowLSTM(a.hidden), data, a.net_epochs)
    layers, fc = ['lstm1', 'lstm2'], net.fc
    seq_head = nn.Sequential(LastStep(), fc)
    cases = [('last step', dict(reduce=-1, head=fc)),
             ('mean over steps', dict(reduce='mean', head=fc)),
             ('full sequence', dict(reduce='flatten', head=seq_head)),
             ('full sequence, then last step', dict(reduce={'lstm1': 'flatten', 'lstm2': -1}, head=fc))]
    out |= dict(model=f'2 stacked LSTMs, {a.hidden} units, 28 rows of 28 pixels', dataset='mnist',
                cases=[run_case(net, data, name, layers, a.fit_epochs, output=0, **kw) for name, kw in cases])
    return out


def convolutional(a)->dict:
    data = splits('fashion_mnist', a.n_train, a.n_test)
    set_seed(0)
    net, out = trained(ZooCNN(channels=(8, 16), width=64), data, a.net_epochs)
    layers = net.default_layers()
    Z = capture(net, data['train'][0][:a.n_var], layers)
    out |= dict(model='ZooCNN(channels=(8, 16), width=64)', dataset='fashion_mnist',
                layer_widths={n: z.shape[1] for n, z in Z.items()},
                variance_rows=a.n_var, variance_kept={n: variance_kept(z, a.var_dims) for n, z in Z.items()})
    cases = [(f'pca_dim={k}', dict(pca_dim=k)) for k in a.pca_dims]
    cases.append(('mean over positions', dict(reduce='mean')))
    out['cases'] = [run_case(net, data, name, layers, a.fit_epochs, **kw) for name, kw in cases]
    return out


def transformer(a)->dict:
    data = splits('mnist', a.n_train, a.n_test)
    set_seed(0)
    net, out = trained(ZooViT(dim=32, depth=2, heads=2), data, a.net_epochs)
    layers, tok_head = net.default_layers(), net.head[1:]  # net.head: ClassToken, LayerNorm, Linear
    cases = [('class token', dict(reduce=0, head=tok_head)),
             ('mean over tokens', dict(reduce='mean', head=tok_head)),
             ('full token map', dict(reduce='flatten', head=net.head)),
             ('full map, then class token', dict(reduce={layers[0]: 'flatten', layers[-1]: 0}, head=tok_head))]
    out |= dict(model='ZooViT(dim=32, depth=2, heads=2): 16 patches and a class token', dataset='mnist',
                cases=[run_case(net, data, name, layers, a.fit_epochs, **kw) for name, kw in cases])
    return out


def pca_dim(v): return v if v == 'auto' else int(v)


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--out', default='results/path_choice.json')
    p.add_argument('--n_train', type=int, default=10000)
    p.add_argument('--n_test', type=int, default=2000)
    p.add_argument('--net_epochs', type=int, default=6)
    p.add_argument('--fit_epochs', type=int, default=80)
    p.add_argument('--hidden', type=int, default=64)
    p.add_argument('--n_var', type=int, default=2000)
    p.add_argument('--pca_dims', type=pca_dim, nargs='+', default=[8, 16, 32, 'auto'])
    p.add_argument('--var_dims', type=int, nargs='+', default=[8, 16, 32, 64, 128])
    p.add_argument('--families', nargs='+', default=['recurrent', 'convolutional', 'transformer'])
    p.add_argument('--quick', action='store_true')
    a = p.parse_args()
    if a.quick:
        a.n_train, a.n_test, a.net_epochs, a.fit_epochs, a.hidden, a.n_var = 600, 300, 1, 2, 16, 300
    torch.set_num_threads(1)
    warnings.filterwarnings('ignore', message="the surrogate's last state has FVU")  # fit_fvu is recorded
    t0 = time.time()
    out = dict(command='python ' + ' '.join(sys.argv), torch_threads=torch.get_num_threads(),
               n_train=a.n_train, n_test=a.n_test, fit_epochs=a.fit_epochs, surrogate_seed=0, net_seed=0)
    run = dict(recurrent=recurrent, convolutional=convolutional, transformer=transformer)
    for fam in a.families:
        t1 = time.time()
        out[fam] = run[fam](a)
        out[fam]['seconds'] = round(time.time() - t1, 1)
    out['wall_seconds'] = round(time.time() - t0, 1)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1) + '\n')
    print(json.dumps({k: v for k, v in out.items() if not isinstance(v, dict)}))
