"""Names of languages: each in its own language (spoken to participants) and in English.

Participants choose a language without reading, so the kiosk says each language's name in
that language ("ਪੰਜਾਬੀ", "Polski"). A deck may give names in ``[language_names]``; these are
the defaults, for the languages most spoken at community venues in the West Midlands, so a
designer need not look them up. Facilitators and designers get English names in messages.
"""

from __future__ import annotations

# Each language's own name for itself (an endonym), keyed by lower-case primary subtag.
NATIVE_NAMES: dict[str, str] = {
    "en": "English",
    "pa": "ਪੰਜਾਬੀ",
    "ur": "اردو",
    "pl": "Polski",
    "bn": "বাংলা",
    "gu": "ગુજરાતી",
    "hi": "हिन्दी",
    "ar": "العربية",
    "ro": "Română",
    "so": "Soomaali",
    "ta": "தமிழ்",
    "cy": "Cymraeg",
    "fa": "فارسی",
    "ps": "پښتو",
    "ku": "Kurdî",
    "ti": "ትግርኛ",
    "pt": "Português",
    "lt": "Lietuvių",
    "cs": "Čeština",
    "sk": "Slovenčina",
    "es": "Español",
    "fr": "Français",
    "zh": "中文",
}

# The same languages named in English, for facilitators' and designers' messages.
ENGLISH_NAMES: dict[str, str] = {
    "en": "English",
    "pa": "Punjabi",
    "ur": "Urdu",
    "pl": "Polish",
    "bn": "Bengali",
    "gu": "Gujarati",
    "hi": "Hindi",
    "ar": "Arabic",
    "ro": "Romanian",
    "so": "Somali",
    "ta": "Tamil",
    "cy": "Welsh",
    "fa": "Persian (Farsi)",
    "ps": "Pashto",
    "ku": "Kurdish",
    "ti": "Tigrinya",
    "pt": "Portuguese",
    "lt": "Lithuanian",
    "cs": "Czech",
    "sk": "Slovak",
    "es": "Spanish",
    "fr": "French",
    "zh": "Chinese",
}


def _primary(tag: str) -> str:
    return tag.strip().lower().replace("_", "-").split("-")[0]


def native_name(tag: str) -> str | None:
    """The built-in name of a language in itself ('pa-IN' -> 'ਪੰਜਾਬੀ'), or None if unknown."""
    return NATIVE_NAMES.get(_primary(tag))


def english_name(tag: str) -> str:
    """A language as a message names it: 'Punjabi' for 'pa', the tag itself when unknown."""
    return ENGLISH_NAMES.get(_primary(tag), f"the language '{tag}'")


def described(tag: str) -> str:
    """'Punjabi (pa)': the English name with the code a designer typed."""
    name = ENGLISH_NAMES.get(_primary(tag))
    return f"{name} ({tag})" if name else f"'{tag}'"
