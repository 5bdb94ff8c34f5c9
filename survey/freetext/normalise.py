"""Normalised mentions of free-text answers: one key per way of naming the same thing.

Two layers:

* :func:`mention_key` is the key of a row in the coding table. It folds what never distinguishes two
  places: case, whitespace, umlauts and ß (``ä`` → ``ae``, so »Unterführung« and »Unterfuehrung«
  meet), other accents, punctuation, hyphens inside compounds (»Stadt-Park« → ``stadtpark``), the
  spellings of »Straße« (``Str.``, ``Strasse``, ``Hauptstr.`` → ``hauptstrasse``), a few fixed
  abbreviations (``Bhf.`` → ``bahnhof``, ``Hbf.`` → ``hauptbahnhof``, ``…pl.`` → ``…platz``) and the
  small words before a place name (»am«, »an der«, »an dem«, »im«, »beim«, articles …).
* :func:`grouping_form` is only used to *propose* groups: it also drops words that qualify a place
  without naming it (»abends«, »nachts«, »nach Einbruch der Dunkelheit«, »Bereich« …).

:func:`split_answer` cuts one answer into the places it lists (»Bahnhof, Stadtpark und Friedhof«).
Tokens written as abbreviations (``Unterf.``) are reported by :func:`abbreviations` so that the
grouping can expand them against the words other respondents wrote in full.
"""

from __future__ import annotations

import re
import unicodedata

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue",
                         "ẞ": "ss"})
# Small words before or inside a place name that never tell two places apart.
FILLER_WORDS = frozenset({
    "am", "an", "auf", "bei", "beim", "im", "in", "zum", "zur", "vom", "von",
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einem", "einer", "dort", "da",
})
# Words that qualify a place (when, how) without naming it; dropped only for the grouping proposal.
QUALIFIER_WORDS = frozenset({
    "abends", "abend", "nachts", "nacht", "tagsueber", "morgens", "frueh", "spaet", "immer", "oft", "manchmal",
    "besonders", "vor", "allem", "nach", "einbruch", "dunkelheit", "dunkeln", "dunkel", "wochenende",
    "wochenenden", "bereich", "gegend", "umgebung", "rund", "um", "herum", "und", "sowie", "auch", "sehr",
    "ganze", "ganzen", "gesamte", "gesamten", "zb", "bzw", "oder", "wenn", "es", "ist", "wird", "schlecht",
    "beleuchtet", "unbeleuchtet", "kaum", "wenig", "mit", "ohne", "zeit", "zeiten",
})
FIXED_ABBREVIATIONS = {"bhf": "bahnhof", "hbf": "hauptbahnhof", "str": "strasse", "zob": "busbahnhof"}
_STREET = re.compile(r"(?<=\w)(?:str\.?|strasse|straße)(?=\W|$)|\b(?:str\.|strasse|straße)(?=\W|$)",
                     re.IGNORECASE)
_PLACE = re.compile(r"(?<=\w)pl\.(?=\W|$)", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_SPLIT = re.compile(r"\s*(?:[;\n\r|•]+|,(?![^()]*\))|\s/\s|\s+und\s+|\s+sowie\s+|\s+u\.\s+)\s*", re.IGNORECASE)
_ABBREVIATION = re.compile(r"\b([^\W\d_]{3,})\.", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, umlauts and ß spelt out, other accents removed, Unicode compatibility forms folded."""
    text = unicodedata.normalize("NFKC", str(text)).translate(UMLAUTS).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    text = fold(text)
    text = _STREET.sub("strasse", text)
    text = _PLACE.sub("platz", text)
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", "", text)  # compounds: Stadt-Park → stadtpark
    words = _WORD.findall(text)
    return [FIXED_ABBREVIATIONS.get(w, w) for w in words]


def mention_key(text: str) -> str:
    """The normalised mention (key of a coding-table row); ``""`` if nothing is left."""
    words = [w for w in _words(text) if w not in FILLER_WORDS]
    return " ".join(words)


def grouping_form(key: str) -> str:
    """The form compared for grouping proposals: the key without qualifying words (keeps the key if
    nothing would be left)."""
    words = key.split()
    kept = [w for w in words if w not in QUALIFIER_WORDS]
    return " ".join(kept or words)


def abbreviations(text: str) -> frozenset[str]:
    """Folded words the respondent abbreviated with a full stop (»Unterf. Bahnhof« → {"unterf"});
    the fixed abbreviations (Str., Bhf., …pl.) are already resolved by :func:`mention_key`."""
    found = set()
    text = unicodedata.normalize("NFKC", str(text)).rstrip()
    for match in _ABBREVIATION.finditer(text):
        word = fold(match.group(1))
        if match.end() == len(text) and len(word) > 5:  # a full stop ending the answer, after a long word
            continue
        if (word not in FIXED_ABBREVIATIONS and not word.endswith(("str", "pl"))
                and word not in FILLER_WORDS):
            found.add(word)
    return frozenset(found)


def split_answer(text: str) -> list[str]:
    """The places one answer lists: split at line breaks, semicolons, commas outside parentheses,
    »und«/»sowie« and »/« between words. Empty parts are dropped."""
    parts = _SPLIT.split(str(text).strip())
    return [p.strip(" ,:-–") for p in parts if p and p.strip(" .,:-–")]


def display_form(text: str) -> str:
    """A tidy version of one spelling, used as the proposed name of a group: whitespace collapsed,
    trailing punctuation removed, first letter upper case."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text))).strip(" .,;:!?-–")
    return text[:1].upper() + text[1:] if text else text
