"""Build the report documents (Lagebericht and Kurzbericht) from the profile: once, for all renderers."""

from __future__ import annotations

from survey.report.document import Document, KeyFigure, KeyFigureBox
from survey.report.lagebericht import chapters_context as cc
from survey.report.lagebericht import chapters_results as cr
from survey.report.lagebericht import chapters_survey as cs
from survey.report.lagebericht.kurzbericht import build_kurzbericht
from survey.report.lagebericht.local import LocalContent, extend_lagebericht
from survey.report.lagebericht.profile import ReportProfile, report_date

CHAPTER_TITLES = (
    "Zusammenfassung", "Methodik", "Gebietsprofil", "Polizeiliche Kriminalstatistik", "Sicherheitsgefühl",
    "Kriminalitätsfurcht", "Probleme im Wohnumfeld", "Angsträume", "Opfererfahrungen und Anzeigeverhalten",
    "Polizei und Ordnungsamt", "Was das Sicherheitsgefühl erklärt", "Handlungsempfehlungen", "Anhang",
)


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


__all__ = ["build_lagebericht", "build_kurzbericht", "CHAPTER_TITLES", "KeyFigure", "KeyFigureBox"]
