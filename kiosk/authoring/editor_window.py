"""The pygame window of ``kiosk deck edit``: window events in, the editor's state drawn.

A thin edge round the pure ``Editor`` (editor.py), like the kiosk's screen round its walk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.authoring.deck_tables import load_editor, save
from kiosk.authoring.editor import (
    HOTSPOT,
    LABELLING,
    PART,
    PICKING,
    QUIT,
    SAVE,
    TRANSLATING,
    WORDING,
    Area,
    Close,
    Drag,
    Editor,
    Key,
    Pick,
    Press,
    Release,
    Show,
    Text,
    area_counts,
)

PANEL = 340  # window pixels on the right for the screen list and the keys


STATUS = 44  # window pixels at the bottom for the status line


HELP = (
    "Drag on the picture: a new area or part",
    "Tab: work on areas / read-along parts",
    "Drag one: move it; its corner: resize",
    "Enter: where it goes / a part's words",
    "F2: its label;  Delete: remove it",
    "F3: a part's words in its translations",
    "Ctrl+Up/Down: read a part earlier/later",
    "Left / Right: other screens;  Ctrl+S: save",
)


PART_COLOUR = (214, 0, 112)  # magenta: unlike the kiosk's blues, greens and reds


PART_DARK = (122, 0, 64)  # behind white numbers and words (over 7:1)


class EditorWindow:
    """Draws an ``Editor`` and turns pygame events into editor events."""

    def __init__(self, editor: Editor, folder: Path, size: tuple[int, int]) -> None:
        self.editor = editor
        self.folder = Path(folder)
        self.width, self.height = size
        self._images: dict[str, Any] = {}  # pygame surfaces by image path
        self.image_rect: Any = None  # where the picture is drawn (pygame.Rect)
        self.scale = 1.0  # image pixels per window pixel
        self.rows: list[tuple[Any, Pick | Show]] = []  # (pygame.Rect, the event a click gives)

    # ------------------------------------------------------------------ input

    def translate(self, event) -> object | None:
        """A pygame event as an editor event, or None."""
        import pygame

        if event.type == pygame.QUIT:
            return Close()
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for rect, action in self.rows:
                if rect.collidepoint(event.pos):
                    return action
            if self.image_rect is not None and self.image_rect.collidepoint(event.pos):
                return Press(*self.to_image(event.pos))
            return None
        if event.type == pygame.MOUSEMOTION and event.buttons[0]:
            return Drag(*self.to_image(event.pos))
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            return Release(*self.to_image(event.pos))
        if event.type == pygame.TEXTINPUT:
            return Text(event.text)
        if event.type == pygame.KEYDOWN:
            ctrl = event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
            if event.key == pygame.K_s and ctrl:
                return Key("ctrl+s")
            if event.key in (pygame.K_UP, pygame.K_DOWN) and ctrl:
                return Key("ctrl+up" if event.key == pygame.K_UP else "ctrl+down")
            names = {pygame.K_RETURN: "return", pygame.K_KP_ENTER: "return",
                     pygame.K_ESCAPE: "escape", pygame.K_DELETE: "delete",
                     pygame.K_BACKSPACE: "backspace", pygame.K_UP: "up", pygame.K_DOWN: "down",
                     pygame.K_LEFT: "left", pygame.K_RIGHT: "right", pygame.K_F2: "f2",
                     pygame.K_F3: "f3", pygame.K_TAB: "tab",
                     pygame.K_PAGEUP: "pageup", pygame.K_PAGEDOWN: "pagedown"}
            if event.key in names:
                return Key(names[event.key])
        return None

    def to_image(self, pos: tuple[int, int]) -> tuple[float, float]:
        if self.image_rect is None:
            return 0.0, 0.0
        return ((pos[0] - self.image_rect.x) * self.scale,
                (pos[1] - self.image_rect.y) * self.scale)

    def to_window(self, x: float, y: float) -> tuple[int, int]:
        return (round(self.image_rect.x + x / self.scale),
                round(self.image_rect.y + y / self.scale))

    # ------------------------------------------------------------------ drawing

    def draw(self, surface) -> None:
        import pygame

        from kiosk.screen import palette as p

        colours = {HOTSPOT: p.NHS_BLUE, PART: PART_COLOUR}
        editor = self.editor
        surface.fill(p.LETTERBOX)
        picture = self._picture()
        area_w, area_h = self.width - PANEL, self.height - STATUS
        self.image_rect = picture.get_rect(center=(area_w // 2, area_h // 2))
        surface.blit(picture, self.image_rect)
        editor.handle_size = 10 * self.scale

        # Parts first (they are big: paragraphs), hotspots over them; one loop for both kinds.
        order = sorted(range(len(editor.screen.areas)),
                       key=lambda i: editor.screen.areas[i].kind == HOTSPOT)
        overlay = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        for index in order:
            area = editor.screen.areas[index]
            chosen = index == editor.selected
            colour = p.YELLOW if chosen else colours[area.kind]
            rect = self._window_rect(area.rect)
            faded = area.kind != editor.kind  # shown, but Tab is needed to grab it
            pygame.draw.rect(overlay, (*colour, 70 if area.kind == HOTSPOT else 40), rect)
            line = (*colour, 110 if faded else 255)
            if area.kind == PART and not chosen:
                _dashed_rect(overlay, line, rect, 3)
            else:
                pygame.draw.rect(overlay, line, rect, 3)
            if chosen:
                for corner in (rect.topleft, rect.topright, rect.bottomleft, rect.bottomright):
                    pygame.draw.rect(overlay, (*p.TEXT_DARK, 255),
                                     pygame.Rect(corner[0] - 6, corner[1] - 6, 12, 12))
        if editor.draft is not None:
            pygame.draw.rect(overlay, (*p.GREEN, 255), self._window_rect(editor.draft), 3)
        surface.blit(overlay, (0, 0))
        for index in order:
            self._tag(surface, editor.screen.areas[index])
        self._panel(surface)
        self._status(surface)

    def _tag(self, surface, area: Area) -> None:
        """A hotspot's label and target above it; a part's number in reading order, in a
        badge beside its corner (with its label and words when it is selected)."""
        import pygame

        from kiosk.screen import palette as p

        rect = self._window_rect(area.rect)
        if area.kind == HOTSPOT:
            words = (area.label or "(no label)") + f", goes to {area.goto or '?'}"
            tag = _text(words, 16, p.WHITE, max(60, rect.width + 120), bold=True)
            back = tag.get_rect(topleft=(rect.x, max(0, rect.y - tag.get_height() - 2)))
            pygame.draw.rect(surface, p.NHS_DARK_BLUE, back.inflate(8, 2))
            surface.blit(tag, back)
            return
        number = _text(str(self.editor.part_number(area)), 18, p.WHITE, 60, bold=True)
        badge = pygame.Rect(0, 0, max(26, number.get_width() + 12), 26)
        badge.topright = (rect.left - 3, rect.top)  # beside the words, not over them
        badge.clamp_ip(surface.get_rect())
        pygame.draw.rect(surface, PART_DARK, badge, border_radius=13)
        surface.blit(number, number.get_rect(center=badge.center))
        if self.editor.area is not area:  # a letter's many parts: numbers only, the text shows
            return
        words = " ".join(area.say.split())
        words = f"{area.label}: {words}" if area.label else words
        tag = _text(words, 14, p.WHITE, 4000)  # one line, cut to the part's width
        width = min(max(60, rect.width), tag.get_width())  # above it, like a hotspot's
        back = pygame.Rect(rect.x, max(0, rect.y - tag.get_height() - 2), width,
                           tag.get_height())
        pygame.draw.rect(surface, PART_DARK, back.inflate(8, 2))
        surface.blit(tag, back, pygame.Rect(0, 0, back.width, back.height))

    def _window_rect(self, rect: list[int]):
        import pygame

        left, top = self.to_window(rect[0], rect[1])
        right, bottom = self.to_window(rect[0] + rect[2], rect[1] + rect[3])
        return pygame.Rect(left, top, right - left, bottom - top)

    def _picture(self):
        import pygame

        screen = self.editor.screen
        cached = self._images.get(screen.image)
        if cached is None:
            loaded = pygame.image.load(str(self.folder / screen.image))
            box_w, box_h = self.width - PANEL - 20, self.height - STATUS - 20
            factor = min(box_w / loaded.get_width(), box_h / loaded.get_height())
            size = (max(1, round(loaded.get_width() * factor)),
                    max(1, round(loaded.get_height() * factor)))
            cached = pygame.transform.smoothscale(loaded.convert(), size)
            self._images[screen.image] = cached
        self.scale = screen.size[0] / cached.get_width()
        return cached

    def _panel(self, surface) -> None:
        import pygame

        from kiosk.screen import palette as p

        editor = self.editor
        left = self.width - PANEL
        pygame.draw.rect(surface, p.PALE_GREY, (left, 0, PANEL, self.height - STATUS))
        y = 12
        picking = editor.mode == PICKING
        title = "Goes to which screen?" if picking else "Screens"
        heading = _text(title, 22, p.TEXT_DARK, PANEL - 24, bold=True)
        surface.blit(heading, (left + 12, y))
        y += heading.get_height() + 8
        self.rows = []
        if picking:
            names = editor.targets()
            marked = editor.choice
            actions: list[Pick | Show] = [Pick(name) for name in names]
        else:
            names = [f"{n}. {s.id} ({area_counts(s)})" for n, s in enumerate(editor.screens, 1)]
            marked = editor.current
            actions = [Show(n) for n in range(len(names))]
        row_height = 30
        room = max(1, (self.height - STATUS - y - 230) // row_height)
        first = min(max(0, marked - room // 2), max(0, len(names) - room))
        for index in range(first, min(len(names), first + room)):
            rect = pygame.Rect(left + 8, y, PANEL - 16, row_height - 2)
            if index == marked:
                pygame.draw.rect(surface, p.YELLOW, rect)
            surface.blit(_text(names[index], 18, p.TEXT_DARK, PANEL - 32), (rect.x + 8, y + 3))
            self.rows.append((rect, actions[index]))
            y += row_height
        y = self.height - STATUS - 220
        if editor.mode in (LABELLING, WORDING, TRANSLATING):
            name = {WORDING: "Words: ", LABELLING: "Label: "}.get(
                editor.mode, f"Words ({editor.language}): ")
            typed = _text(name + editor.label + "_", 18, p.TEXT_DARK, PANEL - 40)
            height = min(typed.get_height(), y - 80)  # long words: their end stays in view
            box = pygame.Rect(left + 8, y - 36 - height, PANEL - 16, height + 24)
            pygame.draw.rect(surface, p.WHITE, box)
            pygame.draw.rect(surface, p.NHS_BLUE, box, 3)
            surface.blit(typed, (box.x + 8, box.y + 12),
                         pygame.Rect(0, typed.get_height() - height, typed.get_width(), height))
        for line in HELP:
            surface.blit(_text(line, 16, p.TEXT_DARK, PANEL - 24), (left + 12, y))
            y += 26

    def _status(self, surface) -> None:
        import pygame

        from kiosk.screen import palette as p

        editor = self.editor
        pygame.draw.rect(surface, p.NHS_DARK_BLUE, (0, self.height - STATUS, self.width, STATUS))
        where = f"{editor.current + 1}/{len(editor.screens)} {editor.screen.id}"
        unsaved = "  •  not saved" if editor.dirty else ""
        where += "  •  working on " + ("parts" if editor.kind == PART else "areas")
        words = f"{where}{unsaved}  —  {editor.message}"
        surface.blit(_text(words, 18, p.WHITE, self.width - 24), (12, self.height - STATUS + 10))


def _dashed_rect(surface, colour, rect, width: int, dash: int = 12) -> None:
    """A dashed outline: parts look unlike hotspots even to someone who cannot tell colours."""
    import pygame

    for x in range(rect.left, rect.right, dash * 2):
        end = min(x + dash, rect.right)
        pygame.draw.line(surface, colour, (x, rect.top), (end, rect.top), width)
        pygame.draw.line(surface, colour, (x, rect.bottom - 1), (end, rect.bottom - 1), width)
    for y in range(rect.top, rect.bottom, dash * 2):
        end = min(y + dash, rect.bottom)
        pygame.draw.line(surface, colour, (rect.left, y), (rect.left, end), width)
        pygame.draw.line(surface, colour, (rect.right - 1, y), (rect.right - 1, end), width)


def _text(words: str, size: int, colour, width: int, bold: bool = False):
    from kiosk.screen.text import render_text

    return render_text(words, size, colour, width, bold=bold)


def run_editor(folder: Path, size: tuple[int, int], frames: int | None = None) -> int:
    """Open the editor window on the deck in ``folder`` until it is closed."""
    import os

    from kiosk.errors import DeckProblems

    try:
        editor = load_editor(folder)
    except DeckProblems as problems:
        print(f"{problems}\nFix these first (kiosk deck check shows them too), then edit.")
        return 1
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    pygame.init()
    try:
        surface = pygame.display.set_mode(size)
        pygame.display.set_caption(f"Deck editor: {Path(folder).name}")
        window = EditorWindow(editor, folder, size)
        clock = pygame.time.Clock()
        count = 0
        while frames is None or count < frames:
            count += 1
            for event in pygame.event.get():
                translated = window.translate(event)
                if translated is None:
                    continue
                effects = editor.handle(translated)
                if SAVE in effects:
                    save(folder, editor)
                if QUIT in effects:
                    return 0
            window.draw(surface)
            pygame.display.flip()
            clock.tick(30)
    finally:
        pygame.quit()
    return 0
