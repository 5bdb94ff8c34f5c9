"""Perceived versus registered crime: survey victimisation and reporting next to the PKS.

Per offence (``fahrrad``, ``einbruch``, ``sachbeschaedigung``, ``koerperverletzung``, ``betrug``):

- survey victims per 100,000 residents 16+: V = p × 100,000 (p = 12-month victimisation share);
- estimated reported cases per 100,000: A = p × r × 100,000 (r = reporting share among victims);
- PKS registered per 100,000: the HZ of the comparable keys (:data:`SURVEY_OFFENCE_KEYS`);
- Dunkelfeld factor F = V / HZ (victims per registered case), and A / HZ (reported per registered
  case; about 1 if survey and PKS agree).

Uncertainty: delta method on the log scale, normal quantiles. var(log p) = (se_p/p)², var(log r) =
(se_r/r)², var(log HZ) = 1/k (Poisson, k = PKS cases). The three are treated as independent: p and r
come from the same sample but the share of victims and the reporting share among victims are
asymptotically uncorrelated (marginal and conditional proportion), and the PKS is a separate source.
The HZ interval itself is the exact Garwood interval. Survey shares come in as proportions (0-1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from analysis.core import distributions as dist
from analysis.crime.keys import SURVEY_OFFENCE_KEYS
from analysis.crime.rates import PER, garwood_interval
from analysis.errors import AnalysisError

# Why survey and PKS figures differ (codes; ``survey`` words them): reference period, crime-scene
# principle, population base, multiple victims, series offences, registration.
CAVEATS: tuple[str, ...] = ("reference_period", "crime_scene", "population", "multiple_victims", "series",
                            "registration")
HOUSEHOLD_CAVEAT = "household"  # burglary and bicycle theft hit households: several respondents, one offence


@dataclass(frozen=True)
class SurveyShare:
    """A survey proportion (0-1) with its standard error (from the weighted survey estimate)."""

    estimate: float
    se: float


@dataclass(frozen=True)
class PerCapita:
    """A value per 100,000 with its interval."""

    value: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class DunkelfeldComparison:
    """Survey victims, estimated reported cases and PKS cases per 100,000 for one offence."""

    offence: str
    pks_keys: tuple[str, ...]
    victims: PerCapita
    reported: PerCapita
    registered: PerCapita
    dunkelfeld_factor: PerCapita
    reported_to_registered: PerCapita
    conf_level: float
    caveats: tuple[str, ...]


def _log_interval(value: float, se_log: float, z: float) -> PerCapita:
    if value <= 0 or not math.isfinite(value) or not math.isfinite(se_log):
        return PerCapita(value, math.nan, math.nan)
    return PerCapita(value, value * math.exp(-z * se_log), value * math.exp(z * se_log))


def _rel_var(share: SurveyShare, what: str) -> float:
    if not (0 <= share.estimate <= 1) or share.se < 0:
        raise AnalysisError(f"{what}: Anteil {share.estimate} oder Standardfehler {share.se} ungültig.")
    return math.inf if share.estimate == 0 else (share.se / share.estimate) ** 2


def compare_offence(
    offence: str, victimisation: SurveyShare, reporting: SurveyShare, pks_cases: int,
    pks_population: float, conf_level: float = 0.95,
) -> DunkelfeldComparison:
    """Survey versus PKS for one offence (see the module docstring for formulas)."""
    if offence not in SURVEY_OFFENCE_KEYS:
        raise AnalysisError(
            f"Unbekanntes Delikt »{offence}«; bekannt sind: {', '.join(SURVEY_OFFENCE_KEYS)}."
        )
    if not 0 < conf_level < 1:
        raise AnalysisError(f"Das Konfidenzniveau {conf_level} muss zwischen 0 und 1 liegen.")
    if pks_population <= 0 or pks_cases < 0:
        raise AnalysisError(f"PKS-Angaben für »{offence}« ungültig: {pks_cases} Fälle, {pks_population} Einwohner.")
    mapping = SURVEY_OFFENCE_KEYS[offence]
    z = float(dist.norm_ppf(1 - (1 - conf_level) / 2))
    var_p = _rel_var(victimisation, f"Opferanteil »{offence}«")
    var_r = _rel_var(reporting, f"Anzeigequote »{offence}«")
    var_k = math.inf if pks_cases == 0 else 1 / pks_cases
    victims = victimisation.estimate * PER
    reported = victimisation.estimate * reporting.estimate * PER
    hz = pks_cases * PER / pks_population
    low, high = garwood_interval(pks_cases, pks_population / PER, conf_level)
    factor = math.inf if pks_cases == 0 else victims / hz
    reported_ratio = math.inf if pks_cases == 0 else reported / hz
    caveats = CAVEATS + ((HOUSEHOLD_CAVEAT,) if mapping.household_offence else ())
    caveats += ((f"keys_{offence}",) if mapping.note else ())
    return DunkelfeldComparison(
        offence=offence,
        pks_keys=mapping.patterns,
        victims=_log_interval(victims, math.sqrt(var_p), z),
        reported=_log_interval(reported, math.sqrt(var_p + var_r), z),
        registered=PerCapita(hz, low, high),
        dunkelfeld_factor=_log_interval(factor, math.sqrt(var_p + var_k), z),
        reported_to_registered=_log_interval(reported_ratio, math.sqrt(var_p + var_r + var_k), z),
        conf_level=conf_level,
        caveats=caveats,
    )


def perceived_vs_registered(
    victimisation: Mapping[str, SurveyShare],
    reporting: Mapping[str, SurveyShare],
    pks: Mapping[str, tuple[int, float]],
    conf_level: float = 0.95,
) -> tuple[DunkelfeldComparison, ...]:
    """:func:`compare_offence` for every offence present in all three mappings (survey order).

    ``pks`` maps an offence to (PKS cases of its keys, population of all ages) for the same area and
    the calendar year closest to the survey's 12 months.
    """
    results = []
    for offence in SURVEY_OFFENCE_KEYS:
        if offence in victimisation and offence in reporting and offence in pks:
            cases, population = pks[offence]
            results.append(compare_offence(offence, victimisation[offence], reporting[offence],
                                           cases, population, conf_level))
    return tuple(results)
