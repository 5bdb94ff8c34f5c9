"""Evidence of a recommendation (``analysis.profile.recommendations.Evidence``) in German: the finding's
label from its source and measure, and why a condition could not be evaluated."""

from __future__ import annotations

REFERENCES = {"rate_ratio_landkreis": "Landkreis", "rate_ratio_sachsen": "Sachsen"}
NOTES = {
    "missing": "Befund liegt nicht vor.",
    "suppressed": "Befund wegen zu geringer Fallzahl unterdrückt.",
    "no_threshold": "Vergleichswert fehlt.",
    "no_reference": "Referenzwert fehlt.",
    "no_interval": "Konfidenzintervall fehlt.",
}
OVERALL_REFERENCE = "Gesamtwert der Kommune"


def evidence_label(evidence: dict, year: int | None = None) -> str:
    """What the evidence is about, e.g. »Treiber: Problemindex Wohnumfeld« or »Betrug: Häufigkeitszahl 2024«."""
    source, measure, label = evidence.get("source"), evidence.get("measure"), evidence.get("label", "")
    group = evidence.get("group_label")
    if source == "indicator":
        text = f"{label} (standardisiert)" if measure == "standardised" else label
        return f"{text} ({group})" if group else text
    if source == "problem" and measure == "association":
        return f"Unterschied »nachts unsicher« bei »{label}«"
    if source == "driver":
        return f"Odds Ratio: {label}" if measure == "odds_ratio" else f"Treiber: {label}"
    if source == "pks":
        if measure in REFERENCES:
            return f"{label}: Häufigkeit gegenüber {REFERENCES[measure]}"
        if measure == "trend":
            return f"{label}: jährliche Veränderung"
        if measure == "hz":
            return f"{label}: Häufigkeitszahl {year}" if year else f"{label}: Häufigkeitszahl"
    return label


def note_text(code: str | None) -> str | None:
    return None if code is None else NOTES.get(code, code)


def reference_text(evidence: dict) -> str | None:
    """The source of the reference value the evidence was compared with."""
    if evidence.get("reference_source"):
        return evidence["reference_source"]
    return OVERALL_REFERENCE if evidence.get("reference_overall") else None
