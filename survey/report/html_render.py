"""HTML rendering with Jinja2: one self-contained file (inline CSS and SVG, no scripts, no external
resources), accessible (``lang="de"``, heading hierarchy, captions, ``<th scope>``, SVG ``<title>``)
and printable (``@media print``: page breaks before chapters, no navigation).

Templates live in ``report_templates/html/``: ``base.html.j2`` (layout), ``macros.html.j2``
(``keyfigure_box``, ``data_table``, ``estimate_table``, ``figure``), ``bericht.html.j2`` (generic
report) and ``bericht.css``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2

from survey.atomic import atomic_write
from survey.report.document import Document, Figure, Image, Section, Table
from survey.report.errors import RenderError
from survey.report.formatting import register_filters
from survey.resources import report_templates_dir

TEMPLATE_DIR = "html"
DEFAULT_TEMPLATE = "bericht.html.j2"
STYLESHEET = "bericht.css"


def environment() -> jinja2.Environment:
    """The Jinja2 environment for report templates: autoescape on, German filters registered,
    undefined variables are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(report_templates_dir() / TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    register_filters(env)
    return env


def _slug(text: str) -> str:
    text = text.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "abschnitt"


class _Numbering:
    """Section numbers (``2.1``), anchors, and running figure/table numbers, keyed by object id."""

    def __init__(self, document: Document) -> None:
        self.numbers: dict[int, str] = {}
        self.anchors: dict[int, str] = {}
        self._used: set[str] = set()
        self._figures = 0
        self._tables = 0
        self._walk(document.sections, ())

    def _anchor(self, section: Section) -> str:
        base = section.id or _slug(section.heading)
        anchor, k = base, 2
        while anchor in self._used:
            anchor, k = f"{base}-{k}", k + 1
        self._used.add(anchor)
        return anchor

    def _walk(self, blocks, prefix: tuple[int, ...]) -> None:
        count = 0
        for block in blocks:
            if isinstance(block, Section):
                count += 1
                number = prefix + (count,)
                self.numbers[id(block)] = ".".join(map(str, number))
                self.anchors[id(block)] = self._anchor(block)
                self._walk(block.blocks, number)
            elif isinstance(block, (Figure, Image)):
                self._figures += 1
                self.numbers[id(block)] = str(self._figures)
            elif isinstance(block, Table):
                self._tables += 1
                self.numbers[id(block)] = str(self._tables)

    def number(self, block: Any) -> str:
        return self.numbers[id(block)]

    def anchor(self, block: Any) -> str:
        return self.anchors[id(block)]


def render_html(document: Document, *, template: str = DEFAULT_TEMPLATE, **context: Any) -> str:
    """Render ``document`` to one self-contained HTML string."""
    env = environment()
    css = (report_templates_dir() / TEMPLATE_DIR / STYLESHEET).read_text(encoding="utf-8")
    ids = [f.id for f in document.figures()] + [i.id for i in document.images()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RenderError(f"Abbildungs-ID {duplicates[0]!r} kommt im Bericht mehrfach vor.")
    numbering = _Numbering(document)
    try:
        return env.get_template(template).render(
            doc=document, css=css, number=numbering.number, anchor=numbering.anchor, **context)
    except jinja2.TemplateError as error:
        raise RenderError(f"HTML-Bericht konnte nicht erzeugt werden (Vorlage {template}): "
                          f"{error}") from None


def write_html(document: Document, target: str | Path, **options: Any) -> Path:
    """Write the HTML report to ``target`` atomically."""
    target = Path(target)
    html = render_html(document, **options)
    with atomic_write(target) as stream:
        stream.write(html)
    return target
