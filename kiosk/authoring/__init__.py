"""Tools for designers who make decks: a deck from a PDF or a Figma export, a hotspot editor,
and Easy Read / GOV.UK wording checks. None of this runs on the kiosk during a session."""
