"""Render all report outputs of an analysis folder from ``ergebnis/profil.json``."""

from __future__ import annotations

from pathlib import Path

from survey.folder import CONFIG_NAME, AnalysisFolder, load_folder
from survey.report.html_render import write_html
from survey.report.lagebericht.build import build_kurzbericht, build_lagebericht
from survey.report.lagebericht.profile import (
    PROFILE_NAME, ReportProfile, load_profile_document, load_questionnaire_for,
)
from survey.report.lagebericht.local import load_local_content
from survey.report.tabellenband import write_tabellenband
from survey.report.typst_render import render_pdf

RESULT_DIR = "ergebnis"
OUTPUT_NAMES = ("bericht.pdf", "bericht.html", "kurzbericht.pdf", "tabellenband.xlsx")
LAGEBERICHT_TYPST = "lagebericht.typ"
KURZBERICHT_TYPST = "kurzbericht.typ"
LAGEBERICHT_HTML = "lagebericht.html.j2"


def _open(folder: AnalysisFolder | str | Path) -> tuple[Path, AnalysisFolder | None]:
    """The folder's path and, if it has an analyse.yaml, the opened folder (the caller's, not a new one)."""
    if isinstance(folder, AnalysisFolder):
        return folder.path, folder
    path = Path(folder)
    return path, load_folder(path) if (path / CONFIG_NAME).is_file() else None


def load_report_profile(folder: AnalysisFolder | str | Path) -> ReportProfile:
    """The profile of ``folder`` (an :class:`~survey.folder.AnalysisFolder` or a path) with its
    questionnaire (for the chapter mapping). Raises a German error if profil.json is missing."""
    path, opened = _open(folder)
    document = load_profile_document(path / RESULT_DIR / PROFILE_NAME)
    return ReportProfile(document, load_questionnaire_for(document, opened))


def render_reports(folder, *, final: bool = False, warnings: list[str] | None = None) -> list[Path]:
    """Render bericht.pdf, bericht.html, kurzbericht.pdf and tabellenband.xlsx into DIR/ergebnis/ from
    DIR/ergebnis/profil.json and the local content of DIR (texte/*.md, ortsteile.geojson); every file is
    written atomically. ``final``: leave out coach chapters that are not written yet (a draft shows a
    hint). Problems that do not stop the report (e.g. an unusable GeoJSON) are appended to ``warnings``.
    Returns the four paths."""
    path, opened = _open(folder)
    rp = load_report_profile(opened or path)
    target = path / RESULT_DIR
    local = load_local_content(path, rp, final=final, folder=opened)
    if warnings is not None:
        warnings.extend(local.warnings)
    report = build_lagebericht(rp, local)
    short = build_kurzbericht(rp)
    outputs = [target / name for name in OUTPUT_NAMES]
    render_pdf(report, outputs[0], template=LAGEBERICHT_TYPST)
    write_html(report, outputs[1], template=LAGEBERICHT_HTML)
    render_pdf(short, outputs[2], template=KURZBERICHT_TYPST)
    write_tabellenband(rp, outputs[3])
    return outputs
