"""``sicherheitsanalyse vergleich``: outputs from synthetic (never seen) and sample profiles, commune
sheets with the others without names, the core-version refusal and German errors for unreadable or
invalid profiles; on the sample communes, Quellenthal's low night-time insecurity is found and said."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from survey.cli import cli
from survey.comparison.loading import load_profiles
from survey.comparison.model import build_model, letter_label, nameless_labels
from survey.comparison.synthetic import synthetic_profile

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def write(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture()
def synthetic(tmp_path: Path) -> list[Path]:
    paths = [write(tmp_path / f"p{i}.json", synthetic_profile(i, seed=3)) for i in range(6)]
    first = synthetic_profile(0, seed=3)
    second = synthetic_profile(0, seed=3, year=2027, shift=-0.05, ags=first["commune"]["ags"],
                               name=first["commune"]["name"])
    paths.append(write(tmp_path / "p0-2027.json", second))
    return paths


def run(*args: str):
    return CliRunner().invoke(cli, ["vergleich", *args])


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_all_outputs_for_unseen_communes(synthetic, tmp_path):
    target = tmp_path / "aus"
    result = run(*map(str, synthetic), "--ziel", str(target))
    assert result.exit_code == 0, result.output
    assert "7 Profile von 6 Kommunen verglichen (Kernversion 1, 11 Kernindikatoren)." in result.output
    assert "Veränderungen zwischen Wellen: Testkommune 1." in result.output
    names = sorted(p.name for p in target.iterdir())
    profiles = [json.loads(p.read_text(encoding="utf-8")) for p in synthetic]
    ags = sorted({d["commune"]["ags"] for d in profiles})
    assert names == sorted(["vergleich.pdf", "vergleich.html", "vergleich.xlsx", "vergleich.csv", "vergleich.json"]
                           + [f"kommune_{a}.pdf" for a in ags])
    # one page each, PDF/UA identification and a title
    for a in ags:
        info = subprocess.run(["pdfinfo", str(target / f"kommune_{a}.pdf")], capture_output=True, text=True).stdout
        assert re.search(r"Pages:\s+1\n", info)
        assert "im Vergleich" in info
    html = (target / "vergleich.html").read_text(encoding="utf-8")
    assert html.count('role="img"') >= 10  # six funnel plots, the scatter, small multiples of both bases
    assert "<title" in html and "Trichterdiagramm für" in html
    assert "\u00a0%" in html  # German percent format
    text = pdf_text(target / "vergleich.pdf")
    assert "Trichtervergleich" in text and "Rangplatz (von 6)" in text and "Anhang A" in text
    wb = openpyxl.load_workbook(target / "vergleich.xlsx")
    assert wb.sheetnames == ["Kommunen", "Roh", "Standardisiert", "EB (Fay-Herriot)", "Trichter", "Testfamilien",
                             "Veränderungen", "Glossar"]
    assert wb["Roh"].max_row == 1 + 6 * 11
    assert wb["EB (Fay-Herriot)"].max_row == 2  # six communes: no shrinkage (needs 20), one explaining row
    assert wb["EB (Fay-Herriot)"]["A2"].value == ("Keine Empirisch-Bayes-Schätzung: Sie wird erst ab 20 Kommunen "
                                                  "mit verwertbarem Wert berechnet, verglichen werden 6.")
    assert wb["Veränderungen"].max_row == 1 + 11
    assert wb["Kommunen"].max_row == 1 + 7
    assert wb["Testfamilien"].max_row == 1 + 3  # raw, standardised, changes of Testkommune 1


def test_one_pager_names_focal_commune_and_shows_the_others_without_names(synthetic, tmp_path):
    profiles = load_profiles(synthetic)
    model = build_model(profiles)
    focal = model.communes[2]
    labels = nameless_labels(model, focal.ags)
    assert labels[focal.ags] == focal.name
    assert sorted(v for k, v in labels.items() if k != focal.ags) == [f"Kommune {c}" for c in "ABCDE"]
    assert nameless_labels(model, focal.ags) == labels  # seeded
    target = tmp_path / "aus"
    assert run(*map(str, synthetic), "--ziel", str(target)).exit_code == 0
    text = pdf_text(target / f"kommune_{focal.ags}.pdf")
    assert f"{focal.name} im Vergleich" in text
    assert "Kommune A" in text
    flat = " ".join(text.replace("\u00a0", " ").split())
    # one count everywhere, honest about what the missing names hide
    assert "mit 5 weiteren Kommunen" in flat and "mit 6 Kommunen" not in flat
    assert "ohne Namen" in flat and "anonymisiert" not in flat
    assert "lassen sich dort wiederfinden" in flat
    for other in model.communes:
        if other.ags != focal.ags:
            assert other.name not in text


def test_letter_labels():
    assert [letter_label(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_different_cores_are_refused(synthetic, tmp_path):
    other = write(tmp_path / "kern2.json", synthetic_profile(9, seed=3, core_version="2"))
    target = tmp_path / "aus"
    result = run(str(synthetic[0]), str(synthetic[1]), str(other), "--ziel", str(target))
    assert result.exit_code == 1
    assert result.output.startswith("Fehler: Die Profile beruhen auf verschiedenen Kernfragen (Kernversionen 1, 2) "
                                    "und sind deshalb nicht vergleichbar: ")
    assert f"{other} (Fragebogen sicherheitsanalyse-standard, Kernversion 2)" in result.output
    assert f"{synthetic[0]} (Fragebogen sicherheitsanalyse-standard, Kernversion 1)" in result.output
    assert not target.exists()


def test_invalid_json_names_file_and_line(synthetic, tmp_path):
    broken = tmp_path / "kaputt.json"
    broken.write_text('{\n "schema_version": "1.0",\n "x": \n}', encoding="utf-8")
    result = run(str(synthetic[0]), str(broken), "--ziel", str(tmp_path / "aus"))
    assert result.exit_code == 1
    assert result.output.strip() == (f"Fehler: {broken}, Zeile 4: Die Datei ist kein gültiges JSON "
                                     "(Syntaxfehler in Spalte 1).")


def test_schema_violation_names_file_and_place(synthetic, tmp_path):
    document = synthetic_profile(1, seed=3)
    document["indicators"][0]["flag"] = "gut"
    bad = write(tmp_path / "schema.json", document)
    result = run(str(synthetic[0]), str(bad), "--ziel", str(tmp_path / "aus"))
    assert result.exit_code == 1
    assert result.output.strip() == (f"Fehler: {bad}: indicators[0].flag: 'gut' ist kein zulässiger Wert "
                                     "(zulässig: 'ok', 'unsicher', 'unterdrueckt').")
    del document["commune"]
    result = run(str(synthetic[0]), str(write(bad, document)), "--ziel", str(tmp_path / "aus"))
    assert "Pflichtfeld »commune« fehlt auf oberster Ebene" in result.output


def test_missing_file_binary_file_and_duplicates(synthetic, tmp_path):
    result = run(str(synthetic[0]), str(tmp_path / "fehlt.json"), "--ziel", str(tmp_path / "aus"))
    assert result.exit_code == 1
    assert "fehlt.json: Die Profildatei wurde nicht gefunden." in result.output
    binary = tmp_path / "bild.json"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    assert "keine UTF-8-Textdatei" in run(str(synthetic[0]), str(binary), "--ziel", str(tmp_path / "a")).output
    result = run(str(synthetic[0]), str(synthetic[0]), "--ziel", str(tmp_path / "aus"))
    assert result.exit_code == 1
    assert "ist mit der Welle 2025 doppelt angegeben" in result.output
    assert "mindestens zwei Profile" in run(str(synthetic[0]), "--ziel", str(tmp_path / "aus")).output


@pytest.fixture(scope="module")
def sample_profiles(tmp_path_factory) -> list[Path]:
    """Profiles of the seven sample folders: five communes, two of them with a second wave (2027)."""
    from survey.folder import load_folder
    from survey.profile_builder import build_profile

    folder = tmp_path_factory.mktemp("profile")
    paths = []
    for slug in ("auenstadt", "auenstadt-2027", "wendelstadt", "wendelstadt-2027", "quellenthal", "eichenstedt",
                 "grenzbach"):
        document = build_profile(load_folder(SAMPLE / slug), created=dt.date(2027, 6, 1))
        paths.append(write(folder / f"{slug}.json", document))
    return paths


def test_sample_communes_show_change_over_time(sample_profiles, tmp_path):
    target = tmp_path / "aus"
    result = run(*map(str, sample_profiles), "--ziel", str(target))
    assert result.exit_code == 0, result.output
    assert "7 Profile von 5 Kommunen verglichen" in result.output
    assert "Veränderungen zwischen Wellen: Auenstadt, Wendelstadt." in result.output
    model = build_model(load_profiles(sample_profiles))
    for name in ("Auenstadt", "Wendelstadt"):
        changes = next(c for c in model.changes if c.name == name)
        night = next(c for c in changes.changes if c.indicator == "unsicher_nachts")
        assert (night.year_from, night.year_to) == (2025, 2027)
        assert night.difference < 0  # the 2027 waves were generated with less insecurity
    wb = openpyxl.load_workbook(target / "vergleich.xlsx")
    assert wb["Veränderungen"].max_row > 1 + 2 * 20
    text = pdf_text(target / "kommune_14599030.pdf")  # Wendelstadt
    assert "Veränderung 2025 → 2027" in text
    assert "Auenstadt" not in text and "Quellenthal" not in text
    flat = flat_text(text)
    assert "Korrektur für" in flat and "nach Holm" in flat  # the changes are adjusted within the commune
    # the same sheet in plain German: a nominal change that does not survive the adjustment is not "gesunken"
    night = next(c for c in model.changes_for("14599030").changes if c.indicator == "unsicher_nachts")
    if night.verdict.value == "hint":
        assert "dem Anschein nach gesunken" in flat and "kann ein solcher Wert Zufall sein" in flat


def flat_text(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u00ad", "").split())


def test_sample_communes_quellenthal_is_below_the_funnel_and_both_outputs_say_so(sample_profiles, tmp_path):
    target = tmp_path / "aus"
    assert run(*map(str, sample_profiles), "--ziel", str(target)).exit_code == 0
    with (target / "vergleich.csv").open(encoding="utf-8", newline="") as stream:
        rows = {(r["ags"], r["indicator"]): r for r in csv.DictReader(stream)}
    row = rows[("14599010", "unsicher_nachts")]
    assert row["name"] == "Quellenthal"
    assert row["funnel_95"] == "unter" and row["funnel_998"] == "unter"
    assert row["tau2_source"] == "too_few" and float(row["tau2"]) == 0.0  # five communes: sampling error alone
    assert row["flagged"] == "1" and float(row["p_adjusted"]) < 0.05
    assert float(row["estimate"]) == pytest.approx(0.203, abs=0.001)
    sheet = flat_text(pdf_text(target / "kommune_14599010.pdf"))
    assert "Quellenthal liegt deutlich unter dem Gesamtwert" in sheet
    assert "durch Zufall kaum zu erklären" in sheet
    assert "mit 4 weiteren Kommunen" in sheet and "mit 5 Kommunen" not in sheet
    assert "Quellenthal hat wahrscheinlich den niedrigsten Wert der 5 Kommunen" in sheet
    assert "mindestens 20 nötig" in sheet  # why the funnel shows sampling error alone
    report = flat_text(pdf_text(target / "vergleich.pdf"))
    assert "deutlich darunter Quellenthal (20,3 %)" in report
    assert "deutlich niedriger in Quellenthal (20,3 %)" in report
    html = (target / "vergleich.html").read_text(encoding="utf-8")
    assert re.search(r"<li>fühlt sich nachts in der Wohngegend unsicher \(Gesamtwert 34,0\u00a0%\): deutlich höher in "
                     r"[^<]*deutlich niedriger in Quellenthal \(20,3\u00a0%\)", html)
    assert "Schon durch Zufall lägen davon etwa" in report and "Benjamini-Hochberg" in report
    assert "kein Unterschied" not in sheet


def test_commune_names_in_labels_are_neutralised(synthetic):
    from survey.comparison.loading import neutral_label

    assert neutral_label("fühlt sich in Auenstadt insgesamt unsicher", "Auenstadt") == \
        "fühlt sich in der Gemeinde insgesamt unsicher"
