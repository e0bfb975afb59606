"""hardware/check_wheels.py, and the wheel facts setup-pi.sh is built on.

setup-pi.sh takes lgpio from apt because PyPI has no lgpio wheel for Python 3.13 (Trixie)
while it has one for 3.11 (Bookworm), and pygame from PyPI on the desktop because it has
arm64 wheels for both. If PyPI changes, these tests say so. They ask PyPI (through pip)
and skip only when PyPI cannot be reached.
"""

import importlib.util
import urllib.error
import urllib.request
from pathlib import Path

import pytest

HARDWARE = Path(__file__).resolve().parents[2] / "hardware"


def load_check_wheels():
    spec = importlib.util.spec_from_file_location("check_wheels", HARDWARE / "check_wheels.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_covers_what_pip_install_puts_on_the_pi():
    wheels = load_check_wheels()
    names = [r.split(">")[0].split("=")[0].split("<")[0] for r in wheels.requirements()]
    for needed in ("pygame", "pyttsx3", "gpiozero", "tinydb", "pillow", "lgpio", "pygame-ce"):
        assert needed in names
    assert wheels.platform_tags("aarch64", 36)[0] == "manylinux_2_36_aarch64"
    assert "manylinux_2_17_aarch64" in wheels.platform_tags("aarch64", 36)
    assert "manylinux_2_37_aarch64" not in wheels.platform_tags("aarch64", 36)


@pytest.fixture(scope="module")
def pypi():
    try:
        with urllib.request.urlopen("https://pypi.org/simple/lgpio/", timeout=15):
            pass
    except (urllib.error.URLError, OSError):
        pytest.skip("PyPI (https://pypi.org) cannot be reached from here")
    return load_check_wheels()


@pytest.mark.slow
def test_lgpio_has_a_wheel_for_bookworm_but_not_for_trixie(pypi):
    bookworm = pypi.find_wheel("lgpio>=0.2.2", "3.11", pypi.platform_tags("aarch64", 36))
    trixie = pypi.find_wheel("lgpio>=0.2.2", "3.13", pypi.platform_tags("aarch64", 41))
    assert bookworm.startswith("lgpio-") and "cp311" in bookworm and "aarch64" in bookworm
    assert trixie == "", f"PyPI now has {trixie}: setup-pi.sh could take lgpio from pip"


@pytest.mark.slow
def test_pygame_has_arm64_wheels_for_both_releases(pypi):
    for python, glibc in (("3.11", 36), ("3.13", 41)):
        wheel = pypi.find_wheel("pygame>=2.5", python, pypi.platform_tags("aarch64", glibc))
        assert "aarch64" in wheel and f"cp{python.replace('.', '')}" in wheel, wheel
