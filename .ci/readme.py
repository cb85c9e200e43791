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
    for nb_file in sorted(Path('nbs').glob('*.ipynb')):  # site links (module.html) become notebook links
        m = re.search(r'#\|\s*default_exp\s+([\w.]+)', nb_file.read_text())
        if m: text = text.replace(f']({m.group(1)}.html)', f'](nbs/{nb_file.name})')
    return text, images

if __name__ == '__main__':
    text, images = render()
    if '--check' in sys.argv:
        if '<Figure ' in text: sys.exit('FAIL: README.md shows a figure as text (<Figure …>)')
        if Path('README.md').read_text() != text: sys.exit('FAIL: README.md is out of date with nbs/index.ipynb; run `python .ci/readme.py`')
        stale = [str(p) for p, b in images.items() if not p.exists() or p.read_bytes() != b]
        if stale: sys.exit(f"FAIL: README figures out of date: {', '.join(stale)}; run `python .ci/readme.py`")
        print('README.md and its figures agree with nbs/index.ipynb')
    else:
        IMAGES.mkdir(parents=True, exist_ok=True)
        for p, b in images.items(): p.write_bytes(b)
        Path('README.md').write_text(text)
