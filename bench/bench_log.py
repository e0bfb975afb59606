"""How long it takes to record one answer durably, early and late in a long session.

Prints the time per answer around the 50th and the 5,000th answer of one session, and
their ratio, for the kiosk's ResponseLog (journal storage, one fdatasync per answer) and for
TinyDB's default JSONStorage (rewrites the whole file, with fsync, on every insert) as the
naive baseline. Goal: the 5,000th costs under 2x the 50th, each under 10 ms.

    python bench/bench_log.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tinydb import TinyDB  # noqa: E402

from kiosk.sessions.log import ResponseLog  # noqa: E402

TARGET = 5000
WINDOW = 20  # answers timed around each mark; the median is reported


def _fields(n: int) -> dict:
    return dict(participant=n // 7 + 1, screen_id=f"screen-{n % 7}", variant="easy-read",
                response="understood" if n % 3 else "not_understood",
                seconds_to_answer=4.2, seconds_on_screen=6.1, replays=n % 2, language="en-GB")


def bench_response_log(folder: Path) -> tuple[float, float]:
    log = ResponseLog(folder, "bench")
    sid = log.start_session("deck", 1, "Venue")
    times: dict[int, float] = {}
    for n in range(1, TARGET + WINDOW):
        start = time.perf_counter()
        log.record(sid, "answer", **_fields(n))
        times[n] = time.perf_counter() - start
    log.close()
    return _at(times, 50), _at(times, TARGET)


def bench_tinydb_json(folder: Path) -> tuple[float, float]:
    db = TinyDB(folder / "naive.json")  # JSONStorage: rewrites and fsyncs the whole file
    table = db.table("events")
    times: dict[int, float] = {}
    for n in range(1, TARGET + WINDOW):
        start = time.perf_counter()
        table.insert({"session_id": "s", "kind": "answer", **_fields(n)})
        times[n] = time.perf_counter() - start
    db.close()
    return _at(times, 50), _at(times, TARGET)


def _at(times: dict[int, float], mark: int) -> float:
    return statistics.median(times[n] for n in range(mark - WINDOW // 2, mark + WINDOW // 2))


def main() -> None:
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent) as scratch:
        for name, bench in (("ResponseLog (journal)", bench_response_log),
                            ("TinyDB JSONStorage", bench_tinydb_json)):
            folder = Path(scratch) / name.split()[0]
            folder.mkdir()
            early, late = bench(folder)
            print(f"{name:24s} 50th: {early * 1000:7.3f} ms   {TARGET}th: {late * 1000:7.3f} ms"
                  f"   ratio {late / early:5.2f}x")


if __name__ == "__main__":
    main()
