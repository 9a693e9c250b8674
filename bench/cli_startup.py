"""How long `zava --help` takes, from process start to exit (issue goal: 0.5 s).

Run: python bench/cli_startup.py [--runs N]. Prints the median and spread of wall time over N
runs of the installed console script, and the same for a bare `python -c pass` as the baseline
measured in the same run (the interpreter's own start-up is not ours to save).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def _times(command: list[str], runs: int) -> list[float]:
    result = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        result.append(time.perf_counter() - started)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    zava = shutil.which("zava") or str(sys.prefix) + "/bin/zava"
    rows = {
        "python -c pass": _times([sys.executable, "-c", "pass"], runs),
        "zava --help": _times([zava, "--help"], runs),
        "zava db --help": _times([zava, "db", "--help"], runs),
    }
    base = statistics.median(rows["python -c pass"])
    print(f"{'command':<18} {'median s':>9} {'min s':>7} {'max s':>7} {'x python':>9}")
    for name, values in rows.items():
        median = statistics.median(values)
        print(f"{name:<18} {median:>9.3f} {min(values):>7.3f} {max(values):>7.3f} {median / base:>9.1f}")


if __name__ == "__main__":
    main()
