"""Exact H0 deaths on clouds full of ties, timed against random points of the same size in one process.

Writes results/h0_ties.json:

    OMP_NUM_THREADS=1 python benchmarks/h0_ties.py           # about 2 minutes on one core
    OMP_NUM_THREADS=1 python benchmarks/h0_ties.py --full    # with the lattice and circle at 100 000 points (~5 min)

Clouds of each size: `random` (standard normal, the baseline), `identical` (every point the same),
`duplicated` (a tenth as many random points, ten copies each), `lattice` (a square grid in 2-D; in 784-D
binary points, whose squared distances are integers) and `circle` (equally spaced points, 2-D). Each entry
holds the wall time of `h0_deaths`, its ratio to the random cloud's, and a check of the known answer
(identical: all deaths 0; duplicated: the copies' deaths 0; lattice in 2-D: every death 1). At 100 000
points in 2-D, the lattice and the circle run only with --full. Times are wall-clock seconds on the
machine that runs this; only the ratios compare across machines.
"""
import argparse, json, os, platform, time
from pathlib import Path
import numpy as np
import torch
from koopman_repr.topology import h0_deaths

def grid(n:int)->np.ndarray:
    s = int(round(np.sqrt(n)))
    return np.stack(np.meshgrid(np.arange(s * 1.0), np.arange(s * 1.0)), -1).reshape(-1, 2)

def circle(n:int)->np.ndarray:
    t = 2 * np.pi * np.arange(n) / n
    return np.c_[np.cos(t), np.sin(t)]

def clouds(n:int, d:int, kinds)->dict:
    "The clouds of n points in d dimensions (the 2-D lattice has the nearest square number of points)."
    g = np.random.default_rng(0)
    make = {'random': lambda: g.normal(size=(n, d)),
            'identical': lambda: np.full((n, d), 0.5),
            'duplicated': lambda: np.repeat(g.normal(size=(n // 10, d)), 10, axis=0),
            'lattice': lambda: grid(n) if d == 2 else g.integers(0, 2, size=(n, d)).astype(float),
            'circle': lambda: circle(n)}
    return {k: make[k]() for k in kinds}

def known_answer(kind:str, X:np.ndarray, deaths:np.ndarray):
    "Whether the deaths are the cloud's known answer (None where there is none)."
    n_distinct, zeros = len(X) // 10, int((deaths == 0).sum())
    if kind == 'identical': return zeros == len(deaths)
    if kind == 'duplicated': return zeros == len(X) - n_distinct and len(deaths) - zeros == n_distinct - 1
    if kind == 'lattice' and X.shape[1] == 2: return bool((deaths == 1).all())
    return None

def run(n:int, d:int, kinds)->dict:
    out = {}
    for kind, X in clouds(n, d, kinds).items():
        t0 = time.perf_counter()
        deaths = h0_deaths(X)
        out[kind] = dict(seconds=time.perf_counter() - t0, n_points=len(X), known_answer=known_answer(kind, X, deaths))
        print(f"{len(X):>7} points, {d:>3}-D, {kind:<10} {out[kind]['seconds']:8.2f} s", flush=True)
    base = out.get('random', {}).get('seconds')
    for v in out.values(): v['ratio'] = None if base is None else v['seconds'] / base
    return dict(n_points=n, dim=d, clouds=out)

def cpu_model()->str:
    "The CPU's model name (platform.processor() is often empty on Linux)."
    info = Path('/proc/cpuinfo')
    lines = info.read_text().splitlines() if info.exists() else []
    names = [l.split(':', 1)[1].strip() for l in lines if l.startswith('model name')]
    return names[0] if names else platform.processor()

def machine()->dict:
    return dict(processor=platform.processor(), cpu_model=cpu_model(), machine=platform.machine(),
                cpu_count=os.cpu_count(), torch_threads=torch.get_num_threads())

ALL = ('random', 'identical', 'duplicated', 'lattice', 'circle')
if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--full', action='store_true', help='the lattice and the circle at 100 000 points in 2-D too')
    ap.add_argument('--out', default='results/h0_ties.json')
    args = ap.parse_args()
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    plan = [(10_000, 2, ALL), (40_000, 2, ALL), (10_000, 784, ALL[:4])]
    plan.append((100_000, 2, ALL if args.full else ALL[:3]))
    runs = [run(n, d, kinds) for n, d, kinds in plan]
    ratios = [v['ratio'] for r in runs for k, v in r['clouds'].items() if k != 'random' and v['ratio'] is not None]
    known = all(v['known_answer'] is not False for r in runs for v in r['clouds'].values())
    res = dict(machine=machine(), full=args.full, worst_ratio=max(ratios), all_known_answers=known,
               seconds_total=time.perf_counter() - t0, runs=runs)
    Path(args.out).write_text(json.dumps(res, indent=1) + '\n')
    print(f"worst ratio to random points: {res['worst_ratio']:.2f}; known answers: {res['all_known_answers']}; "
          f"{res['seconds_total']:.0f} s in all")
