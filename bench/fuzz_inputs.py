"""Fuzz the deck zip unpacker and the bundle importer at volume, and print the case counts.

    python bench/fuzz_inputs.py [CASES_PER_TARGET]   (default 2000)

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

    started = time.monotonic()
    for target in (random_zips, mutated_zips, mutated_bundles, hostile_events):
        target()
    total = sum(sum(c.values()) for c in outcomes.values())
    for name, counter in outcomes.items():
        print(f"{name:22} {sum(counter.values()):6d} cases  {dict(counter)}")
    print(f"{total} cases in {time.monotonic() - started:.0f} s; every one gave only the "
          "kiosk's own errors, wrote nothing outside its folder, left no partial state")
    import shutil

    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
