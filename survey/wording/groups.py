"""Grammatical forms of breakdown groups for sentences (issue 13): a group is »Frauen« in a list and
»bei Frauen« in a comparison, an age group »75 Jahre und älter« / »bei Menschen ab 75 Jahren«, an
Ortsteil »Oststadt« / »im Ortsteil Oststadt«; the comparison side is »den übrigen Befragten« or
»im Rest der Kommune«. Codes not in the table fall back to the label in guillemets (never a code)."""

from __future__ import annotations

import re

# breakdown -> code -> (list form, comparison form)
PHRASES: dict[str, dict[str, tuple[str, str]]] = {
    "geschlecht": {"1": ("Männer", "bei Männern"), "2": ("Frauen", "bei Frauen"),
                   "3": ("Menschen mit diversem Geschlecht", "bei Menschen mit diversem Geschlecht")},
}
REST = {"ortsteil": ("im Rest der Kommune", "vom Rest der Kommune")}
DEFAULT_REST = ("bei den übrigen Befragten", "von den übrigen Befragten")
AGE_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*(?:Jahre)?\s*$")
AGE_FROM = re.compile(r"^\s*(\d+)\s*(?:\+|Jahre und älter)\s*$")
AGE_BREAKDOWNS = ("altersgruppe",)
PLACE_BREAKDOWNS = ("ortsteil",)


def _age(label: str) -> tuple[str, str] | None:
    match = AGE_RANGE.match(label)
    if match:
        low, high = match.groups()
        return f"{low} bis {high} Jahre", f"bei Menschen von {low} bis {high} Jahren"
    match = AGE_FROM.match(label)
    if match:
        return f"{match.group(1)} Jahre und älter", f"bei Menschen ab {match.group(1)} Jahren"
    return None


def forms(by: str, code: str, label: str) -> tuple[str, str]:
    """``(list form, comparison form)`` of group ``code`` (label ``label``) of breakdown ``by``."""
    table = PHRASES.get(by, {})
    if str(code) in table:
        return table[str(code)]
    if by in AGE_BREAKDOWNS:
        age = _age(label)
        if age is not None:
            return age
    if by in PLACE_BREAKDOWNS:
        return label, f"im Ortsteil {label}"
    return f"»{label}«", f"bei »{label}«"


def noun(by: str, code: str, label: str) -> str:
    """The group in a list: »Frauen«, »75 Jahre und älter«, »Oststadt«."""
    return forms(by, code, label)[0]


def phrase(by: str, code: str, label: str) -> str:
    """The group in a comparison: »bei Frauen«, »bei Menschen ab 75 Jahren«, »im Ortsteil Oststadt«."""
    return forms(by, code, label)[1]


def rest(by: str) -> str:
    """The other side of a group comparison: »bei den übrigen Befragten«, »im Rest der Kommune«."""
    return REST.get(by, DEFAULT_REST)[0]


def rest_from(by: str) -> str:
    """The other side after »sich abheben«: »von den übrigen Befragten«, »vom Rest der Kommune«."""
    return REST.get(by, DEFAULT_REST)[1]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
