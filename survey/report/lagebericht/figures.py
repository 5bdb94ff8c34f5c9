"""Charts of the Lagebericht, built from the profile with the shared chart functions
(:mod:`survey.report.charts`). Each returns a :class:`~survey.report.document.Figure` (chart with
German alt text generated from the data) or None when there is nothing to show."""

from __future__ import annotations

import re

from survey.profile.base import Flag, Kind
from survey.profile.crime import Offence
from survey.profile.records import EstimateRecord, ItemDistribution
from survey.report import charts as ch
from survey.report.charts._common import join_de
from survey.report.document import Figure
from survey.report.lagebericht.profile import ReportProfile, flag_of, point_of, shown
from survey.report.lagebericht.sentences import problem_label

BREAKDOWN_TITLES = {"geschlecht": "Geschlecht", "altersgruppe": "Altersgruppe", "ortsteil": "Ortsteil"}


def indicator_figure(rp: ReportProfile, fig_id: str, ids: list[str], caption: str, *,
                     standardised: bool = True, labels: dict[str, str] | None = None) -> Figure | None:
    """Commune estimates with whiskers; the age-sex-standardised value as reference."""
    std = {s.id: s for s in rp.document.standardised.indicators} if standardised else {}
    rows = []
    for i in ids:
        record = rp.indicator(i)
        if record is None:
            continue
        refs = ()
        if i in std and shown(std[i]):
            refs = (ch.Reference("altersstandardisiert", point_of(std[i])),)
        label = (labels or {}).get(i, record.label)
        rows.append(ch.IndicatorRow(label, point_of(record), refs))
    if not rows:
        return None
    unit = "share" if rp.indicator(ids[0]).kind == Kind.PROPORTION else "mean"
    return Figure(fig_id, ch.indicator_chart(rows, commune=rp.commune, unit=unit, level=rp.level), caption)


# Short row labels for single-question items of the standard instrument (the caption carries the
# full question text).
SHORT_ITEM_LABELS = {
    "sicher_tag": "tagsüber allein in der Wohngegend",
    "sicher_nacht": "nachts allein in der Wohngegend",
    "sicher_gemeinde": "in {commune} insgesamt",
    "sicher_wohnung": "nachts allein in der Wohnung",
    "sicher_oepnv": "abends in Bus, Bahn, an Haltestellen",
    "sorge_allgemein": "Kriminalität in {commune} allgemein",
    "gedanken_opfer": "denkt daran, Opfer zu werden",
    "meide_orte": "meidet nachts bestimmte Orte",
    "einschraenkung": "durch Sorge eingeschränkt",
    "vertrauen_polizei": "Vertrauen in die Polizei",
    "vertrauen_ordnungsamt": "Vertrauen in das Ordnungsamt",
    "polizei_arbeit": "Arbeit der örtlichen Polizei",
    "zufriedenheit_massnahmen": "Zufriedenheit mit der Kommune",
    "wohnen_gern": "wohnt gern in der Wohngegend",
    "nachbarn_kennen": "kennt Nachbarn",
}


def short_label(d: ItemDistribution, commune: str = "") -> str:
    """A chart row label: the known short label, the item label of a grid row, or the question
    text without parentheses, cut at about 90 characters (three label lines)."""
    if d.item in SHORT_ITEM_LABELS:
        return SHORT_ITEM_LABELS[d.item].format(commune=commune)
    text = re.sub(r"\s*\([^)]*\)", "", d.label).strip()
    # up to three lines of 30 characters beside the bar (the row grows with the label)
    return text if len(text) <= 90 else text[:87].rsplit(" ", 1)[0] + " …"


def _valid_labels(d: ItemDistribution) -> tuple[str, ...]:
    return tuple(c.label for c in d.categories if not c.missing)


def likert_groups(distributions: list[ItemDistribution]) -> list[list[ItemDistribution]]:
    """Consecutive items with the same valid answer categories (4 or 6 points)."""
    groups: list[list[ItemDistribution]] = []
    for d in distributions:
        valid = _valid_labels(d)
        if len(valid) not in (4, 6) or valid == ("nicht genannt", "genannt"):
            continue
        if groups and _valid_labels(groups[-1][0]) == valid:
            groups[-1].append(d)
        else:
            groups.append([d])
    return groups


def _likert_panel(items: list[ItemDistribution], commune: str) -> tuple[list, object] | None:
    """Rows and scale of one group of items with the same answer categories."""
    shown_items = [d for d in items if shown(d)]
    if not shown_items:
        return None
    valid = [c for c in shown_items[0].categories if not c.missing]
    ordered = sorted(valid, key=lambda c: -c.code)
    negative = len(ordered) // 2
    scale = ch.LikertScale(
        categories=tuple(c.label for c in ordered), negative=negative,
        negative_label=f"{ordered[negative - 1].label} oder {ordered[0].label}",
        positive_label=f"{ordered[negative].label} oder {ordered[-1].label}",
    )
    rows = []
    for d in shown_items:
        by_code = {c.code: c for c in d.categories if not c.missing}
        shares = tuple(float(by_code[c.code].share or 0.0) for c in ordered)
        rows.append(ch.LikertItem(short_label(d, commune), shares, n=d.n_valid))
    return rows, scale


def likert_figure(fig_id: str, items: list[ItemDistribution], caption: str, *, commune: str = "") -> Figure | None:
    """Diverging bars; higher codes (worse in the standard instrument) are drawn left of zero."""
    panel = _likert_panel(items, commune)
    if panel is None:
        return None
    return Figure(fig_id, ch.likert_chart(*panel), caption)


def likert_caption(groups: list[list[ItemDistribution]], commune: str = "") -> str:
    """The caption names what the figure shows, from its items: the one question they share
    (a single question or a grid), else the items' short labels."""
    items = [d for g in groups for d in g if shown(d)] or [d for g in groups for d in g]
    questions = list(dict.fromkeys(d.question for d in items))
    if len(questions) == 1:
        lead = short_label(items[0], commune) if len(items) == 1 else ""
        lead = lead[:1].upper() + lead[1:]
        return (f"{lead}: " if lead else "") + f"Antworten in Prozent. Frage: {questions[0]}"
    parts: list[str] = []
    for group in groups:
        shown_group = [d for d in group if shown(d)] or group
        group_questions = {d.question for d in shown_group}
        if len(shown_group) > 1 and len(group_questions) == 1:
            parts.append(f"»{shown_group[0].question.rstrip(' :')}«")
        else:
            labels = [short_label(d, commune).rstrip(".") for d in shown_group]
            parts += [f"»{label}«" if label.endswith("?") else label for label in labels]  # a question stays quoted
    return "Antworten in Prozent: " + join_de(list(dict.fromkeys(parts)))


# A figure combines the answer scales of one block up to this many bars.
MAX_PANEL_ROWS = 12


def likert_block_figures(prefix: str, items: list[ItemDistribution], *, commune: str = "") -> list[Figure]:
    """The Likert figures of one block (a questionnaire section or part of it): consecutive items
    with the same answer scale form a group; groups are combined into one figure with one panel per
    scale (up to :data:`MAX_PANEL_ROWS` bars), so single questions do not each get a chart."""
    chunks: list[list[list[ItemDistribution]]] = []
    for group in likert_groups(items):
        rows = sum(1 for d in group if shown(d))
        if not rows:
            continue
        if chunks and sum(1 for g in chunks[-1] for d in g if shown(d)) + rows <= MAX_PANEL_ROWS:
            chunks[-1].append(group)
        else:
            chunks.append([group])
    figures = []
    for k, chunk in enumerate(chunks):
        fig_id = f"{prefix}-{k}"
        caption = likert_caption(chunk, commune)
        if len(chunk) == 1:
            fig = likert_figure(fig_id, chunk[0], caption, commune=commune)
        else:
            panels = [p for p in (_likert_panel(g, commune) for g in chunk) if p is not None]
            fig = Figure(fig_id, ch.likert_panels_chart(panels), caption)
        if fig:
            figures.append(fig)
    return figures


def subgroup_figure(rp: ReportProfile, fig_id: str, indicator_id: str, caption: str,
                    bys: tuple[str, ...] = ("geschlecht", "altersgruppe", "ortsteil")) -> Figure | None:
    record = rp.indicator(indicator_id)
    if record is None:
        return None
    panels = []
    for by in bys:
        records = rp.breakdown(indicator_id, by)
        if not records:
            continue
        groups = tuple(ch.Subgroup(r.group_label, point_of(r)) for r in records)
        panels.append(ch.SubgroupPanel(BREAKDOWN_TITLES.get(by, by), groups))
    if not panels:
        return None
    unit = "share" if record.kind == Kind.PROPORTION else "mean"
    chart = ch.subgroup_chart(panels, overall=point_of(record), indicator=record.label, unit=unit,
                              level=rp.level)
    return Figure(fig_id, chart, caption)


# Catch-all answers of a multiple-choice question: shown after the substantive answers, whatever
# their share (a reader looks for the most frequent measure, not for »none of these«).
RESIDUAL_ANSWER = re.compile(r"^(keine dieser|keine davon|nichts davon|keine\b|andere[rsm]?\b|sonstige[rsn]?\b|"
                             r"weiß nicht)", re.IGNORECASE)


def is_residual_answer(label: str) -> bool:
    return bool(RESIDUAL_ANSWER.match(label.strip()))


def ranking_figure(rp: ReportProfile, fig_id: str, records: list[tuple[str, EstimateRecord]], caption: str,
                   indicator: str = "") -> Figure | None:
    """Bars of (label, record) pairs sorted by value."""
    if not records:
        return None
    items = [ch.RankItem(label, point_of(r), residual=is_residual_answer(label)) for label, r in records]
    return Figure(fig_id, ch.ranking_chart(items, indicator=indicator, level=rp.level), caption)


def problem_ranking_figure(rp: ReportProfile) -> Figure | None:
    pairs = [(problem_label(p.label), p.prevalence) for p in rp.document.problems]
    return ranking_figure(rp, "probleme-rangfolge", pairs,
                          "Probleme im Wohnumfeld: Anteil »ziemliches« oder »großes Problem« mit "
                          "95-%-Konfidenzintervall",
                          indicator="Anteil »ziemliches oder großes Problem«")


def mention_ranking_figure(rp: ReportProfile, fig_id: str, distributions: list[ItemDistribution], caption: str,
                           indicator: str) -> Figure | None:
    """Multiple-choice options (share »genannt«) as a ranking."""
    pairs = []
    for d in distributions:
        mentioned = next((c for c in d.categories if c.code == 1 and not c.missing), None)
        if mentioned is None:
            continue
        if shown(d):
            record = EstimateRecord(id=d.item, estimate=mentioned.share, ci_low=mentioned.ci_low,
                                    ci_high=mentioned.ci_high, n=d.n_valid, flag=d.flag)
        else:
            record = EstimateRecord(id=d.item, n=d.n_valid, flag=Flag.UNTERDRUECKT)
        pairs.append((d.label, record))
    return ranking_figure(rp, fig_id, pairs, caption, indicator=indicator)


def pks_trend_figure(rp: ReportProfile, offence: Offence) -> Figure | None:
    series = offence.series
    if len(series) < 2:
        return None
    points = tuple(ch.TrendPoint(s.jahr, s.hz.rate, s.hz.ci_low, s.hz.ci_high) for s in series)
    lines = [ch.TrendSeries(rp.commune, points)]
    last = series[-1].jahr
    for rr, label in ((offence.rate_ratio_landkreis, "übriger Landkreis"),
                      (offence.rate_ratio_sachsen, "übriges Sachsen")):
        if rr is not None and rr.reference_population:
            rate = rr.reference_cases * 100000 / rr.reference_population
            lines.append(ch.TrendSeries(f"{label} ({last})", (ch.TrendPoint(last, rate),)))
    # both series breaks are dated 2024 by the engine (analysis.crime.flags): one mark for the year
    breaks = []
    seen = set()
    for flag in offence.flags:
        if flag.code in ("bevoelkerungsbasis-2024", "cannabis-2024") and flag.year not in seen:
            seen.add(flag.year)
            breaks.append(ch.SeriesBreak(flag.year, "Zensus 2022 / Cannabisgesetz"))
    chart = ch.trend_chart(lines, breaks=breaks, level=rp.level)
    caption = (f"{offence.label}: Häufigkeitszahl je 100.000 Einwohner mit 95-%-Konfidenzband; "
               f"Vergleichswerte {last}")
    return Figure(f"pks-trend-{offence.id}", chart, caption)


def forest_figure(rp: ReportProfile) -> Figure | None:
    drivers = rp.document.drivers
    if not drivers.available:
        return None
    outcome = drivers.outcome_label or ""
    terms = {r.term: r.label for r in drivers.ranking}
    rows = []
    seen_groups: set[str] = set()
    for c in drivers.coefficients:
        if c.term == "(Intercept)" or c.odds_ratio is None:
            continue
        group = terms.get(c.term, "") if c.term in ("geschlecht", "altersgruppe", "ortsteil") else ""
        if group and group not in seen_groups:
            seen_groups.add(group)
            rows.append(ch.ForestRow(_reference_label(rp, c.term), group=group, is_reference=True))
        rows.append(ch.ForestRow(c.label, c.odds_ratio, c.or_ci_low, c.or_ci_high, c.p_value, group=group))
    if not rows:
        return None
    chart = ch.forest_chart(rows, outcome=outcome, level=rp.level)
    return Figure("treiber-forest", chart,
                  f"Was mit »{outcome}« zusammenhängt: Odds Ratios der "
                  "logistischen Regression mit 95-%-Konfidenzintervall")


def _reference_label(rp: ReportProfile, term: str) -> str:
    """The first group of a breakdown variable (treatment coding: the reference category)."""
    for v in rp.breakdown_variables:
        if v.id == term and v.groups:
            used = {c.label for c in rp.document.drivers.coefficients if c.term == term}
            for g in v.groups:
                if g.label not in used:
                    return g.label
    return "Vergleichsgruppe"


__all__ = ["indicator_figure", "likert_groups", "likert_figure", "likert_block_figures", "likert_caption", "subgroup_figure", "ranking_figure",
           "problem_ranking_figure", "mention_ranking_figure", "pks_trend_figure", "forest_figure",
           "flag_of"]
