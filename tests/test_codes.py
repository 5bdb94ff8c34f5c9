"""Access codes: format, check character, hashing; the ``codes`` command and its outputs."""

from __future__ import annotations

import re
import sqlite3

import pytest
from click.testing import CliRunner

from survey.access_codes import (
    ALPHABET, CODE_LENGTH, EXAMPLE_CODE, RANDOM_LENGTH, CodeFormatError, brute_force_probability, check_character,
    derive_keys, generate_code, hash_code, hash_password, new_salt, normalise_code, verify_password,
)
from survey.cli import cli
from survey.store import AnswerStore
from survey.web.limits import GlobalGate, max_wrong_attempts
from test_web_helpers import make_folder

CODE_PATTERN = r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}"


def test_codes_are_grouped_and_free_of_ambiguous_characters():
    codes = {generate_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert re.fullmatch(CODE_PATTERN, code)
        assert not set(code) & set("01ILO")
    assert set(ALPHABET).isdisjoint("01ILO") and len(ALPHABET) == 31
    assert (RANDOM_LENGTH, CODE_LENGTH) == (14, 15) and re.fullmatch(CODE_PATTERN, EXAMPLE_CODE)


def test_normalising_ignores_case_spaces_and_dashes():
    code = generate_code()
    assert normalise_code(f" {code.lower().replace('-', ' ')} ") == code.replace("-", "")
    assert normalise_code(code.replace("-", "\u2013")) == code.replace("-", "")  # an en dash from a word processor


def test_check_character_catches_single_typos_and_swaps():
    body = "K7MXQ3RT9AHVW4"
    code = body + check_character(body)
    for position in range(len(code)):
        for replacement in ALPHABET:
            if replacement != code[position]:
                typo = code[:position] + replacement + code[position + 1:]
                with pytest.raises(CodeFormatError):
                    normalise_code(typo)
    for position in range(len(code) - 1):
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
        if swapped != code:
            with pytest.raises(CodeFormatError):
                normalise_code(swapped)


@pytest.mark.parametrize(("text", "message"), [
    ("", "Bitte geben Sie den Zugangscode aus Ihrem Anschreiben ein."),
    ("ABC", "Der Zugangscode hat 15 Zeichen (zum Beispiel ABCDE-FGHJK-MNP2R); eingegeben wurden 3."),
    ("ABCDE-FGH23", "Der Zugangscode hat 15 Zeichen (zum Beispiel ABCDE-FGHJK-MNP2R); eingegeben wurden 10."),
    ("ABCDE-FGHI0-KMNP2", "Der Zugangscode enthält Zeichen, die in Codes nicht vorkommen: 0, I. "
                          "Die Zeichen 0, 1, I, L und O kommen in Codes nicht vor."),
])
def test_format_errors_are_german_sentences(text, message):
    with pytest.raises(CodeFormatError) as error:
        normalise_code(text)
    assert str(error.value) == message


def test_derived_values_are_keyed_by_the_store_salt_and_independent():
    code, salt = generate_code(), new_salt()
    keys = derive_keys(code, salt)
    assert keys == derive_keys(code.lower(), salt) and keys.lookup == hash_code(code, salt)
    assert derive_keys(code, new_salt()).lookup != keys.lookup
    assert len(keys.lookup) == 64 and len(keys.draft_id) == 32 and len(keys.draft_key) == 32
    assert len({keys.lookup, keys.draft_id, keys.draft_key.hex()}) == 3
    assert keys.draft_id not in keys.lookup and code.replace("-", "") not in keys.lookup


def test_brute_force_bound_against_the_exact_chance():
    from math import comb

    # Small space: the bound is never below the exact chance of guessing without repetition.
    space, valid = 10_000, 25
    for attempts in (1, 10, 100, 1000):
        exact = 1 - comb(space - valid, attempts) / comb(space, attempts)
        bound = brute_force_probability(attempts, valid, space)
        assert exact <= bound <= exact * 1.15 + 1e-12
    assert brute_force_probability(0, valid, space) == 0.0 and brute_force_probability(space, valid, space) == 1.0


def test_guessing_any_valid_code_during_a_whole_fieldwork_is_negligible():
    # The most wrong attempts the default limits let through in 12 weeks, from any number of addresses:
    gate = GlobalGate()
    weeks_12 = 12 * 7 * 24 * 3600
    attempts = max_wrong_attempts(weeks_12, gate)
    assert attempts == pytest.approx((weeks_12 / 600 + 1) * 300 + 5.0 * weeks_12)
    assert 3.9e7 < attempts < 4.1e7
    # 100,000 valid codes at once (a city): below one in a hundred million.
    assert brute_force_probability(attempts, 100_000) < 1e-8
    # Even with no limit at all, at the CPU bound of the code check (2 cores × ~1,000 checks/s):
    assert brute_force_probability(2_000 * weeks_12, 100_000) < 3e-6
    # The old 10-character codes (9 random characters) would not have been safe:
    assert brute_force_probability(attempts, 100_000, 31**9) > 0.1


def test_coach_password_hash():
    stored = hash_password("ein langes Passwort")
    assert stored.startswith("scrypt$") and "Passwort" not in stored
    assert verify_password("ein langes Passwort", stored) and not verify_password("falsch", stored)
    assert not verify_password("x", "kaputt") and not verify_password("x", "scrypt$zz$00")


def _codes_from_csv(path):
    return [line.split(";")[1] for line in path.read_text(encoding="utf-8").splitlines()[1:]]


def test_codes_command_writes_letters_and_csv_and_adds_batches(tmp_path):
    folder = make_folder(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["codes", str(folder), "--anzahl", "3"])
    assert result.exit_code == 0, result.output
    assert "Stapel 1: 3 neue Zugangscodes erzeugt (insgesamt 3 ausgegeben)." in result.output
    assert "nicht wiederhergestellt" in result.output
    csv_path = folder / "anschreiben" / "druckerei-stapel-1.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    # Two pages per letter (the back carries the privacy notice): the letters start on pages 1, 3, 5.
    assert lines[0] == "seite;zugangscode" and [line.split(";")[0] for line in lines[1:]] == ["1", "3", "5"]
    pdf = (folder / "anschreiben" / "anschreiben-stapel-1.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 6
    assert "doppelseitig" in result.output and "druckliste-loeschen" in result.output
    first = _codes_from_csv(csv_path)
    result = runner.invoke(cli, ["codes", str(folder), "--anzahl", "2"])
    assert result.exit_code == 0 and "Stapel 2: 2 neue Zugangscodes erzeugt (insgesamt 5 ausgegeben)." in result.output
    assert "Warnung: Die Druckerei-Liste liegt noch im Analyseordner (druckerei-stapel-1.csv)" in result.output
    second = _codes_from_csv(folder / "anschreiben" / "druckerei-stapel-2.csv")
    assert not set(first) & set(second)
    store = AnswerStore(folder / "antworten.sqlite")
    assert all(store.has_code(hash_code(code, store.code_salt)) for code in first + second)
    raw = (folder / "antworten.sqlite").read_bytes()
    with sqlite3.connect(folder / "antworten.sqlite") as db:
        db.execute("PRAGMA wal_checkpoint(FULL)")
    raw += (folder / "antworten.sqlite").read_bytes()
    assert not any(code.replace("-", "").encode() in raw or code.encode() in raw for code in first + second)


def test_codes_command_needs_the_survey_url(tmp_path):
    folder = make_folder(tmp_path)
    text = (folder / "analyse.yaml").read_text(encoding="utf-8")
    (folder / "analyse.yaml").write_text(re.sub(r"  url: .*\n", "", text), encoding="utf-8")
    result = CliRunner().invoke(cli, ["codes", str(folder), "--anzahl", "2"])
    assert result.exit_code == 1
    assert "Fehler: Für die Anschreiben fehlt die Internetadresse der Befragung" in result.output
    # checked before anything is created: no letters folder, no store (a new coach must not find leftovers)
    assert not (folder / "anschreiben").exists()
    assert not (folder / "antworten.sqlite").exists()
