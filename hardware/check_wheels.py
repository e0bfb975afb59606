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

import configparser
import subprocess
import sys
import tempfile
from pathlib import Path

SETUP_CFG = Path(__file__).resolve().parents[1] / "setup.cfg"

# Besides the kiosk's own requirements (setup.cfg install_requires: what `pip install .`
# puts on the Pi), the two packages setup-pi.sh may add: pygame-ce on Bookworm Lite (its
# SDL can draw without a desktop) and lgpio (gpiozero's pin driver). lgpio 0.0.0.2 is an
# empty placeholder wheel pip would otherwise "find" everywhere (gpiozero/gpiozero#1038).
SETUP_PI_EXTRAS = ("pygame-ce>=2.5", "lgpio>=0.2.2")


def requirements() -> tuple[str, ...]:
    """The kiosk's install_requires, read from setup.cfg, then setup-pi.sh's extras."""
    config = configparser.ConfigParser(inline_comment_prefixes=("#",))
    config.read(SETUP_CFG, encoding="utf-8")
    listed = config["options"]["install_requires"].split("\n")
    return (*(line.strip() for line in listed if line.strip()), *SETUP_PI_EXTRAS)


# (column title, Python, CPU, glibc 2.x). Bookworm ships Python 3.11 and glibc 2.36, Trixie
# Python 3.13 and glibc 2.41 (packages.debian.org: python3, libc6). 64-bit Pi OS is arm64
# (aarch64); 32-bit Pi OS is armhf, armv7l on a Pi 4, Pi 5 or Zero 2 W.
TARGETS = (
    ("Bookworm arm64", "3.11", "aarch64", 36),
    ("Trixie arm64", "3.13", "aarch64", 41),
    ("Bookworm armhf", "3.11", "armv7l", 36),
    ("Trixie armhf", "3.13", "armv7l", 41),
)


def platform_tags(cpu: str, glibc_minor: int) -> tuple[str, ...]:
    """Every wheel platform tag this system can run: pip needs them spelled out."""
    tags = [f"manylinux_2_{minor}_{cpu}" for minor in range(glibc_minor, 16, -1)]
    return (*tags, f"manylinux2014_{cpu}", f"linux_{cpu}")


def find_wheel(requirement: str, python: str, tags: tuple[str, ...]) -> str:
    """The wheel file pip would take from PyPI, or '' when there is none."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                   "--only-binary=:all:", "--python-version", python,
                   "--implementation", "cp", "--dest", folder, "--disable-pip-version-check"]
        for tag in tags:
            command += ["--platform", tag]
        command.append(requirement)
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        wheels = sorted(p.name for p in Path(folder).glob("*.whl"))
        if done.returncode == 0 and wheels:
            return wheels[0]
        if "No matching distribution" in done.stderr or "from versions: none" in done.stderr:
            return ""
        if done.returncode != 0 and "Could not find a version" not in done.stderr:
            raise RuntimeError(f"pip could not ask PyPI about {requirement}: {done.stderr.strip()}")
        return ""


def table() -> list[str]:
    """The Markdown table: one row per requirement, one column per Pi OS target."""
    lines = ["| Requirement | " + " | ".join(
                 f"{title} (Python {python})" for title, python, _, _ in TARGETS) + " |",
             "|---|" + "---|" * len(TARGETS)]
    for requirement in requirements():
        cells = []
        for _, python, cpu, glibc_minor in TARGETS:
            wheel = find_wheel(requirement, python, platform_tags(cpu, glibc_minor))
            cells.append(f"`{wheel}`" if wheel else "**no wheel**")
        lines.append(f"| `{requirement}` | " + " | ".join(cells) + " |")
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
