"""``kiosk deck ...``: plain English, the right exit status, never a traceback."""

from __future__ import annotations

import pytest
from deck_helpers import make_simple_deck

from kiosk.cli import main


def run(capsys, home, *argv) -> tuple[int, str]:
    status = main(["--home", str(home.root), "deck", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out + err


def test_check_a_good_deck_prints_one_line(capsys, home, good_deck):
    status, out = run(capsys, home, "check", str(good_deck))
    assert status == 0
    assert out.splitlines() == [
        "Clinic letter: OK - 'Clinic letter' (clinic-letter, version 1, en-GB), 2 screens, "
        "variants original, easy-read, 1 hotspot"
    ]


def test_check_lists_every_problem_of_every_deck(capsys, home, tmp_path):
    make_simple_deck(tmp_path / "stick" / "good", deck_id="good")
    bad = make_simple_deck(tmp_path / "stick" / "bad", deck_id="bad")
    (bad / "s1.png").unlink()
    (bad / "s2.png").write_text("text")
    status, out = run(capsys, home, "check", str(tmp_path / "stick"))
    assert status == 1
    assert out.splitlines() == [
        "bad: 2 problems",
        "  - screen 's1': image 's1.png' is not in the deck",
        "  - screen 's2': image 's2.png' is not a PNG or JPEG picture (the file's contents "
        "are not an image)",
        "good: OK - 'Simple' (good, version 1, en-GB), 2 screens",
    ]


def test_install_list_remove(capsys, home, tmp_path):
    make_simple_deck(tmp_path / "d", deck_id="letter", title="A letter")
    status, out = run(capsys, home, "install", str(tmp_path / "d"))
    assert (status, out) == (0, "Installed 'A letter' (letter, version 1) from d.\n"
                                "Narration: 4 clips made, 0 reused, 0 could not be made.\n")
    status, out = run(capsys, home, "list")
    assert status == 0 and out.split() == ["letter", "v1", "en-GB", "A", "letter", "(2", "screens)"]
    status, out = run(capsys, home, "remove", "letter")
    assert (status, out) == (0, "Removed 'letter' (version 1). Its session logs are kept.\n")
    status, out = run(capsys, home, "remove", "letter")
    assert status == 1 and "No deck 'letter' is installed" in out
    status, out = run(capsys, home, "list")
    assert "No decks are installed" in out


def test_install_of_nothing_and_of_a_bad_deck(capsys, home, tmp_path):
    status, out = run(capsys, home, "install", str(tmp_path / "nowhere"))
    assert status == 1 and "There is nothing at" in out
    bad = make_simple_deck(tmp_path / "bad", deck_id="Bad Name")
    status, out = run(capsys, home, "install", str(bad))
    assert status == 1
    assert out.startswith("Not installed: bad. Nothing was changed, because:\n  - id 'Bad Name'")


def test_preview_takes_one_good_deck(capsys, home, tmp_path):
    """Two decks, or a bad one, are named and refused before any window opens."""
    make_simple_deck(tmp_path / "stick" / "one", deck_id="one")
    make_simple_deck(tmp_path / "stick" / "two", deck_id="two")
    status, out = run(capsys, home, "preview", str(tmp_path / "stick"))
    assert (status, out) == (1, f"{tmp_path / 'stick'} holds 2 decks: preview one deck at a "
                                "time.\n")
    bad = make_simple_deck(tmp_path / "bad", deck_id="Bad Name")
    status, out = run(capsys, home, "preview", str(bad))
    assert status == 1
    assert out.startswith("bad: 1 problem\n  - id 'Bad Name' is not a safe name")
    assert not (home.root / "log").exists()


@pytest.mark.parametrize("group", ["deck", "sessions", "keys", "store"])
def test_a_command_group_without_its_action_shows_its_help(capsys, home, group):
    status = main(["--home", str(home.root), group])
    out = capsys.readouterr().out
    assert status == 2
    assert out.startswith(f"usage: kiosk {group} [-h]") and "ACTION" in out
