"""Bad and edge inputs found by an outside battery: each is refused clearly (naming the argument) or handled correctly."""
import numpy as np, pytest, torch, torch.nn as nn
from koopman_repr import topology as kt
from koopman_repr.paper.cli import compare_folders, main
from koopman_repr.koopman_ae import fit_surrogate

def _mlp(dtype=torch.float32):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 3)).to(dtype).eval()

@pytest.fixture(scope='module')
def fitted():
    m, X = _mlp(), torch.randn(200, 2)
    return m, X, fit_surrogate(m, X, ['1', '3'], head=m[4], train_cfg={'epochs': 2}, verbose=False)

@pytest.mark.parametrize('deaths,match', [(np.array([1.0, np.nan, 3.0]), 'NaN'), (np.array([-1.0, 2.0]), 'negative'),
                                          (np.array([[0.5, 1.0], [0.2, 2.0]]), 'shape'), (np.array([[0, 1.0], [0, np.inf]]), 'cap_infinite')])
def test_deaths_are_checked(deaths, match):
    with pytest.raises(ValueError, match=match): kt.betti0_curve(deaths, [0.5])
    with pytest.raises(ValueError, match=match): kt.h0_bottleneck(deaths, [1.0])

def test_a_diagram_of_bars_born_at_zero_is_its_deaths():
    assert kt.h0_bottleneck(np.array([[0, 0.5]]), np.array([[0, 1.0]])) == kt.h0_bottleneck([0.5], [1.0]) == 0.5
    assert kt.betti0_curve(np.array([[0, 1.0], [0, 2.0]]), [1.5]).tolist() == [2]

def test_compare_refuses_what_it_cannot_compare(tmp_path, capsys):
    (tmp_path/'a').mkdir(); (tmp_path/'b').mkdir()
    (tmp_path/'a'/'data.json').write_text('{"x": 1}')
    with pytest.raises(ValueError, match='nothing to compare.*data.json'): compare_folders(tmp_path/'a', tmp_path/'b')
    with pytest.raises(ValueError, match='rtol'): compare_folders(tmp_path/'a', tmp_path/'a', rtol=-1)
    assert main(['compare', str(tmp_path/'a'), str(tmp_path/'b')]) == 2
    (tmp_path/'b'/'other.json').write_text('{"y": 1}')
    assert main(['compare', str(tmp_path/'a'), str(tmp_path/'b')]) == 1
    assert 'not compared (not in the rerun): data.json' in capsys.readouterr().out

def test_save_checks_overwrite_and_the_path(fitted, tmp_path):
    _, _, sur = fitted
    (tmp_path/'mine.kae').write_text('mine')
    with pytest.raises(TypeError, match='overwrite'): sur.save(tmp_path/'mine.kae', overwrite='no')
    assert (tmp_path/'mine.kae').read_text() == 'mine'
    (tmp_path/'f').write_text('x')
    with pytest.raises(ValueError, match='is a file'): sur.save(tmp_path/'f'/'a.kae')

def test_inputs_of_the_wrong_shape_are_named(fitted):
    m, _, sur = fitted
    with pytest.raises(ValueError, match=r'X: .*per-example shape \(5,\)'): sur.predict(torch.randn(10, 5))
    with pytest.raises(ValueError, match=r'X: .*per-example shape \(3,\)'):
        fit_surrogate(m, torch.randn(50, 3), ['1', '3'], head=m[4], train_cfg={'epochs': 1}, verbose=False)

def test_a_float64_network_fits():
    m = _mlp(torch.float64)
    sur = fit_surrogate(m, torch.randn(200, 2, dtype=torch.float64), ['1', '3'], head=m[4],
                        train_cfg={'epochs': 2, 'lam_head': 1.0}, verbose=False)
    assert sur.predict(torch.randn(10, 2, dtype=torch.float64)).shape == (10,)

def test_verbose_is_checked(fitted):
    m, X, _ = fitted
    with pytest.raises(TypeError, match='verbose'):
        fit_surrogate(m, X, ['1', '3'], head=m[4], train_cfg={'epochs': 1}, verbose='no')

def test_layer_names_say_how_patterns_work(fitted):
    from koopman_repr.base_nets import resolve_layers
    m, _, _ = fitted
    with pytest.raises(ValueError, match=r'globs use \* and \?'): resolve_layers(m, '[13]')

def test_make_model_must_build_the_model_s_architecture():
    from koopman_repr.paper.unlearning_eval import _check_fresh
    m = _mlp()
    with pytest.raises(ValueError, match="make_model builds .* differ from model's"): _check_fresh(lambda: nn.Sequential(nn.Linear(2, 3)), m)
    _check_fresh(_mlp, m)  # a right factory passes
