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
            if not re.search(r'^#\|\s*echo:\s*false', src, re.M):
                parts.append('```python\n' + '\n'.join(l for l in src.splitlines() if not l.startswith('#|')) + '\n```')
            for o in c.get('outputs', []):
                data = o.get('data', {})
                rich = data.get('text/markdown') or data.get('text/html')  # tables render as HTML on GitHub and PyPI
                text = o.get('text') or data.get('text/plain')
                if rich: parts.append(re.sub(r'<style scoped>.*?</style>\s*', '', ''.join(rich), flags=re.S).strip())
                elif text: parts.append('```\n' + ''.join(text).rstrip() + '\n```')
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
