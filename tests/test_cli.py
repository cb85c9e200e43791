"""The `koopman-repr` command, run as a user would."""
import json, shutil, subprocess, sys
import pytest

def cli(*args, **kw):
    exe = shutil.which('koopman-repr')
    cmd = [exe] if exe else [sys.executable, '-c', 'import sys; from koopman_repr.paper.cli import main; sys.exit(main())']
    return subprocess.run(cmd + list(args), capture_output=True, text=True, **kw)

def test_help_lists_commands_and_options():
    r = cli('--help')
    assert r.returncode == 0 and 'reproduce' in r.stdout
    r = cli('reproduce', '--help')
    for opt in ['--dataset', '--scale', '--seeds', '--device', '--out', '--data-root']: assert opt in r.stdout

def test_data_step_writes_results(tmp_path):
    r = cli('data', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    summary = json.loads((tmp_path/'data.json').read_text())
    assert summary['yinyang']['train']['n'] == 5000 and (tmp_path/'figures'/'yinyang_data.png').stat().st_size > 1000
    again = cli('data', '--out', str(tmp_path / 'b'))
    assert json.loads((tmp_path/'b'/'data.json').read_text()) == summary, 'same command, same numbers'

@pytest.mark.parametrize('args,expect', [
    (['data', '--dataset', 'cifar'], 'accepted: yinyang, mnist, all'),
    (['data', '--scale', 'huge'], 'accepted: quick, paper'),
])
def test_errors_are_one_line(tmp_path, args, expect):
    r = cli(*args, '--out', str(tmp_path))
    assert r.returncode == 2 and expect in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and 'Traceback' not in r.stderr

def test_missing_mnist_is_one_line(tmp_path):
    r = cli('data', '--dataset', 'mnist', '--data-root', str(tmp_path/'nowhere'), '--out', str(tmp_path))
    assert r.returncode == 2 and 'train-images-idx3-ubyte' in r.stderr and 'Traceback' not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1

def test_quick_reproduce_end_to_end(tmp_path):
    "The whole Yin-Yang pipeline at quick scale, into a temporary folder."
    r = cli('reproduce', '--scale', 'quick', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr[-2000:]
    for f in ['data.json', 'base_nets.json', 'koopman_ae.json', 'topology.json', 'unlearning.json']:
        assert (tmp_path/f).stat().st_size > 100, f
    ka = json.loads((tmp_path/'koopman_ae.json').read_text())['yinyang']
    assert len(ka['surrogate_test_acc']) == 1 and ka['baselines']['base']['acc'] > 90
    un = json.loads((tmp_path/'unlearning.json').read_text())['yinyang']
    assert set(un) == {'0', '1', '2'} and 'joint edit' in un['2']

def test_quick_reproduce_reproduces(tmp_path):
    "Reproducibility at quick scale: a rerun over its own results changes nothing but timings and keeps other steps' entries; a run from nothing gives the same numbers."
    from koopman_repr.paper.cli import compare_folders, is_timing
    a, b = tmp_path/'a', tmp_path/'b'
    assert cli('reproduce', '--scale', 'quick', '-q', '--out', str(a)).returncode == 0
    for name, extra in (('data.json', {'mnist': {'train': {'n': 60000}}}), ('koopman_ae.json', {'other': {'acc': [1.0]}})):
        (a/name).write_text(json.dumps(json.loads((a/name).read_text()) | extra, indent=1))  # what another step or dataset wrote
    before = {p.name: p.read_text() for p in a.glob('*.json')}
    r = cli('reproduce', '--scale', 'quick', '-q', '--out', str(a))
    assert r.returncode == 0, r.stderr[-2000:]
    after = {p.name: p.read_text() for p in a.glob('*.json')}
    assert set(after) == set(before)
    for name in before:  # byte-identical, or different only in timing fields
        if before[name] != after[name]:
            old, new = json.loads(before[name]), json.loads(after[name])
            def strip(o): return {k: strip(v) for k, v in o.items() if not is_timing(k)} if isinstance(o, dict) else [strip(v) for v in o] if isinstance(o, list) else o
            assert strip(old) == strip(new), name
    assert json.loads(after['data.json'])['mnist'] == {'train': {'n': 60000}} and json.loads(after['koopman_ae.json'])['other'] == {'acc': [1.0]}
    assert cli('reproduce', '--scale', 'quick', '-q', '--out', str(b)).returncode == 0  # from nothing: trains every network again
    assert compare_folders(a, b) == {}

def test_quick_mnist_topology_and_unlearning(tmp_path):
    "The MNIST steps at quick scale: a network on 12 000 images, two default surrogates (trained as one stacked model), β0 of 500 test points, forgetting digit 4."
    import os
    env = os.environ | {'KOOPMAN_REPR_RUNS': str(tmp_path/'runs')}
    for step in ('topology', 'unlearning'):
        r = cli(step, '--dataset', 'mnist', '--scale', 'quick', '--seeds', '21', '365', '-q', '--out', str(tmp_path), *(['--controls'] if step == 'topology' else []), env=env)
        assert r.returncode == 0, r.stderr[-2000:]
    tp = json.loads((tmp_path/'topology.json').read_text())
    assert set(tp['mnist_beta0_iterates']) == {'21', '365'} and len(tp['mnist_beta0_layers']) == 5
    assert all(len(v) == 11 and min(v) >= 1 for v in tp['mnist_beta0_iterates'].values()), tp['mnist_beta0_iterates']
    assert tp['h0_check']['max_rel_diff'] <= 2 ** -23
    tc = json.loads((tmp_path/'topology_controls.json').read_text())['mnist']
    assert set(tc['summary']) == {'default recipe', 'straight line', 'least-squares map', 'untrained encoder'} and tc['times'] == [0, 2, 5, 8, 10]
    assert all(len(s['bottleneck']) == 5 for p in tc['paths'].values() for s in p.values()) and set(tc['paths']['untrained encoder']) == {'21', '365'}
    un = json.loads((tmp_path/'unlearning.json').read_text())['mnist']
    assert set(un) == {'4'} and len(un['4']['joint edit']['forget_acc_test']) == 2 and len(un['4']['retrain']['forget_acc_test']) == 1
    assert sum(1 for p in (tmp_path/'runs').glob('mnist_resmlp_quick_default-*.pt')) == 2

def test_killed_run_then_rerun_gives_identical_results(tmp_path):
    "SIGKILL in the middle of a step, then the same command again: the results JSON is byte-identical to an uninterrupted run's, and no lock or temporary file is left."
    import signal, subprocess, time
    exe = shutil.which('koopman-repr')
    cmd = [exe] if exe else [sys.executable, '-m', 'koopman_repr.paper.cli']
    a, b = tmp_path/'a', tmp_path/'b'
    p = subprocess.Popen(cmd + ['data', '-q', '--out', str(a)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.0); p.send_signal(signal.SIGKILL); p.wait()
    assert cli('data', '-q', '--out', str(a)).returncode == 0  # the killed run's stale lock and temporary folder, if any, are taken over
    assert cli('data', '-q', '--out', str(b)).returncode == 0
    assert (a/'data.json').read_bytes() == (b/'data.json').read_bytes()
    assert not list(a.glob('.koopman-repr*')), list(a.iterdir())

def test_quick_zoo_fashion(tmp_path):
    "The zoo step at quick scale on Fashion-MNIST with the Hugging Face ViT (08 runs every architecture on MNIST, and a rerun): zoo.json, its figures, the cached network."
    import os
    env = os.environ | {'KOOPMAN_REPR_RUNS': str(tmp_path/'runs')}
    r = cli('zoo', '--scale', 'quick', '--seeds', '0', '1', '-q', '--arch', 'hf_vit', '--dataset', 'fashion_mnist', '--out', str(tmp_path), env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    hf = json.loads((tmp_path/'zoo.json').read_text())['hf_vit_fashion_mnist_quick']
    assert hf['surrogate']['layers'][-1] == 'vit' and len(hf['surrogate']['acc']) == 2 and len(hf['unlearning']['paper']['forget']) == 10
    assert hf['network']['cached'] is False and len(list((tmp_path/'runs').glob('zoo_hf_vit_fashion_mnist_quick-*.pt'))) == 1
    import torch
    assert hf['compute']['torch'] == torch.__version__ and hf['compute']['cuda'] is None  # the machine it ran on
    assert all((tmp_path/'figures'/f).stat().st_size > 1000 for f in ('zoo_beta0.png', 'zoo_cka.png'))
