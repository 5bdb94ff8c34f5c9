"""gewichten / schaetzen on the musterstadt reference folder (weights and estimates equal R)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from click.testing import CliRunner

from survey.cli import cli
import shutil
from pathlib import Path

ANALYSE = """\
kommune: Musterstadt
ags: "14599001"
jahr: 2025
antworten: [responses.csv]
bevoelkerung: population.csv
stichprobe: {schichtung: ortsteil, schichten: strata.csv}
gewichtung: {merkmale: [ortsteil, altersgruppe, geschlecht]}
ortsteile: {1: Altstadt, 2: Nord, 3: Am Bahnhof, 4: Eichwalde}
"""


def make_folder(musterstadt_dir: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in ("responses.csv", "population.csv", "strata.csv"):
        shutil.copy(musterstadt_dir / name, target / name)
    (target / "analyse.yaml").write_text(ANALYSE, encoding="utf-8")
    return target


def test_gewichten_writes_r_weights_and_german_summary(musterstadt_dir, tmp_path):
    folder = make_folder(musterstadt_dir, tmp_path / "m")
    result = CliRunner().invoke(cli, ["gewichten", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Gewichtung: Raking (iteratives Anpassen)" in result.output
    assert "Konvergenz: ja" in result.output and "effektive Fallzahl" in result.output
    assert "  Ortsteil Altstadt: 5.200 / 5.200 (n = 299)" in result.output
    assert "  Geschlecht weiblich: " in result.output and "  Altersgruppe 75 Jahre und älter: " in result.output
    assert "ortsteil 1" not in result.output and "geschlecht 2" not in result.output
    weights = pd.read_csv(folder / "ergebnis" / "gewichte.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert list(weights.columns) == ["resp_id", "designgewicht", "gewicht"]
    reference = pd.read_csv(musterstadt_dir / "reference_weights.csv")
    merged = weights.merge(reference, on="resp_id")
    assert len(merged) == 843
    np.testing.assert_allclose(merged["designgewicht"], merged["design_weight"], rtol=1e-6)
    np.testing.assert_allclose(merged["gewicht"], merged["weight"], rtol=1e-6)


def test_schaetzen_json_order_and_fields(musterstadt_dir, tmp_path):
    folder = make_folder(musterstadt_dir, tmp_path / "m")
    result = CliRunner().invoke(cli, ["schaetzen", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    fields = {"id", "estimate", "se", "ci_low", "ci_high", "n", "weighted_n", "deff", "flag"}
    assert all(fields <= set(r) for r in records)
    kinds = [r.get("by") for r in records]
    first_group = kinds.index("geschlecht")
    assert all(k is None for k in kinds[:first_group])
    order = [k for i, k in enumerate(kinds) if k is not None and (i == 0 or kinds[i - 1] != k)]
    assert order == ["geschlecht", "altersgruppe", "ortsteil"]
    first = records[0]
    assert first["id"] == "unsicher_nachts"
    np.testing.assert_allclose(first["estimate"], 0.428994711473269, rtol=1e-6)
    women = next(r for r in records if r["id"] == "unsicher_nachts" and r.get("by") == "geschlecht" and r["group"] == "2")
    np.testing.assert_allclose(women["se"], 0.0260943565942419, rtol=1e-6)
    assert women["group_label"] == "weiblich"


def test_schaetzen_table_is_german(musterstadt_dir, tmp_path):
    folder = make_folder(musterstadt_dir, tmp_path / "m")
    result = CliRunner().invoke(cli, ["schaetzen", str(folder)])
    assert result.exit_code == 0, result.output
    # shared German number format (survey.report.formatting): no-break space before %
    assert "42,9\u00a0%" in result.output and "39,3\u00a0% – 46,6\u00a0%" in result.output
    suppressed = [line for line in result.output.splitlines() if line.endswith("unterdrückt")]
    assert suppressed and all(" – – " not in line for line in suppressed)


def test_empty_cell_is_a_german_error_without_traceback(musterstadt_dir, tmp_path):
    folder = make_folder(musterstadt_dir, tmp_path / "m")
    responses = pd.read_csv(folder / "responses.csv")
    responses = responses[2025 - responses["geburtsjahr"] >= 30]  # nobody aged 16-29 any more
    responses.to_csv(folder / "responses.csv", index=False)
    result = CliRunner().invoke(cli, ["gewichten", str(folder)])
    assert result.exit_code == 1
    assert result.output.startswith("Fehler: ")
    assert "altersgruppe" in result.output and "16-29" in result.output
    assert "Traceback" not in result.output
    assert not (folder / "ergebnis" / "gewichte.csv").exists()


def test_schaetzen_into_a_closed_pipe_is_not_an_error(musterstadt_dir, tmp_path):
    """`sicherheitsanalyse schaetzen DIR | head -3`: the reader stops early; no German error, exit 0."""
    import subprocess
    import sys

    folder = make_folder(musterstadt_dir, tmp_path / "m")
    process = subprocess.Popen([sys.executable, "-c", "from survey.cli import cli; cli()", "schaetzen", str(folder)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.readline().decode("utf-8")
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 0, stderr
    assert first.startswith("Indikator") and "Fehler" not in stderr
