"""Import + report for 50 kiosks' bundles, about 100,000 answers: goal under 10 s.

The bundles are made first (not timed) from fake in-memory kiosk logs; then the timed part
is what a designer waits for: ``import_bundles`` into a fresh store, then reading the store
and ``write_report`` (HTML with charts, CSVs, posters).

    python bench/bench_report.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from sessions_fake import fill_log, make_kiosk_log  # noqa: E402

from kiosk.sessions.export import export_bundle  # noqa: E402
from kiosk.sessions.importer import DesignerStore, import_bundles  # noqa: E402
from kiosk.sessions.report import write_report  # noqa: E402

KIOSKS = 50
TARGET_ANSWERS = 100_000


def main() -> None:
    with tempfile.TemporaryDirectory(dir=HERE) as scratch:
        root = Path(scratch)
        made = 0
        start = time.perf_counter()
        for k in range(KIOSKS):
            log = make_kiosk_log(root, f"kiosk-{k:02d}", k, sessions=0, people=0, memory=True)
            rnd = random.Random(k)
            while made < TARGET_ANSWERS * (k + 1) // KIOSKS:
                made += fill_log(log, rnd, sessions=1, people=15)
            export_bundle(log, root / "stick")
        print(f"made {KIOSKS} bundles, {made} answers, in {time.perf_counter() - start:.1f} s "
              "(not timed)")

        start = time.perf_counter()
        summary = import_bundles(root / "store", [root / "stick"])
        imported = time.perf_counter()
        store = DesignerStore(root / "store", read_only=True)
        sessions, events = store.sessions(), store.events()
        store.close()
        loaded = time.perf_counter()
        files = write_report(sessions, events, root / "report",
                             [HERE.parent / "prototypes"])
        done = time.perf_counter()
        print(summary.lines()[0])
        print(f"import {imported - start:.2f} s, reopen store {loaded - imported:.2f} s, "
              f"report {done - loaded:.2f} s ({len(files)} files): "
              f"total {done - start:.2f} s (goal < 10 s)")


if __name__ == "__main__":
    main()
