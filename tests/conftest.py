import os, pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture
def root(): return ROOT

@pytest.fixture(autouse=True)
def _threads(monkeypatch): monkeypatch.setenv('OMP_NUM_THREADS', os.environ.get('OMP_NUM_THREADS', '2'))

def pytest_terminal_summary(terminalreporter):
    "Under `make test`: the wall time since the installs ended (the Makefile writes the start time to .test_t0)."
    import time
    from pathlib import Path
    t0 = Path(__file__).parent.parent/'.test_t0'
    if t0.exists():
        terminalreporter.write_line(f"make test: {time.time() - float(t0.read_text()):.0f} s after the installs (check, site, notebooks, pytest)")
        t0.unlink()
