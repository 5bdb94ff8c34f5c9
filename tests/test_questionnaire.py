"""Questionnaire model and loader: item types, placeholders, Ortsteile, birth years, filters, errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.core.indicators import AnyOfIndicator, MeanIndex, ShareIndicator, indicator_values
from survey.errors import DefinitionError
from survey.questionnaire import Condition, load_questionnaire

DATA = Path(__file__).parent / "data" / "questionnaires"
MINIMAL = DATA / "minimal.yaml"


@pytest.fixture(scope="module")
def mini():
    return load_questionnaire(MINIMAL, kommune="Musterstadt", ortsteile={1: "Altstadt", 2: "Nord"}, jahr=2025)


@pytest.fixture(scope="module")
def standard():
    return load_questionnaire("sicherheitsanalyse-standard", kommune="Musterstadt",
                              ortsteile={1: "Altstadt", 2: "Nord", 3: "Am Bahnhof", 4: "Eichwalde"}, jahr=2025)


def test_minimal_header_and_sections(mini):
    assert (mini.id, mini.version, mini.core_version) == ("mini", "2", "1")
    assert mini.title == "Befragung in Musterstadt"
    assert mini.source_path == MINIMAL
    assert [s.id for s in mini.sections] == ["teil_a"]
    assert [q.id for q in mini.sections[0].questions] == [
        "ortsteil", "sicher", "opfer", "anzeige", "schutz", "wohndauer", "geburtsjahr", "ort"]


def test_every_item_type(mini):
    kinds = {q.id: q.kind for q in mini.questions}
    assert kinds == {"ortsteil": "single", "sicher": "grid", "opfer": "single", "anzeige": "single",
                     "schutz": "multi", "wohndauer": "number", "geburtsjahr": "birthyear", "ort": "text"}
    assert mini.variable_ids == ["ortsteil", "sicher_tag", "sicher_nacht", "opfer", "anzeige", "schutz_1",
                                 "schutz_2", "wohndauer", "geburtsjahr", "ort"]
    tag = mini.variable("sicher_tag")
    assert (tag.kind, tag.question_id, tag.section_id, tag.label) == ("code", "sicher", "teil_a", "tagsüber")
    assert tag.codes == {1: "sehr sicher", 2: "ziemlich sicher", 3: "ziemlich unsicher", 4: "sehr unsicher"}
    assert tag.missing_codes == {8: "weiß nicht", 9: "keine Angabe"}  # default fehlende_codes
    assert tag.core is True and mini.variable("sicher_nacht").core is False  # item overrides question
    assert mini.variable("opfer").missing_codes == {9: "keine Angabe"}  # the scale's own fehlend
    flag = mini.variable("schutz_2")
    assert (flag.kind, flag.label, flag.codes, flag.missing_codes) == (
        "flag", "Hund", {0: "nicht genannt", 1: "genannt"}, {})
    number = mini.variable("wohndauer")
    assert (number.kind, number.minimum, number.maximum, number.unit, number.codes) == ("number", 0, 99, "Jahre", {})
    assert mini.variable("ort").kind == "text"
    assert mini.variable("nichts") is None and mini.question("nichts") is None


def test_placeholder_replaced_everywhere(mini):
    assert mini.variable("ortsteil").label == "In welchem Ortsteil von Musterstadt wohnen Sie?"
    assert mini.variable("sicher_nacht").label == "nachts in Musterstadt"
    assert mini.question("sicher").text == "Wie sicher fühlen Sie sich in Musterstadt?"
    raw = load_questionnaire(MINIMAL)
    assert raw.title == "Befragung in {kommune}"  # without kommune the placeholder stays visible


def test_ortsteile_list(mini):
    variable = mini.variable("ortsteil")
    assert variable.codes == {1: "Altstadt", 2: "Nord"} and variable.commune_codes
    assert variable.missing_codes == {}
    without = load_questionnaire(MINIMAL).variable("ortsteil")
    assert without.codes == {} and without.commune_codes


def test_birth_year_range(mini):
    variable = mini.variable("geburtsjahr")
    assert (variable.kind, variable.minimum, variable.maximum) == ("birthyear", 1920, 2009)
    assert load_questionnaire(MINIMAL, jahr=2030).variable("geburtsjahr").maximum == 2014
    assert load_questionnaire(MINIMAL).variable("geburtsjahr").minimum is None


def test_filters(mini):
    condition = mini.variable("anzeige").filter
    assert condition == Condition(item="opfer", codes=frozenset({1}), missing_codes=frozenset({9}))
    assert condition.applies({"opfer": 1}) is True
    assert condition.applies({"opfer": "1"}) is True
    assert condition.applies({"opfer": 1.0}) is True
    assert condition.applies({"opfer": 2}) is False
    assert condition.applies({"opfer": 9}) is None  # missing code of the filter item
    assert condition.applies({"opfer": ""}) is None
    assert condition.applies({"opfer": float("nan")}) is None
    assert condition.applies({}) is None
    compound = mini.variable("ort").filter
    assert compound.items == ("opfer", "anzeige") and compound.describe() == "opfer = 1 und anzeige = 2"
    assert compound.applies({"opfer": 1, "anzeige": 2}) is True
    assert compound.applies({"opfer": 2, "anzeige": None}) is False
    assert compound.applies({"opfer": 1, "anzeige": None}) is None
    either = Condition(any_of=(Condition(item="a", codes=frozenset({1})), Condition(item="b", codes=frozenset({1}))))
    assert either.applies({"a": 2, "b": 1}) is True
    assert either.applies({"a": 2, "b": 2}) is False
    assert either.applies({"a": 2}) is None


def test_indicator_specs_of_minimal(mini):
    specs = {spec.id: spec for spec in mini.indicator_specs()}
    assert specs["unsicher_nachts"] == ShareIndicator(
        id="unsicher_nachts", label="unsicher", item="sicher_nacht", codes=frozenset({3, 4}),
        valid_codes=frozenset({1, 2, 3, 4}), among=None, core=True)
    assert specs["anzeigequote"].among.item == "opfer" and specs["anzeigequote"].among.codes == {1}
    assert specs["opfer_irgendein"] == AnyOfIndicator(
        id="opfer_irgendein", label="irgendein", items=("opfer", "anzeige"), codes=frozenset({1}),
        negative_codes=frozenset({2}))
    assert specs["sicher_index"] == MeanIndex(
        id="sicher_index", label="Index", items=("sicher_tag", "sicher_nacht"),
        valid_codes=frozenset({1, 2, 3, 4}), min_valid=1)


BROKEN = [
    ("syntax_error", 29, "YAML-Syntaxfehler: Einrückung passt nicht zur vorigen Zeile"),
    ("unknown_scale", 30, "Frage »opfer« verweist auf die unbekannte Skala »jein« (definiert: ja_nein, sicher)."),
    ("duplicate_question", 31, "Die ID »opfer« ist doppelt vergeben (zuerst in Zeile 27)."),
    ("duplicate_variable", 26, "Die ID »ortsteil« ist doppelt vergeben (zuerst in Zeile 15)."),
    ("duplicate_indicator", 55, "Die ID »unsicher_nachts« ist doppelt vergeben"),
    ("filter_unknown_item", 35, "Der Filter von »anzeige« bezieht sich auf »opfa«, das es im Fragebogen nicht gibt."),
    ("filter_later_item", 31, "Der Filter von »opfer« bezieht sich auf »anzeige«, das erst später im Fragebogen "
                              "gefragt wird (Zeile 32)"),
    ("filter_bad_code", 35, "Der Filter von »anzeige« nennt Code 3, den »opfer« nicht hat (Codes: 1, 2, 9)."),
    ("indicator_missing_item", 54, "Indikator »unsicher_nachts« bezieht sich auf das Item »sicher_abends«, das es "
                                   "im Fragebogen nicht gibt."),
    ("indicator_bad_code", 54, "Indikator »unsicher_nachts«: Code 5 ist kein gültiger Code von »sicher_nacht«"),
    ("index_missing_item", 58, "Index »sicher_index« bezieht sich auf das Item »sicher_abend«, das es im "
                               "Fragebogen nicht gibt."),
    ("unknown_type", 28, "Frage »opfer«: »abschnitte.0.fragen.2.typ«: unbekannter Fragetyp 'auswahl'; erlaubt: einfach, matrix, "
                         "mehrfach, zahl, geburtsjahr, text."),
    ("missing_text", 27, "Frage »opfer«: Pflichtangabe »abschnitte.0.fragen.2.text« fehlt."),
]


@pytest.mark.parametrize(("name", "line", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_definition_errors_name_file_and_line(name, line, message):
    path = DATA / f"{name}.yaml"
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(path)
    error = caught.value
    assert error.path == path and error.line == line
    assert str(error).startswith(f"{path}, Zeile {line}: ")
    assert message in str(error)


def _write(tmp_path: Path, old: str, new: str) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "q.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_ortsteil_codes_colliding_with_missing_codes(tmp_path):
    path = _write(tmp_path, "        optionen: ortsteile\n", "        optionen: ortsteile\n        fehlend: {9: keine Angabe}\n")
    load_questionnaire(path, ortsteile={1: "A"})
    with pytest.raises(DefinitionError, match=r"Zeile 19: Frage »ortsteil«: Code 9 steht sowohl in der "
                                              r"Ortsteil-Liste aus analyse.yaml als auch bei den fehlenden Codes"):
        load_questionnaire(path, ortsteile={n: f"O{n}" for n in range(1, 11)})


def test_index_items_need_the_same_scale(tmp_path):
    path = _write(tmp_path, "items: [sicher_tag, sicher_nacht]", "items: [sicher_tag, opfer]")
    with pytest.raises(DefinitionError, match=r"Zeile 58: Index »sicher_index«: »opfer« hat andere Codes"):
        load_questionnaire(path)


def test_matrix_without_items(tmp_path):
    path = _write(tmp_path, "        items:\n          - {id: sicher_tag, text: tagsüber}\n"
                            "          - {id: sicher_nacht, text: \"nachts in {kommune}\", kern: false}\n", "")
    with pytest.raises(DefinitionError, match=r"Zeile 19: .*Frage 'sicher' \(Typ matrix\) braucht »items«"):
        load_questionnaire(path)


def test_age_groups(tmp_path, mini):
    assert [g.label for g in mini.age_groups] == ["16-29", "30-44", "45-59", "60-74", "75+"]
    assert mini.age_group(29).label == "16-29" and mini.age_group(30).label == "30-44"
    assert mini.age_group(104).label == "75+" and mini.age_group(15) is None
    path = _write(tmp_path, "abschnitte:\n", "altersgruppen:\n  - {label: 16-39, von: 16, bis: 39}\n"
                                             "  - {label: 40+, von: 40}\nabschnitte:\n")
    groups = load_questionnaire(path).age_groups
    assert [(g.label, g.minimum, g.maximum) for g in groups] == [("16-39", 16, 39), ("40+", 40, None)]


def test_unknown_reference_and_non_mapping(tmp_path):
    with pytest.raises(DefinitionError, match="Fragebogen »gibtsnicht« nicht gefunden.*sicherheitsanalyse-standard"):
        load_questionnaire("gibtsnicht")
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"Zeile 1: Ein Fragebogen muss aus"):
        load_questionnaire(path)


# -- the standard instrument ------------------------------------------------------------------------

CORE_ITEMS = {
    "ortsteil": None,
    "geschlecht": ({1: "männlich", 2: "weiblich", 3: "divers"}, {9: "keine Angabe"}),
    "geburtsjahr": None,
    **{f"sicher_{x}": ({1: "sehr sicher", 2: "ziemlich sicher", 3: "ziemlich unsicher", 4: "sehr unsicher"},
                       {8: "weiß nicht", 9: "keine Angabe"}) for x in ("tag", "nacht", "gemeinde")},
    **{f"sorge_{x}": ({1: "gar nicht", 2: "etwas", 3: "ziemlich", 4: "sehr stark"},
                      {8: "weiß nicht", 9: "keine Angabe"})
       for x in ("einbruch", "diebstahl", "koerperverletzung", "belaestigung", "betrug", "sachbeschaedigung")},
    **{f"problem_{x}": ({1: "kein Problem", 2: "ein geringes Problem", 3: "ein ziemliches Problem",
                         4: "ein großes Problem"}, {8: "weiß nicht", 9: "keine Angabe"})
       for x in ("graffiti", "muell", "vandalismus", "alkohol", "drogen", "jugendgruppen", "laerm", "verkehr")},
    **{f"{p}_{x}": ({1: "ja", 2: "nein"}, {9: "keine Angabe"})
       for p in ("opfer", "anzeige")
       for x in ("fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug")},
    "meide_orte": ({1: "nie", 2: "selten", 3: "manchmal", 4: "oft"}, {9: "keine Angabe"}),
    "vertrauen_polizei": ({1: "sehr großes Vertrauen", 2: "eher großes Vertrauen", 3: "eher geringes Vertrauen",
                           4: "gar kein Vertrauen"}, {8: "weiß nicht", 9: "keine Angabe"}),
}


def test_standard_size_and_blocks(standard):
    assert (standard.id, standard.version, standard.core_version) == ("sicherheitsanalyse-standard", "1", "1")
    assert 10 <= len(standard.sections) <= 13
    assert 55 <= len(standard.questions) <= 65
    kinds = {q.kind for q in standard.questions}
    assert kinds == {"single", "grid", "multi", "number", "birthyear", "text"}
    assert "{kommune}" not in standard.title and "Musterstadt" in standard.title


def test_standard_core_items(standard):
    core = {v.id for v in standard.core_variables}
    assert core == set(CORE_ITEMS)
    for item, expected in CORE_ITEMS.items():
        if expected is not None:
            variable = standard.variable(item)
            assert (variable.codes, variable.missing_codes) == expected, item
    assert standard.variable("ortsteil").codes == {1: "Altstadt", 2: "Nord", 3: "Am Bahnhof", 4: "Eichwalde"}
    assert (standard.variable("geburtsjahr").minimum, standard.variable("geburtsjahr").maximum) == (1920, 2009)
    for offence in ("fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug"):
        condition = standard.variable(f"anzeige_{offence}").filter
        assert (condition.item, condition.codes) == (f"opfer_{offence}", frozenset({1}))


def test_standard_core_indicators(standard):
    specs = {spec.id: spec for spec in standard.indicator_specs()}
    core = {spec.id for spec in specs.values() if spec.core}
    offences = ("fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug")
    worries = ("einbruch", "diebstahl", "koerperverletzung", "belaestigung", "betrug", "sachbeschaedigung")
    problems = ("graffiti", "muell", "vandalismus", "alkohol", "drogen", "jugendgruppen", "laerm", "verkehr")
    expected = {"unsicher_nachts", "unsicher_tag", "unsicher_gemeinde", "opfer_12m_irgendein", "meidet_orte",
                "vertrauen_polizei_hoch", "furcht_index", "problem_index",
                *(f"sorge_hoch_{x}" for x in worries), *(f"problem_gross_{x}" for x in problems),
                *(f"opfer_12m_{x}" for x in offences), *(f"anzeigequote_{x}" for x in offences)}
    assert core == expected
    assert (specs["unsicher_nachts"].item, specs["unsicher_nachts"].codes) == ("sicher_nacht", {3, 4})
    assert (specs["vertrauen_polizei_hoch"].item, specs["vertrauen_polizei_hoch"].codes) == ("vertrauen_polizei", {1, 2})
    assert specs["anzeigequote_betrug"].among.item == "opfer_betrug"
    assert specs["opfer_12m_irgendein"].items == tuple(f"opfer_{x}" for x in offences)
    assert specs["furcht_index"].min_valid == 4 and len(specs["furcht_index"].items) == 6
    assert specs["problem_index"].min_valid == 6 and len(specs["problem_index"].items) == 8
    assert len(specs) > len(core)  # further, non-core indicators exist


def test_standard_indicators_on_musterstadt(standard, musterstadt_dir):
    frame = pd.read_csv(musterstadt_dir / "responses.csv")
    assert set(frame.columns) - {"resp_id"} <= set(standard.variable_ids)
    specs = {spec.id: spec for spec in standard.indicator_specs()}
    reference = json.loads((musterstadt_dir / "reference.json").read_text(encoding="utf-8"))
    values, domain = indicator_values(frame, specs["unsicher_nachts"])
    assert int((domain & ~np.isnan(values)).sum()) == 792
    checked = 0
    for section in ("proportions", "means"):
        for indicator, result in reference[section].items():
            values, domain = indicator_values(frame, specs[indicator])
            assert int((domain & ~np.isnan(values)).sum()) == result["n"], indicator
            checked += 1
    assert checked == 32  # every core indicator has the R reference's n
