"""setup-pi.sh on each Raspberry Pi OS it targets: what it detects, and every path it names.

The Pi's own package database and /etc/os-release cannot exist here, so they are the only
things faked: an os-release file (SETUP_PI_OS_RELEASE) and a dpkg/dpkg-query on PATH that
answer as a Pi would. Everything else is the real script in --dry-run.

start-kiosk.sh is run for real against real Unix sockets standing in for the compositor's.
"""

import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

HARDWARE = Path(__file__).resolve().parents[2] / "hardware"
SETUP = HARDWARE / "setup-pi.sh"
START = HARDWARE / "start-kiosk.sh"

OS_RELEASE = {
    # /etc/os-release of Raspberry Pi OS (Debian's, with the Pi OS build's values).
    "trixie": 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nNAME="Debian GNU/Linux"\n'
              'VERSION_ID="13"\nVERSION="13 (trixie)"\nVERSION_CODENAME=trixie\nID=debian\n',
    "bookworm": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n'
                'VERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\n'
                'ID=debian\n',
    "bullseye": 'VERSION_CODENAME=bullseye\nID=debian\n',
}


def need(tool, package):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install {package})")


@pytest.fixture
def pi(tmp_path):
    """pi(release, installed_packages, arch): run setup-pi.sh --dry-run as on that Pi."""
    need("bash", "bash")

    def run(release, installed=(), arch="arm64", *args):
        fakes = tmp_path / "bin"
        fakes.mkdir(exist_ok=True)
        os_release = tmp_path / "os-release"
        os_release.write_text(OS_RELEASE[release], encoding="utf-8")
        # dpkg-query -W -f='${Status}' NAME: "install ok installed" for the Pi's packages.
        (fakes / "dpkg-query").write_text(
            "#!/bin/sh\nfor p in " + " ".join(installed) + '; do [ "$p" = "$3" ] && '
            "printf 'install ok installed' && exit 0; done\nexit 1\n", encoding="utf-8")
        (fakes / "dpkg").write_text(f"#!/bin/sh\necho {arch}\n", encoding="utf-8")
        for fake in fakes.iterdir():
            fake.chmod(0o755)
        return subprocess.run(
            ["bash", str(SETUP), "--dry-run", "--user", "pi", *args],
            capture_output=True, text=True, timeout=60,
            env={**os.environ, "PATH": f"{fakes}:{os.environ['PATH']}",
                 "SETUP_PI_OS_RELEASE": str(os_release)},
        )

    return run


# ------------------------------------------------------------------ detection


@pytest.mark.parametrize(("release", "installed", "found"), [
    # Pi OS desktop images have lightdm and the compositor; Bookworm's also the
    # raspberrypi-ui-mods meta-package. Lite has none of them.
    ("trixie", ("lightdm", "labwc"), "trixie (desktop), Python 3.13"),
    ("trixie", ("systemd", "openssh-server"), "trixie (lite), Python 3.13"),
    ("bookworm", ("raspberrypi-ui-mods", "wayfire"), "bookworm (desktop), Python 3.11"),
    ("bookworm", ("labwc",), "bookworm (desktop), Python 3.11"),
    ("bookworm", (), "bookworm (lite), Python 3.11"),
])
def test_release_and_variant_are_found_on_the_pi(pi, release, installed, found):
    done = pi(release, installed)
    assert done.returncode == 0, done.stderr
    assert f"Raspberry Pi OS {found}" in done.stdout


def test_an_older_release_or_32_bit_os_is_refused_with_what_to_do(pi):
    done = pi("bullseye")
    assert done.returncode == 1 and "bullseye" in done.stderr and "Trixie" in done.stderr
    assert done.stdout == ""
    done = pi("trixie", (), "armhf")
    assert done.returncode == 1 and "64-bit image" in done.stderr and done.stdout == ""


# ------------------------------------------------------------------ paths, per release
#
# Where each file lives on each Raspberry Pi OS (sources in the comments; PI-NOTES is
# /work/shared/PI-NOTES.md, "README" hardware/README.md).
UNIT = "/etc/systemd/system/coffee-morning-kiosk.service"
PATHS = {
    # Bookworm moved the boot partition to /boot/firmware, Trixie kept it there
    # (raspberrypi/documentation config_txt; PI-NOTES §7 "Edit cmdline.txt by hand").
    "cmdline": {"bookworm": "/boot/firmware/cmdline.txt", "trixie": "/boot/firmware/cmdline.txt"},
    # Debian's python3 (packages.debian.org): 3.11 in bookworm, 3.13 in trixie.
    "python": {"bookworm": "Python 3.11", "trixie": "Python 3.13"},
}
EVERY_VARIANT = {
    UNIT,  # systemd.unit(5): local units
    f"{UNIT}.d",  # the drop-in folder (lite.conf only on Lite)
    "/opt/coffee-morning-kiosk",
    "/opt/coffee-morning-kiosk/venv",
    "/opt/coffee-morning-kiosk/venv/bin/pip",
    "/opt/coffee-morning-kiosk/hardware",
    "/opt/coffee-morning-kiosk/hardware/start-kiosk.sh",  # the unit's ExecStart
    "/var/lib/coffee-morning-kiosk",
    # Lite writes these two, the desktop removes them (a Pi switched from Lite to desktop)
    f"{UNIT}.d/lite.conf",
    "/etc/udev/rules.d/99-coffee-morning-kiosk-usb.rules",
}
ONLY_LITE = {
    "/etc/asound.conf",  # system-wide: root's service never reads ~/.asoundrc (PI-NOTES §3)
}
# Places that are wrong on Bookworm and Trixie: pre-Bookworm boot files, per-user ALSA
# settings (PI-NOTES §3), the X-only LXDE autostart that labwc never reads (PI-NOTES §5),
# and a user unit on graphical-session.target, never started on Pi OS (PI-NOTES §5).
NEVER = ("/boot/cmdline.txt", "/boot/config.txt", ".asoundrc", "/etc/xdg/lxsession",
         "graphical-session.target", "/.config/systemd/user")


def named_paths(out):
    """Every absolute path in the commands and files the dry run would run or write."""
    paths = set()
    for line in out.splitlines():
        if line.startswith("    would"):
            paths |= set(re.findall(r"(?<![\w.])(/(?:etc|boot|opt|var|run|home)/[^\s'\"():]*)",
                                    line))
    return {p.rstrip("/") for p in paths}


@pytest.mark.parametrize("release", ["bookworm", "trixie"])
@pytest.mark.parametrize("variant", ["desktop", "lite"])
def test_every_path_is_the_right_one_for_the_release(pi, release, variant):
    done = pi(release, (), "arm64", "--release", release, "--variant", variant,
              "--sound-card", "vc4hdmi0")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert PATHS["python"][release] in out
    paths = named_paths(out)
    expected = set(EVERY_VARIANT)
    if variant == "lite":
        expected |= ONLY_LITE | {PATHS["cmdline"][release]}
    else:
        # pcmanfm's per-user copy of each /etc/xdg/pcmanfm profile would be named here on a Pi.
        paths = {p for p in paths if not p.startswith("/home/pi/.config/pcmanfm")}
    assert paths == expected
    settings = "\n".join(line for line in out.splitlines()
                         if not line.lstrip(" |").startswith("#"))  # comments may name them
    for wrong in NEVER:
        assert wrong not in settings, wrong
    # The service shares the kiosk user's runtime folder (PipeWire's sockets, the Wayland
    # socket, and on Lite the logind session's): /run/user/<uid> (PI-NOTES §3, §5).
    assert "Environment=XDG_RUNTIME_DIR=/run/user/1000" in out
    assert "WAYLAND_DISPLAY=wayland-" not in out  # start-kiosk.sh looks for the socket
    if variant == "lite":
        assert 'defaults.pcm.!card "vc4hdmi0"' in out


# ------------------------------------------------------------------ start-kiosk.sh


@pytest.fixture
def start(tmp_path):
    """start(runtime_sockets, x_sockets, env): run start-kiosk.sh with a stand-in kiosk."""
    need("sh", "dash")
    runtime = tmp_path / "run-user"
    xdir = tmp_path / "X11-unix"
    runtime.mkdir()
    xdir.mkdir()
    kiosk = tmp_path / "kiosk"
    kiosk.write_text('#!/bin/sh\necho "args=$* driver=$SDL_VIDEODRIVER '
                     'wayland=${WAYLAND_DISPLAY:-} display=${DISPLAY:-}"\n', encoding="utf-8")
    kiosk.chmod(0o755)
    listeners = []

    def listen(path):
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        server.listen(1)
        listeners.append(server)

    def run(runtime_sockets=(), x_sockets=(), **env):
        for name in runtime_sockets:
            listen(runtime / name)
        for name in x_sockets:
            listen(xdir / name)
        base = {"PATH": os.environ["PATH"], "XDG_RUNTIME_DIR": str(runtime),
                "X11_SOCKET_DIR": str(xdir), "KIOSK_BIN": str(kiosk)}
        return subprocess.run(["sh", str(START)], capture_output=True, text=True, timeout=30,
                              env={**base, **env})

    yield run
    for server in listeners:
        server.close()


def test_labwc_wayland_socket_is_used_natively(start):
    done = start(["wayland-0"], ["X0"])  # labwc, with Xwayland's :0 as well
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "args=run driver=wayland wayland=wayland-0 display="


def test_wayfire_socket_is_found_under_its_own_name(start):
    done = start(["wayland-1"])  # Wayfire on Bookworm (raspberrypi/bookworm-feedback#219)
    assert "driver=wayland wayland=wayland-1" in done.stdout, done.stderr


def test_an_x11_desktop_is_used_when_there_is_no_wayland(start):
    done = start([], ["X0"])
    assert done.stdout.strip() == "args=run driver=x11 wayland= display=:0", done.stderr


def test_a_file_that_is_not_a_socket_is_not_a_desktop(start, tmp_path):
    (tmp_path / "run-user" / "wayland-0").write_text("", encoding="utf-8")
    done = start()
    assert done.returncode == 75 and done.stdout == ""


def test_no_desktop_yet_exits_for_systemd_to_try_again(start):
    done = start()
    assert done.returncode == 75  # EX_TEMPFAIL; Restart=always tries again after RestartSec
    assert "No desktop to draw on yet" in done.stderr and "do_boot_behaviour B4" in done.stderr
    assert done.stdout == ""  # the kiosk was not started


def test_lite_keeps_the_drop_ins_kmsdrm(start):
    done = start(["wayland-0"], SDL_VIDEODRIVER="kmsdrm")
    assert done.stdout.strip() == "args=run driver=kmsdrm wayland= display=", done.stderr


def test_the_readme_lists_the_packages_the_script_installs():
    """hardware/README.md's table of apt packages is what --list-packages prints."""
    readme = (HARDWARE / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| apt (Debian) |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
    trixie = [("trixie", "desktop"), ("trixie", "lite")]
    for cell, (release, variant) in zip(cells[:2], trixie, strict=True):
        done = subprocess.run(
            ["bash", str(SETUP), "--list-packages", "--release", release, "--variant", variant],
            capture_output=True, text=True, timeout=60, check=True)
        debian = done.stdout.splitlines()[0].removeprefix("debian: ").split()
        assert sorted(cell.replace("*", "").replace(",", " ").split()) == sorted(debian)
    pi_row = next(line for line in readme.splitlines()
                  if line.startswith("| apt (Raspberry Pi archive only) |"))
    assert pi_row.count("python3-lgpio") == 4


def test_alsa_reads_the_sound_card_setting_by_name(pi, tmp_path):
    """The /etc/asound.conf setup-pi.sh writes on Lite, read by the real alsa-lib.

    alsa.conf loads /etc/asound.conf and ~/.asoundrc with the same hook, so the file is
    tried as a ~/.asoundrc. There is no vc4hdmi0 card here: ALSA saying it cannot find
    that card by name shows the setting was read; a mistake reads "card is not a string".
    """
    need("aplay", "alsa-utils")
    done = pi("trixie", (), "arm64", "--release", "trixie", "--variant", "lite",
              "--sound-card", "vc4hdmi0")
    lines = done.stdout.splitlines()
    start = lines.index("    would write /etc/asound.conf (mode 0644):") + 1
    conf = []
    for line in lines[start:]:
        if not line.startswith("      | "):
            break
        conf.append(line.removeprefix("      | "))
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text("\n".join(conf) + "\n", encoding="utf-8")
    played = subprocess.run(["aplay", "-q", "-D", "default", "-d", "1", "/dev/zero"],
                            capture_output=True, text=True, timeout=30,
                            env={"HOME": str(home), "PATH": os.environ["PATH"]})
    assert "cannot find card 'vc4hdmi0'" in played.stderr, played.stderr
    assert "not a string" not in played.stderr and "Invalid argument" not in played.stderr
