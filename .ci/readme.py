"""Write README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which cannot run here).

`python .ci/readme.py` writes it; `python .ci/readme.py --check` fails if README.md is out of date.
"""
import json, re, sys
from pathlib import Path

def render(nb_path='nbs/index.ipynb'):
    nb = json.loads(Path(nb_path).read_text())
    parts = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if src.lstrip().startswith('#| hide'): continue
        if c['cell_type'] == 'markdown': parts.append(src)
        else:
            parts.append('```python\n' + '\n'.join(l for l in src.splitlines() if not l.startswith('#|')) + '\n```')
            for o in c.get('outputs', []):
                text = o.get('text') or o.get('data', {}).get('text/markdown') or o.get('data', {}).get('text/plain')
                if text: parts.append(''.join(text) if o.get('data', {}).get('text/markdown') else '```\n' + ''.join(text).rstrip() + '\n```')
    text = '\n\n'.join(parts) + '\n'
    for nb_file in sorted(Path('nbs').glob('*.ipynb')):  # site links (module.html) become notebook links
        m = re.search(r'#\|\s*default_exp\s+([\w.]+)', nb_file.read_text())
        if m: text = text.replace(f']({m.group(1)}.html)', f'](nbs/{nb_file.name})')
    return text

if __name__ == '__main__':
    text = render()
    if '--check' in sys.argv:
        if Path('README.md').read_text() != text: sys.exit('FAIL: README.md is out of date with nbs/index.ipynb; run `python .ci/readme.py`')
        print('README.md agrees with nbs/index.ipynb')
    else: Path('README.md').write_text(text)
