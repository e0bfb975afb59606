"""Read along on the screen: the picture eases to the passage being read, the rest dimmed.

A support worker reading a letter with someone points at the paragraph being read. The
kiosk does the same with a deck screen's parts: while a part is read (``View.region``), the
picture is drawn so that part fills the room the folded layout gives it (kiosk/screen/
layout.py, ``plan(region=..., folded=True)``), with the page around it still there but dimmed,
and a yellow-and-dark outline round it that stands out on light and dark pictures alike.

Moves are eased over ``EASE_SECONDS`` on the clock the painter is given (so tests move time
by hand), and only while a move is under way does the screen need redrawing: ``moving``
says when, so a screen at rest stays at rest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.decks.model import Deck, Part, Screen
from kiosk.screen import palette as p
from kiosk.screen.layout import ScreenLayout, plan

if TYPE_CHECKING:
    import pygame

EASE_SECONDS = 0.4
Box = tuple[float, float, float, float]  # x, y, width, height
Size = tuple[int, int]

OUTLINE: p.Colour = p.YELLOW  # the focus colour: seen on the dimmed page and on a dark one
OUTLINE_INNER: p.Colour = p.TEXT_DARK  # seen on the white paper inside the passage
DIM: p.Colour = (90, 90, 90)  # multiplies the picture outside the passage (about a third)


def padded(region: tuple[int, int, int, int], picture: Size) -> tuple[int, int, int, int]:
    """The region with a little paper round it (so the outline never touches the words),
    kept inside the picture."""
    x, y, w, h = region
    pad = max(6, round(0.015 * max(picture)))
    left, top = max(0, x - pad), max(0, y - pad)
    right, bottom = min(picture[0], x + w + pad), min(picture[1], y + h + pad)
    return left, top, max(1, right - left), max(1, bottom - top)


def _no_words(size: int, width: int) -> int:
    return 0  # a folded layout shows no question: nothing to measure


def region_layout(display: Size, picture: Size, region: tuple[int, int, int, int]
                  ) -> ScreenLayout:
    """Where a passage (with its bit of paper) lands while it is read: the folded layout."""
    return plan(display, picture, _no_words, region=padded(region, picture), folded=True)


def load_size(picture: Size, parts: Sequence[Part], display: Size) -> Size:
    """The size to decode a read-along picture at: enough for the closest zoom to be sharp
    (never more than the picture's own pixels), so zooming never enlarges a blur."""
    scale = 0.0
    for part in parts:
        area = padded(part.rect, picture)
        scale = max(scale, region_layout(display, picture, part.rect).picture[2] / area[2])
    scale = min(1.0, scale or 1.0)
    return max(1, round(picture[0] * scale)), max(1, round(picture[1] * scale))


def read_along_screen(deck: Deck | None, path: Path) -> Screen | None:
    """The read-along screen whose picture (in any language) is ``path``, if one is."""
    if deck is None or deck.folder is None:
        return None
    for screen in deck.screens:
        images = [screen.image, *(t.image for t in screen.translations.values() if t.image)]
        if screen.parts and path in (deck.path_of(image) for image in images):
            return screen
    return None


@dataclass(frozen=True)
class Shot:
    """What the screen shows of the picture: ``source`` (in the picture's own pixels) drawn
    into ``dest`` (screen pixels), and the passage to outline (picture pixels), if any."""

    source: Box
    dest: Box
    highlight: Box | None = None


def region_shot(display: Size, picture: Size, region: tuple[int, int, int, int]) -> Shot:
    """The passage where the folded layout puts it, and the page round it filling the rest of
    the screen (dimmed when drawn), so the reader still sees where on the page it is."""
    area = padded(region, picture)
    x, y, w, h = region_layout(display, picture, region).picture
    edge = max(4, round(min(display) / 100))  # room for the whole outline inside the screen
    beside, below = display[0] - w >= 2 * edge, display[1] - h >= 2 * edge  # a band there
    scale = min((w if beside else w - 2 * edge) / area[2],
                (h if below else h - 2 * edge) / area[3])
    left = x + (w - area[2] * scale) / 2
    top = y + (h - area[3] * scale) / 2 + (edge if below and y < edge else 0)
    source = (area[0] - left / scale, area[1] - top / scale,
              display[0] / scale, display[1] / scale)
    return Shot(source, (0, 0, display[0], display[1]), tuple(map(float, area)))  # type: ignore[arg-type]


def whole_shot(picture: Size, where: tuple[int, int, int, int]) -> Shot:
    return Shot((0, 0, picture[0], picture[1]), tuple(map(float, where)))  # type: ignore[arg-type]


def ease(t: float) -> float:
    """Slow out, slow in: a zoom that starts and stops gently."""
    t = min(1.0, max(0.0, t))
    return 0.5 - 0.5 * math.cos(math.pi * t)


def _mix(a: Box, b: Box, t: float) -> Box:
    return tuple(x + (y - x) * t for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def between(a: Shot, b: Shot, t: float) -> Shot:
    """The shot ``t`` of the way from ``a`` to ``b`` (the outline is the target's)."""
    return Shot(_mix(a.source, b.source, t), _mix(a.dest, b.dest, t), b.highlight)


class Camera:
    """Remembers what was shown and eases to each new shot of the same picture."""

    def __init__(self) -> None:
        self._picture: object = None
        self._from: Shot | None = None
        self._to: Shot | None = None
        self._since = 0.0
        self._scaled: tuple[tuple, object] | None = None  # the last still frame, kept
        self._rested = True  # the last frame drawn was the move's end (smoothed), not a step

    def aim(self, picture: object, target: Shot, now: float, start: Shot | None = None) -> Shot:
        """The shot to draw now. A new picture starts from ``start`` (the whole page, so the
        eye sees where the first passage is) or at the target; a new target of the same
        picture is eased to from wherever the last move had got to."""
        if picture != self._picture or self._to is None:
            self._picture, self._from, self._to, self._since = picture, start or target, \
                target, now
        elif target != self._to:
            self._from, self._to, self._since = self.shot(now), target, now
        return self.shot(now)

    def shot(self, now: float) -> Shot:
        assert self._to is not None and self._from is not None
        if not self.easing(now):
            return self._to
        return between(self._from, self._to, ease((now - self._since) / EASE_SECONDS))

    def easing(self, now: float) -> bool:
        """Whether a move is under way at ``now``."""
        return (self._to is not None and self._from != self._to
                and now - self._since < EASE_SECONDS)

    def moving(self, now: float) -> bool:
        """Whether the screen must be drawn again: a move is under way, or its last frame
        (the one at rest) is still to be drawn."""
        return self.easing(now) or not self._rested

    def away(self) -> None:
        """Something else is being drawn: no frame of this picture is owed any more."""
        self._rested = True

    def draw(self, surface, image, original: Size, shot: Shot, still: bool,
             frame: Box | None = None) -> tuple[pygame.Rect, float]:
        """Draw ``shot`` of the loaded ``image`` (the picture decoded at some size; ``original``
        is its own size), inside ``frame`` if given (zooming out, the picture stays in its
        place and the question beside it stays clear). Returns where the whole picture lies on
        the screen (a pygame Rect, perhaps larger than the screen) and picture pixels per
        screen pixel, for taps."""
        import pygame

        self._rested = still
        if shot.highlight is not None:  # the page fills the screen: no panels round it
            surface.fill(p.LETTERBOX)
        loaded = image.get_size()
        kx = shot.dest[2] / shot.source[2]  # screen px per original px (the same both ways
        ky = shot.dest[3] / shot.source[3]  # but for rounding: the whole page is exact)
        whole = pygame.Rect(round(shot.dest[0] - shot.source[0] * kx),
                            round(shot.dest[1] - shot.source[1] * ky),
                            max(1, round(original[0] * kx)), max(1, round(original[1] * ky)))
        seen = whole.clip(pygame.Rect(frame or shot.dest)).clip(surface.get_rect())
        if seen.width > 0 and seen.height > 0:
            fx, fy = loaded[0] / whole.width, loaded[1] / whole.height  # loaded px per screen px
            area = pygame.Rect(math.floor((seen.x - whole.x) * fx),
                               math.floor((seen.y - whole.y) * fy),
                               max(1, math.ceil(seen.width * fx)),
                               max(1, math.ceil(seen.height * fy))).clip(image.get_rect())
            key = (id(image), tuple(area), seen.size)
            if self._scaled is not None and self._scaled[0] == key:
                piece = self._scaled[1]
            else:
                if still:  # a frame at rest is smoothed and kept
                    piece = pygame.transform.smoothscale(image.subsurface(area), seen.size)
                    self._scaled = (key, piece)
                else:  # a frame of a 0.4 s move: the quick scale, thrown away after
                    piece = pygame.transform.scale(image.subsurface(area), seen.size)
            surface.blit(piece, seen)
        if shot.highlight is not None:
            hx, hy, hw, hh = shot.highlight
            passage = pygame.Rect(round(whole.x + hx * kx), round(whole.y + hy * ky),
                                  round(hw * kx), round(hh * ky))
            self._outline(surface, passage)
        return whole, original[0] / whole.width

    @staticmethod
    def _outline(surface, passage) -> None:
        """Dim all but the passage, then a dark line on the paper and a yellow one outside."""
        import pygame

        screen = surface.get_rect()
        top = pygame.Rect(0, 0, screen.width, max(0, passage.top))
        bottom = pygame.Rect(0, passage.bottom, screen.width,
                             max(0, screen.height - passage.bottom))
        left = pygame.Rect(0, passage.top, max(0, passage.left), passage.height)
        right = pygame.Rect(passage.right, passage.top, max(0, screen.width - passage.right),
                            passage.height)
        for rect in (top, bottom, left, right):
            rect = rect.clip(screen)
            if rect.width and rect.height:
                surface.fill(DIM, rect, special_flags=pygame.BLEND_RGB_MULT)
        line = max(2, round(min(screen.size) / 160))
        pygame.draw.rect(surface, OUTLINE_INNER, passage, width=line)
        pygame.draw.rect(surface, OUTLINE, passage.inflate(2 * line, 2 * line), width=line)
