"""Build nbdev's processed docs folder (_proc/) without Quarto, which cannot be installed here.

nbdev 2's `nbdev_proc_nbs` first calls `_ensure_quarto`, which tries `sudo` and a pip install when
Quarto is missing; we replace that with a no-op and call the same processing function.
"""
import nbdev.quarto

if __name__ == '__main__':
    nbdev.quarto._ensure_quarto = lambda: None
    nbdev.quarto._pre_docs()
