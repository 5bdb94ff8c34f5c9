"""Benchmark: ``analysis.findings.compute_findings`` on the weighted sample communes (every indicator of
the standard questionnaire × geschlecht, altersgruppe, Ortsteil; Ortsteil screen on the core indicators;
rankings of worries and problems). Prints the number of findings and the seconds per commune.

    python bench/bench_findings.py [kommune ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.findings import compute_findings  # noqa: E402
from survey.folder import load_folder  # noqa: E402
from survey.profile_builder import breakdowns_for  # noqa: E402
from survey.weighting_runner import weight_folder  # noqa: E402

COMMUNES = ("eichenstedt", "auenstadt", "grenzbach", "quellenthal", "wendelstadt")


def main() -> None:
    for name in sys.argv[1:] or COMMUNES:
        folder = load_folder(ROOT / "sample_data" / name)
        sample = weight_folder(folder)
        specs = sample.questionnaire.indicator_specs()
        ids = [spec.id for spec in specs]
        polarity = {i: 1 for i in ids if i.startswith(("unsicher_", "problem_", "sorge_hoch_", "meidet_"))}
        rankings = {"sorge": [i for i in ids if i.startswith("sorge_hoch_")],
                    "probleme": [i for i in ids if i.startswith("problem_gross_")]}
        breakdowns = breakdowns_for(sample, folder.config.ortsteile)
        start = time.perf_counter()
        findings = compute_findings(sample.design, sample.data, specs, breakdowns, polarity, rankings=rankings)
        seconds = time.perf_counter() - start
        print(f"{name:12s} n={len(sample.data):5d} findings={len(findings):5d} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
