"""Reliability and disclosure rules: the ONE place that decides whether an estimate may be shown.

Rules (DESIGN.md §5, documented in the report's methods section):

* ``n`` is always the *base* of the value: the unweighted number of respondents of the group (overall,
  one sex, age group, Ortsteil, ...) with a valid answer to the question (for an indicator: with a valid
  indicator value). It is never the count of one answer category: a category's count may be below 10 and
  is published with its share, because the share rests on the whole base (one rule for the Tabellenband,
  the Lagebericht and the Kurzbericht; :func:`policy` records it in the profile).
* ``n < 10``: ``"unterdrueckt"``. Estimate, standard error, interval and design effect are replaced by
  ``None`` so that no output can show them (for a distribution: every category's share and count).
* ``n < 30``, or, for proportions, a confidence interval wider than 0.30 (30 percentage points,
  following the NCHS presentation standard for proportions), or an interval that cannot be computed:
  ``"unsicher"`` (shown, but marked as unreliable).
* otherwise ``"ok"``.

Coded free texts add one rule on a count (:func:`classify_count`): a place or category is named only if
at least 10 respondents name it (its name is content from the answers), and its share is unreliable
below 30 naming respondents.

Means (indices on a 1-4 scale) are only flagged by ``n``; their interval width has no common scale.
"""

from __future__ import annotations

import math
from enum import StrEnum

from analysis.core.results import Estimate

MIN_N_SHOWN = 10
MIN_N_RELIABLE = 30
MAX_CI_WIDTH_PROPORTION = 0.30

BASE_VALID_ANSWERS = "valid_answers_in_group"  # code: which n the limits apply to (see the module docstring)

OK = "ok"
UNRELIABLE = "unsicher"
SUPPRESSED = "unterdrueckt"


class FlagReason(StrEnum):
    """Why an estimate is flagged (a code; ``survey`` words it with the estimate's own ``n`` and interval)."""

    FEW_ANSWERS = "few_answers"  # n < MIN_N_SHOWN: suppressed
    SMALL_N = "small_n"  # n < MIN_N_RELIABLE
    NO_INTERVAL = "no_interval"  # the interval cannot be computed
    WIDE_INTERVAL = "wide_interval"  # a proportion's interval is wider than MAX_CI_WIDTH_PROPORTION
    FEW_MENTIONS = "few_mentions"  # a count below MIN_N_SHOWN: suppressed
    FEW_MENTIONS_RELIABLE = "few_mentions_reliable"  # a count below MIN_N_RELIABLE


def classify(n: int, ci_low: float | None, ci_high: float | None, proportion: bool) -> tuple[str, str]:
    """Flag and reason code (``""`` for ``ok``) of an estimate from ``n`` respondents with interval
    ``[ci_low, ci_high]``."""
    if n < MIN_N_SHOWN:
        return SUPPRESSED, FlagReason.FEW_ANSWERS.value
    if n < MIN_N_RELIABLE:
        return UNRELIABLE, FlagReason.SMALL_N.value
    if ci_low is None or ci_high is None or not (math.isfinite(ci_low) and math.isfinite(ci_high)):
        return UNRELIABLE, FlagReason.NO_INTERVAL.value
    if proportion and ci_high - ci_low > MAX_CI_WIDTH_PROPORTION:
        return UNRELIABLE, FlagReason.WIDE_INTERVAL.value
    return OK, ""


def policy() -> dict:
    """The disclosure and reliability parameters as recorded in the profile (``methods.suppression``);
    the report words the rule from these, so the text always states what was applied."""
    return {"min_n_shown": MIN_N_SHOWN, "min_n_reliable": MIN_N_RELIABLE,
            "max_ci_width_proportion": MAX_CI_WIDTH_PROPORTION, "base": BASE_VALID_ANSWERS,
            "min_mentions_named": MIN_N_SHOWN, "min_mentions_reliable": MIN_N_RELIABLE}


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
    """Flag and reason code for a value that rests on ``count`` respondents who share a property
    (e.g. who name the same place in a free text): below :data:`MIN_N_SHOWN` it is not shown, below
    :data:`MIN_N_RELIABLE` it is unreliable (the same limits as for a domain's valid answers)."""
    if count < MIN_N_SHOWN:
        return SUPPRESSED, FlagReason.FEW_MENTIONS.value
    if count < MIN_N_RELIABLE:
        return UNRELIABLE, FlagReason.FEW_MENTIONS_RELIABLE.value
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
