"""PKS part of the profile (``crime``) and the survey-versus-PKS comparison (``dunkelfeld``).

Fields added in 1.0 after its first release (``crime.landkreis``, ``headline_total``, an offence's
``headline`` and ``hz_landkreis``, the ``verdict`` of trends and rate ratios) are ``None`` in profiles
upgraded from files that predate them."""

from __future__ import annotations

from typing import Literal, Optional

from survey.profile.base import Contract, Number


class Rate(Contract):
    """Häufigkeitszahl (cases per 100,000 inhabitants) with its Garwood interval."""

    cases: int
    population: Number
    rate: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None
    conf_level: Number
    flag: Optional[str] = None


class YearCount(Contract):
    jahr: int
    faelle: int
    einwohner: Number
    hz: Rate


class Clearance(Contract):
    cases: int
    cleared: int
    share: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None
    conf_level: Number
    flag: Optional[str] = None


class Trend(Contract):
    years: tuple[int, ...]
    rate_ratio: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None
    p_value: Optional[Number] = None
    dispersion: Optional[Number] = None
    df_resid: int
    conf_level: Number
    method: str
    dispersion_estimated: Optional[Number] = None
    verdict: Optional[Literal["steigend", "fallend", "kein_unterschied"]] = None


class PooledRate(Contract):
    years: tuple[int, ...]
    total_cases: int
    mean_cases: Optional[Number] = None
    mean_cases_ci_low: Optional[Number] = None
    mean_cases_ci_high: Optional[Number] = None
    mean_population: Number
    rate: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None
    conf_level: Number
    flag: Optional[str] = None


class SeriesFlag(Contract):
    code: str
    year: Optional[int] = None
    years: tuple[int, ...] = ()
    share: Optional[Number] = None
    cases: Optional[int] = None
    expected: Optional[Number] = None


class RateRatio(Contract):
    cases: int
    population: Number
    reference_cases: int
    reference_population: Number
    ratio: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None
    conf_level: Number
    flag: Optional[str] = None
    verdict: Optional[Literal["hoeher", "niedriger", "kein_unterschied"]] = None


class Offence(Contract):
    id: str
    label: str
    keys: tuple[str, ...]
    series: tuple[YearCount, ...]
    headline: Optional[bool] = None  # only on the two totals: the one the border rule picked
    aq: Optional[Clearance] = None
    trend: Optional[Trend] = None
    mean_last_years: Optional[PooledRate] = None
    flags: tuple[SeriesFlag, ...] = ()
    small_count: Optional[str] = None
    hz_landkreis: Optional[Rate] = None
    rate_ratio_landkreis: Optional[RateRatio] = None
    rate_ratio_sachsen: Optional[RateRatio] = None


class References(Contract):
    landkreis: Optional[str] = None
    sachsen: Optional[str] = None


class Landkreis(Contract):
    requested: str
    derived: bool
    gebiet: Optional[str] = None
    available: bool
    reason: Optional[str] = None


class CrimeTotal(Contract):
    key: str
    total_cases: int
    immigration_share: Optional[Number] = None
    flag: Optional[SeriesFlag] = None


class OffenceShare(Contract):
    id: str
    label: str
    cases: int
    share: Optional[Number] = None


class CrimeFieldOfAction(Contract):
    id: str
    offence_groups: tuple[str, ...]


class CrimeNote(Contract):
    step: str
    offence: Optional[str] = None
    message: str


class Crime(Contract):
    """``available = false`` with a ``reason`` code (``no_pks``, ``no_commune_rows``) when there is no PKS."""

    available: bool
    reason: Optional[str] = None
    gebiet: Optional[str] = None
    years: tuple[int, ...] = ()
    latest_year: Optional[int] = None
    references: Optional[References] = None
    landkreis: Optional[Landkreis] = None
    total: Optional[CrimeTotal] = None
    headline_total: Optional[str] = None
    offences: tuple[Offence, ...] = ()
    structure: Optional[tuple[OffenceShare, ...]] = None
    fields_of_action: tuple[CrimeFieldOfAction, ...] = ()
    notes: tuple[CrimeNote, ...] = ()

    def headline_offence(self) -> Optional[Offence]:
        """The total chosen by the border rule (``headline``); upgraded older profiles: ``insgesamt``."""
        marked = [o for o in self.offences if o.headline]
        if marked:
            return marked[0]
        return next((o for o in self.offences if o.id == "insgesamt"), None)


class PerCapita(Contract):
    value: Optional[Number] = None
    ci_low: Optional[Number] = None
    ci_high: Optional[Number] = None


class DunkelfeldRow(Contract):
    offence: str
    pks_keys: tuple[str, ...]
    victims: PerCapita
    reported: PerCapita
    registered: PerCapita
    dunkelfeld_factor: PerCapita
    reported_to_registered: PerCapita
    conf_level: Number
    caveats: tuple[str, ...] = ()


class Dunkelfeld(Contract):
    available: bool
    pks_year: Optional[int] = None
    rows: tuple[DunkelfeldRow, ...] = ()
    caveats: tuple[str, ...] = ()
