"""The report's issue-6 sections: tasks, heat maps, languages, and profile groups kept private.

Events are built as the walk's ``Record`` docstring defines them and fed to the designer
side directly (the log's checks for the new kinds are another engineer's work).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.sessions.breakdowns import (
    HIDDEN_TEXT,
    GroupCell,
    analyse_languages,
    analyse_profiles,
    analyse_tasks,
    chosen_languages,
    main_languages,
    suppress,
)
from kiosk.sessions.heatmap import ScreenTaps, collect_taps, draw_heatmap
from kiosk.sessions.report import write_report
from kiosk.sessions.stats import Tally, analyse

PROTOTYPES = Path(__file__).resolve().parents[2] / "prototypes"


class Book:
    """Sessions and events, with ``seq`` and ids filled in as the log would."""

    def __init__(self) -> None:
        self.sessions: list[dict] = []
        self.events: list[dict] = []
        self.seq = 0

    def session(self, deck: str = "diabetes-app", version: int = 1,
                venue: str = "Caldmore") -> str:
        sid = f"s{len(self.sessions) + 1}"
        self.sessions.append({"session_id": sid, "kiosk_id": "k1", "deck_id": deck,
                              "deck_version": version, "venue": venue,
                              "started_at": "2025-03-01T10:00:00.000Z",
                              "ended_at": "2025-03-01T11:00:00.000Z", "end_reason": "ended"})
        return sid

    def add(self, sid: str, kind: str, participant: int, language: str = "en-GB",
            **fields: object) -> None:
        self.seq += 1
        self.events.append({"event_id": f"e{self.seq}", "session_id": sid, "kind": kind,
                            "at": f"2025-03-01T10:{self.seq // 60:02d}:{self.seq % 60:02d}.000Z",
                            "seq": self.seq, "participant": participant,
                            "language": language, **fields})

    def answer(self, sid: str, participant: int, screen: str, response: str,
               **fields: object) -> None:
        self.add(sid, "answer", participant, screen_id=screen, variant="", response=response,
                 seconds_to_answer=4.0, seconds_on_screen=4.0, replays=0, **fields)

    def task(self, sid: str, participant: int, task: str, screens: list[str], outcome: str,
             seconds: float, misses: int = 0, easy: str | None = "understood") -> None:
        for step, screen in enumerate(screens, start=1):
            self.add(sid, "task_step", participant, task=task, screen_id=screen, step=step,
                     seconds_on_screen=seconds / len(screens))
            for _ in range(misses if step == 1 else 0):
                self.add(sid, "miss", participant, task=task, screen_id=screen, x=100.0,
                         y=100.0, hotspot=None, goto=None)
            if step < len(screens):
                self.add(sid, "tap", participant, task=task, screen_id=screen, x=600.0,
                         y=520.0, hotspot="Add a reading", goto=screens[step])
        self.add(sid, "task_end", participant, task=task, outcome=outcome, seconds=seconds,
                 steps=len(screens))
        if easy:
            self.answer(sid, participant, screens[-1], easy, task=task)


# ---------------------------------------------------------------- tasks


def test_tasks_are_listed_in_the_decks_order_whatever_order_people_met_them(tmp_path):
    """The page and tasks.csv list a deck's tasks as the deck does (diabetes-app: add-reading,
    low-reading, call-nurse), not in the order the sessions happened to reach them; a task
    the deck does not list comes after, by name."""
    book = Book()
    for task in ("zz-not-in-the-deck", "call-nurse", "low-reading", "add-reading"):
        sid = book.session()
        for person in range(1, 4):
            book.answer(sid, person, "home", "understood")
            book.task(sid, person, task, ["home", "help"], "direct", 6.0)
    write_report(book.sessions, book.events, tmp_path, [PROTOTYPES], posters=False)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    shown = [page.index(f"<b>{task}</b>") for task in
             ("add-reading", "low-reading", "call-nurse", "zz-not-in-the-deck")]
    assert shown == sorted(shown)
    listed = [row["task"] for row in csv.DictReader(io.StringIO(
        (tmp_path / "tasks.csv").read_text(encoding="utf-8-sig")))]
    assert listed == ["add-reading", "low-reading", "call-nurse", "zz-not-in-the-deck"]


def test_task_answers_stay_out_of_the_screen_figures_and_tasks_are_counted():
    book = Book()
    sid = book.session()
    expected = ["home", "log-reading", "saved"]
    for person in range(1, 7):
        book.answer(sid, person, "home", "understood")
    book.task(sid, 1, "add-reading", expected, "direct", 10.0)
    book.task(sid, 2, "add-reading", expected, "direct", 20.0, misses=2)
    book.task(sid, 3, "add-reading", ["home", "week", "home", "log-reading", "saved"],
              "indirect", 40.0, easy="not_understood")
    book.task(sid, 4, "add-reading", ["home", "help"], "gave_up", 15.0, easy="not_understood")
    book.task(sid, 5, "add-reading", expected, "direct", 12.0)
    book.task(sid, 6, "add-reading", ["home"], "abandoned", 30.0, easy=None)

    analysis = analyse(book.sessions, book.events)
    [row] = analysis.screens  # the "easy?" answers on saved/help did not make screen rows
    assert (row.screen_id, row.understood, row.answered, row.misses) == ("home", 6, 6, 0)
    assert analysis.totals.answered == 6

    [task] = analyse_tasks(book.sessions, book.events)[("diabetes-app", 1)]
    assert task.attempts == 6
    assert dict(task.outcomes) == {"direct": 3, "indirect": 1, "gave_up": 1, "abandoned": 1}
    share, low, high = task.share("direct")
    assert share == 0.5 and 0.18 < low < 0.2 and 0.8 < high < 0.82  # Wilson, 3 of 6
    assert task.median_seconds() == 16.0  # 10, 12, 20, 40: only those who finished
    assert task.screen_views == 3 + 3 + 5 + 2 + 3 + 1 and task.misses == 2
    assert task.misclick_rate() == pytest.approx(2 / 17)
    assert (task.easy.understood, task.easy.answered) == (3, 5)
    top = task.paths[0]
    assert top.screens == tuple(expected) and top.people == 3 and top.outcomes["direct"] == 3
    assert [p.people for p in task.paths] == [3, 1, 1, 1]
    assert task.small_sample


def test_paths_follow_seq_order_not_storage_order():
    book = Book()
    sid = book.session()
    book.task(sid, 1, "see-week", ["home", "reminder", "home", "week"], "indirect", 9.0)
    shuffled = list(reversed(book.events))  # the store gives documents in any order
    [task] = analyse_tasks(book.sessions, shuffled)[("diabetes-app", 1)]
    assert task.paths[0].screens == ("home", "reminder", "home", "week")


def test_a_task_named_5_and_one_named_quote_5_are_one_task_and_the_report_is_made(tmp_path):
    """A hand-made bundle may give a task's name as a number: it is the same task as its
    text (counted together, its path too), and the report is written (sorting the tasks by
    name once met a number beside text)."""
    book = Book()
    sid = book.session()
    book.task(sid, 1, 5, ["home", "week"], "direct", 6.0)  # type: ignore[arg-type]
    book.task(sid, 2, "5", ["home", "week"], "indirect", 8.0, misses=1)
    book.task(sid, 3, "add-reading", ["home"], "gave_up", 3.0)
    book.answer(sid, 3, "home", "understood")
    tasks = {row.task: row for row in analyse_tasks(book.sessions, book.events)[
        ("diabetes-app", 1)]}
    assert set(tasks) == {"5", "add-reading"}
    five = tasks["5"]
    assert dict(five.outcomes) == {"direct": 1, "indirect": 1}
    assert (five.screen_views, five.misses, five.easy.answered) == (4, 1, 2)
    assert [(p.screens, p.people) for p in five.paths] == [(("home", "week"), 2)]
    assert five.median_seconds() == 7.0
    write_report(book.sessions, book.events, tmp_path)
    assert "<b>5</b>" in (tmp_path / "report.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- privacy


def test_suppress_hides_small_groups_and_what_subtraction_would_reveal():
    def cells(*people: int) -> list[GroupCell]:
        made = []
        for answer, n in zip(("yes", "no", "rather_not_say"), people, strict=True):
            tally = Tally()
            tally.participants = {("s", i) for i in range(n)}
            made.append(GroupCell(answer, tally))
        return made

    plain = cells(20, 30, 0)
    suppress(plain, everyone=50)
    assert not any(c.hidden for c in plain)

    small = cells(20, 30, 3)
    suppress(small, everyone=53)  # 53 - 20 - 30 = the 3: so one more must go
    assert [c.why_hidden for c in small] == ["complement", "", "small"]

    covered = cells(20, 30, 3)
    suppress(covered, everyone=60)  # 3 + 7 who did not answer: 10 left out, safe
    assert [c.hidden for c in covered] == [False, False, True]

    tiny = cells(4, 2, 0)
    suppress(tiny, everyone=6)
    assert all(c.hidden for c in tiny[:2]) and not tiny[2].hidden


def _profile_book() -> Book:
    """12 people: 8 say yes to 65+, 4 say no (a small group that must never show)."""
    book = Book()
    sid = book.session()
    for person in range(1, 13):
        answer = "yes" if person <= 8 else "no"
        book.add(sid, "profile", person, question="age-65-plus", answer=answer)
        book.add(sid, "profile", person, question="smartphone-daily",
                 answer="yes" if person % 2 else "no")
        book.answer(sid, person, "home", "understood" if person % 3 else "not_understood")
        book.answer(sid, person, "week", "understood" if person <= 8 else "not_understood")
    return book


def test_profile_breakdown_hides_groups_under_five_everywhere(tmp_path):
    book = _profile_book()
    analysis = analyse(book.sessions, book.events)
    order = {d: [(r.screen_id, r.variant) for r in analysis.deck_screens(d)]
             for d in analysis.decks}
    [age, phone] = analyse_profiles(book.sessions, book.events, order)[("diabetes-app", 1)]
    assert age.question == "age-65-plus"
    by = {c.answer: c for c in age.overall}
    # "no" has 4 people: hidden; then 12 - 8 = 4 left out, so "yes" must go too
    assert by["no"].hidden and by["no"].why_hidden == "small"
    assert by["yes"].hidden and by["yes"].why_hidden == "complement"
    assert all(c.hidden for _, _, cells in age.screens for c in cells if c.people)
    by_phone = {c.answer: c for c in phone.overall}
    assert not by_phone["yes"].hidden and by_phone["yes"].people == 6
    assert (by_phone["yes"].tally.understood, by_phone["yes"].tally.answered) == (8, 12)

    write_report(book.sessions, book.events, tmp_path, posters=False)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert HIDDEN_TEXT in page
    assert "4 people" not in page and "8 people" not in page
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "profiles.csv").read_text(encoding="utf-8-sig"))))
    for row in rows:
        if row["question"] == "age-65-plus" and row["answer"] in ("yes", "no"):
            assert row["hidden"] == "True"
            assert row["people"] == row["understood"] == row["answered"] == ""


# ---------------------------------------------------------------- languages


def test_language_rates_fallbacks_and_a_translation_far_below():
    book = Book()
    sid = book.session()
    for person in range(1, 21):  # English: week understood by 18 of 20
        book.answer(sid, person, "home", "understood")
        book.answer(sid, person, "week", "understood" if person <= 18 else "not_understood")
    for person in range(21, 41):  # Punjabi: week understood by 4 of 20; home not translated
        book.answer(sid, person, "home", "understood", language="en-GB")
        book.answer(sid, person, "week", "understood" if person <= 24 else "not_understood",
                    language="pa")
    mains = main_languages(book.sessions, book.events, {"diabetes-app": "en-GB"})
    chosen = chosen_languages(book.sessions, book.events, mains)
    assert chosen[(sid, 21)] == "pa" and chosen[(sid, 1)] == "en-GB"
    screens = {s.screen_id: s for s in
               analyse_languages(book.sessions, book.events, mains, chosen)[
                   ("diabetes-app", 1)]}
    home = {(c.chosen, c.shown): c for c in screens["home"].cells}
    assert home[("pa", "en-GB")].fell_back and home[("pa", "en-GB")].tally.answered == 20
    assert home[("en-GB", "en-GB")].tally.answered == 20  # not mixed in
    week = {c.chosen: c for c in screens["week"].cells}
    assert week["pa"].flag == "far below" and week["pa"].p_vs_main < 0.001
    assert (week["pa"].tally.understood, week["pa"].tally.answered) == (4, 20)



_LANGUAGES = (None, "", "en-GB", "pa", "ur", "pl")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(1, 4), st.sampled_from(_LANGUAGES),
                          st.sampled_from(("answer", "tap", "task_step"))), max_size=40),
       st.sampled_from(({}, {"diabetes-app": "en-GB"}, {"diabetes-app": "pa"})))
def test_each_persons_chosen_language_is_the_one_their_records_carry_most_besides_the_main(
        records, known):
    """People and records of any languages (none, empty, the main one, others; two decks,
    one of them without a known language): each person's chosen language, other than the
    main one, is the one most of their records carry (the first by name if two tie); nobody
    else is listed (they chose the main one). Counted as a designer would, by hand."""
    from collections import Counter

    from kiosk.sessions.breakdowns import _memory_store, people_languages
    from kiosk.sessions.designer_store import person_key

    decks = {0: ("diabetes-app", 1), 1: ("diabetes-app", 1), 2: ("gp-letter", 3)}
    sessions = [{"session_id": f"s{n}", "deck_id": deck, "deck_version": version}
                for n, (deck, version) in decks.items()]
    events = []
    for number, (session, participant, language, kind) in enumerate(records):
        event = {"event_id": f"e{number}", "session_id": f"s{session}", "kind": kind,
                 "seq": number, "participant": participant}
        if language is not None:
            event["language"] = language
        events.append(event)
    store = _memory_store(sessions, events)
    try:
        mains, chosen = people_languages(store, known)
        again = people_languages(store, {}, mains)  # (as the report's lists give them)
    finally:
        store.close()
    heard: dict[tuple, Counter] = {}
    for session, participant, language, _ in records:
        counts = heard.setdefault((session, participant), Counter())
        if language:
            counts[language] += 1
    for deck in {decks[session] for session, _ in heard}:
        everyone = sum((c for (s, _), c in heard.items() if decks[s] == deck), Counter())
        if deck[0] in known:
            assert mains[deck] == known[deck[0]]
        elif everyone:
            assert everyone[mains[deck]] == max(everyone.values())
    expected = {}
    for (session, participant), counts in heard.items():
        main = mains.get(decks[session])
        others = sorted((-n, language) for language, n in counts.items() if language != main)
        if others:
            expected[person_key(f"s{session}", participant)] = others[0][1]
    assert chosen == expected and again == (mains, expected)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 3), st.sampled_from(("a", "b")),
                          st.sampled_from(_LANGUAGES),
                          st.sampled_from(("understood", "not_understood", "skipped",
                                           "abandoned", None, "maybe")), st.integers(0, 2)),
                max_size=40),
       st.sampled_from(({}, {"diabetes-app": "en-GB"})))
def test_every_language_cell_is_what_counting_by_hand_gives(answers, known):
    """Answers in any languages, someone seeing a screen in two, on two decks, responses a
    kiosk never writes (none, "maybe": such a cell is listed, with nothing answered): each
    screen's cell per chosen and shown language holds the answers, replays, people and
    people who walked away that counting them by hand gives (the main language's cell is
    worked out from the screen's tally, less everyone else's)."""
    from collections import Counter

    decks = {0: ("diabetes-app", 1), 1: ("diabetes-app", 1), 2: ("diabetes-app", 1),
             3: ("gp-letter", 3)}
    sessions = [{"session_id": f"s{n}", "deck_id": deck, "deck_version": version}
                for n, (deck, version) in decks.items()]
    events = []
    for number, (session, participant, screen, language, response, replays) in enumerate(
            answers):
        event = {"event_id": f"e{number}", "session_id": f"s{session}", "kind": "answer",
                 "seq": number, "participant": participant, "screen_id": screen,
                 "variant": "", "response": response, "replays": replays}
        if language is not None:
            event["language"] = language
        events.append(event)
    mains = main_languages(sessions, events, known)
    chosen = chosen_languages(sessions, events, mains)
    found = analyse_languages(sessions, events, mains, chosen)
    expected: dict = {}
    for session, participant, screen, language, response, replays in answers:
        deck, main = decks[session], mains.get(decks[session]) or ""
        cell = expected.setdefault(deck, {}).setdefault(screen, {}).setdefault(
            (chosen[(f"s{session}", participant)], language or main),
            [Counter(), 0, set(), set()])
        cell[0][response] += 1
        cell[1] += replays
        cell[2].add((session, participant))
        if response == "abandoned":
            cell[3].add((session, participant))
    for deck, screens in expected.items():
        if len({want for cells in screens.values() for want, _ in cells}) < 2:
            assert deck not in found
            continue
        got = {s.screen_id: {(c.chosen, c.shown): c.tally for c in s.cells} for s in found[deck]}
        assert set(got) == set(screens)
        for screen, cells in screens.items():
            assert set(got[screen]) == set(cells)
            for key, (responses, replays, people, left) in cells.items():
                tally = got[screen][key]
                assert (tally.understood, tally.not_understood, tally.skipped, tally.abandoned,
                        tally.replays, tally.people, tally.people_who_left) == (
                    responses["understood"], responses["not_understood"], responses["skipped"],
                    responses["abandoned"], replays, len(people), len(left))


def test_report_page_shows_languages_and_fallback(tmp_path):
    book = Book()
    sid = book.session()
    for person in range(1, 8):
        book.answer(sid, person, "home", "understood")
    for person in range(8, 15):
        book.answer(sid, person, "home", "understood", language="en-GB")
        book.answer(sid, person, "week", "understood", language="pa")
    for person in range(15, 17):  # two Polish speakers: too few to show
        book.answer(sid, person, "home", "not_understood", language="pl")
    write_report(book.sessions, book.events, tmp_path, [PROTOTYPES], posters=False)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "By language" in page
    assert "has no Punjabi (pa) translation" in page or "has no 'pa' translation" in page
    assert HIDDEN_TEXT in page  # the Polish pair
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "languages.csv").read_text(encoding="utf-8-sig"))))
    polish = [r for r in rows if r["chosen_language"] == "pl"]
    assert polish and all(r["hidden"] == "True" and r["answered"] == "" for r in polish)


# ---------------------------------------------------------------- heat maps


def test_heat_map_is_drawn_over_the_deck_picture_and_on_a_plain_canvas():
    book = Book()
    sid = book.session()
    book.add(sid, "tap", 1, screen_id="home", x=700.0, y=540.0, hotspot="Add a reading",
             goto="log-reading")
    book.add(sid, "miss", 2, screen_id="home", x=750.0, y=330.0, hotspot=None, goto=None)
    book.add(sid, "miss", 3, screen_id="home", x=None, y=None, hotspot=None, goto=None)
    book.add(sid, "tap", 4, screen_id="home", x=720.0, y=550.0, hotspot="Add a reading",
             goto="log-reading", task="add-reading")
    taps = collect_taps(book.sessions, book.events)[("diabetes-app", 1, "home")]
    assert (len(taps.hits), len(taps.misses), taps.off_image) == (2, 1, 1)
    rects = [((542, 490, 416, 100), "Add a reading")]
    over = draw_heatmap(taps, PROTOTYPES / "diabetes-app" / "screens" / "home.png", rects)
    plain = draw_heatmap(taps, None, rects)
    assert over.width <= 520 and over.height <= 620 and plain.width > 0
    # the miss is drawn in red where it fell; nothing is drawn far from any press
    assert over.getextrema() != plain.getextrema()


@pytest.mark.parametrize("x", [math.inf, -math.inf, math.nan, 1e308, -1e308, 2**70, 100_001])
def test_a_press_at_no_place_on_any_picture_is_counted_off_it_and_the_report_is_written(
        tmp_path, x):
    """A hand-made or damaged bundle can put a press at infinity (JSON's Infinity), NaN or
    a number past any picture: the report stopped with an OverflowError, or would have
    made a canvas of gigabytes. Such a press is counted as off the picture."""
    book = Book()
    sid = book.session()
    book.add(sid, "answer", 1, screen_id="home", response="understood")
    book.add(sid, "tap", 2, screen_id="home", x=x, y=40.0, hotspot="Add a reading")
    book.add(sid, "miss", 3, screen_id="home", x=30.0, y=x, hotspot=None)
    book.add(sid, "miss", 4, screen_id="home", x=30.0, y=50.0, hotspot=None)
    taps = collect_taps(book.sessions, book.events)[("diabetes-app", 1, "home")]
    assert (len(taps.hits), len(taps.misses), taps.off_image) == (0, 1, 2)
    write_report(book.sessions, book.events, tmp_path / "report", posters=False)
    assert "Where people pressed" in (tmp_path / "report" / "report.html").read_text()


def test_a_plain_canvas_for_presses_far_out_is_never_made_full_size():
    """Where the deck's picture is not on this computer, the canvas is as big as the
    farthest press: at 99,999 pixels that would be 30 GB drawn full size. It is made at the
    size shown (a plain colour shrinks to the same colour)."""
    from PIL import Image

    from kiosk.sessions.heatmap import PLAIN, WIDTH

    taps = ScreenTaps("d", 1, "s", hits=[(99_999.0, 99_999.0)], misses=[(10.0, 10.0)])
    picture = draw_heatmap(taps, None, [])
    assert picture.size == (WIDTH, WIDTH)  # (square: as far down as across)
    faded = Image.blend(Image.new("RGB", (1, 1), PLAIN), Image.new("RGB", (1, 1), "white"),
                        0.45).getpixel((0, 0))
    assert picture.getpixel((WIDTH // 2, WIDTH // 2)) == faded  # far from both presses
    assert picture.getpixel((WIDTH - 26, WIDTH - 26)) != faded  # the far press, drawn


def test_crop_never_cuts_off_a_tap():
    from PIL import Image

    from kiosk.sessions.heatmap import _crop_box

    picture = Image.new("RGB", (1500, 900), (230, 236, 242))
    picture.paste((255, 255, 255), (600, 100, 900, 800))  # the "phone"
    taps = ScreenTaps("d", 1, "s", hits=[(650.0, 200.0)], misses=[(100.0, 850.0)])
    left, top, right, bottom = _crop_box(picture, taps, [])
    assert left <= 100 and bottom >= 850 and right >= 900 and top <= 100


def test_full_report_with_tasks_heat_maps_and_deck_pictures(tmp_path):
    book = Book()
    sid = book.session()
    for person in range(1, 7):
        book.answer(sid, person, "home", "understood")
        book.task(sid, person, "add-reading", ["home", "log-reading", "saved"], "direct", 9.0,
                  misses=1)
    files = write_report(book.sessions, book.events, tmp_path, [PROTOTYPES], posters=False)
    names = {p.name for p in files}
    assert {"tasks.csv", "task_paths.csv"} <= names
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Where people pressed" in page and "Paths for" in page
    assert "home → log-reading → saved" in page
    assert page.count("data:image/png;base64,") >= 2  # 2 heat maps
    assert "aria-label=\"path diagram for add-reading\"" in page  # and SVG charts
    assert "<script" not in page
    paths = list(csv.DictReader(io.StringIO(
        (tmp_path / "task_paths.csv").read_text(encoding="utf-8-sig"))))
    assert paths[0]["path"] == "home > log-reading > saved" and paths[0]["people"] == "6"
