"""Recommendation criteria in German from the engine's structured evidence (never rule syntax)."""

from __future__ import annotations

from survey.profile.results import Evidence
from survey.report import formatting as fmt
from survey.wording import evidence as we

NB = "\u00a0"


def _evidence(**fields) -> Evidence:
    """Evidence of a rule as the profile holds it (the required fields, then the case's own)."""
    return Evidence(**{"source": "indicator", "id": "unsicher_nachts", "measure": "estimate",
                       "label": "nachts unsicher", "comparison": "", "required": True, **fields})


def test_threshold_criteria():
    percent = fmt.percent
    assert we.threshold_criterion(_evidence(criterion="threshold", bound="ci_high", operator="<", threshold=0.7),
                                  percent) == f"obere KI-Grenze unter 70,0{NB}%"
    assert we.threshold_criterion(_evidence(criterion="reference", bound="ci_low", operator=">", threshold=0.25),
                                  percent) == f"untere KI-Grenze über 25,0{NB}%"
    # profiles written before the bound and operator were stored
    assert we.threshold_criterion(_evidence(comparison="estimate >= threshold", threshold=0.02), percent) == (
        f"Schätzwert mindestens 2,0{NB}%")


def _finding_evidence(**changes):
    evidence = {"criterion": "finding", "finding_kind": "hotspot", "strength": "clear", "finding_direction": "higher",
                "p_adjusted": 0.003, "adjustment": "holm", "min_strength": "clear", "required_direction": "worse",
                "met": True, "group": "2"}
    evidence.update(changes)
    return _evidence(**evidence)


def test_finding_criteria():
    assert we.finding_criterion(_finding_evidence(), fmt.p_value, "Ortsteil Am Bahnhof") == (
        f"Ortsteil Am Bahnhof: deutlich höher als im Rest der Kommune (Holm-adjustiert p{NB}={NB}0,003)")
    assert we.finding_criterion(_finding_evidence(finding_kind="subgroup", strength="strong", adjustment="bh"),
                                fmt.p_value, "Frauen") == (
        f"Frauen: erheblich höher als bei den übrigen Befragten (Benjamini-Hochberg-adjustiert p{NB}={NB}0,003)")
    assert we.finding_criterion(
        _finding_evidence(finding_kind="reference", group="landkreis", strength="none", finding_direction="equal",
                          p_adjusted=0.41, met=False, min_strength="weak", required_direction="higher"),
        fmt.p_value, None) == (
        f"kein gesicherter Unterschied zum übrigen Landkreis (Holm-adjustiert p{NB}={NB}0,410; Bedingung der Regel: "
        "höher, mindestens statistisch gesichert)")
    assert we.finding_criterion(_finding_evidence(finding_kind="trend", strength="weak", group=None), fmt.p_value,
                                None) == f"etwas steigender Trend (Holm-adjustiert p{NB}={NB}0,003)"
    assert we.finding_criterion(_finding_evidence(finding_kind="association", group=None), fmt.p_value, None) == (
        "hängt deutlich mit der nächtlichen Unsicherheit zusammen (höhere Werte gehen mit mehr Unsicherheit "
        f"einher; Holm-adjustiert p{NB}={NB}0,003)")
    assert we.finding_criterion(_evidence(criterion="finding", finding_kind="hotspot", strength=None), fmt.p_value,
                                None) == "Befund liegt nicht vor"
