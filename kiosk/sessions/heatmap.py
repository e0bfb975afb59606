"""Where people pressed: a tap heat map per screen, drawn over the screen's own picture.

Taps (``tap``: on a button) and misclicks (``miss``: on no button) carry ``x``, ``y`` in the
image's own pixels, so they land on the picture exactly. The picture comes from the deck on
this computer when it is there; otherwise a plain canvas the size of the picture (or big
enough for the taps) with the buttons' rectangles, so the map still says where. Drawn with
Pillow and numpy (the designer extra) only: a blurred density in warm colours, every
tap as a small mark (green dot: a button; red cross: no button), buttons outlined in blue.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# zlib level for the report's pictures (heat maps, charts, posters): flat pictures shrink
# almost as well at 1 as at the default 6, in a third of the time
PNG_LEVEL = 1

WIDTH = 520  # pixels wide in the report; tall screens are capped in height instead
MAX_HEIGHT = 620
BLUE, GREEN, RED = (0, 94, 184), (20, 140, 60), (200, 30, 30)
PLAIN = (246, 246, 246)  # the canvas where the deck's picture is not on this computer
# A press farther than this from a picture's corner, in pixels, is on no picture (a deck's
# pictures are at most 10,000 pixels a side): counted as off the picture, never drawn.
FARTHEST = 100_000


@dataclass
class ScreenTaps:
    """Every tap and miss on one screen of one deck version, task or not. ``hits`` and
    ``misses``: their (x, y), as numpy arrays of two columns (lists are made into them): a
    year's taps are counted and drawn by numpy, not one at a time."""

    deck_id: str
    deck_version: int
    screen_id: str
    hits: Any = ()
    misses: Any = ()
    off_image: int = 0  # presses with no place on the picture (no coordinates, or absurd)
    by_label: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def __post_init__(self) -> None:
        import numpy as np

        self.hits = np.asarray(self.hits, dtype=float).reshape(-1, 2)
        self.misses = np.asarray(self.misses, dtype=float).reshape(-1, 2)

    @property
    def pressed(self) -> Any:
        """Every press with a place: the hits, then the misses."""
        import numpy as np

        return np.concatenate([self.hits, self.misses])

    @property
    def total(self) -> int:
        return len(self.hits) + len(self.misses) + self.off_image

    def counts(self) -> TapCounts:
        return TapCounts(self.screen_id, len(self.hits), len(self.misses), self.off_image,
                         dict(self.by_label))


@dataclass
class TapCounts:
    """What the page says of a screen's taps beside its heat map: counts only (a year's
    tap positions stay in the process that drew the maps)."""

    screen_id: str
    on_buttons: int
    misclicks: int
    off_image: int
    by_label: dict[str, int]

    @property
    def total(self) -> int:
        return self.on_buttons + self.misclicks + self.off_image


def collect_taps(sessions: list[dict],
                 events: list[dict]) -> dict[tuple[str, int, str], ScreenTaps]:
    """Group taps and misses by deck version and screen.

    From lists: counted by :func:`taps_from_store` in an in-memory store (one way).
    """
    from kiosk.sessions.designer_store import SqliteStore

    store = SqliteStore(None)
    try:
        store.add_sessions(sessions)
        store.add_events(list(events))
        return taps_from_store(store)
    finally:
        store.close()


# Every tap and miss: whether it has a place on a picture is told by SQL (1: a tap, 0: a
# miss, NULL: no place, or none on any picture: no coordinates, infinity, NaN...)
TAP_SQL = f"""
SELECT deck_id, deck_version, CAST(screen_id AS TEXT),
       CASE WHEN typeof(x) IN ('integer', 'real') AND typeof(y) IN ('integer', 'real')
            AND x BETWEEN -{FARTHEST} AND {FARTHEST} AND y BETWEEN -{FARTHEST} AND {FARTHEST}
            THEN kind = 'tap' END,
       x, y, COALESCE(NULLIF(hotspot, ''), label, '')
FROM events WHERE kind IN ('tap', 'miss') AND kind != 'answer' AND deck_id IS NOT NULL
"""


def taps_from_store(store: Any) -> dict[tuple[str, int, str], ScreenTaps]:
    """Taps and misses per deck version and screen, read from the store (``SqliteStore``).

    One pass over the taps, row by row: counting them in SQL and reading each screen's
    places apart took three passes through the index, twice as long."""
    hits: dict[tuple[str, int, str], list[tuple[float, float]]] = defaultdict(list)
    misses: dict[tuple[str, int, str], list[tuple[float, float]]] = defaultdict(list)
    off_image: dict[tuple[str, int, str], int] = defaultdict(int)
    by_label: dict[tuple[str, int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    screens: dict[tuple[str, int, str], None] = {}  # in the order first pressed
    for deck_id, version, screen_id, tap, x, y, label in store.db.execute(TAP_SQL):
        key = (deck_id, version, screen_id)
        if key not in screens:
            screens[key] = None
        if tap:
            hits[key].append((x, y))
            by_label[key][str(label or "")] += 1
        elif tap is None:
            off_image[key] += 1
        else:
            misses[key].append((x, y))
    return {key: ScreenTaps(*key, hits.get(key, []), misses.get(key, []), off_image.get(key, 0),
                            by_label.get(key, defaultdict(int))) for key in screens}


def _blur(grid: Any, radius: float) -> Any:
    """A separable Gaussian blur in numpy (Pillow cannot blur float images)."""
    import numpy as np

    size = max(1, int(3 * radius))
    xs = np.arange(-size, size + 1)
    kernel = np.exp(-(xs ** 2) / (2 * radius * radius))
    kernel /= kernel.sum()
    grid = np.apply_along_axis(lambda r: np.convolve(r, kernel, mode="same"), 1, grid)
    return np.apply_along_axis(lambda c: np.convolve(c, kernel, mode="same"), 0, grid)


def _crop_box(picture: Any, taps: ScreenTaps,
              hotspots: list[tuple[tuple[int, int, int, int], str]]) -> tuple[int, ...]:
    """The picture without its plain border (a phone mock-up on a wide backdrop), never
    cutting off a tap or a button, so the screen is drawn as large as it can be."""
    from PIL import Image, ImageChops

    backdrop = Image.new("RGB", picture.size, picture.getpixel((0, 0)))
    box = ImageChops.difference(picture, backdrop).convert("L").point(
        lambda v: 255 if v > 12 else 0).getbbox()
    if box is None:
        return (0, 0, *picture.size)
    pressed = taps.pressed
    xs = [pressed[:, 0].min(initial=box[0]), pressed[:, 0].max(initial=box[2])] + \
        [r[0] for r, _ in hotspots] + [r[0] + r[2] for r, _ in hotspots]
    ys = [pressed[:, 1].min(initial=box[1]), pressed[:, 1].max(initial=box[3])] + \
        [r[1] for r, _ in hotspots] + [r[1] + r[3] for r, _ in hotspots]
    margin = max(picture.size) // 40
    left = max(0, min([box[0]] + xs) - margin)
    top = max(0, min([box[1]] + ys) - margin)
    right = min(picture.size[0], max([box[2]] + xs) + margin)
    bottom = min(picture.size[1], max([box[3]] + ys) + margin)
    return int(left), int(top), int(right), int(bottom)


def draw_heatmap(taps: ScreenTaps, image: Path | None,
                 hotspots: list[tuple[tuple[int, int, int, int], str]]) -> Any:
    """The heat map as a Pillow image (RGB); ``image`` may be None or missing."""
    import numpy as np
    from PIL import Image, ImageDraw

    picture = None
    if image is not None and image.is_file():
        try:
            with Image.open(image) as opened:
                picture = opened.convert("RGB")
        except OSError:
            picture = None
    if picture is not None:
        left, top, right, bottom = _crop_box(picture, taps, hotspots)
        picture = picture.crop((left, top, right, bottom))
        if left or top:
            taps = ScreenTaps(taps.deck_id, taps.deck_version, taps.screen_id,
                              taps.hits - (left, top), taps.misses - (left, top),
                              taps.off_image)
            hotspots = [((r[0] - left, r[1] - top, r[2], r[3]), label)
                        for r, label in hotspots]
        size = picture.size
    else:  # a plain canvas big enough for the presses and the buttons (never made full size)
        far = taps.pressed.max(axis=0, initial=1)
        far_x = max([far[0]] + [r[0] + r[2] for r, _ in hotspots])
        far_y = max([far[1]] + [r[1] + r[3] for r, _ in hotspots])
        size = (int(far_x * 1.05) + 1, int(far_y * 1.05) + 1)
    scale = min(WIDTH / size[0], MAX_HEIGHT / size[1])
    shown = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
    if picture is None:
        base = Image.new("RGB", shown, PLAIN)
    else:
        # shrunk by a whole factor first (a box filter), then the rest with LANCZOS: for a
        # faded backdrop the same picture to the eye (0.5 of 255 apart on average), in half
        # the time
        base = picture.resize(shown, Image.Resampling.LANCZOS, reducing_gap=1.25)
    # fade the screen so the marks read, but keep it recognisable
    base = Image.blend(base, Image.new("RGB", shown, (255, 255, 255)), 0.45).convert("RGBA")

    grid = np.zeros((shown[1], shown[0]), dtype=float)
    if len(taps.hits) or len(taps.misses):
        pressed = taps.pressed * scale
        pressed = pressed[((pressed > -1) & (pressed < shown)).all(axis=1)]
        gx, gy = pressed[:, 0].astype(int), pressed[:, 1].astype(int)  # (towards 0, as int())
        np.add.at(grid, (gy, gx), 1.0)
    if grid.any():
        # blur at a quarter of the size, then enlarge: the same picture, 16 times less work
        rows, cols = (shown[1] + 3) // 4, (shown[0] + 3) // 4
        coarse = np.zeros((rows, cols))
        ys, xs = np.nonzero(grid)
        np.add.at(coarse, (ys // 4, xs // 4), grid[ys, xs])
        blurred = _blur(coarse, radius=max(1.0, shown[0] / 240))
        heat = np.asarray(Image.fromarray(blurred.astype(np.float32), "F").resize(
            shown, Image.Resampling.BILINEAR), dtype=float)
        heat = np.clip(heat, 0, None) / max(float(heat.max()), 1e-9)
        # transparent where nobody pressed, yellow to red where many did
        alpha = (np.clip(heat * 1.6, 0, 1) ** 0.7 * 170).astype(np.uint8)
        red = np.full_like(alpha, 230)
        green = (210 * (1 - np.clip(heat, 0, 1))).astype(np.uint8)
        blue = np.zeros_like(alpha)
        layer = Image.fromarray(np.dstack([red, green, blue, alpha]), "RGBA")
        base = Image.alpha_composite(base, layer)

    marks = Image.new("RGBA", shown, (0, 0, 0, 0))
    draw = ImageDraw.Draw(marks)
    for (left, top, width, height), _label in hotspots:
        draw.rectangle([left * scale, top * scale, (left + width) * scale,
                        (top + height) * scale], outline=BLUE + (255,), width=2)
    crowd = len(taps.hits) + len(taps.misses)
    opacity = 220 if crowd < 200 else 130 if crowd < 2000 else 80
    for box in _marks(taps.hits, scale, 2.5, shown):
        draw.ellipse(box, fill=GREEN + (opacity,))
    for x0, y0, x1, y1 in _marks(taps.misses, scale, 4, shown):
        draw.line([x0, y0, x1, y1], fill=RED + (opacity + 30,), width=2)
        draw.line([x0, y1, x1, y0], fill=RED + (opacity + 30,), width=2)
    out = Image.alpha_composite(base, marks).convert("RGB")
    ImageDraw.Draw(out).rectangle([0, 0, shown[0] - 1, shown[1] - 1], outline=(150, 150, 150))
    return out


def _marks(points: Any, scale: float, reach: float,
           size: tuple[int, int]) -> list[tuple[int, ...]]:
    """The box of each press's mark on a picture of ``size`` (``reach`` pixels each way from
    the press, at ``scale``), in whole pixels, each box once; marks wholly off the picture
    are left out.

    Pillow draws a mark by whole pixels, the same from a box in fractions as from that box
    cut to whole numbers (checked in the tests), and one mark over another of the same
    colour changes nothing (a drawing replaces the pixels it covers). So a year's taps, many
    in the same few pixels, are drawn once per box: a third of the drawing calls, the same
    picture."""
    import numpy as np

    if not len(points):
        return []
    centres = points * scale
    boxes = np.trunc(np.hstack([centres - reach, centres + reach])).astype(np.int64)
    # (a mark's line is 2 pixels wide: it reaches a pixel past its box)
    boxes = boxes[(boxes[:, 2] >= -2) & (boxes[:, 3] >= -2) & (boxes[:, 0] < size[0] + 2)
                  & (boxes[:, 1] < size[1] + 2)]
    # each box as one number, 16 bits a side (shifted to be at least 0: a box on the
    # picture's edge starts a few pixels off it), so finding each once is a sort of numbers
    shift, sides = 2 * int(reach) + 5, np.array([48, 32, 16, 0], dtype=np.int64)
    keys = np.unique(((boxes + shift) << sides).sum(axis=1))
    return list(map(tuple, (((keys[:, None] >> sides) & 0xFFFF) - shift).tolist()))


def heatmap_png(taps: ScreenTaps, image: Path | None,
                hotspots: list[tuple[tuple[int, int, int, int], str]]) -> str:
    """The heat map as a data URI, for the self-contained report."""
    buffer = io.BytesIO()
    draw_heatmap(taps, image, hotspots).save(buffer, format="PNG", compress_level=PNG_LEVEL)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
