#!/usr/bin/env bash
# Turn a fresh 64-bit Raspberry Pi OS into a coffee-morning kiosk. Pi 4, Pi 5, Pi Zero 2 W.
#
#   Trixie (Debian 13, Python 3.13)   Desktop (labwc) or Lite (no desktop)
#   Bookworm (Debian 12, Python 3.11) Desktop (labwc or Wayfire); Lite works the same way
#
#   sudo bash hardware/setup-pi.sh             set everything up (run it from the checkout)
#   bash hardware/setup-pi.sh --dry-run        only print what it would do
#
# Safe to run again: each step either changes nothing or puts the same thing in place.
# Where each choice comes from is in hardware/README.md and /work/shared/PI-NOTES.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CHECKOUT=$(dirname "$HERE")
APP_DIR=/opt/coffee-morning-kiosk
VENV=$APP_DIR/venv
DATA_DIR=/var/lib/coffee-morning-kiosk
UNIT=coffee-morning-kiosk.service
OS_RELEASE=${SETUP_PI_OS_RELEASE:-/etc/os-release}
# Bookworm and Trixie both keep the boot partition at /boot/firmware (raspberrypi/documentation
# config_txt "Location"; /boot/cmdline.txt is the Bullseye-and-older place).
CMDLINE=/boot/firmware/cmdline.txt
DRY_RUN=0
LIST_PACKAGES=0
KIOSK_USER=""
RELEASE=""
VARIANT=""
SOUND_CARD=""
PRETENDING=0

usage() {
    cat <<EOF
Usage: sudo bash $0 [--dry-run] [--user NAME] [--data DIR] [--sound-card ID]
                    [--release bookworm|trixie] [--variant desktop|lite] [--list-packages]

  --dry-run        print every command and file, change nothing (no root needed)
  --user           the account the kiosk runs as (default: the user who ran sudo,
                   else the first user, id 1000)
  --data           the kiosk's data folder (default: $DATA_DIR); for a read-only
                   root, make this a separate partition (see hardware/README.md)
  --sound-card     Lite only: the ALSA card to speak through, by its id as in
                   'aplay -l' (default: a USB speaker if one is plugged in, else HDMI)
  --release        pretend to be this Raspberry Pi OS release (found in $OS_RELEASE)
  --variant        pretend to be the Desktop or the Lite image (found from the
                   installed packages); --desktop and --lite say the same
  --list-packages  print the apt packages for this release and variant, then stop
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) DRY_RUN=1 ;;
        --list-packages) LIST_PACKAGES=1 ;;
        --user) KIOSK_USER=${2:?--user needs a name}; shift ;;
        --data) DATA_DIR=${2:?--data needs a folder}; shift ;;
        --sound-card) SOUND_CARD=${2:?--sound-card needs a card id}; shift ;;
        --release) RELEASE=${2:?--release needs bookworm or trixie}; PRETENDING=1; shift ;;
        --variant) VARIANT=${2:?--variant needs desktop or lite}; shift ;;
        --lite) VARIANT=lite ;;
        --desktop) VARIANT=desktop ;;
        -h | --help) usage; exit 0 ;;
        *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

say() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
fail() { printf '%s\n' "$*" >&2; exit 1; }

# Every change goes through run or put, so --dry-run can show it instead of doing it.
run() {
    if [ "$DRY_RUN" = 1 ]; then
        printf '    would run:'
        printf ' %q' "$@"
        printf '\n'
    else
        printf '    running:'
        printf ' %q' "$@"
        printf '\n'
        "$@"
    fi
}

# put DEST MODE: write standard input to DEST (atomically), or show it in a dry run.
put() {
    local dest=$1 mode=$2 tmp
    if [ "$DRY_RUN" = 1 ]; then
        printf '    would write %s (mode %s):\n' "$dest" "$mode"
        sed 's/^/      | /'
        return
    fi
    tmp=$(mktemp "$dest.XXXXXX")
    cat >"$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$dest"
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

# In a chroot (an SD card image being built) there is no running systemd or udev: unit
# files and rules are still put in place and enabled, and take effect at the next boot.
systemd_running() { [ "$DRY_RUN" = 1 ] || [ -d /run/systemd/system ]; }
udev_running() { [ "$DRY_RUN" = 1 ] || [ -S /run/udev/control ]; }

# ------------------------------------------------------------------ which system is this

find_release() {
    if [ -z "$RELEASE" ]; then
        [ -r "$OS_RELEASE" ] || fail "Cannot read $OS_RELEASE: say which release with --release trixie (or bookworm)."
        # shellcheck source=/dev/null
        RELEASE=$(. "$OS_RELEASE" && echo "${VERSION_CODENAME:-unknown}")
    fi
    case "$RELEASE" in
        bookworm) PYTHON_VERSION=3.11 ;;
        trixie) PYTHON_VERSION=3.13 ;;
        *) fail "This is '$RELEASE'. The kiosk is set up on Raspberry Pi OS Trixie or Bookworm; flash one of those (see hardware/README.md)." ;;
    esac
}

find_variant() {
    if [ -z "$VARIANT" ]; then
        # The Desktop image always has a display manager and a compositor; Lite has neither.
        # (Bookworm's desktop meta-package is raspberrypi-ui-mods; the compositors are
        # labwc, since October 2024, or Wayfire; Trixie's desktop is labwc.)
        VARIANT=lite
        local package
        for package in lightdm labwc wayfire raspberrypi-ui-mods; do
            if installed "$package"; then
                VARIANT=desktop
            fi
        done
    fi
    case "$VARIANT" in
        desktop | lite) ;;
        *) fail "--variant must be desktop or lite, not '$VARIANT'." ;;
    esac
}

find_architecture() {
    local arch
    arch=$(dpkg --print-architecture 2>/dev/null || echo unknown)
    if [ "$arch" = armhf ] && [ "$PRETENDING" = 0 ]; then
        fail "This is 32-bit Raspberry Pi OS. pygame and Pillow have no 32-bit wheels on PyPI: flash the 64-bit image instead (a Pi 4, a Pi 5 and a Pi Zero 2 W all run it)."
    fi
}

# ------------------------------------------------------------------ what apt installs
#
# Packages from Debian itself are checked against the Debian archive for arm64 by
# tests/hardware/test_debian_packages.py. PI_ARCHIVE_PACKAGES come only from
# archive.raspberrypi.com (already listed in Raspberry Pi OS's sources).

choose_packages() {
    # espeak-ng speaks (pyttsx3 loads libespeak-ng1); aplay tests a speaker; the venv
    # module is a separate package on Debian. The fonts come with the kiosk.
    # SDL draws through EGL/GLES on the Pi's GPU (mesa's vc4/v3d) on Wayland and on KMSDRM
    # alike, and opens those libraries itself, so nothing else pulls them in.
    DEBIAN_PACKAGES=(espeak-ng libespeak-ng1 alsa-utils python3-venv
                     libegl1 libgles2 libgl1-mesa-dri)
    # gpiozero's pin driver. There is no lgpio wheel for Python 3.13 (hardware/README.md,
    # "Wheels"), and Pi OS ships python3-lgpio: the venv sees it (--system-site-packages).
    PI_ARCHIVE_PACKAGES=(python3-lgpio)
    PYGAME_FROM=wheel
    if [ "$VARIANT" = desktop ]; then
        # Sound goes through the desktop user's PipeWire; the SDL in pygame's wheel has no
        # PipeWire driver and reaches it through pipewire-pulse with libpulse0 (PI-NOTES §1).
        # Its Wayland driver opens the wayland and xkbcommon libraries itself.
        # udisksctl unmounts sticks the desktop mounted.
        DEBIAN_PACKAGES+=(pipewire-pulse libpulse0 libwayland-client0 libwayland-cursor0
                          libwayland-egl1 libxkbcommon0 udisks2)
    else
        if [ "$RELEASE" = trixie ]; then
            # Debian's pygame 2.6.1 uses Debian's SDL 2.32, which has KMSDRM (the PyPI wheel
            # has not): the venv takes it through --system-site-packages.
            DEBIAN_PACKAGES+=(python3-pygame)
            PYGAME_FROM=debian
        else
            # Bookworm's python3-pygame is 2.1.2, older than the kiosk needs: pygame-ce's
            # wheel has KMSDRM and gives the same "import pygame".
            PYGAME_FROM=pygame-ce
        fi
    fi
}

# ------------------------------------------------------------------ steps

preflight() {
    say "Checking this machine"
    if [ "$DRY_RUN" = 0 ] && [ "$(id -u)" -ne 0 ]; then
        fail "Please run with sudo: sudo bash $0 (or add --dry-run to only look)."
    fi
    note "Raspberry Pi OS $RELEASE ($VARIANT), Python $PYTHON_VERSION"
    if [ -z "$KIOSK_USER" ]; then
        if [ -n "${SUDO_USER:-}" ] && [ "${SUDO_USER}" != root ]; then
            KIOSK_USER=$SUDO_USER
        else
            KIOSK_USER=$(getent passwd 1000 | cut -d: -f1 || true)
        fi
    fi
    [ -n "$KIOSK_USER" ] || fail "No user to run the kiosk as: give one with --user NAME."
    if id "$KIOSK_USER" >/dev/null 2>&1; then
        KIOSK_UID=$(id -u "$KIOSK_USER")
        KIOSK_GID=$(id -g "$KIOSK_USER")
        KIOSK_GROUP=$(id -gn "$KIOSK_USER")
        KIOSK_HOME=$(getent passwd "$KIOSK_USER" | cut -d: -f6)
    elif [ "$DRY_RUN" = 1 ]; then
        note "(user $KIOSK_USER does not exist here; showing id 1000)"
        KIOSK_UID=1000
        KIOSK_GID=1000
        KIOSK_GROUP=$KIOSK_USER
        KIOSK_HOME=/home/$KIOSK_USER
    else
        fail "There is no user called $KIOSK_USER."
    fi
    note "The kiosk will run as $KIOSK_USER (id $KIOSK_UID), keeping its data in $DATA_DIR"
}

install_packages() {
    say "Installing system packages"
    local packages=("${DEBIAN_PACKAGES[@]}")
    LGPIO_FROM_PIP=0
    if [ "$PRETENDING" = 1 ] || apt-cache policy python3-lgpio 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        packages+=("${PI_ARCHIVE_PACKAGES[@]}")
    elif [ "$RELEASE" = bookworm ]; then
        note "python3-lgpio is not in this system's apt sources (the Raspberry Pi archive is"
        note "missing): lgpio comes from its Python 3.11 wheel instead."
        LGPIO_FROM_PIP=1
    else
        note "python3-lgpio is not in this system's apt sources (the Raspberry Pi archive is"
        note "missing) and has no wheel for Python 3.13: the buttons will not work, only the"
        note "keyboard. Add archive.raspberrypi.com to apt's sources and run this again."
    fi
    run apt-get update
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
}

join_groups() {
    say "Letting $KIOSK_USER use the GPIO pins, screen, touch and sound"
    # input: KMSDRM reads keys and touch itself (libsdl-org/SDL#12613); video/render: /dev/dri.
    local group
    for group in gpio input video render audio plugdev; do
        # Raspberry Pi OS has all six (gpio comes from raspberrypi-sys-mods); a dry run here
        # shows them all, a real run skips any this system lacks.
        if [ "$DRY_RUN" = 1 ] || getent group "$group" >/dev/null; then
            run usermod -aG "$group" "$KIOSK_USER"
        fi
    done
}

make_data_folder() {
    say "Making the data folder (the only place the kiosk writes)"
    run install -d -o "$KIOSK_USER" -g "$KIOSK_GROUP" -m 0750 "$DATA_DIR"
}

install_kiosk() {
    say "Installing the kiosk in a virtual environment (Python $PYTHON_VERSION)"
    note "--system-site-packages lets the venv use apt's python3-lgpio (gpiozero's pin driver)"
    if [ "$PYGAME_FROM" = debian ]; then
        note "and apt's python3-pygame, whose SDL can draw without a desktop (KMSDRM)"
    fi
    run install -d -m 0755 "$APP_DIR"
    run python3 -m venv --system-site-packages "$VENV"
    run "$VENV/bin/pip" install "$CHECKOUT"
    if [ "$LGPIO_FROM_PIP" = 1 ]; then
        # 0.0.0.2 is an empty placeholder that pip would otherwise pick (gpiozero/gpiozero#1038).
        run "$VENV/bin/pip" install "lgpio>=0.2.2"
    fi
    if [ "$PYGAME_FROM" = pygame-ce ]; then
        note "Lite has no desktop and pygame's own wheel cannot draw without one (it lacks"
        note "KMSDRM), so pygame-ce, which provides the same 'import pygame', replaces it."
        # Both install into the same pygame/ folder. On a re-run `pip install .` has just
        # written pygame over pygame-ce, and removing pygame removes files pygame-ce needs,
        # so every pygame-ce file is put back (found by hardware/try-in-chroot.sh).
        run "$VENV/bin/pip" uninstall -y pygame
        run "$VENV/bin/pip" install --force-reinstall --no-deps "pygame-ce>=2.5"
    elif [ "$DRY_RUN" = 0 ] && "$VENV/bin/pip" show pygame-ce >/dev/null 2>&1; then
        note "pygame-ce, from an earlier set-up as Lite, shares pygame's folder: removing it"
        run "$VENV/bin/pip" uninstall -y pygame-ce
        if [ "$PYGAME_FROM" = wheel ]; then
            run "$VENV/bin/pip" install --force-reinstall --no-deps "pygame>=2.5"
        fi
    fi
    run rm -rf "$APP_DIR/hardware"
    run cp -r "$HERE" "$APP_DIR/hardware"
    run chmod 0755 "$APP_DIR/hardware/start-kiosk.sh"
}

install_service() {
    say "Installing the systemd service ($UNIT)"
    sed -e "s/^User=.*/User=$KIOSK_USER/" \
        -e "s/^Group=.*/Group=$KIOSK_GROUP/" \
        -e "s|/run/user/1000|/run/user/$KIOSK_UID|" \
        -e "s|/var/lib/coffee-morning-kiosk|$DATA_DIR|" \
        "$HERE/kiosk.service" | put "/etc/systemd/system/$UNIT" 0644
    run install -d -m 0755 "/etc/systemd/system/$UNIT.d"
    if [ "$VARIANT" = lite ]; then
        put "/etc/systemd/system/$UNIT.d/lite.conf" 0644 <"$HERE/kiosk-lite.conf"
    else
        run rm -f "/etc/systemd/system/$UNIT.d/lite.conf"
    fi
    if systemd_running; then
        run systemctl daemon-reload
    else
        note "systemd is not running here: the service starts at the next boot"
    fi
    run systemctl enable "$UNIT"
    if [ "$VARIANT" = lite ]; then
        # Lite boots to multi-user.target and never reaches graphical.target.
        run systemctl add-wants multi-user.target "$UNIT"
    fi
}

# raspi-config's nonint functions change the settings of the user who ran sudo (its
# USER=${SUDO_USER:-...}); point them at the kiosk's user. raspi-config is Pi-archive only.
raspi_config() {
    if [ "$DRY_RUN" = 1 ] || command -v raspi-config >/dev/null; then
        run env SUDO_USER="$KIOSK_USER" raspi-config nonint "$@"
    else
        note "raspi-config is not installed: skipped 'raspi-config nonint $*'"
    fi
}

screen_and_login() {
    say "Keeping the screen on"
    # raspi-config removes labwc's swayidle/wlopm line from ~/.config/labwc/autostart,
    # sets Wayfire's [idle] dpms_timeout=-1, or turns X's blanking off (do_blanking).
    raspi_config do_blanking 1
    if [ "$VARIANT" = desktop ]; then
        note "Desktop: log in automatically, so the kiosk has a screen and sound at power-on"
        raspi_config do_boot_behaviour B4
    else
        if [ "$DRY_RUN" = 1 ] || { [ -f "$CMDLINE" ] && ! grep -q 'consoleblank=0' "$CMDLINE"; }; then
            run sed -i '1 s/$/ consoleblank=0/' "$CMDLINE"
        fi
        note "Lite: the kiosk takes tty1 itself, so no automatic login is needed"
        raspi_config do_boot_behaviour B1
    fi
}

# The ALSA card for Lite: the one given, else a USB speaker, else the first HDMI output.
find_sound_card() {
    local card id
    [ -n "$SOUND_CARD" ] && { echo "$SOUND_CARD"; return; }
    [ -r /proc/asound/cards ] || return 0
    for card in /proc/asound/card[0-9]*; do
        [ -e "$card/usbid" ] && { cat "$card/id"; return; }
    done
    for card in /proc/asound/card[0-9]*; do
        id=$(cat "$card/id" 2>/dev/null || true)
        case "$id" in vc4hdmi*) echo "$id"; return ;; esac
    done
}

sound() {
    say "Sound"
    if [ "$VARIANT" = desktop ]; then
        note "Desktop: through the desktop user's PipeWire (the service shares its"
        note "XDG_RUNTIME_DIR=/run/user/$KIOSK_UID). Choose the speaker in the desktop's volume menu."
        return
    fi
    # Lite has no PipeWire: ALSA directly. /etc/asound.conf, not ~/.asoundrc, so it holds for
    # the service. Through the card's "default" device, which wraps Pi 4 KMS HDMI's IEC958
    # format (libsdl-org/SDL#8660).
    local card
    card=$(find_sound_card)
    if [ -z "$card" ]; then
        note "No sound card found now: plug in the speaker and run this again, or give"
        note "--sound-card ID (the name in brackets in 'aplay -l')."
        return
    fi
    note "Speaking through ALSA card '$card'"
    # "!card" replaces alsa.conf's number with the card's name (a plain "card" that is not a
    # number fails with "card is not a string"); by name, it survives cards being renumbered.
    printf '%s\n' \
        "# Written by coffee-morning-kiosk's setup-pi.sh: the card the kiosk speaks through." \
        "defaults.pcm.!card \"$card\"" "defaults.ctl.!card \"$card\"" |
        put /etc/asound.conf 0644
}

usb_sticks() {
    say "USB sticks"
    if [ "$VARIANT" = lite ]; then
        note "Lite mounts nothing by itself: a udev rule mounts sticks with systemd-mount"
        sed -e "s/@UID@/$KIOSK_UID/g" -e "s/@GID@/$KIOSK_GID/g" "$HERE/usb-automount.rules" |
            put /etc/udev/rules.d/99-coffee-morning-kiosk-usb.rules 0644
        if udev_running; then
            run udevadm control --reload-rules
        fi
        return
    fi
    note "Desktop: the desktop's own automounter (pcmanfm through udisks2) mounts sticks under"
    note "/media/$KIOSK_USER, so no rule of ours competes with it; only its 'removable media"
    note "inserted' window is turned off, so it never covers the kiosk."
    run rm -f /etc/udev/rules.d/99-coffee-morning-kiosk-usb.rules
    # Bookworm's X and Wayfire desktops run pcmanfm with the LXDE-pi profile; the labwc
    # desktop (Trixie's rpd-labwc session) runs pcmanfm-pi. Each reads a user copy of its
    # system profile first, so every profile that exists gets a user copy with autorun=0.
    local system_conf profile program conf found=0
    for system_conf in /etc/xdg/pcmanfm/*/pcmanfm.conf /etc/xdg/pcmanfm-pi/*/pcmanfm.conf; do
        [ -f "$system_conf" ] || continue
        found=1
        profile=$(basename "$(dirname "$system_conf")")
        program=$(basename "$(dirname "$(dirname "$system_conf")")")
        conf=$KIOSK_HOME/.config/$program/$profile/pcmanfm.conf
        if [ ! -f "$conf" ]; then
            run install -D -o "$KIOSK_USER" -g "$KIOSK_GROUP" -m 0644 "$system_conf" "$conf"
        fi
        run sed -i 's/^autorun=1/autorun=0/' "$conf"
    done
    if [ "$found" = 0 ]; then
        note "(no pcmanfm profile in /etc/xdg here: would set autorun=0 in"
        note " $KIOSK_HOME/.config/pcmanfm[-pi]/<profile>/pcmanfm.conf for each one)"
    fi
}

finish() {
    say "Done"
    if [ "$DRY_RUN" = 1 ]; then
        note "That was a dry run: nothing was changed."
    else
        note "Restart the Pi (sudo reboot): the kiosk starts by itself."
    fi
    note "Logs: journalctl -u $UNIT    Settings: $DATA_DIR/kiosk.toml"
    note "For venues where the power is often pulled, see 'Protecting the SD card' in"
    note "hardware/README.md (read-only root with overlayroot=tmpfs:recurse=0)."
}

find_release
find_variant
find_architecture
choose_packages
if [ "$LIST_PACKAGES" = 1 ]; then
    echo "debian: ${DEBIAN_PACKAGES[*]}"
    echo "pi-archive: ${PI_ARCHIVE_PACKAGES[*]}"
    exit 0
fi
preflight
install_packages
join_groups
make_data_folder
install_kiosk
install_service
screen_and_login
sound
usb_sticks
finish
