"""The USB watcher against folders that appear and vanish, and safe removal with a fake runner."""

import os
import shutil
from pathlib import Path

import pytest

from kiosk import usb
from kiosk.usb import CommandResult, StickWatcher, mount_source, safely_remove, scan_stick
from kiosk.walk.events import StickInserted, StickRemoved


@pytest.fixture
def media(tmp_path):
    """A stand-in for /media/<user>: every folder made in it counts as a mounted stick."""
    root = tmp_path / "media" / "kiosk"
    root.mkdir(parents=True)
    return root


@pytest.fixture
def watcher(media, tmp_path):
    roots = [str(media / "*"), str(tmp_path / "mnt" / "*")]
    return StickWatcher(roots, is_mount=lambda path: True)


def make_stick(media, name, files=(), folders=()):
    stick = media / name
    stick.mkdir()
    for folder in folders:
        (stick / folder).mkdir(parents=True)
    for file in files:
        (stick / file).parent.mkdir(parents=True, exist_ok=True)
        (stick / file).write_text("x", encoding="utf-8")
    return stick


def test_nothing_in_nothing_out(watcher):
    assert watcher.poll() == []


def test_a_stick_with_a_deck_folder(media, watcher):
    stick = make_stick(media, "DECKS", files=["letter-easy-read/deck.toml"])
    assert watcher.poll() == [StickInserted(stick, has_decks=True, wants_export=False)]
    assert watcher.poll() == []
    assert watcher.sticks == [StickInserted(stick, True, False)]


def test_a_stick_with_a_zip_and_an_export_folder(media, watcher):
    stick = make_stick(media, "USB", files=["maternity-app.ZIP"], folders=["Kiosk-Export"])
    assert watcher.poll() == [StickInserted(stick, has_decks=True, wants_export=True)]


def test_a_stick_that_wants_export_only(media, watcher):
    stick = make_stick(media, "LOGS", folders=["kiosk-export"], files=["holiday.jpg"])
    assert watcher.poll() == [StickInserted(stick, has_decks=False, wants_export=True)]


def test_what_does_not_count(media, watcher):
    stick = make_stick(
        media,
        "OTHER",
        files=["._deck.zip", "notes/readme.txt", "deep/er/deck.toml", "kiosk-export"],
    )
    assert watcher.poll() == [StickInserted(stick, has_decks=False, wants_export=False)]


def test_a_deck_at_the_top_of_the_stick(media, watcher):
    stick = make_stick(media, "ONEDECK", files=["deck.toml", "screens/1.png"])
    assert watcher.poll() == [StickInserted(stick, has_decks=True, wants_export=False)]


def test_removed_then_inserted_again(media, watcher):
    stick = make_stick(media, "DECKS", files=["a.zip"])
    watcher.poll()
    shutil.rmtree(stick)
    assert watcher.poll() == [StickRemoved(stick)]
    assert watcher.sticks == []
    make_stick(media, "DECKS", folders=["kiosk-export"])
    assert watcher.poll() == [StickInserted(stick, has_decks=False, wants_export=True)]


def test_two_sticks_under_different_roots(media, watcher, tmp_path):
    first = make_stick(media, "A", files=["a.zip"])
    (tmp_path / "mnt").mkdir()
    second = make_stick(tmp_path / "mnt", "B", folders=["kiosk-export"])
    events = watcher.poll()
    assert set(events) == {StickInserted(first, True, False), StickInserted(second, False, True)}


def test_only_mount_points_count(media):
    make_stick(media, "JUST-A-FOLDER")
    watcher = StickWatcher([str(media / "*")], is_mount=lambda path: False)
    assert watcher.poll() == []


def test_default_roots_cover_desktop_lite_and_hand_mounts():
    roots = usb.DEFAULT_MOUNT_ROOTS
    assert "/media/*/*" in roots and "/run/media/*/*" in roots and "/mnt/*" in roots


def test_the_real_roots_on_this_machine_do_not_crash():
    StickWatcher().poll()


def test_a_stick_pulled_out_while_being_scanned(media, watcher, monkeypatch):
    stick = make_stick(media, "YANKED", files=["a/deck.toml", "b/deck.toml", "c.zip"])
    real_scandir = os.scandir

    class Yanking:
        def __init__(self, path):
            self.inner = real_scandir(path)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.inner.close()

        def __iter__(self):
            for i, entry in enumerate(self.inner):
                if i == 1:
                    shutil.rmtree(stick)
                yield entry

    def scandir(path):
        if isinstance(path, int) or Path(path) != stick:
            return real_scandir(path)
        return Yanking(path)

    monkeypatch.setattr(usb.os, "scandir", scandir)
    assert watcher.poll() == []  # not reported half-read
    monkeypatch.setattr(usb.os, "scandir", real_scandir)
    assert watcher.poll() == []
    assert watcher.sticks == []


def test_a_stick_removed_while_the_kiosk_reads_it(media, watcher):
    """The install job reads from the stick; the stick goes; the watcher says so."""
    stick = make_stick(media, "DECKS", files=["deck-a/deck.toml", "deck-a/1.png"])
    assert watcher.poll() == [StickInserted(stick, True, False)]
    reading = (stick / "deck-a" / "deck.toml").open("rb")
    shutil.rmtree(stick)
    with pytest.raises(FileNotFoundError):
        (stick / "deck-a" / "1.png").read_bytes()
    reading.close()
    assert watcher.poll() == [StickRemoved(stick)]


def test_scan_of_a_vanished_mount_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        scan_stick(tmp_path / "gone")


# ------------------------------------------------------------------ safe removal


class FakeSystem:
    """Records commands; the stick stays mounted until an unmount command 'succeeds'."""

    def __init__(self, mounted=True, fail=()):
        self.mounted = mounted
        self.fail = dict(fail)
        self.commands = []

    def run(self, command):
        command = tuple(command)
        self.commands.append(command)
        if command[0] in self.fail:
            return CommandResult(self.fail[command[0]][0], self.fail[command[0]][1])
        if command[0] in ("umount", "systemd-umount") or command[:2] == ("udisksctl", "unmount"):
            self.mounted = False
        return CommandResult(0, "")

    def is_mount(self, path):
        return self.mounted


def mounts_table(tmp_path, line):
    table = tmp_path / "mounts"
    table.write_text(
        "/dev/mmcblk0p2 / ext4 rw,noatime 0 0\n" + line + "\n", encoding="utf-8"
    )
    return table


def test_udisks_stick_is_synced_unmounted_and_powered_off(tmp_path):
    mount = Path("/media/kiosk/MY STICK")
    table = mounts_table(tmp_path, "/dev/sda1 /media/kiosk/MY\\040STICK vfat rw 0 0")
    system = FakeSystem()
    report = safely_remove(mount, run=system.run, is_mount=system.is_mount, mounts_file=table)
    assert report.safe
    assert report.message == "The USB stick can be removed now."
    assert system.commands == [
        ("sync",),
        ("udisksctl", "unmount", "--no-user-interaction", "--block-device", "/dev/sda1"),
        ("udisksctl", "power-off", "--no-user-interaction", "--block-device", "/dev/sda1"),
    ]


def test_systemd_mount_automount_is_unmounted_with_systemd_umount(tmp_path):
    mount = Path("/run/media/system/DECKS")
    table = mounts_table(
        tmp_path,
        "systemd-1 /run/media/system/DECKS autofs rw 0 0\n"
        "/dev/sdb1 /run/media/system/DECKS vfat rw 0 0",
    )
    system = FakeSystem()
    report = safely_remove(mount, run=system.run, is_mount=system.is_mount, mounts_file=table)
    assert report.safe
    assert system.commands == [("sync",), ("systemd-umount", "/run/media/system/DECKS")]


def test_falls_back_to_umount_when_udisks_refuses(tmp_path):
    table = mounts_table(tmp_path, "/dev/sda1 /media/kiosk/S vfat rw 0 0")
    system = FakeSystem(fail={"udisksctl": (1, "Not authorized")})
    report = safely_remove(
        Path("/media/kiosk/S"), run=system.run, is_mount=system.is_mount, mounts_file=table
    )
    assert report.safe
    assert ("umount", "/media/kiosk/S") in system.commands


def test_a_busy_stick_is_not_safe_to_remove(tmp_path):
    table = mounts_table(tmp_path, "/dev/sda1 /mnt/S vfat rw 0 0")
    busy = (32, "umount: /mnt/S: target is busy.")
    system = FakeSystem(fail={"umount": busy, "udisksctl": (1, "Error unmounting: busy")})
    report = safely_remove(
        Path("/mnt/S"), run=system.run, is_mount=system.is_mount, mounts_file=table
    )
    assert not report.safe
    assert report.message.startswith("Do not remove the USB stick yet")
    assert "still using it" in report.message


def test_a_stick_already_gone_is_safe(tmp_path):
    system = FakeSystem(mounted=False)
    report = safely_remove(Path("/media/kiosk/S"), run=system.run, is_mount=system.is_mount)
    assert report.safe
    assert system.commands == [("sync",)]


def test_mount_source_reads_the_kernel_table(tmp_path):
    table = mounts_table(tmp_path, "/dev/sdc1 /mnt/x vfat rw 0 0")
    assert mount_source(Path("/mnt/x"), table) == "/dev/sdc1"
    assert mount_source(Path("/mnt/y"), table) is None
    assert mount_source(Path("/mnt/x"), tmp_path / "missing") is None


def test_the_real_runner_reports_missing_tools():
    assert usb.run_command(["no-such-command-for-the-kiosk"]).returncode == 127
    assert usb.run_command(["true"]).returncode == 0


def test_every_frame_polling_looks_at_the_disk_once_a_second(media, watcher):
    assert watcher.poll(now=10.0) == []
    stick = make_stick(media, "LATE", files=["x.zip"])
    assert watcher.poll(now=10.5) == []  # too soon to look again
    assert watcher.poll(now=11.0) == [StickInserted(stick, True, False)]
    assert watcher.poll(now=11.1) == []


def test_a_removal_report_reads_as_its_message():
    report = usb.RemovalReport(True, "The USB stick can be removed now.")
    assert f"Copied. {report}" == "Copied. The USB stick can be removed now."
