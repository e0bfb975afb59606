"""Everything the kiosk itself says and shows to participants, per language, in one place.

Short sentences, one idea each, as Easy Read asks; each is spoken as well as shown. A language
without its own words here falls back to English. The Punjabi, Urdu and Polish words are drafts
written for this project: have a fluent reader check them before a real session (and send a
fix). The facilitator menu is English only.
"""

from __future__ import annotations

from dataclasses import dataclass

KIOSK_LANGUAGE = "en-GB"

# Facilitator-facing words (English only).
NOT_READY_TITLE = "Not ready yet"
NOT_READY_LINES = ("A helper will set this up soon.",)
MENU_TITLE = "Facilitator menu"
MENU_HELP = "Red: next option.  Green: choose."
CONFIRM_TITLE = "Are you sure?"
CONFIRM_HELP = "Green: yes.  Red: no, go back."
WORKING_TITLE = "One moment"
PIN_TITLE = "Facilitator code"
PIN_HELP = "Press the code with the red and green buttons."

GREEN, RED = "yes", "no"  # the symbol drawn beside a line about a button


@dataclass(frozen=True)
class Words:
    """The participant-facing words in one language."""

    language: str
    welcome_title: str
    welcome_lines: tuple[str, ...]
    how_title: str
    how_lines: tuple[tuple[str | None, str], ...]  # (button symbol or None, words)
    how_spoken: str
    how_buttons: tuple[str, str]
    still_there_title: str
    still_there_lines: tuple[str, ...]
    thanks_title: str
    thanks_lines: tuple[str, ...]
    choose_language: str  # said after a language's name, in that language
    choose_buttons: tuple[str, str]
    profile_title: str
    profile_lines: tuple[str, ...]
    profile_buttons: tuple[str, str]  # answering one question
    profile_skip_hint: str
    task_title: str
    task_buttons: tuple[str, str]
    stuck_hint: str
    task_done: str
    easy_ask: str

    def spoken(self, title: str, lines: tuple[str, ...]) -> str:
        return " ".join((title, *lines))

    @property
    def welcome_spoken(self) -> str:
        return self.spoken(self.welcome_title, self.welcome_lines)

    @property
    def still_there_spoken(self) -> str:
        return self.spoken(self.still_there_title, self.still_there_lines)

    @property
    def thanks_spoken(self) -> str:
        return self.spoken(self.thanks_title, self.thanks_lines)

    @property
    def profile_spoken(self) -> str:
        return self.spoken(self.profile_title, self.profile_lines)

    def all_spoken(self) -> tuple[str, ...]:
        """Every fixed sentence, for rendering the narration ahead."""
        return (self.welcome_spoken, self.how_spoken, self.still_there_spoken,
                self.thanks_spoken, self.profile_spoken, self.stuck_hint, self.task_done,
                self.easy_ask, self.profile_skip_hint)


ENGLISH = Words(
    language="en-GB",
    welcome_title="Hello!",
    welcome_lines=("We would like to know if our letters and apps are easy to understand.",
                   "Press the green button to start."),
    how_title="How it works",
    how_lines=((None, "Each screen is read out loud."),
               (GREEN, "Green button: I understand."),
               (RED, "Red button: I don't understand."),
               (None, "We do not record your name.")),
    how_spoken=("Here is how it works. You will see some screens. Each one is read out loud. "
                "After each one, press the green button if you understand it. "
                "Press the red button if you do not understand it. Both answers help us. "
                "We do not record your name or anything about you. You can stop at any time. "
                "Press the green button to begin."),
    how_buttons=("Begin", "Hear again"),
    still_there_title="Are you still there?",
    still_there_lines=("Press the green button to carry on.",),
    thanks_title="Thank you!",
    thanks_lines=("Your answers will help make letters and apps easier for everyone.",),
    choose_language="Press green for English. Press red for another language.",
    choose_buttons=("Yes", "Next"),
    profile_title="A few questions about you",
    profile_lines=("These questions are optional.", "We do not ask your name.",
                   "Green: answer them. Red: skip them."),
    profile_buttons=("Yes", "No"),
    profile_skip_hint="To skip a question, just wait.",
    task_title="Your task",
    task_buttons=("Start", "Hear again"),
    stuck_hint="Tap the screen to find it. If you are stuck, press red.",
    task_done="Well done! You found it.",
    easy_ask="Was that easy to do?",
)

PUNJABI = Words(
    language="pa",
    welcome_title="ਜੀ ਆਇਆਂ ਨੂੰ!",
    welcome_lines=("ਅਸੀਂ ਜਾਣਨਾ ਚਾਹੁੰਦੇ ਹਾਂ ਕਿ ਸਾਡੀਆਂ ਚਿੱਠੀਆਂ ਅਤੇ ਐਪਾਂ ਸਮਝਣ ਵਿੱਚ ਆਸਾਨ ਹਨ ਜਾਂ ਨਹੀਂ।",
                   "ਸ਼ੁਰੂ ਕਰਨ ਲਈ ਹਰਾ ਬਟਨ ਦਬਾਓ।"),
    how_title="ਇਹ ਕਿਵੇਂ ਕੰਮ ਕਰਦਾ ਹੈ",
    how_lines=((None, "ਹਰ ਸਕਰੀਨ ਉੱਚੀ ਆਵਾਜ਼ ਵਿੱਚ ਪੜ੍ਹੀ ਜਾਂਦੀ ਹੈ।"),
               (GREEN, "ਹਰਾ ਬਟਨ: ਮੈਨੂੰ ਸਮਝ ਆ ਗਈ।"),
               (RED, "ਲਾਲ ਬਟਨ: ਮੈਨੂੰ ਸਮਝ ਨਹੀਂ ਆਈ।"),
               (None, "ਅਸੀਂ ਤੁਹਾਡਾ ਨਾਮ ਨਹੀਂ ਲਿਖਦੇ।")),
    how_spoken=("ਇਹ ਕਿਵੇਂ ਕੰਮ ਕਰਦਾ ਹੈ। ਹਰ ਸਕਰੀਨ ਉੱਚੀ ਆਵਾਜ਼ ਵਿੱਚ ਪੜ੍ਹੀ ਜਾਂਦੀ ਹੈ। "
                "ਜੇ ਤੁਹਾਨੂੰ ਸਮਝ ਆ ਗਈ, ਤਾਂ ਹਰਾ ਬਟਨ ਦਬਾਓ। ਜੇ ਸਮਝ ਨਹੀਂ ਆਈ, ਤਾਂ ਲਾਲ ਬਟਨ ਦਬਾਓ। "
                "ਦੋਵੇਂ ਜਵਾਬ ਸਾਡੀ ਮਦਦ ਕਰਦੇ ਹਨ। ਅਸੀਂ ਤੁਹਾਡਾ ਨਾਮ ਨਹੀਂ ਲਿਖਦੇ। "
                "ਤੁਸੀਂ ਕਦੇ ਵੀ ਰੁਕ ਸਕਦੇ ਹੋ। ਸ਼ੁਰੂ ਕਰਨ ਲਈ ਹਰਾ ਬਟਨ ਦਬਾਓ।"),
    how_buttons=("ਸ਼ੁਰੂ ਕਰੋ", "ਦੁਬਾਰਾ ਸੁਣੋ"),
    still_there_title="ਕੀ ਤੁਸੀਂ ਅਜੇ ਵੀ ਇੱਥੇ ਹੋ?",
    still_there_lines=("ਜਾਰੀ ਰੱਖਣ ਲਈ ਹਰਾ ਬਟਨ ਦਬਾਓ।",),
    thanks_title="ਧੰਨਵਾਦ!",
    thanks_lines=("ਤੁਹਾਡੇ ਜਵਾਬ ਚਿੱਠੀਆਂ ਅਤੇ ਐਪਾਂ ਨੂੰ ਸਾਰਿਆਂ ਲਈ ਆਸਾਨ ਬਣਾਉਣ ਵਿੱਚ ਮਦਦ ਕਰਨਗੇ।",),
    choose_language="ਪੰਜਾਬੀ ਲਈ ਹਰਾ ਬਟਨ ਦਬਾਓ। ਕਿਸੇ ਹੋਰ ਭਾਸ਼ਾ ਲਈ ਲਾਲ ਬਟਨ ਦਬਾਓ।",
    choose_buttons=("ਹਾਂ", "ਅਗਲੀ"),
    profile_title="ਤੁਹਾਡੇ ਬਾਰੇ ਕੁਝ ਸਵਾਲ",
    profile_lines=("ਇਹ ਸਵਾਲ ਲਾਜ਼ਮੀ ਨਹੀਂ ਹਨ।", "ਅਸੀਂ ਤੁਹਾਡਾ ਨਾਮ ਨਹੀਂ ਪੁੱਛਦੇ।",
                   "ਜਵਾਬ ਦੇਣ ਲਈ ਹਰਾ ਦਬਾਓ। ਛੱਡਣ ਲਈ ਲਾਲ ਦਬਾਓ।"),
    profile_buttons=("ਹਾਂ", "ਨਹੀਂ"),
    profile_skip_hint="ਕੋਈ ਸਵਾਲ ਛੱਡਣ ਲਈ, ਬੱਸ ਉਡੀਕ ਕਰੋ।",
    task_title="ਤੁਹਾਡਾ ਕੰਮ",
    task_buttons=("ਸ਼ੁਰੂ ਕਰੋ", "ਦੁਬਾਰਾ ਸੁਣੋ"),
    stuck_hint="ਲੱਭਣ ਲਈ ਸਕਰੀਨ ਨੂੰ ਛੂਹੋ। ਜੇ ਤੁਸੀਂ ਫਸ ਗਏ ਹੋ, ਤਾਂ ਲਾਲ ਬਟਨ ਦਬਾਓ।",
    task_done="ਸ਼ਾਬਾਸ਼! ਤੁਸੀਂ ਲੱਭ ਲਿਆ।",
    easy_ask="ਕੀ ਇਹ ਕਰਨਾ ਆਸਾਨ ਸੀ?",
)

URDU = Words(
    language="ur",
    welcome_title="خوش آمدید!",
    welcome_lines=("ہم جاننا چاہتے ہیں کہ ہمارے خط اور ایپس سمجھنے میں آسان ہیں یا نہیں۔",
                   "شروع کرنے کے لیے سبز بٹن دبائیں۔"),
    how_title="یہ کیسے کام کرتا ہے",
    how_lines=((None, "ہر اسکرین بلند آواز میں پڑھی جاتی ہے۔"),
               (GREEN, "سبز بٹن: مجھے سمجھ آ گئی۔"),
               (RED, "سرخ بٹن: مجھے سمجھ نہیں آئی۔"),
               (None, "ہم آپ کا نام نہیں لکھتے۔")),
    how_spoken=("یہ کیسے کام کرتا ہے۔ ہر اسکرین بلند آواز میں پڑھی جاتی ہے۔ "
                "اگر آپ کو سمجھ آ گئی تو سبز بٹن دبائیں۔ اگر سمجھ نہیں آئی تو سرخ بٹن دبائیں۔ "
                "دونوں جواب ہماری مدد کرتے ہیں۔ ہم آپ کا نام نہیں لکھتے۔ "
                "آپ کسی بھی وقت رک سکتے ہیں۔ شروع کرنے کے لیے سبز بٹن دبائیں۔"),
    how_buttons=("شروع کریں", "دوبارہ سنیں"),
    still_there_title="کیا آپ ابھی بھی یہاں ہیں؟",
    still_there_lines=("جاری رکھنے کے لیے سبز بٹن دبائیں۔",),
    thanks_title="شکریہ!",
    thanks_lines=("آپ کے جوابات خطوں اور ایپس کو سب کے لیے آسان بنانے میں مدد کریں گے۔",),
    choose_language="اردو کے لیے سبز بٹن دبائیں۔ کسی اور زبان کے لیے سرخ بٹن دبائیں۔",
    choose_buttons=("ہاں", "اگلی"),
    profile_title="آپ کے بارے میں چند سوالات",
    profile_lines=("یہ سوالات اختیاری ہیں۔", "ہم آپ کا نام نہیں پوچھتے۔",
                   "جواب دینے کے لیے سبز دبائیں۔ چھوڑنے کے لیے سرخ دبائیں۔"),
    profile_buttons=("ہاں", "نہیں"),
    profile_skip_hint="کوئی سوال چھوڑنے کے لیے، بس انتظار کریں۔",
    task_title="آپ کا کام",
    task_buttons=("شروع کریں", "دوبارہ سنیں"),
    stuck_hint="ڈھونڈنے کے لیے اسکرین کو چھوئیں۔ اگر آپ پھنس گئے ہیں تو سرخ بٹن دبائیں۔",
    task_done="بہت خوب! آپ نے ڈھونڈ لیا۔",
    easy_ask="کیا یہ کرنا آسان تھا؟",
)

POLISH = Words(
    language="pl",
    welcome_title="Dzień dobry!",
    welcome_lines=("Chcemy wiedzieć, czy nasze listy i aplikacje są łatwe do zrozumienia.",
                   "Naciśnij zielony przycisk, aby zacząć."),
    how_title="Jak to działa",
    how_lines=((None, "Każdy ekran jest czytany na głos."),
               (GREEN, "Zielony przycisk: rozumiem."),
               (RED, "Czerwony przycisk: nie rozumiem."),
               (None, "Nie zapisujemy Twojego imienia.")),
    how_spoken=("Oto jak to działa. Każdy ekran jest czytany na głos. "
                "Jeśli rozumiesz, naciśnij zielony przycisk. "
                "Jeśli nie rozumiesz, naciśnij czerwony przycisk. Obie odpowiedzi nam pomagają. "
                "Nie zapisujemy Twojego imienia. Możesz przerwać w każdej chwili. "
                "Naciśnij zielony przycisk, aby zacząć."),
    how_buttons=("Zacznij", "Posłuchaj"),
    still_there_title="Czy nadal tu jesteś?",
    still_there_lines=("Naciśnij zielony przycisk, aby kontynuować.",),
    thanks_title="Dziękujemy!",
    thanks_lines=("Twoje odpowiedzi pomogą uprościć listy i aplikacje dla wszystkich.",),
    choose_language="Polski: naciśnij zielony. Inny język: naciśnij czerwony.",
    choose_buttons=("Tak", "Dalej"),
    profile_title="Kilka pytań o Ciebie",
    profile_lines=("Te pytania są dobrowolne.", "Nie pytamy o imię.",
                   "Zielony: odpowiem. Czerwony: pomiń."),
    profile_buttons=("Tak", "Nie"),
    profile_skip_hint="Aby pominąć pytanie, po prostu poczekaj.",
    task_title="Twoje zadanie",
    task_buttons=("Zacznij", "Posłuchaj"),
    stuck_hint="Dotknij ekranu, aby to znaleźć. Jeśli utkniesz, naciśnij czerwony.",
    task_done="Brawo! Udało się.",
    easy_ask="Czy to było łatwe?",
)

WORDS = {words.language: words for words in (ENGLISH, PUNJABI, URDU, POLISH)}
LANGUAGE_NAMES = {"en": "English", "pa": "ਪੰਜਾਬੀ", "ur": "اردو", "pl": "Polski",
                  "bn": "বাংলা", "gu": "ગુજરાતી"}


def primary(language: str) -> str:
    return language.split("-")[0].lower()


def words_for(language: str) -> Words:
    """The participant words for a language: exact tag, then its main part, else English."""
    return WORDS.get(language) or next(
        (w for w in WORDS.values() if primary(w.language) == primary(language)), ENGLISH)


def language_name(language: str, names: dict[str, str] | None = None) -> str:
    """A language's name in that language, as the participant hears it when choosing."""
    names = names or {}
    return (names.get(language) or names.get(primary(language))
            or LANGUAGE_NAMES.get(primary(language)) or language)


def all_kiosk_phrases() -> list[tuple[str, str]]:
    """(text, language) for every fixed sentence in every language, to narrate ahead."""
    return [(text, words.language) for words in WORDS.values() for text in words.all_spoken()]
