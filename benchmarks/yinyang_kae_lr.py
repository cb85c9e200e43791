"""Peak learning rate of the Yin-Yang KAE on the full-batch `resmlp5`, chosen on the validation split.

    python benchmarks/yinyang_kae_lr.py --out results/yinyang_recipes/kae_lr.jsonl [--lrs 0.1 0.05 0.03]

For each learning rate the five paper seeds are trained as one stacked model (`fit_surrogates`) with `YINYANG_KAE`'s
recipe otherwise unchanged; each seed's surrogate is scored on the validation split (seed 41): accuracy, agreement with
the network, and the largest epoch loss after epoch 100 (a spike shows there). One JSON line per (lr, seed).
"""
import argparse, json, time
from dataclasses import replace
import numpy as np
import torch
from koopman_repr.base_nets import predict
from koopman_repr.koopman_ae import fit_surrogates, surrogate_metrics
from koopman_repr.paper.experiments import YINYANG_RESMLP5, YINYANG_KAE, PAPER_SEEDS, train_or_load, load_splits

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', required=True); p.add_argument('--lrs', type=float, nargs='+', default=[0.1, 0.05, 0.03])
    p.add_argument('--checkpoints', default='results/checkpoints', help="where the committed resmlp5 checkpoint is")
    a = p.parse_args(argv)
    net, _ = train_or_load(YINYANG_RESMLP5, a.checkpoints, verbose=False)
    sp = load_splits(YINYANG_RESMLP5)
    base_pred = predict(net, sp['val'][0])
    with open(a.out, 'a') as f:
        for lr in a.lrs:
            t0 = time.time()
            fitted = fit_surrogates(net, sp['train'][0], YINYANG_KAE.kae, [replace(YINYANG_KAE.train, lr=lr, seed=s) for s in PAPER_SEEDS], verbose=False)
            secs = time.time() - t0
            for s, (sur, h) in zip(PAPER_SEEDS, fitted):
                m = surrogate_metrics(sur, *sp['val'], 3, base_pred)
                tot = np.asarray(h['total'])
                row = dict(lr=lr, seed=s, val_acc=round(m['acc'], 2), val_agreement=round(m['agreement'], 2), final_loss=float(tot[-1]),
                           max_loss_after_100=float(tot[100:].max()), stacked_seconds=round(secs, 1))
                f.write(json.dumps(row) + '\n'); f.flush(); print(json.dumps(row), flush=True)

if __name__ == '__main__': main()
