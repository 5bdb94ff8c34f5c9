"""The Lagebericht and the Kurzbericht of a commune (issue 5), built only from ``ergebnis/profil.json``
(all outputs are rendered by :mod:`survey.report.render`).

The report model is built once from the profile (:mod:`.profile`, :mod:`.sentences`,
:mod:`.figures`, chapters in :mod:`.chapters_context`, :mod:`.chapters_survey`,
:mod:`.chapters_results`; documents in :mod:`.build`) and laid out by the shared Typst and HTML
renderers (:mod:`survey.report.typst_render`, :mod:`survey.report.html_render`).
"""

from survey.report.lagebericht.build import CHAPTER_TITLES, build_kurzbericht, build_lagebericht
from survey.report.lagebericht.profile import ProfileMissingError, ReportProfile, load_profile_document

__all__ = [
    "CHAPTER_TITLES", "ProfileMissingError", "ReportProfile", "build_kurzbericht", "build_lagebericht",
    "load_profile_document",
]
