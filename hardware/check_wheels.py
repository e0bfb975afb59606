"""Which of the kiosk's Pi dependencies pip can install as a ready-made wheel on Pi OS.

    python hardware/check_wheels.py            prints the table for hardware/README.md

WHY: a package with no wheel for the Pi's Python and CPU makes pip build it from source
on the Pi (slow, needs compilers, and for pygame or lgpio usually fails). setup-pi.sh
installs the Debian package for those instead, and the venv sees it through
--system-site-packages. This script asks PyPI (through `pip download --only-binary=:all:`
for another platform) so the table in the README can be checked again at any time.

Only PyPI is asked. Raspberry Pi OS also lists piwheels.org in /etc/pip.conf, which has
extra 32-bit (armv7l) wheels; this script cannot see those.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

# What `pip install .` puts on the Pi (setup.cfg install_requires without the designer
# and authoring extras), plus the two packages setup-pi.sh may add: pygame-ce on Lite
# (its SDL can draw without a desktop) and lgpio (gpiozero's pin driver).
PACKAGES = ("pygame", "pygame-ce", "pyttsx3", "gpiozero", "tinydb", "pillow", "lgpio")

# Bookworm ships Python 3.11, Trixie Python 3.13 (packages.debian.org: python3).
PYTHONS = ("3.11", "3.13")

# 64-bit Pi OS (arm64) and 32-bit Pi OS (armhf, which runs armv7l on a Pi 4/5/Zero 2 W).
# pip takes several --platform tags; glibc is 2.36 on Bookworm and 2.41 on Trixie, so
# every manylinux tag up to 2_28 below is usable there.
PLATFORMS = {
    "arm64": ("manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64",
              "linux_aarch64"),
    "armhf": ("manylinux_2_28_armv7l", "manylinux_2_17_armv7l", "manylinux2014_armv7l",
              "linux_armv7l"),
}


def find_wheel(package: str, python: str, platform_tags: tuple[str, ...]) -> str:
    """The wheel file pip would take from PyPI, or '' when there is none."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                   "--only-binary=:all:", "--python-version", python,
                   "--implementation", "cp", "--dest", folder, "--disable-pip-version-check"]
        for tag in platform_tags:
            command += ["--platform", tag]
        command.append(package)
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        wheels = sorted(p.name for p in Path(folder).glob("*.whl"))
        if done.returncode == 0 and wheels:
            return wheels[0]
        if "No matching distribution" in done.stderr or "from versions: none" in done.stderr:
            return ""
        if done.returncode != 0 and "Could not find a version" not in done.stderr:
            raise RuntimeError(f"pip could not ask PyPI about {package}: {done.stderr.strip()}")
        return ""


def table() -> list[str]:
    columns = [(arch, python) for arch in PLATFORMS for python in PYTHONS]
    lines = ["| Package | " + " | ".join(f"{arch}, Python {py}" for arch, py in columns) + " |",
             "|---|" + "---|" * len(columns)]
    for package in PACKAGES:
        cells = []
        for arch, python in columns:
            wheel = find_wheel(package, python, PLATFORMS[arch])
            cells.append(f"`{wheel}`" if wheel else "**no wheel**")
        lines.append(f"| {package} | " + " | ".join(cells) + " |")
    return lines


def main() -> int:
    try:
        lines = table()
    except (RuntimeError, subprocess.TimeoutExpired) as problem:
        print(f"Could not check the wheels: {problem}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
