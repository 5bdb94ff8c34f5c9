"""The answer store ``DIR/antworten.sqlite``: access codes, drafts, submitted answers (one writer).

Privacy by construction:

* ``codes`` holds only PBKDF2 hashes of the access codes (see :mod:`survey.access_codes`) and a ``used``
  flag, no time of use.
* ``drafts`` holds unfinished answers keyed by the code hash (so that a respondent can resume with the
  same code); a draft is deleted in the same transaction that stores the final answers.
* ``responses`` holds the final answers under a random ``resp_id`` with the mode and the day (no finer
  time). It has no column that refers to a code or a draft, and it is a ``WITHOUT ROWID`` table keyed by
  the random id, so neither a row id nor the physical order reveals the order of submission.
* Nothing about clients (IP addresses, browsers) is stored.

Durability: WAL journal with ``synchronous=FULL`` (a commit is on disk before it is acknowledged). Every
write runs in one ``BEGIN IMMEDIATE`` transaction under a process-wide lock, so there is one writer.
"""

from __future__ import annotations

import datetime as _dt
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from survey.access_codes import new_salt
from survey.errors import InputFileError, UserError

STORE_NAME = "antworten.sqlite"
SCHEMA_VERSION = "1"
MODES = ("online", "papier")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS codes (
    hash TEXT PRIMARY KEY,
    stapel INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS drafts (
    draft_key TEXT PRIMARY KEY,
    answers TEXT NOT NULL,
    page INTEGER NOT NULL DEFAULT 0,
    tag TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS responses (
    resp_id TEXT PRIMARY KEY,
    modus TEXT NOT NULL CHECK (modus IN ('online', 'papier')),
    tag TEXT NOT NULL,
    fragebogen TEXT NOT NULL,
    version TEXT NOT NULL,
    answers TEXT NOT NULL
) WITHOUT ROWID;
"""

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


class CodeAlreadyUsed(UserError):
    """The access code has been used for a submitted questionnaire."""


class UnknownCode(UserError):
    """No such access code in the store."""


@dataclass(frozen=True)
class Draft:
    """Unfinished answers and the page index the respondent was on."""

    answers: dict[str, object]
    page: int


def today() -> str:
    """The current day as ``YYYY-MM-DD`` (the finest time the store ever records)."""
    return _dt.date.today().isoformat()


def new_resp_id() -> str:
    """A random response id (unrelated to codes or to the order of submission)."""
    return "W" + secrets.token_hex(6).upper()


class AnswerStore:
    """Access to one ``antworten.sqlite``. Safe to share between threads (one connection per thread)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()
        with _LOCKS_GUARD:
            self._lock = _LOCKS.setdefault(str(self.path.resolve()), threading.Lock())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.transaction() as db:
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            self._init_meta(db)

    # -- connections and transactions ------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); all or nothing."""
        db = self._connection()
        with self._lock:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _read(self, sql: str, params: Iterable = ()) -> list[tuple]:
        return self._connection().execute(sql, tuple(params)).fetchall()

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- meta ----------------------------------------------------------------------------------------
    def _init_meta(self, db: sqlite3.Connection) -> None:
        defaults = {
            "schema_version": SCHEMA_VERSION,
            "code_salt": new_salt(),
            "secret_key": secrets.token_hex(32),
        }
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

    def set_variables(self, questionnaire_id: str, version: str, variable_ids: list[str]) -> None:
        """Record the questionnaire the app serves (read_responses uses it for the columns)."""
        with self.transaction() as db:
            for key, value in (
                ("fragebogen", questionnaire_id),
                ("version", version),
                ("variablen", json.dumps(list(variable_ids))),
            ):
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- codes ---------------------------------------------------------------------------------------
    def next_batch(self) -> int:
        rows = self._read("SELECT COALESCE(MAX(stapel), 0) FROM codes")
        return int(rows[0][0]) + 1

    def add_codes(self, hashes: Iterable[str], batch: int) -> int:
        """Insert code hashes; returns how many were new (a duplicate hash is ignored)."""
        added = 0
        with self.transaction() as db:
            for code_hash in hashes:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO codes (hash, stapel, used) VALUES (?, ?, 0)", (code_hash, batch)
                )
                added += cursor.rowcount
        return added

    def code_status(self, code_hash: str) -> str | None:
        """``'frei'``, ``'benutzt'`` or None (unknown code)."""
        rows = self._read("SELECT used FROM codes WHERE hash = ?", (code_hash,))
        if not rows:
            return None
        return "benutzt" if rows[0][0] else "frei"

    def code_counts(self) -> tuple[int, int]:
        """(issued, used) access codes."""
        issued, used = self._read("SELECT COUNT(*), COALESCE(SUM(used), 0) FROM codes")[0]
        return int(issued), int(used)

    # -- drafts --------------------------------------------------------------------------------------
    def load_draft(self, draft_key: str) -> Draft | None:
        rows = self._read("SELECT answers, page FROM drafts WHERE draft_key = ?", (draft_key,))
        if not rows:
            return None
        return Draft(answers=json.loads(rows[0][0]), page=int(rows[0][1]))

    def save_draft(self, draft_key: str, answers: Mapping[str, object], page: int) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO drafts (draft_key, answers, page, tag) VALUES (?, ?, ?, ?)",
                (draft_key, json.dumps(dict(answers), ensure_ascii=False), int(page), today()),
            )

    def delete_draft(self, draft_key: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM drafts WHERE draft_key = ?", (draft_key,))

    # -- responses -------------------------------------------------------------------------------------
    def submit(
        self,
        answers: Mapping[str, object],
        *,
        modus: str,
        questionnaire_id: str,
        version: str,
        code_hash: str | None = None,
        draft_key: str | None = None,
    ) -> str:
        """Store final answers; mark the code used and delete the draft in the same transaction.

        Returns the new random ``resp_id``. Raises :class:`CodeAlreadyUsed` / :class:`UnknownCode` if the
        code cannot be used (nothing is written then). The stored row has no link to the code.
        """
        if modus not in MODES:
            raise ValueError(f"unknown mode {modus!r}")
        payload = json.dumps({key: value for key, value in answers.items() if value is not None},
                             ensure_ascii=False, sort_keys=True)
        with self.transaction() as db:
            if code_hash is not None:
                rows = db.execute("SELECT used FROM codes WHERE hash = ?", (code_hash,)).fetchall()
                if not rows:
                    raise UnknownCode("Dieser Zugangscode ist nicht bekannt.")
                if rows[0][0]:
                    raise CodeAlreadyUsed("Mit diesem Zugangscode wurde der Fragebogen bereits abgeschickt.")
                db.execute("UPDATE codes SET used = 1 WHERE hash = ?", (code_hash,))
            while True:
                resp_id = new_resp_id()
                cursor = db.execute(
                    "INSERT OR IGNORE INTO responses (resp_id, modus, tag, fragebogen, version, answers) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (resp_id, modus, today(), questionnaire_id, version, payload),
                )
                if cursor.rowcount == 1:
                    break
            if draft_key is not None:
                db.execute("DELETE FROM drafts WHERE draft_key = ?", (draft_key,))
        return resp_id

    def response_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM responses")[0][0])

    def counts_by_day(self) -> list[tuple[str, str, int]]:
        """(day, mode, number of responses), ordered by day."""
        rows = self._read("SELECT tag, modus, COUNT(*) FROM responses GROUP BY tag, modus ORDER BY tag, modus")
        return [(str(day), str(mode), int(count)) for day, mode, count in rows]

    def counts_by_value(self, variable_id: str) -> list[tuple[object, str, int]]:
        """(answer value or None, mode, number of responses) for one variable (e.g. ``ortsteil``)."""
        rows = self._read(
            "SELECT json_extract(answers, '$.' || ?), modus, COUNT(*) FROM responses "
            "GROUP BY 1, 2 ORDER BY 1, 2",
            (f'"{variable_id}"',),
        )
        return [(value, str(mode), int(count)) for value, mode, count in rows]

    def iter_responses(self) -> Iterator[tuple[str, str, dict[str, object]]]:
        """(resp_id, mode, answers) of every submitted questionnaire, ordered by resp_id."""
        for resp_id, mode, answers in self._read("SELECT resp_id, modus, answers FROM responses ORDER BY resp_id"):
            yield str(resp_id), str(mode), json.loads(answers)

    # -- coach password ----------------------------------------------------------------------------------
    @property
    def coach_password_hash(self) -> str | None:
        return self.meta("coach_passwort")

    def set_coach_password_hash(self, value: str) -> None:
        self.set_meta("coach_passwort", value)


def read_responses(path: str | Path):
    """Submitted answers of a store as a data frame: ``resp_id``, one column per variable, ``modus``.

    Columns follow the questionnaire recorded by the web app (plus any further answered variables).
    Numeric answers are floats (NaN = not answered), free text is text. An empty store gives an empty
    frame with the same columns.
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
            rows = db.execute("SELECT resp_id, modus, answers FROM responses ORDER BY resp_id").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise InputFileError(f"{store_path} ist kein lesbarer Antwortspeicher ({error}).") from None
    variables: list[str] = json.loads(meta.get("variablen", "[]"))
    records = []
    for resp_id, mode, answers in rows:
        record = json.loads(answers)
        for key in record:
            if key not in variables:
                variables.append(key)
        records.append({"resp_id": resp_id, **record, "modus": mode})
    columns = ["resp_id", *variables, "modus"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for column in variables:
        values = frame[column].dropna()
        if all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in values):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame
