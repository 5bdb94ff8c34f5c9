"""Time the free-text coding (prints figures; no assertions).

    python bench/bench_freetext.py

Synthetic place answers (variants of a few dozen places plus many one-off answers) for 1,000 to
100,000 respondents: normalising and counting the mentions, the grouping proposal (rapidfuzz leader
clustering), and the design-based summary of ten coded places (``analysis.profile.places``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.core.design import make_design  # noqa: E402
from analysis.profile.places import CategoryInput, CodingInput, summarise_coding  # noqa: E402
from survey.freetext.grouping import propose_groups  # noqa: E402
from survey.freetext.mentions import collect_mentions  # noqa: E402

STEMS = ["Unterführung am Bahnhof", "Stadtpark", "Parkplatz am Einkaufszentrum", "Busbahnhof", "Marktplatz",
         "Weg zum Friedhof", "Spielplatz an der Schule", "Tiefgarage am Rathaus", "Radweg am Fluss", "Haltestelle"]
VARIANTS = ["{}", "die {}", "{} abends", "{}!", "im {} nachts", "{} (dunkel)"]


def answers(n: int, rng: np.random.Generator) -> list[str]:
    out = []
    for i in range(n):
        if rng.random() < 0.6:
            stem = STEMS[int(rng.integers(len(STEMS)))] + (f" {int(rng.integers(40))}" if rng.random() < 0.3 else "")
            out.append(VARIANTS[int(rng.integers(len(VARIANTS)))].format(stem))
        else:
            out.append(f"Straße {int(rng.integers(n))}, Ecke Weg {int(rng.integers(50))}")
    return out


def main() -> None:
    rng = np.random.default_rng(1)
    print(f"{'Befragte':>9} {'Nennungen':>10} {'verschieden':>12} {'zählen [s]':>11} {'gruppieren [s]':>15} "
          f"{'Gruppen':>8} {'Schätzen [s]':>13}")
    for n in (1_000, 10_000, 100_000):
        texts = answers(n, rng)
        start = time.perf_counter()
        mentions = collect_mentions(texts, places=True)
        counted = time.perf_counter() - start
        start = time.perf_counter()
        proposals = propose_groups(mentions)
        grouped = time.perf_counter() - start
        design = make_design(weights=np.full(n, 10.0))
        masks = [rng.random(n) < 0.02 * (k + 1) for k in range(10)]
        coding = CodingInput("angstraum_ort", "Wo?", True, np.any(masks, axis=0), np.zeros(n, bool),
                             tuple(CategoryInput(f"Ort {k}", m) for k, m in enumerate(masks)))
        start = time.perf_counter()
        summarise_coding(design, coding)
        estimated = time.perf_counter() - start
        total = sum(m.count for m in mentions)
        print(f"{n:>9,} {total:>10,} {len(mentions):>12,} {counted:>11.2f} {grouped:>15.2f} "
              f"{len(set(proposals.values())):>8,} {estimated:>13.3f}".replace(",", "."))


if __name__ == "__main__":
    main()
