"""The engine for analysts: a survey object that carries its data AND its design.

``SurveyData`` keeps the responses (a DataFrame with a unique index) and the design whose row ``i`` is
the frame's row ``i``; every mask or variable given as a pandas Series is aligned by its index, never
by position (a Series lacking a respondent's label is an error, not a silent shift). Domains
(``subset``) keep every row, as in R's ``subset(design, ...)``::

    survey = SurveyData.from_frame(frame, strata="ortsteil", fpc={1: 10028, 2: 4680})
    survey = survey.calibrate({"ortsteil": {...}, "geschlecht": {...}}, calfun="raking")
    survey.proportion("sicher_nacht", codes=[3, 4], valid=[1, 2, 3, 4], by="ortsteil").to_frame()
    survey.subset(survey.frame["geschlecht"] == 2).mean("furcht_index")

Results follow the disclosure policy of ``analysis.core.flags`` by default (fewer than 10 answers: no
numbers, flag ``unterdrueckt``). ``raw=True`` (``from_frame(..., raw=True)`` or :meth:`SurveyData.raw`)
returns every number with its flag still attached: for analysts, never for published output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.core import estimation
from analysis.core.calibration import calibrate as calibrate_design
from analysis.core.design import Design, make_design
from analysis.core.categories import category_text
from analysis.findings.common import groupings
from analysis.findings.compute import compute_findings
from analysis.core.contrasts import raw_numbers
from analysis.findings.types import Finding
from analysis.core.indicators import IndicatorSpec, indicator_values, is_share
from analysis.core.results import Estimate, WeightingResult

COLUMNS = ("variable", "by", "group", "estimate", "se", "ci_low", "ci_high", "n", "weighted_n", "deff", "df",
           "method", "flag", "reason")


@dataclass(frozen=True)
class ResultRow:
    """One estimate: ``group`` is None overall. Numbers are None when suppressed (unless raw)."""

    variable: str
    by: str | None
    group: str | None
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    weighted_n: float
    deff: float | None
    df: float
    method: str
    flag: str
    reason: str


@dataclass(frozen=True)
class Results:
    """The rows of one call (overall, or one per group of ``by``)."""

    rows: tuple[ResultRow, ...]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, group: Any) -> ResultRow:
        """The row of ``group`` (code as text or number); ``None`` for the overall row."""
        key = None if group is None else category_text(group)
        for row in self.rows:
            if row.group == key:
                return row
        raise KeyError(group)

    @property
    def estimate(self) -> float | None:
        """The estimate of a single-row result (overall)."""
        if len(self.rows) != 1:
            raise ValueError("Das Ergebnis hat mehrere Zeilen; bitte eine Gruppe wählen: result[gruppe].")
        return self.rows[0].estimate

    def to_frame(self) -> pd.DataFrame:
        """One row per estimate, indexed by group (``"gesamt"`` overall)."""
        frame = pd.DataFrame([[getattr(r, c) for c in COLUMNS] for r in self.rows], columns=list(COLUMNS))
        frame.index = pd.Index(["gesamt" if g is None else g for g in frame["group"]], name="group")
        return frame.drop(columns="group")


def _none(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


@dataclass(frozen=True, eq=False)
class SurveyData:
    """Responses plus design (see the module docstring). Build with :meth:`from_frame`."""

    frame: pd.DataFrame
    design: Design
    domain: np.ndarray | None = None  # positional boolean mask (aligned at construction), None = everybody
    raw_mode: bool = False
    weighting: WeightingResult | None = None

    def __post_init__(self) -> None:
        if len(self.frame) != self.design.n:
            raise ValueError(f"Die Daten haben {len(self.frame)} Zeilen, das Design {self.design.n}.")
        if not self.frame.index.is_unique:
            raise ValueError("Der Index der Daten ist nicht eindeutig; Masken ließen sich nicht zuordnen.")

    # -- construction -------------------------------------------------------------------------------
    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, strata: Any = None, fpc: Any = None, weights: Any = None,
                   clusters: Any = None, raw: bool = False) -> "SurveyData":
        """Design from columns of ``frame`` (names) or aligned Series (R ``svydesign``; see ``make_design``).

        ``fpc`` is a mapping stratum → population size, a column name, or a Series; without ``weights``
        the design weights are ``N_h / n_h``.
        """
        def column(value: Any) -> Any:
            if value is None or isinstance(value, Mapping):
                return value
            return _align(frame, value, "Designmerkmal").to_numpy()

        design = make_design(len(frame), strata=column(strata), fpc=column(fpc), weights=column(weights),
                             clusters=column(clusters))
        return cls(frame, design, raw_mode=raw)

    def calibrate(self, margins: Mapping[str, Mapping[Any, float]], *, calfun: str = "raking",
                  bounds: tuple[float, float] | None = None, missing: Mapping[str, Sequence] | None = None,
                  trim: tuple[float, float] | None = None, **options: Any) -> "SurveyData":
        """Calibrated copy (R ``calibrate``; rules in ``analysis.core.calibration``); diagnostics in ``.weighting``."""
        calibrated, result = calibrate_design(self.design, self.frame, margins, calfun=calfun, bounds=bounds,
                                              missing=missing, trim=trim, **options)
        return replace(self, design=calibrated, weighting=result)

    def subset(self, mask: Any) -> "SurveyData":
        """A domain: estimates use only the respondents in ``mask``, every row stays in the design.

        ``mask``: boolean Series aligned by index, a column name, or a boolean array of the frame's
        length. Subsets of subsets intersect.
        """
        chosen = _align(self.frame, mask, "Teilgruppe").fillna(False).astype(bool).to_numpy()
        if self.domain is not None:
            chosen = chosen & self.domain
        return replace(self, domain=chosen)

    def raw(self, raw: bool = True) -> "SurveyData":
        """Copy in raw mode: suppressed estimates keep their numbers (flag still attached)."""
        return replace(self, raw_mode=raw)

    @property
    def weights(self) -> pd.Series:
        return pd.Series(np.asarray(self.design.weights), index=self.frame.index, name="gewicht")

    # -- estimates ----------------------------------------------------------------------------------
    def mean(self, variable: Any, *, by: Any = None, valid: Sequence | None = None,
             level: float = 0.95) -> Results:
        """Domain mean of a numeric variable (t interval); ``valid`` restricts to these codes."""
        name, values = self._values(variable, valid)
        return self._estimate(name, values, "mean", by, "t", level)

    def proportion(self, variable: Any, codes: Sequence | None = None, *, valid: Sequence | None = None,
                   by: Any = None, method: str = "logit", level: float = 0.95) -> Results:
        """Share of respondents with one of ``codes`` among those with a valid answer.

        Without ``codes`` the variable must be 0/1. ``valid``: the valid codes (default: every
        non-missing value; pass e.g. ``[1, 2, 3, 4]`` so that 8 »weiß nicht« / 9 »keine Angabe« are
        missing, as the toolkit's indicators do).
        """
        name, values = self._values(variable, valid)
        if codes is not None:
            wanted = np.array([float(c) for c in codes])
            values = np.where(np.isnan(values), np.nan, np.isin(values, wanted).astype(float))
        elif not np.all(np.isin(values[~np.isnan(values)], (0.0, 1.0))):
            raise ValueError(f"{name}: ohne codes= muss die Variable 0/1 sein.")
        return self._estimate(name, values, "proportion", by, method, level)

    def total(self, variable: Any, *, by: Any = None, valid: Sequence | None = None, level: float = 0.95) -> Results:
        """Domain total ``Σ w y`` (t interval)."""
        name, values = self._values(variable, valid)
        return self._estimate(name, values, "total", by, "t", level)

    def indicator(self, spec: IndicatorSpec, *, by: Any = None, method: str = "logit",
                  level: float = 0.95) -> Results:
        """An indicator of the questionnaire (``analysis.core.indicators`` spec), as the profile estimates it."""
        values, domain = indicator_values(self.frame, spec)
        values = np.where(domain, values, np.nan)
        kind = "proportion" if is_share(spec) else "mean"
        return self._estimate(spec.id, values, kind, by, method if kind == "proportion" else "t", level)

    def findings(self, specs: Sequence[IndicatorSpec], breakdowns: Sequence[Any] | Mapping[str, Any] = (),
                 polarity: Mapping[str, int] | None = None, **options: Any) -> tuple[Finding, ...]:
        """Every finding (``analysis.findings.compute_findings``) on this survey; raw mode carries over.

        ``breakdowns``: column names, or ``{name: Series}`` aligned by index (set codes that are no
        group, such as 9 »keine Angabe«, to missing), or objects with ``variable`` and ``groups``.
        """
        if self.domain is not None:
            raise ValueError("Befunde werden für die ganze Stichprobe berechnet, nicht für eine Teilgruppe.")
        if isinstance(breakdowns, Mapping):
            breakdowns = {name: _align(self.frame, values, "Gliederung") for name, values in breakdowns.items()}
        return compute_findings(self.design, self.frame, specs, breakdowns, polarity,
                                raw=options.pop("raw", self.raw_mode), **options)

    # -- internals ----------------------------------------------------------------------------------
    def _values(self, variable: Any, valid: Sequence | None) -> tuple[str, np.ndarray]:
        if isinstance(variable, str):
            if variable not in self.frame:
                raise KeyError(f"Die Variable {variable} fehlt in den Daten.")
            name, series = variable, self.frame[variable]
        else:
            series = _align(self.frame, variable, "Variable")
            name = str(getattr(variable, "name", None) or "wert")
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        if valid is not None:
            values = np.where(np.isin(values, np.array([float(v) for v in valid])), values, np.nan)
        return name, values

    def _estimate(self, name: str, values: np.ndarray, kind: str, by: Any, method: str, level: float) -> Results:
        domain = np.ones(self.design.n, bool) if self.domain is None else self.domain
        if by is None:
            return Results((self._row(name, values, kind, domain, None, None, method, level),))
        by_name = by if isinstance(by, str) else str(getattr(by, "name", None) or "gruppe")
        grouping = groupings(self.frame, {by_name: _align(self.frame, by, "Gliederung")})[by_name]
        rows = [self._row(name, values, kind, domain & (grouping.codes == g), by_name, g, method, level)
                for g in grouping.groups]
        return Results(tuple(rows))

    def _row(self, name, values, kind, mask, by, group, method, level) -> ResultRow:
        est = _policy_estimate(self.design, values, mask, kind, method, level)
        numbers = (est.estimate, est.se, est.ci_low, est.ci_high, est.deff)
        if self.raw_mode and est.suppressed:
            raw = raw_numbers(self.design, values, mask, kind, est, level)
            numbers = tuple(_none(v) for v in (raw.estimate, raw.se, raw.ci_low, raw.ci_high, raw.deff))
        return ResultRow(name, by, group, *numbers[:4], est.n, est.weighted_n, numbers[4], est.df, est.method,
                         est.flag, est.reason)


def _policy_estimate(design: Design, values: np.ndarray, mask: np.ndarray, kind: str, method: str,
                     level: float) -> Estimate:
    if kind == "proportion":
        return estimation.proportion(design, values, mask, method=method, level=level)
    if kind == "mean":
        return estimation.mean(design, values, mask, level=level)
    return estimation.total(design, values, mask, level=level)


def _align(frame: pd.DataFrame, value: Any, what: str) -> pd.Series:
    """``value`` as a Series on ``frame.index``: a column name, an aligned Series, or a same-length array."""
    if isinstance(value, str):
        if value not in frame:
            raise KeyError(f"{what}: die Spalte {value} fehlt in den Daten.")
        return frame[value]
    if isinstance(value, pd.Series):
        missing = frame.index.difference(value.index)
        if len(missing):
            raise ValueError(f"{what}: für {len(missing)} Befragte fehlt ein Wert (z. B. Index {missing[0]!r}).")
        return value.reindex(frame.index)
    array = np.asarray(value)
    if array.shape[0] != len(frame):
        raise ValueError(f"{what}: {array.shape[0]} Werte für {len(frame)} Befragte.")
    return pd.Series(array, index=frame.index)


__all__ = ["ResultRow", "Results", "SurveyData"]
