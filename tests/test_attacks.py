"""The unlearning evaluation's attacks and verdicts on cases whose answer is known, and their bad inputs.

Every check here is quick (synthetic scores, tiny networks, LiRA's known answer on 400 MNIST images): the whole
file runs in well under a minute on one CPU thread.
"""
import os, warnings

os.environ.setdefault('MPLBACKEND', 'Agg')
from dataclasses import replace
import pytest
import torch
import torch.nn as nn

from koopman_repr import base_nets as kb, data as kd
from koopman_repr.paper import unlearning_eval as ue


def g(seed=0): return torch.Generator().manual_seed(seed)


# --- MIA-Efficacy ------------------------------------------------------------------------------------------
def three_groups(forget_logit:float, n:int=200):
    "Retained training examples (confident), test examples (unsure), a forget set at `forget_logit`: two classes."
    L, y = torch.zeros(3 * n, 2), torch.zeros(3 * n, dtype=torch.long)
    L[:n, 0], L[n:2 * n, 0], L[2 * n:, 0] = 8.0, torch.linspace(-2, 2, n), forget_logit
    i = torch.arange(3 * n)
    return L, y, i < n, (i >= n) & (i < 2 * n), i >= 2 * n


@pytest.mark.parametrize('forget_logit, want', [(-4.0, 100.0), (8.0, 0.0)])
def test_mia_efficacy_known_answers(forget_logit, want):
    assert ue.mia_efficacy(*three_groups(forget_logit))['efficacy'] == want


def test_stump_is_at_chance_on_one_distribution():
    s = ue.fit_stump(torch.rand(4000, generator=g(1)), torch.rand(4000, generator=g(2)))
    assert s['train_acc'] < 53


def test_mia_efficacy_rejects_empty_masks():
    L, y, r, t, f = three_groups(0.0)
    with pytest.raises(ValueError, match='test selects no example'): ue.mia_efficacy(L, y, r, torch.zeros_like(t), f)


# --- LiRA -------------------------------------------------------------------------------------------------
def test_tpr_at_fpr_exact():
    pos, neg = torch.arange(100.0), torch.arange(1000.0) - 990
    assert ue.tpr_at_fpr(pos, neg, 0.01) == 100.0 and ue.tpr_at_fpr(pos, neg, 0.001) == 91.0


@pytest.mark.parametrize('fpr', [0.0, 1.0, -0.1, float('nan')])
def test_tpr_at_fpr_refuses_bad_rates(fpr):
    with pytest.raises((TypeError, ValueError), match='fpr'): ue.tpr_at_fpr(torch.ones(3), torch.zeros(3), fpr)


def synthetic_shadows(n=2000, S=8, gap=3.0):
    keep = ue.shadow_masks(n, S)
    return dict(phi=torch.randn(S, n, generator=g(3), dtype=torch.float64) + gap * keep, keep=keep)


def test_offline_lira_known_answers():
    sh, member = synthetic_shadows(), torch.arange(2000) < 1000
    phi = torch.randn(2000, generator=g(4), dtype=torch.float64) + 3.0 * member
    assert ue.attack_metrics(ue.lira_offline(phi, sh), member, ~member)['auc'] > 0.95
    blind = ue.attack_metrics(ue.lira_offline(phi - 3.0 * member, sh), member, ~member)
    assert abs(blind['auc'] - 0.5) < 0.05 and blind['tpr@1%'] < 5


def test_offline_lira_is_monotone_below_every_shadow():
    "A model far less confident than any shadow is called a non-member, whatever the shadows' in/out means."
    sh, member = synthetic_shadows(), torch.arange(2000) < 1000
    s = ue.lira_offline(torch.full((2000,), -50.0, dtype=torch.float64), sh)
    assert (s < ue.lira_offline(torch.zeros(2000, dtype=torch.float64), sh)).all()


def test_lira_validation_finds_members_of_an_overfitted_model():
    X, y = kd.idx_images('mnist', 'train')
    v = ue.lira_validation(X[:400], y[:400], n_shadows=8, tcfg=replace(ue.MEMORISE, epochs=40))
    assert v['train_acc'] == 100.0
    assert v['online']['auc'] >= 0.7 and v['offline']['auc'] >= 0.7


# --- U-LiRA -----------------------------------------------------------------------------------------------
def test_ulira_known_answers():
    mu = torch.randn(200, generator=g(5), dtype=torch.float64) * 2
    noise = lambda s: torch.randn(8, 200, generator=g(s), dtype=torch.float64)
    same = ue.ulira(mu + noise(6), mu + noise(7))
    apart = ue.ulira(mu + 2 + noise(8), mu + noise(9))
    assert abs(same['auc'] - 0.5) < 0.05 and abs(same['acc'] - 50) < 5
    assert apart['auc'] > 0.9 and apart['networks'] == [8, 8]


@pytest.mark.parametrize('a, b, msg', [((2, 5), (2, 5), 'at least 3'), ((4, 5), (3, 5), 'as many networks'), ((4, 5), (4, 6), 'same examples')])
def test_ulira_bad_inputs(a, b, msg):
    with pytest.raises(ValueError, match=msg): ue.ulira(torch.zeros(*a), torch.zeros(*b))


@pytest.mark.parametrize('n', [1, 2, -1])
def test_ulira_shadows_setting(n):
    with pytest.raises((TypeError, ValueError), match='ulira_shadows'): ue.UnlearningEvalConfig(ue.eval_configs('quick')['cnn_mnist_small_quick'].zoo, ulira_shadows=n)


# --- relearning and the nulls -----------------------------------------------------------------------------
def test_relearning_brings_a_class_back_and_leaves_the_model_alone():
    yr = torch.arange(200) % 2
    X = torch.randn(200, 2, generator=g(10)) + torch.tensor([[3.0, 0.0]]) * yr[:, None]
    lin = nn.Linear(2, 2)
    with torch.no_grad(): lin.weight.zero_(); lin.bias.copy_(torch.tensor([5.0, 0.0]))
    before = {k: v.clone() for k, v in lin.state_dict().items()}
    X1, y1 = X[yr == 1], yr[yr == 1]
    curve = ue.relearn_network(lin, X1[:10], y1[:10], X1[10:], y1[10:], steps=(0, 50), lr=0.5)
    assert curve[0] == 0.0 and curve[1] > 90
    assert all(torch.equal(before[k], v) for k, v in lin.state_dict().items()) and lin.weight.grad is None


def test_mask_logits():
    L = ue.mask_logits(torch.tensor([[5.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.0, 1.0, 4.0]]), 0)
    assert L.tolist() == [[-2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.0, 1.0, 4.0]]
    assert not (ue.mask_logits(torch.randn(500, 10, generator=g(12)), 3).argmax(1) == 3).any()
    everywhere = ue.mask_logits(torch.tensor([[5.0, 1.0], [4.0, 0.0]]), 0)  # no row to calibrate on: the least gap
    assert everywhere.tolist() == [[1.0 - ue.MASK_MIN_GAP, 1.0], [0.0 - ue.MASK_MIN_GAP, 0.0]]
    with pytest.raises((TypeError, ValueError), match='c'): ue.mask_logits(torch.zeros(2, 3), 3)


def small_net():
    X = torch.randn(600, 4, generator=g(11)); y = X[:, :3].argmax(1)
    kd.set_seed(0)
    net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    kb.fit(net, kb.TrainConfig(lr=1e-2, epochs=20, batch_size=64), (X, y), verbose=False, optimizer='adamw')
    return net.eval(), X, y


def test_last_layer_refit_forgets_and_keeps():
    net, X, y = small_net()
    before = net[0].weight.clone()
    refit = ue.last_layer_refit(net, X, y, 1)
    assert not (kb.predict(refit, X) == 1).any()
    assert kb.accuracy(kb.predict(refit, X[y != 1]), y[y != 1]) > 85
    assert torch.equal(refit[0].weight, before) and torch.equal(net[0].weight, before)


def test_last_layer_refit_refuses_a_network_whose_last_linear_is_not_its_output():
    net, X, y = small_net()
    with pytest.raises(ValueError, match='does not give its logits'): ue.last_layer_refit(nn.Sequential(net, nn.ReLU()), X, y, 1)
    with pytest.raises(ValueError, match='no'): ue.last_layer_refit(nn.Sequential(nn.Flatten()), X, y, 1)


def test_last_layer_refit_without_bias():
    net, X, y = small_net()
    nb = nn.Sequential(net[0], net[1], nn.Linear(16, 3, bias=False))
    assert not (kb.predict(ue.last_layer_refit(nb, X, y, 2), X) == 2).any()


def test_matched_recipe():
    t = kb.TrainConfig(epochs=3)
    assert ue.matched_recipe(t, 60000, 35000).epochs == 5 and ue.matched_recipe(t, 100, 1000).epochs == 1
    with pytest.raises(ValueError, match='n_shadow'): ue.matched_recipe(t, 10, 0)


# --- the verdicts, on made-up results whose answers are known ----------------------------------------------
def row(ua, ra, ta, mia, auc):
    return dict(UA=ua, RA=ra, TA=ta, MIA=mia, prob_auc=auc, lira_auc=auc, offline_auc=auc, RTE=1.0)


def made_up(original_auc=0.8, joint=row(100.0, 99.0, 98.0, 100.0, 0.50), relearn_joint=(0.0, 10.0, 90.0)):
    curves = {'original': {'10': [100.0, 100.0, 100.0, 100.0]}, 'retrain': {'10': [0.0, 0.0, 5.0, 95.0]},
              'joint edit': {'10': [0.0, *relearn_joint]}}
    return dict(rows={'original': {'0': [row(0.0, 99.0, 98.0, 5.0, original_auc)]},
                      'retrain': {'0': [row(100.0, 99.0, 98.0, 100.0, 0.50)]}, 'joint edit': {'0': [joint]}},
                shadows={'all': {'online': {'auc': 0.6}, 'offline': {'auc': 0.6}}},
                relearn=dict(c=0, sizes=[10], steps=[0, 1, 5, 20], curves=curves),
                ulira=dict(networks=8, rows={'original': {'auc': 1.0}, 'retrain': {'auc': 0.5}, 'joint edit': {'auc': 0.52}}))


def verdicts(rep): return {v['method']: v for v in ue.verdict_rows(rep)}


def test_a_copy_of_retraining_passes_everything_and_the_original_nothing():
    v = verdicts(made_up(relearn_joint=(0.0, 5.0, 95.0)))
    ys = ('accuracy', 'mia', 'lira', 'ulira', 'relearn')
    assert all(v['joint edit'][k][0] for k in ys)
    assert not any(v['original'][k][0] for k in ys)


def test_each_yardstick_fails_on_its_own():
    assert not verdicts(made_up(joint=row(90.0, 99.0, 98.0, 100.0, 0.5)))['joint edit']['accuracy'][0]
    assert not verdicts(made_up(joint=row(100.0, 99.0, 98.0, 90.0, 0.5)))['joint edit']['mia'][0]
    assert not verdicts(made_up(joint=row(100.0, 99.0, 98.0, 100.0, 0.6)))['joint edit']['lira'][0]
    assert not verdicts(made_up(relearn_joint=(60.0, 90.0, 100.0)))['joint edit']['relearn'][0]
    rep = made_up()
    rep['ulira']['rows']['joint edit']['auc'] = 0.9
    assert not verdicts(rep)['joint edit']['ulira'][0]


def test_the_chance_rule_marks_an_attack_blind_on_the_original():
    assert ue.attack_check(made_up(original_auc=0.51))['chance'] == dict(lira=True, mia=True, ulira=False)
    assert not any(ue.attack_check(made_up(original_auc=0.8))['chance'].values())
    table = ue.verdict_markdown(made_up(original_auc=0.51))
    assert table.count('at chance') == 2 * 3  # LiRA and MIA-Efficacy, on each of the three rows
    assert 'say nothing about membership' in ue.eval_verdict(made_up(original_auc=0.51), 'x')


def test_the_front_page_sentence_says_what_the_verdict_table_says(tmp_path):
    "The index's sentence is generated from the verdicts: a method passes only where every yardstick does."
    import json
    from koopman_repr.paper.claims import unlearning_eval_sentence
    good, blind = made_up(relearn_joint=(0.0, 5.0, 95.0)), made_up(original_auc=0.51, relearn_joint=(60.0, 90.0, 100.0))
    (tmp_path/'unlearning_eval.json').write_text(json.dumps({'a': good, 'b': blind}))
    s = unlearning_eval_sentence(tmp_path)
    # the joint edit passes on network a only, named with the yardsticks that decided there
    assert '(2 networks): joint edit on a (accuracy, ' in s and ' on b' not in s
    assert 'LiRA (b)' in s and 'MIA-Efficacy (b)' in s
    (tmp_path/'unlearning_eval.json').write_text(json.dumps({'a': made_up(relearn_joint=(60.0, 90.0, 100.0))}))
    assert '(1 network): no method on any' in unlearning_eval_sentence(tmp_path)
    assert unlearning_eval_sentence(tmp_path/'nowhere') == ''
