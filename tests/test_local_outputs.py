"""Wave and Ortsteil content in the Kurzbericht and the Tabellenband (issue 12, point 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.folder import load_folder
from survey.profile_builder import build_profile
from survey.report.lagebericht.build import build_kurzbericht
from survey.report.lagebericht.profile import ReportProfile
from survey.report.tabellenband import build_workbook

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "wendelstadt-2027"


@pytest.fixture(scope="module")
def rp() -> ReportProfile:
    return ReportProfile(build_profile(load_folder(SAMPLE)))


def _all_text(blocks) -> str:
    out = []
    for block in blocks:
        out.append(getattr(block, "text", ""))
        out.extend(i for i in getattr(block, "items", ()) if isinstance(i, str))
        if hasattr(block, "blocks"):
            out.append(_all_text(block.blocks))
    return " ".join(out)


def test_kurzbericht_has_change_and_ortsteil(rp):
    doc = build_kurzbericht(rp)
    text = _all_text(doc.sections)
    change = rp.document.change
    moved = [f for f in change.findings if f.by is None and f.strength != "none"]
    if moved:
        assert "Seit der Befragung 2025:" in text
    else:
        assert "Gegenüber der Befragung 2025 hat sich keiner der Kernindikatoren erkennbar verändert." in text
    ortsteil = next(s for s in doc.sections[1].blocks if getattr(s, "heading", "") == "Ihr Ortsteil")
    items = ortsteil.blocks[0].items
    groups = rp.document.ortsteil_profiles.groups
    assert [i.split(":")[0] for i in items] == [g.label for g in groups]
    bahnhof = next(g for g in groups if g.label == "Am Bahnhof")
    worse = [f for f in bahnhof.findings if f.strength in ("clear", "strong") and f.worse]
    line = next(i for i in items if i.startswith("Am Bahnhof"))
    assert ("deutlich ungünstiger" in line) == bool(worse)


def test_tabellenband_sheets(rp):
    wb = build_workbook(rp)
    names = {short: next(n for n in wb.sheetnames if n.endswith(f" {short}"))
             for short in ("Veränderungen", "Ortsteilprofile", "Maßnahmenplan")}
    assert all(name[0] == "T" and name[1:3].isdigit() for name in names.values())  # numbered like every table
    contents = [row[1] for row in wb["Inhalt"].iter_rows(values_only=True)]
    assert set(names.values()) <= set(contents)
    ws = wb[names["Veränderungen"]]
    assert ws.cell(row=1, column=1).value.startswith("Veränderungen ") and ws.freeze_panes == "C5" and ws.auto_filter.ref
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None]
    findings = rp.document.change.findings
    assert len(rows) == len(findings)
    first = findings[0]
    row = rows[0]
    assert row[0] == rp.indicator(first.subject).label and row[1] == "insgesamt"
    assert row[2] == pytest.approx(first.estimates[0].value) and row[14] == pytest.approx(first.p_adjusted)
    assert row[15] == "Holm"
    for row in rows:  # a suppressed estimate is "/" with n "< 10", never a number
        if row[2] == "/":
            assert row[5] == "< 10"
    plan = [r for r in wb[names["Maßnahmenplan"]].iter_rows(min_row=5, values_only=True) if r[0] is not None]
    assert [r[1] for r in plan] == [r.title for r in rp.document.recommendations]
    assert all(r[3] for r in plan)
