"""Fail with a clear message when nbdev_export/nbdev_clean change tracked files, a notebook is over 2 MB, a markdown cell holds a
control character (a TeX escape eaten by Python: \\t in \\text, \\b in \\beta), or the docs name a file outside the repository or
the circumstances of a run instead of its measurement conditions."""
import json, re, subprocess, sys
from pathlib import Path

def sh(*cmd): return subprocess.run(cmd, capture_output=True, text=True)

def changed(): return sh('git', 'status', '--porcelain', '--untracked-files=no').stdout

OUTSIDE = ('METHOD.md', 'STYLE.md', 'ENVIRONMENT.md', 'environment notes', 'lent GPU', 'was lent', 'shared the CPU', 'shared the 2-core',
           'other jobs shared', 'busy machine')  # files the repository does not have; how a run happened rather than what it measured

def doc_problems()->list:
    "Control characters in markdown cells; mentions of files outside the repository or of a run's circumstances in nbs/ and README."
    out = []
    for p in sorted(Path('nbs').glob('*.ipynb')):
        for i, c in enumerate(json.loads(p.read_text())['cells']):
            s = ''.join(c['source'])
            bad = sorted({f"\\x{ord(ch):02x}" for ch in s if ord(ch) < 32 and ch not in '\n\r'})
            if c['cell_type'] == 'markdown' and bad: out.append(f"{p} cell {i}: control characters {', '.join(bad)} in a markdown cell")
            out += [f"{p} cell {i}: mentions {w!r}" for w in OUTSIDE if w.lower() in s.lower()]
    readme = Path('README.md').read_text()
    return out + [f"README.md: mentions {w!r}" for w in OUTSIDE if w.lower() in readme.lower()]

def main():
    probs = doc_problems()
    if probs: sys.exit("FAIL: the docs:\n" + '\n'.join(probs))
    big = [f"{p} ({p.stat().st_size/1e6:.1f} MB)" for p in Path('nbs').glob('*.ipynb') if p.stat().st_size > 2_000_000]
    if big: sys.exit(f"FAIL: notebooks over 2 MB: {', '.join(big)}; shrink their saved outputs")
    before = changed()
    for cmd in (['nbdev_clean'], ['nbdev_export']):
        r = sh(*cmd)
        if r.returncode: sys.exit(f"FAIL: {' '.join(cmd)} failed:\n{r.stderr}")
        after = changed()
        if after != before:
            diff = sh('git', 'diff', '--stat').stdout
            sys.exit(f"FAIL: `{' '.join(cmd)}` changed tracked files: "
                     f"{'notebooks are not clean' if cmd == ['nbdev_clean'] else 'the library is out of sync with the notebooks'}."
                     f" Run `nbdev_export && nbdev_clean` and commit.\n{diff}")
    print("notebooks clean, library in sync, all notebooks under 2 MB")

if __name__ == '__main__': main()
