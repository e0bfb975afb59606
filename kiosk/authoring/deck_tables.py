"""deck.toml for the editor: read into an ``Editor``, written back with tomlkit.

Only the ``[[screen.hotspot]]`` and ``[[screen.part]]`` tables (and a translation's ``parts``
list) change; the designer's comments, order and spacing stay as they wrote them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.authoring.deck_writer import hotspot_table, last_table, part_table, write_deck_toml
from kiosk.authoring.editor import HOTSPOT, PART, Area, Editor, EditScreen, aligned_passages
from kiosk.decks.model import Hotspot, Part


def document_text(editor: Editor) -> str:
    """deck.toml with the hotspots and parts as edited, everything else as the designer
    wrote it."""
    import tomlkit

    document = tomlkit.parse(editor.text)
    tables = document["screen"]
    for screen, table in zip(editor.screens, tables, strict=True):
        write_area_tables(table, HOTSPOT, screen.spots)
        write_area_tables(table, PART, screen.parts)
        for language, passages in aligned_passages(screen).items():
            if passages != screen.translated_parts[language]:
                table["translations"][language]["parts"] = passages
    return tomlkit.dumps(document)


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


def write_area_tables(screen_table, key: str, spots: list[Area]) -> None:
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
        origins = [spot.origin for spot in existing if spot.origin is not None]
        ranks = sorted(origins)
        _reorder(screen_table, old, [ranks.index(origin) for origin in origins])
    for table, spot in zip(old or [], existing, strict=False):
        trailing = _take_trailing(table)
        _set_values(table, spot)
        _put_trailing(table, trailing)

    if new:
        if old is None or len(old) == 0:
            if old is not None:
                del screen_table[key]
            last = last_table(screen_table)
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
            table = new_table(spot)
            if not spaced and number < len(new):
                _put_trailing(table, [Whitespace("\n")])
            old.append(table)
        _put_trailing(old[-1], last_trailing)
    elif old is not None and len(old) == 0:
        del screen_table[key]
    _put_trailing(last_table(screen_table), orphans)


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


def new_table(area: Area) -> Any:
    """A new [[screen.part]] or [[screen.hotspot]], written as the deck writer writes one."""
    rect = (area.rect[0], area.rect[1], area.rect[2], area.rect[3])
    if area.kind == PART:
        return part_table(Part(area.say, rect, area.label))
    return hotspot_table(Hotspot(rect, area.goto or "", area.label))


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
        translated = {language: list(t.parts) for language, t in screen.translations.items()
                      if t.parts is not None}
        areas += [Area(PART, list(p.rect), label=p.label, say=p.say, origin=n,
                       translated={language: words[n] for language, words in translated.items()})
                  for n, p in enumerate(screen.parts)]
        screens.append(EditScreen(screen.id, screen.image, size, areas, translated))
    return Editor(screens, text)


def save(folder: Path, editor: Editor) -> None:
    """Write the edited deck.toml in one step (a new file renamed over the old)."""
    text = document_text(editor)
    write_deck_toml(folder, text)
    editor.saved(text)
