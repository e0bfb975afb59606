"""``[[task]]``: something to do by tapping, checked to be doable through the hotspots."""

from __future__ import annotations

from collections import deque
from typing import Any

from kiosk.decks.fields import Problems, array_tables, quoted, safe_id, text_field
from kiosk.decks.languages import described
from kiosk.decks.model import (
    Task,
)
from kiosk.decks.translations import translation_tables, unknown_keys

TASK_TRANSLATION_KEYS = ("instruction", "ask")


DEFAULT_TASK_ASK = "Was that easy to do?"


MAX_TASKS = 50


TASKS_AT = 10_000  # where task problems sort: after the deck (0) and its screens (1..)


def read_tasks(
    raw: Any, links: dict[str, list[str]], main: str | None, problems: Problems
) -> tuple[Task, ...]:
    """``[[task]]``: something to do by tapping, checked to be doable through the hotspots."""
    tables = array_tables(raw, "task", TASKS_AT, problems)
    if len(tables) > MAX_TASKS:
        problems.add(TASKS_AT, f"the deck has {len(tables)} tasks; the most it may have is "
                     f"{MAX_TASKS}")
        tables = tables[:MAX_TASKS]
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for number, table in enumerate(tables, start=1):
        at = TASKS_AT + number
        label, task_id = safe_id(
            table.get("id"), "task", "add-reading", at, seen, number, problems
        )
        instruction = ""
        if table.get("instruction") is None:
            problems.add(
                at,
                f"{label}: instruction is missing: add the words read aloud to set the task, "
                "such as \"Find where to change your appointment\"",
            )
        else:
            instruction = text_field(table, "instruction", problems, at, f"{label}: ",
                                     required=True)
        ask = (text_field(table, "ask", problems, at, f"{label}: ", required=False)
               or DEFAULT_TASK_ASK)
        start = None
        if table.get("start") is None:
            problems.add(at, f"{label}: start is missing: name the screen the task starts on")
        else:
            found = _screen_ids(table["start"], "start", label, at, links, problems)
            if found and len(found) != 1:
                problems.add(at, f"{label}: start must be one screen id, not a list")
            elif found:
                start = found[0]
        done = None
        if table.get("done") is None:
            problems.add(
                at, f"{label}: done is missing: name the screen (or screens) that mean it is done"
            )
        else:
            done = _screen_ids(table["done"], "done", label, at, links, problems)
        path: tuple[str, ...] = ()
        if table.get("path") is not None:
            path = _screen_ids(table["path"], "path", label, at, links, problems) or ()
            if isinstance(table["path"], list) and len(path) != len(table["path"]):
                path = ()  # a path with a missing screen cannot be followed: already said
        if start and done:
            _check_task_route(label, start, done, path, links, at, problems)
        translations = {}
        for language, t in translation_tables(
            table.get("translations"), "task", label, at, main, problems
        ):
            where = f"{label}: the {described(language)} translation"
            unknown_keys(t, TASK_TRANSLATION_KEYS, where, at, problems)
            words = {
                key: text
                for key in TASK_TRANSLATION_KEYS
                if (text := text_field(t, key, problems, at, f"{where}: ", required=False))
            }
            translations[language] = words
        if task_id and instruction and start and done:
            tasks.append(Task(task_id, instruction, start, done, path, ask, translations))
    return tuple(tasks)


def _screen_ids(
    value: Any, field_name: str, label: str, at: int, links: dict[str, list[str]],
    problems: Problems,
) -> tuple[str, ...] | None:  # fmt: skip
    """One screen id or a list of them, each naming a screen of this deck."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        problems.add(
            at,
            f'{label}: {field_name} {quoted(value)} must be a screen id in quotes, or a list '
            'of them such as ["saved", "week"]',
        )
        return None
    for screen_id in values:
        if screen_id not in links:
            problems.add(at, f"{label}: {field_name} '{screen_id}' is not a screen in this deck")
    return tuple(v for v in values if v in links)  # the good ones, so later checks still run


def _reachable(start: str, links: dict[str, list[str]]) -> set[str]:
    """Every screen a participant can reach from ``start`` by tapping hotspots."""
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in links.get(queue.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _check_task_route(
    label: str, start: str, done: tuple[str, ...], path: tuple[str, ...],
    links: dict[str, list[str]], at: int, problems: Problems,
) -> None:  # fmt: skip
    """The task must be doable: its done screens reachable, its path really tappable."""
    if start in done:
        problems.add(
            at, f"{label}: start '{start}' is also a done screen, so it would be done at once"
        )
    reachable = _reachable(start, links)
    for target in done:
        if target not in reachable:
            problems.add(
                at,
                f"{label}: the done screen '{target}' cannot be reached from the start screen "
                f"'{start}' by tapping hotspots, so nobody could finish the task: add a "
                "hotspot that leads there, or change start or done",
            )
    if not path:
        return
    if len(path) < 2:
        problems.add(at, f"{label}: path must list at least two screens, start to done")
        return
    if path[0] != start:
        problems.add(at, f"{label}: path must begin with the start screen '{start}'")
    if path[-1] not in done:
        problems.add(at, f"{label}: path must end on a done screen ({', '.join(done)})")
    for here, there in zip(path, path[1:], strict=False):
        if there not in links.get(here, []):
            leads = ", ".join(dict.fromkeys(links.get(here, []))) or "nowhere: it has none"
            problems.add(
                at,
                f"{label}: path goes from '{here}' to '{there}', but no hotspot on '{here}' "
                f"leads to '{there}' (its hotspots lead to {leads})",
            )
