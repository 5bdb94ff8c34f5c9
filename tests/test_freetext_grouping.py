"""Free-text mentions: normalisation, splitting, and the fuzzy grouping proposal (scorer, threshold)."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from survey.freetext.grouping import THRESHOLD, Mention, propose_groups, similarity
from survey.freetext.mentions import collect_mentions
from survey.freetext.normalise import abbreviations, grouping_form, mention_key, split_answer


@pytest.mark.parametrize("text, key", [
    ("Unterführung am Bahnhof", "unterfuehrung bahnhof"),
    ("unterfuehrung bahnhof", "unterfuehrung bahnhof"),
    ("  Die UNTERFÜHRUNG an dem Bahnhof!! ", "unterfuehrung bahnhof"),
    ("Bahnhofsunterführung", "bahnhofsunterfuehrung"),
    ("Unterf. Bahnhof", "unterf bahnhof"),
    ("Hauptstr. 5", "hauptstrasse 5"),
    ("Hauptstrasse 5", "hauptstrasse 5"),
    ("Haupt-Straße 5", "hauptstrasse 5"),
    ("Bushaltestelle an der Hauptstraße", "bushaltestelle hauptstrasse"),
    ("Karl-Marx-Str.", "karlmarxstrasse"),
    ("Str. des Friedens", "strasse friedens"),
    ("Marktpl.", "marktplatz"),
    ("am Bhf.", "bahnhof"),
    ("ZOB", "busbahnhof"),
    ("Café am Teich", "cafe teich"),
    ("…", ""),
])
def test_mention_key_folds_spelling(text, key):
    assert mention_key(text) == key


def test_mention_key_is_idempotent():
    for text in ("Unterführung am Bahnhof", "Hauptstr. 5", "ZOB", "Karl-Marx-Straße", "im Stadtpark nachts",
                 "Fußweg zum Friedhof (schlecht beleuchtet)", "Bhf", "Stadt-Park", "Weg an den Gärten"):
        key = mention_key(text)
        assert mention_key(key) == key


def test_grouping_form_drops_qualifiers_but_never_everything():
    assert grouping_form(mention_key("Stadtpark nach Einbruch der Dunkelheit")) == "stadtpark"
    assert grouping_form(mention_key("im Stadtpark abends")) == "stadtpark"
    assert grouping_form("nachts") == "nachts"


def test_abbreviations_are_words_with_a_full_stop():
    assert abbreviations("Unterf. Bahnhof") == {"unterf"}
    assert abbreviations("Hauptstr. und Marktpl.") == set()  # resolved by the key
    assert abbreviations("Am Bahnhof.") == set()  # a full stop ending the answer after a long word
    assert abbreviations("Bahnhof Unterf. (abends)") == {"unterf"}


def test_split_answer_lists_places():
    assert split_answer("Bahnhof, Stadtpark und Friedhof; Weg (dunkel, eng)\nPark / Teich") == [
        "Bahnhof", "Stadtpark", "Friedhof", "Weg (dunkel, eng)", "Park", "Teich"]
    assert split_answer("  ") == []


VARIANTS = {
    "Unterführung am Bahnhof": ["Unterführung am Bahnhof", "unterfuehrung bahnhof", "Bahnhofsunterführung",
                                "Unterf. Bahnhof", "Die Unterführung am Bahnhof", "Bahnhof Unterführung",
                                "Unterfürung Bahnhof", "unterführung bhf."],
    "Stadtpark": ["Stadtpark", "im Stadtpark abends", "Stadt-Park", "Stadtpark nach Einbruch der Dunkelheit",
                  "stadtpark nachts"],
    "Bushaltestelle Hauptstraße": ["Bushaltestelle Hauptstraße", "Bushaltestelle an der Hauptstr.",
                                   "Haltestelle Hauptstraße"],
    "Busbahnhof": ["Busbahnhof", "ZOB"],
    "Park an der Stadtmauer": ["Park an der Stadtmauer", "Stadtmauerpark", "Park Stadtmauer", "Stadtmauer-Park"],
    "Parkplatz am Einkaufszentrum": ["Parkplatz am Einkaufszentrum", "Parkplatz Einkaufszentrum Oststadt"],
    "Radweg am Fluss": ["Radweg am Fluss", "Fluss-Radweg"],
    "Bahnhof": ["Bahnhof"],
    "Parkplatz am Bahnhof": ["Parkplatz am Bahnhof"],
    "Tiefgarage am Rathaus": ["Tiefgarage am Rathaus"],
    "Rathaus": ["Rathaus"],
    "Oststadt": ["Oststadt"],
    "Weststadt": ["Weststadt"],
    "Schlosspark": ["Schlosspark"],
}


def _mentions(answers: list[str]) -> list[Mention]:
    return collect_mentions(answers, places=True)


def test_grouping_of_realistic_variants():
    answers = []
    for name, spellings in VARIANTS.items():
        answers += [name] * 3 + spellings  # the canonical spelling is the most frequent one
    proposals = propose_groups(_mentions(answers))
    for name, spellings in VARIANTS.items():
        for spelling in spellings:
            assert proposals[mention_key(spelling)] == name, spelling
    assert len(set(proposals.values())) == len(VARIANTS)


@pytest.mark.parametrize("a, b, same", [
    ("unterfuehrung bahnhof", "bahnhofsunterfuehrung", True),
    ("unterfuehrung bahnhof", "bahnhof unterfuehrung", True),
    ("unterfuehrung bahnhof", "unterfuerung bahnhof", True),
    ("bushaltestelle hauptstrasse", "haltestelle hauptstrasse", True),
    ("bahnhof", "busbahnhof", False),
    ("bahnhof", "unterfuehrung bahnhof", False),
    ("parkplatz bahnhof", "unterfuehrung bahnhof", False),
    ("oststadt", "weststadt", False),
    ("hauptstrasse", "bahnhofstrasse", False),
    ("stadtpark", "schlosspark", False),
    ("zob", "zoo", False),
])
def test_scorer_and_threshold(a, b, same):
    assert (similarity(a, b) >= THRESHOLD) is same, similarity(a, b)


def test_compounds_split_only_into_words_written_alone():
    from survey.freetext.grouping import expanded_forms

    forms = expanded_forms(_mentions(["Stadtmauerpark", "Park an der Stadtmauer", "Busbahnhof", "Bahnhof",
                                      "Bahnhofsunterführung", "Unterführung"]))
    assert forms["stadtmauerpark"] == "stadtmauer park"
    assert forms["bahnhofsunterfuehrung"] == "bahnhof unterfuehrung"  # with the linking »s«
    assert forms["busbahnhof"] == "busbahnhof"  # »bus« is not a word of its own here (and too short)


def test_one_more_word_is_a_more_precise_description():
    from survey.freetext.grouping import contains_more_precisely

    assert contains_more_precisely("parkplatz einkaufszentrum", "parkplatz einkaufszentrum oststadt")
    assert not contains_more_precisely("bahnhof", "unterfuehrung bahnhof")  # one word is too little
    assert not contains_more_precisely("parkplatz bahnhof", "parkplatz bahnhof nord west")  # two more words
    proposals = propose_groups(_mentions(["Bahnhof"] * 2 + ["Unterführung am Bahnhof"]))
    assert proposals == {"bahnhof": "Bahnhof", "unterfuehrung bahnhof": "Unterführung am Bahnhof"}


def test_group_name_is_most_frequent_spelling_of_the_leader():
    answers = ["Hauptstr."] * 2 + ["Hauptstraße"] * 2 + ["hauptstrasse"]
    proposals = propose_groups(_mentions(answers))
    assert proposals == {"hauptstrasse": "Hauptstraße"}  # full spelling beats the abbreviation at a tie
    assert propose_groups(_mentions(["ZOB", "Busbahnhof"])) == {"busbahnhof": "Busbahnhof"}


def test_coach_categories_attract_new_variants_and_stay():
    mentions = _mentions(["Unterführung am Bahnhof", "Bahnhofsunterführung", "Stadtpark", "Stadtpark abends"])
    existing = {"unterfuehrung bahnhof": "Bahnhofstunnel", "stadtpark": "-"}
    proposals = propose_groups(mentions, existing)
    assert proposals["unterfuehrung bahnhof"] == "Bahnhofstunnel"
    assert proposals["bahnhofsunterfuehrung"] == "Bahnhofstunnel"
    assert proposals["stadtpark abends"] == "-"


def test_proposals_are_deterministic_whatever_the_input_order():
    answers = [s for spellings in VARIANTS.values() for s in spellings]
    first = propose_groups(_mentions(answers))
    second = propose_groups(_mentions(list(reversed(answers))))
    assert first == second


def test_collect_mentions_counts_respondents_once_per_mention():
    mentions = collect_mentions(["Bahnhof, Bahnhof", "bahnhof", None, float("nan"), "", "Park"], places=True)
    counts = {m.key: m.count for m in mentions}
    assert counts == {"bahnhof": 2, "park": 1}
    spellings = dict(next(m for m in mentions if m.key == "bahnhof").spellings)
    assert spellings == {"Bahnhof": 2, "bahnhof": 1}  # spellings counted per occurrence


def test_category_questions_keep_whole_answers():
    mentions = collect_mentions(["Mehr Licht, vor allem am Park", "mehr licht vor allem park"], places=False)
    assert [(m.key, m.count) for m in mentions] == [("mehr licht vor allem park", 2)]


def test_grouping_scales_to_thousands_of_mentions():
    counts = Counter(f"Straße {i} Nummer {i % 97}" for i in range(3000))
    spellings = defaultdict(Counter)
    mentions = [Mention(mention_key(text), n, ((text, n),)) for text, n in counts.items()]
    proposals = propose_groups(mentions)
    assert len(proposals) == len(mentions) and not spellings
