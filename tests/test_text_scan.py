"""The output scan helper (tests/text_scan.py): each kind of problem is found, German prose passes."""

from __future__ import annotations

import pytest

from survey.questionnaire import load_questionnaire
from text_scan import scan_context, scan_text


@pytest.fixture(scope="module")
def strict():
    return scan_context(load_questionnaire("sicherheitsanalyse-standard"))


@pytest.fixture(scope="module")
def coach():
    return scan_context(load_questionnaire("sicherheitsanalyse-standard"), coach=True)


def kinds(text, context):
    return [(p.kind, p.token) for p in scan_text(text, context)]


@pytest.mark.parametrize("text, expected", [
    ("Bei 9 Befragten fehlt das Merkmal altersgruppe.", [("item-id", "altersgruppe")]),
    ("Am höchsten ist unsicher_nachts in der Altstadt.", [("item-id", "unsicher_nachts")]),
    ("ortsteil 1: 10.028 / 10.028", [("item-id", "ortsteil")]),
    ("Regel gleichfoermige-antworten ausgelöst.", [("regel", "gleichfoermige-antworten")]),
    ("Empfehlung graffiti_sichtbar greift.", [("regel", "graffiti_sichtbar")]),
    ("Rate Ratio 1,4 und Straight-Lining?", [("englisch", "Rate Ratio"), ("englisch", "Straight-Lining")]),
    ("--port INTEGER RANGE  TCP-Port.", [("englisch", "INTEGER"), ("englisch", "RANGE")]),
    ("--host TEXT  Adresse", [("englisch", "TEXT")]),
    ("Art = proportion; Wert None, nan oder True", [("englisch", "proportion"), ("englisch", "None"),
                                                   ("englisch", "nan"), ("englisch", "True")]),
    ("ci_high < threshold 70,0 %", [("englisch", "ci_high"), ("englisch", "threshold")]),
    ("(Raking (iteratives Anpassen))", [("klammern", "))")]),
    ("von ((28,8 %))", [("klammern", "(("), ("klammern", "))")]),
    ("+12,0 Pp..", [("satzzeichen", "..")]),
    ("Werte,, die fehlen.", [("satzzeichen", ",,")]),
    ("Ende., und weiter", [("satzzeichen", ".,")]),
    ("Erstellt das Sicherheitsprofil der Kommune...", [("satzzeichen", "...")]),
    ("Alter 16-29 und 30-44", [("bereich", "16-2"), ("bereich", "30-4")]),
    ("Problemindex Wohnumfeld (1-4)", [("bereich", "1-4")]),
    ("§§ 303-305a StGB", [("bereich", "303-3")]),
    ("Veränderung -1,4 Pp. (-3 Fälle)", [("minus", "-"), ("minus", "-")]),
])
def test_each_kind_is_found(strict, text, expected):
    assert kinds(text, strict) == expected


@pytest.mark.parametrize("text", [
    "Menschen ab 75 Jahren fühlen sich nachts häufiger unsicher (62,4 %; 95-%-KI 50,9 % – 72,7 %).",
    "Alter 16–29 Jahre; Veränderung −1,4 Prozentpunkte; Index (1 gar nicht bis 4 sehr stark).",
    "Geschrieben: ergebnis/profil.json und /tmp/x/ortsteile.geojson; siehe population.csv.",
    "Mit --tau2-von VERGLEICH und -h; https://befragung.example.de/a-1.",
    "Weitere Angaben folgen … und mehr.",
    "Das Geschlecht, der Ortsteil und die Altersgruppe; Text und Grafik.",
    "Die Zahl 1.000 ist groß, 5.200,5 auch; um 12:30 Uhr. Fertig.",
    "Sachsen-Durchschnitt, SHA-256, COVID-19 und 95-%-Konfidenzintervall.",
    "Aufruf: sicherheitsanalyse [OPTIONEN] BEFEHL [ARGUMENTE]…",
])
def test_german_prose_passes(strict, text):
    assert scan_text(text, strict) == []


def test_coach_mode_allows_quoted_values_and_column_references(strict, coach):
    text = ("responses.csv, Zeile 5, Spalte ortsteil (resp_id R4): Code »7« ist für »sicher_nacht« nicht "
            "vorgesehen; Spalten geschlecht, altersgruppe und einwohner fehlen. Regel »schicht-fehlt«.")
    assert scan_text(text, coach) == []
    assert {p.token for p in scan_text(text, strict)} >= {"ortsteil", "resp_id", "geschlecht", "altersgruppe"}


def test_coach_mode_still_finds_ids_outside_quotes(coach):
    assert kinds("Ohne Angabe zum Merkmal geschlecht: 8 Befragte.", coach) == [("item-id", "geschlecht")]


def test_problems_name_line_and_excerpt(strict):
    problems = scan_text("Erste Zeile.\nZweite mit Rate Ratio.\n", strict)
    assert [(p.line, p.excerpt) for p in problems] == [(2, "Zweite mit Rate Ratio.")]
    assert str(problems[0]) == "Zeile 2: englisch »Rate Ratio« in: Zweite mit Rate Ratio."


def test_allowed_tokens_and_other_questionnaires(tmp_path):
    from pathlib import Path

    mini = load_questionnaire(Path(__file__).parent / "data" / "intake" / "mini_fragebogen.yaml",
                              ortsteile={1: "A"})
    context = scan_context(mini, allowed={"wohndauer"})
    assert kinds("wohndauer und anmerkung", context) == [("item-id", "anmerkung")]
