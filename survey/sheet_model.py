"""A light in-memory workbook for the Tabellenband (issue 13): the subset of openpyxl's Workbook, Worksheet
and Cell API the Tabellenband builders use, without openpyxl's per-cell cost (cell objects bound to the
sheet, value type checks, style arrays hashed into the workbook's style lists).

Style values are openpyxl's own immutable classes (``Font``, ``PatternFill``, ``Alignment``, ``Border``),
kept on the cell as given; ``None`` means the default (or the named style's). The page, print and
document settings are openpyxl's objects too, so :mod:`survey.xlsx_writer` reads them the same way.
:mod:`survey.xlsx_writer` writes this model; :func:`survey.safe_cells.protect_sheet_model` protects it.

Differences from openpyxl that the builders do not notice: values are stored as given (no dates, no
formulas, no check for illegal characters), ``iter_rows(values_only=True)`` does not create the empty
cells, and there are no merged cells, comments or other sheet features.
"""

from __future__ import annotations

from collections import defaultdict

from openpyxl.packaging.core import DocumentProperties
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.page import PageMargins, PrintOptions, PrintPageSetup
from openpyxl.worksheet.properties import PageSetupProperties, WorksheetProperties

MAX_ROW = 1048576  # Excel's limit


class Cell:
    """A cell's value and style; the style fields hold openpyxl style values (None: the default)."""

    __slots__ = ("_style", "alignment", "border", "column", "fill", "font", "hyperlink", "number_format",
                 "quotePrefix", "row", "value")

    def __init__(self, row: int, column: int, value=None):
        self.row, self.column, self.value = row, column, value
        self.font = self.fill = self.alignment = self.border = self.hyperlink = self._style = None
        self.number_format = "General"
        self.quotePrefix = False

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"

    @property
    def style(self) -> str | None:
        """The named style (``"Hyperlink"``); None: ``Normal``."""
        return self._style

    @style.setter
    def style(self, name: str) -> None:
        # as in openpyxl, a named style replaces the cell's own font, fill, border, alignment and format
        self.font = self.fill = self.alignment = self.border = None
        self.number_format = "General"
        self._style = name


class RowDimension:
    __slots__ = ("height", "hidden")

    def __init__(self) -> None:
        self.height: float | None = None
        self.hidden = False


class ColumnDimension:
    """A column's width; ``min``/``max`` None: just the column of its letter."""

    __slots__ = ("hidden", "max", "min", "width")

    def __init__(self) -> None:
        self.width: float | None = None
        self.hidden = False
        self.min = self.max = None


class Worksheet:
    PAPERSIZE_A4 = "9"

    def __init__(self, title: str) -> None:
        self.title = title
        self._cells: dict[tuple[int, int], Cell] = {}  # in creation order, as openpyxl's
        self.row_dimensions: defaultdict[int, RowDimension] = defaultdict(RowDimension)
        self.column_dimensions: defaultdict[str, ColumnDimension] = defaultdict(ColumnDimension)
        self.freeze_panes: str | None = None
        self.auto_filter = AutoFilter()
        self.print_area: str | None = None
        self.print_title_rows: str | None = None
        self.print_title_cols: str | None = None
        self.page_setup = PrintPageSetup()
        self.page_margins = PageMargins()
        self.print_options = PrintOptions()
        self.sheet_properties = WorksheetProperties(pageSetUpPr=PageSetupProperties())
        self.oddHeader = HeaderFooterItem()
        self.oddFooter = HeaderFooterItem()
        self.sheet_state = "visible"

    def cell(self, row: int, column: int, value=None) -> Cell:
        """The cell at ``row``/``column``, made on first use; ``value`` None leaves its value (as openpyxl)."""
        cell = self._cells.get((row, column))
        if cell is None:
            if not (0 < row <= MAX_ROW and column >= 1):
                raise ValueError(f"Zeile {row}, Spalte {column} liegt außerhalb des Tabellenblatts")
            cell = self._cells[(row, column)] = Cell(row, column, value)
        elif value is not None:
            cell.value = value
        return cell

    @property
    def max_row(self) -> int:
        return max((row for row, _ in self._cells), default=1)

    @property
    def max_column(self) -> int:
        return max((col for _, col in self._cells), default=1)

    def iter_rows(self, min_row: int | None = None, max_row: int | None = None, min_col: int | None = None,
                  max_col: int | None = None, values_only: bool = False):
        rows = range(min_row or 1, (max_row or self.max_row) + 1)
        cols = range(min_col or 1, (max_col or self.max_column) + 1)
        for row in rows:
            if values_only:
                found = (self._cells.get((row, col)) for col in cols)
                yield tuple(None if cell is None else cell.value for cell in found)
            else:
                yield tuple(self.cell(row, col) for col in cols)


class Workbook:
    """Sheets in order, the active one, document properties (openpyxl's, with their defaults)."""

    def __init__(self) -> None:
        self.worksheets: list[Worksheet] = [Worksheet("Sheet")]
        self._active = 0
        self.properties = DocumentProperties()

    def create_sheet(self, title: str) -> Worksheet:
        sheet = Worksheet(title)
        self.worksheets.append(sheet)
        return sheet

    @property
    def active(self) -> Worksheet:
        return self.worksheets[self._active]

    @active.setter
    def active(self, index: int) -> None:
        self._active = index

    @property
    def sheetnames(self) -> list[str]:
        return [sheet.title for sheet in self.worksheets]

    def __getitem__(self, title: str) -> Worksheet:
        for sheet in self.worksheets:
            if sheet.title == title:
                return sheet
        raise KeyError(title)
