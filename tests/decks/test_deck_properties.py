"""Whatever deck.toml holds, the reader answers with DeckProblems or a Deck, nothing else."""

from __future__ import annotations

import json

from deck_helpers import GOOD_TOML, make_image
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.decks.reader import read_deck
from kiosk.errors import KioskError

scalars = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["p1", "p2", "screens/page 1.png", "en-GB", "../x.png", "/etc/x.png", ""]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["id", "rect", "goto", "x"]), inner, max_size=3),
    ),
    max_leaves=8,
)
keys = st.sampled_from(
    ["id", "title", "version", "language", "ask", "image", "say", "variant", "audio", "extra"]
)
screen = st.dictionaries(
    keys,
    values,
    max_size=6,
).map(lambda d: d | {"hotspot": d.pop("extra")} if "extra" in d else d)
document = st.fixed_dictionaries(
    {},
    optional={
        "id": values,
        "title": values,
        "version": values,
        "language": values,
        "ask": values,
        "screen": st.one_of(st.lists(screen, max_size=3), values),
        "tasks": values,
    },
)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string is JSON-compatible
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def to_toml(doc: dict) -> str:
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in doc.items())


def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deck")
    make_image(folder / "screens" / "page 1.png", (200, 100))
    make_image(folder / "screens" / "page2.jpg", (200, 100))
    return folder


def only_deck_problems(folder, raw: bytes) -> None:
    (folder / "deck.toml").write_bytes(raw)
    try:
        read_deck(folder)
    except KioskError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=document)
def test_random_toml_documents(tmp_path_factory, doc):
    only_deck_problems(prepared(tmp_path_factory), to_toml(doc).encode("utf-8"))


@settings(max_examples=150, deadline=None)
@given(
    cuts=st.lists(
        st.tuples(st.integers(0, len(GOOD_TOML)), st.integers(0, 12), st.binary(max_size=6)),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_good_toml(tmp_path_factory, cuts):
    raw = bytearray(GOOD_TOML.encode("utf-8"))
    for at, remove, insert in cuts:
        raw[at : at + remove] = insert
    only_deck_problems(prepared(tmp_path_factory), bytes(raw))
