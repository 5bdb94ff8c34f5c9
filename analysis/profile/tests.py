"""Tests and scale reliability in the profile: Rao-Scott tables and Cronbach's alpha of the indices.

* ``association_tests``: R ``svychisq`` (second-order Rao-Scott F, ``analysis.models.rao_scott.rao_scott``) of the
  outcome (``unsicher_nachts``, 0/1) by each breakdown variable (geschlecht, altersgruppe, ortsteil);
  complete cases of both variables, groups outside the breakdown's groups count as missing.
* ``index_reliability``: design-weighted Cronbach's alpha (``analysis.models.reliability.cronbach_alpha``) of
  the items of every :class:`analysis.core.indicators.MeanIndex`, complete cases of its valid codes; flags as
  for means (``analysis.core.flags``: fewer than 10 respondents -> suppressed).

Both return plain dicts for ``profil.json``; an impossible test or alpha gives ``valid``/``available``
false and a ``reason`` (the test's reason code, or the engine's message) instead of an exception.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.core.design import Design
from analysis.errors import AnalysisError
from analysis.core.flags import SUPPRESSED, classify
from analysis.core.indicators import IndicatorSpec, MeanIndex
from analysis.profile.indicators import Breakdown, breakdown_columns
from analysis.models.reliability import cronbach_alpha, item_matrix
from analysis.models.rao_scott import rao_scott


def _number(value: Any) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)


def association_tests(data: pd.DataFrame, design: Design, outcome: np.ndarray, breakdowns: Sequence[Breakdown],
                      outcome_id: str = "unsicher_nachts", outcome_label: str = "nachts unsicher"
                      ) -> list[dict[str, Any]]:
    """One Rao-Scott F test of ``outcome`` by each breakdown variable present in ``data``."""
    columns = breakdown_columns(data, breakdowns)
    results = []
    for breakdown in breakdowns:
        if breakdown.variable not in columns:
            continue
        test = rao_scott(design, outcome, columns[breakdown.variable], statistic="F")
        valid = bool(test.valid)
        results.append({
            "id": f"rao_scott__{outcome_id}__{breakdown.variable}", "test": "rao_scott",
            "outcome": outcome_id, "by": breakdown.variable, "by_label": breakdown.label,
            "method": test.method, "statistic_type": test.statistic, "statistic": _number(test.value),
            "ndf": _number(test.ndf), "ddf": _number(test.ddf), "p": _number(test.p_value), "n": int(test.n),
            "valid": valid, "reason": test.reason or None,
        })
    return results


def index_reliability(data: pd.DataFrame, design: Design, specs: Sequence[IndicatorSpec]) -> list[dict[str, Any]]:
    """Cronbach's alpha for every mean index among ``specs``."""
    results = []
    for spec in specs:
        if not isinstance(spec, MeanIndex):
            continue
        entry: dict[str, Any] = {"index": spec.id, "label": spec.label, "items": list(spec.items),
                                 "k": len(spec.items)}
        try:
            result = cronbach_alpha(design, item_matrix(data, spec.items, sorted(spec.valid_codes)),
                                    names=spec.items)
        except AnalysisError as error:
            results.append({**entry, "available": False, "alpha": None, "se": None, "ci_low": None,
                            "ci_high": None, "standardised_alpha": None, "n": 0, "weighted_n": None,
                            "df": None, "flag": SUPPRESSED, "flag_reason": None, "reason": str(error)})
            continue
        flag, reason = classify(result.n, result.ci_low, result.ci_high, False)
        shown = flag != SUPPRESSED
        results.append({
            **entry, "available": shown, "alpha": result.alpha if shown else None,
            "se": result.se if shown else None, "ci_low": result.ci_low if shown else None,
            "ci_high": result.ci_high if shown else None,
            "standardised_alpha": result.standardised_alpha if shown else None, "k": result.k, "n": result.n,
            "weighted_n": result.weighted_n, "df": result.df, "flag": flag, "flag_reason": reason or None,
            "reason": None if shown else reason,
        })
    return results
