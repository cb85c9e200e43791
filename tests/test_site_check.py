"The docs site's checks (.ci/site.py) and API-doc rendering (.ci/proc_docs.py), on small made-up pages."
import importlib.util
from pathlib import Path

import pytest

CI = Path(__file__).resolve().parents[1]/'.ci'


def _load(name, file):
    spec = importlib.util.spec_from_file_location(name, CI/file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


site = _load('ci_site', 'site.py')
proc_docs = _load('ci_proc_docs', 'proc_docs.py')
DOCS = 'https://example.github.io/lib'


def page(main:str, nav:str='<nav><a href="index.html">Home</a></nav>')->str:
    return f'<html><head></head><body>{nav}<main class="content">{main}</main></body></html>'


def code_cell(src:str)->str:
    pre = f'<pre class="sourceCode python cell-code"><code>{src}</code></pre>'
    return f'<div class="cell"><div class="sourceCode">{pre}</div></div>'


def output(text:str, kind:str='cell-output-stdout')->str:
    return f'<div class="cell-output {kind}"><pre><code>{text}</code></pre></div>'


CLEAN = page('<h1>Data</h1><p>See <a href="topology.html#betti"><code>betti</code></a> and '
             '<a href="https://arxiv.org/abs/2505.12809">the paper</a>.</p>'
             + code_cell('x = <span class="dv">1</span>\nx') + output('1')
             + '<table><tr><td><code>n</code></td><td>rows, as in <a href="data.html">data</a></td></tr></table>')


def problems(html, name='p.html'):
    return (site.check_outputs(name, html) + site.check_code_lines(name, html)
            + site.check_symbol_links(name, html, DOCS) + site.check_tables(name, html))


def test_clean_page_passes(tmp_path):
    assert problems(CLEAN) == []
    for name in ['data.html', 'index.html']: (tmp_path/name).write_text('x')
    missing = ['p.html links to topology.html, which is not in the site']
    assert site.check_page('p.html', CLEAN, tmp_path, DOCS) == missing
    (tmp_path/'topology.html').write_text('x')
    assert site.check_page('p.html', CLEAN, tmp_path, DOCS) == []


def test_long_code_line_fails():
    line = 'y = f(' + ', '.join(['a'] * 33) + ')'  # 104 characters
    assert len(line) == 104
    html = page(code_cell('short\n' + line.replace('=', '<span class="op">=</span>')))
    assert site.long_code_lines(html) == [line]
    (msg,) = site.check_code_lines('data.html', html)
    assert msg.startswith('data.html shows 1 code line(s) over 100 characters') and '104 chars' in msg
    assert site.check_code_lines('data.html', page(code_cell(line[:100]))) == []
    assert site.check_code_lines('data.html', page(output(line))) == []  # an output is not shown code


def test_signature_block_counts_as_code():
    sig = '<pre class="sourceCode python code-with-copy"><code>def f(\n    ' + 'x' * 101 + '\n):</code></pre>'
    md = f'<div class="cell-output cell-output-display cell-output-markdown"><h3>f</h3>{sig}</div>'
    assert site.check_code_lines('api.html', page(md))


@pytest.mark.parametrize('text, what', [
    ('/x/y.py:3: UserWarning: the last step is lossy\n  warnings.warn(msg)', 'Python warning'),
    ('FutureWarning: `x` is deprecated', 'Python warning'),
    ('Traceback (most recent call last):\n  File "a.py", line 1\nValueError: bad', 'traceback'),
    ('ValueError: `n` must be positive, got -1', 'error line'),
    ('koopman-repr: error: --out runs is in use by another koopman-repr run', 'error line'),
])
def test_warning_or_error_in_output_fails(text, what):
    out = site.check_outputs('koopman_ae.html', page(output(text, 'cell-output-stderr')))
    assert any(what in m and m.startswith('koopman_ae.html') for m in out), out


def test_error_words_in_prose_or_code_pass():
    html = page('<p>UserWarning: this is prose, not an output.</p>' + code_cell('raise ValueError: no')
                + output('mean error: 0.3 (Error rate 2 %)'))
    assert site.check_outputs('p.html', html) == []


def test_duplicate_pages_fail():
    a = page('<h1>Data</h1><p>body</p>', nav='<nav><a class="active" href="00_data.html">Data</a></nav>')
    b = page('<h1>Data</h1><p>body</p>', nav='<nav><a class="active" href="data.html">Data</a></nav>')
    (msg,) = site.duplicate_pages({'00_data.html': a, 'data.html': b, 'index.html': page('<h1>Home</h1>')})
    assert msg == 'data.html duplicates 00_data.html (the same content under two names)'
    assert site.duplicate_pages({'data.html': b, 'index.html': page('<h1>Home</h1>')}) == []


def test_external_symbol_link_fails():
    fastcore = page('<p><a href="https://fastcore.fast.ai/basics.html#store_attr"><code>store_attr</code></a></p>')
    (msg,) = site.check_symbol_links('base_nets.html', fastcore, DOCS)
    assert msg.startswith('base_nets.html has 1 symbol link(s) to an external site') and 'store_attr' in msg
    own = page(f'<p><a href="{DOCS}/data.html#set_seed">seed it</a></p>')
    assert site.check_symbol_links('index.html', own, DOCS)  # the published docs, not this site
    assert site.check_symbol_links('index.html', page('<a href="https://arxiv.org/abs/1">arXiv</a>'), DOCS) == []


def test_raw_markdown_in_table_fails():
    html = page('<table><tr><td>see [the paper](https://arxiv.org/abs/1)</td><td>**bold**</td></tr></table>')
    (msg,) = site.check_tables('p.html', html)
    assert msg.startswith('p.html shows raw Markdown in 2 table cell(s)')


def test_elements_match_nested_divs():
    html = '<div class="cell-output a"><div>inner</div>after</div><div class="x">no</div>'
    assert site.elements(html, 'div', 'cell-output') == ['<div>inner</div>after']


def test_rewrite_links_points_at_one_name():
    renames = {'00_data.html': 'data.html', 'index.html': 'index.html'}
    html = (f'<a href="00_data.html">a</a><a href="./00_data.html#seed">b</a><a href="{DOCS}/topology.html#betti">c</a>'
            '<a href="https://arxiv.org/abs/1">d</a><img src="00_data_files/x.png">')
    assert site.rewrite_links(html, renames, DOCS) == (
        '<a href="data.html">a</a><a href="data.html#seed">b</a><a href="topology.html#betti">c</a>'
        '<a href="https://arxiv.org/abs/1">d</a><img src="00_data_files/x.png">')


def test_rename_pages(tmp_path):
    (tmp_path/'00_data.html').write_text(page('<p>data</p>', nav='<a href="00_data.html">Data</a>'))
    (tmp_path/'index.html').write_text(page('<a href="00_data.html#x">Data</a>'))
    (tmp_path/'search.json').write_text('[{"href": "00_data.html#x"}]')
    site.rename_pages(tmp_path, {'00_data.html': 'data.html', 'index.html': 'index.html'})
    assert sorted(p.name for p in tmp_path.iterdir()) == ['data.html', 'index.html', 'search.json']
    assert '00_data' not in (tmp_path/'index.html').read_text() + (tmp_path/'search.json').read_text()
    assert 'href="data.html"' in (tmp_path/'data.html').read_text()


def test_doc_url(tmp_path):
    ini = tmp_path/'settings.ini'
    ini.write_text('[DEFAULT]\ndoc_host = https://a.github.io\ndoc_baseurl = /lib\n')
    assert site.doc_url(ini) == 'https://a.github.io/lib'


def test_signature_lines_wrap_at_the_limit():
    long_default = 'cfg:Cfg=Cfg(' + ', '.join(f"k{i}='v{i}'" for i in range(60)) + ')'
    params = [f'p{i}:float={i}.5' for i in range(40)] + [long_default]
    sig = proc_docs.wrap_params('fit', params, ')->None:')
    lines = sig.splitlines()
    assert lines[0] == 'def fit(' and lines[-1] == ')->None:'
    assert max(map(len, lines)) <= 100
    assert ' '.join(l.strip() for l in lines[1:-1]) == ', '.join(params)  # nothing lost or reordered
    assert proc_docs.wrap_params('f', [], ')->int:') == 'def f()->int:'


def test_docments_table():
    def f(x:int, # the input
          y:str='a|b', # a [link](https://x.org)
         )->int: # twice x
        "Doc."
    tbl = proc_docs.docments_table(f).splitlines()
    assert tbl[0] == '| Parameter | Type | Default | Details |'
    assert tbl[2] == '| `x` | `int` |  | the input |'
    assert tbl[3] == "| `y` | `str` | `'a\\|b'` | a [link](https://x.org) |"
    assert tbl[4].startswith('| **Returns** | `int` |')
    def g(x, y=1): "No docments."
    assert proc_docs.docments_table(g) == ''


def test_show_doc_call():
    assert proc_docs.show_doc_call('#| echo: false\n#| output: asis\nshow_doc(Surrogate.fit, title_level=4)') == \
        'show_doc(Surrogate.fit, title_level=4)'
    assert proc_docs.show_doc_call('x = 1\nshow_doc(f)') is None
    assert proc_docs.show_doc_call('show_doc(f); run()') is None
