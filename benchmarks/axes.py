"""How many axes a network's path needs: agreement against `pca_dim` on zoo networks (issue #31).

    python benchmarks/axes.py --cases vit:fashion_mnist --pca_dims auto 256 --hidden default 1024 \
        --out results/axes.json

`pca_dim='auto'` keeps the fewest axes that hold 99 % of every layer's variance, at most 128 (`AUTO_MAX_DIM`): a
convolutional block of 50 000 numbers per image, or a token map of 1 024, keeps 128. On Fashion-MNIST the zoo's
convolutional and transformer surrogates underfit (training agreement no higher than test agreement,
benchmarks/encoder_width.py). This benchmark fits one surrogate per `pca_dim` and encoder width (`--hidden`:
'default', max(30, 1.25 q), or a number of hidden units) on a zoo network (its cached network from `koopman-repr zoo`,
or one trained with the zoo's recipe), with the zoo's path and `fit_surrogate`'s defaults otherwise, and reports what
benchmarks/encoder_width.py does for each: test and training agreement, the surrogate's accuracy, the FVU of its last
state, the fit's seconds (the first fit of each `pca_dim` includes capturing its states, which the later ones read
from a store) and the joint edit as the unlearning page applies it for every class. The held-out networks
(benchmarks/held_out.py) are not used here. Each case is merged into `--out` with its own command (other cases stay).
`pca_dim` cannot exceed the narrowest layer's width: the zoo's CNN ends its path on a layer of 128 units, so it has no
more axes to give.
"""
import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path
import torch
from koopman_repr.paper.zoo import zoo_configs, zoo_splits, train_zoo_net, zoo_path
sys.path.insert(0, str(Path(__file__).parent))
from encoder_width import width_row, save_case  # noqa: E402


def run_case(arch:str, dataset:str, pca_dims:list, hiddens:list=(None,))->dict:
    "One zoo network and a surrogate per `pca_dim` and hidden width (None: the default), one capture per `pca_dim`."
    cfg = zoo_configs('paper', (arch,), (dataset,))[0]
    s = zoo_splits(dataset)
    model, net = train_zoo_net(cfg, s)
    path, rows = zoo_path(cfg, model), []
    for q in pca_dims:
        with tempfile.TemporaryDirectory() as tmp:  # the states of this `pca_dim`, captured by its first fit
            rows += [dict(pca_dim=q, **width_row(model, s, path, h, Path(tmp), pca_dim=q)) for h in hiddens]
    return dict(net_acc=net['test_acc'], pca_dims=rows)


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='results/axes.json')
    p.add_argument('--cases', nargs='+', default=['vit:fashion_mnist'], help='zoo arch:dataset')
    p.add_argument('--pca_dims', nargs='+', default=['auto', '256'], help="'auto' or a number of axes, each")
    p.add_argument('--hidden', nargs='+', default=['default'], help="hidden widths: 'default' or a number, each")
    a = p.parse_args()
    torch.set_num_threads(1)
    warnings.filterwarnings('ignore', message="the surrogate's last state has FVU")  # fit_fvu is recorded
    dims = [q if q == 'auto' else int(q) for q in a.pca_dims]
    hiddens = [None if h == 'default' else [int(h)] for h in a.hidden]
    for case in a.cases:
        arch, dataset = case.split(':')
        t0 = time.perf_counter()
        r = run_case(arch, dataset, dims, hiddens)
        print(case, round(r['net_acc'], 2), [(w['pca_dim'], w['q'], w['hidden'], round(w['agreement'], 2),
                                              round(w['agreement_train'], 2), round(w['edit']['forget_worst'], 2))
                                             for w in r['pca_dims']], flush=True)
        save_case(Path(a.out), case, r, t0)
