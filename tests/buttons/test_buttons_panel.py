"""The button panel on gpiozero's MockFactory: pins driven low (pressed) and high (let go).

The clock is moved by hand, so the panel's timing rules need no sleeping; only the lamp
tests wait a little, because gpiozero runs pulse and blink on its own background threads.
"""

import logging
import time

import pytest
from gpiozero import Button, Device
from gpiozero.pins.mock import MockFactory, MockPWMPin
from hand_clock import HandClock

from kiosk.buttons import ButtonPanel, ButtonSettings, open_buttons
from kiosk.errors import KioskError
from kiosk.walk.events import Green, HoldBoth, Red, Replay

SETTINGS = ButtonSettings()



@pytest.fixture
def mock_factory():
    """As in gpiozero's own tests: a fresh MockFactory, reset and restored afterwards."""
    saved = Device.pin_factory
    Device.pin_factory = MockFactory(pin_class=MockPWMPin)
    yield Device.pin_factory
    if Device.pin_factory is not None:
        Device.pin_factory.reset()
    Device.pin_factory = saved


@pytest.fixture
def clock():
    return HandClock()


@pytest.fixture
def panel(mock_factory, clock):
    panel = ButtonPanel(SETTINGS, clock=clock)
    yield panel
    panel.close()


class Box:
    """Drives the mock pins as a person would, polling like the main loop (every 20 ms)."""

    def __init__(self, factory, panel, clock):
        self.panel, self.clock = panel, clock
        self.pins = {
            "green": factory.pin(SETTINGS.green_pin),
            "red": factory.pin(SETTINGS.red_pin),
            "replay": factory.pin(SETTINGS.replay_pin),
        }
        self.events = []

    def wait(self, seconds):
        end = self.clock.now + seconds
        while self.clock.now < end - 1e-9:
            self.clock.now = min(end, self.clock.now + 0.020)
            self.events += self.panel.poll()

    def down(self, name):
        self.pins[name].drive_low()

    def up(self, name):
        self.pins[name].drive_high()

    def press(self, name, hold=0.15):
        self.down(name)
        self.wait(hold)
        self.up(name)
        self.wait(0.06)

    def take(self):
        events, self.events = self.events, []
        return events


@pytest.fixture
def box(mock_factory, panel, clock):
    return Box(mock_factory, panel, clock)


def test_press_and_release_green_is_one_green(box):
    box.down("green")
    box.wait(0.5)
    assert box.take() == []  # nothing until it is let go: it might become "hold both"
    box.up("green")
    box.wait(0.06)
    assert box.take() == [Green()]


def test_red(box):
    box.press("red")
    assert box.take() == [Red()]


def test_callbacks_only_queue_edges_for_the_main_loop(box, panel):
    box.down("green")
    box.clock.now += 0.1
    box.up("green")
    assert box.events == []  # gpiozero's callback ran, but decided nothing
    box.clock.now += 0.1
    assert panel.poll() == [Green()]


def test_bounce_chatter_on_the_pins_is_one_press(box):
    for _ in range(5):
        box.down("green")
        box.clock.now += 0.003
        box.up("green")
        box.clock.now += 0.002
    box.down("green")
    box.wait(0.2)
    for _ in range(3):
        box.up("green")
        box.clock.now += 0.004
        box.down("green")
        box.clock.now += 0.004
    box.up("green")
    box.wait(0.1)
    assert box.take() == [Green()]


def test_holding_both_three_seconds_opens_the_menu_once(box):
    box.down("red")
    box.wait(0.05)
    box.down("green")
    box.wait(3.1)
    assert box.take() == [HoldBoth()]
    box.wait(2.0)
    box.up("green")
    box.up("red")
    box.wait(0.1)
    assert box.take() == []


def test_mashing_is_ignored_and_counted(box, panel):
    for name in ("green", "red", "green", "green", "red"):
        box.press(name, hold=0.08)
    assert box.take() == [Green()]
    assert panel.ignored_presses == 4


def test_a_stuck_button_is_ignored_until_released(box, panel, caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.buttons")
    box.down("red")
    box.wait(SETTINGS.stuck_seconds + 1)
    assert panel.stuck == {"red"}
    assert "red button has been held down" in caplog.text
    box.press("green")
    box.up("red")
    box.wait(0.1)
    assert box.take() == [Green()]
    assert panel.stuck == set()


class HeldDownPin(MockPWMPin):
    """A pin whose button is already held down when the kiosk starts (pull-up or not)."""

    def _set_pull(self, value):
        super()._set_pull(value)
        if self.info.name == f"GPIO{SETTINGS.green_pin}":
            self.drive_low()


def test_a_button_already_down_at_start_is_seen(mock_factory, clock):
    mock_factory.pin_class = HeldDownPin
    with ButtonPanel(SETTINGS, clock=clock) as panel:
        assert panel.poll() == []
        clock.now += SETTINGS.stuck_seconds + 1
        panel.poll()
        assert panel.stuck == {"green"}


def test_hear_again_button(box, panel):
    assert panel.has_replay_button
    box.down("replay")
    box.wait(0.05)
    assert box.take() == [Replay()]
    box.up("replay")
    box.wait(0.05)
    assert box.take() == []


def test_no_third_button(mock_factory, clock):
    settings = ButtonSettings(replay_pin=None)
    with ButtonPanel(settings, clock=clock) as panel:
        assert not panel.has_replay_button
        Button(26)  # the pin stays free for something else


# ------------------------------------------------------------------ lamps


def pin_level(factory, pin):
    return factory.pin(pin).state


def wait_for(condition, timeout=2.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_lamps_on_and_off(mock_factory, panel):
    green, red = SETTINGS.green_lamp_pin, SETTINGS.red_lamp_pin
    assert (pin_level(mock_factory, green), pin_level(mock_factory, red)) == (0, 0)
    panel.show_lamps(green="on", red="off")
    assert (pin_level(mock_factory, green), pin_level(mock_factory, red)) == (1, 0)
    assert panel.lamps == ("on", "off")


def test_pulse_breathes_gently(mock_factory, panel):
    panel.show_lamps(green="pulse", red="off")
    pin = mock_factory.pin(SETTINGS.green_lamp_pin)
    seen = set()
    end = time.monotonic() + 0.6
    while time.monotonic() < end:
        seen.add(round(pin.state, 2))
        time.sleep(0.02)
    assert len(seen) > 5  # many levels in between, not an on/off blink
    assert all(0 <= level <= 1 for level in seen)
    assert pin_level(mock_factory, SETTINGS.red_lamp_pin) == 0


def test_show_lamps_every_frame_does_not_restart_the_pulse(mock_factory, panel):
    panel.show_lamps("pulse", "pulse")
    thread = panel._lamps["green"].led._blink_thread
    panel.show_lamps("pulse", "pulse")
    assert panel._lamps["green"].led._blink_thread is thread


def test_flash_acknowledges_then_goes_dark(mock_factory, panel):
    pin = mock_factory.pin(SETTINGS.red_lamp_pin)
    pin.clear_states()
    panel.show_lamps(green="off", red="flash")
    assert wait_for(lambda: len([s for s in pin.states if s.state == 1]) >= 3)
    assert wait_for(lambda: pin.state == 0)


def test_lamps_through_the_steps_of_a_walk(mock_factory, box, panel):
    """Narration plays (dark), answer wanted (both breathe), green pressed (green flashes)."""
    green = mock_factory.pin(SETTINGS.green_lamp_pin)
    red = mock_factory.pin(SETTINGS.red_lamp_pin)
    panel.show_lamps("off", "off")
    assert (green.state, red.state) == (0, 0)
    panel.show_lamps("pulse", "pulse")
    assert wait_for(lambda: 0 < green.state < 1 and 0 < red.state < 1)
    box.press("green")
    assert box.take() == [Green()]
    green.clear_states()
    panel.show_lamps("flash", "off")
    assert wait_for(lambda: red.state == 0)
    assert wait_for(lambda: any(s.state == 1 for s in green.states))
    panel.show_lamps("off", "off")
    assert wait_for(lambda: green.state == 0)


def test_lamps_driven_by_an_active_low_board(mock_factory, clock):
    with ButtonPanel(ButtonSettings(lamps_active_high=False), clock=clock) as panel:
        panel.show_lamps("on", "off")
        assert pin_level(mock_factory, SETTINGS.green_lamp_pin) == 0
        assert pin_level(mock_factory, SETTINGS.red_lamp_pin) == 1


def test_lamps_without_pwm_blink_instead_of_breathing(clock):
    saved = Device.pin_factory
    Device.pin_factory = MockFactory()  # plain MockPin: no PWM
    try:
        with ButtonPanel(SETTINGS, clock=clock) as panel:
            assert not panel.dimmable_lamps
            panel.show_lamps("pulse", "on")
            assert panel.lamps == ("pulse", "on")
            assert Device.pin_factory.pin(SETTINGS.green_lamp_pin).state in (0, 1)
    finally:
        Device.pin_factory.reset()
        Device.pin_factory = saved


def test_unknown_lamp_state_is_a_programming_error(panel):
    with pytest.raises(ValueError):
        panel.show_lamps("purple", "off")


def test_close_turns_lamps_off_and_frees_pins(mock_factory, clock):
    panel = ButtonPanel(SETTINGS, clock=clock)
    panel.show_lamps("on", "on")
    panel.close()
    panel.close()
    Button(SETTINGS.green_pin)  # free again


# ------------------------------------------------------------------ choosing GPIO or keyboard


def test_open_buttons_uses_the_pin_factory_in_place(mock_factory, clock):
    panel = open_buttons(SETTINGS, clock=clock)
    try:
        assert isinstance(panel, ButtonPanel)
    finally:
        panel.close()


def test_open_buttons_honours_gpiozero_pin_factory_mock(monkeypatch, clock):
    saved = Device.pin_factory
    Device.pin_factory = None
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "mock")
    try:
        panel = open_buttons(SETTINGS, clock=clock)
        assert isinstance(panel, ButtonPanel)
        assert isinstance(Device.pin_factory, MockFactory)
        panel.close()
    finally:
        if Device.pin_factory is not None:
            Device.pin_factory.reset()
        Device.pin_factory = saved


@pytest.fixture
def no_factory():
    saved = Device.pin_factory
    Device.pin_factory = None
    yield
    Device.pin_factory = saved


def test_no_pin_factory_means_keyboard(monkeypatch, caplog, no_factory):
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "no-such-factory")
    caplog.set_level(logging.INFO, logger="kiosk.buttons")
    assert open_buttons(SETTINGS) is None
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1
    assert "No GPIO buttons" in lines[0] and "Using the keyboard" in lines[0]
    assert "no-such-factory" in lines[0]


def test_a_machine_without_gpio_falls_back_to_the_keyboard(monkeypatch, caplog, no_factory):
    """gpiozero's own search (lgpio, rpigpio, pigpio, native) on this machine."""
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    caplog.set_level(logging.INFO, logger="kiosk.buttons")
    panel = open_buttons(SETTINGS)
    if panel is not None:
        panel.close()
        Device.pin_factory.close()
        pytest.skip("this machine has real GPIO")
    (line,) = [r.getMessage() for r in caplog.records]
    assert "Falling back from lgpio" in line and "g or Right = green" in line


def test_buttons_switched_off_in_settings(caplog):
    caplog.set_level(logging.INFO, logger="kiosk.buttons")
    assert open_buttons(ButtonSettings(enabled=False)) is None
    assert "switched off" in caplog.text


def test_a_busy_pin_is_a_plain_error(mock_factory, clock):
    other_program = Button(SETTINGS.red_pin)  # noqa: F841 - held open for the test
    with pytest.raises(KioskError, match="could not be set up"):
        open_buttons(SETTINGS, clock=clock)
    Button(SETTINGS.green_pin)  # what had been opened was released again
