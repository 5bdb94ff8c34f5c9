"""Issue 12 end to end on a commune copy: coded places in every public output (and nothing else: no place
with fewer than 10 mentions, no verbatim answer, checked with planted marker strings in PDF text, HTML,
xlsx and profile JSON), maps in PDF and HTML, a broken GeoJSON, the coach chapters in draft and final."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from openpyxl import load_workbook

from freetext_support import clear_text_items, commune_copy, plant_answers
from sample_data.geometry import CommuneShape
from sample_data.specs import spec_by_slug
from survey.cli import cli
from survey.freetext.run import write_coding_table
from survey.profile_builder import write_profile
from survey.report.render import render_reports

BAHNHOF = (["Unterführung am Bahnhof"] * 5 + ["Bahnhofsunterführung", "unterfuehrung bahnhof", "Unterf. Bahnhof",
                                              "Bahnhof Unterführung", "Die Unterführung am Bahnhof!",
                                              "Unterführung Bahnhof, Weg am Friedhof"])
SMALL_PLACE = ["Weg am Friedhof"] * 4  # 5 with the one above: below 10
MARKERS = {"angstraum_ort": "Zq7Marker Gartenlaube Nummer 5", "wuensche": "Wq9Marker bitte anrufen",
           "anmerkungen": "Aq3Marker Hallo", "problem_sonstiges": "Pq5Marker Nachbar"}
VERBATIM = ("Bahnhofsunterführung", "Unterf. Bahnhof", "unterfuehrung bahnhof", "Weg am Friedhof",
            "Bahnhof Unterführung", "Die Unterführung am Bahnhof")


def _pdf_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def _edit(path: Path, item: str, key: str, **values) -> None:
    wb = load_workbook(path)
    ws = next(ws for ws in wb.worksheets if ws["B2"].value == item)
    header = [c.value for c in ws[5]]
    for row in ws.iter_rows(min_row=6):
        if row[0].value == key:
            for name, value in values.items():
                row[header.index(name)].value = value
    wb.save(path)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Path:
    folder = commune_copy(tmp_path_factory.mktemp("lokal"))
    clear_text_items(folder)
    plant_answers(folder, "angstraum_ort", BAHNHOF + SMALL_PLACE + [MARKERS["angstraum_ort"]])
    plant_answers(folder, "wuensche", ["Mehr Licht"] * 8 + ["mehr Licht!", "Mehr Licht.", "Mehr  licht",
                                                            MARKERS["wuensche"]], start=30)
    plant_answers(folder, "anmerkungen", [MARKERS["anmerkungen"]], start=60)
    plant_answers(folder, "problem_sonstiges", [MARKERS["problem_sonstiges"]], start=70)
    path = write_coding_table(folder).path
    lat, lon = CommuneShape(spec_by_slug("quellenthal")).position(1, 0.5, 0.5)
    _edit(path, "angstraum_ort", "unterfuehrung bahnhof", Ortsteil="Quellenthal", Breite=lat, **{"Länge": lon})
    write_profile(folder)
    return folder


@pytest.fixture(scope="module")
def draft(analysed):
    warnings: list[str] = []
    render_reports(analysed, warnings=warnings)
    result = analysed / "ergebnis"
    workbook = load_workbook(result / "tabellenband.xlsx")
    cells = " ".join(str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)
    return {"html": (result / "bericht.html").read_text(encoding="utf-8"), "pdf": _pdf_text(result / "bericht.pdf"),
            "kurz": _pdf_text(result / "kurzbericht.pdf"), "xlsx": cells, "workbook": workbook,
            "profile": (result / "profil.json").read_text(encoding="utf-8"), "warnings": warnings}


def test_coded_place_enters_the_profile_with_when_and_why(analysed):
    profile = json.loads((analysed / "ergebnis" / "profil.json").read_text(encoding="utf-8"))
    places = next(q for q in profile["free_text"]["questions"] if q["item"] == "angstraum_ort")
    assert profile["free_text"]["coding_table"] == "freitexte/kodierung.xlsx"
    assert [c["name"] for c in places["categories"]] == ["Unterführung am Bahnhof"]
    bahnhof = places["categories"][0]
    assert bahnhof["mentions"] == 11 and bahnhof["share"]["flag"] == "unsicher"  # 11 < 30 mentions
    assert (bahnhof["ortsteil"], bahnhof["ortsteil_label"]) == ("1", "Quellenthal") and bahnhof["lat"] > 50
    assert [t["id"] for t in bahnhof["time"]] == ["1", "2", "3"]
    assert len(bahnhof["reasons"]) == 9
    assert places["other"]["categories"] == 2 and places["other"]["mentions"] is None  # 5 + 1 respondents
    assert places["mentioning"]["mentions"] == 16 and places["not_in_table"] == 0
    wishes = next(q for q in profile["free_text"]["questions"] if q["item"] == "wuensche")
    assert [(c["name"], c["mentions"]) for c in wishes["categories"]] == [("Mehr Licht", 11)]


def test_no_small_place_and_no_verbatim_answer_in_any_public_output(draft):
    outputs = {name: draft[name] for name in ("html", "pdf", "kurz", "xlsx", "profile")}
    for name, text in outputs.items():
        for marker in MARKERS.values():
            assert marker.split()[0] not in text, (name, marker)
        for verbatim in VERBATIM:
            assert verbatim not in text, (name, verbatim)
        assert "Friedhof" not in text, name
    for name in ("html", "pdf", "kurz", "xlsx", "profile"):
        assert "Unterführung am Bahnhof" in outputs[name], name
    assert "Mehr Licht" in outputs["html"] and "Mehr Licht" in outputs["xlsx"]


def test_report_names_the_place_with_counts(draft):
    pdf = draft["pdf"].replace("\u00a0", " ")
    assert "Von jeweils mindestens zehn Befragten genannt wurden: Unterführung am Bahnhof (11 Befragte)." in pdf
    assert "weitere (jeweils weniger als 10 Nennungen) < 10" in pdf
    assert ("Orte, an denen sich Befragte unsicher fühlen (von jeweils mindestens zehn genannt): "
            "Unterführung am Bahnhof (11 Befragte).") in draft["kurz"]
    sheet = draft["workbook"]["T03 Freitexte"]
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    assert rows[0][1:6] == ("Unterführung am Bahnhof", "Quellenthal", "Anteil an allen Befragten",
                            11, rows[0][5]) and 0 < rows[0][5] < 0.1
    assert rows[0][10] == "angstraum_ort" and rows[0][0].startswith("Bitte beschreiben Sie diesen Ort")  # question; id
    assert any(r[3] == "Wann: vor allem abends und nachts" for r in rows)


def test_maps_in_html_and_pdf(analysed, draft):
    soup = BeautifulSoup(draft["html"], "html.parser")
    maps = [f for f in soup.find_all("figure") if f.get("id", "").startswith("abb-karte-")]
    assert [f["id"] for f in maps] == ["abb-karte-unsicher-nachts", "abb-karte-problem-index",
                                       "abb-karte-meidet-orte"]
    alt = maps[2].find("title").get_text().replace("\u00a0", " ")
    assert alt.startswith("Karte der Ortsteile von Quellenthal, eingefärbt nach")
    assert "1. Unterführung am Bahnhof (11 Nennungen)" in alt
    assert "Karte: Meidet nachts bestimmte Orte, nach Ortsteil" in draft["pdf"]
    assert draft["warnings"] == []
    # look at the map page: the sequential blue of the map must be on it
    pdf = analysed / "ergebnis" / "bericht.pdf"
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    number = next(k for k, page in enumerate(pages, start=1) if "Karte: Fühlen sich nachts" in page)
    out = analysed / "karte"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(number), "-l", str(number), str(pdf), str(out)],
                   check=True)
    from PIL import Image

    image = Image.open(next(analysed.glob("karte-*.png"))).convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=100000)}
    assert any(abs(r - 0x00) < 40 and abs(g - 0x72) < 40 and b > 120 for r, g, b in colours)  # blue fill


def test_broken_geojson_warns_and_the_report_renders_with_tiles(analysed, tmp_path):
    folder = tmp_path / "kaputt"
    shutil.copytree(analysed, folder)
    document = json.loads((folder / "ortsteile.geojson").read_text(encoding="utf-8"))
    document["features"] = document["features"][:1]  # Niederquell has no area
    (folder / "ortsteile.geojson").write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(cli, ["bericht", str(folder)])
    assert result.exit_code == 0, result.output
    assert (f"Warnung: {folder / 'ortsteile.geojson'}: Für den Ortsteil »2 Niederquell« enthält die Datei keine "
            "Fläche. Der Bericht wird ohne Karte erstellt (Kacheln statt Karte).") in result.output
    html = (folder / "ergebnis" / "bericht.html").read_text(encoding="utf-8")
    assert 'id="abb-kacheln-unsicher-nachts"' in html and "abb-karte-" not in html
    assert result.output.count("Geschrieben: ") == 4


def test_coach_chapters_in_draft_and_final(analysed, draft, tmp_path):
    html = draft["html"]
    main = BeautifulSoup(html, "html.parser").find("main")
    headings = [h.get_text(" ", strip=True) for h in main.find_all(["h2", "h3"])]
    assert headings[0] == "1 Vorwort"
    assert "Entwurf: Hier kann die Kommune ein Vorwort ergänzen (Datei texte/vorwort.md)." in html
    assert any(h.endswith("Angebote und Maßnahmen vor Ort") for h in headings)
    folder = tmp_path / "final"
    shutil.copytree(analysed, folder)
    final = CliRunner().invoke(cli, ["bericht", str(folder), "--final"])
    assert final.exit_code == 0, final.output
    text = (folder / "ergebnis" / "bericht.html").read_text(encoding="utf-8")
    assert "Vorwort" not in text and "Entwurf:" not in text and "Angebote und Maßnahmen" not in text
    (folder / "texte").mkdir(exist_ok=True)
    (folder / "texte" / "vorwort.md").write_text("Liebe Leserinnen und Leser, **danke**.", encoding="utf-8")
    (folder / "texte" / "gebietsprofil.md").write_text("# Strukturdaten\n\nQuellenthal hat einen Bach.",
                                                       encoding="utf-8")
    (folder / "texte" / "angebote.md").write_text("- Seniorentreff\n- Jugendclub", encoding="utf-8")
    assert CliRunner().invoke(cli, ["bericht", str(folder), "--final"]).exit_code == 0
    soup = BeautifulSoup((folder / "ergebnis" / "bericht.html").read_text(encoding="utf-8"), "html.parser")
    chapters = [h.get_text(" ", strip=True) for h in soup.find("main").find_all("h2")]
    assert chapters[0] == "1 Vorwort" and chapters[1] == "2 Zusammenfassung"
    offers = next(i for i, h in enumerate(chapters) if h.endswith("Angebote und Maßnahmen vor Ort"))
    assert chapters[offers + 1].endswith("Handlungsempfehlungen")
    area = soup.find("section", attrs={"aria-labelledby": "gebietsprofil"})
    assert "Quellenthal hat einen Bach." in area.get_text() and "Strukturdaten zu Wirtschaft" not in area.get_text()
    assert area.find("h4", string=re.compile("Strukturdaten")) is not None  # a heading below the subsection
    assert soup.find("strong", string="danke") is not None
    pdf = _pdf_text(folder / "ergebnis" / "bericht.pdf")
    assert "Liebe Leserinnen und Leser, danke." in pdf and "Jugendclub" in pdf
