"""The walk: what happens on each press, as a pure state machine.

It takes events and the time, and returns effects; it imports no pygame, GPIO, TinyDB or
file I/O, so every rule about the participant's experience can be tested in milliseconds.
"""
