"""Grammatical forms of breakdown groups and counted nouns, so that sentences read as German.

A breakdown group is stored as a code and a questionnaire label (``altersgruppe`` ``16-29``,
``geschlecht`` ``2`` »weiblich«, ``ortsteil`` ``3`` »Oststadt«). Dropped into a sentence, labels break
the German: »am höchsten bei »weiblich««, »bei »75+««. :func:`group_phrase` gives every group the forms
a sentence needs:

* ``label``: the group in a table or chart (``16–29 Jahre``, ``Frauen``, ``Oststadt``);
* ``people``: a noun phrase for the people in it (``Menschen von 16 bis 29 Jahren``, ``Frauen``,
  ``Menschen im Ortsteil Oststadt``), used as subject or object;
* ``among``: the prepositional phrase »where« a value holds (``bei Menschen ab 75 Jahren``, ``bei Frauen``,
  ``im Ortsteil Oststadt``).

Forms are known for the breakdowns of the standard instrument (age groups, sex, Ortsteil, answer
language); any other breakdown falls back to its label and the group label in quotes, which is plain
but never wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_AGE_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*(?:Jahre)?\s*$")
_AGE_OPEN = re.compile(r"^\s*(\d+)\s*(?:\+|Jahre und älter|und älter)\s*$")
_AGE_BELOW = re.compile(r"^\s*(?:unter|<)\s*(\d+)\s*(?:Jahre)?\s*$")

_SEX = {
    "männlich": ("Männer", "Männer", "bei Männern"),
    "weiblich": ("Frauen", "Frauen", "bei Frauen"),
    "divers": ("divers", "Menschen mit der Angabe »divers«", "bei Menschen mit der Angabe »divers«"),
}

LANGUAGE_NAMES = {
    "de": "Deutsch", "de-LS": "Leichter Sprache", "en": "Englisch", "pl": "Polnisch", "cs": "Tschechisch",
    "tr": "Türkisch", "ru": "Russisch", "uk": "Ukrainisch", "ar": "Arabisch",
}


@dataclass(frozen=True)
class GroupPhrase:
    label: str
    people: str
    among: str


def age_phrase(label: str) -> GroupPhrase | None:
    """``16-29`` → 16–29 Jahre / Menschen von 16 bis 29 Jahren; ``75+`` → ab 75 Jahren."""
    if match := _AGE_RANGE.match(label):
        low, high = match.groups()
        people = f"Menschen von {low} bis {high} Jahren"
        return GroupPhrase(f"{low}–{high} Jahre", people, f"bei {people}")
    if match := _AGE_OPEN.match(label):
        people = f"Menschen ab {match.group(1)} Jahren"
        return GroupPhrase(f"{match.group(1)} Jahre und älter", people, f"bei {people}")
    if match := _AGE_BELOW.match(label):
        people = f"Menschen unter {match.group(1)} Jahren"
        return GroupPhrase(f"unter {match.group(1)} Jahre", people, f"bei {people}")
    return None


def group_phrase(breakdown: str, label: str, breakdown_label: str | None = None) -> GroupPhrase:
    """The forms of the group ``label`` of ``breakdown`` (a breakdown id such as ``altersgruppe``)."""
    label = str(label).strip()
    if breakdown == "altersgruppe" and (phrase := age_phrase(label)):
        return phrase
    if breakdown == "geschlecht" and label.lower() in _SEX:
        table, people, among = _SEX[label.lower()]
        return GroupPhrase(table, people, among)
    if breakdown == "ortsteil":
        return GroupPhrase(label, f"Menschen im Ortsteil {label}", f"im Ortsteil {label}")
    if breakdown == "sprache":
        name = LANGUAGE_NAMES.get(label, label)
        answered = f"Antworten auf {name}" if label != "de-LS" else "Antworten in Leichter Sprache"
        return GroupPhrase(name if label != "de-LS" else "Leichte Sprache", answered, f"bei {answered}")
    prefix = f"{breakdown_label} " if breakdown_label else ""
    return GroupPhrase(label, f"Befragte mit {prefix}»{label}«", f"bei {prefix}»{label}«")


def counted(n: int, singular: str, plural: str, *, words: bool = False, one: str = "eine") -> str:
    """``1 Handlungsempfehlung``, ``2 Handlungsempfehlungen``; with ``words`` the number up to twelve as a
    word (``one`` is the form of »eins« that fits the noun: »eine Empfehlung«, »ein Ortsteil«)."""
    if not words:
        return f"{n} {singular if n == 1 else plural}"
    number = one if n == 1 else _WORDS.get(n, str(n))
    return f"{number} {singular if n == 1 else plural}"


_WORDS = {0: "keine", 2: "zwei", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs", 7: "sieben", 8: "acht", 9: "neun",
          10: "zehn", 11: "elf", 12: "zwölf"}
