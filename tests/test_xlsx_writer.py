"""survey.xlsx_writer (issue 13): an openpyxl workbook saved through xlsxwriter reads back like openpyxl's own
save (values, styles, links, sheet and print setup, properties), texts stay texts, and the same profile gives
the same bytes; the Tabellenband's survey.sheet_model workbook gives the bytes of the same openpyxl workbook."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from survey import safe_cells, sheet_model, xlsx_writer
from survey.report.render import load_report_profile
from survey.report.tabellenband import build_workbook
from survey.resources import sample_data_dir


def _rgb(color) -> str | None:
    """The colour without its alpha byte (openpyxl writes ``00`` for ``"0072B2"``, xlsxwriter ``FF``)."""
    return color.rgb[-6:] if color is not None and color.type == "rgb" else None


def _cell(c) -> tuple:
    f, a, b = c.font, c.alignment, c.border
    return (c.value, c.data_type, c.number_format, bool(f.b), bool(f.i), f.sz or 11.0, _rgb(f.color),
            c.fill.fill_type, _rgb(c.fill.fgColor) if c.fill.fill_type else None,
            a.horizontal, a.vertical, bool(a.wrap_text), a.indent,
            tuple((side.style, _rgb(side.color)) if side is not None and side.style else None
                  for side in (b.left, b.right, b.top, b.bottom)),
            bool(c.quotePrefix), c.hyperlink.location if c.hyperlink else None, c.style if c.hyperlink else None)


def snapshot(path: Path) -> dict:
    """What a coach sees of ``path``, read with openpyxl, with the equivalent spellings made one: column widths
    per column, row heights rounded to Excel's 0.75 pt steps, an absent ``fitToWidth`` as its default 1."""
    wb = load_workbook(path)
    p = wb.properties
    out: dict = {"sheets": wb.sheetnames, "active": wb.active.title,
                 "properties": (p.title, p.subject, p.creator, p.lastModifiedBy, p.keywords, p.description,
                                p.language, p.created)}
    for ws in wb.worksheets:
        widths = {}
        for letter, dim in ws.column_dimensions.items():
            if dim.width:
                first = dim.min or ws[f"{letter}1"].column
                for col in range(first, max(dim.max or first, first) + 1):
                    widths[get_column_letter(col)] = round(dim.width, 2)
        setup, margins = ws.page_setup, ws.page_margins
        out[ws.title] = {
            "cells": {c.coordinate: _cell(c) for row in ws.iter_rows() for c in row
                      if c.value is not None or c.has_style},
            "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "widths": widths,
            "heights": {r: round(d.height / 0.75) * 0.75 for r, d in ws.row_dimensions.items() if d.height},
            "merged": sorted(str(r) for r in ws.merged_cells.ranges), "print_area": ws.print_area,
            "titles": (ws.print_title_rows, ws.print_title_cols),
            "page": (setup.orientation, int(setup.paperSize or 0), setup.fitToWidth or 1, setup.fitToHeight,
                     bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)),
            "header_footer": (ws.oddHeader.center.text, ws.oddFooter.center.text),
            "margins": (margins.left, margins.right, margins.top, margins.bottom, margins.header, margins.footer),
            "state": ws.sheet_state,
        }
    return out


def _small_workbook() -> Workbook:
    wb = Workbook()
    contents = wb.active
    contents.title = "Inhalt"
    data = wb.create_sheet("T03 Name mit Ümlaut")
    wb.create_sheet("Leer")
    contents["A1"] = "Inhalt"
    contents["A1"].font = Font(bold=True, size=13, color="0072B2")
    contents["B5"] = "T03 Name mit Ümlaut"
    contents["B5"].hyperlink = Hyperlink(ref="B5", location="'T03 Name mit Ümlaut'!A1", display="T03 Name mit Ümlaut")
    contents["B5"].style = "Hyperlink"
    contents.merge_cells("A2:C2")
    contents["A2"] = "Ein Text über drei Spalten"
    contents["A2"].alignment = Alignment(horizontal="center")
    values = ["=1+1", "1,5", "-2+3", "@SUM(1)", "Text", 7, -0.5, 0.4285, True, 12345678901]
    for col, value in enumerate(values, start=1):
        data.cell(row=4, column=col, value=f"Spalte {col}").fill = PatternFill("solid", fgColor="E6F1F8")
        data.cell(row=5, column=col, value=value)
    data["F5"].number_format = "#,##0"
    data["G5"].number_format = '"("0.0 %")"'
    data["H5"].number_format = "0.0 %"
    data["A6"] = "ein langer Text, umbrochen"
    data["A6"].alignment = Alignment(wrap_text=True, vertical="top")
    data["B6"] = "eingerückt"
    data["B6"].alignment = Alignment(horizontal="left", indent=2, vertical="top")
    data["C6"] = "/"
    data["C6"].alignment = Alignment(horizontal="right")
    data["D6"] = "kursiv"
    data["D6"].font = Font(italic=True)
    for col in range(1, 5):  # a line above row 7, also over the empty cells
        data.cell(row=7, column=col).border = Border(top=Side(style="thin", color="9DB7C9"))
    data["A7"] = "nach der Linie"
    data.row_dimensions[6].height = 39.0
    data.column_dimensions["A"].width = 40
    data.column_dimensions["B"].width = 12.5
    data.column_dimensions["C"].width = 8
    data.freeze_panes = "B5"
    data.auto_filter.ref = "A4:J7"
    data.print_area = "A1:I7"
    data.print_title_rows = "4:4"
    data.print_title_cols = "A:A"
    data.page_setup.orientation = "landscape"
    data.page_setup.paperSize = data.PAPERSIZE_A4
    data.page_setup.fitToWidth = 1
    data.page_setup.fitToHeight = 0
    data.sheet_properties.pageSetUpPr.fitToPage = True
    data.oddHeader.center.text = "&A"
    data.oddFooter.center.text = "Seite &P von &N"
    wb["Leer"].sheet_state = "hidden"
    props = wb.properties
    props.title, props.subject, props.creator = "Tabellenband – Test 2025", "Sicherheitsanalyse Test", "Werkzeug 1.0"
    props.lastModifiedBy, props.keywords, props.language = "Werkzeug 1.0", "Test; 2025", "de-DE"
    props.description = "erstellt aus profil.json"
    props.created = props.modified = datetime(2026, 11, 21)
    return wb


def test_round_trip_reads_back_like_openpyxls_own_save(tmp_path):
    with_openpyxl = safe_cells.save_workbook(_small_workbook(), tmp_path / "openpyxl.xlsx")
    with_xlsxwriter = xlsx_writer.save_workbook(_small_workbook(), tmp_path / "xlsxwriter.xlsx")
    old, new = snapshot(with_openpyxl), snapshot(with_xlsxwriter)
    assert new == old
    cells = new["T03 Name mit Ümlaut"]["cells"]
    assert [cells[f"{get_column_letter(col)}5"][:2] for col in range(1, 11)] == [
        ("=1+1", "s"), ("1,5", "s"), ("-2+3", "s"), ("@SUM(1)", "s"), ("Text", "s"), (7, "n"), (-0.5, "n"),
        (0.4285, "n"), (True, "b"), (12345678901, "n")]
    assert [cells[f"{c}5"][14] for c in "ABCDE"] == [True, False, True, True, False]  # the quote prefix
    assert new["Inhalt"]["cells"]["B5"][-2:] == ("'T03 Name mit Ümlaut'!A1", "Hyperlink")
    assert new["T03 Name mit Ümlaut"]["widths"] == {"A": 40.0, "B": 12.5, "C": 8.0}


def test_written_atomically_and_the_same_bytes_twice(tmp_path):
    target = tmp_path / "t.xlsx"
    target.write_text("alt")
    xlsx_writer.save_workbook(_small_workbook(), target)
    first = target.read_bytes()
    xlsx_writer.save_workbook(_small_workbook(), target)
    assert target.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]

    class Broken(Workbook):
        @property
        def worksheets(self):
            raise RuntimeError("kaputt")

    with pytest.raises(RuntimeError):
        xlsx_writer.save_workbook(Broken(), target)
    assert target.read_bytes() == first and [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


def test_unsupported_cell_value_is_a_clear_error(tmp_path):
    wb = Workbook()
    wb.active["A1"] = "x"
    wb.active["A1"]._value = object()
    with pytest.raises(TypeError, match="nicht unterstützt"):
        xlsx_writer.save_workbook(wb, tmp_path / "t.xlsx")


@pytest.fixture(scope="module")
def sample_profile(tmp_path_factory):
    """The shipped Wendelstadt 2025 profile (no analysis needed) in an analysis folder."""
    folder = tmp_path_factory.mktemp("tabellenband_xlsxwriter")
    source = sample_data_dir() / "wendelstadt-2027"
    (folder / "ergebnis").mkdir()
    shutil.copy(source / "vorwelle" / "profil-2025.json", folder / "ergebnis" / "profil.json")
    shutil.copy(source / "analyse.yaml", folder / "analyse.yaml")
    return load_report_profile(folder), folder


def test_real_tabellenband_same_bytes_twice_and_same_content_as_openpyxl(sample_profile):
    rp, folder = sample_profile
    first = xlsx_writer.save_workbook(build_workbook(rp), folder / "erster.xlsx")
    second = xlsx_writer.save_workbook(build_workbook(rp), folder / "zweiter.xlsx")
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()
    # the sheet model gives the bytes of the openpyxl workbook built the same way
    with_openpyxl = build_workbook(rp, Workbook)
    built_with_openpyxl = xlsx_writer.save_workbook(with_openpyxl, folder / "openpyxl-gebaut.xlsx")
    assert built_with_openpyxl.read_bytes() == first.read_bytes()
    reference = safe_cells.save_workbook(with_openpyxl, folder / "openpyxl.xlsx")  # saving leaves the workbook as it is
    old, new = snapshot(reference), snapshot(first)
    assert new["sheets"] == old["sheets"] and new["properties"] == old["properties"]
    for name in old["sheets"]:
        for key, value in old[name].items():
            assert new[name][key] == value, (name, key)


def test_sheet_model_texts_stay_texts_with_the_quote_prefix(tmp_path):
    class Kind(StrEnum):
        MEAN = "Mittelwert"

    wb = sheet_model.Workbook()
    ws = wb.active
    for col, value in enumerate(("=1+1", "-2+3", "@SUM(1)", "-5", "Text", Kind.MEAN), start=1):
        ws.cell(row=1, column=col, value=value)
    ws.cell(row=1, column=1, value=None)  # None leaves the value, as openpyxl's
    cells = snapshot(xlsx_writer.save_workbook(wb, tmp_path / "t.xlsx"))["Sheet"]["cells"]
    assert [cells[f"{c}1"][:2] + (cells[f"{c}1"][14],) for c in "ABCDEF"] == [
        ("=1+1", "s", True), ("-2+3", "s", True), ("@SUM(1)", "s", True), ("-5", "s", False), ("Text", "s", False),
        ("Mittelwert", "s", False)]


def test_sheet_model_named_style_replaces_the_cells_own_style():
    cell = sheet_model.Workbook().active.cell(row=2, column=1, value="x")
    cell.font, cell.number_format = Font(bold=True), "0.0 %"
    cell.style = "Hyperlink"
    assert (cell.font, cell.number_format, cell.style, cell.coordinate) == (None, "General", "Hyperlink", "A2")
