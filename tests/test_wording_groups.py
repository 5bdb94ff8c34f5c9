"""Grammatical forms of breakdown groups and counted nouns (issue 13: sentences built from labels)."""

from __future__ import annotations

import pytest

from survey.wording.groups import GroupPhrase, counted, group_phrase


@pytest.mark.parametrize(("breakdown", "label", "expected"), [
    ("altersgruppe", "16-29", GroupPhrase("16–29 Jahre", "Menschen von 16 bis 29 Jahren",
                                          "bei Menschen von 16 bis 29 Jahren")),
    ("altersgruppe", "30–44", GroupPhrase("30–44 Jahre", "Menschen von 30 bis 44 Jahren",
                                          "bei Menschen von 30 bis 44 Jahren")),
    ("altersgruppe", "75+", GroupPhrase("75 Jahre und älter", "Menschen ab 75 Jahren", "bei Menschen ab 75 Jahren")),
    ("altersgruppe", "unter 18", GroupPhrase("unter 18 Jahre", "Menschen unter 18 Jahren",
                                             "bei Menschen unter 18 Jahren")),
    ("geschlecht", "weiblich", GroupPhrase("Frauen", "Frauen", "bei Frauen")),
    ("geschlecht", "männlich", GroupPhrase("Männer", "Männer", "bei Männern")),
    ("geschlecht", "divers", GroupPhrase("divers", "Menschen mit der Angabe »divers«",
                                         "bei Menschen mit der Angabe »divers«")),
    ("ortsteil", "Am Bahnhof", GroupPhrase("Am Bahnhof", "Menschen im Ortsteil Am Bahnhof", "im Ortsteil Am Bahnhof")),
    ("sprache", "pl", GroupPhrase("Polnisch", "Antworten auf Polnisch", "bei Antworten auf Polnisch")),
    ("sprache", "de-LS", GroupPhrase("Leichte Sprache", "Antworten in Leichter Sprache",
                                     "bei Antworten in Leichter Sprache")),
    ("bildung", "Abitur", GroupPhrase("Abitur", "Befragte mit Bildung »Abitur«", "bei Bildung »Abitur«")),
])
def test_group_phrases(breakdown, label, expected):
    labels = {"bildung": "Bildung"}
    assert group_phrase(breakdown, label, labels.get(breakdown)) == expected


def test_an_age_label_that_is_no_range_falls_back_to_quotes():
    assert group_phrase("altersgruppe", "Rentner", "Altersgruppe").among == "bei Altersgruppe »Rentner«"


@pytest.mark.parametrize(("n", "words", "expected"), [
    (1, False, "1 Handlungsempfehlung"), (2, False, "2 Handlungsempfehlungen"), (0, False, "0 Handlungsempfehlungen"),
    (1, True, "eine Handlungsempfehlung"), (3, True, "drei Handlungsempfehlungen"),
    (0, True, "keine Handlungsempfehlungen"), (14, True, "14 Handlungsempfehlungen"),
])
def test_counted_nouns_agree_in_number(n, words, expected):
    assert counted(n, "Handlungsempfehlung", "Handlungsempfehlungen", words=words) == expected


def test_counted_masculine_one():
    assert counted(1, "Ortsteil", "Ortsteile", words=True, one="ein") == "ein Ortsteil"
