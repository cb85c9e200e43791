"""The modelling API from outside: a user's own network, save/load round trips, bad input."""
import pytest, torch, torch.nn as nn
from dataclasses import replace
from koopman_repr.data import set_seed
from koopman_repr.base_nets import ResMLP, ResMLPConfig, capture, Preprocessor, CheckpointError, config_key
from koopman_repr.koopman_ae import KoopmanAE, KAEConfig, KAETrainConfig, fit_surrogate, Surrogate
from koopman_repr.paper.experiments import (train_or_load, YINYANG_RESMLP5, quick, save_surrogate, load_surrogate, SurrogateConfig,
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
    sur = fit_surrogate(net, X, layers=['0.1', '0.3', '0.5'], head=net[1], kae_cfg=KAEConfig(hidden=(24,), n_obs=12, k=3),
                        train_cfg=KAETrainConfig(lr=1e-2, epochs=30, batch_size=200), verbose=False)
    assert sur.predict(X).shape == (600,) and sur.history['total'][-1] < sur.history['total'][0]
    assert sur.agreement(X) > 80
    with pytest.raises(ValueError, match='pass head='):
        fit_surrogate(net[0], X, layers=['1', '3'], verbose=False)

def test_surrogate_save_load_and_edit_leave_original(tmp_path):
    set_seed(0)
    net = ResMLP(ResMLPConfig(2, 10, 2, 3))
    X, y = torch.rand(300, 2), torch.randint(0, 3, (300,))
    cfg = replace(YINYANG_KAE_QUICK, train=replace(YINYANG_KAE_QUICK.train, epochs=2))
    sur = fit_surrogate(net, X, kae_cfg=replace(cfg.kae, dim=None), train_cfg=cfg.train, pre=Preprocessor(), verbose=False)
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

def test_surrogate_file_round_trip_and_guards(tmp_path):
    "The self-contained file: loads on its own network only, never overwrites, and loads with weights_only."
    net = own_network()
    X = torch.randn(400, 4)
    sur = fit_surrogate(net, X, layers='0.*', head=net[1], train_cfg=dict(epochs=3), verbose=False)
    assert sur.layers == ['0.0', '0.1', '0.2', '0.3', '0.4', '0.5']
    sur.save(tmp_path/'s.kae')
    assert torch.equal(Surrogate.load(tmp_path/'s.kae', net).logits(X), sur.logits(X))
    with pytest.raises(FileExistsError): sur.save(tmp_path/'s.kae')
    other = own_network(); torch.nn.init.zeros_(other[1].weight)
    with pytest.raises(ValueError, match='another network'): Surrogate.load(tmp_path/'s.kae', other)
    (tmp_path/'bad.kae').write_bytes(b'junk')
    with pytest.raises(CheckpointError): Surrogate.load(tmp_path/'bad.kae', net)

def test_crafted_pickle_does_not_run(tmp_path):
    "A checkpoint that would run code when unpickled is refused before anything runs."
    import pickle, os
    marker = tmp_path/'ran'
    class Evil:
        def __reduce__(self): return (os.system, (f'touch {marker}',))
    torch.save({'state': {}, 'sha256': '', 'meta': Evil()}, tmp_path/'evil.kae')
    with pytest.raises(CheckpointError): Surrogate.load(tmp_path/'evil.kae', own_network())
    assert not marker.exists()
