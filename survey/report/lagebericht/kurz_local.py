"""Kurzbericht content of issue 12: the change since the earlier wave and »Ihr Ortsteil« (what stands
out in each Ortsteil against the rest of the commune), phrased from the engine's findings only."""

from __future__ import annotations

from analysis.findings.types import Direction
from survey.report.lagebericht.claims import Sentence
from survey.report import formatting as fmt
from survey.report.document import BulletList, Paragraph, Section
from survey.report.lagebericht.ortsteile import STANDOUT, indicator_label, rest_words, value_text
from survey.report.lagebericht.profile import ReportProfile
from survey.report.charts._common import join_de
from survey.wording import findings as wf

MAX_NAMED = 3
ORDER = {"strong": 0, "clear": 1}


def change_paragraph(rp: ReportProfile) -> Paragraph | None:
    change = rp.document.change
    if change is None:
        return None
    before = change.previous.label
    moved = [f for f in change.findings if f.by is None and f.test is not None and wf.supported(f)]
    if not moved:
        return Paragraph(f"Gegenüber der Befragung {before} hat sich keiner der Kernindikatoren erkennbar verändert.")
    parts = []
    for f in moved:
        verb = "gestiegen" if f.direction == Direction.HIGHER else "gesunken"
        parts.append(f"»{indicator_label(rp, f.subject)}« ist {verb} (von {value_text(rp, f, 'from')} auf "
                     f"{value_text(rp, f, 'to')})")
    return Paragraph(Sentence(f"Seit der Befragung {before}: {join_de(parts)}; die übrigen Kernindikatoren haben sich "
                              "nicht erkennbar verändert.", [f.id for f in moved]))


def ortsteil_section(rp: ReportProfile) -> Section | None:
    block = rp.document.ortsteil_profiles
    if block is None or not block.groups:
        return None
    items = []
    for group in block.groups:
        if group.too_few:
            items.append(f"{group.label}: zu wenige Antworten für eigene Werte")
            continue
        worse = sorted((f for f in group.findings if f.strength in STANDOUT and f.worse),
                       key=lambda f: ORDER[f.strength])
        if not worse:
            items.append(f"{group.label}: bei keinem Kernindikator deutlich ungünstiger als {rest_words(rp).in_rest}")
            continue
        items.append(f"{group.label}: deutlich ungünstiger als {rest_words(rp).in_rest} bei {_named(rp, worse)}")
    return Section("Ihr Ortsteil", (BulletList(tuple(items)),), level=3)


def _named(rp: ReportProfile, worse: list) -> str:
    """``»a«, »b« und »c«``; beyond :data:`MAX_NAMED` ``»a«, »b«, »c« und 2 weiteren Kernindikatoren`` (one
    »und« only)."""
    named = [f"»{indicator_label(rp, f.subject)}«" for f in worse[:MAX_NAMED]]
    rest = len(worse) - MAX_NAMED
    if rest > 0:
        named.append("einem weiteren Kernindikator" if rest == 1 else f"{fmt.integer(rest)} weiteren Kernindikatoren")
    return join_de(named)
