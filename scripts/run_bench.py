"""Runs every benchmark in bench/ in turn; `make bench` calls it.

Each bench/*.py script (files starting with "_" are helpers, not run) runs with this
Python from the project root; its output goes straight to ours. Every script runs even
when an earlier one failed, and the exit status is non-zero when any of them failed
(missed its target, crashed, or could not run, e.g. exit 2 when its database is missing).
"""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CANNOT_RUN = 2  # a benchmark's exit status when what it needs is missing


def benchmarks() -> list[Path]:
    return sorted(path for path in BENCH.glob("*.py") if not path.name.startswith("_"))


def main() -> int:
    scripts = benchmarks()
    if not scripts:
        print(f"No benchmark found in {BENCH}.", flush=True)
        return 1
    results = []
    for script in scripts:
        name = script.relative_to(ROOT)
        print(f"\n== {name}", flush=True)
        started = time.monotonic()
        code = subprocess.run([sys.executable, str(script)], cwd=ROOT, check=False).returncode  # noqa: S603
        status = "PASSED" if code == 0 else "NOT RUN" if code == CANNOT_RUN else "FAILED"
        results.append((name, status, code, time.monotonic() - started))
    print("\n== Summary", flush=True)
    for name, status, code, seconds in results:
        suffix = f" (exit {code})" if code else ""
        print(f"{status:<8} {name}  {seconds:.1f}s{suffix}", flush=True)
    return 0 if all(code == 0 for _name, _status, code, _seconds in results) else 1


if __name__ == "__main__":
    sys.exit(main())
