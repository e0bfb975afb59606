"""Sessions: the kiosk's crash-safe log, export to USB, and the designers' import and report.

``storage`` (the journal TinyDB storage), ``log`` (ResponseLog, used by the kiosk's run loop),
``export`` (bundles for a USB stick), ``importer``, ``stats``, ``report`` and ``poster`` (the
designer's side, which never needs pygame or GPIO). Nothing is imported here, so importing
``kiosk.sessions`` costs nothing.
"""
