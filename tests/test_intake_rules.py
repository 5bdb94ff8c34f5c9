"""Intake validation rules on purpose-built files (tests/data/intake/): one expectation per rule."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from survey.errors import InputFileError
from survey.intake import RULES, read_response_file
from survey.intake.findings import FREE_TEXT
from survey.questionnaire import load_questionnaire

DATA = Path(__file__).parent / "data" / "intake"


@pytest.fixture(scope="module")
def mini():
    return load_questionnaire(DATA / "mini_fragebogen.yaml", ortsteile={1: "A", 2: "B"}, jahr=2025)


@pytest.fixture(scope="module")
def rules_result(mini):
    return read_response_file(DATA / "regeln.csv", mini, jahr=2025)


def test_every_rule_of_the_file_is_reported_with_line_item_value_and_action(rules_result):
    rows = rules_result.protocol.flatten(["zeile", "resp_id", "item", "wert", "regel", "aktion"])
    assert rows == [
        ["", "", "extra_spalte", "", "unbekannte-spalte", "Spalte verworfen"],
        ["", "", "massnahmen_3", "", "fehlende-spalte", "als fehlend geführt"],
        [2, "A01", "", "", "doppelte-resp-id", "Zeile behalten"],
        [3, "A02", "sicher_nacht", "7", "code-ausserhalb-skala", "auf fehlend gesetzt"],
        [4, "A03", "geburtsjahr", "1850", "geburtsjahr-unplausibel", "auf fehlend gesetzt"],
        [5, "A04", "wohndauer", "zehn", "text-in-zahlenfeld", "auf fehlend gesetzt"],
        [6, "A05", "wohndauer", "150", "wert-ausserhalb-bereich", "auf fehlend gesetzt"],
        [7, "A06", "anzeige_einbruch", "1", "filter-verletzt", "auf fehlend gesetzt"],
        [8, "A07", "massnahmen_1", "2", "mehrfachwahl-ungueltig", "auf fehlend gesetzt"],
        [10, "", "", "", "leere-zeile", "Zeile verworfen"],
        [11, "", "", "", "fehlende-resp-id", "Zeile verworfen"],
        [12, "A01", "", "", "doppelte-resp-id", "Zeile verworfen"],
        [13, "A10", "ortsteil", "5", "code-ausserhalb-skala", "auf fehlend gesetzt"],
    ]


def test_invalid_values_become_missing_and_valid_ones_stay(rules_result):
    data = rules_result.data.set_index("resp_id")
    assert list(data.index) == ["A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A10"]
    assert data.loc["A02", "sicher_nacht"] != data.loc["A02", "sicher_nacht"]  # NaN
    assert data.loc["A03", "geburtsjahr"] != data.loc["A03", "geburtsjahr"]
    assert data.loc["A04", "wohndauer"] != data.loc["A04", "wohndauer"]
    assert data.loc["A05", "wohndauer"] != data.loc["A05", "wohndauer"]
    assert data.loc["A06", "anzeige_einbruch"] != data.loc["A06", "anzeige_einbruch"]
    assert data.loc["A06", "opfer_einbruch"] == 2.0
    assert data.loc["A07", "massnahmen_1"] != data.loc["A07", "massnahmen_1"]
    assert data.loc["A08", "problem_laerm"] == 3.0  # uniform answers on a short grid: no finding, kept
    assert data.loc["A10", "sicher_nacht"] == 9.0  # missing codes are kept as codes
    assert data.loc["A01", "sicher_nacht"] == 2.0  # first of the duplicates kept
    assert data.loc["A01", "massnahmen_3"] != data.loc["A01", "massnahmen_3"]  # absent column
    assert data.loc["A01", "anmerkung"] == "Mehr Licht am Markt, Herr Meier weiß Bescheid"
    assert str(data["geburtsjahr"].dtype) == "float64" and data["anmerkung"].dtype == object


def test_protocol_never_contains_free_text_or_other_answers(tmp_path, mini, rules_result):
    written = rules_result.protocol.write_csv(tmp_path / "pruefprotokoll.csv")
    text = written.read_text(encoding="utf-8-sig")
    assert "Meier" not in text and "Licht" not in text
    assert text.splitlines()[0] == "datei;zeile;resp_id;item;wert;regel;aktion;meldung"
    # a free-text answer to a filtered-out question is shown as "(Freitext)"
    source = tmp_path / "frei.csv"
    source.write_text("resp_id,opfer_einbruch,anzeige_einbruch\nB1,2,1\n", encoding="utf-8")
    result = read_response_file(source, mini.model_copy(), jahr=2025)
    assert result.protocol.by_code("filter-verletzt")[0].value == "1"


def test_free_text_value_is_masked(tmp_path):
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text(
        "id: frei\nversion: '1'\nkern_version: '1'\ntitel: T\nabschnitte:\n"
        "  - id: a\n    titel: A\n    fragen:\n"
        "      - {id: opfer, typ: einfach, text: 'Opfer', optionen: {1: ja, 2: nein}}\n"
        "      - {id: was, typ: text, text: 'Was', filter: {item: opfer, codes: [1]}}\n",
        encoding="utf-8",
    )
    q = load_questionnaire(questionnaire)
    source = tmp_path / "a.csv"
    source.write_text("resp_id,opfer,was\nX1,2,Mein Nachbar Karl\n", encoding="utf-8")
    result = read_response_file(source, q)
    [finding] = result.protocol.by_code("filter-verletzt")
    assert finding.value == FREE_TEXT and "Karl" not in finding.message
    assert result.data.loc[0, "was"] is None


def test_multi_choice_accepts_limesurvey_y_and_n(tmp_path, mini):
    source = tmp_path / "m.csv"
    source.write_text("resp_id,massnahmen_1,massnahmen_2,massnahmen_3\nM1,Y,N,\nM2,1,0,ja\n", encoding="utf-8")
    result = read_response_file(source, mini, jahr=2025)
    assert result.data["massnahmen_1"].tolist() == [1.0, 1.0]
    assert result.data["massnahmen_2"].tolist() == [0.0, 0.0]
    assert [f.value for f in result.protocol.by_code("mehrfachwahl-ungueltig")] == ["ja"]


def test_decimal_comma_and_integral_floats_are_numbers(tmp_path, mini):
    source = tmp_path / "d.csv"
    source.write_text("resp_id;wohndauer;sicher_nacht\nD1;2,5;1.0\n", encoding="utf-8")
    result = read_response_file(source, mini, jahr=2025)
    assert result.data.loc[0, "wohndauer"] == 2.5 and result.data.loc[0, "sicher_nacht"] == 1.0
    assert result.protocol.counts == {"fehlende-spalte": len(mini.variable_ids) - 2}


def test_birth_year_bounds_follow_the_survey_year(tmp_path, mini):
    source = tmp_path / "g.csv"
    source.write_text("resp_id,geburtsjahr\nG1,1920\nG2,1919\nG3,2009\nG4,2010\nG5,1980.5\n", encoding="utf-8")
    result = read_response_file(source, mini, jahr=2025)
    assert [f.resp_id for f in result.protocol.by_code("geburtsjahr-unplausibel")] == ["G2", "G4", "G5"]
    assert result.protocol.by_code("geburtsjahr-unplausibel")[0].message == (
        "Geburtsjahr 1919 ergibt im Befragungsjahr 2025 ein Alter von 106 Jahren (plausibel: 16 bis 105)."
    )


def test_filter_unknown_status_is_no_violation(tmp_path, mini):
    source = tmp_path / "f.csv"
    source.write_text("resp_id,opfer_einbruch,anzeige_einbruch\nF1,,1\nF2,9,2\nF3,1,2\nF4,2,9\n", encoding="utf-8")
    result = read_response_file(source, mini, jahr=2025)
    assert [f.resp_id for f in result.protocol.by_code("filter-verletzt")] == ["F4"]


def test_uniform_answers_on_a_short_grid_of_one_direction_are_no_finding(tmp_path, mini):
    """Five rows pointing the same way (tests/test_straight_lining.py has the grids that are checked)."""
    source = tmp_path / "s.csv"
    header = "resp_id,problem_graffiti,problem_muell,problem_laerm,problem_drogen,problem_verkehr"
    source.write_text(f"{header}\nS1,4,4,4,4,4\nS2,4,4,4,4,\nS3,9,9,9,9,9\nS4,1,1,1,1,2\n", encoding="utf-8")
    result = read_response_file(source, mini, jahr=2025)
    assert result.protocol.by_code("gleichfoermige-antworten") == []
    assert result.data["problem_graffiti"].tolist() == [4.0, 4.0, 9.0, 1.0]


def test_duplicate_column_after_mapping_is_dropped(tmp_path, mini):
    source = tmp_path / "c.csv"
    source.write_text("resp_id,sicher_nacht,SICHER_NACHT\nC1,1,4\n", encoding="utf-8")
    result = read_response_file(source, mini, jahr=2025)
    [finding] = result.protocol.by_code("doppelte-spalte")
    assert finding.item == "sicher_nacht" and result.data.loc[0, "sicher_nacht"] == 1.0


def test_header_only_file_gives_a_warning_and_no_records(tmp_path, mini):
    source = tmp_path / "h.csv"
    source.write_text("resp_id,sicher_nacht\n", encoding="utf-8")
    result = read_response_file(source, mini, jahr=2025)
    assert result.protocol.counts["keine-datensaetze"] == 1
    assert not result.protocol.valid and len(result.data) == 0


def test_missing_resp_id_column_is_an_input_file_error(tmp_path, mini):
    source = tmp_path / "x.csv"
    source.write_text("nummer,sicher_nacht\n1,2\n", encoding="utf-8")
    with pytest.raises(InputFileError) as error:
        read_response_file(source, mini)
    assert str(error.value) == (
        f"{source}, Zeile 1: Die Datei hat keine Spalte »resp_id« (bei LimeSurvey-Exporten: »id«); "
        "ohne sie lassen sich die Antworten nicht zuordnen."
    )


def test_rule_codes_are_stable_kebab_case_and_documented():
    architecture = (Path(__file__).parent.parent / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for code in RULES:
        assert code == code.lower() and " " not in code and "_" not in code
        assert f"`{code}`" in architecture, f"finding code {code} is not documented"


def test_protocol_csv_round_trips(tmp_path, rules_result):
    path = rules_result.protocol.write_csv(tmp_path / "p.csv")
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    assert len(rows) == len(rules_result.protocol.findings)
    assert rows[3] == {
        "datei": "regeln.csv", "zeile": "3", "resp_id": "A02", "item": "sicher_nacht", "wert": "7",
        "regel": "code-ausserhalb-skala", "aktion": "auf fehlend gesetzt",
        "meldung": "Code 7 ist für »sicher_nacht« nicht vorgesehen (gültig: 1, 2, 3, 4, 8, 9).",
    }
