"""Speech rendered in worker processes that can be killed, so one stalled clip costs seconds,
never the rest of the install.

pyttsx3 drives espeak-ng inside the process that calls it, and a render that stalls (its
"finished" notice lost, espeak's thread stuck on a busy machine) cannot be interrupted from
Python: once that happened, the old in-process engine was marked broken and every later clip
of the deck was skipped. Here each clip is sent to a worker process (``python -m
kiosk.decks.speech_worker``) with a deadline; a worker that misses it is killed with SIGKILL,
a fresh one is started and the clip is tried again, twice at most. The worker still speaks
through pyttsx3 + espeak-ng; which engine class it loads is configuration
(``KIOSK_SPEECH_ENGINE=module:Class``), which is how the tests give it one that really hangs.

The parent and a worker talk in JSON lines: the worker's first line is ``{"ready": true,
"voices": [...]}`` (or ``{"ready": false, "error": ...}``), then one reply per request
``{"text", "voice", "rate", "dest"}``: ``{"ok": true}`` or ``{"ok": false, "error": ...}``.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import json
import os
import queue
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kiosk.decks.narration import SpeechEngine, SpeechFailed, Voice

ENGINE_VARIABLE = "KIOSK_SPEECH_ENGINE"
"""``module:Class`` of the engine a worker loads; the real one unless set."""
TIMEOUT_VARIABLE = "KIOSK_SPEECH_TIMEOUT"
"""Seconds a short clip may take before its worker is killed (a very slow machine may raise it)."""
DEFAULT_ENGINE = "kiosk.decks.narration:Pyttsx3Engine"

RETRIES = 2  # a clip is tried 1 + RETRIES times, each time in a fresh worker after a stall
CLIP_SECONDS = 5.0
"""The deadline of a short clip. espeak-ng makes a 4-second sentence in about 0.02 s here (a
Pi Zero 2 W core is perhaps 10-20 times slower), so 5 s is only missed by a stall. Stalls are
not rare: pyttsx3's runAndWait sometimes returns and the file never comes (1-2 % of
170-character clips on this busy 2-core machine), and each costs its deadline plus a restart,
so the deadline is kept short (bench/bench_deck_install.py prints the cost)."""
SECONDS_PER_CHARACTER = 0.005
"""1 s more per 200 characters: a 2,000-character page (2.5 minutes of speech) gets 15 s,
several times what a Pi Zero 2 W should need, while a stall of a typical 170-character
screen costs under 6 s (stalls are likelier on long texts: 1-2 % of 170-character clips
here, none in 600 short ones)."""
START_SECONDS = 30.0  # starting Python + pyttsx3 + espeak-ng: ~0.3 s here, a few s on a Zero
IDLE_SECONDS = 120.0  # an idle worker ends itself, giving its memory back to the kiosk
NICENESS = 5  # rendering ahead is never more urgent than the kiosk's own screen

WORKER_MB = 40
"""Memory of one worker, measured: ~16 MB of Python and pyttsx3 plus ~20 MB of espeak-ng with
its voice data loaded (resident set of an idle worker after its first clip)."""
MAX_WORKERS = 4


def worker_count(cpus: int | None = None, available_mb: int | None = None) -> int:
    """How many workers render at once: one per core but one, within a quarter of free memory.

    One core is left for the kiosk's screen and buttons (the kiosk re-renders in the
    background while people use it). A quarter of the memory still free caps the pool so a
    Pi Zero 2 W (512 MB, ~300 MB free on Lite, ~150 MB on the desktop) gets 1 worker (2 only
    with 320 MB or more free), never swapping. A Pi 4 or 5 (4 cores, 1-8 GB) gets 3: a
    120-screen deck then renders in about a third of the time of one worker. More than 4
    gains nothing: the work is a few seconds of CPU.
    """
    if cpus is None:
        try:
            cpus = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cpus = os.cpu_count() or 1
    if available_mb is None:
        available_mb = _available_mb()
    by_cpu = max(1, cpus - 1)
    by_memory = max(1, (available_mb // 4) // WORKER_MB) if available_mb else by_cpu
    return max(1, min(by_cpu, by_memory, MAX_WORKERS))


def _available_mb() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def clip_timeout(text: str, base: float | None = None) -> float:
    """The deadline for one clip: ``base`` (or $KIOSK_SPEECH_TIMEOUT, or 5 s) plus its length."""
    if base is None:
        base = _timeout_setting()
    return base + len(text) * SECONDS_PER_CHARACTER


def _timeout_setting() -> float:
    text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    try:
        value = float(text) if text else CLIP_SECONDS
    except ValueError:
        return CLIP_SECONDS
    return value if value > 0 else CLIP_SECONDS


# ---------------------------------------------------------------------- the parent's side


class _Stalled(Exception):
    """A worker missed its deadline, died, or could not render: kill it and try afresh."""


class _TimedOut(_Stalled):
    """The worker did not answer in time: it is stuck."""


def _pipes(process: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    """The worker's stdin and stdout (always there: it is started with both piped)."""
    if process.stdin is None or process.stdout is None:
        raise RuntimeError("a speech worker was started without its pipes")
    return process.stdin, process.stdout


class _Worker:
    """One worker process and its pipes."""

    def __init__(self, engine: str, idle: float) -> None:
        self.errors = tempfile.TemporaryFile()  # what the worker says on stderr, for the log
        command = [sys.executable, "-m", "kiosk.decks.speech_worker", "--engine", engine,
                   "--idle", str(idle), "--nice", str(NICENESS)]
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                close_fds=True,
            )  # fmt: skip
        except OSError as error:  # out of memory or processes for a moment: try again
            self.errors.close()
            raise _Stalled(f"a speech worker could not be started ({error})") from None
        self.stdin, self.stdout = _pipes(self.process)
        self.lines = _LineReader(self.stdout.fileno())
        self.rate: int | None = None  # pyttsx3 keeps the first rate a process speaks at
        self.voices: list[Voice] = []
        with _LIVE_LOCK:
            _LIVE.add(self)

    def wait_ready(self, timeout: float) -> None:
        """Read the worker's first line; SpeechFailed if its engine cannot start at all."""
        hello = self._reply(timeout)
        if not hello.get("ready"):
            self.kill()
            raise SpeechFailed(str(hello.get("error") or "the speech engine could not start"))
        self.voices = [Voice(str(v[0]), str(v[1]), tuple(str(x) for x in v[2]))
                       for v in hello.get("voices", [])]

    def render(self, text: str, voice: str, rate: int, dest: Path, timeout: float) -> None:
        request = {"text": text, "voice": voice, "rate": rate, "dest": str(dest)}
        try:
            self.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.stdin.flush()
        except OSError:
            raise _Stalled("the speech worker had ended") from None
        reply = self._reply(timeout)
        self.rate = rate
        if not reply.get("ok"):
            raise _Stalled(str(reply.get("error") or "the speech engine failed"))

    def _reply(self, timeout: float) -> dict[str, Any]:
        line = self.lines.readline(timeout)
        if line is None:
            raise _TimedOut(f"no answer within {timeout:.1f} s")
        if not line:
            raise _Stalled(f"the speech worker ended unexpectedly{self._last_words()}")
        try:
            reply = json.loads(line)
        except ValueError:
            raise _Stalled("the speech worker said something unreadable") from None
        if not isinstance(reply, dict):
            raise _Stalled("the speech worker said something unreadable")
        return reply

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: a worker stuck inside espeak-ng cannot be asked to stop."""
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for stream in (self.stdin, self.stdout, self.errors):
            with contextlib.suppress(OSError):
                stream.close()
        with _LIVE_LOCK:
            _LIVE.discard(self)

    def _last_words(self) -> str:
        try:
            self.errors.seek(0)
            text = self.errors.read()[-300:].decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f" ({text.splitlines()[-1]})" if text else ""


_LIVE: set[_Worker] = set()
_LIVE_LOCK = threading.Lock()


@atexit.register
def shutdown_workers() -> None:
    """End every worker this process started (idle ones would end at EOF anyway; hung ones
    not) and forget the pools, so the next render starts afresh with today's settings."""
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.forget_all()
        _POOLS.clear()
    with _LIVE_LOCK:
        workers = list(_LIVE)
    for worker in workers:
        worker.kill()


@dataclass
class _Slot:
    worker: _Worker | None = None


class _Pool:
    """``size`` slots, each holding at most one worker; a render borrows a slot for its tries."""

    def __init__(self, engine: str, size: int, idle: float) -> None:
        self.engine, self.size, self.idle = engine, size, idle
        self.free: queue.Queue[_Slot] = queue.Queue()
        self.slots = [_Slot() for _ in range(size)]
        for slot in self.slots:
            self.free.put(slot)
        self.voices: list[Voice] | None = None
        self.reason: str | None = None  # why the engine cannot start at all
        self.voice_lock = threading.Lock()
        self.started = 0  # workers started, for the bench
        self.killed = 0  # workers killed after a stall or a failure
        self.stalls = 0  # of which: no answer by the deadline

    @contextlib.contextmanager
    def slot(self) -> Iterator[_Slot]:
        slot = self.free.get()
        try:
            yield slot
        finally:
            self.free.put(slot)

    def ready_worker(self, slot: _Slot, rate: int | None = None) -> _Worker:
        """The slot's worker, started (or restarted, for another rate or once it ended)."""
        worker = slot.worker
        if worker is not None and (not worker.alive() or worker.rate not in (None, rate)):
            worker.kill()
            worker = slot.worker = None
        if worker is None:
            if self.reason:
                raise SpeechFailed(self.reason)
            worker = _Worker(self.engine, self.idle)
            self.started += 1
            try:
                worker.wait_ready(START_SECONDS)
            except SpeechFailed as error:
                self.reason = str(error)
                raise
            except _Stalled:
                worker.kill()
                raise
            slot.worker = worker
            if self.voices is None:
                self.voices = worker.voices
        return worker

    def kill(self, slot: _Slot) -> None:
        if slot.worker is not None:
            slot.worker.kill()
            slot.worker = None
            self.killed += 1

    def forget_all(self) -> None:
        for slot in self.slots:
            slot.worker = None


_POOLS: dict[tuple[str, int, float], _Pool] = {}
_POOLS_LOCK = threading.Lock()


def _pool(engine: str, size: int, idle: float) -> _Pool:
    """One pool per engine and size in a process, shared by every cache that uses it, so a
    kiosk that builds several caches (the walk, the installer, a preview) starts no more."""
    with _POOLS_LOCK:
        key = (engine, size, idle)
        if key not in _POOLS:
            _POOLS[key] = _Pool(engine, size, idle)
        return _POOLS[key]


class WorkerEngine:
    """A ``SpeechEngine`` whose renders run in killable worker processes (see the module doc).

    ``parallel`` tells ``NarrationCache.render_deck`` how many clips to hand over at once.
    """

    def __init__(
        self,
        workers: int | None = None,
        engine: str | None = None,
        timeout: float | None = None,
        retries: int = RETRIES,
        idle: float = IDLE_SECONDS,
    ) -> None:
        self.engine_name = engine or os.environ.get(ENGINE_VARIABLE, "").strip() or DEFAULT_ENGINE
        self.parallel = workers if workers is not None else worker_count()
        self.timeout = timeout
        self.retries = retries
        self._pool = _pool(self.engine_name, self.parallel, idle)

    @property
    def reason(self) -> str | None:
        """Why there is no speech at all (the engine would not start), else None."""
        return self._pool.reason

    @property
    def restarts(self) -> int:
        """Workers killed after a stall or a failure, in this process so far (for the bench)."""
        return self._pool.killed

    @property
    def stalls(self) -> int:
        """Clips whose worker missed the deadline, in this process so far (for the bench)."""
        return self._pool.stalls

    def voices(self) -> list[Voice]:
        """The engine's voices, asked of the first worker once per process and remembered."""
        pool = self._pool
        if pool.voices is not None:
            return list(pool.voices)
        with pool.voice_lock:
            for _ in range(1 + self.retries):
                if pool.voices is not None or pool.reason:
                    break
                with pool.slot() as slot:
                    try:
                        pool.ready_worker(slot)
                    except SpeechFailed:
                        break
                    except _Stalled:
                        continue
        return list(pool.voices or [])

    def render(self, text: str, voice: str, rate: int, dest_wav: Path) -> None:
        """Render in a worker; after a stall, kill it and try again in a fresh one, twice."""
        timeout = clip_timeout(text, self.timeout)
        problems: list[_Stalled] = []
        with self._pool.slot() as slot:
            for _ in range(1 + self.retries):
                try:
                    self._pool.ready_worker(slot, rate).render(text, voice, rate, dest_wav, timeout)
                    return
                except _Stalled as stall:
                    problems.append(stall)
                    self._pool.stalls += isinstance(stall, _TimedOut)
                    self._pool.kill(slot)
        tries = len(problems)
        if all(isinstance(p, _TimedOut) for p in problems):
            raise SpeechFailed(f"the speech engine stalled on this text {tries} times, "
                               f"each time killed after {timeout:.1f} s")
        raise SpeechFailed(f"the speech engine failed on this text {tries} times; "
                           f"the last time: {problems[-1]}")


class _LineReader:
    """Whole lines from a pipe, with a deadline (a buffered file's readline cannot time out)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    def readline(self, timeout: float | None) -> bytes | None:
        """A line without its newline; b"" at end of file; None when the deadline passed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return b""
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line


# ---------------------------------------------------------------------- the worker's side


def load_engine(spec: str) -> SpeechEngine:
    """An engine instance from ``module:Class``."""
    module_name, _, class_name = spec.partition(":")
    engine: SpeechEngine = getattr(importlib.import_module(module_name), class_name or "Engine")()
    return engine


def _end_with_parent() -> None:
    """A worker must not outlive the kiosk, even while stuck in espeak-ng: watch the parent."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One narration worker (started by the kiosk).")
    parser.add_argument("--engine", default=DEFAULT_ENGINE)
    parser.add_argument("--idle", type=float, default=IDLE_SECONDS)
    parser.add_argument("--nice", type=int, default=0)
    args = parser.parse_args(argv)
    _end_with_parent()
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # anything printed by pyttsx3 or espeak-ng goes to stderr, not the replies
    sys.stdout = sys.stderr
    with contextlib.suppress(OSError):
        os.nice(args.nice)

    def send(message: dict[str, Any]) -> None:
        replies.write(json.dumps(message) + "\n")

    try:
        engine = load_engine(args.engine)
        voices = engine.voices()
    except Exception as error:  # noqa: BLE001 - said to the parent in plain words
        send({"ready": False, "error": f"the speech engine could not start ({error})"})
        return 1
    broken = getattr(type(engine), "_broken", None)
    if not voices and broken:
        send({"ready": False, "error": broken})
        return 1
    send({"ready": True, "voices": [[v.id, v.name, list(v.languages)] for v in voices]})
    requests = _LineReader(0)
    while True:
        line = requests.readline(args.idle)
        if not line:  # idle for long enough, or the kiosk closed the pipe
            return 0
        try:
            request = json.loads(line)
            engine.render(request["text"], request["voice"], int(request["rate"]),
                          Path(request["dest"]))
        except Exception as error:  # noqa: BLE001 - the parent decides what to do
            send({"ok": False, "error": str(error) or type(error).__name__})
            if getattr(type(engine), "_broken", None):
                return 1  # this process's engine is spent; the parent starts a fresh one
            continue
        send({"ok": True})


if __name__ == "__main__":
    sys.exit(main())
