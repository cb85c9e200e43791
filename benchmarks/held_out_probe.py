"""Why the held-out checks of `held_out.py` fail where they fail: the joint edit's options and the surrogate's size.

    python benchmarks/held_out.py --archs tcn --out /tmp/ho.json --keep /tmp/keep   # keeps tcn.pt and tcn.kae
    python benchmarks/held_out_probe.py edit tcn 3,9 --keep /tmp/keep                 # edit options, kept surrogate
    python benchmarks/held_out_probe.py refit tcn 3,9 '{"n_obs": 256}' --keep /tmp/keep  # another surrogate
    python benchmarks/held_out_probe.py first vgg_bn '' --keep /tmp/keep              # what the first state holds
    python benchmarks/held_out.py --epochs 10 --archs convnext --out /tmp/ho10.json --keep /tmp/keep10
    python benchmarks/held_out_probe.py refit convnext 6 '{"pca_dim": 256}' --keep /tmp/keep10 \
        --net_epochs 10 --out results/held_out_probe.json

`edit` reruns the joint edit (`unlearn(..., 'joint', **MNIST_JOINT_EDIT)`, one option changed per variant) on the kept
surrogate; `refit` fits a surrogate with other `fit_surrogate` options (`hidden`: the encoder's hidden widths,
`n_obs`: the KAE's observables, both through `kae_cfg`; others replace the advised path's, e.g. `layers`) on the kept
network (trained as `held_out.py` trains it if absent), prints the test agreement and runs the default edit (with
`--variants`, every variant of `edit`). Each prints,
per forget class, the test forget and retained accuracy, the fitted points still in the class and the retained points
lost at the last round. `first` trains a linear map and an MLP on the kept surrogate's first states to predict the
network's class (see `first_state_probe`): the agreement a map from those states reaches on test, beside the
surrogate's. With `--out`, each run is also merged into a JSON file, one entry per command. One thread, as
`held_out.py`.
"""
import argparse
import json
import shlex
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path
import torch
import torch.nn as nn
import torch.nn.functional as F
from koopman_repr.data import set_seed
from koopman_repr.base_nets import predict, accuracy
from koopman_repr.koopman_ae import fit_surrogate, Surrogate, DEFAULT_KAE
from koopman_repr.unlearning import unlearn, forget_metrics
from koopman_repr.paper.experiments import MNIST_JOINT_EDIT
sys.path.insert(0, str(Path(__file__).parent))
from held_out import ARCHS, splits, train  # noqa: E402

KAE_FIELDS = ('hidden', 'n_obs')  # refit options that set the KAE's shape (`KAEConfig`) rather than the path
EDIT_VARIANTS = {'default': {}, 'no_cap': dict(max_weight=float('inf')), 'all_points': dict(max_points=None),
                 'confident95': dict(confident=0.95), 'global': dict(pools='global'),
                 'forget_weight10': dict(forget_weight=10.0)}


def network(name:str, keep:Path, epochs:int=3):
    "The kept network of `held_out.py --keep`, or one trained the same way for `epochs` epochs (and kept)."
    arch, path = ARCHS[name], keep / f'{name}.pt'
    net = arch.make()
    if path.exists(): net.load_state_dict(torch.load(path, weights_only=True))
    else:
        X, y = splits(arch.dataset)['train']
        set_seed(0)  # then the network is made and trained as `held_out.py` makes and trains it
        net = train(arch.make(), X, y, epochs)
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(net.state_dict(), path)
    return net.eval()


def edit_rows(name:str, sur:Surrogate, data:dict, classes:list, variants:dict)->list:
    "Per class and variant: test forget and retained accuracy, and the last round's counts on the fitted points."
    (X, y), (Xt, yt) = data['train'], data['test']
    before, rows = sur.predict(Xt), []
    for c in classes:
        r0 = forget_metrics(before, yt, c)['retain_acc']
        for v, opts in variants.items():
            trace, t0 = [], time.perf_counter()
            edited = unlearn(sur, X, y, c, 'joint', trace=trace, **(MNIST_JOINT_EDIT | opts))
            m = forget_metrics(edited.predict(Xt), yt, c)
            print(f"{name} c={c} {v:15s} forget {m['forget_acc']:5.1f} retain {m['retain_acc']:5.1f} (before {r0:5.1f})"
                  f" rounds {len(trace)} fitted left {trace[-1]['forget_left']} lost {trace[-1]['retained_lost']}"
                  f" {time.perf_counter() - t0:.0f} s", flush=True)
            rows.append(dict(c=c, variant=v, forget=m['forget_acc'], retain=m['retain_acc'], retain_before=r0,
                             rounds=len(trace), fitted_forget_left=trace[-1]['forget_left'],
                             fitted_retained_lost=trace[-1]['retained_lost']))
    return rows


def first_state_probe(name:str, sur:Surrogate, net, data:dict, epochs:int=15)->dict:
    ("How well the network's class can be learned from the surrogate's first states: a linear map and an MLP "
     "(two hidden layers of 512, GELU) trained on the training images' first states to predict the network's class, "
     "their agreement with the network on test, beside the surrogate's.")
    (X, _), (Xt, _) = data['train'], data['test']
    Z, Zt = sur.lift(X).float(), sur.lift(Xt).float()
    p, pt = predict(net, X), predict(net, Xt)
    mu, sd = Z.mean(0), Z.std(0) + 1e-6
    Z, Zt = (Z - mu) / sd, (Zt - mu) / sd
    out, q = dict(q=Z.shape[1], surrogate_agreement=accuracy(sur.predict(Xt), pt), epochs=epochs), Z.shape[1]
    for kind in ('linear', 'mlp'):
        set_seed(0)
        m = (nn.Linear(q, 10) if kind == 'linear' else
             nn.Sequential(nn.Linear(q, 512), nn.GELU(), nn.Linear(512, 512), nn.GELU(), nn.Linear(512, 10)))
        opt = torch.optim.Adam(m.parameters(), 1e-3)
        for epoch in range(epochs):
            for i in torch.randperm(len(Z)).split(256):
                loss = F.cross_entropy(m(Z[i]), p[i])
                opt.zero_grad()
                loss.backward()
                opt.step()
        with torch.no_grad():
            out[kind] = dict(train=accuracy(m(Z).argmax(1), p), test=accuracy(m(Zt).argmax(1), pt))
        print(f"{name} first-state {kind} probe (q {q}): agreement train {out[kind]['train']:.2f}, "
              f"test {out[kind]['test']:.2f}; surrogate test {out['surrogate_agreement']:.2f}", flush=True)
    return out


def save(out:str, key:str, record:dict):
    "Merge one run's record into the JSON file `out` under `key` (other runs stay)."
    path = Path(out)
    runs = json.loads(path.read_text()) if path.exists() else {}
    runs[key] = record | dict(command='python ' + shlex.join(sys.argv))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(runs, indent=1) + '\n')


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('what', choices=['edit', 'refit', 'first'])
    p.add_argument('arch', choices=list(ARCHS))
    p.add_argument('classes', help='forget classes, comma-separated (may be empty for refit)')
    p.add_argument('options', nargs='?', default='{}', help='refit: fit_surrogate options as JSON')
    p.add_argument('--keep', default='/tmp/held_out_keep', help="the folder of held_out.py --keep")
    p.add_argument('--variants', action='store_true', help='refit: every edit variant, not only the default edit')
    p.add_argument('--out', default=None, help='a JSON file each run is merged into (default: print only)')
    p.add_argument('--net_epochs', type=int, default=3,
                   help="the network's epochs: those of held_out.py --epochs for a kept network (recorded)")
    a = p.parse_args()
    torch.set_num_threads(1)
    warnings.filterwarnings('ignore', message="the surrogate's last state has FVU")
    arch, keep = ARCHS[a.arch], Path(a.keep)
    classes, data = [int(c) for c in a.classes.split(',') if c], splits(arch.dataset)
    net = network(a.arch, keep, a.net_epochs)
    kw = arch.path(net)
    if a.what == 'edit':
        sur = Surrogate.load(keep / f'{a.arch}.kae', net, head=kw.get('head'))
        record = dict(edits=edit_rows(a.arch, sur, data, classes, EDIT_VARIANTS))
    elif a.what == 'first':
        sur = Surrogate.load(keep / f'{a.arch}.kae', net, head=kw.get('head'))
        record = first_state_probe(a.arch, sur, net, data)
    else:
        opts = json.loads(a.options)
        shape = {k: opts.pop(k) for k in KAE_FIELDS if k in opts}  # the KAE's shape, through `kae_cfg`
        if 'hidden' in shape: shape['hidden'] = tuple(shape['hidden'])
        if shape: kw['kae_cfg'] = replace(DEFAULT_KAE, **shape)
        t0 = time.perf_counter()
        sur = fit_surrogate(net, data['train'][0], verbose=False, **(kw | opts))  # options replace the advised
        Xt, yt = data['test']
        pn, ps = predict(net, Xt), sur.predict(Xt)
        record = dict(q=sur.pre.q, p=sur.dynamics.cfg.n_obs, network=accuracy(pn, yt), surrogate=accuracy(ps, yt),
                      agreement=accuracy(ps, pn), fit_seconds=round(time.perf_counter() - t0, 1))
        print(f"{a.arch} {a.options}: q {record['q']}, p {record['p']}, network {record['network']:.2f}, "
              f"surrogate {record['surrogate']:.2f}, agreement {record['agreement']:.2f} "
              f"({record['fit_seconds']:.0f} s)")
        record['edits'] = edit_rows(a.arch, sur, data, classes, EDIT_VARIANTS if a.variants else {'default': {}})
    if a.out: save(a.out, f"{a.what} {a.arch} {a.options} e{a.net_epochs}", record | dict(net_epochs=a.net_epochs))
