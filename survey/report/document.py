"""A small renderer-neutral document model: what the Typst and HTML renderers both read.

Build once, render many (STYLE.md item 13): the report builder (later: from profil.json) creates a
:class:`Document` with German sentences and preformatted or raw numbers; :mod:`typst_render` and
:mod:`html_render` only lay it out. Blocks are frozen dataclasses with a ``kind`` used by templates.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from survey.report import formatting as fmt
from survey.report.charts.style import Chart


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = field(default="paragraph", init=False)


@dataclass(frozen=True)
class BulletList:
    """An unordered list of sentences (e.g. key findings, measures)."""

    items: tuple[str, ...]
    kind: str = field(default="list", init=False)


@dataclass(frozen=True)
class KeyFigure:
    """One key figure: ``value`` already formatted (``"42,9 %"``), ``note`` e.g. the interval."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class KeyFigureBox:
    title: str
    items: tuple[KeyFigure, ...]
    kind: str = field(default="keyfigures", init=False)


@dataclass(frozen=True)
class Table:
    """A table of formatted strings. The first column holds row headers (``<th scope="row">``).
    ``align`` per column: ``"left"`` or ``"right"`` (numbers). ``widths`` (optional): relative column
    widths for templates that honour them (the comparison report); empty = the template's default."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...] = ()
    note: str = ""
    widths: tuple[float, ...] = ()
    kind: str = field(default="table", init=False)

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.caption!r}: row {row!r} has {len(row)} cells, "
                                 f"expected {len(self.columns)}")
        if self.align and len(self.align) != len(self.columns):
            raise ValueError(f"table {self.caption!r}: align needs {len(self.columns)} entries")
        if self.widths and len(self.widths) != len(self.columns):
            raise ValueError(f"table {self.caption!r}: widths needs {len(self.columns)} entries")

    @property
    def alignments(self) -> tuple[str, ...]:
        return self.align or ("left",) + ("right",) * (len(self.columns) - 1)


@dataclass(frozen=True)
class EstimateRow:
    """Raw numbers of one estimate (as in profil.json): value, interval, unweighted n, flag."""

    label: str
    estimate: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    flag: str | None = None


def estimate_table(caption: str, rows: list[EstimateRow] | tuple[EstimateRow, ...], *,
                   kind: str = "percent", label_header: str = "Indikator",
                   value_header: str = "Anteil", level: float = 0.95, note: str = "") -> Table:
    """Format estimates into a :class:`Table` (Indikator | Anteil | 95-%-KI | n) with the flag rules
    of :func:`survey.report.formatting.flagged`."""
    ci_kind = {"percent": "percent", "decimal": "decimal", "hz": "hz", "integer": "integer"}[kind]
    body = []
    for r in rows:
        suppressed = r.flag == fmt.FLAG_SUPPRESSED
        ci = fmt.MISSING if suppressed else fmt.interval(r.ci_low, r.ci_high, kind=ci_kind)
        body.append((r.label, fmt.estimate(r.estimate, r.flag, kind), ci, fmt.integer(r.n)))
    return Table(caption=caption, columns=(label_header, value_header, fmt.ci_label(level), "n"),
                 rows=tuple(body), note=note)


@dataclass(frozen=True)
class Figure:
    """A chart with its caption; ``id`` must be unique in the document (used for HTML ids and
    file names)."""

    id: str
    chart: Chart
    caption: str
    kind: str = field(default="figure", init=False)


@dataclass(frozen=True)
class Span:
    """A run of text with inline formatting (coach chapters from Markdown). ``url``: a link target,
    shown after the text; ``linebreak``: a hard line break (``text`` empty). Renderers treat ``text``
    and ``url`` as plain text (never as Typst or HTML markup)."""

    text: str
    strong: bool = False
    emph: bool = False
    code: bool = False
    url: str = ""
    linebreak: bool = False

    @property
    def href(self) -> str:
        """The URL as a link target for HTML, only for web and mail links (never ``javascript:``)."""
        return self.url if self.url.lower().startswith(("http://", "https://", "mailto:")) else ""


@dataclass(frozen=True)
class RichParagraph:
    spans: tuple[Span, ...]
    kind: str = field(default="rich", init=False)


@dataclass(frozen=True)
class RichList:
    """A bullet (``ordered`` False) or numbered list whose items are runs of :class:`Span`."""

    items: tuple[tuple[Span, ...], ...]
    ordered: bool = False
    start: int = 1
    kind: str = field(default="richlist", init=False)


@dataclass(frozen=True)
class Image:
    """A picture from the analysis folder (coach chapters): ``path`` is the checked source file,
    ``alt`` its description (PDF/UA, HTML), ``caption`` optional; ``id`` unique in the document."""

    id: str
    path: Path
    alt: str
    caption: str = ""
    kind: str = field(default="image", init=False)

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def media_type(self) -> str:
        return {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                ".svg": "image/svg+xml"}[self.suffix]

    def data_uri(self) -> str:
        import base64

        return f"data:{self.media_type};base64," + base64.b64encode(self.path.read_bytes()).decode("ascii")


Block = Union[Paragraph, BulletList, KeyFigureBox, Table, Figure, RichParagraph, RichList, Image, "Section"]


@dataclass(frozen=True)
class Section:
    """A chapter (level 1) or subsection (level 2, 3) with its blocks (which may be sections)."""

    heading: str
    blocks: tuple[Block, ...] = ()
    level: int = 1
    id: str = ""
    kind: str = field(default="section", init=False)


@dataclass(frozen=True)
class Document:
    title: str
    sections: tuple[Section, ...]
    subtitle: str = ""
    author: str = ""
    date: _dt.date | None = None
    keywords: tuple[str, ...] = ()

    @property
    def date_text(self) -> str:
        return fmt.date(self.date) if self.date else ""

    def figures(self) -> list[Figure]:
        """All figures in document order."""
        return [b for b in self._walk(self.sections) if isinstance(b, Figure)]

    def images(self) -> list[Image]:
        """All images (coach chapters) in document order."""
        return [b for b in self._walk(self.sections) if isinstance(b, Image)]

    @staticmethod
    def _walk(blocks):
        for b in blocks:
            yield b
            if isinstance(b, Section):
                yield from Document._walk(b.blocks)
