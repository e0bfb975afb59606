"""The bundled decks through the real kiosk, headless: a task done by tapping, the letter in
Punjabi with the profile questions, and what reaches the session log on disk."""

import pygame
import pytest

from kiosk.cli.run import assemble
from kiosk.decks.library import DeckLibrary
from kiosk.home import CHECKOUT, Home
from kiosk.sessions.log import ResponseLog
from kiosk.walk.events import Green, Red, Tap


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = Home(tmp_path_factory.mktemp("bundled"))
    DeckLibrary(home).install(CHECKOUT / "prototypes")
    return home


class Kiosk:
    """The real app on SDL's dummy drivers, pressed by hand with a hand-moved clock."""

    def __init__(self, home, deck_id):
        pygame.init()
        self.surface = pygame.display.set_mode((1024, 600))
        self.now = 100.0
        self.app = assemble(home, (1024, 600), deck_id=deck_id, venue="Library",
                            clock=lambda: self.now, use_gpio=False)
        self.app.apply(self.app.walk.startup_effects())

    def press(self, event, wait=1.0):
        self.now += wait
        self.app.apply(self.app.walk.handle(event, self.now))
        self.app.apply(self.app.walk.tick(self.now))
        self.app.draw(self.surface)

    def settle(self, seconds=3.0):
        self.now += seconds
        self.app.apply(self.app.walk.tick(self.now))
        self.app.draw(self.surface)

    def close(self):
        session = self.app.session_id
        self.app.close()
        pygame.quit()
        return session


def events_of(home, session):
    with ResponseLog(home.log, "reader") as log:
        return log.events(session)


def test_a_task_on_the_app_is_logged_with_its_path_and_taps(home):
    kiosk = Kiosk(home, "diabetes-app")
    walk = kiosk.app.walk
    task = walk.deck.tasks[0]
    kiosk.press(Green())  # welcome
    kiosk.press(Green())  # how it works
    kiosk.press(Green())  # start the first task
    kiosk.press(Tap(1, 1))  # a miss, off every button
    for here, there in zip(task.path, task.path[1:], strict=False):
        x, y, w, h = next(s for s in walk.deck.screen(here).hotspots if s.goto == there).rect
        kiosk.press(Tap(x + w / 2, y + h / 2))
    kiosk.settle()
    kiosk.press(Green())  # it was easy
    events = events_of(home, kiosk.close())
    steps = [e["screen_id"] for e in events if e["kind"] == "task_step"]
    assert steps == list(task.path)
    end = next(e for e in events if e["kind"] == "task_end")
    assert end["task"] == task.id and end["outcome"] == "direct"
    assert len([e for e in events if e["kind"] == "tap"]) == len(task.path) - 1
    assert [e["task"] for e in events if e["kind"] == "miss"] == [task.id]
    answer = next(e for e in events if e["kind"] == "answer")
    assert answer["task"] == task.id and answer["response"] == "understood"


def test_the_letter_in_punjabi_with_profile_answers(home):
    kiosk = Kiosk(home, "hospital-letter")
    walk = kiosk.app.walk
    deck = walk.deck
    kiosk.press(Green())  # welcome
    kiosk.press(Red())  # not English: the next language
    assert walk.view().language == "pa"
    kiosk.press(Green())  # Punjabi
    kiosk.press(Green())  # how it works
    kiosk.press(Green())  # yes, ask me the questions
    for event in (Green(), Red()):
        kiosk.press(event)
    kiosk.settle(31)  # the third question: rather not say
    while walk.state != "thanks":
        if walk.state == "screen":
            kiosk.press(Green())
        kiosk.settle(1)
    events = events_of(home, kiosk.close())
    profile = [(e["question"], e["answer"]) for e in events if e["kind"] == "profile"]
    assert [answer for _, answer in profile] == ["yes", "no", "rather_not_say"]
    screens = [e for e in events if e["kind"] == "answer"]
    assert [e["screen_id"] for e in screens] == [s.id for s in deck.screens]
    assert {e["language"] for e in events} == {"pa"}
    untranslated = {s.id for s in deck.screens if "pa" not in s.translations}
    assert untranslated  # the original letter is English only: the fallback is exercised
    assert {e["screen_id"] for e in screens if e.get("fallback")} == untranslated
