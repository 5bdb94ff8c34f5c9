"""The corpus of bad input files (issue 10): every one is refused by every command, never half-used.

A good sample commune (eichenstedt) is run once; each case copies that folder with its good ``ergebnis/``,
breaks one input with a small mutation and runs commands on it. Each must exit with status 1 and a
German message naming the file, the line or row and the offending value, print no traceback, and leave
``ergebnis/`` byte for byte as it was.
"""

from __future__ import annotations

import csv
import io
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from survey.cli import cli
from survey.resources import sample_data_dir

COMMUNE = "eichenstedt"
DIGITS_5000 = "1" * 5000
ALIAS_BOMB = "\n".join(
    [f"a: &a [{', '.join(['lol'] * 9)}]"]
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip("abcdefgh", "bcdefghi")]
) + "\n"
DEEP_YAML = "tief: " + "[" * 5000 + "]" * 5000 + "\n"


# ------------------------------------------------------------------------------------------ helpers


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell of a CSV file; ``line`` is the file line (1 = header)."""
    rows = read_rows(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def use_responses(folder: Path, *names: str) -> None:
    """Let analyse.yaml name these response files (besides the good online file)."""
    listed = ", ".join(("responses_online.csv", *names))
    replace_text(folder / "analyse.yaml", "antworten: [responses_online.csv, responses_papier.csv]",
                 f"antworten: [{listed}]")


def paper_frame(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "responses_papier.csv", dtype=str, keep_default_na=False)


def paper_workbook(folder: Path, name: str = "antworten.xlsx") -> Path:
    path = folder / name
    paper_frame(folder).to_excel(path, index=False, sheet_name="Antworten")
    use_responses(folder, name)
    return path


def rewrite_zip(path: Path, member: str, content: bytes) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts[member] = content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def declare_unpacked_size(path: Path, size: int) -> None:
    """Patch the central directory so that the first member claims ``size`` unpacked bytes (a zip bomb's
    signature; nothing of that size is ever written)."""
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")
    data[entry + 24:entry + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))


def own_questionnaire(folder: Path) -> Path:
    from survey.questionnaire import resolve_questionnaire_path

    target = folder / "fragebogen.yaml"
    shutil.copy(resolve_questionnaire_path("sicherheitsanalyse-standard"), target)
    replace_text(folder / "analyse.yaml", "fragebogen: sicherheitsanalyse-standard", "fragebogen: fragebogen.yaml")
    return target


def vv_export(folder: Path) -> Path:
    """responses_online.csv as a LimeSurvey VV file (line 1 question texts, line 2 codes, tab separated)."""
    rows = read_rows(folder / "responses_online.csv")
    codes = ["id" if name == "resp_id" else name for name in rows[0]]
    lines = ["\t".join(f"Frage {name}" for name in codes), "\t".join(codes)]
    lines += ["\t".join(row) for row in rows[1:]]
    path = folder / "limesurvey.vv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    replace_text(folder / "analyse.yaml", "antworten: [responses_online.csv, responses_papier.csv]",
                 "antworten: [limesurvey.vv, responses_papier.csv]")
    return path


# --------------------------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Path], None]
    expected: tuple[str, ...]
    commands: tuple[tuple[str, ...], ...]


CASES: list[Case] = []
RUN_AND_CHECK = (("pruefen",), ("run",))


def case(case_id: str, *expected: str, commands: tuple[tuple[str, ...], ...] = RUN_AND_CHECK):
    def register(mutate: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(Case(case_id, mutate, expected, commands))
        return mutate
    return register


# strata.csv: header line 1; Ortsteile 1..5 on lines 2..6 (1 Stadtmitte 10028/327/105, 2 Am Bahnhof
# 4680/152/44, 3 Oststadt 9025/294/108, 4 Buchwald 6351/207/74, 5 Rödelsdorf 3343/120/43).


@case("strata-brutto-negativ", "strata.csv, Zeile 3, Spalte brutto_stichprobe: »-600« ist negativ",
      commands=(("pruefen",), ("gewichten",), ("schaetzen",), ("analysieren",), ("bericht",), ("run",)))
def _(folder):
    set_cell(folder / "strata.csv", 3, "brutto_stichprobe", "-600")


@case("strata-brutto-unter-befragten", "strata.csv, Zeile 3, Spalte brutto_stichprobe: Schicht 2 (Am Bahnhof): "
      "brutto_stichprobe 30 ist kleiner als die 44 Befragten dieser Schicht",
      commands=(("pruefen",), ("gewichten",), ("run",)))
def _(folder):
    set_cell(folder / "strata.csv", 3, "brutto_stichprobe", "30")
    set_cell(folder / "strata.csv", 3, "netto", "")


@case("strata-netto-ueber-brutto", "strata.csv, Zeile 2, Spalte netto: »400« ist größer als brutto_stichprobe (327)",
      commands=(("pruefen",), ("gewichten",), ("run",)))
def _(folder):
    set_cell(folder / "strata.csv", 2, "netto", "400")


@case("strata-brutto-ueber-einwohner",
      "strata.csv, Zeile 4, Spalte brutto_stichprobe: »294« ist größer als einwohner_16plus (200)",
      commands=(("pruefen",), ("gewichten",), ("run",)))
def _(folder):
    set_cell(folder / "strata.csv", 4, "einwohner_16plus", "200")


@case("strata-bruch", "strata.csv, Zeile 2, Spalte einwohner_16plus: »10028.5« ist keine ganze Zahl")
def _(folder):
    set_cell(folder / "strata.csv", 2, "einwohner_16plus", "10028.5")


@case("strata-dezimalkomma", "strata.csv, Zeile 2, Spalte einwohner_16plus: »5,5« ist keine ganze Zahl")
def _(folder):
    set_cell(folder / "strata.csv", 2, "einwohner_16plus", "5,5")


@case("strata-exponent", "strata.csv, Zeile 5, Spalte einwohner_16plus: »1e3« ist in Exponentialschreibweise")
def _(folder):
    set_cell(folder / "strata.csv", 5, "einwohner_16plus", "1e3")


@case("strata-brutto-null", "strata.csv, Zeile 6, Spalte brutto_stichprobe: »0« ist keine positive Anzahl")
def _(folder):
    set_cell(folder / "strata.csv", 6, "brutto_stichprobe", "0")


@case("strata-doppelte-schicht", "strata.csv, Zeile 6, Spalte ortsteil: »1« steht schon in Zeile 2")
def _(folder):
    set_cell(folder / "strata.csv", 6, "ortsteil", "1")


@case("strata-5000-stellen", "strata.csv, Zeile 2, Spalte einwohner_16plus: »1111",
      "ist zu lang für eine Anzahl (höchstens 12 Stellen)")
def _(folder):
    set_cell(folder / "strata.csv", 2, "einwohner_16plus", DIGITS_5000)


@case("strata-mehrdeutiger-punkt", "strata.csv, Zeile 3, Spalte einwohner_16plus: »4.680« ist mehrdeutig",
      "(Zeile 2: »10028.0«)", "4680 oder 4,68")
def _(folder):
    set_cell(folder / "strata.csv", 2, "einwohner_16plus", "10028.0")
    set_cell(folder / "strata.csv", 3, "einwohner_16plus", "4.680")


@case("strata-datei-fehlt", "strata.csv", "Die unter »stichprobe.schichten« in analyse.yaml genannte Datei",
      "existiert nicht")
def _(folder):
    (folder / "strata.csv").unlink()


@case("strata-spalte-fehlt", "strata.csv, Zeile 1: Es fehlen die Spalten brutto_stichprobe")
def _(folder):
    write_rows(folder / "strata.csv", [[c for i, c in enumerate(row) if i != 3]
                                       for row in read_rows(folder / "strata.csv")])


@case("strata-schicht-ohne-befragte", "strata.csv, Zeile 7, Spalte ortsteil: Schicht 6 (Neudorf) hat keine Befragten")
def _(folder):
    write_rows(folder / "strata.csv", [*read_rows(folder / "strata.csv"), ["6", "Neudorf", "1000", "50", ""]])


@case("strata-code-text", "strata.csv, Zeile 4, Spalte ortsteil: »Oststadt« ist kein Code")
def _(folder):
    set_cell(folder / "strata.csv", 4, "ortsteil", "Oststadt")


# population.csv: ags,geschlecht,altersgruppe,einwohner; line 2 = 14599040,1,16-29,2366


@case("bevoelkerung-andere-gemeinde", "population.csv, Spalte ags: »14599050« ist nicht der Gemeindeschlüssel "
      "von Eichenstedt (14599040 laut analyse.yaml)", "Zeile 2, Zeile 3",
      commands=(("pruefen",), ("gewichten",), ("analysieren",), ("run",)))
def _(folder):
    path = folder / "population.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("14599040,", "14599050,"), encoding="utf-8")


@case("bevoelkerung-dezimalkomma", "population.csv, Zeile 2, Spalte einwohner: »2366,5« ist keine ganze Zahl")
def _(folder):
    set_cell(folder / "population.csv", 2, "einwohner", "2366,5")


@case("bevoelkerung-negativ", "population.csv, Zeile 3, Spalte einwohner: »-3478« ist negativ")
def _(folder):
    set_cell(folder / "population.csv", 3, "einwohner", "-3478")


@case("bevoelkerung-altersgruppe", "population.csv, Zeile 2, Spalte altersgruppe: »18-29« ist keine Altersgruppe")
def _(folder):
    set_cell(folder / "population.csv", 2, "altersgruppe", "18-29")


@case("bevoelkerung-doppelte-zelle", "population.csv, Zeile 12, Spalte einwohner: »2366« ist die zweite Zahl "
      "für dieselbe Zelle (geschlecht 1, altersgruppe 16-29; zuerst in Zeile 2)")
def _(folder):
    rows = read_rows(folder / "population.csv")
    write_rows(folder / "population.csv", [*rows, rows[1]])


@case("bevoelkerung-5000-stellen", "population.csv, Zeile 4, Spalte einwohner: »1111", "höchstens 12 Stellen")
def _(folder):
    set_cell(folder / "population.csv", 4, "einwohner", DIGITS_5000)


@case("bevoelkerung-geschlecht-text", "population.csv, Zeile 2, Spalte geschlecht: »m« ist kein Code")
def _(folder):
    set_cell(folder / "population.csv", 2, "geschlecht", "m")


# responses (CSV, XLSX, SAV, LimeSurvey); responses_papier.csv line 2 = PA-0001 (ortsteil 1)


@case("antwort-schicht-unbekannt", "responses_papier.csv, Zeile 2, Spalte ortsteil (resp_id PA-0001): "
      "Schicht 6 von »ortsteil« steht nicht in strata.csv (gültig: 1, 2, 3, 4, 5)",
      commands=(("pruefen",), ("gewichten",), ("schaetzen",), ("run",)))
def _(folder):
    set_cell(folder / "responses_papier.csv", 2, "ortsteil", "6")


@case("antwort-schicht-fehlt", "responses_papier.csv, Zeile 3, Spalte ortsteil (resp_id PA-0002): Keine Angabe "
      "zum Schichtungsmerkmal »ortsteil«")
def _(folder):
    set_cell(folder / "responses_papier.csv", 3, "ortsteil", "")


@case("antwort-schicht-nicht-in-strata", "responses_online.csv, Spalte ortsteil: Schicht 5 von »ortsteil« steht "
      "nicht in strata.csv (gültig: 1, 2, 3, 4)", "Zeile 8 (resp_id ON-0007)")
def _(folder):
    rows = read_rows(folder / "strata.csv")
    write_rows(folder / "strata.csv", rows[:-1])


@case("antwort-zelle-zu-lang", "responses_papier.csv, Zeile 2: Spalte »anmerkungen«: die Zelle hat 40.000 Zeichen")
def _(folder):
    set_cell(folder / "responses_papier.csv", 2, "anmerkungen", "x" * 40_000)


@case("antwort-binaer", "responses_online.csv: Die Datei ist keine Textdatei")
def _(folder):
    (folder / "responses_online.csv").write_bytes(bytes(range(256)) * 8)


@case("antwort-leer", "responses_papier.csv: Die Datei ist leer.")
def _(folder):
    (folder / "responses_papier.csv").write_bytes(b"")


@case("antwort-offenes-anfuehrungszeichen", "responses_online.csv, Zeile 5: Der Datensatz ab dieser Zeile ist "
      "fehlerhaft aufgebaut", "geöffnet, aber nicht")
def _(folder):
    rows = read_rows(folder / "responses_online.csv")
    rows[4][-1] = "\x00"  # placeholder for a field that opens a quote and never closes it
    write_rows(folder / "responses_online.csv", rows)
    replace_text(folder / "responses_online.csv", "\x00", '"offen')


@case("antwort-zu-viele-felder", "responses_online.csv, Zeile 4: Die Zeile hat", "die Kopfzeile aber nur")
def _(folder):
    path = folder / "responses_online.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] += ",1,2,3"
    path.write_text("\n".join(lines), encoding="utf-8")


@case("antwort-ohne-resp-id", "responses_papier.csv, Zeile 1: Die Datei hat keine Spalte »resp_id«")
def _(folder):
    replace_text(folder / "responses_papier.csv", "resp_id,", "nummer,")


@case("xlsx-kaputtes-blatt", "antworten.xlsx: Das Tabellenblatt »Antworten« ist beschädigt")
def _(folder):
    path = paper_workbook(folder)
    with zipfile.ZipFile(path) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    rewrite_zip(path, "xl/worksheets/sheet1.xml", sheet[: len(sheet) // 2])


@case("xlsx-diagrammblatt-zuerst", "antworten.xlsx: Das erste Blatt »Diagramm« ist ein Diagrammblatt",
      "»Antworten« an die erste Stelle verschieben")
def _(folder):
    from openpyxl import load_workbook
    from openpyxl.chart import BarChart, Reference

    path = paper_workbook(folder)
    workbook = load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(workbook["Antworten"], min_col=2, min_row=1, max_row=10))
    workbook.create_chartsheet("Diagramm", 0).add_chart(chart)
    workbook.save(path)


@case("xlsx-verschluesselt", "antworten.xlsx: Die Excel-Datei ist mit einem Kennwort geschützt")
def _(folder):
    (folder / "antworten.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    use_responses(folder, "antworten.xlsx")


@case("xlsx-zip-bombe", "antworten.xlsx: Die Excel-Datei wäre entpackt", "»Zip-Bombe«")
def _(folder):
    declare_unpacked_size(paper_workbook(folder), 4_000_000_000)


@case("xlsx-kein-zip", "antworten.xlsx: Die Excel-Datei kann nicht gelesen werden: sie ist kein gültiges .xlsx")
def _(folder):
    (folder / "antworten.xlsx").write_text("resp_id;ortsteil\nX1;1\n", encoding="utf-8")
    use_responses(folder, "antworten.xlsx")


@case("sav-kaputt", "antworten.sav: Die SPSS-Datei kann nicht gelesen werden")
def _(folder):
    (folder / "antworten.sav").write_bytes(b"$FL2@(#) kaputt" + bytes(range(256)) * 4)
    use_responses(folder, "antworten.sav")


@case("limesurvey-vv-zu-viele-felder", "limesurvey.vv, Zeile 5: Die Zeile hat", "die Kopfzeile aber nur")
def _(folder):
    path = vv_export(folder)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[4] += "\tx\ty"
    path.write_text("\n".join(lines), encoding="utf-8")


@case("limesurvey-csv-ohne-id", "limesurvey.csv, Zeile 1: Die Datei hat keine Spalte »resp_id« (bei "
      "LimeSurvey-Exporten: »id«)")
def _(folder):
    frame = pd.read_csv(folder / "responses_online.csv", dtype=str, keep_default_na=False)
    frame = frame.rename(columns={"resp_id": "token"})
    frame.insert(1, "submitdate", "2025-05-01 10:00:00")
    frame.to_csv(folder / "limesurvey.csv", index=False)
    replace_text(folder / "analyse.yaml", "antworten: [responses_online.csv, responses_papier.csv]",
                 "antworten: [limesurvey.csv, responses_papier.csv]")


# pks.csv: gebiet,gebiet_name,jahr,schluessel,straftat,faelle,aufgeklaert,einwohner; line 2 = total 2015


@case("pks-5000-stellen", "pks.csv, Zeile 2: Spalte »faelle«: »1111", "ist zu lang für eine Anzahl",
      commands=(("pruefen",), ("analysieren",), ("run",)))
def _(folder):
    set_cell(folder / "pks.csv", 2, "faelle", DIGITS_5000)


@case("pks-dezimalkomma", "pks.csv, Zeile 3: Spalte »faelle«: »2802,5« ist keine ganze Zahl")
def _(folder):
    set_cell(folder / "pks.csv", 3, "faelle", "2802,5")


@case("pks-negative-einwohner", "pks.csv, Zeile 2: Spalte »einwohner«: »-40018« ist negativ")
def _(folder):
    set_cell(folder / "pks.csv", 2, "einwohner", "-40018")


@case("pks-mehr-aufgeklaert", "pks.csv, Zeile 2: Mehr aufgeklärte Fälle (3000) als erfasste Fälle (2892)")
def _(folder):
    set_cell(folder / "pks.csv", 2, "aufgeklaert", "3000")


# analyse.yaml (line 5 = jahr: 2025) and an own questionnaire YAML


ALL_COMMANDS = (("pruefen",), ("gewichten",), ("schaetzen",), ("analysieren",), ("bericht",), ("run",),
                ("codes", "--anzahl", "3"))


@case("analyse-doppelter-schluessel", "analyse.yaml, Zeile 17: Der Schlüssel »jahr« steht doppelt (Zeile 5 und "
      "Zeile 17)", commands=ALL_COMMANDS)
def _(folder):
    with open(folder / "analyse.yaml", "a", encoding="utf-8") as stream:
        stream.write("jahr: 2024\n")


@case("analyse-alias-bombe", "analyse.yaml, Zeile 18: Verweise (YAML-Alias »*a«) sind nicht erlaubt",
      commands=ALL_COMMANDS)
def _(folder):
    with open(folder / "analyse.yaml", "a", encoding="utf-8") as stream:
        stream.write(ALIAS_BOMB)


@case("analyse-5000-ebenen", "analyse.yaml, Zeile 17: Die Angaben sind mehr als 50 Ebenen tief verschachtelt")
def _(folder):
    with open(folder / "analyse.yaml", "a", encoding="utf-8") as stream:
        stream.write(DEEP_YAML)


@case("analyse-5000-stellen", "analyse.yaml, Zeile 5: Die Zahl hat 5.000 Zeichen; erlaubt sind höchstens 100.")
def _(folder):
    replace_text(folder / "analyse.yaml", "jahr: 2025", f"jahr: {DIGITS_5000}")


@case("analyse-python-tag", "analyse.yaml, Zeile 17: Der YAML-Typ »!!python/object/apply:os.system« ist nicht "
      "erlaubt")
def _(folder):
    with open(folder / "analyse.yaml", "a", encoding="utf-8") as stream:
        stream.write('welle: !!python/object/apply:os.system ["touch gehackt"]\n')


@case("analyse-zu-gross", "analyse.yaml: Die Datei ist 2,9 MB groß; YAML-Dateien dürfen höchstens 2 MB groß sein.")
def _(folder):
    with open(folder / "analyse.yaml", "a", encoding="utf-8") as stream:
        stream.write(("# " + "x" * 1000 + "\n") * 3100)


@case("analyse-merkmal-ohne-bevoelkerung", "analyse.yaml: Für das Gewichtungsmerkmal »bildung« "
      "(gewichtung.merkmale) gibt es keine Bevölkerungszahlen: population.csv hat keine Spalte »bildung«",
      commands=(("pruefen",), ("gewichten",), ("run",)))
def _(folder):
    replace_text(folder / "analyse.yaml", "merkmale: [ortsteil, altersgruppe, geschlecht]",
                 "merkmale: [ortsteil, altersgruppe, geschlecht, bildung]")


@case("fragebogen-doppelter-schluessel", "fragebogen.yaml, Zeile 9: Der Schlüssel »titel« steht doppelt (Zeile 8 "
      "und Zeile 9)", commands=(("pruefen",), ("run",), ("fragebogen", "pruefen", "{folder}/fragebogen.yaml")))
def _(folder):
    replace_text(own_questionnaire(folder), "titel: Bürgerbefragung zur Sicherheit in {kommune}\n",
                 "titel: Bürgerbefragung zur Sicherheit in {kommune}\ntitel: Zweiter Titel\n")


@case("fragebogen-alias-bombe", "fragebogen.yaml, Zeile 2: Verweise (YAML-Alias »*a«) sind nicht erlaubt",
      commands=(("pruefen",), ("fragebogen", "pruefen", "{folder}/fragebogen.yaml"),
                ("fragebogen", "codebuch", "{folder}/fragebogen.yaml", "--ziel", "{folder}/ergebnis")))
def _(folder):
    path = own_questionnaire(folder)
    path.write_text(ALIAS_BOMB + path.read_text(encoding="utf-8"), encoding="utf-8")


@case("fragebogen-5000-stellen", "fragebogen.yaml, Zeile 6: Die Zahl hat 5.000 Zeichen",
      commands=(("pruefen",), ("fragebogen", "pruefen", "{folder}/fragebogen.yaml")))
def _(folder):
    replace_text(own_questionnaire(folder), 'version: "1"', f"version: {DIGITS_5000}")


# ------------------------------------------------------------------------------------------- the test


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((folder / "ergebnis").iterdir())}


@pytest.fixture(scope="module")
def good_run(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gut") / COMMUNE
    shutil.copytree(sample_data_dir() / COMMUNE, folder, ignore=shutil.ignore_patterns("ergebnis", "__pycache__"))
    result = CliRunner().invoke(cli, ["run", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def folder(good_run, tmp_path) -> Path:
    target = tmp_path / COMMUNE
    shutil.copytree(good_run, target)
    return target


def test_corpus_is_large_enough():
    assert len(CASES) >= 40 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_by_every_command_and_ergebnis_stays(bad: Case, folder: Path):
    before = snapshot(folder)
    bad.mutate(folder)
    for command in bad.commands:
        args = [part.format(folder=folder) for part in command]
        if "{folder}" not in " ".join(command):
            args.insert(1, str(folder))  # the folder follows the command name
        started = time.perf_counter()
        result = CliRunner().invoke(cli, args)
        seconds = time.perf_counter() - started
        assert result.exit_code == 1, (args, result.output)
        assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
        assert result.output.startswith("Fehler: ") or "\nFehler: " in result.output, result.output
        for text in bad.expected:
            assert text in result.output, (args, result.output)
        assert seconds < 20, f"{args} took {seconds:.1f} s"  # sanity bound against hangs, not a benchmark
        assert snapshot(folder) == before, f"{args} changed ergebnis/"
    assert not (folder / "gehackt").exists()


def test_alias_bomb_returns_at_once(folder):
    """The 1 KB alias bomb once ran until memory was exhausted; now the first alias ends it."""
    with open(folder / "analyse.yaml", "a", encoding="utf-8") as stream:
        stream.write(ALIAS_BOMB)
    assert (folder / "analyse.yaml").stat().st_size < 20_000
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["pruefen", str(folder)])
    assert time.perf_counter() - started < 2  # guards a hang (the bomb expands to 9**9 nodes)
    assert result.exit_code == 1 and "Verweise (YAML-Alias »*a«) sind nicht erlaubt" in result.output


def _communes() -> list[str]:
    return sorted(p.name for p in sample_data_dir().iterdir() if (p / "analyse.yaml").is_file())


@pytest.mark.parametrize("commune", _communes())
def test_implausible_strata_are_refused_in_every_sample_commune(commune, tmp_path):
    """The same rules on communes the cases above never saw; expectations computed from their own files."""
    from survey.errors import DataRefusedError
    from survey.validation import validate_folder

    folder = tmp_path / commune
    shutil.copytree(sample_data_dir() / commune, folder, ignore=shutil.ignore_patterns("ergebnis", "__pycache__"))
    checked = validate_folder(folder)
    strata = checked.strata.frame
    last = strata.iloc[-1]
    line, code = int(last["zeile"]), int(last["code"])
    respondents = int((checked.intake.data["ortsteil"] == code).sum())
    original = (folder / "strata.csv").read_bytes()
    mutations = {
        "brutto_stichprobe": (str(respondents - 1), f"brutto_stichprobe {respondents - 1} ist kleiner als die "
                                                    f"{respondents} Befragten dieser Schicht"),
        "netto": (str(int(last["brutto_stichprobe"]) + 1), f"»{int(last['brutto_stichprobe']) + 1}« ist größer "
                                                           f"als brutto_stichprobe ({int(last['brutto_stichprobe'])})"),
        "einwohner_16plus": (str(int(last["brutto_stichprobe"]) - 1), "ist größer als einwohner_16plus"),
    }
    for column, (value, expected) in mutations.items():
        (folder / "strata.csv").write_bytes(original)
        set_cell(folder / "strata.csv", line, column, value)
        if column == "brutto_stichprobe":
            set_cell(folder / "strata.csv", line, "netto", "")
        with pytest.raises(DataRefusedError) as info:
            validate_folder(folder)
        assert f"strata.csv, Zeile {line}, Spalte " in str(info.value) and expected in str(info.value), column
    assert not (folder / "ergebnis").exists()


def test_random_corruption_of_any_input_gives_only_german_errors(tmp_path):
    """Seeded random byte damage to every kind of input: each read either succeeds or raises a UserError."""
    import random

    from survey.errors import UserError
    from survey.intake.folder_files import read_population, read_strata
    from survey.intake.readers import read_raw
    from survey.jsonfile import read_json_file
    from survey.pks import read_pks
    from survey.questionnaire import resolve_questionnaire_path
    from survey.yamlfile import read_yaml

    sample = sample_data_dir() / COMMUNE
    frame = pd.read_csv(sample / "responses_online.csv", dtype=str, keep_default_na=False)
    frame.to_excel(tmp_path / "gut.xlsx", index=False)
    ages = {"16-29", "30-44", "45-59", "60-74", "75+"}
    kinds = {
        ".xlsx": ((tmp_path / "gut.xlsx").read_bytes(), read_raw),
        ".csv": ((sample / "responses_online.csv").read_bytes(), read_raw),
        ".yaml": (resolve_questionnaire_path("sicherheitsanalyse-standard").read_bytes(), read_yaml),
        ".pks.csv": ((sample / "pks.csv").read_bytes(), read_pks),
        ".strata.csv": ((sample / "strata.csv").read_bytes(), read_strata),
        ".population.csv": ((sample / "population.csv").read_bytes(),
                            lambda path: read_population(path, ages, "14599040")),
        ".json": (b'{"schema_version": "1.0", "a": [1, 2.5, {"b": null}], "c": "d"}',
                  lambda path: read_json_file(path, UserError)),
    }
    generator = random.Random(20251)
    refused = {suffix: 0 for suffix in kinds}
    for suffix, (original, read) in kinds.items():
        for trial in range(25):
            damaged = bytearray(original)
            for _ in range(generator.randint(1, 25)):
                at = generator.randrange(len(damaged))
                choice = generator.random()
                if choice < 0.6:
                    damaged[at] = generator.choice(b'\x00\xff\xc3\x80,;"\'\n\r\t:&*!{}[]-=.0123456789e ')
                elif choice < 0.8:
                    del damaged[at:at + generator.randint(1, 50)]
                else:
                    damaged[at:at] = bytes(generator.randrange(256) for _ in range(generator.randint(1, 10)))
                if not damaged:
                    damaged = bytearray(b"x")
            path = tmp_path / f"t{trial}{suffix}"
            path.write_bytes(bytes(damaged))
            try:
                result = read(path)  # any other exception fails the test
            except UserError as error:
                assert path.name in str(error)
                refused[suffix] += 1
                continue
            if isinstance(result, tuple) and result[0] is None:  # strata/population: findings, no table
                assert all(finding.file == path.name for finding in result[1])
                refused[suffix] += 1
    assert all(count > 0 for count in refused.values()), refused
