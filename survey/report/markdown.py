"""Markdown (the coach's chapters) → blocks of the report document model.

Parsed with markdown-it-py (CommonMark, tables on, raw HTML off). What is supported: paragraphs, headings
(all at one fixed level below the chapter, :func:`markdown_blocks` ``heading_level``), bullet and numbered
lists (nested items are flattened with a dash), emphasis and strong emphasis, inline code and code blocks
(shown as code), links (shown as text followed by the URL), tables (as report tables), block quotes (as
paragraphs), images from inside the analysis folder (PNG, JPEG, GIF, SVG). HTML comments are removed
before parsing (the templates of ``init`` explain themselves in comments).

Safety by construction: every text becomes a plain string in a :class:`~survey.report.document.Span` or
cell. The Typst template shows strings from ``data.json`` as text and the HTML templates autoescape, so
Typst or HTML markup in the Markdown (``#import``, ``#eval``, ``<script>``) is printed, never executed.
Raw HTML is not interpreted (markdown-it ``html=False``); only ``http(s)``/``mailto`` links become
clickable in HTML. An image outside the folder, a URL as image source, a missing or non-image file is a
:class:`CoachTextError` naming the Markdown file, line and path.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt

from survey.errors import UserError
from survey.report.document import Image, RichList, RichParagraph, Section, Span, Table

IMAGE_TYPES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
               ".gif": (b"GIF87a", b"GIF89a"), ".svg": (b"<svg", b"<?xml")}
MAX_IMAGE_BYTES = 10_000_000
_COMMENT = re.compile(r"<!--.*?-->", re.S)


class CoachTextError(UserError):
    """A coach chapter (texte/*.md) cannot be used as written."""


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def strip_comments(text: str) -> str:
    return _COMMENT.sub("", text)


class _Converter:
    def __init__(self, source: Path, root: Path, base_dir: Path, heading_level: int, id_prefix: str,
                 table_caption: str) -> None:
        self.source, self.root, self.base_dir = source, root.resolve(), base_dir
        self.heading_level, self.id_prefix, self.table_caption = heading_level, id_prefix, table_caption
        self.images = 0

    # --- inline ------------------------------------------------------------------------------
    def inline(self, token, line: int) -> tuple[list[Span], list[Image]]:  # noqa: ANN001
        spans: list[Span] = []
        images: list[Image] = []
        strong = emph = 0
        link: list[tuple[str, int]] = []  # (href, index of the first span of the link text)
        for child in token.children or ():
            kind = child.type
            if kind == "text":
                if child.content:
                    spans.append(Span(child.content, strong > 0, emph > 0))
            elif kind == "softbreak":
                spans.append(Span(" ", strong > 0, emph > 0))
            elif kind == "hardbreak":
                spans.append(Span("", linebreak=True))
            elif kind == "code_inline":
                spans.append(Span(child.content, strong > 0, emph > 0, code=True))
            elif kind == "strong_open":
                strong += 1
            elif kind == "strong_close":
                strong -= 1
            elif kind == "em_open":
                emph += 1
            elif kind == "em_close":
                emph -= 1
            elif kind == "link_open":
                link.append((str(child.attrs.get("href", "")), len(spans)))
            elif kind == "link_close" and link:
                href, first = link.pop()
                text = "".join(s.text for s in spans[first:])
                if href and unquote(href) != text and href != f"mailto:{text}":
                    spans.append(Span("", url=unquote(href)))
            elif kind == "image":
                images.append(self.image(child, line))
            elif child.content:  # anything else (e.g. html_inline if ever enabled): as text
                spans.append(Span(child.content, strong > 0, emph > 0))
        return spans, images

    def plain(self, token) -> str:  # noqa: ANN001
        spans, _ = self.inline(token, 0) if token.children else ([Span(token.content)], [])
        return "".join(s.text + (f" ({s.url})" if s.url else "") for s in spans).strip()

    def image(self, token, line: int) -> Image:  # noqa: ANN001
        src = str(token.attrs.get("src", ""))
        alt = "".join(c.content for c in token.children or ()) or token.content
        title = str(token.attrs.get("title", "") or "")

        def error(message: str) -> CoachTextError:
            return CoachTextError(message, path=self.source, line=line)

        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) or src.startswith("//"):
            raise error(f"Bild »{src}«: Bilder werden nur aus dem Analyseordner eingebunden, nicht aus dem "
                        "Internet oder von anderen Orten. Bitte die Datei in den Analyseordner legen (z. B. "
                        "texte/bilder/) und relativ angeben.")
        path = Path(unquote(src))
        candidate = (path if path.is_absolute() else self.base_dir / path).resolve()
        if not candidate.is_relative_to(self.root):
            raise error(f"Bild »{src}« liegt außerhalb des Analyseordners {self.root}; nur Bilder aus dem "
                        "Analyseordner sind erlaubt.")
        suffix = candidate.suffix.lower()
        if suffix not in IMAGE_TYPES:
            raise error(f"Bild »{src}«: Format »{candidate.suffix or '(ohne Endung)'}« wird nicht unterstützt "
                        "(erlaubt: PNG, JPEG, GIF, SVG).")
        if not candidate.is_file():
            raise error(f"Bild »{src}« wurde nicht gefunden (gesucht: {candidate}).")
        size = candidate.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise error(f"Bild »{src}« ist zu groß ({size // 1_000_000} MB, höchstens "
                        f"{MAX_IMAGE_BYTES // 1_000_000} MB).")
        head = candidate.read_bytes()[:512].lstrip()
        if not any(head.startswith(magic) for magic in IMAGE_TYPES[suffix]) and not (
                suffix == ".svg" and b"<svg" in head):
            raise error(f"Bild »{src}« ist keine gültige {suffix[1:].upper()}-Datei.")
        self.images += 1
        description = alt.strip() or title.strip() or f"Bild {candidate.name}"
        return Image(f"{self.id_prefix}-bild-{self.images}", candidate, description, title.strip())

    # --- blocks -------------------------------------------------------------------------------
    def blocks(self, tokens) -> list:  # noqa: ANN001
        top: list = []
        sections: list[tuple[str, list]] = []

        def target() -> list:
            return sections[-1][1] if sections else top

        i = 0
        while i < len(tokens):
            token = tokens[i]
            line = (token.map[0] + 1) if token.map else 0
            kind = token.type
            if kind == "heading_open":
                sections.append((self.plain(tokens[i + 1]), []))
                i += 3
                continue
            if kind == "paragraph_open":
                spans, images = self.inline(tokens[i + 1], line)
                if any(s.text.strip() or s.linebreak for s in spans):
                    target().append(RichParagraph(tuple(spans)))
                target().extend(images)
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                end, items, images = self.list_items(tokens, i)
                start = int(token.attrs.get("start", 1)) if kind == "ordered_list_open" else 1
                if items:
                    target().append(RichList(tuple(items), kind == "ordered_list_open", start))
                target().extend(images)
                i = end + 1
                continue
            if kind in ("fence", "code_block"):
                lines = token.content.rstrip("\n").split("\n")
                spans = []
                for k, text in enumerate(lines):
                    if k:
                        spans.append(Span("", linebreak=True))
                    spans.append(Span(text, code=True))
                target().append(RichParagraph(tuple(spans)))
            elif kind == "table_open":
                end, table = self.table(tokens, i)
                target().append(table)
                i = end + 1
                continue
            i += 1
        return top + [Section(heading, tuple(blocks), level=self.heading_level) for heading, blocks in sections]

    def list_items(self, tokens, start: int) -> tuple[int, list[tuple[Span, ...]], list[Image]]:  # noqa: ANN001
        items: list[tuple[Span, ...]] = []
        images: list[Image] = []
        depth = 0
        current: list[Span] | None = None
        i = start
        while i < len(tokens):
            token = tokens[i]
            if token.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                if depth == 0:
                    if current:
                        items.append(tuple(current))
                    return i, items, images
            elif token.type == "list_item_open":
                if current:
                    items.append(tuple(current))
                current = [Span("– ")] if depth > 1 else []
            elif token.type == "inline":
                line = (token.map[0] + 1) if token.map else 0
                spans, found = self.inline(token, line)
                if current is None:
                    current = []
                if current and spans and current[-1].text not in ("– ", ""):
                    current.append(Span(" "))
                current.extend(spans)
                images.extend(found)
            i += 1
        return i, items, images

    def table(self, tokens, start: int) -> tuple[int, Table]:  # noqa: ANN001
        header: list[str] = []
        rows: list[list[str]] = []
        row: list[str] | None = None
        in_head = False
        i = start
        while i < len(tokens):
            token = tokens[i]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close" and row is not None:
                if in_head:
                    header = row
                else:
                    rows.append(row)
            elif token.type == "inline" and row is not None:
                row.append(self.plain(token))
            elif token.type == "table_close":
                break
            i += 1
        width = max([len(header)] + [len(r) for r in rows])
        header = header + [""] * (width - len(header))
        body = tuple(tuple(r + [""] * (width - len(r))) for r in rows)
        align = tuple("right" if k and _numeric_column([r[k] for r in body]) else "left" for k in range(width))
        return i, Table(self.table_caption, tuple(header), body, align=align)


# A cell that is a number (German or plain, with an optional unit or »etwa«): such columns are set
# right-aligned, and right-aligned cells never wrap (Typst box, HTML nowrap).
NUMERIC_CELL = re.compile(r"(?:ca\.|etwa|rund|~)?\s*[−+\-]?\d[\d.,\u00a0\u202f ]*\s*(?:%|Pp\.|€|km²?|ha)?")


def _numeric_column(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(NUMERIC_CELL.fullmatch(c) for c in filled)


def markdown_blocks(text: str, *, source: Path, root: Path, heading_level: int, id_prefix: str,
                    table_caption: str = "Tabelle") -> list:
    """Blocks for the Markdown ``text`` read from ``source``; images resolve relative to the Markdown
    file and must lie inside ``root`` (the analysis folder); tables get ``table_caption``."""
    converter = _Converter(source, root, source.parent, heading_level, id_prefix, table_caption)
    return converter.blocks(_parser().parse(strip_comments(text)))
