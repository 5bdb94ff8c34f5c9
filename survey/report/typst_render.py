"""PDF rendering with Typst (PDF/UA-1).

The document model is serialised to ``data.json`` and the charts to ``figures/<id>.svg`` in a
temporary folder next to a copy of the Typst template (``report_templates/typst/``); the template
reads them with ``json("data.json")``. Values are never spliced into Typst source, so no escaping is
needed. Compilation uses only embedded fonts (the typst wheel's Libertinus Serif, New Computer
Modern, DejaVu Sans Mono) plus matplotlib's DejaVu Sans folder (for headings and chart text), never
system fonts, and by default the PDF/UA-1 standard: Typst then refuses documents without a title or
images without alt text.
"""

from __future__ import annotations

import datetime as _dt
import json
import shutil
import tempfile
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, Sequence

import matplotlib
import typst

from survey.atomic import atomic_path
from survey.report.document import Document, Figure, Image
from survey.report.errors import RenderError
from survey.report.side_process import mark_fork_unsafe
from survey.resources import report_templates_dir

TEMPLATE_DIR = "typst"
DEFAULT_TEMPLATE = "bericht.typ"
PDF_STANDARDS = ("ua-1",)
FIGURE_DIR = "figures"
IMAGE_DIR = "images"


def font_paths() -> list[str]:
    """Extra font folders for Typst: matplotlib's bundled DejaVu fonts (same face as the charts)."""
    return [str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")]


def _plain(value: Any) -> Any:
    """Dataclasses → dicts (with ``kind``), tuples → lists, dates → ISO strings."""
    if isinstance(value, Figure):
        return {
            "kind": "figure",
            "id": value.id,
            "caption": value.caption,
            "alt": value.chart.alt_text,
            "path": f"{FIGURE_DIR}/{value.id}.svg",
            "width_cm": value.chart.width_cm,
            "height_cm": value.chart.height_cm,
            "chart_kind": value.chart.kind,
        }
    if isinstance(value, Image):
        return {"kind": "image", "id": value.id, "caption": value.caption, "alt": value.alt,
                "path": f"{IMAGE_DIR}/{value.id}{value.suffix}"}
    if is_dataclass(value):
        data = {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
        if hasattr(value, "alignments"):
            data["align"] = list(value.alignments)
        if isinstance(value, Document):
            data["date_text"] = value.date_text
        return data
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def document_data(document: Document) -> dict:
    """The JSON data the Typst template reads (also handy for debugging templates)."""
    return _plain(document)


def prepare(document: Document, folder: Path, template: str = DEFAULT_TEMPLATE) -> Path:
    """Copy the Typst templates into ``folder``, write ``data.json`` and the figure SVGs; return
    the main template path."""
    source = report_templates_dir() / TEMPLATE_DIR
    if not (source / template).is_file():
        raise RenderError(f"Berichtsvorlage {source / template} nicht gefunden.")
    shutil.copytree(source, folder, dirs_exist_ok=True)
    figures = folder / FIGURE_DIR
    figures.mkdir(exist_ok=True)
    seen: set[str] = set()
    for fig in document.figures():
        if fig.id in seen:
            raise RenderError(f"Abbildungs-ID {fig.id!r} kommt im Bericht mehrfach vor.")
        seen.add(fig.id)
        (figures / f"{fig.id}.svg").write_text(fig.chart.svg, encoding="utf-8")
    images = folder / IMAGE_DIR
    images.mkdir(exist_ok=True)
    for image in document.images():
        if image.id in seen:
            raise RenderError(f"Abbildungs-ID {image.id!r} kommt im Bericht mehrfach vor.")
        seen.add(image.id)
        shutil.copyfile(image.path, images / f"{image.id}{image.suffix}")
    (folder / "data.json").write_text(json.dumps(document_data(document), ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    return folder / template


def _timestamp(document: Document) -> int:
    day = document.date or _dt.date(2000, 1, 1)
    return int(_dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc).timestamp())


def compile_pdf(document: Document, *, template: str = DEFAULT_TEMPLATE,
                standards: Sequence[str] = PDF_STANDARDS, work_dir: Path | None = None) -> bytes:
    """Compile ``document`` to PDF bytes. ``work_dir`` (optional) keeps the prepared sources."""
    with tempfile.TemporaryDirectory(prefix="bericht-typst-") as temp:
        folder = Path(work_dir) if work_dir is not None else Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        main = prepare(document, folder, template)
        mark_fork_unsafe()  # Typst's thread pool does not survive a fork (survey.report.side_process)
        try:
            return typst.compile(
                str(main), root=str(folder), font_paths=font_paths(), ignore_system_fonts=True,
                pdf_standards=list(standards), timestamp=_timestamp(document),
            )
        except typst.TypstError as error:
            raise RenderError(f"PDF-Bericht konnte nicht erzeugt werden (Typst): {error}") from None


def render_pdf(document: Document, target: str | Path, **options: Any) -> Path:
    """Write the PDF to ``target`` atomically (nothing is left behind on failure)."""
    target = Path(target)
    pdf = compile_pdf(document, **options)
    with atomic_path(target) as temp:
        temp.write_bytes(pdf)
    return target
