"""The report's bar charts, drawn with matplotlib on Agg canvases (no pyplot, no display)."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

from kiosk.sessions.heatmap import PNG_LEVEL
from kiosk.sessions.stats import SMALL_SAMPLE, ScreenRow, pct

if TYPE_CHECKING:
    from kiosk.sessions.breakdowns import TaskRow


GREEN, RED, GREY, BLUE = "#1b7f3b", "#b3261e", "#9e9e9e", "#005eb8"


def chart_text(text: Any) -> str:
    """Text from a bundle as a chart label: tabs and line breaks (no glyph) become spaces."""
    return "".join(c if c.isprintable() else " " for c in str(text))


DPI = 100
PAD = 10  # pixels of white around what is drawn (savefig's 0.1 inch for a tight crop)
ROOM_INCHES = 3.0  # room first left on each side for labels reaching past the figure


def png(figure: Any) -> str:
    """The figure as a PNG data URI, cut to what is drawn plus a white margin.

    ``savefig(bbox_inches="tight")`` would lay out and draw each figure twice (once to
    measure, once to paint). Here the figure gets room on every side, its axes keeping
    their size, so labels past its edge (long screen names, the legend) are painted too;
    it is drawn once and cut where its ink ends. Ink at the edge of that room means longer
    labels: they are measured and the figure drawn again with the room they need.
    """
    import numpy as np
    from PIL import Image

    size = figure.get_size_inches()
    places = [(axes, axes.get_position().frozen()) for axes in figure.axes]
    canvas, room, measured = figure.canvas, ROOM_INCHES, False
    while True:
        width, height = size[0] + 2 * room, size[1] + 2 * room
        figure.set_size_inches(width, height)
        for axes, place in places:  # the same place and size in inches, moved in by room
            axes.set_position([(room + place.x0 * size[0]) / width,
                               (room + place.y0 * size[1]) / height,
                               place.width * size[0] / width, place.height * size[1] / height])
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())
        ink = pixels.view(np.uint32)[..., 0] != 0xFFFFFFFF  # not opaque white
        rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        if not len(rows):
            return png_data(Image.new("RGBA", (2 * PAD, 2 * PAD), "white"))
        left, top = int(columns[0]) - PAD, int(rows[0]) - PAD
        right, bottom = int(columns[-1]) + 1 + PAD, int(rows[-1]) + 1 + PAD
        fits = min(left, top) >= 0 and right <= ink.shape[1] and bottom <= ink.shape[0]
        if fits or measured:
            return png_data(Image.fromarray(
                pixels[max(0, top):bottom, max(0, left):right], "RGBA"))
        drawn = figure.get_tightbbox(canvas.get_renderer())  # inches, from the lower left
        room += max(-drawn.x0, -drawn.y0, drawn.x1 - width, drawn.y1 - height) + 2 * PAD / DPI
        measured = True


def png_data(picture: Any) -> str:
    """A Pillow picture as a PNG data URI."""
    buffer = io.BytesIO()
    picture.save(buffer, format="png", dpi=(DPI, DPI), compress_level=PNG_LEVEL)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class Charts:
    """Figures drawn straight onto Agg canvases: no pyplot (its import and its registry of
    open figures cost time and memory, and nothing here is ever shown on a screen)."""

    @staticmethod
    def subplots(figsize: tuple[float, float]) -> tuple[Any, Any]:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=figsize, dpi=DPI, facecolor="white")  # png() cuts off white
        FigureCanvasAgg(figure)
        return figure, figure.add_subplot()


def charts() -> Charts:
    return Charts()


def load_matplotlib() -> None:
    """Import what the charts need (about half a second). The report starts this in a thread
    while SQLite counts: SQLite lets go of the GIL as it works, so the import is then free."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401


def chart_understood(rows: list[ScreenRow], title: str) -> str:
    """Horizontal bars of % understood with their 95% intervals, in walk order."""
    plt = charts()
    rows = [r for r in rows if r.pct_understood is not None]
    height = max(2.0, 0.45 * len(rows) + 1.2)
    figure, axes = plt.subplots(figsize=(8, height))
    labels = [chart_text(r.screen_id) + (f"  [{chart_text(r.variant)}]" if r.variant else "")
              for r in rows]
    shares = [(r.pct_understood or 0.0, r.ci_low or 0.0, r.ci_high or 0.0) for r in rows]
    values = [100 * share for share, _, _ in shares]
    low = [100 * (share - lowest) for share, lowest, _ in shares]
    high = [100 * (highest - share) for share, _, highest in shares]
    colours = [GREY if r.small_sample else BLUE for r in rows]
    positions = range(len(rows))
    axes.barh(positions, values, xerr=[low, high], color=colours, capsize=3,
              error_kw={"ecolor": "#333333", "lw": 1})
    for y, row in zip(positions, rows, strict=True):
        axes.text(101, y, f"{pct(row.pct_understood or 0.0)}  (n={row.answered})", va="center",
                  fontsize=9)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel("% understood (bars: 95% interval; grey: fewer than "
                    f"{SMALL_SAMPLE} answers)")
    axes.set_title(chart_text(title), loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    return png(figure)


def chart_dropoff(rows: list[ScreenRow], title: str) -> str:
    """How many people reached each screen, and how many walked away there."""
    plt = charts()
    figure, axes = plt.subplots(figsize=(8, 3.2))
    positions = list(range(len(rows)))
    reached = [r.views - r.abandoned for r in rows]
    left = [r.abandoned_here for r in rows]
    axes.bar(positions, reached, color=BLUE, label="answered or skipped here")
    axes.bar(positions, left, bottom=reached, color=RED, label="walked away here")
    axes.set_xticks(positions, [chart_text(r.screen_id) for r in rows], rotation=30, ha="right",
                    fontsize=8)
    axes.set_ylabel("people")
    axes.set_title(title, loc="left", fontsize=11)
    axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.spines[["top", "right"]].set_visible(False)
    return png(figure)


def chart_variants(names: list[str], tallies: list[Any], title: str) -> str:
    plt = charts()
    figure, axes = plt.subplots(figsize=(6, 0.7 * len(names) + 1.2))
    values, low, high = [], [], []
    for tally in tallies:
        share = tally.share() or 0.0
        lo, hi = tally.interval()
        values.append(100 * share)
        low.append(100 * (share - lo))
        high.append(100 * (hi - share))
    colours = [GREEN] + [BLUE] * (len(names) - 1)  # names come best understood first
    axes.barh(range(len(names)), values, xerr=[low, high], color=colours, capsize=4)
    for y, tally in enumerate(tallies):
        axes.text(101, y, f"{tally.understood} of {tally.answered}", va="center", fontsize=9)
    axes.set_yticks(range(len(names)), [chart_text(n) for n in names])
    axes.invert_yaxis()
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel("% understood (bars: 95% interval)")
    axes.set_title(title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    return png(figure)


def chart_paths(row: TaskRow, expected: tuple[str, ...]) -> str | None:
    """A path diagram: screens by step, lines as thick as the number of people who moved."""
    from collections import Counter

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
    from matplotlib.collections import LineCollection

    plt = charts()
    figure, axes = plt.subplots(figsize=(8, 0.45 * len(screens) + 1.3))
    top = max(moves.values())
    # a move made by fewer than 2% of people is left out: it would only add scribble
    floor = max(1, round(0.02 * sum(p.people for p in row.paths)))
    on_path = {(step, a, b) for step, (a, b) in
               enumerate(zip(expected, expected[1:], strict=False))}
    kept = sorted(((k, n) for k, n in moves.items() if n >= floor), key=lambda kv: kv[1])
    segments = [[(step, screens[a]), (step + 1, screens[b])] for (step, a, b), _ in kept]
    axes.add_collection(LineCollection(
        segments, colors=[GREEN if move in on_path else BLUE for move, _ in kept],
        linewidths=[0.8 + 9 * n / top for _, n in kept], alpha=0.55, capstyle="round"))
    stops = [(step, screens[screen], n) for (step, screen, good), n in finishes.items()
             if not good and n >= floor]
    if stops:
        axes.scatter([s[0] for s in stops], [s[1] for s in stops],
                     s=[20 + 200 * s[2] / top for s in stops], color=RED, zorder=3, alpha=0.7)
    axes.set_ylim(len(screens) - 0.5, -0.5)
    axes.set_yticks(list(screens.values()), [chart_text(s) for s in screens])
    axes.set_xticks(range(longest), [f"step {i + 1}" for i in range(longest)], fontsize=8)
    axes.set_xlim(-0.3, longest - 0.7)
    left_out = "" if floor <= 1 else f"; moves by fewer than {floor} people not drawn"
    axes.set_title("Paths: thicker = more people; green = the expected path; red dots = gave "
                   f"up or walked away there{left_out}", loc="left", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    return png(figure)
