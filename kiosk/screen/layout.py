"""Where a deck screen's picture, question and red/green cues go: pure geometry, no pygame.

A prototype-testing kiosk exists to show the prototype, so the picture is placed first and
the question takes only the room its words need. Two shapes, chosen from the shape of the
display and of the picture, never distorting the picture:

* ``columns``: the picture full height in the middle; the question above the red cue in the
  left column, the green cue in the right one (a phone frame or an A4 page on a landscape
  display). Red is on the left and green on the right, as on the box.
* ``below``: the picture full width at the top, the question under it, with the cues beside
  the words or under them (a landscape picture, or any picture on a portrait display).
* ``aside``: a picture a little narrower than the display (a phone frame on a portrait
  display) as tall as the words let it be: the question in a slim band under it across the
  whole width, just as tall as its words, and the cues in the narrow columns beside it.

Every shape is tried at every text size. The picture's room decides first; among the plans
that give it nearly the most, and at least GOAL of what its shape allows when any plan can,
the one with the largest words wins.

``region`` (a rectangle of the picture, in the picture's own pixels) is what gets fitted, so a
zoom onto part of a letter reuses the same plan: ``picture`` is where that region lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Rect = tuple[int, int, int, int]  # x, y, width, height
Size = tuple[int, int]
# (text px, wrap width px) -> height of the question's words, from the text code
Measure = Callable[[int, int], int]

MIN_QUESTION = 28  # px at 800x480: the smallest the question's words may ever be
COLUMN_SIZES = (36, 32, MIN_QUESTION)  # px at 800x480, largest first
BELOW_SIZES = (48, 42, 36, 32, MIN_QUESTION)  # a portrait display has room for larger words
MARGIN = 14
CUE_RADIUS = 46
KEEP = 0.95  # plans giving the picture at least this share of the best plan's room compete
GOAL = 0.85  # the share of its best room a picture is promised, when any plan can give it
CUE_GLOW = 10  # px at 800x480: the ring round a lit cue (kiosk/screen/draw.py), kept clear
SMALLEST_CUE = 16  # px at 800x480: smaller, a round cue no longer reads as the button


def text_sizes(display: Size, sizes: tuple[int, ...]) -> list[int]:
    """The sizes to try, largest first: scaled to the display, then (when the picture needs
    the room) down to MIN_QUESTION pixels, never below."""
    unit = unit_of(display)
    scaled = {round(size * unit) for size in sizes}
    return sorted(scaled | {size for size in COLUMN_SIZES if size < min(scaled)}, reverse=True)


def unit_of(display: Size) -> float:
    """1.0 on the 7" 800x480 display; scales with the short side in either orientation, so a
    720x1280 portrait display (denser pixels) gets the same physical sizes as 1280x720."""
    long, short = max(display), min(display)
    return min(long / 800, short / 480)


@dataclass(frozen=True)
class Cue:
    """A round red or green button drawn on the screen."""

    centre: tuple[int, int]
    radius: int


@dataclass(frozen=True)
class ScreenLayout:
    shape: str  # "columns", "below", "aside" or "folded"
    picture: Rect  # where the picture (or its region) is drawn: its own proportions
    panels: tuple[Rect, ...]  # the dark areas behind the question and the cues
    question: Rect  # the words' box: its width is the wrap width, its height theirs
    text_size: int  # px of the question's words
    no: Cue  # red, on the left
    yes: Cue  # green, on the right
    dots: tuple[int, int, int]  # progress dots: centre x, y, widest the row may be


def fit(aspect: float, box: Size) -> Size:
    """The largest size of this width/height ratio inside the box."""
    width, height = box
    if width / max(1, height) > aspect:
        return max(1, round(height * aspect)), height
    return width, max(1, round(width / aspect))


def best_share(layout: ScreenLayout, display: Size, source: Size) -> float:
    """The picture's area as a share of the most it could have at its own proportions."""
    best_w, best_h = fit(source[0] / source[1], display)
    return layout.picture[2] * layout.picture[3] / (best_w * best_h)


def plan(display: Size, picture: Size, measure: Measure, *, region: Rect | None = None,
         folded: bool = False) -> ScreenLayout:
    """The layout for a picture (or a region of it) and a question on this display.

    ``folded``: the question's words are not shown (while the screen itself is read aloud):
    the picture then fills the display as its shape allows, with small cues beside it.
    """
    source = (region[2], region[3]) if region else picture
    aspect = source[0] / source[1]
    if folded:
        return _folded(display, aspect)
    options = _columns(display, aspect, measure) + _below(display, aspect, measure)
    if not options:  # a question far too long for any plan: the words may run off the foot
        options = _below(display, aspect, measure, most_band=0.8)
    most = max(_area(option) for option in options)
    best_w, best_h = fit(aspect, display)
    promised = GOAL * best_w * best_h
    least = max(KEEP * most, promised) if most >= promised else KEEP * most
    return max((o for o in options if _area(o) >= least),
               key=lambda o: (o.text_size, _area(o), o.no.radius, o.shape == "columns"))


def _area(layout: ScreenLayout) -> int:
    return layout.picture[2] * layout.picture[3]


def _columns(display: Size, aspect: float, measure: Measure) -> list[ScreenLayout]:
    """Picture full height in the middle (as large as the question's column allows)."""
    width, height = display
    unit = unit_of(display)
    margin, radius = round(MARGIN * unit), round(CUE_RADIUS * unit)
    narrowest = 2 * radius + 2 * margin
    cue_y = height - margin - radius
    found: list[ScreenLayout] = []
    for scale in (1.0, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6):
        pic_w, pic_h = fit(aspect, (width - 2 * narrowest, round(height * scale)))
        free = width - pic_w
        for text in text_sizes(display, COLUMN_SIZES):
            for share in (0.5, 0.6, 0.7):
                left = max(narrowest, round(free * share))
                right = free - left
                if right < narrowest:
                    continue
                column = left - 2 * margin
                words = measure(text, column)
                above_cue = cue_y - radius - margin
                if margin + words > above_cue:
                    continue
                top = max(margin, (above_cue - words) // 2)
                found.append(ScreenLayout(
                    "columns", (left, (height - pic_h) // 2, pic_w, pic_h),
                    ((0, 0, left, height), (left + pic_w, 0, right, height)),
                    (margin, top, column, words), text,
                    Cue((left // 2, cue_y), radius),
                    Cue((left + pic_w + right // 2, cue_y), radius),
                    (left + pic_w + right // 2, margin, right - 2 * margin)))
                break  # the most centred split that fits at this size
        if found:
            return found
    return found


def _below(display: Size, aspect: float, measure: Measure, most_band: float = 0.5
           ) -> list[ScreenLayout]:
    """Picture full width at the top; the question under it, cues beside or under the words,
    or (a tall picture that leaves room at its sides) beside the picture itself.
    The band takes at most ``most_band`` of the height (its words are clipped beyond)."""
    width, height = display
    unit = unit_of(display)
    margin = round(MARGIN * unit)
    sizes = text_sizes(display, BELOW_SIZES if height > width else COLUMN_SIZES)
    if most_band > 0.5:  # words too many for any band: the smallest shows the most of them
        sizes = sizes[-1:]
    found: list[ScreenLayout] = []
    # Smaller round cues leave the words more width (they are cues: the real buttons are on
    # the box), so a tall phone frame keeps its height on a portrait display.
    arrangements = [(way, round(CUE_RADIUS * unit * scale))
                    for way in ("beside", "under") for scale in (1.0, 0.75, 0.6)]
    for arrangement, radius in arrangements:
        for text in sizes:
            column = width - (4 * (radius + margin) if arrangement == "beside" else 2 * margin)
            words = measure(text, column)
            if arrangement == "beside":
                band = max(2 * radius, words) + 2 * margin
            else:
                band = margin + words + (margin if words else 0) + 2 * radius + margin
            if band >= height * 0.5 and most_band <= 0.5:
                continue
            band = min(band, round(height * most_band))
            pic_w, pic_h = fit(aspect, (width, height - band))
            top = pic_h
            room = height - top  # the band may be taller than it needs: centre its contents
            spare = (room - band) // 2
            if arrangement == "beside":
                middle = top + room // 2
                question = ((width - column) // 2, max(top + margin, middle - words // 2),
                            column, words)
                no = Cue((margin + radius, middle), radius)
                yes = Cue((width - margin - radius, middle), radius)
            else:
                question = (margin, top + max(0, spare) + margin, column, words)
                cue_y = top + spare + band - margin - radius
                no = Cue((width // 4, cue_y), radius)
                yes = Cue((width - width // 4, cue_y), radius)
            found.append(ScreenLayout(
                "below", ((width - pic_w) // 2, 0, pic_w, pic_h), ((0, top, width, room),),
                question, text, no, yes, (width // 2, top + round(8 * unit), width // 2)))
    if most_band <= 0.5:
        found += _aside(display, aspect, measure, sizes)
    return found


def _aside(display: Size, aspect: float, measure: Measure, sizes: list[int]
           ) -> list[ScreenLayout]:
    """A tall picture (a phone frame on a portrait display) as tall as the question lets it
    be: the words in a slim band under it across the whole width, the red and green cues in
    the narrow columns its shape leaves beside it. The band is only as tall as the words."""
    width, height = display
    unit = unit_of(display)
    margin = round(MARGIN * unit)
    pad = max(2, round(MARGIN * unit / 4))  # the words' own line spacing pads them further
    glow = round(CUE_GLOW * unit)  # a lit cue's ring: kept off the picture
    smallest = round(SMALLEST_CUE * unit)
    column = width - 2 * margin
    found: list[ScreenLayout] = []
    if width <= 4 * (smallest + glow):
        return found
    for text in sizes:
        words = measure(text, column)
        band = words + 2 * pad
        if band >= height * 0.5:
            continue
        pic_w, pic_h = fit(aspect, (width - 4 * (smallest + glow), height - band))
        side = (width - pic_w) // 2
        radius = min(round(CUE_RADIUS * unit), side // 2 - glow)
        cue_y = pic_h - glow - radius
        found.append(ScreenLayout(
            "aside", (side, 0, pic_w, pic_h),
            ((0, 0, side, pic_h), (side + pic_w, 0, width - side - pic_w, pic_h),
             (0, pic_h, width, height - pic_h)),
            (margin, pic_h + (height - pic_h - words) // 2, column, words), text,
            Cue((side // 2, cue_y), radius), Cue((width - side // 2, cue_y), radius),
            (side // 2, glow, side - 2 * glow)))  # dots atop the red cue's column, if they fit
    return found


def _folded(display: Size, aspect: float) -> ScreenLayout:
    """The whole display for the picture; the cues in the corners its shape leaves free."""
    width, height = display
    unit = unit_of(display)
    margin = round(MARGIN * unit / 2)
    pic_w, pic_h = fit(aspect, display)
    side, below = (width - pic_w) // 2, height - pic_h
    top = 0 if below > side else below // 2
    room = max(side, below)
    radius = max(round(12 * unit), min(round(CUE_RADIUS * unit), (room - 2 * margin) // 2))
    if below > side:  # at the foot of the band it leaves under the picture: while a passage
        low = height - margin - radius  # is read, the page round it is seen above them
        no, yes = Cue((margin + radius, low), radius), Cue((width - margin - radius, low), radius)
        panels: tuple[Rect, ...] = ((0, pic_h, width, below),)
    else:  # beside it, at the bottom of the side columns
        low = height - margin - radius
        no, yes = Cue((side // 2, low), radius), Cue((width - side // 2, low), radius)
        panels = ((0, 0, side, height), (side + pic_w, 0, width - side - pic_w, height))
    return ScreenLayout("folded", ((width - pic_w) // 2, top, pic_w, pic_h), panels,
                        (0, 0, 0, 0), 0, no, yes, (width // 2, margin, 0))
