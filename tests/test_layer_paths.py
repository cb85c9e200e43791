"""Layer paths checked where they are resolved (each layer once, in forward order), input dtypes refused clearly,
and every remedy an error message names is a real parameter."""
import importlib, inspect, re
import pytest, torch, torch.nn as nn
import koopman_repr.base_nets as kb
from koopman_repr.base_nets import ResMLP, ResMLPConfig, TrainConfig, capture, fit, predict, resolve_layers
from koopman_repr.data import set_seed
from koopman_repr.examples import ConvNet, SharedNet, TanhMLP, TokenNet, TupleNet, toy_images
from koopman_repr.koopman_ae import fit_surrogate

@pytest.fixture(scope='module')
def net():
    set_seed(0)
    return ResMLP(ResMLPConfig(n_blocks=3)).eval()

X = torch.randn(12, 2)

# --- each layer once -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('layers, dup', [
    (['input_layer', 'blocks.0', 'input_layer'], 'input_layer'),  # not adjacent
    (['input_layer', 'input_layer', 'blocks.0'], 'input_layer'),  # adjacent
    (['blocks.*', 'blocks.1'], 'blocks.1'),  # a glob and a name
    (['blocks.0', 're'], 'blocks.0'),  # a name and the same module
])
def test_duplicates_refused(net, layers, dup):
    layers = [net.blocks[0] if l == 're' else l for l in layers]
    for f in (lambda: resolve_layers(net, layers), lambda: capture(net, X, layers)):
        with pytest.raises(ValueError, match=r'^layers: .*named more than once') as e: f()
        assert repr([dup]) in str(e.value)

# --- forward order ---------------------------------------------------------------------------------------------------

def test_reversed_order_refused_showing_both(net):
    rev = net.default_layers()[::-1]
    with pytest.raises(ValueError, match='^layers: ') as e: capture(net, X, rev)
    assert f'requested order {rev}' in str(e.value) and f'forward order {rev[::-1]}' in str(e.value)

def test_reversed_path_refused_by_fit_surrogate(net):
    with pytest.raises(ValueError, match="forward order \\['input_layer', 'blocks.0', 'blocks.1'\\]"):
        fit_surrogate(net, torch.randn(40, 2), ['blocks.1', 'blocks.0', 'input_layer'], verbose=False)

def test_valid_order_and_globs_still_work(net):
    r = capture(net, X, ['input_layer', 'blocks.*'])
    assert {k: tuple(v.shape) for k, v in r.items()} == {'input_layer': (12, 10), 'blocks.0': (12, 10),
                                                          'blocks.1': (12, 10), 'blocks.2': (12, 10)}
    assert list(capture(net, X, re.compile(r'blocks\.\d'))) == ['blocks.0', 'blocks.1', 'blocks.2']
    assert list(capture(TupleNet(), torch.randn(5, 64), 'b*')) == ['b1', 'b2']
    assert list(capture(net, X, batch_size=5)) == net.default_layers()  # order checked once, every batch kept

def test_shared_module_ordered_at_its_chosen_call():
    m, x = SharedNet(), torch.randn(5, 64)
    r = capture(m, x, ['inp', 'shared', 'head'], call={'shared': -1})
    assert [tuple(v.shape) for v in r.values()] == [(5, 32)] * 2 + [(5, 4)]
    with pytest.raises(ValueError, match="forward order \\['inp', 'shared'\\]"):
        capture(m, x, ['shared', 'inp'], call=0)

class Swapped(nn.Module):
    "Modules registered in another order than the forward pass calls them."
    def __init__(self):
        super().__init__()
        self.b2, self.b1, self.head = nn.Linear(4, 4), nn.Linear(3, 4), nn.Linear(4, 2)
    def forward(self, x): return self.head(self.b2(self.b1(x)))

def test_glob_in_registration_order_refused_clearly_or_listed_by_name():
    m, x = Swapped(), torch.randn(6, 3)
    with pytest.raises(ValueError, match="requested order \\['b2', 'b1'\\], forward order \\['b1', 'b2'\\]"):
        capture(m, x, 'b*')
    assert list(capture(m, x, ['b1', 'b2'])) == ['b1', 'b2']

# --- input dtypes ----------------------------------------------------------------------------------------------------

U8 = (255 * torch.rand(6, 1, 8, 8)).to(torch.uint8)
Y = torch.arange(6) % 4

@pytest.mark.parametrize('make', [TanhMLP, ConvNet, TokenNet], ids=['mlp', 'cnn', 'tokens-from-rows'])
@pytest.mark.parametrize('call, name', [
    (lambda m: capture(m, U8, ['head']), 'X'),
    (lambda m: capture(m, [(U8, Y)], ['head']), 'X'),
    (lambda m: predict(m, U8), 'X'),
    (lambda m: predict(m, U8.numpy()), 'X'),
    (lambda m: fit(m, TrainConfig(epochs=1, batch_size=4), (U8, Y), verbose=False), r'train\[0\] \(X\)'),
], ids=['capture', 'capture-loader', 'predict', 'predict-numpy', 'fit'])
def test_uint8_images_clear_type_error(make, call, name):
    with pytest.raises(TypeError, match=f'^{name}: the model cannot run on torch.uint8 inputs') as e: call(make())
    assert 'floating tensors' in str(e.value) and 'x.float() / 255' in str(e.value)
    assert isinstance(e.value.__cause__, RuntimeError)  # torch's own error kept, chained

def test_float_images_unchanged():
    X_img, _ = toy_images(6)
    m = ConvNet()
    assert torch.equal(capture(m, X_img, ['head'])['head'], capture(m, X_img.double(), ['head'])['head'])

class TokenIds(nn.Module):
    "Token ids (n, T) embedded, averaged, classified."
    def __init__(self):
        super().__init__()
        self.emb, self.mix, self.head = nn.Embedding(20, 8), nn.Linear(8, 8), nn.Linear(8, 3)
    def forward(self, ids): return self.head(torch.tanh(self.mix(self.emb(ids))).mean(1))

class ScalesItself(nn.Module):
    "Takes uint8 images and converts them itself."
    def __init__(self):
        super().__init__()
        self.lin, self.head = nn.Linear(64, 8), nn.Linear(8, 4)
    def forward(self, x): return self.head(torch.tanh(self.lin(x.flatten(1).float() / 255)))

def test_integer_token_ids_still_work():
    set_seed(0)
    m, ids, y = TokenIds(), torch.randint(0, 20, (10, 5)), torch.arange(10) % 3
    r = capture(m, ids, ['emb', 'mix', 'head'], reduce={'emb': 'mean', 'mix': 'mean'})
    assert [tuple(v.shape) for v in r.values()] == [(10, 8), (10, 8), (10, 3)]
    assert predict(m, ids).shape == (10,) and predict(m, ids.int().numpy()).shape == (10,)
    assert len(fit(m, TrainConfig(epochs=2, batch_size=5), (ids, y), verbose=False)) == 2

def test_model_that_scales_its_own_integer_input_still_works():
    m = ScalesItself()
    assert capture(m, U8, ['lin'])['lin'].shape == (6, 8) and predict(m, U8).shape == (6,)

def test_wrong_width_is_named_and_other_runtime_errors_pass_through():
    m = nn.Sequential(nn.Linear(5, 3))  # wrong width, float input: an error naming X, chained from torch's
    with pytest.raises(ValueError, match=r'X: .*per-example shape \(4,\)') as e: capture(m, torch.randn(4, 4), ['0'])
    assert isinstance(e.value.__cause__, RuntimeError)
    class Boom(nn.Module):
        def forward(self, x): raise RuntimeError('something else went wrong')
    with pytest.raises(RuntimeError, match='something else'): capture(nn.Sequential(Boom()), torch.randn(4, 4), ['0'])

# --- remedies name real parameters -----------------------------------------------------------------------------------

REMEDY = re.compile(r"(?:through `?([\w.]+)`?, )?pass (?:`(\w+)`|(\w+)\s*(?:=|<=|>=))")

def _params(obj)->set:
    try: return set(inspect.signature(obj).parameters)
    except (TypeError, ValueError): return set()

def _public_params(module)->set:
    "Parameter names of every public function, class and method of `module` (defined there)."
    out = set()
    for name, obj in vars(module).items():
        if name.startswith('_') or getattr(obj, '__module__', None) != module.__name__: continue
        out |= _params(obj)
        if inspect.isclass(obj):
            for attr in vars(obj).values(): out |= _params(attr) if callable(attr) else set()
    return out

def _function(dotted:str):
    "`paper.experiments.train_or_load` or `train_or_load`: a function of koopman_repr named in a message."
    *mod, fn = dotted.split('.')
    return getattr(importlib.import_module('koopman_repr.' + '.'.join(mod)) if mod else kb, fn)

def test_every_pass_remedy_names_a_parameter():
    src, known = inspect.getsource(kb), _public_params(kb)
    hits = REMEDY.findall(src)
    assert len(hits) >= 5  # output=, call=, pca_dim <=, on_corrupt= through train_or_load, …
    for where, quoted, bare in hits:
        param = quoted or bare
        if where: assert param in _params(_function(where)), f"{where} has no parameter {param!r}"
        else: assert param in known, f"a message says 'pass {param}=', but no public function here takes {param!r}"
    assert "through paper.experiments.train_or_load, pass on_corrupt='retrain'" in src and "delete it or pass on_corrupt" not in src
