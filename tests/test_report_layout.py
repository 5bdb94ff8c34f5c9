"""The rendered Lagebericht read as pages (issue 13, layout): no page under two-thirds full unless
a chapter starts on the next page (or it is the last page), no heading as the last block of a page,
no hyphenation in key-figure boxes and table headers, one unique item-based caption per figure.

Page fill = the union of the vertical extents of the text lines (``pdftotext -bbox-layout``) and
of the charts (their top and bottom edges, recorded by the invisible layout marks of ``lib.typ`` and
read with ``typst.query`` from the same sources the PDF was compiled from), divided by the height
of the type area."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import typst

from survey.profile_builder import write_profile
from survey.report.lagebericht.build import build_kurzbericht, build_lagebericht
from survey.report.lagebericht.local import load_local_content
from survey.report.render import KURZBERICHT_TYPST, LAGEBERICHT_TYPST, load_report_profile
from survey.report.typst_render import compile_pdf, font_paths
from survey.resources import sample_data_dir

COMMUNES = ("eichenstedt", "grenzbach", "auenstadt")
PAGE_HEIGHT = 841.89  # A4 in pt
TOP, BOTTOM = 2.4 / 2.54 * 72, 2.6 / 2.54 * 72  # lib.typ page margins
MIN_FILL = 2 / 3
SPACING = 20.0  # pt: a gap up to paragraph spacing or float clearance (1.5 em) is not a hole


class Rendered:
    def __init__(self, folder: Path, template: str, document):
        self.document = document
        self.work = folder / f"typst-{template}"
        self.pdf = folder / f"{template}.pdf"
        self.pdf.write_bytes(compile_pdf(document, template=template, work_dir=self.work))
        main = str(self.work / template)

        def query(label):
            return typst.query(main, label, field="value", root=str(self.work), font_paths=font_paths(),
                               ignore_system_fonts=True, format="json")
        import json

        self.chapters = {m["page"] for m in json.loads(query("<chapter-start>"))}
        self.headings = json.loads(query("<heading-end>"))
        boxes = json.loads(query("<box-edge>"))
        self.boxes = [(top["page"], top["y"], bottom["y"]) for top, bottom in zip(boxes[::2], boxes[1::2])]
        edges = json.loads(query("<figure-edge>"))
        self.figures = [(top["page"], top["y"], bottom["y"]) for top, bottom in zip(edges[::2], edges[1::2])]
        assert all(t["edge"] == "top" and b["edge"] == "bottom" for t, b in zip(edges[::2], edges[1::2]))
        self.lines = self._lines()
        self.pages = max(self.lines) if self.lines else 0

    def _lines(self) -> dict[int, list[tuple[float, float, str]]]:
        xml = subprocess.run(["pdftotext", "-bbox-layout", str(self.pdf), "-"], capture_output=True,
                             text=True, check=True).stdout
        xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
        root = ET.fromstring(xml)
        pages: dict[int, list] = {}
        for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
            rows = pages.setdefault(number, [])
            for line in page.iter("{http://www.w3.org/1999/xhtml}line"):
                words = " ".join(w.text or "" for w in line.iter("{http://www.w3.org/1999/xhtml}word"))
                y0, y1 = float(line.get("yMin")), float(line.get("yMax"))
                if y0 < PAGE_HEIGHT - BOTTOM:  # not the footer
                    rows.append((y0, y1, words))
        return pages

    def fill(self, page: int) -> float:
        spans = [(y0, y1) for y0, y1, _ in self.lines.get(page, [])]
        spans += [(top, bottom) for p, top, bottom in self.figures if p == page]
        spans.sort()
        covered, end = 0.0, None
        start = None
        start = None
        for y0, y1 in spans:
            if end is None or y0 > end + SPACING:
                if end is not None:
                    covered += end - start
                start, end = y0, y1
            else:
                end = max(end, y1)
        if end is not None:
            covered += end - start
        return covered / (PAGE_HEIGHT - TOP - BOTTOM)


@pytest.fixture(scope="module", params=COMMUNES)
def rendered(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("layout") / request.param
    shutil.copytree(sample_data_dir() / request.param, folder)
    write_profile(folder)
    rp = load_report_profile(folder)
    report = build_lagebericht(rp, load_local_content(folder, rp, final=False))
    return {"lagebericht": Rendered(folder, LAGEBERICHT_TYPST, report),
            "kurzbericht": Rendered(folder, KURZBERICHT_TYPST, build_kurzbericht(rp)), "profile": rp}


def test_no_page_under_two_thirds_full_except_before_a_chapter(rendered):
    report = rendered["lagebericht"]
    assert report.pages > 20 and len(report.chapters) > 10
    empty = [(page, round(report.fill(page), 2)) for page in range(1, report.pages)
             if page + 1 not in report.chapters and report.fill(page) < MIN_FILL]
    assert empty == [], f"Seiten unter zwei Dritteln gefüllt (Seite, Anteil): {empty}"


def test_fill_measure_sees_text_and_charts(rendered):
    report = rendered["lagebericht"]
    # a chart page counts its chart: pages with a figure edge are never measured as almost empty
    for page, top, bottom in report.figures:
        assert bottom - top > 50
        assert report.fill(page) >= (bottom - top) / (PAGE_HEIGHT - TOP - BOTTOM) - 1e-9


@pytest.mark.parametrize("kind", ["lagebericht", "kurzbericht"])
def test_no_heading_is_the_last_block_of_a_page(rendered, kind):
    report = rendered[kind]
    assert report.headings
    stranded = []
    for h in report.headings:
        below = [t for t, _, _ in report.lines.get(h["page"], []) if t > h["y"] + 1]
        below += [top for p, top, _ in report.figures if p == h["page"] and top > h["y"]]
        if not below:
            stranded.append(h)
    assert stranded == []


def test_no_hyphenation_in_key_figure_boxes(rendered):
    report = rendered["lagebericht"]
    assert report.boxes
    for page, top, bottom in report.boxes:
        lines = [text for y0, _, text in report.lines[page] if top - 1 <= y0 <= bottom]
        assert len(lines) >= 4  # title and at least one key figure
        # a line of a box never ends in a syllable hyphen (»Or-«, »Poli-«, »Einwoh-«)
        assert [t for t in lines if re.search(r"\w-$", t)] == []


def test_typst_boxes_and_headers_do_not_hyphenate():
    from survey.resources import report_templates_dir

    lib = (report_templates_dir() / "typst" / "lib.typ").read_text(encoding="utf-8")
    box = lib[lib.index("#let keyfigure-box"):lib.index("#let table-columns")]
    assert "set text(hyphenate: false)" in box
    assert "box(text(font: sans-font, size: 18pt" in box  # the value never breaks
    table = lib[lib.index("#let data-table"):lib.index("#let chart-figure")]
    assert "hyphenate: false" in table.split("table.header", 1)[1].split("\n", 1)[0]


def test_figure_captions_unique_and_from_their_items(rendered):
    document = rendered["lagebericht"].document
    questions = {d.question.rstrip(" :") for d in rendered["profile"].document.item_distributions}
    captions = [f.caption for f in document.figures()]
    assert len(captions) > 10
    assert len(set(captions)) == len(captions), [c for c in captions if captions.count(c) > 1]
    likert = [f for f in document.figures() if f.chart.kind == "likert"]
    assert len(likert) >= 5
    for figure in likert:
        caption = figure.caption
        assert "Antworten in Prozent" in caption
        # the questions a caption names are the items' own questions ...
        named = re.findall(r"»([^«]+)«", caption) + re.findall(r"Frage: (.+)$", caption)
        assert all(q.rstrip(" :") in questions for q in named), caption
        # ... and every bar not covered by a named question is named by its label
        bars = re.findall(r"(?:rechts\.|\)\.) ([^:]+): \d", figure.chart.alt_text)
        assert bars
        if not named:
            assert all(label in caption for label in bars), (caption, bars)
        # never the chapter title instead of the items (»Polizei und Ordnungsamt: …«)
        assert not re.match(r"^(Polizei und Ordnungsamt|Sicherheitsgefühl|Vermeideverhalten|Eingeschätztes Risiko)",
                            caption)


NUMBER = re.compile(r"\d")


def test_html_number_cells_never_wrap(rendered):
    """Every table cell holding a number is a right-aligned cell, and the stylesheet keeps those (and
    the key-figure values) on one line: »6.145–6.651« and »−1,4 % (n. s.)« never break."""
    from bs4 import BeautifulSoup

    from survey.report.html_render import render_html
    from survey.report.render import LAGEBERICHT_HTML

    soup = BeautifulSoup(render_html(rendered["lagebericht"].document, template=LAGEBERICHT_HTML), "html.parser")
    css = re.sub(r"/\*.*?\*/", "", " ".join(s.get_text() for s in soup.find_all("style")), flags=re.S)
    rule = re.search(r"([^{}]*)\{\s*white-space:\s*nowrap;\s*\}", css)
    assert rule and {"td.right", ".keyfigure .value"} <= {s.strip() for s in rule.group(1).split(",")}
    numeric = [td for td in soup.select("table td") if NUMBER.search(td.get_text())
               and not re.search(r"[A-Za-zäöü]{4,}", td.get_text())]
    assert len(numeric) > 200
    assert [td.get_text() for td in numeric if "right" not in (td.get("class") or [])] == []
    values = soup.select(".keyfigure .value")
    assert values and all("nowrap" in v.get("class") for v in values)
    # the card reads number, label, interval: the value is drawn first (CSS order), the dt keeps its
    # place first in the dl group
    card = soup.select_one(".keyfigure")
    assert [c.name for c in card.children if c.name][:2] == ["dt", "dd"]
    assert re.search(r"\.keyfigure \.value \{[^}]*order: -1", css)
