"""Statistics engine of the Sicherheitsanalyse toolkit.

Pure functions and small frozen value objects on pandas/numpy: weighting, estimation, models, crime
statistics, findings, profile, comparison. Never imports ``survey``; no file or network I/O, no plotting.

Public API (``from analysis import SurveyData``; see ``docs/python-api.md``): the names in
``__all__`` are stable; everything else is internal and may move. Names are loaded on first use, so
``import analysis.core.design`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    # survey object and results
    "SurveyData": "analysis.api", "Results": "analysis.api", "ResultRow": "analysis.api",
    # design, weighting, estimates
    "Design": "analysis.core.design", "make_design": "analysis.core.design",
    "calibrate": "analysis.core.calibration", "age_groups": "analysis.core.calibration",
    "Estimate": "analysis.core.results", "Difference": "analysis.core.results", "WeightingResult": "analysis.core.results",
    "mean": "analysis.core.estimation", "proportion": "analysis.core.estimation", "total": "analysis.core.estimation",
    "by_groups": "analysis.core.estimation", "domain_difference": "analysis.core.estimation",
    "AnalysisError": "analysis.errors", "CalibrationError": "analysis.errors",
    # indicator specs
    "ShareIndicator": "analysis.core.indicators", "AnyOfIndicator": "analysis.core.indicators",
    "MeanIndex": "analysis.core.indicators", "Domain": "analysis.core.indicators", "indicator_values": "analysis.core.indicators",
    # models and tests
    "svyglm_logit": "analysis.models.logit", "treatment_matrix": "analysis.models.logit",
    "rao_scott": "analysis.models.rao_scott",
    # findings
    "Finding": "analysis.findings", "FindingKind": "analysis.findings", "Strength": "analysis.findings",
    "Direction": "analysis.findings", "EffectKind": "analysis.findings", "EstimateRef": "analysis.findings",
    "FamilySummary": "analysis.findings", "StrengthRule": "analysis.findings",
    "compute_findings": "analysis.findings", "adjust": "analysis.findings",
    "family_summaries": "analysis.findings",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
