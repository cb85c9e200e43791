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
    code = ("import sys; sys.modules['nbdev'] = None; import koopman_repr, koopman_repr.data, koopman_repr.paper.cli; "
            "print(koopman_repr.__file__, koopman_repr.__version__)")
    r = run(sys.executable, '-c', code, cwd=tmp_path, env={**os.environ, 'PYTHONPATH': str(tmp_path/'site')})
    assert r.returncode == 0, r.stderr
    assert str(tmp_path/'site') in r.stdout

def site_ci(root):
    "The docs-site builder `.ci/site.py`, imported as a module."
    import importlib.util
    spec = importlib.util.spec_from_file_location('site_ci', root/'.ci'/'site.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def test_site_check_catches_raw_tex_figure_text_and_broken_images(root, tmp_path):
    import base64
    m = site_ci(root)
    png = base64.b64encode(b'\x89PNG\r\n\x1a\n' + bytes(16)).decode()
    (tmp_path/'fig.png').write_bytes(b'\x89PNG\r\n\x1a\n')
    good = (f'<html><head></head><body><p>It costs $5 or $10.</p><pre><code>echo \\(x\\) $HOME; s = "$\\alpha$"</code></pre>'
            f'<img src="data:image/png;base64,{png}"><img src="fig.png"><img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E"></body></html>')
    assert m.check_page('good.html', good, tmp_path) == []
    bad = ('<html><head><script src="https://cdn.example/katex.js"></script></head><body><p>raw \\(x_L \\approx y\\) and $\\varphi_1$</p>'
           '<pre>&lt;Figure size 640x480 with 1 Axes&gt;</pre><img src="data:image/png;base64,AAAA"><img src="missing.png">'
           '<img src="data:text/plain;base64,AAAA"></body></html>')
    problems = '\n'.join(m.check_page('bad.html', bad, tmp_path))
    for want in ['raw TeX outside code: `\\(x_L \\approx y\\)`', 'raw TeX outside code: `$\\varphi_1$`', '`<Figure size 640x480 with 1 Axes>`',
                 'image 1 is a data: URI (image/png) whose content is not a PNG', 'image 2 is missing.png, which is not a file',
                 'image 3 is a data: URI of type text/plain', 'loads https://cdn.example/katex.js from the network']:
        assert want in problems, (want, problems)

def test_katex_renders_maths_offline_and_rejects_bad_tex(root):
    "Needs the KaTeX that `make site` installs into .cache/ (skipped before the first site build: no network here)."
    import shutil
    m = site_ci(root)
    pkg = m.KATEX_CACHE/'node_modules'/'katex'
    if not (pkg/'dist'/'katex.min.css').exists() or not shutil.which('node'): pytest.skip('KaTeX not installed yet; run `make site`')
    head = '<html><head><link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/katex@0.16.11/dist/katex.min.css"></head>'
    page = head + '<body><p><span class="math inline">\\(a &lt; b\\)</span></p><pre><code>\\(kept\\)</code></pre><p>\\[\\sum_i x_i\\]</p></body></html>'
    out = m.render_maths({'p.html': page}, pkg)['p.html']
    assert out.count('class="katex"') == 2 and 'katex-display' in out and '<code>\\(kept\\)</code>' in out
    assert 'cdn.jsdelivr' not in out and 'href="site_libs/katex/katex.min.css"' in out
    with pytest.raises(m.SiteError, match=r'KaTeX cannot parse a formula on q\.html: `\\frac\{1\}\{\\nosuchmacro\}`'):
        m.render_maths({'q.html': '<p>\\(\\frac{1}{\\nosuchmacro}\\)</p>'}, pkg)
