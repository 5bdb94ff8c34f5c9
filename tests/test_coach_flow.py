"""A new coach's first steps, run as the coach would: init → pruefen (templates unfilled) → fill the
templates → pruefen → gewichten → schaetzen; and the demo. Every message is German without ids, rule
keys, English words or hyphens for ranges (tests/text_scan.py, coach mode)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from text_scan import assert_readable, scan_context

from survey.cli import cli
from survey.questionnaire import load_questionnaire
from survey.resources import sample_data_dir

SAMPLE = "grenzbach"


@pytest.fixture(scope="module")
def coach_scan():
    return scan_context(load_questionnaire("sicherheitsanalyse-standard"), coach=True)


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="sicherheitsanalyse")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def init_like_sample(target: Path):
    sample = sample_data_dir() / SAMPLE
    return invoke("init", target, "--kommune", "Grenzbach", "--ags", "14599020", "--jahr", "2025",
                  "--ortsteil", "Grenzbach", "--ortsteil", "Oberau", "--ortsteil", "Zollhaus"), sample


def fill_templates(target: Path, sample: Path) -> None:
    """Type the sample's numbers into the init templates, row by row, as a coach would."""
    population = {(r["geschlecht"], r["altersgruppe"]): r["einwohner"] for r in _rows(sample / "population.csv")}
    rows = _rows(target / "population.csv")
    for row in rows:
        row["einwohner"] = population[(row["geschlecht"], row["altersgruppe"])]
    _write_rows(target / "population.csv", rows)
    strata = {r["ortsteil"]: r for r in _rows(sample / "strata.csv")}
    rows = _rows(target / "strata.csv")
    for row in rows:
        for column in ("einwohner_16plus", "brutto_stichprobe", "netto"):
            row[column] = strata[row["ortsteil"]][column]
    _write_rows(target / "strata.csv", rows)
    for name in ("responses_online.csv", "responses_papier.csv"):
        shutil.copy(sample / name, target / name)
    config = target / "analyse.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\nantworten: []\n" in text
    config.write_text(text.replace("\nantworten: []\n", "\nantworten: [responses_online.csv, responses_papier.csv]\n"),
                      encoding="utf-8")


def test_init_writes_templates_with_the_questionnaire_codes(tmp_path, coach_scan):
    result, _ = init_like_sample(tmp_path / "g")
    assert result.exit_code == 0, result.output
    assert_readable(result.output, coach_scan, where="init")
    folder = tmp_path / "g"
    assert (folder / "population.csv").read_text(encoding="utf-8").splitlines() == [
        "ags,geschlecht,altersgruppe,einwohner",
        *(f"14599020,{sex},{age}," for sex in (1, 2) for age in ("16-29", "30-44", "45-59", "60-74", "75+")),
    ]
    assert (folder / "strata.csv").read_text(encoding="utf-8").splitlines() == [
        "ortsteil,name,einwohner_16plus,brutto_stichprobe,netto", "1,Grenzbach,,,", "2,Oberau,,,", "3,Zollhaus,,,"]
    readme = (folder / "LIESMICH-pks.md").read_text(encoding="utf-8")
    assert "| `gebiet` |" in readme and "| `435*00` | Wohnungseinbruchdiebstahl |" in readme
    assert "14599020,Grenzbach,2024,------,Straftaten insgesamt," in readme
    assert_readable(readme, coach_scan, where="LIESMICH-pks.md")
    config = (folder / "analyse.yaml").read_text(encoding="utf-8")
    assert "\nantworten: []\n" in config and "responses.csv" not in config
    assert "Geschlecht 1 = männlich, 2 = weiblich" in config and "»divers«" in config
    assert "  population.csv   Vorlage: Einwohner ab 16 je Geschlecht und Altersgruppe eintragen" in result.output


def test_pruefen_on_fresh_templates_says_what_to_enter(tmp_path, coach_scan):
    init_like_sample(tmp_path / "g")
    result = invoke("pruefen", tmp_path / "g")
    assert result.exit_code == 1
    assert_readable(result.output, coach_scan, where="pruefen nach init")
    assert ("  analyse.yaml: In analyse.yaml sind unter »antworten« keine Antwortdateien eingetragen, und "
            "Online-Antworten (antworten.sqlite) gibt es nicht.") in result.output
    assert ("  population.csv: Die Datei enthält noch die leere Vorlage: die Spalte einwohner ist in allen 10 "
            "Zeilen leer. Bitte je Zeile die Zahl der Einwohnerinnen und Einwohner ab 16 Jahren") in result.output
    assert ("  strata.csv: Die Datei enthält noch die leere Vorlage: die Spalten einwohner_16plus und "
            "brutto_stichprobe sind in allen 3 Zeilen leer.") in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "g" / "ergebnis" / "pruefprotokoll.csv").exists()


def test_a_template_filled_in_part_names_the_empty_cell(tmp_path):
    result, sample = init_like_sample(tmp_path / "g")
    fill_templates(tmp_path / "g", sample)
    rows = _rows(tmp_path / "g" / "population.csv")
    rows[3]["einwohner"] = ""
    _write_rows(tmp_path / "g" / "population.csv", rows)
    result = invoke("pruefen", tmp_path / "g")
    assert result.exit_code == 1
    assert "population.csv, Zeile 5, Spalte einwohner: »« ist leer; erwartet wird eine Anzahl." in result.output
    assert "Vorlage" not in result.output


def test_filled_templates_weight_like_the_sample_commune(tmp_path, coach_scan):
    result, sample = init_like_sample(tmp_path / "g")
    fill_templates(tmp_path / "g", sample)
    checked = invoke("pruefen", tmp_path / "g")
    assert checked.exit_code == 0, checked.output
    assert_readable(checked.output, coach_scan, where="pruefen")
    weighted = invoke("gewichten", tmp_path / "g")
    assert weighted.exit_code == 0, weighted.output
    assert_readable(weighted.output, coach_scan, where="gewichten")
    for line in ("  Ortsteil Oberau: ", "  Geschlecht weiblich: ", "  Altersgruppe 16–29 Jahre: ",
                 "  Altersgruppe 75 Jahre und älter: "):
        assert line in weighted.output
    notes = [line for line in weighted.output.splitlines() if line.startswith("Geschlecht: ")]
    assert len(notes) == 1 and "ohne Angabe oder mit »divers«" in notes[0]
    assert "fehlt das Merkmal" not in weighted.output and "Randverteilung altersgruppe" not in weighted.output
    assert ("Hinweis: Die Bevölkerungszahlen nach Altersgruppe ergeben zusammen 2.929, die nach Ortsteil 2.927 "
            "(Abweichung 0,07\u00a0%, z. B. durch Geheimhaltung im Zensus); die Sollwerte nach Altersgruppe wurden "
            "anteilig auf 2.927 angepasst.") in weighted.output.splitlines()

    reference = tmp_path / "sample"
    shutil.copytree(sample, reference, ignore=shutil.ignore_patterns("ergebnis"))
    assert invoke("gewichten", reference).exit_code == 0
    assert ((tmp_path / "g" / "ergebnis" / "gewichte.csv").read_bytes()
            == (reference / "ergebnis" / "gewichte.csv").read_bytes())

    table = invoke("schaetzen", tmp_path / "g")
    assert table.exit_code == 0, table.output
    assert_readable(table.output, coach_scan, where="schaetzen")
    lines = table.output.splitlines()
    assert lines[1] == "fühlt sich nachts in der Wohngegend unsicher"
    assert lines[2].startswith("  gesamt ") and lines[3].startswith("  Geschlecht: männlich ")
    assert any(line.startswith("  Altersgruppe: 16–29 Jahre ") for line in lines)
    assert any(line.startswith("  Ortsteil: Zollhaus ") for line in lines)
    with_ids = invoke("schaetzen", tmp_path / "g", "--ids").output.splitlines()
    assert with_ids[1] == "fühlt sich nachts in der Wohngegend unsicher  [unsicher_nachts]"


def test_demo_folder_is_self_describing_and_names_the_files_to_open(tmp_path, coach_scan, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("demo", "--kommune", "quellenthal")
    assert result.exit_code == 0, result.output
    assert_readable(result.output, coach_scan, where="demo")
    target = tmp_path / "sicherheitsanalyse-demo"
    assert (target / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert "von »sicherheitsanalyse demo« angelegt" in (target / ".sicherheitsanalyse-demo").read_text(encoding="utf-8")
    opened = result.output.split("Zum Anschauen öffnen:\n", 1)[1].splitlines()
    assert opened[0] == f"  {target / 'ergebnis' / 'bericht.pdf'}  – der Lagebericht für Verwaltung und Gemeinderat"
    assert [line.split("  – ")[0].strip().rsplit("/", 1)[1] for line in opened[:4]] == [
        "bericht.pdf", "kurzbericht.pdf", "bericht.html", "tabellenband.xlsx"]
    again = invoke("demo", "--kommune", "quellenthal", "--ziel", tmp_path / "anders")
    assert again.exit_code == 0
    (tmp_path / "fremd").mkdir()
    (tmp_path / "fremd" / "wichtig.txt").write_text("x", encoding="utf-8")
    refused = invoke("demo", "--ziel", tmp_path / "fremd")
    assert refused.exit_code == 1 and "kein Demo-Ordner" in refused.output
    assert (tmp_path / "fremd" / "wichtig.txt").exists()
