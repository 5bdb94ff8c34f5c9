"""Recommendations a council can act on (issue 12, point 6): plan fields in the rule file, German
errors, the plan in the profile and in the Lagebericht."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey.cli import cli
from survey.errors import DefinitionError
from survey.recommendations import SHIPPED_RULES, load_rules
from survey.report.lagebericht.plan import add_plan, plan_table
from survey.report.lagebericht.profile import ReportProfile

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "wendelstadt"


def _rules(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED_RULES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "empfehlungen.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_shipped_rules_carry_a_plan():
    rules = load_rules()
    assert set(rules.plans) == {rule.id for rule in rules.rules}
    plan = rules.plans["angstraeume"]
    assert plan["responsible"] == ["KPR", "Stadtplanung", "Polizeirevier"]
    assert plan["effort"] == "hoch" and plan["success_indicator"] == {
        "indicator": "meidet_orte", "target": None, "direction": "lower"}


@pytest.mark.parametrize("new, message", [
    ("    aufwand: hoch\n    erfolgsindikator: {indikator: meidet_orte, richtung: sinken}",
     None),
    ("    aufwand: riesig\n    erfolgsindikator: {indikator: meidet_orte, richtung: sinken}",
     "Regel 'angstraeume': »aufwand« 'riesig' ist unbekannt; erlaubt: gering, mittel, hoch."),
    ("    aufwand: hoch\n    erfolgsindikator: {indikator: meidet_orte, ziel: viel weniger}",
     "Regel 'angstraeume': »ziel« 'viel weniger' ist kein Zielwert"),
    ("    aufwand: hoch\n    erfolgsindikator: {indikator: meidet_orte, richtung: runter}",
     "Regel 'angstraeume': »richtung« 'runter' ist unbekannt; erlaubt: sinken, steigen."),
    ("    aufwand: hoch\n    erfolgsindikator: {indikator: meidet_orte}",
     "»erfolgsindikator« braucht genau eines von »ziel«"),
])
def test_plan_errors_name_file_line_rule_and_value(tmp_path, new, message):
    old = "    aufwand: hoch\n    erfolgsindikator: {indikator: meidet_orte, richtung: sinken}"
    path = _rules(tmp_path, old, new)
    if message is None:
        assert load_rules(path).plans["angstraeume"]["effort"] == "hoch"
        return
    with pytest.raises(DefinitionError) as error:
        load_rules(path)
    text = str(error.value)
    assert message in text and "empfehlungen.yaml" in text and "Zeile" in text


def test_target_is_read(tmp_path):
    old = "erfolgsindikator: {indikator: unsicher_nachts, richtung: sinken}"
    path = _rules(tmp_path, old, 'erfolgsindikator: {indikator: unsicher_nachts, ziel: "< 25 %"}')
    plans = load_rules(path).plans
    assert {"indicator": "unsicher_nachts", "target": "< 25 %", "direction": None} in \
        [p["success_indicator"] for p in plans.values()]


def test_unknown_success_indicator_is_refused_by_every_command(tmp_path):
    folder = tmp_path / "w"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("ergebnis"))
    _rules(folder, "erfolgsindikator: {indikator: meidet_orte,", "erfolgsindikator: {indikator: meidet_ort,")
    for command in ("pruefen", "analysieren"):
        result = CliRunner().invoke(cli, [command, str(folder)])
        assert result.exit_code == 1
        assert "Regel 'angstraeume': »erfolgsindikator« 'meidet_ort' ist kein Kernindikator" in result.output
        assert "empfehlungen.yaml" in result.output and "Traceback" not in result.output


def test_plan_in_profile_and_report():
    from survey.folder import load_folder
    from survey.profile_builder import build_profile
    from survey.report.lagebericht.build import build_lagebericht

    profile = build_profile(load_folder(SAMPLE))
    recs = profile["recommendations"]
    assert recs and all(r["responsible"] and r["success_indicator"] for r in recs)
    rp = ReportProfile(profile)
    table = plan_table(rp)
    assert table.columns == ("Priorität", "Maßnahme", "Zuständigkeit", "Zeitrahmen", "Aufwand", "Erfolgsindikator")
    assert [row[1] for row in table.rows] == [r["title"] for r in recs]  # the engine's order
    assert table.rows[0][0].startswith("1 (")
    chapter = next(s for s in build_lagebericht(rp).sections if s.id == "empfehlungen")
    subsections = [b for b in chapter.blocks if hasattr(b, "heading")]
    assert len(subsections) == len(recs)
    for sub, rec in zip(subsections, recs):
        texts = [getattr(b, "text", "") for b in sub.blocks]
        assert any(t.startswith("Zuständig: " + ", ".join(rec["responsible"])) for t in texts)
        assert any(getattr(b, "caption", "").startswith("Belege für") for b in sub.blocks)  # evidence kept
    assert chapter.blocks.count(table) == 1
    assert add_plan(chapter, rp) == chapter  # applied once
