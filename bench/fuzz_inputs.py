"""Fuzz the deck zip unpacker, the bundle importer and the CSV writer at volume; print counts.

    python bench/fuzz_inputs.py [CASES_PER_TARGET]   (default 2000)

Targets: random zips, mutated zips, mutated bundles, hostile events.json, and (issue 16)
hostile deck ids, special files in a bundle (plain and encrypted), text with separators
through the CSV writer, and the same text through a bundle into the report's CSV.

The same checks as tests/reliability/test_reliability_fuzz.py (only KioskError-family
errors, nothing written outside the working folder, a refused bundle leaves the store empty),
with hypothesis run for thousands of examples per target. Figures go in docs/reliability.md.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "reliability"))

from fuzz_cases import (  # noqa: E402
    DECK_ID_PLACES,
    GOOD_BUNDLE,
    GOOD_ZIP,
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
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def main(cases: int) -> None:
    """Run each target for ``cases`` examples; print outcomes and the total."""
    root = Path(tempfile.mkdtemp(prefix="kiosk-fuzz-"))
    ids = count()
    outcomes: dict[str, Counter] = {}
    conf = settings(max_examples=cases, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))

    def tally(target: str, outcome: str) -> None:
        outcomes.setdefault(target, Counter())[outcome] += 1

    @conf
    @given(entries=zip_entries)
    def random_zips(entries):
        tally("random zips", check_zip(zip_with(entries), root / f"z{next(ids)}"))

    @conf
    @given(edits=cuts)
    def mutated_zips(edits):
        tally("mutated zips", check_zip(mutate(GOOD_ZIP, edits), root / f"m{next(ids)}"))

    @conf
    @given(name=st.sampled_from(sorted(GOOD_BUNDLE)), edits=cuts, rehash=st.booleans())
    def mutated_bundles(name, edits, rehash):
        files = dict(GOOD_BUNDLE, **{name: mutate(GOOD_BUNDLE[name], edits)})
        tally("mutated bundles",
              check_bundle(reseal(files) if rehash else files, root / f"b{next(ids)}"))

    @conf
    @given(body=json_values)
    def hostile_events(body):
        files = dict(GOOD_BUNDLE, **{"events.json": json.dumps(body).encode()})
        tally("hostile events.json", check_bundle(reseal(files), root / f"s{next(ids)}"))

    @conf
    @given(deck_id=deck_ids, where=st.sampled_from(DECK_ID_PLACES))
    def hostile_deck_ids(deck_id, where):
        tally("hostile deck ids", check_deck_id(deck_id, where, root / f"d{next(ids)}"))

    @conf
    @given(special=special_files, sealed=st.booleans())
    def special_files_in_bundles(special, sealed):
        tally("special files", check_special(special, sealed, root / f"c{next(ids)}"))

    @conf
    @given(texts=st.lists(separator_text, min_size=1, max_size=5),
           numbers=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=5, max_size=5))
    def separators_in_csv(texts, numbers):
        tally("separators, CSV", check_csv(texts, numbers))

    @conf
    @given(text=separator_text)
    def separators_through_a_bundle(text):
        tally("separators, bundle", check_bundle_text(text, root / f"t{next(ids)}"))

    started = time.monotonic()
    for target in (random_zips, mutated_zips, mutated_bundles, hostile_events,
                   hostile_deck_ids, special_files_in_bundles, separators_in_csv,
                   separators_through_a_bundle):
        target()
    total = sum(sum(c.values()) for c in outcomes.values())
    for name, counter in outcomes.items():
        print(f"{name:22} {sum(counter.values()):6d} cases  {dict(counter)}")
    print(f"{total} cases in {time.monotonic() - started:.0f} s; every one gave only the "
          "kiosk's own errors, wrote nothing outside its folder, left no partial state; "
          "no hostile deck id and no special file got in; no CSV piece starts a formula")
    import shutil

    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
