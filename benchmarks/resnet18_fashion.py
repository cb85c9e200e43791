"""ResNet-18 with the small-image stem on Fashion-MNIST, trained on a CPU budget (the network `capture_memory.py --full` fits).

    python benchmarks/resnet18_fashion.py            # trains (or loads the cached weights) and prints test accuracy

torchvision's ResNet-18 with a 3×3, stride-1 one-channel first convolution and no max-pool, so `layer1`…`layer4` keep
28×28, 14×14, 7×7 and 4×4 maps (50 176, 25 088, 12 544 and 8 192 values per image). Recipe: SGD (momentum 0.9,
Nesterov, weight decay 5e-4), batch 128, one-cycle learning rate peaking at 0.1, random 2-pixel shifts and horizontal
flips, `EPOCHS` epochs on the 60 000 training images, seed 0. The weights are cached under
~/.cache/koopman_repr/runs (loaded with `weights_only=True`); a JSON beside them records the accuracy and time.
"""
import argparse, json, time
from pathlib import Path
import torch, torch.nn as nn, torch.nn.functional as F

EPOCHS = 2
CACHE = Path.home() / '.cache' / 'koopman_repr' / 'runs'

class FashionResNet18(nn.Module):
    "ResNet-18, small-image stem, on flattened 28 × 28 images; `head` is the pooling and the classifier."
    def __init__(self):
        super().__init__()
        from torchvision.models import resnet18
        net = resnet18(num_classes=10)
        self.stem = nn.Sequential(nn.Conv2d(1, 64, 3, 1, 1, bias=False), net.bn1, net.relu)
        self.layer1, self.layer2, self.layer3, self.layer4 = net.layer1, net.layer2, net.layer3, net.layer4
        self.head = nn.Sequential(net.avgpool, nn.Flatten(), net.fc)
    def forward(self, x):
        h = self.stem(x.reshape(-1, 1, 28, 28))
        return self.head(self.layer4(self.layer3(self.layer2(self.layer1(h)))))
    def default_layers(self): return ['layer1', 'layer2', 'layer3', 'layer4']

def augment(xb:torch.Tensor, g:torch.Generator)->torch.Tensor:
    "Random shifts of up to 2 pixels (zero padding) and horizontal flips."
    x = F.pad(xb.reshape(-1, 1, 28, 28), (2, 2, 2, 2))
    i, j = torch.randint(0, 5, (2,), generator=g).tolist()
    x = x[:, :, i:i + 28, j:j + 28]
    flip = torch.rand(len(x), generator=g) < 0.5
    return torch.where(flip[:, None, None, None], x.flip(3), x)

@torch.no_grad()
def accuracy(net, X, y, bs=200)->float:
    net.eval()
    return 100 * sum((net(X[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item() for i in range(0, len(X), bs)) / len(X)

def trained_resnet18(epochs:int=EPOCHS, verbose:bool=True)->tuple:
    "The trained network (eval mode) and its record: cached weights if present, else trained here."
    from koopman_repr.data import fashion_mnist, set_seed
    path = CACHE / f'bench_resnet18_fashion_e{epochs}_s0.pt'
    net = FashionResNet18()
    if path.exists() and path.with_suffix('.json').exists():
        net.load_state_dict(torch.load(path, weights_only=True))
        return net.eval(), json.loads(path.with_suffix('.json').read_text())
    set_seed(0)
    (X, y), (Xt, yt) = fashion_mnist('train'), fashion_mnist('test')
    g, bs = torch.Generator().manual_seed(0), 128
    steps = epochs * (len(X) // bs)
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=steps)
    t0, step = time.perf_counter(), 0
    for ep in range(epochs):
        net.train()
        perm = torch.randperm(len(X), generator=g)
        for b in range(len(X) // bs):
            idx = perm[b * bs:(b + 1) * bs]
            loss = F.cross_entropy(net(augment(X[idx], g)), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if verbose and step % 100 == 0:
                print(f'epoch {ep} step {step}/{steps} loss {loss.item():.3f} {time.perf_counter() - t0:.0f}s', flush=True)
    seconds = time.perf_counter() - t0
    rec = dict(epochs=epochs, train_seconds=seconds, threads=torch.get_num_threads(),
               test_acc=accuracy(net, Xt, yt), recipe=__doc__.split('Recipe: ')[1].split(' The weights')[0])
    CACHE.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), path)
    path.with_suffix('.json').write_text(json.dumps(rec, indent=1))
    return net.eval(), rec

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--epochs', type=int, default=EPOCHS)
    args = ap.parse_args()
    print(json.dumps(trained_resnet18(args.epochs)[1], indent=1))
