"""Uniform answers (rule gleichfoermige-antworten): only long grids answered alike across reversed rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.errors import DefinitionError
from survey.intake import read_response_file
from survey.questionnaire import load_questionnaire

DATA = Path(__file__).parent / "data" / "intake"
CODE = "gleichfoermige-antworten"
GRIDS = {
    "nachbar": ["helfen", "vertrauen", "kennen", "gruss", "feste", "egal"],
    "kurz": ["a", "b", "c", "d", "e"],
    "gleich": ["a", "b", "c", "d", "e", "f"],
    "mitte": ["a", "b", "c", "d", "e", "f"],
}


@pytest.fixture(scope="module")
def grids():
    return load_questionnaire(DATA / "gleichfoermig_fragebogen.yaml")


def _write(path: Path, rows: dict[str, dict[str, list[str]]]) -> Path:
    columns = [f"{grid}_{item}" for grid, items in GRIDS.items() for item in items]
    lines = ["resp_id," + ",".join(columns)]
    for resp_id, answers in rows.items():
        cells = [answers.get(grid, [""] * len(items))[k] for grid, items in GRIDS.items() for k in range(len(items))]
        lines.append(resp_id + "," + ",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reversed_rows_are_read_from_the_questionnaire(grids):
    assert [v.id for v in grids.question("nachbar").variables if v.reversed] == ["nachbar_egal"]
    assert not any(v.reversed for v in grids.question("gleich").variables)


def test_only_long_mixed_grids_answered_alike_are_reported(tmp_path, grids):
    source = _write(tmp_path / "g.csv", {
        "U1": {"nachbar": ["1"] * 6},                      # agrees with a row and with its opposite
        "U2": {"nachbar": ["4"] * 6},                      # disagrees with both: also a contradiction
        "K1": {"kurz": ["1"] * 5},                         # five rows only
        "G1": {"gleich": ["4"] * 6},                       # all rows point the same way: consistent
        "L1": {"nachbar": ["1"] * 5 + [""]},               # reversed row left blank
        "M1": {"nachbar": ["9"] * 6},                      # »keine Angabe« throughout: no substantive answer
        "D1": {"nachbar": ["1", "1", "1", "1", "1", "4"]},  # answered the reversed row the other way
        "T1": {"mitte": ["3"] * 6},                        # »teils/teils« throughout contradicts nothing
        "T2": {"mitte": ["5"] * 6},
    })
    result = read_response_file(source, grids)
    found = result.protocol.by_code(CODE)
    assert [(f.resp_id, f.value) for f in found] == [("U1", "1"), ("U2", "4"), ("T2", "5")]
    assert found[0].message == (
        "Alle 6 Aussagen der Frage »nachbar« haben dieselbe Antwort 1 (»stimme voll zu«), auch die gegenläufig "
        "formulierten (nachbar_egal); die Antworten widersprechen sich, vermutlich ohne Lesen angekreuzt.")
    assert result.data.set_index("resp_id").loc["U1", "nachbar_egal"] == 1.0  # a warning only


def test_summary_lists_the_respondents_in_one_line(tmp_path, grids):
    rows = {f"R{k}": {"nachbar": ["2"] * 6} for k in range(1, 13)}
    result = read_response_file(_write(tmp_path / "r.csv", rows), grids)
    summary = result.protocol.summary()
    assert ("Gleichförmige Antworten: 12 Befragte (resp_id R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 und 2 "
            "weitere); Einzelheiten im Prüfprotokoll.") in summary.splitlines()
    assert "Straight" not in summary and "Beispiele:" not in summary
    assert "  Gleichförmige Antworten      12  »gleichfoermige-antworten«" in summary.splitlines()


def test_one_respondent_reads_as_one_person(tmp_path, grids):
    result = read_response_file(_write(tmp_path / "o.csv", {"X1": {"nachbar": ["3"] * 6}}), grids)
    assert ("Gleichförmige Antworten: eine befragte Person (resp_id X1); Einzelheiten im Prüfprotokoll."
            in result.protocol.summary().splitlines())


def test_a_reversed_row_cannot_enter_an_index(tmp_path):
    text = (DATA / "gleichfoermig_fragebogen.yaml").read_text(encoding="utf-8")
    text += "indizes:\n  - {id: nachbar_index, text: Index, items: [nachbar_helfen, nachbar_egal], min_gueltig: 1}\n"
    path = tmp_path / "index.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_questionnaire(path)
    assert "Index »nachbar_index«: »nachbar_egal« ist umgepolt (umgepolt: true)" in str(error.value)
    assert "index.yaml, Zeile" in str(error.value)


def test_standard_questionnaire_never_reports_uniform_answers(tmp_path):
    """No grid of the standard instrument has reversed rows, so the sample communes get no such warning."""
    standard = load_questionnaire("sicherheitsanalyse-standard")
    assert not any(v.reversed for v in standard.variables)
