"""Tabellenband (xlsx): sheets, contents, symbols, number formats and suppressed markers."""

from __future__ import annotations

import copy

from openpyxl import load_workbook

from survey.report.lagebericht.profile import ReportProfile
from survey.report.tabellenband import PCT, PCT_UNRELIABLE, SMALL_N, SUPPRESSED, write_tabellenband
from test_lagebericht_sentences import small_profile


def _dist(by, group, label, n_valid, flag, shares):
    cats = [{"code": 1, "label": "sehr sicher", "missing": False, "n": 10, "share": shares[0],
             "ci_low": shares[0] - 0.05, "ci_high": shares[0] + 0.05},
            {"code": 2, "label": "sehr unsicher", "missing": False, "n": 20, "share": shares[1],
             "ci_low": shares[1] - 0.05, "ci_high": shares[1] + 0.05},
            {"code": None, "label": "keine Antwort", "missing": True, "n": 2, "share": 0.01,
             "ci_low": None, "ci_high": None}]
    if flag == "unterdrueckt":
        for c in cats:
            c.update(share=0.98765, n=1)
    return {"item": "sicher_nacht", "label": "Wie sicher nachts?", "question": "Wie sicher nachts?",
            "section": "Sicherheitsgefühl", "core": True, "by": by, "group": group, "group_label": label,
            "n_total": n_valid + 2, "n_valid": n_valid, "flag": flag, "flag_reason": None, "categories": cats}


def _profile() -> dict:
    profile = small_profile()
    profile["item_distributions"] = [
        _dist(None, None, None, 380, "ok", (0.6, 0.4)),
        _dist("geschlecht", "1", "männlich", 180, "ok", (0.7, 0.3)),
        _dist("geschlecht", "2", "weiblich", 22, "unsicher", (0.5, 0.5)),
        _dist("geschlecht", "3", "divers", 3, "unterdrueckt", (0.5, 0.5)),
    ]
    return profile


def test_workbook_structure_and_markers(tmp_path):
    target = write_tabellenband(ReportProfile(_profile()), tmp_path / "tabellenband.xlsx")
    wb = load_workbook(target)
    assert wb.sheetnames == ["Inhalt", "Hinweise", "Indikatoren", "Sicherheitsgefühl"]
    contents = [row for row in wb["Inhalt"].iter_rows(min_row=5, values_only=True)]
    assert [r[0] for r in contents] == ["Hinweise", "Indikatoren", "Sicherheitsgefühl"]
    assert wb["Inhalt"]["A7"].hyperlink.location == "'Sicherheitsgefühl'!A1" or \
        "Sicherheitsgefühl" in str(wb["Inhalt"]["A7"].hyperlink.target or wb["Inhalt"]["A7"].hyperlink.location)
    symbols = [r[0] for r in wb["Hinweise"].iter_rows(min_row=4, max_row=7, values_only=True)]
    assert symbols == ["/", "( )", "< 10", "–"]

    ws = wb["Sicherheitsgefühl"]
    rows = list(ws.iter_rows(values_only=False))
    by_key = {(r[1].value, r[2].value): r for r in rows if r[2].value}
    overall = by_key[("insgesamt", "sehr sicher")]
    assert overall[3].value == 0.6 and overall[3].number_format == PCT and overall[6].value == 10
    unreliable = by_key[("weiblich", "sehr sicher")]
    assert unreliable[3].number_format == PCT_UNRELIABLE and unreliable[7].value == "eingeschränkt belastbar"
    hidden = by_key[("divers", "sehr sicher")]
    assert hidden[3].value == SUPPRESSED and hidden[6].value == SMALL_N
    basis = by_key[("divers", "gültige Antworten (Basis)")]
    assert basis[6].value == SMALL_N
    for row in ws.iter_rows(values_only=True):
        assert 0.98765 not in row and 3 not in row[6:7]


def test_indicator_sheet_marks_suppressed_and_unreliable(tmp_path):
    target = write_tabellenband(ReportProfile(_profile()), tmp_path / "t.xlsx")
    ws = load_workbook(target)["Indikatoren"]
    rows = {(r[0].value, r[3].value): r for r in ws.iter_rows(min_row=4)}
    night = rows[("unsicher_nachts", "insgesamt")]
    assert night[4].value == 0.4285 and night[4].number_format == PCT and night[7].value == 380
    divers = rows[("unsicher_nachts", "divers")]
    assert divers[4].value == SUPPRESSED and divers[7].value == SMALL_N
    fahrrad = rows[("anzeigequote_fahrrad", "insgesamt")]
    assert fahrrad[4].number_format == PCT_UNRELIABLE


def test_written_atomically_and_replaces(tmp_path):
    target = tmp_path / "tabellenband.xlsx"
    target.write_text("alt")
    profile = copy.deepcopy(_profile())
    write_tabellenband(ReportProfile(profile), target)
    assert load_workbook(target).sheetnames[0] == "Inhalt"
    assert [p.name for p in tmp_path.iterdir()] == ["tabellenband.xlsx"]
