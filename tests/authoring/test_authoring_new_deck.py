"""``kiosk deck new``: the example letter PDFs become one A/B deck that passes check, installs
and walks on the real kiosk; a Figma-like folder of PNGs becomes a deck in natural order."""

import tomllib
from pathlib import Path

import pygame
import pytest
from hand_clock import HandClock
from PIL import Image

from kiosk.authoring.new_deck import Source, make_deck, natural_key, page_text
from kiosk.cli import main
from kiosk.decks.reader import read_deck
from kiosk.errors import KioskError

LETTERS = Path(__file__).resolve().parents[2] / "prototypes" / "letters"
ORIGINAL = LETTERS / "original-letter.pdf"
EASY_READ = LETTERS / "easy-read-letter.pdf"


@pytest.fixture(scope="module")
def letter_deck(tmp_path_factory):
    """The A/B deck, made once by the one command a designer types."""
    dest = tmp_path_factory.mktemp("made") / "eye-screening"
    status = main(["deck", "new", str(dest), "--from", str(ORIGINAL), "--variant", "original",
                   "--from", str(EASY_READ), "--variant", "easy-read"])
    assert status == 0
    return dest


def test_the_letter_pdfs_make_one_deck_with_both_versions(letter_deck):
    deck = read_deck(letter_deck)
    assert deck.id == "eye-screening"
    assert deck.title == "Invitation to diabetic eye screening"  # from the PDF's title
    assert [(s.id, s.variant) for s in deck.screens] == [
        ("original-1", "original"), ("easy-read-1", "easy-read"), ("easy-read-2", "easy-read")]
    # Pages drawn at the kiosk's size: an A4 page fills 1080 pixels of height.
    with Image.open(deck.path_of(deck.screens[0].image)) as page:
        assert page.height == 1080 and 700 < page.width < 800
    # The page's text is the first draft of what is read aloud, in readable paragraphs.
    assert "Dear Mr Nowak," in deck.screens[0].say
    assert "You have an eye test. It is on Thursday 18 March" in deck.screens[1].say
    assert "Page 1 of 2" not in deck.screens[1].say
    # Read along: the letter's paragraphs as parts (tests/authoring/test_authoring_pdf_parts.py).
    assert "Dear Mr Nowak," in [part.say for part in deck.screens[0].parts]


def test_the_deck_file_is_commented_for_the_designer(letter_deck):
    text = (letter_deck / "deck.toml").read_text(encoding="utf-8")
    assert text.startswith("# Made by `kiosk deck new` from:")
    assert "# Raise the version every time you change the deck" in text
    assert "# page 2 of easy-read-letter.pdf" in text
    assert tomllib.loads(text)["screen"][2]["variant"] == "easy-read"


def test_the_ab_deck_passes_check_with_warnings_only_for_the_original(letter_deck, capsys,
                                                                       monkeypatch):
    monkeypatch.setattr("kiosk.cli.deck._voice_note", lambda language: None)
    assert main(["deck", "check", str(letter_deck)]) == 0
    out = capsys.readouterr().out
    assert "OK - 'Invitation to diabetic eye screening'" in out
    warnings = [line for line in out.splitlines() if line.startswith("  - ")]
    assert warnings and all("'original-1'" in line for line in warnings)
    assert any("reading age about" in line for line in warnings)
    assert any("'prior to': try 'before'" in line for line in warnings)
    summary = next(line for line in out.splitlines() if "Summary:" in line)
    assert "original: reading age 1" in summary and "easy-read: " in summary



def test_the_ab_deck_installs_and_walks_on_the_kiosk(letter_deck, home, monkeypatch):
    from kiosk.cli.run import assemble
    from kiosk.decks import narration
    from kiosk.decks.library import DeckLibrary
    from kiosk.decks.narration import NarrationCache, NoSpeechEngine
    from kiosk.sessions.log import ResponseLog

    # Walking, not speech, is tested here (tests/decks and tests/screen test real narration).
    monkeypatch.setattr(narration, "default_engine", lambda: NoSpeechEngine())
    cache = NarrationCache.for_home(home, NoSpeechEngine())
    results = DeckLibrary(home, cache).install(letter_deck)
    assert [r.ok for r in results] == [True]

    pygame.init()
    try:
        surface = pygame.display.set_mode((800, 480))
        clock = HandClock()
        app = assemble(home, surface.get_size(), deck_id="eye-screening", venue="Library",
                       clock=clock, use_gpio=False)
        app.apply(app.walk.startup_effects())
        seen = []
        for code in (pygame.K_g, pygame.K_RIGHT, pygame.K_g, pygame.K_LEFT, pygame.K_g):
            view = app.walk.view()
            if view.kind == "screen":
                seen.append(view.screen.id)
            for kind in (pygame.KEYDOWN, pygame.KEYUP):
                app.step([pygame.event.Event(kind, key=code, mod=0, unicode="", scancode=0)])
                app.draw(surface)
                clock.now += 0.15
            for _ in range(20):
                clock.now += 0.05
                app.step([])
                app.draw(surface)
        assert app.walk.view().kind == "thanks"
        session_id = app.session_id
        app.close()
    finally:
        pygame.quit()
    assert seen == ["original-1", "easy-read-1", "easy-read-2"]
    with ResponseLog(home.log, "reader") as log:
        answers = [e for e in log.events(session_id) if e["kind"] == "answer"]
    assert [(a["screen_id"], a["variant"], a["response"]) for a in answers] == [
        ("original-1", "original", "understood"),
        ("easy-read-1", "easy-read", "not_understood"),
        ("easy-read-2", "easy-read", "understood")]


def test_a_figma_export_folder_becomes_a_deck_in_natural_order(tmp_path, capsys, monkeypatch):
    frames = tmp_path / "Figma export"
    frames.mkdir()
    for name in ("Screen 10.png", "Screen 2.png", "Screen 1.png", "Home@2x.JPG",
                 "Screen 3 - Booking.png"):
        Image.new("RGB", (390, 844), "white").save(
            frames / name, format="JPEG" if name.endswith("JPG") else "PNG")
    (frames / ".DS_Store").write_bytes(b"\0")
    (frames / "notes.txt").write_text("for the designer")
    dest = tmp_path / "booking-app"
    assert main(["deck", "new", str(dest), "--from", str(frames)]) == 0
    out = capsys.readouterr().out
    assert "5 screens" in out and "'notes.txt' was left out" in out
    deck = read_deck(dest)
    assert [s.id for s in deck.screens] == [
        "home-2x", "screen-1", "screen-2", "screen-3-booking", "screen-10"]
    assert [Path(s.image).name for s in deck.screens] == [
        "Home@2x.JPG", "Screen 1.png", "Screen 2.png", "Screen 3 - Booking.png", "Screen 10.png"]
    # The words are left for the designer, and check says so (a warning, not a refusal).
    monkeypatch.setattr("kiosk.cli.deck._voice_note", lambda language: None)
    assert main(["deck", "check", str(dest)]) == 0
    out = capsys.readouterr().out
    assert out.count("say is still a draft (TODO)") == 5


def test_two_figma_folders_as_variants(tmp_path):
    for version in ("v1", "v2"):
        (tmp_path / version).mkdir()
        for n in (1, 2):
            Image.new("RGB", (200, 100), "white").save(tmp_path / version / f"Frame {n}.png")
    made = make_deck(tmp_path / "app", [Source(tmp_path / "v1", "current"),
                                        Source(tmp_path / "v2", "simpler")])
    deck = read_deck(made.folder)
    assert [s.id for s in deck.screens] == [
        "current-frame-1", "current-frame-2", "simpler-frame-1", "simpler-frame-2"]
    assert deck.variants == ("current", "simpler")


def test_refusals_are_plain_and_leave_nothing_behind(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("x")
    with pytest.raises(KioskError, match="already exists"):
        make_deck(tmp_path / "taken", [Source(ORIGINAL)])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(KioskError, match="could not be opened as a PDF"):
        make_deck(tmp_path / "new-deck", [Source(broken)])
    assert not (tmp_path / "new-deck").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".deck-new")] == []
    with pytest.raises(SystemExit):
        main(["deck", "new", str(tmp_path / "d"), "--variant", "x", "--from", str(ORIGINAL)])
    assert "--variant names the --from before it" in capsys.readouterr().err


def test_page_text_joins_wrapped_lines_into_paragraphs():
    raw = ("Dear Mr Nowak,\r\nAs a person registered with diabetes, you are eligible for\r\n"
           "annual screening, and we are writing to you now about it.\r\nPage 1 of 2")
    assert page_text(raw) == ("Dear Mr Nowak,\n\nAs a person registered with diabetes, you are "
                              "eligible for annual screening, and we are writing to you now "
                              "about it.")


def test_natural_order():
    names = ["Screen 10", "screen 2", "Screen 1", "Screen 1b", "A"]
    assert sorted(names, key=natural_key) == ["A", "Screen 1", "Screen 1b", "screen 2",
                                              "Screen 10"]


def test_preview_walks_the_deck_without_recording(letter_deck, home, monkeypatch, capsys):
    """`kiosk deck preview`: the real kiosk on a throw-away install, nothing recorded."""
    from kiosk.decks import narration

    monkeypatch.setattr(narration, "default_engine", lambda: narration.NoSpeechEngine())
    seen = {}
    import kiosk.app

    real_run = kiosk.app.KioskApp.run

    def run(app, surface, frames=None, fps=30):
        seen["banner"] = app.walk.view().banner
        seen["log"] = app.session_log
        return real_run(app, surface, frames=2, fps=fps)

    monkeypatch.setattr(kiosk.app.KioskApp, "run", run)
    assert main(["--home", str(home.root), "deck", "preview", str(letter_deck),
                 "--frames", "2"]) == 0
    assert seen["banner"] == "Rehearsal: nothing is recorded" and seen["log"] is None
    assert not home.log.exists() and not home.decks.exists()  # nothing installed or logged
    assert "Previewing 'eye-screening'" in capsys.readouterr().out
