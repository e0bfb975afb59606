"""The ``[[screen]]`` tables: ids, pictures, words, hotspots and each screen's translations.

Pictures are checked together at the end (in parallel, see ``images.py``) because decoding
them is the slow part of reading a deck.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.decks.fields import MAX_ID, Problems, quoted, text_field
from kiosk.decks.files import FileIndex, Refusal, deck_file, recording, same_file
from kiosk.decks.images import EXTENSIONS as IMAGE_EXTENSIONS
from kiosk.decks.images import ImageInfo, ImageProblem, inspect_images
from kiosk.decks.languages import described
from kiosk.decks.model import (
    Hotspot,
    Part,
    Screen,
    Translation,
)
from kiosk.decks.translations import translation_tables, unknown_keys

MAX_SCREENS = 1000


SCREEN_TRANSLATION_KEYS = ("say", "ask", "image", "audio", "parts")
MAX_PARTS = 30


@dataclass
class ScreenContext:
    """What checking the screens needs from the deck around them."""

    folder: Path
    files: FileIndex
    problems: Problems
    deck_ask: str  # the question when a screen has no ask of its own
    main: str | None  # the deck's main language, when it is a valid tag
    asks_in: dict[str, str]  # the deck's default question in each translated language
    thorough: bool = True  # decode every picture in full (install, check)
    trusted_copy: Path | None = None  # an installed copy whose identical pictures are trusted


@dataclass
class _Draft:
    """A screen being checked; its image size arrives later, from the parallel image check."""

    index: int
    label: str
    id: str | None
    image: str | None = None
    image_value: str = ""
    say: str = ""
    ask: str = ""
    variant: str | None = None
    audio: str | None = None
    hotspots: list[_SpotDraft] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    translations: list[_TranslationDraft] = field(default_factory=list)


@dataclass
class _TranslationDraft:
    """One ``[screen.translations.<language>]`` table being checked."""

    language: str
    where: str  # "screen 'home': the Punjabi (pa) translation"
    say: str | None = None
    ask: str | None = None
    image: str | None = None
    image_value: str = ""
    audio: str | None = None
    parts: tuple[str, ...] | None = None


@dataclass
class _SpotDraft:
    number: int
    rect: tuple[int, int, int, int] | None
    goto: str | None
    label: str

    @property
    def shown(self) -> str:
        return f" ('{self.label}')" if self.label else ""


def read_screens(
    data: dict[str, Any], ctx: ScreenContext
) -> tuple[tuple[Screen, ...], dict[str, list[str]]] | None:
    """The screens, and where each screen's hotspots lead (for checking tasks)."""
    problems = ctx.problems
    raw = data.get("screen")
    if raw is None:
        problems.add(0, "there are no screens: add at least one [[screen]] with id, image and say")
        return None
    if isinstance(raw, dict):
        problems.add(
            0, "screens must be written [[screen]] (two square brackets), once for each screen"
        )
        return None
    if not isinstance(raw, list) or not raw:
        problems.add(0, "there are no screens: add at least one [[screen]] with id, image and say")
        return None
    if len(raw) > MAX_SCREENS:
        problems.add(
            0, f"the deck has {len(raw)} screens; the most the kiosk takes is {MAX_SCREENS}"
        )
        raw = raw[:MAX_SCREENS]

    drafts: list[_Draft] = []
    first_seen: dict[str, int] = {}
    for number, table in enumerate(raw, start=1):
        if not isinstance(table, dict):
            problems.add(number, f"screen {number} is not written as a [[screen]] table")
            continue
        draft = _draft(number, table, ctx, first_seen)
        draft.translations = screen_translations(table.get("translations"), draft, ctx)
        drafts.append(draft)

    known_ids = set(first_seen)
    for draft in drafts:
        for spot in draft.hotspots:
            if spot.goto is not None and spot.goto not in known_ids:
                problems.add(
                    draft.index,
                    f"{draft.label}: hotspot {spot.number}{spot.shown}: goto '{spot.goto}' is "
                    "not a screen in this deck",
                )

    links: dict[str, list[str]] = {}
    for draft in drafts:
        if draft.id is not None and first_seen.get(draft.id) == draft.index:
            links[draft.id] = [s.goto for s in draft.hotspots if s.goto in known_ids]

    sizes = _image_sizes(drafts, ctx)
    screens: list[Screen] = []
    for draft in drafts:
        size = sizes.get(draft.image) if draft.image else None
        for t in draft.translations:
            other = sizes.get(t.image) if t.image else None
            if draft.hotspots and size and other and (other.width, other.height) != (
                size.width, size.height
            ):
                problems.add(
                    draft.index,
                    f"{t.where}: image '{t.image_value}' is {other.width} x {other.height} "
                    f"pixels but the screen's own image is {size.width} x {size.height}: "
                    "hotspots are measured on the screen's own image, so a translated "
                    "picture must be exactly the same size",
                )
        hotspots: list[Hotspot] = []
        for spot in draft.hotspots:
            if spot.rect is None or spot.goto is None:
                continue
            x, y, w, h = spot.rect
            if size is not None and (x + w > size.width or y + h > size.height):
                problems.add(
                    draft.index,
                    f"{draft.label}: hotspot {spot.number}{spot.shown}: rect {list(spot.rect)} "
                    f"goes off the image, which is {size.width} x {size.height} pixels",
                )
            hotspots.append(Hotspot(rect=spot.rect, goto=spot.goto, label=spot.label))
        for number, part in enumerate(draft.parts, start=1):
            x, y, w, h = part.rect
            if size is not None and (x + w > size.width or y + h > size.height):
                problems.add(
                    draft.index,
                    f"{draft.label}: part {number}: rect {list(part.rect)} goes off the image, "
                    f"which is {size.width} x {size.height} pixels",
                )
        for t in draft.translations:
            if t.parts is not None and len(t.parts) != len(draft.parts):
                problems.add(
                    draft.index,
                    f"{t.where}: parts has {len(t.parts)} passages but the screen has "
                    f"{len(draft.parts)} [[screen.part]] tables: give one for each, in order",
                )
        if draft.id is None or draft.image is None or not draft.say:
            continue
        screens.append(
            Screen(
                id=draft.id,
                image=draft.image,
                say=draft.say,
                ask=draft.ask,
                variant=draft.variant,
                audio=draft.audio,
                hotspots=tuple(hotspots),
                translations={
                    t.language: Translation(
                        say=t.say or (" ".join(t.parts) if t.parts else None),
                        ask=t.ask or ctx.asks_in.get(t.language),
                        image=t.image,
                        audio=t.audio,
                        parts=t.parts,
                    )
                    for t in draft.translations
                },
                parts=tuple(draft.parts),
            )
        )
    return tuple(screens), links


def _draft(
    number: int, table: dict[str, Any], ctx: ScreenContext, first_seen: dict[str, int]
) -> _Draft:
    folder, files, problems, deck_ask = ctx.folder, ctx.files, ctx.problems, ctx.deck_ask
    screen_id = table.get("id")
    label = f"screen {number}"
    good_id: str | None = None
    if screen_id is None:
        problems.add(number, f"screen {number}: id is missing: give every screen a short name")
    elif not _is_screen_id(screen_id):
        problems.add(
            number,
            f"screen {number}: id {quoted(screen_id)} must be a short name of letters, digits, "
            "dashes or underscores, with no spaces (such as 'page-2')",
        )
    else:
        label = f"screen '{screen_id}'"
        if screen_id in first_seen:
            problems.add(
                number,
                f"{label} appears twice (screens {first_seen[screen_id]} and {number}): every "
                "screen needs its own id",
            )
        else:
            first_seen[screen_id] = number
        good_id = screen_id

    draft = _Draft(index=number, label=label, id=good_id)
    value = table.get("image")
    if value is None:
        problems.add(number, f"{label}: image is missing: name the picture file for this screen")
    else:
        found = deck_file(value, "image", IMAGE_EXTENSIONS, "PNG or JPEG", folder, files)
        if isinstance(found, Refusal):
            problems.add(number, f"{label}: {found.message}")
        else:
            draft.image, draft.image_value = found, value

    draft.parts = _parts(table.get("part"), number, label, problems)
    draft.say = text_field(table, "say", problems, number, f"{label}: ",
                           required=not draft.parts)
    if not draft.say and draft.parts:
        draft.say = " ".join(part.say for part in draft.parts)
    draft.ask = text_field(table, "ask", problems, number, f"{label}: ", required=False) or deck_ask
    draft.variant = text_field(table, "variant", problems, number, f"{label}: ", False, 64) or None

    audio = table.get("audio")
    if audio is not None:
        found = recording(audio, folder, files)
        if isinstance(found, Refusal):
            problems.add(number, f"{label}: {found.message}")
        else:
            draft.audio = found

    draft.hotspots = _hotspots(table.get("hotspot"), number, label, problems)
    return draft


def _hotspots(raw: Any, number: int, label: str, problems: Problems) -> list[_SpotDraft]:
    if raw is None:
        return []
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        problems.add(number, f"{label}: hotspot must be written [[screen.hotspot]]")
        return []
    found = []
    for spot_number, spot in enumerate(raw, start=1):
        where = f"{label}: hotspot {spot_number}"
        if not isinstance(spot, dict):
            problems.add(number, f"{where} must be written [[screen.hotspot]]")
            continue
        name = spot.get("label", "")
        if not isinstance(name, str):
            problems.add(number, f"{where}: label must be text in quotes")
            name = ""
        draft = _SpotDraft(spot_number, None, None, name.strip())
        where += draft.shown
        draft.rect = _rect(spot.get("rect"), where, number, problems)
        goto = spot.get("goto")
        if goto is None:
            problems.add(number, f"{where}: goto is missing: name the screen it leads to")
        elif not isinstance(goto, str):
            problems.add(number, f"{where}: goto {quoted(goto)} must be a screen id")
        else:
            draft.goto = goto
        found.append(draft)
    return found


def _parts(raw: Any, number: int, label: str, problems: Problems) -> list[Part]:
    """``[[screen.part]]``: passages read one at a time, each zoomed to its region."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        problems.add(number, f"{label}: part must be written [[screen.part]]")
        return []
    if len(raw) > MAX_PARTS:
        problems.add(number, f"{label} has {len(raw)} parts; at most {MAX_PARTS} are allowed")
        raw = raw[:MAX_PARTS]
    found = []
    for part_number, table in enumerate(raw, start=1):
        where = f"{label}: part {part_number}"
        if not isinstance(table, dict):
            problems.add(number, f"{where} must be written [[screen.part]]")
            continue
        words = text_field(table, "say", problems, number, f"{where}: ", required=True)
        name = text_field(table, "label", problems, number, f"{where}: ", False, 64)
        rect = _rect(table.get("rect"), where, number, problems)
        unknown = sorted(set(table) - {"say", "rect", "label"})
        if unknown:
            problems.add(number, f"{where}: '{unknown[0]}' is not a field of a part (use say, "
                         "rect and label); check the spelling")
        if words and rect is not None:
            found.append(Part(words, rect, name))
    return found


def _rect(
    value: Any, where: str, number: int, problems: Problems
) -> tuple[int, int, int, int] | None:
    wanted = "four whole numbers of pixels: [x, y, width, height]"
    if value is None:
        problems.add(number, f"{where}: rect is missing: give {wanted}")
        return None
    if (
        not isinstance(value, list)
        or len(value) != 4
        or any(isinstance(n, bool) or not isinstance(n, int) for n in value)
    ):
        problems.add(number, f"{where}: rect {quoted(value)} must be {wanted}")
        return None
    x, y, w, h = value
    if x < 0 or y < 0 or w <= 0 or h <= 0:
        problems.add(
            number,
            f"{where}: rect {value} must start at 0 or more and have a width and height above 0",
        )
        return None
    return (x, y, w, h)


def _image_sizes(drafts: list[_Draft], ctx: ScreenContext) -> dict[str, ImageInfo]:
    folder, problems, trusted_copy = ctx.folder, ctx.problems, ctx.trusted_copy
    refs = [
        (draft, image, value, where)
        for draft in drafts
        for image, value, where in (
            [(draft.image, draft.image_value, draft.label)]
            + [(t.image, t.image_value, t.where) for t in draft.translations]
        )
        if image
    ]
    wanted = sorted({image for _, image, _, _ in refs})
    full: list[Path] = []
    quick: list[Path] = []
    for relative in wanted:
        already_checked = trusted_copy is not None and same_file(
            folder / relative, trusted_copy / relative
        )
        (full if ctx.thorough and not already_checked else quick).append(folder / relative)
    results = inspect_images(full, thorough=True)
    results.update(inspect_images(quick, thorough=False))
    sizes: dict[str, ImageInfo] = {}
    for draft, image, value, where in refs:
        outcome = results[folder / image]
        if isinstance(outcome, ImageProblem):
            problems.add(draft.index, f"{where}: image '{value}' {outcome}")
        else:
            sizes[image] = outcome
    return sizes


def _is_screen_id(value: Any) -> bool:
    """Letters of any script (with their vowel signs), digits, dashes, dots, underscores."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ID:
        return False
    if unicodedata.category(value[0])[0] not in "LN":
        return False
    return all(unicodedata.category(c)[0] in "LMN" or c in "-_." for c in value)


def screen_translations(raw: Any, draft: _Draft, ctx: ScreenContext) -> list[_TranslationDraft]:
    """``[screen.translations.pa]``: say, ask, image and audio, each optional."""
    folder, files, problems, main = ctx.folder, ctx.files, ctx.problems, ctx.main
    number, found = draft.index, []
    for language, table in translation_tables(
        raw, "screen", draft.label, number, main, problems
    ):
        t = _TranslationDraft(language, f"{draft.label}: the {described(language)} translation")
        unknown_keys(table, SCREEN_TRANSLATION_KEYS, t.where, number, problems)
        t.say = text_field(table, "say", problems, number, f"{t.where}: ", required=False) or None
        t.ask = text_field(table, "ask", problems, number, f"{t.where}: ", required=False) or None
        if "parts" in table:
            raw = table["parts"]
            if not isinstance(raw, list) or not raw or not all(isinstance(x, str) and x.strip()
                                                               for x in raw):
                problems.add(number, f"{t.where}: parts must be a list of the passages' words "
                             'in quotes, one for each [[screen.part]], such as ["...", "..."]')
            else:
                t.parts = tuple(x.strip() for x in raw)
        if "image" in table:
            image = deck_file(
                table["image"], "image", IMAGE_EXTENSIONS, "PNG or JPEG", folder, files
            )
            if isinstance(image, Refusal):
                problems.add(number, f"{t.where}: {image.message}")
            else:
                t.image, t.image_value = image, table["image"]
        if "audio" in table:
            audio = recording(table["audio"], folder, files)
            if isinstance(audio, Refusal):
                problems.add(number, f"{t.where}: {audio.message}")
            elif t.say is None and "say" not in table:
                problems.add(
                    number,
                    f"{t.where}: has audio but no say: write the words of the recording as "
                    "say too (the written record of what is heard)",
                )
            else:
                t.audio = audio
        found.append(t)
    return found
