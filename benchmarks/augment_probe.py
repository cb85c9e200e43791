"""Is a zoo surrogate's agreement limited by generalisation (a gap the training data cannot close) or by the fit?

    python benchmarks/augment_probe.py vit fashion_mnist results/augment_probe_vit.json plain,plain2x,mixup,shift
    python benchmarks/augment_probe.py cnn fashion_mnist results/augment_probe_cnn.json plain,mixup,plain2x

One zoo network on an image dataset (trained with its zoo recipe, cached as the zoo caches it), one surrogate seed,
the zoo's surrogate settings (`zoo_path`, the zoo's surrogate epochs), fitted on the training images as they are
(`plain`), for twice the epochs (`plain2x`: the step count of a doubled set), or on the training images plus as many
augmented copies: `mixup` (each image mixed with a random other one, weight uniform in [0, 1]) or `shift` (moved by up
to 2 pixels each way). The copies come from one random stream seeded 0, drawn in the order the variants are listed:
the recorded command reproduces them. Reported per variant: test accuracy, test agreement with the network,
agreement on the first 10 000 training images. If agreement on training images is no higher than on test images, the
surrogate does not overfit, and more (augmented) data is unlikely to help; a better fit may. One thread, as the other benchmarks.
"""
import json
import shlex
import sys
import time
import torch
from koopman_repr.paper.zoo import zoo_configs, zoo_splits, train_zoo_net, zoo_path, _surrogate_metrics, ZOO_CLASSES
from koopman_repr.koopman_ae import fit_surrogates

VARIANTS = ('plain', 'plain2x', 'mixup', 'shift')


def shifted(X, g, s:int=2):
    "Each (1, 28, 28) image moved by up to s pixels in each direction (zeros shifted in)."
    n = len(X)
    dx, dy = torch.randint(-s, s + 1, (n,), generator=g), torch.randint(-s, s + 1, (n,), generator=g)
    P = torch.nn.functional.pad(X, (s, s, s, s))
    return torch.stack([P[i, :, s + dy[i]:s + dy[i] + 28, s + dx[i]:s + dx[i] + 28] for i in range(n)])


def mixed(X, g):
    "Each image mixed with a random other one: λ x + (1 - λ) x', λ uniform in [0, 1]."
    n = len(X)
    j, lam = torch.randperm(n, generator=g), torch.rand(n, 1, 1, 1, generator=g)
    return lam * X + (1 - lam) * X[j]


def main(arch:str, dataset:str, out:str, variants:list):
    torch.set_num_threads(1)
    cfg = zoo_configs('paper', (arch,), (dataset,))[0]
    if dataset == 'yinyang' or cfg.surrogate_epochs is None:
        sys.exit(f"{arch} on {dataset}: the probe takes the image networks the zoo fits with a fixed epoch count "
                 "(not yinyang, resnet18, lstm or mixer)")
    splits = zoo_splits(dataset)
    model, net = train_zoo_net(cfg, splits)  # the zoo's run cache: trained once
    print(cfg.name, 'network', net['test_acc'], flush=True)
    X, g, res = splits['train'][0], torch.Generator().manual_seed(0), {}  # one stream, drawn in the variants' order
    n_classes = len(ZOO_CLASSES[dataset])
    for v in variants:
        epochs, Xf = cfg.surrogate_epochs * (2 if v == 'plain2x' else 1), X
        if v == 'mixup': Xf = torch.cat([X, mixed(X, g)])
        if v == 'shift': Xf = torch.cat([X, shifted(X, g)])
        t0 = time.perf_counter()
        surs = fit_surrogates(model, Xf, None, [dict(seed=0, epochs=epochs)], verbose=False, **zoo_path(cfg, model))
        m = _surrogate_metrics(surs, splits, n_classes)
        tr = _surrogate_metrics(surs, dict(test=(X[:10000], splits['train'][1][:10000])), n_classes)
        res[v] = dict(acc=m['acc'][0], agreement=m['agreement'][0], train_agreement=tr['agreement'][0],
                      n_fit=len(Xf), epochs=epochs, seconds=round(time.perf_counter() - t0, 1))
        print(v, res[v], flush=True)
        record = dict(config=cfg.name, network=net, variants=res, command='python ' + shlex.join(sys.argv))
        with open(out, 'w') as f: json.dump(record, f, indent=1)


if __name__ == '__main__':
    a = sys.argv[1:]
    if len(a) not in (3, 4) or any(v not in VARIANTS for v in (a[3].split(',') if len(a) > 3 else [])):
        sys.exit(__doc__ + f"\nvariants: {', '.join(VARIANTS)}")
    main(a[0], a[1], a[2], a[3].split(',') if len(a) > 3 else list(VARIANTS))
