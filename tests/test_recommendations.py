"""Recommendation rules: shipped YAML loads; generic evaluation; German errors with file and line."""

from __future__ import annotations

import pytest

from analysis.findings.types import Effect, EstimateRef, Finding, Test
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


def test_pks_ratio_reference_is_one():
    rule = Rule("r", "f", "T", "x", (Condition(FactKey("pks", "sachbeschaedigung", "rate_ratio_landkreis"),
                                               "above_reference"),))
    above = dict([fact("pks", "sachbeschaedigung", 1.4, 1.1, 1.8, "rate_ratio_landkreis", unit="ratio")])
    fired = evaluate_rules([rule], above).recommendations
    evidence = fired[0].evidence[0]
    assert (evidence.threshold, evidence.criterion, evidence.bound, evidence.operator) == (1.0, "reference", "ci_low", ">")
    overlap = dict([fact("pks", "sachbeschaedigung", 1.4, 0.9, 1.8, "rate_ratio_landkreis", unit="ratio")])
    assert not evaluate_rules([rule], overlap).recommendations


def finding(kind, subject, strength, direction, *, by=None, group=None, worse=None, p_adjusted=0.003,
            adjustment="holm", estimates=(), note=None):
    tested = note is None
    return Finding(id=f"{kind}:{subject}:{by}:{group}", kind=kind, family=f"{kind}:{subject}", subject=subject,
                   estimates=estimates, effect=Effect("difference_proportion", 0.2, 0.1, 0.3),
                   test=Test("svyttest", 3.0, 300.0, 0.001) if tested else None,
                   p_adjusted=p_adjusted if tested else None, adjustment=adjustment, family_size=5,
                   strength=strength, direction=direction, by=by, group=group, worse=worse, note=note)


def test_finding_conditions_of_the_shipped_rules():
    rules = {r.id: r for r in load_rules().rules}
    ortsteil = rules["unsicherheit_ortsteil"]
    rest = EstimateRef("rest", "unsicher_nachts", None, 0.30, 0.02, 0.26, 0.34, 300)
    group = EstimateRef("group", "unsicher_nachts", "3", 0.55, 0.04, 0.47, 0.63, 40)
    findings = [finding("hotspot", "unsicher_nachts", "clear", "higher", by="ortsteil", group="3", worse=True,
                        estimates=(group, rest)),
                finding("hotspot", "unsicher_nachts", "weak", "higher", by="ortsteil", group="1", worse=True),
                finding("hotspot", "unsicher_nachts", "none", "equal", by="ortsteil", group="2", worse=False)]
    facts = dict([fact("indicator", "unsicher_nachts", 0.55, 0.47, 0.63, by="ortsteil", group="3")])
    result = evaluate_rules([ortsteil], facts, findings)
    [evidence] = result.recommendations[0].evidence
    assert (evidence.criterion, evidence.finding_ids, evidence.group, evidence.estimate, evidence.other,
            evidence.strength, evidence.p_adjusted, evidence.adjustment) == (
        "finding", ("hotspot:unsicher_nachts:ortsteil:3",), "3", 0.55, 0.30, "clear", 0.003, "holm")
    weak_only = [f for f in findings if f.group != "3"]
    assert evaluate_rules([ortsteil], facts, weak_only).not_triggered == ("unsicherheit_ortsteil",)
    assert evaluate_rules([ortsteil], facts, []).not_evaluable == ("unsicherheit_ortsteil",)
    suppressed = [finding("hotspot", "unsicher_nachts", "none", "equal", by="ortsteil", group="3", note="suppressed")]
    assert evaluate_rules([ortsteil], facts, suppressed).not_evaluable == ("unsicherheit_ortsteil",)


def test_group_rule_uses_the_groups_finding_not_the_overall_rate():
    seniors = load_rules().rules
    seniors = [r for r in seniors if r.id == "betrug_senioren"]
    overall = dict([fact("indicator", "opfer_12m_betrug", 0.20, 0.15, 0.25),
                    fact("indicator", "sorge_hoch_betrug", 0.60, 0.55, 0.65)])
    assert not evaluate_rules(seniors, overall).recommendations  # a high overall rate says nothing about the old
    older = [finding("subgroup", "sorge_hoch_betrug", "clear", "higher", by="altersgruppe", group="75+", worse=True)]
    fired = evaluate_rules(seniors, overall, older).recommendations
    assert [e.finding_ids for e in fired[0].evidence] == [("subgroup:sorge_hoch_betrug:altersgruppe:75+",)]
    lower = [finding("subgroup", "sorge_hoch_betrug", "clear", "lower", by="altersgruppe", group="75+", worse=False)]
    assert not evaluate_rules(seniors, overall, lower).recommendations


def test_recommendations_come_sorted_with_rank():
    rules = [Rule(name, "f", name, "x", (Condition(FactKey("indicator", "u"), "estimate >= threshold", 0.1),),
                  priority=priority) for name, priority in (("a", "niedrig"), ("b", "hoch"), ("c", "mittel"), ("d", "hoch"))]
    facts = dict([fact("indicator", "u", 0.4, 0.3, 0.5)])
    fired = evaluate_rules(rules, facts).recommendations
    assert [(r.rule_id, r.rank) for r in fired] == [("b", 1), ("d", 2), ("c", 3), ("a", 4)]


def test_old_overall_reference_becomes_a_finding_against_the_rest(tmp_path):
    path = tmp_path / "empfehlungen.yaml"
    path.write_text(
        "version: 1\nhandlungsfelder: {a: A}\nregeln:\n  - id: r\n    handlungsfeld: a\n    titel: T\n"
        "    empfehlung: E\n    bedingungen:\n      - indikator: u\n        gruppe: {nach: geschlecht, code: 2}\n"
        "        vergleich: ueber_referenz\n        referenz: gesamt\n", encoding="utf-8")
    [condition] = load_rules(path).rules[0].conditions
    assert (condition.finding, condition.key.by, condition.key.group, condition.direction) == (
        "subgroup", "geschlecht", "2", "higher")


def test_finding_condition_errors(tmp_path):
    path = tmp_path / "empfehlungen.yaml"
    path.write_text(
        "version: 1\nhandlungsfelder: {a: A}\nregeln:\n  - id: r\n    handlungsfeld: a\n    titel: T\n"
        "    empfehlung: E\n    bedingungen:\n      - pks: betrug\n        befund: vergleich\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_rules(path)
    assert "»gebiet: landkreis|sachsen« gehört genau zu »befund: vergleich«." in str(error.value)
    assert "Zeile 9" in str(error.value)


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


def test_cleanliness_rule_claims_no_cause():
    """The rule fires on the share alone; its text said »Sichtbare Unordnung verstärkt Unsicherheit«, a causal
    claim that the neighbouring rule (an association, »ein Beweis für eine Ursache ist das nicht«) and the
    chapter »Was das Sicherheitsgefühl erklärt« do not make."""
    [rule] = [r for r in load_rules().rules if r.id == "muell_ordnung"]
    assert rule.text == (
        "Müll und Verschmutzung gelten vielen Befragten als ziemliches oder großes Problem. Sauberkeit kann die "
        "Kommune unmittelbar beeinflussen; eine Sauberkeitsinitiative mit Ordnungsamt, Bauhof und Bürgerschaft "
        "(»Saubere Stadt«) setzt hier an.")
