"""Survey chapters: Sicherheitsgefühl, Kriminalitätsfurcht, Probleme im Wohnumfeld, Angsträume,
Opfererfahrungen und Anzeigeverhalten, Polizei und Ordnungsamt.

Which items and indicators belong to a chapter follows the questionnaire sections
(:data:`~survey.report.lagebericht.profile.CHAPTER_SECTIONS`)."""

from __future__ import annotations

from survey.profile.crime import PerCapita
from survey.profile.records import ItemDistribution
from survey.report import formatting as fmt
from survey.report.document import BulletList, Paragraph, Section, Table
from survey.report.lagebericht import figures as figs
from survey.report.lagebericht import sentences as sen
from survey.wording import crime as wc
from survey.report.lagebericht.profile import ReportProfile, flag_of, shown
from survey.report.lagebericht.tables import distribution_table, indicator_table


def _indicator_blocks(rp: ReportProfile, chapter: str, caption: str, *, sections=None,
                      sentences: bool = True) -> list:
    records = rp.chapter_indicators(chapter, sections=sections)
    blocks: list = []
    if sentences:
        texts = [sen.indicator_sentence(rp, r.id) for r in records]
        texts = [t for t in texts if t]
        if texts:
            blocks.append(Paragraph(sen.joined(texts[:4])))
    table = indicator_table(caption, [(r.label, r) for r in records], level=rp.level)
    if table:
        blocks.append(table)
    return blocks


def _mentions(d: ItemDistribution) -> bool:
    """A multiple-choice item: its valid categories are »nicht genannt« and »genannt«."""
    return [c.label for c in d.categories if not c.missing] == ["nicht genannt", "genannt"]


def _likert_blocks(rp: ReportProfile, items: list[ItemDistribution], prefix: str) -> list:
    return figs.likert_block_figures(prefix, items, commune=rp.commune)


def feeling_chapter(rp: ReportProfile) -> Section:
    blocks: list = [Paragraph(
        "Das Sicherheitsgefühl wird mit der international üblichen Standardfrage gemessen: Wie sicher fühlt man "
        "sich, wenn man nach Einbruch der Dunkelheit allein zu Fuß in der eigenen Wohngegend unterwegs ist? "
        "Die Frage misst ein allgemeines Sicherheitsempfinden, das oft mehr mit Alter, Geschlecht und dem "
        "Zustand des Wohnumfelds zu tun hat als mit der registrierten Kriminalität.")]
    blocks += _indicator_blocks(rp, "gefuehl", "Sicherheitsgefühl: Indikatoren")
    items = rp.chapter_items("gefuehl")
    blocks += _likert_blocks(rp, items, "sicherheitsgefuehl")
    texts = [sen.subgroup_sentence(rp, "unsicher_nachts", by, label)
             for by, label in (("geschlecht", "Geschlecht"), ("altersgruppe", "Altersgruppe"),
                               ("ortsteil", "Ortsteil"))]
    texts = [t for t in texts if t]
    if texts:
        blocks.append(Paragraph(sen.joined(texts)))
    fig = figs.subgroup_figure(rp, "unsicher-nachts-gruppen", "unsicher_nachts",
                               "Nachts in der Wohngegend unsicher, nach Geschlecht, Altersgruppe und Ortsteil "
                               "(95-%-Konfidenzintervalle; gepunktete Linie: insgesamt)")
    if fig:
        blocks.append(fig)
    std = {s.id: s for s in rp.document.standardised.indicators}
    raw, adj = rp.indicator("unsicher_nachts"), std.get("unsicher_nachts")
    if shown(raw) and shown(adj):
        blocks.append(Paragraph(
            f"Hätte {rp.commune} die Alters- und Geschlechtsstruktur Sachsens, läge der Anteil der nachts "
            f"Unsicheren bei {sen.value_with_ci(adj, rp.level)} statt {sen.plain_value(raw)}. Dieser "
            f"standardisierte Wert eignet sich für Vergleiche mit anderen Kommunen."))
    return Section("Sicherheitsgefühl", tuple(blocks), id="sicherheitsgefuehl")


def fear_chapter(rp: ReportProfile) -> Section:
    intro = Paragraph(
        "Kriminalitätsfurcht hat drei Seiten: die Beunruhigung, Opfer einer Straftat zu werden (affektiv), "
        "die Einschätzung des eigenen Risikos (kognitiv) und das Schutz- und Vermeideverhalten (konativ).")
    subs = []
    parts = (("furcht_affektiv", "Beunruhigung (affektiv)", "Beunruhigung, Opfer zu werden: Antworten in Prozent"),
             ("furcht_kognitiv", "Risikoeinschätzung (kognitiv)", "Eingeschätztes Risiko: Antworten in Prozent"),
             ("furcht_konativ", "Schutz- und Vermeideverhalten (konativ)", "Vermeideverhalten: Antworten in Prozent"))
    for chapter, title, _caption in parts:
        blocks = _indicator_blocks(rp, chapter, f"{title}: Indikatoren")
        worry = sen.worry_sentence(rp) if chapter == "furcht_affektiv" else None
        if worry:
            blocks.insert(0, Paragraph(worry))
        items = rp.chapter_items(chapter)
        blocks += _likert_blocks(rp, items, chapter.replace("_", "-"))
        multiple = [d for d in items if _mentions(d)]
        if multiple:
            fig = figs.mention_ranking_figure(rp, f"{chapter.replace('_', '-')}-nennungen", multiple,
                                              f"{multiple[0].question} Anteil »genannt«",
                                              indicator="Anteil der Befragten, die die Maßnahme nennen")
            if fig:
                blocks.append(fig)
        if chapter == "furcht_affektiv":
            fig = figs.subgroup_figure(rp, "furcht-index-gruppen", "furcht_index",
                                       "Index Kriminalitätsfurcht (1 gar nicht bis 4 sehr stark beunruhigt) nach "
                                       "Gruppen", bys=("geschlecht", "altersgruppe"))
            if fig:
                blocks.append(fig)
        if not blocks:
            blocks = [Paragraph("Zu diesem Aspekt enthält der Fragebogen keine Fragen.")]
        subs.append(Section(title, tuple(blocks), level=2))
    return Section("Kriminalitätsfurcht", (intro, *subs), id="kriminalitaetsfurcht")


def problems_chapter(rp: ReportProfile) -> Section:
    blocks: list = []
    for s in (sen.top_problem_sentence(rp), sen.problem_association_sentence(rp)):
        if s:
            blocks.append(Paragraph(s))
    fig = figs.problem_ranking_figure(rp)
    if fig:
        blocks.append(fig)
    problems = rp.document.problems
    if problems:
        rows = []
        for p in problems:
            a = p.association
            if shown(a) and a.difference is not None:
                mark = (lambda t: fmt.flagged(t, flag_of(a)))
                cells = (mark(fmt.percent(a.share_with)), mark(fmt.percent(a.share_without)),
                         mark(fmt.percentage_points(a.difference)),
                         fmt.interval(a.ci_low, a.ci_high, kind="pp"))
            else:
                cells = (fmt.SUPPRESSED, fmt.SUPPRESSED, fmt.SUPPRESSED, fmt.MISSING)
            rows.append((sen.problem_label(p.label), sen.value(p.prevalence), *cells))
        blocks.append(Table(
            "Probleme im Wohnumfeld und nächtliche Unsicherheit",
            ("Problem", "Anteil", "mit", "ohne", "Differenz", "95-%-KI"), tuple(rows),
            note="Anteil: sieht ein ziemliches oder großes Problem. »mit« / »ohne«: Anteil der nachts Unsicheren "
                 "unter denen, die das Problem als ziemlich oder groß sehen, bzw. unter den übrigen; Differenz in "
                 "Prozentpunkten mit 95-%-Konfidenzintervall. / = nicht ausgewiesen (weniger als 10 Antworten); "
                 "Werte in Klammern: eingeschränkt belastbar."))
    core_ids = {p.indicator for p in problems}
    further = [d for d in rp.chapter_items("probleme")
               if not any(i.endswith(d.item.replace("problem_", "", 1)) for i in core_ids)]
    blocks += _likert_blocks(rp, further, "probleme-weitere")
    if not blocks:
        blocks.append(Paragraph("Zu Problemen im Wohnumfeld liegen keine Ergebnisse vor."))
    return Section("Probleme im Wohnumfeld", tuple(blocks), id="probleme")


def fear_places_chapter(rp: ReportProfile) -> Section:
    blocks: list = _indicator_blocks(rp, "angstraeume", "Angsträume: Indikatoren")
    items = rp.chapter_items("angstraeume")
    reasons = [d for d in items if _mentions(d)]
    if reasons:
        fig = figs.mention_ranking_figure(rp, "angstraeume-gruende", reasons,
                                          f"{reasons[0].question} Anteil »genannt« unter denen, die einen "
                                          f"Angstraum nennen", indicator="Anteil »genannt«")
        if fig:
            blocks.append(fig)
    for d in items:
        if d in reasons or d.item == "angstraum":
            continue
        table = distribution_table(d.question, d, level=rp.level)
        if table:
            blocks.append(table)
    fig = figs.subgroup_figure(rp, "meidet-orte-ortsteil", "meidet_orte",
                               "Meidet nachts bestimmte Orte, nach Ortsteil", bys=("ortsteil",))
    if fig:
        blocks.append(fig)
    blocks.append(Paragraph(
        "Die genannten Orte selbst wurden als Freitext erfragt. Sie werden hier zum Schutz der Befragten nicht "
        "wörtlich wiedergegeben; die Kommune sollte die zusammengefassten Nennungen bei einer Ortsbegehung mit "
        "Polizei, Stadtplanung und Bürgerschaft prüfen (Beleuchtung, Sichtachsen, Belebung)."))
    return Section("Angsträume", tuple(blocks), id="angstraeume")


def victims_chapter(rp: ReportProfile) -> Section:
    blocks: list = []
    for s in (sen.victim_sentence(rp), sen.reporting_sentence(rp)):
        if s:
            blocks.append(Paragraph(s))
    victims = [(i.label.split(": ", 1)[-1], i) for i in rp.indicators if i.id.startswith("opfer_12m_")]
    fig = figs.ranking_figure(rp, "opfer-rangfolge", victims,
                              "Opfer in den letzten 12 Monaten nach Delikt (Anteil der Befragten, "
                              "95-%-Konfidenzintervall)", indicator="Anteil Opfer in 12 Monaten")
    if fig:
        blocks.append(fig)
    rates = [(i.label.replace("Anzeigequote ", "").replace(" (unter den Opfern)", ""), i)
             for i in rp.indicators if i.id.startswith("anzeigequote_")]
    table = indicator_table("Anzeigequote: Anteil der Opfer, die die Tat angezeigt haben", rates,
                            level=rp.level, label_header="Delikt", value_header="angezeigt")
    if table:
        blocks.append(table)
    reasons = [d for d in rp.chapter_items("opfer") if _mentions(d)]
    if reasons:
        fig = figs.mention_ranking_figure(rp, "nichtanzeige-gruende", reasons,
                                          f"{reasons[0].question} Anteil »genannt«", indicator="Anteil »genannt«")
        if fig:
            blocks.append(fig)
    blocks += _dunkelfeld_blocks(rp)
    return Section("Opfererfahrungen und Anzeigeverhalten", tuple(blocks), id="opfer")


def _dunkelfeld_blocks(rp: ReportProfile) -> list:
    df = rp.document.dunkelfeld
    if not df.available or not df.rows:
        return [Paragraph("Ein Vergleich mit der Kriminalstatistik (Dunkelfeld) ist ohne PKS-Daten nicht möglich.")]
    rows = []
    for r in df.rows:
        cells = [_per_capita(v) for v in (r.victims, r.reported, r.registered)]
        factor = r.dunkelfeld_factor
        ftext = fmt.MISSING
        if factor.value is not None:
            ftext = f"{fmt.decimal(factor.value, 1)} ({fmt.interval(factor.ci_low, factor.ci_high, kind='decimal', digits=1)})"
        rows.append((wc.SURVEY_OFFENCE_LABELS.get(r.offence, r.offence), *cells, ftext))
    caveats: list[str] = []
    for code in [c for r in df.rows for c in r.caveats] + list(df.caveats):
        if wc.caveat_text(code) not in caveats:
            caveats.append(wc.caveat_text(code))
    blocks = [Paragraph(
        f"Dunkelfeld: Die Befragung erfasst auch Taten, die der Polizei nie bekannt werden. Die Tabelle stellt "
        f"hochgerechnete Opfer und Anzeigen (je 100.000 Einwohner ab 16) den {df.pks_year} "
        f"registrierten Fällen (HZ) gegenüber. Die Werte sind grobe Größenordnungen."),
        Table("Befragung und Kriminalstatistik im Vergleich (je 100.000 Einwohner)",
              ("Delikt", "Opfer", "angezeigt", "registriert", "Faktor (95-%-KI)"),
              tuple(rows), note="Opfer und angezeigt: hochgerechnet aus der Befragung; registriert: PKS. Faktor: "
                                "hochgerechnete Opfer je registriertem Fall (Dunkelfeldfaktor).")]
    if caveats:
        blocks.append(BulletList(tuple(caveats)))
    return blocks


def _per_capita(v: PerCapita) -> str:
    return fmt.integer(v.value) if v.value is not None else fmt.SUPPRESSED


def police_chapter(rp: ReportProfile) -> Section:
    blocks: list = _indicator_blocks(rp, "polizei", "Polizei, Ordnungsamt und Prävention: Indikatoren")
    items = [d for d in rp.chapter_items("polizei")]
    blocks += _likert_blocks(rp, items, "polizei")
    fig = figs.subgroup_figure(rp, "vertrauen-polizei-gruppen", "vertrauen_polizei_hoch",
                               "Hohes Vertrauen in die örtliche Polizei nach Gruppen")
    if fig:
        blocks.append(fig)
    wishes = [d for d in items if _mentions(d)]
    if wishes:
        fig = figs.mention_ranking_figure(rp, "massnahmen-wuensche", wishes,
                                          f"{wishes[0].question} Anteil »genannt«", indicator="Anteil »genannt«")
        if fig:
            blocks.append(fig)
    # The presence tables last: in the flow they fill the space the chapter's charts leave.
    for d in items:
        valid = [c for c in d.categories if not c.missing]
        if len(valid) == 3 and "praesenz" in d.item:
            table = distribution_table(d.question, d, level=rp.level)
            if table:
                blocks.append(table)
    return Section("Polizei und Ordnungsamt", tuple(blocks), id="polizei")
