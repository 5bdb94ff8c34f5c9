"""XLSForm and LimeSurvey questionnaire import/export: round trips, pyxform validation, bad files, core items."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from survey.cli import cli
from survey.formats import expressions as X
from survey.formats import export_questionnaire
from survey.intake import read_response_file
from survey.questionnaire import load_questionnaire
from survey.resources import questionnaires_dir

STANDARD = "sicherheitsanalyse-standard"
JAVA = shutil.which("java")


def _model(questionnaire) -> dict:  # noqa: ANN001
    return questionnaire.model_dump(exclude={"source_path"})


def _run(*args: str):  # noqa: ANN202
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("flag,suffix", [("--xlsform", "xlsx"), ("--limesurvey", "txt")])
def test_round_trip_of_the_standard_instrument_is_identical(tmp_path, flag, suffix):
    exported = tmp_path / f"standard.{suffix}"
    result = _run("fragebogen", "export", STANDARD, flag, "--ziel", str(exported))
    assert result.exit_code == 0, result.output
    back = tmp_path / "zurueck.yaml"
    result = _run("fragebogen", "import", str(exported), "--ziel", str(back))
    assert result.exit_code == 0, result.output
    assert "Alles übernommen, keine Auffälligkeiten." in result.output
    original = yaml.safe_load((questionnaires_dir() / f"{STANDARD}.yaml").read_text(encoding="utf-8"))
    assert yaml.safe_load(back.read_text(encoding="utf-8")) == original
    assert _model(load_questionnaire(back, kommune="Auenstadt", ortsteile={1: "Mitte"}, jahr=2025)) == \
        _model(load_questionnaire(STANDARD, kommune="Auenstadt", ortsteile={1: "Mitte"}, jahr=2025))


@pytest.mark.skipif(JAVA is None, reason="java fehlt (apt-get install default-jre-headless); .ci/run installiert es")
def test_exported_xlsform_passes_pyxform_and_odk_validate(tmp_path):
    from pyxform.xls2xform import convert

    target = tmp_path / "standard.xlsx"
    export_questionnaire(STANDARD, "xlsform", target, kommune="Auenstadt", ortsteile={1: "Mitte", 2: "Nord"})
    warnings: list[str] = []
    result = convert(str(target), warnings=warnings, validate=True)
    assert warnings == []
    xml = result.xform
    assert 'relevant=" /sicherheitsanalyse-standard/opfer/anzeige_einbruch' not in xml  # filters bind on items
    assert "selected( /sicherheitsanalyse-standard/opfer/opfer/opfer_einbruch , '1')" in xml or \
        "/opfer_einbruch  = '1'" in xml
    assert "Auenstadt" in xml and "Mitte" in xml
    sheet = load_workbook(target)["survey"]
    header = [cell.value for cell in sheet[1]]
    assert "label::Deutsch (de)" in header and "hint::Deutsch (de)" in header


def test_limesurvey_response_export_comes_back_with_the_same_ids(tmp_path):
    """A LimeSurvey »CSV by question code« export of the exported survey maps onto the item ids."""
    txt, mapping = export_questionnaire(STANDARD, "limesurvey", tmp_path / "standard.txt")
    rows = list(csv.DictReader(txt.open(encoding="utf-8-sig"), delimiter="\t"))
    columns, question = ["id", "submitdate", "lastpage", "startlanguage", "seed"], None
    for row in rows:  # header names as LimeSurvey builds them: code, code[subcode]
        if row["class"] == "Q":
            question = row
            if row["type/scale"] not in ("F", "M"):
                columns.append(row["name"])
        elif row["class"] == "SQ":
            columns.append(f"{question['name']}[{row['name']}]")
    values = {"id": "17", "submitdate": "2025-05-02 10:00:00", "lastpage": "12", "startlanguage": "de", "seed": "1",
              "ortsteil": "1", "sicherNacht": "3", "geschlecht": "9", "geburtsjahr": "1970",
              "sorge[einbruch]": "4", "problemWeitere[problemLeerstand]": "2", "schutz[SQ10]": "Y",
              "opfer[fahrrad]": "1", "anzeigeFahrrad": "2", "wuensche": "mehr Licht"}
    export = tmp_path / "results-survey123.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        writer.writerow([values.get(c, "") for c in columns])
    questionnaire = load_questionnaire(STANDARD, ortsteile={1: "Mitte"}, jahr=2025)
    result = read_response_file(export, questionnaire, jahr=2025, mapping=mapping)
    row = result.data.iloc[0]
    assert row["resp_id"] == "17"
    assert (row["sicher_nacht"], row["geschlecht"], row["sorge_einbruch"]) == (3, 9, 4)
    assert (row["problem_leerstand"], row["schutz_10"], row["opfer_fahrrad"], row["anzeige_fahrrad"]) == (2, 1, 1, 2)
    assert row["wuensche"] == "mehr Licht"
    unknown = [f for f in result.protocol.findings if f.rule.code in ("unbekannte-spalte", "fehlende-spalte")]
    assert unknown == []


def test_relevant_and_relevance_parsers():
    resolve = lambda atom: (atom.name, int(atom.value))  # noqa: E731
    tree = X.parse_xlsform("${a} = '1' and (${b} = '3' or ${b} = '4')")
    assert X.to_condition(tree, resolve) == {"alle": [{"item": "a", "codes": [1]}, {"item": "b", "codes": [3, 4]}]}
    tree = X.parse_limesurvey('a.NAOK == "2" || c == 1 && d eq "1"')
    assert X.to_condition(tree, resolve) == {"irgendein": [{"item": "a", "codes": [2]}, {"alle": [
        {"item": "c", "codes": [1]}, {"item": "d", "codes": [1]}]}]}
    for bad, message in [("${a} > 2", "unerwartetes Zeichen »> 2«"), ("${a} != '2'", "nur »=« wird unterstützt, nicht »!=«"), ("${a} = '1' and", "endet unerwartet"),
                         ("count(${a}) = 1", "»count« wird in Filtern nicht unterstützt"),
                         ("${a} = '1')", "unerwartet »)«")]:
        with pytest.raises(X.ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
            X.parse_xlsform(bad)
    with pytest.raises(X.ExpressionError, match="unerwartetes Zeichen »< 3«"):
        X.parse_limesurvey("a < 3")
    with pytest.raises(X.ExpressionError, match="»!=« wird nur als »!= \"Y\"«"):
        X.parse_limesurvey("a != 3")
    text = X.from_condition({"irgendein": [{"item": "a", "codes": [1, 2]}, {"item": "b", "codes": [1]}]},
                            lambda i, c: f"${{{i}}} = '{c}'", and_word="and", or_word="or")
    assert text == "(${a} = '1' or ${a} = '2') or ${b} = '1'"


def _xlsform(tmp_path: Path, edit) -> Path:  # noqa: ANN001
    target = tmp_path / "form.xlsx"
    export_questionnaire(STANDARD, "xlsform", target)
    workbook = load_workbook(target)
    edit(workbook)
    workbook.save(target)
    return target


def _find(sheet, name: str) -> int:  # noqa: ANN001
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if row[1].value == name)


def test_xlsform_with_syntax_error_in_relevant_names_sheet_and_row(tmp_path):
    def edit(workbook):  # noqa: ANN001, ANN202
        sheet = workbook["survey"]
        row = _find(sheet, "angstraum_ort")
        sheet.cell(row=row, column=5, value="${angstraum} = '1' and and")
        edit.row = row

    path = _xlsform(tmp_path, edit)
    result = _run("fragebogen", "import", str(path), "--ziel", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1
    assert f"Blatt survey, Zeile {edit.row}, Spalte relevant: »and« " in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.yaml").exists()


def test_corrupt_xlsx_gives_german_message(tmp_path):
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(b"PK\x03\x04 das ist kein Excel")
    result = _run("fragebogen", "import", str(path))
    assert result.exit_code == 1
    assert "Die Excel-Datei kann nicht gelesen werden" in result.output and "beschädigt" in result.output


def test_limesurvey_file_with_unknown_question_types_lists_every_one(tmp_path):
    txt, _ = export_questionnaire(STANDARD, "limesurvey", tmp_path / "s.txt")
    lines = txt.read_text(encoding="utf-8-sig").splitlines()
    lines.insert(10, "Q\tD\tdatum\t1\tWann war das?\t\tde\t\tN\t\t\t\t\t")
    lines.insert(11, "Q\tR\trangfolge\t1\tOrdnen Sie\t\tde\t\tN\t\t\t\t\t")
    txt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run("fragebogen", "import", str(txt), "--ziel", str(tmp_path / "s.yaml"))
    assert result.exit_code == 1
    assert "Zeile 11: der Fragetyp »D« (Datum) von »datum« wird nicht unterstützt" in result.output
    assert "Zeile 12: der Fragetyp »R« (Rangfolge) von »rangfolge« wird nicht unterstützt" in result.output
    assert "--auslassen" in result.output
    result = _run("fragebogen", "import", str(txt), "--ziel", str(tmp_path / "s.yaml"), "--auslassen")
    assert result.exit_code == 0, result.output
    assert "Ausgelassen: datum (Typ D, Zeile 11)" in result.output


LSS = """<?xml version="1.0" encoding="UTF-8"?>
<document>
 <LimeSurveyDocType>Survey</LimeSurveyDocType>
 <DBVersion>477</DBVersion>
 <groups><rows><row><gid><![CDATA[1]]></gid><group_order><![CDATA[0]]></group_order></row></rows></groups>
 <group_l10ns><rows><row><gid><![CDATA[1]]></gid><group_name><![CDATA[Sicherheit]]></group_name>
   <description/><language><![CDATA[de]]></language></row></rows></group_l10ns>
 <questions><rows>
  <row><qid><![CDATA[10]]></qid><parent_qid><![CDATA[0]]></parent_qid><gid><![CDATA[1]]></gid>
   <type><![CDATA[L]]></type><title><![CDATA[sicherNacht]]></title><relevance><![CDATA[1]]></relevance>
   <question_order><![CDATA[1]]></question_order></row>
  <row><qid><![CDATA[11]]></qid><parent_qid><![CDATA[0]]></parent_qid><gid><![CDATA[1]]></gid>
   <type><![CDATA[T]]></type><title><![CDATA[warum]]></title>
   <relevance><![CDATA[sicherNacht.NAOK == "4" or sicherNacht.NAOK == "3"]]></relevance>
   <question_order><![CDATA[2]]></question_order></row>
  <row><qid><![CDATA[12]]></qid><parent_qid><![CDATA[0]]></parent_qid><gid><![CDATA[1]]></gid>
   <type><![CDATA[{TYPE}]]></type><title><![CDATA[wann]]></title><relevance><![CDATA[1]]></relevance>
   <question_order><![CDATA[3]]></question_order></row>
 </rows></questions>
 <question_l10ns><rows>
  <row><qid><![CDATA[10]]></qid><question><![CDATA[<p>Wie sicher fühlen Sie sich nachts?</p>]]></question>
   <help/><language><![CDATA[de]]></language></row>
  <row><qid><![CDATA[11]]></qid><question><![CDATA[Warum?]]></question><help/><language><![CDATA[de]]></language></row>
  <row><qid><![CDATA[12]]></qid><question><![CDATA[Wann?]]></question><help/><language><![CDATA[de]]></language></row>
 </rows></question_l10ns>
 <answers><rows>{ANSWERS}</rows></answers>
 <answer_l10ns><rows>{LABELS}</rows></answer_l10ns>
 <surveys_languagesettings><rows><row><surveyls_language><![CDATA[de]]></surveyls_language>
  <surveyls_title><![CDATA[Befragung]]></surveyls_title></row></rows></surveys_languagesettings>
</document>
"""


def _lss(tmp_path: Path, kind: str = "T", labels: dict | None = None) -> Path:
    labels = labels or {1: "sehr sicher", 2: "ziemlich sicher", 3: "ziemlich unsicher", 4: "sehr unsicher",
                        8: "weiß nicht", 9: "keine Angabe"}
    answers = "".join(f"<row><aid>{k}</aid><qid>10</qid><code>{k}</code><sortorder>{k}</sortorder>"
                      f"<scale_id>0</scale_id></row>" for k in labels)
    names = "".join(f"<row><aid>{k}</aid><answer>{v}</answer><language>de</language></row>" for k, v in labels.items())
    path = tmp_path / "umfrage.lss"
    path.write_text(LSS.replace("{TYPE}", kind).replace("{ANSWERS}", answers).replace("{LABELS}", names),
                    encoding="utf-8")
    return path


def test_lss_import_builds_questions_codes_and_filters(tmp_path):
    result = _run("fragebogen", "import", str(_lss(tmp_path)), "--ziel", str(tmp_path / "u.yaml"))
    assert result.exit_code == 0, result.output
    assert "»sicher_nacht« ist eine Kernfrage und wurde als Kern markiert." in result.output
    questionnaire = load_questionnaire(tmp_path / "u.yaml")
    night = questionnaire.variable("sicher_nacht")
    assert night.core and night.codes[3] == "ziemlich unsicher" and night.missing_codes == {8: "weiß nicht",
                                                                                           9: "keine Angabe"}
    assert night.question_text == "Wie sicher fühlen Sie sich nachts?"
    assert questionnaire.variable("warum").filter.describe() == "sicher_nacht in (3, 4)"


def test_lss_with_unknown_type_names_line_and_qid(tmp_path):
    path = _lss(tmp_path, kind="D")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                if "<qid><![CDATA[12]]></qid><parent_qid>" in text)
    result = _run("fragebogen", "import", str(path), "--ziel", str(tmp_path / "u.yaml"))
    assert result.exit_code == 1
    assert f"Zeile {line} (Frage qid 12): der Fragetyp »D« (Datum) von »wann« wird nicht unterstützt" in result.output


def test_recoded_core_item_is_refused(tmp_path):
    reversed_labels = {1: "sehr unsicher", 2: "ziemlich unsicher", 3: "ziemlich sicher", 4: "sehr sicher",
                       8: "weiß nicht", 9: "keine Angabe"}
    result = _run("fragebogen", "import", str(_lss(tmp_path, labels=reversed_labels)), "--ziel", str(tmp_path / "u.yaml"))
    assert result.exit_code == 1
    assert "Kernfrage »sicher_nacht« ist umcodiert (1: sehr unsicher statt sehr sicher" in result.output
    assert not (tmp_path / "u.yaml").exists()


def test_renamed_core_item_is_refused_unless_mapped(tmp_path):
    def edit(workbook):  # noqa: ANN001, ANN202
        sheet = workbook["survey"]
        sheet.cell(row=_find(sheet, "vertrauen_polizei"), column=2, value="polizei_vertrauen")

    path = _xlsform(tmp_path, edit)
    result = _run("fragebogen", "import", str(path), "--ziel", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1
    assert "Kernfrage »vertrauen_polizei« heißt in der Datei »polizei_vertrauen«" in result.output
    assert "polizei_vertrauen,vertrauen_polizei" in result.output
    mapping = tmp_path / "zuordnung.csv"
    mapping.write_text("spalte,item\npolizei_vertrauen,vertrauen_polizei\n", encoding="utf-8")
    result = _run("fragebogen", "import", str(path), "--ziel", str(tmp_path / "x.yaml"), "--zuordnung", str(mapping))
    assert result.exit_code == 0, result.output
    assert "umbenannt: »polizei_vertrauen« → »vertrauen_polizei« (Zuordnungsdatei)" in result.output
    assert load_questionnaire(tmp_path / "x.yaml").variable("vertrauen_polizei").core


def test_foreign_xlsform_without_metadata_sheet(tmp_path):
    """A plain XLSForm (as from KoboToolbox): shared lists become scales, integer constraints become limits."""
    from openpyxl import Workbook

    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "relevant", "constraint"])
    survey.append(["begin group", "sicherheit", "Sicherheit", None, None])
    survey.append(["select_one janein", "opfer_x", "Opfer geworden?", None, None])
    survey.append(["select_one janein", "anzeige_x", "Angezeigt?", "selected(${opfer_x}, '1')", None])
    survey.append(["integer", "alter_kind", "Alter des Kindes", None, ". >= 0 and . <= 17"])
    survey.append(["end group", None, None, None, None])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append(["janein", "1", "ja"])
    choices.append(["janein", "2", "nein"])
    path = tmp_path / "kobo.xlsx"
    workbook.save(path)
    result = _run("fragebogen", "import", str(path), "--ziel", str(tmp_path / "kobo.yaml"))
    assert result.exit_code == 0, result.output
    document = yaml.safe_load((tmp_path / "kobo.yaml").read_text(encoding="utf-8"))
    assert document["skalen"] == {"janein": {"codes": {1: "ja", 2: "nein"}, "fehlend": {}}}
    questions = document["abschnitte"][0]["fragen"]
    assert questions[1]["filter"] == {"item": "opfer_x", "codes": [1]}
    assert (questions[2]["min"], questions[2]["max"]) == (0, 17)
