"""The kiosk's colours, and the contrast rule they must meet.

Text the kiosk itself writes meets WCAG AAA (7:1). NHS blue (#005EB8) is only 6.4:1 against
white, so it is used for shapes, and NHS dark blue carries the words.
"""

from __future__ import annotations

Colour = tuple[int, int, int]

WHITE: Colour = (255, 255, 255)
TEXT_DARK: Colour = (33, 43, 50)  # NHS "text" #212B32
NHS_BLUE: Colour = (0, 94, 184)  # #005EB8
NHS_DARK_BLUE: Colour = (0, 48, 135)  # #003087
PALE_GREY: Colour = (240, 244, 245)  # #F0F4F5
GREEN: Colour = (0, 150, 57)  # arcade-button green
RED: Colour = (218, 41, 28)  # NHS emergency red #DA291C
DARK_GREEN: Colour = (0, 92, 35)
DARK_RED: Colour = (139, 0, 0)
YELLOW: Colour = (255, 235, 59)  # the focus colour for the highlighted menu option
LETTERBOX: Colour = (20, 24, 28)

# (text, background) pairs the kiosk draws words with. tests/screen checks each is >= 7:1.
TEXT_PAIRS: dict[str, tuple[Colour, Colour]] = {
    "on_dark_blue": (WHITE, NHS_DARK_BLUE),
    "on_white": (TEXT_DARK, WHITE),
    "on_pale_grey": (TEXT_DARK, PALE_GREY),
    "menu_focus": (TEXT_DARK, YELLOW),
    "on_letterbox": (WHITE, LETTERBOX),
    "on_dark_green": (WHITE, DARK_GREEN),
    "on_dark_red": (WHITE, DARK_RED),
}


def relative_luminance(colour: Colour) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Colour, b: Colour) -> float:
    """WCAG 2 contrast ratio, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
