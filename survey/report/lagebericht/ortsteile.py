"""Chapter »Ortsteilprofile« (issue 12, point 1): phrases the profile's ``ortsteil_profiles`` block.

Per Ortsteil (or pooled Ortsteile): what stands out against the rest of the commune (only findings of
strength ``clear`` or ``strong``; ``worse`` says whether that is the unfavourable side), what does not,
and a small chart of the Ortsteil against the rest. The engine decided every statement; an Ortsteil
with too few answers is shown as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.findings.types import EstimateRef, Finding
from survey.profile.base import Kind
from survey.profile.local import OrtsteilGroup, OrtsteilProfiles
from survey.report import charts as ch
from survey.report import formatting as fmt
from survey.report.document import BulletList, Figure, Paragraph, Section
from survey.report.lagebericht.claims import estimate_flag, estimate_point
from survey.report.lagebericht.profile import ReportProfile
from survey.report.charts._common import join_de

STANDOUT = ("clear", "strong")
KEY_INDICATORS = ("unsicher_nachts", "meidet_orte", "vertrauen_polizei_hoch")
MAX_CHART_ROWS = 7
ADJUSTMENT_WORDS = {"bh": "Benjamini-Hochberg", "holm": "Holm"}


def _estimate(finding: Finding, role: str) -> EstimateRef:
    return next(e for e in finding.estimates if e.role == role)


def _kind(rp: ReportProfile, indicator: str) -> Kind | None:
    """The indicator's kind; an indicator the profile does not list counts as a proportion."""
    record = rp.indicator(indicator)
    return Kind.PROPORTION if record is None else record.kind


def indicator_label(rp: ReportProfile, indicator: str) -> str:
    record = rp.indicator(indicator)
    return record.label if record is not None else indicator


@dataclass(frozen=True)
class RestWords:
    """The rest of the commune an Ortsteil is compared with, in the forms the sentences need."""

    in_rest: str  # after »als«: »im Rest von Grenzbach«
    from_rest: str  # »unterscheidet sich … vom Rest von Grenzbach«
    with_rest: str  # »wird mit dem Rest von Grenzbach verglichen«
    label: str  # legend and caption: »übriges Grenzbach«


def rest_words(rp: ReportProfile) -> RestWords:
    """»im Rest von Grenzbach« …; »in den übrigen Ortsteilen« … when an Ortsteil bears the commune's name
    (»Grenzbach: deutlich ungünstiger als im Rest von Grenzbach« would compare the place with itself)."""
    block = rp.document.ortsteil_profiles
    commune = rp.commune
    if block is not None and any(g.label.strip().casefold() == commune.strip().casefold() for g in block.groups):
        return RestWords("in den übrigen Ortsteilen", "von den übrigen Ortsteilen", "mit den übrigen Ortsteilen",
                         "übrige Ortsteile")
    return RestWords(f"im Rest von {commune}", f"vom Rest von {commune}", f"mit dem Rest von {commune}",
                     f"übriges {commune}")


def value_text(rp: ReportProfile, finding: Finding, role: str) -> str:
    """The value the finding compares on side ``role``, formatted by the kind of its indicator."""
    estimate = _estimate(finding, role)
    kind = "percent" if _kind(rp, finding.subject) == Kind.PROPORTION else "decimal"
    return fmt.estimate(estimate.value, estimate_flag(estimate), kind)


def _difference(rp: ReportProfile, finding: Finding) -> str:
    value = finding.effect.value if finding.effect is not None else None
    if _kind(rp, finding.subject) == Kind.PROPORTION:
        return fmt.percentage_points(value)
    return fmt.decimal(value, 2, sign=True) + " Skalenpunkte"


def _clause(rp: ReportProfile, finding: Finding) -> str:
    return (f"{indicator_label(rp, finding.subject)}: {value_text(rp, finding, 'group')} gegenüber "
            f"{value_text(rp, finding, 'rest')} im Rest ({_difference(rp, finding)})")


def group_text(rp: ReportProfile, group: OrtsteilGroup, block: OrtsteilProfiles) -> list:
    name = group.label
    if group.too_few:
        text = (f"Für {name} liegen zu wenige Antworten vor (weniger als 10 je Frage); Werte werden nicht "
                "ausgewiesen.")
        if not group.pooled:
            text += (" Die Kommune kann den Ortsteil in analyse.yaml unter »ortsteilprofile: zusammenfassen« mit "
                     "einem Nachbarortsteil zusammenfassen.")
        return [Paragraph(text)]
    tested = [f for f in group.findings if f.test is not None]
    standouts = [f for f in tested if f.strength in STANDOUT]
    worse = [f for f in standouts if f.worse]
    better = [f for f in standouts if not f.worse]
    out = []
    if worse:
        out.append(Paragraph(f"Deutlich ungünstiger als {rest_words(rp).in_rest}:"))
        out.append(BulletList(tuple(_clause(rp, f) for f in worse)))
    if better:
        out.append(Paragraph(f"Deutlich günstiger als {rest_words(rp).in_rest}:"))
        out.append(BulletList(tuple(_clause(rp, f) for f in better)))
    rest = len(tested) - len(standouts)
    if not standouts:
        out.append(Paragraph(f"{name} unterscheidet sich bei keinem der {fmt.integer(len(tested))} geprüften "
                             f"Kernindikatoren deutlich {rest_words(rp).from_rest}."))
    elif rest:
        out.append(Paragraph(f"Bei den übrigen {fmt.integer(rest)} geprüften Kernindikatoren zeigt sich kein deutlicher "
                             "Unterschied zum Rest der Kommune."))
    note = _unreliable_note(rp, group, worse + better)
    if note:
        out.append(Paragraph(note))
    return out


def _unreliable_note(rp: ReportProfile, group: OrtsteilGroup, shown_findings: list[Finding]) -> str | None:
    """Where this Ortsteil's unreliable values are marked: in parentheses in the list, or (only in the
    chart) as open markers; no note when neither shows one (the flag may concern values not shown here)."""
    if not group.unreliable:
        return None
    in_text = any(estimate_flag(_estimate(f, role)) == fmt.FLAG_UNRELIABLE
                  for f in shown_findings for role in ("group", "rest"))
    points = [point for _, point in _chart_points(rp, group)]
    in_chart = any(not p.suppressed for p in points) and any(p.unreliable for p in points)
    start = "Einige Werte dieses Ortsteils beruhen auf wenigen Antworten und sind eingeschränkt belastbar"
    if in_text:
        return f"{start} (in Klammern)."
    if in_chart:
        return f"{start} (in der Abbildung als nicht ausgefüllte Punkte)."
    return None


def _chart_indicators(rp: ReportProfile, group: OrtsteilGroup) -> list[str]:
    """The indicators of the Ortsteil's chart: the key indicators, then its standouts (shares only)."""
    by_id = {f.subject: f for f in group.findings}
    chosen = [i for i in KEY_INDICATORS if i in by_id]
    chosen += [f.subject for f in group.findings if f.strength in STANDOUT and f.subject not in chosen
               and _kind(rp, f.subject) == Kind.PROPORTION]
    return [i for i in chosen if _kind(rp, i) == Kind.PROPORTION][:MAX_CHART_ROWS]


def _chart_points(rp: ReportProfile, group: OrtsteilGroup) -> list[tuple[Finding, ch.Point]]:
    """The findings of the Ortsteil's chart with the Ortsteil's point of each."""
    by_id = {f.subject: f for f in group.findings}
    return [(by_id[i], estimate_point(_estimate(by_id[i], "group"))) for i in _chart_indicators(rp, group)]


def group_figure(rp: ReportProfile, group: OrtsteilGroup, index: int) -> Figure | None:
    rows = [ch.IndicatorRow(indicator_label(rp, f.subject), point,
                            (ch.Reference(rest_words(rp).label, estimate_point(_estimate(f, "rest"))),))
            for f, point in _chart_points(rp, group)]
    if not rows or all(r.estimate.suppressed for r in rows):
        return None
    chart = ch.indicator_chart(rows, commune=group.label, unit="share", level=rp.level)
    return Figure(f"ortsteilprofil-{index}", chart,
                  f"{group.label} und {rest_words(rp).label}: ausgewählte Kernindikatoren mit 95-%-Konfidenzintervall")


def ortsteil_chapter(rp: ReportProfile) -> Section | None:
    block = rp.document.ortsteil_profiles
    if block is None or not block.groups:
        return None
    method = ADJUSTMENT_WORDS.get(block.adjustment, block.adjustment)
    intro = (f"Jeder Ortsteil wird {rest_words(rp).with_rest} verglichen, bei jedem Kernindikator mit einem "
             f"designbasierten t-Test. Weil dabei {fmt.integer(block.family_size)} Vergleiche zugleich geprüft "
             f"werden, sind die p-Werte nach {method} angepasst; genannt werden nur deutliche Unterschiede "
             "(nach der Anpassung gesichert und mindestens 5 Prozentpunkte bzw. 0,2 Skalenpunkte). Unterschiede "
             "zwischen Ortsteilen beschreiben, wo etwas auffällt, nicht warum.")
    blocks: list = [Paragraph(intro)]
    pools = block.pools
    if pools:
        names = {g.code: g.label for v in rp.breakdown_variables if v.id == block.by for g in v.groups}
        blocks.append(Paragraph("Auf Wunsch der Kommune zusammengefasst: " + join_de(
            [f"{label} ({join_de([names.get(c, c) for c in codes])})" for label, codes in pools.items()]) + "."))
    for index, group in enumerate(block.groups, start=1):
        sub = group_text(rp, group, block)
        figure = None if group.too_few else group_figure(rp, group, index)
        if figure is not None:
            sub.append(figure)
        heading = group.label
        blocks.append(Section(heading, tuple(sub), level=2, id=f"ortsteil-{index}"))
    return Section("Ortsteilprofile", tuple(blocks), id="ortsteilprofile")
