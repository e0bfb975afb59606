"""``kiosk deck edit``: draw a deck's clickable areas and read-along parts with the mouse.

Designers will not type thirty rectangles in pixels. This shows each screen in a window:
drag to draw an area, pick the screen it leads to from a list, type its label; drag an area
to move it, drag a corner to resize it, Delete to remove it; Ctrl+S saves into ``deck.toml``.
Read-along parts (``[[screen.part]]``: a passage and the region zoomed while it is read) are
the other kind of rectangle, drawn after Tab and numbered in reading order; they are moved,
resized and deleted by the same code as hotspots, and Enter types a part's words instead of
choosing a target. On a screen whose translations give each part its own words
(``parts = [...]``), a new part's words are then asked in each of those languages in turn, and
F3 types the selected part's words in them again. Saving goes through tomlkit and changes
only the hotspot and part tables (and the translations' ``parts``), so the designer's comments,
order and spacing (and each part's words) stay as they wrote them.

Built like the kiosk: ``Editor`` is a pure state machine (events in, effects out, no pygame,
no disk) that tests drive with made-up mouse and key events; ``editor_window.run_editor`` is the
thin pygame edge that turns window events into those events and draws the editor's state.

The three parts live apart: this module (the pure editor), ``deck_tables`` (reading deck.toml
into an editor and writing it back with tomlkit) and ``editor_window`` (pygame).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.decks.languages import described

MIN_SIZE = 10  # image pixels: a smaller drag is a click, not an area


MAX_LABEL = 80


MAX_SAY = 2000  # a part's words typed in the window (longer passages: edit deck.toml)


HOTSPOT, PART = "hotspot", "part"  # the two kinds of rectangle, named as in deck.toml


NEW_PART_SAY = "TODO: write the words read aloud for this part."


IDLE, DRAWING, MOVING, RESIZING, PICKING, LABELLING, WORDING, TRANSLATING = (
    "idle", "drawing", "moving", "resizing", "picking", "labelling", "wording", "translating")


@dataclass(frozen=True)
class Press:
    """The mouse button went down at (x, y) in the screen image's own pixels."""

    x: float
    y: float


@dataclass(frozen=True)
class Drag:
    x: float
    y: float


@dataclass(frozen=True)
class Release:
    x: float
    y: float


@dataclass(frozen=True)
class Key:
    """A key by name: "return", "escape", "delete", "backspace", "up", "down", "left",
    "right", "pageup", "pagedown", "f2", "f3", "tab", "ctrl+s", "ctrl+up", "ctrl+down"."""

    name: str


@dataclass(frozen=True)
class Text:
    """Typed characters (for a label)."""

    text: str


@dataclass(frozen=True)
class Pick:
    """A screen chosen from the list as the area's target."""

    screen_id: str


@dataclass(frozen=True)
class Show:
    """Show screen number ``index`` (from the list)."""

    index: int


@dataclass(frozen=True)
class Close:
    """The window's close button."""


SAVE = "save"


QUIT = "quit"


@dataclass
class Area:
    """A rectangle being edited: a hotspot (``goto``) or a read-along part (``say``).

    ``origin`` is its index among its kind's tables in deck.toml when it was loaded.
    """

    kind: str  # HOTSPOT or PART
    rect: list[int]  # x, y, width, height in image pixels
    goto: str | None = None
    label: str = ""
    say: str = ""
    origin: int | None = None
    translated: dict[str, str] = field(default_factory=dict)  # a part's words: language -> words


@dataclass
class EditScreen:
    id: str
    image: str  # the real path inside the deck
    size: tuple[int, int]  # the image's width and height
    areas: list[Area] = field(default_factory=list)  # both kinds; parts in reading order
    translated_parts: dict[str, list[str]] = field(default_factory=dict)  # language -> passages
    # as in deck.toml when loaded or saved: the translations that give each part its words

    @property
    def spots(self) -> list[Area]:
        """The hotspots, in deck.toml's order."""
        return [area for area in self.areas if area.kind == HOTSPOT]

    @property
    def parts(self) -> list[Area]:
        """The read-along parts, in reading order."""
        return [area for area in self.areas if area.kind == PART]


class Editor:
    """The editor's whole state; ``handle`` takes one event and returns effects (SAVE, QUIT)."""

    def __init__(self, screens: list[EditScreen], text: str, handle_size: float = 16) -> None:
        self.screens = screens
        self.text = text  # deck.toml as last loaded or saved
        self.handle_size = handle_size  # how near a corner counts as grabbing it (image px)
        self.current = 0
        self.selected: int | None = None
        self.mode = IDLE
        self.draft: list[int] | None = None  # the area being drawn
        self.anchor: tuple[float, float] = (0.0, 0.0)
        self.start_rect: list[int] = []
        self.choice = 0  # highlighted row of the target list
        self.label = ""  # the label (or a part's words) being typed
        self.language: str | None = None  # the translation being typed (TRANSLATING)
        self.languages_left: list[str] = []  # the translations to type after it
        has_parts = any(s.parts for s in screens)
        has_spots = any(s.spots for s in screens)
        self.kind = PART if has_parts and not has_spots else HOTSPOT  # what a drag draws
        self.dirty = False
        self.message = self._drawing_hint()
        self._warned_unsaved = False

    # ------------------------------------------------------------------ reading

    @property
    def screen(self) -> EditScreen:
        return self.screens[self.current]

    @property
    def area(self) -> Area | None:
        return None if self.selected is None else self.screen.areas[self.selected]

    def part_number(self, area: Area) -> int:
        """A part's place in the reading order, from 1."""
        return next(n for n, a in enumerate(self.screen.parts, 1) if a is area)

    def translations(self) -> list[str]:
        """The languages whose translation of this screen gives each part its own words."""
        return list(self.screen.translated_parts)

    def missing_words(self, area: Area) -> list[str]:
        """The translations that have no words yet for this part."""
        return [language for language in self.translations() if language not in area.translated]

    def targets(self) -> list[str]:
        """The screens an area on this screen can lead to (all but this one)."""
        return [s.id for s in self.screens if s.id != self.screen.id]

    # ------------------------------------------------------------------ events

    def handle(self, event: object) -> list[str]:
        """Apply one event; return the effects the edge must carry out."""
        if isinstance(event, Close):
            return self._close()
        if isinstance(event, Key) and event.name == "ctrl+s":
            return [SAVE]
        self._warned_unsaved = False
        if self.mode == PICKING:
            self._picking(event)
        elif self.mode in (LABELLING, WORDING, TRANSLATING):
            self._typing(event)
        elif isinstance(event, Press):
            self._press(event.x, event.y)
        elif isinstance(event, Drag):
            self._drag(event.x, event.y)
        elif isinstance(event, Release):
            self._release(event.x, event.y)
        elif isinstance(event, Show):
            self._show(event.index)
        elif isinstance(event, Key):
            self._key(event.name)
        return []

    def _close(self) -> list[str]:
        if self.dirty and not self._warned_unsaved:
            self._warned_unsaved = True
            self.message = "Not saved yet: Ctrl+S saves. Close again to leave without saving."
            return []
        return [QUIT]

    def _press(self, x: float, y: float) -> None:
        x, y = self._clamp(x, y)
        corner = self._corner_at(x, y)
        if corner is not None:
            grabbed, (ax, ay) = corner
            self.selected, self.mode, self.anchor = grabbed, RESIZING, (ax, ay)
            return
        index = self._area_at(x, y)
        if index is not None:
            self.selected, self.mode = index, MOVING
            self.anchor = (x, y)
            self.start_rect = list(self.screen.areas[index].rect)
            self._describe_selected()
            return
        self.selected, self.mode = None, DRAWING
        self.anchor = (x, y)
        self.draft = [round(x), round(y), 0, 0]

    def _drag(self, x: float, y: float) -> None:
        x, y = self._clamp(x, y)
        if self.mode == DRAWING:
            self.draft = _rect_between(self.anchor, (x, y))
        elif self.mode == RESIZING and self.area is not None:
            self.area.rect = _rect_between(self.anchor, (x, y), minimum=MIN_SIZE)
            self.area.rect = self._fit(self.area.rect)
            self.dirty = True
        elif self.mode == MOVING and self.area is not None:
            left, top, width, height = self.start_rect
            moved = [round(left + x - self.anchor[0]), round(top + y - self.anchor[1]),
                     width, height]
            if moved != self.area.rect:
                self.area.rect = self._fit(moved)
                self.dirty = True

    def _release(self, x: float, y: float) -> None:
        self._drag(x, y)
        if self.mode == DRAWING:
            draft, self.draft = self.draft, None
            self.mode = IDLE
            if draft is None or draft[2] < MIN_SIZE or draft[3] < MIN_SIZE:
                self.message = self._drawing_hint()
                return
            area = Area(self.kind, self._fit(draft))
            self.screen.areas.append(area)
            self.selected = len(self.screen.areas) - 1
            self.dirty = True
            if self.kind == PART:
                area.say = NEW_PART_SAY
                self._start_typing(WORDING)
            else:
                self._start_picking()
        elif self.mode in (MOVING, RESIZING):
            self.mode = IDLE

    def _key(self, name: str) -> None:
        if name in ("right", "pagedown"):
            self._show(self.current + 1)
        elif name in ("left", "pageup"):
            self._show(self.current - 1)
        elif name == "tab":
            self.kind = HOTSPOT if self.kind == PART else PART
            self.selected = None
            self.message = self._drawing_hint()
        elif self.selected is not None:
            self._selected_key(name, self.selected)

    def _selected_key(self, name: str, selected: int) -> None:
        """A key for the selected area (the one at ``selected`` on this screen)."""
        area = self.screen.areas[selected]
        if name in ("delete", "backspace"):
            del self.screen.areas[selected]
            self.selected = None
            self.dirty = True
            self.message = "Part removed." if area.kind == PART else "Area removed."
        elif name == "return":
            if area.kind == PART:
                self._start_typing(WORDING)
            else:
                self._start_picking()
        elif name == "f2":
            self._start_typing(LABELLING)
        elif name == "f3" and area.kind == PART:
            if self.translations():
                self._start_translating(self.translations())
            else:
                self.message = ("No translation of this screen has words for each part (it "
                                "has none, or they are read whole).")
        elif name in ("ctrl+up", "ctrl+down") and area.kind == PART:
            self._reorder(selected, -1 if name == "ctrl+up" else 1)
        elif name == "escape":
            self.selected = None
            self.message = ""

    def _reorder(self, selected: int, step: int) -> None:
        """Read the selected part one place earlier (-1) or later (+1)."""
        areas = self.screen.areas
        places = [i for i, a in enumerate(areas) if a.kind == PART]
        at = places.index(selected)
        if not 0 <= at + step < len(places):
            return
        other = places[at + step]
        areas[selected], areas[other] = areas[other], areas[selected]
        self.selected = other
        self.dirty = True
        self.message = f"Now read as part {self.part_number(areas[other])}."

    def _show(self, index: int) -> None:
        if 0 <= index < len(self.screens) and self.mode == IDLE:
            self.current, self.selected = index, None
            self.message = f"Screen '{self.screen.id}': " + area_counts(self.screen)

    def _drawing_hint(self) -> str:
        if self.kind == PART:
            return "Working on read-along parts: drag to draw one (Tab: clickable areas)."
        return "Working on clickable areas: drag to draw one (Tab: read-along parts)."

    # ------------------------------------------------------------------ choosing a target

    def _start_picking(self) -> None:
        targets = self.targets()
        if not targets:
            self.message = "This deck has one screen: an area needs another screen to go to."
            self._drop_unfinished()
            return
        spot = self.area
        wanted = spot.goto if spot and spot.goto in targets else self._next_screen_id(targets)
        self.choice = targets.index(wanted)
        self.mode = PICKING
        self.message = "Where does this area go? Click a screen in the list, or Up/Down + Enter."

    def _next_screen_id(self, targets: list[str]) -> str:
        later = [s.id for s in self.screens[self.current + 1:]]
        return later[0] if later else targets[0]

    def _picking(self, event: object) -> None:
        targets = self.targets()
        if isinstance(event, Pick) and event.screen_id in targets:
            self._chosen(event.screen_id)
        elif isinstance(event, Key):
            if event.name == "up":
                self.choice = max(0, self.choice - 1)
            elif event.name == "down":
                self.choice = min(len(targets) - 1, self.choice + 1)
            elif event.name == "return":
                self._chosen(targets[self.choice])
            elif event.name == "escape":
                self.mode = IDLE
                self._drop_unfinished()

    def _chosen(self, screen_id: str) -> None:
        if self.area is not None and self.area.goto != screen_id:
            self.area.goto = screen_id
            self.dirty = True
        self._start_typing(LABELLING)

    def _drop_unfinished(self) -> None:
        """An area that leads nowhere is not kept: deck check would refuse it."""
        area, selected = self.area, self.selected
        if area is not None and selected is not None and area.kind == HOTSPOT and (
            area.goto is None
        ):
            del self.screen.areas[selected]
            self.selected = None
            self.message = "Area not kept: it needs a screen to go to."

    # ------------------------------------------------------------------ typing a label or words

    def _start_typing(self, mode: str) -> None:
        """LABELLING types the selected rectangle's label; WORDING a part's words."""
        area = self.area
        if area is None:
            return
        self.mode = mode
        if mode == WORDING:
            self.label = "" if area.say == NEW_PART_SAY else area.say
            self.message = "Type the words read aloud for this part, then Enter."
        else:
            self.label = area.label
            self.message = ("Type a short name for this part (such as 'date and time'), then "
                            "Enter." if area.kind == PART else
                            "Type what this area is (such as 'Book appointment'), then Enter.")

    def _start_translating(self, languages: list[str]) -> None:
        """Type the selected part's words in each of ``languages``, one after another."""
        area = self.area
        if area is None or not languages:
            self.mode, self.language, self.languages_left = IDLE, None, []
            self._describe_selected()
            return
        self.language, *self.languages_left = languages
        self.mode = TRANSLATING
        self.label = area.translated.get(self.language, "")
        self.message = (f"Type the words read aloud in {described(self.language)} for part "
                        f"{self.part_number(area)}, then Enter (Escape: later).")

    def _typing(self, event: object) -> None:
        limit = MAX_SAY if self.mode in (WORDING, TRANSLATING) else MAX_LABEL
        if isinstance(event, Text):
            printable = "".join(c for c in event.text if c.isprintable())
            self.label = (self.label + printable)[:limit]
        elif isinstance(event, Key):
            if event.name == "backspace":
                self.label = self.label[:-1]
            elif event.name == "return":
                typed_in = self.mode
                self._typed(" ".join(self.label.split()))
                area = self.area
                if typed_in == TRANSLATING:
                    self._start_translating(self.languages_left)
                elif typed_in == WORDING and area is not None and area.say != NEW_PART_SAY:
                    self._start_translating(self.missing_words(area))
                else:
                    self.mode = IDLE
                    self._describe_selected()
            elif event.name == "escape":
                self.mode, self.language, self.languages_left = IDLE, None, []
                self._describe_selected()

    def _typed(self, words: str) -> None:
        area = self.area
        if area is None:
            return
        if self.mode == LABELLING and area.label != words:
            area.label = words
            self.dirty = True
        elif self.mode == WORDING and words and " ".join(area.say.split()) != words:
            area.say = words  # empty words keep what was there: a part must say something
            self.dirty = True
        elif self.mode == TRANSLATING and self.language and words and (
            area.translated.get(self.language) != words
        ):
            area.translated[self.language] = words  # empty: as for the main words
            self.dirty = True

    def _describe_selected(self) -> None:
        area = self.area
        if area is None:
            return
        if area.kind == PART:
            draft = " (words still to write)" if area.say == NEW_PART_SAY else ""
            missing = self.missing_words(area)
            if missing:
                draft += f" (no words yet in {', '.join(missing)}: F3)"
            more = ", F3: in its translations" if self.translations() and not missing else ""
            self.message = (f"Part {self.part_number(area)}{draft}. Enter: its words{more}, "
                            "F2: label, Ctrl+Up/Down: read earlier/later, Delete.")
        else:
            name = f"'{area.label}'" if area.label else "This area"
            self.message = f"{name} goes to '{area.goto}'. Enter: change, F2: label, Delete."

    # ------------------------------------------------------------------ geometry

    def _clamp(self, x: float, y: float) -> tuple[float, float]:
        width, height = self.screen.size
        return min(max(x, 0), width), min(max(y, 0), height)

    def _fit(self, rect: list[int]) -> list[int]:
        """Keep an area on the picture (deck check refuses one that goes off it)."""
        width, height = self.screen.size
        w, h = min(rect[2], width), min(rect[3], height)
        x = min(max(rect[0], 0), width - w)
        y = min(max(rect[1], 0), height - h)
        return [int(x), int(y), int(w), int(h)]

    def _area_at(self, x: float, y: float) -> int | None:
        """The smallest rectangle of the kind being worked on under the pointer (the other
        kind is shown, not grabbed, so a button can be drawn inside a paragraph's part);
        among equals, the one drawn last."""
        under = []
        for index, area in enumerate(self.screen.areas):
            left, top, width, height = area.rect
            if area.kind != self.kind:
                continue
            if left <= x < left + width and top <= y < top + height:
                under.append((width * height, -index))
        return -min(under)[1] if under else None

    def _corner_at(self, x: float, y: float) -> tuple[int, tuple[int, int]] | None:
        """An area's corner under the pointer, and the opposite corner (which stays put)."""
        order = [i for i, a in enumerate(self.screen.areas) if a.kind == self.kind]
        if self.selected in order:  # the selected area's corners win
            order.remove(self.selected)
            order.append(self.selected)
        for index in reversed(order):
            left, top, width, height = self.screen.areas[index].rect
            right, bottom = left + width, top + height
            for cx, cy, ox, oy in ((left, top, right, bottom), (right, top, left, bottom),
                                   (left, bottom, right, top), (right, bottom, left, top)):
                if abs(x - cx) <= self.handle_size and abs(y - cy) <= self.handle_size:
                    return index, (ox, oy)
        return None

    # ------------------------------------------------------------------ saving


    def saved(self, text: str) -> None:
        """After the edge wrote ``text``: it is the new starting point for the next save."""
        self.text = text
        for screen in self.screens:
            screen.translated_parts = aligned_passages(screen)
            for kind in (screen.spots, screen.parts):
                for number, area in enumerate(kind):
                    area.origin = number
        self.dirty = False
        self.message = "Saved." + "".join(f" {note}" for note in self.translation_notes())

    def translation_notes(self) -> list[str]:
        """Translations whose list of passages does not match the parts (deck check refuses
        them) because a part has no words in that language yet: the editor says which."""
        notes = []
        for screen in self.screens:
            for language, passages in screen.translated_parts.items():
                if len(passages) != len(screen.parts):
                    missing = [str(n) for n, part in enumerate(screen.parts, 1)
                               if language not in part.translated]
                    notes.append(f"'{screen.id}' now has {len(screen.parts)} parts but its "
                                 f"{language} translation gives {len(passages)} passages: type "
                                 f"the {language} words of part {', '.join(missing)} (select "
                                 "it, F3).")
        return notes


def aligned_passages(screen: EditScreen) -> dict[str, list[str]]:
    """Each translation's passages following the parts: each part's own words in that language,
    so a removed part's passage goes and a part read earlier takes its passage along. While a
    part has no words in a language yet, that list is left as it was, for the designer to
    finish."""
    aligned = {}
    for language, passages in screen.translated_parts.items():
        words = [part.translated.get(language) for part in screen.parts]
        aligned[language] = [w for w in words if w is not None] if None not in words else passages
    return aligned


def area_counts(screen: EditScreen) -> str:
    spots, parts = len(screen.spots), len(screen.parts)
    words = [f"{spots} area" + ("" if spots == 1 else "s")] if spots or not parts else []
    if parts:
        words.append(f"{parts} part" + ("" if parts == 1 else "s"))
    return ", ".join(words)


def _rect_between(a: tuple[float, float], b: tuple[float, float], minimum: int = 0) -> list[int]:
    left, right = sorted((round(a[0]), round(b[0])))
    top, bottom = sorted((round(a[1]), round(b[1])))
    return [left, top, max(minimum, right - left), max(minimum, bottom - top)]
