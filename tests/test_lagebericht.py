"""The Lagebericht rendered end to end for a tiny sample commune (Quellenthal: many suppressed cells):
chapters in HTML and PDF, German numbers consistent with profil.json, suppression, accessibility,
self-contained HTML, CLI exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from survey.cli import cli
from survey.profile_builder import write_profile
from survey.report import formatting as fmt
from survey.report.lagebericht import CHAPTER_TITLES
from survey.report.render import OUTPUT_NAMES, render_reports
from survey.resources import sample_data_dir

SECRET = 0.98765  # injected into suppressed cells: must never be printed
SECRET_TEXTS = ("98,8", "98,77", "0.98765", "0,98765")


def _pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("lagebericht") / "quellenthal"
    shutil.copytree(sample_data_dir() / "quellenthal", target)
    write_profile(target)
    profile_path = target / "ergebnis" / "profil.json"
    profile = json.loads(profile_path.read_text(encoding="utf-8"))
    # A suppressed breakdown and a suppressed distribution that (wrongly) still carry numbers.
    for record in profile["breakdowns"]["records"]:
        if record["flag"] == "unterdrueckt":
            record.update(estimate=SECRET, ci_low=SECRET, ci_high=SECRET)
    for dist in profile["item_distributions"]:
        if dist["flag"] == "unterdrueckt":
            for c in dist["categories"]:
                c.update(share=SECRET, ci_low=SECRET, ci_high=SECRET, n=3)
    profile_path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    paths = render_reports(target)
    assert [p.name for p in paths] == list(OUTPUT_NAMES)
    return target


@pytest.fixture(scope="module")
def profile(folder) -> dict:
    return json.loads((folder / "ergebnis" / "profil.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def html(folder) -> str:
    return (folder / "ergebnis" / "bericht.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf_text(folder) -> str:
    return _pdf_text(folder / "ergebnis" / "bericht.pdf")


def test_all_outputs_written(folder):
    for name in OUTPUT_NAMES:
        assert (folder / "ergebnis" / name).stat().st_size > 1000
    leftovers = [p.name for p in (folder / "ergebnis").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_every_chapter_in_html_and_pdf(html, pdf_text):
    soup = BeautifulSoup(html, "html.parser")
    headings = [h.get_text(" ", strip=True) for h in soup.find_all("h2")]
    flat_pdf = " ".join(pdf_text.split())
    for title in CHAPTER_TITLES:
        assert any(h.endswith(title) for h in headings), title
        assert title in flat_pdf, title


def test_numbers_in_german_format_match_profile(profile, html, pdf_text):
    night = next(i for i in profile["indicators"] if i["id"] == "unsicher_nachts")
    expected = fmt.percent(night["estimate"])
    interval = fmt.interval(night["ci_low"], night["ci_high"])
    assert expected in html and interval in html
    flat_pdf = pdf_text.replace("\u00a0", " ")
    assert expected.replace("\u00a0", " ") in flat_pdf
    assert re.search(r"\d\.\d{3} ?%", html) is None  # no English decimals in percentages
    assert str(night["estimate"])[:5] not in html
    crime_total = profile["crime"]["offences"][0]["series"][-1]
    assert fmt.hz(crime_total["hz"]["rate"]) in html


def test_suppressed_values_never_appear(folder, html, pdf_text):
    from openpyxl import load_workbook

    kurz = _pdf_text(folder / "ergebnis" / "kurzbericht.pdf")
    for text in SECRET_TEXTS:
        assert text not in html
        assert text not in pdf_text
        assert text not in kurz
    wb = load_workbook(folder / "ergebnis" / "tabellenband.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert SECRET not in row
    soup = BeautifulSoup(html, "html.parser")
    for title in soup.find_all("title"):
        assert "98,8" not in title.get_text()
    assert "nicht ausgewiesen" in html


def test_html_is_self_contained_and_accessible(html):
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "de"
    assert soup.title.get_text().startswith("Sicherheitsanalyse Quellenthal")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)
    assert "@import" not in html and "<script" not in html and "<img" not in html
    svgs = soup.find_all("svg")
    assert len(svgs) >= 10
    for svg in svgs:
        title = svg.find("title")
        assert svg.get("role") == "img" and title is not None and len(title.get_text()) > 20
        assert svg["aria-labelledby"] == title["id"]
    for table in soup.find_all("table"):
        assert table.find("caption") is not None
    assert "@media print" in html


def test_pdf_is_pdf_ua_with_german_language_and_title(folder):
    data = (folder / "ergebnis" / "bericht.pdf").read_bytes()
    assert b"pdfuaid" in data and b"/StructTreeRoot" in data
    info = subprocess.run(["pdfinfo", str(folder / "ergebnis" / "bericht.pdf")], capture_output=True,
                          text=True).stdout
    assert "Sicherheitsanalyse Quellenthal" in info


def test_kurzbericht_has_two_pages_and_top_recommendation(folder, profile):
    info = subprocess.run(["pdfinfo", str(folder / "ergebnis" / "kurzbericht.pdf")], capture_output=True,
                          text=True).stdout
    assert re.search(r"Pages:\s+2\b", info)
    text = " ".join(_pdf_text(folder / "ergebnis" / "kurzbericht.pdf").split())
    assert "Vorschläge und Hintergründe" in text and "Wie sicher sind die Zahlen?" in text
    assert profile["recommendations"][0]["title"] in text


def test_alt_texts_name_suppressed_groups(html):
    soup = BeautifulSoup(html, "html.parser")
    titles = " ".join(t.get_text() for t in soup.find_all("title"))
    assert "divers nicht ausgewiesen" in titles


def test_cli_bericht_renders_and_reports_paths(folder):
    result = CliRunner().invoke(cli, ["bericht", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output.count("Geschrieben: ") == 4


def test_cli_bericht_without_profile_asks_to_run_analysieren(tmp_path):
    result = CliRunner().invoke(cli, ["bericht", str(tmp_path)])
    assert result.exit_code == 1
    assert f"Fehler: Das Sicherheitsprofil {tmp_path / 'ergebnis' / 'profil.json'} fehlt. Bitte zuerst " \
           f"»sicherheitsanalyse analysieren {tmp_path}« ausführen." in result.output
    assert not (tmp_path / "ergebnis" / "bericht.pdf").exists()


def test_cli_bericht_with_broken_profile(tmp_path):
    (tmp_path / "ergebnis").mkdir()
    (tmp_path / "ergebnis" / "profil.json").write_text("{kaputt", encoding="utf-8")
    result = CliRunner().invoke(cli, ["bericht", str(tmp_path)])
    assert result.exit_code == 1
    assert "ist nicht lesbar" in result.output and "analysieren" in result.output
