"""Recommendation rules: shipped YAML loads; generic evaluation; German errors with file and line."""

from __future__ import annotations

import pytest

from analysis.profile.recommendations import Condition, Fact, FactKey, Rule, evaluate_rules
from survey.errors import DefinitionError
from survey.recommendations import load_rules


def fact(source, id_, estimate, low, high, measure="estimate", by=None, group=None, unit="share", flag="ok", n=100):
    key = FactKey(source, id_, measure, by, group)
    return key, Fact(key, id_, estimate, low, high, n, flag, unit)


def test_shipped_rules_load():
    rules = load_rules()
    ids = [rule.id for rule in rules.rules]
    assert "graffiti_sichtbar" in ids and len(ids) == len(set(ids))
    graffiti = next(rule for rule in rules.rules if rule.id == "graffiti_sichtbar")
    assert graffiti.conditions[0] == Condition(FactKey("indicator", "problem_gross_graffiti"), "ci_low >= threshold", 0.30)
    assert rules.fields_of_action["sachbeschaedigung_graffiti"] == "Sachbeschädigung und Graffiti"


def test_threshold_on_lower_bound():
    rules = [r for r in load_rules().rules if r.id == "graffiti_sichtbar"]
    facts = dict([fact("indicator", "problem_gross_graffiti", 0.42, 0.31, 0.53)])
    result = evaluate_rules(rules, facts)
    assert [r.rule_id for r in result.recommendations] == ["graffiti_sichtbar"]
    evidence = result.recommendations[0].evidence[0]
    assert (evidence.estimate, evidence.ci_low, evidence.threshold, evidence.met) == (0.42, 0.31, 0.30, True)
    facts = dict([fact("indicator", "problem_gross_graffiti", 0.42, 0.29, 0.53)])
    assert evaluate_rules(rules, facts).not_triggered == ("graffiti_sichtbar",)


def test_suppressed_and_missing_facts_never_trigger():
    rules = [r for r in load_rules().rules if r.id == "graffiti_sichtbar"]
    facts = dict([fact("indicator", "problem_gross_graffiti", None, None, None, flag="unterdrueckt", n=5)])
    assert evaluate_rules(rules, facts).not_evaluable == ("graffiti_sichtbar",)
    assert evaluate_rules(rules, {}).not_evaluable == ("graffiti_sichtbar",)


def test_pks_ratio_reference_is_one_and_any_combination():
    rules = [r for r in load_rules().rules if r.id == "sachbeschaedigung_pks"]
    above = dict([fact("pks", "sachbeschaedigung", 1.4, 1.1, 1.8, "rate_ratio_landkreis", unit="ratio")])
    fired = evaluate_rules(rules, above).recommendations
    assert fired and fired[0].evidence[0].threshold == 1.0
    overlap = dict([fact("pks", "sachbeschaedigung", 1.4, 0.9, 1.8, "rate_ratio_landkreis", unit="ratio")])
    assert not evaluate_rules(rules, overlap).recommendations


def test_any_group_against_overall():
    rule = Rule("o", "f", "T", "x", (Condition(FactKey("indicator", "u", "estimate", "ortsteil"),
                                               "above_reference", reference_overall=True),))
    facts = dict([fact("indicator", "u", 0.40, 0.37, 0.43),
                  fact("indicator", "u", 0.55, 0.47, 0.63, by="ortsteil", group="3"),
                  fact("indicator", "u", 0.39, 0.33, 0.45, by="ortsteil", group="1")])
    result = evaluate_rules([rule], facts)
    evidence = result.recommendations[0].evidence
    assert [(e.group, e.met, e.threshold) for e in evidence] == [("3", True, 0.40)]


def test_rule_file_errors_name_file_and_line(tmp_path):
    path = tmp_path / "empfehlungen.yaml"
    path.write_text(
        "version: 1\nhandlungsfelder: {a: A}\nregeln:\n  - id: r\n    handlungsfeld: a\n    titel: T\n"
        "    empfehlung: E\n    bedingungen:\n      - indikator: x\n        vergleich: ci_mitte >= schwelle\n"
        "        schwelle: 0.3\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_rules(path)
    assert str(error.value).startswith(f"{path}, Zeile 9: »regeln.0.bedingungen.0«: Vergleich 'ci_mitte >= schwelle' ist unbekannt")
    path.write_text(
        "version: 1\nhandlungsfelder: {a: A}\nregeln:\n  - id: r\n    handlungsfeld: b\n    titel: T\n"
        "    empfehlung: E\n    bedingungen:\n      - indikator: x\n        vergleich: ueber_referenz\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_rules(path)
    assert str(error.value) == (f"{path}, Zeile 5: Regel 'r': unbekanntes Handlungsfeld 'b'; bekannt sind a.")
