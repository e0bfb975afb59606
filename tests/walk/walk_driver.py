"""A walk plus a hand-moved clock, collecting every effect: how the walk's tests drive it."""

from kiosk.walk.events import Record, Speak
from kiosk.walk.walk import Walk


class Driver:
    def __init__(self, walk: Walk, now: float = 0.0):
        self.walk, self.now, self.effects = walk, now, list(walk.startup_effects())

    def press(self, event, after=1.0):
        """Time passes (``after`` seconds), then the event; returns what it caused."""
        self.now += after
        self.effects += self.walk.tick(self.now)
        out = self.walk.handle(event, self.now)
        self.effects += out
        return out

    def wait(self, seconds, step=0.5):
        """Nobody presses anything for ``seconds``."""
        out = []
        end = self.now + seconds
        while self.now < end:
            self.now = min(end, self.now + step)
            out += self.walk.tick(self.now)
        self.effects += out
        return out

    def records(self, kind=None):
        return [e for e in self.effects if isinstance(e, Record) and kind in (None, e.kind)]

    def spoken(self):
        return [e for e in self.effects if isinstance(e, Speak)]


def start(deck, **kwargs) -> Driver:
    """A kiosk at the Library with ``deck``'s session already started."""
    return Driver(Walk([deck], ["Library"], now=0.0, deck=deck, venue="Library", **kwargs))
