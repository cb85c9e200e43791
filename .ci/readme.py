"""Write README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which cannot run here).

Figures become PNG files in nbs/images/ (readme_1.png, …) referenced by relative path, so GitHub shows them.
`python .ci/readme.py` writes them; `python .ci/readme.py --check` fails if README.md or a figure is out of date,
or if the README shows a figure as text (`<Figure …>`).
"""
import base64, json, re, sys
from pathlib import Path

IMAGES = Path('nbs/images')

def render(nb_path='nbs/index.ipynb'):
    "README text and {path: PNG bytes} of its figures."
    nb = json.loads(Path(nb_path).read_text())
    parts, images = [], {}
    for c in nb['cells']:
        src = ''.join(c['source'])
        if src.lstrip().startswith('#| hide'): continue
        if c['cell_type'] == 'markdown': parts.append(src)
        else:
            if not re.search(r'^#\|\s*echo:\s*false', src, re.M):
                parts.append('```python\n' + '\n'.join(l for l in src.splitlines() if not l.startswith('#|')) + '\n```')
            cap = re.search(r'^#\|\s*fig-cap:\s*"?(.*?)"?\s*$', src, re.M)
            for o in c.get('outputs', []):
                data = o.get('data', {})
                if 'image/png' in data:  # a figure: its PNG, not its text repr
                    path = IMAGES/f'readme_{len(images) + 1}.png'
                    images[path] = base64.b64decode(''.join(data['image/png']))
                    parts.append(f"![{cap.group(1) if cap else 'figure'}]({path.as_posix()})")
                    continue
                rich = data.get('text/markdown') or data.get('text/html')  # tables render as HTML on GitHub and PyPI
                text = o.get('text') or data.get('text/plain')
                if rich: parts.append(re.sub(r'<style scoped>.*?</style>\s*', '', ''.join(rich), flags=re.S).strip())
                elif text: parts.append('```\n' + ''.join(text).rstrip() + '\n```')
    text = '\n\n'.join(parts) + '\n'
    for nb_file in sorted(Path('nbs').glob('*.ipynb')):  # site links (module.html, with or without #anchor) become notebook links
        m = re.search(r'#\|\s*default_exp\s+([\w.]+)', nb_file.read_text())
        for name in {nb_file.stem, re.sub(r'^\d+[a-z]?_', '', nb_file.stem), *(m.groups() if m else ())}:
            text = re.sub(rf'\]\({re.escape(name)}\.html(#[^)]*)?\)', f'](nbs/{nb_file.name})', text)
    return text, images

def bad_links(text:str)->list:
    "Relative links of the README that do not resolve to a file of the repository (absolute URLs are not checked)."
    links = re.findall(r'\]\(([^)\s]+)\)', text)
    return [l for l in links if not re.match(r'[a-z]+:', l) and not l.startswith('#') and not Path(l.split('#')[0]).exists()]

MAX_WORDS, QUICK_START_BY = 1000, 60  # a README read on a code host: its length, and how far down the install is

def problems(text:str)->list:
    "What keeps the README from reading well on a code host."
    out = [f'link {l} does not resolve to a file of the repository' for l in bad_links(text)]
    words = len(re.sub(r'!\[[^\]]*\]\([^)]*\)', '', text).split())
    if words > MAX_WORDS: out.append(f'{words} words (at most {MAX_WORDS})')
    first = '\n'.join(text.splitlines()[:QUICK_START_BY])
    if 'pip install' not in first: out.append(f'no install command in the first {QUICK_START_BY} lines')
    return out

if __name__ == '__main__':
    text, images = render()
    if '--check' in sys.argv:
        if '<Figure ' in text: sys.exit('FAIL: README.md shows a figure as text (<Figure …>)')
        if problems(text): sys.exit('FAIL: README.md: ' + '; '.join(problems(text)))
        if Path('README.md').read_text() != text: sys.exit('FAIL: README.md is out of date with nbs/index.ipynb; run `python .ci/readme.py`')
        stale = [str(p) for p, b in images.items() if not p.exists() or p.read_bytes() != b]
        if stale: sys.exit(f"FAIL: README figures out of date: {', '.join(stale)}; run `python .ci/readme.py`")
        print('README.md and its figures agree with nbs/index.ipynb')
    else:
        IMAGES.mkdir(parents=True, exist_ok=True)
        for p, b in images.items(): p.write_bytes(b)
        Path('README.md').write_text(text)
