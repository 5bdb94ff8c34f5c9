"""The comparison report (``vergleich.pdf`` / ``vergleich.html``) as a :class:`~survey.report.document.Document`."""

from __future__ import annotations

import datetime as dt

from survey.comparison import texts
from survey.comparison.charts import ScatterPoint, funnel_chart, scatter_chart
from survey.comparison.model import OUTCOME, ComparisonModel, IndicatorResults
from survey.report import formatting as fmt
from survey.report.document import Document, Figure, KeyFigure, KeyFigureBox, Paragraph, Section, Table

FULL_TABLE_MAX = 40  # above this many communes, indicator tables list only communes outside the limits


def _names(model: ComparisonModel) -> dict[str, str]:
    return {p.ags: p.name for p in model.communes}


def overview(model: ComparisonModel) -> Section:
    multi = [c for c in model.communes if len(model.waves(c.ags)) > 1]
    box = KeyFigureBox("Vergleich auf einen Blick", (
        KeyFigure("Kommunen", fmt.integer(len(model.communes))),
        KeyFigure("Profile (Wellen)", fmt.integer(len(model.profiles))),
        KeyFigure("Kernindikatoren", fmt.integer(len(model.indicators)), f"Kernversion {model.core_version}"),
    ))
    rows = tuple((p.name, p.ags, ", ".join(str(w.year) for w in model.waves(p.ags)), fmt.integer(p.net))
                 for p in model.communes)
    table = Table("Verglichene Kommunen (neueste Welle im Querschnitt)",
                  ("Kommune", "AGS", "Wellen", "Befragte (neueste Welle)"), rows,
                  align=("left", "left", "left", "right"))
    text = (f"Dieser Bericht vergleicht {fmt.integer(len(model.communes))} Kommunen anhand ihrer "
            f"Sicherheitsprofile. Alle Profile beruhen auf den Kernfragen der Version {model.core_version}. ")
    if multi:
        text += (f"Für {fmt.integer(len(multi))} Kommunen liegen mehrere Befragungswellen vor; ihre "
                 "Veränderungen stehen im letzten Kapitel.")
    return Section("Überblick", (Paragraph(text), box, table), id="ueberblick")


def _indicator_table(model: ComparisonModel, result: IndicatorResults, names: dict[str, str]) -> Table:
    info, direct, std = result.info, result.direct, result.standardised
    basis = result.basis(result.chart_basis)
    rows = []
    selected = model.communes
    note = ("Lage: im Trichter der Werte, die das Diagramm zeigt; Rangintervall: 1 = höchster Wert; "
            "EB: empirische Bayes-Schätzung (Fay-Herriot; Intervall in vergleich.xlsx); Werte in Klammern: "
            "eingeschränkt belastbar; /: nicht ausgewiesen.")
    if len(model.communes) > FULL_TABLE_MAX and basis and basis.funnel:
        outside = {p.key for p in basis.funnel.points if p.position != "innerhalb"}
        selected = [p for p in model.communes if p.ags in outside]
        note = (f"Aufgeführt sind nur die {fmt.integer(len(selected))} Kommunen außerhalb der 95-%-Grenzen; "
                "alle Kommunen stehen in vergleich.xlsx. " + note)
    for p in selected:
        point = basis.funnel.point(p.ags) if basis and basis.funnel else None
        eb = direct.fay_herriot.estimate(p.ags) if direct.fay_herriot else None
        rows.append((
            names[p.ags],
            texts.value_with_interval(p.direct.get(info.id), info.kind),
            texts.value_with_interval(p.standardised.get(info.id), info.kind) if std else fmt.MISSING,
            texts.position_text(point),
            texts.rank_text(direct.ranks.rank(p.ags)),
            texts.eb_value(eb, info.kind),
        ))
    return Table(f"{info.label}: Werte der Kommunen", (
        "Kommune", "Roh (95-%-KI)", "Standardisiert (95-%-KI)", "Lage", f"Rang (von {direct.ranks.k})",
        "EB"), tuple(rows), align=("left", "right", "right", "left", "right", "right"),
        note=note)


def _funnel_sentence(result: IndicatorResults, names: dict[str, str]) -> str:
    basis = result.basis(result.chart_basis)
    f = basis.funnel if basis else None
    if f is None:
        return "Für diesen Indikator ist kein Trichtervergleich möglich: " + " ".join(basis.notes if basis else ())
    value = texts.number(f.target, result.info.kind)
    outside = [p for p in f.points if p.position != "innerhalb"]
    text = (f"Gesamtwert über alle Kommunen ({texts.BASIS_TEXT[result.chart_basis]}): {value}. "
            f"Überdispersion τ² = {fmt.decimal(f.tau2, 4)} auf der "
            f"{'Arkussinus-' if f.scale == 'arcsine' else 'Original'}skala. ")
    if not outside:
        return text + "Alle Kommunen liegen innerhalb der 95-%-Grenzen; keine weicht mehr ab, als Zufall und " \
                      "übliche Streuung erwarten lassen."
    listed = outside if len(outside) <= 12 else outside[:12]
    parts = [f"{names[p.key]} ({texts.number(p.estimate, result.info.kind)}, {p.position})" for p in listed]
    more = f" und {fmt.integer(len(outside) - len(listed))} weitere" if len(outside) > len(listed) else ""
    return text + "Außerhalb der 95-%-Grenzen liegen: " + ", ".join(parts) + more + "."


def indicator_section(model: ComparisonModel, result: IndicatorResults, names: dict[str, str]) -> Section:
    blocks: list = [Paragraph(_funnel_sentence(result, names))]
    basis = result.basis(result.chart_basis)
    if basis and basis.funnel:
        chart = funnel_chart(basis.funnel, result.info.label, unit=texts.unit_of(result.info.kind), labels=names)
        blocks.append(Figure(f"trichter-{result.info.id}", chart,
                             f"{result.info.label}: Trichterdiagramm ({texts.BASIS_TEXT[result.chart_basis]}) "
                             "mit Grenzen für 95 % und 99,8 %"))
    blocks.append(_indicator_table(model, result, names))
    return Section(result.info.label, tuple(blocks), level=2, id=f"ind-{result.info.id}")


def summary_table(model: ComparisonModel) -> Table:
    rows = []
    for r in model.indicators:
        basis = r.basis(r.chart_basis)
        f = basis.funnel if basis else None
        count = (lambda word: fmt.integer(sum(1 for p in f.points if word in p.position))) if f else (lambda w: fmt.MISSING)
        rows.append((r.info.label, texts.number(f.target, r.info.kind) if f else fmt.MISSING,
                     fmt.decimal(f.tau2, 4) if f else fmt.MISSING, count("über"), count("unter"),
                     fmt.decimal(r.direct.fay_herriot.sigma2_v, 5) if r.direct.fay_herriot else fmt.MISSING))
    return Table("Alle Kernindikatoren: Gesamtwert, Überdispersion und Kommunen außerhalb der 95-%-Grenzen",
                 ("Indikator", "Gesamtwert", "τ² (Trichter)", "darüber", "darunter", "σᵥ² (FH)"),
                 tuple(rows), note="»darüber«/»darunter«: Zahl der Kommunen außerhalb der 95-%-Grenzen.")


def crime_section(model: ComparisonModel, names: dict[str, str]) -> Section:
    points = []
    for p in model.communes:
        value = p.direct.get(OUTCOME)
        if p.crime is None or value is None or not value.usable:
            continue
        points.append(ScatterPoint(names[p.ags], p.crime.hz, p.crime.year, value.estimate, value.ci_low, value.ci_high))
    label = model.indicator(OUTCOME).info.label if model.indicator(OUTCOME) else "Unsicher nachts"
    blocks: list = []
    if len(points) < 2:
        blocks.append(Paragraph("Für diesen Vergleich liegen zu wenige Kommunen mit Kriminalstatistik vor."))
        return Section("Wahrgenommene und registrierte Kriminalität", tuple(blocks), id="kriminalitaet")
    years = sorted({p.year for p in points})
    text = (f"Das Diagramm stellt das nächtliche Unsicherheitsgefühl der Häufigkeitszahl der Polizeilichen "
            f"Kriminalstatistik gegenüber ({fmt.integer(len(points))} Kommunen, PKS-Jahr "
            f"{', '.join(str(y) for y in years)}). ")
    corr = model.perceived_vs_registered
    if corr is not None:
        text += (f"Rangkorrelation nach Spearman: ρ = {fmt.decimal(corr.rho, 2)} ({fmt.p_value(corr.p_value)}, "
                 f"n = {fmt.integer(corr.n)} Kommunen). ")
    text += ("Ein Zusammenhang auf Kommunenebene sagt nichts über Einzelne aus; Furcht folgt oft anderen "
             "Ursachen (Wohnumfeld, Medien, Alter) als die registrierte Kriminalität, und die PKS erfasst nur "
             "angezeigte Taten.")
    if len(years) > 1:
        text += " Die PKS-Jahre der Kommunen unterscheiden sich; das schränkt den Vergleich ein."
    blocks.append(Paragraph(text))
    blocks.append(Figure("streuung-pks", scatter_chart(points, label),
                         f"{label} gegen die Häufigkeitszahl (Straftaten insgesamt)"))
    return Section("Wahrgenommene und registrierte Kriminalität", tuple(blocks), id="kriminalitaet")


def change_section(model: ComparisonModel) -> Section:
    if not model.changes:
        return Section("Veränderungen zwischen Wellen", (Paragraph(
            "Keine Kommune ist mit mehr als einer Befragungswelle vertreten."),), id="veraenderung")
    blocks: list = [Paragraph("Veränderungen der direkten Werte zwischen aufeinanderfolgenden Wellen derselben "
                              "Kommune (unabhängige Stichproben, Wald-Test).")]
    infos = {r.info.id: r.info for r in model.indicators}
    for commune in model.changes:
        headline = [c for c in commune.changes if c.indicator == OUTCOME]
        sentences = [texts.change_sentence(commune.name, infos[c.indicator].label, c, infos[c.indicator].kind)
                     for c in headline]
        rows = []
        for c in commune.changes:
            info = infos[c.indicator]
            diff, ci = texts.change_text(c, info.kind)
            rows.append((info.label, f"{c.year_from}: {texts.number(c.estimate_from, info.kind)}",
                         f"{c.year_to}: {texts.number(c.estimate_to, info.kind)}", diff, ci, fmt.p_value(c.p_value)))
        blocks.append(Section(commune.name, tuple([Paragraph(s) for s in sentences] + [Table(
            f"{commune.name}: Veränderung der Kernindikatoren", ("Indikator", "vorher", "nachher", "Veränderung",
                                                                 "95-%-KI", "p-Wert"), tuple(rows))]),
            level=2, id=f"veraenderung-{commune.ags}"))
    return Section("Veränderungen zwischen Wellen", tuple(blocks), id="veraenderung")


def comparison_document(model: ComparisonModel, *, date: dt.date | None = None) -> Document:
    names = _names(model)
    indicator_sections = tuple(indicator_section(model, r, names) for r in model.headline)
    sections = (
        overview(model),
        Section("Kernindikatoren im Trichtervergleich", (Paragraph(
            "Für die wichtigsten Kernindikatoren zeigt je ein Trichterdiagramm, ob eine Kommune mehr vom "
            "Gesamtwert abweicht, als Zufall und übliche Unterschiede erwarten lassen. Die Tabellen stellen "
            "rohe und standardisierte Werte, Rangintervalle und die empirische Bayes-Schätzung nebeneinander."),
        ) + indicator_sections + (Section("Alle Kernindikatoren", (summary_table(model),), level=2,
                                          id="alle-indikatoren"),), id="trichter"),
        crime_section(model, names),
        change_section(model),
        Section("Methoden", tuple(Paragraph(t) for t in texts.METHOD_PARAGRAPHS), id="methoden"),
    )
    return Document(title="Vergleich der Sicherheitsanalysen",
                    subtitle=f"{fmt.integer(len(model.communes))} Kommunen, Kernfragen Version {model.core_version}",
                    author="Landespräventionsrat", date=date or dt.date.today(),
                    keywords=("Sicherheitsanalyse", "Kommunalvergleich", "Trichterdiagramm"), sections=sections)
