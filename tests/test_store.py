"""The answer store: durability settings, all-or-nothing writes, unlinkable layout, read_responses."""

from __future__ import annotations

import json
import sqlite3

import pytest

from survey.access_codes import derive_keys, generate_code
from survey.errors import InputFileError
from survey.store import MIN_SLOTS, AnswerStore, OldStoreError, UnknownCode, read_responses, store_files
from survey.store.format import (
    SLOT_BYTES, ResponseRecord, StoreFormatError, decode_responses, encode_response, open_draft, seal_draft,
)


@pytest.fixture()
def store(tmp_path):
    store = AnswerStore(tmp_path / "antworten.sqlite")
    store.set_variables("webtest", "1.0", ["ortsteil", "sicher_nacht", "anmerkung"])
    yield store
    store.close()


@pytest.fixture()
def keys(store):
    codes = [generate_code() for _ in range(3)]
    derived = [derive_keys(code, store.code_salt) for code in codes]
    store.add_codes([item.lookup for item in derived], store.next_batch())
    return derived


def raw_bytes(store) -> bytes:
    return b"".join(path.read_bytes() for path in store_files(store.path) if path.exists())


def test_wal_full_sync_secure_delete_and_no_automatic_checkpoints(store):
    db = store._connection()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0


def test_submit_deletes_code_and_draft_and_leaves_no_trace_in_any_file(store, keys):
    used = keys[0]
    assert store.save_draft(used.draft_id, used.draft_key, {"ortsteil": 1, "anmerkung": "Entwurf-4711"}, 2,
                            code_hash=used.lookup)
    assert store.load_draft(used.draft_id, used.draft_key).answers["anmerkung"] == "Entwurf-4711"
    assert b"Entwurf-4711" not in raw_bytes(store)  # sealed
    resp_id = store.submit({"ortsteil": 1, "anmerkung": "ok"}, modus="online", questionnaire_id="webtest",
                           version="1.0", code_hash=used.lookup, draft_id=used.draft_id)
    assert store.load_draft(used.draft_id, used.draft_key) is None and not store.has_code(used.lookup)
    assert store.code_counts() == (3, 1)
    assert store.path.with_name("antworten.sqlite-wal").stat().st_size == 0
    raw = raw_bytes(store)
    for value in (used.lookup, used.draft_id):
        assert value.encode() not in raw and bytes.fromhex(value) not in raw
    assert keys[1].lookup.encode() in raw  # unused codes stay
    assert [row[0] for row in store.iter_responses()] == [resp_id] and resp_id.startswith("W") and len(resp_id) == 17


def test_unknown_or_used_code_writes_nothing(store, keys):
    store.submit({"ortsteil": 1}, modus="online", questionnaire_id="webtest", version="1.0", code_hash=keys[0].lookup)
    store.save_draft(keys[1].draft_id, keys[1].draft_key, {"ortsteil": 2}, 1, code_hash=keys[1].lookup)
    for code_hash in (keys[0].lookup, "0" * 64):
        with pytest.raises(UnknownCode):
            store.submit({"ortsteil": 2}, modus="online", questionnaire_id="webtest", version="1.0",
                         code_hash=code_hash, draft_id=keys[1].draft_id)
    assert store.response_count() == 1 and store.load_draft(keys[1].draft_id, keys[1].draft_key) is not None
    # A draft for a used code is refused.
    assert not store.save_draft(keys[0].draft_id, keys[0].draft_key, {"ortsteil": 3}, 0, code_hash=keys[0].lookup)
    assert store.draft_count() == 1


def test_answers_that_cannot_be_written_give_the_code_and_draft_back(store, keys, monkeypatch):
    store.save_draft(keys[0].draft_id, keys[0].draft_key, {"ortsteil": 1}, 3, code_hash=keys[0].lookup)

    def broken(db, slots):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "_fill", broken)
    with pytest.raises(sqlite3.OperationalError):
        store.submit({"ortsteil": 1}, modus="online", questionnaire_id="webtest", version="1.0",
                     code_hash=keys[0].lookup, draft_id=keys[0].draft_id)
    assert store.has_code(keys[0].lookup) and store.load_draft(keys[0].draft_id, keys[0].draft_key).page == 3
    assert store.response_count() == 0


def test_exception_inside_a_transaction_rolls_back(store, keys):
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db.execute("INSERT INTO codes (hash, stapel) VALUES ('h3', 2)")
            raise RuntimeError("mitten im Import")
    assert not store.has_code("h3") and store.code_counts() == (3, 0)


def test_answers_fill_preallocated_slots_in_place_in_random_order(store):
    store.checkpoint()
    size_before = store.path.stat().st_size
    markers = [f"Antwort-{number:03d}" for number in range(60)]
    for marker in markers:
        store.submit({"anmerkung": marker}, modus="papier", questionnaire_id="webtest", version="1.0")
    store.checkpoint()
    data = store.path.read_bytes()
    assert store.path.stat().st_size == size_before  # no page was allocated
    # The records are compressed; find each one's slot by decoding the slots in file order.
    with sqlite3.connect(store.path) as db:
        slots = {nr: blob for nr, blob in db.execute("SELECT nr, data FROM slots")}
    position = {}
    for nr, blob in slots.items():
        for record in decode_responses([blob]):
            position[record.answers["anmerkung"]] = data.index(blob)
    order = [position[marker] for marker in markers]
    ranks = {value: rank for rank, value in enumerate(sorted(order))}
    n = len(order)
    rho = 1 - 6 * sum((i - ranks[value]) ** 2 for i, value in enumerate(order)) / (n * (n * n - 1))
    assert abs(rho) < 0.5, rho  # |rho| ≥ 0.5 by chance: p < 1e-4
    assert max(slots) > 2**40  # slot numbers are random 62-bit integers, not a sequence


def test_slot_pool_grows_when_needed(store):
    long_text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(1500))  # incompressible
    for _ in range(MIN_SLOTS // 4):
        store.submit({"anmerkung": long_text}, modus="papier", questionnaire_id="webtest", version="1.0")
    assert store.response_count() == MIN_SLOTS // 4
    assert all(row[2]["anmerkung"] == long_text for row in store.iter_responses())
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM slots").fetchone()[0] > MIN_SLOTS


def test_slot_encoding_round_trip_and_damage():
    record = ResponseRecord("W1", "online", "2025-03-01", "webtest", "1.0",
                            {"a": 1, "t": "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(1500)), "x": 2.5})
    slots = encode_response(record)
    assert len(slots) > 1 and all(len(slot) == SLOT_BYTES for slot in slots)
    assert decode_responses(reversed(slots)) == [record]
    assert decode_responses(slots[1:]) == []  # an incomplete group is skipped, never guessed
    damaged = bytearray(slots[0])
    damaged[17] = 200  # part index beyond the count
    with pytest.raises(StoreFormatError):
        decode_responses([bytes(damaged)])
    with pytest.raises(ValueError):
        encode_response(ResponseRecord("W2", "online", "2025-03-01", "webtest", "1.0", {"x": float("nan")}))


def test_sealed_draft_needs_its_key_and_its_row():
    key, other = bytes(range(32)), bytes(32)
    sealed = seal_draft(key, "d1", {"anmerkung": "geheim"}, 4, "2025-03-01")
    assert b"geheim" not in sealed and len(sealed) % 512 == 0
    assert open_draft(key, "d1", sealed) == ({"anmerkung": "geheim"}, 4)
    for wrong_key, row in ((other, "d1"), (key, "d2")):
        with pytest.raises(StoreFormatError):
            open_draft(wrong_key, row, sealed)


def test_read_responses_columns_types_and_modes(store, keys, tmp_path):
    store.submit({"ortsteil": 2, "sicher_nacht": 3, "anmerkung": "<b>x</b>"}, modus="online",
                 questionnaire_id="webtest", version="1.0", code_hash=keys[1].lookup)
    store.submit({"ortsteil": 1}, modus="papier", questionnaire_id="webtest", version="1.0", sprache="pl")
    frame = read_responses(tmp_path / "antworten.sqlite")
    assert list(frame.columns) == ["resp_id", "ortsteil", "sicher_nacht", "anmerkung", "modus", "sprache"]
    assert sorted(frame["modus"]) == ["online", "papier"] and list(frame["resp_id"]) == sorted(frame["resp_id"])
    assert dict(zip(frame["modus"], frame["sprache"])) == {"online": None, "papier": "pl"}
    assert str(frame["ortsteil"].dtype) == "float64" and sorted(frame["ortsteil"]) == [1.0, 2.0]
    assert frame["sicher_nacht"].isna().sum() == 1
    assert read_responses(tmp_path).shape == frame.shape  # the folder works too


def test_read_responses_of_an_empty_store_and_of_a_missing_file(store, tmp_path):
    frame = read_responses(tmp_path / "antworten.sqlite")
    assert frame.empty and list(frame.columns) == ["resp_id", "ortsteil", "sicher_nacht", "anmerkung", "modus",
                                                   "sprache"]
    with pytest.raises(InputFileError, match="existiert nicht"):
        read_responses(tmp_path / "fehlt.sqlite")
    (tmp_path / "kaputt.sqlite").write_bytes(b"kein sqlite" * 100)
    with pytest.raises(InputFileError, match="kein lesbarer Antwortspeicher"):
        read_responses(tmp_path / "kaputt.sqlite")


def test_a_schema_1_store_is_still_readable_but_takes_no_new_answers(tmp_path):
    path = tmp_path / "alt" / "antworten.sqlite"
    path.parent.mkdir()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE responses (resp_id TEXT PRIMARY KEY, modus TEXT, tag TEXT, fragebogen TEXT, "
                   "version TEXT, answers TEXT)")
        db.execute("INSERT INTO meta VALUES ('variablen', ?)", (json.dumps(["ortsteil"]),))
        db.execute("INSERT INTO responses VALUES ('W1', 'online', '2025-03-01', 'x', '1', ?)",
                   (json.dumps({"ortsteil": 2}),))
    frame = read_responses(path)
    assert list(frame["resp_id"]) == ["W1"] and frame.iloc[0]["ortsteil"] == 2.0
    with pytest.raises(OldStoreError, match="früheren Version"):
        AnswerStore(path)


def test_days_only_and_counts(store, keys):
    store.submit({"ortsteil": 1}, modus="online", questionnaire_id="webtest", version="1.0", code_hash=keys[0].lookup)
    store.submit({"ortsteil": 1}, modus="papier", questionnaire_id="webtest", version="1.0")
    store.submit({}, modus="papier", questionnaire_id="webtest", version="1.0")
    (day, mode, count), *_ = store.counts_by_day()
    assert len(day) == 10 and (mode, count) == ("online", 1)
    assert store.counts_by_value("ortsteil") == [(None, "papier", 1), (1, "online", 1), (1, "papier", 1)]
    assert store.response_count() == 3


def test_close_removes_the_log_files(store, keys):
    store.submit({"ortsteil": 1}, modus="papier", questionnaire_id="webtest", version="1.0")
    store.close()
    assert [path.name for path in store_files(store.path) if path.exists()] == ["antworten.sqlite"]
