"""A surrogate works with the network's own dtype and any head, and never touches the network.

Four promises of `fit_surrogate`, `Surrogate.save` and `Surrogate.load`: a float64 or bfloat16 network fits, predicts,
scores and round-trips through a file (the head computes in its own dtype; the KAE in float32); a head that is not a
module (a lambda, a bound method, a function of another module) leaves no gradient on any weight and every
`requires_grad` flag as it was; a default `model.head` that keeps a token map's axes is refused at fit, naming its
shape and what to pass; and `load` refuses a head whose outputs on the file's fixed states differ from those saved,
while still reading files saved without them. Tiny networks, 300 rows, three epochs.
"""
import json
import pytest
import torch
import torch.nn as nn
from koopman_repr.data import set_seed
from koopman_repr.base_nets import CheckpointError
from koopman_repr.koopman_ae import Surrogate, fit_surrogate, fit_surrogates, _surrogate_bytes

pytestmark = pytest.mark.filterwarnings('ignore:the surrogate')  # a three-epoch fit is poor (the FVU warning)

LAYERS = ['0', '1', '3']

def seq_net(dtype=torch.float32, seed=0):
    "Linear, tanh, linear, tanh, a linear head of 3 classes: the head is module '4'."
    set_seed(seed)
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 3)).to(dtype)

class MethodNet(nn.Module):
    "A body and a classifier reached through a method, as many networks expose one."
    def __init__(self):
        super().__init__()
        set_seed(0)
        self.body = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh())
        self.fc = nn.Linear(16, 3)
    def classify(self, h): return self.fc(h)
    def forward(self, x): return self.classify(self.body(x))

class TokenNet(nn.Module):
    "timm-style: 16 tokens of width 8, blocks, and `head` a Linear meant for the class token only."
    def __init__(self):
        super().__init__()
        set_seed(0)
        self.embed, self.head = nn.Linear(4, 16 * 8), nn.Linear(8, 10)
        self.blocks = nn.Sequential(nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 8))
    def forward(self, x): return self.head(self.blocks(self.embed(x).view(len(x), 16, 8))[:, 0])

def inputs(dtype=torch.float32, n=300):
    return torch.randn(n, 4, generator=torch.Generator().manual_seed(1)).to(dtype)

def fit(net, X, layers=LAYERS, **kw):
    return fit_surrogate(net, X, layers, **(dict(train_cfg=dict(epochs=3), verbose=False) | kw))

def flags(net): return [p.requires_grad for p in net.parameters()]

# ---------------------------------------------------------------- 1. the network's dtype
@pytest.mark.parametrize('dtype', [torch.float64, torch.bfloat16])
@pytest.mark.parametrize('head', ['module', 'callable'])
def test_network_of_another_dtype_fits_and_round_trips(tmp_path, dtype, head):
    net, X = seq_net(dtype), inputs(dtype)
    sur = fit(net, X, head=net[4] if head == 'module' else (lambda h: net[4](h)))
    assert sur.train_cfg.lam_head > 0 and 'head' in sur.history, 'the output term trained'
    assert all(p.dtype == torch.float32 for p in sur.dynamics.parameters()), 'the KAE trains in float32'
    assert sur.logits(X).dtype == dtype and sur.predict(X).shape == (300,)
    assert 0 <= sur.score(X, net(X).argmax(1)) <= 100
    path = sur.save(tmp_path/'s.kae')
    loaded = Surrogate.load(path, net, head=None if head == 'module' else (lambda h: net[4](h)))
    assert torch.equal(loaded.logits(X), sur.logits(X))

def test_bound_method_head_computes_in_its_modules_dtype():
    net = MethodNet().double()
    sur = fit(net, inputs(torch.float64), ['body.0', 'body.1', 'body.3'], head=net.classify)
    assert sur.logits(inputs(torch.float64)[:5]).dtype == torch.float64

# ---------------------------------------------------------------- 2. no gradient on the network
def _heads(net, other):
    return {'module': net.fc, 'lambda': lambda h: net.fc(h), 'bound method': net.classify,
            'another module': lambda h: other(h)}

@pytest.mark.parametrize('kind', ['module', 'lambda', 'bound method', 'another module'])
@pytest.mark.parametrize('many', [False, True], ids=['fit_surrogate', 'fit_surrogates'])
def test_fit_leaves_no_gradient_and_the_flags_as_they_were(kind, many):
    net, other = MethodNet(), nn.Linear(16, 3)
    net.body[0].weight.requires_grad_(False)  # a frozen weight stays frozen, a trainable one trainable
    before = flags(net)
    head, layers = _heads(net, other)[kind], ['body.0', 'body.1', 'body.3']
    if many: fit_surrogates(net, inputs(), None, [dict(epochs=2, seed=0), dict(epochs=2, seed=1)], layers=layers,
                            head=head, verbose=False)
    else: fit(net, inputs(), layers, head=head)
    assert [n for n, p in [*net.named_parameters(), *other.named_parameters()] if p.grad is not None] == []
    assert flags(net) == before and all(flags(other))

def test_existing_gradients_are_left_alone():
    net = MethodNet()
    net(inputs()).sum().backward()
    grads = {n: p.grad.clone() for n, p in net.named_parameters()}
    fit(net, inputs(), ['body.0', 'body.1', 'body.3'], head=lambda h: net.fc(h))
    assert all(torch.equal(p.grad, grads[n]) for n, p in net.named_parameters())

def test_readout_of_a_callable_head_reaches_the_states_only():
    net = MethodNet()
    sur = fit(net, inputs(), ['body.0', 'body.1', 'body.3'], head=net.classify)
    z = sur.states(inputs()[:20])['body.3'].requires_grad_()
    sur.readout()(z).sum().backward()
    assert z.grad is not None and z.grad.abs().sum() > 0
    assert all(p.grad is None and p.requires_grad for p in net.parameters())

# ---------------------------------------------------------------- 3. a default head that keeps a token map's axes
def test_token_map_head_is_refused_at_fit_with_what_to_pass():
    net = TokenNet()
    with pytest.raises(ValueError) as e: fit(net, inputs(), ['embed', 'blocks.0', 'blocks.2'], pca_dim=8)
    msg = str(e.value)
    for w in ('head:', 'shape (2, 16, 10)', 'per-example shape (16, 8)', 'model.head was used',
              'head=lambda h: model.head(h[:, 0])'):
        assert w in msg, f"{w!r} missing from: {msg}"

def test_token_map_with_a_class_token_head_fits():
    net, X = TokenNet(), inputs()
    sur = fit(net, X, ['embed', 'blocks.0', 'blocks.2'], pca_dim=8, head=lambda h: net.head(h[:, 0]))
    assert sur.logits(X).shape == (300, 10) and 0 <= sur.score(X, net(X).argmax(1)) <= 100

# ---------------------------------------------------------------- 4. the head's fingerprint on load
def as_head(f):
    "`f` as a new callable head; every head made here has one qualified name, so only its outputs tell them apart."
    return lambda h: f(h)

@pytest.fixture(scope='module')
def saved(tmp_path_factory):
    "A float32 network, a surrogate fitted with a lambda head, its file and the file's archive."
    tmp = tmp_path_factory.mktemp('dtype_head')
    net, X = seq_net(), inputs()
    head = as_head(net[4])
    path = fit(net, X, head=head).save(tmp/'fc.kae')
    return dict(tmp=tmp, net=net, X=X, head=head, path=path, archive=torch.load(path, weights_only=True))

def test_file_holds_the_heads_outputs_on_fixed_states(saved):
    state = saved['archive']['state']
    q = len(state['pre.3.R'])  # the preprocessed width
    assert tuple(state['head.probe'].shape) == (8, q) and tuple(state['head.outputs'].shape) == (8, 3)

def test_same_callable_loads_and_predicts_the_same(saved):
    net, X = saved['net'], saved['X']
    sur = Surrogate.load(saved['path'], net, head=as_head(net[4]))  # another callable, the same function
    assert torch.equal(sur.logits(X), Surrogate.load(saved['path'], net, head=saved['head']).logits(X))

@pytest.mark.parametrize('other', [lambda net: as_head(lambda h: -net[4](h)),
                                   lambda net: as_head(lambda h: net[4](h)[:, [1, 0, 2]]),
                                   lambda net: as_head(seq_net(seed=5)[4]),
                                   lambda net: as_head(lambda h: net[4](h)[:, :2])],
                         ids=['negated', 'classes swapped', 'another network', 'fewer classes'])
def test_callable_with_other_outputs_is_refused(saved, other):
    net = saved['net']
    with pytest.raises(ValueError) as e: Surrogate.load(saved['path'], net, head=other(net))
    msg = str(e.value)
    for w in ('head:', saved['path'].name, 'another head', 'fixed rows', 'check_model=False'):
        assert w in msg, f"{w!r} missing from: {msg}"
    assert Surrogate.load(saved['path'], net, head=other(net), check_model=False).logits(saved['X'][:4]).ndim == 2

class SignedHead(nn.Module):
    "A linear head with a sign that is no weight: two of them with the same weights share a state dict."
    def __init__(self, sign=1.0):
        super().__init__()
        self.lin, self.sign = nn.Linear(16, 3), sign
    def forward(self, h): return self.sign * self.lin(h)

def test_module_head_with_equal_weights_but_other_outputs_is_refused(tmp_path):
    net, X = seq_net(), inputs()
    net[4] = SignedHead()
    path = fit(net, X, head=net[4]).save(tmp_path/'signed.kae')
    assert Surrogate.load(path, net).logits(X).shape == (300, 3)
    net[4].sign = -1.0  # the weights (and so every fingerprint) are unchanged
    with pytest.raises(ValueError, match='head: .*another head: on 8 fixed rows'): Surrogate.load(path, net)

def _resealed(saved, name, state):
    path = saved['tmp']/name
    path.write_bytes(_surrogate_bytes(json.loads(saved['archive']['meta']), state))
    return path

def test_file_saved_without_the_outputs_still_loads(saved):
    "A file saved before the head's outputs were recorded: read, its head checked by name and weights only."
    state = {k: v for k, v in saved['archive']['state'].items() if not k.startswith('head.')}
    path, net = _resealed(saved, 'old.kae', state), saved['net']
    sur = Surrogate.load(path, net, head=saved['head'])
    fresh = Surrogate.load(saved['path'], net, head=saved['head'])
    assert torch.equal(sur.logits(saved['X']), fresh.logits(saved['X']))
    sur.save(saved['tmp']/'again.kae')  # saved again, it records the outputs
    assert 'head.outputs' in torch.load(saved['tmp']/'again.kae', weights_only=True)['state']

@pytest.mark.parametrize('edit,words', [
    (lambda s: s.pop('head.outputs'), ("missing ['head.outputs']",)),
    (lambda s: s.update({'head.outputs': s['head.outputs'][:3]}), ('head.probe and head.outputs must be',)),
    (lambda s: s.update({'head.probe': s['head.probe'][:, :2]}), ('head.probe and head.outputs must be',)),
], ids=['outputs missing', 'rows disagree', 'probe too narrow'])
def test_resealed_probe_is_still_checked(saved, edit, words):
    state = dict(saved['archive']['state'])
    edit(state)
    path = _resealed(saved, 'probe.kae', state)
    with pytest.raises(CheckpointError) as e: Surrogate.load(path, saved['net'], head=saved['head'])
    for w in (path.name, *words): assert w in str(e.value), f"{w!r} missing from: {e.value}"
