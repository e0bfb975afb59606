"""Hostile input, fuzzed (bounded for CI; ``bench/fuzz_inputs.py`` runs thousands).

The deck reader's own fuzzing lives in tests/decks/test_deck_properties.py (random and
mutated deck.toml); here: deck zips (random entries with ``..``, absolute paths, symlinks,
nul bytes, and byte-mutated good zips) through find/unpack/read, and bundles (byte-mutated,
and with hashes recomputed so the parser itself is reached) through the importer.
"""

from __future__ import annotations

import json
import struct
from itertools import count

from fuzz_cases import (
    GOOD_BUNDLE,
    GOOD_ZIP,
    check_bundle,
    check_zip,
    cuts,
    json_values,
    mutate,
    reseal,
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
