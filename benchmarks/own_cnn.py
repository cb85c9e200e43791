"""A user's own CNN on MNIST, fitted with `fit_surrogate`'s defaults: the acceptance check of the general API.

    python benchmarks/own_cnn.py --out results/own_network.json

Trains a 3-conv-block CNN (layers of different widths, a linear head) for a few epochs, fits a surrogate with default
settings on its three blocks (one per surrogate seed), and writes network and surrogate test accuracy (mean and worst seed),
agreement, the chosen width and fit time."""
import argparse, json, time
from pathlib import Path
import torch, torch.nn as nn, torch.nn.functional as F
from koopman_repr.data import mnist, set_seed, TensorLoader
from koopman_repr.base_nets import predict, accuracy
from koopman_repr.koopman_ae import fit_surrogate, path_states, with_dynamics, LinearMap, Identity

class SmallCNN(nn.Module):
    "Three conv blocks (3136, 1568 and 1568 wide) and a linear head."
    def __init__(self):
        super().__init__()
        self.block1 = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.block2 = nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.block3 = nn.Sequential(nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
    def forward(self, x): return self.head(self.block3(self.block2(self.block1(x.view(-1, 1, 28, 28)))))

def train(net, X, y, epochs:int, seed:int=0):
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    for _ in range(epochs):
        for xb, yb in TensorLoader(X, y, batch_size=128, shuffle=True, seed=seed):
            loss = F.cross_entropy(net(xb), yb); opt.zero_grad(); loss.backward(); opt.step()
    return net.eval()

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--out', default='results/own_network.json'); p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2]); p.add_argument('--quick', action='store_true')
    a = p.parse_args()
    (Xtr, ytr), (Xte, yte) = mnist('train'), mnist('test')
    if a.quick: Xtr, ytr, Xte, yte = Xtr[:3000], ytr[:3000], Xte[:1000], yte[:1000]
    set_seed(0); t0 = time.time()
    net = train(SmallCNN(), Xtr, ytr, a.epochs)
    out = dict(command='python benchmarks/own_cnn.py ' + ' '.join(f'--{k} {v}' for k, v in vars(a).items() if k not in ('quick', 'seeds')) + ' --seeds ' + ' '.join(map(str, a.seeds)) + (' --quick' if a.quick else ''),
               threads=torch.get_num_threads(), net_train_seconds=round(time.time() - t0, 1), net_test_acc=accuracy(predict(net, Xte), yte), runs=[])
    for seed in a.seeds:  # every setting at its default but the surrogate's seed (0 is the default)
        t0 = time.time()
        sur = fit_surrogate(net, Xtr, layers=['block1', 'block2', 'block3'], train_cfg=dict(seed=seed), verbose=False)
        out['runs'].append(dict(seed=seed, fit_seconds=round(time.time() - t0, 1), pca_dim=sur.pre.q, fit_fvu=sur.fit_fvu,
                                test_acc=sur.score(Xte, yte), agreement=sur.agreement(Xte), train_cfg=str(sur.train_cfg)))
        print(out['runs'][-1], flush=True)
    Z, _ = path_states(net, Xtr, sur.layers, sur.pre)  # baselines in the same frame: a least-squares map, the last layer itself
    out['linear_map_acc'] = with_dynamics(sur, LinearMap(Z[:, 0], Z[:, -1])).score(Xte, yte)
    out['head_on_reduced_last_layer_acc'] = accuracy(sur.head_logits(sur.pre.inverse_transform(sur.states(Xte)[sur.last], sur.last)).argmax(1), yte)
    accs = [r['test_acc'] for r in out['runs']]
    out |= dict(surrogate_mean=sum(accs) / len(accs), surrogate_worst=min(accs), gap_worst_pp=out['net_test_acc'] - min(accs))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(out, indent=1) + '\n')
    print(json.dumps({k: v for k, v in out.items() if k != 'runs'}))
