"""Machine-readable comparison results beside the workbook.

* ``vergleich.csv``: one row per commune (latest wave) × core indicator, for the Landespräventionsrat
  to work on (columns documented in ``docs/vergleich-csv.md``). UTF-8 without BOM, comma-separated,
  dot as decimal separator, numbers at full precision, empty cell = no value, a header row. Text
  cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
  carriage return) are prefixed with ``'``.
* ``vergleich.json``: per indicator and basis the overall value and ``tau²`` with its source, and the
  families of tests (schema ``survey/schemas/vergleich-1.0.schema.json``); read back by
  ``vergleich --tau2-von`` (:mod:`survey.comparison.earlier`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from analysis.comparison.indicator import IndicatorComparison
from analysis.comparison.funnel import Tau2Source
from analysis.core.multiple_testing import Verdict
from survey import __version__
from survey.comparison.loading import ProfileData, Value
from survey.comparison.model import ComparisonModel, IndicatorResults
from survey.atomic import atomic_write
from survey.safe_cells import neutralise

CSV_NAME = "vergleich.csv"
JSON_NAME = "vergleich.json"
FORMAT = "sicherheitsanalyse-vergleich"
SCHEMA_VERSION = "1.0"

VALUE_COLUMNS = ("n", "estimate", "se", "ci_low", "ci_high", "flag")
FUNNEL_COLUMNS = ("target", "tau2", "tau2_source", "z", "funnel_95", "funnel_998", "funnel_95_sampling",
                  "funnel_998_sampling", "p_value", "p_adjusted", "flagged", "rank_low", "rank_high",
                  "rank_side", "rank_group", "eb_estimate", "eb_rmse")
COLUMNS = (("ags", "name", "wave", "indicator", "label", "kind") + VALUE_COLUMNS + FUNNEL_COLUMNS
           + ("adjustment", "communes") + tuple(f"std_{c}" for c in VALUE_COLUMNS + FUNNEL_COLUMNS))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def _value_cells(value: Value | None) -> list[Any]:
    if value is None:
        return [None] * len(VALUE_COLUMNS)
    shown = value.flag != "unterdrueckt"
    return [value.n, value.estimate if shown else None, value.se if shown else None,
            value.ci_low if shown else None, value.ci_high if shown else None, value.flag]


def _funnel_cells(model: ComparisonModel, comparison: IndicatorComparison | None, basis: str,
                  ags: str) -> list[Any]:
    if comparison is None:
        return [None] * len(FUNNEL_COLUMNS)
    f = comparison.funnel
    point = f.point(ags) if f else None
    family = model.families.get(basis)
    member = family.member(comparison.indicator, ags) if family and point else None
    rank = comparison.ranks.rank(ags)
    eb = comparison.fay_herriot.estimate(ags) if comparison.fay_herriot else None
    return [
        f.target if f else None, f.tau2 if f else None, f.overdispersion.source.value if f else None,
        point.z if point else None,
        point.position_95.value if point else None, point.position_998.value if point else None,
        point.sampling.position_95.value if point else None, point.sampling.position_998.value if point else None,
        point.p_value if point else None, member.p_adjusted if member else None,
        (member.verdict is Verdict.CLEAR) if member else None,
        rank.low if rank else None, rank.high if rank else None,
        rank.rank_class.side.value if rank else None, rank.rank_class.size if rank else None,
        eb.eb if eb else None, eb.rmse if eb else None,
    ]


def _row(model: ComparisonModel, result: IndicatorResults, p: ProfileData) -> list[Any]:
    info = result.info
    family = model.families.get("direct")
    return ([p.ags, p.name, p.year, info.id, info.label, info.kind] + _value_cells(p.direct.get(info.id))
            + _funnel_cells(model, result.direct, "direct", p.ags)
            + [family.method if family else None, len(model.communes)]
            + _value_cells(p.standardised.get(info.id) if result.standardised else None)
            + _funnel_cells(model, result.standardised, "standardised", p.ags))


def write_csv(model: ComparisonModel, target: Path) -> Path:
    with atomic_write(target) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(COLUMNS)
        for result in model.indicators:
            for p in model.communes:
                writer.writerow([_cell(v) for v in _row(model, result, p)])
    return target


def _basis_summary(result: IndicatorResults, basis: str) -> dict[str, Any] | None:
    comparison = result.basis(basis)
    f = comparison.funnel if comparison else None
    if f is None:
        return None
    od = f.overdispersion
    fixed = result.fixed.get(basis)
    tau2_k = {Tau2Source.ESTIMATED: od.k, Tau2Source.FIXED: fixed.k if fixed else None}.get(od.source)
    fh = comparison.fay_herriot
    return {"scale": f.scale, "k": f.k, "target": f.target, "tau2": od.tau2, "tau2_source": od.source.value,
            "tau2_estimate": od.estimate, "tau2_k": tau2_k, "phi": od.phi, "q": od.q,
            "sigma2_v": fh.sigma2_v if fh else None}


def summary_document(model: ComparisonModel, *, date: dt.date) -> dict[str, Any]:
    families = []
    for basis, family in model.families.items():
        families.append({"name": family.name, "basis": basis, **_family_counts(family)})
    for commune in model.changes:
        families.append({"name": commune.family.name, "commune": commune.ags, **_family_counts(commune.family)})
    indicators = []
    for result in model.indicators:
        bases = {b: s for b in ("direct", "standardised") if (s := _basis_summary(result, b)) is not None}
        indicators.append({"id": result.info.id, "label": result.info.label, "kind": result.info.kind,
                           "bases": bases})
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION, "created": date.isoformat(),
            "tool": {"name": "sicherheitsanalyse", "version": __version__}, "core_version": model.core_version,
            "communes": len(model.communes), "profiles": len(model.profiles),
            "alpha": next(iter(model.families.values())).alpha if model.families else 0.05,
            "min_communes_tau2": model.min_communes, "families": families, "indicators": indicators}


def _family_counts(family) -> dict[str, Any]:  # noqa: ANN001
    return {"method": family.method, "tests": family.tests, "outside_95": family.outside_95,
            "outside_998": family.outside_998, "clear": family.clear, "expected_95": family.expected_95,
            "expected_998": family.expected_998}


def write_summary(model: ComparisonModel, target: Path, *, date: dt.date) -> Path:
    with atomic_write(target) as stream:
        json.dump(summary_document(model, date=date), stream, ensure_ascii=False, indent=1, allow_nan=False)
        stream.write("\n")
    return target
