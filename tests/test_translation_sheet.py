"""Translation tables: ``fragebogen pruefen`` per language, XLSX export → import round trip, German errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from survey.cli import cli
from survey.questionnaire import load_questionnaire
from survey.questionnaire.loader import resolve_questionnaire_path

STEM = "sicherheitsanalyse-standard"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="sicherheitsanalyse")


@pytest.fixture()
def own_copy(tmp_path) -> Path:
    """The standard questionnaire and all shipped translations in a folder of one's own."""
    source = resolve_questionnaire_path(STEM)
    target = tmp_path / "fb"
    target.mkdir()
    for path in source.parent.glob(f"{STEM}*.yaml"):
        shutil.copy(path, target / path.name)
    return target / f"{STEM}.yaml"


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob(f"{STEM}.*.yaml"))}


def test_pruefen_reports_every_language_and_names_missing_texts_with_lines(own_copy):
    pl = own_copy.with_name(f"{STEM}.pl.yaml")
    lines = pl.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("    sicher_tag:"))
    assert lines[index + 1] == "      text: >-\n" and lines[index + 4].startswith("    ")
    del lines[index:index + 4]  # the Polish text of the first question, so that pruefen must name it
    pl.write_text("".join(lines), encoding="utf-8")
    result = run("fragebogen", "pruefen", str(own_copy))
    assert result.exit_code == 0, result.output
    for name in ("Polnisch (pl), Umfang vollständig: 268 von 269", "Tschechisch (cs), Umfang vollständig: 269 von 269",
                 "Arabisch (ar), Umfang Kern: 84 von 269", "Leichte Sprache (de-LS)"):
        assert name in result.output
    german = own_copy.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(german) if "id: sicher_tag" in line)
    german_line = next(i for i in range(start, len(german)) if german[i].strip().startswith("text:")) + 1
    assert (f"  Fehlt: {own_copy}, Zeile {german_line}: »fragen.sicher_tag.text« (»Wie sicher fühlen Sie sich "
            "(oder würden Sie sich …«) ist nicht übersetzt; es erscheint auf Deutsch.") in result.output


def test_pruefen_fails_on_a_broken_placeholder_with_file_and_line(own_copy):
    cs = own_copy.with_name(f"{STEM}.cs.yaml")
    text = cs.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("  titel:"))
    cs.write_text(text.replace("{kommune}", "{obec}", 1), encoding="utf-8")
    result = run("fragebogen", "pruefen", str(own_copy))
    assert result.exit_code == 1
    assert f"Fehler: {cs}, Zeile {line}: »titel« hat die Platzhalter »{{obec}}«" in result.output
    assert "Die Übersetzung cs hat Fehler (siehe oben); der deutsche Fragebogen selbst ist gültig." in result.output


def test_export_then_import_changes_no_byte_of_any_translation(own_copy, tmp_path):
    before = _files(own_copy.parent)
    table = tmp_path / "tabelle.xlsx"
    result = run("fragebogen", "uebersetzung-export", str(own_copy), "--ziel", str(table))
    assert result.exit_code == 0, result.output
    assert "269 Texte, Sprachen: de-LS, en, pl, cs, tr, ru, uk, ar" in result.output
    book = openpyxl.load_workbook(table)
    header = [cell.value for cell in book["Texte"][1]]
    assert header == ["pfad", "zeile", "kern", "de", "de-LS", "en", "pl", "cs", "tr", "ru", "uk", "ar"]
    assert book["Texte"].max_row == 270
    result = run("fragebogen", "uebersetzung-import", str(own_copy), str(table))
    assert result.exit_code == 0, result.output
    assert result.output.count("unverändert") == 8
    assert _files(own_copy.parent) == before


def test_an_edited_table_changes_only_that_text_and_a_new_language_is_a_canonical_fixed_point(own_copy, tmp_path):
    table = tmp_path / "tabelle.xlsx"
    assert run("fragebogen", "uebersetzung-export", str(own_copy), "--sprachen", "pl,ru", "--ziel", str(table)).exit_code == 0
    book = openpyxl.load_workbook(table)
    sheet = book["Texte"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    rows["fragen.sicher_tag.text"][4].value = "Jak bezpiecznie czuje się Pan/Pani w ciągu dnia?"
    rows["titel"][5].value = None  # ru: no longer translated
    book.save(table)
    result = run("fragebogen", "uebersetzung-import", str(own_copy), str(table))
    assert result.exit_code == 0, result.output
    assert "pl: 269 Texte, geändert" in result.output and "ru: 83 Texte, geändert" in result.output
    polish = load_questionnaire(own_copy, sprache="pl")
    assert any(
        q.text == "Jak bezpiecznie czuje się Pan/Pani w ciągu dnia?" for q in polish.questions)
    russian = load_questionnaire(own_copy, sprache="ru", kommune="Grenzbach")
    assert russian.title == load_questionnaire(own_copy, kommune="Grenzbach").title  # back to German
    assert "title" in russian.untranslated
    assert own_copy.with_name(f"{STEM}.pl.yaml").read_text(encoding="utf-8").startswith("# ")  # comments kept
    canonical = _files(own_copy.parent)
    again = tmp_path / "wieder.xlsx"
    assert run("fragebogen", "uebersetzung-export", str(own_copy), "--ziel", str(again)).exit_code == 0
    assert run("fragebogen", "uebersetzung-import", str(own_copy), str(again)).exit_code == 0
    assert _files(own_copy.parent) == canonical


def test_import_refuses_bad_tables_with_sheet_and_row_and_writes_nothing(own_copy, tmp_path):
    before = _files(own_copy.parent)
    table = tmp_path / "tabelle.xlsx"
    assert run("fragebogen", "uebersetzung-export", str(own_copy), "--sprachen", "pl", "--ziel", str(table)).exit_code == 0
    book = openpyxl.load_workbook(table)
    sheet = book["Texte"]
    sheet.cell(row=2, column=5).value = "Ankieta bez miejscowości"  # titel without {kommune}
    sheet.cell(row=5, column=1).value = "fragen.gibt_es_nicht.text"
    book.save(table)
    result = run("fragebogen", "uebersetzung-import", str(own_copy), str(table))
    assert result.exit_code == 1
    assert ("tabelle.xlsx, Blatt »Texte«, Zeile 2, Spalte »pl«: »titel« hat die Platzhalter keine, der deutsche "
            "Text »{kommune}«") in result.output
    assert _files(own_copy.parent) == before
    sheet.cell(row=2, column=5).value = None
    book.save(table)
    result = run("fragebogen", "uebersetzung-import", str(own_copy), str(table))
    assert result.exit_code == 1 and "Zeile 5: »fragen.gibt_es_nicht.text« gibt es im Fragebogen" in result.output
    sheet.cell(row=1, column=5).value = "polnisch"
    book.save(table)
    result = run("fragebogen", "uebersetzung-import", str(own_copy), str(table))
    assert result.exit_code == 1 and "die Spalte »polnisch« ist keine Übersetzungssprache" in result.output
    result = run("fragebogen", "uebersetzung-import", STEM, str(table))
    assert result.exit_code == 2 and "nicht in die mitgelieferten Fragebögen" in result.output
    assert _files(own_copy.parent) == before
