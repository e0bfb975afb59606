"""The real kiosk on an emulated Raspberry Pi: CPU and memory cut to a Pi's size. Prints figures.

    sudo .venv/bin/python bench/bench_pi_budget.py [--budgets zero,pi4] [--screens 120]
        [--walks 2] [--code DIR] [--idle-seconds 20]

``kiosk run --windowed`` (a new process, the code in ``--code``, default this checkout) runs
in an Xvfb window the size of a 1920x1080 screen, on a generated 120-screen 1920x1080 deck,
inside a control group limited like the Pi. Keys are pressed like a finger: key down, held
0.12 s, key up, through the X server's XTEST extension (what ``xdotool keydown/keyup`` does,
called in-process so each press is timed to the microsecond). The screen is read back from
the X server, four rows of pixels every millisecond. For each budget it prints: start to
the welcome screen, key release to the screen answering (median, p95), narration start,
idle CPU on the welcome screen and on a deck screen waiting for an answer, peak RSS, and
whether the out-of-memory killer fired.

To compare with the code as it was (the "before" figures)::

    git worktree add /tmp/before 6447a7f
    sudo .venv/bin/python bench/bench_pi_budget.py --code /tmp/before

How the budgets were chosen. The same benchmark on the Pis and here: sysbench 1.0.20
``cpu --threads=1`` (primes up to 10000), events per second on one core:

    Raspberry Pi 3B+       Cortex-A53 @ 1.4 GHz       687  (leoncode.co.uk, "Raspberry Pi
                                                             CPU Benchmarks", sysbench table)
    Raspberry Pi Zero 2 W  Cortex-A53 @ 1.0 GHz      ~491  (the same core at 1.0/1.4 the clock)
    Raspberry Pi 4         Cortex-A72 @ 1.8 GHz      1478  (same table)
    this machine           AMD EPYC Zen 4 @ 2.6 GHz  4292  (KVM; measured 2026-12-01, --calibrate)

so a Zero 2 W core is about 491/4292 = 11% of one of these cores and a Pi 4 core 34%: the
quotas are 12% and 35% of one core (cgroup CPU bandwidth: 1.2 ms in every 10 ms; a short
period, so the kiosk runs slowly rather than fast-then-frozen for most of 100 ms). Caveats:
the quota covers all the kiosk's threads together, whereas a Pi has four cores (the picture
worker and the speech renderer would get their own), so it is pessimistic for work done in
parallel; and an in-order A53 loses more than sysbench shows on Python's branchy interpreter
loop, so it is optimistic for pure Python. Memory: a Zero 2 W has 512 MB for everything
(the kiosk gets less after the OS and the compositor); a Pi 4 from 1 GB (2 GB here). No swap.

Control groups: cgroup v1 (``cpu.cfs_quota_us``/``cpu.cfs_period_us`` and
``memory.limit_in_bytes`` + ``memory.memsw.limit_in_bytes``), each group made inside the
one this process is already in; cgroup v2 (``cpu.max``, ``memory.max``, ``memory.swap.max``)
where /sys/fs/cgroup is v2. Needs root, Xvfb, and espeak-ng for the narration.

Goals (issue #14): Zero: welcome within 10 s, press to screen p95 within 100 ms, no
out-of-memory kill; Pi 4: press to screen p95 within 33 ms. Here, unlimited: idle at most
3% of one core, peak RSS at most 100 MB walking the deck twice (``--budgets host --walks 2``
prints that figure).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bench_decks import SIZE, make_deck

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
PERIOD_US = 10_000  # the CPU quota's period: 1.2 ms of CPU in every 10 ms for a Zero


@dataclass(frozen=True)
class Budget:
    name: str
    cpu: float | None  # share of one core, None = unlimited
    memory: int | None  # bytes, None = unlimited
    press_goal_ms: float | None = None
    welcome_goal_s: float | None = None


BUDGETS = {
    "zero": Budget("Pi Zero 2 W (12% of a core, 512 MB, no swap)", 0.12, 512 * MB, 100, 10),
    "pi4": Budget("Pi 4 (35% of a core, 2 GB, no swap)", 0.35, 2048 * MB, 33),
    "host": Budget("this machine, unlimited", None, None),
}


# ------------------------------------------------------------------ control groups


class ControlGroup:
    """A CPU quota and a memory limit without swap, for one process tree (v1 or v2)."""

    def __init__(self, label: str, budget: Budget) -> None:
        self.budget = budget
        self.name = f"kiosk-bench-{os.getpid()}-{label}"
        self.v2 = Path("/sys/fs/cgroup/cgroup.controllers").exists()
        self.dirs: list[Path] = []

    @staticmethod
    def _own_path(controller: str) -> str:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if controller in controllers.split(",") or (controller == "" and controllers == ""):
                return path.lstrip("/")
        return ""

    def create(self) -> None:
        budget = self.budget
        if self.v2:
            parent = Path("/sys/fs/cgroup") / self._own_path("")
            (parent / "cgroup.subtree_control").write_text("+cpu +memory")
            group = parent / self.name
            group.mkdir()
            self.dirs = [group]
            if budget.cpu:
                (group / "cpu.max").write_text(f"{round(budget.cpu * PERIOD_US)} {PERIOD_US}")
            if budget.memory:
                (group / "memory.max").write_text(str(budget.memory))
                (group / "memory.swap.max").write_text("0")
            return
        cpu = Path("/sys/fs/cgroup/cpu") / self._own_path("cpu") / self.name
        memory = Path("/sys/fs/cgroup/memory") / self._own_path("memory") / self.name
        cpu.mkdir()
        memory.mkdir()
        self.dirs = [cpu, memory]
        if budget.cpu:  # a 10 ms period: a slow CPU, not a fast one that stops for 88 ms
            (cpu / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (cpu / "cpu.cfs_quota_us").write_text(str(round(budget.cpu * PERIOD_US)))
        if budget.memory:
            (memory / "memory.limit_in_bytes").write_text(str(budget.memory))
            memsw = memory / "memory.memsw.limit_in_bytes"
            if memsw.exists():
                memsw.write_text(str(budget.memory))
            (memory / "memory.swappiness").write_text("0")

    def enter_command(self, command: list[str]) -> list[str]:
        """``command`` run inside the group from its first instruction (sh joins, then execs)."""
        joins = "; ".join(f"echo $$ > {d / 'cgroup.procs'}" for d in self.dirs)
        return ["sh", "-c", f'{joins}; exec "$@"', "sh", *command]

    def _memory_dir(self) -> Path:
        return self.dirs[0] if self.v2 else self.dirs[1]

    def oom_kills(self) -> int:
        if self.v2:
            events = (self._memory_dir() / "memory.events").read_text().split()
            return int(events[events.index("oom_kill") + 1]) if "oom_kill" in events else 0
        lines = (self._memory_dir() / "memory.oom_control").read_text().split()
        return int(lines[lines.index("oom_kill") + 1]) if "oom_kill" in lines else 0

    def peak_bytes(self) -> int:
        name = "memory.peak" if self.v2 else "memory.max_usage_in_bytes"
        path = self._memory_dir() / name
        return int(path.read_text()) if path.exists() else 0

    def remove(self) -> None:
        for directory in self.dirs:
            for _ in range(50):
                try:
                    directory.rmdir()
                    break
                except OSError:
                    time.sleep(0.1)


# ------------------------------------------------------------------ the X server


class _XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.c_void_p),
                ("byte_order", ctypes.c_int), ("bitmap_unit", ctypes.c_int),
                ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
                ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int),
                ("bits_per_pixel", ctypes.c_int)]


class XScreen:
    """Keys pressed through XTEST and rows of pixels read back, on one X display."""

    def __init__(self, display: str) -> None:
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x11.XGetImage.restype = ctypes.POINTER(_XImage)
        self.x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                                       ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                       ctypes.c_ulong, ctypes.c_int]
        self.x11.XDestroyImage.argtypes = [ctypes.POINTER(_XImage)]
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
                                                ctypes.c_ulong]
        self.display = self.x11.XOpenDisplay(display.encode())
        if not self.display:
            raise SystemExit(f"Cannot open X display {display}")
        self.root = self.x11.XDefaultRootWindow(self.display)
        self.rows_y = [round(SIZE[1] * share) for share in (0.1, 0.2, 0.35, 0.5, 0.65)]

    def key(self, name: str, down: bool) -> float:
        """Press or release a key; returns the moment the X server has it."""
        code = self.x11.XKeysymToKeycode(self.display, self.x11.XStringToKeysym(name.encode()))
        self.xtst.XTestFakeKeyEvent(self.display, code, down, 0)
        self.x11.XFlush(self.display)
        return time.perf_counter()

    def rows(self) -> np.ndarray:
        """Five full-width rows of the screen, as 32-bit pixels."""
        out = []
        for y in self.rows_y:
            image = self.x11.XGetImage(self.display, self.root, 0, y, SIZE[0], 1, 0xFFFFFFFF, 2)
            row = image.contents
            out.append(np.frombuffer(ctypes.string_at(row.data, SIZE[0] * 4), dtype=np.uint32))
            self.x11.XDestroyImage(image)
        return np.stack(out)


def differs(a: np.ndarray, b: np.ndarray) -> bool:
    """Another screen, not a breathing glow: some row changed in more than 8% of its pixels."""
    return bool(((a != b).sum(axis=1) > 0.08 * SIZE[0]).any())


def start_xvfb() -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                               f"{SIZE[0]}x{SIZE[1]}x24", "-br", "-nolisten", "tcp"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(read, 16)
        if not chunk:
            raise SystemExit("Xvfb did not start")
        number += chunk
    os.close(read)
    return server, f":{number.decode().strip()}"


# ------------------------------------------------------------------ the deck and the kiosk


def kiosk_env(code: Path, home: Path, display: str | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(code), "KIOSK_HOME": str(home),
           "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    env.pop("SDL_VIDEODRIVER", None)
    if display:
        env["DISPLAY"] = display
    return env


NARRATION = r"""
import os, sys, time
os.environ["SDL_VIDEODRIVER"] = "dummy"
import pygame
from kiosk.decks.narration import NarrationCache
from kiosk.home import Home
from kiosk.screen.sound import open_speaker
from pathlib import Path
cache = NarrationCache.for_home(Home(Path(sys.argv[1])))
texts = [f"This is screen {n}." for n in range(int(sys.argv[2]))]
pygame.init()
speaker = open_speaker(cache)
times = []
for text in texts:
    start = time.perf_counter()
    speaker.stop()
    speaker.speak(text, "en-GB")
    times.append((time.perf_counter() - start) * 1000)
    assert speaker.started[-1] == text, "narration was not rendered at install"
print(" ".join(f"{t:.3f}" for t in times))
"""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Figures:
    welcome_s: float = float("nan")
    press_ms: list[float] | None = None
    missed: int = 0
    narration_ms: list[float] | None = None
    idle_welcome: float = float("nan")
    idle_screen: float = float("nan")
    rss_mb: float = float("nan")
    group_peak_mb: float = float("nan")
    oom: int = 0
    died: str = ""
    walks: int = 0
    slowest: list[tuple[float, int]] | None = None  # (ms, press number), slowest first


def wait_until(screen: XScreen, since: np.ndarray, timeout: float) -> float | None:
    """The moment the screen differs from ``since`` (None after ``timeout`` seconds)."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if differs(screen.rows(), since):
            return time.perf_counter()
        time.sleep(0.0005)
    return None


def first_content(screen: XScreen, blank: np.ndarray, timeout: float) -> np.ndarray | None:
    """The first drawing in the window: rows that differ from the bare X screen and are not
    one flat colour (an empty window)."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        rows = screen.rows()
        if differs(rows, blank) and (rows != rows[0, 0]).any():
            time.sleep(0.05)  # the notice is one flip: take it whole
            return screen.rows()
        time.sleep(0.001)
    return None


def settled(screen: XScreen, quiet: float, timeout: float) -> tuple[np.ndarray, list]:
    """Watch until nothing changed for ``quiet`` seconds: the last rows and every change seen."""
    history = [(time.perf_counter(), screen.rows())]
    end = time.perf_counter() + timeout
    while time.perf_counter() < end and time.perf_counter() - history[-1][0] < quiet:
        rows = screen.rows()
        if differs(rows, history[-1][1]):
            history.append((time.perf_counter(), rows))
        time.sleep(0.001)
    return history[-1][1], history


def idle_share(pid: int, seconds: float) -> float:
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) / seconds


def run_budget(label: str, budget: Budget, code: Path, home: Path, args) -> Figures:
    figures = Figures(press_ms=[], slowest=[])
    group = ControlGroup(label, budget)
    server, display = start_xvfb()
    kiosk = None
    try:
        group.create()
        screen = XScreen(display)
        blank = screen.rows()
        command = [sys.executable, "-m", "kiosk", "run", "--windowed", "--size",
                   f"{SIZE[0]}x{SIZE[1]}", "--deck", "bench", "--venue", "Bench"]
        started = time.perf_counter()
        kiosk = subprocess.Popen(group.enter_command(command), cwd=tempfile.gettempdir(),
                                 env=kiosk_env(code, home, display),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        notice = first_content(screen, blank, 120)  # "Starting. One moment, please."
        if notice is None:
            figures.died = "nothing drawn within 120 s"
            return figures
        if wait_until(screen, notice, 120) is None:
            figures.died = "no welcome screen within 120 s"
            return figures
        figures.welcome_s = time.perf_counter() - started
        settled(screen, quiet=2.0, timeout=60)
        time.sleep(1.0)
        figures.idle_welcome = idle_share(kiosk.pid, args.idle_seconds)
        presses = args.walks * (args.screens + 3)
        for number in range(presses):
            if kiosk.poll() is not None:
                figures.died = f"the kiosk exited ({kiosk.returncode}) at press {number}"
                break
            before = screen.rows()
            screen.key("g", True)
            time.sleep(0.12)  # a finger's press: the answer is given on release
            released = screen.key("g", False)
            shown = wait_until(screen, before, 5.0)
            if shown is None:
                figures.missed += 1
            else:
                figures.press_ms.append((shown - released) * 1000)
                figures.slowest.append((figures.press_ms[-1], number))
            time.sleep(1.0)  # the tick shows for 0.8 s, then the next screen
            if number == 1:  # "how it works" -> the first deck screen, waiting for an answer
                time.sleep(1.0)
                figures.idle_screen = idle_share(kiosk.pid, args.idle_seconds)
        if kiosk.poll() is None:
            figures.rss_mb = vm_hwm_mb(kiosk.pid)
            figures.walks = args.walks
        narration = subprocess.run(group.enter_command([sys.executable, "-c", NARRATION,
                                                        str(home), str(min(20, args.screens))]),
                                   env=kiosk_env(code, home), capture_output=True, text=True,
                                   cwd=tempfile.gettempdir(), timeout=300)
        if narration.returncode == 0:
            figures.narration_ms = [float(t) for t in narration.stdout.split()]
        else:
            figures.died += f" narration check failed: {narration.stderr.strip()[-200:]}"
        return figures
    finally:
        if kiosk is not None:
            if kiosk.poll() is None:
                kiosk.send_signal(signal.SIGTERM)
                try:
                    kiosk.wait(20)
                except subprocess.TimeoutExpired:
                    kiosk.kill()
                    kiosk.wait()
            elif kiosk.returncode == -signal.SIGKILL:
                figures.died += " killed by SIGKILL"
        server.terminate()
        server.wait()
        if group.dirs:
            figures.oom = group.oom_kills()
            figures.group_peak_mb = group.peak_bytes() / MB
            group.remove()


def report(label: str, budget: Budget, code: Path, figures: Figures) -> None:
    print(f"\n== {budget.name}: code in {code}")
    if figures.died:
        print(f"   !! {figures.died.strip()}")
    goal = f"   (goal <= {budget.welcome_goal_s:.0f} s)" if budget.welcome_goal_s else ""
    print(f"   start -> welcome screen:             {figures.welcome_s:7.2f} s{goal}")
    presses = figures.press_ms or []
    if presses:
        goal = f"   (goal p95 <= {budget.press_goal_ms:.0f} ms)" if budget.press_goal_ms else ""
        median = statistics.median(presses)
        print(f"   key release -> screen answers:        median {median:6.1f} ms"
              f"   p95 {percentile(presses, 0.95):6.1f} ms   max {max(presses):6.1f} ms"
              f"   ({len(presses)} presses, {figures.missed} unanswered in 5 s){goal}")
        slowest = sorted(figures.slowest or [], reverse=True)[:4]
        print("   slowest presses (0 = welcome, 1 = how it works, last = the deck's last screen):"
              f" {', '.join(f'#{number} {ms:.0f} ms' for ms, number in slowest)}")
    if figures.narration_ms:
        values = figures.narration_ms
        median = statistics.median(values)
        print(f"   speak() -> narration playing:        median {median:6.2f} ms"
              f"   p95 {percentile(values, 0.95):6.2f} ms")
    print(f"   idle CPU, welcome screen:            {100 * figures.idle_welcome:6.2f} % of a core")
    print(f"   idle CPU, screen awaiting an answer: {100 * figures.idle_screen:6.2f} % of a core")
    walked = f", deck walked {figures.walks} times" if figures.walks else ""
    print(f"   peak RSS (VmHWM) of the kiosk:       {figures.rss_mb:6.1f} MB"
          f"   (the group's peak incl. page cache {figures.group_peak_mb:.0f} MB{walked})")
    print(f"   out-of-memory kills:                 {figures.oom}")


def calibrate() -> None:
    """This machine's single-core sysbench figure, to check the quotas' arithmetic."""
    if not shutil.which("sysbench"):
        print("sysbench is not installed (apt-get install sysbench)")
        return
    output = subprocess.run(["sysbench", "cpu", "--threads=1", "--time=10", "run"],
                            capture_output=True, text=True, check=True).stdout
    events = float(next(line.split(":")[1] for line in output.splitlines()
                        if "events per second" in line))
    print(f"sysbench cpu, one thread: {events:.0f} events/s here; Zero 2 W ~491 "
          f"({491 / events:.0%}), Pi 4 1478 ({1478 / events:.0%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budgets", default="zero,pi4", help="zero, pi4, host (comma list)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the kiosk checkout to run")
    parser.add_argument("--screens", type=int, default=120)
    parser.add_argument("--walks", type=int, default=2, help="times through the deck")
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    parser.add_argument("--calibrate", action="store_true", help="run sysbench here first")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("Run as root: control groups are made under /sys/fs/cgroup.")
    if args.calibrate:
        calibrate()
    code = args.code.resolve()
    with tempfile.TemporaryDirectory(prefix="pi-budget-") as temporary:
        work = Path(temporary)
        print(f"Generating a {args.screens}-screen {SIZE[0]}x{SIZE[1]} deck and installing it "
              f"with the code in {code} ...")
        make_deck(work / "deck", args.screens)
        home = work / "home"
        subprocess.run([sys.executable, "-m", "kiosk", "deck", "install", str(work / "deck")],
                       env=kiosk_env(code, home), check=True, capture_output=True,
                       cwd=tempfile.gettempdir())
        for label in args.budgets.split(","):
            budget = BUDGETS[label.strip()]
            figures = run_budget(label.strip(), budget, code, home, args)
            report(label, budget, code, figures)


if __name__ == "__main__":
    main()
