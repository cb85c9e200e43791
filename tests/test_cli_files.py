"""`koopman-repr` touches no file it did not create: one atomic writer, a lock per --out, no deleting by pattern."""
import contextlib, io, json, os, stat, subprocess, sys, warnings
from pathlib import Path
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import pytest
from koopman_repr.paper import cli as kc

OUTPUTS = {'data.json', 'SUMMARY.md', 'figures/yinyang_data.png'}  # what `koopman-repr data` writes
USER_FILES = {'notes.tmp.md': b'# my notes\n', 'draft.tmp.md': b'draft', 'page.tmpl': b'{{ page }}',
              'sub/x.tmp': b'\x00\x01binary', 'templates/page.tmpl': b'<html/>', 'data.json.tmp': b'{"mine": 1}',
              'figures/old.tmp.png': b'not a png', '.hidden.tmp': b'h'}

def run_cli(*args):
    "`main(args)` in process: (exit status, stderr)."
    err = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter('ignore')
        try: rc = kc.main(list(args))
        except SystemExit as e: rc = e.code
    plt.close('all')
    return rc, err.getvalue()

def files(d:Path)->dict:
    "{relative path: bytes} of every file under `d`."
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob('*')) if p.is_file()}

def plant(d:Path, content:dict):
    for name, data in content.items():
        (d/name).parent.mkdir(parents=True, exist_ok=True)
        (d/name).write_bytes(data)

def dead_pid()->int:
    "The pid of a process that has ended."
    p = subprocess.Popen([sys.executable, '-c', 'pass'])
    p.wait()
    return p.pid

# ------------------------------------------------ (a), (f): users' files survive; only the outputs appear
def test_users_files_survive_byte_for_byte(tmp_path):
    plant(tmp_path, USER_FILES)
    for _ in range(2):  # a fresh folder's run, then a rerun over its own results
        rc, err = run_cli('data', '-q', '--out', str(tmp_path))
        assert rc == 0, err
        after = files(tmp_path)
        assert {k: after[k] for k in USER_FILES} == USER_FILES
        assert set(after) == set(USER_FILES) | OUTPUTS, set(after) ^ (set(USER_FILES) | OUTPUTS)
    folders = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob('*') if p.is_dir()}
    assert folders == {'sub', 'templates', 'figures'}

def test_only_the_outputs_appear(tmp_path):
    out = tmp_path/'new'/'results'  # created, with its parents
    rc, err = run_cli('data', '-q', '--out', str(out))
    assert rc == 0, err
    assert set(files(out)) == OUTPUTS
    assert sorted(p.name for p in out.iterdir()) == ['SUMMARY.md', 'data.json', 'figures']

def test_refused_run_creates_nothing(tmp_path):
    rc, err = run_cli('data', '-q', '--dataset', 'cifar', '--out', str(tmp_path/'out'))
    assert rc == 2 and 'accepted' in err
    assert not (tmp_path/'out').exists()

def test_failing_run_releases_the_lock(tmp_path):
    "A failing step (a corrupt results file) still removes the lock and its temporary folder; the bad file stays."
    (tmp_path/'topology.json').write_text('{"a": ')
    rc, err = run_cli('data', '-q', '--out', str(tmp_path))
    assert rc == 2 and 'topology.json' in err
    assert (tmp_path/'topology.json').read_text() == '{"a": '
    assert not list(tmp_path.glob('.koopman-repr*'))

# ------------------------------------------------ (b): one run per --out
SLOW_RUN = '''
import sys, time
from koopman_repr.paper import cli
data = cli.STEPS['data']
def slow(args):
    print('locked', flush=True)  # the lock is held and the step has begun
    time.sleep(3)
    return data(args)
cli.STEPS['data'] = slow
sys.exit(cli.main(sys.argv[1:]))
'''

def test_concurrent_run_is_refused_and_first_completes(tmp_path):
    "Two processes on one --out: the second is refused (naming the lock and the first's pid) and the first completes."
    first = subprocess.Popen([sys.executable, '-c', SLOW_RUN, 'data', '-q', '--out', str(tmp_path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == 'locked', first.stderr.read()
        lock = tmp_path/kc.LOCK_NAME
        assert lock.read_text() == f'{first.pid} koopman-repr data\n'
        rc, err = run_cli('data', '-q', '--out', str(tmp_path))
        assert rc == 2 and len(err.strip().splitlines()) == 1, err
        assert str(lock) in err and f'pid {first.pid}: koopman-repr data' in err and '--out' in err, err
        assert lock.read_text() == f'{first.pid} koopman-repr data\n', 'the refused run left the lock alone'
    finally: _, first_err = first.communicate(timeout=120)
    assert first.returncode == 0, first_err
    assert set(files(tmp_path)) == OUTPUTS

def test_lock_of_a_live_process_is_respected(tmp_path):
    "A lock file naming another live process, even one holding it without flock, refuses the run; nothing is written."
    other = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    lock, content = tmp_path/kc.LOCK_NAME, f'{other.pid} koopman-repr topology\n'
    try:
        lock.write_text(content)
        rc, err = run_cli('data', '-q', '--out', str(tmp_path))
    finally:
        other.kill()
        other.wait()
    assert rc == 2 and str(lock) in err and f'pid {other.pid}: koopman-repr topology' in err, err
    assert files(tmp_path) == {kc.LOCK_NAME: content.encode()} and os.listdir(tmp_path) == [kc.LOCK_NAME]

# ------------------------------------------------ (c): a stale lock is taken over
def test_stale_lock_is_taken_over(tmp_path):
    pid = dead_pid()
    (tmp_path/kc.LOCK_NAME).write_text(f'{pid} koopman-repr data\n')
    plant(tmp_path, {f'{kc.TMP_PREFIX}{pid}-abc123/.koopman-repr-{pid}-00.json': b'{"half'})  # what the killed run left
    keep = f'{kc.TMP_PREFIX}{os.getpid()}-keep/x'  # a live process's folder: not an orphan
    plant(tmp_path, {keep: b'x'})
    rc, err = run_cli('data', '-q', '--out', str(tmp_path))
    assert rc == 0, err
    assert 'taking over the stale lock' in err and str(tmp_path/kc.LOCK_NAME) in err and f'pid {pid}' in err, err
    assert set(files(tmp_path)) == OUTPUTS | {keep}

@pytest.mark.parametrize('content', ['', 'garbage\n', '0 koopman-repr data\n', '99999999999999999999 koopman-repr\n'])
def test_lock_naming_no_process_is_stale(tmp_path, content):
    "A lock that names no process (e.g. a run killed between creating and writing it) is taken over too."
    (tmp_path/kc.LOCK_NAME).write_text(content)
    rc, err = run_cli('data', '-q', '--out', str(tmp_path))
    assert rc == 0 and 'taking over the stale lock' in err, err
    assert set(files(tmp_path)) == OUTPUTS

# ------------------------------------------------ (d): --out must name a folder
@pytest.mark.parametrize('given', ['', '  '])
def test_empty_out_is_refused(tmp_path, monkeypatch, given):
    plant(tmp_path, USER_FILES)
    monkeypatch.chdir(tmp_path)
    rc, err = run_cli('data', '-q', '--out', given)
    assert rc == 2 and len(err.strip().splitlines()) == 1, err
    assert f"--out: got {given!r}, an empty path" in err and 'pass a folder' in err, err
    assert files(tmp_path) == USER_FILES

def test_file_as_out_is_refused(tmp_path):
    f = tmp_path/'results.txt'
    f.write_text('mine')
    rc, err = run_cli('data', '-q', '--out', str(f))
    assert rc == 2 and f'--out: {f} is a file, not a folder' in err and 'pass a folder' in err, err
    assert files(tmp_path) == {'results.txt': b'mine'}

# ------------------------------------------------ (e): the writer
def test_writer_leaves_only_its_target(tmp_path):
    seen = []
    def write(tmp):
        seen.append(tmp)
        tmp.write_text('x')
    p = kc.atomic_write(tmp_path/'a'/'r.json', write)  # outside a run: the temporary file sits beside the target
    assert p.read_text() == 'x' and os.listdir(tmp_path/'a') == ['r.json']
    assert seen[0].parent == tmp_path/'a' and seen[0].name.startswith('.koopman-repr-') and seen[0].suffix == '.json'
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~umask, 'the mode of a file written directly'

def test_writer_in_a_run_uses_its_private_folder(tmp_path):
    seen = []
    with kc.out_folder(tmp_path) as out:
        (run_tmp,) = out.glob(kc.TMP_PREFIX + '*')
        kc.atomic_write(out/'figures'/'f.txt', lambda tmp: seen.append(tmp) or tmp.write_text('y'))
        kc.atomic_write(out/'figures'/'f.txt', lambda tmp: seen.append(tmp) or tmp.write_text('z'))
        assert [t.parent for t in seen] == [run_tmp, run_tmp] and seen[0] != seen[1], seen
        assert os.listdir(run_tmp) == []
    assert files(tmp_path) == {'figures/f.txt': b'z'}

def half_then_fail(tmp):
    tmp.write_text('new, half')
    raise OSError('disk full')

@pytest.mark.parametrize('in_run', [False, True])
def test_failed_write_keeps_the_target_and_leaves_nothing(tmp_path, in_run):
    target = tmp_path/'r.json'
    target.write_text('old')
    with kc.out_folder(tmp_path) if in_run else contextlib.nullcontext():
        with pytest.raises(OSError, match='disk full'): kc.atomic_write(target, half_then_fail)
        with pytest.raises(TypeError, match='not JSON serializable'): kc.write_json({'a': object()}, target)
        assert [p.name for p in tmp_path.rglob('*') if p.is_file() and p.name != kc.LOCK_NAME] == ['r.json']
    assert files(tmp_path) == {'r.json': b'old'}

def test_failed_figure_keeps_the_target_and_closes_it(tmp_path):
    target = tmp_path/'f.png'
    target.write_bytes(b'old png')
    fig, ax = plt.subplots(figsize=(1, 1))
    ax.set_title('$\\frac{$')  # mathtext that cannot be drawn: savefig fails
    with pytest.raises(ValueError): kc.save_fig(fig, target)
    assert not plt.fignum_exists(fig.number)
    assert files(tmp_path) == {'f.png': b'old png'}

def test_writer_never_overwrites_a_temporary_name_it_did_not_create(tmp_path, monkeypatch):
    "The temporary name is created exclusively: were it taken, the write fails rather than clobber that file."
    monkeypatch.setattr(kc.secrets, 'token_hex', lambda n: 'fixed')
    taken = tmp_path/f'.koopman-repr-{os.getpid()}-fixed.json'
    taken.write_text('someone else')
    with pytest.raises(FileExistsError): kc.write_json({'a': 1}, tmp_path/'r.json')
    assert files(tmp_path) == {taken.name: b'someone else'}
