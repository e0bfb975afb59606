"""The arcade buttons and their lamps: raw presses in, the walk's events out.

The main loop's whole API::

    panel = open_buttons(read_button_settings(home.config))   # None: no GPIO, keyboard only
    events = panel.poll(now)                                  # every frame
    panel.show_lamps(green="pulse", red="pulse")              # "off" | "on" | "pulse" | "flash"
    panel.close()

``ButtonInterpreter`` (pure, clock-injected) holds the press rules, so the keyboard edge can
feed it key downs and ups and obey the same rules.
"""

from kiosk.buttons.gpio import LAMP_STATES, ArcadeLamp, ButtonPanel, open_buttons
from kiosk.buttons.press_logic import ButtonInterpreter, Timings
from kiosk.buttons.settings import ButtonSettings, read_button_settings

__all__ = [
    "LAMP_STATES",
    "ArcadeLamp",
    "ButtonInterpreter",
    "ButtonPanel",
    "ButtonSettings",
    "Timings",
    "open_buttons",
    "read_button_settings",
]
