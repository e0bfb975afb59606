"""How long ``kiosk deck new --from letter.pdf`` spends finding read-along parts, per page.

Proposing parts asks pypdfium2 for two boxes per character (tight and loose), so its cost
grows with the text on the page. This times, for each bundled letter PDF and each page: the
page drawn at the kiosk's size (what ``deck new`` did before parts) and the parts proposed
from the same page, best of ``--repeat`` runs; and prints how many parts each page got.

    python bench/bench_pdf_parts.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import pypdfium2 as pdfium

from kiosk.authoring.new_deck import KIOSK_BOX
from kiosk.authoring.pdf_parts import propose_parts

T = TypeVar("T")
LETTERS = Path(__file__).resolve().parents[1] / "prototypes" / "letters"


def best_of(repeat: int, action: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), action()
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--labels", action="store_true", help="print each part's label")
    args = parser.parse_args()
    print(f"{'letter':<26} {'page':>4} {'chars':>6} {'render ms':>10} {'parts ms':>9} "
          f"{'parts':>6}")
    for path in sorted(LETTERS.glob("*.pdf")):
        pdf = pdfium.PdfDocument(str(path))
        try:
            for number, page in enumerate(pdf, 1):
                width, height = page.get_size()
                scale = min(KIOSK_BOX[0] / width, KIOSK_BOX[1] / height)
                size = (round(width * scale), round(height * scale))
                render, _ = best_of(args.repeat, partial(page.render, scale=scale))
                propose, parts = best_of(args.repeat, partial(propose_parts, page, scale, size))
                chars = page.get_textpage().count_chars()
                print(f"{path.name:<26} {number:>4} {chars:>6} {render * 1000:>10.1f} "
                      f"{propose * 1000:>9.1f} {len(parts):>6}")
                if args.labels:
                    for part in parts:
                        print(f"{'':<32}{part.label}")
        finally:
            pdf.close()


if __name__ == "__main__":
    main()
