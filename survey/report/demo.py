"""Fictional example inputs for every chart family (used by tests, docs and the demo document)."""

from __future__ import annotations

from survey.report.charts import data as d

COMMUNE = "Musterstadt"

SAFETY_SCALE = d.LikertScale(
    categories=("sehr unsicher", "ziemlich unsicher", "ziemlich sicher", "sehr sicher"),
    negative=2, negative_label="unsicher", positive_label="sicher",
)


def indicator_rows() -> list[d.IndicatorRow]:
    return [
        d.IndicatorRow("Nachts unsicher in der Wohngegend", d.Point(0.4285, 0.3931, 0.4657, n=380),
                       (d.Reference("Landkreis", d.Point(0.35)),
                        d.Reference("Sachsen", d.Point(0.331, 0.320, 0.342)))),
        d.IndicatorRow("Tagsüber unsicher", d.Point(0.081, 0.060, 0.105, n=388),
                       (d.Reference("Landkreis", d.Point(0.05)), d.Reference("Sachsen", d.Point(0.06)))),
        d.IndicatorRow("Meidet nachts bestimmte Orte", d.Point(0.312, 0.27, 0.357, n=372),
                       (d.Reference("Landkreis", d.Point(0.28)), d.Reference("Sachsen", d.Point(0.30)))),
    ]


def likert_items() -> list[d.LikertItem]:
    return [
        d.LikertItem("Tagsüber allein in der Wohngegend", (0.02, 0.06, 0.42, 0.50), n=390),
        d.LikertItem("Nachts allein in der Wohngegend", (0.12, 0.309, 0.371, 0.20), n=380),
        d.LikertItem("In der Gemeinde insgesamt", (0.05, 0.20, 0.50, 0.25), n=385),
    ]


def trend_series() -> list[d.TrendSeries]:
    years = range(2019, 2025)
    commune = [5432, 5100, 4800, 4700, 5000, 4987]
    return [
        d.TrendSeries(COMMUNE, tuple(d.TrendPoint(y, v, v * 0.93, v * 1.07) for y, v in zip(years, commune))),
        d.TrendSeries("Landkreis", tuple(d.TrendPoint(y, v) for y, v in
                                         zip(years, [4300, 4000, 3900, 4100, 4300, 4200]))),
        d.TrendSeries("Sachsen", tuple(d.TrendPoint(y, v) for y, v in
                                       zip(years, [7000, 6500, 6400, 6800, 7000, 6600]))),
    ]


def trend_breaks() -> list[d.SeriesBreak]:
    return [d.SeriesBreak(2024, "Cannabisgesetz")]


def subgroup_panels() -> list[d.SubgroupPanel]:
    return [
        d.SubgroupPanel("Geschlecht", (
            d.Subgroup("männlich", d.Point(0.33, 0.28, 0.385, n=180)),
            d.Subgroup("weiblich", d.Point(0.52, 0.465, 0.575, n=195)),
            d.Subgroup("divers", d.Point(None, flag="suppressed", n=3)),
        )),
        d.SubgroupPanel("Altersgruppe", (
            d.Subgroup("16-29", d.Point(0.38, 0.26, 0.52, n=24, flag="unreliable", reason="small_n")),
            d.Subgroup("30-44", d.Point(0.41, 0.33, 0.49, n=70)),
            d.Subgroup("45-59", d.Point(0.43, 0.36, 0.50, n=95)),
            d.Subgroup("60-74", d.Point(0.45, 0.39, 0.51, n=120)),
            d.Subgroup("75+", d.Point(0.47, 0.38, 0.56, n=66)),
        )),
        d.SubgroupPanel("Ortsteil", (
            d.Subgroup("Altstadt", d.Point(0.40, 0.33, 0.47, n=110)),
            d.Subgroup("Am Bahnhof", d.Point(0.61, 0.50, 0.71, n=52)),
            d.Subgroup("Eichwalde", d.Point(None, flag="suppressed", n=8)),
        )),
    ]


def rank_items() -> list[d.RankItem]:
    return [
        d.RankItem("Müll", d.Point(0.28, 0.24, 0.33, n=370)),
        d.RankItem("Verkehr", d.Point(0.41, 0.36, 0.46, n=375)),
        d.RankItem("Graffiti", d.Point(0.12, 0.09, 0.16, n=360)),
        d.RankItem("Drogen", d.Point(0.19, 0.15, 0.24, n=340)),
        d.RankItem("Alkohol", d.Point(0.15, 0.12, 0.19, n=352)),
        d.RankItem("Lärm", d.Point(0.22, 0.18, 0.27, n=368)),
    ]


def forest_rows() -> list[d.ForestRow]:
    return [
        d.ForestRow("männlich", group="Geschlecht", is_reference=True),
        d.ForestRow("weiblich", 1.85, 1.32, 2.59, 0.0004, group="Geschlecht"),
        d.ForestRow("16-29", group="Altersgruppe", is_reference=True),
        d.ForestRow("30-59", 1.12, 0.71, 1.77, 0.62, group="Altersgruppe"),
        d.ForestRow("60+", 1.47, 0.91, 2.38, 0.114, group="Altersgruppe"),
        d.ForestRow("Opfer in den letzten 12 Monaten", 2.31, 1.45, 3.68, 0.0005),
        d.ForestRow("Problemindex (je Punkt)", 2.05, 1.62, 2.60, 0.00001),
    ]


def demo_document():
    """A small document using every block type and chart family (proves the render pipeline)."""
    import datetime as _dt

    from survey.report import charts
    from survey.report import formatting as fmt
    from survey.report.document import (Document, EstimateRow, Figure, KeyFigure, KeyFigureBox,
                                        Paragraph, Section, estimate_table)

    first = indicator_rows()[0].estimate
    key = KeyFigureBox("Auf einen Blick", (
        KeyFigure("fühlen sich nachts in ihrer Wohngegend unsicher", fmt.percent(first.value),
                  f"{fmt.ci_label()} {fmt.interval(first.low, first.high)}"),
        KeyFigure("Häufigkeitszahl 2024 (Straftaten je 100.000 Einwohner)", fmt.hz(4987)),
        KeyFigure("Antworten (Rücklauf 38,0 %)", fmt.integer(380)),
    ))
    table = estimate_table("Sicherheitsgefühl in Musterstadt (gewichtete Anteile)", [
        EstimateRow("Nachts unsicher in der Wohngegend", 0.4285, 0.3931, 0.4657, 380),
        EstimateRow("Tagsüber unsicher", 0.081, 0.060, 0.105, 388),
        EstimateRow("Meidet nachts bestimmte Orte (16-29 Jahre)", 0.38, 0.26, 0.52, 24, "unreliable"),
        EstimateRow("Nachts unsicher (divers)", None, None, None, 3, "suppressed"),
    ], note="Werte in Klammern: eingeschränkt belastbar (weniger als 30 Antworten); "
            "/: nicht ausgewiesen (weniger als 10 Antworten).")
    return Document(
        title="Sicherheitsanalyse Musterstadt 2025",
        subtitle="Lagebericht: Ergebnisse der Bürgerbefragung und der Polizeilichen Kriminalstatistik",
        author="Landespräventionsrat Sachsen",
        date=_dt.date(2026, 11, 21),
        keywords=("Sicherheitsanalyse", "Musterstadt"),
        sections=(
            Section("Das Wichtigste in Kürze", (
                key,
                Paragraph("42,9 % der Befragten fühlen sich nachts allein in ihrer Wohngegend "
                          "unsicher, deutlich mehr als im Landkreis (35,0 %). Frauen fühlen sich "
                          "häufiger unsicher als Männer; die Sonderzeichen #, $, * und _ erscheinen "
                          "unverändert."),
            ), id="kurz"),
            Section("Sicherheitsgefühl", (
                Paragraph("Die Befragten wurden gefragt, wie sicher sie sich tagsüber und nachts "
                          "allein in ihrer Wohngegend fühlen. Die folgende Abbildung zeigt die "
                          "Verteilung der Antworten."),
                Figure("sicherheitsgefuehl", charts.likert_chart(likert_items(), SAFETY_SCALE),
                       "Sicherheitsgefühl tagsüber, nachts und in der Gemeinde insgesamt"),
                table,
                Section("Vergleich mit Landkreis und Sachsen", (
                    Figure("vergleich", charts.indicator_chart(indicator_rows(), commune=COMMUNE),
                           f"Kernindikatoren im Vergleich ({fmt.ci_label()})"),
                    Figure("gruppen", charts.subgroup_chart(subgroup_panels(), overall=first,
                                                            indicator="Nachts unsicher"),
                           "Nachts unsicher nach Geschlecht, Altersgruppe und Ortsteil"),
                ), level=2, id="vergleich"),
            ), id="sicherheitsgefuehl"),
            Section("Probleme und Einflussfaktoren", (
                Figure("probleme", charts.ranking_chart(rank_items(), indicator="großes Problem"),
                       "Anteil „ein ziemliches oder großes Problem“ je Problemfeld"),
                Figure("einfluss", charts.forest_chart(forest_rows(),
                                                       outcome="nächtliches Unsicherheitsgefühl"),
                       "Einflussfaktoren auf das nächtliche Unsicherheitsgefühl (Odds Ratios)"),
            ), id="probleme"),
            Section("Polizeiliche Kriminalstatistik", (
                Figure("pks", charts.trend_chart(trend_series(), breaks=trend_breaks()),
                       "Häufigkeitszahl 2019–2024 mit 95-%-Konfidenzband"),
            ), id="pks"),
        ),
    )
