"""Typst PDF (PDF/UA-1) and self-contained HTML rendering of the generic report."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import zlib

import pytest
from bs4 import BeautifulSoup

from survey.report import demo
from survey.report.charts.style import Chart
from survey.report.document import (Document, EstimateRow, Figure, Paragraph, Section, Table,
                                    estimate_table)
from survey.report.errors import RenderError
from survey.report.html_render import render_html, write_html
from survey.report.typst_render import compile_pdf, document_data, render_pdf

NB = "\u00a0"


@pytest.fixture(scope="module")
def document() -> Document:
    return demo.demo_document()


@pytest.fixture(scope="module")
def pdf(document) -> bytes:
    return compile_pdf(document)


@pytest.fixture(scope="module")
def soup(document) -> BeautifulSoup:
    return BeautifulSoup(render_html(document), "html.parser")


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its Flate streams decompressed (to search structure and XMP)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_is_tagged_pdf_ua_with_title_and_language(pdf):
    assert pdf.startswith(b"%PDF-")
    raw = _inflated(pdf)
    assert b"/StructTreeRoot" in raw and b"/MarkInfo" in raw
    assert b"pdfuaid:part" in raw
    assert b"Sicherheitsanalyse Musterstadt 2025" in raw       # dc:title in XMP
    assert re.search(rb"/Lang\s*\(de", raw)
    # Every chart's alt text reaches a /Figure structure element (PDF text strings in UTF-16 hex).
    assert raw.count(b"/S/Figure") == 6
    for figure in demo.demo_document().figures():
        alt_hex = figure.chart.alt_text[:40].encode("utf-16-be").hex().upper().encode()
        assert b"/Alt<FEFF" + alt_hex in raw


def test_pdf_is_reproducible(document, pdf):
    assert compile_pdf(document) == pdf


def test_pdf_ua_refuses_missing_alt_text(document):
    chart = dataclasses.replace(document.figures()[0].chart, alt_text="")
    bad = Document(title="T", sections=(Section("A", (Figure("x", chart, "Abb."),)),))
    with pytest.raises(RenderError, match="PDF-Bericht konnte nicht erzeugt werden"):
        compile_pdf(bad)


def test_values_are_data_not_typst_source(tmp_path):
    text = 'Achtung #panic("nein") ] $x$ *fett* <label> @ref // kein Kommentar'
    doc = Document(title="T #1", sections=(Section("Kapitel [1]", (Paragraph(text),)),))
    target = render_pdf(doc, tmp_path / "bericht.pdf")
    assert target.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
        assert 'Achtung #panic("nein") ] $x$ *fett* <label> @ref // kein Kommentar' in out.replace("\n", " ")


def test_document_data_shape(document):
    data = document_data(document)
    assert data["date_text"] == "21.11.2026"
    figure = data["sections"][1]["blocks"][1]
    assert figure["kind"] == "figure" and figure["path"] == "figures/sicherheitsgefuehl.svg"
    assert figure["alt"].startswith("Gestapeltes Balkendiagramm")
    table = data["sections"][1]["blocks"][2]
    assert table["kind"] == "table" and table["align"] == ["left", "right", "right", "right"]


def test_failed_render_leaves_no_file(tmp_path):
    chart = Chart(svg="<svg/>", alt_text="", kind="x", width_cm=1, height_cm=1)
    bad = Document(title="T", sections=(Section("A", (Figure("x", chart, "Abb."),)),))
    with pytest.raises(RenderError):
        render_pdf(bad, tmp_path / "bericht.pdf")
    assert list(tmp_path.iterdir()) == []


# --- estimate table ------------------------------------------------------------------------------


def test_estimate_table_formats_flags():
    table = estimate_table("Cap", [
        EstimateRow("a", 0.4285, 0.3931, 0.4657, 380),
        EstimateRow("b", 0.38, 0.26, 0.52, 24, "unreliable"),
        EstimateRow("c", 0.5, 0.1, 0.9, 3, "suppressed"),
    ])
    assert table.columns == ("Indikator", "Anteil", "95-%-KI", "n")
    assert table.rows == (
        ("a", f"42,9{NB}%", f"39,3–46,6{NB}%", "380"),
        ("b", f"(38,0{NB}%)", f"26,0–52,0{NB}%", "24"),
        ("c", "/", "–", "3"),
    )
    with pytest.raises(ValueError, match="has 1 cells, expected 2"):
        Table("x", ("a", "b"), (("1",),))


# --- HTML ----------------------------------------------------------------------------------------


def test_html_document_basics(soup):
    assert soup.html["lang"] == "de"
    assert soup.title.string == "Sicherheitsanalyse Musterstadt 2025"
    assert soup.find("meta", charset="utf-8")
    assert soup.find("style") and not soup.find("link") and not soup.find("script")


def test_html_has_no_external_resources(soup):
    for tag in soup.find_all(src=True):
        assert not re.match(r"https?://", tag["src"]), tag
    for tag in soup.find_all(href=True):
        assert not re.match(r"https?://", tag["href"]), tag
    assert "@import" not in soup.style.string and "url(http" not in soup.style.string


def test_html_heading_hierarchy(soup):
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, levels
    assert soup.find("h2", id="vergleich") is None
    assert soup.find("h3", id="vergleich").get_text() == "2.1 Vergleich mit Landkreis und Sachsen"


def test_html_every_svg_has_title_and_role(soup):
    svgs = soup.find_all("svg")
    assert len(svgs) == 6
    for svg in svgs:
        assert svg["role"] == "img"
        title = svg.find("title")
        assert title is not None and title.get_text().strip()
        assert svg["aria-labelledby"] == title["id"]
        assert svg.parent.name == "figure" and svg.parent.find("figcaption")
    ids = [t["id"] for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "ids must be unique across inline SVGs"


def test_html_tables_have_captions_and_scopes(soup):
    tables = soup.find_all("table")
    assert tables
    for table in tables:
        assert table.caption and table.caption.get_text().strip()
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    caption = tables[0].caption.get_text()
    assert caption == "Tabelle 1: Sicherheitsgefühl in Musterstadt (gewichtete Anteile)"
    cells = [td.get_text() for td in tables[0].find_all("td")]
    assert f"(38,0{NB}%)" in cells and "/" in cells


def test_html_keyfigures_and_numbers(soup):
    box = soup.find("aside", class_="keyfigures")
    assert box.find(class_="value").get_text() == f"42,9{NB}%"
    assert [c.get_text() for c in soup.find_all("figcaption")][0].startswith("Abbildung 1: ")


def test_html_escapes_text_and_print_css(tmp_path):
    doc = Document(title="<b>T</b>", sections=(Section("A & B", (Paragraph("<script>x</script>"),)),))
    target = write_html(doc, tmp_path / "bericht.html")
    html = target.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "&lt;b&gt;T&lt;/b&gt;" in html
    assert "@media print" in html and "break-before: page" in html


def test_html_estimate_table_macro():
    from survey.report.html_render import environment

    env = environment()
    tpl = env.from_string('{% import "macros.html.j2" as m %}{{ m.estimate_table("Cap", rows, 2) }}')
    html = tpl.render(rows=[EstimateRow("a <x>", 0.4285, 0.3931, 0.4657, 1234),
                            EstimateRow("b", 0.5, 0.1, 0.9, 3, "suppressed")])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.caption.get_text() == "Tabelle 2: Cap"
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in soup.tbody.find_all("tr")]
    assert rows == [["a <x>", f"42,9{NB}%", f"39,3–46,6{NB}%", "1.234"], ["b", "/", "–", "3"]]


def test_duplicate_figure_ids_rejected(document):
    fig = document.figures()[0]
    doc = Document(title="T", sections=(Section("A", (fig, fig)),))
    with pytest.raises(RenderError, match="mehrfach"):
        render_html(doc)
