#!/usr/bin/env bash
# Run setup-pi.sh for real in a fresh Debian chroot of a release, then check what it left.
#
#   sudo bash hardware/try-in-chroot.sh trixie [lite|desktop] [FOLDER]
#   sudo bash hardware/try-in-chroot.sh bookworm desktop
#
# WHY: the tests only dry-run setup-pi.sh. This runs every step for real on the Debian the
# Pi OS release is built on (this machine's architecture, so no emulator is needed): apt
# installs the packages, the venv is made with --system-site-packages and pip installs the
# kiosk, the unit, drop-in and udev rule are put in place and enabled. Then it checks them
# with systemd-analyze verify and udevadm verify, installs the bundled decks and runs the
# kiosk for 10 s with SDL's dummy drivers. A chroot is not a Pi: there is no GPIO, screen,
# sound, running systemd, raspi-config or Raspberry Pi archive (so no python3-lgpio).
# Needs root, debootstrap and the network (deb.debian.org and PyPI). Takes a few minutes;
# the chroot is kept in FOLDER (default /tmp/kiosk-chroot-RELEASE-VARIANT) for a re-run.
set -euo pipefail

RELEASE=${1:?say trixie or bookworm}
VARIANT=${2:-lite}
ROOT=${3:-/tmp/kiosk-chroot-$RELEASE-$VARIANT}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CHECKOUT=$(dirname "$HERE")
MIRROR=http://deb.debian.org/debian

case "$RELEASE" in bookworm | trixie) ;; *) echo "Release must be bookworm or trixie." >&2; exit 2 ;; esac
case "$VARIANT" in desktop | lite) ;; *) echo "Variant must be desktop or lite." >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "Please run with sudo (debootstrap and chroot need root)." >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "Please install debootstrap (apt-get install debootstrap)." >&2; exit 1; }

say() { printf '\n==> %s\n' "$*"; }
FAILED=0
check() {
    local what=$1
    shift
    if "$@"; then
        printf 'PASS  %s\n' "$what"
    else
        printf 'FAIL  %s\n' "$what"
        FAILED=1
    fi
}
in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
    ${CERT:+PIP_CERT=$CERT SSL_CERT_FILE=$CERT} "$@"; }

if [ ! -x "$ROOT/usr/bin/python3" ]; then
    say "Making a Debian $RELEASE chroot in $ROOT"
    debootstrap --variant=minbase --include=systemd,udev,ca-certificates,python3,passwd \
        "$RELEASE" "$ROOT" "$MIRROR"
fi

# shellcheck disable=SC2317  # called by the EXIT trap
unmount() {
    umount "$ROOT/dev/pts" 2>/dev/null || true
    umount "$ROOT/dev" 2>/dev/null || true
    umount "$ROOT/proc" 2>/dev/null || true
}
trap unmount EXIT
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
mountpoint -q "$ROOT/dev/pts" || mount -t devpts devpts "$ROOT/dev/pts"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

# Behind a proxy with its own certificate authority, pip in the chroot needs it too.
CERT=""
if [ -n "${SSL_CERT_FILE:-}" ] && [ -f "$SSL_CERT_FILE" ]; then
    cp "$SSL_CERT_FILE" "$ROOT/root/host-ca.crt"
    CERT=/root/host-ca.crt
fi

say "Copying the checkout (as it is now) to $ROOT/src"
rm -rf "$ROOT/src"
mkdir -p "$ROOT/src"
git -C "$CHECKOUT" ls-files -z --cached --others --exclude-standard |
    (cd "$CHECKOUT" && tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$ROOT/src"

in_root sh -c 'id kiosk >/dev/null 2>&1 || useradd -m -u 1000 -s /bin/bash kiosk'

say "Running setup-pi.sh for real ($RELEASE, $VARIANT)"
check "setup-pi.sh finishes" in_root bash /src/hardware/setup-pi.sh --user kiosk --variant "$VARIANT"

say "Checking what it left"
UNIT=/etc/systemd/system/coffee-morning-kiosk.service
check "the unit is installed and enabled" test -L "$ROOT/etc/systemd/system/graphical.target.wants/coffee-morning-kiosk.service"
check "systemd-analyze verify accepts the unit" in_root systemd-analyze verify "$UNIT"
if [ "$VARIANT" = lite ]; then
    check "the Lite drop-in is there" test -f "$ROOT$UNIT.d/lite.conf"
    if in_root udevadm verify --help >/dev/null 2>&1; then
        check "udevadm verify accepts the USB rule" \
            in_root udevadm verify /etc/udev/rules.d/99-coffee-morning-kiosk-usb.rules
    else
        printf 'SKIP  udevadm verify (it came in systemd 254; %s has an older one)\n' "$RELEASE"
    fi
fi
# shellcheck disable=SC2016  # $g belongs to the chroot's shell
check "the kiosk's user is in video, render, input and audio" \
    in_root sh -c 'for g in video render input audio; do id -nG kiosk | grep -qw $g || exit 1; done'
check "the venv imports the kiosk and pygame" in_root /opt/coffee-morning-kiosk/venv/bin/python -c \
    'import kiosk, pygame; print("      pygame", pygame.version.ver, "SDL", pygame.get_sdl_version(), "from", pygame.__file__)'
check "the bundled decks install with their narration" in_root runuser -u kiosk -- env \
    KIOSK_HOME=/var/lib/coffee-morning-kiosk /opt/coffee-morning-kiosk/venv/bin/kiosk deck install /src/prototypes
# 124 is timeout's "still running after 10 s": the kiosk started and did not fall over.
check "start-kiosk.sh runs the kiosk for 10 s (dummy screen and sound)" in_root runuser -u kiosk -- \
    env KIOSK_HOME=/var/lib/coffee-morning-kiosk SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
    GPIOZERO_PIN_FACTORY=mock XDG_RUNTIME_DIR=/tmp sh -c \
    'cd /tmp && timeout 10 /opt/coffee-morning-kiosk/hardware/start-kiosk.sh; [ $? = 124 ]'

if [ "$FAILED" = 0 ]; then
    say "All checks passed in the $RELEASE chroot ($VARIANT)"
else
    say "Some checks FAILED in the $RELEASE chroot ($VARIANT): read the output above"
fi
exit "$FAILED"
