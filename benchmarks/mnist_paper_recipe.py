"""The paper's MNIST surrogate recipe (`MNIST_KAE`: exp operator, 100 epochs, lr 5e-3) for the five paper seeds, and β0 of their iterates.

About 80 minutes per seed on a 2-core CPU, so it is meant for a GPU:

    python benchmarks/mnist_paper_recipe.py --runs RUNS --out DIR [--data DATA] [--device cuda] [--quick] [--seeds S ...]
    python benchmarks/mnist_paper_recipe.py --merge DIR --into results   # put a run's JSON into the project's results

RUNS must hold the MNIST ResMLP checkpoint (it is trained there if missing). Writes DIR/koopman_ae_mnist_paper.json (the
`surrogate_report`, the `mnist.variants.paper` entry of `koopman_ae.json`) and DIR/topology_mnist_paper.json (the
`beta0_results` with prefix `mnist_paper`) and DIR/histories_mnist_paper.json (each seed's training history and the
moduli of its one-step operator's eigenvalues). The surrogates themselves stay in RUNS.

`--merge` copies a finished run into a results folder: the report becomes `mnist.variants.paper` of `koopman_ae.json`
(the headline variant stays the fast recipe's), the β0 keys join `topology.json`, the histories become
`mnist_paper_histories.json`. Nothing else in those files changes.
"""
import argparse, json, time
from pathlib import Path
import torch
from koopman_repr.base_nets import load_checkpoint
from koopman_repr.paper.experiments import MNIST_KAE, _MNIST_KAE_QUICK, PAPER_SEEDS, surrogate_report, seed_configs, surrogate_path
from koopman_repr.paper.experiments import beta0_report, beta0_results
from koopman_repr.paper.cli import write_json, update_json

def merge(run_dir, results):
    "Merge a finished run's JSON files from `run_dir` into the results folder `results`."
    run_dir, results = Path(run_dir), Path(results)
    rep = json.loads((run_dir/'koopman_ae_mnist_paper.json').read_text())
    ka = json.loads((results/'koopman_ae.json').read_text())
    if 'mnist' not in ka: raise ValueError(f"{results/'koopman_ae.json'} has no MNIST entry; run `koopman-repr koopman-ae --dataset mnist` first")
    ka['mnist']['variants']['paper'] = rep
    write_json(ka, results/'koopman_ae.json')
    if (run_dir/'topology_mnist_paper.json').exists(): update_json(results/'topology.json', json.loads((run_dir/'topology_mnist_paper.json').read_text()))
    if (run_dir/'histories_mnist_paper.json').exists(): write_json(json.loads((run_dir/'histories_mnist_paper.json').read_text()), results/'mnist_paper_histories.json')

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--merge', default=None, help="a finished run's DIR to merge into --into"); p.add_argument('--into', default='results')
    p.add_argument('--runs'); p.add_argument('--out'); p.add_argument('--data', default=None)
    p.add_argument('--device', default='cuda'); p.add_argument('--quick', action='store_true', help="_MNIST_KAE_QUICK, two seeds, 500 points (a smoke test)")
    p.add_argument('--no-topology', action='store_true'); p.add_argument('--seeds', type=int, nargs='+', default=None)
    a = p.parse_args(argv)
    if a.merge: return merge(a.merge, a.into)
    if not (a.runs and a.out): p.error("--runs and --out are needed to train (or --merge DIR to merge a finished run)")
    cfg, seeds = (_MNIST_KAE_QUICK, PAPER_SEEDS[:2]) if a.quick else (MNIST_KAE, PAPER_SEEDS)
    seeds = tuple(a.seeds or seeds)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    dev = torch.cuda.get_device_name(0) if a.device == 'cuda' else a.device
    t0 = time.time()
    rep = surrogate_report(cfg, seeds, a.runs, a.runs, a.device, False, a.data)
    rep['device_name'], rep['wall_seconds'] = dev, round(time.time() - t0, 1)
    (out/'koopman_ae_mnist_paper.json').write_text(json.dumps(rep))
    print(f"surrogates: {time.time() - t0:.1f} s on {dev}; macro", [round(m, 2) for m in rep['surrogate_macro_acc']], flush=True)
    hist = {}  # each seed's training history (about 100 epochs kept) and the moduli of its one-step operator's eigenvalues
    for c in seed_configs(cfg, seeds):
        ck = load_checkpoint(surrogate_path(c, a.runs), c)
        W = ck['state']['kae.W']
        op = torch.matrix_exp(W.double() / cfg.kae.k) if cfg.kae.operator == 'exp' else W.double()
        hist[c.train.seed] = ck['metrics'] | {'eig_abs': sorted(torch.linalg.eigvals(op).abs().tolist())}
    (out/'histories_mnist_paper.json').write_text(json.dumps(hist))
    if a.no_topology: return
    t1 = time.time()
    b = beta0_report(cfg, seeds, a.runs, n_points=500 if a.quick else None, n_pca=200 if a.quick else 1500, check=False, root=a.data)
    res = beta0_results(b, prefix='mnist_paper') | {'mnist_paper_beta0_seconds': round(time.time() - t1, 1)}
    (out/'topology_mnist_paper.json').write_text(json.dumps(res))
    print(f"beta0: {time.time() - t1:.1f} s; iterates", res['mnist_paper_beta0_iterates'], flush=True)

if __name__ == '__main__': main()
