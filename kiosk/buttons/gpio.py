"""The arcade-button panel on the Pi's GPIO header, through gpiozero.

gpiozero calls our callbacks on its own threads; they only stamp the edge with the clock
and put it on a queue. Everything else (debounce, chords, mashing, stuck buttons) happens
on the main loop in ``poll(now)``, inside the pure ``ButtonInterpreter``.

Which GPIO library is used is gpiozero's own choice, steered by ``GPIOZERO_PIN_FACTORY``
(``lgpio`` in the systemd unit, ``mock`` in the tests). Where no pin factory loads (a
laptop), ``open_buttons`` returns None and the kiosk runs on the keyboard alone.
"""

from __future__ import annotations

import logging
import queue
import time
import warnings
from collections.abc import Callable
from typing import Any

from kiosk.buttons.press_logic import GREEN, RED, REPLAY, ButtonInterpreter
from kiosk.buttons.settings import ButtonSettings
from kiosk.errors import KioskError
from kiosk.walk.events import Event

log = logging.getLogger("kiosk.buttons")

LAMP_STATES = ("off", "on", "pulse", "flash")
"""off; on; pulse = slow breathing (an answer is wanted); flash = three quick flashes, then off
(a press was heard)."""

PULSE_FADE_SECONDS = 1.2
FLASH_SECONDS = 0.12
FLASH_COUNT = 3
KEYBOARD_HINT = "g or Right = green, r or Left = red, Space = hear again, F12 = menu"

Clock = Callable[[], float]


class ArcadeLamp:
    """One button's lamp, dimmable when the pin can do PWM, else plainly on/off.

    A state is only (re)started when it changes, so the main loop may call
    ``show`` every frame without restarting the breathing from dark each time.
    """

    def __init__(self, led: Any, dimmable: bool) -> None:
        self.led = led
        self.dimmable = dimmable
        self.state = "off"

    def show(self, state: str) -> None:
        if state not in LAMP_STATES:
            raise ValueError(f"lamp state {state!r} is not one of {LAMP_STATES}")
        if state == self.state:
            return
        self.state = state
        if state == "off":
            self.led.off()
        elif state == "on":
            self.led.on()
        elif state == "pulse":
            if self.dimmable:
                self.led.pulse(
                    fade_in_time=PULSE_FADE_SECONDS,
                    fade_out_time=PULSE_FADE_SECONDS,
                    background=True,
                )
            else:
                self.led.blink(
                    on_time=PULSE_FADE_SECONDS, off_time=PULSE_FADE_SECONDS, background=True
                )
        else:
            self.led.blink(
                on_time=FLASH_SECONDS, off_time=FLASH_SECONDS, n=FLASH_COUNT, background=True
            )

    def close(self) -> None:
        self.led.close()


class ButtonPanel:
    """The green and red arcade buttons with their lamps, and the optional hear-again button.

    Construct it with ``open_buttons`` (which copes with machines that have no GPIO).
    """

    def __init__(
        self, settings: ButtonSettings, *, clock: Clock = time.monotonic, pin_factory: Any = None
    ) -> None:
        from gpiozero import LED, PWMLED, Button
        from gpiozero.exc import PinPWMUnsupported

        self.settings = settings
        self._clock = clock
        self._edges: queue.SimpleQueue[tuple[float, str, bool]] = queue.SimpleQueue()
        self._last_edge = float("-inf")
        self.on_edge: Callable[[], None] | None = None
        """Called on gpiozero's thread after each edge: the main loop sets it to wake at once."""
        self._interpreter = ButtonInterpreter(settings.timings())
        self._buttons: dict[str, Any] = {}
        self._lamps: dict[str, ArcadeLamp] = {}
        wiring = {GREEN: settings.green_pin, RED: settings.red_pin, REPLAY: settings.replay_pin}
        try:
            for name, pin in wiring.items():
                if pin is None:
                    continue
                button = Button(pin, pull_up=True, bounce_time=None, pin_factory=pin_factory)
                button.when_pressed = self._poster(name, True)
                button.when_released = self._poster(name, False)
                self._buttons[name] = button
            for name, pin in ((GREEN, settings.green_lamp_pin), (RED, settings.red_lamp_pin)):
                options = {"active_high": settings.lamps_active_high, "pin_factory": pin_factory}
                try:
                    self._lamps[name] = ArcadeLamp(PWMLED(pin, **options), dimmable=True)
                except PinPWMUnsupported:
                    self._lamps[name] = ArcadeLamp(LED(pin, **options), dimmable=False)
        except Exception:
            self.close()
            raise
        for name, button in self._buttons.items():
            if button.is_pressed:
                self._edges.put((clock(), name, True))

    def _poster(self, name: str, down: bool) -> Callable[[], None]:
        def post() -> None:
            self._last_edge = self._clock()
            self._edges.put((self._last_edge, name, down))
            if self.on_edge is not None:
                self.on_edge()

        return post

    def poll(self, now: float | None = None) -> list[Event]:
        """Call once per frame from the main loop: the walk events since the last call."""
        now = self._clock() if now is None else now
        edges: list[tuple[float, str, bool]] = []
        while True:
            try:
                edges.append(self._edges.get_nowait())
            except queue.Empty:
                break
        events: list[Event] = []
        for t, name, down in sorted(edges, key=lambda edge: edge[0]):
            events += self._interpreter.edge(name, down, t)
        events += self._interpreter.tick(now)
        return events

    def show_lamps(self, green: str, red: str) -> None:
        """Set both lamps: "off", "on", "pulse" (answer wanted) or "flash" (press heard)."""
        for name, state in ((GREEN, green), (RED, red)):
            if state not in LAMP_STATES:
                raise ValueError(f"{name} lamp state {state!r} is not one of {LAMP_STATES}")
        if self._lamps:
            self._lamps[GREEN].show(green)
            self._lamps[RED].show(red)

    @property
    def held(self) -> bool:
        """A button is down, or an edge is still settling: the loop then steps every frame."""
        if self._clock() - self._last_edge <= self.settle_seconds:
            return True
        return any(self._interpreter.is_down(name) for name in self._buttons)

    @property
    def settle_seconds(self) -> float:
        """How long after an edge the press rules can decide (the debounce)."""
        return self._interpreter.timings.debounce

    @property
    def lamps(self) -> tuple[str, str]:
        """The (green, red) lamp states last asked for."""
        return (self._lamps[GREEN].state, self._lamps[RED].state)

    @property
    def dimmable_lamps(self) -> bool:
        """False when the pin factory has no PWM: "pulse" is then a slow blink."""
        return all(lamp.dimmable for lamp in self._lamps.values())

    @property
    def has_replay_button(self) -> bool:
        return REPLAY in self._buttons

    @property
    def ignored_presses(self) -> int:
        """Presses dropped by the anti-mashing rule since the panel opened."""
        return self._interpreter.ignored_presses

    @property
    def stuck(self) -> frozenset[str]:
        """Buttons held so long they are being ignored (worth showing on the facilitator menu)."""
        return self._interpreter.stuck

    def close(self) -> None:
        """Release the pins (lamps go dark). Safe to call twice."""
        for device in [*self._lamps.values(), *self._buttons.values()]:
            try:
                device.close()
            except Exception:  # noqa: BLE001 - closing must never stop the kiosk shutting down
                log.debug("closing %r failed", device, exc_info=True)
        self._lamps.clear()
        self._buttons.clear()

    def __enter__(self) -> ButtonPanel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_buttons(settings: ButtonSettings, *, clock: Clock = time.monotonic) -> ButtonPanel | None:
    """The button panel, or None (logged in one plain line) when this machine has no GPIO.

    None means "use the keyboard", never an error: a laptop is a normal place to run the
    kiosk. A Pi whose pins are wrong or busy is an error a person must fix, so that raises
    a ``KioskError`` instead of quietly leaving the buttons dead.
    """
    if not settings.enabled:
        log.info("GPIO buttons are switched off in kiosk.toml; keyboard: %s.", KEYBOARD_HINT)
        return None
    from gpiozero import Device
    from gpiozero.exc import GPIOZeroError, PinFactoryFallback

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PinFactoryFallback)
        try:
            Device.ensure_pin_factory()
        except Exception as error:  # noqa: BLE001 - any failure here means "no GPIO here"
            tried = "; ".join(
                str(w.message) for w in caught if issubclass(w.category, PinFactoryFallback)
            )
            reason = f"{error}" + (f" ({tried})" if tried else "")
            log.warning("No GPIO buttons: %s. Using the keyboard: %s.", reason, KEYBOARD_HINT)
            return None
    factory = type(Device.pin_factory).__name__
    try:
        panel = ButtonPanel(settings, clock=clock)
    except (GPIOZeroError, OSError, RuntimeError) as error:
        raise KioskError(
            f"The buttons could not be set up ({error}). Check [buttons] in kiosk.toml "
            "against the wiring in hardware/README.md, and that no other program is using "
            "the GPIO pins."
        ) from None
    replay = f", hear again GPIO{settings.replay_pin}" if settings.replay_pin is not None else ""
    log.info(
        "Buttons: green GPIO%d, red GPIO%d%s; lamps GPIO%d and GPIO%d (%s, %s lamps).",
        settings.green_pin,
        settings.red_pin,
        replay,
        settings.green_lamp_pin,
        settings.red_lamp_pin,
        factory,
        "dimmable" if panel.dimmable_lamps else "on/off",
    )
    return panel
