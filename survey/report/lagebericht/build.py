"""Build the report documents (Lagebericht and Kurzbericht) from the profile: once, for all renderers."""

from __future__ import annotations

from survey.report.document import Document, KeyFigure, KeyFigureBox, Section
from survey.report.lagebericht import chapters_context as cc
from survey.report.lagebericht import chapters_results as cr
from survey.report.lagebericht import chapters_survey as cs
from survey.report.lagebericht.kurzbericht import build_kurzbericht
from survey.report.lagebericht.local import LocalContent, LocalParts, extend_lagebericht
from survey.report.lagebericht.profile import ReportProfile, report_date

CHAPTER_TITLES = (
    "Zusammenfassung", "Methodik", "Gebietsprofil", "Polizeiliche Kriminalstatistik", "Sicherheitsgefühl",
    "Kriminalitätsfurcht", "Probleme im Wohnumfeld", "Angsträume", "Opfererfahrungen und Anzeigeverhalten",
    "Polizei und Ordnungsamt", "Was das Sicherheitsgefühl erklärt", "Handlungsempfehlungen", "Anhang",
)


# The chapter builders in report order (names in their modules, looked up when called).
CHAPTER_BUILDERS = (
    (cc, "summary_chapter"), (cc, "methods_chapter"), (cc, "area_chapter"), (cc, "pks_chapter"),
    (cs, "feeling_chapter"), (cs, "fear_chapter"), (cs, "problems_chapter"), (cs, "fear_places_chapter"),
    (cs, "victims_chapter"), (cs, "police_chapter"), (cr, "drivers_chapter"), (cr, "recommendations_chapter"),
    (cr, "appendix_chapter"),
)
CHAPTER_NAMES = tuple(name for _module, name in CHAPTER_BUILDERS)


def build_lagebericht(rp: ReportProfile, local: LocalContent | None = None) -> Document:
    """The full Lagebericht: thirteen chapters (:data:`CHAPTER_TITLES`) plus the local content of the
    analysis folder (coach chapters, maps, coded places: :mod:`.local`)."""
    chapters = build_chapters(rp, CHAPTER_NAMES)
    return assemble_lagebericht(rp, [chapters[name] for name in CHAPTER_NAMES], local)


def build_chapters(rp: ReportProfile, names) -> dict[str, Section]:
    """The chapters ``names`` (of :data:`CHAPTER_NAMES`) by name; each depends on the profile only, so
    they can be built in any order or process (``render_reports`` builds some in a second process)."""
    builders = {name: module for module, name in CHAPTER_BUILDERS}
    return {name: getattr(builders[name], name)(rp) for name in names}


def assemble_lagebericht(rp: ReportProfile, sections, local: LocalContent | None = None,
                         parts: LocalParts | None = None) -> Document:
    """The Lagebericht of the built chapters (in report order) with the local content added; ``parts``:
    the local parts if already made (:func:`~survey.report.lagebericht.local.local_parts`)."""
    sections = extend_lagebericht(tuple(sections), rp, local or LocalContent(), parts)  # issue 12: local content hook
    return Document(
        title=f"Sicherheitsanalyse {rp.commune} {rp.wave_label}",
        subtitle="Lagebericht: Bürgerbefragung und Polizeiliche Kriminalstatistik",
        author=f"Kommunale Kriminalprävention {rp.commune}",
        date=report_date(rp),
        keywords=("Sicherheitsanalyse", rp.commune, "Lagebericht", "Sicherheitsgefühl", "Kriminalstatistik"),
        sections=sections,
    )


__all__ = ["build_lagebericht", "build_kurzbericht", "build_chapters", "assemble_lagebericht", "CHAPTER_TITLES", "KeyFigure", "KeyFigureBox"]
