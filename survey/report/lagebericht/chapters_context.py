"""Chapters Zusammenfassung, Methodik, Gebietsprofil and Polizeiliche Kriminalstatistik."""

from __future__ import annotations

from analysis.crime.flags import SeriesFlag
from survey.profile.crime import Crime
from survey.profile.crime import SeriesFlag as ProfileSeriesFlag
from survey.profile.sections import LonelyStrata, Methods
from survey.report import formatting as fmt
from survey.report.document import BulletList, KeyFigure, KeyFigureBox, Paragraph, Section, Table
from survey.report.lagebericht import figures as figs
from survey.report.lagebericht import sentences as sen
from survey.wording import crime as wc
from survey.wording import disclosure
from survey.wording import findings as wf
from survey.wording import methods as wm
from survey.report.lagebericht.profile import ReportProfile, shown
from survey.report.lagebericht.languages import language_blocks
from survey.report.lagebericht.tables import indicator_table
from survey.report.lagebericht.values import value_with_ci

CORE_OVERVIEW = ("unsicher_nachts", "unsicher_tag", "unsicher_gemeinde", "meidet_orte", "opfer_12m_irgendein",
                 "vertrauen_polizei_hoch")
SHORT_LABELS = {
    "unsicher_nachts": "nachts unsicher (Wohngegend)", "unsicher_tag": "tagsüber unsicher (Wohngegend)",
    "unsicher_gemeinde": "unsicher in der Gemeinde", "meidet_orte": "meidet nachts bestimmte Orte",
    "opfer_12m_irgendein": "Opfer in 12 Monaten", "vertrauen_polizei_hoch": "hohes Vertrauen in die Polizei",
}
CALIBRATION_NAMES = {"raking": "Raking, d. h. iterative proportionale Anpassung",
                     "logit": "begrenzte Kalibrierung (Logit-Verfahren)", "linear": "lineare Kalibrierung (GREG)"}
VARIABLE_NAMES = {"ortsteil": "Ortsteil", "altersgruppe": "Altersgruppe", "geschlecht": "Geschlecht"}


def key_figures(rp: ReportProfile) -> KeyFigureBox:
    items = []
    for ind_id, label in (("unsicher_nachts", "fühlen sich nachts in der Wohngegend unsicher"),
                          ("meidet_orte", "meiden nachts bestimmte Orte"),
                          ("vertrauen_polizei_hoch", "vertrauen der örtlichen Polizei"),
                          ("opfer_12m_irgendein", "wurden in 12 Monaten Opfer einer Straftat")):
        record = rp.indicator(ind_id)
        if shown(record):
            items.append(KeyFigure(label, sen.value(record),
                                   f"{fmt.ci_label(rp.level)} {fmt.interval(record.ci_low, record.ci_high)}"))
    total = sen._total_offence(rp)
    if total is not None and total.series:
        last = total.series[-1]
        items.append(KeyFigure(f"Straftaten je 100.000 Einwohner ({last.jahr})", fmt.hz(last.hz.rate),
                               f"{fmt.integer(last.faelle)} Fälle (PKS)"))
    sample = rp.document.sample
    note = f"Rücklauf {fmt.percent(sample.response_rate)}" if sample.response_rate is not None else ""
    items.append(KeyFigure("Befragte", fmt.integer(sample.net), note))
    return KeyFigureBox(f"{rp.commune} {rp.wave_label} auf einen Blick", tuple(items))


def summary_chapter(rp: ReportProfile) -> Section:
    blocks = [key_figures(rp),
              Paragraph(f"Dieser Lagebericht fasst die Bürgerbefragung zur Sicherheit in {rp.commune} "
                        f"({rp.wave_label}) und die Polizeiliche Kriminalstatistik zusammen. Alle Anteile sind "
                        f"auf die Bevölkerung ab 16 Jahren hochgerechnet; in Klammern steht jeweils das "
                        f"95-%-Konfidenzintervall, also der Bereich, in dem der wahre Wert mit hoher "
                        f"Wahrscheinlichkeit liegt."),
              BulletList(tuple(sen.key_findings(rp)))]
    fig = figs.indicator_figure(rp, "kernindikatoren", list(CORE_OVERVIEW),
                                "Kernindikatoren mit 95-%-Konfidenzintervall; zum Vergleich der auf die "
                                "Alters- und Geschlechtsstruktur Sachsens standardisierte Wert",
                                labels=SHORT_LABELS)
    if fig:  # before the findings: the chart floats onto the first page, the list flows on
        blocks.insert(2, fig)
    return Section("Zusammenfassung", tuple(blocks), id="zusammenfassung")


def precision_sentence(rp: ReportProfile) -> str:
    """How exact the figures are, shown on the report's first indicator with its interval from the profile
    (a fixed »±5 Prozentpunkte« was wrong for small communes)."""
    record = rp.indicator("unsicher_nachts")
    if not shown(record):
        return "Bei Untergruppen sind die Intervalle breiter als bei allen Befragten."
    return (f"Ein Beispiel dafür, wie genau die Werte sind: Der Anteil der Befragten, die sich nachts in der "
            f"Wohngegend unsicher fühlen, liegt bei {value_with_ci(record, rp.level)}. Bei Untergruppen sind die "
            "Intervalle breiter.")


def methods_chapter(rp: ReportProfile) -> Section:
    doc = rp.document
    sample, weighting, methods = doc.sample, doc.weighting, doc.methods
    blocks: list = []
    text = f"Befragt wurde eine Zufallsstichprobe aus dem Melderegister von {rp.commune}"
    if sample.gross:
        text += (f": {fmt.integer(sample.gross)} Personen ab 16 Jahren wurden angeschrieben, "
                 f"{fmt.integer(sample.net)} haben geantwortet (Rücklaufquote {fmt.percent(sample.response_rate)})")
    else:
        text += f"; {fmt.integer(sample.net)} Personen haben geantwortet"
    modes = sample.modes
    if modes:
        text += " – " + sen.join_de([f"{fmt.integer(v)} {_mode(k)}" for k, v in modes.items()])
    blocks.append(Paragraph(text + "."))
    blocks += language_blocks(rp)
    strata = sample.strata
    if strata:
        rows = tuple((s.label, fmt.integer(s.population_16plus), fmt.integer(s.gross),
                      fmt.integer(s.net), fmt.percent(s.response_rate)) for s in strata)
        blocks.append(Table("Stichprobe und Rücklauf nach Schicht (Ortsteil)",
                            ("Schicht", "Einwohner ab 16", "angeschrieben", "geantwortet", "Rücklauf"), rows))
    method = CALIBRATION_NAMES.get(weighting.method, weighting.method)
    variables = sen.join_de([VARIABLE_NAMES.get(v, v) for v in weighting.variables])
    wtext = (f"Gewichtung: Weil nicht alle Gruppen gleich häufig antworten (meist Ältere häufiger als "
             f"Jüngere), wurden die Antworten an die Bevölkerungsverteilung nach {variables} angepasst "
             f"({method}")
    if weighting.bounds:
        lo, hi = weighting.bounds
        wtext += f", Anpassungsfaktoren begrenzt auf {fmt.decimal(lo, 2)} bis {fmt.decimal(hi, 2)}"
    wtext += (f"). Die Anpassungsfaktoren liegen zwischen {fmt.decimal(weighting.g_min, 2)} und "
              f"{fmt.decimal(weighting.g_max, 2)}; der Designeffekt der Gewichtung (nach Kish) beträgt "
              f"{fmt.decimal(weighting.kish_deff, 2)}, die effektive Fallzahl "
              f"{fmt.integer(weighting.effective_n)}.")
    if not weighting.converged:
        wtext += " Achtung: Die Gewichtung ist nicht vollständig konvergiert."
    blocks.append(Paragraph(wtext))
    if weighting.missing_rule:
        blocks.append(Paragraph(wm.MISSING_RULE))
    if weighting.warnings:
        blocks.append(BulletList(tuple(weighting.warnings)))
    level = fmt.integer(rp.level * 100)
    ci = methods.ci_method_proportion
    blocks.append(Paragraph(
        f"Konfidenzintervalle: Zu jedem Anteil wird ein {level}-%-Konfidenzintervall angegeben "
        f"({'Logit-Intervall' if ci == 'logit' else ci}; für Mittelwerte t-Intervall). "
        f"{wm.method_text('variance', methods.variance) or ''} "
        f"{precision_sentence(rp)}"))
    blocks.append(Paragraph(_df_text(rp, methods)))
    if methods.degenerate_interval:
        blocks.append(Paragraph(wm.method_text("degenerate_interval", methods.degenerate_interval)))
    lonely = _lonely_text(methods.lonely_strata) if methods.lonely_strata is not None else None
    if lonely:
        blocks.append(Paragraph(lonely))
    multiple = wf.multiple_testing_text(methods.multiple_testing)
    if multiple:
        blocks.append(Paragraph(multiple))
    blocks.append(Paragraph(
        f"Ausweisungsregeln: {wm.suppression_rules(methods.suppression)} In Tabellen steht »/« für einen nicht "
        f"ausgewiesenen Wert, ein Wert in Klammern ist eingeschränkt belastbar, »–« bedeutet: kein Wert "
        f"vorhanden."))
    blocks.append(Paragraph(
        "Datenschutz: Die Befragung war anonym. Zugangscodes werden nur verschlüsselt gespeichert und sind "
        "nicht mit den Antworten verknüpft; die Kommune erfährt nicht, wer geantwortet hat. Der Bericht "
        "enthält nur zusammengefasste Ergebnisse; Freitextantworten werden nicht wörtlich wiedergegeben, "
        f"und kein Wert, dessen Basis weniger als {disclosure.threshold(methods.suppression)} gültige Antworten "
        "umfasst, wird ausgewiesen."))
    blocks.append(BulletList(wm.NOTES))
    if doc.crime.available:
        blocks.append(Paragraph(f"Kriminalstatistik: {wm.PKS_METHOD}"))
    return Section("Methodik", tuple(blocks), id="methodik")


def _df_text(rp: ReportProfile, methods: Methods) -> str:
    """The degrees-of-freedom rule with the figures of this profile."""
    text = (wm.method_text("df_rule", methods.df_rule)
            or "Freiheitsgrade: die des ganzen Designs (Zahl der Befragten minus Zahl der Schichten).")
    overall = methods.df
    domain = sorted({r.df for r in rp.document.breakdowns.records
                     if r.df is not None and r.estimate is not None})
    if overall is not None:
        text += f" Hier: {fmt.integer(overall)} Freiheitsgrade für Gesamtwerte"
        if domain:
            span = fmt.integer(domain[0]) if domain[0] == domain[-1] else \
                f"{fmt.integer(domain[0])} bis {fmt.integer(domain[-1])}"
            text += f", {span} für die ausgewiesenen Untergruppen"
        text += "."
    return text


LONELY_RULES_DE = {
    "anpassen": "Ihr Beitrag zur Varianz wird um den Gesamtwert statt um den (nicht schätzbaren) Schichtmittelwert "
                "berechnet (wie R survey.lonely.psu = \"adjust\").",
    "mitteln": "Sie trägt nichts zur Varianz bei; die Varianz der übrigen Schichten wird im Verhältnis aller zu den "
               "übrigen Schichten hochgerechnet (wie R survey.lonely.psu = \"average\").",
    "sicher": "Sie wird wie eine vollständig erhobene Schicht behandelt und trägt nichts zur Varianz bei (wie R "
              "survey.lonely.psu = \"certainty\").",
    "entfernen": "Sie trägt nichts zur Varianz bei (wie R survey.lonely.psu = \"remove\"); die Intervalle können "
                 "dadurch etwas zu schmal sein.",
}


def _lonely_text(lonely: LonelyStrata) -> str | None:
    """Methods sentence for ``stichprobe.einzelschicht`` when a rule other than »fehler« is set."""
    setting = lonely.setting
    if not setting or setting == "fehler":
        return None
    strata = lonely.strata
    if not strata:
        return (f"Für Schichten mit nur einer befragten Person ist die Regel »{setting}« eingestellt; keine "
                "Schicht ist davon betroffen.")
    names = sen.join_de([f"»{s.label}«" for s in strata])
    verb = "enthält" if len(strata) == 1 else "enthalten jeweils"
    return (f"Die Schicht {names} {verb} nur eine befragte Person; ihre Stichprobenvarianz ist nicht schätzbar. "
            f"Nach der in analyse.yaml gewählten Regel »{setting}«: {LONELY_RULES_DE.get(setting, '')}")




def _mode(key: str) -> str:
    return {"papier": "auf Papier", "online": "online"}.get(key, key)


def area_chapter(rp: ReportProfile) -> Section:
    doc = rp.document
    blocks: list = []
    total = sen._total_offence(rp)
    text = f"{rp.commune} (Gemeindeschlüssel {doc.commune.ags})"
    if total is not None and total.series:
        last = total.series[-1]
        text += f" hatte {last.jahr} {fmt.integer(last.einwohner)} Einwohnerinnen und Einwohner"
    strata = doc.sample.strata
    pop16 = sum(s.population_16plus for s in strata)
    if pop16:
        text += f", davon {fmt.integer(pop16)} im Alter ab 16 Jahren"
    blocks.append(Paragraph(text + "."))
    if len(strata) > 1 and pop16:
        rows = tuple((s.label, fmt.integer(s.population_16plus), fmt.percent(s.population_16plus / pop16))
                     for s in strata)
        blocks.append(Table("Einwohner ab 16 Jahren nach Ortsteil", ("Ortsteil", "Einwohner ab 16", "Anteil"), rows))
    margins = [m for m in doc.weighting.margins if m.variable == "altersgruppe"]
    total_target = sum(m.target for m in margins)
    if margins and total_target:
        rows = tuple((rp.group_name("altersgruppe", m.category), fmt.percent(m.target / total_target),
                      fmt.integer(m.n)) for m in margins)
        blocks.append(Table("Altersstruktur der Bevölkerung ab 16 Jahren (Sollwerte der Gewichtung) und Zahl "
                            "der Befragten", ("Altersgruppe", "Anteil Bevölkerung", "Befragte"), rows))
    records = [(i.label, i) for i in rp.chapter_indicators("gebiet")]
    for s in (sen.indicator_sentence(rp, i.id) for _, i in records[:2]):
        if s:
            blocks.append(Paragraph(s))
    table = indicator_table("Wohnen und Nachbarschaft: Indikatoren", records, level=rp.level)
    if table:
        blocks.append(table)
    items = [x for x in rp.chapter_items("gebiet") if x.item.startswith("zusammenhalt")]
    blocks += figs.likert_block_figures("zusammenhalt", items, commune=rp.commune)
    blocks.append(Paragraph("Strukturdaten zu Wirtschaft, Sozialstruktur und Angeboten (z. B. Jugend- und "
                            "Seniorenarbeit, Vereine) liegen dem Profil nicht vor und sollten von der Kommune "
                            "ergänzt werden."))
    return Section("Gebietsprofil", tuple(blocks), id="gebietsprofil")


PKS_CAVEATS = (
    "Die PKS erfasst nur Taten, die der Polizei bekannt werden (Hellfeld). Wie viele Taten angezeigt werden, "
    "hängt vom Delikt und vom Anzeigeverhalten ab.",
    "Kontrolldelikte wie Rauschgiftdelikte spiegeln vor allem die Kontrolltätigkeit der Polizei wider.",
    "Die Häufigkeitszahl bezieht Taten von Pendlern, Gästen und Durchreisenden auf die Einwohner; "
    "Orte mit viel Durchgangsverkehr erscheinen dadurch stärker belastet.",
    "In kleinen Gemeinden verändern einzelne Taten oder Serien die Zahlen stark; mehrere Jahre betrachten.",
    "Die PKS gewichtet nicht nach der Schwere der Tat und erklärt Entwicklungen nicht.",
)


def pks_chapter(rp: ReportProfile) -> Section:
    crime = rp.document.crime
    if not crime.available:
        reason = wc.unavailable_reason(crime.reason, rp.document.commune.ags) if crime.reason else \
            "keine Kriminalstatistik angegeben"
        return Section("Polizeiliche Kriminalstatistik", (
            Paragraph(f"Für diesen Bericht lag keine Polizeiliche Kriminalstatistik (PKS) vor ({reason.rstrip('.')}). "
                      "Das Kapitel entfällt; die Befragungsergebnisse stehen für sich. Die PKS kann über die "
                      "Polizeidirektion bezogen und in analyse.yaml unter »kriminalstatistik« angegeben werden."),
        ), id="pks")
    blocks: list = [Paragraph(sen.joined(sen.pks_sentences(rp)))]
    total_flag = crime.total.flag if crime.total is not None else None
    if total_flag is not None:
        blocks.append(Paragraph(wc.series_flag_text(_series_flag(total_flag))))
    total = sen._total_offence(rp)
    if total is not None:
        fig = figs.pks_trend_figure(rp, total)
        if fig:
            blocks.append(fig)
        mean = total.mean_last_years
        if mean is not None and mean.rate is not None:
            years = mean.years
            blocks.append(Paragraph(
                f"Im Mittel der Jahre {years[0]}–{years[-1]} lag die Häufigkeitszahl bei {fmt.hz(mean.rate)} "
                f"({fmt.ci_label(rp.level)} {fmt.interval(mean.ci_low, mean.ci_high, kind='hz')})."))
    blocks.append(_offence_table(rp, crime))
    comparison = _landkreis_table(rp, crime)
    if comparison is not None:
        blocks.append(comparison)
    structure = crime.structure or ()
    if structure:
        rows = tuple((s.label, fmt.integer(s.cases), fmt.percent(s.share)) for s in structure)
        blocks.append(Table(f"Struktur der registrierten Kriminalität {_year(crime)}",
                            ("Deliktsgruppe", "Fälle", "Anteil an allen Fällen"), rows,
                            note="Deliktsgruppen überschneiden sich teilweise (z. B. Wohnungseinbruch ist Teil "
                                 "des Diebstahls)."))
    messages = series_notes(crime)
    if messages:
        blocks.append(Section("Hinweise zur Zeitreihe", (BulletList(tuple(messages)),), level=2))
    blocks.append(Section("Grenzen der Kriminalstatistik", (BulletList(PKS_CAVEATS),
                                                             Paragraph("Verfahren: siehe Kapitel Methodik.")), level=2))
    return Section("Polizeiliche Kriminalstatistik", tuple(blocks), id="pks")


def _year(crime: Crime) -> str:
    """The latest PKS year for a caption (empty when the profile has none)."""
    return "" if crime.latest_year is None else str(crime.latest_year)


def _series_flag(flag: ProfileSeriesFlag) -> SeriesFlag:
    """The profile's series flag as the engine's type, which :func:`survey.wording.crime.series_flag_text` words."""
    return SeriesFlag(code=flag.code, year=flag.year, years=tuple(flag.years), share=flag.share, cases=flag.cases,
                      expected=flag.expected)


def series_notes(crime: Crime) -> list[str]:
    """Each note once: breaks that concern every series (Zensus, Cannabis, Corona) once for the chapter,
    a possible series offence with the offence it concerns; then the computation notes."""
    messages: list[str] = []
    for o in crime.offences:
        for flag in o.flags:
            text = wc.series_flag_text(_series_flag(flag))
            if flag.code == "serieneffekt":
                text = f"{o.label}: {text}"
            if text not in messages:
                messages.append(text)
    for note in crime.notes:
        text = wc.note_text(note.step, note.offence, note.message)
        if text not in messages:
            messages.append(text)
    return messages


def _offence_table(rp: ReportProfile, crime: Crime) -> Table:
    rows = []
    for o in crime.offences:
        if not o.series:
            continue
        last = o.series[-1]
        hz = last.hz
        trend_text = fmt.MISSING
        if o.trend is not None and o.trend.rate_ratio is not None:
            trend_text = fmt.percent(o.trend.rate_ratio - 1, 1, sign=True)
            trend_text += sen.not_significant_mark(sen.pks_finding(rp, "trend", o))
        label = o.label + (f"{fmt.NBSP}*" if o.small_count else "")  # the mark never wraps onto a line of its own
        rows.append((label, fmt.integer(last.faelle), fmt.hz(hz.rate),
                     fmt.interval(hz.ci_low, hz.ci_high, kind="hz"), trend_text,
                     fmt.percent(o.aq.share) if o.aq is not None and o.aq.share is not None else fmt.MISSING))
    year = _year(crime)
    note = ("HZ = Häufigkeitszahl (Fälle je 100.000 Einwohner) mit 95-%-Konfidenzintervall. Trend: mittlere "
            "jährliche Veränderung (Quasi-Poisson). AQ = Aufklärungsquote. n. s. = statistisch nicht gesichert. "
            "* = kleine Fallzahl (unter 20), mit Vorsicht deuten.")
    headline = sen._total_offence(rp)
    if headline is not None and any(set(o.keys) & {sen.TOTAL_KEY, sen.WITHOUT_IMMIGRATION_KEY}
                                    for o in crime.offences if o is not headline):
        note += f" Als Gesamtzahl verwendet dieser Bericht »{headline.label}«."
    return Table(f"Registrierte Straftaten {year}: Fälle, Häufigkeitszahl (HZ), Trend und Aufklärung",
                 ("Delikt", "Fälle", "HZ", "95-%-KI", "Trend", "AQ"), tuple(rows), note=note)


def _landkreis_available(crime: Crime) -> bool:
    """Whether the profile has Landkreis figures (profiles before ``crime.landkreis``: a Landkreis reference)."""
    if crime.landkreis is not None:
        return crime.landkreis.available
    return crime.references is not None and bool(crime.references.landkreis)


def _landkreis_table(rp: ReportProfile, crime: Crime) -> Table | None:
    """Commune, whole Landkreis and the rate ratio against the rest of the Landkreis; None without Landkreis."""
    if not _landkreis_available(crime):
        return None
    rows, methods = [], set()
    for o in crime.offences:
        rr, whole = o.rate_ratio_landkreis, o.hz_landkreis
        ratio = rr.ratio if rr is not None else None
        rate = whole.rate if whole is not None else None
        if not o.series or (ratio is None and rate is None):
            continue
        rr_text = fmt.MISSING
        if ratio is not None:
            finding = sen.pks_finding(rp, "reference", o, "landkreis")
            # »n. s.« inside the interval's parentheses: »1,06 (1,01–1,12; n. s.)«, not »… (1,01–1,12) (n. s.)«
            mark = "; n. s." if sen.not_significant_mark(finding) else ""
            if mark and finding.adjustment not in (None, "none"):
                methods.add(finding.adjustment)
            rr_text = f"{fmt.decimal(ratio, 2)} ({fmt.interval(rr.ci_low, rr.ci_high, kind='decimal')}{mark})"
        rows.append((o.label, fmt.hz(o.series[-1].hz.rate),
                     fmt.hz(rate) if rate is not None else fmt.MISSING, rr_text))
    if not rows:
        return None
    ns = "n. s. = statistisch nicht gesichert."
    if len(methods) == 1:  # the interval is not adjusted; the test is, so an interval without 1 can be »n. s.«
        method = wf.method_name(next(iter(methods)))
        ns = (f"n. s. = statistisch nicht gesichert (nach {method}-Korrektur für die Zahl der verglichenen Delikte; "
              "das Konfidenzintervall ist nicht korrigiert und kann 1 daher ausschließen).")
    return Table(f"Vergleich mit dem Landkreis {_year(crime)}",
                 ("Delikt", f"HZ {rp.commune}", "HZ ganzer Landkreis", "Verhältnis (95-%-KI)"), tuple(rows),
                 note="Verhältnis: HZ der Kommune geteilt durch die HZ des übrigen Landkreises (Landkreis ohne die "
                      f"Kommune), mit exaktem Konfidenzintervall; über 1 = höher belastet. {ns}")
