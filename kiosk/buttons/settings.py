"""The ``[buttons]`` table of ``kiosk.toml``: which pins, and how patient the buttons are.

Every key is optional; a kiosk wired as in ``hardware/README.md`` needs no table at all::

    [buttons]
    enabled = true                    # false: never touch GPIO, use the keyboard
    green_pin = 5                     # BCM numbers (GPIO5 is physical pin 29)
    red_pin = 6                       # GPIO6, pin 31
    replay_pin = 26                   # GPIO26, pin 37; false if there is no third button
    green_lamp_pin = 23               # GPIO23, pin 16, to the green lamp's transistor
    red_lamp_pin = 24                 # GPIO24, pin 18, to the red lamp's transistor
    lamps_active_high = true          # false for driver boards that switch on a low input
    debounce_ms = 30
    min_seconds_between_answers = 0.8
    hold_seconds = 3
    stuck_seconds = 60

The default pins keep clear of I2C (GPIO2/3), SPI0 (GPIO7-11), SPI1 and I2S audio HATs
(GPIO16-21), the UART (GPIO14/15), the HAT ID EEPROM (GPIO0/1), PWM audio (GPIO12/13)
and GPIO25 (used by some audio HATs), so a sound card or display HAT can still be added.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.buttons.press_logic import Timings
from kiosk.errors import KioskError
from kiosk.tomlfile import read_toml

_PIN_KEYS = ("green_pin", "red_pin", "replay_pin", "green_lamp_pin", "red_lamp_pin")
_HIGHEST_GPIO = 27


@dataclass(frozen=True)
class ButtonSettings:
    """Validated ``[buttons]`` settings, with the defaults written in ``hardware/README.md``."""

    enabled: bool = True
    green_pin: int = 5
    red_pin: int = 6
    replay_pin: int | None = 26
    green_lamp_pin: int = 23
    red_lamp_pin: int = 24
    lamps_active_high: bool = True
    debounce_ms: float = 30
    min_seconds_between_answers: float = 0.8
    hold_seconds: float = 3.0
    stuck_seconds: float = 60.0

    def timings(self) -> Timings:
        return Timings(
            debounce=self.debounce_ms / 1000,
            min_between_answers=self.min_seconds_between_answers,
            hold_both=self.hold_seconds,
            stuck=self.stuck_seconds,
        )


# key -> (lowest, highest) for the numbers; a facilitator's typo must not make a kiosk
# that ignores every press or opens the menu on a single touch.
_RANGES = {
    "debounce_ms": (1, 500),
    "min_seconds_between_answers": (0, 10),
    "hold_seconds": (1, 30),
    "stuck_seconds": (5, 3600),
}


def read_button_settings(config: Path | Mapping[str, Any]) -> ButtonSettings:
    """Read ``[buttons]`` from ``kiosk.toml`` (a missing file means all defaults).

    ``config`` is the file's path or its already-parsed contents. Any bad value raises a
    ``KioskError`` that names the key and says what would be right.
    """
    data: Mapping[str, Any]
    if isinstance(config, Path):
        data = read_toml(config, missing_ok=True)
        where = str(config)
    else:
        data = config
        where = "kiosk.toml"
    table = data.get("buttons", {})
    if not isinstance(table, Mapping):
        raise KioskError(f"In {where}, [buttons] must be a table of settings.")
    return _validate(table, where)


def _validate(table: Mapping[str, Any], where: str) -> ButtonSettings:
    defaults = ButtonSettings()
    known = set(defaults.__dataclass_fields__)
    unknown = sorted(set(table) - known)
    if unknown:
        raise KioskError(
            f"In {where}, [buttons] has unknown setting(s) {', '.join(unknown)}. "
            f"Known settings: {', '.join(sorted(known))}."
        )
    values: dict[str, Any] = {}
    for key in ("enabled", "lamps_active_high"):
        if key in table:
            if not isinstance(table[key], bool):
                raise KioskError(f"In {where}, buttons.{key} must be true or false.")
            values[key] = table[key]
    for key in _PIN_KEYS:
        if key not in table:
            continue
        value = table[key]
        if key == "replay_pin" and value is False:
            values[key] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _HIGHEST_GPIO:
            extra = " (or false for no third button)" if key == "replay_pin" else ""
            raise KioskError(
                f"In {where}, buttons.{key} = {value!r} is not a GPIO number: use a BCM "
                f"number from 0 to {_HIGHEST_GPIO}{extra}."
            )
        values[key] = value
    for key, (low, high) in _RANGES.items():
        if key not in table:
            continue
        value = table[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not low <= value <= high
        ):
            raise KioskError(
                f"In {where}, buttons.{key} = {value!r} is not usable: use a number from "
                f"{low} to {high}."
            )
        values[key] = value
    settings = ButtonSettings(**{**defaults.__dict__, **values})
    seen: dict[int, str] = {}
    for key in _PIN_KEYS:
        pin = getattr(settings, key)
        if pin is None:
            continue
        if pin in seen:
            raise KioskError(
                f"In {where}, buttons.{seen[pin]} and buttons.{key} are both GPIO{pin}: "
                "each button and lamp needs its own pin."
            )
        seen[pin] = key
    if settings.stuck_seconds <= settings.hold_seconds:
        raise KioskError(
            f"In {where}, buttons.stuck_seconds ({settings.stuck_seconds}) must be longer "
            f"than buttons.hold_seconds ({settings.hold_seconds})."
        )
    return settings
