"""Output cells a coach opens in Excel or LibreOffice: no formula injection, German CSV.

Values from input files (a response ``=1+1``, a resp_id ``@SUM(1)``, a column name) reach output files.
A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (OWASP »CSV Injection«). The one rule, used by every writer:

- CSV (:func:`csv_cell`, :func:`write_german_csv`): such a text gets a leading apostrophe ``'``, as
  OWASP recommends; Excel shows the text, never runs it. Numbers are written as numbers (a negative
  weight stays ``-0,5``), and a text that is only a number (``-5``, a refused code as written) is left
  as it is: no program runs it as a formula.
- XLSX (:func:`protect_workbook`, :func:`save_workbook`): a text cell is stored as text (never as an
  openpyxl formula, which a leading ``=`` would otherwise create) and, if it starts with one of those
  characters, marked with Excel's own »quote prefix« (what Excel stores when one types ``'=1+1``), so
  that it stays text even when edited. The text itself is unchanged.

German-Excel CSV for files meant for people (``pruefprotokoll.csv``, ``gewichte.csv``): ``;`` as
separator, decimal comma, UTF-8 with byte order mark (so that Excel shows umlauts), ``\\r\\n`` line ends.
Read them back with ``pandas.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")``.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from survey.atomic import atomic_path, atomic_write

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
GERMAN_CSV = {"delimiter": ";", "lineterminator": "\r\n"}


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program would treat ``text`` as a formula (a plain number is not one)."""
    return bool(text) and text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """``'=1+1`` for ``=1+1``; every other text unchanged."""
    return "'" + text if is_formula_like(text) else text


def german_number(value: float | int) -> str:
    """A number for a German-Excel CSV: decimal comma, full precision (``repr``), no thousands separator."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return ""
    return repr(float(value)).replace(".", ",")


def csv_cell(value: object, *, decimal_comma: bool = True) -> str:
    """One CSV cell: numbers as numbers (German decimal comma by default), texts neutralised."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return german_number(value) if decimal_comma else repr(value) if isinstance(value, float) else str(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return csv_cell(value.item(), decimal_comma=decimal_comma)
    return neutralise(str(value))


def write_german_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write a German-Excel CSV atomically (see module doc); every cell through :func:`csv_cell`."""
    with atomic_write(path, encoding="utf-8-sig") as stream:
        writer = csv.writer(stream, **GERMAN_CSV)
        writer.writerow([csv_cell(name) for name in header])
        for row in rows:
            writer.writerow([csv_cell(value) for value in row])
    return path


def protect_workbook(workbook) -> None:  # noqa: ANN001 - openpyxl.Workbook
    """Store every formula-like text of ``workbook`` as text with Excel's quote prefix (see module doc).

    A streamed (write-only) workbook cannot be walked; its cells are protected as they are made
    (:func:`write_only_cell`)."""
    if getattr(workbook, "write_only", False):
        return
    for sheet in workbook.worksheets:
        for cell in sheet._cells.values():  # the cells that exist (iter_rows would create every empty one)
            value = cell._value
            if isinstance(value, str) and (cell.data_type == "f" or is_formula_like(value)):
                cell.data_type = "s"
                cell.quotePrefix = True


def protect_sheet_model(workbook) -> None:
    """:func:`protect_workbook` for a :mod:`survey.sheet_model` workbook, whose texts are always written as
    texts (it has no formulas): every formula-like text gets the quote prefix."""
    for sheet in workbook.worksheets:
        for cell in sheet._cells.values():
            if isinstance(cell.value, str) and is_formula_like(cell.value):
                cell.quotePrefix = True


def write_only_cell(sheet, value):  # noqa: ANN001, ANN201 - openpyxl write-only sheet and cell
    """A cell for a streamed (write-only) sheet, which cannot be walked by :func:`protect_workbook`
    afterwards: a formula-like text is stored as text with the quote prefix, everything else as given."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and (cell.data_type == "f" or is_formula_like(value)):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def save_workbook(workbook, path: Path) -> Path:  # noqa: ANN001
    """:func:`protect_workbook`, then save atomically (the previous file stays if anything fails)."""
    protect_workbook(workbook)
    with atomic_path(path) as temp:
        workbook.save(temp)
    return path
