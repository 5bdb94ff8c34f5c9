"""The coding table: `freitexte` writes it, the coach edits it, re-running keeps the edits; bad tables
give German messages naming file, sheet, row and value."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from freetext_support import clear_text_items, commune_copy, plant_answers
from survey.cli import cli
from survey.freetext.run import write_coding_table
from survey.freetext.table import (
    CSV_NAME, KEY, NEW_MARK, STALE_NOTE, WARNING, XLSX_NAME, CodingTableError, find_table, read_table,
)

BAHNHOF = ["Unterführung am Bahnhof"] * 6 + ["unterfuehrung bahnhof", "Bahnhofsunterführung", "Unterf. Bahnhof",
                                             "Bahnhof Unterführung", "Die Unterführung am Bahnhof!"]
PARK = ["Stadtpark", "im Stadtpark abends", "Stadt-Park"]
QUESTIONS = {"problem_sonstiges": False, "angstraum_ort": True, "wuensche": False, "anmerkungen": False}


@pytest.fixture()
def folder(tmp_path):
    folder = commune_copy(tmp_path)
    clear_text_items(folder)
    plant_answers(folder, "angstraum_ort", BAHNHOF + PARK + ["Weg hinter der Kirche, Stadtpark"])
    plant_answers(folder, "wuensche", ["Mehr Licht"] * 3 + ["mehr licht!"], start=20)
    return folder


def _sheet(path, item):
    wb = load_workbook(path)
    ws = next(ws for ws in wb.worksheets if ws["A2"].value == "Frage-ID" and ws["B2"].value == item)
    header = [c.value for c in ws[5]]
    return wb, ws, header


def _rows(path, item):
    _, ws, header = _sheet(path, item)
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=6) if row[0].value]


def _edit(path, item, key, **values):
    wb, ws, header = _sheet(path, item)
    for row in ws.iter_rows(min_row=6):
        if row[0].value == key:
            for name, value in values.items():
                row[header.index(name)].value = value
            wb.save(path)
            return row[0].row
    raise AssertionError(key)


def test_freitexte_writes_one_row_per_normalised_mention_with_proposals(folder):
    result = CliRunner().invoke(cli, ["freitexte", str(folder)])
    assert result.exit_code == 0, result.output
    assert "angstraum_ort: 15 Befragte mit Antwort, 7 verschiedene Nennungen (7 neu), 3 vorgeschlagene Orte" \
        in result.output
    assert "personenbezogene Daten" in result.output
    path = folder / "freitexte" / XLSX_NAME
    rows = {r[KEY]: r for r in _rows(path, "angstraum_ort")}
    assert rows["unterfuehrung bahnhof"]["Anzahl"] == 8  # the two spellings with the same key
    assert "Unterführung am Bahnhof (6)" in rows["unterfuehrung bahnhof"]["Schreibweisen"]
    for key in ("unterfuehrung bahnhof", "bahnhofsunterfuehrung", "unterf bahnhof", "bahnhof unterfuehrung"):
        assert rows[key]["Vorschlag"] == rows[key]["Ort/Kategorie"] == "Unterführung am Bahnhof"
        assert rows[key]["Neu"] == NEW_MARK
    assert rows["stadtpark"]["Anzahl"] == 3 and rows["stadtpark abends"]["Vorschlag"] == "Stadtpark"
    assert rows["weg hinter kirche"]["Vorschlag"] == "Weg hinter der Kirche"
    assert {"Ortsteil", "Breite", "Länge"} <= set(rows["stadtpark"])
    wishes = _rows(path, "wuensche")
    assert [(r[KEY], r["Anzahl"]) for r in wishes] == [("mehr licht", 4)]
    assert "Ortsteil" not in wishes[0]


def test_the_table_warns_about_personal_data_on_every_sheet(folder):
    path = write_coding_table(folder).path
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Hinweise"
    for ws in wb.worksheets:
        assert ws["A1"].value == WARNING
        assert ws["A1"].fill.fgColor.rgb.endswith("B00020")
    assert "nicht weitergegeben" in WARNING and "personenbezogene Daten" in WARNING


def test_rerun_keeps_coach_edits_and_appends_new_mentions(folder):
    path = write_coding_table(folder).path
    _edit(path, "angstraum_ort", "stadtpark", **{"Ort/Kategorie": "Park im Zentrum", "Ortsteil": "Quellenthal",
                                                 "Breite": "51,1234", "Länge": 13.5})
    _edit(path, "angstraum_ort", "stadtpark abends", **{"Ort/Kategorie": "Park im Zentrum"})
    _edit(path, "angstraum_ort", "weg hinter kirche", **{"Ort/Kategorie": "-"})
    _edit(path, "angstraum_ort", "unterf bahnhof", **{"Ort/Kategorie": None})
    before = [r[KEY] for r in _rows(path, "angstraum_ort")]
    plant_answers(folder, "angstraum_ort", BAHNHOF + PARK + ["Spielplatz an der Schule", "Stadtpark.",
                                                             "Stadtpark am Abend"])
    write_coding_table(folder)
    rows = _rows(path, "angstraum_ort")
    by_key = {r[KEY]: r for r in rows}
    assert [r[KEY] for r in rows][:len(before)] == before  # coach's order kept, new rows appended
    assert [r[KEY] for r in rows][len(before):] == ["spielplatz schule", "stadtpark abend"]
    assert by_key["spielplatz schule"]["Neu"] == NEW_MARK
    park = by_key["stadtpark"]
    assert (park["Ort/Kategorie"], park["Ortsteil"], park["Breite"], park["Länge"]) == \
        ("Park im Zentrum", 1, 51.1234, 13.5)
    assert park["Anzahl"] == 3 and park["Neu"] is None
    new = by_key["stadtpark abend"]
    assert new["Vorschlag"] == new["Ort/Kategorie"] == "Park im Zentrum"  # the proposal follows the coach
    assert by_key["unterf bahnhof"]["Ort/Kategorie"] is None  # the coach emptied it: stays empty
    gone = by_key["weg hinter kirche"]
    assert gone["Ort/Kategorie"] == "-" and gone["Anzahl"] == 0 and gone["Hinweis"] == STALE_NOTE


def test_rerun_without_changes_is_byte_identical(folder):
    path = write_coding_table(folder).path
    write_coding_table(folder)  # the first run marked every row »neu«, the second none
    first = path.read_bytes()
    write_coding_table(folder)
    assert path.read_bytes() == first


def test_a_csv_table_is_read_and_updated_as_csv(folder):
    xlsx = write_coding_table(folder).path
    table = read_table(xlsx, QUESTIONS, {1: "Quellenthal", 2: "Niederquell"})
    from survey.freetext.table_writer import write_csv

    csv_path = write_csv(table, folder / "freitexte" / CSV_NAME)
    xlsx.unlink()
    text = csv_path.read_text(encoding="utf-8-sig").replace("Unterführung am Bahnhof;", "Bahnhofstunnel;")
    csv_path.write_text(text.replace(";", ",") if False else text, encoding="cp1252", errors="strict")
    run = write_coding_table(folder)
    assert run.path == csv_path and not xlsx.exists()
    with open(csv_path, encoding="utf-8-sig") as stream:
        lines = stream.read().splitlines()
    assert lines[0].startswith("# VERTRAULICH")
    rows = list(csv.DictReader(lines[1:], delimiter=";"))
    bahnhof = next(r for r in rows if r[KEY] == "unterfuehrung bahnhof")
    assert bahnhof["Ort/Kategorie"] == "Bahnhofstunnel" and bahnhof["Frage"] == "angstraum_ort"


def test_both_tables_present_is_an_error(folder):
    xlsx = write_coding_table(folder).path
    (xlsx.parent / CSV_NAME).write_text("Frage;Nennung (vereinheitlicht);Ort/Kategorie\n", encoding="utf-8")
    with pytest.raises(CodingTableError, match="kodierung.xlsx und kodierung.csv"):
        find_table(folder)
    result = CliRunner().invoke(cli, ["analysieren", str(folder)])
    assert result.exit_code == 1 and "Bitte nur eine der beiden Dateien behalten" in result.output


@pytest.mark.parametrize("key, values, message", [
    ("stadtpark", {"Breite": "51,12x", "Länge": "13,5"},
     "Spalte »Breite«: »51,12x« ist keine Zahl (Dezimalgrad, z. B. 51,1234)."),
    ("stadtpark", {"Breite": 91.5, "Länge": 13.5},
     "Spalte »Breite«: 91.5 liegt nicht zwischen −90 und 90 Grad (WGS84-Dezimalgrad erwartet)."),
    ("stadtpark", {"Breite": 51.1},
     "Spalte »Länge« fehlt: Koordinaten bitte immer als Paar aus Breite und Länge angeben"),
    ("stadtpark", {"Ortsteil": "Oberdorf"},
     "Spalte »Ortsteil«: »Oberdorf« ist weder Code noch Name eines Ortsteils (bekannt: 1 Quellenthal, "
     "2 Niederquell)."),
    ("stadtpark", {"Ortsteil": 7}, "Spalte »Ortsteil«: »7« ist weder Code noch Name eines Ortsteils"),
    ("stadtpark", {KEY: "Stadtpark!"}, "Spalte »Nennung (vereinheitlicht)« wurde verändert (»Stadtpark!«)."),
    ("stadtpark", {KEY: "unterf bahnhof"}, "Die Nennung »unterf bahnhof« steht schon in Zeile"),
])
def test_malformed_table_names_file_sheet_row_and_value(folder, key, values, message):
    path = write_coding_table(folder).path
    row = _edit(path, "angstraum_ort", key, **values)
    with pytest.raises(CodingTableError) as error:
        write_coding_table(folder)
    text = str(error.value)
    assert text.startswith(f"{path}: Blatt »angstraum_ort«, Zeile ")
    assert message in text
    if "steht schon" not in message:
        assert f"Zeile {row}:" in text


def test_analysieren_refuses_a_malformed_table(folder):
    path = write_coding_table(folder).path
    row = _edit(path, "angstraum_ort", "stadtpark", Breite="abc", **{"Länge": 13})
    result = CliRunner().invoke(cli, ["analysieren", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Blatt »angstraum_ort«, Zeile {row}: Spalte »Breite«: »abc« ist keine Zahl" in result.output
    assert not (folder / "ergebnis" / "profil.json").exists()


def test_one_place_has_one_ortsteil(folder):
    path = write_coding_table(folder).path
    first = _edit(path, "angstraum_ort", "unterfuehrung bahnhof", Ortsteil=1)
    second = _edit(path, "angstraum_ort", "bahnhofsunterfuehrung", Ortsteil=2)
    with pytest.raises(CodingTableError, match=f"Zeile {second}: »Unterführung am Bahnhof« hat hier einen anderen "
                                               f"Ortsteil \\(2\\) als in Zeile {first} \\(1\\)"):
        write_coding_table(folder)


def test_unknown_question_and_broken_file(folder):
    path = write_coding_table(folder).path
    wb, ws, _ = _sheet(path, "wuensche")
    ws["B2"] = "lieblingsfarbe"
    wb.save(path)
    with pytest.raises(CodingTableError, match="Blatt »wuensche«, Zeile 4: Die Frage »lieblingsfarbe« ist keine "
                                               "Freitextfrage des Fragebogens"):
        write_coding_table(folder)
    path.write_bytes(b"not a zip")
    with pytest.raises(CodingTableError, match="Die Kodiertabelle kann nicht gelesen werden"):
        write_coding_table(folder)


def test_formula_like_answers_stay_text_in_the_coding_table(tmp_path):
    """Verbatim answers reach the coach's workbook; one starting with ``=`` must not run as a formula."""
    from openpyxl import load_workbook

    from survey.freetext.table import CodingRow, CodingTable, QuestionSheet
    from survey.freetext.table_writer import write_xlsx

    row = CodingRow(key="=hyperlink(x)", spellings="=HYPERLINK(\"http://x\")", count=1, proposal="=hyperlink(x)",
                    new=True)
    table = CodingTable(None, (QuestionSheet("angstraum_ort", "Frage?", True, (row,)),))
    write_xlsx(table, tmp_path / "k.xlsx")
    sheet = load_workbook(tmp_path / "k.xlsx")["angstraum_ort"]
    cells = [c for r in sheet.iter_rows(min_row=6) for c in r if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
