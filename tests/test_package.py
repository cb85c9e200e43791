"""The package and the project layout, seen from outside."""
import os, subprocess, sys, zipfile
from pathlib import Path
import pytest

def run(*cmd, **kw): return subprocess.run(cmd, capture_output=True, text=True, **kw)

def test_layout(root):
    for name in ['settings.ini', 'setup.py', 'nbs', 'koopman_repr', 'README.md', 'tests', '_quarto.yml',
                 'LICENSE', '.gitignore', 'Makefile', '.ci/run']:
        assert (root/name).exists(), name
    assert 'Apache License' in (root/'LICENSE').read_text()

def test_site_config_is_single_source(root, tmp_path):
    "nbs/_quarto.yml links to the top-level file, and nbdev's processed site uses exactly that content."
    link = root/'nbs'/'_quarto.yml'
    assert link.is_symlink() and os.readlink(link) == '../_quarto.yml'
    r = run(sys.executable, str(root/'.ci'/'proc_docs.py'), cwd=root)
    assert r.returncode == 0, r.stderr
    assert (root/'_proc'/'_quarto.yml').read_text() == (root/'_quarto.yml').read_text()

def test_readme_agrees_with_index(root):
    r = run(sys.executable, '.ci/readme.py', '--check', cwd=root)
    assert r.returncode == 0, r.stdout + r.stderr

def test_wheel_installs_and_imports_without_nbdev(root, tmp_path):
    "A wheel built from the clone imports in a clean target folder with nbdev made unimportable."
    r = run(sys.executable, '-m', 'pip', 'wheel', str(root), '--no-deps', '--no-build-isolation', '-q', '-w', str(tmp_path/'dist'))
    assert r.returncode == 0, r.stderr
    wheel, = (tmp_path/'dist').glob('koopman_repr-*.whl')
    names = zipfile.ZipFile(wheel).namelist()
    assert not any(n.startswith('tests/') for n in names), 'tests/ must not ship as a package'
    r = run(sys.executable, '-m', 'pip', 'install', '-q', '--no-deps', '--target', str(tmp_path/'site'), str(wheel))
    assert r.returncode == 0, r.stderr
    code = ("import sys; sys.modules['nbdev'] = None; import koopman_repr, koopman_repr.data, koopman_repr.cli; "
            "print(koopman_repr.__file__, koopman_repr.__version__)")
    r = run(sys.executable, '-c', code, cwd=tmp_path, env={**os.environ, 'PYTHONPATH': str(tmp_path/'site')})
    assert r.returncode == 0, r.stderr
    assert str(tmp_path/'site') in r.stdout
