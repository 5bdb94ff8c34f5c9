"""PKS import: long CSV (DESIGN.md §3), BKA Kreis table, wildcards, German error messages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from survey.errors import InputFileError
from survey.numbers import COUNT_RULE
from survey.pks import read_bka_kreis_table, read_pks, select_keys

DATA = Path(__file__).parent / "data" / "pks"
GOOD = DATA / "pks_musterstadt.csv"
XLSX = DATA / "kr_f_01_t01_2023.xlsx"
HEADER = "gebiet,gebiet_name,jahr,schluessel,straftat,faelle,aufgeklaert,einwohner"


def _write(tmp_path: Path, *lines: str, name: str = "pks.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_reads_long_csv_with_string_keys():
    table = read_pks(GOOD)
    frame = table.frame
    assert len(frame) == 91
    assert table.areas == ("14", "14599001", "14628")
    assert table.years == (2019, 2020, 2021, 2022, 2023)
    row = frame.loc[(frame.gebiet == "14599001") & (frame.jahr == 2019) & (frame.schluessel == "------")].iloc[0]
    # values as written in line 2 of the file
    assert (row.faelle, row.aufgeklaert, row.einwohner, row.tatverdaechtige, row.zeile) == (878, 509, 14120, 407, 2)
    assert frame["schluessel"].map(type).eq(str).all()
    assert str(frame["aufgeklaert"].dtype) == "Int64"


def test_cp1252_semicolon_and_leading_zeros(tmp_path):
    path = _write(
        tmp_path,
        HEADER.replace(",", ";"),
        "14599001;Musterstadt;2023;------;Straftaten insgesamt;1.234;600;13.790",
        "14599001;Musterstadt;2023;010000;Straftaten gegen das Leben;3;3;13.790",
        "14599001;Musterstadt;2023;674000;Sachbeschädigung;120;;13.790",
        encoding="cp1252",
    )
    frame = read_pks(path).frame
    assert list(frame["schluessel"]) == ["------", "010000", "674000"]
    assert list(frame["faelle"]) == [1234, 3, 120]
    assert frame["straftat"].iloc[2] == "Sachbeschädigung"
    assert frame["aufgeklaert"].isna().iloc[2]
    assert (frame["einwohner"] == 13790).all()


BAD_CASES = [
    ("missing_column", [HEADER.replace(",aufgeklaert", ""), "14599001,M,2023,------,x,10,13790"],
     "Zeile 1: Es fehlen die Spalten »aufgeklaert«; erwartet werden "
     "gebiet,gebiet_name,jahr,schluessel,straftat,faelle,aufgeklaert,einwohner[,tatverdaechtige]."),
    ("text_in_count", [HEADER, "14599001,M,2023,------,x,10,5,13790", "14599001,M,2023,674000,x,viele,5,13790"],
     "Zeile 3: Spalte »faelle«: »viele« ist keine ganze Zahl. " + COUNT_RULE),
    ("negative", [HEADER, "14599001,M,2023,674000,x,-4,0,13790"],
     "Zeile 2: Spalte »faelle«: »-4« ist negativ; erwartet wird eine Anzahl (0 oder größer). " + COUNT_RULE),
    ("cleared_gt_cases", [HEADER, "14599001,M,2023,674000,x,4,5,13790"],
     "Zeile 2: Mehr aufgeklärte Fälle (5) als erfasste Fälle (4) für Schlüssel 674000."),
    ("population_zero", [HEADER, "14599001,M,2023,674000,x,4,2,0"],
     "Zeile 2: Spalte »einwohner«: die Einwohnerzahl ist 0; erwartet wird eine Zahl größer als 0."),
    ("population_missing", [HEADER, "14599001,M,2023,674000,x,4,2,"],
     "Zeile 2: Spalte »einwohner« ist leer; erwartet wird eine Anzahl."),
    ("without_gt_total", [HEADER, "14599001,M,2023,------,x,100,50,13790", "14599001,M,2023,890000,x,101,50,13790"],
     "Zeile 3: Schlüssel 890000 (ohne ausländerrechtliche Verstöße) hat mehr Fälle (101) als die Straftaten "
     "insgesamt »------« (100, Zeile 2) für Gebiet 14599001, Jahr 2023."),
    ("duplicate", [HEADER, "14599001,M,2023,674000,x,4,2,13790", "", "14599001,M,2023,674000,x,5,2,13790"],
     "Zeile 4: Doppelte Zeile: Gebiet 14599001, Jahr 2023, Schlüssel 674000 steht schon in Zeile 2."),
    ("short_key", [HEADER, "14599001,M,2023,10000,x,4,2,13790"],
     "Zeile 2: Spalte »schluessel«: »10000« hat nur 5 Stellen; PKS-Schlüssel haben 6 Zeichen. Wurden führende "
     "Nullen entfernt? Die Spalte in Excel als Text formatieren."),
    ("malformed_key", [HEADER, "14599001,M,2023,67A000,x,4,2,13790"],
     "Zeile 2: Spalte »schluessel«: »67A000« ist kein PKS-Schlüssel (6 Zeichen aus Ziffern und *, oder ------)."),
    ("year", [HEADER, "14599001,M,23,674000,x,4,2,13790"],
     "Zeile 2: Spalte »jahr«: »23« ist keine vierstellige Jahreszahl."),
    ("population_differs", [HEADER, "14599001,M,2023,674000,x,4,2,13790", "14599001,M,2023,224000,x,4,2,13791"],
     "Zeile 3: Einwohnerzahl 13791 für Gebiet 14599001, Jahr 2023 weicht von 13790 in Zeile 2 ab; je Gebiet "
     "und Jahr gilt eine Einwohnerzahl."),
    ("area", [HEADER, "Sachsen,M,2023,674000,x,4,2,13790"],
     "Zeile 2: Spalte »gebiet«: »Sachsen« ist kein Gebietsschlüssel (AGS aus Ziffern, z. B. 14626 oder 14 für "
     "Sachsen)."),
    ("field_count", [HEADER, "14599001,M,2023,674000,x,4,2"],
     "Zeile 2: Die Zeile hat 7 Felder, die Kopfzeile 8."),
]


@pytest.mark.parametrize("lines,expected", [case[1:] for case in BAD_CASES], ids=[c[0] for c in BAD_CASES])
def test_bad_files_raise_german_message_with_file_and_line(tmp_path, lines, expected):
    path = _write(tmp_path, *lines)
    with pytest.raises(InputFileError) as info:
        read_pks(path)
    assert str(info.value) == f"{path}, {expected}"


def test_empty_and_missing_file(tmp_path):
    empty = _write(tmp_path, HEADER, name="leer.csv")
    with pytest.raises(InputFileError, match="leer.csv: Die Datei enthält keine Datenzeilen."):
        read_pks(empty)
    with pytest.raises(InputFileError, match="Die PKS-Datei kann nicht gelesen werden"):
        read_pks(tmp_path / "fehlt.csv")


def test_cli_boundary_turns_pks_error_into_exit_1(tmp_path):
    """InputFileError is a UserError: the CLI group prints »Fehler: …« and exits 1."""
    import click
    from click.testing import CliRunner

    from survey.cli import SafeGroup

    path = _write(tmp_path, HEADER, "14599001,M,2023,674000,x,-4,0,13790")

    @click.group(cls=SafeGroup)
    def group() -> None:
        pass

    @group.command()
    def lesen() -> None:
        read_pks(path)

    result = CliRunner().invoke(group, ["lesen"])
    assert result.exit_code == 1
    assert f"Fehler: {path}, Zeile 2: Spalte »faelle«: »-4« ist negativ" in result.output


def test_wildcards_select_keys():
    frame = pd.DataFrame({"schluessel": ["------", "435*00", "435100", "435200", "436100", "***300", "435300",
                                         "674300", "326100", "674000", "890000"]})
    assert list(select_keys(frame, "435*00")["schluessel"]) == ["435*00", "435100", "435200", "435300"]
    # leading * = theft (3 or 4): 674300 is not a bicycle theft
    assert list(select_keys(frame, "***300")["schluessel"]) == ["***300", "435300"]
    assert list(select_keys(frame, "***300", theft_wildcard=False)["schluessel"]) == ["***300", "435300",
                                                                                       "674300"]
    assert list(select_keys(frame, "------")["schluessel"]) == ["------"]
    assert list(select_keys(frame, "****00")["schluessel"]) == ["435*00", "435100", "435200", "436100",
                                                                 "***300", "435300", "326100"]


def test_table_select_uses_wildcards():
    table = read_pks(GOOD)
    rows = table.select("435*00")
    assert set(rows["schluessel"]) == {"435*00"} and len(rows) == 7


def test_bka_kreis_table_import():
    table = read_bka_kreis_table(XLSX, 2023)
    frame = table.frame
    assert table.areas == ("01001", "14627", "14628")  # 1001 stored as a number, padded to 5
    assert set(frame["jahr"]) == {2023}
    assert "010000" in set(frame["schluessel"])  # key stored as the number 10000
    sso = frame.loc[frame.gebiet == "14628"].set_index("schluessel")
    assert sso.loc["------", "faelle"] == 19158 and sso.loc["------", "aufgeklaert"] == 14707
    assert sso.loc["890000", "faelle"] == 10421 and sso.loc["725000", "faelle"] == 8737
    assert sso.loc["------", "gebiet_name"] == "Sächsische Schweiz-Osterzgebirge"
    assert sso.loc["------", "zeile"] == 11  # Excel row
    # einwohner = round(Fälle × 100000 / HZ) of the total row, HZ as published (1 decimal)
    for area, cases, true_population in (("14628", 19158, 246011), ("14627", 11822, 241160)):
        hz = round(cases * 100000 / true_population, 1)
        derived = round(cases * 100000 / hz)
        assert (frame.loc[frame.gebiet == area, "einwohner"] == derived).all()
        assert abs(derived - true_population) <= 3  # the documented rounding error
    assert any("zurückgerechnet" in note for note in table.notes)


def test_bka_kreis_table_explicit_population_wins():
    population = {"14627": 241160, "14628": 246011, "01001": 92550}
    frame = read_bka_kreis_table(XLSX, 2023, population=population).frame
    assert frame.groupby("gebiet")["einwohner"].first().to_dict() == population
    with pytest.raises(InputFileError, match="Für die Kreise 14628 fehlt die Einwohnerzahl."):
        read_bka_kreis_table(XLSX, 2023, population={"14627": 1, "01001": 1})


def test_bka_kreis_table_bad_files(tmp_path):
    not_xlsx = _write(tmp_path, "kein excel", name="tabelle.xlsx")
    with pytest.raises(InputFileError, match="tabelle.xlsx: Die Excel-Datei kann nicht gelesen werden: sie ist kein gültiges .xlsx"):
        read_bka_kreis_table(not_xlsx, 2023)
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "irgendwas"
    other = tmp_path / "andere.xlsx"
    book.save(other)
    with pytest.raises(InputFileError) as info:
        read_bka_kreis_table(other, 2023)
    assert str(info.value) == (f"{other}: Keine Kopfzeile mit »Schlüssel« und »Straftat« in den ersten 25 Zeilen "
                               "gefunden; ist das die BKA-Kreistabelle KR-F-01-T01?")
    with pytest.raises(InputFileError, match="»23« ist keine vierstellige Jahreszahl"):
        read_bka_kreis_table(XLSX, 23)


def test_bka_kreis_table_bad_count_names_row(tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(XLSX)
    book.active["F12"] = "k.A."
    path = tmp_path / "kaputt.xlsx"
    book.save(path)
    with pytest.raises(InputFileError) as info:
        read_bka_kreis_table(path, 2023, population={"14627": 241160, "14628": 246011, "01001": 92550})
    assert str(info.value) == f"{path}, Zeile 12: Spalte »faelle«: »k.A.« ist keine ganze Zahl. {COUNT_RULE}"
