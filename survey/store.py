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
  in place at random (:mod:`survey.store_format`): no code, no address, no time finer than the day,
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

import datetime as _dt
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
from survey.errors import InputFileError, UserError
from survey.store_format import (
    EMPTY_SLOT, ResponseRecord, StoreFormatError, decode_responses, encode_response, open_draft, seal_draft,
)

STORE_NAME = "antworten.sqlite"
LOCK_NAME = ".antworten.lock"
SCHEMA_VERSION = "2"
MODES = ("online", "papier")
MIN_SLOTS = 512
SLOT_RESERVE = 64
SLOTS_PER_CODE = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stapel (nr INTEGER PRIMARY KEY, ausgegeben INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS codes (nr INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, stapel INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS drafts (draft_id TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS slots (nr INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""
_FILLED = "substr(data, 1, 1) = x'01'"
_EMPTY = "substr(data, 1, 1) = x'00'"
_FIRST_PART = "substr(data, 1, 1) = x'01' AND substr(data, 18, 1) = x'00'"

_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


class UnknownCode(UserError):
    """No such unused access code (never issued, mistyped, or already used for a submission)."""


CodeAlreadyUsed = UnknownCode  # a used code is deleted, so it is indistinguishable from an unknown one


class StoreBusy(UserError):
    """The store could not be checkpointed in time (another program keeps reading it)."""


class OldStoreError(UserError):
    """A store of schema 1 (before the unlinkable layout) cannot take new codes or answers."""


class StoreInUse(UserError):
    """Another program (a running ``serve``) holds the folder's store."""


class FieldworkClosed(UserError):
    """The fieldwork was closed (``feldphase-abschliessen``): no new codes, no online answers."""


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


def today() -> str:
    """The current day as ``YYYY-MM-DD`` (the finest time the store ever records)."""
    return _dt.date.today().isoformat()


def new_resp_id() -> str:
    """A random response id (unrelated to codes or to the order of submission)."""
    return "W" + secrets.token_hex(8).upper()


@dataclass
class _Submission:
    """One queued submission (group commit)."""

    slots: list[bytes]
    code_hash: str | None
    draft_id: str | None
    removed_code: tuple | None = None
    removed_draft: tuple | None = None
    error: BaseException | None = None
    done: bool = False


class _FreeSlots:
    """Numbers of empty slots, for drawing one uniformly at random in O(1)."""

    def __init__(self, numbers: Iterable[int]):
        self._items = list(numbers)
        self._where = {number: index for index, number in enumerate(self._items)}

    def __len__(self) -> int:
        return len(self._items)

    def add(self, number: int) -> None:
        if number not in self._where:
            self._where[number] = len(self._items)
            self._items.append(number)

    def pop_random(self) -> int | None:
        if not self._items:
            return None
        index = secrets.randbelow(len(self._items))
        number, last = self._items[index], self._items[-1]
        self._items[index] = last
        self._where[last] = index
        self._items.pop()
        del self._where[number]
        return number


class AnswerStore:
    """Access to one ``antworten.sqlite``. Safe to share between threads (one connection per thread)."""

    def __init__(self, path: str | Path, submit_lock: str | Path | None = None):
        self.path = Path(path)
        self.submit_lock = Path(submit_lock) if submit_lock is not None else None
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._durable = True
        self._free: _FreeSlots | None = None
        self._queue: list[_Submission] = []
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
    def submit(
        self,
        answers: Mapping[str, object],
        *,
        modus: str,
        questionnaire_id: str,
        version: str,
        code_hash: str | None = None,
        draft_id: str | None = None,
    ) -> str:
        """Store final answers; use up the code and delete the saved draft first (see module doc).

        Returns the new random ``resp_id``. Raises :class:`UnknownCode` if the code is not (or no
        longer) valid; nothing is written then. Returns only once the answers are on disk.
        Submissions that arrive while one is being written are written together (group commit): one
        step 1, one checkpoint, one step 2, one checkpoint for all of them.
        """
        if modus not in MODES:
            raise ValueError(f"unknown mode {modus!r}")
        record = ResponseRecord(
            resp_id=new_resp_id(), modus=modus, tag=today(), fragebogen=questionnaire_id, version=version,
            answers={key: value for key, value in answers.items() if value is not None},
        )
        mine = _Submission(encode_response(record), code_hash, draft_id)
        with self._queue_guard:
            self._queue.append(mine)
        with self._lock:
            if not mine.done:
                with self._queue_guard:
                    batch, self._queue = self._queue, []
                with _exclusive(self.submit_lock):
                    self._write_batch(batch)
        if mine.error is not None:
            raise mine.error
        return record.resp_id

    def _write_batch(self, batch: list[_Submission]) -> None:
        try:
            with self.transaction(durable=False) as db:
                for item in batch:
                    self._use_code_and_draft(db, item)
            valid = [item for item in batch if item.error is None]
            if not valid:
                return
            committed = False
            try:
                if any(item.removed_code or item.removed_draft for item in valid):
                    self.checkpoint()
                with self.transaction(durable=False) as db:
                    for item in valid:
                        self._fill(db, item.slots)
                committed = True
            except BaseException as error:
                if not committed:
                    self._restore(valid)
                    for item in valid:
                        item.error = error
                raise
            # Durable before anyone is told: the checkpoint syncs the main file (the answers are in
            # it); if it cannot run now, the log itself is synced instead.
            try:
                self.checkpoint()
            except StoreBusy:
                self._sync_log()
        except BaseException as error:  # every submitter of the batch raises it in its own thread
            for item in batch:
                if item.error is None:
                    item.error = error
        finally:
            for item in batch:
                item.done = True

    def _sync_log(self) -> None:
        log = self.path.with_name(self.path.name + "-wal")
        with open(log, "rb+") as handle:
            os.fsync(handle.fileno())

    @staticmethod
    def _use_code_and_draft(db: sqlite3.Connection, item: _Submission) -> None:
        if item.code_hash is not None:
            row = db.execute("SELECT nr, stapel FROM codes WHERE hash = ?", (item.code_hash,)).fetchone()
            if row is None:
                item.error = UnknownCode(
                    "Dieser Zugangscode ist nicht bekannt oder wurde bereits für einen abgeschickten "
                    "Fragebogen verwendet."
                )
                return
            db.execute("DELETE FROM codes WHERE nr = ?", (row[0],))
            item.removed_code = (row[0], item.code_hash, row[1])
        if item.draft_id is not None:
            row = db.execute("SELECT data FROM drafts WHERE draft_id = ?", (item.draft_id,)).fetchone()
            if row is not None:
                db.execute("DELETE FROM drafts WHERE draft_id = ?", (item.draft_id,))
                item.removed_draft = (item.draft_id, row[0])

    def _restore(self, items: list[_Submission]) -> None:
        """Undo step 1 of submissions whose answers could not be written (their codes stay usable)."""
        with self.transaction() as db:
            for item in items:
                if item.removed_code is not None:
                    db.execute("INSERT OR IGNORE INTO codes (nr, hash, stapel) VALUES (?, ?, ?)", item.removed_code)
                if item.removed_draft is not None:
                    db.execute("INSERT OR IGNORE INTO drafts (draft_id, data) VALUES (?, ?)", item.removed_draft)

    # -- slots -----------------------------------------------------------------------------------------
    def _free_slots(self, db: sqlite3.Connection) -> _FreeSlots:
        if self._free is None:
            self._free = _FreeSlots(row[0] for row in db.execute(f"SELECT nr FROM slots WHERE {_EMPTY}"))
        return self._free

    def _grow(self, db: sqlite3.Connection, count: int) -> None:
        """Add ``count`` empty slots with random numbers (a random number spreads them over the file)."""
        free = self._free_slots(db)
        numbers = {secrets.randbits(62) + 1 for _ in range(count)}
        db.executemany("INSERT OR IGNORE INTO slots (nr, data) VALUES (?, ?)", ((n, EMPTY_SLOT) for n in numbers))
        for number in numbers:
            free.add(number)

    def _fill(self, db: sqlite3.Connection, slots: list[bytes]) -> None:
        free = self._free_slots(db)
        try:
            if len(free) < len(slots) + SLOT_RESERVE:
                total = db.execute("SELECT COUNT(*) FROM slots").fetchone()[0]
                self._grow(db, max(MIN_SLOTS, total, len(slots) + SLOT_RESERVE))
            written = 0
            while written < len(slots):
                number = free.pop_random()
                if number is None:
                    self._grow(db, MIN_SLOTS)
                    continue
                cursor = db.execute(f"UPDATE slots SET data = ? WHERE nr = ? AND {_EMPTY}", (slots[written], number))
                written += cursor.rowcount
        except BaseException:
            self._free = None  # rolled back: reload the free slots from disk next time
            raise

    def _records(self) -> list[ResponseRecord]:
        return decode_responses(row[0] for row in self._read(f"SELECT data FROM slots WHERE {_FILLED}"))

    def response_count(self) -> int:
        return int(self._read(f"SELECT COUNT(*) FROM slots WHERE {_FIRST_PART}")[0][0])

    def counts_by_day(self) -> list[tuple[str, str, int]]:
        """(day, mode, number of responses), ordered by day."""
        counts: dict[tuple[str, str], int] = {}
        for record in self._records():
            counts[(record.tag, record.modus)] = counts.get((record.tag, record.modus), 0) + 1
        return [(day, mode, count) for (day, mode), count in sorted(counts.items())]

    def counts_by_value(self, variable_id: str) -> list[tuple[object, str, int]]:
        """(answer value or None, mode, number of responses) for one variable (e.g. ``ortsteil``)."""
        counts: dict[tuple[object, str], int] = {}
        for record in self._records():
            key = (record.answers.get(variable_id), record.modus)
            counts[key] = counts.get(key, 0) + 1
        return [(value, mode, count) for (value, mode), count
                in sorted(counts.items(), key=lambda item: (item[0][0] is not None, str(item[0][0]), item[0][1]))]

    def iter_responses(self) -> Iterator[tuple[str, str, dict[str, object]]]:
        """(resp_id, mode, answers) of every submitted questionnaire, ordered by resp_id."""
        for record in sorted(self._records(), key=lambda item: item.resp_id):
            yield record.resp_id, record.modus, record.answers

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
                empty = db.execute(f"DELETE FROM slots WHERE {_EMPTY}").rowcount
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
        return sum(path.stat().st_size for path in store_files(self.path) if path.exists())


@contextmanager
def _exclusive(path: Path | None) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (nothing if None or not POSIX): the two steps of a
    submission never interleave with another worker process's submission."""
    if path is None:
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows runs one process
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@contextmanager
def folder_lock(folder: str | Path) -> Iterator[None]:
    """Hold the folder's store exclusively: one server per folder, no close-out while it serves.

    An advisory ``flock`` on ``DIR/.antworten.lock`` (POSIX; elsewhere no lock is taken).
    """
    folder = Path(folder)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    if not folder.is_dir():
        yield  # the caller reports the missing folder
        return
    handle = open(folder / LOCK_NAME, "a+b")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreInUse(
                f"Der Antwortspeicher in {folder} wird gerade von einem anderen Programm benutzt "
                "(läuft »sicherheitsanalyse serve« noch?). Bitte dieses zuerst beenden."
            ) from None
        yield
    finally:
        handle.close()


def store_files(path: str | Path) -> list[Path]:
    """The store and its companions (``-wal``, ``-shm``, ``-journal``)."""
    path = Path(path)
    return [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def read_responses(path: str | Path):
    """Submitted answers of a store as a data frame: ``resp_id``, one column per variable, ``modus``.

    Columns follow the questionnaire recorded by the web app (plus any further answered variables),
    rows are ordered by ``resp_id``. Numeric answers are floats (NaN = not answered), free text is
    text. An empty store gives an empty frame with the same columns. Reads stores of schema 1 too.
    """
    import pandas as pd

    store_path = Path(path)
    if store_path.is_dir():
        store_path = store_path / STORE_NAME
    if not store_path.exists():
        raise InputFileError(f"Der Antwortspeicher {store_path} existiert nicht.")
    try:
        db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "slots" in tables:
                records = decode_responses(row[0] for row in db.execute(f"SELECT data FROM slots WHERE {_FILLED}"))
                rows = [(record.resp_id, record.modus, record.answers) for record in records]
            else:
                rows = [(resp_id, mode, json.loads(answers)) for resp_id, mode, answers
                        in db.execute("SELECT resp_id, modus, answers FROM responses")]
        finally:
            db.close()
    except (sqlite3.DatabaseError, StoreFormatError, ValueError) as error:
        raise InputFileError(f"{store_path} ist kein lesbarer Antwortspeicher ({error}).") from None
    variables: list[str] = json.loads(meta.get("variablen", "[]"))
    records = []
    for resp_id, mode, answers in sorted(rows, key=lambda row: row[0]):
        for key in answers:
            if key not in variables:
                variables.append(key)
        records.append({"resp_id": resp_id, **answers, "modus": mode})
    columns = ["resp_id", *variables, "modus"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for column in variables:
        values = frame[column].dropna()
        if all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in values):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame
