"""Mixed-precision capture (`capture(amp=…)`, kept by a surrogate as a capture option)."""
import pytest, torch
from koopman_repr.base_nets import AMP_DTYPES, capture
from koopman_repr.examples import ConvNet
from koopman_repr.koopman_ae import Surrogate, fit_surrogate

LAYERS = ['block1', 'block2', 'block3']

@pytest.fixture(scope='module')
def cnn():
    with torch.random.fork_rng():
        torch.manual_seed(0)
        net = ConvNet().eval()
    return net, torch.randn(400, 1, 12, 12, generator=torch.Generator().manual_seed(1))

@pytest.mark.parametrize('amp', AMP_DTYPES)
def test_autocast_rows_are_float32_and_close(cnn, amp):
    net, X = cnn
    full, half = capture(net, X, LAYERS), capture(net, X, LAYERS, amp=amp)
    for k in full:
        assert half[k].dtype == torch.float32
        assert (half[k] - full[k]).norm() / full[k].norm() < 0.02, k

@pytest.mark.parametrize('amp', ['fp16', 'half', torch.bfloat16, True])
def test_unknown_amp_is_refused(cnn, amp):
    net, X = cnn
    with pytest.raises(ValueError, match=r"amp: unknown .*; accepted: \['bfloat16', 'float16'\]"):
        capture(net, X, LAYERS, amp=amp)

@pytest.mark.filterwarnings('ignore:the surrogate')
def test_surrogate_keeps_amp(cnn, tmp_path):
    "The option is applied when the surrogate lifts new inputs, and it survives a save and load."
    net, X = cnn
    sur = fit_surrogate(net, X, LAYERS, pca_dim=8, train_cfg=dict(epochs=2), verbose=False, amp='bfloat16')
    assert sur.capture_kw == {'amp': 'bfloat16'}
    sur.save(tmp_path / 's.kae')
    back = Surrogate.load(tmp_path / 's.kae', net)
    assert back.capture_kw == {'amp': 'bfloat16'} and torch.equal(back.logits(X), sur.logits(X))
    z_half = sur.lift(X)
    sur.capture_kw = {}
    assert not torch.equal(sur.lift(X), z_half)  # the option really changes the forward pass
