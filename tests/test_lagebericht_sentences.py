"""Sentences of the Lagebericht generated from a fixed small profile (exact strings)."""

from __future__ import annotations

import copy

import pytest

from survey.profile.base import Flag
from survey.profile.records import EstimateRecord
from survey.report.lagebericht import sentences as sen
from survey.report.lagebericht.profile import ReportProfile, flag_of, point_of
from analysis.findings.types import Finding
from survey.profile.crime import RateRatio, Trend

NB = "\u00a0"


def _ind(id_, label, est, lo, hi, n, flag="ok", kind="proportion"):
    return {"id": id_, "label": label, "kind": kind, "core": True, "ci_method": "logit", "estimate": est,
            "se": 0.02, "ci_low": lo, "ci_high": hi, "n": n, "weighted_n": n * 10.0, "deff": 1.0,
            "flag": flag, "flag_reason": None}


def _bd(ind, by, group, label, est, lo, hi, n, flag="ok"):
    rec = _ind(ind["id"], ind["label"], est, lo, hi, n, flag)
    rec.update(by=by, group=group, group_label=label)
    return rec


def _est(role, subject, group, value, n=100, rank=None):
    return {"role": role, "subject": subject, "group": group, "value": value, "se": 0.02, "ci_low": None,
            "ci_high": None, "n": n, "df": 380.0, "flag": "ok", "rank": rank}


def _finding(id_, kind, family, subject, strength, direction, estimates=(), p_adjusted=0.003, adjustment="holm",
             by=None, group=None, effect=0.2):
    return {"id": id_, "kind": kind, "family": family, "subject": subject, "by": by, "group": group,
            "estimates": list(estimates), "effect": {"kind": "difference_proportion", "value": effect,
                                                      "ci_low": None, "ci_high": None},
            "test": {"name": "svyttest", "statistic": 3.0, "df": 379.0, "p": p_adjusted / 3, "df2": None},
            "p_adjusted": p_adjusted, "adjustment": adjustment, "family_size": 3, "strength": strength,
            "direction": direction, "worse": None, "note": None}


def small_findings() -> list[dict]:
    n = "unsicher_nachts"
    return [
        _finding(f"subgroup:{n}:geschlecht:1", "subgroup", f"subgroup:{n}:geschlecht", n, "clear", "lower",
                 [_est("group", n, "1", 0.33, 180), _est("rest", n, None, 0.52, 195)], by="geschlecht", group="1"),
        _finding(f"subgroup:{n}:geschlecht:2", "subgroup", f"subgroup:{n}:geschlecht", n, "clear", "higher",
                 [_est("group", n, "2", 0.52, 195), _est("rest", n, None, 0.33, 183)], by="geschlecht", group="2"),
        _finding(f"breakdown:{n}:geschlecht", "breakdown", f"breakdown:{n}", n, "clear", "higher", by="geschlecht",
                 p_adjusted=0.0004),
        _finding(f"association:{n}:problem_gross_muell", "association", f"association:{n}:problems",
                 "problem_gross_muell", "clear", "higher",
                 [_est("group", n, "problem_gross_muell", 0.55, 120), _est("rest", n, "problem_gross_muell", 0.35, 240)],
                 by=n, p_adjusted=0.001),
        _finding(f"association:{n}:geschlecht", "association", f"association:{n}", "geschlecht", "strong", "higher",
                 by=n, p_adjusted=0.0003),
        _finding(f"association:{n}:problem_index", "association", f"association:{n}", "problem_index", "clear",
                 "higher", by=n, p_adjusted=0.02),
        _finding(f"association:{n}:ortsteil", "association", f"association:{n}", "ortsteil", "none", "equal",
                 by=n, p_adjusted=0.6),
    ]


def _recommendation(rule_id: str, priority: str, title: str) -> dict:
    return {"rule_id": rule_id, "field_of_action": "f", "field_of_action_label": "Feld", "title": title,
            "text": "Text.", "priority": priority, "evidence": []}


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
        "schema_version": "2.0", "created": "2026-11-21", "tool": {"name": "sicherheitsanalyse", "version": "test"},
        "commune": {"name": "Musterstadt", "ags": "14599999", "landkreis_ags": "14599000"},
        "wave": {"jahr": 2025, "label": "2025"},
        "questionnaire": {"id": "sicherheitsanalyse-standard", "version": "1", "core_version": "1"},
        "sample": {"gross": 1000, "net": 390, "response_rate": 0.39, "strata": [], "modes": {"papier": 300, "online": 90}},
        "weighting": {"method": "raking", "converged": True},
        "methods": {"variance": "taylor_calibration_residuals", "ci_method_proportion": "logit", "ci_method_mean": "t",
                    "confidence_level": 0.95, "df": 380,
                    "suppression": {"min_n_shown": 10, "min_n_reliable": 30, "max_ci_width_proportion": 0.2,
                                    "base": "valid_answers_in_group"}},
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
        "standardised": {"standard_population": {"name": "Sachsen", "source": "Test"}, "indicators": []},
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
        "fields_of_action": [],
        "recommendations": [_recommendation("r1", "hoch", "A"), _recommendation("r2", "mittel", "B")],
        "rules_summary": {"rules_total": 2}, "tests": {},
        "findings": small_findings(),
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
        f"33,1{NB}% der Befragten sehen »Schmutz und Müll« als ziemliches oder großes Problem "
        f"(95-%-KI 29,0–37,5{NB}%).")


def test_labels_with_a_colon_give_sentences_without_doubled_parentheses():
    """»ziemlich oder sehr stark beunruhigt: Einbruch« gave »… sind ziemlich oder sehr stark beunruhigt (Einbruch)
    (95-%-KI …).«; such labels are turned around."""
    assert sen.label_predicate("ziemlich oder sehr stark beunruhigt: Einbruch") == (
        "sind über Einbruch ziemlich oder sehr stark beunruhigt")
    assert sen.label_predicate("Opfer in den letzten 12 Monaten: Betrug") == (
        "wurden in den letzten 12 Monaten Opfer von Betrug")
    assert sen.label_predicate("Opfer sexueller Belästigung in den letzten 12 Monaten") == (
        "wurden Opfer sexueller Belästigung in den letzten 12 Monaten")
    profile = small_profile()
    profile["indicators"].append(_ind("sorge_hoch_einbruch", "ziemlich oder sehr stark beunruhigt: Einbruch", 0.337,
                                      0.261, 0.422, 121))
    assert sen.indicator_sentence(ReportProfile(profile), "sorge_hoch_einbruch") == (
        f"33,7{NB}% der Befragten sind über Einbruch ziemlich oder sehr stark beunruhigt (95-%-KI 26,1–42,2{NB}%).")


def test_suppressed_indicator_gives_no_sentence(rp):
    assert sen.indicator_sentence(rp, "anzeigequote_einbruch") is None


def test_subgroup_sentence_compares_the_group_with_the_rest(rp):
    text = sen.subgroup_sentence(rp, "unsicher_nachts", "geschlecht", "Geschlecht")
    assert text == (
        f"Nach Geschlecht: Männer (33,0{NB}%) und Frauen (52,0{NB}%). Bei Frauen ist der Anteil deutlich "
        f"höher als bei den übrigen Befragten (52,0{NB}% gegenüber 33,0{NB}%; Holm-adjustiert p{NB}={NB}0,003). "
        "Für Menschen mit diversem Geschlecht wird wegen zu weniger Antworten kein Wert ausgewiesen.")
    assert sen.claims_of(text) == ("subgroup:unsicher_nachts:geschlecht:2",)


def test_subgroup_sentence_without_supported_finding_claims_nothing():
    profile = small_profile()
    for f in profile["findings"]:
        if f["kind"] in ("subgroup", "breakdown"):
            f.update(strength="none", direction="equal", p_adjusted=0.21)
    text = sen.subgroup_sentence(ReportProfile(profile), "unsicher_nachts", "geschlecht", "Geschlecht")
    assert text == (
        f"Nach Geschlecht: Männer (33,0{NB}%) und Frauen (52,0{NB}%). Die Unterschiede zwischen den Gruppen "
        f"sind statistisch nicht gesichert (Holm-adjustiert p{NB}={NB}0,210). "
        "Für Menschen mit diversem Geschlecht wird wegen zu weniger Antworten kein Wert ausgewiesen.")
    assert sen.claims_of(text) == ()


def _ranking_profile(strength: str) -> ReportProfile:
    profile = small_profile()
    labels = {"problem_gross_muell": "Schmutz und Müll", "problem_gross_verkehr": "Verkehr und Parken",
              "problem_gross_laerm": "Lärm"}
    values = {"problem_gross_verkehr": 0.451, "problem_gross_muell": 0.331, "problem_gross_laerm": 0.12}
    for id_, value in values.items():
        if id_ != "problem_gross_muell":
            profile["indicators"].append(_ind(id_, f"ziemliches oder großes Problem: {labels[id_]}", value,
                                              value - 0.04, value + 0.04, 360))
    order = list(values)
    for rank, (upper, lower) in enumerate(zip(order, order[1:]), start=1):
        profile["findings"].append(_finding(
            f"ranking:problem:{rank}", "ranking", "ranking:problem", "problem",
            strength if rank == 1 else "clear", "higher" if (strength != "none" or rank > 1) else "equal",
            [_est("upper", upper, None, values[upper], rank=rank), _est("lower", lower, None, values[lower], rank=rank + 1)],
            p_adjusted=0.0004 if strength != "none" else 0.4))
    return ReportProfile(profile)


def test_top_problem_lead_only_with_a_supported_ranking():
    lead = sen.top_problem_sentence(_ranking_profile("clear"))
    assert lead == (
        f"Am häufigsten als ziemliches oder großes Problem im Wohnumfeld genannt wird »Verkehr und Parken« "
        f"(45,1{NB}%), mit gesichertem Abstand zum nächsten Problem (Holm-adjustiert p{NB}<{NB}0,001).")
    assert sen.claims_of(lead) == ("ranking:problem:1",)
    tie = sen.top_problem_sentence(_ranking_profile("none"))
    assert tie == (
        f"Am häufigsten als ziemliches oder großes Problem im Wohnumfeld genannt werden »Verkehr und Parken« "
        f"(45,1{NB}%) und »Schmutz und Müll« (33,1{NB}%); welcher Wert davon höher liegt, ist statistisch nicht "
        "gesichert.")
    assert sen.claims_of(tie) == ()


def test_problem_association_sentence_is_an_association(rp):
    text = sen.problem_association_sentence(rp)
    assert text == (
        f"Wer »Schmutz und Müll« als ziemliches oder großes Problem sieht, fühlt sich nachts häufiger unsicher als "
        f"die übrigen Befragten; bei »Schmutz und Müll« sind es 55,0{NB}% gegenüber 35,0{NB}% (Holm-adjustiert "
        f"p{NB}={NB}0,001). Das ist ein Zusammenhang, kein Nachweis einer Ursache.")
    assert sen.claims_of(text) == ("association:unsicher_nachts:problem_gross_muell",)


def test_driver_sentence_lists_supported_terms_only(rp):
    text = sen.driver_sentence(rp)
    assert text == (
        "Bei gleichzeitiger Berücksichtigung aller Merkmale hängt die nächtliche Unsicherheit statistisch "
        "gesichert mit »Geschlecht« und »Problemindex Wohnumfeld (1-4)« zusammen (Wald-Test je Merkmal, "
        "Holm-adjustiert).")
    assert sen.claims_of(text) == ("association:unsicher_nachts:geschlecht", "association:unsicher_nachts:problem_index")


def test_reporting_sentence_marks_unreliable_and_skips_suppressed(rp):
    # the value stands in running text, not in parentheses: the flag in words gets its own parentheses
    assert sen.reporting_sentence(rp) == (
        f"Von den Opfern von Fahrraddiebstahl haben 49,0{NB}% (eingeschränkt belastbar) die Tat angezeigt.")
    profile = small_profile()
    profile["indicators"].append(_ind("anzeigequote_betrug", "Anzeigequote Betrug (unter den Opfern)", 0.31, 0.2,
                                      0.45, 31))
    assert sen.reporting_sentence(ReportProfile(profile)) == (
        f"Angezeigt haben die Opfer bei Fahrraddiebstahl 49,0{NB}% (eingeschränkt belastbar) und bei Betrug 31,0{NB}%.")


def test_pks_missing_sentence_and_recommendation_count(rp):
    assert sen.pks_sentences(rp) == [
        "Für Musterstadt lag keine Polizeiliche Kriminalstatistik vor; der Bericht stützt sich allein auf "
        "die Befragung."]
    assert sen.recommendations_sentence(rp) == (
        "Aus den Befunden ergeben sich 2 Handlungsempfehlungen, davon eine mit hoher Priorität; jede ist mit den "
        "Befunden belegt, die sie auslösen (Kapitel Handlungsempfehlungen).")


def test_recommendation_count_singular_and_plural():
    profile = small_profile()
    profile["recommendations"] = [_recommendation("r1", "mittel", "A")]
    assert sen.recommendations_sentence(ReportProfile(profile)) == (
        "Aus den Befunden ergibt sich eine Handlungsempfehlung; sie ist mit den Befunden belegt, die sie auslösen "
        "(Kapitel Handlungsempfehlungen).")
    profile["recommendations"] = [_recommendation("r1", "hoch", "A")]
    assert sen.recommendations_sentence(ReportProfile(profile)) == (
        "Aus den Befunden ergibt sich eine Handlungsempfehlung mit hoher Priorität; sie ist mit den Befunden "
        "belegt, die sie auslösen (Kapitel Handlungsempfehlungen).")
    profile["recommendations"] = [_recommendation(t, "hoch", t) for t in "ABC"]
    assert sen.recommendations_sentence(ReportProfile(profile)) == (
        "Aus den Befunden ergeben sich 3 Handlungsempfehlungen, davon 3 mit hoher Priorität; jede ist mit den "
        "Befunden belegt, die sie auslösen (Kapitel Handlungsempfehlungen).")


def test_key_findings_start_with_night_and_day(rp):
    findings = sen.key_findings(rp)
    assert findings[0].endswith(f"Tagsüber sind es 8,1{NB}%.")
    assert findings[1].startswith("Nächtliche Unsicherheit nach Geschlecht:")


def test_flags_translate_and_suppressed_points_carry_no_value():
    profile = small_profile()
    hidden = copy.deepcopy(profile["breakdowns"]["records"][2])
    hidden["estimate"] = 0.98765  # even if a value slipped through, the flag hides it
    hidden = EstimateRecord.model_validate(hidden)
    assert flag_of(hidden) == "suppressed"
    assert point_of(hidden).value is None
    rp = ReportProfile(profile)
    assert flag_of(rp.indicator("anzeigequote_fahrrad")) == "unreliable"
    assert flag_of(rp.indicator("unsicher_nachts")) is None
    assert flag_of(rp.indicator("anzeigequote_einbruch")) == "suppressed"
    assert flag_of(None) == "suppressed"


def test_trend_and_rate_ratio_sentences_follow_the_finding():
    def trend(rate_ratio, ci_low, ci_high):
        return Trend(years=(2015, 2024), rate_ratio=rate_ratio, ci_low=ci_low, ci_high=ci_high, df_resid=8,
                     conf_level=0.95, method="quasipoisson")

    def finding(id_, kind, strength, direction, p_adjusted):
        return Finding.from_dict(_finding(id_, kind, id_.rsplit(":", 1)[0], "x", strength, direction,
                                          p_adjusted=p_adjusted))

    flat = finding("trend:1:x", "trend", "none", "equal", 0.3)
    assert sen.trend_sentence(trend(0.9858, 0.97, 1.0018), flat) == (
        f"Im Zeitraum 2015–2024 zeigt die Häufigkeitszahl keinen gesicherten Trend (95-%-KI −3,0{NB}% bis "
        f"+0,2{NB}% pro Jahr; Holm-adjustiert p{NB}={NB}0,300).")
    up = finding("trend:1:x", "trend", "clear", "higher", 0.004)
    text = sen.trend_sentence(trend(1.05, 1.02, 1.08), up)
    assert text == (f"Im Zeitraum 2015–2024 ist die Häufigkeitszahl im Mittel um 5,0{NB}% pro Jahr gestiegen "
                    f"(95-%-KI +2,0{NB}% bis +8,0{NB}% pro Jahr; Holm-adjustiert p{NB}={NB}0,004).")
    assert sen.claims_of(text) == ("trend:1:x",)
    rr = RateRatio(cases=125, population=10000, reference_cases=1000, reference_population=100000, ratio=1.25,
                   ci_low=1.1, ci_high=1.4, conf_level=0.95)
    above = finding("reference:landkreis:x", "reference", "clear", "higher", 0.01)
    assert sen.rate_ratio_sentence(rr, "im übrigen Landkreis", above) == (
        f"Die Belastung liegt um 25{NB}% über der im übrigen Landkreis (Verhältnis der Häufigkeitszahlen 1,25, "
        f"95-%-KI 1,10–1,40; Holm-adjustiert p{NB}={NB}0,010).")
    # significant before but not after the adjustment: no claim, and the adjusted p says why the interval
    # without 1 is not »gesichert« (Rabenau, generated: »1,06, 95-%-KI 1,01–1,12« stood alone)
    not_after = finding("reference:landkreis:x", "reference", "none", "equal", 0.154)
    assert sen.rate_ratio_sentence(rr, "im übrigen Landkreis", not_after) == (
        "Die Belastung unterscheidet sich nicht gesichert von der im übrigen Landkreis (Verhältnis der "
        f"Häufigkeitszahlen 1,25, 95-%-KI 1,10–1,40; Holm-adjustiert p{NB}={NB}0,154).")
    from survey.wording.findings import plain_language

    with plain_language():
        assert sen.rate_ratio_sentence(rr, "im übrigen Landkreis", not_after).endswith(
            "(Verhältnis der Häufigkeitszahlen 1,25, 95-%-KI 1,10–1,40; der Unterschied kann Zufall sein).")
        assert sen.trend_sentence(trend(0.9858, 0.97, 1.0018), flat).endswith(
            f"(95-%-KI −3,0{NB}% bis +0,2{NB}% pro Jahr; die Veränderung kann Zufall sein).")


def test_bracketed_value_says_unreliable_in_words() -> None:
    record = EstimateRecord(id="opfer_12m_betrug", estimate=0.158, ci_low=0.09, ci_high=0.26, n=24, flag="unsicher",
                            kind="proportion")
    assert sen.bracketed_value(record) == "15,8\u00a0%, eingeschränkt belastbar"
    from survey.wording.findings import plain_language

    with plain_language():  # the Kurzbericht's word, explained there
        assert sen.bracketed_value(record) == "15,8\u00a0%, statistisch unsicher"
    assert sen.bracketed_value(record.model_copy(update={"flag": Flag.OK})) == "15,8\u00a0%"
    assert sen.bracketed_value(record.model_copy(update={"flag": Flag.UNTERDRUECKT, "estimate": None})) == "/"


def _grouped_profile(by: str, groups: list[tuple[str, str, float]], higher: str, lead: bool) -> ReportProfile:
    profile = small_profile()
    nachts = profile["indicators"][0]
    profile["breakdowns"]["variables"].append({"id": by, "label": by, "groups": [
        {"code": c, "label": l} for c, l, _ in groups]})
    profile["breakdowns"]["records"] += [_bd(nachts, by, c, l, v, v - 0.05, v + 0.05, 60) for c, l, v in groups]
    n = "unsicher_nachts"
    value = {c: v for c, _, v in groups}
    profile["findings"].append(_finding(
        f"subgroup:{n}:{by}:{higher}", "subgroup", f"subgroup:{n}:{by}", n, "strong", "higher",
        [_est("group", n, higher, value[higher], 60), _est("rest", n, None, 0.30, 300)], by=by, group=higher,
        p_adjusted=0.0002))
    ordered = sorted(groups, key=lambda g: -g[2])
    profile["findings"].append(_finding(
        f"ranking:{n}:{by}:1", "ranking", f"ranking:{n}:{by}", n, "clear" if lead else "none",
        "higher" if lead else "equal",
        [_est("upper", n, ordered[0][0], ordered[0][2], rank=1), _est("lower", n, ordered[1][0], ordered[1][2], rank=2)],
        by=by, p_adjusted=0.01 if lead else 0.3))
    return ReportProfile(profile)


def test_group_phrases_for_age_groups_with_a_lead():
    rp = _grouped_profile("altersgruppe", [("16-29", "16-29", 0.20), ("30-59", "30-59", 0.31), ("75+", "75+", 0.61)],
                          "75+", lead=True)
    text = sen.subgroup_sentence(rp, "unsicher_nachts", "altersgruppe", "Altersgruppe")
    assert text == (
        f"Nach Altersgruppe: 16 bis 29 Jahre (20,0{NB}%), 30 bis 59 Jahre (31,0{NB}%) und 75 Jahre und älter "
        f"(61,0{NB}%). Bei Menschen ab 75 Jahren ist der Anteil erheblich höher als bei den übrigen Befragten "
        f"(61,0{NB}% gegenüber 30,0{NB}%; Holm-adjustiert p{NB}<{NB}0,001). Am höchsten ist der Anteil bei "
        f"Menschen ab 75 Jahren, mit gesichertem Abstand zur nächsten Gruppe (Holm-adjustiert p{NB}={NB}0,010).")
    assert sen.claims_of(text) == ("subgroup:unsicher_nachts:altersgruppe:75+", "ranking:unsicher_nachts:altersgruppe:1")


def test_group_phrases_for_ortsteile_without_a_lead():
    rp = _grouped_profile("ortsteil", [("1", "Altstadt", 0.25), ("2", "Oststadt", 0.55), ("3", "Am Bahnhof", 0.52)],
                          "2", lead=False)
    text = sen.subgroup_sentence(rp, "unsicher_nachts", "ortsteil", "Ortsteil")
    assert text == (
        f"Nach Ortsteil: Altstadt (25,0{NB}%), Oststadt (55,0{NB}%) und Am Bahnhof (52,0{NB}%). Im Ortsteil "
        f"Oststadt ist der Anteil erheblich höher als im Rest der Kommune (55,0{NB}% gegenüber 30,0{NB}%; "
        f"Holm-adjustiert p{NB}<{NB}0,001).")
    assert sen.claims_of(text) == ("subgroup:unsicher_nachts:ortsteil:2",)


def test_group_phrase_table():
    from survey.wording import groups as wg
    assert [wg.phrase("geschlecht", c, l) for c, l in (("1", "männlich"), ("2", "weiblich"))] == [
        "bei Männern", "bei Frauen"]
    assert wg.noun("altersgruppe", "45-59", "45-59") == "45 bis 59 Jahre"
    assert wg.phrase("altersgruppe", "75+", "75+") == "bei Menschen ab 75 Jahren"
    assert wg.phrase("ortsteil", "4", "Buchwald") == "im Ortsteil Buchwald"
    assert wg.phrase("bildung", "2", "Abitur") == "bei »Abitur«"
    assert (wg.rest("geschlecht"), wg.rest("ortsteil")) == ("bei den übrigen Befragten", "im Rest der Kommune")


def test_ortsteil_sentence_follows_the_ortsteil_screen():
    rp = _grouped_profile("ortsteil", [("1", "Altstadt", 0.25), ("2", "Oststadt", 0.55), ("3", "Am Bahnhof", 0.52)],
                          "2", lead=False)
    n = "unsicher_nachts"
    data = rp.document.model_dump(mode="json")
    for code, value, strength in (("1", 0.25, "none"), ("2", 0.55, "none"), ("3", 0.52, "clear")):
        data["findings"].append(_finding(
            f"hotspot:{n}:ortsteil:{code}", "hotspot", "hotspot:ortsteil", n, strength,
            "higher" if strength != "none" else "equal",
            [_est("group", n, code, value, 60), _est("rest", n, None, 0.31, 300)], by="ortsteil", group=code,
            adjustment="bh", p_adjusted=0.02 if strength != "none" else 0.2))
    rp = ReportProfile(data)
    text = sen.subgroup_sentence(rp, "unsicher_nachts", "ortsteil", "Ortsteil")
    assert text == (
        f"Nach Ortsteil: Altstadt (25,0{NB}%), Oststadt (55,0{NB}%) und Am Bahnhof (52,0{NB}%). Im Ortsteil "
        f"Am Bahnhof ist der Anteil deutlich höher als im Rest der Kommune (52,0{NB}% gegenüber 31,0{NB}%; "
        f"Benjamini-Hochberg-adjustiert p{NB}={NB}0,020).")
    assert sen.claims_of(text) == ("hotspot:unsicher_nachts:ortsteil:3",)


def _ortsteil_profile(worse_counts: dict[str, int]) -> ReportProfile:
    """small_profile with an Ortsteil screen: per Ortsteil label, that many unfavourable findings."""
    from survey.report.lagebericht.profile import ReportProfile as RP

    profile = small_profile()
    ids = [i["id"] for i in profile["indicators"] if i["estimate"] is not None]
    groups = []
    for code, (label, count) in enumerate(worse_counts.items(), start=1):
        findings = []
        for i in ids[:count]:
            f = _finding(f"ortsteil:{i}:ortsteil:{code}", "subgroup", "ortsteil", i, "clear", "higher",
                         [_est("group", i, str(code), 0.5), _est("rest", i, None, 0.3)], adjustment="bh",
                         by="ortsteil", group=str(code))
            f["worse"] = True
            findings.append(f)
        groups.append({"code": str(code), "label": label, "members": [str(code)], "pooled": False,
                       "too_few": False, "unreliable": False, "findings": findings})
    profile["ortsteil_profiles"] = {"by": "ortsteil", "kind": "ortsteil", "adjustment": "bh", "family_size": 20,
                                    "groups": groups}
    return RP(profile)


def test_kurzbericht_ortsteil_line_joins_with_one_und():
    from survey.report.lagebericht.kurz_local import ortsteil_section

    items = ortsteil_section(_ortsteil_profile({"Neu-Rabenau-Süd": 5, "Siedlung an der Bahn": 4,
                                                "Ober-Kleinschönbach": 2})).blocks[0].items
    named = ("»fühlt sich nachts in der Wohngegend unsicher«, »fühlt sich tagsüber in der Wohngegend unsicher«")
    assert items == (
        f"Neu-Rabenau-Süd: deutlich ungünstiger als im Rest von Musterstadt bei {named}, »meidet nach Einbruch der "
        "Dunkelheit manchmal oder oft bestimmte Orte« und 2 weiteren Kernindikatoren",
        f"Siedlung an der Bahn: deutlich ungünstiger als im Rest von Musterstadt bei {named}, »meidet nach Einbruch "
        "der Dunkelheit manchmal oder oft bestimmte Orte« und einem weiteren Kernindikator",
        "Ober-Kleinschönbach: deutlich ungünstiger als im Rest von Musterstadt bei »fühlt sich nachts in der "
        "Wohngegend unsicher« und »fühlt sich tagsüber in der Wohngegend unsicher«",
    )


def test_precision_sentence_shows_an_interval_of_the_profile():
    """The Methodik said »etwa ±5 Prozentpunkte« for any commune (with 125 respondents the intervals are about
    ±9 points wide): it now shows the first indicator's interval from the profile, whatever the sample size."""
    from survey.report.lagebericht.chapters_context import precision_sentence

    profile = small_profile()
    assert precision_sentence(ReportProfile(profile)) == (
        f"Ein Beispiel dafür, wie genau die Werte sind: Der Anteil der Befragten, die sich nachts in der Wohngegend "
        f"unsicher fühlen, liegt bei 42,9{NB}% (95-%-KI 39,3–46,6{NB}%). Bei Untergruppen sind die Intervalle breiter.")
    profile["indicators"] = [i for i in profile["indicators"] if i["id"] != "unsicher_nachts"]
    assert precision_sentence(ReportProfile(profile)) == (
        "Bei Untergruppen sind die Intervalle breiter als bei allen Befragten.")


def test_drivers_table_shows_the_adjusted_p_the_text_goes_by():
    """Birkenhain: »Keines der geprüften Merkmale hängt … statistisch gesichert … zusammen« above a table with
    »Geschlecht … p = 0,013« (the model's unadjusted p); the table now shows the findings' adjusted p."""
    from survey.report.lagebericht.chapters_results import drivers_chapter

    profile = small_profile()
    profile["drivers"].update(outcome="unsicher_nachts", outcome_label="fühlt sich nachts in der Wohngegend unsicher",
                              n=300, marginal_effects=[
        {"term": "geschlecht", "name": "geschlecht2", "label": "weiblich", "ame": 0.237, "se": 0.09,
         "ci_low": 0.051, "ci_high": 0.423, "p_value": 0.013},
        {"term": "problem_index", "name": "problem_index", "label": "Problemindex Wohnumfeld (1-4)", "ame": 0.174,
         "se": 0.11, "ci_low": -0.045, "ci_high": 0.394, "p_value": 0.128},
        {"term": "ortsteil", "name": "ortsteil2", "label": "Nord", "ame": -0.086, "se": 0.12, "ci_low": -0.332,
         "ci_high": 0.159, "p_value": 0.493}])
    profile["drivers"]["ranking"][0]["p_value"] = 0.013
    by_term = {f["subject"]: f for f in profile["findings"] if f["family"] == "association:unsicher_nachts"}
    by_term["geschlecht"].update(strength="none", direction="equal", p_adjusted=0.065)
    [table] = [b for b in drivers_chapter(ReportProfile(profile)).blocks if getattr(b, "columns", None)]
    assert [row[-1] for row in table.rows] == [f"p{NB}={NB}0,065", f"p{NB}={NB}0,020", f"p{NB}={NB}0,600"]
    units = {row[0]: row[1] for row in table.rows}  # a numeric term's effect is per step, said in words
    assert [v for k, v in units.items() if k.startswith("Problemindex")] == ["je Skalenpunkt"]
    assert table.note.endswith("Test: Wald-F-Test aller Ausprägungen, p-Wert Holm-adjustiert für die Zahl der "
                               "geprüften Merkmale (gesichert heißt danach unter 0,05).")



def test_ortsteil_note_on_unreliable_values_points_where_they_are_marked():
    """»Einige Werte dieses Ortsteils … (in Klammern).« stood under Ortsteile whose text showed no value in
    parentheses (a generated commune: »Siedlung an der Bahn unterscheidet sich bei keinem …«; its unreliable
    values were open markers in the chart only)."""
    from survey.report.lagebericht.ortsteile import group_text

    n = "unsicher_nachts"

    def group(code, strength, flag):
        estimate = _est("group", n, code, 0.5)
        estimate["flag"] = flag
        f = _finding(f"ortsteil:{n}:ortsteil:{code}", "subgroup", "ortsteil", n, strength,
                     "higher" if strength != "none" else "equal", [estimate, _est("rest", n, None, 0.3)],
                     adjustment="bh", by="ortsteil", group=code)
        f["worse"] = strength != "none"
        return {"code": code, "label": f"Ortsteil {code}", "members": [code], "pooled": False, "too_few": False,
                "unreliable": True, "findings": [f]}

    profile = small_profile()
    profile["ortsteil_profiles"] = {"by": "ortsteil", "kind": "ortsteil", "adjustment": "bh", "family_size": 3,
                                    "groups": [group("1", "clear", "unsicher"), group("2", "none", "unsicher"),
                                               group("3", "none", "ok")]}
    rp = ReportProfile(profile)
    block = rp.document.ortsteil_profiles
    listed, chart_only, elsewhere = ([getattr(b, "text", "") for b in group_text(rp, g, block)] for g in block.groups)
    start = "Einige Werte dieses Ortsteils beruhen auf wenigen Antworten und sind eingeschränkt belastbar"
    assert listed[-1] == f"{start} (in Klammern)."
    assert chart_only[-1] == f"{start} (in der Abbildung als nicht ausgefüllte Punkte)."
    assert not any(t.startswith(start) for t in elsewhere)



def test_problem_association_sentence_with_two_problems_says_oder():
    """»Wer »Graffiti« und »Vandalismus« als ziemliches oder großes Problem sieht« (Rabenau, generated) reads
    as both at once; each association is tested on its own."""
    profile = small_profile()
    n = "unsicher_nachts"
    profile["indicators"].append(_ind("problem_gross_graffiti", "ziemliches oder großes Problem: Graffiti", 0.2, 0.15,
                                      0.25, 350))
    profile["findings"].append(_finding(
        f"association:{n}:problem_gross_graffiti", "association", f"association:{n}:problems",
        "problem_gross_graffiti", "clear", "higher",
        [_est("group", n, "problem_gross_graffiti", 0.566, 70), _est("rest", n, "problem_gross_graffiti", 0.338, 280)],
        by=n, p_adjusted=0.019))
    assert sen.problem_association_sentence(ReportProfile(profile)) == (
        f"Wer »Schmutz und Müll« oder »Graffiti« als ziemliches oder großes Problem sieht, fühlt sich nachts häufiger "
        f"unsicher als die übrigen Befragten; bei »Schmutz und Müll« sind es 55,0{NB}% gegenüber 35,0{NB}% "
        f"(Holm-adjustiert p{NB}={NB}0,001). Das ist ein Zusammenhang, kein Nachweis einer Ursache.")


def test_profile_command_summary_counts_one_recommendation_in_the_singular(tmp_path):
    from survey.cli.profile_commands import summary_lines

    profile = small_profile()
    profile["recommendations"] = [_recommendation("r1", "mittel", "A")]
    lines = summary_lines(ReportProfile(profile).document, tmp_path)
    assert lines[0] == "Sicherheitsprofil Musterstadt 2025: 7 Indikatoren, 1 Empfehlung."



def test_recommendations_sentence_in_its_own_chapter_does_not_point_to_it(rp):
    """Chapter 15 »Handlungsempfehlungen« said »… belegt, die sie auslösen (Kapitel Handlungsempfehlungen).«"""
    from survey.report.lagebericht.chapters_results import recommendations_chapter

    texts = [getattr(b, "text", "") for b in recommendations_chapter(rp).blocks]
    assert texts[1] == ("Aus den Befunden ergeben sich 2 Handlungsempfehlungen, davon eine mit hoher Priorität; jede "
                        "ist mit den Befunden belegt, die sie auslösen.")

def test_run_summary_of_the_profile_step_counts_one_recommendation_in_the_singular():
    from survey.pipeline import profile_summary

    profile = small_profile()
    profile["recommendations"] = [_recommendation("r1", "mittel", "A")]
    assert profile_summary(ReportProfile(profile).document) == "7 Indikatoren, 1 Handlungsempfehlung"
    profile["recommendations"].append(_recommendation("r2", "mittel", "B"))
    assert profile_summary(ReportProfile(profile).document) == "7 Indikatoren, 2 Handlungsempfehlungen"


def test_success_indicator_reads_without_a_second_colon():
    """»Opfer in den letzten 12 Monaten: Betrug: soll sinken« (the label holds a colon already)."""
    from types import SimpleNamespace

    from survey.report.lagebericht.plan import success_text

    rp = ReportProfile(small_profile())
    label = rp.indicator("unsicher_nachts").label

    def rec(**success):
        return SimpleNamespace(success_indicator=SimpleNamespace(**{"indicator": "unsicher_nachts", "target": None,
                                                                    "direction": None, **success}))

    assert success_text(rp, rec(direction="lower")) == f"{label} (soll sinken)"
    assert success_text(rp, rec(target="30 %")) == f"{label} (Ziel: 30{NB}%)"
    assert success_text(rp, rec()) == label
    assert success_text(rp, SimpleNamespace(success_indicator=None)) == "kein Erfolgsindikator festgelegt"
