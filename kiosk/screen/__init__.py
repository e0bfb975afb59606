"""The screen and speaker edge: pygame drawing, touch and keyboard, and sound.

Only this package (and the app that wires it) imports pygame.
"""
