"""Decks: the format, reading and checking, the installed library, narration made ahead.

Nothing here imports pygame or gpiozero.
"""
