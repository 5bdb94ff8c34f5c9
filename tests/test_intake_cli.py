"""``sicherheitsanalyse pruefen DIR``: analysis folder, protocol file, exit codes, folder file checks."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from survey.cli import cli
from survey.folder import load_folder
from survey.intake import load_responses

CONFIG = """\
kommune: Musterstadt
ags: "14599001"
jahr: 2025
fragebogen: sicherheitsanalyse-standard
antworten: {antworten}
bevoelkerung: population.csv
stichprobe:
  schichtung: ortsteil
  schichten: strata.csv
ortsteile: {{1: Altstadt, 2: Nord, 3: Am Bahnhof, 4: Eichwalde}}
"""


@pytest.fixture
def make_folder(tmp_path, musterstadt_dir):
    """An analysis folder with the Musterstadt files; ``files`` maps extra file names to text."""

    def build(antworten="[responses.csv]", files: dict[str, str | bytes] | None = None) -> Path:
        folder = tmp_path / "musterstadt"
        folder.mkdir(exist_ok=True)
        for name in ("responses.csv", "population.csv", "strata.csv"):
            shutil.copy(musterstadt_dir / name, folder / name)
        (folder / "analyse.yaml").write_text(CONFIG.format(antworten=antworten), encoding="utf-8")
        for name, content in (files or {}).items():
            path = folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return build


def _protocol(folder: Path) -> list[dict[str, str]]:
    with open(folder / "ergebnis" / "pruefprotokoll.csv", encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream, delimiter=";"))


def _inject(folder: Path) -> None:
    frame = pd.read_csv(folder / "responses.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "sicher_nacht"] = "7"  # R00001: code 7 on a 1-4 item
    frame.loc[1, "geburtsjahr"] = "1850"  # R00002
    frame.loc[2, "sorge_einbruch"] = "viel"  # R00003: text in a numeric item
    frame.loc[3, "opfer_einbruch"], frame.loc[3, "anzeige_einbruch"] = "2", "1"  # R00004: filtered out
    duplicate = frame.iloc[[4]].copy()
    frame = pd.concat([frame, duplicate], ignore_index=True)  # R00005 twice (line 845)
    frame.to_csv(folder / "responses.csv", index=False)


def test_pruefen_reference_folder_exits_zero_and_writes_protocol(make_folder):
    folder = make_folder()
    result = CliRunner().invoke(cli, ["pruefen", str(folder)])
    assert result.exit_code == 0, result.output
    assert "843 Datensätze übernommen" in result.output
    assert f"Prüfprotokoll: {folder / 'ergebnis' / 'pruefprotokoll.csv'}" in result.output
    rows = _protocol(folder)
    assert {row["regel"] for row in rows} <= {"fehlende-spalte", "gleichfoermige-antworten"}


def test_injected_bad_values_are_set_missing_and_protocolled(make_folder):
    folder = make_folder()
    _inject(folder)
    result = CliRunner().invoke(cli, ["pruefen", str(folder)])
    assert result.exit_code == 0, result.output
    found = {(row["resp_id"], row["item"], row["regel"], row["aktion"], row["wert"], row["zeile"])
             for row in _protocol(folder)}
    assert ("R00001", "sicher_nacht", "code-ausserhalb-skala", "auf fehlend gesetzt", "7", "2") in found
    assert ("R00002", "geburtsjahr", "geburtsjahr-unplausibel", "auf fehlend gesetzt", "1850", "3") in found
    assert ("R00003", "sorge_einbruch", "text-in-zahlenfeld", "auf fehlend gesetzt", "viel", "4") in found
    assert ("R00004", "anzeige_einbruch", "filter-verletzt", "auf fehlend gesetzt", "1", "5") in found
    assert ("R00005", "", "doppelte-resp-id", "Zeile verworfen", "", "845") in found
    assert ("R00005", "", "doppelte-resp-id", "Zeile behalten", "", "6") in found
    assert "code-ausserhalb-skala" in result.output and "843 Datensätze übernommen" in result.output

    loaded = load_folder(folder)
    data = load_responses(loaded, loaded.questionnaire).data.set_index("resp_id")
    assert len(data) == 843
    for resp_id, item in [("R00001", "sicher_nacht"), ("R00002", "geburtsjahr"), ("R00003", "sorge_einbruch"),
                          ("R00004", "anzeige_einbruch")]:
        assert pd.isna(data.loc[resp_id, item])
    assert data.loc["R00004", "opfer_einbruch"] == 2.0


def test_binary_garbage_exits_one_without_traceback_and_writes_nothing(make_folder):
    folder = make_folder("[responses.csv, scan.csv]", {"scan.csv": bytes(range(256)) * 20})
    result = CliRunner().invoke(cli, ["pruefen", str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"Fehler: {folder / 'scan.csv'}: Die Datei ist keine Textdatei" in result.output
    assert not (folder / "ergebnis" / "pruefprotokoll.csv").exists()


def test_failed_run_keeps_the_previous_protocol(make_folder):
    folder = make_folder()
    assert CliRunner().invoke(cli, ["pruefen", str(folder)]).exit_code == 0
    before = (folder / "ergebnis" / "pruefprotokoll.csv").read_bytes()
    make_folder("[responses.csv, leer.csv]", {"leer.csv": ""})
    result = CliRunner().invoke(cli, ["pruefen", str(folder)])
    assert result.exit_code == 1 and "leer.csv: Die Datei ist leer." in result.output
    assert (folder / "ergebnis" / "pruefprotokoll.csv").read_bytes() == before
    assert [p.name for p in (folder / "ergebnis").iterdir()] == ["pruefprotokoll.csv"]


def test_paper_and_online_files_are_combined_with_source_and_mode(make_folder, musterstadt_dir):
    frame = pd.read_csv(musterstadt_dir / "responses.csv", dtype=str, keep_default_na=False)
    paper = frame.iloc[:400].drop(columns=["meide_orte"])
    online = frame.iloc[399:].copy()  # R00400 is in both files
    online.insert(1, "modus", "online")
    folder = make_folder("[papier.csv, online.xlsx]", {"papier.csv": paper.to_csv(index=False)})
    online.to_excel(folder / "online.xlsx", index=False)
    loaded = load_folder(folder)
    result = load_responses(loaded, loaded.questionnaire)
    data = result.data
    assert len(data) == 843
    assert data.groupby("quelle").size().to_dict() == {"papier.csv": 400, "online.xlsx": 443}
    assert data.groupby("modus").size().to_dict() == {"papier": 400, "online": 443}
    assert data.loc[data["quelle"] == "papier.csv", "meide_orte"].isna().all()
    [kept, dropped] = result.protocol.by_code("doppelte-resp-id")
    assert (kept.file, kept.line, kept.action) == ("papier.csv", 401, "Zeile behalten")
    assert (dropped.file, dropped.line, dropped.action) == ("online.xlsx", 2, "Zeile verworfen")
    assert dropped.message == "resp_id R00400 kommt mehrfach vor (zuerst in papier.csv, Zeile 401); diese Zeile wird verworfen."
    assert [s.file for s in result.protocol.files] == ["papier.csv", "online.xlsx"]


def test_web_store_is_read_when_present(make_folder):
    from survey.store import AnswerStore

    folder = make_folder()
    store = AnswerStore(folder / "antworten.sqlite")
    store.submit({"sicher_nacht": 2, "geschlecht": 1, "anmerkungen": "privat"}, modus="online",
                 questionnaire_id="sicherheitsanalyse-standard", version="1")
    store.submit({"sicher_nacht": 7}, modus="papier", questionnaire_id="sicherheitsanalyse-standard", version="1")
    store.close()
    loaded = load_folder(folder)
    result = load_responses(loaded, loaded.questionnaire)
    web = result.data[result.data["quelle"] == "antworten.sqlite"]
    assert len(web) == 2 and sorted(web["modus"]) == ["online", "papier"]
    assert sorted(web["sicher_nacht"].dropna()) == [2.0]
    [finding] = result.protocol.by_code("code-ausserhalb-skala")
    assert finding.file == "antworten.sqlite" and finding.value == "7"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("population.csv", None, "Die unter »bevoelkerung« in analyse.yaml genannte Datei"),
        ("population.csv", "ags,geschlecht,einwohner\n14599001,1,10\n",
         "population.csv, Zeile 1: Es fehlen die Spalten altersgruppe"),
        ("population.csv", "ags,geschlecht,altersgruppe,einwohner\n14599001,1,16-29,viele\n",
         "population.csv, Zeile 2, Spalte einwohner: »viele« ist keine ganze Zahl. Erlaubt sind ganze Zahlen"),
        ("population.csv", "ags,geschlecht,altersgruppe,einwohner\n14599001,1,18-29,10\n",
         "population.csv, Zeile 2, Spalte altersgruppe: »18-29« ist keine Altersgruppe des Fragebogens"),
        ("strata.csv", "ortsteil;name;einwohner_16plus;brutto_stichprobe\n1;Altstadt;100;200\n",
         "strata.csv, Zeile 2, Spalte brutto_stichprobe: »200« ist größer als einwohner_16plus (100)"),
        ("strata.csv", "ortsteil,name,einwohner_16plus\n1,Altstadt,100\n",
         "strata.csv, Zeile 1: Es fehlen die Spalten brutto_stichprobe"),
    ],
)
def test_population_and_strata_files_are_checked(make_folder, name, content, expected):
    folder = make_folder()
    if content is None:
        (folder / name).unlink()
    else:
        (folder / name).write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["pruefen", str(folder)])
    assert result.exit_code == 1, result.output
    assert "sind so nicht verwendbar; es wurde nichts geschrieben" in result.output
    assert expected in result.output
    assert not (folder / "ergebnis").exists()


def test_reference_population_and_strata_pass(make_folder):
    from survey.intake import check_folder_files

    loaded = load_folder(make_folder())
    assert check_folder_files(loaded, loaded.questionnaire) == []


def test_web_store_without_store_module_is_a_warning(make_folder, monkeypatch):
    import survey.intake.combine as combine

    folder = make_folder()
    (folder / "antworten.sqlite").write_bytes(b"")
    monkeypatch.setattr(combine, "_store_available", lambda: False)
    loaded = load_folder(folder)
    result = load_responses(loaded, loaded.questionnaire)
    [finding] = result.protocol.by_code("web-speicher")
    assert finding.severity == "warnung" and "Online-Antworten fehlen" in finding.message
    assert len(result.data) == 843 and result.protocol.valid


def test_tab_separated_csv(tmp_path, make_folder):
    folder = make_folder()
    loaded = load_folder(folder)
    questionnaire = loaded.questionnaire
    path = tmp_path / "tab.txt"
    path.write_text("resp_id\tsicher_nacht\tgeschlecht\nT1\t3\t2\n", encoding="utf-8")
    from survey.intake import read_response_file

    result = read_response_file(path, questionnaire, jahr=2025)
    assert result.protocol.files[0].format == "csv"
    assert result.data.loc[0, ["sicher_nacht", "geschlecht"]].tolist() == [3.0, 2.0]
