"""Every apt package setup-pi.sh installs exists in the Debian release it targets, for arm64.

WHY: the script was written from notes and cannot run here, but its package names can be
checked: apt, with a private configuration (its own sources.list, state and cache; nothing
of this machine's apt is read or changed), simulates the install against the real
Debian 12 "bookworm" and 13 "trixie" arm64 indexes from deb.debian.org.

Raspberry Pi OS is Debian plus archive.raspberrypi.com, which is not reachable from CI:
packages only that archive has are listed by the script separately ("pi-archive:") and
must be in PI_ARCHIVE_ONLY below; the test also checks that Debian really lacks them.

The indexes (about 10 MB a release) are kept in /tmp/coffee-kiosk-apt-<date>/, so a run
on the same day reuses them. The tests skip only when the Debian mirror cannot be reached.
Tools: apt (apt-get, apt-cache), dpkg-deb and the debian-archive-keyring package.
"""

import datetime
import fcntl
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

HARDWARE = Path(__file__).resolve().parents[2] / "hardware"
SETUP = HARDWARE / "setup-pi.sh"
MIRROR = "http://deb.debian.org/debian"
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")
CACHE_PREFIX = "coffee-kiosk-apt-"

# Only in archive.raspberrypi.com: python3-lgpio (Pi OS ships it preinstalled; Debian has no
# lgpio at all, checked by test_pi_archive_packages_are_really_not_in_debian).
PI_ARCHIVE_ONLY = {"python3-lgpio"}

CASES = [("trixie", "desktop"), ("trixie", "lite"), ("bookworm", "desktop"),
         ("bookworm", "lite")]

pytestmark = pytest.mark.slow


def need(tool, package):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install {package})")


def setup_packages(release, variant):
    done = subprocess.run(
        ["bash", str(SETUP), "--list-packages", "--release", release, "--variant", variant],
        capture_output=True, text=True, timeout=60, check=True,
    )
    lists = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    return lists["debian"].split(), lists["pi-archive"].split()


def mirror_reachable(release):
    try:
        with urllib.request.urlopen(f"{MIRROR}/dists/{release}/InRelease", timeout=15):
            return True
    except (urllib.error.URLError, OSError):
        return False


def apt_config(root):
    return "\n".join([
        f'Dir::Etc "{root}/etc";',
        f'Dir::State "{root}/state";',
        f'Dir::State::status "{root}/state/status";',
        f'Dir::Cache "{root}/cache";',
        'APT::Architecture "arm64";',
        'APT::Architectures { "arm64"; };',
        'Acquire::Languages "none";',
        'Debug::NoLocking "1";',
        "",
    ])


def forget_older_days(today_folder):
    for folder in today_folder.parent.glob(CACHE_PREFIX + "*"):
        if folder != today_folder:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def apt():
    """apt(release, *args): run apt-get/apt-cache on that release's arm64 Debian indexes."""
    need("apt-get", "apt")
    need("dpkg-deb", "dpkg")
    if not KEYRING.exists():
        pytest.skip(f"{KEYRING} is missing (apt-get install debian-archive-keyring)")
    today = Path(tempfile.gettempdir()) / f"{CACHE_PREFIX}{datetime.date.today().isoformat()}"
    today.mkdir(exist_ok=True)
    forget_older_days(today)
    roots = {}

    def root_for(release):
        if release in roots:
            return roots[release]
        root = today / release
        with open(today / f"{release}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another test run may be fetching the same day
            if not (root / "ready").exists():
                if not mirror_reachable(release):
                    pytest.skip(f"the Debian mirror {MIRROR} cannot be reached from here")
                for sub in ("etc/apt.conf.d", "etc/preferences.d", "etc/sources.list.d",
                            "state/lists/partial", "cache/archives/partial", "debs"):
                    (root / sub).mkdir(parents=True, exist_ok=True)
                (root / "state/status").write_text("", encoding="utf-8")
                (root / "etc/sources.list").write_text(
                    f"deb [arch=arm64 signed-by={KEYRING}] {MIRROR} {release} main\n",
                    encoding="utf-8")
                (root / "apt.conf").write_text(apt_config(root), encoding="utf-8")
                done = run_apt(root, "apt-get", "update", timeout=600)
                assert done.returncode == 0 and "W: " not in done.stderr, done.stderr
                (root / "ready").write_text("", encoding="utf-8")
        roots[release] = root
        return root

    def run(release, *args, timeout=300):
        return run_apt(root_for(release), *args, timeout=timeout)

    run.root_for = root_for
    return run


def run_apt(root, *args, timeout=300):
    return subprocess.run(
        list(args), capture_output=True, text=True, timeout=timeout,
        env={"APT_CONFIG": str(root / "apt.conf"), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
             "LC_ALL": "C"},
    )


def candidate(apt, release, package):
    done = apt(release, "apt-cache", "policy", package)
    for line in done.stdout.splitlines():
        if line.strip().startswith("Candidate:"):
            value = line.split(":", 1)[1].strip()
            return None if value == "(none)" else value
    return None


@pytest.mark.parametrize(("release", "variant"), CASES)
def test_the_install_resolves_in_the_release_it_targets(apt, release, variant):
    debian, pi_archive = setup_packages(release, variant)
    assert debian and set(pi_archive) <= PI_ARCHIVE_ONLY, pi_archive
    done = apt(release, "apt-get", "install", "--simulate", "--no-install-recommends", *debian)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    installed = {line.split()[1] for line in done.stdout.splitlines() if line.startswith("Inst ")}
    missing = [package for package in debian if package not in installed]
    assert missing == [], f"{release}: apt would not install {missing}"


@pytest.mark.parametrize("release", ["bookworm", "trixie"])
def test_pi_archive_packages_are_really_not_in_debian(apt, release):
    for package in PI_ARCHIVE_ONLY:
        assert candidate(apt, release, package) is None, (
            f"Debian {release} now has {package}: move it to the Debian list in setup-pi.sh")


def test_the_reasons_behind_the_pygame_choice_still_hold(apt):
    """Trixie Lite takes apt's pygame (new enough, built for Python 3.13); Bookworm's is too old."""
    trixie = apt("trixie", "apt-cache", "show", "python3-pygame").stdout
    assert "python3 (>= 3.13~)" in trixie, trixie[:800]
    version = candidate(apt, "trixie", "python3-pygame")
    assert tuple(int(n) for n in version.split(".")[:2]) >= (2, 5), version
    bookworm = candidate(apt, "bookworm", "python3-pygame")
    assert tuple(int(n) for n in bookworm.split(".")[:2]) < (2, 5), (
        f"Bookworm's python3-pygame is {bookworm}: setup-pi.sh could use it instead of pygame-ce")


def package_files(apt, release, package):
    """Unpack the arm64 .deb (cached for the day) and return its file list."""
    debs = apt.root_for(release) / "debs"
    found = sorted(debs.glob(f"{package}_*_arm64.deb"))
    if not found:
        done = subprocess.run(
            ["apt-get", "download", package], cwd=debs, capture_output=True, text=True,
            timeout=600, env={"APT_CONFIG": str(apt.root_for(release) / "apt.conf"),
                              "PATH": "/usr/bin:/bin", "LC_ALL": "C"},
        )
        assert done.returncode == 0, done.stderr
        found = sorted(debs.glob(f"{package}_*_arm64.deb"))
    listing = subprocess.run(["dpkg-deb", "--contents", str(found[-1])], capture_output=True,
                             text=True, timeout=120, check=True).stdout
    files = set()
    for line in listing.splitlines():
        name = line.split(None, 5)[5].split(" -> ")[0].lstrip(".")
        # Debian 12 and 13 are merged-/usr (/bin is /usr/bin), though bookworm's packages
        # still ship some files under /bin and /sbin (Debian 12 release notes, "merged-usr").
        for old, new in (("/bin/", "/usr/bin/"), ("/sbin/", "/usr/sbin/")):
            if name.startswith(old):
                name = new + name[len(old):]
        files.add(name)
    return found[-1], files


# Programs the script, the unit, the udev rule and the kiosk call, and the Debian package
# that must provide each in both releases (the kiosk's usb.py calls udisksctl on the
# desktop and systemd-umount on Lite; setup-pi.sh calls udevadm and aplay is its speaker test).
PROGRAMS = [
    ("/usr/bin/systemd-mount", "systemd"),
    ("/usr/bin/systemd-umount", "systemd"),
    ("/usr/bin/udevadm", "udev"),
    ("/usr/bin/espeak-ng", "espeak-ng"),
    ("/usr/bin/aplay", "alsa-utils"),
    ("/usr/bin/udisksctl", "udisks2"),
]


@pytest.mark.parametrize("release", ["bookworm", "trixie"])
def test_the_programs_named_are_where_the_files_say(apt, release):
    for path, package in PROGRAMS:
        _, files = package_files(apt, release, package)
        assert path in files, f"{release}: {package} has no {path}"


def test_trixies_sdl_can_draw_without_a_desktop(apt):
    """Debian's SDL (under apt's pygame on Trixie Lite) has the KMSDRM video driver."""
    deb, files = package_files(apt, "trixie", "libsdl2-2.0-0")
    library = next(f for f in files if "/libSDL2-2.0.so.0." in f)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["dpkg-deb", "-x", str(deb), folder], check=True, timeout=120)
        data = (Path(folder) / library.lstrip("/")).read_bytes()
    assert b"KMSDRM_VideoInit" in data  # the driver SDL_VIDEODRIVER=kmsdrm selects
