"""The line discipline of the code: ruff (no line over 120 characters, no `;`-chained statements) over the library and
the code cells of the notebooks, with the two kinds of line this project does not write itself left out and counted:
nbdev's generated `__all__ = [...]` line (nbdev wraps the list at 120 characters before it adds `__all__ = `) and the
`#| ...` cell directives of notebooks (Quarto reads a figure caption from one line; nbdev does not show directives).

    python .ci/lint.py        # exit 1 and the findings when a line breaks the rules
"""
import json, shutil, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def _ruff(paths, cwd)->list:
    r = subprocess.run([sys.executable, '-m', 'ruff', 'check', '--output-format', 'json', '--config',
                        str(ROOT/'pyproject.toml'), *map(str, paths)], cwd=cwd, capture_output=True, text=True)
    if r.returncode not in (0, 1): sys.exit(f"ruff failed: {r.stderr}")
    return json.loads(r.stdout or '[]')

def _strip_directives(nb:Path, dest:Path):
    "A copy of notebook `nb` whose `#|` lines are cut to 100 characters (line numbers unchanged)."
    d = json.loads(nb.read_text())
    for c in d['cells']:
        if c['cell_type'] != 'code': continue
        c['source'] = [l[:100] + ('\n' if l.endswith('\n') else '') if l.startswith('#|') else l for l in c['source']]
    dest.write_text(json.dumps(d))

def findings()->tuple:
    "(findings a person must fix, number of generated/directive lines left out)."
    mods = sorted(p for p in (ROOT/'koopman_repr').rglob('*.py') if p.name != '_modidx.py')
    out, skipped = [], 0
    for f in _ruff(mods, ROOT):
        line = Path(f['filename']).read_text().splitlines()[f['location']['row'] - 1]
        if f['code'] == 'E501' and line.startswith('__all__ = ['): skipped += 1
        else: out.append(f"{Path(f['filename']).relative_to(ROOT)}:{f['location']['row']}: {f['code']} {f['message']}")
    with tempfile.TemporaryDirectory() as tmp:
        nbs = sorted((ROOT/'nbs').glob('*.ipynb'))
        for nb in nbs: _strip_directives(nb, Path(tmp)/nb.name)
        kept = _ruff([Path(tmp)/nb.name for nb in nbs], tmp)
        skipped += len(_ruff(nbs, ROOT)) - len(kept)
        out += [f"nbs/{Path(f['filename']).name} cell {f['cell']} (counting every cell from 1): {f['code']} {f['message']}"
                for f in kept]
    return out, skipped

if __name__ == '__main__':
    bad, skipped = findings()
    print('\n'.join(bad) if bad else 'lint: no line over 120 characters, no ;-chained statement',
          f"({skipped} generated __all__ lines and cell directives left out)")
    sys.exit(1 if bad else 0)
