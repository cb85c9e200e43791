"""Peak resident memory of `fit_surrogate` capturing every row at once (`stream=False`) and streaming (`stream=True`).

    OMP_NUM_THREADS=1 python benchmarks/capture_memory.py         # a small CNN, n and width varied apart (minutes)
    OMP_NUM_THREADS=2 python benchmarks/capture_memory.py --full  # ResNet-18 on 60 000 Fashion-MNIST images

Each fit runs in a fresh Python process, which reports its resident set just before the fit (VmRSS: the imports, the
model and the inputs) and its peak resident set after it (VmHWM); their difference is what the fit itself needed.

Default (writes results/capture_memory.json): `examples.ConvNet` (three blocks, raw widths 8s², 2s² and 2s² for
s × s images) on n random images, `pca_dim=16`, one KAE epoch. Two series: the width grows with n fixed
(n = 2000; s = 80, 112, 144: raw widths 76 800 to 248 832 per image), and n grows with the width fixed (s = 80;
n = 2000, 4000, 8000). Every streamed case is wide enough that `STREAM_MB` and `_BATCH_MB` bind.

`--full` (writes results/capture_memory_resnet18.json): ResNet-18 with the small-image stem
(`benchmarks/resnet18_fashion.py`, trained there on a CPU budget) on all 60 000 Fashion-MNIST training images,
path layer1…layer4 (50 176 + 25 088 + 12 544 + 8 192 values per image), `fit_surrogate`'s defaults with
`stream=True`; then on the first 10 000 images both in memory and streamed. Test accuracy and agreement on the
10 000 test images.
"""
import argparse, json, os, platform, re, subprocess, sys, time, warnings
from pathlib import Path
import torch

WIDTH = [dict(series='width', n=2000, side=s) for s in (80, 112, 144)]
ROWS = [dict(series='n', n=n, side=80) for n in (2000, 4000, 8000)]
FULL = [dict(n=60_000, paths=('streamed',)), dict(n=10_000, paths=('in_memory', 'streamed'))]

def status_mb(field:str)->float:
    "A field of /proc/self/status (VmRSS, VmHWM) in MiB."
    return int(re.search(rf'{field}:\s+(\d+)', Path('/proc/self/status').read_text()).group(1)) / 1024

def setup(case:dict)->tuple:
    "The model, training inputs, layers, options and (full cases) the test split and the network's record."
    torch.manual_seed(0)
    if case['kind'] == 'resnet18':
        sys.path.insert(0, str(Path(__file__).parent))
        from resnet18_fashion import trained_resnet18
        from koopman_repr.data import fashion_mnist
        net, rec = trained_resnet18(verbose=False)
        X = fashion_mnist('train')[0][:case['n']].clone()
        return net, X, net.default_layers(), dict(), fashion_mnist('test'), rec
    from koopman_repr.examples import ConvNet
    g = torch.Generator().manual_seed(1)
    X = torch.randn(case['n'], 1, case['side'], case['side'], generator=g)
    return ConvNet().eval(), X, ['block1', 'block2', 'block3'], dict(pca_dim=16, train_cfg=dict(epochs=1)), None, None

def run_case(case:dict)->dict:
    "One fit in this process: memory before and at the peak, seconds, sizes and (full cases) accuracies."
    from koopman_repr.base_nets import capture
    from koopman_repr import koopman_ae as kk
    model, X, layers, kw, test, rec = setup(case)
    widths = [v.shape[1] for v in capture(model, X[:2], layers).values()]
    stream = case['path'] == 'streamed'
    before, t0 = status_mb('VmRSS'), time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # one epoch: the small cases warn of their FVU
        sur = kk.fit_surrogate(model, X, layers, verbose=False, stream=stream, **kw)
    seconds, fit_peak, mb = time.perf_counter() - t0, status_mb('VmHWM'), 4 / 2**20
    plan = kk._stream_plan(model, X, layers, kk.STREAM_ROWS, True, {}) if stream else (None, None)
    out = dict(seconds=seconds, rss_before_mb=before, peak_mb=fit_peak, fit_mb=fit_peak - before, widths=widths,
               q=sur.pre.q, sample_rows=plan[0], batch_rows=plan[1], raw_mb=len(X) * sum(widths) * mb,
               reduced_mb=len(X) * len(layers) * sur.pre.q * mb)
    if test is None: return out
    from resnet18_fashion import accuracy
    t0 = time.perf_counter()
    out.update(net=rec, net_test_acc=rec['test_acc'], net_check_acc=accuracy(model, *test), sur_test_acc=sur.score(*test),
               agreement=sur.agreement(test[0]), eval_seconds=time.perf_counter() - t0,
               peak_with_eval_mb=status_mb('VmHWM'), fit_fvu=sur.fit_fvu, epochs=sur.train_cfg.epochs)
    return out

def in_fresh_process(case:dict)->dict:
    "`run_case` in a new Python process (its own peak)."
    cmd = [sys.executable, __file__, '--case', json.dumps(case)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode: raise RuntimeError(f"case {case} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])

def machine()->dict:
    return dict(processor=platform.processor(), machine=platform.machine(), cpu_count=os.cpu_count(),
                torch=torch.__version__, torch_threads=torch.get_num_threads())

def main(full:bool, out:str):
    from koopman_repr import koopman_ae as kk
    t0, rows = time.perf_counter(), []
    for size in (FULL if full else WIDTH + ROWS):
        kind, paths = ('resnet18', size['paths']) if full else ('convnet', ('in_memory', 'streamed'))
        r = {p: in_fresh_process(dict(size, kind=kind, path=p, paths=None)) for p in paths}
        rows.append(dict(size, kind=kind, **r))
        print(kind, size, {p: round(v['fit_mb']) for p, v in r.items()}, flush=True)
    command = f"OMP_NUM_THREADS={torch.get_num_threads()} python benchmarks/capture_memory.py" + ' --full' * full
    res = dict(command=command, full=full, machine=machine(), STREAM_ROWS=kk.STREAM_ROWS, STREAM_MB=kk.STREAM_MB,
               BATCH_MB=kk._BATCH_MB, seconds_total=time.perf_counter() - t0, cases=rows)
    Path(out).write_text(json.dumps(res, indent=1) + '\n')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--full', action='store_true', help='ResNet-18 on 60 000 Fashion-MNIST images')
    ap.add_argument('--out', help='default: results/capture_memory.json, or …_resnet18.json with --full')
    ap.add_argument('--case', help='(internal) run one case, given as JSON, and print its measurements')
    args = ap.parse_args()
    if args.case: print(json.dumps(run_case(json.loads(args.case))))
    else: main(args.full, args.out or f"results/capture_memory{'_resnet18' * args.full}.json")
