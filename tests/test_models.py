"""The modelling API from outside: a user's own network, save/load round trips, bad input."""
import pytest, torch, torch.nn as nn
from dataclasses import replace
from koopman_repr.data import set_seed
from koopman_repr.base_nets import ResMLP, ResMLPConfig, capture, Preprocessor, CheckpointError, config_key
from koopman_repr.koopman_ae import KoopmanAE, KAEConfig, KAETrainConfig, fit_surrogate
from koopman_repr.paper import (train_or_load, YINYANG_RESMLP5, quick, save_surrogate, load_surrogate, SurrogateConfig,
                                YINYANG_KAE_QUICK)
from koopman_repr.unlearning import unlearn, kstep_matrix

def own_network():
    "A user's network that is not a ResMLP: named layers and a separate head."
    set_seed(0)
    body = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh())
    return nn.Sequential(body, nn.Linear(16, 2))

def test_fit_surrogate_on_own_network():
    net = own_network()
    X = torch.randn(600, 4)
    sur, hist = fit_surrogate(net, X, KAEConfig(dim=None, hidden=(24,), n_obs=12, k=3),
                              KAETrainConfig(lr=1e-2, epochs=30, batch_size=200), layers=['0.1', '0.3', '0.5'], head=net[1], verbose=False)
    assert sur.predict(X).shape == (600,)
    assert hist['total'][-1] < hist['total'][0]
    with pytest.raises(ValueError, match='pass head='):
        fit_surrogate(net[0], X, layers=['1', '3'], verbose=False)

def test_surrogate_save_load_and_edit_leave_original(tmp_path):
    set_seed(0)
    net = ResMLP(ResMLPConfig(2, 10, 2, 3))
    X, y = torch.rand(300, 2), torch.randint(0, 3, (300,))
    cfg = replace(YINYANG_KAE_QUICK, train=replace(YINYANG_KAE_QUICK.train, epochs=2))
    sur, _ = fit_surrogate(net, X, replace(cfg.kae, dim=None), cfg.train, verbose=False)
    save_surrogate(tmp_path/'s.pt', sur, cfg)
    loaded = load_surrogate(tmp_path/'s.pt', cfg, net)
    assert torch.equal(loaded.logits(X), sur.logits(X))
    K_before = kstep_matrix(sur.dynamics)
    edited = unlearn(sur, X, y, 1, 'joint')
    assert torch.equal(kstep_matrix(sur.dynamics), K_before) and not torch.equal(edited.dynamics.Kk, K_before)
    with pytest.raises(ValueError, match='out of range'): unlearn(sur, X, y, 5)

def test_checkpoint_cache_is_keyed_and_guarded(tmp_path):
    cfg = quick(YINYANG_RESMLP5, 1)
    m1, _ = train_or_load(cfg, tmp_path, verbose=False)
    path, = tmp_path.glob('*.pt')
    assert config_key(cfg) in path.name
    path.write_bytes(b'not a checkpoint')
    with pytest.raises(CheckpointError, match='unreadable'): train_or_load(cfg, tmp_path, verbose=False)
    m2, _ = train_or_load(cfg, tmp_path, verbose=False, on_corrupt='retrain')
    assert (tmp_path/(path.name + '.corrupt')).exists(), 'the damaged file is kept, not deleted'
    for a, b in zip(m1.state_dict().values(), m2.state_dict().values()): assert torch.equal(a, b), 'same seed, same weights'

@pytest.mark.parametrize('kw,msg', [(dict(k=0), 'positive integer'), (dict(operator='cayley'), 'accepted'), (dict(dim=-1), 'positive')])
def test_bad_kae_configs(kw, msg):
    with pytest.raises(ValueError, match=msg): KAEConfig(**kw)

def test_preprocessor_round_trip_on_wide_layers():
    reps = {'a': torch.randn(400, 50) * 3 + 1, 'b': torch.randn(400, 50)}
    pre = Preprocessor().fit(reps)
    for k, v in reps.items():
        assert (pre.inverse_transform(pre.transform(v, k), k) - v).abs().max() < 1e-5
        assert abs(pre.transform(v, k).double().norm().item() - 100) < 1e-3
