"""Turns the walk's ``View`` into pixels: one function per kind of screen.

Sizes are worked out from the window, so the same code serves an 800x480 touch screen, a
720x1280 portrait one and a 1920x1080 monitor: ``unit`` is 1.0 at 800x480. The kiosk's own
words are at least 36 px there. Where a deck screen's picture, question and cues go is decided
by kiosk/screen/layout.py, from the shapes of the window and of the picture.
"""

from __future__ import annotations

import math
from pathlib import Path

import pygame

from kiosk.screen import palette as p
from kiosk.screen import zoom
from kiosk.screen.images import ImageStore
from kiosk.screen.layout import ScreenLayout, plan, unit_of
from kiosk.screen.text import font, render_text, script_of, text_height, wrap
from kiosk.walk.view import FLASH, PULSE, View

MIN_TEXT = 36  # px at 800x480: the smallest words the kiosk itself shows


class Painter:
    """Draws views on a surface of a fixed size and remembers where the screen image went."""

    def __init__(self, size: tuple[int, int], images: ImageStore | None = None) -> None:
        self.width, self.height = size
        self.unit = unit_of(size)
        self.images = images or ImageStore()
        self.image_rect: pygame.Rect | None = None  # where the deck image was drawn
        self.image_scale = 1.0  # image pixels per screen pixel
        self._layouts: dict[tuple, ScreenLayout] = {}
        self._scaled: tuple[tuple, pygame.Surface] | None = None  # the last picture, resized
        self.camera = zoom.Camera()  # read along: eases to the passage being read

    def px(self, value: float) -> int:
        return max(1, round(value * self.unit))

    # ------------------------------------------------------------------ entry points

    glows: list = []  # the last ``draw``'s lamps: (area, what lay under, redraw(s, t, lamp), kind)
    _breathing = False
    _shown_screen: tuple | None = None  # a deck screen drawn: (view, picture, dots, under dots)

    def draw(self, surface: pygame.Surface, view: View, now: float) -> None:
        self.image_rect = None
        self.glows = []
        self._shown_screen = None
        self.camera.away()  # a read-along picture drawn below says again if it still moves
        if view.kind == "screen":
            self._screen(surface, view, now)
        elif view.kind in ("menu", "confirm"):
            self._menu(surface, view, now)
        else:
            self._message(surface, view, now)
        if view.banner:
            self._banner(surface, view.banner)

    def breathe(self, surface: pygame.Surface, now: float) -> list[pygame.Rect]:
        """Redraw only the breathing glows of the last ``draw``: a few small areas, so the
        screen breathes between whole redraws at almost no cost. Returns the areas drawn."""
        self._breathing = True
        try:
            for area, under, redraw, _ in self.glows:
                surface.blit(under, area)
                redraw(surface, now, PULSE)
        finally:
            self._breathing = False
        return [area for area, _, _, _ in self.glows]

    def acknowledge(self, surface: pygame.Surface, view: View, now: float
                    ) -> list[pygame.Rect] | None:
        """Draw only what a press changes on a deck screen (the tick or cross over the picture,
        the two lamps, the progress dots): small areas instead of the whole screen, so the
        answer shows at once even on a Pi Zero. None when more changed: draw it all."""
        from dataclasses import replace

        shown, buttons = self._shown_screen, [g for g in self.glows if g[3] in ("yes", "no")]
        if shown is None or view.kind != "screen" or not view.ack or len(buttons) != 2:
            return None
        before, picture, dots, under_dots = shown
        if replace(before, ack=view.ack, lamps=view.lamps, progress=view.progress) != view:
            return None
        lamps = {"yes": view.lamps[0], "no": view.lamps[1]}
        self._breathing = True
        try:
            for area, under, redraw, kind in buttons:
                surface.blit(under, area)
                redraw(surface, now, lamps[kind])
        finally:
            self._breathing = False
        areas = [area for area, _, _, _ in buttons]
        if view.progress != before.progress and under_dots is not None and view.progress:
            surface.blit(under_dots, dots)
            self._progress_dots(surface, view.progress, self._dots_row)
            areas.append(dots)
        areas.append(self._ack_mark(surface, view.ack, picture))
        self.glows, self._shown_screen = [], None  # a tick or cross does not breathe
        return areas

    def _glow(self, surface: pygame.Surface, area: pygame.Rect, redraw, kind: str) -> None:
        """Note a lamp before it is drawn: where, what lies under it, how to redraw it."""
        if self._breathing:
            return
        area = area.clip(surface.get_rect())
        self.glows.append((area, surface.subsurface(area).copy(), redraw, kind))

    def to_image_pixels(self, pos: tuple[float, float]) -> tuple[float | None, float | None]:
        """A touch or click in window pixels, in the deck image's own pixels (None if off it)."""
        rect = self.image_rect
        if rect is None or not rect.collidepoint(pos):
            return None, None
        return (pos[0] - rect.x) * self.image_scale, (pos[1] - rect.y) * self.image_scale

    def image_box(self, view: View) -> tuple[int, int]:
        """The size deck images are loaded at (ahead, on a worker): fitted to the window, since
        each picture's final place depends on its own shape; drawing shrinks it the last bit."""
        return self.width, self.height

    def layout(self, view: View, picture: tuple[int, int]) -> ScreenLayout:
        """Where this screen's picture, question and cues go (worked out once per screen)."""
        key = (view.question, picture, view.narrating, view.region)
        if key not in self._layouts and view.narrating and view.region:  # a passage, read
            self._layouts[key] = zoom.region_layout((self.width, self.height), picture,
                                                    view.region)
        if key not in self._layouts:
            def measure(size: int, width: int) -> int:
                return text_height(view.question, size, width, bold=True)

            if len(self._layouts) > 64:
                self._layouts.clear()
            self._layouts[key] = plan((self.width, self.height), picture, measure,
                                      folded=view.narrating)
        return self._layouts[key]

    def prefetch(self, paths: list[Path], view: View) -> None:
        """Load ahead the pictures of the screens that may come next, the likeliest first."""
        from dataclasses import replace

        wishes = []
        for path in paths:
            reader = zoom.read_along_screen(view.deck, path)  # decoded sharp enough to zoom
            shown = view if reader is None else replace(view, screen=reader)
            wishes.append((path, self.image_box(shown), self._place(shown)))
        self.images.expect(wishes)

    def _place(self, view: View):
        """The picture's size on this screen, worked out from the picture's own size: the
        picture worker scales it once, straight to it, and drawing is then a plain blit."""
        if view.screen is not None and view.screen.parts:  # sharp at the closest zoom
            parts = view.screen.parts
            return lambda original: zoom.load_size(original, parts, (self.width, self.height))
        return lambda original: pygame.Rect(self.layout(view, original).picture).size

    def moving(self, now: float) -> bool:
        """A read-along zoom is under way: draw every frame until it settles."""
        return self.camera.moving(now)

    # ------------------------------------------------------------------ kinds of screen

    # Sizes tried in turn until the words fit above the buttons: (title px, line px) at 800x480.
    _MESSAGE_SIZES = ((64, 40), (56, 38), (48, MIN_TEXT), (40, MIN_TEXT))

    def _message(self, surface: pygame.Surface, view: View, now: float) -> None:
        """Welcome, how it works, questions, thank you: big words on dark blue, as large as fit."""
        surface.fill(p.NHS_DARK_BLUE)
        margin = self.px(40)
        width = self.width - 2 * margin
        bottom = self.height - (self._button_height() + self.px(24) if view.buttons else 0)
        symbols = view.symbols or (None,) * len(view.lines)
        for title_size, line_size in self._MESSAGE_SIZES:  # measured, not drawn, till one fits
            radius = self.px(line_size * 0.6)
            indent = 2 * radius + self.px(14)
            height = text_height(view.title, self.px(title_size), width, True, 1.05) + \
                self.px(14) + sum(text_height(line, self.px(line_size),
                                              width - (indent if symbol else 0)) + self.px(8)
                                  for line, symbol in zip(view.lines, symbols, strict=False))
            if self.px(24) + height <= bottom:
                break
        title = render_text(view.title, self.px(title_size), p.WHITE, width, bold=True,
                            line_spacing=1.05)
        lines = [render_text(line, self.px(line_size), p.WHITE, width - (indent if symbol else 0))
                 for line, symbol in zip(view.lines, symbols, strict=False)]
        y = self.px(24)
        surface.blit(title, (margin, y))
        y += title.get_height() + self.px(14)
        right_to_left = script_of(view.title) == "arabic"
        for words, symbol in zip(lines, symbols, strict=False):
            left = margin
            if symbol:  # the real button symbol before a line about that button
                x = margin + width - radius if right_to_left else margin + radius
                self._symbol(surface, symbol, (x, y + words.get_height() // 2), radius)
                left += 0 if right_to_left else indent
            surface.blit(words, (left, y))
            y += words.get_height() + self.px(8)
        if view.kind == "thanks":
            radius = self.px(70)
            centre = (self.width // 2, min(self.height - radius - self.px(20),
                                           y + radius + self.px(10)))
            self._symbol(surface, "yes", centre, radius)
        self._buttons(surface, view, now, self.height)

    def _screen(self, surface: pygame.Surface, view: View, now: float) -> None:
        """A deck screen: the picture as large as its shape allows, the question and the round
        buttons where the layout puts them."""
        surface.fill(p.LETTERBOX)
        assert view.deck is not None and view.screen is not None
        loaded = None
        if view.deck.folder is not None:
            loaded = self.images.get(view.deck.path_of(view.screen.image), self.image_box(view),
                                     self._place(view))
        original = loaded[1] if loaded else (self.width, self.height)
        layout = self.layout(view, original)
        for panel in layout.panels:
            pygame.draw.rect(surface, p.NHS_DARK_BLUE, panel)
        rect = pygame.Rect(layout.picture)
        if loaded is None:
            self._missing_image(surface, view, rect)
        else:
            path = view.deck.path_of(view.screen.image)
            if view.screen.parts:  # read along: eased to the passage being read
                self.image_rect, self.image_scale = self._read_along(
                    surface, view, path, loaded[0], original, layout, now)
                if view.narrating and view.region:  # a tick or cross over the screen's middle
                    rect = surface.get_rect()
            else:
                surface.blit(self._resized(loaded[0], (path, original), rect.size), rect)
                self.image_rect = rect
                self.image_scale = original[0] / rect.width
        green_lamp, red_lamp = view.lamps
        self._round_button(surface, "no", layout.no.centre, layout.no.radius, red_lamp, now)
        self._round_button(surface, "yes", layout.yes.centre, layout.yes.radius, green_lamp, now)
        x, y, width, _ = layout.question
        if layout.text_size:  # folded while the screen is read: the question waits
            question = render_text(view.question, layout.text_size, p.WHITE, width, bold=True,
                                   align="center")
            surface.blit(question, question.get_rect(midtop=(x + width // 2, y)))
        centre, y, widest = layout.dots
        dots = pygame.Rect(centre - widest // 2 - self.px(5), y - self.px(5), widest + self.px(10),
                           self.px(10)).clip(surface.get_rect())
        self._dots_row = layout.dots
        self._shown_screen = (view, rect, dots, surface.subsurface(dots).copy() if dots else None)
        if view.progress:
            self._progress_dots(surface, view.progress, layout.dots)
        if view.ack:
            self._ack_mark(surface, view.ack, rect)

    def _read_along(self, surface: pygame.Surface, view: View, path: Path,
                    image: pygame.Surface, original: tuple[int, int], layout: ScreenLayout,
                    now: float) -> tuple[pygame.Rect, float]:
        """The passage being read, zoomed and outlined; or the whole picture once read. A
        new page starts whole and eases in, so the eye sees where the first passage is."""
        display = (self.width, self.height)
        if view.narrating and view.region:
            target = zoom.region_shot(display, original, view.region)
        else:
            target = zoom.whole_shot(original, layout.picture)
        start = zoom.whole_shot(original, plan(display, original, lambda size, width: 0,
                                               folded=True).picture) if view.region else None
        shot = self.camera.aim((path, original), target, now, start)
        return self.camera.draw(surface, image, original, shot,
                                still=not self.camera.easing(now),
                                frame=None if target.highlight else target.dest)

    def _ack_mark(self, surface: pygame.Surface, ack: str, picture: pygame.Rect) -> pygame.Rect:
        """The big tick or cross over the picture: a press was heard. Returns its area."""
        radius = min(picture.size) // 3
        outer = radius + self.px(8)
        pygame.draw.circle(surface, p.WHITE, picture.center, outer)
        self._symbol(surface, ack, picture.center, radius)
        return pygame.Rect(picture.centerx - outer - 1, picture.centery - outer - 1,
                           2 * outer + 2, 2 * outer + 2).clip(surface.get_rect())

    def _resized(self, image: pygame.Surface, which: tuple, size: tuple[int, int]
                 ) -> pygame.Surface:
        """The loaded picture (fitted to the window) at its place's size, shrunk by Pillow from
        memory (pygame's smoothscale shifts flat colours); kept, so later frames just blit."""
        if image.get_size() == size:
            return image
        key = (which, size)
        if self._scaled is None or self._scaled[0] != key:
            from PIL import Image

            pixels = Image.frombytes("RGB", image.get_size(), pygame.image.tobytes(image, "RGB"))
            smaller = pixels.resize(size, Image.Resampling.LANCZOS)
            self._scaled = (key, pygame.image.frombytes(smaller.tobytes(), size, "RGB"))
        return self._scaled[1]

    def _missing_image(self, surface: pygame.Surface, view: View, rect: pygame.Rect) -> None:
        """An image that cannot be loaded: show the words instead, large, and carry on."""
        assert view.screen is not None
        pygame.draw.rect(surface, p.PALE_GREY, rect)
        margin = self.px(30)
        words = render_text(view.screen.say, self.px(MIN_TEXT), p.TEXT_DARK,
                            rect.width - 2 * margin)
        surface.blit(words, (rect.x + margin, rect.y + margin),
                     area=pygame.Rect(0, 0, rect.width, rect.height - 2 * margin))

    def _menu(self, surface: pygame.Surface, view: View, now: float) -> None:
        surface.fill(p.NHS_DARK_BLUE)
        margin = self.px(30)
        width = self.width - 2 * margin
        y = self.px(16)
        title = render_text(view.title, self.px(48), p.WHITE, width, bold=True)
        surface.blit(title, (margin, y))
        y += title.get_height() + self.px(4)
        for line in view.lines:
            words = render_text(line, self.px(MIN_TEXT), p.WHITE, width)
            surface.blit(words, (margin, y))
            y += words.get_height()
        if view.kind == "menu":
            self._menu_items(surface, view, margin, y + self.px(8), width)
        self._buttons(surface, view, now, self.height)

    def _menu_items(self, surface, view: View, margin: int, top: int, width: int) -> None:
        """A window of options around the highlighted one; it scrolls as red is pressed."""
        row = self.px(60)
        bottom = self.height - self._button_height() - self.px(24)
        visible = max(1, (bottom - top) // row)
        first = min(max(0, view.menu_index - visible // 2), max(0, len(view.menu_items) - visible))
        for slot, index in enumerate(range(first, min(len(view.menu_items), first + visible))):
            y = top + slot * row
            focused = index == view.menu_index
            if focused:
                pygame.draw.rect(surface, p.YELLOW, (margin - self.px(10), y, width + self.px(20),
                                                     row - self.px(4)), border_radius=self.px(8))
            colour = p.TEXT_DARK if focused else p.WHITE
            words = render_text(view.menu_items[index], self.px(MIN_TEXT), colour, width,
                                bold=focused)
            top = y + max(0, (row - self.px(4) - words.get_height()) // 2)  # wrapped: 1st line
            surface.blit(words, (margin, top), area=pygame.Rect(0, 0, width, row - self.px(4)))

    # ------------------------------------------------------------------ parts

    def _round_button(self, surface, kind: str, centre: tuple[int, int], radius: int, lamp: str,
                      now: float) -> None:
        """The arcade button as drawn on screen: its lamp glows when it is the one to press."""
        bright = p.GREEN if kind == "yes" else p.RED
        if lamp == PULSE:  # room for the flash too, which a press brings in its place
            widest = radius + self.px(10) + 1
            self._glow(surface, pygame.Rect(centre[0] - widest, centre[1] - widest,
                                            2 * widest, 2 * widest),
                       lambda s, t, lit: self._round_button(s, kind, centre, radius, lit, t),
                       kind)
            glow = 0.5 + 0.5 * math.sin(now * 2 * math.pi / 1.6)
            pygame.draw.circle(surface, bright, centre, radius + self.px(2 + 6 * glow))
        elif lamp == FLASH:
            pygame.draw.circle(surface, p.WHITE, centre, radius + self.px(10))
        self._symbol(surface, kind, centre, radius)

    def _button_height(self) -> int:
        return self.px(76)

    def _buttons(self, surface: pygame.Surface, view: View, now: float, bottom: int) -> None:
        """The two on-screen buttons, red on the left and green on the right as on the box."""
        if not view.buttons:
            return
        green_label, red_label = view.buttons
        green_lamp, red_lamp = view.lamps
        height = self._button_height()
        gap = self.px(16)
        y = bottom - height - self.px(12)
        half = (self.width - 3 * gap) // 2
        if red_label:
            self._pill(surface, pygame.Rect(gap, y, half, height), "no", red_label, red_lamp, now)
        if green_label:
            self._pill(surface, pygame.Rect(2 * gap + half, y, half, height), "yes", green_label,
                       green_lamp, now)

    def _pill(self, surface, rect: pygame.Rect, kind: str, label: str, lamp: str,
              now: float) -> None:
        fill = p.DARK_GREEN if kind == "yes" else p.DARK_RED
        bright = p.GREEN if kind == "yes" else p.RED
        radius = rect.height // 2
        if lamp == PULSE:  # a gentle glow that breathes, like the lamp in the real button
            widest = 2 * (self.px(8) + 1)
            self._glow(surface, rect.inflate(widest, widest),
                       lambda s, t, lit: self._pill(s, rect, kind, label, lit, t), "pill")
            glow = 0.5 + 0.5 * math.sin(now * 2 * math.pi / 1.6)
            border = self.px(3 + 5 * glow)
            pygame.draw.rect(surface, bright, rect.inflate(2 * border, 2 * border),
                             border_radius=radius + border)
        elif lamp == FLASH:
            border = self.px(10)
            pygame.draw.rect(surface, p.WHITE, rect.inflate(2 * border, 2 * border),
                             border_radius=radius + border)
        pygame.draw.rect(surface, fill, rect, border_radius=radius)
        # On a narrow (portrait) screen the words keep one line: smaller, then a smaller symbol
        for symbol_radius in (rect.height // 2 - self.px(8), rect.height // 4):
            left = rect.x + self.px(8) + 2 * symbol_radius + self.px(12)
            room = rect.right - left - self.px(8)
            size = self._one_line_size(label, room)
            if size:
                break
        centre = (rect.x + self.px(8) + symbol_radius, rect.centery)
        self._symbol(surface, kind, centre, symbol_radius, on_button=True)
        words = render_text(label, size or self.px(MIN_TEXT), p.WHITE, room, bold=True)
        surface.blit(words, words.get_rect(midleft=(left, rect.centery)))

    def _one_line_size(self, words: str, width: int) -> int | None:
        """The largest size, from the usual one down to 36 px, at which bold words fit on one
        line; None if none does."""
        for size in (self.px(MIN_TEXT), self.px(32), self.px(28), MIN_TEXT):
            face = font(size, True, script_of(words))
            if size >= MIN_TEXT and len(wrap(words, face, width)) == 1:
                return size
        return None

    def _symbol(self, surface, kind: str, centre: tuple[int, int], radius: int,
                on_button: bool = False) -> None:
        """A tick in green or a cross in red, so colour is never the only clue."""
        if on_button:
            disc, mark = p.WHITE, (p.DARK_GREEN if kind == "yes" else p.DARK_RED)
        else:
            disc, mark = (p.GREEN if kind == "yes" else p.RED), p.WHITE
        pygame.draw.circle(surface, disc, centre, radius)
        cx, cy = centre
        r = radius * 0.55
        thickness = max(3, round(radius * 0.22))
        if kind == "yes":
            points = [(cx - r, cy), (cx - r * 0.3, cy + r * 0.7), (cx + r, cy - r * 0.6)]
            pygame.draw.lines(surface, mark, False, points, thickness)
            for point in points:
                pygame.draw.circle(surface, mark, point, thickness // 2)
        else:
            strokes = (((cx - r, cy - r), (cx + r, cy + r)), ((cx - r, cy + r), (cx + r, cy - r)))
            for a, b in strokes:
                pygame.draw.line(surface, mark, a, b, thickness)
                pygame.draw.circle(surface, mark, a, thickness // 2)
                pygame.draw.circle(surface, mark, b, thickness // 2)

    def _progress_dots(self, surface, progress: tuple[int, int],
                       row: tuple[int, int, int]) -> None:
        """How far through the deck, as dots rather than words, where the layout says."""
        current, total = progress
        centre, y, widest = row
        radius = self.px(4)
        step = 3 * radius
        if total > 40 or (total - 1) * step + 2 * radius > widest:
            return
        x = centre - (total - 1) * step // 2
        for number in range(1, total + 1):
            colour = p.WHITE if number <= current else (90, 110, 160)
            pygame.draw.circle(surface, colour, (x + (number - 1) * step, y), radius)

    def _banner(self, surface, words: str) -> None:
        text = render_text(words, self.px(28), p.TEXT_DARK, self.width, bold=True)
        rect = pygame.Rect(0, 0, text.get_width() + self.px(24), text.get_height() + self.px(8))
        rect.midtop = (self.width // 2, 0)
        pygame.draw.rect(surface, p.YELLOW, rect)
        surface.blit(text, text.get_rect(center=rect.center))
