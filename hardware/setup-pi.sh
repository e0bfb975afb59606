#!/usr/bin/env bash
# Turn a fresh Raspberry Pi OS (Bookworm, Desktop or Lite) into a coffee-morning kiosk.
#
#   sudo bash hardware/setup-pi.sh             set everything up (run it from the checkout)
#   bash hardware/setup-pi.sh --dry-run        only print what it would do
#
# Safe to run again: each step either changes nothing or puts the same thing in place.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CHECKOUT=$(dirname "$HERE")
APP_DIR=/opt/coffee-morning-kiosk
VENV=$APP_DIR/venv
DATA_DIR=/var/lib/coffee-morning-kiosk
UNIT=coffee-morning-kiosk.service
DRY_RUN=0
KIOSK_USER=""
EDITION=""

usage() {
    cat <<EOF
Usage: sudo bash $0 [--dry-run] [--user NAME] [--data DIR] [--lite | --desktop]

  --dry-run   print every command and file, change nothing (no root needed)
  --user      the account the kiosk runs as (default: the user who ran sudo,
              else the first user, id 1000)
  --data      the kiosk's data folder (default: $DATA_DIR); for a read-only
              root, make this a separate partition (see hardware/README.md)
  --lite      set up for Raspberry Pi OS Lite (no desktop); found by itself
  --desktop   set up for the Desktop image; found by itself
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) DRY_RUN=1 ;;
        --user) KIOSK_USER=${2:?--user needs a name}; shift ;;
        --data) DATA_DIR=${2:?--data needs a folder}; shift ;;
        --lite) EDITION=lite ;;
        --desktop) EDITION=desktop ;;
        -h | --help) usage; exit 0 ;;
        *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

say() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }

# Every change goes through run or put, so --dry-run can show it instead of doing it.
run() {
    if [ "$DRY_RUN" = 1 ]; then
        printf '    would run:'
        printf ' %q' "$@"
        printf '\n'
    else
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

preflight() {
    say "Checking this machine"
    if [ "$DRY_RUN" = 0 ] && [ "$(id -u)" -ne 0 ]; then
        echo "Please run with sudo: sudo bash $0 (or add --dry-run to only look)." >&2
        exit 1
    fi
    local codename=unknown
    if [ -r /etc/os-release ]; then
        # shellcheck source=/dev/null
        codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-unknown}")
    fi
    if [ "$codename" != bookworm ]; then
        note "This is '$codename', not Bookworm: the steps may need adjusting."
    fi
    if [ -z "$EDITION" ]; then
        if dpkg-query -W -f='${Status}' raspberrypi-ui-mods 2>/dev/null | grep -q 'ok installed'; then
            EDITION=desktop
        else
            EDITION=lite
        fi
    fi
    note "Raspberry Pi OS edition: $EDITION"
    if [ -z "$KIOSK_USER" ]; then
        if [ -n "${SUDO_USER:-}" ] && [ "${SUDO_USER}" != root ]; then
            KIOSK_USER=$SUDO_USER
        else
            KIOSK_USER=$(getent passwd 1000 | cut -d: -f1 || true)
        fi
    fi
    if [ -z "$KIOSK_USER" ]; then
        echo "No user to run the kiosk as: give one with --user NAME." >&2
        exit 1
    fi
    if id "$KIOSK_USER" >/dev/null 2>&1; then
        KIOSK_UID=$(id -u "$KIOSK_USER")
        KIOSK_GID=$(id -g "$KIOSK_USER")
        KIOSK_GROUP=$(id -gn "$KIOSK_USER")
    elif [ "$DRY_RUN" = 1 ]; then
        note "(user $KIOSK_USER does not exist here; showing id 1000)"
        KIOSK_UID=1000
        KIOSK_GID=1000
        KIOSK_GROUP=$KIOSK_USER
    else
        echo "There is no user called $KIOSK_USER." >&2
        exit 1
    fi
    note "The kiosk will run as $KIOSK_USER (id $KIOSK_UID), keeping its data in $DATA_DIR"
}

install_packages() {
    say "Installing system packages"
    local packages=(
        espeak-ng libespeak-ng1 alsa-utils
        python3-venv python3-dev python3-pip
        libsdl2-2.0-0 libsdl2-mixer-2.0-0 libsdl2-image-2.0-0 libsdl2-ttf-2.0-0
        udisks2
    )
    LGPIO_FROM_PIP=0
    if apt-cache show python3-lgpio >/dev/null 2>&1; then
        packages+=(python3-lgpio)
    else
        note "python3-lgpio is not packaged here: lgpio will be built with pip (swig, liblgpio-dev)"
        packages+=(swig liblgpio-dev)
        LGPIO_FROM_PIP=1
    fi
    run apt-get update
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
}

join_groups() {
    say "Letting $KIOSK_USER use the GPIO pins, screen, touch and sound"
    local group
    for group in gpio input video render audio plugdev; do
        if getent group "$group" >/dev/null; then
            run usermod -aG "$group" "$KIOSK_USER"
        fi
    done
}

make_data_folder() {
    say "Making the data folder (the only place the kiosk writes)"
    run install -d -o "$KIOSK_USER" -g "$KIOSK_GROUP" -m 0750 "$DATA_DIR"
}

install_kiosk() {
    say "Installing the kiosk in a virtual environment"
    note "--system-site-packages lets the venv use apt's python3-lgpio (gpiozero's pin driver)"
    run install -d -m 0755 "$APP_DIR"
    run python3 -m venv --system-site-packages "$VENV"
    run "$VENV/bin/pip" install --upgrade pip
    run "$VENV/bin/pip" install "$CHECKOUT"
    if [ "$LGPIO_FROM_PIP" = 1 ]; then
        run "$VENV/bin/pip" install lgpio
    fi
    if [ "$EDITION" = lite ]; then
        note "Lite has no desktop: pygame's own wheel cannot draw without one (it lacks"
        note "KMSDRM), so pygame-ce, which provides the same 'import pygame', replaces it."
        run "$VENV/bin/pip" uninstall -y pygame
        run "$VENV/bin/pip" install "pygame-ce>=2.5"
    fi
    run rm -rf "$APP_DIR/hardware"
    run cp -r "$HERE" "$APP_DIR/hardware"
}

install_service() {
    say "Installing the systemd service ($UNIT)"
    sed -e "s/^User=.*/User=$KIOSK_USER/" \
        -e "s/^Group=.*/Group=$KIOSK_GROUP/" \
        -e "s|/run/user/1000|/run/user/$KIOSK_UID|" \
        -e "s|/var/lib/coffee-morning-kiosk|$DATA_DIR|" \
        "$HERE/kiosk.service" | put "/etc/systemd/system/$UNIT" 0644
    if [ "$EDITION" = lite ]; then
        run install -d -m 0755 "/etc/systemd/system/$UNIT.d"
        put "/etc/systemd/system/$UNIT.d/lite.conf" 0644 <"$HERE/kiosk-lite.conf"
    fi
    run systemctl daemon-reload
    if [ "$EDITION" = lite ]; then
        # Lite boots to multi-user.target and never reaches graphical.target.
        run systemctl add-wants multi-user.target "$UNIT"
    else
        run systemctl enable "$UNIT"
    fi
}

screen_and_login() {
    say "Keeping the screen on"
    run raspi-config nonint do_blanking 1
    if [ "$EDITION" = desktop ]; then
        note "Desktop: log in automatically, so the kiosk has a screen and sound at power-on"
        run raspi-config nonint do_boot_behaviour B4
    else
        local cmdline=/boot/firmware/cmdline.txt
        if [ -f "$cmdline" ] && ! grep -q 'consoleblank=0' "$cmdline"; then
            run sed -i '1 s/$/ consoleblank=0/' "$cmdline"
        fi
        note "Lite: the kiosk takes tty1 itself, so no automatic login is needed"
        run raspi-config nonint do_boot_behaviour B1
    fi
}

usb_sticks() {
    say "USB sticks"
    if [ "$EDITION" = lite ]; then
        note "Lite mounts nothing by itself: a udev rule mounts sticks with systemd-mount"
        sed -e "s/@UID@/$KIOSK_UID/g" -e "s/@GID@/$KIOSK_GID/g" "$HERE/usb-automount.rules" |
            put /etc/udev/rules.d/99-coffee-morning-kiosk-usb.rules 0644
        run udevadm control --reload-rules
    else
        note "Desktop: the file manager mounts sticks under /media/$KIOSK_USER; turn off its"
        note "'removable media inserted' window so it never covers the kiosk"
        local home conf system_conf
        home=$(getent passwd "$KIOSK_USER" | cut -d: -f6 || true)
        conf=${home:-/home/$KIOSK_USER}/.config/pcmanfm/LXDE-pi/pcmanfm.conf
        system_conf=/etc/xdg/pcmanfm/LXDE-pi/pcmanfm.conf
        if [ ! -f "$conf" ] && [ -f "$system_conf" ]; then
            run install -D -o "$KIOSK_USER" -g "$KIOSK_GROUP" -m 0644 "$system_conf" "$conf"
        fi
        if [ -f "$conf" ] || [ -f "$system_conf" ]; then
            run sed -i 's/^autorun=1/autorun=0/' "$conf"
        fi
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

preflight
install_packages
join_groups
make_data_folder
install_kiosk
install_service
screen_and_login
usb_sticks
finish
