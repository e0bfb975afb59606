"""Pictograms for the easy-read letter. Each draws in a square box (x, y, size) using "units"
of size/100, so a picture can be drawn at any size."""

from __future__ import annotations

import math
from collections.abc import Callable

from .drawing import (
    BLUE,
    DARK_BLUE,
    GREEN,
    GREY_TEXT,
    LINE_GREY,
    PALE_BLUE,
    RED,
    TEXT,
    WHITE,
    Canvas,
    font,
)

Units = Callable[[float, float], tuple[float, float]]  # a 100 x 100 grid point -> the box


def _units(x: float, y: float, size: float) -> Units:
    """Map a point in a 100 x 100 design grid into the box."""
    return lambda px, py: (x + px * size / 100, y + py * size / 100)


def picto_hospital(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.line([p(2, 93), p(98, 93)], TEXT, 3 * u)
    c.polygon([p(10, 42), p(90, 42), p(90, 92), p(10, 92)], "#DCE6F0", TEXT, 3 * u)
    c.polygon([p(28, 16), p(72, 16), p(72, 42), p(28, 42)], "#DCE6F0", TEXT, 3 * u)
    c.polygon([p(39, 19), p(61, 19), p(61, 39), p(39, 39)], BLUE)  # the hospital "H" sign
    c.polygon([p(43, 22), p(46.5, 22), p(46.5, 36), p(43, 36)], WHITE)
    c.polygon([p(53.5, 22), p(57, 22), p(57, 36), p(53.5, 36)], WHITE)
    c.polygon([p(43, 27.5), p(57, 27.5), p(57, 30.5), p(43, 30.5)], WHITE)
    for col in (17, 30, 62, 75):
        for row in (50, 66):
            c.polygon([p(col, row), p(col + 9, row), p(col + 9, row + 9), p(col, row + 9)], BLUE)
    c.polygon([p(42, 70), p(58, 70), p(58, 92), p(42, 92)], DARK_BLUE)


def picto_calendar(c: Canvas, x, y, size, top="", number="", script="latin", **_):
    p, u = _units(x, y, size), size / 100
    x0, y0 = p(8, 14)
    x1, y1 = p(92, 94)
    c.rect(x0, y0, x1 - x0, y1 - y0, WHITE, TEXT, 3 * u, 8 * u)
    c.rect(x0, y0, x1 - x0, 24 * u, BLUE, TEXT, 3 * u, 8 * u)
    c.rect(x0 + 1.5 * u, y0 + 14 * u, x1 - x0 - 3 * u, 10 * u, BLUE)  # square off the band
    for rx in (27, 73):
        rx0, ry0 = p(rx - 4, 5)
        c.rect(rx0, ry0, 8 * u, 18 * u, TEXT, radius=4 * u)
    cx = (x0 + x1) / 2
    c.text(cx, y0 + 12 * u, top, font(round(13 * u), True, script), WHITE, "mm")
    c.text(cx, y0 + 53 * u, number, font(round(42 * u), True), TEXT, "mm")


def picto_days_before(c: Canvas, x, y, size, **_):
    """A calendar page: the appointment day ringed, the two days before it coloured in."""
    p, u = _units(x, y, size), size / 100
    x0, y0 = p(6, 10)
    c.rect(x0, y0, 88 * u, 84 * u, WHITE, TEXT, 3 * u, 8 * u)
    c.rect(x0, y0, 88 * u, 18 * u, BLUE, TEXT, 3 * u, 8 * u)
    c.rect(x0 + 1.5 * u, y0 + 9 * u, 85 * u, 9 * u, BLUE)
    cell = 14 * u
    for row in range(3):
        for col in range(5):
            cx0, cy0 = p(13 + col * 15.5, 35 + row * 19)
            colour = LINE_GREY
            if row == 1 and col in (1, 2):
                colour = BLUE
            c.rect(cx0, cy0, cell, cell, colour, radius=2 * u)
    rx, ry = p(13 + 3 * 15.5 + 7, 35 + 19 + 7)
    c.circle(rx, ry, 11 * u, None, RED, 3.5 * u)


def picto_clock(c: Canvas, x, y, size, hour=9, minute=40, **_):
    p, u = _units(x, y, size), size / 100
    cx, cy = p(50, 52)
    c.circle(cx, cy, 44 * u, WHITE, TEXT, 4 * u)
    for i in range(12):
        a = math.radians(i * 30)
        r0 = 34 * u if i % 3 else 30 * u
        c.line([(cx + r0 * math.sin(a), cy - r0 * math.cos(a)),
                (cx + 39 * u * math.sin(a), cy - 39 * u * math.cos(a))], TEXT, 3 * u)
    am = math.radians(minute * 6)
    ah = math.radians((hour % 12) * 30 + minute * 0.5)
    c.line([(cx, cy), (cx + 20 * u * math.sin(ah), cy - 20 * u * math.cos(ah))], TEXT, 6 * u)
    c.line([(cx, cy), (cx + 32 * u * math.sin(am), cy - 32 * u * math.cos(am))], BLUE, 4 * u)
    c.circle(cx, cy, 4 * u, TEXT)


def _no_sign(c: Canvas, p: Units, u: float) -> None:
    c.circle(*p(50, 50), 44 * u, None, RED, 8 * u)
    c.line([p(19, 19), p(81, 81)], RED, 8 * u)


def picto_no_food(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.circle(*p(50, 52), 20 * u, WHITE, GREY_TEXT, 3 * u)
    c.circle(*p(50, 52), 12 * u, None, LINE_GREY, 2 * u)
    for fx in (21, 24.5, 28):  # fork
        c.line([p(fx, 30), p(fx, 42)], TEXT, 2 * u)
    c.line([p(21, 42), p(28, 42)], TEXT, 2.5 * u)
    c.line([p(24.5, 42), p(24.5, 76)], TEXT, 4 * u)
    c.polygon([p(74, 28), p(79, 30), p(78, 52), p(74, 52)], TEXT)  # knife
    c.line([p(76, 52), p(76, 76)], TEXT, 4 * u)
    _no_sign(c, p, u)


def _tick(c: Canvas, p: Units, u: float, cx: float, cy: float) -> None:
    c.circle(*p(cx, cy), 13 * u, GREEN)
    c.line([p(cx - 6, cy), p(cx - 1.5, cy + 5), p(cx + 7, cy - 5)], WHITE, 3.5 * u)


def picto_water(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.polygon([p(30, 38), p(70, 38), p(65, 90), p(35, 90)], "#7FB5E6")
    c.line([p(27, 10), p(35, 90), p(65, 90), p(73, 10)], TEXT, 3.5 * u, None)
    c.line([p(29, 38), p(71, 38)], BLUE, 2 * u)
    _tick(c, p, u, 80, 78)


def picto_medicine(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.rect(*p(30, 6), 36 * u, 14 * u, GREY_TEXT, radius=3 * u)
    c.rect(*p(24, 18), 48 * u, 74 * u, WHITE, TEXT, 3 * u, 7 * u)
    c.rect(*p(27, 38), 42 * u, 32 * u, BLUE)
    c.rect(*p(44.5, 43), 7 * u, 22 * u, WHITE)  # a plain white plus (not a red cross)
    c.rect(*p(37, 50.5), 22 * u, 7 * u, WHITE)
    c.ellipse(*p(72, 74), 22 * u, 13 * u, WHITE, TEXT, 2.5 * u)
    c.ellipse(*p(76, 58), 20 * u, 12 * u, "#F6C343", TEXT, 2.5 * u)


def picto_phone(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.rect(*p(22, 6), 46 * u, 88 * u, TEXT, radius=8 * u)
    c.rect(*p(26, 15), 38 * u, 62 * u, PALE_BLUE)
    for row in range(3):
        for col in range(3):
            c.circle(*p(34 + col * 11, 30 + row * 14), 4 * u, BLUE)
    c.circle(*p(45, 85), 4 * u, GREY_TEXT)
    for r in (12, 22):  # it is ringing
        c.arc(*p(70, 24), r * u, -60, 60, BLUE, 4 * u)


def picto_gp(c: Canvas, x, y, size, **_):
    """The family doctor's surgery, with an arrow back to it."""
    p, u = _units(x, y, size), size / 100
    c.polygon([p(8, 46), p(38, 20), p(68, 46)], BLUE, TEXT, 3 * u)
    c.polygon([p(14, 46), p(62, 46), p(62, 90), p(14, 90)], WHITE, TEXT, 3 * u)
    c.rect(*p(31, 50), 14 * u, 14 * u, GREEN)
    c.rect(*p(36, 52), 4 * u, 10 * u, WHITE)
    c.rect(*p(33, 55), 10 * u, 4 * u, WHITE)
    c.rect(*p(31, 70), 14 * u, 20 * u, DARK_BLUE)
    c.arc(*p(72, 52), 22 * u, 270, 90, TEXT, 5 * u)
    c.polygon([p(72, 65), p(72, 83), p(60, 74)], TEXT)
    c.line([p(2, 91), p(98, 91)], TEXT, 3 * u)


def _parking_sign(c: Canvas, p: Units, u: float, x: float, y: float) -> None:
    c.rect(*p(x, y), 24 * u, 24 * u, BLUE, radius=3 * u)
    c.text(*p(x + 12, y + 12.5), "P", font(round(20 * u), True), WHITE, "mm")


def picto_car(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.polygon([p(6, 62), p(14, 50), p(28, 48), p(38, 34), p(66, 34), p(78, 48), p(92, 52),
               p(95, 64), p(95, 74), p(6, 74)], BLUE, TEXT, 3 * u)
    c.polygon([p(41, 38), p(52, 38), p(52, 48), p(34, 48)], PALE_BLUE)
    c.polygon([p(56, 38), p(64, 38), p(73, 48), p(56, 48)], PALE_BLUE)
    for wx in (26, 75):
        c.circle(*p(wx, 75), 10 * u, TEXT)
        c.circle(*p(wx, 75), 4 * u, LINE_GREY)
    _parking_sign(c, p, u, 4, 4)


def picto_bus(c: Canvas, x, y, size, number="7", **_):
    p, u = _units(x, y, size), size / 100
    c.rect(*p(6, 20), 88 * u, 58 * u, BLUE, TEXT, 3 * u, 7 * u)
    c.rect(*p(11, 25), 20 * u, 12 * u, "#222222", radius=2 * u)  # route display
    c.text(*p(21, 31.5), number, font(round(11 * u), True), "#FFD200", "mm")
    for wx in (34, 50, 66):
        c.rect(*p(wx, 27), 13 * u, 19 * u, PALE_BLUE, radius=2 * u)
    c.rect(*p(12, 41), 18 * u, 29 * u, PALE_BLUE, TEXT, 2 * u, 2 * u)  # door
    c.rect(*p(82, 27), 8 * u, 19 * u, PALE_BLUE, radius=2 * u)
    for wx in (28, 74):
        c.circle(*p(wx, 79), 9 * u, TEXT)
        c.circle(*p(wx, 79), 3.5 * u, LINE_GREY)
    c.line([p(2, 90), p(98, 90)], TEXT, 3 * u)


def picto_interpreter(c: Canvas, x, y, size, **_):
    """Two speech bubbles in two scripts: the same words in another language."""
    p, u = _units(x, y, size), size / 100
    c.rect(*p(4, 8), 52 * u, 40 * u, BLUE, radius=10 * u)
    c.polygon([p(14, 46), p(26, 46), p(12, 60)], BLUE)
    c.text(*p(30, 28), "A", font(round(28 * u), True), WHITE, "mm")
    c.rect(*p(44, 44), 52 * u, 40 * u, WHITE, TEXT, 3 * u, 10 * u)
    c.polygon([p(76, 82.5), p(86, 82.5), p(88, 96)], WHITE)
    c.line([p(75, 84), p(88, 96), p(86, 84)], TEXT, 3 * u)
    c.text(*p(70, 63), "ਅ", font(round(28 * u), True, "gurmukhi"), TEXT, "mm")


PICTOGRAMS = {
    "hospital": picto_hospital,
    "calendar": picto_calendar,
    "days-before": picto_days_before,
    "clock": picto_clock,
    "no-food": picto_no_food,
    "water": picto_water,
    "medicine": picto_medicine,
    "phone": picto_phone,
    "gp": picto_gp,
    "car": picto_car,
    "bus": picto_bus,
    "interpreter": picto_interpreter,
}
