"""The joint edit cell by cell on MNIST: forget digit 4 on five default surrogates, every digit on the first; results/edit_cells.json.

    OMP_NUM_THREADS=1 python benchmarks/edit_cells.py    # ~25 min on one CPU thread the first time (network and surrogates), then ~2 min

The surrogates are the general API's default (`fit_surrogate(model, X)`, its automatic recipe) of the paper's MNIST network,
cached in the runs folder. Each row: held-out forget and retained accuracy before and after the edit, after an edit with twice
the iteration budget, the rounds to the fixed point, the edit's wall time (one thread) and its trace.
"""
import argparse, json
from pathlib import Path
import torch
from koopman_repr.paper.experiments import _edit_cells_report

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default='results/edit_cells.json')
    args = ap.parse_args()
    torch.set_num_threads(1)
    rep = _edit_cells_report()
    Path(args.out).write_text(json.dumps({'mnist': rep}, indent=1) + '\n')
    one = rep['one_class'].values()
    print('digit 4 over seeds: forget', [round(r['forget'], 2) for r in one], 'retain change', [round(r['retain'] - r['retain_before'], 2) for r in one],
          'seconds', [round(r['seconds'], 2) for r in one])
    every = rep['every_class']
    print('every digit: forget', [round(r['forget'], 2) for r in every], 'retain change', [round(r['retain'] - r['retain_before'], 2) for r in every],
          'seconds', [round(r['seconds'], 2) for r in every])
