"""The comparison results computed from a set of profiles (no formatting, no output).

* Cross-section: the **latest wave of each commune** (communes are independent samples; several waves
  of one commune would count it twice).
* Indicators: the core indicators present in every profile (``core: true``), in the order of the first
  profile. For each: funnel, Fay-Herriot and rank intervals on the direct estimates and, where the
  profiles carry them, on the age-sex-standardised estimates (:func:`analysis.comparison.compare_indicator`).
  Suppressed values (``unterdrueckt``) are left out.
* Changes: for every commune with two or more waves, consecutive waves, every core indicator (direct
  estimates), Wald test with independent samples.
* Perceived vs registered crime: ``unsicher_nachts`` against the PKS Häufigkeitszahl (total, latest
  year of each profile).
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.comparison import (
    Change, Correlation, IndicatorComparison, compare_indicator, rank_correlation, wave_change,
)
from survey.comparison.loading import IndicatorInfo, ProfileData

OUTCOME = "unsicher_nachts"
HEADLINE = ("unsicher_nachts", "unsicher_gemeinde", "meidet_orte", "opfer_12m_irgendein",
            "vertrauen_polizei_hoch", "furcht_index")
ANONYMISATION_SEED = 4711
BASES = ("direct", "standardised")


@dataclass(frozen=True)
class IndicatorResults:
    info: IndicatorInfo
    direct: IndicatorComparison
    standardised: IndicatorComparison | None  # None if no profile carries standardised values

    def basis(self, name: str) -> IndicatorComparison | None:
        return self.direct if name == "direct" else self.standardised

    @property
    def chart_basis(self) -> str:
        """The basis of funnel position, target, ranks and EB shown in reports: the direct estimates
        (what the commune's own report shows); standardised values stand beside them in the tables, and
        their funnel statistics are in the workbook."""
        return "direct"


@dataclass(frozen=True)
class CommuneChanges:
    ags: str
    name: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ComparisonModel:
    profiles: tuple[ProfileData, ...]  # all, as given
    communes: tuple[ProfileData, ...]  # latest wave per commune, sorted by name
    indicators: tuple[IndicatorResults, ...]
    changes: tuple[CommuneChanges, ...]
    perceived_vs_registered: Correlation | None
    core_version: str
    funnel_method: str
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


def build_model(profiles: Sequence[ProfileData], *, funnel_method: str = "dl", fh_method: str = "reml",
                draws: int = 2000, seed: int = 20251) -> ComparisonModel:
    communes = latest_waves(profiles)
    results = []
    for info in core_indicators(communes):
        direct = compare_indicator(info.id, info.kind, *_series(communes, info.id, "direct"),
                                   funnel_method=funnel_method, fh_method=fh_method, draws=draws, seed=seed)
        standardised = None
        if any(info.id in p.standardised for p in communes):
            standardised = compare_indicator(info.id, info.kind, *_series(communes, info.id, "standardised"),
                                             funnel_method=funnel_method, fh_method=fh_method, draws=draws,
                                             seed=seed)
        results.append(IndicatorResults(info, direct, standardised))
    changes = []
    infos = {r.info.id: r.info for r in results}
    for commune in communes:
        waves = sorted((p for p in profiles if p.ags == commune.ags), key=lambda p: p.year)
        found = []
        for before, after in zip(waves, waves[1:]):
            for indicator in infos:
                a, b = before.direct.get(indicator), after.direct.get(indicator)
                if a is None or b is None or not (a.usable and b.usable):
                    continue
                change = wave_change(indicator, before.year, a.estimate, a.se, after.year, b.estimate, b.se)
                if change is not None:
                    found.append(change)
        if found:
            changes.append(CommuneChanges(commune.ags, commune.name, tuple(found)))
    x = [p.crime.hz if p.crime else None for p in communes]
    y = [p.direct[OUTCOME].estimate if OUTCOME in p.direct and p.direct[OUTCOME].usable else None for p in communes]
    return ComparisonModel(tuple(profiles), communes, tuple(results), tuple(changes), rank_correlation(x, y),
                           communes[0].core_version, funnel_method, fh_method, draws, seed)


def letter_label(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (spreadsheet style)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def anonymised_labels(model: ComparisonModel, focal_ags: str) -> dict[str, str]:
    """Labels for a commune's one-pager: the focal commune by name, the others ``Kommune A, B, …`` in a
    random order seeded by the focal AGS (reproducible, but not revealing size or alphabet)."""
    others = [p.ags for p in model.communes if p.ags != focal_ags]
    rng = random.Random(f"{ANONYMISATION_SEED}-{focal_ags}")
    rng.shuffle(others)
    labels = {ags: f"Kommune {letter_label(i)}" for i, ags in enumerate(others)}
    labels[focal_ags] = model.commune(focal_ags).name
    return labels
