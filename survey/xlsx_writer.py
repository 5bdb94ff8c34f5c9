"""Save a workbook through xlsxwriter (issue 13): an openpyxl workbook, or the Tabellenband's lighter
:mod:`survey.sheet_model` workbook, which gives the same file as the openpyxl workbook built the same way.

:func:`save_workbook` applies :func:`survey.safe_cells.protect_workbook` (or ``protect_sheet_model``), then
writes each sheet with xlsxwriter, looked up from the workbook's objects: values (texts always as texts, never xlsxwriter's guessing), per-cell font, fill, alignment, border,
number format and quote prefix (one xlsxwriter format per openpyxl style), links, merged ranges, frozen panes,
autofilter, column widths, row heights, print area and titles, page setup, header, footer, document
properties. No clock: zip entries carry xlsxwriter's fixed date, core.xml the workbook's ``created``.

Not carried over (the Tabellenband uses none of it): conditional formats, data validation, comments, images,
charts, other defined names, filter conditions, theme colours (except the link style's), formulas.
"""

from __future__ import annotations

import datetime as dt
import numbers
from pathlib import Path

import xlsxwriter
from openpyxl.styles.alignment import Alignment
from openpyxl.styles.borders import DEFAULT_BORDER
from openpyxl.styles.builtins import styles as named_styles
from openpyxl.styles.fills import DEFAULT_EMPTY_FILL
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import column_index_from_string
from openpyxl.utils.cell import range_boundaries
from xlsxwriter.core import Core
from xlsxwriter.packager import Packager

from survey import sheet_model
from survey.safe_cells import atomic_path, protect_sheet_model, protect_workbook

# xlsxwriter's index of each openpyxl (OOXML) name
_BORDERS = ("none", "thin", "medium", "dashed", "dotted", "thick", "double", "hair", "mediumDashed", "dashDot",
            "mediumDashDot", "dashDotDot", "mediumDashDotDot", "slantDashDot")
_PATTERNS = ("none", "solid", "mediumGray", "darkGray", "lightGray", "darkHorizontal", "darkVertical", "darkDown",
             "darkUp", "darkGrid", "darkTrellis", "lightHorizontal", "lightVertical", "lightDown", "lightUp",
             "lightGrid", "lightTrellis", "gray125", "gray0625")
_UNDERLINE = {"single": 1, "double": 2, "singleAccounting": 33, "doubleAccounting": 34}
_HORIZONTAL = {"centerContinuous": "center_across"}
_VERTICAL = {"top": "top", "center": "vcenter", "bottom": "bottom", "justify": "vjustify",
             "distributed": "vdistributed"}
_DATES = (dt.datetime, dt.date, dt.time, dt.timedelta)
# Excel's column width unit is the widest digit of Calibri 11 (7 pixels); xlsxwriter takes pixels and writes
# width = pixels / 7 (in 1/256 steps; from 3.3 on, before it rounded to whole pixels), so openpyxl's width comes out
_PIXELS_PER_CHAR = 7
_DEFAULT_ALIGNMENT = Alignment()


class _Core(Core):
    """core.xml with ``dc:language`` and a ``cp:lastModifiedBy`` of its own (xlsxwriter writes neither)."""

    def _write_cp_last_modified_by(self) -> None:
        self._xml_data_element("cp:lastModifiedBy", self.properties.get("last_modified_by",
                                                                        self.properties.get("author", "")))
        if self.properties.get("language"):
            self._xml_data_element("dc:language", self.properties["language"])


class _Packager(Packager):
    def _write_core_file(self) -> None:
        core = _Core()
        core._set_properties(self.workbook.doc_properties)
        core._set_xml_writer(self._filename("docProps/core.xml"))
        core._assemble_xml_file()


class _Workbook(xlsxwriter.Workbook):
    def _get_packager(self) -> Packager:
        return _Packager()


def save_workbook(workbook, path: Path) -> Path:  # noqa: ANN001 - openpyxl.Workbook or sheet_model.Workbook
    """:func:`protect_workbook`, then write ``workbook`` with xlsxwriter atomically (the previous file stays
    if anything fails)."""
    if isinstance(workbook, sheet_model.Workbook):
        protect_sheet_model(workbook)
    else:
        protect_workbook(workbook)
    with atomic_path(Path(path)) as temp:
        write_workbook(workbook, temp)
    return Path(path)


def write_workbook(workbook, target: Path) -> None:  # noqa: ANN001 - openpyxl.Workbook or sheet_model.Workbook
    """Write ``workbook`` to ``target`` through xlsxwriter (no protection: see :func:`save_workbook`)."""
    out = _Workbook(str(target), {"in_memory": True, "nan_inf_to_errors": True})
    out.set_properties(_properties(workbook.properties))
    formats = _Formats(workbook, out)
    sheets = [out.add_worksheet(ws.title) for ws in workbook.worksheets]
    for ws, sheet in zip(workbook.worksheets, sheets):
        _write_sheet(ws, sheet, formats)
    if workbook.active in workbook.worksheets:
        sheets[workbook.worksheets.index(workbook.active)].activate()
    out.close()


def _properties(props) -> dict:  # noqa: ANN001 - openpyxl DocumentProperties
    pairs = {"title": props.title, "subject": props.subject, "author": props.creator, "keywords": props.keywords,
             "comments": props.description, "category": props.category, "status": props.contentStatus,
             "last_modified_by": props.lastModifiedBy, "language": props.language, "created": props.created}
    return {key: value for key, value in pairs.items() if value is not None}


def _colour(color) -> str | None:  # noqa: ANN001 - openpyxl Color
    """``#RRGGBB`` of an rgb colour; None for none, a theme or an indexed colour."""
    if color is None or color.type != "rgb" or not isinstance(color.rgb, str):
        return None
    return "#" + color.rgb[-6:]


class _Formats:
    """One xlsxwriter format per distinct cell style: an openpyxl cell's style array is the key; a sheet model
    cell's style values are (so both give the same formats in the same order)."""

    def __init__(self, workbook, out):  # noqa: ANN001
        self.out = out
        self.named = [style.name for style in getattr(workbook, "_named_styles", ())]
        self.cache: dict[tuple, object] = {}
        self.by_identity: dict[tuple, object] = {}  # the model's style objects are shared constants: hashed once

    def of(self, cell):  # noqa: ANN001, ANN201 - openpyxl or sheet model cell -> xlsxwriter Format or None
        if isinstance(cell, sheet_model.Cell):
            return self._of_model(cell)
        style = cell._style  # None: the default style, not yet looked at
        if style is None:
            return None
        key = tuple(style)
        if key not in self.cache:
            self.cache[key] = self._make(cell)
        return self.cache[key]

    def _of_model(self, cell: sheet_model.Cell):  # -> xlsxwriter Format or None
        if (cell.font is None and cell.fill is None and cell.alignment is None and cell.border is None
                and cell.style is None and not cell.quotePrefix):
            identity = cell.number_format  # most cells: only a number format
        else:
            identity = (id(cell.font), id(cell.fill), id(cell.alignment), id(cell.border), cell.number_format,
                        cell.quotePrefix, cell.style)
        if identity not in self.by_identity:  # the cell holds its style objects, so their ids stay valid
            base = named_styles[cell.style] if cell.style else None
            font = cell.font or (base.font if base else DEFAULT_FONT)
            fill = cell.fill or (base.fill if base else DEFAULT_EMPTY_FILL)
            align = cell.alignment or (base.alignment if base else _DEFAULT_ALIGNMENT)
            border = cell.border or (base.border if base else DEFAULT_BORDER)
            key = (font, fill, align, border, cell.number_format, cell.quotePrefix, cell.style)
            if key not in self.cache:
                self.cache[key] = self._props(font, fill, align, border, cell.number_format,
                                              quote_prefix=cell.quotePrefix, link_style=cell.style == "Hyperlink")
            self.by_identity[identity] = self.cache[key]
        return self.by_identity[identity]

    def _make(self, cell):  # noqa: ANN001, ANN202 - one lookup per style attribute
        style = cell._style
        if not any(style):  # the default style: no format
            return None
        return self._props(cell.font, cell.fill, cell.alignment, cell.border, cell.number_format,
                           quote_prefix=style.quotePrefix,
                           link_style=bool(style.xfId) and self.named[style.xfId] == "Hyperlink")

    def _props(self, font, fill, align, border, number_format: str, *, quote_prefix: bool, link_style: bool):
        """The xlsxwriter format of openpyxl style values (None: nothing to format)."""
        props: dict = {key: True for key, on in (
            ("hyperlink", link_style), ("bold", font.b),
            ("italic", font.i), ("font_strikeout", font.strike), ("text_wrap", align.wrap_text),
            ("quote_prefix", quote_prefix)) if on}
        if font.u:
            props["underline"] = _UNDERLINE.get(font.u, 1)
        if font.sz and float(font.sz) != 11:
            props["font_size"] = float(font.sz)
        if font.name and font.name != "Calibri":
            props["font_name"] = font.name
        if _colour(font.color):
            props["font_color"] = _colour(font.color)
        if font.vertAlign in ("superscript", "subscript"):
            props["font_script"] = 1 if font.vertAlign == "superscript" else 2
        if getattr(fill, "patternType", None) in _PATTERNS[1:]:
            props["pattern"] = _PATTERNS.index(fill.patternType)
            fg, bg = _colour(fill.fgColor), _colour(fill.bgColor)
            # a solid fill's colour is xlsxwriter's bg_color
            colours = (("bg_color", fg),) if fill.patternType == "solid" else (("fg_color", fg), ("bg_color", bg))
            props.update({key: value for key, value in colours if value})
        if align.horizontal and align.horizontal != "general":
            props["align"] = _HORIZONTAL.get(align.horizontal, align.horizontal)
        if align.vertical in _VERTICAL:
            props["valign"] = _VERTICAL[align.vertical]
        if align.indent:
            props["indent"] = int(align.indent)
        for side in ("left", "right", "top", "bottom"):
            edge = getattr(border, side)
            if edge is not None and edge.style in _BORDERS[1:]:
                props[side] = _BORDERS.index(edge.style)
                if _colour(edge.color):
                    props[f"{side}_color"] = _colour(edge.color)
        if number_format and number_format != "General":
            props["num_format"] = number_format
        return self.out.add_format(props) if props else None


def _write_sheet(ws, sheet, formats: _Formats) -> None:  # noqa: ANN001 - openpyxl or sheet model / xlsxwriter
    merged_ranges = () if isinstance(ws, sheet_model.Worksheet) else ws.merged_cells.ranges
    for merged in merged_ranges:  # the top left cell's value is written below, as any cell
        sheet.merge_range(merged.min_row - 1, merged.min_col - 1, merged.max_row - 1, merged.max_col - 1, "",
                          formats.of(ws.cell(row=merged.min_row, column=merged.min_col)))
    write = {str: sheet.write_string, int: sheet.write_number, float: sheet.write_number,
             bool: sheet.write_boolean}  # by the exact type: never xlsxwriter's guessing from a text
    for (row, col), cell in ws._cells.items():
        value, fmt = cell.value, formats.of(cell)
        method, link = write.get(type(value)), getattr(cell, "hyperlink", None)
        if link is not None and (link.location or link.target):
            _write_link(sheet, row - 1, col - 1, link, value, fmt)
        elif method is not None:
            method(row - 1, col - 1, value, fmt)
        elif value is None:
            if fmt is not None:  # an empty cell with a style (a border line)
                sheet.write_blank(row - 1, col - 1, None, fmt)
        else:
            _write_other(sheet, row - 1, col - 1, value, fmt)
    for letter, dim in ws.column_dimensions.items():
        if dim.width is None and not dim.hidden:
            continue
        first = dim.min or column_index_from_string(letter)
        last = max(dim.max or first, first)
        pixels = float(dim.width) * _PIXELS_PER_CHAR if dim.width else None  # not rounded: the width stays exact
        sheet.set_column_pixels(first - 1, last - 1, pixels, None, {"hidden": True} if dim.hidden else None)
    for row, dim in ws.row_dimensions.items():
        if dim.height is not None or dim.hidden:
            sheet.set_row(row - 1, None if dim.height is None else float(dim.height), None, {"hidden": True} if dim.hidden else None)
    if ws.freeze_panes:
        sheet.freeze_panes(ws.freeze_panes)
    if ws.auto_filter.ref:
        sheet.autofilter(ws.auto_filter.ref)
    _page(ws, sheet)
    if ws.sheet_state != "visible":
        sheet.hide()


def _write_link(sheet, row: int, col: int, link, value, fmt) -> None:  # noqa: ANN001
    url = f"internal:{link.location}" if link.location else link.target
    text = link.display if value is None else str(value)
    sheet.write_url(row, col, url, fmt or sheet.default_url_format, text, link.tooltip)


def _write_other(sheet, row: int, col: int, value, fmt) -> None:  # noqa: ANN001
    if isinstance(value, str):  # a str subclass (an enum): the plain text, as openpyxl stores it
        sheet.write_string(row, col, str(value), fmt)
    elif isinstance(value, numbers.Number):  # numpy numbers, Decimal
        sheet.write_number(row, col, int(value) if isinstance(value, numbers.Integral) else float(value), fmt)
    elif isinstance(value, _DATES):
        sheet.write_datetime(row, col, value, fmt)
    else:
        raise TypeError(f"xlsx_writer: Zellwert vom Typ {type(value).__name__} wird nicht unterstützt "
                        f"(Zeile {row + 1}, Spalte {col + 1})")


def _range(text: str) -> tuple[int, int, int, int]:
    """Zero-based (first row, first col, last row, last col) of ``'Sheet'!$A$1:$K$20``, ``$4:$4`` or ``$A:$B``."""
    min_col, min_row, max_col, max_row = range_boundaries(text.rsplit("!", 1)[-1].replace("$", ""))
    return (min_row or 1) - 1, (min_col or 1) - 1, (max_row or 1048576) - 1, (max_col or 16384) - 1


def _page(ws, sheet) -> None:  # noqa: ANN001
    """Print area and titles, orientation, paper, fit, margins, centring, header and footer."""
    if ws.print_area:
        sheet.print_area(*_range(str(ws.print_area).split(",")[0]))  # xlsxwriter has one print area a sheet
    if ws.print_title_rows:
        sheet.repeat_rows(*_range(ws.print_title_rows)[0::2])
    if ws.print_title_cols:
        sheet.repeat_columns(*_range(ws.print_title_cols)[1::2])
    setup = ws.page_setup
    if setup.orientation == "landscape":
        sheet.set_landscape()
    if setup.paperSize:
        sheet.set_paper(int(setup.paperSize))
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        sheet.fit_to_pages(int(setup.fitToWidth if setup.fitToWidth is not None else 1),
                           int(setup.fitToHeight if setup.fitToHeight is not None else 1))
    elif setup.scale:
        sheet.set_print_scale(int(setup.scale))
    margins = ws.page_margins
    sheet.set_margins(left=margins.left, right=margins.right, top=margins.top, bottom=margins.bottom)
    if ws.print_options.horizontalCentered:
        sheet.center_horizontally()
    sheet.set_header(_header_footer(ws.oddHeader), {"margin": margins.header})
    sheet.set_footer(_header_footer(ws.oddFooter), {"margin": margins.footer})


def _header_footer(part) -> str:  # noqa: ANN001 - openpyxl _HeaderFooterPart holder (oddHeader / oddFooter)
    return "".join(f"&{code}{item.text}" for code, item in (("L", part.left), ("C", part.center), ("R", part.right))
                   if item.text)
