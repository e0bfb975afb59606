"""The bundled example decks, drawn from text (run prototypes/make_examples.py).

``drawing`` (fonts, a canvas at double size, wrapped text), ``pictograms`` (the easy-read
pictures), ``original_letter`` and ``easy_read`` (the two versions of the letter),
``hospital_letter`` and ``diabetes_app`` (the two decks), ``decks`` (writing and checking a
deck folder).
"""
