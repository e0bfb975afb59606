"""``kiosk deck new``: a deck from a letter PDF or a folder of exported frames, in one command.

Designers start from what they already have: the letter as sent (a PDF, often with its
rewrite as a second PDF) or an app mock-up's frames exported from Figma as PNG files. This
makes a complete, valid deck folder from them, with a commented ``deck.toml`` (written by
``deck_writer``; the comments explain each field to someone who has never seen TOML). From a
PDF each page becomes a screen, drawn at a sharp kiosk size, with the page's text as the first
draft of what is read aloud, split into read-along parts (one per paragraph, with its region of
the page: see ``pdf_parts``). From images each one becomes a screen in natural name order
("Screen 2" before "Screen 10"), and ``say`` is left as a TODO that ``kiosk deck check`` points
out.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.authoring.deck_writer import Notes, write_deck_file
from kiosk.authoring.pdf_parts import PAGE_FOOTER, DraftPart, propose_parts
from kiosk.authoring.wording import TODO_MARK
from kiosk.decks.model import DEFAULT_ASK, Deck, Part, Screen
from kiosk.durable import replace_durably
from kiosk.errors import KioskError

KIOSK_BOX = (1920, 1080)  # pages are drawn to fill this: the kiosk's best picture size
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
IGNORED_NAMES = (".ds_store", "thumbs.db", "desktop.ini")
TODO_SAY = f"{TODO_MARK}: write the words read aloud for this screen."


@dataclass
class Source:
    """One ``--from`` and the ``--variant`` that followed it."""

    path: Path
    variant: str | None = None


@dataclass
class DraftScreen:
    id: str
    image: str  # path inside the deck
    say: str
    variant: str | None
    origin: str  # "page 2 of original-letter.pdf", for the comment above the screen
    parts: list[DraftPart] = field(default_factory=list)  # read-along passages, if any


@dataclass
class NewDeck:
    """What was made, for the command to report."""

    folder: Path
    deck_id: str
    screens: list[DraftScreen]
    notes: list[str] = field(default_factory=list)


def make_deck(
    dest: Path,
    sources: list[Source],
    *,
    deck_id: str | None = None,
    title: str | None = None,
    language: str = "en-GB",
    box: tuple[int, int] = KIOSK_BOX,
    parts: bool = True,
) -> NewDeck:
    """Build a deck folder at ``dest`` from PDFs and image folders; KioskError if it cannot.

    The deck is made in a scratch folder beside ``dest`` and renamed into place at the end, so
    a failure (a damaged PDF, a full disk) leaves nothing half-made behind. With ``parts``
    each PDF page is read a paragraph at a time (``[[screen.part]]``), else read whole.
    """
    from kiosk.decks.reader import is_safe_deck_id, read_deck
    from kiosk.errors import DeckProblems

    dest = Path(dest)
    if not sources:
        raise KioskError("Say what to make the deck from: --from LETTER.pdf or --from FOLDER.")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise KioskError(f"'{dest}' already exists and is not empty: choose a new folder name.")
    deck_id = deck_id or _slug(dest.resolve().name, "my-deck")
    if not is_safe_deck_id(deck_id):
        raise KioskError(f"--id '{deck_id}' is not a safe name: use lower-case letters, digits "
                         "and dashes, such as 'clinic-letter'.")
    variants = [s.variant for s in sources if s.variant]
    if len(set(variants)) != len(variants):
        raise KioskError("Each --variant must have its own name (such as original, easy-read).")

    dest.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".deck-new-", dir=dest.parent))
    try:
        screens: list[DraftScreen] = []
        notes: list[str] = []
        found_title = None
        used_ids: set[str] = set()
        for source in sources:
            prefix = _prefix(source, len(sources))
            if source.path.is_dir():
                made, more = _from_images(source, prefix, scratch, used_ids)
            elif source.path.suffix.lower() == ".pdf":
                made, more, pdf_title = _from_pdf(source, prefix, scratch, used_ids, box,
                                                  parts)
                found_title = found_title or pdf_title
            elif not source.path.exists():
                raise KioskError(f"'{source.path}' is not there: check the name.")
            else:
                raise KioskError(f"'{source.path}' is neither a PDF nor a folder of pictures.")
            screens += made
            notes += more
        if not screens:
            raise KioskError("No pages or pictures were found to make screens from.")
        title = title or found_title or _title_from(dest.resolve().name)
        ask_page = all(s.path.suffix.lower() == ".pdf" for s in sources)
        write_deck_file(scratch, draft_deck(deck_id, title, language, screens, ask_page),
                        draft_notes(screens, sources, dest.name, ask_page))
        try:
            read_deck(scratch, source=dest.name)
        except DeckProblems as problems:  # e.g. a picture that is far too big
            raise KioskError(str(problems)) from None
        if dest.exists():
            dest.rmdir()
        replace_durably(scratch, dest)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return NewDeck(dest, deck_id, screens, notes)


# ---------------------------------------------------------------------------- sources


def _from_pdf(
    source: Source, prefix: str, scratch: Path, used_ids: set[str], box: tuple[int, int],
    with_parts: bool = True,
) -> tuple[list[DraftScreen], list[str], str | None]:
    """One screen per page: the page drawn to fill ``box``, its text as the draft ``say``
    (``with_parts``: its paragraphs as parts, each with its region)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(source.path))
    except (pdfium.PdfiumError, OSError) as error:
        raise KioskError(f"'{source.path.name}' could not be opened as a PDF ({error}). If it "
                         "has a password, save a copy without one.") from None
    folder = Path("screens") / (source.variant or _slug(source.path.stem, "pages"))
    (scratch / folder).mkdir(parents=True, exist_ok=True)
    screens: list[DraftScreen] = []
    notes: list[str] = []
    try:
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        for number in range(1, len(pdf) + 1):
            page = pdf[number - 1]
            width, height = page.get_size()
            scale = min(box[0] / width, box[1] / height)
            image = page.render(scale=scale, draw_annots=True).to_pil().convert("RGB")
            relative = (folder / f"page-{number}.png").as_posix()
            image.save(scratch / relative, optimize=True)
            text = page_text(page.get_textpage().get_text_range())
            found = propose_parts(page, scale, image.size) if with_parts and text else []
            if not text:
                notes.append(f"page {number} of {source.path.name} has no text to read out "
                             "(is it a scan?): write its words in deck.toml")
                text = TODO_SAY
            screen_id = _unique(f"{prefix}-{number}", used_ids)
            screens.append(DraftScreen(screen_id, relative, text, source.variant,
                                       f"page {number} of {source.path.name}", found))
    finally:
        pdf.close()
    return screens, notes, title


def page_text(raw: str) -> str:
    """A page's text as paragraphs: wrapped lines joined, page numbers left out.

    PDF text comes line by line. A line ending a sentence, or clearly shorter than the
    page's full lines (a heading, "Dear Mr Nowak,", an address line), ends a paragraph.
    """
    lines = [" ".join(line.split()) for line in raw.replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line and not PAGE_FOOTER.fullmatch(line)]
    if not lines:
        return ""
    longest = max(len(line) for line in lines)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        current.append(line)
        if line[-1] in ".!?:," or len(line) < 0.7 * longest:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def _from_images(
    source: Source, prefix: str, scratch: Path, used_ids: set[str]
) -> tuple[list[DraftScreen], list[str]]:
    """One screen per PNG/JPEG in the folder, in natural name order, copied as they are."""
    notes: list[str] = []
    pictures = []
    for entry in sorted(source.path.iterdir(), key=lambda p: natural_key(p.name)):
        if entry.name.startswith(".") or entry.name.lower() in IGNORED_NAMES or entry.is_dir():
            continue
        if entry.suffix.lower() in IMAGE_SUFFIXES:
            pictures.append(entry)
        else:
            notes.append(f"'{entry.name}' was left out: the kiosk shows PNG and JPEG pictures")
    if not pictures:
        raise KioskError(f"'{source.path}' holds no PNG or JPEG pictures.")
    folder = Path("screens") / (source.variant or _slug(source.path.name, "screens"))
    (scratch / folder).mkdir(parents=True, exist_ok=True)
    screens = []
    for picture in pictures:
        relative = (folder / picture.name).as_posix()
        shutil.copyfile(picture, scratch / relative)
        stem = _slug(picture.stem, "screen")
        screen_id = _unique(f"{source.variant}-{stem}" if source.variant else stem, used_ids)
        screens.append(DraftScreen(screen_id, relative, TODO_SAY, source.variant,
                                   f"{picture.name} from {source.path.name}"))
    return screens, notes


def natural_key(name: str) -> list:
    """Sort key that puts "Screen 2" before "Screen 10", as people (and Figma) number frames."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", name.casefold()) if part]


# ---------------------------------------------------------------------------- deck.toml


def draft_deck(
    deck_id: str,
    title: str,
    language: str,
    screens: list[DraftScreen],
    ask_page: bool = False,
) -> Deck:
    """The deck as drafted: a screen read in parts says its parts' words, one after another."""
    ask = "Did you understand this page?" if ask_page else DEFAULT_ASK
    return Deck(
        id=deck_id,
        title=title,
        version=1,
        language=language,
        screens=tuple(
            Screen(screen.id, screen.image,
                   " ".join(part.say for part in screen.parts) if screen.parts else screen.say,
                   ask, screen.variant,
                   parts=tuple(Part(p.say, p.rect, p.label) for p in screen.parts))
            for screen in screens),
        ask=ask,
    )


def draft_notes(
    screens: list[DraftScreen], sources: list[Source], dest_name: str, ask_page: bool = False
) -> Notes:
    """Comments that explain the deck file to a first-time designer."""
    notes = Notes(
        top=["# Made by `kiosk deck new` from:",
             *(f"#   {s.variant or 'screens'}: {s.path.name}" for s in sources),
             "#",
             "# Next: read each `say` below (it is read aloud to the participant) and make it "
             "right,",
             "# draw the clickable areas with `kiosk deck edit`, try it with `kiosk deck "
             "preview`,",
             f"# and check it with:  kiosk deck check \"{dest_name}\"",
             "# Every field is explained in prototypes/README.md; making decks in",
             "# prototypes/AUTHORING.md."],
        fields={
            "id": ["# The deck's short name: it appears in the results, so keep it between "
                   "versions."],
            "version": ["# Raise the version every time you change the deck (the kiosk "
                        "installs higher versions)."],
            "language": ["# The language of the words read aloud: it chooses the voice."],
            "ask": [f"# The question asked after every {'page' if ask_page else 'screen'}."],
        },
    )
    current_variant: object = object()
    for screen in screens:
        above = []
        if screen.variant != current_variant:
            current_variant = screen.variant
            if screen.variant:
                above += [f"# ---- The {screen.variant!r} version "
                          "(the results compare versions screen by screen)", ""]
        notes.screens[screen.id] = [*above, f"# {screen.origin}"]
        if screen.parts:
            notes.says[screen.id] = [
                "# Read a paragraph at a time, the kiosk zooming to each part's rect (x, y, "
                "width,",
                "# height in the picture's pixels). First draft, from the page's text: cut what",
                "# should not be read aloud (delete the whole [[screen.part]] for a reference",
                "# number or an address), say numbers the way people say them, and adjust the",
                "# regions with `kiosk deck edit`."]
        elif screen.say.startswith(TODO_MARK):
            notes.says[screen.id] = ["# Write what the kiosk reads aloud for this screen:"]
        else:
            notes.says[screen.id] = [
                "# First draft, from the page's text: cut what should not be read aloud",
                "# (reference numbers, addresses) and say numbers the way people say them."]
    return notes


# ---------------------------------------------------------------------------- names


def _prefix(source: Source, count: int) -> str:
    if source.variant:
        return _slug(source.variant, "screen")
    if count == 1 and source.path.suffix.lower() == ".pdf":
        return "page"
    return _slug(source.path.stem, "page")


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:48].strip("-")
    return slug or fallback


def _unique(wanted: str, used: set[str]) -> str:
    candidate, number = wanted[:60], 2
    while candidate in used:
        candidate = f"{wanted[:56]}-{number}"
        number += 1
    used.add(candidate)
    return candidate


def _title_from(name: str) -> str:
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else "New deck"
