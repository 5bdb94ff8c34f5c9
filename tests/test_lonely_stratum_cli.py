"""A stratum with one respondent through the commands: analyse.yaml ``stichprobe.einzelschicht``.

The folder is musterstadt with one respondent in an Ortsteil of its own, as in
tests/reference/lonely_stratum.R, so ``schaetzen`` must give R's standard errors for each rule.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from numpy.testing import assert_allclose

from survey.cli import cli
from test_weighting_cli import ANALYSE, make_folder

REFERENCE = json.loads((Path(__file__).parent / "reference" / "lonely_stratum.json").read_text())
RULES = {"anpassen": "adjust", "mitteln": "average", "sicher": "certainty", "entfernen": "remove"}


def lonely_folder(musterstadt_dir: Path, target: Path, rule: str | None) -> Path:
    folder = make_folder(musterstadt_dir, target)
    info = REFERENCE["lonely"]
    responses = pd.read_csv(folder / "responses.csv", dtype=str, keep_default_na=False)
    row = info["moved_row"] - 1
    assert responses.loc[row, "resp_id"] == info["resp_id"]
    responses.loc[row, "ortsteil"] = str(info["code"])
    responses.to_csv(folder / "responses.csv", index=False)
    strata = pd.read_csv(folder / "strata.csv")
    strata.loc[strata.ortsteil == info["from"], "einwohner_16plus"] -= info["population"]
    strata.loc[strata.ortsteil == info["from"], "netto"] -= 1
    strata = pd.concat([strata, pd.DataFrame([{"ortsteil": info["code"], "name": "Einzelhof (Register)",
                                                "einwohner_16plus": info["population"], "brutto_stichprobe": 3,
                                                "netto": 1}])])
    strata.to_csv(folder / "strata.csv", index=False)
    text = ANALYSE.replace("4: Eichwalde}", f"4: Eichwalde, 5: {info['name']}}}")
    if rule is not None:
        text = text.replace("stichprobe: {schichtung: ortsteil, schichten: strata.csv}",
                            f"stichprobe: {{schichtung: ortsteil, schichten: strata.csv, einzelschicht: {rule}}}")
    (folder / "analyse.yaml").write_text(text, encoding="utf-8")
    return folder


def test_default_weights_but_refuses_estimates_naming_the_ortsteil(musterstadt_dir, tmp_path):
    folder = lonely_folder(musterstadt_dir, tmp_path / "m", None)
    result = CliRunner().invoke(cli, ["gewichten", str(folder)])
    assert result.exit_code == 0, result.output  # R calibrates; only the variance is impossible
    assert "Hinweis: Die Schicht »Einzelhof« (Ortsteil 5) hat nur eine befragte Person." in result.output
    weights = pd.read_csv(folder / "ergebnis" / "gewichte.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert_allclose(weights["gewicht"], REFERENCE["weights"]["calibrated"], rtol=1e-6)
    for command in ("schaetzen", "analysieren"):
        result = CliRunner().invoke(cli, [command, str(folder)])
        assert result.exit_code == 1, result.output
        message = " ".join(result.output.split())
        assert "Die Schicht »Einzelhof« (Ortsteil 5) hat nur eine befragte Person." in message
        assert "»einzelschicht: anpassen«" in message and "»mitteln«" in message and "»sicher«" in message
        assert "»entfernen«" in message and "Traceback" not in result.output
    assert not (folder / "ergebnis" / "profil.json").exists()


def test_unknown_rule_is_a_german_error(musterstadt_dir, tmp_path):
    folder = lonely_folder(musterstadt_dir, tmp_path / "m", "average")
    result = CliRunner().invoke(cli, ["gewichten", str(folder)])
    assert result.exit_code == 1
    assert "unbekannte Regel 'average'; erlaubt: fehler, anpassen, mitteln, sicher, entfernen." in result.output


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_gives_r_standard_errors(musterstadt_dir, tmp_path, rule):
    folder = lonely_folder(musterstadt_dir, tmp_path / "m", rule)
    result = CliRunner().invoke(cli, ["schaetzen", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    want = REFERENCE[RULES[rule]]["calibrated"]["unsicher_nachts"]
    overall = next(r for r in records if r["id"] == "unsicher_nachts" and r.get("by") is None)
    assert_allclose([overall["estimate"], overall["se"]], [float(want["overall"]["estimate"]),
                                                           float(want["overall"]["se"][0][0])], rtol=1e-6)
    assert_allclose([overall["ci_low"], overall["ci_high"]], want["overall"]["ci_logit"], rtol=1e-6)
    for by in ("geschlecht", "altersgruppe", "ortsteil"):
        for record in (r for r in records if r["id"] == "unsicher_nachts" and r.get("by") == by):
            if record["se"] is None:  # suppressed (the lonely Ortsteil's own domain: n = 1)
                continue
            se = want[by][record["group"]]["se"]
            assert not (isinstance(se, str) and math.isnan(float(se)))
            assert_allclose(record["se"], float(se), rtol=1e-6, err_msg=f"{rule} {by} {record['group']}")


def test_methods_state_the_rule(musterstadt_dir, tmp_path):
    from survey.report.lagebericht.chapters_context import methods_chapter
    from survey.report.lagebericht.profile import ReportProfile

    folder = lonely_folder(musterstadt_dir, tmp_path / "m", "mitteln")
    result = CliRunner().invoke(cli, ["analysieren", str(folder)])
    assert result.exit_code == 0, result.output
    profile = json.loads((folder / "ergebnis" / "profil.json").read_text(encoding="utf-8"))
    assert profile["methods"]["lonely_strata"] == {
        "setting": "mitteln", "r_option": "average",
        "strata": [{"code": "5", "label": "Einzelhof", "respondents": 1}]}
    texts = [getattr(block, "text", "") for block in methods_chapter(ReportProfile(profile)).blocks]
    assert ("Die Schicht »Einzelhof« enthält nur eine befragte Person; ihre Stichprobenvarianz ist nicht "
            "schätzbar. Nach der in analyse.yaml gewählten Regel »mitteln«: Sie trägt nichts zur Varianz bei; die "
            "Varianz der übrigen Schichten wird im Verhältnis aller zu den übrigen Schichten hochgerechnet (wie R "
            "survey.lonely.psu = \"average\").") in texts
