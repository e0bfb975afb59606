#!/bin/sh
# Started by coffee-morning-kiosk.service: find the screen to draw on, then become the kiosk.
#
# WHY: a system service starts outside the desktop session, so it does not know the
# session's display. labwc's Wayland socket is wayland-0, Wayfire's wayland-1
# (raspberrypi/bookworm-feedback#219), and an X11 desktop is :0, so look rather than guess.
# Native Wayland is preferred: SDL's X11 path has touch bugs (libsdl-org/SDL#11748) and,
# on Wayland, SDL asks the compositor not to blank the screen while the kiosk is shown.
# On Lite the unit's drop-in already says SDL_VIDEODRIVER=kmsdrm and this only starts it.
# If the desktop is not up yet, exit 75 (EX_TEMPFAIL): systemd starts us again 3 s later.
set -eu

KIOSK=${KIOSK_BIN:-/opt/coffee-morning-kiosk/venv/bin/kiosk}
RUNTIME=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}
X11_SOCKETS=${X11_SOCKET_DIR:-/tmp/.X11-unix}

if [ -z "${SDL_VIDEODRIVER:-}" ]; then
    socket=""
    for candidate in "$RUNTIME"/wayland-[0-9]; do
        if [ -S "$candidate" ]; then
            socket=${candidate##*/}
            break
        fi
    done
    if [ -n "$socket" ]; then
        WAYLAND_DISPLAY=$socket
        SDL_VIDEODRIVER=wayland
        export WAYLAND_DISPLAY SDL_VIDEODRIVER
    elif [ -S "$X11_SOCKETS/X0" ]; then
        DISPLAY=:0
        SDL_VIDEODRIVER=x11
        export DISPLAY SDL_VIDEODRIVER
    else
        echo "No desktop to draw on yet (no $RUNTIME/wayland-* and no X display :0)." \
            "Trying again in a few seconds; if this repeats, turn on automatic desktop login" \
            "(sudo raspi-config nonint do_boot_behaviour B4) or re-run hardware/setup-pi.sh." >&2
        exit 75
    fi
fi
echo "Drawing with SDL_VIDEODRIVER=$SDL_VIDEODRIVER${WAYLAND_DISPLAY:+ on $WAYLAND_DISPLAY}" >&2
exec "$KIOSK" run
