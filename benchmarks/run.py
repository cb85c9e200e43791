"""Speed benchmarks of koopman_repr: each reports a time ratio against a baseline run in the same process.

    python benchmarks/run.py            # all benchmarks at full size, writes results/benchmarks.json
    python benchmarks/run.py --small    # small sizes (a smoke run, a few minutes)
    python benchmarks/run.py --only kae_recipes   # one benchmark (this one needs the MNIST files; ~25 min on 2 cores)
    OMP_NUM_THREADS=1 python benchmarks/run.py --only amp_training   # bfloat16 against float32 training (~3 min)

Times are wall-clock seconds on the machine that runs this; only the ratios are comparable across machines.
"""
import argparse, json, platform, time
from pathlib import Path
import numpy as np
import torch

def timed(f, repeat=1):
    "Best wall time of `repeat` calls, and the last result."
    best = float('inf')
    for _ in range(repeat):
        t0 = time.perf_counter(); out = f(); best = min(best, time.perf_counter() - t0)
    return best, out

def bench_yinyang(small):
    "Vectorised Yin-Yang sampling against a per-point Python loop like the reference generator's."
    import random
    from koopman_repr.data import sample_yinyang, yinyang_class
    n = 10_000 if small else 100_000
    def loop(n, seed=0, r_small=0.1, r_big=0.5):
        rnd, out = random.Random(seed), []
        for _ in range(n):
            target = rnd.randint(0, 2)
            while True:
                p = np.array([[rnd.uniform(0, 2*r_big), rnd.uniform(0, 2*r_big)]])
                if np.hypot(p[0, 0] - r_big, p[0, 1] - r_big) <= r_big and yinyang_class(p)[0] == target: out.append(p[0]); break
        return np.array(out)
    t_fast, _ = timed(lambda: sample_yinyang(n, 0), repeat=3)
    t_loop, _ = timed(lambda: loop(n // 10))
    t_loop *= 10  # the loop is linear in n; run a tenth of it
    return dict(n_points=n, seconds_vectorised=t_fast, seconds_loop=t_loop, speedup=t_loop / t_fast)

H0_MEMORY_SCRIPT = """
import re, sys, time, numpy as np, torch
torch.set_num_threads(int(sys.argv[2]))
from koopman_repr.topology import h0_deaths
def peak_mb(): return int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024  # this process's peak RSS
X = np.random.default_rng(1).normal(size=(int(sys.argv[1]), 784))
before = peak_mb()
t0 = time.perf_counter(); d = h0_deaths(X); t = time.perf_counter() - t0
print(t, before, peak_mb(), len(d))
"""

def h0_clouds(n, d=784):
    "The benchmark's clouds: standard-normal points, and ten tight, well-separated clusters (a trained last layer's shape)."
    g = np.random.default_rng(0)
    return {'normal': g.normal(size=(n, d)),
            'clusters': (3 * g.normal(size=(10, d)))[g.integers(0, 10, n)] + 0.3 * g.normal(size=(n, d))}

def bench_h0(small):
    """Exact H0 deaths (Borůvka on certified caches) against ripser's H0 and a float64 dense-Prim reference, at 784 dimensions;
    and a 100 000-point cloud in a fresh process, with its peak memory."""
    import subprocess, sys
    from ripser import ripser
    from scipy.spatial.distance import cdist
    from koopman_repr.topology import h0_deaths, _prim
    n = 2000 if small else 10_000
    out = dict(n_points=n, dim=784)
    for name, X in h0_clouds(n).items():
        t_mst, ours = timed(lambda: h0_deaths(X))
        t_rip, theirs = timed(lambda: ripser(X, maxdim=0)['dgms'][0])
        theirs = np.sort(theirs[np.isfinite(theirs[:, 1]), 1])
        ref = np.sort(_prim(cdist(X, X)))
        out[name] = dict(seconds_mst=t_mst, seconds_ripser=t_rip, speedup=t_rip / t_mst,
                         max_rel_diff_float64_reference=float((np.abs(ours - ref) / ref).max()),
                         max_rel_diff_ripser=float((np.abs(ours - theirs) / theirs).max()))
    big = 20_000 if small else 100_000
    res = subprocess.run([sys.executable, '-c', H0_MEMORY_SCRIPT, str(big), str(torch.get_num_threads())],
                         capture_output=True, text=True, check=True).stdout.split()
    out['large'] = dict(n_points=big, dim=784, seconds=float(res[0]), rss_mb_before=float(res[1]), peak_rss_mb=float(res[2]),
                        cloud_mb=big * 784 * 8 / 2**20)
    return out

def bench_h0_bottleneck(small):
    "Bottleneck distance between two H0 diagrams of 1000 Yin-Yang points: `h0_bottleneck` (sorted matching) against persim."
    import warnings, persim
    from koopman_repr.data import yinyang
    from koopman_repr.topology import diagrams, cap_infinite, diagram_distance
    X = yinyang('test')[0].numpy()[:300 if small else 1000]
    a = diagrams(X)[0]; b = diagrams(X + np.random.default_rng(0).normal(0, 0.01, X.shape))[0]
    cap = np.r_[a[np.isfinite(a)], b[np.isfinite(b)]].max()
    t_fast, ours = timed(lambda: diagram_distance(a, b), repeat=5)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        t_persim, theirs = timed(lambda: persim.bottleneck(cap_infinite(a, cap), cap_infinite(b, cap)))
    return dict(n_bars=len(a), seconds_ours=t_fast, seconds_persim=t_persim, speedup=t_persim / t_fast, abs_diff=abs(ours - theirs))

def bench_distance_loss(small):
    "One Yin-Yang KAE training step with the distance term on the full batch of 1024 against 256 of its points."
    from koopman_repr.koopman_ae import KoopmanAE, KAEConfig, KAETrainConfig, loss_terms, weighted_total
    torch.manual_seed(0)
    kae, xb, tc = KoopmanAE(KAEConfig(10, (30,), 20, 100)), torch.randn(1024, 2, 10), KAETrainConfig()
    opt = torch.optim.AdamW(kae.parameters(), 1e-3)
    def steps(m, n=20 if small else 100):
        for _ in range(n):
            loss = weighted_total(loss_terms(kae, xb, [(0, 1)], [0, 100], m), tc)
            opt.zero_grad(); loss.backward(); opt.step()
    steps(None, 5)
    t_full, _ = timed(lambda: steps(None)); t_sub, _ = timed(lambda: steps(256))
    return dict(batch=1024, dist_points=256, seconds_full=t_full, seconds_subset=t_sub, speedup=t_full / t_sub)

def bench_ridge_edit(small):
    "The paper's ridge edit in its N_h × N_h form against the same edit in p × p form."
    from koopman_repr.unlearning import ridge_edit
    g = torch.Generator().manual_seed(0)
    p, nh, nc = (20, 1700, 3300) if not small else (20, 500, 1000)
    Kk, H, T, Zc = (torch.randn(*s, generator=g, dtype=torch.float64) for s in [(p, p), (nh, p), (nh, p), (nc, p)])
    t_paper, a = timed(lambda: ridge_edit(Kk, H, T, Zc, 0.1, 'paper'), repeat=3)
    t_pxp, b = timed(lambda: ridge_edit(Kk, H, T, Zc, 0.1, 'pxp'), repeat=3)
    return dict(p=p, n_harmful=nh, seconds_paper_form=t_paper, seconds_pxp=t_pxp, speedup=t_paper / t_pxp,
                max_abs_diff=float((a - b).abs().max()))

def bench_kae_recipes(small, seeds=(21, 365, 53, 74, 99), fast_epochs=3, paper_epochs=2):
    """MNIST surrogate: the default recipe (`fit_surrogate(model, X)`: automatic, with the output term) against our older
    fast recipe and the paper's, in one process, from the same cached base network: accuracy against seconds.

    Every run is timed from the call of `fit_surrogate` (capture and preprocessing included) with its held-out macro
    accuracy evaluated after every epoch (evaluation time not counted). The default recipe runs its whole schedule once per
    seed; the fast recipe (30 epochs, ~60 s each) runs its first `fast_epochs` epochs and the paper recipe (100 epochs)
    its first `paper_epochs`: their full times are setup + epochs × the measured seconds per epoch.
    """
    from koopman_repr.koopman_ae import fit_surrogate, surrogate_metrics
    from koopman_repr.base_nets import evaluate, predict
    from koopman_repr.paper.experiments import load_splits, train_or_load, MNIST_KAE, MNIST_KAE_FAST, _fit_kw
    splits = load_splits(MNIST_KAE_FAST.base)
    model, _ = train_or_load(MNIST_KAE_FAST.base, verbose=False)
    Xtr = splits['train'][0][:5000] if small else splits['train'][0]
    Xte, yte = (t[:1000] for t in splits['test']) if small else splits['test']
    net_macro = evaluate(predict(model, Xte), yte, 10)['macro']
    target = net_macro - 0.5
    def run(max_epochs=None, **kw):
        log, t0, skip = [], time.perf_counter(), 0.0
        def cb(epoch, sur):
            nonlocal skip
            te = time.perf_counter()
            seconds = te - t0 - skip  # time so far, evaluations excluded
            m = surrogate_metrics(sur, Xte, yte, 10)
            skip += time.perf_counter() - te
            log.append(dict(epoch=epoch + 1, seconds=round(seconds, 2), macro=m['macro'], agreement=m['agreement']))
            return max_epochs is not None and epoch + 1 >= max_epochs
        sur = fit_surrogate(model, Xtr, verbose=False, callback=cb, **kw)
        return dict(log=log, seconds=log[-1]['seconds'], macro=log[-1]['macro'], train_cfg=str(sur.train_cfg))
    default = {s: run(1 if small else None, train_cfg=dict(seed=s)) for s in (seeds[:1] if small else seeds)}
    fast = run(1 if small else fast_epochs, kae_cfg=MNIST_KAE_FAST.kae, **_fit_kw(MNIST_KAE_FAST))
    paper = run(1 if small else paper_epochs, kae_cfg=MNIST_KAE.kae, **_fit_kw(MNIST_KAE))
    def full(r, epochs):
        lg = r['log']
        per = (lg[-1]['seconds'] - lg[0]['seconds']) / max(1, len(lg) - 1) if len(lg) > 1 else lg[0]['seconds']
        return dict(seconds_per_epoch=per, epochs=epochs, seconds_full_estimated=lg[0]['seconds'] + per * (epochs - 1))
    secs, macros = [r['seconds'] for r in default.values()], [r['macro'] for r in default.values()]
    fast_full, paper_full = full(fast, MNIST_KAE_FAST.train.epochs), full(paper, MNIST_KAE.train.epochs)
    return dict(network_macro=net_macro, target_macro=target, default=default, fast=fast | fast_full, paper=paper | paper_full,
                default_macro_mean=float(np.mean(macros)), default_macro_sd=float(np.std(macros)), default_macro_worst=min(macros),
                default_seconds_mean=float(np.mean(secs)), default_seconds_worst=max(secs),
                seeds_at_target=sum(m >= target for m in macros), paper_reported_macro=98.53,
                ratio_fast_full=fast_full['seconds_full_estimated'] / np.mean(secs), ratio_paper_full=paper_full['seconds_full_estimated'] / np.mean(secs))

def bench_stacked_kae(small, n_seeds=5):
    "The five Yin-Yang KAEs of the paper recipe trained one after another (`fit_kae`) against one stacked model (`fit_kaes`)."
    import copy
    from dataclasses import replace
    from koopman_repr.data import set_seed
    from koopman_repr.koopman_ae import KoopmanAE, fit_kae, fit_kaes, path_states
    from koopman_repr.paper.experiments import load_splits, train_or_load, YINYANG_KAE, PAPER_SEEDS
    cfg = YINYANG_KAE
    splits = load_splits(cfg.base)
    model, _ = train_or_load(cfg.base, Path(__file__).parent.parent/'results'/'checkpoints', splits, verbose=False)
    Z, _ = path_states(model, splits['train'][0], model.default_layers())
    tcfgs = [replace(cfg.train, epochs=3 if small else 25, seed=s) for s in PAPER_SEEDS[:n_seeds]]
    kaes = []
    for t in tcfgs:
        set_seed(t.seed); kaes.append(KoopmanAE(cfg.kae))
    stacked = copy.deepcopy(kaes)
    t_seq, _ = timed(lambda: [fit_kae(k, t, Z, verbose=False) for k, t in zip(kaes, tcfgs)])
    t_stack, _ = timed(lambda: fit_kaes(stacked, tcfgs, Z, verbose=False))
    diff = max(float((a - b).abs().max()) for k1, k2 in zip(kaes, stacked) for a, b in zip(k1.state_dict().values(), k2.state_dict().values()))
    return dict(n_seeds=n_seeds, epochs=tcfgs[0].epochs, steps_per_epoch=-(-len(Z) // tcfgs[0].batch_size), seconds_sequential=t_seq,
                seconds_stacked=t_stack, speedup=t_seq / t_stack, max_abs_param_diff=diff)

def bench_amp_training(small, n_batches=6, batch_size=128):
    "Training steps of the zoo's ResNet-18 and MLP-Mixer in float32 against bfloat16 autocast (`fit(amp=...)`)."
    from koopman_repr.base_nets import TrainConfig, TensorLoader, one_epoch
    from koopman_repr.paper.zoo import ZooResNet18, ZooMixer
    from koopman_repr.data import set_seed
    n_batches = 2 if small else n_batches
    g = torch.Generator().manual_seed(0)
    X, y = torch.randn(n_batches * batch_size, 784, generator=g), torch.randint(0, 10, (n_batches * batch_size,), generator=g)
    tcfg = TrainConfig(lr=0.01, epochs=1, batch_size=batch_size)
    out = dict(n_batches=n_batches, batch_size=batch_size, cpu_capability=torch.backends.cpu.get_cpu_capability())
    for name, make in (('resnet18', ZooResNet18), ('mixer', ZooMixer)):
        secs = {}
        for amp in (None, 'bfloat16'):
            set_seed(0)
            net = make()
            opt = torch.optim.SGD(net.parameters(), lr=0.0, momentum=0.9)
            loader = TensorLoader(X, y, batch_size=batch_size)
            one_epoch(net, TensorLoader(X[:batch_size], y[:batch_size], batch_size=batch_size), opt, 0, 1, tcfg, 'cpu', None, amp=amp)  # warm-up
            secs[amp or 'float32'], _ = timed(lambda: one_epoch(net, loader, opt, 0, n_batches, tcfg, 'cpu', None, amp=amp), repeat=2)
        out[name] = dict(seconds_per_step_float32=secs['float32'] / n_batches, seconds_per_step_bfloat16=secs['bfloat16'] / n_batches,
                         speedup=secs['float32'] / secs['bfloat16'])
    return out

BENCHES = {'yinyang_sampler': bench_yinyang, 'h0_check': bench_h0, 'h0_bottleneck': bench_h0_bottleneck, 'distance_loss': bench_distance_loss, 'ridge_edit': bench_ridge_edit,
           'stacked_kae': bench_stacked_kae, 'kae_recipes': bench_kae_recipes, 'amp_training': bench_amp_training}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--small', action='store_true', help='small sizes (smoke run)')
    ap.add_argument('--only', nargs='+', choices=list(BENCHES), help='run only these benchmarks')
    ap.add_argument('--out', default='results/benchmarks.json', help='where to write the results (merged into an existing file)')
    args = ap.parse_args()
    out = Path(args.out)
    res = json.loads(out.read_text()) if out.exists() else {}
    for name, f in BENCHES.items():
        if args.only and name not in args.only: continue
        r = f(args.small)
        res[name] = r | dict(machine=f"{platform.machine()}, {torch.get_num_threads()} torch threads", small=args.small)
        print(name, {k: round(v, 4) if isinstance(v, float) else v for k, v in r.items()}, flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1) + '\n')

if __name__ == '__main__': main()
