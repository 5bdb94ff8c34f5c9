"""The answer store: durability settings, all-or-nothing writes, privacy, read_responses."""

from __future__ import annotations

import sqlite3

import pytest

from survey.errors import InputFileError
from survey.store import AnswerStore, CodeAlreadyUsed, read_responses


@pytest.fixture()
def store(tmp_path):
    store = AnswerStore(tmp_path / "antworten.sqlite")
    store.set_variables("webtest", "1.0", ["ortsteil", "sicher_nacht", "anmerkung"])
    store.add_codes(["h1", "h2"], 1)
    return store


def test_wal_full_sync(store):
    db = store._connection()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_submit_marks_code_used_deletes_draft_and_keeps_no_link(store):
    store.save_draft("h1", {"ortsteil": 1}, 2)
    resp_id = store.submit({"ortsteil": 1, "anmerkung": "ok"}, modus="online", questionnaire_id="webtest",
                           version="1.0", code_hash="h1", draft_key="h1")
    assert store.load_draft("h1") is None and store.code_status("h1") == "benutzt"
    assert "h1" not in resp_id and len(resp_id) == 13
    rows = store._read("SELECT * FROM responses")
    assert not any("h1" in str(value) for value in rows[0])


def test_failed_submit_leaves_nothing_behind(store):
    store.submit({"ortsteil": 1}, modus="online", questionnaire_id="webtest", version="1.0", code_hash="h1")
    store.save_draft("h1", {"ortsteil": 2}, 1)
    with pytest.raises(CodeAlreadyUsed):
        store.submit({"ortsteil": 2}, modus="online", questionnaire_id="webtest", version="1.0",
                     code_hash="h1", draft_key="h1")
    assert store.response_count() == 1 and store.load_draft("h1") is not None


def test_exception_inside_a_transaction_rolls_back(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db.execute("INSERT INTO codes (hash, stapel) VALUES ('h3', 2)")
            raise RuntimeError("mitten im Import")
    assert store.code_status("h3") is None and store.code_counts() == (2, 0)


def test_resp_ids_are_random_and_unrelated_to_order(store):
    ids = [store.submit({}, modus="papier", questionnaire_id="webtest", version="1.0") for _ in range(30)]
    assert len(set(ids)) == 30 and ids != sorted(ids)
    assert [row[0] for row in store._read("SELECT resp_id FROM responses")] == sorted(ids)


def test_read_responses_columns_types_and_modes(store, tmp_path):
    store.submit({"ortsteil": 2, "sicher_nacht": 3, "anmerkung": "<b>x</b>"}, modus="online",
                 questionnaire_id="webtest", version="1.0", code_hash="h2")
    store.submit({"ortsteil": 1}, modus="papier", questionnaire_id="webtest", version="1.0")
    frame = read_responses(tmp_path / "antworten.sqlite")
    assert list(frame.columns) == ["resp_id", "ortsteil", "sicher_nacht", "anmerkung", "modus"]
    assert sorted(frame["modus"]) == ["online", "papier"]
    assert str(frame["ortsteil"].dtype) == "float64" and sorted(frame["ortsteil"]) == [1.0, 2.0]
    assert frame["sicher_nacht"].isna().sum() == 1
    assert read_responses(tmp_path).shape == frame.shape  # the folder works too


def test_read_responses_of_an_empty_store_and_of_a_missing_file(store, tmp_path):
    frame = read_responses(tmp_path / "antworten.sqlite")
    assert frame.empty and list(frame.columns) == ["resp_id", "ortsteil", "sicher_nacht", "anmerkung", "modus"]
    with pytest.raises(InputFileError, match="existiert nicht"):
        read_responses(tmp_path / "fehlt.sqlite")
    (tmp_path / "kaputt.sqlite").write_bytes(b"kein sqlite" * 100)
    with pytest.raises(InputFileError, match="kein lesbarer Antwortspeicher"):
        read_responses(tmp_path / "kaputt.sqlite")


def test_days_only_and_counts(store):
    store.submit({"ortsteil": 1}, modus="online", questionnaire_id="webtest", version="1.0", code_hash="h1")
    store.submit({"ortsteil": 1}, modus="papier", questionnaire_id="webtest", version="1.0")
    store.submit({}, modus="papier", questionnaire_id="webtest", version="1.0")
    (day, mode, count), *_ = store.counts_by_day()
    assert len(day) == 10 and (mode, count) == ("online", 1)
    assert store.counts_by_value("ortsteil") == [(None, "papier", 1), (1, "online", 1), (1, "papier", 1)]
    with sqlite3.connect(store.path) as db:
        assert [row[1] for row in db.execute("PRAGMA table_info(drafts)")] == ["draft_key", "answers", "page", "tag"]
