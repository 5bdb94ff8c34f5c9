"""Translations of the questionnaire: loading by language, ids never change, broken files fail with a line."""

from __future__ import annotations

import shutil

import pytest

from survey.errors import DefinitionError
from survey.questionnaire import load_questionnaire
from survey.questionnaire.loader import resolve_questionnaire_path

SHIPPED = ("de-LS", "en", "pl", "cs", "tr", "ru", "uk", "ar")
COMPLETE = ("en", "pl", "cs")


@pytest.fixture(scope="module")
def german():
    return load_questionnaire("sicherheitsanalyse-standard", kommune="Grenzbach", jahr=2025)


@pytest.mark.parametrize("code", SHIPPED)
def test_every_shipped_language_has_the_same_ids_codes_and_filters(german, code):
    translated = load_questionnaire("sicherheitsanalyse-standard", kommune="Grenzbach", jahr=2025, sprache=code)
    assert translated.language == code
    assert [v.id for v in translated.variables] == [v.id for v in german.variables]
    for ours, theirs in zip(german.variables, translated.variables):
        assert set(ours.codes) == set(theirs.codes) and set(ours.missing_codes) == set(theirs.missing_codes)
        assert ours.filter == theirs.filter and ours.kind == theirs.kind
    assert translated.title != german.title and "Grenzbach" in translated.title
    core = [v for v in translated.variables if v.core]
    assert core and all(not v.untranslated for v in core), [v.id for v in core if v.untranslated]
    if code in COMPLETE:
        assert all(not v.untranslated for v in translated.variables)


def test_an_unknown_language_and_a_missing_file_are_german_errors():
    with pytest.raises(DefinitionError, match="Unbekannte Sprache »xx«; möglich sind: de, de-LS, en"):
        load_questionnaire("sicherheitsanalyse-standard", sprache="xx")
    path = resolve_questionnaire_path("sicherheitsanalyse-standard")
    with pytest.raises(DefinitionError, match="keine Übersetzung in Polnisch"):
        shutil.copy(path, path.parent / "_nur_deutsch_test.yaml")
        try:
            load_questionnaire(path.parent / "_nur_deutsch_test.yaml", sprache="pl")
        finally:
            (path.parent / "_nur_deutsch_test.yaml").unlink()


def test_a_translation_of_an_unknown_path_fails_with_file_and_line(tmp_path):
    source = resolve_questionnaire_path("sicherheitsanalyse-standard")
    shutil.copy(source, tmp_path / "fb.yaml")
    (tmp_path / "fb.pl.yaml").write_text(
        "sprache: pl\nfragebogen: sicherheitsanalyse-standard\nentstehung: Test\ntexte:\n"
        "  titel: Ankieta {kommune}\n  fragen:\n    gibt_es_nicht: {text: Pytanie}\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_questionnaire(tmp_path / "fb.yaml", sprache="pl")
    assert "fb.pl.yaml, Zeile 7: »fragen.gibt_es_nicht.text« gibt es im deutschen Fragebogen nicht" in str(error.value)


def test_language_codes_are_normalised_including_limesurvey_codes():
    from survey.languages import normalise_language

    assert [normalise_language(text) for text in ("PL", "de_ls", "de-easy", "en-GB", "xx", None)] == [
        "pl", "de-LS", "de-LS", "en", None, None]
