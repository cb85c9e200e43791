"""How often do two trainings of one held-out network agree? The yardstick beside a surrogate's agreement.

    python benchmarks/twin_agreement.py --epochs 3 --out results/twin_agreement.json
    python benchmarks/twin_agreement.py --epochs 10 --archs vgg_bn convnext --seeds 0 1 --out results/twin_agreement.json
    python benchmarks/twin_agreement.py --epochs 10 --archs gru densenet tcn --seeds 0 1 --out results/twin_agreement_e10_mnist.json

A surrogate that agrees with its network on 93 % of the test images may be poor, or the network's decisions on the
other 7 % may be ones any second fit would make differently. This trains each held-out network of
`benchmarks/held_out.py` (its architectures, data, optimiser and epochs) from `set_seed(s)` for every seed s, and
reports each network's test accuracy and the test agreement of every other seed's network with seed 0's (seed 0 is
held_out.py's own network: same command, same machine and thread count, same weights), overall and on the worst
class. One torch thread, as held_out.py. Each run is merged into `--out` under `e<epochs>` with its command; a
run that would replace another run's networks there is refused (pass another `--out`).
"""
import argparse
import json
import sys
import time
from pathlib import Path
import torch
from koopman_repr.data import set_seed
from koopman_repr.base_nets import predict, accuracy, compute_env
from held_out import ARCHS, train, splits


def twins(name:str, epochs:int, seeds:list)->dict:
    "Train `name` from every seed; each network's test accuracy and its agreement with seed `seeds[0]`'s network."
    arch = ARCHS[name]
    data = splits(arch.dataset)
    (X, y), (Xt, yt) = data['train'], data['test']
    preds, secs = [], []
    for s in seeds:
        set_seed(s)
        t0 = time.perf_counter()
        preds.append(predict(train(arch.make(), X, y, epochs), Xt))
        secs.append(round(time.perf_counter() - t0, 1))
    ref = preds[0]
    agree = [accuracy(p, ref) for p in preds[1:]]
    worst_class = [min(accuracy(p[yt == c], ref[yt == c]) for c in yt.unique()) for p in preds[1:]]
    return dict(model=arch.title, dataset=arch.dataset, seeds=list(seeds), net_acc=[accuracy(p, yt) for p in preds],
                agreement_with_first=agree, agreement_worst=min(agree), agreement_worst_class=min(worst_class),
                train_seconds=secs)


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='results/twin_agreement.json')
    p.add_argument('--archs', nargs='+', default=list(ARCHS), choices=list(ARCHS))
    p.add_argument('--epochs', type=int, default=3, help="the networks' training epochs (held_out.py's --epochs)")
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2], help='the first is held_out.py\'s (0)')
    a = p.parse_args()
    if len(a.seeds) < 2 or len(set(a.seeds)) != len(a.seeds):
        raise SystemExit(f"--seeds: at least two different seeds, got {a.seeds}")
    path, key = Path(a.out), f'e{a.epochs}'
    old = json.loads(path.read_text()) if path.exists() else {}
    dropped = sorted(set(old.get(key, {}).get('archs', {})) - set(a.archs))
    if dropped:  # a rerun replaces its own entry, never another run's networks
        raise SystemExit(f"--out {path}: its {key} run has {dropped}, which this run would drop; pass another --out")
    torch.set_num_threads(1)
    run = dict(command='python ' + ' '.join(sys.argv), compute=compute_env(), epochs=a.epochs, archs={})
    for name in a.archs:
        run['archs'][name] = r = twins(name, a.epochs, a.seeds)
        print(name, {k: v for k, v in r.items() if k not in ('model', 'dataset')}, flush=True)
    old = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps(old | {key: run}, indent=1) + '\n')
