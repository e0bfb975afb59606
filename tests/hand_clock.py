"""The one clock the tests move by hand: the kiosk takes ``clock`` as an argument, like
Pygame Zero's injected clock, so a test can let three minutes pass in a line."""


class HandClock:
    """Call it for the time; set or add to ``now`` to move time on."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
