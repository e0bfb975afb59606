"""A prototype-testing kiosk for community co-design sessions.

The package is laid out as a core with edges around it (see README "How the code is laid out"):
``decks`` and ``walk`` are plain Python; ``screen`` (pygame), ``buttons`` (gpiozero) and
``sessions`` (TinyDB on disk) are the edges; ``cli`` wires them together.
Nothing here does work at import time.
"""

__version__ = "0.1.0"
