"""Decks from USB sticks and zips: real zip files, hostile ones built byte for byte."""

from __future__ import annotations

import os
import stat
import zipfile

import pytest
from deck_helpers import make_deck, make_simple_deck, scratch_left, snapshot

from kiosk.decks import unpack as unpack_module
from kiosk.decks.library import INSTALLED, REFUSED, check_path
from kiosk.decks.unpack import FoundDeck, find_decks, unpack
from kiosk.errors import DeckProblems, KioskError


def zip_folder(folder, zip_path, top: str | None = None, mac_junk: bool = False):
    """Zip a deck as a person would: optionally inside a top folder, with a Mac's extras."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                archive.write(path, f"{top}/{name}" if top else name)
                if mac_junk:
                    junk = f"__MACOSX/{top + '/' if top else ''}._{name}"
                    archive.writestr(junk, b"\x00\x05\x16\x07 Mac resource fork")
        if mac_junk:
            archive.writestr(f"{top + '/' if top else ''}.DS_Store", b"Bud1 finder junk")
            archive.writestr(f"{top + '/' if top else ''}._deck.toml", b"\x00\x05\x16\x07")
    return zip_path


def add_entry(zip_path, name: str, data: bytes = b"x", symlink: bool = False):
    with zipfile.ZipFile(zip_path, "a") as archive:
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, data)


def test_a_mac_zip_with_a_top_folder_and_junk_installs(tmp_path, library, good_deck, home):
    zipped = zip_folder(good_deck, tmp_path / "Clinic letter.zip", "Clinic letter", True)
    (result,) = library.install(zipped)
    assert result.status == INSTALLED, result.describe()
    installed = snapshot(home.decks / "clinic-letter")
    assert set(installed) == {"deck.toml", "screens/page 1.png", "screens/page2.jpg"}


def test_utf8_names_without_the_utf8_flag_are_decoded(tmp_path, good_deck):
    zipped = tmp_path / "d.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in good_deck.rglob("*"):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(good_deck).as_posix())
                archive.writestr(info, path.read_bytes())
        info = zipfile.ZipInfo("notes/łódź.txt")
        archive.writestr(info, b"notes")
    raw = zipped.read_bytes().replace("łódź".encode(), "łódź".encode())
    zipped.write_bytes(raw)
    scratch = tmp_path / "out"
    (found,) = find_decks(zipped)
    unpack(found, scratch)
    assert (scratch / "notes" / "łódź.txt").read_bytes() == b"notes"


@pytest.mark.parametrize(
    "name, symlink, expected",
    [
        ("../../escape.txt", False, "which would land outside the deck"),
        ("screens/../../../etc/cron.d/evil", False, "which would land outside the deck"),
        ("/etc/evil.txt", False, "a path from the top of a disk"),
        ("C:\\Windows\\evil.txt", False, "a path from the top of a disk"),
        ("screens/link.png", True, "a link to another place"),
    ],
)
def test_hostile_zip_entries_refuse_the_deck(
    tmp_path, library, good_deck, home, name, symlink, expected
):
    zipped = zip_folder(good_deck, tmp_path / "hostile.zip")
    add_entry(zipped, name, b"/etc/passwd" if symlink else b"evil", symlink=symlink)
    before = snapshot(home.decks)
    (result,) = library.install(zipped)
    assert result.status == REFUSED
    assert any(expected in p for p in result.problems), result.problems
    assert snapshot(home.decks) == before
    assert not (tmp_path / "escape.txt").exists()
    assert scratch_left(home) == []


def test_a_zip_bomb_is_refused_without_unpacking(tmp_path, library, good_deck, home):
    zipped = zip_folder(good_deck, tmp_path / "bomb.zip")
    with zipfile.ZipFile(zipped, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("screens/padding.bin", "w") as entry:
            block = b"\x00" * (1024 * 1024)
            for _ in range(40):
                entry.write(block)
    assert zipped.stat().st_size < 1024 * 1024
    (result,) = library.install(zipped)
    assert result.status == REFUSED
    assert any("zip bomb" in p for p in result.problems), result.problems
    assert scratch_left(home) == [] and not home.decks.exists()


def test_unpacked_total_is_limited(tmp_path, good_deck, monkeypatch):
    monkeypatch.setattr(unpack_module, "MAX_TOTAL_BYTES", 1000)
    zipped = zip_folder(good_deck, tmp_path / "big.zip")
    with pytest.raises(DeckProblems) as caught:
        unpack(FoundDeck(zipped), tmp_path / "out")
    assert any("a deck may be at most" in p for p in caught.value.problems)


def test_not_a_zip_at_all(tmp_path, library):
    fake = tmp_path / "deck.zip"
    fake.write_text("hello")
    (result,) = library.install(fake)
    assert result.status == REFUSED
    assert result.problems == ("it is not a zip file that can be opened",)


def test_a_zip_of_several_decks(tmp_path, library):
    decks = tmp_path / "decks"
    make_simple_deck(decks / "one", deck_id="one", title="One")
    make_simple_deck(decks / "two", deck_id="two", title="Two")
    zipped = zip_folder(decks, tmp_path / "both.zip", top="Decks")
    found = find_decks(zipped)
    assert [f.name for f in found] == ["both.zip: Decks/one", "both.zip: Decks/two"]
    results = library.install(zipped)
    assert [r.status for r in results] == [INSTALLED, INSTALLED]
    assert [d.id for d in library.installed()] == ["one", "two"]


def test_a_stick_with_good_and_bad_decks_installs_the_good(tmp_path, library, home):
    stick = tmp_path / "stick"
    make_simple_deck(stick / "Letters" / "good one", deck_id="good-one", title="A good one")
    bad = make_simple_deck(stick / "Letters" / "bad", deck_id="bad")
    (bad / "s2.png").write_text("not a picture")
    make_simple_deck(tmp_path / "zipped", deck_id="zipped", title="Zipped")
    zip_folder(tmp_path / "zipped", stick / "zipped.zip")
    (stick / "System Volume Information").mkdir()
    (stick / ".Trashes").mkdir()
    (stick / ".DS_Store").write_bytes(b"junk")
    results = library.install(stick)
    by_source = {r.source: r for r in results}
    assert by_source["bad"].status == REFUSED
    assert by_source["bad"].problems == (
        "screen 's2': image 's2.png' is not a PNG or JPEG picture (the file's contents are "
        "not an image)",
    )
    assert by_source["good one"].status == INSTALLED
    assert by_source["zipped.zip"].status == INSTALLED
    assert [d.id for d in library.installed()] == ["good-one", "zipped"]


def test_symlinks_leaving_a_deck_folder_are_refused(tmp_path, library, home):
    deck = make_simple_deck(tmp_path / "deck", deck_id="linky")
    (tmp_path / "secret.txt").write_text("kiosk secrets")
    os.symlink(tmp_path / "secret.txt", deck / "notes.txt")
    os.symlink(tmp_path, deck / "everything")
    (result,) = library.install(deck)
    assert result.status == REFUSED
    assert set(result.problems) == {
        "'notes.txt' is a link to a place outside the deck",
        "'everything' is a link to a place outside the deck",
    }
    assert not home.decks.exists()


def test_links_inside_a_deck_are_copied_as_files(tmp_path, library, home):
    deck = make_simple_deck(tmp_path / "deck", deck_id="inner")
    os.remove(deck / "s2.png")
    os.symlink("s1.png", deck / "s2.png")
    (result,) = library.install(deck)
    assert result.status == INSTALLED
    copied = home.decks / "inner" / "s2.png"
    assert copied.is_file() and not copied.is_symlink()


def test_check_a_zip_without_installing(tmp_path, good_deck, home):
    zipped = zip_folder(good_deck, tmp_path / "letter.zip", "letter", mac_junk=True)
    (result,) = check_path(zipped)
    assert result.ok and result.deck.id == "clinic-letter"
    assert not home.decks.exists()


def test_nothing_to_find(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(KioskError, match="No decks found"):
        find_decks(tmp_path / "empty")
    with pytest.raises(KioskError, match="There is nothing at"):
        find_decks(tmp_path / "missing")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(KioskError, match="is not a deck"):
        find_decks(tmp_path / "notes.txt")


def test_a_deck_with_upper_case_deck_toml_on_a_stick(tmp_path):
    deck = make_deck(tmp_path / "stick" / "d")
    (deck / "deck.toml").rename(deck / "DECK.TOML")
    (found,) = find_decks(tmp_path / "stick")
    assert found.path == deck
