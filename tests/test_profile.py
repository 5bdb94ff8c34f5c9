"""profil.json of the musterstadt reference data: schema-valid, core indicators equal R (rtol 1e-6)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pydantic
import numpy as np
import pytest
from click.testing import CliRunner

from survey.cli import cli
from survey.profile_builder import SCHEMA_PATH, validate_profile, write_profile

ANALYSE = """\
kommune: Musterstadt
ags: "14599001"
jahr: {jahr}
antworten: [responses.csv]
bevoelkerung: population.csv
stichprobe: {{schichtung: ortsteil, schichten: strata.csv}}
gewichtung: {{merkmale: [ortsteil, altersgruppe, geschlecht]}}
ortsteile: {{1: Altstadt, 2: Nord, 3: Am Bahnhof, 4: Eichwalde}}
"""


def make_folder(musterstadt_dir: Path, target: Path) -> Path:
    meta = json.loads((musterstadt_dir / "meta.json").read_text(encoding="utf-8"))
    target.mkdir(parents=True, exist_ok=True)
    for name in ("responses.csv", "population.csv", "strata.csv"):
        shutil.copy(musterstadt_dir / name, target / name)
    (target / "analyse.yaml").write_text(ANALYSE.format(jahr=meta["year"]), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def profile(musterstadt_dir: Path, tmp_path_factory) -> tuple[Path, dict]:
    folder = make_folder(musterstadt_dir, tmp_path_factory.mktemp("musterstadt"))
    return write_profile(folder)


@pytest.fixture(scope="module")
def reference(musterstadt_dir: Path) -> dict:
    return json.loads((musterstadt_dir / "reference.json").read_text(encoding="utf-8"))


def test_profile_validates_against_schema(profile):
    path, document = profile
    assert path.name == "profil.json"
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(on_disk, schema, cls=jsonschema.Draft202012Validator)
    assert on_disk["schema_version"] == "2.0" and on_disk["upgraded_from"] is None
    # no landkreis_ags in analyse.yaml: the Kreisschlüssel is derived from the AGS (first five digits)
    assert on_disk["commune"] == {"name": "Musterstadt", "ags": "14599001", "landkreis_ags": "14599"}
    assert on_disk["wave"] == {"jahr": 2025, "label": "2025"}


def test_core_indicators_equal_r_reference(profile, reference):
    _, document = profile
    by_id = {record["id"]: record for record in document["indicators"]}
    for indicator, ref in reference["proportions"].items():
        record = by_id[indicator]
        np.testing.assert_allclose(record["estimate"], ref["estimate"], rtol=1e-6, err_msg=indicator)
        np.testing.assert_allclose(record["se"], ref["se"], rtol=1e-6, err_msg=indicator)
        np.testing.assert_allclose(record["deff"], ref["deff"], rtol=1e-6, err_msg=indicator)
        np.testing.assert_allclose([record["ci_low"], record["ci_high"]], ref["ci_logit"], rtol=1e-6, err_msg=indicator)
        np.testing.assert_allclose(record["weighted_n"], ref["weighted_n"], rtol=1e-6, err_msg=indicator)
        assert record["n"] == ref["n"], indicator
    for indicator, ref in reference["means"].items():
        record = by_id[indicator]
        assert record["kind"] == "mean"
        np.testing.assert_allclose([record["estimate"], record["se"]], [ref["estimate"], ref["se"]], rtol=1e-6)
        np.testing.assert_allclose([record["ci_low"], record["ci_high"]], ref["ci"], rtol=1e-6)
        assert record["n"] == ref["n"]


def test_breakdowns_equal_r_reference(profile, reference):
    _, document = profile
    records = {(r["id"], r["by"], r["group"]): r for r in document["breakdowns"]["records"]}
    checked = 0
    for key, groups in reference["by"].items():
        indicator, by = key.split("__by__")
        for group, ref in groups.items():
            record = records[(indicator, by, group)]
            np.testing.assert_allclose([record["estimate"], record["se"]], [ref["estimate"], ref["se"]], rtol=1e-6)
            assert record["n"] == ref["n"]
            checked += 1
    assert checked >= 10
    labels = {g["code"]: g["label"] for v in document["breakdowns"]["variables"] if v["id"] == "ortsteil"
              for g in v["groups"]}
    assert labels == {"1": "Altstadt", "2": "Nord", "3": "Am Bahnhof", "4": "Eichwalde"}


def test_drivers_match_r_svyglm(profile, reference):
    """The profile's model adds Ortsteil; the reference model is refitted in test_profile_drivers.py."""
    _, document = profile
    drivers = document["drivers"]
    assert drivers["available"] and drivers["outcome"] == "unsicher_nachts"
    names = {c["name"] for c in drivers["coefficients"]}
    assert {"geschlecht2", "altersgruppe75+", "opfer_12m_irgendein", "problem_index", "ortsteil3"} <= names
    assert [t["rank"] for t in drivers["ranking"]] == list(range(1, len(drivers["ranking"]) + 1))
    assert "summary" not in drivers and all("sentence" not in t for t in drivers["ranking"])  # no prose


def test_aggregates_only(profile):
    path, _ = profile
    text = path.read_text(encoding="utf-8")
    assert "R00001" not in text and "resp_id" not in text


def test_recommendations_carry_numeric_evidence(profile):
    _, document = profile
    assert document["recommendations"]
    for recommendation in document["recommendations"]:
        required = [e for e in recommendation["evidence"] if e["required"]]
        assert required and all(e["met"] for e in required)
        assert all(e["estimate"] is not None for e in required)
    ids = [r["rule_id"] for r in document["recommendations"]]
    assert "unsicherheit_hoch" in ids  # 42.9 %, CI 39.3-46.6 % lies above the 25 % reference


def test_item_distributions_cover_items(profile):
    _, document = profile
    overall = [d for d in document["item_distributions"] if d["by"] is None and d["item"] == "sicher_nacht"]
    assert len(overall) == 1
    categories = overall[0]["categories"]
    valid = [c for c in categories if not c["missing"]]
    assert abs(sum(c["share"] for c in valid) - 1) < 1e-9
    assert sum(c["n"] for c in categories) == overall[0]["n_total"] == 843
    share_unsafe = sum(c["share"] for c in valid if c["code"] in (3, 4))
    assert share_unsafe == pytest.approx(0.428994711473269, rel=1e-6)


def test_schema_violation_is_detected(profile):
    _, document = profile
    broken = dict(document)
    broken["indicators"] = [dict(document["indicators"][0], flag="vielleicht")]
    with pytest.raises(pydantic.ValidationError):
        validate_profile(broken)


def test_analysieren_cli(musterstadt_dir, tmp_path):
    folder = make_folder(musterstadt_dir, tmp_path / "m")
    result = CliRunner().invoke(cli, ["analysieren", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Sicherheitsprofil Musterstadt 2025" in result.output
    assert (folder / "ergebnis" / "profil.json").exists()


def test_rao_scott_by_geschlecht_equals_r_reference(profile, reference):
    _, document = profile
    tests = {t["by"]: t for t in document["tests"]["rao_scott"]}
    assert list(tests) == ["geschlecht", "altersgruppe", "ortsteil"]
    got, ref = tests["geschlecht"], reference["rao_scott__unsicher_nachts__geschlecht"]
    assert got["id"] == "rao_scott__unsicher_nachts__geschlecht" and got["valid"] and got["reason"] is None
    np.testing.assert_allclose([got["statistic"], got["p"]], [ref["F"], ref["p"]], rtol=1e-6)
    np.testing.assert_allclose([got["ndf"], got["ddf"]], [ref["ndf"], ref["ddf"]], rtol=1e-9)
    assert got["n"] == 792
    assert got["p"] < 0.001 and tests["altersgruppe"]["p"] >= 0.05 and "sentence" not in got
    assert all(t["valid"] and 0 <= t["p"] <= 1 for t in tests.values())


def test_reliability_of_indices(profile, musterstadt_dir):
    from analysis.models.reliability import cronbach_alpha, item_matrix
    from test_regression import musterstadt

    _, document = profile
    by_index = {r["index"]: r for r in document["reliability"]}
    assert set(by_index) == {"furcht_index", "problem_index", "zusammenhalt_index"}
    responses, design, _ = musterstadt(musterstadt_dir)
    for index in ("furcht_index", "problem_index"):
        entry = by_index[index]
        expected = cronbach_alpha(design, item_matrix(responses, entry["items"], [1, 2, 3, 4]))
        assert entry["available"] and entry["k"] == len(entry["items"]) and entry["n"] == expected.n
        np.testing.assert_allclose([entry["alpha"], entry["se"], entry["ci_low"], entry["ci_high"]],
                                   [expected.alpha, expected.se, expected.ci_low, expected.ci_high], rtol=1e-9)
        assert entry["ci_low"] < entry["alpha"] < entry["ci_high"] and "sentence" not in entry
    missing = by_index["zusammenhalt_index"]  # the reference data have no Zusammenhalt items
    assert not missing["available"] and missing["alpha"] is None
    assert missing["reason"] == "Für Cronbachs Alpha gibt es nur 0 Befragte mit Angaben zu allen 6 Items."


def test_profile_file_is_compact(profile):
    path, document = profile
    text = path.read_text(encoding="utf-8")
    assert "\n " not in text and ", " not in text.split('"')[0]
    assert json.loads(text) == json.loads(json.dumps(document))
