"""How wide the surrogate's encoder must be: agreement with the network against the KAE's hidden width (issue #31).

    python benchmarks/encoder_width.py --cases cnn:fashion_mnist --widths default 512 1024 2048
    python benchmarks/encoder_width.py --cases vit:fashion_mnist --widths default 1024
    python benchmarks/encoder_width.py --cases mlp:fashion_mnist --widths default 1024

(the three commands behind results/encoder_width.json, each merged into `--out`, by default that file)

On Fashion-MNIST the zoo's convolutional networks and the held-out ones agree with their surrogates on 91-94 % of
the test images, where the MNIST ones reach 99 %. Their fits end with a high FVU and a training agreement as low as
the test one: the surrogate underfits. `fit_surrogate`'s default KAE has one hidden layer of max(30, 1.25 d) units
(160 at d = 128). This benchmark fits one surrogate per hidden width on the same captured states of a zoo network
(its cached network from `koopman-repr zoo`, or one trained with the zoo's recipe), with the zoo's path and the
automatic recipe (`fit_surrogate`'s defaults otherwise), and reports the test and training agreement, the
surrogate's accuracy, the FVU of its last state, the fit's seconds (the first width's include capturing the states,
which the later fits read from a store) and the joint edit as the unlearning page applies
it (`MNIST_JOINT_EDIT`) for every class (test forget, retained accuracy). The held-out networks
(benchmarks/held_out.py) are not used here. Each case is merged into `--out` with its own command (other cases stay).
"""
import argparse
import json
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path
import torch
from koopman_repr.paper.zoo import zoo_configs, zoo_splits, train_zoo_net, zoo_path
from koopman_repr.base_nets import predict, accuracy, compute_env
from koopman_repr.koopman_ae import fit_surrogate, DEFAULT_KAE
from koopman_repr.unlearning import observables, stratified_subsample
sys.path.insert(0, str(Path(__file__).parent))
from joint_margin import margin_rows  # noqa: E402


def width_row(model, s:dict, path:dict, hidden, store:Path, n_agree:int=10000, edit_points:int=10000,
              pca_dim='auto')->dict:
    "One surrogate with the encoder's hidden widths `hidden` (None: the default): agreement, FVU, seconds, edit."
    (X, y), (Xt, yt) = s['train'], s['test']
    kae = DEFAULT_KAE if hidden is None else replace(DEFAULT_KAE, hidden=tuple(hidden))
    t0 = time.perf_counter()
    sur = fit_surrogate(model, X, verbose=False, kae_cfg=kae, store=store, pca_dim=pca_dim, **path)
    fit_s = round(time.perf_counter() - t0, 1)
    pn, ps, pn_tr = predict(model, Xt), sur.predict(Xt), predict(model, X[:n_agree])
    i = stratified_subsample(y, edit_points)
    edit = margin_rows(sur, observables(sur, X[i]), y[i], observables(sur, Xt), yt, 0.0)
    return dict(hidden=list(sur.dynamics.cfg.hidden), layers=sur.layers, q=sur.pre.q, fit_seconds=fit_s,
                fit_epochs=sur.train_cfg.epochs, fit_fvu=sur.fit_fvu, surrogate_acc=accuracy(ps, yt),
                agreement=accuracy(ps, pn), agreement_train=accuracy(sur.predict(X[:n_agree]), pn_tr),
                agreement_worst_class=min(accuracy(ps[yt == c], pn[yt == c]) for c in yt.unique()),
                edit={k: v for k, v in edit.items() if k not in ('classes', 'margin')})


def run_case(arch:str, dataset:str, widths:list)->dict:
    "One zoo network and a surrogate for each hidden width, all from one capture of its states."
    cfg = zoo_configs('paper', (arch,), (dataset,))[0]
    s = zoo_splits(dataset)
    model, net = train_zoo_net(cfg, s)
    path = zoo_path(cfg, model)
    with tempfile.TemporaryDirectory() as tmp:
        rows = [width_row(model, s, path, w, Path(tmp)) for w in widths]
    return dict(net_acc=net['test_acc'], widths=rows)


def save_case(path:Path, case:str, r:dict, t0:float):
    "Merge one case's run into the JSON file `path` with its command and compute (the other cases' runs stay)."
    out = json.loads(path.read_text()) if path.exists() else dict(cases={})
    out['cases'][case] = dict(command='python ' + ' '.join(sys.argv), torch_threads=torch.get_num_threads(),
                              compute=compute_env(), **r, wall_seconds=round(time.perf_counter() - t0, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + '\n')


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='results/encoder_width.json')
    p.add_argument('--cases', nargs='+', default=['cnn:fashion_mnist', 'vit:fashion_mnist'], help='zoo arch:dataset')
    p.add_argument('--widths', nargs='+', default=['default', '512', '1024'],
                   help="the encoder's hidden widths: 'default' (max(30, 1.25 d)) or comma-separated layer widths")
    a = p.parse_args()
    torch.set_num_threads(1)
    warnings.filterwarnings('ignore', message="the surrogate's last state has FVU")  # fit_fvu is recorded
    widths = [None if w == 'default' else [int(v) for v in w.split(',')] for w in a.widths]
    for case in a.cases:
        arch, dataset = case.split(':')
        t0 = time.perf_counter()
        r = run_case(arch, dataset, widths)
        print(case, round(r['net_acc'], 2), [(w['hidden'], round(w['agreement'], 2), round(w['agreement_train'], 2),
                                              round(w['edit']['forget_worst'], 2)) for w in r['widths']], flush=True)
        save_case(Path(a.out), case, r, t0)
