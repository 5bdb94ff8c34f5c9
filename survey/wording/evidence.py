"""Evidence of a recommendation (``analysis.profile.recommendations.Evidence``) in German: the finding's
label from its source and measure, and why a condition could not be evaluated."""

from __future__ import annotations

from survey.profile.results import Evidence
from survey.wording.findings import STRENGTH_ADVERB, STRENGTH_CRITERION, adjusted_p

REFERENCES = {"rate_ratio_landkreis": "Landkreis", "rate_ratio_sachsen": "Sachsen"}
NOTES = {
    "missing": "Befund liegt nicht vor.",
    "suppressed": "Befund wegen zu geringer Fallzahl unterdrückt.",
    "no_threshold": "Vergleichswert fehlt.",
    "no_reference": "Referenzwert fehlt.",
    "no_interval": "Konfidenzintervall fehlt.",
}
OVERALL_REFERENCE = "Gesamtwert der Kommune"


def evidence_label(evidence: Evidence, year: int | None = None) -> str:
    """What the evidence is about, e.g. »Treiber: Problemindex Wohnumfeld« or »Betrug: Häufigkeitszahl 2024«."""
    source, measure, label = evidence.source, evidence.measure, evidence.label
    group = evidence.group_label
    if source == "indicator":
        text = f"{label} (standardisiert)" if measure == "standardised" else label
        return f"{text} ({group})" if group else text
    if source == "problem" and measure == "association":
        return f"Unterschied »nachts unsicher« bei »{label}«"
    if source == "driver" and measure == "association":
        return f"Zusammenhang mit »nachts unsicher«: {label}"
    if source == "driver":
        return f"Odds Ratio: {label}" if measure == "odds_ratio" else f"Treiber: {label}"
    if source == "pks":
        if measure in REFERENCES:
            return f"{label}: Häufigkeit gegenüber {REFERENCES[measure]}"
        if measure == "reference":
            return f"{label}: Häufigkeit gegenüber {REFERENCES.get('rate_ratio_' + str(evidence.group), 'Vergleichsgebiet')}"
        if measure == "trend":
            return f"{label}: jährliche Veränderung"
        if measure == "hz":
            return f"{label}: Häufigkeitszahl {year}" if year else f"{label}: Häufigkeitszahl"
    return label


def note_text(code: str | None) -> str | None:
    return None if code is None else NOTES.get(code, code)


def reference_text(evidence: Evidence) -> str | None:
    """The source of the reference value the evidence was compared with."""
    if evidence.reference_source:
        return evidence.reference_source
    return OVERALL_REFERENCE if evidence.reference_overall else None


# criteria of recommendation rules (Evidence.criterion / bound / operator / finding fields) in German
BOUNDS = {"estimate": "Schätzwert", "ci_low": "untere KI-Grenze", "ci_high": "obere KI-Grenze"}
OPERATORS = {">=": "mindestens", ">": "über", "<=": "höchstens", "<": "unter"}
# old profiles (before bound/operator were stored): the comparison code
LEGACY = {"estimate >= threshold": ("estimate", ">="), "estimate > threshold": ("estimate", ">"),
          "estimate <= threshold": ("estimate", "<="), "estimate < threshold": ("estimate", "<"),
          "ci_low >= threshold": ("ci_low", ">="), "ci_low > threshold": ("ci_low", ">"),
          "ci_low <= threshold": ("ci_low", "<="), "ci_low < threshold": ("ci_low", "<"),
          "ci_high >= threshold": ("ci_high", ">="), "ci_high > threshold": ("ci_high", ">"),
          "ci_high <= threshold": ("ci_high", "<="), "ci_high < threshold": ("ci_high", "<"),
          "above_reference": ("ci_low", ">"), "below_reference": ("ci_high", "<")}
# what a finding compares its subject with, per kind
AGAINST = {"subgroup": "bei den übrigen Befragten", "hotspot": "im Rest der Kommune",
           "reference": {"landkreis": "im übrigen Landkreis", "sachsen": "im übrigen Sachsen"},
           "association": None, "trend": None}
WANTED = {"worse": "ungünstiger", "better": "günstiger", "higher": "höher", "lower": "niedriger"}


def threshold_criterion(evidence: Evidence, number) -> str:  # noqa: ANN001 (number: value -> German text)
    """``obere KI-Grenze unter 70,0 %`` (``number`` formats the threshold in the evidence's unit)."""
    bound, operator = evidence.bound, evidence.operator
    if bound is None:
        bound, operator = LEGACY.get(evidence.comparison, (None, None))
    if bound is None or evidence.threshold is None:
        return ""
    return f"{BOUNDS[bound]} {OPERATORS[operator]} {number(evidence.threshold)}"


def finding_criterion(evidence: Evidence, p_text, group: str | None) -> str:  # noqa: ANN001
    """The finding as it was found, e.g. ``Ortsteil Am Bahnhof: deutlich höher als im Rest der Kommune
    (Benjamini-Hochberg-adjustiert p = 0,003)``; or why it does not hold."""
    kind = evidence.finding_kind
    against = AGAINST.get(kind)
    if isinstance(against, dict):
        against = against.get(evidence.group or "", "im Vergleichsgebiet")
    prefix = f"{group}: " if group else ""
    if evidence.strength is None:  # not evaluable
        return f"{prefix}Befund liegt nicht vor"
    p = adjusted_p(evidence.adjustment, evidence.p_adjusted,
                   evidence.strength != "none" and evidence.finding_direction != "equal", p_text)
    wanted = WANTED.get(evidence.required_direction or "", "ein Unterschied")
    need = f"Bedingung der Regel: {wanted}, mindestens {STRENGTH_CRITERION.get(evidence.min_strength or 'weak')}"
    if evidence.strength == "none" or evidence.finding_direction == "equal":
        if kind == "trend":
            return f"{prefix}kein gesicherter Trend ({p}; {need})"
        if kind == "association":
            return f"{prefix}kein gesicherter Zusammenhang ({p}; {need})"
        return f"{prefix}kein gesicherter Unterschied{' ' + against.replace('im ', 'zum ', 1).replace('bei den ', 'zu den ', 1) if against else ''} ({p}; {need})"
    word = "höher" if evidence.finding_direction == "higher" else "niedriger"
    adverb = STRENGTH_ADVERB[evidence.strength]
    if kind == "trend":
        text = f"{adverb} {'steigender' if word == 'höher' else 'fallender'} Trend"
    elif kind == "association":
        more = "mehr" if word == "höher" else "weniger"
        text = f"hängt {adverb} mit der nächtlichen Unsicherheit zusammen"
        p = f"höhere Werte gehen mit {more} Unsicherheit einher; {p}"
    else:
        text = f"{adverb} {word} als {against}"
    met = evidence.met
    return f"{prefix}{text} ({p})" + ("" if met else f"; {need}")
