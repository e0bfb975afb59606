"""Pull the plug on the real kiosk hundreds of times and print the figures.

    python bench/bench_power_cut.py [KILLS]   (default 300)

The long version of tests/reliability/test_reliability_power_cut.py: the same driver, two
data folders side by side, SIGKILL at random moments, then every acknowledged answer must be
in the log once and every killed session closed as 'crashed'.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "reliability"))

from reliability_helpers import installed_home  # noqa: E402
from test_reliability_power_cut import check_log, hammer  # noqa: E402


def main(kills: int) -> None:
    """Run ``kills`` kills over two data folders; print what survived."""
    root = Path(tempfile.mkdtemp(prefix="kiosk-power-"))
    template = installed_home(root / "template")
    homes = [root / "kiosk-0", root / "kiosk-1"]
    for home in homes:
        shutil.copytree(template.root, home)
    results: list[dict] = [{}, {}]
    started = time.monotonic()
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(
        i, hammer(homes[i], 1000 + i, kills // 2, 3600.0))) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = sessions = 0
    for home, result in zip(homes, results, strict=True):
        a, s = check_log(home, result["acknowledged"])
        stored, sessions = stored + a, sessions + s
    runs = sum(r["runs"] for r in results)
    print(f"{runs} kills of the real kiosk in {time.monotonic() - started:.0f} s "
          f"({sum(r['killed_walking'] for r in results)} mid-walk), "
          f"{sum(len(r['acknowledged']) for r in results)} acknowledged answers all present "
          f"once ({stored} stored), {sessions} sessions closed as 'crashed', tracebacks: "
          f"{sum(len(r['stderr']) for r in results)}; answers lost: 0")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
