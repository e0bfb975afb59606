"""The kiosk's own settings, from files a facilitator can edit in the data folder.

``kiosk.toml`` (all optional)::

    kiosk_id = "walsall-1"      # names this box in exported logs (default: the machine's name)
    volume = 0.8                # 0.25 - 1.0
    languages = ["en-GB", "pa"] # which of a deck's languages to offer (default: all it has)
    menu_pin = "GRRG"           # green/red presses that open the facilitator menu (default: none)

    [keys]                      # keyboards, USB arcade encoders and switch interfaces
    green = ["g", "right"]      # pygame key names; these four lists are the defaults
    red = ["r", "left"]
    replay = ["space"]
    menu = ["f12"]

``venues.txt``: one venue per line, offered in the facilitator menu. Button pins live in the
``[buttons]`` table of the same ``kiosk.toml`` (see kiosk/buttons/settings.py).
"""

from __future__ import annotations

import json
import re
import socket
from dataclasses import dataclass

from kiosk.durable import write_atomically
from kiosk.errors import KioskError
from kiosk.home import Home
from kiosk.tomlfile import read_toml

DEFAULT_VENUES = ("Community centre", "Library", "Church hall", "Coffee morning")


DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    "green": ("g", "right"),
    "red": ("r", "left"),
    "replay": ("space",),
    "menu": ("f12",),
}


@dataclass(frozen=True)
class KioskSettings:
    kiosk_id: str
    venues: tuple[str, ...]
    volume: float = 0.8
    languages: tuple[str, ...] = ()
    menu_pin: str = ""
    keys: tuple[tuple[str, tuple[str, ...]], ...] = tuple(DEFAULT_KEYS.items())


def read_settings(home: Home) -> KioskSettings:
    table = read_toml(home.config, missing_ok=True)
    kiosk_id = str(table.get("kiosk_id") or socket.gethostname() or "kiosk")
    kiosk_id = re.sub(r"[^A-Za-z0-9_.-]", "-", kiosk_id)[:40]
    volume = table.get("volume", 0.8)
    if not isinstance(volume, (int, float)) or not 0 <= volume <= 1:
        raise KioskError(f"{home.config}: volume must be a number from 0 to 1, not {volume!r}")
    venues_file = home.root / "venues.txt"
    venues: tuple[str, ...] = DEFAULT_VENUES
    if venues_file.is_file():
        lines = venues_file.read_text(encoding="utf-8-sig", errors="replace").splitlines()
        venues = tuple(line.strip() for line in lines if line.strip()) or DEFAULT_VENUES
    languages = table.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise KioskError(f'{home.config}: languages must be a list such as ["en-GB", "pa"]')
    menu_pin = str(table.get("menu_pin", "")).upper()
    if menu_pin and (set(menu_pin) - {"G", "R"} or not 3 <= len(menu_pin) <= 8):
        raise KioskError(f'{home.config}: menu_pin must be 3 to 8 letters G and R, like "GRRG"')
    keys = _key_names(table.get("keys", {}), home)
    return KioskSettings(kiosk_id, venues, float(volume), tuple(languages), menu_pin, keys)


def _key_names(table: object, home: Home) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The ``[keys]`` table: which key names mean green, red, hear again and the menu.

    Only the shape is checked here; whether each name is a real key is checked where the
    keyboard is (``kiosk.screen.keys.KeyMap``), which knows pygame's names.
    """
    if not isinstance(table, dict):
        raise KioskError(f"{home.config}: [keys] must be a table such as green = [\"g\"]")
    unknown = sorted(set(table) - set(DEFAULT_KEYS))
    if unknown:
        raise KioskError(f"{home.config}: [keys] has unknown name(s) {', '.join(unknown)}; "
                         f"use {', '.join(DEFAULT_KEYS)}")
    names: dict[str, tuple[str, ...]] = dict(DEFAULT_KEYS)
    for role, value in table.items():
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise KioskError(f'{home.config}: keys.{role} must be a list of key names, '
                             'such as ["return", "g"]')
        names[role] = tuple(x.strip().lower() for x in value)
    seen: dict[str, str] = {}
    for role, keys in names.items():
        for key in keys:
            if key in seen and seen[key] != role:
                raise KioskError(f"{home.config}: the key {key!r} is set for both "
                                 f"{seen[key]} and {role}; each key can mean one thing")
            seen[key] = role
    return tuple(names.items())


def remember_session(home: Home, deck_id: str, venue: str) -> None:
    """So a kiosk switched off at the wall comes back on the same deck, ready for people."""
    payload = json.dumps({"deck": deck_id, "venue": venue}).encode("utf-8")
    write_atomically(home.root / "last-session.json", payload)


def last_session(home: Home) -> tuple[str, str] | None:
    try:
        data = json.loads((home.root / "last-session.json").read_text(encoding="utf-8"))
        return str(data["deck"]), str(data["venue"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
