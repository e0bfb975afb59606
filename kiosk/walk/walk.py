"""The walk: welcome -> how it works -> each screen -> thank you, plus the facilitator menu.

``Walk.handle(event, now)`` and ``Walk.tick(now)`` return effects; ``Walk.view(now)`` says what
to show. ``now`` is seconds on any steady clock (``time.monotonic()`` in the kiosk, a number
moved by hand in tests). Nothing here waits, draws, plays or writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.decks.model import Deck, Screen
from kiosk.walk import phrases
from kiosk.walk.events import (
    BeginSession,
    Cue,
    Effect,
    EndSession,
    Event,
    Exit,
    Green,
    HoldBoth,
    JobFinished,
    Quit,
    Record,
    Red,
    Replay,
    SetVolume,
    Speak,
    StartJob,
    StickInserted,
    StickRemoved,
    StopSpeech,
    Tap,
)
from kiosk.walk.menu import Menu, MenuChoice
from kiosk.walk.view import FLASH, OFF, ON, PULSE, View


@dataclass(frozen=True)
class Timing:
    """How long things take. Generous on purpose: nobody is ever rushed."""

    acknowledge: float = 0.8  # the tick or cross stays this long before the next screen
    invite_every: float = 45.0  # the welcome invitation is repeated this often while idle
    still_there_after: float = 180.0  # quiet time on a screen before "Are you still there?"
    abandon_after: float = 60.0  # then this much more quiet before the walk is abandoned
    thanks_for: float = 12.0  # the thank-you screen, before the next person's welcome


@dataclass
class _Participant:
    number: int
    screen_index: int = 0
    shown_at: float = 0.0
    replays: int = 0
    answered: set[str] = field(default_factory=set)


class Walk:
    """One kiosk's conversation with the people in front of it.

    ``decks`` are the installed decks the facilitator may choose from; ``deck`` and ``venue``
    start a session at once (the facilitator's one-click start). ``recording`` False is a
    rehearsal: everything works, nothing is logged.
    """

    def __init__(
        self,
        decks: list[Deck],
        venues: list[str],
        now: float,
        deck: Deck | None = None,
        venue: str | None = None,
        timing: Timing | None = None,
        recording: bool = True,
        volume: float = 0.8,
    ) -> None:
        self.decks = list(decks)
        self.venues = list(venues) or ["Community centre"]
        self.timing = timing or Timing()
        self.recording = recording
        self.volume = volume
        self.deck: Deck | None = None
        self.venue = venue or self.venues[0]
        self._state = "welcome"
        self._since = now
        self._last_input = now
        self._last_invite = now
        self._ack: str | None = None
        self._participant: _Participant | None = None
        self._participants_seen = 0
        self._menu: Menu | None = None
        self._message: tuple[str, tuple[str, ...]] | None = None
        self._resume_state = "screen"
        self._stick: StickInserted | None = None
        self._pending: list[Effect] = []
        if deck is not None:
            self._pending += self._begin_session(deck, self.venue)
        self._pending += self._enter("welcome", now)

    # ------------------------------------------------------------------ public interface

    @property
    def state(self) -> str:
        return self._state

    @property
    def participant_number(self) -> int | None:
        return self._participant.number if self._participant else None

    def startup_effects(self) -> list[Effect]:
        """What the kiosk must do as it opens (start the session, say hello)."""
        effects, self._pending = self._pending, []
        return effects

    def handle(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Quit):
            return self._quit(now)
        if isinstance(event, HoldBoth):
            return self._open_menu(now)
        if isinstance(event, JobFinished):
            return self._job_finished(event, now)
        if isinstance(event, StickInserted):
            return self._stick_inserted(event, now)
        if isinstance(event, StickRemoved):
            self._stick = None
            return []
        self._last_input = now
        handler = getattr(self, f"_on_{self._state}")
        return handler(event, now)

    def tick(self, now: float) -> list[Effect]:
        """Let time pass: end acknowledgements, repeat invitations, notice walk-aways."""
        quiet = now - self._last_input
        if self._state == "ack" and now - self._since >= self.timing.acknowledge:
            return self._advance(now)
        if self._state == "welcome" and now - self._last_invite >= self.timing.invite_every:
            self._last_invite = now
            return [Speak(self._welcome_words(), phrases.KIOSK_LANGUAGE)]
        if self._state in ("how", "screen") and quiet >= self.timing.still_there_after:
            self._resume_state = self._state
            return self._enter("still_there", now)
        if self._state == "still_there" and now - self._since >= self.timing.abandon_after:
            return self._abandon(now)
        if self._state == "thanks" and now - self._since >= self.timing.thanks_for:
            return self._enter("welcome", now)
        return []

    def view(self, now: float | None = None) -> View:
        state = self._state
        if state == "welcome":
            if self.deck is None:
                return View("welcome", phrases.NOT_READY_TITLE, phrases.NOT_READY_LINES,
                            banner=self._banner())
            return View("welcome", phrases.WELCOME_TITLE, phrases.WELCOME_LINES,
                        deck=self.deck, buttons=("Start", ""), lamps=(PULSE, OFF),
                        banner=self._banner())
        if state == "how":
            return View("how", phrases.HOW_TITLE, phrases.HOW_LINES, deck=self.deck,
                        buttons=phrases.HOW_BUTTONS, lamps=(PULSE, ON), banner=self._banner())
        if state in ("screen", "ack"):
            screen = self._current_screen()
            lamps = (PULSE, PULSE)
            if self._ack:
                lamps = (FLASH, OFF) if self._ack == "yes" else (OFF, FLASH)
            return View("screen", deck=self.deck, screen=screen, question=screen.ask,
                        ack=self._ack, buttons=phrases.ANSWER_BUTTONS, lamps=lamps,
                        progress=self._progress(), banner=self._banner(),
                        language=self.deck.language)
        if state == "still_there":
            return View("still_there", phrases.STILL_THERE_TITLE, phrases.STILL_THERE_LINES,
                        deck=self.deck, buttons=("Carry on", ""), lamps=(PULSE, OFF),
                        banner=self._banner())
        if state == "thanks":
            return View("thanks", phrases.THANKS_TITLE, phrases.THANKS_LINES, deck=self.deck,
                        banner=self._banner())
        if state == "menu":
            assert self._menu is not None
            return self._menu.view(self._message)
        raise AssertionError(f"no view for state {state!r}")

    # ------------------------------------------------------------------ states

    def _enter(self, state: str, now: float) -> list[Effect]:
        self._state = state
        self._since = now
        self._last_input = now
        self._ack = None
        if state == "welcome":
            self._participant = None
            self._last_invite = now
            if self.deck is None:
                return [StopSpeech()]
            return [StopSpeech(), Speak(self._welcome_words(), phrases.KIOSK_LANGUAGE)]
        if state == "how":
            return [StopSpeech(), Speak(phrases.HOW_SPOKEN, phrases.KIOSK_LANGUAGE)]
        if state == "screen":
            assert self._participant is not None
            self._participant.shown_at = now
            self._participant.replays = 0
            return self._narrate(self._current_screen())
        if state == "still_there":
            return [StopSpeech(), Speak(phrases.STILL_THERE_SPOKEN, phrases.KIOSK_LANGUAGE)]
        if state == "thanks":
            return [StopSpeech(), Speak(phrases.THANKS_SPOKEN, phrases.KIOSK_LANGUAGE)]
        return []

    def _on_welcome(self, event: Event, now: float) -> list[Effect]:
        if self.deck is None:
            return []
        if isinstance(event, Green):
            self._participants_seen += 1
            self._participant = _Participant(number=self._participants_seen)
            return [Cue("yes"), *self._enter("how", now)]
        if isinstance(event, (Red, Replay)):
            self._last_invite = now
            return [StopSpeech(), Speak(self._welcome_words(), phrases.KIOSK_LANGUAGE)]
        return []

    def _on_how(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Green):
            return [Cue("yes"), *self._enter("screen", now)]
        if isinstance(event, (Red, Replay)):
            return [Cue("tap"), StopSpeech(), Speak(phrases.HOW_SPOKEN, phrases.KIOSK_LANGUAGE)]
        return []

    def _on_screen(self, event: Event, now: float) -> list[Effect]:
        participant = self._participant
        assert participant is not None
        screen = self._current_screen()
        if isinstance(event, (Green, Red)):
            understood = isinstance(event, Green)
            self._ack = "yes" if understood else "no"
            self._state = "ack"
            self._since = now
            participant.answered.add(screen.id)
            effects: list[Effect] = [StopSpeech(), Cue(self._ack)]
            effects += self._record("answer", screen, now,
                                    response="understood" if understood else "not_understood")
            return effects
        if isinstance(event, Replay):
            participant.replays += 1
            return [*self._record("replay", screen, now, replay_number=participant.replays),
                    *self._narrate(screen)]
        if isinstance(event, Tap):
            return self._tap(event, screen, now)
        return []

    def _on_ack(self, event: Event, now: float) -> list[Effect]:
        return []  # presses while the tick or cross shows are ignored (button mashing)

    def _on_still_there(self, event: Event, now: float) -> list[Effect]:
        """Any press means "yes, I'm here": back where they were, heard again, not answered."""
        if not isinstance(event, (Green, Red, Replay, Tap)):
            return []
        self._state, self._since = self._resume_state, now
        if self._state == "screen":
            return [Cue("yes"), *self._narrate(self._current_screen())]
        return [Cue("yes"), StopSpeech(), Speak(phrases.HOW_SPOKEN, phrases.KIOSK_LANGUAGE)]

    def _on_thanks(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Green):
            return self._enter("welcome", now)
        return []

    def _on_menu(self, event: Event, now: float) -> list[Effect]:
        assert self._menu is not None
        self._message = None
        if isinstance(event, Red):
            return [Cue("tap"), *self._menu.next_option()]
        if isinstance(event, Green):
            return [Cue("yes"), *self._do(self._menu.choose(), now)]
        if isinstance(event, Replay):
            return self._menu.speak_current()
        return []

    # ------------------------------------------------------------------ screens

    def _current_screen(self) -> Screen:
        assert self.deck is not None and self._participant is not None
        return self.deck.screens[self._participant.screen_index]

    def _narrate(self, screen: Screen) -> list[Effect]:
        assert self.deck is not None
        recording = self.deck.path_of(screen.audio) if screen.audio and self.deck.folder else None
        return [
            StopSpeech(),
            Speak(screen.say, self.deck.language, recording),
            Speak(screen.ask, self.deck.language),
        ]

    def _advance(self, now: float) -> list[Effect]:
        """After an answer: the next screen in deck order, or thank you after the last."""
        assert self.deck is not None and self._participant is not None
        self._participant.screen_index += 1
        if self._participant.screen_index >= len(self.deck.screens):
            return self._enter("thanks", now)
        return self._enter("screen", now)

    def _tap(self, tap: Tap, screen: Screen, now: float) -> list[Effect]:
        assert self.deck is not None and self._participant is not None
        hotspot = None if tap.x is None or tap.y is None else screen.hotspot_at(tap.x, tap.y)
        if hotspot is None:
            if not screen.hotspots:
                return []  # a tap on a screen with nothing to tap is not a misclick
            return [Cue("miss"), *self._record("miss", screen, now, x=tap.x, y=tap.y)]
        effects: list[Effect] = [Cue("tap")]
        effects += self._record("tap", screen, now, x=tap.x, y=tap.y,
                                hotspot=hotspot.label, goto=hotspot.goto)
        target = next(i for i, s in enumerate(self.deck.screens) if s.id == hotspot.goto)
        self._participant.screen_index = target
        return effects + self._enter("screen", now)

    def _progress(self) -> tuple[int, int]:
        assert self.deck is not None and self._participant is not None
        return (self._participant.screen_index + 1, len(self.deck.screens))

    def _abandon(self, now: float) -> list[Effect]:
        """Walked away: the screen they stopped on and every one after it are 'abandoned'."""
        effects: list[Effect] = []
        participant = self._participant
        if self.deck is not None and participant is not None:
            for screen in self.deck.screens[participant.screen_index:]:
                if screen.id not in participant.answered:
                    effects += self._record("answer", screen, now, response="abandoned")
        return effects + self._enter("welcome", now)

    def _record(self, kind: str, screen: Screen, now: float, **fields) -> list[Effect]:
        if not self.recording or self.deck is None or self._participant is None:
            return []
        participant = self._participant
        base = {
            "participant": participant.number,
            "screen_id": screen.id,
            "variant": screen.variant or "",
            "language": self.deck.language,
            "seconds_on_screen": round(now - participant.shown_at, 3),
        }
        if kind == "answer":
            base["seconds_to_answer"] = base["seconds_on_screen"]
            base["replays"] = participant.replays
        return [Record(kind, {**base, **fields})]

    def _welcome_words(self) -> str:
        return phrases.WELCOME_SPOKEN

    def _banner(self) -> str:
        if not self.recording:
            return "Rehearsal: nothing is recorded"
        return ""

    # ------------------------------------------------------------------ sessions

    def _begin_session(self, deck: Deck, venue: str) -> list[Effect]:
        effects: list[Effect] = []
        if self.deck is not None:
            effects += self._end_session("ended")
        self.deck = deck
        self.venue = venue
        self._participants_seen = 0
        if self.recording:
            effects.append(BeginSession(deck.id, deck.version, venue))
        return effects

    def _end_session(self, reason: str) -> list[Effect]:
        had_session = self.deck is not None
        self.deck = None
        self._participant = None
        return [EndSession(reason)] if had_session and self.recording else []

    def _quit(self, now: float) -> list[Effect]:
        """Closing time: answers given are kept; an unfinished walk is simply not continued."""
        return [StopSpeech(), *self._end_session("ended"), Exit()]

    # ------------------------------------------------------------------ facilitator menu

    def _open_menu(self, now: float) -> list[Effect]:
        if self._state == "menu":
            return []
        effects: list[Effect] = [StopSpeech(), Cue("menu")]
        if self._participant is not None and self._state in ("how", "screen", "ack",
                                                             "still_there"):
            effects += self._abandon_quietly(now)
        self._menu = Menu(self.decks, self.venues, self.deck, self.venue, self.volume)
        if self._stick is not None:
            self._menu.offer_stick(self._stick.has_decks, self._stick.wants_export)
        self._state = "menu"
        self._since = now
        return effects + self._menu.speak_current()

    def _abandon_quietly(self, now: float) -> list[Effect]:
        """The facilitator interrupted a participant: keep what they answered, mark the rest."""
        effects = self._abandon(now)
        return [e for e in effects if isinstance(e, Record)]

    def _do(self, choice: MenuChoice | None, now: float) -> list[Effect]:
        assert self._menu is not None
        if choice is None:
            return self._menu.speak_current()
        if choice.action == "close":
            self._menu = None
            return self._enter("welcome", now)
        if choice.action == "start":
            deck, venue = choice.deck, choice.venue
            self._menu = None
            assert deck is not None
            return self._begin_session(deck, venue or self.venue) + self._enter("welcome", now)
        if choice.action == "end":
            effects = self._end_session("ended")
            self._menu = None
            return effects + self._enter("welcome", now)
        if choice.action == "volume":
            self.volume = choice.volume
            return [SetVolume(choice.volume), *self._menu.speak_current()]
        if choice.action in ("install_usb", "export_usb", "clear_exported"):
            self._message = (phrases.WORKING_TITLE, ("Please wait…",))
            return [StartJob(choice.action)]
        if choice.action == "quit":
            return self._quit(now)
        if choice.action == "shutdown":
            return [*self._quit(now)[:-1], Exit(shutdown=True)]
        raise AssertionError(f"unknown menu action {choice.action!r}")

    def _job_finished(self, event: JobFinished, now: float) -> list[Effect]:
        """Say how a slow job went; a new deck list may have arrived with it."""
        if self._state != "menu":
            self._open_menu(now)
        assert self._menu is not None
        title = "Done" if event.ok else "That did not work"
        self._message = (title, tuple(line for line in event.message.splitlines() if line))
        return [StopSpeech(), Cue("yes" if event.ok else "no"),
                Speak(f"{title}. {event.message}", phrases.KIOSK_LANGUAGE)]

    def _stick_inserted(self, event: StickInserted, now: float) -> list[Effect]:
        """A stick arrived: offer the matching job in the menu, which only a facilitator opens."""
        self._stick = event
        if self._menu is not None:
            self._menu.offer_stick(event.has_decks, event.wants_export)
            return self._menu.speak_current()
        return []

    def restart(self, now: float) -> list[Effect]:
        """After an unexpected error: back to a calm welcome, keeping the session."""
        self._menu = None
        self._message = None
        return self._enter("welcome", now)

    def replace_decks(self, decks: list[Deck]) -> None:
        """After an install, the facilitator may choose among the new decks."""
        self.decks = list(decks)
        if self._menu is not None:
            self._menu.decks = list(decks)


# Keep the lamp names importable from here for the edges.
__all__ = ["Walk", "Timing", "OFF", "ON", "PULSE", "FLASH"]
