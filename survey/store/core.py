"""The answer store ``DIR/antworten.sqlite``: access codes, saved drafts, submitted answers.

Threat model (``docs/datenschutz.md``): the commune holds this file with its ``-wal``/``-shm``
companions, the print-shop list (page ↔ code) and the address register (page ↔ address). It must not
learn who answered what, nor the order of the answers. Hence:

* ``codes`` holds the lookup hash of every *unused* code (:func:`survey.access_codes.derive_keys`).
  A submission deletes the code's row, so after submission the store holds no hash of that code;
  ``stapel`` keeps the number of codes issued per batch (used = issued − remaining).
* ``drafts`` holds questionnaires saved for later, sealed with a key derived from the code (or, for
  paper entries, a random key in the coach's browser) under a row key that is not the code hash.
* ``slots`` holds the submitted answers in pre-allocated fixed-size rows with random numbers, filled
  in place at random (:mod:`survey.store.format`): no code, no address, no time finer than the day,
  and no insertion order in rows or pages.
* ``PRAGMA secure_delete`` zeroes deleted rows and freed pages. The write-ahead log is copied back
  and truncated to zero bytes after every submission and at shutdown (automatic checkpoints are
  off), so it never holds a history.
* A submission runs in two steps, each followed by a truncating checkpoint: (1) delete the code row
  and the saved draft, (2) write the answers. The second checkpoint syncs the main file, so the
  answers are on disk (power cut included) before the submission is acknowledged.
  At no moment do the files hold both "this code was just used" and "this answer was just added":
  a crash between the steps loses that one questionnaire (never acknowledged), but links nothing.

Draft saves are light (``synchronous=NORMAL``: they survive a killed process, not a power cut);
submissions are fully durable. Reads and writes of one process run under one lock (so a checkpoint
never waits for this process's readers), ``BEGIN IMMEDIATE`` serialises writers across processes, and
submissions that arrive together are written together (group commit).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from survey.access_codes import new_salt
from survey.store.answers import EMPTY, MIN_SLOTS, SLOTS_PER_CODE, AnswerWriter, FreeSlots, Submission, today
from survey.store.errors import FieldworkClosed, OldStoreError, StoreBusy
from survey.store.format import StoreFormatError, open_draft, seal_draft

STORE_NAME = "antworten.sqlite"
SCHEMA_VERSION = "2"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stapel (nr INTEGER PRIMARY KEY, ausgegeben INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS codes (nr INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, stapel INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS drafts (draft_id TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS slots (nr INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""
_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


@dataclass(frozen=True)
class Draft:
    """Unfinished answers and the page index the respondent was on."""

    answers: dict[str, object]
    page: int


@dataclass(frozen=True)
class CloseOutCounts:
    """What ``close_out`` deleted and what remains."""

    drafts: int
    unused_codes: int
    issued: int
    used: int
    responses: int
    empty_slots: int
    bytes_before: int
    bytes_after: int


class AnswerStore(AnswerWriter):
    """Access to one ``antworten.sqlite``. Safe to share between threads (one connection, one lock);
    safe across ``fork`` (a child opens its own connection)."""

    def __init__(self, path: str | Path, submit_lock: str | Path | None = None):
        self.path = Path(path)
        self.submit_lock = Path(submit_lock) if submit_lock is not None else None
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._durable = True
        self._free: FreeSlots | None = None
        self._queue: list[Submission] = []
        self._queue_guard = threading.Lock()
        with _LOCKS_GUARD:
            self._lock = _LOCKS.setdefault(str(self.path.resolve()), threading.RLock())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.transaction() as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "responses" in tables:
                raise OldStoreError(
                    f"Der Antwortspeicher {self.path} stammt von einer früheren Version (Schema 1, mit "
                    "verknüpfbaren Zwischenständen). Er kann weiter mit »pruefen« ausgewertet werden, aber "
                    "keine neuen Codes oder Online-Antworten aufnehmen. Bitte für eine neue Befragung einen "
                    "neuen Analyseordner anlegen."
                )
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            self._init_meta(db)
            if db.execute("SELECT COUNT(*) FROM slots").fetchone()[0] == 0:
                self._grow(db, MIN_SLOTS)
        self.checkpoint()

    # -- connection and transactions ---------------------------------------------------------------
    # One connection per store object, used under the per-file lock: reads and writes of this process
    # never overlap, so a truncating checkpoint never waits for a reader of this process.
    def _connection(self) -> sqlite3.Connection:
        if self._db is not None and self._pid != os.getpid():
            self._db = None  # inherited through fork: never use (or close) the parent's connection
        if self._db is None:
            self._pid = os.getpid()
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA secure_delete=ON")
            db.execute("PRAGMA wal_autocheckpoint=0")
            self._db, self._durable = db, True
        return self._db

    @contextmanager
    def transaction(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); all or nothing.

        ``durable`` False commits with ``synchronous=NORMAL`` (no fsync: survives a killed process but
        not a power cut) — for drafts, and for the first step of a submission, whose checkpoint syncs.
        """
        with self._lock:
            db = self._connection()
            if self._durable != durable:
                db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
                self._durable = durable
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def checkpoint(self, attempts: int = 3) -> None:
        """Copy the write-ahead log into the main file (synced) and truncate the log to zero bytes.

        Waits (busy timeout) for readers in other processes; raises :class:`StoreBusy` if they do not
        finish.
        """
        with self._lock:
            db = self._connection()
            for _ in range(attempts):
                busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if busy == 0:
                    return
                time.sleep(0.05)
        raise StoreBusy(
            f"Der Antwortspeicher {self.path} wird gerade von einem anderen Programm gelesen; "
            "bitte gleich noch einmal versuchen."
        )

    def _read(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with self._lock:
            return self._connection().execute(sql, tuple(params)).fetchall()

    def close(self) -> None:
        """Checkpoint and close the connection (the last one to the file removes -wal and -shm)."""
        with self._lock:
            if self._db is None or self._pid != os.getpid():
                self._db = None
                return
            try:
                self.checkpoint()
            except (StoreBusy, sqlite3.Error):
                pass
            self._db.close()
            self._db = None

    # -- meta ----------------------------------------------------------------------------------------
    def _init_meta(self, db: sqlite3.Connection) -> None:
        defaults = {"schema_version": SCHEMA_VERSION, "code_salt": new_salt(), "secret_key": secrets.token_hex(32)}
        for key, value in defaults.items():
            db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def code_salt(self) -> str:
        return self.meta("code_salt") or ""

    @property
    def secret_key(self) -> str:
        return self.meta("secret_key") or ""

    @property
    def closed_on(self) -> str | None:
        """The day the fieldwork was closed (``feldphase-abschliessen``), or None."""
        return self.meta("feldphase_abgeschlossen")

    def require_open(self) -> None:
        if self.closed_on:
            day = ".".join(reversed(self.closed_on.split("-")))
            raise FieldworkClosed(
                f"Die Feldphase dieses Analyseordners wurde am {day} abgeschlossen: Zugangscodes und "
                "Zwischenstände sind gelöscht, es können keine neuen Codes oder Online-Antworten mehr "
                "angenommen werden."
            )

    def set_variables(self, questionnaire_id: str, version: str, variable_ids: list[str]) -> None:
        """Record the questionnaire the app serves (read_responses uses it for the columns)."""
        with self.transaction() as db:
            for key, value in (("fragebogen", questionnaire_id), ("version", version),
                               ("variablen", json.dumps(list(variable_ids)))):
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- codes ---------------------------------------------------------------------------------------
    def next_batch(self) -> int:
        rows = self._read("SELECT COALESCE(MAX(nr), 0) FROM stapel")
        return int(rows[0][0]) + 1

    def add_codes(self, hashes: Iterable[str], batch: int) -> int:
        """Insert lookup hashes as batch ``batch``; returns how many were new (duplicates are ignored).

        Also reserves empty answer slots for the new codes, so that the slot pool rarely has to grow
        during the fieldwork.
        """
        self.require_open()
        added = 0
        with self.transaction() as db:
            for code_hash in hashes:
                cursor = db.execute("INSERT OR IGNORE INTO codes (hash, stapel) VALUES (?, ?)", (code_hash, batch))
                added += cursor.rowcount
            db.execute("INSERT OR REPLACE INTO stapel (nr, ausgegeben, tag) VALUES (?, "
                       "COALESCE((SELECT ausgegeben FROM stapel WHERE nr = ?), 0) + ?, ?)",
                       (batch, batch, added, today()))
            unused = db.execute("SELECT COUNT(*) FROM codes").fetchone()[0]
            free = self._free_slots(db)
            wanted = SLOTS_PER_CODE * unused + MIN_SLOTS
            if len(free) < wanted:
                self._grow(db, wanted - len(free))
        self.checkpoint()
        return added

    def has_code(self, code_hash: str) -> bool:
        """Whether ``code_hash`` is an issued, still unused code."""
        return bool(self._read("SELECT 1 FROM codes WHERE hash = ?", (code_hash,)))

    def code_status(self, code_hash: str) -> str | None:
        """``'frei'`` for an unused code, None otherwise (a used code is deleted, hence unknown)."""
        return "frei" if self.has_code(code_hash) else None

    def code_counts(self) -> tuple[int, int]:
        """(issued, used) access codes."""
        frozen = self.meta("codes_ausgegeben"), self.meta("codes_benutzt")
        if frozen[0] is not None:
            return int(frozen[0]), int(frozen[1] or 0)
        issued = int(self._read("SELECT COALESCE(SUM(ausgegeben), 0) FROM stapel")[0][0])
        unused = int(self._read("SELECT COUNT(*) FROM codes")[0][0])
        return issued, issued - unused

    # -- drafts --------------------------------------------------------------------------------------
    def load_draft(self, draft_id: str, key: bytes) -> Draft | None:
        """The saved draft under ``draft_id`` opened with ``key``; None if there is none (or the key
        does not open it)."""
        sealed = self.load_sealed_draft(draft_id)
        if sealed is None:
            return None
        try:
            answers, page = open_draft(key, draft_id, sealed)
        except StoreFormatError:
            return None
        return Draft(answers=answers, page=page)

    def load_sealed_draft(self, draft_id: str) -> bytes | None:
        rows = self._read("SELECT data FROM drafts WHERE draft_id = ?", (draft_id,))
        return rows[0][0] if rows else None

    def save_draft(self, draft_id: str, key: bytes, answers: Mapping[str, object], page: int,
                   *, code_hash: str | None = None) -> bool:
        """Seal and save a draft (light write); see :meth:`save_sealed_draft`."""
        return self.save_sealed_draft(draft_id, seal_draft(key, draft_id, answers, page, today()), code_hash=code_hash)

    def save_sealed_draft(self, draft_id: str, sealed: bytes, *, code_hash: str | None = None) -> bool:
        """Save a sealed draft (light write). With ``code_hash``, only while that code is unused:
        returns False (and writes nothing) if the code has been used meanwhile."""
        with self.transaction(durable=False) as db:
            if code_hash is not None and db.execute("SELECT 1 FROM codes WHERE hash = ?", (code_hash,)).fetchone() is None:
                return False
            db.execute("INSERT OR REPLACE INTO drafts (draft_id, data) VALUES (?, ?)", (draft_id, sealed))
        return True

    def delete_draft(self, draft_id: str) -> None:
        with self.transaction(durable=False) as db:
            db.execute("DELETE FROM drafts WHERE draft_id = ?", (draft_id,))

    def draft_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM drafts")[0][0])

    # -- responses -------------------------------------------------------------------------------------
    # -- coach password ----------------------------------------------------------------------------------
    @property
    def coach_password_hash(self) -> str | None:
        return self.meta("coach_passwort")

    def set_coach_password_hash(self, value: str) -> None:
        self.set_meta("coach_passwort", value)

    # -- fieldwork close-out -------------------------------------------------------------------------------
    def close_out(self) -> CloseOutCounts:
        """Delete drafts, unused codes, secrets and empty slots; freeze the code counts; VACUUM."""
        issued, used = self.code_counts()
        before = self._disk_bytes()
        with self._lock:
            with self.transaction() as db:
                drafts = db.execute("DELETE FROM drafts").rowcount
                unused = db.execute("DELETE FROM codes").rowcount
                empty = db.execute(f"DELETE FROM slots WHERE {EMPTY}").rowcount
                for key in ("coach_passwort", "secret_key", "code_salt"):
                    db.execute("DELETE FROM meta WHERE key = ?", (key,))
                for key, value in (("codes_ausgegeben", issued), ("codes_benutzt", used),
                                   ("feldphase_abgeschlossen", self.closed_on or today())):
                    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))
            self._free = None
            self.checkpoint()
            self._connection().execute("VACUUM")
            self.checkpoint()
        return CloseOutCounts(drafts=drafts, unused_codes=unused, issued=issued, used=used,
                              responses=self.response_count(), empty_slots=empty,
                              bytes_before=before, bytes_after=self._disk_bytes())

    def _disk_bytes(self) -> int:
        from survey.store.read import store_files

        return sum(path.stat().st_size for path in store_files(self.path) if path.exists())
