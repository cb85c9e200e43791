"""The Yin-Yang all-pairs surrogates refitted in one shared preprocessing frame; results/shared_frame.json.

    OMP_NUM_THREADS=1 python benchmarks/shared_frame.py    # ~7 min on one CPU thread (two variants × five seeds, stacked)

With a frame per layer (the paper's preprocessing) the one-step maps between preprocessed layers differ, so the paper's
all-pairs objective cannot be met by one K; here every layer shares one PCA basis and one scale.
"""
import argparse, json
from pathlib import Path
import torch
from koopman_repr.paper.experiments import _shared_frame_report

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default='results/shared_frame.json')
    ap.add_argument('--cache', default='results/checkpoints', help='where the Yin-Yang network checkpoint is')
    args = ap.parse_args()
    rep = _shared_frame_report(cache_dir=args.cache)
    Path(args.out).write_text(json.dumps({'yinyang': rep}, indent=1) + '\n')
    for k, v in rep.items(): print(k, 'acc', [round(a, 2) for a in v['surrogate_test_acc']], 'agreement', [round(a, 2) for a in v['agreement']])
