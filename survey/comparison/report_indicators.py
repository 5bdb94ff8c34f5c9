"""The indicator parts of the comparison report: one section per headline indicator (funnel chart,
tables of raw and standardised values with funnel reading, rank interval and class, EB), and the
appendix with small-multiple funnels of every core indicator and the overview table of all of them."""

from __future__ import annotations

from analysis.comparison.family import Family
from analysis.comparison.indicator import IndicatorComparison
from analysis.comparison.funnel import Position, Tau2Source
from analysis.comparison.ranks import RankSide
from analysis.core.multiple_testing import Verdict
from survey.comparison import sentences, texts
from survey.comparison.charts import Panel, funnel_chart, funnel_grid
from survey.comparison.model import ComparisonModel, IndicatorResults
from survey.report import formatting as fmt
from survey.report.document import Figure, Paragraph, Section, Table

FULL_TABLE_MAX = 40  # above this many communes, indicator tables list only communes outside the limits
RANK_SENTENCES_MAX = 12  # rank sentences under a table only up to this many communes
PANELS_PER_FIGURE = 9
TABLE_NOTE = ("Lage im Trichter: »innerhalb« heißt, der Unterschied zum Gesamtwert kann Zufall sein; »auffällig«: "
              "auch nach der Korrektur für viele Vergleiche (Benjamini-Hochberg); »Zufall möglich«: außerhalb der "
              "Grenze, aber bei so vielen Vergleichen nicht auffällig; * allein am Zufall der Stichprobe gemessen "
              "läge der Wert anders. Rangplatz: 95-%-Rangintervall (1 = höchster Wert) und was sich daraus sicher "
              "sagen lässt. EB: empirisch-Bayes-Schätzung (siehe Glossar). Werte in Klammern: eingeschränkt "
              "belastbar; /: nicht ausgewiesen.")


def marked(model: ComparisonModel, comparison: IndicatorComparison | None, basis: str,
           names: dict[str, str]) -> dict[str, str]:
    """Communes whose funnel test is clear at the adjusted level (key → name)."""
    family = model.families.get(basis)
    if comparison is None or comparison.funnel is None or family is None:
        return {}
    out = {}
    for p in comparison.funnel.points:
        member = family.member(comparison.indicator, p.key)
        if member is not None and member.verdict is Verdict.CLEAR:
            out[p.key] = names[p.key]
    return out


def _basis_table(model: ComparisonModel, result: IndicatorResults, basis: str, names: dict[str, str]) -> Table | None:
    comparison = result.basis(basis)
    if comparison is None:
        return None
    info, f, family = result.info, comparison.funnel, model.families.get(basis)
    selected = list(model.communes)
    note = TABLE_NOTE
    if len(model.communes) > FULL_TABLE_MAX and f is not None:
        clear = marked(model, comparison, basis, {p.ags: p.name for p in model.communes})
        outside = sum(1 for p in f.points if p.position_95 is not Position.INSIDE)
        selected = [p for p in model.communes if p.ags in clear]
        note = (f"Aufgeführt sind nur die {fmt.integer(len(selected))} Kommunen, die auch nach der Korrektur für "
                f"viele Vergleiche auffällig sind; {fmt.integer(outside - len(selected))} weitere liegen außerhalb "
                "der 95-%-Grenzen, können aber Zufall sein. Alle Kommunen stehen in vergleich.csv und "
                "vergleich.xlsx. " + note)
    rows = []
    for p in selected:
        value = (p.direct if basis == "direct" else p.standardised).get(info.id)
        point = f.point(p.ags) if f else None
        member = family.member(info.id, p.ags) if family and point else None
        eb = comparison.fay_herriot.estimate(p.ags) if comparison.fay_herriot else None
        rows.append((names[p.ags], texts.value_with_interval(value, info.kind), texts.position_cell(point, member),
                     texts.rank_cell(comparison.ranks.rank(p.ags)), texts.eb_value(eb, info.kind)))
    return Table(f"{info.label}: {texts.BASIS_TEXT[basis]} der Kommunen",
                 ("Kommune", "Wert (95-%-KI)", "Lage im Trichter", f"Rangplatz (von {comparison.ranks.k})", "EB"),
                 tuple(rows), align=("left", "right", "left", "left", "right"), note=note)


def lead_source(model: ComparisonModel) -> Tau2Source | None:
    """The tau² source the report states once up front (that of the first funnel)."""
    funnels = [r.direct.funnel for r in model.indicators if r.direct.funnel]
    return funnels[0].overdispersion.source if funnels else None


def funnel_paragraph(model: ComparisonModel, result: IndicatorResults, basis: str, names: dict[str, str]) -> str:
    comparison = result.basis(basis)
    f = comparison.funnel if comparison else None
    if f is None:
        return "Für diesen Indikator ist kein Trichtervergleich möglich: " + " ".join(comparison.notes if comparison else ())
    family: Family = model.families[basis]
    kind = result.info.kind
    text = f"Gesamtwert über alle Kommunen ({texts.BASIS_TEXT[basis]}): {texts.number(f.target, kind)}. "
    if f.overdispersion.source is not lead_source(model) or f.overdispersion.source is Tau2Source.FIXED:
        text += sentences.tau2_sentence(f.overdispersion, result.fixed.get(basis)) + " "
    groups: dict[str, list[str]] = {"above": [], "below": [], "hints": [], "inside": [], "disagree": []}
    for p in sorted(f.points, key=lambda p: -p.estimate):
        member = family.member(f.indicator, p.key)
        label = f"{names[p.key]} ({texts.number(p.estimate, kind)})"
        if member is not None and member.verdict is Verdict.CLEAR:
            groups["above" if p.position_95 is Position.ABOVE else "below"].append(label)
        elif p.position_95 is not Position.INSIDE:
            groups["hints"].append(label)
        else:
            groups["inside"].append(names[p.key])
            if p.readings_disagree:
                groups["disagree"].append(names[p.key])
    return text + sentences.funnel_groups_sentence(**groups, family=family)


def rank_paragraph(comparison: IndicatorComparison, names: dict[str, str]) -> Paragraph | None:
    ranks = comparison.ranks
    if ranks.k > RANK_SENTENCES_MAX or ranks.k == 0:
        return None
    said = [sentences.rank_sentence(names[r.key], r, ranks.k) for r in ranks.ranks
            if r.rank_class.side is not RankSide.UNCLEAR]
    open_ = [names[r.key] for r in ranks.ranks if r.rank_class.side is RankSide.UNCLEAR]
    text = "Rangfolge: " + (" ".join(said) if said else "Keine Kommune lässt sich sicher einordnen.")
    if said and open_:
        text += f" Für {sentences.join_names(open_)} bleibt der Rangplatz wegen der Messunsicherheit offen."
    return Paragraph(text)


def indicator_section(model: ComparisonModel, result: IndicatorResults, names: dict[str, str]) -> Section:
    blocks: list = [Paragraph(funnel_paragraph(model, result, "direct", names))]
    f = result.direct.funnel
    if f is not None:
        chart = funnel_chart(f, result.info.label, unit=texts.unit_of(result.info.kind), labels=names)
        blocks.append(Figure(f"trichter-{result.info.id}", chart,
                             f"{result.info.label}: Trichterdiagramm ({texts.BASIS_TEXT['direct']}) mit Grenzen für "
                             "95\u00a0% und 99,8\u00a0%"))
    blocks.append(_basis_table(model, result, "direct", names))
    rank = rank_paragraph(result.direct, names)
    if rank:
        blocks.append(rank)
    if result.standardised is not None:
        blocks.append(Paragraph("Standardisiert nach Alter und Geschlecht: "
                                + funnel_paragraph(model, result, "standardised", names)))
        blocks.append(_basis_table(model, result, "standardised", names))
    return Section(result.info.label, tuple(b for b in blocks if b is not None), level=2, id=f"ind-{result.info.id}")


def small_multiples(model: ComparisonModel, basis: str, names: dict[str, str]) -> tuple[Figure, ...]:
    panels = []
    for r in model.indicators:
        comparison = r.basis(basis)
        if comparison is None or comparison.funnel is None:
            continue
        panels.append(Panel(comparison.funnel, r.info.label, texts.unit_of(r.info.kind),
                            marked(model, comparison, basis, names)))
    figures = []
    for start in range(0, len(panels), PANELS_PER_FIGURE):
        chunk = panels[start:start + PANELS_PER_FIGURE]
        number = start // PANELS_PER_FIGURE + 1
        figures.append(Figure(f"kleine-trichter-{basis}-{number}", funnel_grid(chunk),
                              f"Trichterdiagramme der Kernindikatoren ({texts.BASIS_TEXT[basis]}), Teil {number}: "
                              "auffällige Kommunen orange"))
    return tuple(figures)


def _outside_cells(model: ComparisonModel, comparison: IndicatorComparison | None, basis: str
                   ) -> tuple[str, str]:
    """``über / unter`` counts beyond the 95 % limits and of those clear at the adjusted level."""
    f = comparison.funnel if comparison else None
    family = model.families.get(basis)
    if f is None or family is None:
        return fmt.MISSING, fmt.MISSING
    outside = [p for p in f.points if p.position_95 is not Position.INSIDE]
    clear = [p for p in outside if family.member(f.indicator, p.key).verdict is Verdict.CLEAR]

    def pair(points: list) -> str:  # noqa: ANN001
        above = sum(1 for p in points if p.position_95 is Position.ABOVE)
        return f"{fmt.integer(above)} / {fmt.integer(len(points) - above)}"
    return pair(outside), pair(clear)


def overview_table(model: ComparisonModel, basis: str) -> Table:
    rows = []
    for r in model.indicators:
        comparison = r.basis(basis)
        f = comparison.funnel if comparison else None
        tau2 = fmt.MISSING
        if f is not None and f.overdispersion.source not in (Tau2Source.TOO_FEW, Tau2Source.OFF):
            tau2 = fmt.decimal(f.tau2, 4)
        rows.append((r.info.label, texts.number(f.target, r.info.kind) if f else fmt.MISSING, tau2,
                     *_outside_cells(model, comparison, basis)))
    return Table(f"Alle Kernindikatoren ({texts.BASIS_TEXT[basis]}): Gesamtwert, übliche Streuung und Kommunen "
                 "außerhalb der 95-%-Grenzen",
                 ("Indikator", "Gesamtwert", "Streuung τ²", "außerhalb (über / unter)", "auffällig (über / unter)"),
                 tuple(rows), align=("left", "right", "right", "right", "right"),
                 note="»außerhalb«: Zahl der Kommunen über / unter den 95-%-Grenzen; »auffällig«: davon auch nach "
                      "der Korrektur für viele Vergleiche (Benjamini-Hochberg); welche Kommunen, zeigen die "
                      "Diagramme in Anhang A und B und vergleich.csv (Spalte flagged). Streuung τ²: die übliche "
                      "Streuung zwischen Kommunen auf der Rechenskala (Glossar); –: nicht berücksichtigt, weil zu "
                      "wenige Kommunen für eine verlässliche Schätzung.")
