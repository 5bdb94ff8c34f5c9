"""The Tabellenband of a sample commune opens in LibreOffice (issue 13): ``soffice --headless
--convert-to pdf`` (Debian's libreoffice-calc-nogui; `.ci/run` installs it) prints every sheet with its
name in the page header, its full title and its numbers as percentages (number formats, not text); the
workbook read back with openpyxl has frozen panes, an autofilter and the full title on every sheet, and
every contents link targets an existing sheet."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from survey.profile_builder import write_profile
from survey.report.render import load_report_profile
from survey.report.tabellenband import write_tabellenband
from survey.report.tabellenband_layout import HEADER_ROW, MAX_SHEET_NAME
from survey.resources import sample_data_dir

COMMUNE = "quellenthal"


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("tabellenband_lo") / COMMUNE
    shutil.copytree(sample_data_dir() / COMMUNE, target)
    write_profile(target)
    return write_tabellenband(load_report_profile(target), target / "ergebnis" / "tabellenband.xlsx")


@pytest.fixture(scope="module")
def pdf_pages(workbook_path, tmp_path_factory) -> list[str]:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) ist nicht installiert; .ci/run installiert libreoffice-calc-nogui")
    out = tmp_path_factory.mktemp("lo_pdf")
    profile = out / "profile"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(out), str(workbook_path)],
                   check=True, capture_output=True, timeout=600)
    pdf = out / "tabellenband.pdf"
    assert pdf.stat().st_size > 10_000
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def test_libreoffice_prints_every_sheet_with_title_and_percentages(workbook_path, pdf_pages):
    wb = load_workbook(workbook_path)
    flat = [" ".join(page.split()) for page in pdf_pages]
    for ws in wb.worksheets:
        pages = [page for page in flat if page.startswith(ws.title + " ")]  # the page header is the sheet name
        assert pages, ws.title
        assert " ".join(str(ws["A1"].value).split()) in pages[0], ws.title
    table_pages = [page for page in flat if page.startswith("T0")]
    assert any(re.search(r"\b\d{1,3}[.,]\d %", page) for page in table_pages)  # shares formatted as percent
    assert any("Seite 1 von" in page for page in flat)
    assert "Inhalt" in flat[0] and "T01 Rücklauf" in flat[0]


def test_every_sheet_has_frozen_header_filter_full_title_and_working_links(workbook_path):
    wb = load_workbook(workbook_path)
    names = wb.sheetnames
    assert names[0] == "Inhalt" and len(set(names)) == len(names)
    assert all(len(name) <= MAX_SHEET_NAME for name in names)
    assert all(re.fullmatch(r"T\d\d \S.*", name) for name in names[2:])
    contents = wb["Inhalt"]
    linked = []
    for row in contents.iter_rows(min_row=HEADER_ROW + 1):
        cell = row[1]
        if cell.value is None:
            continue
        assert cell.hyperlink is not None and cell.style == "Hyperlink"
        sheet, anchor = cell.hyperlink.location.rsplit("!", 1)
        assert sheet.strip("'") in names and anchor == "A1"
        linked.append(sheet.strip("'"))
        assert row[2].value == wb[sheet.strip("'")]["A1"].value  # the full title, in the sheet and the contents
    assert linked == names[1:]
    for ws in wb.worksheets:
        assert ws.freeze_panes and ws.freeze_panes.endswith(str(HEADER_ROW + 1)), ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:"), ws.title
        last = int(re.search(r"(\d+)$", ws.auto_filter.ref).group(1))
        assert last == max(ws.max_row, HEADER_ROW + 1)
        assert isinstance(ws["A1"].value, str) and ws["A1"].value
        if ws.title != "Inhalt":
            assert ws["A2"].hyperlink.location == "'Inhalt'!A1"
    props = wb.properties
    assert props.title == "Tabellenband – Quellenthal 2025" and props.creator.startswith("Sicherheitsanalyse ")
    assert props.keywords and props.subject
