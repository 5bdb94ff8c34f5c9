"""The comparison results computed from a set of profiles (no formatting, no output).

* Cross-section: the **latest wave of each commune** (communes are independent samples; several waves
  of one commune would count it twice).
* Indicators: the core indicators present in every profile (``core: true``), in the order of the first
  profile. For each, on the direct and (where the profiles carry them) the age-sex-standardised
  estimates: funnel with ``tau²`` by rule (estimated from 20 communes, or fixed from an earlier
  comparison), Fay-Herriot and rank intervals with rank classes
  (:func:`analysis.comparison.indicator.compare_indicator`). Suppressed values (``unterdrueckt``) are left out.
* Families of tests (:mod:`analysis.comparison.family`): per basis, all communes × indicators
  (Benjamini-Hochberg); per commune, its changes between waves (Holm).
* Changes: for every commune with two or more waves, consecutive waves, every core indicator (direct
  estimates), Wald test with independent samples.
* Perceived vs registered crime: ``unsicher_nachts`` against the PKS Häufigkeitszahl (total, latest
  year of each profile).
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from analysis.comparison.family import CHANGE_METHOD, CROSS_SECTION_METHOD, Family, change_family, funnel_family
from analysis.comparison.funnel import MIN_COMMUNES_TAU2
from analysis.comparison.change import Change, adjust_changes, wave_change
from analysis.comparison.indicator import (
    Correlation, IndicatorComparison, compare_indicator, rank_correlation, scale_of,
)
from survey.comparison.loading import IndicatorInfo, ProfileData

OUTCOME = "unsicher_nachts"
HEADLINE = ("unsicher_nachts", "unsicher_gemeinde", "meidet_orte", "opfer_12m_irgendein",
            "vertrauen_polizei_hoch", "furcht_index")
NAMELESS_SEED = 4711
BASES = ("direct", "standardised")


@dataclass(frozen=True)
class FixedTau2:
    """A ``tau²`` taken from an earlier comparison (comparison scale), with the number of communes it was
    estimated from."""

    tau2: float
    scale: str
    k: int


@dataclass(frozen=True)
class Tau2Prior:
    """The ``tau²`` values of an earlier comparison (``--tau2-von``), keyed by (basis, indicator)."""

    source: str  # file, as the user named it
    values: Mapping[tuple[str, str], FixedTau2]
    communes: int


@dataclass(frozen=True)
class IndicatorResults:
    info: IndicatorInfo
    direct: IndicatorComparison
    standardised: IndicatorComparison | None  # None if no profile carries standardised values
    fixed: Mapping[str, FixedTau2] = field(default_factory=dict)  # basis → tau² from an earlier comparison

    def basis(self, name: str) -> IndicatorComparison | None:
        return self.direct if name == "direct" else self.standardised


@dataclass(frozen=True)
class CommuneChanges:
    ags: str
    name: str
    changes: tuple[Change, ...]  # Holm-adjusted within the commune
    family: Family


@dataclass(frozen=True)
class ComparisonModel:
    profiles: tuple[ProfileData, ...]  # all, as given
    communes: tuple[ProfileData, ...]  # latest wave per commune, sorted by name
    indicators: tuple[IndicatorResults, ...]
    families: Mapping[str, Family]  # basis → cross-section family
    changes: tuple[CommuneChanges, ...]
    perceived_vs_registered: Correlation | None
    core_version: str
    min_communes: int
    tau2_prior: Tau2Prior | None
    missing_prior: tuple[str, ...]  # indicators the earlier comparison had no tau² for
    fh_method: str
    draws: int
    seed: int

    def indicator(self, indicator_id: str) -> IndicatorResults | None:
        return next((r for r in self.indicators if r.info.id == indicator_id), None)

    @property
    def headline(self) -> tuple[IndicatorResults, ...]:
        return tuple(r for r in self.indicators if r.info.id in HEADLINE)

    def commune(self, ags: str) -> ProfileData:
        return next(p for p in self.communes if p.ags == ags)

    def waves(self, ags: str) -> tuple[ProfileData, ...]:
        return tuple(sorted((p for p in self.profiles if p.ags == ags), key=lambda p: p.year))

    def changes_for(self, ags: str) -> CommuneChanges | None:
        return next((c for c in self.changes if c.ags == ags), None)

    @property
    def bases(self) -> tuple[str, ...]:
        return tuple(b for b in BASES if b in self.families)


def latest_waves(profiles: Sequence[ProfileData]) -> tuple[ProfileData, ...]:
    latest: dict[str, ProfileData] = {}
    for p in profiles:
        if p.ags not in latest or p.year > latest[p.ags].year:
            latest[p.ags] = p
    return tuple(sorted(latest.values(), key=lambda p: (p.name.casefold(), p.ags)))


def core_indicators(profiles: Sequence[ProfileData]) -> tuple[IndicatorInfo, ...]:
    first = profiles[0]
    common = [i for i in first.indicators.values() if i.core]
    return tuple(i for i in common if all(i.id in p.indicators and p.indicators[i.id].core for p in profiles))


def _series(communes: Sequence[ProfileData], indicator: str, basis: str):
    keys, estimates, ses = [], [], []
    for p in communes:
        value = (p.direct if basis == "direct" else p.standardised).get(indicator)
        keys.append(p.ags)
        ok = value is not None and value.usable
        estimates.append(value.estimate if ok else None)
        ses.append(value.se if ok else None)
    return keys, estimates, ses


def _changes(profiles: Sequence[ProfileData], communes: Sequence[ProfileData],
             indicators: Sequence[str]) -> tuple[CommuneChanges, ...]:
    found_all = []
    for commune in communes:
        waves = sorted((p for p in profiles if p.ags == commune.ags), key=lambda p: p.year)
        found = []
        for before, after in zip(waves, waves[1:]):
            for indicator in indicators:
                a, b = before.direct.get(indicator), after.direct.get(indicator)
                if a is None or b is None or not (a.usable and b.usable):
                    continue
                change = wave_change(indicator, before.year, a.estimate, a.se, after.year, b.estimate, b.se)
                if change is not None:
                    found.append(change)
        if found:
            adjusted = adjust_changes(found, CHANGE_METHOD)
            found_all.append(CommuneChanges(commune.ags, commune.name, adjusted,
                                            change_family(f"changes-{commune.ags}", adjusted)))
    return tuple(found_all)


def build_model(profiles: Sequence[ProfileData], *, tau2_prior: Tau2Prior | None = None,
                min_communes: int = MIN_COMMUNES_TAU2, fh_method: str = "reml", draws: int = 2000,
                seed: int = 20251) -> ComparisonModel:
    communes = latest_waves(profiles)
    results, missing = [], []
    for info in core_indicators(communes):
        fixed = {}
        if tau2_prior is not None:
            fixed = {basis: tau2_prior.values[(basis, info.id)] for basis in BASES
                     if (basis, info.id) in tau2_prior.values
                     and tau2_prior.values[(basis, info.id)].scale == scale_of(info.kind)}
            if "direct" not in fixed:
                missing.append(info.id)

        def compare(basis: str) -> IndicatorComparison:
            prior = fixed.get(basis)
            return compare_indicator(info.id, info.kind, *_series(communes, info.id, basis),
                                     min_communes=min_communes, tau2_fixed=prior.tau2 if prior else None,
                                     fh_method=fh_method, draws=draws, seed=seed)

        standardised = compare("standardised") if any(info.id in p.standardised for p in communes) else None
        results.append(IndicatorResults(info, compare("direct"), standardised, fixed))
    families = {}
    for basis in BASES:
        funnels = [r.basis(basis).funnel for r in results if r.basis(basis) and r.basis(basis).funnel]
        if funnels:
            families[basis] = funnel_family(f"cross-section-{basis}", funnels, method=CROSS_SECTION_METHOD)
    changes = _changes(profiles, communes, [r.info.id for r in results])
    x = [p.crime.hz if p.crime else None for p in communes]
    y = [p.direct[OUTCOME].estimate if OUTCOME in p.direct and p.direct[OUTCOME].usable else None for p in communes]
    return ComparisonModel(tuple(profiles), communes, tuple(results), families, changes, rank_correlation(x, y),
                           communes[0].core_version, min_communes, tau2_prior, tuple(missing), fh_method, draws,
                           seed)


def letter_label(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (spreadsheet style)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def nameless_labels(model: ComparisonModel, focal_ags: str) -> dict[str, str]:
    """Labels for a commune's sheet: the focal commune by name, the others ``Kommune A, B, …`` in a
    random order seeded by the focal AGS (reproducible, not revealing size or alphabet). This hides
    names, not identities: the values themselves are published in each commune's own report."""
    others = [p.ags for p in model.communes if p.ags != focal_ags]
    rng = random.Random(f"{NAMELESS_SEED}-{focal_ags}")
    rng.shuffle(others)
    labels = {ags: f"Kommune {letter_label(i)}" for i, ags in enumerate(others)}
    labels[focal_ags] = model.commune(focal_ags).name
    return labels
