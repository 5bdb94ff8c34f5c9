"""LimeSurvey response exports: CSV by question code (with mapping file) and the tab-separated VV file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from survey.intake import read_raw, read_response_file
from survey.intake.columns import plan_columns
from survey.intake.limesurvey import unescape_vv
from survey.questionnaire import load_questionnaire

DATA = Path(__file__).parent / "data" / "intake"


@pytest.fixture(scope="module")
def mini():
    return load_questionnaire(DATA / "mini_fragebogen.yaml", ortsteile={1: "A", 2: "B"}, jahr=2025)


def _items(result, columns):
    return result.data[["resp_id", *columns]].reset_index(drop=True)


def test_limesurvey_csv_round_trip_equals_plain_csv(mini):
    result = read_response_file(
        DATA / "limesurvey_antworten.csv", mini, jahr=2025, mapping=DATA / "limesurvey_antworten.zuordnung.csv"
    )
    expected = read_response_file(DATA / "limesurvey_erwartet.csv", mini, jahr=2025)
    pd.testing.assert_frame_equal(result.data.drop(columns=["quelle", "modus", "sprache"]),
                                  expected.data.drop(columns=["quelle", "modus", "sprache"]))
    assert result.data["modus"].tolist() == ["online"] * 3
    assert result.data["resp_id"].tolist() == ["1", "2", "3"]


def test_limesurvey_meta_columns_are_dropped_and_token_never_kept(mini):
    result = read_response_file(
        DATA / "limesurvey_antworten.csv", mini, jahr=2025, mapping=DATA / "limesurvey_antworten.zuordnung.csv"
    )
    counts = result.protocol.counts
    assert counts["meta-spalte"] == 5  # submitdate lastpage seed interviewtime groupTime12
    assert result.data["sprache"].tolist() == ["de"] * 3  # startlanguage is the answer language
    assert counts["geheime-spalte"] == 1 and counts["id-als-resp-id"] == 1
    assert "unbekannte-spalte" not in counts
    assert "token" not in result.data.columns
    flat = "\n".join(str(row) for row in result.protocol.flatten())
    for secret in ("k7Hq2ZpX", "Zt5mWq8R", "Pq9xLm2A"):
        assert secret not in flat
        assert not result.data.isin([secret]).any().any()


def test_limesurvey_column_mapping_rules(mini):
    plan = plan_columns(
        ["id", "sicherNacht", "problem[graffiti]", "PROBLEM[drogen]", "Problem_Laerm", "SQ001", "SQ002"],
        mini.variable_ids, "x.csv", {"sq001": "wohndauer"},
    )
    assert plan.targets == {
        "resp_id": 0, "sicher_nacht": 1, "problem_graffiti": 2, "problem_drogen": 3, "problem_laerm": 4,
        "wohndauer": 5,
    }
    how = {f.item: f.message for f in plan.findings if f.code == "spalte-zugeordnet"}
    assert how["sicher_nacht"] == (
        "Die Spalte »sicherNacht« wird als Item »sicher_nacht« gelesen (LimeSurvey-Code ohne Unterstriche)."
    )
    assert "(Zuordnungsdatei)" in how["wohndauer"] and "(LimeSurvey-Unterfrage)" in how["problem_graffiti"]
    assert [f.item for f in plan.findings if f.code == "unbekannte-spalte"] == ["SQ002"]


def test_without_mapping_file_unmapped_codes_are_unknown_columns(mini):
    result = read_response_file(DATA / "limesurvey_antworten.csv", mini, jahr=2025)
    assert [f.item for f in result.protocol.by_code("unbekannte-spalte")] == ["SQ001"]
    assert result.data["wohndauer"].isna().all()


def test_vv_file_round_trip(mini):
    raw = read_raw(DATA / "limesurvey_vv.txt")
    assert raw.format == "limesurvey-vv" and raw.lines == [3, 4, 5]
    result = read_response_file(DATA / "limesurvey_vv.txt", mini, jahr=2025)
    data = result.data.set_index("resp_id")
    assert list(data.index) == ["11", "12", "13"]
    assert data["sicher_nacht"].tolist()[:2] == [1.0, 4.0]
    assert pd.isna(data.loc["13", "sicher_nacht"])  # code 7
    assert pd.isna(data.loc["11", "anzeige_einbruch"]) and data.loc["12", "anzeige_einbruch"] == 1.0
    assert pd.isna(data.loc["13", "anzeige_einbruch"])  # filter: not a victim
    assert data.loc["12", "anmerkung"] == "Zeile eins\nZeile {zwei}\tEnde"
    assert data.loc["13", "anmerkung"] == '"zitiert"'
    assert data.loc["11", "anmerkung"] is None
    assert [(f.line, f.code) for f in result.protocol.findings if f.line] == [
        (5, "code-ausserhalb-skala"), (5, "filter-verletzt"),
    ]
    assert "token" not in data.columns


def test_vv_escapes():
    assert unescape_vv("{quote}a{tab}b{cr}{newline}{lbrace}newline}") == '"a\tb\r\n{newline}'
    assert unescape_vv("{question_not_shown}") == ""
