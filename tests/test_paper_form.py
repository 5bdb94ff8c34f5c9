"""Paper questionnaire: numbering, filter instructions, grids; PDF through the CLI."""

from __future__ import annotations

import re

from click.testing import CliRunner

from survey.cli import cli
from survey.paper_form import paper_data
from survey.questionnaire import load_questionnaire
from test_web_helpers import make_folder


def _questions(tmp_path):
    folder = make_folder(tmp_path)
    questionnaire = load_questionnaire(folder / "fragebogen.yaml", kommune="Musterstadt",
                                       ortsteile={1: "Altstadt", 2: "Nord"}, jahr=2025)
    data = paper_data(questionnaire)
    return data, {q["id"]: q for section in data["sections"] for q in section["questions"]}


def test_questions_are_numbered_like_the_web_form(tmp_path):
    data, questions = _questions(tmp_path)
    assert [q["number"] for s in data["sections"] for q in s["questions"]] == list(range(1, 12))
    assert questions["ortsteil"]["options"][0]["label"] == "Altstadt"
    assert data["title"] == "Bürgerbefragung Sicherheit in Musterstadt"


def test_filter_instructions(tmp_path):
    _, questions = _questions(tmp_path)
    assert questions["anzeige_12m"]["note"] == (
        "Bitte nur die Zeilen ausfüllen, bei denen Sie in Frage 4 »ja« angekreuzt haben.")
    assert questions["einbruch_schaden"]["note"] == (
        "Nur beantworten, wenn Sie bei Frage 4 in der Zeile »Einbruch« »ja« angekreuzt haben.")
    assert questions["opfer_12m"]["after"] == "Wenn Sie in keiner Zeile »ja« angekreuzt haben: weiter mit Frage 7"
    assert questions["geschlecht"]["note"] is None and questions["geschlecht"]["after"] is None


def test_single_question_filter_gets_jump_on_the_no_option(tmp_path):
    folder = make_folder(tmp_path)
    text = (folder / "fragebogen.yaml").read_text(encoding="utf-8").replace(
        "      - {id: haushalt,",
        "      - {id: auto, typ: einfach, text: \"Haben Sie ein Auto?\", skala: janein}\n"
        "      - {id: auto_nachts, typ: einfach, text: \"Parken Sie nachts auf der Straße?\", skala: janein,"
        " filter: {item: auto, codes: [1]}}\n"
        "      - {id: haushalt,")
    (folder / "fragebogen.yaml").write_text(text, encoding="utf-8")
    questions = {q["id"]: q for s in paper_data(load_questionnaire(folder / "fragebogen.yaml"))["sections"]
                 for q in s["questions"]}
    jumps = {option["label"]: option["jump"] for option in questions["auto"]["options"]}
    assert jumps == {"ja": None, "nein": "weiter mit Frage 11", "keine Angabe": None}
    assert questions["auto_nachts"]["note"] == "Nur beantworten, wenn Sie bei Frage 9 »ja« angekreuzt haben."


def test_grid_columns_and_number_fields(tmp_path):
    _, questions = _questions(tmp_path)
    assert [c["label"] for c in questions["sorgen"]["columns"]] == [
        "gar nicht", "etwas", "ziemlich", "sehr stark", "weiß nicht", "keine Angabe"]
    assert [r["label"] for r in questions["sorgen"]["rows"]] == ["Einbruch in Wohnung oder Haus", "Betrug"]
    assert questions["haushalt"]["digits"] == 2 and questions["einbruch_schaden"]["unit"] == "Euro"


def test_papier_command_writes_a_pdf(tmp_path):
    folder = make_folder(tmp_path)
    target = tmp_path / "papier.pdf"
    result = CliRunner().invoke(cli, ["fragebogen", "papier", str(folder / "fragebogen.yaml"),
                                      "--kommune", "Musterstadt", "--ortsteil", "Altstadt", "--ziel", str(target)])
    assert result.exit_code == 0, result.output
    assert re.match(r"Papierfragebogen geschrieben: .*papier\.pdf \(2 Seiten, 11 Fragen\)", result.output)
    assert target.read_bytes().startswith(b"%PDF")


def test_papier_command_reports_a_missing_questionnaire(tmp_path):
    result = CliRunner().invoke(cli, ["fragebogen", "papier", str(tmp_path / "fehlt.yaml"), "--kommune", "X"])
    assert result.exit_code == 1 and "Fehler: Fragebogen" in result.output and "nicht gefunden" in result.output
