"""USB sticks: notice them by polling mount points, and make them safe to pull out.

Why polling the mount roots, not udev or D-Bus:

* It works with **whoever mounted the stick**. On the Desktop image udisks2 (through the
  file manager's automount) mounts it at ``/media/<user>/<label>``; on Lite our udev rule
  runs ``systemd-mount --automount=yes``, which mounts under ``/run/media/system/<label>``
  (see ``hardware/usb-automount.rules``); a person may also mount one by hand under
  ``/mnt``. All of them end as a directory that is a mount point under a known root.
* A kiosk needs a *mounted* stick, not a block device: udev reports the device before
  there is anything to read, and the mount may come seconds later (or never, if the file
  system is unreadable). Watching mounts waits for exactly the thing we need.
* It is state, not events: a stick already in when the kiosk (re)starts is seen, and a
  missed notification cannot leave us believing a stick is there when it is not.
* It needs no privileges, no extra packages (pyudev, dbus) and no thread: ``poll()`` is a
  few ``stat`` and ``listdir`` calls once a second from the main loop.

A stick "has decks" when it holds a ``.zip`` or a ``deck.toml`` at its top level or in a
top-level folder; it "wants export" when it has a top-level ``kiosk-export`` folder (any
letter case, as FAT sticks are made on Windows and Macs).
"""

from __future__ import annotations

import glob
import logging
import os
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.walk.events import Event, StickInserted, StickRemoved

log = logging.getLogger("kiosk.usb")

DEFAULT_MOUNT_ROOTS = ("/media/*/*", "/media/*", "/run/media/*/*", "/mnt/*")
"""Glob patterns for where sticks get mounted: udisks2 (/media/<user>/<label>), Debian's
usbmount-style rules (/media/<label>), systemd-mount (/run/media/system/<label>) and
hand-made mounts (/mnt/<name>). Only directories that are mount points count."""

EXPORT_FOLDER = "kiosk-export"


def scan_stick(mount: Path) -> tuple[bool, bool]:
    """(has_decks, wants_export) for the stick at ``mount``; raises OSError if it vanished."""
    has_decks = False
    wants_export = False
    with os.scandir(mount) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith("."):  # macOS "._x.zip" shadows, .Trashes, .Spotlight
                continue
            lower = name.lower()
            try:
                is_dir = entry.is_dir()
                if is_dir and lower == EXPORT_FOLDER:
                    wants_export = True
                elif is_dir and (Path(entry.path) / "deck.toml").is_file():
                    has_decks = True
                elif not is_dir and (lower.endswith(".zip") or lower == "deck.toml"):
                    has_decks = True
            except OSError:
                continue
    if not mount.is_dir():
        raise FileNotFoundError(f"{mount} went away while it was being read")
    return has_decks, wants_export


class StickWatcher:
    """Turns mount points appearing and disappearing into StickInserted / StickRemoved."""

    def __init__(
        self,
        roots: Iterable[str] = DEFAULT_MOUNT_ROOTS,
        *,
        is_mount: Callable[[str], bool] = os.path.ismount,
        interval: float = 1.0,
    ) -> None:
        self.roots = tuple(roots)
        self.interval = interval
        self._is_mount = is_mount
        self._present: dict[Path, StickInserted] = {}
        self._last_look: float | None = None

    @property
    def sticks(self) -> list[StickInserted]:
        """The sticks in now, as last reported."""
        return list(self._present.values())

    def mounts(self) -> list[Path]:
        """Stick mount points under the roots right now."""
        found: set[Path] = set()
        for pattern in self.roots:
            for match in glob.glob(pattern):
                try:
                    if os.path.isdir(match) and self._is_mount(match):
                        found.add(Path(match))
                except OSError:
                    continue
        return sorted(found)

    def poll(self, now: float | None = None) -> list[Event]:
        """What changed since the last look. Call it every frame with the clock's ``now``:
        it only looks at the disk once per ``interval`` (without ``now``, it always looks)."""
        if now is not None:
            if self._last_look is not None and now - self._last_look < self.interval:
                return []
            self._last_look = now
        events: list[Event] = []
        mounted = set(self.mounts())
        for mount in sorted(set(self._present) - mounted):
            del self._present[mount]
            events.append(StickRemoved(mount))
        for mount in sorted(mounted - set(self._present)):
            try:
                has_decks, wants_export = scan_stick(mount)
            except OSError as error:
                reason = error.strerror or error
                log.info("USB stick at %s not readable yet (%s); will look again.", mount, reason)
                continue
            event = StickInserted(mount, has_decks, wants_export)
            self._present[mount] = event
            events.append(event)
        return events


UsbWatcher = StickWatcher


# ------------------------------------------------------------------ safe removal


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    output: str = ""


Runner = Callable[[Sequence[str]], CommandResult]


def run_command(command: Sequence[str]) -> CommandResult:
    """Run a system command, never raising: a missing tool is returncode 127."""
    try:
        done = subprocess.run(
            list(command), capture_output=True, text=True, timeout=60, check=False
        )
    except FileNotFoundError:
        return CommandResult(127, f"{command[0]}: not installed")
    except subprocess.TimeoutExpired:
        return CommandResult(124, f"{command[0]}: no answer after 60 seconds")
    return CommandResult(done.returncode, (done.stdout + done.stderr).strip())


@dataclass(frozen=True)
class RemovalReport:
    """Whether the stick may be pulled out, in words a facilitator can act on."""

    safe: bool
    message: str
    commands: tuple[tuple[str, ...], ...] = ()

    def __str__(self) -> str:
        return self.message


def mount_source(mount: Path, mounts_file: Path = Path("/proc/self/mounts")) -> str | None:
    """The device mounted at ``mount`` (e.g. /dev/sda1), from the kernel's mount table."""
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    source = None
    for line in lines:
        fields = line.split()
        if len(fields) >= 2 and _unescape(fields[1]) == str(mount):
            if fields[0].startswith("/dev/"):
                source = fields[0]  # the last one wins: an autofs point is listed first
    return source


def _unescape(field: str) -> str:
    return (
        field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n")
        .replace("\\134", "\\")
    )


def safely_remove(
    mount: Path,
    *,
    run: Runner = run_command,
    is_mount: Callable[[str], bool] = os.path.ismount,
    mounts_file: Path = Path("/proc/self/mounts"),
) -> RemovalReport:
    """Flush everything to the stick and unmount it, then say plainly if it can be pulled out.

    Writes reach a stick minutes late unless synced, so ``sync`` comes first, always. Then
    the unmount that matches who mounted it: ``systemd-umount`` for systemd-mount's
    automounts (a plain umount would leave the automount to mount it again on the next
    look), ``udisksctl unmount`` for udisks2 (it lets the desktop user unmount without
    root), and plain ``umount`` as the last resort.
    """
    mount = Path(mount)
    commands: list[tuple[str, ...]] = []

    def attempt(*command: str) -> CommandResult:
        commands.append(command)
        result = run(command)
        if result.returncode:
            log.info("%s failed (%d): %s", " ".join(command), result.returncode, result.output)
        return result

    if not is_mount(str(mount)):
        attempt("sync")
        return RemovalReport(True, "The USB stick can be removed now.", tuple(commands))
    device = mount_source(mount, mounts_file)
    synced = attempt("sync").returncode == 0
    plans: list[tuple[str, ...]]
    if str(mount).startswith("/run/media/system/"):
        plans = [("systemd-umount", str(mount)), ("umount", str(mount))]
    elif device:
        plans = [
            ("udisksctl", "unmount", "--no-user-interaction", "--block-device", device),
            ("umount", str(mount)),
        ]
    else:
        plans = [("umount", str(mount))]
    last = CommandResult(1, "")
    for plan in plans:
        last = attempt(*plan)
        if last.returncode == 0 and not is_mount(str(mount)):
            break
    if is_mount(str(mount)):
        busy = "busy" in last.output.lower()
        why = "something is still using it" if busy else "it could not be unmounted"
        return RemovalReport(
            False,
            f"Do not remove the USB stick yet: {why}. Wait a moment and try again, "
            "or switch the kiosk off before removing it.",
            tuple(commands),
        )
    if device and device.startswith("/dev/") and str(mount).startswith("/media/"):
        attempt("udisksctl", "power-off", "--no-user-interaction", "--block-device", device)
    if not synced:
        log.warning("sync failed before unmounting %s; unmount itself flushed the stick", mount)
    return RemovalReport(True, "The USB stick can be removed now.", tuple(commands))
