"""Hostile input, fuzzed (bounded for CI; ``bench/fuzz_inputs.py`` runs thousands).

The deck reader's own fuzzing lives in tests/decks/test_deck_properties.py (random and
mutated deck.toml); here: deck zips (random entries with ``..``, absolute paths, symlinks,
nul bytes, and byte-mutated good zips) through find/unpack/read, and bundles (byte-mutated,
and with hashes recomputed so the parser itself is reached) through the importer. Issue 16
added hostile deck ids (refused exactly when they break the deck-id rule), real special files
in place of a bundle's files (FIFOs, links, devices, folders, sparse giants; plain and
encrypted bundles), and text with ``,`` ``;`` tab and line breaks through the CSV writer and
through a bundle into the report's CSV (no piece may start a formula).
"""

from __future__ import annotations

import json
import struct
from itertools import count

import pytest
from fuzz_cases import (
    DECK_ID_PLACES,
    GOOD_BUNDLE,
    GOOD_SEALED,
    GOOD_ZIP,
    SEALED_IDENTITIES,
    SPECIAL_KINDS,
    check_bundle,
    check_bundle_text,
    check_csv,
    check_deck_id,
    check_special,
    check_zip,
    cuts,
    deck_ids,
    json_values,
    mutate,
    reseal,
    separator_text,
    special_files,
    zip_entries,
    zip_with,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.errors import KioskError

FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
ids = count()


@FAST
@given(entries=zip_entries)
def test_random_zips_only_kiosk_errors_nothing_outside(tmp_path, entries):
    check_zip(zip_with(entries), tmp_path / f"z{next(ids)}")


@FAST
@given(edits=cuts)
def test_mutated_good_zip(tmp_path, edits):
    check_zip(mutate(GOOD_ZIP, edits), tmp_path / f"m{next(ids)}")


def test_the_good_zip_is_a_deck(tmp_path):
    assert check_zip(GOOD_ZIP, tmp_path) == "deck"  # the fuzz starts from something real


@FAST
@given(name=st.sampled_from(sorted(GOOD_BUNDLE)), edits=cuts, rehash=st.booleans())
def test_mutated_bundles_refused_whole_or_imported(tmp_path, name, edits, rehash):
    files = dict(GOOD_BUNDLE, **{name: mutate(GOOD_BUNDLE[name], edits)})
    check_bundle(reseal(files) if rehash else files, tmp_path / f"b{next(ids)}")


@FAST
@given(body=json_values, manifest_sessions=st.one_of(json_values, st.just(None)))
def test_structurally_hostile_events_json(tmp_path, body, manifest_sessions):
    files = dict(GOOD_BUNDLE, **{"events.json": json.dumps(body).encode()})
    if manifest_sessions is not None:
        manifest = json.loads(GOOD_BUNDLE["manifest.json"])
        manifest["sessions"] = manifest_sessions
        files["manifest.json"] = json.dumps(manifest).encode()
    check_bundle(reseal(files), tmp_path / f"s{next(ids)}")


def test_the_good_bundle_imports(tmp_path):
    assert check_bundle(GOOD_BUNDLE, tmp_path) == "imported"
    assert check_bundle(GOOD_SEALED, tmp_path / "sealed", identities=SEALED_IDENTITIES) == \
        "imported"


@pytest.mark.slow  # about 11 s: 300 imports
@FAST
@given(deck_id=deck_ids, where=st.sampled_from(DECK_ID_PLACES))
def test_hostile_deck_ids_refused_exactly_when_they_break_the_rule(tmp_path, deck_id, where):
    check_deck_id(deck_id, where, tmp_path / f"d{next(ids)}")


@pytest.mark.parametrize("sealed", [False, True], ids=["plain", "sealed"])
@pytest.mark.parametrize("kind", SPECIAL_KINDS)
def test_every_special_file_in_place_of_every_bundle_file(tmp_path, kind, sealed):
    """Exhaustive: each kind of special file in place of each file, one at a time."""
    names = sorted(GOOD_SEALED if sealed else GOOD_BUNDLE) + ["extra.bin"]
    for n, name in enumerate(names):
        check_special({name: kind}, sealed, tmp_path / f"x{n}")


@settings(FAST, max_examples=100)
@given(special=special_files, sealed=st.booleans())
def test_special_files_in_combination(tmp_path, special, sealed):
    check_special(special, sealed, tmp_path / f"c{next(ids)}")


@FAST
@given(texts=st.lists(separator_text, min_size=1, max_size=5),
       numbers=st.lists(st.one_of(st.integers(-10**6, 10**6),
                                  st.floats(-1e6, 1e6, allow_nan=False)), min_size=5,
                        max_size=5))
def test_separators_never_open_as_a_formula(texts, numbers):
    check_csv(texts, numbers)


@settings(FAST, max_examples=100)
@given(text=separator_text)
def test_separators_in_a_bundle_never_reach_the_report_csv_as_a_formula(tmp_path, text):
    check_bundle_text(text, tmp_path / f"t{next(ids)}")


def _zip_needing_version(version: int) -> bytes:
    """The good zip with its first entry claiming it needs zip format ``version / 10``."""
    raw = bytearray(GOOD_ZIP)
    central = raw.index(b"PK\x01\x02")
    struct.pack_into("<H", raw, central + 6, version)  # "version needed to extract"
    return bytes(raw)


def test_a_zip_entry_named_nul_is_refused_plainly(tmp_path):
    from kiosk.decks.unpack import find_decks, unpack

    (tmp_path / "nul.zip").write_bytes(zip_with([("deck.toml", b"x", False),
                                                 ("\x00", b"x", False)]))
    try:
        for found in find_decks(tmp_path / "nul.zip"):
            unpack(found, tmp_path / "out")
    except KioskError:
        pass


def test_a_zip_needing_a_newer_zip_format_is_refused_plainly(tmp_path):
    from kiosk.decks.unpack import find_decks, unpack

    (tmp_path / "new.zip").write_bytes(_zip_needing_version(64))
    try:
        for found in find_decks(tmp_path / "new.zip"):
            unpack(found, tmp_path / "out")
    except KioskError:
        pass
