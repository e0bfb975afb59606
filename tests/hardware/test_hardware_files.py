"""The appliance files: systemd unit, setup script, udev rule, wiring picture, README pins.

The tools these tests run are apt packages: shellcheck, systemd (systemd-analyze) and bash.
A test whose tool is missing is skipped and says which package would run it.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.buttons import ButtonSettings

HARDWARE = Path(__file__).resolve().parents[2] / "hardware"
SETUP = HARDWARE / "setup-pi.sh"


def need(tool, package):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install {package})")


# ------------------------------------------------------------------ systemd unit


def unit_settings(path):
    settings = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_the_unit_restarts_for_ever_and_finds_gpio_and_sound():
    unit = unit_settings(HARDWARE / "kiosk.service")
    assert unit["Restart"] == ["always"]
    assert unit["RestartSec"] == ["3"]
    assert unit["StartLimitIntervalSec"] == ["0"]
    environment = unit["Environment"]
    assert "GPIOZERO_PIN_FACTORY=lgpio" in environment
    assert any(e.startswith("XDG_RUNTIME_DIR=/run/user/") for e in environment)
    assert unit["WorkingDirectory"] == ["/run/coffee-morning-kiosk"]  # writable, in RAM
    assert unit["RuntimeDirectory"] == ["coffee-morning-kiosk"]
    assert unit["User"] and unit["User"] != ["root"]


def test_systemd_analyze_verify(tmp_path):
    need("systemd-analyze", "systemd")
    units = tmp_path / "units"
    dropins = units / "coffee-morning-kiosk.service.d"
    dropins.mkdir(parents=True)
    fake_start = tmp_path / "start-kiosk.sh"
    fake_start.write_text("#!/bin/sh\n", encoding="utf-8")
    fake_start.chmod(0o755)
    text = (HARDWARE / "kiosk.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/coffee-morning-kiosk/hardware/start-kiosk.sh" in text
    # verify insists that ExecStart exists; here /opt does not, so point it at a stand-in
    text = text.replace("/opt/coffee-morning-kiosk/hardware/start-kiosk.sh", str(fake_start))
    (units / "coffee-morning-kiosk.service").write_text(text, encoding="utf-8")
    shutil.copy(HARDWARE / "kiosk-lite.conf", dropins / "lite.conf")
    done = subprocess.run(
        ["systemd-analyze", "verify", "coffee-morning-kiosk.service"],
        capture_output=True, text=True, timeout=60,
        env={"SYSTEMD_UNIT_PATH": f"{units}:", "PATH": "/usr/bin:/bin"},
    )
    mine = [line for line in done.stderr.splitlines() if "coffee-morning-kiosk" in line]
    if done.returncode != 0 and not mine:
        pytest.skip(f"systemd-analyze cannot run here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0 and mine == [], done.stderr


# ------------------------------------------------------------------ setup script


@pytest.mark.parametrize("script", ["setup-pi.sh", "start-kiosk.sh", "try-in-chroot.sh"])
def test_shellcheck_is_clean(script):
    need("shellcheck", "shellcheck")
    done = subprocess.run(["shellcheck", str(HARDWARE / script)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout


@pytest.fixture
def dry_run():
    need("bash", "bash")

    def run(*args):
        return subprocess.run(
            ["bash", str(SETUP), "--dry-run", *args],
            capture_output=True, text=True, timeout=60,
        )

    return run


@pytest.mark.parametrize("release", ["trixie", "bookworm"])
@pytest.mark.parametrize("edition", ["--desktop", "--lite"])
def test_dry_run_shows_every_step_and_changes_nothing(dry_run, edition, release):
    done = dry_run(edition, "--release", release, "--user", "root")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for expected in (
        "apt-get install -y --no-install-recommends espeak-ng",
        "python3 -m venv --system-site-packages /opt/coffee-morning-kiosk/venv",
        "/opt/coffee-morning-kiosk/venv/bin/pip install",
        "would write /etc/systemd/system/coffee-morning-kiosk.service",
        "raspi-config nonint do_blanking 1",
        "install -d -o root",
        "systemctl enable coffee-morning-kiosk.service",
        "python3-lgpio",
        "nothing was changed",
    ):
        assert expected in out
    assert "User=root" in out and "XDG_RUNTIME_DIR=/run/user/0" in out
    for line in out.splitlines():
        if line.startswith("    ") and not line.strip().startswith(("would", "|")):
            assert not line.strip().startswith(("apt-get", "systemctl", "usermod"))
    if edition == "--lite":
        assert "would write /etc/udev/rules.d/99-coffee-morning-kiosk-usb.rules" in out
        assert "uid=0,gid=0" in out
        assert "systemctl add-wants multi-user.target" in out
        assert "do_boot_behaviour B1" in out and "pipewire" not in out
        # Trixie: apt's pygame (KMSDRM SDL); Bookworm's is too old, so pygame-ce's wheel.
        assert ("pygame-ce" in out) == (release == "bookworm")
        assert (" python3-pygame" in out) == (release == "trixie")
    else:
        assert "do_boot_behaviour B4" in out
        assert "pipewire-pulse" in out and "udisks2" in out
        assert "udev/rules.d/99-coffee-morning-kiosk-usb.rules (mode" not in out
        assert "pygame-ce" not in out and " python3-pygame" not in out


def test_setup_script_help_and_bad_options(dry_run):
    assert subprocess.run(["bash", str(SETUP), "--help"], capture_output=True,
                          timeout=30).returncode == 0
    done = subprocess.run(["bash", str(SETUP), "--frobnicate"], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 2 and "Unknown option" in done.stderr
    done = dry_run("--release", "bullseye")
    assert done.returncode == 1 and "Trixie or Bookworm" in done.stderr and not done.stdout
    done = dry_run("--release", "trixie", "--variant", "server")
    assert done.returncode == 1 and "desktop or lite" in done.stderr


# ------------------------------------------------------------------ udev rule


def test_usb_rule_uses_systemd_mount_without_blocking_udev():
    lines = [
        line for line in (HARDWARE / "usb-automount.rules").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert lines
    for line in lines:
        assert "/usr/bin/systemd-mount --no-block --automount=yes" in line
        assert 'ACTION=="add"' in line and 'SUBSYSTEM=="block"' in line
    assert any("uid=@UID@" in line for line in lines)


def test_udevadm_verify_accepts_the_usb_rule(tmp_path):
    need("udevadm", "udev")
    if subprocess.run(["udevadm", "verify", "--help"], capture_output=True,
                      timeout=30).returncode != 0:
        pytest.skip("this udevadm has no 'verify' (it came in systemd 254; Debian 13 has it)")
    rule = tmp_path / "99-coffee-morning-kiosk-usb.rules"
    text = (HARDWARE / "usb-automount.rules").read_text(encoding="utf-8")
    rule.write_text(text.replace("@UID@", "1000").replace("@GID@", "1000"), encoding="utf-8")
    done = subprocess.run(["udevadm", "verify", str(rule)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


# ------------------------------------------------------------------ wiring and pins


def test_wiring_picture_is_drawn_from_the_default_pins(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("draw_wiring", HARDWARE / "draw_wiring.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "wiring.png"
    assert module.main(["draw_wiring.py", str(out)]) == 0
    from PIL import Image

    with Image.open(out) as image:
        assert image.size == (module.WIDTH, module.HEIGHT)
    with Image.open(HARDWARE / "wiring.png") as committed:
        assert committed.size == (module.WIDTH, module.HEIGHT)


def test_the_drawing_knows_the_header_as_gpiozero_does():
    import importlib.util

    from gpiozero.pins.mock import MockFactory

    spec = importlib.util.spec_from_file_location("draw_wiring2", HARDWARE / "draw_wiring.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    factory = MockFactory()
    try:
        for gpio, physical in module.PIN_OF_GPIO.items():
            ((header, info),) = list(factory.board_info.find_pin(f"GPIO{gpio}"))
            assert (header.name, info.number) == ("J8", physical)
        pins = factory.board_info.headers["J8"].pins
        assert {n for n, info in pins.items() if info.name == "GND"} == set(module.GROUND_PINS)
        assert {n for n, info in pins.items() if info.name == "5V"} == set(module.FIVE_VOLT_PINS)
    finally:
        factory.close()


def test_readme_pin_table_matches_the_defaults():
    readme = (HARDWARE / "README.md").read_text(encoding="utf-8")
    s = ButtonSettings()
    rows = {
        "Green button": (s.green_pin, 29), "Red button": (s.red_pin, 31),
        "Hear again (optional)": (s.replay_pin, 37), "Green lamp": (s.green_lamp_pin, 16),
        "Red lamp": (s.red_lamp_pin, 18),
    }
    for what, (gpio, pin) in rows.items():
        assert re.search(rf"\| {re.escape(what)} \| GPIO{gpio} \| {pin} \|", readme), what
    for key in ("green_pin = 5", "red_pin = 6", "replay_pin = 26", "debounce_ms = 30",
                "min_seconds_between_answers = 0.8", "hold_seconds = 3", "stuck_seconds = 60"):
        assert key in readme
    assert "overlayroot=tmpfs:recurse=0" in readme
