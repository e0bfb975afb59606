"""Everything the kiosk itself says and shows, in one place (so it can be reworded or translated).

Short sentences, one idea each, as Easy Read asks. These are spoken as well as shown.
"""

WELCOME_TITLE = "Hello!"
WELCOME_LINES = (
    "We would like to know if our letters and apps are easy to understand.",
    "Press the green button to start.",
)
WELCOME_SPOKEN = (
    "Hello! We would like to know if our letters and apps are easy to understand. "
    "Press the green button to start."
)
NOT_READY_TITLE = "Not ready yet"
NOT_READY_LINES = ("A helper will set this up soon.",)

HOW_TITLE = "How it works"
HOW_LINES = (
    "Each screen is read out loud.",
    "Green button: I understand.",
    "Red button: I don't understand.",
    "We do not record your name.",
)
HOW_SPOKEN = (
    "Here is how it works. You will see some screens. Each one is read out loud. "
    "After each one, press the green button if you understand it. "
    "Press the red button if you do not understand it. "
    "Both answers help us. "
    "We do not record your name or anything about you. You can stop at any time. "
    "Press the green button to begin."
)
HOW_BUTTONS = ("Begin", "Hear again")

ANSWER_BUTTONS = ("I understand", "I don't understand")

STILL_THERE_TITLE = "Are you still there?"
STILL_THERE_LINES = ("Press the green button to carry on.",)
STILL_THERE_SPOKEN = "Are you still there? Press the green button to carry on."

THANKS_TITLE = "Thank you!"
THANKS_LINES = ("Your answers will help make letters and apps easier for everyone.",)
THANKS_SPOKEN = (
    "Thank you! Your answers will help make letters and apps easier for everyone. Goodbye."
)

MENU_TITLE = "Facilitator menu"
MENU_HELP = "Red: next option.  Green: choose."
CONFIRM_TITLE = "Are you sure?"
CONFIRM_HELP = "Green: yes.  Red: no, go back."
WORKING_TITLE = "One moment"

KIOSK_LANGUAGE = "en-GB"

ALL_SPOKEN = (WELCOME_SPOKEN, HOW_SPOKEN, STILL_THERE_SPOKEN, THANKS_SPOKEN)
