"""Render the docs site without Quarto and check it: a page per notebook, the paper's figures present, links intact.

Quarto cannot be installed on these machines (see the project notes), so this renders nbdev's processed
notebooks (`_proc/`, built by `.ci/proc_docs.py`) with `smalldocs`, a pure-Python renderer of `_quarto.yml`
projects. Pages come out named after their notebook (`03_topology.html`); nbdev's cross-links use each
notebook's `output-file` (`topology.html`), so every page is also written under that name.

Checks, each failing with a one-line message:
- every notebook in `nbs/` has a page, under both names;
- each page has at least as many images as its processed notebook has image outputs, and at least the
  paper figures listed in `PAPER_FIGURES` (found by their captions);
- every relative link between pages resolves.

Usage: python .ci/site.py [--out DIR]   (default: _proc/_docs)
"""
import argparse, json, re, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# page (notebook stem) → caption fragments of the paper's figures and tables it must show
PAPER_FIGURES = {
    '01_base_nets': ['Paper Figure 1, reproduced'],
    '02_koopman_ae': ['eigenvalues', 'per class'],
    '03_topology': ['MNIST, 10 000 held-out points', 'Isometry ablation', 'Yin-Yang, 1000 held-out points'],
    '04_unlearning': ['Post-images of the 1000 held-out Yin-Yang points', 'MNIST, forgetting digit 4'],
    'index': ['The two headline results'],
}


def fail(msg):
    print(f"site check failed: {msg}", file=sys.stderr)
    sys.exit(1)


def output_file(nb:Path)->str:
    "The `output-file` of a processed notebook's front matter."
    src = ''.join(json.loads(nb.read_text())['cells'][0]['source'])
    m = re.search(r'^output-file:\s*(\S+)', src, re.M)
    return m.group(1) if m else nb.stem + '.html'


def n_images(nb:Path)->int:
    "Image outputs of a notebook."
    cells = json.loads(nb.read_text())['cells']
    return sum(any(k.startswith('image/') for k in o.get('data', {})) for c in cells if c['cell_type'] == 'code' for o in c.get('outputs', []))


def main(out=None):
    proc = ROOT/'_proc'
    r = subprocess.run([sys.executable, str(ROOT/'.ci'/'proc_docs.py')], cwd=ROOT, capture_output=True, text=True)
    if r.returncode: fail(f"building _proc failed:\n{r.stderr[-2000:]}")
    from smalldocs.site import build
    site = build(str(proc), quiet=True)
    docs = proc/'_docs'
    notebooks = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))
    if not notebooks: fail("no notebooks in nbs/")
    pages = {}
    for nb in notebooks:
        page = docs/f'{nb.stem}.html'
        if not page.exists(): fail(f"no page for {nb.name} (expected {page.relative_to(ROOT)})")
        alias = docs/output_file(proc/nb.name)
        if alias != page: shutil.copyfile(page, alias)
        html = page.read_text()
        imgs = len(re.findall(r'<img\b', html))
        want = n_images(proc/nb.name)
        if imgs < want: fail(f"{page.name} has {imgs} images, its notebook has {want} image outputs")
        for cap in PAPER_FIGURES.get(nb.stem, []):
            if cap not in html: fail(f"{page.name} lacks the paper figure or table captioned {cap!r}")
        pages[nb.stem] = (alias.name, imgs)
    for page in docs.glob('*.html'):
        for href in re.findall(r'href="([^"#?]+\.html)', page.read_text()):
            if '://' in href or href.startswith('/'): continue
            if not (page.parent/href).exists(): fail(f"{page.name} links to {href}, which is not in the site")
    if out:
        shutil.rmtree(out, ignore_errors=True); shutil.copytree(docs, out)
    print(f"site: {len(pages)} pages, " + ', '.join(f"{n} ({i} figures)" for n, i in pages.values())
          + (f"; {len(site.warnings)} renderer warnings" if site.warnings else ''))


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default=None, help='also copy the rendered site here')
    main(p.parse_args().out)
