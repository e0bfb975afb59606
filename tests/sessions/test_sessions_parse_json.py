"""Bundles' events are read by orjson where it gives exactly what Python's json gives, and by
json everywhere else (a whole number past 64 bits, NaN, a lone surrogate, no orjson)."""

from __future__ import annotations

import json
import types

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.sessions import bundle
from kiosk.sessions.bundle import parse_json

# Any JSON value Python's json writes: whole numbers of any size, NaN and infinities, any
# text (lone surrogates too, escaped), nested
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


def _same(a, b) -> bool:
    """Equal, and of the same types (1 is not 1.0, -0.0 is not 0.0; NaN is NaN)."""
    return json.dumps(a) == json.dumps(b)


@settings(max_examples=400, deadline=None)
@given(values, st.booleans())
def test_every_json_value_reads_as_pythons_json_reads_it(value, ascii_only):
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    try:
        expected = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:  # (a lone surrogate written raw: no bundle reads it)
        with pytest.raises(UnicodeDecodeError):
            parse_json(raw)
        return
    assert _same(parse_json(raw), expected)


class _Counting:
    """orjson, counting the texts it is given."""

    def __init__(self) -> None:
        self.read = 0
        self.JSONDecodeError = orjson.JSONDecodeError

    def loads(self, raw: bytes):
        self.read += 1
        return orjson.loads(raw)


@pytest.mark.parametrize(("text", "tried_by_orjson"), [
    (b'{"events": [{"seq": 12, "x": 10.5, "id": "e9cddbbc-b27b-42bd-83f9-333f342e1e94"}]}',
     True),
    (b'{"participant": 123456789012345678901234}', False),  # past 64 bits: json
    (b'{"participant": -9223372036854775809}', False),
    (b'{"x": NaN, "y": Infinity}', True),  # orjson tries, refuses them; json reads them
    (b'{"x": 1e400}', True),
    (b'{"t": "\\ud800"}', True),
    (b'{"id": "0000000000000000000"}', False),  # 19 digits in a text: json, to be sure
])
def test_what_orjson_would_read_differently_goes_to_json(monkeypatch, text, tried_by_orjson):
    counting = _Counting()
    monkeypatch.setattr(bundle, "orjson", counting)
    assert _same(parse_json(text), json.loads(text))
    assert counting.read == (1 if tried_by_orjson else 0)


def test_without_orjson_pythons_json_reads_everything(monkeypatch):
    monkeypatch.setattr(bundle, "orjson", None)
    text = b'{"a": [1, 2.5, null, true, "ok"], "big": 123456789012345678901234}'
    assert _same(parse_json(text), json.loads(text))


def test_bad_text_fails_as_it_always_did():
    with pytest.raises(ValueError):  # json's own error (JSONDecodeError is a ValueError)
        parse_json(b'{"events": [')
    with pytest.raises(UnicodeDecodeError):
        parse_json(b'{"x": "\xff"}')
    with pytest.raises(RecursionError):
        parse_json(b"[" * 100_000 + b"]" * 100_000)


def test_the_helper_module_is_the_real_orjson():
    assert isinstance(bundle.orjson, types.ModuleType)


@pytest.mark.parametrize("at", [0, 5, 1_000, 1_010])
def test_a_long_number_across_the_pieces_looked_at_is_found(at):
    from kiosk.sessions.bundle import _has_long_number

    text = b" " * at + b"1234567890123456789" + b" " * 50
    assert _has_long_number(text, chunk=1_000)
    assert not _has_long_number(text.replace(b"5", b" "), chunk=1_000)


@pytest.mark.parametrize("text", [b'["a\x01b"]', b"[1,]", b'{"a": 1,}', b"[01]", b"[.5]",
                                  b"[+1]", b"\xef\xbb\xbf[1]", b"[1] x", b"[tru]"])
def test_what_json_refuses_is_refused(text):
    with pytest.raises(ValueError):  # (UnicodeDecodeError and JSONDecodeError are too)
        json.loads(text.decode("utf-8"))
    with pytest.raises(ValueError):
        parse_json(text)
