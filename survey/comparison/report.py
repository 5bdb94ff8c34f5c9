"""The comparison report (``vergleich.pdf`` / ``vergleich.html``) as a :class:`~survey.report.document.Document`.

Chapters: overview; the main findings (the tau² rule, how many differences chance alone would give,
the differences that stay at the adjusted level); the headline indicators (funnel, raw and standardised
tables); perceived and registered crime; changes between waves; methods and glossary; appendix with
small-multiple funnels of every core indicator (raw and standardised) and the overview tables."""

from __future__ import annotations

import datetime as dt

from analysis.core.multiple_testing import Verdict
from survey.comparison import sentences, texts
from survey.comparison.charts import ScatterPoint, scatter_chart
from survey.comparison.glossary import GLOSSARY, METHOD_PARAGRAPHS
from survey.comparison.model import OUTCOME, ComparisonModel
from survey.comparison.report_indicators import indicator_section, overview_table, small_multiples
from survey.report import formatting as fmt
from survey.report.document import BulletList, Document, Figure, KeyFigure, KeyFigureBox, Paragraph, Section, Table

FINDINGS_MAX = 8


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
                 "Veränderungen stehen in Kapitel 5. ")
    text += ("Die Tabellen und Diagramme aller Kernindikatoren stehen im Anhang, alle Zahlen maschinenlesbar in "
             "vergleich.csv und vergleich.xlsx; Fachbegriffe erklärt das Glossar in Kapitel 6.")
    return Section("Überblick", (Paragraph(text), box, table), id="ueberblick")


def _tau2_paragraph(model: ComparisonModel) -> str:
    funnels = [r.direct.funnel for r in model.indicators if r.direct.funnel]
    if not funnels:
        return ""
    sources = {f.overdispersion.source for f in funnels}
    outcome = model.indicator(OUTCOME)
    lead = outcome.direct.funnel if outcome and outcome.direct.funnel else funnels[0]
    lead_result = outcome if outcome and outcome.direct.funnel else model.indicators[0]
    text = sentences.tau2_sentence(lead.overdispersion, lead_result.fixed.get("direct"))
    if model.tau2_prior is not None:
        text += f" Übernommen aus: {model.tau2_prior.source}."
        if model.missing_prior:
            labels = [model.indicator(i).info.label for i in model.missing_prior]
            text += (f" Für {fmt.integer(len(labels))} Indikatoren enthält der frühere Vergleich kein τ²; dort gilt "
                     f"die übliche Regel ({', '.join(labels[:5])}{' und weitere' if len(labels) > 5 else ''}).")
    elif len(sources) > 1:
        text += " Für einzelne Indikatoren mit fehlenden Werten gilt das abweichend (siehe Anhang C)."
    disagree = sum(1 for f in funnels for p in f.points if p.readings_disagree)
    if disagree:
        text += (f" Bei {fmt.integer(disagree)} Werten hängt das Ergebnis davon ab, ob man diese Streuung "
                 "berücksichtigt; der Bericht nennt dann beide Lesarten (in Tabellen mit * markiert).")
    return text


def _finding(model: ComparisonModel, indicator: str, members: list, names: dict[str, str]) -> str:
    """One indicator's clear differences: ``label (Gesamtwert X): deutlich höher in A (…); deutlich
    niedriger in B (…).``"""
    result = model.indicator(indicator)
    f, kind = result.direct.funnel, result.info.kind

    def listing(direction: int) -> str:
        chosen = sorted((m for m in members if m.direction == direction), key=lambda m: -f.point(m.key).estimate)
        return sentences.join_names([f"{names[m.key]} ({texts.number(f.point(m.key).estimate, kind)})"
                                     for m in chosen])
    parts = [f"deutlich {word} in {text}" for word, text in (("höher", listing(1)), ("niedriger", listing(-1))) if text]
    return f"{result.info.label} (Gesamtwert {texts.number(f.target, kind)}): " + "; ".join(parts) + "."


def findings(model: ComparisonModel) -> Section:
    names = _names(model)
    blocks: list = [Paragraph(_tau2_paragraph(model))]
    for basis, family in model.families.items():
        indicators = sum(1 for r in model.indicators if r.basis(basis) and r.basis(basis).funnel)
        blocks.append(Paragraph(sentences.family_sentence(family, len(model.communes), indicators, basis)))
    family = model.families.get("direct")
    if family is not None:
        headline = [r.info.id for r in model.headline]
        order = headline + [r.info.id for r in model.indicators if r.info.id not in headline]
        by_indicator = {i: [m for m in family.members if m.indicator == i and m.verdict is Verdict.CLEAR] for i in order}
        with_findings = [i for i in order if by_indicator[i]]
        if with_findings:
            blocks.append(Paragraph("Auffällig, auch nach der Korrektur für viele Vergleiche (rohe Werte):"))
            blocks.append(BulletList(tuple(_finding(model, i, by_indicator[i], names)
                                           for i in with_findings[:FINDINGS_MAX])))
            if len(with_findings) > FINDINGS_MAX:
                blocks.append(Paragraph(f"Auffällige Werte bei {fmt.integer(len(with_findings) - FINDINGS_MAX)} "
                                        "weiteren Indikatoren zeigen Anhang A und C und vergleich.csv (Spalte "
                                        "flagged)."))
        else:
            blocks.append(Paragraph("Keine Kommune weicht bei einem Kernindikator auffällig vom Gesamtwert ab."))
    return Section("Das Wichtigste", tuple(blocks), id="wichtigstes")


def crime_section(model: ComparisonModel, names: dict[str, str]) -> Section:
    points = []
    for p in model.communes:
        value = p.direct.get(OUTCOME)
        if p.crime is None or value is None or not value.usable:
            continue
        points.append(ScatterPoint(names[p.ags], p.crime.hz, p.crime.year, value.estimate, value.ci_low, value.ci_high))
    label = model.indicator(OUTCOME).info.label if model.indicator(OUTCOME) else "Unsicher nachts"
    title = "Wahrgenommene und registrierte Kriminalität"
    if len(points) < 2:
        return Section(title, (Paragraph("Für diesen Vergleich liegen zu wenige Kommunen mit Kriminalstatistik vor."),),
                       id="kriminalitaet")
    years = sorted({p.year for p in points})
    text = (f"Das Diagramm stellt das nächtliche Unsicherheitsgefühl der Häufigkeitszahl (Straftaten je "
            f"100.000 Einwohner) der Polizeilichen Kriminalstatistik gegenüber ({fmt.integer(len(points))} Kommunen, "
            f"PKS-Jahr {', '.join(str(y) for y in years)}). ")
    corr = model.perceived_vs_registered
    if corr is not None:
        text += (f"Die Rangkorrelation nach Spearman (ρ, von −1 bis +1; 0 heißt kein Zusammenhang) beträgt "
                 f"{fmt.decimal(corr.rho, 2)} ({fmt.p_value(corr.p_value)}, n = {fmt.integer(corr.n)} Kommunen). ")
    text += ("Ein Zusammenhang auf Kommunenebene sagt nichts über Einzelne aus und ist kein Beleg für eine "
             "Ursache; Furcht folgt oft anderen Einflüssen (Wohnumfeld, Medien, Alter) als die registrierte "
             "Kriminalität, und die PKS erfasst nur angezeigte Taten.")
    if len(years) > 1:
        text += " Die PKS-Jahre der Kommunen unterscheiden sich; das schränkt den Vergleich ein."
    return Section(title, (Paragraph(text), Figure("streuung-pks", scatter_chart(points, label),
                                                   f"{label} gegen die Häufigkeitszahl (Straftaten insgesamt)")),
                   id="kriminalitaet")


def change_section(model: ComparisonModel) -> Section:
    title = "Veränderungen zwischen Wellen"
    if not model.changes:
        return Section(title, (Paragraph("Keine Kommune ist mit mehr als einer Befragungswelle vertreten."),),
                       id="veraenderung")
    blocks: list = [Paragraph(
        "Veränderungen der direkten Werte zwischen aufeinanderfolgenden Wellen derselben Kommune (unabhängige "
        "Stichproben, Wald-Test). Alle Veränderungen einer Kommune bilden eine Familie von Vergleichen; eine "
        "Veränderung heißt erst »verändert«, wenn sie auch nach der Korrektur für diese vielen Vergleiche "
        "(Holm-Verfahren) besteht.")]
    infos = {r.info.id: r.info for r in model.indicators}
    for commune in model.changes:
        parts: list = [Paragraph(sentences.change_family_sentence(commune.family))]
        parts += [Paragraph(sentences.change_sentence(commune.name, infos[c.indicator].label, c, infos[c.indicator].kind))
                  for c in commune.changes if c.indicator == OUTCOME]
        headline = {r.info.id for r in model.headline}
        pairs = sorted({(c.year_from, c.year_to) for c in commune.changes})
        for year_from, year_to in pairs:
            pair = [c for c in commune.changes if (c.year_from, c.year_to) == (year_from, year_to)]
            shown = [c for c in pair if c.indicator in headline or c.verdict is not Verdict.NONE]
            rows = []
            for c in shown:
                info = infos[c.indicator]
                diff, ci = texts.change_text(c, info.kind)
                rows.append((info.label, f"{texts.number(c.estimate_from, info.kind)} → "
                             f"{texts.number(c.estimate_to, info.kind)}", f"{diff} ({ci})",
                             texts.p_pair(c.p_value, c.p_adjusted), texts.change_verdict_cell(c)))
            parts.append(Table(f"{commune.name}: Veränderung {year_from} → {year_to}",
                               ("Indikator", f"{year_from} → {year_to}", "Veränderung (95-%-KI)",
                                "p-Wert (nach Holm)", "Einordnung"), tuple(rows),
                               align=("left", "right", "right", "right", "left"), widths=(2.4, 1.6, 2.6, 1.3, 1.4),
                               note=(f"Gezeigt: die wichtigsten Kernindikatoren und jede Veränderung mit einem p-Wert "
                                     f"unter 0,05 ({fmt.integer(len(shown))} von {fmt.integer(len(pair))}; alle in "
                                     "vergleich.xlsx, Blatt Veränderungen). In Klammern der p-Wert nach Holm, korrigiert für "
                                     "alle Veränderungen der Kommune; »verändert« erst unter 0,05; »Zufall möglich«: nur "
                                     "der unkorrigierte p-Wert liegt unter 0,05.")))
        blocks.append(Section(commune.name, tuple(parts), level=2, id=f"veraenderung-{commune.ags}"))
    return Section(title, tuple(blocks), id="veraenderung")


def methods_section() -> Section:
    glossary = Table("Glossar", ("Begriff", "Erklärung"), GLOSSARY, align=("left", "left"))
    return Section("Methoden und Glossar", tuple(Paragraph(t) for t in METHOD_PARAGRAPHS) + (glossary,), id="methoden")


def appendix(model: ComparisonModel, names: dict[str, str]) -> Section:
    blocks: list = []
    for letter, basis in zip("AB", model.bases):
        figures = small_multiples(model, basis, names)
        blocks.append(Section(f"Anhang {letter}: Trichterdiagramme aller Kernindikatoren ({texts.BASIS_TEXT[basis]})",
                              (Paragraph("Je Kernindikator ein kleines Trichterdiagramm (Wert gegen Genauigkeit, "
                                         "Grenzen für 95\u00a0% und 99,8\u00a0%); Kommunen, die auch nach der Korrektur für "
                                         "viele Vergleiche auffällig sind, sind orange."),) + figures,
                              level=2, id=f"anhang-{basis}"))
    blocks.append(Section("Anhang C: Alle Kernindikatoren im Überblick",
                          tuple(overview_table(model, basis) for basis in model.bases), level=2,
                          id="alle-indikatoren"))
    return Section("Anhang", tuple(blocks), id="anhang")


def comparison_document(model: ComparisonModel, *, date: dt.date | None = None) -> Document:
    names = _names(model)
    headline = tuple(indicator_section(model, r, names) for r in model.headline)
    sections = (
        overview(model),
        findings(model),
        Section("Wichtige Kernindikatoren im Trichtervergleich", (Paragraph(
            "Für die wichtigsten Kernindikatoren zeigt je ein Trichterdiagramm, ob eine Kommune mehr vom "
            "Gesamtwert abweicht, als der Zufall der Stichprobe erwarten lässt. Die Tabellen stellen rohe und "
            "standardisierte Werte mit ihrer Lage im Trichter, den Rangplatz mit seiner Unsicherheit und die "
            "empirisch-Bayes-Schätzung nebeneinander."),) + headline, id="trichter"),
        crime_section(model, names),
        change_section(model),
        methods_section(),
        appendix(model, names),
    )
    return Document(title="Vergleich der Sicherheitsanalysen",
                    subtitle=f"{fmt.integer(len(model.communes))} Kommunen, Kernfragen Version {model.core_version}",
                    author="Landespräventionsrat", date=date or dt.date.today(),
                    keywords=("Sicherheitsanalyse", "Kommunalvergleich", "Trichterdiagramm"), sections=sections)

