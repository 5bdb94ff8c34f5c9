"""The same responses in every supported format give identical cleaned data (DESIGN.md §3)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from survey.errors import InputFileError
from survey.intake import read_raw, read_response_file
from survey.questionnaire import load_questionnaire

ORTSTEILE = {1: "Altstadt", 2: "Nord", 3: "Am Bahnhof", 4: "Eichwalde"}


@pytest.fixture(scope="module")
def standard():
    return load_questionnaire("sicherheitsanalyse-standard", kommune="Musterstadt", ortsteile=ORTSTEILE, jahr=2025)


@pytest.fixture(scope="module")
def source(musterstadt_dir: Path) -> Path:
    return musterstadt_dir / "responses.csv"


@pytest.fixture(scope="module")
def baseline(source, standard):
    return read_response_file(source, standard, jahr=2025)


def _data(result) -> pd.DataFrame:
    return result.data.drop(columns=["quelle"])


def _as_text(source: Path) -> pd.DataFrame:
    return pd.read_csv(source, dtype=str, keep_default_na=False)


def test_reference_file_is_read_completely(baseline, source):
    data = baseline.data
    raw = pd.read_csv(source)
    assert len(data) == 843 and data["resp_id"].is_unique
    assert baseline.protocol.valid
    assert baseline.protocol.values_set_missing == 0 and baseline.protocol.rows_dropped == 0
    for column in raw.columns.drop("resp_id"):
        np.testing.assert_array_equal(data[column].to_numpy(), raw[column].to_numpy(dtype=float), err_msg=column)
    assert (data["quelle"] == "responses.csv").all()


def test_cp1252_semicolon_csv_gives_identical_data(tmp_path, source, standard, baseline):
    frame = _as_text(source)
    frame.insert(len(frame.columns), "anmerkungen", "")
    frame.loc[0, "anmerkungen"] = "Straßenbeleuchtung am Bahnhof ist schlecht"
    target = tmp_path / "antworten_excel.csv"
    frame.to_csv(target, sep=";", index=False, encoding="cp1252")
    assert b"Stra\xdfenbeleuchtung" in target.read_bytes()
    result = read_response_file(target, standard, jahr=2025)
    expected = _data(baseline).copy()
    expected.loc[0, "anmerkungen"] = "Straßenbeleuchtung am Bahnhof ist schlecht"
    pd.testing.assert_frame_equal(_data(result), expected)
    assert result.protocol.files[0].format == "csv"


def test_utf8_bom_csv_gives_identical_data(tmp_path, source, standard, baseline):
    target = tmp_path / "bom.csv"
    target.write_bytes(b"\xef\xbb\xbf" + source.read_bytes().replace(b"\n", b"\r\n"))
    pd.testing.assert_frame_equal(_data(read_response_file(target, standard, jahr=2025)), _data(baseline))


def test_xlsx_gives_identical_data(tmp_path, source, standard, baseline):
    target = tmp_path / "antworten.xlsx"
    pd.read_csv(source, dtype={"resp_id": str}).to_excel(target, index=False, sheet_name="Antworten")
    result = read_response_file(target, standard, jahr=2025)
    pd.testing.assert_frame_equal(_data(result), _data(baseline))
    assert result.protocol.files[0].format == "xlsx"


def _write_sav(frame: pd.DataFrame, standard, target: Path, labels_override: dict | None = None) -> None:
    labels = {}
    for column in frame.columns:
        variable = standard.variable(column)
        if variable is not None and variable.all_codes:
            labels[column] = {float(code): label for code, label in variable.all_codes.items()}
    labels.update(labels_override or {})
    pyreadstat.write_sav(frame, str(target), variable_value_labels=labels)


def test_sav_with_value_labels_gives_identical_data(tmp_path, source, standard, baseline):
    target = tmp_path / "antworten.sav"
    _write_sav(pd.read_csv(source, dtype={"resp_id": str}), standard, target)
    raw = read_raw(target)
    assert raw.value_labels["sicher_nacht"][4] == "sehr unsicher"
    result = read_response_file(target, standard, jahr=2025)
    pd.testing.assert_frame_equal(_data(result), _data(baseline))
    assert "wertelabel-abweichend" not in result.protocol.counts


def test_sav_value_labels_are_cross_checked(tmp_path, source, standard):
    target = tmp_path / "labels.sav"
    frame = pd.read_csv(source, dtype={"resp_id": str}).head(5)
    _write_sav(frame, standard, target, {"sicher_nacht": {1.0: "sehr sicher", 4.0: "sehr sicher"}})
    result = read_response_file(target, standard, jahr=2025)
    [finding] = result.protocol.by_code("wertelabel-abweichend")
    assert (finding.item, finding.value) == ("sicher_nacht", "4")
    assert finding.message == "Code 4 von »sicher_nacht« heißt in der Datei »sehr sicher«, im Fragebogen »sehr unsicher«."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("muell.csv", bytes(range(256)) * 4, "Die Datei ist keine Textdatei (sie enthält Binärdaten)."),
        ("leer.csv", b"", "Die Datei ist leer."),
        ("kaputt.csv", b"resp_id,a\nR1,\x81\x8d\x90\n", "weder als UTF-8 noch als Windows-1252 lesbar"),
        ("antworten.ods", b"resp_id\n", "Unbekanntes Dateiformat ».ods«"),
        ("kaputt.xlsx", b"PK\x03\x04 not really a zip", "Die Excel-Datei kann nicht gelesen werden"),
        ("kaputt.sav", b"$FL2 not really spss" * 10, "Die SPSS-Datei kann nicht gelesen werden"),
        ("zuviel.csv", b"resp_id,a\nR1,1,2\n", "Zeile 2: Die Zeile hat 3 Felder, die Kopfzeile aber nur 2."),
        ("steuer.csv", b"resp_id,a\nR1,\x07\n", "Zeile 2: Die Datei enthält das Steuerzeichen U+0007"),
    ],
)
def test_unreadable_files_raise_a_german_input_file_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError) as error:
        read_raw(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(InputFileError, match="existiert nicht"):
        read_raw(tmp_path / "fehlt.csv")


def test_quoted_multiline_fields_keep_the_start_line(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('resp_id,anmerkungen\nR1,"zwei\nZeilen"\nR2,x\n', encoding="utf-8")
    table = read_raw(path)
    assert table.lines == [2, 4]
    assert table.rows[0] == ["R1", "zwei\nZeilen"]
    assert os.path.basename(table.path) == "multi.csv"


def test_a_sprache_column_is_read_normalised_and_unknown_languages_become_missing(tmp_path, source, standard):
    table = _as_text(source).head(4)
    table["sprache"] = ["PL", "de_ls", "klingonisch", ""]
    path = tmp_path / "mit_sprache.csv"
    table.to_csv(path, index=False)
    result = read_response_file(path, standard, jahr=2025)
    assert list(result.data["sprache"]) == ["pl", "de-LS", None, None]
    unknown = [finding for finding in result.protocol.findings if finding.rule.code == "sprache-unbekannt"]
    assert len(unknown) == 1 and unknown[0].line == 4
    assert unknown[0].message == ("»klingonisch« in der Spalte »sprache« ist keine Sprache des Werkzeugs (möglich: "
                                  "de, de-LS, en, pl, cs, tr, ru, uk, ar); die Sprache gilt als unbekannt.")
    without = read_response_file(source, standard, jahr=2025)
    assert without.data["sprache"].isna().all()
