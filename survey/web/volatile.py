"""State the worker processes of one server share, kept in RAM and gone with the server.

A small SQLite database in a private directory (mode 0700) on ``/dev/shm`` (a RAM file system; a
temporary directory where there is none), created when the server starts and deleted when it stops.
A restart therefore starts empty: every coach session is revoked. It holds:

* ``drafts`` — unfinished questionnaires, *sealed* with the key from the respondent's cookie
  (:mod:`survey.store.format`), so not even this RAM copy is readable without the code; plus the
  code's lookup hash (to check the code is unused before a draft goes to disk) and when it was last
  touched (idle drafts are written to the store by the supervising process);
* ``sessions`` — hashes of coach session tokens with their start and last use.

No client address, no limit counter (those stay in each process's memory, see :mod:`limits`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NAME = "fluechtig.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (draft_id TEXT PRIMARY KEY, sealed BLOB NOT NULL, code TEXT,
                                   touched REAL NOT NULL, saved INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS drafts_touched ON drafts (touched);
CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, created REAL NOT NULL, last_seen REAL NOT NULL)
    WITHOUT ROWID;
"""


PREFIX = "sicherheitsanalyse-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(parent: Path) -> None:
    """Remove RAM states of servers that are gone (our own directories only)."""
    try:
        entries = list(parent.glob(PREFIX + "*"))
    except OSError:
        return
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        pid_text = entry.name[len(PREFIX):].split("-", 1)[0]
        try:
            ours = uid is None or entry.stat().st_uid == uid
            if entry.is_dir() and ours and pid_text.isdigit() and not _alive(int(pid_text)):
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def _ram_directory() -> str | None:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


class VolatileState:
    """One server's shared RAM state. Each process opens it with :meth:`attach` (after any fork)."""

    def __init__(self, directory: Path, owner: bool = False):
        self.directory = Path(directory)
        self.path = self.directory / NAME
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()
        if owner:
            self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.directory), True)

    @classmethod
    def create(cls) -> "VolatileState":
        """A new, empty state in a fresh private directory (removed when this object goes away).

        States left behind by a server that was killed (its process no longer exists) are removed
        first; the directory name carries the creating process id for that.
        """
        parent = _ram_directory()
        remove_stale(Path(parent or tempfile.gettempdir()))
        directory = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=parent)
        os.chmod(directory, 0o700)
        state = cls(Path(directory), owner=True)
        with state.transaction() as db:
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
        state.close()
        return state

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    # -- connection ------------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            # A connection must never cross a fork: a child opens its own.
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._pid = os.getpid()
        return self._db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._connection().execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db = None

    # -- drafts ------------------------------------------------------------------------------------
    def get_draft(self, draft_id: str) -> tuple[bytes, str | None, bool] | None:
        rows = self._read("SELECT sealed, code, saved FROM drafts WHERE draft_id = ?", (draft_id,))
        return (rows[0][0], rows[0][1], bool(rows[0][2])) if rows else None

    def put_draft(self, draft_id: str, sealed: bytes, code: str | None, now: float, saved: bool = False) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO drafts (draft_id, sealed, code, touched, saved) VALUES (?, ?, ?, ?, ?)",
                       (draft_id, sealed, code, now, int(saved)))

    def touch_draft(self, draft_id: str, now: float) -> None:
        with self.transaction() as db:
            db.execute("UPDATE drafts SET touched = ? WHERE draft_id = ?", (now, draft_id))

    def mark_saved(self, draft_id: str, sealed: bytes) -> None:
        with self.transaction() as db:
            db.execute("UPDATE drafts SET saved = 1 WHERE draft_id = ? AND sealed = ?", (draft_id, sealed))

    def drop_draft(self, draft_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM drafts WHERE draft_id = ?", (draft_id,))

    def drafts_touched_before(self, limit: float) -> list[tuple[str, bytes, str | None, bool]]:
        return [(row[0], row[1], row[2], bool(row[3])) for row in self._read(
            "SELECT draft_id, sealed, code, saved FROM drafts WHERE touched <= ?", (limit,))]

    def draft_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM drafts")[0][0])

    # -- coach sessions ---------------------------------------------------------------------------------
    def add_session(self, token_hash: str, now: float, keep: int) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO sessions (token, created, last_seen) VALUES (?, ?, ?)",
                       (token_hash, now, now))
            db.execute("DELETE FROM sessions WHERE token NOT IN "
                       "(SELECT token FROM sessions ORDER BY last_seen DESC LIMIT ?)", (keep,))

    def use_session(self, token_hash: str, now: float, idle: float, max_age: float) -> bool:
        """Whether the session is live (then its last use is updated); expired ones are removed."""
        with self.transaction() as db:
            row = db.execute("SELECT created, last_seen FROM sessions WHERE token = ?", (token_hash,)).fetchone()
            if row is None:
                return False
            if now - row[1] > idle or now - row[0] > max_age:
                db.execute("DELETE FROM sessions WHERE token = ?", (token_hash,))
                return False
            db.execute("UPDATE sessions SET last_seen = ? WHERE token = ?", (now, token_hash))
            return True

    def remove_session(self, token_hash: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM sessions WHERE token = ?", (token_hash,))

    def remove_all_sessions(self) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM sessions")

    def session_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM sessions")[0][0])
