"""The Lagebericht of a commune (issue 5): bericht.pdf, bericht.html, kurzbericht.pdf and
tabellenband.xlsx, rendered only from ``ergebnis/profil.json``.

The report model is built once from the profile (:mod:`.profile`, :mod:`.sentences`,
:mod:`.figures`, chapters in :mod:`.chapters_context`, :mod:`.chapters_survey`,
:mod:`.chapters_results`; documents in :mod:`.build`) and laid out by the shared Typst and HTML
renderers (:mod:`survey.report.typst_render`, :mod:`survey.report.html_render`).
"""

from survey.report.lagebericht.build import CHAPTER_TITLES, build_kurzbericht, build_lagebericht
from survey.report.lagebericht.profile import ProfileMissingError, ReportProfile, load_profile_file
from survey.report.lagebericht.render import OUTPUT_NAMES, load_report_profile, render_reports

__all__ = [
    "CHAPTER_TITLES", "OUTPUT_NAMES", "ProfileMissingError", "ReportProfile", "build_kurzbericht",
    "build_lagebericht", "load_profile_file", "load_report_profile", "render_reports",
]
