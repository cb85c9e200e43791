"""Same command, same numbers? What a seeded network's and surrogate's bits depend on (issue #31).

    python benchmarks/determinism.py --out results/determinism.json

Two runs of `held_out.py` with one command and one seed, on two machines, trained networks that differed in the
first decimal of their test accuracy. This benchmark asks which setting does that. Each run, a fresh process,
trains one held-out network (`held_out.py`'s `vgg_bn`, a CNN with BatchNorm, on the first `--n_train` Fashion-MNIST
training images for `--epochs` epochs, from `set_seed(0)`) and fits a short surrogate to the first run's network
(so that the fit is compared on one network). Settings: one torch thread, twice; two threads; one thread with torch's
CPU kernels held to AVX2 (`ATEN_CPU_CAPABILITY=avx2`; on a CPU with no more than AVX2 that is its own kernels).
Each run records `compute_env()`, the SHA-256 of its network's weights and the network's test accuracy; against the
first run, whether its network is bit-identical, and the largest difference of its surrogate's test logits.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
import torch
from koopman_repr.data import set_seed
from koopman_repr.base_nets import predict, accuracy, compute_env
from koopman_repr.koopman_ae import fit_surrogate, model_fingerprint
sys.path.insert(0, str(Path(__file__).parent))
from held_out import ARCHS, splits, train  # noqa: E402

SETTINGS = {'1 thread': dict(threads=1), '1 thread, again': dict(threads=1), '2 threads': dict(threads=2),
            '1 thread, AVX2 kernels': dict(threads=1, env=dict(ATEN_CPU_CAPABILITY='avx2'))}


def child(a):
    "One run: train the network, fit a surrogate to the reference network (this one if there is none yet)."
    torch.set_num_threads(a.threads)
    warnings.filterwarnings('ignore', message="the surrogate's last state has FVU")
    arch, tmp = ARCHS[a.arch], Path(a.tmp)
    data = splits(arch.dataset, a.n_train, a.n_test)
    (X, y), (Xt, yt) = data['train'], data['test']
    set_seed(0)
    t0 = time.perf_counter()
    net = train(arch.make(), X, y, a.epochs)
    train_s = time.perf_counter() - t0
    ref = tmp / 'reference.pt'
    if not ref.exists(): torch.save(net.state_dict(), ref)
    base = arch.make()
    base.load_state_dict(torch.load(ref, weights_only=True))
    base.eval()
    sur = fit_surrogate(base, X[:a.n_fit], verbose=False, train_cfg=dict(epochs=a.fit_epochs), **arch.path(base))
    torch.save(sur.logits(Xt), tmp / f'logits_{a.run}.pt')
    print(json.dumps(dict(compute=compute_env(), network_sha256=model_fingerprint(net),
                          net_acc=accuracy(predict(net, Xt), yt), train_seconds=round(train_s, 1))))


def run(name:str, setting:dict, a, tmp:Path, i:int)->dict:
    "One setting in a fresh process (its thread count and environment)."
    env = os.environ | {'OMP_NUM_THREADS': str(setting['threads'])} | setting.get('env', {})
    cmd = [sys.executable, __file__, '--child', '--run', str(i), '--threads', str(setting['threads']),
           '--tmp', str(tmp), '--arch', a.arch, '--epochs', str(a.epochs), '--n_train', str(a.n_train),
           '--n_test', str(a.n_test), '--n_fit', str(a.n_fit), '--fit_epochs', str(a.fit_epochs)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode: raise RuntimeError(f"the run '{name}' failed:\n{out.stderr}")
    return dict(setting=name, **setting, **json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='results/determinism.json')
    p.add_argument('--arch', default='vgg_bn', choices=list(ARCHS))
    p.add_argument('--epochs', type=int, default=2, help="the network's training epochs")
    p.add_argument('--n_train', type=int, default=10000, help='first n training images')
    p.add_argument('--n_test', type=int, default=2000, help='first n test images')
    p.add_argument('--n_fit', type=int, default=5000, help="first n training images the surrogate is fitted on")
    p.add_argument('--fit_epochs', type=int, default=3, help="the surrogate's epochs")
    p.add_argument('--child', action='store_true', help=argparse.SUPPRESS)
    p.add_argument('--run', type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument('--threads', type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument('--tmp', default=None, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child: child(a)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows = [run(name, s, a, Path(tmp), i) for i, (name, s) in enumerate(SETTINGS.items())]
            ref = torch.load(Path(tmp) / 'logits_0.pt')
            for i, r in enumerate(rows):
                logits = torch.load(Path(tmp) / f'logits_{i}.pt')
                r |= dict(same_network=r['network_sha256'] == rows[0]['network_sha256'],
                          surrogate_logits_max_diff=float((logits - ref).abs().max()),
                          surrogate_logits_scale=float(ref.abs().max()),
                          surrogate_same_predictions=float((logits.argmax(1) == ref.argmax(1)).float().mean() * 100))
        out = dict(command='python ' + ' '.join(sys.argv), arch=a.arch, epochs=a.epochs, n_train=a.n_train,
                   n_test=a.n_test, n_fit=a.n_fit, fit_epochs=a.fit_epochs, runs=rows)
        for r in rows:
            print(r['setting'], r['compute']['cpu_capability'], r['same_network'], round(r['net_acc'], 2),
                  r['surrogate_logits_max_diff'], flush=True)
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.out).write_text(json.dumps(out, indent=1) + '\n')
