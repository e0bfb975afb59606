"""The installed library: versions, damage, a full disk and a stick pulled out mid-copy."""

from __future__ import annotations

import errno
import os
import shutil

import pytest
from deck_helpers import make_simple_deck, scratch_left, snapshot

from kiosk.decks.library import INSTALLED, REFUSED, REPLACED, UNCHANGED, DeckLibrary
from kiosk.errors import KioskError


def test_install_list_get_remove(tmp_path, library, home):
    make_simple_deck(tmp_path / "b", deck_id="bravo", title="Bravo letter")
    make_simple_deck(tmp_path / "a", deck_id="alpha", title="alpha app", screens=3)
    (first,) = library.install(tmp_path / "b")
    (second,) = library.install(tmp_path / "a")
    assert (first.status, second.status) == (INSTALLED, INSTALLED)
    assert first.describe() == "Installed 'Bravo letter' (bravo, version 1) from b."
    decks = library.installed()
    assert [d.title for d in decks] == ["alpha app", "Bravo letter"]  # by title, any case
    assert all(d.folder == home.decks / d.id for d in decks)
    assert library.get("alpha").screens[2].id == "s3"
    library.remove("alpha")
    assert [d.id for d in library.installed()] == ["bravo"]
    with pytest.raises(KioskError, match="No deck 'alpha' is installed. Installed decks: bravo."):
        library.get("alpha")
    with pytest.raises(KioskError):
        library.remove("alpha")
    with pytest.raises(KioskError, match="is not a deck id"):
        library.get("../etc")
    assert scratch_left(home) == []


def test_narration_is_rendered_at_install(tmp_path, library, cache):
    make_simple_deck(tmp_path / "d", deck_id="spoken")
    library.install(tmp_path / "d")
    deck = library.get("spoken")
    for screen in deck.screens:
        narration = cache.for_screen(deck, screen)
        assert narration.say is not None and narration.say.is_file()
        assert narration.ask is not None and narration.ask.is_file()


def test_versions_newer_replaces_older_refused_equal_unchanged(tmp_path, library, home):
    make_simple_deck(tmp_path / "v2", deck_id="letter", version=2, say="Second {n}.")
    make_simple_deck(tmp_path / "v1", deck_id="letter", version=1, say="First {n}.")
    make_simple_deck(tmp_path / "v3", deck_id="letter", version=3, say="Third {n}.")
    make_simple_deck(tmp_path / "v3b", deck_id="letter", version=3, say="Changed {n}.")

    assert library.install(tmp_path / "v2")[0].status == INSTALLED
    before = snapshot(home.decks)

    (older,) = library.install(tmp_path / "v1")
    assert older.status == REFUSED and older.previous_version == 2
    assert older.problems == (
        "version 1 is older than the installed version 2; to go back to it, install with --force",
    )
    assert snapshot(home.decks) == before

    (same,) = library.install(tmp_path / "v2")
    assert same.status == UNCHANGED and same.ok
    assert snapshot(home.decks) == before

    (newer,) = library.install(tmp_path / "v3")
    assert (newer.status, newer.previous_version, newer.version) == (REPLACED, 2, 3)
    assert library.get("letter").screens[0].say == "Third 1."

    (different,) = library.install(tmp_path / "v3b")
    assert different.status == REFUSED
    assert "raise version in deck.toml to 4, or install with --force" in different.problems[0]

    (forced,) = library.install(tmp_path / "v1", force=True)
    assert forced.status == REPLACED and library.get("letter").version == 1
    assert scratch_left(home) == []


def test_a_damaged_installed_deck_is_skipped_not_fatal(tmp_path, library, home):
    make_simple_deck(tmp_path / "a", deck_id="alpha", title="Alpha")
    make_simple_deck(tmp_path / "b", deck_id="bravo", title="Bravo")
    library.install(tmp_path / "a")
    library.install(tmp_path / "b")
    (home.decks / "alpha" / "deck.toml").write_text("id = [broken")
    (home.decks / "stray-folder").mkdir()
    assert [d.id for d in library.installed()] == ["bravo"]
    assert {p.source for p in library.skipped} == {
        "the installed deck 'alpha'",
        "the installed deck 'stray-folder'",
    }
    make_simple_deck(tmp_path / "a2", deck_id="alpha", title="Alpha")
    (repaired,) = library.install(tmp_path / "a2")
    assert repaired.status == REPLACED
    assert [d.id for d in library.installed()] == ["alpha", "bravo"]


def test_no_speech_engine_still_installs_and_says_so(tmp_path, home, silent_cache):
    make_simple_deck(tmp_path / "d", deck_id="quiet")
    (result,) = DeckLibrary(home, silent_cache).install(tmp_path / "d")
    assert result.status == INSTALLED
    assert result.notes == ("narration is missing: there is no speech engine on this machine",)
    assert "Note: narration is missing" in result.describe()
    deck = DeckLibrary(home, silent_cache).get("quiet")
    assert silent_cache.for_screen(deck, deck.screens[0]).say is None


def test_a_language_without_a_voice_installs_without_narration(tmp_path, library):
    make_simple_deck(tmp_path / "d", deck_id="klingon", language="tlh")
    (result,) = library.install(tmp_path / "d")
    assert result.status == INSTALLED
    assert result.notes == (
        "narration is missing: this machine's speech engine has no voice for the language 'tlh'",
    )


def test_disk_full_while_copying_leaves_everything_as_it_was(tmp_path, library, home, monkeypatch):
    make_simple_deck(tmp_path / "v1", deck_id="letter", version=1)
    make_simple_deck(tmp_path / "v2", deck_id="letter", version=2, screens=4)
    library.install(tmp_path / "v1")
    before = snapshot(home.decks)
    real_copyfile = shutil.copyfile
    calls = []

    def copyfile_until_full(src, dst, *args, **kwargs):
        calls.append(src)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_copyfile(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copyfile_until_full)
    (result,) = library.install(tmp_path / "v2")
    assert result.status == REFUSED
    assert result.problems == (
        "v2 could not be installed: there is not enough space on the kiosk's disk. "
        "Nothing was changed.",
    )
    assert snapshot(home.decks) == before
    assert library.get("letter").version == 1
    assert scratch_left(home) == []


def test_source_removed_mid_copy(tmp_path, library, home, monkeypatch):
    make_simple_deck(tmp_path / "v1", deck_id="letter", version=1)
    stick = make_simple_deck(tmp_path / "stick" / "letter", deck_id="letter", version=2)
    library.install(tmp_path / "v1")
    before = snapshot(home.decks)
    real_copyfile = shutil.copyfile

    def copy_then_pull_the_stick(src, dst, *args, **kwargs):
        result = real_copyfile(src, dst, *args, **kwargs)
        if (tmp_path / "stick").exists():
            shutil.rmtree(tmp_path / "stick")
        return result

    monkeypatch.setattr(shutil, "copyfile", copy_then_pull_the_stick)
    (result,) = library.install(stick)
    assert result.status == REFUSED
    assert "was the USB stick removed?" in result.problems[0]
    assert snapshot(home.decks) == before
    assert scratch_left(home) == []


def test_a_replace_cut_between_its_two_renames_is_undone_on_the_next_run(tmp_path, home, cache):
    make_simple_deck(tmp_path / "v1", deck_id="letter", version=1)
    DeckLibrary(home, cache).install(tmp_path / "v1")
    before = snapshot(home.decks)
    # What a kill after "rename old aside" leaves behind:
    scratch = home.work / "deck-install-abc123"
    scratch.mkdir()
    (scratch / "journal").write_text("letter")
    os.rename(home.decks / "letter", scratch / "old")
    (scratch / "new").mkdir()
    assert not (home.decks / "letter").exists()

    fresh = DeckLibrary(home, cache)
    assert [d.id for d in fresh.installed()] == ["letter"]
    assert snapshot(home.decks) == before
    assert scratch_left(home) == []


def test_leftover_scratch_is_cleaned_on_the_next_install(tmp_path, library, home):
    (home.work / "deck-install-old").mkdir(parents=True)
    (home.work / "deck-install-old" / "new").mkdir()
    (home.work / "someone-elses-file").write_text("keep me")
    make_simple_deck(tmp_path / "d", deck_id="d")
    library.install(tmp_path / "d")
    assert scratch_left(home) == []
    assert (home.work / "someone-elses-file").read_text() == "keep me"
