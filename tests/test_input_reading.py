"""Reading inputs right (issue 10): one number rule, mixed encodings, UTF-16, the safe YAML and JSON
loaders, input limits, and output cells that cannot run as formulas in a spreadsheet."""

from __future__ import annotations

import csv
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from survey.cli import cli
from survey.errors import InputFileError, UserError
from survey.folder import load_folder
from survey.intake import load_responses
from survey.numbers import NumberFormatError, decimal_point_evidence, parse_count
from survey.resources import sample_data_dir
from survey.safe_cells import csv_cell, is_formula_like, neutralise, save_workbook
from survey.yamlfile import read_yaml


def copy_commune(name: str, target: Path) -> Path:
    folder = target / name
    shutil.copytree(sample_data_dir() / name, folder, ignore=shutil.ignore_patterns("ergebnis", "__pycache__"))
    return folder


def weights_of(folder: Path) -> bytes:
    result = CliRunner().invoke(cli, ["gewichten", str(folder)])
    assert result.exit_code == 0, result.output
    return (folder / "ergebnis" / "gewichte.csv").read_bytes()


# -------------------------------------------------------------------------------------- number rule


@pytest.mark.parametrize(("text", "number"), [
    ("5200", 5200), ("5200.0", 5200), ("5200.00", 5200), ("5.200", 5200), ("12.345.678", 12345678),
    ("5 200", 5200), ("5\u00a0200", 5200), ("5\u202f200", 5200), ("5\u2009200", 5200), ("5200,00", 5200),
    ("5.200,00", 5200), (" 007 ", 7), ("0", 0), ("999999999999", 999_999_999_999),
])
def test_whole_counts_accepted(text, number):
    assert parse_count(text) == number


@pytest.mark.parametrize(("text", "reason"), [
    ("5.2", "ist keine ganze Zahl"), ("5,5", "ist keine ganze Zahl"), ("5200.5", "ist keine ganze Zahl"),
    ("1e3", "ist in Exponentialschreibweise"), ("-600", "ist negativ"), ("\u2212600", "ist negativ"),
    ("5,200", "ist mehrdeutig"), ("5,000", "ist mehrdeutig"), ("+5", "ist keine ganze Zahl"),
    ("viele", "ist keine ganze Zahl"), ("", "ist leer"), ("1000000000000", "hat mehr als 12 Stellen"),
    ("1" * 5000, "ist zu lang für eine Anzahl"), ("5.20", "ist keine ganze Zahl"), ("5 2000", "ist keine ganze Zahl"),
])
def test_everything_else_is_refused(text, reason):
    with pytest.raises(NumberFormatError) as info:
        parse_count(text)
    assert info.value.reason.startswith(reason)


def test_thousands_dot_is_ambiguous_only_in_a_column_with_decimal_points():
    column = [(2, "10028.0"), (3, "4.680"), (4, "12.345.678")]
    evidence = decimal_point_evidence(column)
    assert evidence == (2, "10028.0")
    with pytest.raises(NumberFormatError, match=r"mehrdeutig: .*\(Zeile 2: »10028.0«\), »4.680« könnte also 4680 "
                                                r"oder 4,68 bedeuten"):
        parse_count("4.680", decimal_point=evidence)
    assert parse_count("12.345.678", decimal_point=evidence) == 12345678  # two dots: never a decimal
    assert decimal_point_evidence([(2, "5.200"), (3, "5200")]) is None


@pytest.mark.parametrize("commune", ["grenzbach", "wendelstadt"])
def test_counts_written_as_floats_or_german_give_identical_weights(commune, tmp_path):
    """The issue's first reproduction: »5200.0« was read as 52000. Every accepted spelling gives the same
    weights as the integers, byte for byte."""
    plain = weights_of(copy_commune(commune, tmp_path / "ganz"))
    spellings = {"float": lambda n: f"{float(n)!r}", "punkt": lambda n: f"{n:,}".replace(",", "."),
                 "leerzeichen": lambda n: f"{n:,}".replace(",", "\u00a0"), "excel": lambda n: f"{n},00"}
    for name, spell in spellings.items():
        folder = copy_commune(commune, tmp_path / name)
        for file, columns in (("population.csv", ["einwohner"]),
                              ("strata.csv", ["einwohner_16plus", "brutto_stichprobe", "netto"])):
            frame = pd.read_csv(folder / file, dtype=str)
            for column in columns:
                frame[column] = frame[column].map(lambda text: spell(int(text)))
            frame.to_csv(folder / file, index=False, sep=";")
        assert weights_of(folder) == plain, name


def test_population_of_parts_of_the_commune_is_accepted(tmp_path):
    """population.csv may be given per Gemeindeteil: the commune's AGS followed by its part number."""
    plain = weights_of(copy_commune("quellenthal", tmp_path / "a"))
    folder = copy_commune("quellenthal", tmp_path / "b")
    frame = pd.read_csv(folder / "population.csv", dtype=str)
    halves = frame.copy()
    frame["ags"] = frame["ags"] + "001"
    halves["ags"] = halves["ags"] + "002"
    halves["einwohner"] = "0"
    pd.concat([frame, halves]).to_csv(folder / "population.csv", index=False)
    assert CliRunner().invoke(cli, ["gewichten", str(folder)]).exit_code == 1  # same cell twice → refused
    frame["ortsteilnr"] = "1"
    halves["ortsteilnr"] = "2"
    pd.concat([frame, halves]).to_csv(folder / "population.csv", index=False)
    assert weights_of(folder) == plain


def test_netto_different_from_respondents_is_a_warning(tmp_path):
    folder = copy_commune("eichenstedt", tmp_path)
    strata = pd.read_csv(folder / "strata.csv", dtype=str)
    strata.loc[0, "netto"] = "110"  # 105 respondents in Stadtmitte
    strata.to_csv(folder / "strata.csv", index=False)
    result = CliRunner().invoke(cli, ["pruefen", str(folder)])
    assert result.exit_code == 0, result.output
    with open(folder / "ergebnis" / "pruefprotokoll.csv", encoding="utf-8-sig", newline="") as stream:
        rows = [row for row in csv.DictReader(stream, delimiter=";") if row["regel"] == "schicht-netto-abweichend"]
    assert rows == [{
        "datei": "strata.csv", "zeile": "2", "resp_id": "", "item": "netto", "wert": "110",
        "regel": "schicht-netto-abweichend", "aktion": "Warnung",
        "meldung": "Schicht 1 (Stadtmitte): netto 110 laut Schichtdatei, aber 105 Befragte in den Antwortdaten. "
                   "Gerechnet wird mit den 105 Befragten; bitte prüfen, ob eine Antwortdatei fehlt oder netto "
                   "veraltet ist.",
    }]


# ---------------------------------------------------------------------------------------- encodings


def _loaded(folder: Path):
    loaded = load_folder(folder)
    return load_responses(loaded, loaded.questionnaire)


def test_mixed_utf8_and_cp1252_lines_are_decoded_line_by_line(tmp_path):
    folder = copy_commune("eichenstedt", tmp_path)
    path = folder / "responses_papier.csv"
    original = _loaded(folder).data.set_index("resp_id")
    lines = path.read_text(encoding="utf-8").split("\n")
    umlaut_lines = [number for number, line in enumerate(lines, start=1) if not line.isascii()]
    legacy = set(umlaut_lines[::2])  # every other line with umlauts comes from an old Windows program
    path.write_bytes(b"\n".join(line.encode("cp1252" if number in legacy else "utf-8")
                                for number, line in enumerate(lines, start=1)))
    result = _loaded(folder)
    data = result.data.set_index("resp_id")
    for column in ("problem_sonstiges", "angstraum_ort", "wuensche", "anmerkungen"):
        pd.testing.assert_series_equal(data[column], original[column])
    assert not data["anmerkungen"].dropna().str.contains("Ã").any()
    [finding] = result.protocol.by_code("kodierung-gemischt")
    shown = ", ".join(str(n) for n in sorted(legacy)[:10])
    assert finding.file == "responses_papier.csv" and finding.line == min(legacy)
    assert finding.message.startswith(f"Die Datei ist UTF-8, aber die Zeilen {shown} und {len(legacy) - 10} "
                                      "weitere sind Windows-1252;")


def test_pure_cp1252_file_has_no_mixed_finding(tmp_path):
    folder = copy_commune("eichenstedt", tmp_path)
    path = folder / "responses_papier.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    result = _loaded(folder)
    assert not result.protocol.by_code("kodierung-gemischt")
    assert result.protocol.files[1].records_kept == 301


def test_excel_unicode_text_utf16_is_read(tmp_path):
    folder = copy_commune("eichenstedt", tmp_path)
    original = _loaded(folder).data
    path = folder / "responses_papier.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    text = frame.to_csv(sep="\t", index=False, lineterminator="\r\n")
    (folder / "responses_papier.txt").write_bytes(text.encode("utf-16"))  # BOM + UTF-16-LE, as Excel writes
    path.unlink()
    analyse = folder / "analyse.yaml"
    analyse.write_text(analyse.read_text(encoding="utf-8").replace("responses_papier.csv", "responses_papier.txt"),
                       encoding="utf-8")
    data = _loaded(folder).data
    pd.testing.assert_frame_equal(data.drop(columns="quelle"), original.drop(columns="quelle"))


# ------------------------------------------------------------------------------------------- limits


def test_row_and_column_limits_are_german_errors(tmp_path, monkeypatch):
    import survey.intake.raw as raw
    import survey.intake.readers as readers
    import survey.intake.workbooks as workbooks
    from survey.intake.readers import read_raw

    path = tmp_path / "viele.csv"
    path.write_text("resp_id,a\n" + "".join(f"R{i},1\n" for i in range(20)), encoding="utf-8")
    monkeypatch.setattr(readers, "MAX_ROWS", 10)
    with pytest.raises(InputFileError, match="viele.csv, Zeile 12: Die Datei hat mehr als 10 Datenzeilen"):
        read_raw(path)
    monkeypatch.setattr(raw, "MAX_COLUMNS", 1)
    monkeypatch.setattr(readers, "MAX_ROWS", 100)
    with pytest.raises(InputFileError, match="viele.csv, Zeile 1: Die Kopfzeile hat 2 Spalten; erlaubt sind "
                                             "höchstens 1."):
        read_raw(path)
    workbook = tmp_path / "viele.xlsx"
    pd.read_csv(path).to_excel(workbook, index=False)
    monkeypatch.setattr(workbooks, "MAX_ROWS", 10)
    with pytest.raises(InputFileError, match="viele.xlsx: Das Tabellenblatt »Sheet1« hat mehr als 10 Zeilen"):
        read_raw(workbook)


def test_sav_limits_are_checked_before_the_data_are_read(tmp_path, monkeypatch):
    import pyreadstat

    import survey.intake.workbooks as workbooks
    from survey.intake.readers import read_raw

    path = tmp_path / "antworten.sav"
    pyreadstat.write_sav(pd.DataFrame({"resp_id": ["A", "B", "C"], "sicher_nacht": [1.0, 2.0, 3.0]}), str(path))
    assert read_raw(path).rows == [["A", "1"], ["B", "2"], ["C", "3"]]
    monkeypatch.setattr(workbooks, "MAX_ROWS", 2)
    with pytest.raises(InputFileError, match="antworten.sav: Die SPSS-Datei hat 3 Fälle; erlaubt sind höchstens 2."):
        read_raw(path)


# --------------------------------------------------------------------------------------------- YAML


def _yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "datei.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "message"), [
    ("a:\n  b: 1\n  c: 2\n  b: 3\n", "datei.yaml, Zeile 4: Der Schlüssel »b« steht doppelt (Zeile 2 und Zeile 4)"),
    ("ortsteile: {1: Nord, '1': Süd}\n", "Zeile 1: Der Schlüssel »1« steht doppelt"),
    ("a: &x [1, 2]\nb: *x\n", "datei.yaml, Zeile 2: Verweise (YAML-Alias »*x«) sind nicht erlaubt"),
    ("a: !!set {x}\n", "Der YAML-Typ »!!set« ist nicht erlaubt"),
    ("a: !eigen 1\n", "Der YAML-Typ »!eigen« ist nicht erlaubt"),
    ("basis: &b {x: 1}\na:\n  <<: {y: 2}\n", "Zeile 3: Die YAML-Zusammenführung »<<« ist nicht erlaubt"),
    ("? [1, 2]\n: x\n", "Ein Schlüssel muss ein einfacher Text oder eine Zahl sein"),
    ("x: " + "1" * 4301 + "\n", "Die Zahl hat 4.301 Zeichen; erlaubt sind höchstens 100."),
    ("x: 1." + "5" * 200 + "\n", "Die Zahl hat 202 Zeichen"),
])
def test_yaml_loader_refuses(tmp_path, text, message):
    with pytest.raises(UserError) as info:
        read_yaml(_yaml(tmp_path, text))
    assert message in str(info.value)


def test_yaml_loader_keeps_plain_documents_and_lines(tmp_path):
    document = read_yaml(_yaml(tmp_path, "a: &unbenutzt 1\nb: !!str 0123\nc:\n  - {d: 2}\n"))
    assert document.data == {"a": 1, "b": "0123", "c": [{"d": 2}]}
    assert document.line_of(("c", 0, "d")) == 4


def test_deep_yaml_stops_in_bounded_time(tmp_path):
    path = _yaml(tmp_path, "a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    started = time.perf_counter()
    with pytest.raises(UserError, match="mehr als 50 Ebenen"):
        read_yaml(path)
    assert time.perf_counter() - started < 5


# --------------------------------------------------------------------------------------------- JSON


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Path:
    folder = copy_commune("eichenstedt", tmp_path_factory.mktemp("profil"))
    result = CliRunner().invoke(cli, ["analysieren", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


BAD_PROFILES = [
    ("kaputt", lambda text: text[:-200], "ist kein gültiges JSON (Syntaxfehler in Spalte"),
    ("riesenzahl", lambda text: text.replace('"net":', f'"net":{"9" * 5000},"x":', 1),
     "enthält eine Zahl mit 5.000 Zeichen; erlaubt sind höchstens 100"),
    ("tief", lambda text: text[:-2] + ',"tief":' + "[" * 5000 + "]" * 5000 + "}\n",
     "ist zu tief verschachtelt (höchstens 64 Ebenen)"),
    ("tief-flach", lambda text: text[:-2] + ',"tief":' + "[" * 100 + "]" * 100 + "}\n",
     "ist zu tief verschachtelt (höchstens 64 Ebenen)"),
]


@pytest.mark.parametrize(("name", "mutate", "message"), BAD_PROFILES, ids=[b[0] for b in BAD_PROFILES])
def test_broken_profile_is_refused_by_bericht_and_vergleich(analysed, tmp_path, name, mutate, message):
    folder = tmp_path / "kommune"
    shutil.copytree(analysed, folder)
    profile = folder / "ergebnis" / "profil.json"
    profile.write_text(mutate(profile.read_text(encoding="utf-8")), encoding="utf-8")
    before = sorted(p.name for p in (folder / "ergebnis").iterdir())
    result = CliRunner().invoke(cli, ["bericht", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Das Sicherheitsprofil ist nicht lesbar ({profile}" in result.output and message in result.output
    assert sorted(p.name for p in (folder / "ergebnis").iterdir()) == before
    result = CliRunner().invoke(cli, ["vergleich", str(analysed / "ergebnis" / "profil.json"), str(profile),
                                      "--ziel", str(tmp_path / "vergleich")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Fehler: {profile}" in result.output and message in result.output
    assert not (tmp_path / "vergleich").exists()


def test_oversized_profile_is_refused_before_reading(analysed, tmp_path, monkeypatch):
    import survey.jsonfile

    monkeypatch.setattr(survey.jsonfile, "MAX_JSON_BYTES", 1000)
    result = CliRunner().invoke(cli, ["vergleich", str(analysed / "ergebnis" / "profil.json"),
                                      str(analysed / "ergebnis" / "profil.json"), "--ziel", str(tmp_path / "v")])
    assert result.exit_code == 1
    assert "Profildateien dürfen höchstens 1.000 Byte groß sein." in result.output


# ------------------------------------------------------------------------------------ formula cells


def test_formula_like_cells_are_neutralised_but_numbers_stay_numbers():
    assert [neutralise(t) for t in ("=1+1", "+49 351", "-1+2", "@SUM(1)", "\tx", "\rx", "-5", "-0,5", "+3",
                                    "Text", "")] == \
        ["'=1+1", "'+49 351", "'-1+2", "'@SUM(1)", "'\tx", "'\rx", "-5", "-0,5", "+3", "Text", ""]
    assert [csv_cell(v) for v in (-0.5, 12.25, 3, None, "=A1")] == ["-0,5", "12,25", "3", "", "'=A1"]


def test_formula_injection_in_responses_is_neutralised_in_pruefprotokoll(tmp_path):
    folder = copy_commune("eichenstedt", tmp_path)
    path = folder / "responses_papier.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "sicher_nacht"] = "=1+1"
    frame.loc[1, "resp_id"] = "@SUM(1)"
    frame.loc[1, "sorge_einbruch"] = "-7"
    frame.loc[2, "wohndauer"] = "+cmd|' /C calc'!A0"
    frame.to_csv(path, index=False)
    result = CliRunner().invoke(cli, ["pruefen", str(folder)])
    assert result.exit_code == 0, result.output
    raw = (folder / "ergebnis" / "pruefprotokoll.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdatei;zeile;resp_id;item;wert;regel;aktion;meldung\r\n")
    with open(folder / "ergebnis" / "pruefprotokoll.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    cells = [value for row in rows for value in row.values()]
    assert not [cell for cell in cells if is_formula_like(cell)]
    found = {(row["resp_id"], row["item"], row["wert"]) for row in rows}
    assert ("PA-0001", "sicher_nacht", "'=1+1") in found
    assert ("'@SUM(1)", "sorge_einbruch", "-7") in found  # a number as written stays as it is
    assert ("PA-0003", "wohndauer", "'+cmd|' /C calc'!A0") in found


def test_workbook_texts_never_become_formulas_even_in_libreoffice(tmp_path):
    from openpyxl import Workbook, load_workbook

    workbook = Workbook()
    workbook.active.append(["=1+1", "@SUM(1)", -3, "Text", "-2+3"])
    path = save_workbook(workbook, tmp_path / "tabelle.xlsx")
    cells = list(load_workbook(path).active.iter_rows())[0]
    assert [(c.value, c.data_type, bool(c.quotePrefix)) for c in cells] == [
        ("=1+1", "s", True), ("@SUM(1)", "s", True), (-3, "n", False), ("Text", "s", False), ("-2+3", "s", True)]
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "csv",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=120)
    assert (tmp_path / "tabelle.csv").read_text(encoding="utf-8").strip() == "=1+1,@SUM(1),-3,Text,-2+3"


def test_codebook_of_a_questionnaire_with_formula_labels(tmp_path):
    from openpyxl import load_workbook

    from survey.questionnaire import resolve_questionnaire_path

    source = resolve_questionnaire_path("sicherheitsanalyse-standard").read_text(encoding="utf-8")
    path = tmp_path / "fragebogen.yaml"
    path.write_text(source.replace("text: Seit wie vielen Jahren", "text: =1+1 Seit wie vielen Jahren", 1)
                    .replace("text: Wie gern wohnen Sie in Ihrer Wohngegend?",
                             "text: '@SUM(1) Wie gern wohnen Sie in Ihrer Wohngegend?'", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["fragebogen", "codebuch", str(path), "--ziel", str(tmp_path / "cb")])
    assert result.exit_code == 0, result.output
    [xlsx] = (tmp_path / "cb").glob("*.xlsx")
    texts = [(c.value, c.data_type, c.quotePrefix) for sheet in load_workbook(xlsx).worksheets
             for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=@"]
    assert [value for value, _, _ in texts] == ["=1+1 Seit wie vielen Jahren wohnen Sie in {kommune}?",
                                                "@SUM(1) Wie gern wohnen Sie in Ihrer Wohngegend?"]
    assert all(kind == "s" and quoted for _, kind, quoted in texts)


def test_gewichte_csv_is_german_excel(tmp_path):
    folder = copy_commune("eichenstedt", tmp_path)
    raw = weights_of(folder)
    assert raw.startswith(b"\xef\xbb\xbfresp_id;designgewicht;gewicht\r\n")
    weights = pd.read_csv(folder / "ergebnis" / "gewichte.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert weights["gewicht"].dtype == float and len(weights) == 374
    assert weights["gewicht"].sum() == pytest.approx(33427, rel=1e-6)  # Σ einwohner_16plus of strata.csv


def test_mixed_encoding_in_strata_is_read_right_and_reported(tmp_path):
    from survey.intake.folder_files import read_strata

    path = tmp_path / "strata.csv"
    lines = ["ortsteil,name,einwohner_16plus,brutto_stichprobe", "1,Stadtmitte-Süd,10028,327",
             "2,Rödelsdorf,3343,120"]
    path.write_bytes("\n".join(lines[:2]).encode("utf-8") + b"\n" + lines[2].encode("cp1252") + b"\n")
    strata, findings = read_strata(path)
    assert list(strata.frame["name"]) == ["Stadtmitte-Süd", "Rödelsdorf"]
    assert list(strata.frame["einwohner_16plus"]) == [10028, 3343] and strata.frame["netto"].isna().all()
    [finding] = findings
    assert (finding.code, finding.file, finding.line) == ("kodierung-gemischt", "strata.csv", 3)


def test_streamed_workbook_cells_keep_formula_like_text_as_text(tmp_path):
    """The comparison workbook is written in openpyxl's write-only mode; its cells are protected on creation."""
    from openpyxl import Workbook, load_workbook

    from survey.safe_cells import save_workbook, write_only_cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Werte")
    sheet.append([write_only_cell(sheet, "=1+1"), write_only_cell(sheet, "@SUM(1)"), -0.5, "Text"])
    save_workbook(workbook, tmp_path / "w.xlsx")
    cells = next(load_workbook(tmp_path / "w.xlsx").active.iter_rows())
    assert [c.value for c in cells] == ["=1+1", "@SUM(1)", -0.5, "Text"]
    assert [c.data_type for c in cells] == ["s", "s", "n", "s"]
    assert [bool(c.quotePrefix) for c in cells[:2]] == [True, True]
