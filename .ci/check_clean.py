"""Fail with a clear message when nbdev_export/nbdev_clean change tracked files, or a notebook is over 2 MB."""
import subprocess, sys
from pathlib import Path

def sh(*cmd): return subprocess.run(cmd, capture_output=True, text=True)

def changed(): return sh('git', 'status', '--porcelain', '--untracked-files=no').stdout

def main():
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
