"""deck.toml written one way: a deck (``kiosk.decks.model``) and the comments meant for whoever
opens the file next, made into a tomlkit document.

``kiosk deck new``, the bundled examples (prototypes/examples/) and ``kiosk deck edit`` (its
new tables, and the file it saves) all come through here, so every deck.toml the project
writes quotes, escapes and lays out its fields the same way, and reads back (through
``kiosk.decks.reader``) as the deck it was made from. Fields that only repeat a default are
left out: a screen's ``ask`` when it is the deck's, a read-along screen's ``say`` when it is
its parts' words joined, a task's ``ask`` when it is the usual one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.decks.files import DECK_FILE
from kiosk.decks.model import Deck, Hotspot, Part, ProfileQuestion, Screen, Task, Translation


@dataclass
class Notes:
    """Comment lines for deck.toml, each written as given: "# ..." (or "" for a blank line).

    A note above a table header sits right on it; a blank line is written above the note.
    """

    top: list[str] = field(default_factory=list)  # the first lines of the file
    fields: dict[str, list[str]] = field(default_factory=dict)  # above id, title, version ...
    screens: dict[str, list[str]] = field(default_factory=dict)  # above a [[screen]], by id
    says: dict[str, list[str]] = field(default_factory=dict)  # above its say, or its parts
    tasks: list[str] = field(default_factory=list)  # above the first [[task]]
    profile: list[str] = field(default_factory=list)  # above the first [[profile]]
    language_names: list[str] = field(default_factory=list)  # above [language_names]
    rect: str = ""  # after every rect, such as "x, y, width, height"


def deck_text(deck: Deck, notes: Notes | None = None) -> str:
    """deck.toml for ``deck``, with ``notes`` as its comments."""
    import tomlkit

    return tomlkit.dumps(deck_document(deck, notes))


def write_deck_file(folder: Path, deck: Deck, notes: Notes | None = None) -> Path:
    """Write ``folder/deck.toml`` for ``deck`` whole or not at all; return its path."""
    return write_deck_toml(folder, deck_text(deck, notes))


def write_deck_toml(folder: Path, text: str) -> Path:
    """Write ``text`` as ``folder/deck.toml`` in one step (a new file renamed over the old),
    its line endings as they are (the editor keeps a Windows designer's CRLF)."""
    from kiosk.durable import atomic_open

    path = Path(folder) / DECK_FILE
    with atomic_open(path, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
    return path


def deck_fields(deck: Deck) -> dict[str, Any]:
    """Everything a deck holds, translations included (they are left out of ``==``), but not
    where it lives: two decks with equal fields are the same deck."""
    fields = dataclasses.asdict(deck)
    fields.pop("folder")
    return fields


def deck_document(deck: Deck, notes: Notes | None = None) -> Any:
    """The tomlkit document: deck fields, screens, tasks, profile questions, language names."""
    import tomlkit

    notes = notes or Notes()
    document = tomlkit.document()
    _add_notes(document, notes.top)
    if notes.top:
        document.add(tomlkit.nl())
    values: dict[str, Any] = {"id": deck.id, "title": deck.title, "version": deck.version,
                              "language": deck.language, "ask": deck.ask, **deck.extra}
    for key, value in values.items():
        _add_notes(document, notes.fields.get(key, []))
        document[key] = _value(value)
    attached: list[Any] = []  # tables with a note right above their header
    screens = tomlkit.aot()
    for screen in deck.screens:
        table = _screen_table(screen, deck.ask, notes)
        above = notes.screens.get(screen.id, [])
        if above:
            holder = last_table(screens[-1]) if len(screens) else document
            _add_notes(holder, ["", *above])
            attached.append(table)
        screens.append(table)
    document["screen"] = screens
    sections = (("task", [_task_table(task) for task in deck.tasks], notes.tasks),
                ("profile", [_profile_table(q) for q in deck.profile], notes.profile))
    for key, tables, above in sections:
        if not tables:
            continue
        _add_notes(document, ["", *above] if above else [])
        if above:
            attached.append(tables[0])
        document[key] = _tables(tables)
    if deck.language_names:
        names = tomlkit.table()
        for tag, name in deck.language_names.items():
            names[tag] = _value(name)
        _add_notes(document, ["", *notes.language_names] if notes.language_names else [])
        document["language_names"] = names
        if notes.language_names:
            attached.append(names)
    for table in attached:  # added last: tomlkit sets a blank line above each header it adds
        table.trivia.indent = ""
    return document


def part_table(part: Part, rect_note: str = "") -> Any:
    """One ``[[screen.part]]``: label (when it has one), rect, say."""
    import tomlkit

    table = tomlkit.table()
    if part.label:
        table["label"] = _value(part.label)
    table["rect"] = rect_value(part.rect, rect_note)
    table["say"] = _value(part.say)
    return table


def hotspot_table(spot: Hotspot, rect_note: str = "") -> Any:
    """One ``[[screen.hotspot]]``: rect, goto, label (when it has one)."""
    import tomlkit

    table = tomlkit.table()
    table["rect"] = rect_value(spot.rect, rect_note)
    table["goto"] = _value(spot.goto)
    if spot.label:
        table["label"] = _value(spot.label)
    return table


def rect_value(rect: tuple[int, ...] | list[int], note: str = "") -> Any:
    """``[x, y, width, height]`` on one line, with ``note`` after it."""
    import tomlkit

    array = tomlkit.item([int(n) for n in rect])
    if note:
        array.comment(note)
        array.trivia.comment_ws = "  "
    return array


def text_value(text: str) -> Any:
    """A TOML string; words of several lines as a multi-line string, starting on its own line."""
    import tomlkit
    from tomlkit.items import String, StringType, Trivia

    if "\n" not in text or "\r" in text:  # a carriage return survives only escaped
        return tomlkit.string(text)
    body = tomlkit.string(text + "\n", multiline=True).as_string()[3:-3]
    if not body.startswith("\n"):  # tomlkit starts words that begin with a new line on their own
        body = "\n" + body
    return String(StringType.MLB, text + "\n", body, Trivia())


def _value(value: Any) -> Any:
    return text_value(value) if isinstance(value, str) else value


def _screen_table(screen: Screen, deck_ask: str, notes: Notes) -> Any:
    import tomlkit

    table = tomlkit.table()
    table["id"] = _value(screen.id)
    if screen.variant:
        table["variant"] = _value(screen.variant)
    table["image"] = _value(screen.image)
    joined = " ".join(part.say for part in screen.parts)
    says = notes.says.get(screen.id, [])
    if not screen.parts or screen.say != joined:
        _add_notes(table, says)
        table["say"] = _value(screen.say)
        says = []
    if screen.ask != deck_ask:
        table["ask"] = _value(screen.ask)
    if screen.audio:
        table["audio"] = _value(screen.audio)
    if screen.parts:
        _add_notes(table, says)
        table["part"] = _tables([part_table(part, notes.rect) for part in screen.parts])
    if screen.translations:
        translations = tomlkit.table(is_super_table=True)
        for language, translation in screen.translations.items():
            translations[language] = _translation_table(translation)
        table["translations"] = translations
    if screen.hotspots:
        table["hotspot"] = _tables([hotspot_table(spot, notes.rect) for spot in screen.hotspots])
    return table


def _translation_table(translation: Translation) -> Any:
    import tomlkit

    table = tomlkit.table()
    if translation.image:
        table["image"] = _value(translation.image)
    joined = " ".join(translation.parts) if translation.parts else None
    if translation.say and translation.say != joined:
        table["say"] = _value(translation.say)
    for key in ("ask", "audio"):
        if getattr(translation, key):
            table[key] = _value(getattr(translation, key))
    if translation.parts is not None:
        table["parts"] = [_value(words) for words in translation.parts]
    return table


def _task_table(task: Task) -> Any:
    import tomlkit

    from kiosk.decks.tasks import DEFAULT_TASK_ASK

    table = tomlkit.table()
    table["id"] = _value(task.id)
    table["instruction"] = _value(task.instruction)
    table["start"] = _value(task.start)
    table["done"] = _value(task.done[0]) if len(task.done) == 1 else list(task.done)
    if task.path:
        table["path"] = list(task.path)
    if task.ask != DEFAULT_TASK_ASK:
        table["ask"] = _value(task.ask)
    if task.translations:
        translations = tomlkit.table(is_super_table=True)
        for language, words in task.translations.items():
            translated = tomlkit.table()
            for key, text in words.items():
                translated[key] = _value(text)
            translations[language] = translated
        table["translations"] = translations
    return table


def _profile_table(question: ProfileQuestion) -> Any:
    import tomlkit

    table = tomlkit.table()
    table["id"] = _value(question.id)
    table["question"] = _value(question.question)
    if question.translations:
        translations = tomlkit.table(is_super_table=True)
        for language, text in question.translations.items():
            translated = tomlkit.table()
            translated["question"] = _value(text)
            translations[language] = translated
        table["translations"] = translations
    return table


def _tables(tables: list[Any]) -> Any:
    """An array of tables, filled before it goes in (tomlkit then spaces out its first)."""
    import tomlkit

    array = tomlkit.aot()
    for table in tables:
        array.append(table)
    return array


def _add_notes(container: Any, lines: list[str]) -> None:
    import tomlkit
    from tomlkit.items import Comment, Trivia

    for line in lines:
        if line and not line.startswith("#") or "\n" in line:
            raise ValueError(f"a note is a line starting with '#' (or ''): {line!r}")
        container.add(Comment(Trivia(comment_ws="", comment=line, trail="\n")) if line
                      else tomlkit.nl())


def last_table(table: Any) -> Any:
    """The table written last inside ``table`` (a [[screen.hotspot]], a
    [screen.translations.pa] ...): what comes after it in the file stands above the next
    [[screen]]."""
    from tomlkit.items import AoT, Table

    last = table
    for _, item in table.value.body:
        if isinstance(item, Table):
            last = last_table(item)
        elif isinstance(item, AoT) and len(item):
            last = last_table(item[-1])
    return last
