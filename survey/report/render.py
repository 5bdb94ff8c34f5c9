"""Render all report outputs of an analysis folder from ``ergebnis/profil.json``."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from survey.atomic import atomic_path
from survey.folder import CONFIG_NAME, AnalysisFolder, load_folder
from survey.profile import ProfileDocument
from survey.report.html_render import write_html
from survey.report.lagebericht.build import (
    CHAPTER_NAMES,
    assemble_lagebericht,
    build_chapters,
    build_kurzbericht,
)
from survey.report.lagebericht.local import load_local_content, local_parts
from survey.report.lagebericht.profile import (
    PROFILE_NAME,
    ReportProfile,
    load_profile_document,
    load_questionnaire_for,
)
from survey.report.side_process import SideProcess
from survey.report.typst_render import render_pdf

RESULT_DIR = "ergebnis"
OUTPUT_NAMES = ("bericht.pdf", "bericht.html", "kurzbericht.pdf", "tabellenband.xlsx")
LAGEBERICHT_TYPST = "lagebericht.typ"
KURZBERICHT_TYPST = "kurzbericht.typ"
LAGEBERICHT_HTML = "lagebericht.html.j2"
# Chapters built in the side process, with the local parts (Ortsteil chapter, maps), while this one builds
# the others (survey.report.side_process); then the side process writes the Tabellenband while this one
# assembles and renders both PDFs and the HTML. Chosen so both processes finish at about the same time
# (bench/bench_run.py on eichenstedt: with the police chapter in the side process too, 12.5 s instead of 11.0 s).
SIDE_CHAPTERS = ("victims_chapter", "drivers_chapter", "fear_places_chapter")


def write_tabellenband(rp: ReportProfile, target: Path) -> Path:
    """:func:`survey.report.tabellenband.write_tabellenband`, imported on the first call: with a side
    process only that process needs openpyxl, and imports it while this one builds the Lagebericht."""
    from survey.report.tabellenband import write_tabellenband as write

    return write(rp, target)


def _open(folder: AnalysisFolder | str | Path) -> tuple[Path, AnalysisFolder | None]:
    """The folder's path and, if it has an analyse.yaml, the opened folder (the caller's, not a new one)."""
    if isinstance(folder, AnalysisFolder):
        return folder.path, folder
    path = Path(folder)
    return path, load_folder(path) if (path / CONFIG_NAME).is_file() else None


def load_report_profile(folder: AnalysisFolder | str | Path, document: ProfileDocument | None = None) -> ReportProfile:
    """The profile of ``folder`` (an :class:`~survey.folder.AnalysisFolder` or a path) with its
    questionnaire (for the chapter mapping). Raises a German error if profil.json is missing.
    ``document``: the typed profile just written to ``ergebnis/profil.json`` (``run`` hands it over
    instead of reading and checking the file it wrote a moment ago); None reads the file."""
    path, opened = _open(folder)
    if document is None:
        document = load_profile_document(path / RESULT_DIR / PROFILE_NAME)
    return ReportProfile(document, load_questionnaire_for(document, opened))


def render_reports(folder, *, final: bool = False, warnings: list[str] | None = None,
                   document: ProfileDocument | None = None,
                   before_commit: Callable[[], None] | None = None) -> list[Path]:
    """Render bericht.pdf, bericht.html, kurzbericht.pdf and tabellenband.xlsx into DIR/ergebnis/ from
    DIR/ergebnis/profil.json and the local content of DIR (texte/*.md, ortsteile.geojson); every file is
    written atomically, and the four replace the earlier ones together at the end. The Tabellenband and
    :data:`SIDE_CHAPTERS` are made in a second process (:mod:`survey.report.side_process`) where the
    machine allows it, with the same results and messages as in one process. ``final``: leave out coach
    chapters that are not written yet (a draft shows a hint). Problems that do not stop the report (e.g. an
    unusable GeoJSON) are appended to ``warnings``.
    ``document``: the typed profile in DIR/ergebnis/profil.json, if the caller has it (see
    :func:`load_report_profile`). ``before_commit``: called when all four are done, before they replace
    the old ones; an exception it raises leaves ergebnis/ as it was (``run``: the report process waits there
    until the main process has written the profile). Returns the four paths."""
    path, opened = _open(folder)
    rp = load_report_profile(opened or path, document)
    target = path / RESULT_DIR
    local = load_local_content(path, rp, final=final, folder=opened)
    if warnings is not None:
        warnings.extend(local.warnings)
    outputs = [target / name for name in OUTPUT_NAMES]
    own_chapters = [name for name in CHAPTER_NAMES if name not in SIDE_CHAPTERS]
    with ExitStack() as staging:
        # every output is written to a temporary file beside it and all four replace the old ones only
        # when all four are done: an error anywhere (also in the side process) leaves ergebnis/ as it was
        staged = [staging.enter_context(atomic_path(output)) for output in outputs]
        with SideProcess((lambda: (build_chapters(rp, SIDE_CHAPTERS), local_parts(rp, local)),
                          lambda: write_tabellenband(rp, staged[3]))) as side:
            chapters = build_chapters(rp, own_chapters)
            side_chapters, parts = side.result(0)
            chapters.update(side_chapters)
            report = assemble_lagebericht(rp, [chapters[name] for name in CHAPTER_NAMES], local, parts)
            short = build_kurzbericht(rp)
            render_pdf(report, staged[0], template=LAGEBERICHT_TYPST)
            write_html(report, staged[1], template=LAGEBERICHT_HTML)
            render_pdf(short, staged[2], template=KURZBERICHT_TYPST)
            side.result(1)
        if before_commit is not None:
            before_commit()
    return outputs
