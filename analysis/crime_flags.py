"""Known breaks and distortions in PKS series, as flags with German explanations.

Rules (research/domain.md §3.3, §3.7):

- ``bevoelkerungsbasis-2013``: from 2013 the population base is the Zensus 2011; a series spanning
  2012 → 2013 mixes bases (HZ not fully comparable).
- ``bevoelkerungsbasis-2024``: from 2024 the BKA computes HZ on the Zensus 2022 base.
- ``cannabis-2024``: Konsumcannabisgesetz from 1 April 2024; drug offences (keys ``73****``,
  Rauschgiftdelikte) fall sharply, which also lowers the totals (``------``, ``890000``). Flagged when a
  series of these keys spans 2023 → 2024, or for a single year 2024 of them.
- ``corona``: 2020 and 2021 are not comparable (lockdowns, fewer opportunities and controls).
- ``grenzgebiet``: immigration-law offences (``725000``) above 5 % of the total inflate the total in
  border areas; then ``890000`` is used as the total (:func:`choose_total_key`).
- ``serieneffekt``: a year whose count is implausibly high under Poisson variation around the median
  rate of the other years (upper tail p < 0.001), e.g. one series of 100 paint scratches (Meerane 2018).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from scipy import stats

from analysis.german import number
from analysis.crime_keys import IMMIGRATION_KEY, TOTAL_KEY, TOTAL_WITHOUT_IMMIGRATION_KEY
from analysis.errors import AnalysisError

IMMIGRATION_SHARE_THRESHOLD = 0.05
SERIES_P_THRESHOLD = 0.001
CORONA_YEARS = (2020, 2021)


@dataclass(frozen=True)
class SeriesFlag:
    """A flag on a year or a series: stable ``code``, the year concerned and a German message."""

    code: str
    year: int | None
    message: str


def _is_drug_or_total(key: str) -> bool:
    return key.startswith("73") or key in (TOTAL_KEY, TOTAL_WITHOUT_IMMIGRATION_KEY)


def series_flags(years: Iterable[int], key: str | None = None) -> tuple[SeriesFlag, ...]:
    """Flags for a series of ``years`` of offence ``key`` (None: no key-specific flags)."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return ()
    first, last = ys[0], ys[-1]
    flags: list[SeriesFlag] = []
    if first < 2013 <= last:
        flags.append(SeriesFlag(
            "bevoelkerungsbasis-2013", 2013,
            "Bevölkerungsbasis 2013: Ab 2013 beruhen die Einwohnerzahlen auf dem Zensus 2011; "
            "Häufigkeitszahlen vor und ab 2013 sind nur eingeschränkt vergleichbar.",
        ))
    if first < 2024 <= last:
        flags.append(SeriesFlag(
            "bevoelkerungsbasis-2024", 2024,
            "Bevölkerungsbasis 2024: Ab 2024 beruhen die Häufigkeitszahlen auf dem Zensus 2022; "
            "Häufigkeitszahlen vor und ab 2024 sind nur eingeschränkt vergleichbar.",
        ))
    if key is not None and _is_drug_or_total(key) and 2024 <= last:
        flags.append(SeriesFlag(
            "cannabis-2024", 2024,
            "Cannabisgesetz: Seit 1. April 2024 ist der Besitz kleiner Mengen Cannabis erlaubt; "
            "Rauschgiftdelikte (und damit auch die Gesamtzahl der Straftaten) sind ab 2024 nicht mit "
            "den Vorjahren vergleichbar.",
        ))
    for year in CORONA_YEARS:
        if year in ys:
            flags.append(SeriesFlag(
                "corona", year,
                f"Corona-Pandemie: {year} war von Ausgangs- und Kontaktbeschränkungen geprägt; die "
                "Fallzahlen sind mit anderen Jahren nur eingeschränkt vergleichbar.",
            ))
    return tuple(flags)


@dataclass(frozen=True)
class TotalChoice:
    """Which total to use for an area and year, with the share of immigration-law offences."""

    key: str
    total_cases: int
    immigration_share: float | None
    flag: SeriesFlag | None


def choose_total_key(cases_by_key: dict[str, int], year: int | None = None) -> TotalChoice:
    """Use ``890000`` instead of ``------`` when ``725000`` exceeds 5 % of the total.

    ``cases_by_key`` holds the counts of one area and year by key. Without ``725000`` the share is
    unknown and the total ``------`` is used (or ``890000`` if only that exists).
    """
    total = cases_by_key.get(TOTAL_KEY)
    without = cases_by_key.get(TOTAL_WITHOUT_IMMIGRATION_KEY)
    immigration = cases_by_key.get(IMMIGRATION_KEY)
    if total is None:
        if without is None:
            raise AnalysisError("Die PKS-Daten enthalten weder »------« (insgesamt) noch »890000«.")
        return TotalChoice(TOTAL_WITHOUT_IMMIGRATION_KEY, int(without), None, None)
    if immigration is None and without is not None:
        immigration = total - without
    if immigration is None or total == 0:
        return TotalChoice(TOTAL_KEY, int(total), None, None)
    share = immigration / total
    if share <= IMMIGRATION_SHARE_THRESHOLD:
        return TotalChoice(TOTAL_KEY, int(total), share, None)
    if without is None:
        without = total - immigration
    percent = number(100 * share, 1)
    flag = SeriesFlag(
        "grenzgebiet", year,
        f"Grenzgebiet: {percent} % der Fälle sind Verstöße gegen das Aufenthalts-, Asyl- und "
        "Freizügigkeitsgesetz (Schlüssel 725000), meist bei Grenzkontrollen festgestellt; als "
        "Gesamtzahl werden deshalb die Straftaten ohne diese Verstöße (Schlüssel 890000) verwendet.",
    )
    return TotalChoice(TOTAL_WITHOUT_IMMIGRATION_KEY, int(without), share, flag)


def series_effect_flags(
    years: Sequence[int], cases: Sequence[int], population: Sequence[float]
) -> tuple[SeriesFlag, ...]:
    """Years with a count far above the other years (possible series offence), see module docstring.

    For each year the expected count is the median HZ of the other years times its population; the
    year is flagged when P(X ≥ count) < 0.001 under Poisson. Needs at least three years.
    """
    if len(years) < 3:
        return ()
    k = np.asarray(cases, dtype=float)
    e = np.asarray(population, dtype=float)
    rates = k / e
    flags = []
    for i, year in enumerate(years):
        others = np.delete(rates, i)
        expected = float(np.median(others) * e[i])
        if expected <= 0:
            continue
        if stats.poisson.sf(k[i] - 1, expected) < SERIES_P_THRESHOLD:
            flags.append(SeriesFlag(
                "serieneffekt", int(year),
                f"Auffällig hohe Fallzahl {int(year)} ({number(k[i])} statt erwartet etwa "
                f"{number(expected)}): möglicherweise eine Tatserie, die die Statistik dieses Jahres "
                "prägt.",
            ))
    return tuple(flags)
