"""Sentences of the Lagebericht generated from a fixed small profile (exact strings)."""

from __future__ import annotations

import copy

import pytest

from survey.report.lagebericht import sentences as sen
from survey.report.lagebericht.profile import ReportProfile, flag_of, point_of

NB = "\u00a0"


def _ind(id_, label, est, lo, hi, n, flag="ok", kind="proportion"):
    return {"id": id_, "label": label, "kind": kind, "core": True, "ci_method": "logit", "estimate": est,
            "se": 0.02, "ci_low": lo, "ci_high": hi, "n": n, "weighted_n": n * 10.0, "deff": 1.0,
            "flag": flag, "flag_reason": None}


def _bd(ind, by, group, label, est, lo, hi, n, flag="ok"):
    rec = _ind(ind["id"], ind["label"], est, lo, hi, n, flag)
    rec.update(by=by, group=group, group_label=label)
    return rec


def small_profile() -> dict:
    """A hand-made profile of a fictional commune (only the parts the report reads)."""
    nachts = _ind("unsicher_nachts", "fühlt sich nachts in der Wohngegend unsicher", 0.4285, 0.3931, 0.4657, 380)
    tag = _ind("unsicher_tag", "fühlt sich tagsüber in der Wohngegend unsicher", 0.081, 0.060, 0.105, 388)
    meidet = _ind("meidet_orte", "meidet nach Einbruch der Dunkelheit manchmal oder oft bestimmte Orte",
                  0.312, 0.27, 0.357, 372)
    gern = _ind("wohnt_gern", "wohnt sehr gern oder gern in der Wohngegend", 0.869, 0.826, 0.902, 356)
    aq = _ind("anzeigequote_einbruch", "Anzeigequote Einbruch (unter den Opfern)", None, None, None, 4, "unterdrueckt")
    aq2 = _ind("anzeigequote_fahrrad", "Anzeigequote Fahrraddiebstahl (unter den Opfern)", 0.49, 0.30, 0.68, 22,
               "unsicher")
    problem = _ind("problem_gross_muell", "ziemliches oder großes Problem: Schmutz und Müll", 0.331, 0.29, 0.375, 360)
    return {
        "schema_version": "1.0", "created": "2026-11-21",
        "commune": {"name": "Musterstadt", "ags": "14599999", "landkreis_ags": "14599000"},
        "wave": {"jahr": 2025, "label": "2025"},
        "questionnaire": {"id": "sicherheitsanalyse-standard", "version": "1", "core_version": "1"},
        "sample": {"gross": 1000, "net": 390, "response_rate": 0.39, "strata": [], "modes": {"papier": 300, "online": 90}},
        "weighting": {"method": "raking", "converged": True},
        "methods": {"confidence_level": 0.95, "df": 380, "suppression_rules": "Regeln.", "notes": []},
        "indicators": [nachts, tag, meidet, gern, aq, aq2, problem],
        "breakdowns": {
            "variables": [{"id": "geschlecht", "label": "Geschlecht",
                           "groups": [{"code": "1", "label": "männlich"}, {"code": "2", "label": "weiblich"},
                                      {"code": "3", "label": "divers"}]}],
            "records": [
                _bd(nachts, "geschlecht", "1", "männlich", 0.33, 0.28, 0.385, 180),
                _bd(nachts, "geschlecht", "2", "weiblich", 0.52, 0.465, 0.575, 195),
                _bd(nachts, "geschlecht", "3", "divers", None, None, None, 3, "unterdrueckt"),
            ]},
        "standardised": {"indicators": []},
        "item_distributions": [],
        "problems": [{"indicator": "problem_gross_muell", "label": problem["label"], "prevalence": problem,
                      "association": {"share_with": 0.55, "share_without": 0.35, "n_with": 120, "n_without": 240,
                                      "difference": 0.2, "se": 0.05, "ci_low": 0.1, "ci_high": 0.3,
                                      "p_value": 0.001, "flag": "ok", "flag_reason": None},
                      "rank_prevalence": 1, "rank_association": 1}],
        "drivers": {"available": True, "ranking": [
            {"term": "geschlecht", "label": "Geschlecht", "p_value": 0.0001},
            {"term": "problem_index", "label": "Problemindex Wohnumfeld (1-4)", "p_value": 0.01},
            {"term": "ortsteil", "label": "Ortsteil", "p_value": 0.3}]},
        "crime": {"available": False, "reason": "no_pks"},
        "dunkelfeld": {"available": False, "rows": [], "caveats": []},
        "recommendations": [{"priority": "hoch", "title": "A"}, {"priority": "mittel", "title": "B"}],
    }


@pytest.fixture
def rp() -> ReportProfile:
    return ReportProfile(small_profile())


def test_core_indicator_sentence(rp):
    assert sen.indicator_sentence(rp, "unsicher_nachts") == (
        f"42,9{NB}% der Einwohnerinnen und Einwohner ab 16 Jahren fühlen sich nachts allein in ihrer "
        f"Wohngegend unsicher (95-%-KI 39,3–46,6{NB}%).")


def test_generic_indicator_sentence_turns_label_into_plural(rp):
    assert sen.indicator_sentence(rp, "wohnt_gern") == (
        f"86,9{NB}% der Befragten wohnen sehr gern oder gern in der Wohngegend (95-%-KI 82,6–90,2{NB}%).")
    assert sen.indicator_sentence(rp, "problem_gross_muell") == (
        f"33,1{NB}% der Befragten sehen ein ziemliches oder großes Problem (Schmutz und Müll) "
        f"(95-%-KI 29,0–37,5{NB}%).")


def test_suppressed_indicator_gives_no_sentence(rp):
    assert sen.indicator_sentence(rp, "anzeigequote_einbruch") is None


def test_subgroup_sentence_names_hidden_group_without_value(rp):
    text = sen.subgroup_sentence(rp, "unsicher_nachts", "geschlecht", "Geschlecht")
    assert text == (
        f"Nach Geschlecht: am höchsten bei »weiblich« (52,0{NB}%), am niedrigsten bei »männlich« (33,0{NB}%). "
        "Die Konfidenzintervalle überschneiden sich nicht; der Unterschied ist deutlich. "
        "Für »divers« wird wegen zu weniger Antworten kein Wert ausgewiesen.")


def test_problem_and_association_sentences(rp):
    assert sen.top_problem_sentence(rp) == (
        f"Als größtes Problem im Wohnumfeld gilt »Schmutz und Müll«: 33,1{NB}% (95-%-KI 29,0–37,5{NB}%) "
        "sehen hier ein ziemliches oder großes Problem.")
    assert sen.strongest_association_sentence(rp) == (
        f"Wer »Schmutz und Müll« als ziemliches oder großes Problem sieht, fühlt sich nachts häufiger unsicher "
        f"(55,0{NB}% gegenüber 35,0{NB}%; Unterschied +20,0{NB}Pp., 95-%-KI +10,0 bis +30,0{NB}Pp.).")


def test_driver_sentence_lists_secured_terms_only(rp):
    assert sen.driver_sentence(rp) == (
        "Bei gleichzeitiger Berücksichtigung aller Merkmale hängt die nächtliche Unsicherheit am stärksten mit "
        f"»Geschlecht« und »Problemindex Wohnumfeld (1-4)« zusammen (statistisch gesichert, p{NB}<{NB}0,05).")


def test_reporting_sentence_marks_unreliable_and_skips_suppressed(rp):
    assert sen.reporting_sentence(rp) == (
        f"Von den Opfern von Fahrraddiebstahl haben (49,0{NB}%) die Tat angezeigt.")


def test_pks_missing_sentence_and_recommendation_count(rp):
    assert sen.pks_sentences(rp) == [
        "Für Musterstadt lag keine Polizeiliche Kriminalstatistik vor; der Bericht stützt sich allein auf "
        "die Befragung."]
    assert sen.recommendations_sentence(rp) == (
        "Aus den Befunden ergeben sich 2 Handlungsempfehlungen, davon 1 mit hoher Priorität; jede ist mit den "
        "Befunden belegt, die sie auslösen (Kapitel Handlungsempfehlungen).")


def test_key_findings_start_with_night_and_day(rp):
    findings = sen.key_findings(rp)
    assert findings[0].endswith(f"Tagsüber sind es 8,1{NB}%.")
    assert findings[1].startswith("Nächtliche Unsicherheit nach Geschlecht:")


def test_flags_translate_and_suppressed_points_carry_no_value():
    profile = small_profile()
    hidden = copy.deepcopy(profile["breakdowns"]["records"][2])
    hidden["estimate"] = 0.98765  # even if a value slipped through, the flag hides it
    assert flag_of(hidden) == "suppressed"
    assert point_of(hidden).value is None
    assert flag_of(profile["indicators"][5]) == "unreliable"
    assert flag_of(profile["indicators"][0]) is None


def test_trend_and_rate_ratio_sentences():
    trend = {"years": [2015, 2024], "rate_ratio": 0.9858, "ci_low": 0.97, "ci_high": 1.0018}
    assert sen.trend_sentence(trend) == (
        f"Im Zeitraum 2015–2024 zeigt die Häufigkeitszahl keinen gesicherten Trend (95-%-KI −3,0{NB}% bis "
        f"+0,2{NB}% pro Jahr).")
    rr = {"ratio": 1.25, "ci_low": 1.1, "ci_high": 1.4}
    assert sen.rate_ratio_sentence(rr, "im übrigen Landkreis") == (
        f"Die Belastung liegt um 25{NB}% über der im übrigen Landkreis (Rate Ratio 1,25, 95-%-KI 1,10–1,40).")


def test_bracketed_value_says_unreliable_in_words() -> None:
    record = {"estimate": 0.158, "ci_low": 0.09, "ci_high": 0.26, "n": 24, "flag": "unsicher", "kind": "proportion"}
    assert sen.bracketed_value(record) == "15,8\u00a0%, statistisch unsicher"
    assert sen.bracketed_value({**record, "flag": "ok"}) == "15,8\u00a0%"
    assert sen.bracketed_value({**record, "flag": "unterdrueckt", "estimate": None}) == "/"
