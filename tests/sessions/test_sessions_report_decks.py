"""How the report finds decks: one TOML reader (a Notepad deck.toml works), never outside
the designer's deck folders (a deck id from a bundle is not a path)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from kiosk.sessions.deck_info import find_deck_info
from kiosk.sessions.poster import make_posters
from kiosk.sessions.report import write_report
from kiosk.sessions.stats import analyse

PROTOTYPES = Path(__file__).resolve().parents[2] / "prototypes"
OPENED: list[str] = []  # every file opened while RECORDING is on (an audit hook cannot go)
RECORDING = [False]


def _record(event: str, args: tuple) -> None:
    if RECORDING[0] and event == "open" and isinstance(args[0], (str, bytes, Path)):
        OPENED.append(str(args[0]))


sys.addaudithook(_record)


def _notepad_copy(folder: Path) -> Path:
    """The hospital letter deck as Windows Notepad saves it: a BOM and CRLF line ends."""
    deck = folder / "hospital-letter"
    shutil.copytree(PROTOTYPES / "hospital-letter", deck)
    text = (deck / "deck.toml").read_text(encoding="utf-8")
    (deck / "deck.toml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    return deck


def _answers(deck_id: str, screens: list[str]) -> tuple[list[dict], list[dict]]:
    session = {"session_id": "s1", "kiosk_id": "k", "venue": "Library", "deck_id": deck_id,
               "deck_version": 2, "started_at": "2025-03-04T10:00:00.000Z"}
    events = [{"event_id": f"e{i}", "session_id": "s1", "seq": i, "kind": "answer",
               "participant": 1, "screen_id": screen, "response": "understood",
               "variant": ""} for i, screen in enumerate(screens)]
    return [session], events


def test_a_notepad_deck_gives_the_poster_its_title_and_pictures(tmp_path):
    decks = tmp_path / "decks"
    _notepad_copy(decks)
    info = find_deck_info("hospital-letter", [decks])
    assert info.title == "Your hospital appointment letter"
    assert len(info.images) == 7 and all(p.is_file() for p in info.images.values())
    analysis = analyse(*_answers("hospital-letter", ["easy-read-1", "easy-read-2"]))
    RECORDING[0] = True
    try:
        [poster] = make_posters(analysis, tmp_path, [decks])
    finally:
        RECORDING[0] = False
    opened = {Path(p).name for p in OPENED}
    assert {"easy-read-1.png", "easy-read-2.png"} <= opened  # the pictures went on it
    assert poster.is_file()


def test_a_notepad_deck_the_reader_refuses_is_read_leniently_through_the_one_reader(tmp_path):
    deck = _notepad_copy(tmp_path / "decks")
    raw = (deck / "deck.toml").read_bytes().replace(b"version = 2", b"version = \"two\"")
    (deck / "deck.toml").write_bytes(raw)  # the kiosk's reader refuses this deck
    info = find_deck_info("hospital-letter", [tmp_path / "decks"])
    assert info.title == "Your hospital appointment letter" and len(info.images) == 7


def _outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret-deck"
    secret.mkdir(parents=True)
    shutil.copy(PROTOTYPES / "hospital-letter" / "screens" / "easy-read-1.png",
                secret / "private-photo.png")
    (secret / "deck.toml").write_text(
        'id = "secret-deck"\ntitle = "SECRET TITLE"\nversion = 2\nlanguage = "en-GB"\n'
        '[[screen]]\nid = "s"\nimage = "private-photo.png"\nsay = "x"\n', encoding="utf-8")
    return secret


@pytest.mark.parametrize("deck_id", ["../elsewhere/secret-deck", "ABSOLUTE"])
def test_a_deck_id_that_is_a_path_reads_nothing_outside_the_deck_folders(tmp_path, deck_id):
    secret = _outside(tmp_path)
    if deck_id == "ABSOLUTE":
        deck_id = str(secret)
    decks = tmp_path / "decks"
    decks.mkdir()
    sessions, events = _answers(deck_id, ["s"])
    events.append({"event_id": "t1", "session_id": "s1", "seq": 9, "kind": "tap",
                   "participant": 1, "screen_id": "s", "x": 5, "y": 5})
    RECORDING[0] = True
    try:
        files = write_report(sessions, events, tmp_path / "report", [decks])
    finally:
        RECORDING[0] = False
    assert not [p for p in OPENED if p.startswith(str(secret.parent))]
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "SECRET TITLE" not in page
    assert any(p.name.startswith("poster-") for p in files)


def test_a_lenient_deck_cannot_point_its_pictures_outside_its_folder(tmp_path):
    _outside(tmp_path)
    deck = tmp_path / "decks" / "sneaky"
    deck.mkdir(parents=True)
    (deck / "deck.toml").write_text(
        'title = "Sneaky"\n[[screen]]\nid = "s"\nimage = "../../elsewhere/secret-deck/'
        'private-photo.png"\n[[screen]]\nid = "t"\nimage = "/etc/hostname"\n',
        encoding="utf-8")
    info = find_deck_info("sneaky", [tmp_path / "decks"])
    assert info.title == "Sneaky" and info.images == {}
