"""The walk: what happens on each press, as a pure state machine.

It takes events and the time, and returns effects; it imports no pygame, GPIO, TinyDB or
file I/O, so every rule about the participant's experience can be tested in milliseconds.

Where things live:

- ``walk.py``: ``Walk``, the state machine: one press handler per state, the order of things.
- ``states.py``: ``State`` (a StrEnum) and the import-time check that every state has a
  handler and a view.
- ``visit.py``: ``Visit``, one participant's way through the deck (screen, task, language) and
  the records it makes; ``tasks.py``: the rules about a task's words and outcome.
- ``records.py``: one frozen dataclass per kind of log record; the log derives its checks
  from them.
- ``views.py`` / ``view.py``: what each state shows, as ``View`` data.
- ``facilitator.py`` / ``menu.py``: the facilitator's code, menu, job results and USB sticks.
- ``events.py``: events in (buttons, taps, jobs) and effects out (speech, cues, records).
- ``phrases.py``: everything the kiosk itself says, per language.

The package is type-checked strictly: ``mypy kiosk/walk`` (config in setup.cfg).
"""
