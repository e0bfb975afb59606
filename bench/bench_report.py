"""Import + report for 50 kiosks' bundles: 100,000 answers (goal < 3 s), 1,000,000 (< 20 s).

Each step in a fresh Python process, so the peak memory printed is that of the step (the
import and the report are two commands, two processes, for a designer too):

1. make the bundles (not timed) from fake kiosk logs (``sessions_fake.py``);
2. the new path: ``import_bundles`` into a fresh SQLite store; then, in another process,
   the report (``write_store_report``), printed apart as tallies (SQL and the breakdowns),
   pictures (charts, heat maps, posters) and files (CSVs); then the same bundles imported
   again (goal: under 10% of the first import: each is recognised by its manifest), and
   again with every bundle read and every event matched by id; CPU time; peak memory
   (``ru_maxrss``, and, on Linux, of all the import's and all the report's processes
   added up: the goal of under 500 MB at a million answers is for these);
3. the earlier paths, for the figures beside it, each from its own commit's code (taken
   with ``git archive``): the first SQLite layout (``FIRST_SQLITE_COMMIT``, each event
   stored twice) and the TinyDB journal before it (``OLD_COMMIT``), importing the same
   bundles and writing their report. Skipped with ``--no-old`` or when git is not there.

    python bench/bench_report.py                   # 100,000 answers, old figure beside
    python bench/bench_report.py --answers 1000000 --no-old
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
KIOSKS = 50
OLD_COMMIT = "6bb991c"  # the last commit with the TinyDB-journal designer store
FIRST_SQLITE_COMMIT = "747da64"  # the first SQLite layout (each event stored twice)


def peak_mb() -> float:
    """Peak resident memory of this process, in MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def make_bundles(root: Path, answers: int) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    from sessions_fake import fill_log, make_kiosk_log

    from kiosk.sessions.export import export_bundle

    made = 0
    start = time.perf_counter()
    for k in range(KIOSKS):
        log = make_kiosk_log(root, f"kiosk-{k:02d}", k, sessions=0, people=0, memory=True)
        rnd = random.Random(k)
        while made < answers * (k + 1) // KIOSKS:
            made += fill_log(log, rnd, sessions=1, people=15)
        export_bundle(log, root / "stick")
        log.close()
    print(f"made {KIOSKS} bundles, {made} answers, in {time.perf_counter() - start:.1f} s "
          "(not timed)")


class TreePeak:
    """The most memory this process and the processes it started held at once (their
    resident sizes added up, looked at every 50 ms), for the import and the report apart:
    they use two or three processes, and each one's own peak says little. Linux only
    (/proc); elsewhere nothing is printed."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self.running = Path("/proc/self/status").exists()
        if self.running:
            threading.Thread(target=self._watch, daemon=True).start()

    def take(self) -> float:
        """The peak since the last take, in MB, and start again."""
        peak, self.peak_kb = self.peak_kb, 0
        return peak / 1024

    def _watch(self) -> None:
        while self.running:
            self.peak_kb = max(self.peak_kb, sum(map(_rss_kb, _tree(os.getpid()))))
            time.sleep(0.05)


def _tree(pid: int) -> list[int]:
    """``pid`` and every process under it (Linux's /proc/PID/task/TID/children)."""
    found, i = [pid], 0
    while i < len(found):
        for task in Path(f"/proc/{found[i]}/task").glob("*/children"):
            try:
                found += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
        i += 1
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_cpu() -> float:
    """CPU seconds of this process's finished children (the import's bundle readers, the
    report's second process): the import and the report each use two cores."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_import(root: Path) -> None:
    """``kiosk import``'s work, in a process of its own as on the command line."""
    sys.path.insert(0, str(ROOT))
    from kiosk.sessions.importer import import_bundles

    tree = TreePeak()
    start, cpu_start = time.perf_counter(), time.process_time()
    summary = import_bundles(root / "store", [root / "stick"])
    seconds = time.perf_counter() - start
    figures = {"import": seconds, "import_cpu": time.process_time() - cpu_start,
               "import_readers_cpu": children_cpu(), "import_peak": tree.take(),
               "import_rss": peak_mb()}
    (root / "import.json").write_text(json.dumps(figures))
    print(summary.lines()[0])


def run_report(root: Path) -> None:
    """``kiosk report``'s work, in a process of its own as on the command line."""
    sys.path.insert(0, str(ROOT))
    from kiosk.sessions.importer import DesignerStore
    from kiosk.sessions.report import write_store_report

    tree = TreePeak()
    start, cpu_start = time.perf_counter(), time.process_time()
    store = DesignerStore(root / "store", read_only=True)
    timings: dict[str, float] = {}
    files = write_store_report(store.sql, root / "report", [ROOT / "prototypes"],
                               timings=timings)
    store.close()
    figures = {"report": time.perf_counter() - start, **timings, "files_written": len(files),
               "report_cpu": time.process_time() - cpu_start, "report_side_cpu": children_cpu(),
               "report_peak": tree.take(), "report_rss": peak_mb()}
    (root / "report.json").write_text(json.dumps(figures))


def run_reimport(root: Path) -> None:
    """The same bundles imported again (each recognised by its manifest), then again with
    every bundle read and every event matched by id (as for re-exported bundles)."""
    sys.path.insert(0, str(ROOT))
    from kiosk.sessions.importer import DesignerStore, import_bundles

    start = time.perf_counter()
    again = import_bundles(root / "store", [root / "stick"])
    again_seconds = time.perf_counter() - start
    forget = DesignerStore(root / "store")  # as if every bundle came under a new manifest
    forget.sql.db.execute("UPDATE bundles SET source_sha256 = NULL")
    forget.close()
    start = time.perf_counter()
    full = import_bundles(root / "store", [root / "stick"])
    figures = {"again": again_seconds, "again_events": again.already_had,
               "full": time.perf_counter() - start, "full_events": full.already_had}
    (root / "reimport.json").write_text(json.dumps(figures))


def print_new(root: Path) -> None:
    got = {name: json.loads((root / f"{name}.json").read_text())
           for name in ("import", "report", "reimport")}
    i, r, again = got["import"], got["report"], got["reimport"]
    print(f"new (SQLite): import {i['import']:.2f} s, tallies {r['tallies']:.2f} s, "
          f"pictures {r['pictures']:.2f} s, files {r['files']:.2f} s ({r['files_written']} "
          f"files), report in all {r['report']:.2f} s: total {i['import'] + r['report']:.2f} s")
    print(f"new (SQLite): re-import of the same bundles {again['again']:.3f} s = "
          f"{100 * again['again'] / i['import']:.1f}% of the first import "
          f"({again['again_events']} events already there)")
    print(f"new (SQLite): re-import with every bundle read and every event matched by id "
          f"(as for re-exported bundles) {again['full']:.2f} s = "
          f"{100 * again['full'] / i['import']:.0f}% of the first ({again['full_events']} "
          "already there)")
    print(f"new (SQLite): CPU time (the rest of the wall time is waiting for disk or for a "
          f"busy machine): import {i['import_cpu']:.2f} s in its process + "
          f"{i['import_readers_cpu']:.2f} s in the reading processes, report "
          f"{r['report_cpu']:.2f} s in its process + {r['report_side_cpu']:.2f} s in its "
          "second process (languages, tasks, taps, heat maps, responses.csv)")
    # (the second processes' own peaks are not printed: on Linux a spawned child's ru_maxrss
    # starts from the parent's size at its fork, so it would only repeat this figure)
    print(f"new (SQLite): peak memory of the import's process {i['import_rss']:.0f} MB, of "
          f"the report's {r['report_rss']:.0f} MB (ru_maxrss)")
    if i["import_peak"]:
        print(f"new (SQLite): peak memory of all their processes together: import "
              f"{i['import_peak']:.0f} MB, report {r['report_peak']:.0f} MB")


OLD_SCRIPT = """
import sys, time, resource
from pathlib import Path
from kiosk.sessions.importer import DesignerStore, import_bundles
from kiosk.sessions.report import write_report
root, prototypes = Path(sys.argv[1]), Path(sys.argv[2])
start = time.perf_counter()
import_bundles(root / "old-store", [root / "stick"])
imported = time.perf_counter()
store = DesignerStore(root / "old-store", read_only=True)
sessions, events = store.sessions(), store.events()
store.close()
files = write_report(sessions, events, root / "old-report", [prototypes])
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
cpu = time.process_time()
print(f"old (TinyDB journal, {sys.argv[3]}): import {imported - start:.2f} s, report "
      f"{done - imported:.2f} s: total {done - start:.2f} s; CPU time {cpu:.2f} s (with "
      f"imports); peak memory {peak:.0f} MB")
"""


FIRST_SQLITE_SCRIPT = """
import sys, time, resource
from pathlib import Path
from kiosk.sessions.importer import DesignerStore, import_bundles
from kiosk.sessions.report import write_store_report
root, prototypes = Path(sys.argv[1]), Path(sys.argv[2])
start = time.perf_counter()
import_bundles(root / "first-sqlite-store", [root / "stick"])
imported = time.perf_counter()
store = DesignerStore(root / "first-sqlite-store", read_only=True)
files = write_store_report(store.sql, root / "first-sqlite-report", [prototypes])
store.close()
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"first SQLite layout ({sys.argv[3]}): import {imported - start:.2f} s, report "
      f"{done - imported:.2f} s: total {done - start:.2f} s; CPU time "
      f"{time.process_time():.2f} s (with imports); peak memory {peak:.0f} MB")
"""


def run_old(root: Path, commit: str, script: str, name: str) -> None:
    """A figure from an earlier commit's own code, on the same bundles."""
    if shutil.which("git") is None:
        print(f"{name}: git is not here, so this figure is skipped")
        return
    old = root / f"code-{commit}"
    old.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "kiosk"],
                             capture_output=True)
    if archive.returncode != 0:
        print(f"{name}: commit {commit} is not in this clone, so this figure is skipped")
        return
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    subprocess.run([sys.executable, "-c", script, str(root), str(ROOT / "prototypes"),
                    commit], cwd=old, check=True)


NEW_STEPS = {"import": run_import, "report": run_report, "reimport": run_reimport}


def run_new_steps(root: Path) -> None:
    for step in NEW_STEPS:
        subprocess.run([sys.executable, __file__, "--root", str(root), "--step", step],
                       check=True)
    print_new(root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--no-old", action="store_true", help="skip the old path's figure")
    parser.add_argument("--step", choices=["make", *NEW_STEPS, "new"], help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "make":
        make_bundles(Path(args.root), args.answers)
        return
    if args.step in NEW_STEPS:
        NEW_STEPS[args.step](Path(args.root))
        return
    if args.step == "new":  # the three steps, each in its own process, then their figures
        run_new_steps(Path(args.root))
        return
    with tempfile.TemporaryDirectory(dir=HERE) as scratch:
        root = Path(scratch)
        me = [sys.executable, __file__, "--root", str(root), "--answers", str(args.answers)]
        subprocess.run([*me, "--step", "make"], check=True)
        run_new_steps(root)
        if not args.no_old:
            run_old(root, FIRST_SQLITE_COMMIT, FIRST_SQLITE_SCRIPT, "first SQLite layout")
            run_old(root, OLD_COMMIT, OLD_SCRIPT, "old")


if __name__ == "__main__":
    main()
