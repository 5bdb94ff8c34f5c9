"""Statistics engine of the Sicherheitsanalyse toolkit.

Pure functions and small frozen value objects on pandas/numpy: weighting, estimation, models, crime
statistics, findings, profile, comparison. Never imports ``survey``; no file or network I/O, no plotting.

Public API (``from analysis import SurveyData``; see ``docs/python-api.md``): the names in
``__all__`` are stable; everything else is internal and may move. Names are loaded on first use, so
``import analysis.design`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    # survey object and results
    "SurveyData": "analysis.api", "Results": "analysis.api", "ResultRow": "analysis.api",
    # design, weighting, estimates
    "Design": "analysis.design", "make_design": "analysis.design",
    "calibrate": "analysis.calibration", "age_groups": "analysis.calibration",
    "Estimate": "analysis.results", "Difference": "analysis.results", "WeightingResult": "analysis.results",
    "mean": "analysis.estimation", "proportion": "analysis.estimation", "total": "analysis.estimation",
    "by_groups": "analysis.estimation", "domain_difference": "analysis.estimation",
    "AnalysisError": "analysis.errors", "CalibrationError": "analysis.errors",
    # indicator specs
    "ShareIndicator": "analysis.indicators", "AnyOfIndicator": "analysis.indicators",
    "MeanIndex": "analysis.indicators", "Domain": "analysis.indicators", "indicator_values": "analysis.indicators",
    # models and tests
    "svyglm_logit": "analysis.regression", "treatment_matrix": "analysis.regression",
    "rao_scott": "analysis.tables",
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
