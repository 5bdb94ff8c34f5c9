"""PKS statistics read from the long frame of DESIGN.md §3: counts, rates, series and comparisons of one
area, year and key selection (the statistics themselves are in the sibling modules).

Reference areas: the commune is part of its Landkreis and of the Land. Rate ratios therefore compare
the commune with the *rest* of the reference area (reference minus commune, cases and population), so
that the two counts are independent as the conditional binomial interval requires
(:func:`compare_with_reference`, ``contains_area=True``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.crime.flags import SeriesFlag, TotalChoice, choose_total_key, series_effect_flags, series_flags
from analysis.crime.keys import (
    OFFENCE_GROUPS, TOTAL_WITHOUT_IMMIGRATION_KEY,
    OffenceGroup, count_for_patterns,
)
from analysis.crime.rates import (
    ClearanceRate, PooledRate, RateEstimate, RateRatio, aufklaerungsquote,
    haeufigkeitszahl, pooled_rate, rate_ratio,
)
from analysis.crime.trend import TrendResult, crime_trend
from analysis.errors import AnalysisError

REQUIRED_COLUMNS = ("gebiet", "jahr", "schluessel", "faelle", "aufgeklaert", "einwohner")


class _Index:
    """Rows per (area, year) and area counts of one frame, each worked out once (see :func:`indexed`)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.rows: dict[tuple[str, int], pd.DataFrame] | None = None
        self.counts: dict[tuple[str, int, tuple[str, ...]], AreaCount] = {}

    def area_year(self, gebiet: str, jahr: int) -> pd.DataFrame:
        if self.rows is None:
            positions: dict[tuple[str, object], list[int]] = {}
            for i, key in enumerate(zip(self.frame["gebiet"].astype(str), self.frame["jahr"])):
                positions.setdefault(key, []).append(i)
            # the rows ``frame.loc[(gebiet == g) & (jahr == j)]`` selects: same rows, same order
            self.rows = {key: self.frame.iloc[rows] for key, rows in positions.items()}
        return self.rows.get((str(gebiet), int(jahr)), self.frame.iloc[:0])


_INDEX: ContextVar[_Index | None] = ContextVar("pks_index", default=None)


@contextmanager
def indexed(frame: pd.DataFrame | None) -> Iterator[None]:
    """Within the block, the rows of an area and year of ``frame`` and its area counts are looked up
    once (a profile asks for the same ones hundreds of times); ``frame`` must not change inside."""
    token = _INDEX.set(_Index(frame) if frame is not None else None)
    try:
        yield
    finally:
        _INDEX.reset(token)


def _index_of(frame: pd.DataFrame) -> _Index | None:
    index = _INDEX.get()
    return index if index is not None and index.frame is frame else None


def _area_year(frame: pd.DataFrame, gebiet: str, jahr: int) -> pd.DataFrame:
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise AnalysisError(f"Den PKS-Daten fehlen die Spalten {', '.join(missing)}.")
    index = _index_of(frame)
    if index is not None:
        rows = index.area_year(gebiet, jahr)
    else:
        rows = frame.loc[(frame["gebiet"].astype(str) == str(gebiet)) & (frame["jahr"] == int(jahr))]
    if rows.empty:
        raise AnalysisError(f"Die PKS-Daten enthalten keine Angaben für Gebiet {gebiet} im Jahr {jahr}.")
    return rows


def _population(rows: pd.DataFrame, gebiet: str, jahr: int) -> float:
    values = pd.to_numeric(rows["einwohner"], errors="coerce").dropna().unique()
    if len(values) != 1:
        raise AnalysisError(
            f"Für Gebiet {gebiet} im Jahr {jahr} gibt es keine eindeutige Einwohnerzahl: {sorted(values)}."
        )
    return float(values[0])


def _patterns(patterns: str | tuple[str, ...]) -> tuple[str, ...]:
    return (patterns,) if isinstance(patterns, str) else tuple(patterns)


@dataclass(frozen=True)
class AreaCount:
    """Cases, cleared cases and population of one area, year and key selection."""

    gebiet: str
    jahr: int
    patterns: tuple[str, ...]
    cases: int
    cleared: int | None
    population: float


def area_count(frame: pd.DataFrame, gebiet: str, jahr: int, patterns: str | tuple[str, ...]) -> AreaCount:
    """Add up the cases of ``patterns`` (see :func:`count_for_patterns`) for one area and year."""
    pats = _patterns(patterns)
    index = _index_of(frame)
    if index is not None:
        known = index.counts.get((str(gebiet), int(jahr), pats))
        if known is None:
            known = index.counts[(str(gebiet), int(jahr), pats)] = _area_count(frame, gebiet, jahr, pats)
        return known
    return _area_count(frame, gebiet, jahr, pats)


def _area_count(frame: pd.DataFrame, gebiet: str, jahr: int, pats: tuple[str, ...]) -> AreaCount:
    rows = _area_year(frame, gebiet, jahr)
    cases = count_for_patterns(rows, pats)
    try:
        cleared: int | None = count_for_patterns(rows, pats, column="aufgeklaert")
    except AnalysisError:
        cleared = None
    return AreaCount(str(gebiet), int(jahr), pats, cases, cleared, _population(rows, gebiet, jahr))


def offence_rate(frame: pd.DataFrame, gebiet: str, jahr: int, patterns: str | tuple[str, ...],
                 conf_level: float = 0.95) -> RateEstimate:
    """HZ with Garwood interval of the selected keys for one area and year."""
    count = area_count(frame, gebiet, jahr, patterns)
    return haeufigkeitszahl(count.cases, count.population, conf_level)


def clearance(frame: pd.DataFrame, gebiet: str, jahr: int, patterns: str | tuple[str, ...],
              conf_level: float = 0.95) -> ClearanceRate:
    """Aufklärungsquote of the selected keys for one area and year."""
    count = area_count(frame, gebiet, jahr, patterns)
    if count.cleared is None:
        raise AnalysisError(
            f"Für Gebiet {gebiet} im Jahr {jahr} fehlen die aufgeklärten Fälle ({', '.join(count.patterns)})."
        )
    return aufklaerungsquote(count.cases, count.cleared, conf_level)


def compare_with_reference(
    frame: pd.DataFrame, gebiet: str, reference: str, jahr: int, patterns: str | tuple[str, ...],
    *, contains_area: bool = True, conf_level: float = 0.95,
) -> RateRatio:
    """Rate ratio of ``gebiet`` against ``reference`` (e.g. Landkreis, ``14`` for Sachsen).

    With ``contains_area`` (the default: the commune lies in the reference area) the commune's cases and
    population are subtracted from the reference first, i.e. the commune is compared with the rest.
    """
    own = area_count(frame, gebiet, jahr, patterns)
    ref = area_count(frame, reference, jahr, patterns)
    ref_cases, ref_population = ref.cases, ref.population
    if contains_area:
        ref_cases -= own.cases
        ref_population -= own.population
        if ref_cases < 0 or ref_population <= 0:
            raise AnalysisError(
                f"Gebiet {gebiet} hat mehr Fälle oder Einwohner als das Vergleichsgebiet {reference} "
                f"({jahr}); liegt die Kommune wirklich darin?"
            )
    return rate_ratio(own.cases, own.population, ref_cases, ref_population, conf_level)


@dataclass(frozen=True)
class OffenceSeries:
    """Yearly cases and population of one area and key selection, sorted by year."""

    gebiet: str
    patterns: tuple[str, ...]
    years: tuple[int, ...]
    cases: tuple[int, ...]
    population: tuple[float, ...]


def offence_series(frame: pd.DataFrame, gebiet: str, patterns: str | tuple[str, ...],
                   years: tuple[int, ...] | None = None) -> OffenceSeries:
    """The series of an area over ``years`` (default: every year present for the area)."""
    if years is None:
        present = frame.loc[frame["gebiet"].astype(str) == str(gebiet), "jahr"]
        years = tuple(sorted(int(y) for y in present.unique()))
    counts = [area_count(frame, gebiet, y, patterns) for y in sorted(years)]
    return OffenceSeries(str(gebiet), _patterns(patterns), tuple(c.jahr for c in counts),
                         tuple(c.cases for c in counts), tuple(c.population for c in counts))


def series_trend(series: OffenceSeries, conf_level: float = 0.95) -> TrendResult:
    """Quasi-Poisson trend of an :class:`OffenceSeries`."""
    return crime_trend(series.years, series.cases, series.population, conf_level)


def series_pooled(series: OffenceSeries, last: int = 3, conf_level: float = 0.95) -> PooledRate:
    """Average over the ``last`` years of the series (3 or 5 for small communes)."""
    if last < 1 or last > len(series.years):
        raise AnalysisError(f"Für einen {last}-Jahres-Durchschnitt liegen nur {len(series.years)} Jahre vor.")
    return pooled_rate(series.years[-last:], series.cases[-last:], series.population[-last:], conf_level)


def series_all_flags(series: OffenceSeries) -> tuple[SeriesFlag, ...]:
    """Break flags of the series (for its first pattern's key) plus possible series effects."""
    key = series.patterns[0] if len(series.patterns) == 1 else None
    return series_flags(series.years, key) + series_effect_flags(series.years, series.cases,
                                                                 series.population)


@dataclass(frozen=True)
class OffenceShare:
    """Cases of one offence group and their share in the total."""

    group: OffenceGroup
    cases: int
    share: float


@dataclass(frozen=True)
class OffenceStructure:
    """Shares of offence groups in the total of one area and year (groups may overlap)."""

    gebiet: str
    jahr: int
    total: TotalChoice
    shares: tuple[OffenceShare, ...]
    missing_groups: tuple[str, ...]


def total_choice(frame: pd.DataFrame, gebiet: str, jahr: int) -> TotalChoice:
    """Which total (``------`` or ``890000``) to use for an area and year (border rule)."""
    rows = _area_year(frame, gebiet, jahr)
    keys = ("------", "890000", "725000")
    by_key = {k: int(rows.loc[rows["schluessel"] == k, "faelle"].iloc[0]) for k in keys
              if (rows["schluessel"] == k).any()}
    return choose_total_key(by_key, int(jahr))


def offence_structure(frame: pd.DataFrame, gebiet: str, jahr: int,
                      groups: tuple[OffenceGroup, ...] = OFFENCE_GROUPS) -> OffenceStructure:
    """Share of each offence group in the total; groups without data are listed in ``missing_groups``."""
    rows = _area_year(frame, gebiet, jahr)
    total = total_choice(frame, gebiet, jahr)
    shares, missing = [], []
    for group in groups:
        if total.key == TOTAL_WITHOUT_IMMIGRATION_KEY and "725000" in group.patterns:
            continue
        try:
            cases = count_for_patterns(rows, group.patterns)
        except AnalysisError:
            missing.append(group.id)
            continue
        share = cases / total.total_cases if total.total_cases else float(np.nan)
        shares.append(OffenceShare(group, cases, share))
    return OffenceStructure(str(gebiet), int(jahr), total, tuple(shares), tuple(missing))
