"""DDI-Codebook 2.5 export, validated against the official schema (tests/data/ddi-codebook-2.5, DDI Alliance)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner

from survey.cli import cli
from survey.questionnaire import load_questionnaire
from survey.questionnaire.ddi import ddi_bytes
from survey.resources import sample_data_dir

SCHEMA = Path(__file__).parent / "data" / "ddi-codebook-2.5" / "schemas" / "codebook.xsd"
NS = {"d": "ddi:codebook:2_5"}


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA), allow="local")


def _var(root: ET.Element, name: str) -> ET.Element:
    return root.find(f"d:dataDscr/d:var[@name='{name}']", NS)


def test_questionnaire_codebook_is_valid_ddi_2_5(schema, tmp_path):
    result = CliRunner().invoke(cli, ["fragebogen", "codebuch", "sicherheitsanalyse-standard", "--ddi",
                                      "--ziel", str(tmp_path), "--kommune", "Auenstadt"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "codebuch-sicherheitsanalyse-standard.xml"
    assert result.output.strip() == f"Geschrieben: {path}"
    schema.validate(str(path))
    root = ET.parse(path).getroot()
    assert root.tag == "{ddi:codebook:2_5}codeBook" and root.get("version") == "2.5"
    questionnaire = load_questionnaire("sicherheitsanalyse-standard", kommune="Auenstadt")
    names = [v.get("name") for v in root.findall("d:dataDscr/d:var", NS)]
    assert names == questionnaire.variable_ids
    report = _var(root, "anzeige_einbruch")
    assert report.find("d:universe", NS).text == "Befragte mit opfer_einbruch = 1"
    assert report.find("d:qstn/d:qstnLit", NS).text.startswith("Haben Sie (oder jemand anderes) den Einbruch")
    categories = [(c.find("d:catValu", NS).text, c.find("d:labl", NS).text, c.get("missing"))
                  for c in report.findall("d:catgry", NS)]
    assert categories == [("1", "ja", None), ("2", "nein", None), ("9", "keine Angabe", "Y")]
    grid = root.find("d:dataDscr/d:varGrp[@ID='G_sorge']", NS)
    assert grid.get("type") == "grid" and grid.get("var").split()[0] == "V_sorge_einbruch"
    assert root.find("d:dataDscr/d:varGrp[@ID='G_schutz']", NS).get("type") == "multipleResp"
    assert "Auenstadt" in root.find("d:stdyDscr/d:citation/d:titlStmt/d:titl", NS).text
    # no data: no statistics
    assert root.find(".//d:catStat", NS) is None


def test_codebook_with_data_has_study_description_and_frequencies(schema, tmp_path):
    folder = tmp_path / "auenstadt"
    shutil.copytree(sample_data_dir() / "auenstadt", folder)
    result = CliRunner().invoke(cli, ["fragebogen", "codebuch", "sicherheitsanalyse-standard", "--ddi",
                                      "--daten", str(folder), "--ziel", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "codebuch-sicherheitsanalyse-standard-14599050.xml"
    schema.validate(str(path))
    root = ET.parse(path).getroot()
    study = root.find("d:stdyDscr", NS)
    assert study.find("d:citation/d:titlStmt/d:IDNo[@agency='AGS']", NS).text == "14599050-2025"
    assert study.find("d:stdyInfo/d:sumDscr/d:geogCover", NS).text == "Auenstadt (Gemeindeschlüssel 14599050)"
    assert "geschichtete Zufallsstichprobe" in study.find("d:method/d:dataColl/d:sampProc", NS).text
    from survey.intake.run import check_folder

    data = check_folder(folder)[0].data
    night = _var(root, "sicher_nacht")
    counts = {c.find("d:catValu", NS).text: c.find("d:catStat[@type='freq']", NS)
              for c in night.findall("d:catgry", NS)}
    for code, stat in counts.items():
        expected = int((data["sicher_nacht"] == int(code)).sum())
        if expected >= 10:
            assert int(stat.text) == expected
        else:
            assert stat is None  # fewer than 10 answers are never shown
    assert int(night.find("d:sumStat[@type='vald']", NS).text) == int(data["sicher_nacht"].isin([1, 2, 3, 4]).sum())
    weighted = night.findall("d:catgry/d:catStat[@wgtd='wgtd']", NS)
    assert weighted and all(s.get("wgt-var") == "V_gewicht" for s in weighted)
    # derived variables and weights are described; free texts are not counted
    assert _var(root, "gewicht").get("wgt") == "wgt"
    assert _var(root, "furcht_index") is not None
    assert _var(root, "wuensche") is None


def test_languages_are_marked_for_later_translations():
    text = ddi_bytes(load_questionnaire("sicherheitsanalyse-standard")).decode()
    root = ET.fromstring(text)
    labels = root.findall(".//d:labl", NS)
    assert labels and all(label.get("{http://www.w3.org/XML/1998/namespace}lang") == "de" for label in labels)
