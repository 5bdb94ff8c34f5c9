"""``sicherheitsanalyse export``: labelled data files, the pruefen round trip, and R reproducing the estimates."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from click.testing import CliRunner

from analysis.core.indicator_estimates import estimate_indicators
from survey.cli import cli
from survey.export import export_folder
from survey.export.dataset import weighted_sample
from survey.folder import load_folder
from survey.intake.run import check_folder
from survey.resources import sample_data_dir

RSCRIPT = shutil.which("Rscript")
NEEDS_R = pytest.mark.skipif(RSCRIPT is None, reason="Rscript fehlt (apt-get install r-base-core r-cran-survey); "
                                                     ".ci/run installiert es")
STEM = "sicherheitsanalyse-14599050-2025"


def copy_sample(name: str, target: Path) -> Path:
    shutil.copytree(sample_data_dir() / name, target)
    return target


@pytest.fixture(scope="module")
def auenstadt(tmp_path_factory) -> Path:
    return copy_sample("auenstadt", tmp_path_factory.mktemp("export") / "auenstadt")


def test_sav_has_variable_value_labels_and_user_missing_codes(auenstadt, tmp_path):
    result = CliRunner().invoke(cli, ["export", str(auenstadt), "--format", "sav",
                                                      "--ziel", str(tmp_path)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "Freitexte sind nicht enthalten (mit --mit-freitext exportieren)." in result.output
    assert f"Geschrieben: {tmp_path / (STEM + '.sav')}" in result.output
    frame, meta = pyreadstat.read_sav(str(tmp_path / f"{STEM}.sav"), user_missing=True)
    labels = meta.column_names_to_labels
    assert labels["sicher_nacht"].startswith("Wie sicher fühlen Sie sich (oder würden Sie sich fühlen), wenn Sie "
                                             "nach Einbruch der Dunkelheit")
    assert labels["sorge_einbruch"] == ("Wie sehr beunruhigt es Sie, dass Ihnen in Auenstadt Folgendes passieren "
                                        "könnte? – dass in Ihre Wohnung oder Ihr Haus eingebrochen wird")
    assert labels["unsicher_nachts"] == "fühlt sich nachts in der Wohngegend unsicher"
    assert labels["gewicht"] == "Kalibriertes Gewicht (an die Bevölkerung angepasst)"
    values = meta.variable_value_labels
    assert values["sicher_nacht"] == {1: "sehr sicher", 2: "ziemlich sicher", 3: "ziemlich unsicher",
                                      4: "sehr unsicher", 8: "weiß nicht", 9: "keine Angabe"}
    assert values["ortsteil"][3] == "Südvorstadt"
    assert values["altersgruppe"] == {1: "16-29", 2: "30-44", 3: "45-59", 4: "60-74", 5: "75+"}
    assert values["unsicher_nachts"] == {0: "nein", 1: "ja"}
    assert meta.missing_ranges["sicher_nacht"] == [{"lo": 8.0, "hi": 8.0}, {"lo": 9.0, "hi": 9.0}]
    assert meta.missing_ranges["geschlecht"] == [{"lo": 9.0, "hi": 9.0}]
    assert meta.variable_measure["furcht_index"] == "scale"
    # free texts are not exported by default
    assert "wuensche" not in frame.columns and "angstraum_ort" not in frame.columns
    expected = ["resp_id", "ortsteil", "wohndauer"]
    assert list(frame.columns[:3]) == expected
    assert list(frame.columns[-4:]) == ["designgewicht", "gewicht", "schicht", "fpc"]
    # derived values equal the engine's weights
    sample = weighted_sample(load_folder(auenstadt))
    np.testing.assert_allclose(frame["gewicht"], sample.result.weights, rtol=1e-12)
    assert set(frame["fpc"]) == set(sample.strata["einwohner_16plus"].astype(float))


def test_free_text_only_on_request_with_warning(auenstadt, tmp_path):
    result = CliRunner().invoke(
        cli, ["export", str(auenstadt), "--format", "sav", "--mit-freitext", "--ziel", str(tmp_path)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "Warnung: Achtung: Die Freitexte können personenbezogene Angaben enthalten" in result.stderr
    frame, _ = pyreadstat.read_sav(str(tmp_path / f"{STEM}.sav"))
    assert {"problem_sonstiges", "angstraum_ort", "wuensche", "anmerkungen"} <= set(frame.columns)
    assert (frame["angstraum_ort"] != "").sum() > 0


def test_exported_sav_reimported_by_pruefen_gives_identical_cleaned_data(auenstadt, tmp_path):
    export_folder(auenstadt, "sav", free_text=True, target=tmp_path / "export")
    again = tmp_path / "wieder"
    again.mkdir()
    for name in ("population.csv", "strata.csv", "pks.csv"):
        shutil.copy(auenstadt / name, again / name)
    shutil.copy(tmp_path / "export" / f"{STEM}.sav", again / "export.sav")
    config = (auenstadt / "analyse.yaml").read_text(encoding="utf-8")
    config = config.replace("antworten: [responses_online.csv, responses_papier.xlsx]", "antworten: [export.sav]")
    (again / "analyse.yaml").write_text(config, encoding="utf-8")
    original, _ = check_folder(auenstadt)
    reimported, _ = check_folder(again)
    assert set(original.data["quelle"]) == {"responses_online.csv", "responses_papier.xlsx"}
    assert set(reimported.data["quelle"]) == {"export.sav"}
    pd.testing.assert_frame_equal(original.data.drop(columns="quelle"), reimported.data.drop(columns="quelle"))
    # the derived columns are reported as unknown and dropped, never mapped onto an item
    mapped = [f for f in reimported.protocol.findings if f.rule.code == "spalte-zugeordnet"]
    assert mapped == []


def test_dta_csv_parquet_carry_labels(auenstadt, tmp_path):
    result = export_folder(auenstadt, "dta", target=tmp_path)
    frame, meta = pyreadstat.read_dta(str(result.data))
    assert meta.column_names_to_labels["ortsteil"] == "In welchem Ortsteil von Auenstadt wohnen Sie?"
    assert meta.variable_value_labels["vertrauen_polizei"][1] == "sehr großes Vertrauen"
    assert all(len(label.encode()) <= 80 for label in meta.column_labels if label)
    assert result.warnings == ("In der Stata-Datei fehlen die Wertelabels von anzeigequote_sachbeschaedigung, "
                               "anzeigequote_koerperverletzung (Stata erlaubt nur kurze Namen für Wertelabels); "
                               "sie stehen im Codebuch (.xml).",)
    csv = export_folder(auenstadt, "csv", target=tmp_path)
    text = csv.data.read_text(encoding="utf-8-sig").splitlines()
    assert text[0].startswith("resp_id,ortsteil,wohndauer,")
    table = pd.read_csv(csv.data, encoding="utf-8-sig")
    pd.testing.assert_series_equal(table["gewicht"], pd.Series(frame["gewicht"], name="gewicht"), rtol=1e-15)
    import pyarrow.parquet as pq

    parquet = export_folder(auenstadt, "parquet", target=tmp_path)
    schema = pq.read_schema(parquet.data)
    field = schema.field("sicher_nacht")
    assert field.metadata[b"label"].decode().startswith("Wie sicher fühlen Sie sich")
    assert json.loads(field.metadata[b"wertelabels"])["3"] == "ziemlich unsicher"
    assert json.loads(field.metadata[b"fehlende_codes"]) == [8, 9]
    assert str(field.type) == "int64"
    assert json.loads(schema.metadata[b"sicherheitsanalyse"])["ags"] == "14599050"


def test_spss_syntax_sets_up_the_complex_samples_plan(auenstadt, tmp_path):
    result = export_folder(auenstadt, "sav", target=tmp_path)
    syntax = result.spss.read_text(encoding="utf-8")
    assert f"GET FILE='{STEM}.sav'." in syntax
    assert "CSPLAN ANALYSIS\n  /PLAN FILE='" + STEM + ".csaplan'\n  /PLANVARS ANALYSISWEIGHT=gewicht\n" in syntax
    assert "  /DESIGN STRATA=schicht\n  /ESTIMATOR TYPE=EQUAL_WOR\n  /POPSIZE VARIABLE=fpc." in syntax
    assert "CSDESCRIPTIVES" in syntax and "  /SUMMARY VARIABLES=unsicher_nachts unsicher_tag" in syntax
    assert syntax.split("/SUMMARY VARIABLES=")[1].split("/MEAN")[0].split()[-2:] == ["furcht_index", "problem_index"]
    assert max(len(line) for line in syntax.splitlines()) <= 100


def test_bad_folder_gives_german_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "fehlt"), "--format", "sav"])
    assert result.exit_code == 1
    assert "existiert nicht" in result.stderr and "Traceback" not in result.stderr
    result = CliRunner().invoke(cli, ["export", str(tmp_path), "--format", "xls"])
    assert result.exit_code == 2 and "xls" in result.stderr


def _run_r(script: Path, output: Path) -> pd.DataFrame:
    completed = subprocess.run([RSCRIPT, str(script), str(output)], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Gewichte wie im Werkzeug" in completed.stdout
    return pd.read_csv(output)


def _engine_estimates(folder: Path) -> dict:
    sample = weighted_sample(load_folder(folder))
    return {r.indicator: r.estimate for r in estimate_indicators(sample.data, sample.design,
                                                                 sample.questionnaire.indicator_specs())}


def _variant(tmp_path: Path, name: str, edit) -> Path:  # noqa: ANN001
    folder = copy_sample("eichenstedt", tmp_path / name)
    config = (folder / "analyse.yaml").read_text(encoding="utf-8")
    (folder / "analyse.yaml").write_text(edit(config), encoding="utf-8")
    return folder


@NEEDS_R
@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "sav"])
def test_r_script_reproduces_core_estimates(auenstadt, tmp_path, fmt):
    result = export_folder(auenstadt, fmt, target=tmp_path)
    r = _run_r(result.r, tmp_path / "r.csv").set_index("indikator")
    engine = _engine_estimates(auenstadt)
    assert list(r.index) == [d.id for d in result.dataset.questionnaire.indicators if d.core]
    for indicator in ("unsicher_nachts", "furcht_index", "anzeigequote_einbruch"):
        estimate = engine[indicator]
        assert abs(r.loc[indicator, "schaetzwert"] - estimate.estimate) < 1e-6
        assert abs(r.loc[indicator, "se"] - estimate.se) < 1e-6
        assert r.loc[indicator, "n"] == estimate.n
    worst = max(abs(r.loc[i, "schaetzwert"] - engine[i].estimate) for i in r.index)
    assert worst < 1e-9


@NEEDS_R
@pytest.mark.slow
def test_r_script_reproduces_bounded_and_unstratified_designs(tmp_path):
    bounded = _variant(tmp_path, "grenzen", lambda c: c.replace(
        "  merkmale: [ortsteil, altersgruppe, geschlecht]",
        "  merkmale: [ortsteil, altersgruppe, geschlecht]\n  grenzen: [0.5, 1.9]"))
    plain = _variant(tmp_path, "ungeschichtet", lambda c: c.replace(
        "stichprobe:\n  schichtung: ortsteil\n  schichten: strata.csv\n", "").replace(
        "merkmale: [ortsteil, altersgruppe, geschlecht]", "merkmale: [altersgruppe, geschlecht]"))
    for folder in (bounded, plain):
        result = export_folder(folder, "csv", target=tmp_path / f"{folder.name}-export")
        script = result.r.read_text(encoding="utf-8")
        assert ("calfun = \"logit\", bounds = c(0.5, 1.9)" in script) == (folder is bounded)
        assert ("strata = ~schicht" in script) == (folder is bounded)
        r = _run_r(result.r, tmp_path / f"{folder.name}.csv").set_index("indikator")
        engine = _engine_estimates(folder)
        for indicator in ("unsicher_nachts", "vertrauen_polizei_hoch", "problem_index"):
            assert abs(r.loc[indicator, "schaetzwert"] - engine[indicator].estimate) < 1e-6
            assert abs(r.loc[indicator, "se"] - engine[indicator].se) < 1e-6
