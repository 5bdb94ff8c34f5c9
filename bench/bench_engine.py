"""Benchmark of the statistics engine (prints figures; no assertions).

    python bench/bench_engine.py [--sizes 2000 100000 1000000] [--no-r]

(a) anchor workload: stratified design, raking calibration on three margins (ortsteil 4, altersgruppe
    5, geschlecht 2 levels), then one proportion overall and by altersgruppe.
    Targets at 1,000,000 respondents: calibration <= 0.2 s, estimation <= 0.1 s.
(b) core workload: all core indicators of DESIGN.md §4 overall and by geschlecht, altersgruppe,
    ortsteil. Target: <= 3 s at 1,000,000.

If R with the survey package is installed (Debian r-cran-survey), workload (a) also runs in R on the same
data and the ratio R / Python is printed; likewise the PyPI package ``svy`` if importable. Otherwise a
note is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.core import estimation  # noqa: E402
from analysis.core.calibration import calibrate  # noqa: E402
from analysis.core.design import make_design  # noqa: E402
from analysis.core.indicator_estimates import estimate_indicators  # noqa: E402

OFFENCES = ("fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug")
SORGE = ("einbruch", "diebstahl", "koerperverletzung", "belaestigung", "betrug", "sachbeschaedigung")
PROBLEM = ("graffiti", "muell", "vandalismus", "alkohol", "drogen", "jugendgruppen", "laerm", "verkehr")
AGES = np.array(["16-29", "30-44", "45-59", "60-74", "75+"], dtype=object)
STRATA_N = {1: 5_200_000, 2: 3_100_000, 3: 1_800_000, 4: 650_000}


def core_specs() -> list:
    """The core indicators and indices exactly as the shipped standard questionnaire defines them."""
    from survey.questionnaire import load_questionnaire

    return [spec for spec in load_questionnaire("sicherheitsanalyse-standard").indicator_specs() if spec.core]


def synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = {
        "ortsteil": rng.choice([1, 2, 3, 4], n, p=[0.35, 0.3, 0.2, 0.15]),
        "geschlecht": rng.choice([1, 2], n),
        # age groups as pandas.cut would give them (categorical)
        "altersgruppe": pd.Categorical.from_codes(rng.choice(5, n, p=[0.12, 0.18, 0.2, 0.22, 0.28]), AGES),
    }
    four = lambda: rng.choice([1, 2, 3, 4, 8, 9], n, p=[0.3, 0.3, 0.2, 0.14, 0.04, 0.02]).astype(float)  # noqa: E731
    for item in ("sicher_tag", "sicher_nacht", "sicher_gemeinde", "meide_orte", "vertrauen_polizei"):
        data[item] = four()
    for x in SORGE:
        data[f"sorge_{x}"] = four()
    for x in PROBLEM:
        data[f"problem_{x}"] = four()
    for x in OFFENCES:
        victim = rng.choice([1.0, 2.0, 9.0], n, p=[0.08, 0.9, 0.02])
        data[f"opfer_{x}"] = victim
        data[f"anzeige_{x}"] = np.where(victim == 1, rng.choice([1.0, 2.0], n), np.nan)
    return pd.DataFrame(data)


def margins(n_total: float) -> dict:
    total = sum(STRATA_N.values())
    f = n_total / total
    return {
        "ortsteil": {k: v * f for k, v in STRATA_N.items()},
        "altersgruppe": dict(zip(AGES, np.array([0.2, 0.23, 0.21, 0.19, 0.17]) * n_total)),
        "geschlecht": {1: 0.49 * n_total, 2: 0.51 * n_total},
    }


def timed(fn, repeat: int = 3):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


R_SCRIPT = r"""
suppressMessages(library(survey))
a <- commandArgs(trailingOnly = TRUE)
d <- read.csv(a[1]); pop <- as.numeric(strsplit(a[2], ",")[[1]])
d$ortsteil <- factor(d$ortsteil); d$altersgruppe <- factor(d$altersgruppe); d$geschlecht <- factor(d$geschlecht)
des <- svydesign(id = ~1, strata = ~ortsteil, fpc = ~N, data = d)
names(pop) <- c("(Intercept)", "ortsteil2", "ortsteil3", "ortsteil4", "altersgruppe30-44", "altersgruppe45-59",
                "altersgruppe60-74", "altersgruppe75+", "geschlecht2")
t1 <- system.time(cal <- calibrate(des, ~ortsteil + altersgruppe + geschlecht, pop, calfun = "raking"))[["elapsed"]]
t2 <- system.time({svyciprop(~y, cal, na.rm = TRUE); svyby(~y, ~altersgruppe, cal, svymean, na.rm = TRUE)})[["elapsed"]]
cat(t1, t2, "\n")
"""


def run_r(data: pd.DataFrame, y: np.ndarray, mg: dict, design_n: np.ndarray) -> tuple[float, float] | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "d.csv")
        frame = data[["ortsteil", "altersgruppe", "geschlecht"]].assign(y=y, N=design_n)
        frame.to_csv(csv, index=False, na_rep="NA")
        script = os.path.join(tmp, "b.R")
        Path(script).write_text(R_SCRIPT)
        pop = [sum(mg["ortsteil"].values()), *[mg["ortsteil"][k] for k in (2, 3, 4)],
               *[mg["altersgruppe"][k] for k in AGES[1:]], mg["geschlecht"][2]]
        try:
            out = subprocess.run(["Rscript", script, csv, ",".join(f"{p:.6f}" for p in pop)], capture_output=True,
                                 text=True, timeout=900, check=True).stdout.split()
        except (subprocess.SubprocessError, OSError) as exc:
            print(f"    R: failed ({exc.__class__.__name__})")
            return None
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[2_000, 100_000, 1_000_000])
    parser.add_argument("--no-r", action="store_true")
    args = parser.parse_args()
    specs = core_specs()
    try:
        import svy  # noqa: F401

        print("note: PyPI package svy is importable but no side-by-side runner is implemented")
    except ImportError:
        print("note: PyPI package svy not installed; skipped")
    if args.no_r or shutil.which("Rscript") is None:
        print("note: R (Rscript with survey) not used; skipped the side-by-side run")
    for n in args.sizes:
        data = synthetic(n)
        mg = margins(n * 50)
        fpc = {k: v for k, v in mg["ortsteil"].items()}
        y = np.where(data.sicher_nacht.isin([3, 4]), 1.0, np.where(data.sicher_nacht.isin([1, 2]), 0.0, np.nan))

        t_design, design = timed(lambda: make_design(strata=data.ortsteil.to_numpy(), fpc=fpc))
        t_cal, (cal, result) = timed(lambda: calibrate(design, data, mg, calfun="raking"))
        t_est, _ = timed(lambda: (estimation.proportion(cal, y),
                                  estimation.by_groups(cal, y, data.altersgruppe)))
        t_core, records = timed(lambda: estimate_indicators(data, cal, specs, ["geschlecht", "altersgruppe", "ortsteil"]),
                                repeat=2 if n >= 1_000_000 else 3)
        print(f"n = {n:>9,}: design {t_design:.3f} s | (a) calibration {t_cal:.3f} s ({result.iterations} it.), "
              f"estimation {t_est:.3f} s | (b) core {len(specs)} indicators x (overall + 3 breakdowns) = "
              f"{len(records)} estimates {t_core:.3f} s")
        if not args.no_r:
            r_times = run_r(data, y, mg, np.asarray([fpc[k] for k in data.ortsteil]))
            if r_times is not None:
                print(f"    R survey (a): calibration {r_times[0]:.3f} s, estimation {r_times[1]:.3f} s; ratio R/Python "
                      f"calibration {r_times[0] / max(t_cal, 1e-9):.1f}x, estimation {r_times[1] / max(t_est, 1e-9):.1f}x")


if __name__ == "__main__":
    main()
