"""The heat maps: where people tapped on each screen, and where they missed."""

from __future__ import annotations

from kiosk.sessions.breakdowns import DeckKey
from kiosk.sessions.deck_info import DeckInfo
from kiosk.sessions.report.cells import escape
from kiosk.sessions.report.gather import Breakdowns
from kiosk.sessions.stats import count


def heatmap_section(deck: DeckKey, breakdowns: Breakdowns, screen_ids: list[str]) -> str:
    info = breakdowns.decks.get(deck[0]) or DeckInfo(deck[0], deck[0])
    tapped = breakdowns.taps()
    found = [tapped.taps[(*deck, s)] for s in screen_ids if (*deck, s) in tapped.taps]
    found += [t for k, t in sorted(tapped.taps.items())
              if k[:2] == deck and k[2] not in screen_ids]  # screens only seen in tasks
    found = [t for t in found if t.total]
    if not found:
        return ""
    parts = ["<h3>Where people pressed</h3><p class='note'>Every tap, in the tasks and "
             "outside them. <span style='color:#148c3c'>●</span> a button, "
             "<span style='color:#c81e1e'>✕</span> no button (a misclick); the blue boxes are "
             "the buttons; yellow to red: where most presses were.</p>"]
    if not info.found:
        parts.append("<p class='note'>This deck is not on this computer, so the maps are "
                     "drawn on a blank canvas. Put the deck in the decks folder to see the "
                     "screens under the taps.</p>")
    elif info.version is not None and info.version != deck[1]:
        parts.append(f"<p class='note'>Drawn over version {info.version} of the deck (this "
                     f"is version {deck[1]}): the buttons may have moved.</p>")
    parts.append("<div class='maps'>")
    for taps in found:
        uri = tapped.heat_maps[(*deck, taps.screen_id)]
        labels = ", ".join(f"{escape(k)} {count(v)}" for k, v in
                           sorted(taps.by_label.items(), key=lambda kv: -kv[1]) if k)
        off = f"; {count(taps.off_image)} off the picture" if taps.off_image else ""
        parts.append(
            f"<figure><img alt='taps on {escape(taps.screen_id)}' src='{uri}'>"
            f"<figcaption><b>{escape(taps.screen_id)}</b>: {count(taps.on_buttons)} on a button, "
            f"{count(taps.misclicks)} misclicks{off}"
            + (f"<br><span class='note'>{labels}</span>" if labels else "")
            + "</figcaption></figure>")
    parts.append("</div>")
    return "".join(parts)
