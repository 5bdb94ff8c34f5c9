"""The Kurzbericht: two pages for citizens (Amtsblatt, website), in plain language.

Page 1 »Das Wichtigste in Kürze«: the key figures, who was asked and who answered (the selected are not
the respondents), the main results, the places people named, the change since the last survey. Page 2:
the proposals of the analysis (not decisions of the council), the reader's Ortsteil, the police
statistics, and how sure the numbers are. The same sentence builders as the Lagebericht, so every claim
rests on a finding of the engine; evidence is worded for citizens (»statistisch gesichert« instead of
the adjustment method and p-value, explained once under »Wie sicher sind die Zahlen?«).
"""

from __future__ import annotations

from survey.report import formatting as fmt
from survey.report.document import BulletList, Document, Paragraph, Section
from survey.report.lagebericht import chapters_context as cc
from survey.report.lagebericht import chapters_results as cr
from survey.report.lagebericht import figures as figs
from survey.report.lagebericht import kurz_local as kl
from survey.report.lagebericht import places as pl
from survey.report.lagebericht import sentences as sen
from survey.report.lagebericht.profile import ReportProfile, report_date
from survey.wording import disclosure
from survey.wording import findings as wf

TOP_RECOMMENDATIONS = 4
SECTION_TITLES = ("Das Wichtigste in Kürze", "Vorschläge und Hintergründe")


def survey_sentence(rp: ReportProfile) -> str:
    """Who was asked and who answered (the selected are not the respondents)."""
    gross = rp.document.sample.gross
    if gross:
        return (f"Im Jahr {rp.year} hat {rp.commune} {fmt.integer(gross)} zufällig ausgewählte Einwohnerinnen und "
                f"Einwohner ab 16 Jahren gebeten, Fragen zu ihrer Sicherheit zu beantworten; {fmt.integer(rp.net)} "
                f"haben mitgemacht. Das Wichtigste:")
    return (f"Im Jahr {rp.year} haben {fmt.integer(rp.net)} zufällig ausgewählte Einwohnerinnen und Einwohner ab "
            f"16 Jahren in {rp.commune} Fragen zu ihrer Sicherheit beantwortet. Das Wichtigste:")


def certainty_text(rp: ReportProfile) -> str:
    """How sure the numbers are, in plain words."""
    sample = rp.document.sample
    suppression = rp.document.methods.suppression  # disclosure takes the recorded parameters as data
    minimum = disclosure.threshold(suppression)
    rate = (f" (das sind {fmt.percent(sample.response_rate)} der Angeschriebenen)"
            if sample.response_rate is not None else "")
    return (f"Geantwortet haben {fmt.integer(sample.net)} Personen{rate}. Ihre Antworten sind so gewichtet, "
            "dass Frauen und Männer, Altersgruppen und Ortsteile so vertreten sind wie in der Bevölkerung. Weil nicht "
            "alle befragt wurden, ist jede Zahl eine Schätzung: Der Bereich in Klammern (»95-%-KI«, das "
            "Konfidenzintervall) gibt an, wo der Wert für alle Einwohnerinnen und Einwohner mit hoher "
            "Wahrscheinlichkeit liegt. »Statistisch gesichert« heißt, dass ein Unterschied so deutlich ist, dass er "
            "kaum durch die Zufallsauswahl entstanden sein kann, auch wenn man berücksichtigt, dass viele "
            f"Vergleiche angestellt wurden. Werte aus weniger als {minimum} Antworten werden nicht gezeigt; Werte mit dem "
            "Zusatz »statistisch unsicher« beruhen auf wenigen Antworten oder haben einen breiten Bereich. Die "
            "Befragung war anonym.")


def _page1(rp: ReportProfile) -> tuple:
    blocks: list = [cc.key_figures(rp), Paragraph(survey_sentence(rp)), BulletList(tuple(sen.key_findings(rp)[:5]))]
    places_line = pl.kurzbericht_line(rp)  # coded places (at least 10 mentions)
    if places_line:
        blocks.append(Paragraph(places_line))
    change_line = kl.change_paragraph(rp)  # change since the earlier wave
    if change_line is not None:
        blocks.append(change_line)
    fig = figs.indicator_figure(rp, "kurz-kernindikatoren", ["unsicher_nachts", "meidet_orte", "vertrauen_polizei_hoch"],
                                "Drei Kernergebnisse mit dem Bereich, in dem der wahre Wert wahrscheinlich liegt "
                                "(95-%-Konfidenzintervall)", standardised=False, labels=cc.SHORT_LABELS)
    if fig:
        blocks.append(fig)
    return tuple(blocks)


def _proposals(rp: ReportProfile) -> list:
    recs = rp.document.recommendations  # the engine's order (priority, then rule order)
    if not recs:
        return [Paragraph("Aus den Ergebnissen ergibt sich keiner der hinterlegten Vorschläge für die kommunale "
                          "Prävention.")]
    blocks: list = [Paragraph(
        "Aus den Ergebnissen ergeben sich Vorschläge für die kommunale Prävention. Es sind Vorschläge der "
        "Analyse; was davon umgesetzt wird, berät und entscheidet die Kommune mit ihren Partnern:")]
    items = [sen.Sentence(f"{rec.title}: {rec.text}", cr.rule_claims(rec)) for rec in recs[:TOP_RECOMMENDATIONS]]
    blocks.append(BulletList(tuple(items)))
    if len(recs) > TOP_RECOMMENDATIONS:
        rest = sen.join_de([f"»{r.title}«" for r in recs[TOP_RECOMMENDATIONS:]])
        blocks.append(Paragraph(f"Weitere Vorschläge: {rest}. Alle Vorschläge mit ihren Belegen stehen im "
                                "Lagebericht."))
    return blocks


def _page2(rp: ReportProfile) -> tuple:
    blocks = _proposals(rp)
    local = kl.ortsteil_section(rp)  # the reader's Ortsteil
    if local is not None:
        blocks.append(local)
    blocks.append(Section("Kriminalstatistik der Polizei", (Paragraph(sen.joined(sen.pks_sentences(rp)[:3])),),
                          level=3))
    blocks.append(Section("Wie sicher sind die Zahlen?", (Paragraph(certainty_text(rp)),), level=3))
    blocks.append(Paragraph("Den vollständigen Lagebericht und den Tabellenband mit allen Zahlen stellt die Kommune "
                            "bereit."))
    return tuple(blocks)


def build_kurzbericht(rp: ReportProfile) -> Document:
    """Two pages for citizens: the essentials (page 1), proposals and background (page 2)."""
    with wf.plain_language():
        page1, page2 = _page1(rp), _page2(rp)
    return Document(
        title=f"Sicherheit in {rp.commune} {rp.wave_label}: Kurzbericht",
        subtitle="Ergebnisse der Bürgerbefragung",
        author=f"Kommunale Kriminalprävention {rp.commune}",
        date=report_date(rp),
        keywords=("Sicherheitsanalyse", rp.commune, "Kurzbericht"),
        sections=(Section(SECTION_TITLES[0], page1, level=2, id="ergebnisse"),
                  Section(SECTION_TITLES[1], page2, level=2, id="naechste-schritte")),
    )
