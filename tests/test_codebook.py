"""Codebook export and the ``fragebogen`` CLI commands."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from survey.cli import cli
from survey.questionnaire import load_questionnaire
from survey.questionnaire.codebook import codebook_rows, render_markdown, summarize, write_codebook

DATA = Path(__file__).parent / "data" / "questionnaires"
MINIMAL = DATA / "minimal.yaml"


def test_codebook_rows_of_minimal():
    rows = {row.variable: row for row in codebook_rows(load_questionnaire(MINIMAL, kommune="Musterstadt", jahr=2025))}
    assert list(rows) == ["ortsteil", "sicher_tag", "sicher_nacht", "opfer", "anzeige", "schutz_1", "schutz_2",
                          "wohndauer", "geburtsjahr", "ort"]
    nacht = rows["sicher_nacht"]
    assert nacht.cells() == (
        "sicher_nacht", "Wie sicher fühlen Sie sich in Musterstadt? – nachts in Musterstadt", "Code",
        "1 = sehr sicher; 2 = ziemlich sicher; 3 = ziemlich unsicher; 4 = sehr unsicher",
        "8 = weiß nicht; 9 = keine Angabe", "", "")
    assert rows["sicher_tag"].core == "ja"
    assert rows["anzeige"].filter == "opfer = 1"
    assert rows["ort"].filter == "opfer = 1 und anzeige = 2"
    assert rows["ortsteil"].valid == "Ortsteil-Codes der Kommune (aus analyse.yaml)"
    assert rows["schutz_1"].kind == "Mehrfachnennung (0/1)" and rows["schutz_1"].valid == "0 = nicht genannt; 1 = genannt"
    assert rows["wohndauer"].valid == "0 bis 99 Jahre"
    assert rows["geburtsjahr"].valid == "1920 bis 2009"
    assert rows["ort"].kind == "Freitext"


def test_markdown_and_xlsx(tmp_path):
    questionnaire = load_questionnaire("sicherheitsanalyse-standard", kommune="Musterstadt")
    paths = write_codebook(questionnaire, tmp_path / "out")
    assert [p.name for p in paths] == ["codebuch-sicherheitsanalyse-standard.md",
                                       "codebuch-sicherheitsanalyse-standard.xlsx"]
    markdown = paths[0].read_text(encoding="utf-8")
    assert markdown == render_markdown(questionnaire)
    assert markdown.startswith("# Codebuch: Bürgerbefragung zur Sicherheit in Musterstadt")
    assert "| anzeige_einbruch | Haben Sie (oder jemand anderes) den Einbruch bei der Polizei angezeigt? | Code | " \
           "1 = ja; 2 = nein | 9 = keine Angabe | opfer_einbruch = 1 | ja |" in markdown
    assert "| unsicher_nachts | fühlt sich nachts in der Wohngegend unsicher | Anteil | Anteil Code 3, 4 an den " \
           "gültigen Antworten zu sicher_nacht | ja |" in markdown
    assert "{kommune}" not in markdown
    workbook = load_workbook(paths[1])
    assert workbook.sheetnames == ["Variablen", "Indikatoren"]
    rows = list(workbook["Variablen"].iter_rows(values_only=True))
    assert rows[0] == ("Variable", "Frage", "Typ", "Gültige Werte", "Fehlende Codes", "Filter", "Kern")
    assert len(rows) - 1 == len(questionnaire.variables)
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["geschlecht"] == ("geschlecht", "Welches Geschlecht haben Sie?", "Code",
                                   "1 = männlich; 2 = weiblich; 3 = divers", "9 = keine Angabe", None, "ja")
    indicators = list(workbook["Indikatoren"].iter_rows(values_only=True))
    assert len(indicators) - 1 == len(questionnaire.indicators)
    assert not list((tmp_path / "out").glob(".*"))  # no temporary files left behind


def test_summary_counts():
    summary = summarize(load_questionnaire(MINIMAL))
    assert (summary.sections, summary.questions, summary.variables) == (1, 8, 10)
    assert summary.question_kinds == {"single": 3, "grid": 1, "multi": 1, "number": 1, "birthyear": 1, "text": 1}
    assert (summary.core_questions, summary.core_variables) == (1, 1)
    assert (summary.indicators, summary.core_indicators, summary.indices, summary.core_indices) == (3, 1, 1, 0)
    assert summary.filtered_questions == 2


def test_cli_pruefen_ok():
    result = CliRunner().invoke(cli, ["fragebogen", "pruefen", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert f"Fragebogen »mini« (Version 2, Kern-Version 1) ist gültig: {MINIMAL}" in result.output
    assert "  Abschnitte:   1\n" in result.output
    assert "  Fragen:       8 (einfach 3, matrix 1, mehrfach 1, zahl 1, geburtsjahr 1, text 1)\n" in result.output
    assert "  Filter:       2 Fragen mit Filter\n" in result.output


def test_cli_pruefen_standard_by_id():
    result = CliRunner().invoke(cli, ["fragebogen", "pruefen", "sicherheitsanalyse-standard"])
    assert result.exit_code == 0, result.output
    assert "Fragebogen »sicherheitsanalyse-standard« (Version 1, Kern-Version 1) ist gültig" in result.output
    assert "Indikatoren:  47 (davon Kern 30)" in result.output
    assert "Indizes:      3 (davon Kern 2)" in result.output


def test_cli_pruefen_error_with_line():
    path = DATA / "unknown_scale.yaml"
    result = CliRunner().invoke(cli, ["fragebogen", "pruefen", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Fehler: {path}, Zeile 30: Frage »opfer« verweist auf die unbekannte Skala »jein« "
        "(definiert: ja_nein, sicher).")
    assert "Traceback" not in result.output


def test_cli_codebuch(tmp_path):
    result = CliRunner().invoke(cli, ["fragebogen", "codebuch", str(MINIMAL), "--ziel", str(tmp_path),
                                      "--kommune", "Neustadt"])
    assert result.exit_code == 0, result.output
    assert f"Geschrieben: {tmp_path / 'codebuch-mini.md'}" in result.output
    assert "Befragung in Neustadt" in (tmp_path / "codebuch-mini.md").read_text(encoding="utf-8")
    assert (tmp_path / "codebuch-mini.xlsx").is_file()


def test_cli_codebuch_error_writes_nothing(tmp_path):
    result = CliRunner().invoke(cli, ["fragebogen", "codebuch", str(DATA / "missing_text.yaml"), "--ziel",
                                      str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "Zeile 27: Frage »opfer«: Pflichtangabe »abschnitte.0.fragen.2.text« fehlt." in result.output
    assert not (tmp_path / "x").exists()


def test_cli_help_is_german():
    for args in (["fragebogen", "--help"], ["fragebogen", "pruefen", "--help"], ["fragebogen", "codebuch", "--help"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0
    assert "Ordner, in den das Codebuch geschrieben wird (Standard: der aktuelle Ordner)." in " ".join(
        result.output.split())
