"""The joint edit's targets, per-class pools against the global pool, on Fashion-MNIST (where a class is confused with
another: T-shirt with Shirt): the zoo's CNN of the unlearning evaluation and its small-data twin; results/joint_targets.json.

    OMP_NUM_THREADS=1 python benchmarks/joint_targets.py    # ~5 min on one CPU thread (the networks are cached by the evaluation)

Per network: one surrogate (seed 0, the evaluation's recipe), fitted on the evaluation's edit points; for classes 0, 6 and 1
(`EVAL_CLASSES`), held-out accuracy on the forgotten class and on the retained classes after `joint_edit` with
pools='global' (the default) and pools='per_class', and the unedited surrogate's retained accuracy.
"""
import argparse, json
from pathlib import Path
import torch
from koopman_repr.data import set_seed, atomic_write_bytes
from koopman_repr.paper.zoo import zoo_splits, train_zoo_net, zoo_path
from koopman_repr.koopman_ae import fit_surrogates
from koopman_repr.unlearning import observables, joint_edit, stratified_subsample, surrogate_outputs, forget_metrics, kstep_matrix
from koopman_repr.paper.unlearning_eval import eval_configs, EVAL_CLASSES

def targets_report(name:str)->dict:
    cfg = eval_configs('paper')[name].zoo
    splits = zoo_splits(cfg.dataset, cfg.n_train, cfg.n_test)
    model, net = train_zoo_net(cfg, splits)
    (X, y), (Xt, yt) = splits['train'], splits['test']
    set_seed(0)
    sur = fit_surrogates(model, X, None, [dict(seed=0, epochs=cfg.surrogate_epochs)], verbose=False, **zoo_path(cfg, model))[0]
    i = stratified_subsample(y, cfg.edit_points) if cfg.edit_points < len(y) else torch.arange(len(y))
    Z, Zt, K0 = observables(sur, X[i]), observables(sur, Xt), kstep_matrix(sur.dynamics)
    acc = lambda K, c: forget_metrics(surrogate_outputs(sur, Zt, K).argmax(1), yt, c)
    out = {}
    for c in EVAL_CLASSES:
        out[str(c)] = dict(retain_before=acc(K0, c)['retain_acc'])
        for pools in ('global', 'per_class'):
            m = acc(joint_edit(sur, Z, y[i], c, pools=pools), c)
            out[str(c)][pools] = dict(forget=m['forget_acc'], retain=m['retain_acc'])
    return dict(network_acc=net['test_acc'], surrogate_acc=sur.score(Xt, yt), classes=out)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default='results/joint_targets.json')
    args = ap.parse_args()
    torch.set_num_threads(1)
    rep = {n: targets_report(n) for n in ('cnn_fashion_mnist', 'cnn_fashion_mnist_small')}
    rep['command'] = 'OMP_NUM_THREADS=1 python benchmarks/joint_targets.py'
    atomic_write_bytes(Path(args.out), (json.dumps(rep, indent=1) + '\n').encode())  # the project's one writer
    for n, r in rep.items():
        if n != 'command': print(n, {c: (round(v['global']['forget'], 2), round(v['per_class']['forget'], 2)) for c, v in r['classes'].items()})
