"""What the report can learn from a deck on the designer's computer, if the deck is there.

The report works from the logs alone; a deck found in the designer's folders adds the
pictures (heat maps, posters), the buttons' rectangles, the main language, the words of each
task's instruction and each profile question. The deck is read with the kiosk's own reader
(quick mode); if that refuses it (an older or newer format), ``deck.toml`` is read leniently
for images and hotspots only, so a report never fails because of a deck.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.tomlfile import read_toml


@dataclass
class DeckInfo:
    """The parts of a deck the report draws on; empty when the deck is not on this computer."""

    deck_id: str
    title: str
    version: int | None = None
    language: str | None = None
    folder: Path | None = None
    images: dict[str, Path] = field(default_factory=dict)
    hotspots: dict[str, list[tuple[tuple[int, int, int, int], str]]] = field(
        default_factory=dict)  # screen id -> [(x, y, width, height), label]
    tasks: dict[str, tuple[str, tuple[str, ...]]] = field(
        default_factory=dict)  # task id -> (instruction, expected path)
    questions: dict[str, str] = field(default_factory=dict)  # profile id -> question
    parts: dict[str, list[str]] = field(
        default_factory=dict)  # screen id -> each read-along part's label (or first words)

    @property
    def found(self) -> bool:
        return self.folder is not None


def _from_model(deck_id: str, folder: Path) -> DeckInfo | None:
    try:
        from kiosk.decks.reader import read_deck

        deck = read_deck(folder, thorough=False)
    except Exception:  # noqa: BLE001 - any refusal: fall back to the lenient reading
        return None
    info = DeckInfo(deck_id, deck.title, deck.version, deck.language, folder)
    for screen in deck.screens:
        info.images[screen.id] = folder / screen.image
        info.hotspots[screen.id] = [(tuple(h.rect), h.label) for h in screen.hotspots]  # type: ignore[misc]
        info.parts[screen.id] = [part.label or _first_words(part.say)
                                 for part in getattr(screen, "parts", ())]
    for task in getattr(deck, "tasks", ()):
        info.tasks[task.id] = (task.instruction, tuple(task.path))
    for question in getattr(deck, "profile", ()):
        info.questions[question.id] = question.question
    return info


def _first_words(text: str, most: int = 6) -> str:
    words = text.split()
    return " ".join(words[:most]) + ("…" if len(words) > most else "")


def _inside(folder: Path, name: str) -> Path | None:
    """``folder / name`` only if it stays inside the deck's folder (no ``..``, no absolute
    path, no link out): a lenient read must not make the report embed any other file."""
    try:
        base = folder.resolve()
        target = (folder / name).resolve()
    except (OSError, ValueError):
        return None
    return target if target.is_relative_to(base) and target != base else None


def _lenient(deck_id: str, folder: Path) -> DeckInfo | None:
    try:
        data = read_toml(folder / "deck.toml", "deck.toml")
    except KioskError:
        return None
    version = data.get("version")
    info = DeckInfo(deck_id, str(data.get("title") or deck_id),
                    version if isinstance(version, int) else None,
                    str(data["language"]) if isinstance(data.get("language"), str) else None,
                    folder)
    screens = data.get("screen", [])
    for screen in screens if isinstance(screens, list) else []:
        if not (isinstance(screen, dict) and screen.get("id")):
            continue
        sid = str(screen["id"])
        picture = _inside(folder, str(screen["image"])) if screen.get("image") else None
        if picture is not None:
            info.images[sid] = picture
        spots = []
        for spot in screen.get("hotspot", []) or []:
            rect = spot.get("rect") if isinstance(spot, dict) else None
            if isinstance(rect, list) and len(rect) == 4 and all(
                    isinstance(v, (int, float)) for v in rect):
                spots.append((tuple(int(v) for v in rect), str(spot.get("label") or "")))
        info.hotspots[sid] = spots  # type: ignore[assignment]
    return info


def find_deck_info(deck_id: str, folders: list[Path]) -> DeckInfo:
    """The first copy of ``deck_id`` in ``folders`` (designer's decks, then the bundled ones).

    The id comes from a bundle, so it is only ever joined to a folder when it is a plain,
    safe deck id (``is_safe_deck_id``): "../../etc" or an absolute path finds nothing.
    """
    from kiosk.decks.reader import is_safe_deck_id

    fallback = DeckInfo(deck_id, str(deck_id).replace("-", " ").capitalize())
    if not is_safe_deck_id(deck_id):
        return fallback
    for folder in folders:
        candidate = Path(folder) / deck_id
        if not (candidate / "deck.toml").is_file():
            continue
        info = _from_model(deck_id, candidate) or _lenient(deck_id, candidate)
        if info is not None:
            return info
    return fallback
