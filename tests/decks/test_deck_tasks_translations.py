"""Issue 6's deck format: translations side by side, tasks, profile questions, language names.

Real decks on disk (real pictures, real TOML), read by the real reader; narration through the
real espeak-ng, including its Punjabi voice.
"""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from deck_helpers import GOOD_TOML, make_deck

from kiosk.decks.library import INSTALLED, DeckLibrary, check_path
from kiosk.decks.narration import narration_plan
from kiosk.decks.reader import deck_notes, read_deck
from kiosk.errors import DeckProblems

REPO = Path(__file__).resolve().parents[2]

APP_TOML = """\
id = "clinic-app"
title = "Clinic app"
version = 1
language = "en-GB"

[translations.pa]
ask = "ਕੀ ਤੁਹਾਨੂੰ ਇਹ ਸਮਝ ਆਈ?"

[[screen]]
id = "home"
image = "screens/home.png"
say = "This is the home screen."
ask = "Do you know where to go?"

[screen.translations.pa]
say = "ਇਹ ਘਰ ਵਾਲੀ ਸਕਰੀਨ ਹੈ।"
ask = "ਕੀ ਤੁਹਾਨੂੰ ਪਤਾ ਹੈ ਕਿ ਕਿੱਥੇ ਜਾਣਾ ਹੈ?"
image = "screens/pa/home.png"

[[screen.hotspot]]
rect = [10, 10, 100, 50]
goto = "appointments"
label = "Appointments"

[[screen.hotspot]]
rect = [10, 100, 100, 50]
goto = "help"
label = "Help"

[[screen]]
id = "appointments"
image = "screens/appointments.png"
say = "Your appointments."

[screen.translations.pa]
say = "ਤੁਹਾਡੀਆਂ ਅਪੌਇੰਟਮੈਂਟਾਂ।"

[[screen.hotspot]]
rect = [10, 10, 100, 50]
goto = "change"
label = "Change"

[[screen]]
id = "change"
image = "screens/change.png"
say = "Change your appointment here."

[screen.translations.pa]
image = "screens/pa/change.png"

[[screen.hotspot]]
rect = [10, 10, 100, 50]
goto = "home"
label = "Home"

[[screen]]
id = "help"
image = "screens/help.png"
say = "Help."

[[task]]
id = "change-appointment"
instruction = "Find where to change your appointment."
start = "home"
done = ["change"]
path = ["home", "appointments", "change"]

[task.translations.pa]
instruction = "ਲੱਭੋ ਕਿ ਆਪਣੀ ਅਪੌਇੰਟਮੈਂਟ ਕਿੱਥੇ ਬਦਲਣੀ ਹੈ।"
ask = "ਕੀ ਇਹ ਕਰਨਾ ਆਸਾਨ ਸੀ?"

[[task]]
id = "find-help"
instruction = "Find the help page."
start = "home"
done = "help"
ask = "Was it easy to find?"

[[profile]]
id = "age-65-plus"
question = "Are you 65 or older?"

[profile.translations.pa]
question = "ਕੀ ਤੁਹਾਡੀ ਉਮਰ 65 ਸਾਲ ਜਾਂ ਇਸ ਤੋਂ ਵੱਧ ਹੈ?"

[[profile]]
id = "smartphone-most-days"
question = "Do you use a smartphone most days?"
"""

APP_IMAGES = {
    f"screens/{name}.png": (400, 300)
    for name in ("home", "appointments", "change", "help", "pa/home", "pa/change")
}


def app_deck(folder: Path, toml: str = APP_TOML, images: dict | None = None) -> Path:
    return make_deck(folder, toml, APP_IMAGES if images is None else images)


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(DeckProblems) as caught:
        read_deck(folder)
    return caught.value.problems


def replace_in(toml: str, old: str, new: str) -> str:
    assert old in toml, old
    return toml.replace(old, new, 1)


# ------------------------------------------------------------------------- accepted


def test_an_old_deck_is_still_good_and_has_nothing_new(good_deck):
    deck = read_deck(good_deck)
    assert deck.tasks == () and deck.profile == ()
    assert all(screen.translations == {} for screen in deck.screens)
    assert deck.languages == ("en-GB",)
    assert deck.language_names == {"en-GB": "English"}
    assert deck_notes(deck) == []
    assert "made_by" in deck.extra and "task" not in deck.extra


def test_translations_tasks_and_profile_are_read(tmp_path):
    deck = read_deck(app_deck(tmp_path / "app"))
    assert deck.languages == ("en-GB", "pa")
    assert deck.language_names == {"en-GB": "English", "pa": "ਪੰਜਾਬੀ"}
    assert not {"task", "profile", "translations", "language_names"} & set(deck.extra)

    home = deck.screen("home").translations["pa"]
    assert home.say == "ਇਹ ਘਰ ਵਾਲੀ ਸਕਰੀਨ ਹੈ।"
    assert home.ask == "ਕੀ ਤੁਹਾਨੂੰ ਪਤਾ ਹੈ ਕਿ ਕਿੱਥੇ ਜਾਣਾ ਹੈ?"
    assert home.image == "screens/pa/home.png" and home.audio is None
    # no ask of its own: the deck's [translations.pa] ask, not the English question
    assert deck.screen("appointments").translations["pa"].ask == "ਕੀ ਤੁਹਾਨੂੰ ਇਹ ਸਮਝ ਆਈ?"

    change, find = deck.tasks
    assert (change.id, change.start, change.done) == ("change-appointment", "home", ("change",))
    assert change.path == ("home", "appointments", "change")
    assert change.ask == "Was that easy to do?"  # the default
    assert change.translations == {
        "pa": {"instruction": "ਲੱਭੋ ਕਿ ਆਪਣੀ ਅਪੌਇੰਟਮੈਂਟ ਕਿੱਥੇ ਬਦਲਣੀ ਹੈ।", "ask": "ਕੀ ਇਹ ਕਰਨਾ ਆਸਾਨ ਸੀ?"}
    }
    assert (find.done, find.path, find.ask) == (("help",), (), "Was it easy to find?")

    age, phone = deck.profile
    assert age.id == "age-65-plus"
    assert age.translations == {"pa": "ਕੀ ਤੁਹਾਡੀ ਉਮਰ 65 ਸਾਲ ਜਾਂ ਇਸ ਤੋਂ ਵੱਧ ਹੈ?"}
    assert phone.translations == {}


def test_a_translation_without_say_falls_back_with_a_note(tmp_path):
    deck = read_deck(app_deck(tmp_path / "app"))
    change = deck.screen("change")
    assert change.translations["pa"].say is None
    shown, fell_back = change.in_language("pa", deck.language)
    assert fell_back and shown.say == "Change your appointment here."
    assert shown.image == "screens/pa/change.png"  # the Punjabi picture is still used
    home, fell_back = deck.screen("home").in_language("pa", deck.language)
    assert not fell_back and home.say == "ਇਹ ਘਰ ਵਾਲੀ ਸਕਰੀਨ ਹੈ।"

    notes = deck_notes(deck)
    assert notes == [
        "Punjabi (pa): 1 screen of 4 has no translation and is shown and read in English "
        "(en-GB) (help)",
        "Punjabi (pa): the translation of 1 screen has no say, so its words are read in "
        "English (en-GB) (change)",
        "Punjabi (pa): the instruction of 1 task is read in English (en-GB) (find-help)",
        "Punjabi (pa): the ask of 1 task is read in English (en-GB) (find-help)",
        "Punjabi (pa): 1 profile question is asked in English (en-GB) (smartphone-most-days)",
    ]
    (result,) = check_path(tmp_path / "app")
    assert result.ok and result.notes == tuple(notes)


def test_language_names_defaults_and_the_decks_own(tmp_path):
    toml = replace_in(APP_TOML, 'say = "Help."', (
        'say = "Help."\n[screen.translations.so]\nsay = "Caawimaad."\n'
        '[screen.translations.xx-test]\nsay = "Help in a test language."\n'
        '[screen.translations.ur]\nsay = "مدد۔"'
    ))
    toml += '\n[language_names]\nso = "Af-Soomaali"\n'
    deck = read_deck(app_deck(tmp_path / "app", toml))
    assert deck.languages == ("en-GB", "pa", "so", "xx-test", "ur")
    assert deck.language_names == {
        "en-GB": "English", "pa": "ਪੰਜਾਬੀ", "so": "Af-Soomaali", "ur": "اردو",
    }
    assert (
        "'xx-test' has no name to say when participants choose a language: add "
        '[language_names] with xx-test = "..." (the name written in that language)'
    ) in deck_notes(deck)


def test_a_path_is_optional_and_done_may_be_one_id(tmp_path):
    toml = replace_in(APP_TOML, 'done = ["change"]\npath = ["home", "appointments", "change"]',
                      'done = "change"')
    deck = read_deck(app_deck(tmp_path / "app", toml))
    assert deck.tasks[0].done == ("change",) and deck.tasks[0].path == ()


# -------------------------------------------------------------------------- refused


def test_every_translation_problem_at_once(tmp_path):
    toml = replace_in(APP_TOML, 'image = "screens/pa/home.png"',
                      'image = "screens/pa/home.png"\nsya = "typo"')
    toml = replace_in(toml, 'say = "Help."', (
        'say = "Help."\n'
        '[screen.translations.Punjabi]\nsay = "x"\n'
        '[screen.translations.en-GB]\nsay = "Help, again."\n'
        '[screen.translations.ur]\naudio = "audio/ur.wav"\nimage = "screens/nope.png"'
    ))
    images = {**APP_IMAGES, "screens/pa/home.png": (500, 300)}
    folder = app_deck(tmp_path / "app", toml, images)
    (folder / "audio").mkdir()
    (folder / "audio" / "ur.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    assert problems_of(folder) == [
        "screen 'home': the Punjabi (pa) translation: 'sya' is not a field here (use say, ask, "
        "image, audio, parts); check the spelling",
        "screen 'home': the Punjabi (pa) translation: image 'screens/pa/home.png' is 500 x 300 "
        "pixels but the screen's own image is 400 x 300: hotspots are measured on the screen's "
        "own image, so a translated picture must be exactly the same size",
        "screen 'help': translation: 'Punjabi' is not a language code: use a code such as "
        "'en-GB' (English), 'pa' (Punjabi), 'ur' (Urdu) or 'pl' (Polish)",
        "screen 'help': translation: 'en-GB' is the deck's own language: its words go in the "
        "main fields, not in a translation",
        "screen 'help': the Urdu (ur) translation: image 'screens/nope.png' is not in the deck",
        "screen 'help': the Urdu (ur) translation: has audio but no say: write the words of "
        "the recording as say too (the written record of what is heard)",
    ]


def test_a_translated_picture_may_differ_in_size_when_nothing_is_clickable(tmp_path):
    toml = replace_in(APP_TOML, 'say = "Help."', (
        'say = "Help."\n'
        '[screen.translations.pa]\nimage = "screens/pa/help.png"\nsay = "ਮਦਦ।"'
    ))
    folder = app_deck(tmp_path / "app", toml, {**APP_IMAGES, "screens/pa/help.png": (600, 300)})
    assert read_deck(folder).screen("help").translations["pa"].image == "screens/pa/help.png"


def test_translations_written_with_the_wrong_brackets(tmp_path):
    toml = replace_in(APP_TOML, "[screen.translations.pa]\nsay = \"ਤੁਹਾਡੀਆਂ",
                      "[[screen.translations]]\nsay = \"ਤੁਹਾਡੀਆਂ")
    problems = problems_of(app_deck(tmp_path / "app", toml))
    assert problems == [
        "screen 'appointments': translations must be written as [screen.translations.pa] "
        "tables, one for each language (with one pair of square brackets)"
    ]


def test_an_unreachable_task_is_refused_plainly(tmp_path):
    toml = APP_TOML + (
        '\n[[task]]\nid = "go-back"\ninstruction = "Go back to the start."\n'
        'start = "help"\ndone = "home"\n'
    )
    assert problems_of(app_deck(tmp_path / "app", toml)) == [
        "task 'go-back': the done screen 'home' cannot be reached from the start screen 'help' "
        "by tapping hotspots, so nobody could finish the task: add a hotspot that leads there, "
        "or change start or done"
    ]


def test_a_reachable_done_screen_through_a_long_route_is_fine(tmp_path):
    toml = APP_TOML + (  # appointments -> change -> home -> help: found by the search
        '\n[[task]]\nid = "roundabout"\ninstruction = "Find help from appointments."\n'
        'start = "appointments"\ndone = "help"\n'
    )
    assert read_deck(app_deck(tmp_path / "app", toml)).tasks[2].id == "roundabout"


def test_every_task_problem_at_once(tmp_path):
    toml = APP_TOML + """
[[task]]
id = "Change It"
start = "home"
done = ["change", "nowhere"]
path = ["home", "change"]

[[task]]
id = "find-help"
instruction = "Twice."
start = ["home", "help"]
done = "help"

[[task]]
id = "already"
instruction = "Already there."
start = "home"
done = "home"
path = ["appointments", "change"]
"""
    assert problems_of(app_deck(tmp_path / "app", toml)) == [
        "task 3: id 'Change It' must be a short name of lower-case letters, digits and dashes, "
        "with no spaces (such as 'add-reading'): it is kept in the results, which hold names, "
        "never sentences",
        'task 3: instruction is missing: add the words read aloud to set the task, such as '
        '"Find where to change your appointment"',
        "task 3: done 'nowhere' is not a screen in this deck",
        "task 3: path goes from 'home' to 'change', but no hotspot on 'home' leads to 'change' "
        "(its hotspots lead to appointments, help)",
        "task 'find-help' appears twice (tasks 2 and 4): give each its own id",
        "task 'find-help': start must be one screen id, not a list",
        "task 'already': start 'home' is also a done screen, so it would be done at once",
        "task 'already': path must begin with the start screen 'home'",
        "task 'already': path must end on a done screen (home)",
    ]


def test_single_bracket_tasks_and_profiles_are_explained(tmp_path):
    toml = GOOD_TOML.replace("[[screen]]", "[task]\nid = \"x\"\n\n[[screen]]", 1)
    assert problems_of(make_deck(tmp_path / "d", toml)) == [
        "tasks must be written [[task]] (two square brackets), once each"
    ]


def test_a_bad_profile_id_and_too_many_questions(tmp_path):
    toml = replace_in(APP_TOML, 'id = "age-65-plus"', 'id = "Age 65+"')
    toml += "".join(
        f'\n[[profile]]\nid = "q{n}"\nquestion = "Question {n}?"\n' for n in range(1, 5)
    )
    problems = problems_of(app_deck(tmp_path / "app", toml))
    assert problems[0].startswith(
        "the deck has 6 profile questions; at most 5 are allowed. They come before the deck "
        "and are optional, so keep them few and short"
    )
    assert problems[1:] == [
        "profile question 1: id 'Age 65+' must be a short name of lower-case letters, digits "
        "and dashes, with no spaces (such as 'age-65-plus'): it is kept in the results, which "
        "hold names, never sentences",
    ]


def test_a_profile_question_needs_words_and_a_known_translation_field(tmp_path):
    toml = APP_TOML + (
        '\n[[profile]]\nid = "english-first"\n[profile.translations.pa]\nquestoin = "x"\n'
    )
    assert problems_of(app_deck(tmp_path / "app", toml)) == [
        "profile question 'english-first': question is missing: add text in quotes",
        "profile question 'english-first': the Punjabi (pa) translation: 'questoin' is not a "
        "field here (use question); check the spelling",
    ]


# -------------------------------------------------------------- narration and install


def seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as clip:
        return clip.getnframes() / clip.getframerate()


def test_translations_are_narrated_in_their_own_voice(tmp_path, library, cache):
    """Real espeak-ng: the Punjabi texts in the Punjabi voice ('inc/pa'), each its own file."""
    (result,) = library.install(app_deck(tmp_path / "app"))
    assert result.status == INSTALLED
    assert not [n for n in result.notes if "voice" in n or "could not" in n]
    deck = library.get("clinic-app")
    assert cache.voice_for("pa") == "inc/pa"

    pa_texts = [s.text for s in narration_plan(deck) if s.language == "pa"]
    assert "ਇਹ ਘਰ ਵਾਲੀ ਸਕਰੀਨ ਹੈ।" in pa_texts  # a screen
    assert "ਲੱਭੋ ਕਿ ਆਪਣੀ ਅਪੌਇੰਟਮੈਂਟ ਕਿੱਥੇ ਬਦਲਣੀ ਹੈ।" in pa_texts  # a task
    assert "ਕੀ ਤੁਹਾਡੀ ਉਮਰ 65 ਸਾਲ ਜਾਂ ਇਸ ਤੋਂ ਵੱਧ ਹੈ?" in pa_texts  # a profile question
    assert "ਪੰਜਾਬੀ" in pa_texts  # its name, in its own voice
    for text in pa_texts:
        path = cache.lookup(text, "pa")
        assert path is not None and seconds(path) > 0.2, text
    assert cache.lookup("English", "en-GB") is not None
    assert cache.lookup("Find the help page.", "en-GB") is not None
    # the same text in two voices is two files
    assert cache.lookup("ਪੰਜਾਬੀ", "pa") != cache.path_for("ਪੰਜਾਬੀ", "gmw/en")

    home = deck.screen("home")
    local = cache.for_screen(deck, home, "pa")
    assert local.say == cache.lookup("ਇਹ ਘਰ ਵਾਲੀ ਸਕਰੀਨ ਹੈ।", "pa")
    assert local.ask == cache.lookup("ਕੀ ਤੁਹਾਨੂੰ ਪਤਾ ਹੈ ਕਿ ਕਿੱਥੇ ਜਾਣਾ ਹੈ?", "pa")
    # a part the translation leaves out is read in the main language's voice
    fallback = cache.for_screen(deck, deck.screen("change"), "pa")
    assert fallback.say == cache.lookup("Change your appointment here.", "en-GB")
    assert fallback.say is not None


NO_VOICE_TOML = """\
id = "test-language"
title = "A language this kiosk has no voice for"
version = 1
language = "en-GB"

[language_names]
xx-test = "Testish"

[[screen]]
id = "s1"
image = "s1.png"
say = "Page one."

[screen.translations.xx-test]
say = "Page one, in Testish."
audio = "audio/s1.wav"

[[screen]]
id = "s2"
image = "s2.png"
say = "Page two."

[screen.translations.xx-test]
say = "Page two, in Testish."
"""


def recording(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(22050)
        clip.writeframes(b"\x00\x01" * 2205)


def test_a_language_with_no_voice_here_still_installs_with_a_note(tmp_path, library, cache):
    """Simulated with the tag 'xx-test', which the real espeak-ng on this machine lacks."""
    folder = make_deck(tmp_path / "d", NO_VOICE_TOML, {"s1.png": (320, 240), "s2.png": (320, 240)})
    recording(folder / "audio" / "s1.wav")
    (result,) = library.install(folder)
    assert result.status == INSTALLED
    assert result.notes == (
        "The language 'xx-test' has no voice here; it will be offered only for screens with "
        "recorded audio (1 of 2 screens have one)",
        "'xx-test': the question of 2 screens is asked in English (en-GB): add ask to the "
        "translation, or [translations.xx-test] ask for the whole deck (s1, s2)",
    )
    assert "Note: The language 'xx-test' has no voice here" in result.describe()
    deck = library.get("test-language")
    assert not cache.voice_available("xx-test")
    assert cache.lookup("Page one.", "en-GB") is not None  # the main language is narrated
    narration = cache.for_screen(deck, deck.screen("s1"), "xx-test")
    assert narration.say == deck.path_of("audio/s1.wav")


def test_a_punjabi_deck_on_a_kiosk_with_no_speech_says_so_for_punjabi(tmp_path, home,
                                                                       silent_cache):
    (result,) = DeckLibrary(home, silent_cache).install(app_deck(tmp_path / "app"))
    assert result.status == INSTALLED
    assert result.notes[:2] == (
        "narration is missing: there is no speech engine on this machine",
        "Punjabi has no voice here; it will be offered only for screens with recorded audio, "
        "and this deck has none in Punjabi, so it will not be offered",
    )


# ----------------------------------------------------------------- the bundled examples


def test_the_example_decks_use_tasks_translations_and_profile_questions():
    results = {r.source: r for r in check_path(REPO / "prototypes")}
    assert results["diabetes-app"].ok and results["hospital-letter"].ok, results
    app = results["diabetes-app"].deck
    assert [t.id for t in app.tasks] == ["add-reading", "low-reading", "call-nurse"]
    assert all(t.path for t in app.tasks)
    letter = results["hospital-letter"].deck
    assert letter.languages == ("en-GB", "pa")
    translated = [s.id for s in letter.screens if "pa" in s.translations]
    assert translated == ["easy-read-1", "easy-read-2", "easy-read-3", "easy-read-4"]
    assert all(letter.screen(i).translations["pa"].image for i in translated)
    assert [q.id for q in letter.profile] == [
        "english-first-language", "age-65-plus", "smartphone-most-days"
    ]
    assert all("pa" in q.translations for q in letter.profile)
    assert results["hospital-letter"].notes == (
        "Punjabi (pa): 3 screens of 7 have no translation and are shown and read in English "
        "(en-GB) (original-1, original-2, original-3)",
    )
