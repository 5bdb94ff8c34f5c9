"""Build the report documents (Lagebericht and Kurzbericht) from the profile: once, for all renderers."""

from __future__ import annotations

import datetime as _dt

from survey.report import formatting as fmt
from survey.report.document import BulletList, Document, KeyFigure, KeyFigureBox, Paragraph, Section
from survey.report.lagebericht import chapters_context as cc
from survey.report.lagebericht import chapters_results as cr
from survey.report.lagebericht import chapters_survey as cs
from survey.report.lagebericht import figures as figs
from survey.report.lagebericht import kurz_local as kl
from survey.report.lagebericht import places as pl
from survey.report.lagebericht import sentences as sen
from survey.report.lagebericht.local import LocalContent, extend_lagebericht
from survey.report.lagebericht.profile import ReportProfile, shown
from survey.wording import evidence as we

CHAPTER_TITLES = (
    "Zusammenfassung", "Methodik", "Gebietsprofil", "Polizeiliche Kriminalstatistik", "Sicherheitsgefühl",
    "Kriminalitätsfurcht", "Probleme im Wohnumfeld", "Angsträume", "Opfererfahrungen und Anzeigeverhalten",
    "Polizei und Ordnungsamt", "Was das Sicherheitsgefühl erklärt", "Handlungsempfehlungen", "Anhang",
)


def report_date(rp: ReportProfile) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(rp.data.get("created", ""))
    except ValueError:
        return None


def build_lagebericht(rp: ReportProfile, local: LocalContent | None = None) -> Document:
    """The full Lagebericht: thirteen chapters (:data:`CHAPTER_TITLES`) plus the local content of the
    analysis folder (coach chapters, maps, coded places: :mod:`.local`)."""
    sections = (
        cc.summary_chapter(rp), cc.methods_chapter(rp), cc.area_chapter(rp), cc.pks_chapter(rp),
        cs.feeling_chapter(rp), cs.fear_chapter(rp), cs.problems_chapter(rp), cs.fear_places_chapter(rp),
        cs.victims_chapter(rp), cs.police_chapter(rp), cr.drivers_chapter(rp), cr.recommendations_chapter(rp),
        cr.appendix_chapter(rp),
    )
    sections = extend_lagebericht(sections, rp, local or LocalContent())  # issue 12: local content hook
    return Document(
        title=f"Sicherheitsanalyse {rp.commune} {rp.wave_label}",
        subtitle="Lagebericht: Bürgerbefragung und Polizeiliche Kriminalstatistik",
        author=f"Kommunale Kriminalprävention {rp.commune}",
        date=report_date(rp),
        keywords=("Sicherheitsanalyse", rp.commune, "Lagebericht", "Sicherheitsgefühl", "Kriminalstatistik"),
        sections=sections,
    )


TOP_RECOMMENDATIONS = 4


def _evidence_line(rec: dict, rp: ReportProfile | None = None) -> str:
    """The first shown piece of evidence as a short German clause."""
    for e in rec["evidence"]:
        if e.get("criterion") == "finding" and e.get("met"):
            return f"Befund: {we.evidence_label(e)} – {cr.criterion_text(e, e.get('unit') or 'share', rp)}."
        if e.get("estimate") is None or not shown({"estimate": e["estimate"], "flag": e.get("flag")}):
            continue
        unit = e.get("unit") or "share"
        v = cr._unit_value(e["estimate"], unit)
        if e.get("flag") == "unsicher":
            v = f"({v})"
        return f"Befund: {we.evidence_label(e)} – {v}."
    return ""


def _survey_sentence(rp: ReportProfile) -> str:
    """Who was asked and who answered (the selected are not the respondents)."""
    gross = rp.data["sample"].get("gross")
    if gross:
        return (f"Im Jahr {rp.year} hat {rp.commune} {fmt.integer(gross)} zufällig ausgewählte Bürgerinnen und "
                f"Bürger ab 16 Jahren zu ihrer Sicherheit befragt; {fmt.integer(rp.net)} haben geantwortet. Die "
                f"wichtigsten Ergebnisse:")
    return (f"Im Jahr {rp.year} haben {fmt.integer(rp.net)} zufällig ausgewählte Bürgerinnen und Bürger ab 16 "
            f"Jahren in {rp.commune} Fragen zu ihrer Sicherheit beantwortet. Die wichtigsten Ergebnisse:")


def build_kurzbericht(rp: ReportProfile) -> Document:
    """Two pages for the public and the Amtsblatt: key figures and findings (page 1), what the commune
    will do next = the top recommendations (page 2)."""
    findings = sen.key_findings(rp)
    page1 = [cc.key_figures(rp),
             Paragraph(_survey_sentence(rp)),
             BulletList(tuple(findings[:5]))]
    places_line = pl.kurzbericht_line(rp)  # issue 12: coded places (at least 10 mentions)
    if places_line:
        page1.append(Paragraph(places_line))
    change_line = kl.change_paragraph(rp)  # issue 12: change since the earlier wave
    if change_line is not None:
        page1.append(change_line)
    fig = figs.indicator_figure(rp, "kurz-kernindikatoren", ["unsicher_nachts", "meidet_orte", "vertrauen_polizei_hoch"],
                                "Ausgewählte Ergebnisse mit 95-%-Konfidenzintervall", standardised=False,
                                labels=cc.SHORT_LABELS)
    if fig:
        page1.append(fig)
    recs = rp.data.get("recommendations", [])  # the engine's order (priority, then rule order)
    page2: list = []
    if recs:
        page2.append(Paragraph("Aus den Ergebnissen ergeben sich diese Vorschläge für die kommunale Prävention:"))
        items = []
        for rec in recs[:TOP_RECOMMENDATIONS]:
            text = f"{rec['title']}: {rec['text']}"
            ev = _evidence_line(rec, rp)
            items.append(sen.Sentence(f"{text} {ev}".strip(), cr.rule_claims(rec)))
        page2.append(BulletList(tuple(items)))
        if len(recs) > TOP_RECOMMENDATIONS:
            rest = sen.join_de([f"»{r['title']}«" for r in recs[TOP_RECOMMENDATIONS:]])
            page2.append(Paragraph(f"Weitere Empfehlungen: {rest}."))
    else:
        page2.append(Paragraph("Die Ergebnisse lösen keine der hinterlegten Handlungsempfehlungen aus."))
    local = kl.ortsteil_section(rp)  # issue 12: the reader's Ortsteil
    if local is not None:
        page2.append(local)
    crime = sen.pks_sentences(rp)
    page2.append(Section("Kriminalstatistik", (Paragraph(sen.joined(crime[:3])),), level=3))
    sample = rp.data["sample"]
    about = (f"Befragt wurden Einwohnerinnen und Einwohner ab 16 Jahren aus einer Zufallsstichprobe des "
             f"Melderegisters; {fmt.integer(sample['net'])} haben geantwortet")
    if sample.get("response_rate") is not None:
        about += f" (Rücklauf {fmt.percent(sample['response_rate'])})"
    about += (". Die Ergebnisse sind auf die Bevölkerung hochgerechnet (gewichtet). Angaben in Klammern nennen "
              "das 95-%-Konfidenzintervall. Die Befragung war anonym. Den vollständigen Lagebericht und den "
              "Tabellenband stellt die Kommune bereit.")
    page2.append(Section("Über die Befragung", (Paragraph(about),), level=3))
    return Document(
        title=f"Sicherheit in {rp.commune} {rp.wave_label}: Kurzbericht",
        subtitle="Ergebnisse der Bürgerbefragung",
        author=f"Kommunale Kriminalprävention {rp.commune}",
        date=report_date(rp),
        keywords=("Sicherheitsanalyse", rp.commune, "Kurzbericht"),
        sections=(Section("Die wichtigsten Ergebnisse", tuple(page1), level=2, id="ergebnisse"),
                  Section("Was als Nächstes geschieht", tuple(page2), level=2, id="naechste-schritte")),
    )


__all__ = ["build_lagebericht", "build_kurzbericht", "CHAPTER_TITLES", "KeyFigure", "KeyFigureBox"]
