"""Peak resident memory of `fit_surrogate` capturing every row at once (`stream=False`) and streaming.

Writes results/capture_memory.json:

    OMP_NUM_THREADS=1 python benchmarks/capture_memory.py         # a small CNN, three sizes (a minute)
    OMP_NUM_THREADS=1 python benchmarks/capture_memory.py --full  # ResNet-18, up to 60 000 images

Each fit runs in a fresh Python process, which reports its resident set just before the fit (VmRSS:
the imports, the model and the inputs) and its peak resident set after it (VmHWM); their difference
is what the fit itself needed. The small cases: `examples.ConvNet` (three blocks, raw widths 8s², 2s²
and 2s² for s × s images) on n random images, n and s growing together, `pca_dim=16`, one KAE epoch,
streamed with a sample of 1000 rows. The full cases (not run by default): torchvision's ResNet-18,
untrained, with a one-channel stem, on 15 000, 30 000 and 60 000 Fashion-MNIST training images;
layer1…layer4 (raw widths 3136, 2048, 1024, 512), `pca_dim=64`, one KAE epoch, streamed with
`stream=True` (10 000 rows).
"""
import argparse, json, os, platform, re, subprocess, sys, time, warnings
from pathlib import Path
import torch
import torch.nn as nn

SMALL = [dict(n=2000, side=16), dict(n=4000, side=24), dict(n=8000, side=32)]  # n × width: 1, 4.5, 16
FULL = [dict(n=15_000), dict(n=30_000), dict(n=60_000)]

def status_mb(field:str)->float:
    "A field of /proc/self/status (VmRSS, VmHWM) in MiB."
    return int(re.search(rf'{field}:\s+(\d+)', Path('/proc/self/status').read_text()).group(1)) / 1024

class FashionResNet18(nn.Module):
    "torchvision's ResNet-18 on flattened 28 × 28 one-channel images; pooling and classifier as `head`."
    def __init__(self):
        super().__init__()
        from torchvision.models import resnet18
        net = resnet18(num_classes=10)
        self.stem = nn.Sequential(nn.Conv2d(1, 64, 7, 2, 3, bias=False), net.bn1, net.relu, net.maxpool)
        for name in ('layer1', 'layer2', 'layer3', 'layer4'): setattr(self, name, getattr(net, name))
        self.head = nn.Sequential(net.avgpool, nn.Flatten(), net.fc)
    def forward(self, x):
        h = self.stem(x.reshape(-1, 1, 28, 28))
        return self.head(self.layer4(self.layer3(self.layer2(self.layer1(h)))))

def setup(case:dict)->tuple:
    "The model, inputs, layers, pca_dim and stream setting of one case."
    torch.manual_seed(0)
    if case['kind'] == 'resnet18':
        from koopman_repr.data import fashion_mnist
        X = fashion_mnist('train')[0][:case['n']].clone()
        return FashionResNet18().eval(), X, ['layer1', 'layer2', 'layer3', 'layer4'], 64, True
    from koopman_repr.examples import ConvNet
    g = torch.Generator().manual_seed(1)
    X = torch.randn(case['n'], 1, case['side'], case['side'], generator=g)
    return ConvNet().eval(), X, ['block1', 'block2', 'block3'], 16, 1000

def run_case(case:dict)->dict:
    "One fit in this process: memory before and at the peak, seconds, and the raw and reduced sizes."
    from koopman_repr.base_nets import capture
    from koopman_repr.koopman_ae import STREAM_ROWS, fit_surrogate
    torch.set_num_threads(1)
    model, X, layers, q, rows = setup(case)
    widths = [v.shape[1] for v in capture(model, X[:2], layers).values()]
    before, t0 = status_mb('VmRSS'), time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # one epoch: the fit warns of its FVU
        sur = fit_surrogate(model, X, layers, pca_dim=q, train_cfg=dict(epochs=1), verbose=False,
                            stream=rows if case['stream'] else False)
    mb, sample = 4 / 2**20, (STREAM_ROWS if rows is True else rows) if case['stream'] else None
    return dict(seconds=time.perf_counter() - t0, rss_before_mb=before, peak_mb=status_mb('VmHWM'),
                fit_mb=status_mb('VmHWM') - before, widths=widths, q=sur.pre.q, sample_rows=sample,
                raw_mb=len(X) * sum(widths) * mb, reduced_mb=len(X) * len(layers) * sur.pre.q * mb)

def in_fresh_process(case:dict)->dict:
    "`run_case` in a new Python process (its own peak)."
    cmd = [sys.executable, __file__, '--case', json.dumps(case)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode: raise RuntimeError(f"case {case} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])

def machine()->dict:
    return dict(processor=platform.processor(), machine=platform.machine(), cpu_count=os.cpu_count(),
                torch=torch.__version__, torch_threads=1)

def main(full:bool, out:str):
    t0, rows = time.perf_counter(), []
    for size in (FULL if full else SMALL):
        kind = 'resnet18' if full else 'convnet'
        r = {p: in_fresh_process(dict(size, kind=kind, stream=p == 'streamed'))
             for p in ('in_memory', 'streamed')}
        ratio = r['in_memory']['fit_mb'] / r['streamed']['fit_mb']
        rows.append(dict(size, kind=kind, **r, ratio=ratio))
        print(f"{kind} n={size['n']:>6}: raw layers {r['in_memory']['raw_mb']:7.1f} MiB; fit needs "
              f"{r['in_memory']['fit_mb']:7.1f} MiB in memory, {r['streamed']['fit_mb']:6.1f} MiB "
              f"streamed ({ratio:.1f}x)", flush=True)
    command = 'OMP_NUM_THREADS=1 python benchmarks/capture_memory.py' + (' --full' if full else '')
    res = dict(command=command, full=full, machine=machine(),
               seconds_total=time.perf_counter() - t0, cases=rows)
    Path(out).write_text(json.dumps(res, indent=1) + '\n')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--full', action='store_true', help='ResNet-18 on up to 60 000 Fashion-MNIST images')
    ap.add_argument('--out', default='results/capture_memory.json')
    ap.add_argument('--case', help='(internal) run one case, given as JSON, and print its measurements')
    args = ap.parse_args()
    if args.case: print(json.dumps(run_case(json.loads(args.case))))
    else: main(args.full, args.out)
