"""The report's charts as inline SVG, written as text.

A plotting library spent over half a second of a big report laying out and painting eight
PNGs; SVG written as strings costs milliseconds, stays sharp when zoomed or printed, keeps its
words as real text and makes the page smaller. Room for labels is measured with the font we
ship (Noto Sans, through Pillow), so no label is ever cut off.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.sessions.stats import SMALL_SAMPLE, ScreenRow, pct

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

    from kiosk.sessions.breakdowns import TaskRow


GREEN, RED, GREY, BLUE = "#1b7f3b", "#b3261e", "#9e9e9e", "#005eb8"
INK, FAINT = "#1d1d1d", "#e3e3e3"

FONT_FILE = Path(__file__).resolve().parents[2] / "fonts" / "NotoSans-Regular.ttf"
# Noto Sans where installed; else Arial and its look-alikes, all a little narrower than it
FAMILY = "'Noto Sans', Arial, Helvetica, 'Liberation Sans', sans-serif"
# Widths are measured in Noto Sans; a fallback may be wider (DejaVu Sans, the sans-serif of
# many Linux desktops, by up to 16% on digits), so room is left for that much more.
SLACK = 1.2
MEASURED_AT = 100  # font size the font is loaded at; widths scale with the size
ASCENT, DESCENT = 1.07, 0.3  # Noto Sans, in font sizes above and below the baseline
MAX_LABEL = 280  # a longer screen or version name is shortened with "…" (full text on hover)
PAD = 8  # white around what is drawn
SIZE, SMALL_SIZE, TITLE_SIZE = 14, 12.5, 16
ROW = 30  # height of one bar's row
BAR = 20
PLOT = 600  # width of 0–100% (or of the people axis)


def chart_text(text: Any) -> str:
    """Text from a bundle as a chart label: tabs, line breaks and anything else without a
    glyph (which XML may not even allow) become spaces."""
    return "".join(c if c.isprintable() else " " for c in str(text))


@lru_cache(maxsize=1)
def font() -> FreeTypeFont:
    """The shipped Noto Sans, loaded once when a chart first measures a label."""
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_FILE), MEASURED_AT)


def text_width(text: str, size: float) -> float:
    """Width of ``text`` in Noto Sans at ``size`` pixels. Wide (CJK) characters, which Noto
    Sans lacks and a browser draws from another font, count a full em each."""
    if text.isascii():
        return font().getlength(text) * size / MEASURED_AT
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    narrow = "".join(c for c in text if unicodedata.east_asian_width(c) not in "WF")
    return font().getlength(narrow) * size / MEASURED_AT + wide * size


def shortened(text: str, size: float, room: float) -> str:
    """``text`` cut to fit ``room`` (with slack), ending in "…" when cut."""
    if text_width(text, size) * SLACK <= room:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + "…", size) * SLACK <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def wrapped(text: str, size: float, room: float) -> list[str]:
    """``text`` broken into lines at spaces so each fits ``room``; each line but the last keeps
    its trailing space, so the lines joined are the text."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line}{word}"
        if line and text_width(trial, size) * SLACK > room:
            lines.append(line)
            line = word + " "
        else:
            line = trial + " "
    lines.append(line[:-1])
    return [shortened(one, size, room) for one in lines]


def number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def escaped(text: str) -> str:
    return html.escape(text, quote=True)


class Drawing:
    """SVG elements, and the box everything drawn takes (texts at their measured width)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.left = self.top = math.inf
        self.right = self.bottom = -math.inf

    def reach(self, left: float, top: float, right: float, bottom: float) -> None:
        self.left, self.top = min(self.left, left), min(self.top, top)
        self.right, self.bottom = max(self.right, right), max(self.bottom, bottom)

    def text(self, x: float, y: float, text: Any, size: float = SIZE, anchor: str = "start",
             fill: str | None = None, room: float | None = None) -> None:
        """A text with its baseline at ``y``; cut to ``room`` if given (the whole text is
        then its tooltip)."""
        whole = chart_text(text)
        shown = whole if room is None else shortened(whole, size, room)
        width = text_width(shown, size) * SLACK
        start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        self.reach(start, y - ASCENT * size, start + width, y + DESCENT * size)
        attributes = f' x="{number(x)}" y="{number(y)}"'
        if size != SIZE:
            attributes += f' font-size="{number(size)}"'
        if anchor != "start":
            attributes += f' text-anchor="{anchor}"'
        if fill:
            attributes += f' fill="{fill}"'
        tip = f"<title>{escaped(whole)}</title>" if shown != whole else ""
        self.parts.append(f"<text{attributes}>{tip}{escaped(shown)}</text>")

    def lines_of_text(self, x: float, y: float, lines: list[str], size: float) -> float:
        """Lines (from :func:`wrapped`) as one text, the first baseline at ``y``; returns the
        last baseline."""
        step = 1.3 * size
        spans = "".join(f'<tspan x="{number(x)}" dy="{0 if i == 0 else number(step)}">'
                        f"{escaped(line)}</tspan>" for i, line in enumerate(lines))
        width = max(text_width(line, size) for line in lines) * SLACK
        last = y + step * (len(lines) - 1)
        self.reach(x, y - ASCENT * size, x + width, last + DESCENT * size)
        self.parts.append(f'<text x="{number(x)}" y="{number(y)}" font-size="{number(size)}">'
                          f"{spans}</text>")
        return last

    def rect(self, x: float, y: float, width: float, height: float, fill: str) -> None:
        self.reach(x, y, x + width, y + height)
        self.parts.append(f'<rect x="{number(x)}" y="{number(y)}" width="{number(width)}" '
                          f'height="{number(height)}" fill="{fill}"/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = INK,
             width: float = 1, more: str = "") -> None:
        half = width / 2
        self.reach(min(x1, x2) - half, min(y1, y2) - half, max(x1, x2) + half,
                   max(y1, y2) + half)
        self.parts.append(f'<line x1="{number(x1)}" y1="{number(y1)}" x2="{number(x2)}" '
                          f'y2="{number(y2)}" stroke="{stroke}" stroke-width="{number(width)}"'
                          f"{more}/>")

    def circle(self, x: float, y: float, radius: float, fill: str, more: str = "") -> None:
        self.reach(x - radius, y - radius, x + radius, y + radius)
        self.parts.append(f'<circle cx="{number(x)}" cy="{number(y)}" r="{number(radius)}" '
                          f'fill="{fill}"{more}/>')

    def svg(self, label: str, title: str) -> str:
        """The drawing as an ``<svg>`` element whose box is what is drawn plus a margin;
        its ``width`` lets CSS shrink it to the page (``max-width:100%;height:auto``)."""
        left, top = math.floor(self.left - PAD), math.floor(self.top - PAD)
        width = math.ceil(self.right + PAD) - left
        height = math.ceil(self.bottom + PAD) - top
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left} {top} {width} '
                f'{height}" width="{width}" height="{height}" role="img" '
                f'aria-label="{escaped(chart_text(label))}" font-family="{FAMILY}" '
                f'font-size="{SIZE}" fill="{INK}"><title>{escaped(chart_text(title))}</title>'
                + "".join(self.parts) + "</svg>")


def label_room(labels: list[str], size: float = SIZE) -> float:
    """Room for the longest of ``labels`` (with slack), at most :data:`MAX_LABEL`."""
    widest = max((text_width(chart_text(label), size) for label in labels), default=0.0)
    return min(MAX_LABEL, widest * SLACK)


def title_lines(drawing: Drawing, title: str, room: float, size: float = TITLE_SIZE) -> float:
    """The chart's title at the top left, wrapped to ``room``; returns where it ends."""
    last = drawing.lines_of_text(0, ASCENT * size, wrapped(chart_text(title), size, room), size)
    return last + DESCENT * size


def percent_bars(labels: list[str], shares: list[tuple[float, float, float]],
                 colours: list[str], notes: list[str], x_label: str, title: str,
                 label: str) -> str:
    """Horizontal bars of shares (0–1) with their intervals as whiskers, a note right of each,
    the labels on the left, the first bar at the top."""
    drawing = Drawing()
    x0 = label_room(labels) + 8
    scale = PLOT / 100
    notes_room = max((text_width(n, SIZE) for n in notes), default=0.0) * SLACK
    y0 = title_lines(drawing, title, x0 + PLOT + 10 + notes_room) + 12
    bottom = y0 + ROW * max(1, len(labels))
    for tick in (25, 50, 75, 100):
        drawing.line(x0 + tick * scale, y0, x0 + tick * scale, bottom, FAINT)
    for i, (name, (share, low, high), colour, note) in enumerate(
            zip(labels, shares, colours, notes, strict=True)):
        middle = y0 + ROW * i + ROW / 2
        drawing.rect(x0, middle - BAR / 2, 100 * share * scale, BAR, colour)
        left, right = x0 + 100 * low * scale, x0 + 100 * high * scale
        drawing.line(left, middle, right, middle, "#333333")
        for end in (left, right):
            drawing.line(end, middle - 5, end, middle + 5, "#333333")
        drawing.text(x0 - 6, middle + 0.35 * SIZE, name, anchor="end", room=MAX_LABEL)
        drawing.text(x0 + 100 * scale + 8, middle + 0.35 * SIZE, note)
    drawing.line(x0, y0, x0, bottom)
    drawing.line(x0, bottom, x0 + PLOT, bottom)
    for tick in (0, 25, 50, 75, 100):
        drawing.line(x0 + tick * scale, bottom, x0 + tick * scale, bottom + 4)
        drawing.text(x0 + tick * scale, bottom + 6 + SMALL_SIZE, str(tick), SMALL_SIZE,
                     "middle")
    drawing.text(x0 + PLOT / 2, bottom + 12 + SMALL_SIZE + SIZE * 1.3, x_label,
                 anchor="middle")
    return drawing.svg(label, title)


def chart_understood(rows: list[ScreenRow], title: str) -> str:
    """Horizontal bars of % understood with their 95% intervals, in walk order."""
    rows = [r for r in rows if r.pct_understood is not None]
    return percent_bars(
        [chart_text(r.screen_id) + (f" [{chart_text(r.variant)}]" if r.variant else "")
         for r in rows],
        [(r.pct_understood or 0.0, r.ci_low or 0.0, r.ci_high or 0.0) for r in rows],
        [GREY if r.small_sample else BLUE for r in rows],
        [f"{pct(r.pct_understood or 0.0)} (n={r.answered:,})" for r in rows],
        f"% understood (bars: 95% interval; grey: fewer than {SMALL_SAMPLE} answers)",
        f"{title}: % understood per screen", "% understood per screen")


def chart_variants(names: list[str], tallies: list[Any], title: str) -> str:
    """One bar per version of the deck, the best understood first (in green)."""
    shares = []
    for tally in tallies:
        low, high = tally.interval()
        shares.append((tally.share() or 0.0, low, high))
    return percent_bars(
        [chart_text(n) for n in names], shares, [GREEN] + [BLUE] * (len(names) - 1),
        [f"{t.understood:,} of {t.answered:,}" for t in tallies],
        "% understood (bars: 95% interval)", f"{title}: versions compared", "versions compared")


def ticks(top: int) -> list[int]:
    """Round numbers from 0 past ``top``: about five steps of 1, 2 or 5 times a power of ten."""
    rough = max(top, 1) / 5
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return list(range(0, math.ceil(max(top, 1) / step) * step + 1, step))


def chart_dropoff(rows: list[ScreenRow], title: str) -> str:
    """How many people reached each screen, and how many walked away there: one row per
    screen in walk order, so long screen names read across."""
    drawing = Drawing()
    labels = [chart_text(r.screen_id) for r in rows]
    reached = [r.views - r.abandoned for r in rows]
    left = [r.abandoned_here for r in rows]
    marks = ticks(max((a + b for a, b in zip(reached, left, strict=True)), default=1))
    scale = PLOT / marks[-1]
    x0 = label_room(labels) + 8
    notes = [f"{n:,} walked away" if n else "" for n in left]
    notes_room = max((text_width(n, SMALL_SIZE) for n in notes), default=0.0) * SLACK
    y = title_lines(drawing, title, x0 + PLOT + 10 + notes_room) + 10 + SMALL_SIZE
    x = x0
    for colour, name in ((BLUE, "answered or skipped here"), (RED, "walked away here")):
        drawing.rect(x, y - 10, 12, 12, colour)
        drawing.text(x + 17, y, name, SMALL_SIZE)
        x += 17 + text_width(name, SMALL_SIZE) * SLACK + 18
    y0 = y + 12
    bottom = y0 + ROW * max(1, len(rows))
    for mark in marks[1:]:
        drawing.line(x0 + mark * scale, y0, x0 + mark * scale, bottom, FAINT)
    for i, (name, here, gone, note) in enumerate(zip(labels, reached, left, notes,
                                                     strict=True)):
        middle = y0 + ROW * i + ROW / 2
        drawing.rect(x0, middle - BAR / 2, here * scale, BAR, BLUE)
        if gone:
            drawing.rect(x0 + here * scale, middle - BAR / 2, gone * scale, BAR, RED)
            drawing.text(x0 + (here + gone) * scale + 6, middle + 0.35 * SMALL_SIZE, note,
                         SMALL_SIZE, fill=RED)
        drawing.text(x0 - 6, middle + 0.35 * SIZE, name, anchor="end", room=MAX_LABEL)
    drawing.line(x0, y0, x0, bottom)
    drawing.line(x0, bottom, x0 + PLOT, bottom)
    for mark in marks:
        drawing.line(x0 + mark * scale, bottom, x0 + mark * scale, bottom + 4)
        drawing.text(x0 + mark * scale, bottom + 6 + SMALL_SIZE, f"{mark:,}", SMALL_SIZE,
                     "middle")
    drawing.text(x0 + PLOT / 2, bottom + 12 + SMALL_SIZE + SIZE * 1.3, "people",
                 anchor="middle")
    return drawing.svg("where people walked away", title)


def chart_paths(row: TaskRow, expected: tuple[str, ...]) -> str | None:
    """A path diagram: screens by step, lines as thick as the number of people who moved
    (None when nobody moved or there are too many screens for a readable diagram)."""
    moves: Counter = Counter()
    finishes: Counter = Counter()
    screens: dict[str, int] = {}
    longest = 0
    for path in row.paths:
        shown = path.screens[:8]
        longest = max(longest, len(shown))
        for screen in shown:
            screens.setdefault(screen, len(screens))
        for step, (a, b) in enumerate(zip(shown, shown[1:], strict=False)):
            moves[(step, a, b)] += path.people
        good = path.outcomes["direct"] + path.outcomes["indirect"]
        finishes[(len(shown) - 1, shown[-1], good > 0)] += path.people
    if not moves or len(screens) > 14:
        return None
    top = max(moves.values())
    # a move made by fewer than 2% of people is left out: it would only add scribble
    floor = max(1, round(0.02 * sum(p.people for p in row.paths)))
    on_path = {(step, a, b) for step, (a, b) in
               enumerate(zip(expected, expected[1:], strict=False))}
    left_out = "" if floor <= 1 else f"; moves by fewer than {floor} people not drawn"
    title = ("Paths: thicker = more people; green = the expected path; red dots = gave up "
             f"or walked away there{left_out}")

    drawing = Drawing()
    x0 = label_room(list(screens)) + 8
    column = min(120.0, 560 / (longest - 0.4))
    y0 = title_lines(drawing, title, x0 + column * (longest - 0.4), SIZE) + 12
    bottom = y0 + 32 * len(screens)

    def at(step: int, screen: str) -> tuple[float, float]:
        return x0 + (step + 0.3) * column, y0 + 32 * screens[screen] + 16

    kept = sorted(((k, n) for k, n in moves.items() if n >= floor), key=lambda kv: kv[1])
    for (step, a, b), n in kept:
        colour = GREEN if (step, a, b) in on_path else BLUE
        drawing.line(*at(step, a), *at(step + 1, b), colour, 1 + 12 * n / top,
                     ' stroke-opacity="0.55" stroke-linecap="round"')
    for (step, screen, good), n in finishes.items():
        if not good and n >= floor:
            drawing.circle(*at(step, screen), 1.3 * math.sqrt((20 + 200 * n / top) / math.pi),
                           RED, ' fill-opacity="0.7"')
    for screen in screens:
        drawing.text(x0 - 6, at(0, screen)[1] + 0.35 * SIZE, screen, anchor="end",
                     room=MAX_LABEL)
    drawing.line(x0, y0, x0, bottom)
    drawing.line(x0, bottom, x0 + column * (longest - 0.4), bottom)
    for step in range(longest):
        x = at(step, next(iter(screens)))[0]
        drawing.line(x, bottom, x, bottom + 4)
        drawing.text(x, bottom + 6 + SMALL_SIZE, f"step {step + 1}", SMALL_SIZE, "middle")
    return drawing.svg(f"path diagram for {row.task}",
                       f"Path diagram for {chart_text(row.task)}: {title}")
