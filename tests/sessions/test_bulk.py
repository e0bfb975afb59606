"""The cycle collector is paused for the designer's bulk work, and always turned back on."""

from __future__ import annotations

import gc

import pytest

from kiosk.sessions.bulk import no_cycle_collection


def test_paused_inside_and_running_again_after_even_an_error_and_nested():
    assert gc.isenabled()
    with pytest.raises(ValueError), no_cycle_collection():
        assert not gc.isenabled()
        with no_cycle_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves it to the outer one
        raise ValueError("a bundle that fails")
    assert gc.isenabled()


def test_left_off_if_it_was_off_before():
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
