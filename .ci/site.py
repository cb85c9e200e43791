"""Render the docs site without Quarto and check it: a page per notebook, the paper's figures present, links intact.

Quarto cannot be installed on these machines (see the project notes), so this renders nbdev's processed
notebooks (`_proc/`, built by `.ci/proc_docs.py`, which also renders the API docs: wrapped signatures and
parameter tables) with `smalldocs`, a pure-Python renderer of `_quarto.yml` projects. Pages come out named
after their notebook (`03_topology.html`); nbdev's cross-links use each notebook's `output-file`
(`topology.html`), so each page is moved to that name, the only one it has, and every link, the sidebar, the
search index and the sitemap are pointed at it. Links into the published docs (`doc_host` + `doc_baseurl` of
settings.ini, which nbdev writes for every `symbol` it links) are made relative, so symbols link to this site.

Maths is rendered here, offline, not by a CDN script in the reader's browser: every `\\(…\\)` and `\\[…\\]` in
the text of a page (never inside <code>, <pre>, <script> or <style>; smalldocs writes Markdown's `$…$` and
`$$…$$` so) goes through `katex.renderToString` in one Node process (`.ci/katex_render.js`), and KaTeX's CSS and
fonts are copied to `site_libs/katex/`. KaTeX is npm's `katex@KATEX_VERSION`, installed once into `.cache/`
(git-ignored by the `.gitignore` it writes there); later builds need neither npm nor the network, only `node`.
A formula KaTeX cannot parse fails the build, naming the page and the formula.

Checks, all run, each problem one line naming the page (the site is still written to --out, to look at):
- every notebook in `nbs/` has a page, under its `output-file` name only (no page twice: `duplicate_pages`);
- each page has at least as many images as its processed notebook has image outputs, and at least the
  paper figures listed in `PAPER_FIGURES` (found by their captions);
- no page shows raw TeX (`\\(`, `\\[`, or `$…$` holding a TeX command) outside code, or a figure as text (`<Figure …>`);
- no cell output shows a traceback, an `…Error:` line or a Python warning (`UserWarning:` …) (`check_outputs`);
- no shown code line (code cells, API signatures, fenced blocks) is over MAX_CODE_LINE characters (`check_code_lines`);
- no symbol links off the site, and nothing links to the published docs instead of this site (`check_symbol_links`);
- no table cell (the API's parameter tables among them) shows raw Markdown such as `[x](y)` (`check_tables`);
- every <img> is an existing file or a data: URI that decodes to a PNG, SVG, JPEG or GIF;
- every stylesheet and script is a local file (the site works offline);
- every relative link between pages resolves.

Usage: python .ci/site.py [--out DIR]   (default: _proc/_docs)
"""
import argparse, base64, binascii, html as htmllib, json, os, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
KATEX_VERSION = '0.16.11'  # pinned; the version smalldocs' CDN links name
KATEX_CACHE = ROOT/'.cache'/f'katex-{KATEX_VERSION}'

# page (notebook stem) → caption fragments of the paper's figures and tables it must show
PAPER_FIGURES = {
    '01_base_nets': ['Paper Figure 1, reproduced'],
    '02_koopman_ae': ['eigenvalues', 'per class'],
    '03_topology': ['MNIST, 10 000 held-out points', 'Isometry ablation', 'Yin-Yang, 1000 held-out points'],
    '04_unlearning': ['Post-images of the 1000 held-out Yin-Yang points', 'MNIST, forgetting digit 4'],
    '08_model_zoo': ['β0 at ε₀ (the first layer', 'Linear CKA between every decoded iterate'],
    '09_unlearning_eval': ['Avg. Gap to retraining (mean of the UA, RA, TA and MIA gaps'],
    'index': ['The two headline results'],
}


class SiteError(Exception): "A build or check failure; its message is one line per problem."


def fail(msg):
    for line in str(msg).splitlines() or ['']: print(f"site check failed: {line}", file=sys.stderr)
    sys.exit(1)


def katex_package(cache:Path=KATEX_CACHE, version:str=KATEX_VERSION)->Path:
    "The folder of npm's `katex@version`, installed into `cache` the first time (the only time npm is needed)."
    pkg = cache/'node_modules'/'katex'
    def ready():
        try: return json.loads((pkg/'package.json').read_text())['version'] == version and (pkg/'dist'/'katex.min.css').is_file()
        except (OSError, ValueError, KeyError): return False
    if ready(): return pkg
    npm = shutil.which('npm')
    if not npm: raise SiteError(f"npm not found: it is needed once, to install katex@{version} (the site's maths renderer) into {cache}; install Node.js with npm")
    cache.parent.mkdir(parents=True, exist_ok=True)
    ignore = cache.parent/'.gitignore'
    if not ignore.exists(): ignore.write_text('# a cache made by .ci/site.py; never committed\n*\n')
    tmp = Path(tempfile.mkdtemp(dir=cache.parent, prefix=f'.{cache.name}-'))
    r = subprocess.run([npm, 'install', '--loglevel=error', '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact',
                        '--prefix', str(tmp), f'katex@{version}'], capture_output=True, text=True)
    if r.returncode:
        shutil.rmtree(tmp, ignore_errors=True)
        said = [l.removeprefix('npm error').removeprefix('npm ERR!').strip() for l in (r.stderr + r.stdout).splitlines()
                if l.startswith(('npm error', 'npm ERR!')) and 'complete log' not in l]
        last = '; '.join(said[:2]) or f'exit status {r.returncode}'
        raise SiteError(f"`npm install katex@{version}` into {cache} failed (offline? another registry?): {last}")
    tmp.chmod(0o755)
    shutil.rmtree(cache, ignore_errors=True)
    tmp.rename(cache)
    if not ready(): raise SiteError(f"npm installed katex into {cache}, but not version {version} with dist/katex.min.css")
    return pkg


SKIP = {'code', 'pre', 'script', 'style', 'textarea', 'math', 'annotation'}  # text in these is never maths to render or check
TAG = re.compile(r"""<!--.*?-->|<(/?)([A-Za-z][\w:-]*)(?:[^>"']|"[^"]*"|'[^']*')*>""", re.S)
TEX = re.compile(r'\\\((.+?)\\\)|\\\[(.+?)\\\]', re.S)  # \(…\) inline, \[…\] display, as smalldocs (and Pandoc) write them
DOLLAR_TEX = re.compile(r'(?<![\\$])\$(?=\S)([^$\n]*?\\[A-Za-z]+[^$\n]*?)(?<=\S)\$(?!\d)')  # $…$ holding a TeX command


def text_runs(html:str):
    "(start, end) of each run of text between tags, outside code, pre, script, style and MathML."
    depth, pos = {}, 0
    for m in TAG.finditer(html):
        if m.start() > pos and not any(depth.values()): yield pos, m.start()
        pos = m.end()
        closing, name = m.group(1), (m.group(2) or '').lower()
        if name in SKIP and not m.group(0).endswith('/>'):
            depth[name] = max(0, depth.get(name, 0) + (-1 if closing else 1))
    if pos < len(html) and not any(depth.values()): yield pos, len(html)


def page_text(html:str)->str:
    "The text a reader sees outside code (entities decoded), runs joined by spaces."
    return ' '.join(htmllib.unescape(html[a:b]) for a, b in text_runs(html))


def katex_render(formulas, pkg:Path)->dict:
    "{(tex, display): html} for each formula, with one Node process; SiteError lists each formula KaTeX rejects."
    formulas = sorted(set(formulas))
    if not formulas: return {}
    node = shutil.which('node')
    if not node: raise SiteError("node not found: the site's maths is rendered with KaTeX under Node.js; install Node.js")
    r = subprocess.run([node, str(ROOT/'.ci'/'katex_render.js'), str(pkg)], input=json.dumps(formulas),
                       capture_output=True, text=True)
    if r.returncode: raise SiteError(f"the KaTeX renderer failed: {(r.stderr.strip() or 'no message').splitlines()[-1]}")
    res = json.loads(r.stdout)
    out, errors = {}, {}
    for f, o in zip(formulas, res['out']):
        if 'error' in o: errors[f] = o['error']
        else:
            out[f] = o['html']
            for w in o['warnings']: print(f"site: KaTeX warning for {f[0]!r}: {w}", file=sys.stderr)
    if errors: raise SiteError('\n'.join(f"KaTeX cannot parse `{f[0]}`: {e}" for f, e in errors.items()), errors)
    return out


def render_maths(pages:dict, pkg:Path, css_href=lambda name: 'site_libs/katex/katex.min.css')->dict:
    "{name: html} with every formula rendered by KaTeX and KaTeX's CDN links replaced by the local stylesheet."
    found = {}
    for name, html in pages.items():
        found[name] = [(m.start() + a, m.end() + a, htmllib.unescape(m.group(1) or m.group(2)).strip(), m.group(2) is not None)
                       for a, b in text_runs(html) for m in TEX.finditer(html[a:b])]
    try: rendered = katex_render([(tex, disp) for f in found.values() for _, _, tex, disp in f], pkg)
    except SiteError as e:
        if len(e.args) < 2: raise
        bad = e.args[1]
        raise SiteError('\n'.join(f"KaTeX cannot parse a formula on {name}: `{' '.join(tex.split())}`: {bad[(tex, disp)]}"
                                   for name, f in found.items() for _, _, tex, disp in f if (tex, disp) in bad)) from None
    out = {}
    for name, html in pages.items():
        for a, b, tex, disp in reversed(found[name]): html = html[:a] + rendered[(tex, disp)] + html[b:]
        html = re.sub(r'<script\b[^>]*\bsrc="https?://[^"]*katex[^"]*"[^>]*>\s*</script>\s*', '', html)
        html = re.sub(r'<link\b[^>]*\bhref="https?://[^"]*katex[^"]*"[^>]*>\s*', '', html)
        if found[name]: html = html.replace('</head>', f'<link rel="stylesheet" href="{css_href(name)}">\n</head>', 1)
        out[name] = html
    return out


IMAGE_MAGIC = {'image/png': (b'\x89PNG\r\n\x1a\n',), 'image/jpeg': (b'\xff\xd8\xff',), 'image/gif': (b'GIF87a', b'GIF89a')}


def image_problem(src:str, page_dir:Path):
    "Why an <img src> would not show an image offline, or None."
    if src.startswith('data:'):
        head, _, data = src.partition(',')
        mime = head[5:].split(';')[0].lower()
        try: raw = base64.b64decode(re.sub(r'\s+', '', data), validate=True) if head.endswith(';base64') else unquote(data).encode()
        except (binascii.Error, ValueError): return f"a data: URI ({mime}) that is not valid base64"
        if mime == 'image/svg+xml': return None if b'<svg' in raw[:4096] else "a data: URI (image/svg+xml) with no <svg> in it"
        if mime not in IMAGE_MAGIC: return f"a data: URI of type {mime or '?'}, not PNG, SVG, JPEG or GIF"
        return None if raw.startswith(IMAGE_MAGIC[mime]) else f"a data: URI ({mime}) whose content is not a {mime.split('/')[1].upper()}"
    if re.match(r'[a-z][a-z0-9+.-]*:|//', src, re.I): return f"{src[:80]}, which needs the network"
    path = page_dir/unquote(src.split('#')[0].split('?')[0])
    if not path.is_file() or not path.stat().st_size: return f"{src[:80]}, which is not a file in the site"
    return None


MAX_CODE_LINE = 100  # longest line of shown code: a code cell's source, an API signature, a fenced block
TRACEBACK = re.compile(r'Traceback \(most recent call last\)')
# `ValueError: …` (Python) or `prog: error: …` (argparse) at the start of a line
ERROR_LINE = re.compile(r'^\s*(?:[\w.-]+:\s+)?(?:(?:[A-Za-z_][\w.]*\.)?[A-Za-z_]\w*(?:Error|Exception)|error):(?:\s|$)',
                        re.M)
WARNING = re.compile(r'\b[A-Za-z_]*Warning:(?:\s|$)')
RAW_MD_LINK = re.compile(r'\[[^\]\n]+\]\([^)\s]+\)')


def _strip(html:str)->str: return htmllib.unescape(re.sub(r'<[^>]*>', '', html))


def elements(html:str, tag:str, cls:str):
    "The inner HTML of every <tag> whose class list holds `cls`, nested tags of the same name matched."
    stack, out = [], []
    for m in TAG.finditer(html):
        if (m.group(2) or '').lower() != tag or m.group(0).startswith('<!--'): continue
        if not m.group(1):
            c = re.search(r'\sclass\s*=\s*"([^"]*)"', m.group(0))
            stack.append((m.end(), bool(c and cls in c.group(1).split())))
        elif stack:
            start, wanted = stack.pop()
            if wanted: out.append(html[start:m.start()])
    return out


def _examples(items, n=2, width=70):
    return '; '.join(f"`{' '.join(str(i).split())[:width]}`" for i in items[:n])


def check_outputs(name:str, html:str)->list:
    "A traceback, an `…Error:` line or a Python warning in any cell output shown on the page."
    tb, err, warn = [], [], []
    for block in elements(html, 'div', 'cell-output'):
        text = _strip(block)
        if TRACEBACK.search(text): tb.append(TRACEBACK.search(text).group(0))
        err += [m.group(0).strip() + text[m.end():].split('\n', 1)[0] for m in ERROR_LINE.finditer(text)]
        warn += [l.strip() for l in text.splitlines() if WARNING.search(l)]
    out = []
    if tb: out.append(f"{name} shows {len(tb)} traceback(s) in cell outputs")
    if err: out.append(f"{name} shows {len(err)} error line(s) in cell outputs, e.g. {_examples(err)}")
    if warn: out.append(f"{name} shows {len(warn)} Python warning(s) in cell outputs, e.g. {_examples(warn)}")
    return out


def long_code_lines(html:str, limit:int=MAX_CODE_LINE)->list:
    "Every line over `limit` characters in the page's highlighted source blocks (code cells, signatures, fences)."
    return [l for m in re.finditer(r'<pre\b([^>]*)>(.*?)</pre>', html, re.S) if 'sourceCode' in m.group(1)
            for l in _strip(m.group(2)).splitlines() if len(l) > limit]


def check_code_lines(name:str, html:str, limit:int=MAX_CODE_LINE)->list:
    long = long_code_lines(html, limit)
    if not long: return []
    eg = '; '.join(f"{len(l)} chars: `{l.strip()[:60]}…`" for l in long[:2])
    return [f"{name} shows {len(long)} code line(s) over {limit} characters, e.g. {eg}"]


def check_symbol_links(name:str, html:str, doc_url:str='')->list:
    "Links that send a reader off the site from a symbol (`<a><code>…</code></a>`) or to the published docs."
    bad = []
    for m in re.finditer(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', html, re.S):
        href, inner = htmllib.unescape(m.group(1)), m.group(2).strip()
        if not re.match(r'[a-z][a-z0-9+.-]*:|//', href, re.I) or href.startswith('mailto:'): continue
        to_docs = bool(doc_url) and href.startswith(doc_url.rstrip('/') + '/')
        if to_docs or re.fullmatch(r'<code\b[^>]*>[^<]*</code>', inner): bad.append(f"{_strip(inner)} → {href}")
    if not bad: return []
    return [f"{name} has {len(bad)} symbol link(s) to an external site, e.g. {_examples(bad, width=110)}"]


def check_tables(name:str, html:str)->list:
    "Raw Markdown (a link `[x](y)`, `**`, backticks) shown as text in a table cell (docments, results)."
    raw = [t for cell in re.findall(r'<t[dh]\b[^>]*>(.*?)</t[dh]>', html, re.S)
           for t in [_strip(re.sub(r'<code\b.*?</code>', '', cell, flags=re.S))]
           if RAW_MD_LINK.search(t) or '**' in t or re.search(r'`[^`]+`', t)]
    return [f"{name} shows raw Markdown in {len(raw)} table cell(s), e.g. {_examples(raw)}"] if raw else []


def main_content(html:str)->str:
    "The page's own content (its <main>), which two copies of a page share whatever their navigation."
    m = re.search(r'<main\b[^>]*>(.*)</main>', html, re.S)
    return m.group(1) if m else html


def duplicate_pages(pages:dict)->list:
    "Pages (name → HTML) whose content is the same: one notebook written twice."
    seen, out = {}, []
    for name in sorted(pages):
        body = main_content(pages[name]).strip()
        if not body: continue
        if body in seen: out.append(f"{name} duplicates {seen[body]} (the same content under two names)")
        else: seen[body] = name
    return out


def check_page(name:str, html:str, page_dir:Path, doc_url:str='')->list:
    "One line per problem of a built page."
    problems, text = [], page_text(html)
    for m in list(TEX.finditer(text))[:3] or list(re.finditer(r'\\[(\[].{0,40}', text))[:3]:
        problems.append(f"{name} shows raw TeX outside code: `{' '.join(m.group(0).split())[:80]}`")
    for m in list(DOLLAR_TEX.finditer(text))[:3]: problems.append(f"{name} shows raw TeX outside code: `{m.group(0)[:80]}`")
    full = htmllib.unescape(re.sub(r'<[^>]*>', ' ', re.sub(r'<(script|style)\b.*?</\1>', ' ', html, flags=re.S | re.I)))
    for m in list(re.finditer(r'<Figure\b[^>\n]{0,60}>?', full))[:3]:
        problems.append(f"{name} shows a figure as text (`{m.group(0)}`), not as an image")
    for i, tag in enumerate(re.findall(r'<img\b[^>]*>', html, re.I), 1):
        m = re.search(r'\ssrc\s*=\s*("([^"]*)"|\'([^\']*)\')', tag)
        why = image_problem(htmllib.unescape(m.group(2) if m.group(2) is not None else m.group(3)), page_dir) if m else "no src"
        if why: problems.append(f"{name}: image {i} is {why}")
    for tag in re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*>|<script\b[^>]*\ssrc="[^"]*"[^>]*>', html):
        href = re.search(r'\s(?:href|src)="([^"]*)"', tag).group(1)
        if re.match(r'[a-z][a-z0-9+.-]*:|//', href, re.I): problems.append(f"{name} loads {href} from the network")
        elif not (page_dir/unquote(href.split('?')[0])).is_file(): problems.append(f"{name} loads {href}, which is not in the site")
    hrefs = [h for h in re.findall(r'href="([^"#?]+\.html)', html) if not re.match(r'[a-z][a-z0-9+.-]*:|//|/', h, re.I)]
    for href in sorted(set(hrefs)):
        n = hrefs.count(href)
        if not (page_dir/unquote(href)).exists():
            problems.append(f"{name} links to {href}, which is not in the site" + (f" ({n} links)" if n > 1 else ''))
    problems += check_outputs(name, html) + check_code_lines(name, html) + check_symbol_links(name, html, doc_url)
    return problems + check_tables(name, html)


def output_file(nb:Path)->str:
    "The `output-file` of a processed notebook's front matter."
    src = ''.join(json.loads(nb.read_text())['cells'][0]['source'])
    m = re.search(r'^output-file:\s*(\S+)', src, re.M)
    return m.group(1) if m else nb.stem + '.html'


def n_images(nb:Path)->int:
    "Image outputs of a notebook."
    cells = json.loads(nb.read_text())['cells']
    return sum(any(k.startswith('image/') for k in o.get('data', {})) for c in cells if c['cell_type'] == 'code' for o in c.get('outputs', []))


def doc_url(ini:Path=ROOT/'settings.ini')->str:
    "Where nbdev's cross-links say the docs live: `doc_host` + `doc_baseurl` of settings.ini (https://x.github.io/lib)."
    import configparser
    cfg = configparser.ConfigParser()
    cfg.read(ini)
    d = cfg['DEFAULT'] if cfg.has_section('DEFAULT') or cfg.defaults() else {}
    host = d.get('doc_host', '').rstrip('/')
    return (host + '/' + d.get('doc_baseurl', '').strip('/')).rstrip('/') if host else ''


def rewrite_links(html:str, renames:dict, url:str='')->str:
    "`href`s and `src`s to renamed pages (`00_data.html` → `data.html`) or to the published docs (`{url}/x.html` → `x.html`)."
    def sub(m):
        attr, q, target = m.group(1), m.group(2), htmllib.unescape(m.group(3))
        if url and target.startswith(url + '/'): target = target[len(url) + 1:]
        path, sep, frag = target.partition('#')
        bare = path[2:] if path.startswith('./') else path
        if bare not in renames and target == htmllib.unescape(m.group(3)): return m.group(0)
        if bare in renames: path = renames[bare]
        return f'{attr}={q}{htmllib.escape(path + sep + frag, quote=True)}{q}'
    return re.sub(r'\b(href|src)=(["\'])(.*?)\2', sub, html)


def rename_pages(docs:Path, renames:dict, url:str=''):
    "Write each page under its `output-file` name only, and point every link, the search index and the sitemap at it."
    for old, new in renames.items():
        if old != new: (docs/old).replace(docs/new)
    for page in docs.rglob('*.html'): page.write_text(rewrite_links(page.read_text(), renames, url))
    names = '|'.join(re.escape(o) for o, n in renames.items() if o != n)
    if not names: return
    for f in [docs/'search.json', docs/'sitemap.xml']:
        if f.exists():
            f.write_text(re.sub(rf'(?<![\w.-])({names})(?=[#"<?]|$)', lambda m: renames[m.group(1)], f.read_text()))


def main(out=None):
    proc = ROOT/'_proc'
    r = subprocess.run([sys.executable, str(ROOT/'.ci'/'proc_docs.py')], cwd=ROOT, capture_output=True, text=True)
    if r.returncode: fail(f"building _proc failed:\n{r.stderr[-2000:]}")
    from smalldocs.site import build
    site = build(str(proc), quiet=True)
    docs = proc/'_docs'
    notebooks = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))
    if not notebooks: fail("no notebooks in nbs/")
    renames, problems, pages = {}, [], {}
    for nb in notebooks:
        page = docs/f'{nb.stem}.html'
        if not page.exists(): fail(f"no page for {nb.name} (expected {page.relative_to(ROOT)})")
        renames[page.name] = output_file(proc/nb.name)
    taken = [n for n in renames.values() if list(renames.values()).count(n) > 1]
    if taken: fail(f"two notebooks share the output-file {taken[0]}")
    url = doc_url()
    rename_pages(docs, renames, url)
    for nb in notebooks:
        page = docs/renames[f'{nb.stem}.html']
        html = page.read_text()
        imgs = len(re.findall(r'<img\b', html))
        want = n_images(proc/nb.name)
        if imgs < want: problems.append(f"{page.name} has {imgs} images, its notebook has {want} image outputs")
        for cap in PAPER_FIGURES.get(nb.stem, []):
            if cap not in html: problems.append(f"{page.name} lacks the paper figure or table captioned {cap!r}")
        pages[nb.stem] = (page.name, imgs)
    t0 = time.time()
    try:
        pkg = katex_package()
        html_pages = sorted(docs.rglob('*.html'))
        katex_dir = docs/'site_libs'/'katex'
        shutil.rmtree(katex_dir, ignore_errors=True)
        katex_dir.mkdir(parents=True)
        shutil.copy2(pkg/'dist'/'katex.min.css', katex_dir)
        shutil.copytree(pkg/'dist'/'fonts', katex_dir/'fonts')
        shutil.copy2(pkg/'LICENSE', katex_dir)
        rel = {str(p.relative_to(docs)): os.path.relpath(katex_dir/'katex.min.css', p.parent).replace(os.sep, '/') for p in html_pages}
        done = render_maths({str(p.relative_to(docs)): p.read_text() for p in html_pages}, pkg, css_href=rel.__getitem__)
        n_maths = 0
        for name, html in done.items():
            (docs/name).write_text(html)
            n_maths += html.count('class="katex"')
        problems += [p for name, html in done.items() for p in check_page(name, html, (docs/name).parent, url)]
        problems += duplicate_pages(done)
        problems += [f"{o} is written although its notebook's page is {n} (a duplicate page)"
                     for o, n in renames.items() if o != n and (docs/o).exists()]
    except SiteError as e: fail(str(e))
    if out:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(docs, out)
    if problems: fail('\n'.join(problems))
    print(f"site: {len(pages)} pages, " + ', '.join(f"{n} ({i} figures)" for n, i in pages.values())
          + f"; {n_maths} formulas rendered by KaTeX {KATEX_VERSION} in {time.time() - t0:.1f}s"
          + (f"; {len(site.warnings)} renderer warnings" if site.warnings else ''))


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default=None, help='also copy the rendered site here')
    main(p.parse_args().out)
