"""``kiosk deck edit``: draw a deck's clickable areas and read-along parts with the mouse.

Designers will not type thirty rectangles in pixels. This shows each screen in a window:
drag to draw an area, pick the screen it leads to from a list, type its label; drag an area
to move it, drag a corner to resize it, Delete to remove it; Ctrl+S saves into ``deck.toml``.
Read-along parts (``[[screen.part]]``: a passage and the region zoomed while it is read) are
the other kind of rectangle, drawn after Tab and numbered in reading order; they are moved,
resized and deleted by the same code as hotspots, and Enter types a part's words instead of
choosing a target. Saving goes through tomlkit and changes only the hotspot and part tables,
so the designer's comments, order and spacing (and each part's words) stay as they wrote them.

Built like the kiosk: ``Editor`` is a pure state machine (events in, effects out, no pygame,
no disk) that tests drive with made-up mouse and key events; ``run_editor`` is the thin pygame
edge that turns window events into those events and draws the editor's state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MIN_SIZE = 10  # image pixels: a smaller drag is a click, not an area
MAX_LABEL = 80
MAX_SAY = 2000  # a part's words typed in the window (longer passages: edit deck.toml)
HOTSPOT, PART = "hotspot", "part"  # the two kinds of rectangle, named as in deck.toml
NEW_PART_SAY = "TODO: write the words read aloud for this part."
PANEL = 340  # window pixels on the right for the screen list and the keys
STATUS = 44  # window pixels at the bottom for the status line

IDLE, DRAWING, MOVING, RESIZING, PICKING, LABELLING, WORDING = (
    "idle", "drawing", "moving", "resizing", "picking", "labelling", "wording")

HELP = (
    "Drag on the picture: a new area or part",
    "Tab: work on areas / read-along parts",
    "Drag one: move it; its corner: resize",
    "Enter: where it goes / a part's words",
    "F2: its label;  Delete: remove it",
    "Ctrl+Up/Down: read a part earlier/later",
    "Left / Right: other screens;  Ctrl+S: save",
)


# ---------------------------------------------------------------------------- events


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
    "right", "pageup", "pagedown", "f2", "tab", "ctrl+s", "ctrl+up", "ctrl+down"."""

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


# ---------------------------------------------------------------------------- state


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


@dataclass
class EditScreen:
    id: str
    image: str  # the real path inside the deck
    size: tuple[int, int]  # the image's width and height
    areas: list[Area] = field(default_factory=list)  # both kinds; parts in reading order
    translated_parts: dict[str, list[str]] = field(default_factory=dict)  # language -> passages

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
        elif self.mode in (LABELLING, WORDING):
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
            index, (ax, ay) = corner
            self.selected, self.mode, self.anchor = index, RESIZING, (ax, ay)
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
            self.screen.areas.append(Area(self.kind, self._fit(draft)))
            self.selected = len(self.screen.areas) - 1
            self.dirty = True
            if self.kind == PART:
                self.area.say = NEW_PART_SAY
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
        elif self.area is None:
            return
        elif name in ("delete", "backspace"):
            kind = self.area.kind
            del self.screen.areas[self.selected]
            self.selected = None
            self.dirty = True
            self.message = "Part removed." if kind == PART else "Area removed."
        elif name == "return":
            if self.area.kind == PART:
                self._start_typing(WORDING)
            else:
                self._start_picking()
        elif name == "f2":
            self._start_typing(LABELLING)
        elif name in ("ctrl+up", "ctrl+down") and self.area.kind == PART:
            self._reorder(-1 if name == "ctrl+up" else 1)
        elif name == "escape":
            self.selected = None
            self.message = ""

    def _reorder(self, step: int) -> None:
        """Read the selected part one place earlier (-1) or later (+1)."""
        areas = self.screen.areas
        places = [i for i, a in enumerate(areas) if a.kind == PART]
        at = places.index(self.selected)
        if not 0 <= at + step < len(places):
            return
        other = places[at + step]
        areas[self.selected], areas[other] = areas[other], areas[self.selected]
        self.selected = other
        self.dirty = True
        self.message = f"Now read as part {self.part_number(areas[other])}."

    def _show(self, index: int) -> None:
        if 0 <= index < len(self.screens) and self.mode == IDLE:
            self.current, self.selected = index, None
            self.message = f"Screen '{self.screen.id}': " + _counts(self.screen)

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
        if self.area is not None and self.area.kind == HOTSPOT and self.area.goto is None:
            del self.screen.areas[self.selected]
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

    def _typing(self, event: object) -> None:
        limit = MAX_SAY if self.mode == WORDING else MAX_LABEL
        if isinstance(event, Text):
            printable = "".join(c for c in event.text if c.isprintable())
            self.label = (self.label + printable)[:limit]
        elif isinstance(event, Key):
            if event.name == "backspace":
                self.label = self.label[:-1]
            elif event.name == "return":
                self._typed(" ".join(self.label.split()))
                self.mode = IDLE
                self._describe_selected()
            elif event.name == "escape":
                self.mode = IDLE
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

    def _describe_selected(self) -> None:
        area = self.area
        if area is None:
            return
        if area.kind == PART:
            draft = " (words still to write)" if area.say == NEW_PART_SAY else ""
            self.message = (f"Part {self.part_number(area)}{draft}. Enter: its words, F2: "
                            "label, Ctrl+Up/Down: read earlier/later, Delete.")
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

    def document_text(self) -> str:
        """deck.toml with the hotspots and parts as edited, everything else as the designer
        wrote it."""
        import tomlkit

        document = tomlkit.parse(self.text)
        tables = document["screen"]
        for screen, table in zip(self.screens, tables, strict=True):
            _write_tables(table, HOTSPOT, screen.spots)
            _write_tables(table, PART, screen.parts)
            for language, passages in _aligned_passages(screen).items():
                if passages != screen.translated_parts[language]:
                    table["translations"][language]["parts"] = passages
        return tomlkit.dumps(document)

    def saved(self, text: str) -> None:
        """After the edge wrote ``text``: it is the new starting point for the next save."""
        self.text = text
        for screen in self.screens:
            screen.translated_parts = _aligned_passages(screen)
            for kind in (screen.spots, screen.parts):
                for number, area in enumerate(kind):
                    area.origin = number
        self.dirty = False
        self.message = "Saved." + "".join(f" {note}" for note in self.translation_notes())

    def translation_notes(self) -> list[str]:
        """Translations whose list of passages no longer matches the parts (deck check
        refuses them): a new part's words are the designer's to write, so the editor says so."""
        notes = []
        for screen in self.screens:
            for language, passages in screen.translated_parts.items():
                if len(passages) != len(screen.parts):
                    notes.append(f"'{screen.id}' now has {len(screen.parts)} parts but its "
                                 f"{language} translation gives {len(passages)} passages: fix "
                                 "its parts = [...] in deck.toml.")
        return notes


def _aligned_passages(screen: EditScreen) -> dict[str, list[str]]:
    """Each translation's passages following the parts: a removed part's passage goes, a part
    read earlier takes its passage along. With a new part (no passage to give it) a list is
    left as it was, for the designer to finish."""
    aligned = {}
    for language, passages in screen.translated_parts.items():
        origins = [part.origin for part in screen.parts]
        if all(o is not None and o < len(passages) for o in origins):
            aligned[language] = [passages[o] for o in origins]
        else:
            aligned[language] = passages
    return aligned


def _counts(screen: EditScreen) -> str:
    spots, parts = len(screen.spots), len(screen.parts)
    words = [f"{spots} area" + ("" if spots == 1 else "s")] if spots or not parts else []
    if parts:
        words.append(f"{parts} part" + ("" if parts == 1 else "s"))
    return ", ".join(words)


def _rect_between(a: tuple[float, float], b: tuple[float, float], minimum: int = 0) -> list[int]:
    left, right = sorted((round(a[0]), round(b[0])))
    top, bottom = sorted((round(a[1]), round(b[1])))
    return [left, top, max(minimum, right - left), max(minimum, bottom - top)]


# ---------------------------------------------------------------------------- tomlkit


def _take_trailing(table, from_blank: bool = False) -> list:
    """Remove and return the comments and blank lines at the end of a table.

    tomlkit keeps the comment above the *next* table at the end of this one; moving it along
    keeps it above what it describes when areas are added or removed. With ``from_blank``,
    comments right under the table's last line (no blank line between) stay with it.
    """
    from tomlkit.items import Comment, Whitespace

    body = table.value.body
    start = len(body)
    while start and body[start - 1][0] is None and isinstance(
        body[start - 1][1], (Comment, Whitespace)
    ):
        start -= 1
    if from_blank:
        while start < len(body) and not isinstance(body[start][1], Whitespace):
            start += 1
    taken = [item for _, item in body[start:]]
    del body[start:]
    return taken


def _put_trailing(table, items: list) -> None:
    for item in items:
        table.value.body.append((None, item))


def _last_table(table):
    """The table written last inside ``table`` (a [[screen.hotspot]], a [screen.translations.pa]
    ...), which holds the comments that lead into the next [[screen]]."""
    from tomlkit.items import AoT, Table

    last = table
    for _, item in table.value.body:
        if isinstance(item, Table):
            last = _last_table(item)
        elif isinstance(item, AoT) and len(item):
            last = _last_table(item[-1])
    return last


def _write_tables(screen_table, key: str, spots: list[Area]) -> None:
    """Bring one screen's [[screen.KEY]] tables (hotspot or part) in line with ``spots``,
    touching only what changed so comments and layout stay; a table put earlier (a part read
    earlier) takes the comment above it along."""
    import tomlkit
    from tomlkit.items import AoT, Whitespace

    old = screen_table.get(key)
    if old is not None and not isinstance(old, AoT):  # written as [screen.hotspot]: rewrite
        del screen_table[key]
        old = None
    kept = {spot.origin for spot in spots if spot.origin is not None}
    if old is not None:
        survivors = [i for i in range(len(old)) if i in kept]
        moved: dict[int, list] = {}
        for index in range(len(old)):
            if index in kept:
                continue
            before = [i for i in survivors if i < index]
            moved.setdefault(before[-1] if before else -1, []).extend(_take_trailing(old[index]))
        for index in sorted(set(range(len(old))) - kept, reverse=True):
            del old[index]
        for position, index in enumerate(survivors):
            _put_trailing(old[position], moved.get(index, []))
        orphans = moved.get(-1, [])
        if orphans and len(old):  # the first area went: its comments stay where they were
            body = screen_table.value.body
            at = next(n for n, (_, item) in enumerate(body) if item is old)
            body[at:at] = [(None, item) for item in orphans]
            _reindex(screen_table.value)
            orphans = []
    else:
        orphans = []

    existing = [spot for spot in spots if spot.origin is not None]
    new = [spot for spot in spots if spot.origin is None]
    if old is not None and len(old):
        ranks = sorted(spot.origin for spot in existing)
        _reorder(screen_table, old, [ranks.index(spot.origin) for spot in existing])
    for table, spot in zip(old or [], existing, strict=False):
        trailing = _take_trailing(table)
        _set_values(table, spot)
        _put_trailing(table, trailing)

    if new:
        if old is None or len(old) == 0:
            if old is not None:
                del screen_table[key]
            last = _last_table(screen_table)
            trailing = _take_trailing(last, from_blank=True) + orphans
            orphans = []
            last.value.body.append((None, Whitespace("\n")))
            old = tomlkit.aot()
            screen_table[key] = old
            last_trailing, spaced = trailing, True  # tomlkit spaces out a new list itself
        else:
            last_trailing, spaced = _take_trailing(old[-1], from_blank=True), False
            _put_trailing(old[-1], [Whitespace("\n")])
        for number, spot in enumerate(new, start=1):
            table = tomlkit.table()
            _set_values(table, spot)
            if not spaced and number < len(new):
                _put_trailing(table, [Whitespace("\n")])
            old.append(table)
        _put_trailing(old[-1], last_trailing)
    elif old is not None and len(old) == 0:
        del screen_table[key]
    _put_trailing(_last_table(screen_table), orphans)


def _reorder(screen_table, aot, order: list[int]) -> None:
    """Put the tables of ``aot`` in ``order`` (old positions, new order), each with the
    comment written above it, so a part read earlier takes its comment along."""
    from tomlkit.items import Comment, Whitespace

    if order == sorted(order):
        return
    body = screen_table.value.body
    at = next(n for n, (_, item) in enumerate(body) if item is aot)
    start = at
    while start and body[start - 1][0] is None and isinstance(
        body[start - 1][1], (Comment, Whitespace)
    ):
        start -= 1
    while start < at and not isinstance(body[start][1], Whitespace):
        start += 1  # comments right under the screen's last line are the screen's
    leading = [[item for _, item in body[start:at]]]
    del body[start:at]
    tables = [aot[n] for n in range(len(aot))]
    leading += [_take_trailing(table, from_blank=True) for table in tables[:-1]]
    tail = _take_trailing(tables[-1], from_blank=True)
    for n in reversed(range(len(aot))):
        del aot[n]
    body[start:start] = [(None, item) for item in leading[order[0]]]
    _reindex(screen_table.value)
    for position, old in enumerate(order):
        if position:
            _put_trailing(tables[order[position - 1]], leading[old])
        aot.append(tables[old])
    _put_trailing(tables[order[-1]], tail)


def _reindex(container) -> None:
    """tomlkit finds a key through its place in the body: after comments were taken out of
    the middle of a body (or put in), point each key at its item again."""
    places: dict = {}
    for index, (key, _) in enumerate(container.body):
        if key is not None:
            places.setdefault(key, []).append(index)
    container._map = {key: spots[0] if len(spots) == 1 else tuple(spots)
                      for key, spots in places.items()}


def _set_values(table, spot: Area) -> None:
    """Write say (parts), rect, goto (hotspots) and label, leaving a value (and its comment)
    alone when unchanged."""
    if spot.kind == PART and table.get("say") != spot.say:
        table["say"] = spot.say
    if list(table.get("rect", [])) != spot.rect:
        table["rect"] = spot.rect
    if spot.kind == HOTSPOT and table.get("goto") != spot.goto:
        table["goto"] = spot.goto
    if spot.label:
        if table.get("label") != spot.label:
            table["label"] = spot.label
    elif "label" in table:
        del table["label"]


# ---------------------------------------------------------------------------- loading


def load_editor(folder: Path) -> Editor:
    """An editor on the deck in ``folder``; DeckProblems if the deck cannot be read."""
    from PIL import Image

    from kiosk.decks.reader import DECK_FILE, read_deck

    folder = Path(folder)
    deck = read_deck(folder, thorough=False, source=folder.name)
    text = (folder / DECK_FILE).read_text(encoding="utf-8-sig")
    screens = []
    for screen in deck.screens:
        with Image.open(folder / screen.image) as image:
            size = image.size
        areas = [Area(HOTSPOT, list(h.rect), h.goto, h.label, origin=n)
                 for n, h in enumerate(screen.hotspots)]
        areas += [Area(PART, list(p.rect), label=p.label, say=p.say, origin=n)
                  for n, p in enumerate(screen.parts)]
        translated = {language: list(t.parts) for language, t in screen.translations.items()
                      if t.parts is not None}
        screens.append(EditScreen(screen.id, screen.image, size, areas, translated))
    return Editor(screens, text)


def save(folder: Path, editor: Editor) -> None:
    """Write the edited deck.toml in one step (a new file renamed over the old)."""
    from kiosk.decks.reader import DECK_FILE
    from kiosk.durable import atomic_open

    text = editor.document_text()
    with atomic_open(Path(folder) / DECK_FILE, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
    editor.saved(text)


# ---------------------------------------------------------------------------- pygame edge

PART_COLOUR = (214, 0, 112)  # magenta: unlike the kiosk's blues, greens and reds
PART_DARK = (122, 0, 64)  # behind white numbers and words (over 7:1)


class EditorWindow:
    """Draws an ``Editor`` and turns pygame events into editor events."""

    def __init__(self, editor: Editor, folder: Path, size: tuple[int, int]) -> None:
        self.editor = editor
        self.folder = Path(folder)
        self.width, self.height = size
        self._images: dict[str, object] = {}
        self.image_rect = None  # where the picture is drawn (pygame.Rect)
        self.scale = 1.0  # image pixels per window pixel
        self.rows: list[tuple[object, object]] = []  # (pygame.Rect, Pick or Show event)

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
                     pygame.K_TAB: "tab",
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
            actions = [Pick(name) for name in names]
        else:
            names = [f"{n}. {s.id} ({_counts(s)})" for n, s in enumerate(editor.screens, 1)]
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
        if editor.mode in (LABELLING, WORDING):
            name = "Words: " if editor.mode == WORDING else "Label: "
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
