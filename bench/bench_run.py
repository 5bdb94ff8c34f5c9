"""Time ``sicherheitsanalyse run`` for every shipped sample commune (prints figures; no assertions).

    python bench/bench_run.py [--kommune SLUG ...]

Each commune folder is copied to a temporary directory and the whole chain runs there, in-process,
exactly as the CLI does (pruefen → gewichten → analysieren → bericht). The issue's target: the demo
produces all four outputs in under 30 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey.pipeline import run_folder  # noqa: E402
from survey.resources import sample_data_dir  # noqa: E402


def sample_communes() -> list[str]:
    return sorted(p.name for p in sample_data_dir().iterdir() if (p / "analyse.yaml").is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kommune", nargs="*", default=None, help="sample commune slugs (default: all)")
    args = parser.parse_args()
    slugs = args.kommune or sample_communes()
    print(f"{'Kommune':<20} {'n':>6} " + " ".join(f"{name[:14]:>15}" for name in
          ("prüfen", "gewichten", "profil", "berichte")) + f" {'gesamt':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for slug in slugs:
            target = Path(tmp) / slug
            shutil.copytree(sample_data_dir() / slug, target, ignore=shutil.ignore_patterns("ergebnis"))
            started = time.perf_counter()
            steps = run_folder(target)
            total = time.perf_counter() - started
            n = steps[0].summary.split()[0]
            print(f"{slug:<20} {n:>6} " + " ".join(f"{step.seconds:>13.2f} s" for step in steps)
                  + f" {total:>6.2f} s")


if __name__ == "__main__":
    main()
