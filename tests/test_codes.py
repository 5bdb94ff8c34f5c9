"""Access codes: format, check character, hashing; the ``codes`` command and its outputs."""

from __future__ import annotations

import re
import sqlite3

import pytest
from click.testing import CliRunner

from survey.access_codes import (
    ALPHABET, CodeFormatError, check_character, generate_code, hash_code, hash_password, new_salt,
    normalise_code, verify_password,
)
from survey.cli import cli
from survey.store import AnswerStore
from test_web_helpers import make_folder


def test_codes_are_grouped_and_free_of_ambiguous_characters():
    codes = {generate_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}", code)
        assert not set(code) & set("01ILO")
    assert set(ALPHABET).isdisjoint("01ILO") and len(ALPHABET) == 31


def test_normalising_ignores_case_spaces_and_dashes():
    code = generate_code()
    assert normalise_code(f" {code.lower().replace('-', ' ')} ") == code.replace("-", "")


def test_check_character_catches_single_typos_and_swaps():
    body = "K7MXQ3RT9"
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
    ("ABC", "Der Zugangscode hat 10 Zeichen (zum Beispiel ABCDE-FGH23); eingegeben wurden 3."),
    ("ABCDE-FGHI0", "Der Zugangscode enthält Zeichen, die in Codes nicht vorkommen: 0, I. "
                    "Die Zeichen 0, 1, I, L und O kommen in Codes nicht vor."),
])
def test_format_errors_are_german_sentences(text, message):
    with pytest.raises(CodeFormatError) as error:
        normalise_code(text)
    assert str(error.value) == message


def test_hash_is_keyed_by_the_store_salt_and_hides_the_code():
    code, salt = generate_code(), new_salt()
    digest = hash_code(code, salt)
    assert digest == hash_code(code.lower(), salt)
    assert digest != hash_code(code, new_salt())
    assert len(digest) == 64 and code.replace("-", "") not in digest


def test_coach_password_hash():
    stored = hash_password("ein langes Passwort")
    assert stored.startswith("scrypt$") and "Passwort" not in stored
    assert verify_password("ein langes Passwort", stored) and not verify_password("falsch", stored)
    assert not verify_password("x", "kaputt")


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
    assert lines[0] == "seite;zugangscode" and [line.split(";")[0] for line in lines[1:]] == ["1", "2", "3"]
    pdf = (folder / "anschreiben" / "anschreiben-stapel-1.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 3
    first = _codes_from_csv(csv_path)
    result = runner.invoke(cli, ["codes", str(folder), "--anzahl", "2"])
    assert result.exit_code == 0 and "Stapel 2: 2 neue Zugangscodes erzeugt (insgesamt 5 ausgegeben)." in result.output
    second = _codes_from_csv(folder / "anschreiben" / "druckerei-stapel-2.csv")
    assert not set(first) & set(second)
    store = AnswerStore(folder / "antworten.sqlite")
    assert all(store.code_status(hash_code(code, store.code_salt)) == "frei" for code in first + second)
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
    assert not (folder / "anschreiben").exists() or not any((folder / "anschreiben").iterdir())
    assert AnswerStore(folder / "antworten.sqlite").code_counts() == (0, 0)
