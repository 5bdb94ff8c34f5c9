"""Reliability and disclosure rules: the ONE place that decides whether an estimate may be shown.

Rules (DESIGN.md §5, documented in the report's methods section):

* ``n < 10`` respondents (valid answers in the domain): ``"unterdrueckt"``. Estimate, standard error,
  interval and design effect are replaced by ``None`` so that no output can show them.
* ``n < 30``, or, for proportions, a confidence interval wider than 0.30 (30 percentage points,
  following the NCHS presentation standard for proportions), or an interval that cannot be computed:
  ``"unsicher"`` (shown, but marked as unreliable).
* otherwise ``"ok"``.

Means (indices on a 1-4 scale) are only flagged by ``n``; their interval width has no common scale.
"""

from __future__ import annotations

import math

from analysis.german import number
from analysis.results import Estimate

MIN_N_SHOWN = 10
MIN_N_RELIABLE = 30
MAX_CI_WIDTH_PROPORTION = 0.30

OK = "ok"
UNRELIABLE = "unsicher"
SUPPRESSED = "unterdrueckt"


def classify(n: int, ci_low: float | None, ci_high: float | None, proportion: bool) -> tuple[str, str]:
    """Flag and German reason for an estimate from ``n`` respondents with interval ``[ci_low, ci_high]``."""
    if n < MIN_N_SHOWN:
        return SUPPRESSED, (
            f"Weniger als {MIN_N_SHOWN} Befragte mit gültiger Antwort (n = {n}); "
            "der Wert wird zum Schutz der Befragten und wegen zu großer Unsicherheit nicht ausgewiesen."
        )
    if n < MIN_N_RELIABLE:
        return UNRELIABLE, f"Nur {n} Befragte mit gültiger Antwort (unter {MIN_N_RELIABLE}); der Wert ist unsicher."
    if ci_low is None or ci_high is None or not (math.isfinite(ci_low) and math.isfinite(ci_high)):
        return UNRELIABLE, "Für diesen Wert lässt sich kein Konfidenzintervall berechnen; der Wert ist unsicher."
    if proportion and ci_high - ci_low > MAX_CI_WIDTH_PROPORTION:
        width = 100 * (ci_high - ci_low)
        return UNRELIABLE, (
            f"Das Konfidenzintervall ist {number(width, 1)} Prozentpunkte breit "
            f"(mehr als {number(100 * MAX_CI_WIDTH_PROPORTION)}); der Wert ist unsicher."
        )
    return OK, ""


def _clean(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else float("nan")


def make_estimate(
    *,
    estimate: float,
    se: float,
    ci_low: float,
    ci_high: float,
    n: int,
    weighted_n: float,
    deff: float,
    df: float,
    method: str,
    proportion: bool,
) -> Estimate:
    """Build a flagged :class:`Estimate`; suppressed estimates lose every number but ``n``/``weighted_n``."""
    n = int(n)
    flag, reason = classify(n, _clean(ci_low), _clean(ci_high), proportion)
    if flag == SUPPRESSED:
        return Estimate(None, None, None, None, n, float(weighted_n), None, flag, float(df), method, reason)
    return Estimate(
        _clean(estimate), _clean(se), _clean(ci_low), _clean(ci_high), n, float(weighted_n), _clean(deff),
        flag, float(df), method, reason,
    )



def classify_count(count: int) -> tuple[str, str]:
    """Flag and German reason for a value that rests on ``count`` respondents who share a property
    (e.g. who name the same place in a free text): below :data:`MIN_N_SHOWN` it is not shown, below
    :data:`MIN_N_RELIABLE` it is unreliable (the same limits as for a domain's valid answers)."""
    if count < MIN_N_SHOWN:
        return SUPPRESSED, (
            f"Weniger als {MIN_N_SHOWN} Nennungen; zum Schutz der Befragten nicht ausgewiesen."
        )
    if count < MIN_N_RELIABLE:
        return UNRELIABLE, f"Nur {count} Nennungen (unter {MIN_N_RELIABLE}); der Wert ist unsicher."
    return OK, ""


def suppress_counts(counts: dict[str, int]) -> dict[str, int | None]:
    """Counts that may be published: ``None`` for a cell under :data:`MIN_N_SHOWN`.

    When exactly one cell would be hidden, the next smallest is hidden too (secondary suppression), so the
    hidden cell cannot be worked out from the published total.
    """
    shown: dict[str, int | None] = {key: (value if value >= MIN_N_SHOWN else None) for key, value in counts.items()}
    hidden = [key for key, value in shown.items() if value is None and counts[key] > 0]
    visible = [key for key, value in shown.items() if value is not None]
    if len(hidden) == 1 and visible:
        smallest = min(visible, key=lambda key: (counts[key], key))
        shown[smallest] = None
    return shown


def comparable_groups(counts: dict[str, int], minimum: int = MIN_N_RELIABLE) -> list[str]:
    """The groups of a breakdown that may be compared: those with at least ``minimum`` respondents, and
    only if there are two or more of them (else an empty list: no comparison)."""
    enough = [key for key, value in counts.items() if value >= minimum]
    return enough if len(enough) >= 2 else []
