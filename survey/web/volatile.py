"""State the worker processes of one server share, kept in RAM and gone with the server.

A private directory (mode 0700) on ``/dev/shm`` (a RAM file system; a temporary directory where
there is none), created when the server starts and deleted when it stops. A restart therefore
starts empty: every coach session is revoked. One small file per item, replaced atomically
(write, then rename), so workers never wait for each other's locks:

* ``d-<draft id>`` — an unfinished questionnaire, *sealed* with the key from the respondent's cookie
  (:mod:`survey.store.format`), so not even this RAM copy is readable without the code; with the
  code's lookup hash (to check the code is unused before a draft goes to disk) and whether it is
  already saved in the store. The file's modification time says when it was last used (idle drafts
  are written to the store by the supervising process);
* ``s-<token hash>`` — a coach session: its start time; the modification time is its last use.

No client address, no limit counter (those stay in each process's memory, see :mod:`limits`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import struct
import tempfile
import weakref
from pathlib import Path

PREFIX = "sicherheitsanalyse-"
_HEADER = struct.Struct(">B64s")  # saved flag, code lookup hash (ASCII hex, zero-padded)


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
    """One server's shared RAM state (safe across fork and threads: it only holds a path)."""

    def __init__(self, directory: Path, owner: bool = False):
        self.directory = Path(directory)
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
        return cls(Path(directory), owner=True)

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def close(self) -> None:
        """Nothing to close (kept for symmetry with the store)."""

    # -- files -------------------------------------------------------------------------------------
    def _write(self, name: str, data: bytes, mtime: float | None = None) -> None:
        temp = self.directory / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        with open(temp, "wb") as handle:
            handle.write(data)
        if mtime is not None:
            os.utime(temp, (mtime, mtime))
        os.replace(temp, self.directory / name)

    def _read_file(self, name: str) -> bytes | None:
        try:
            with open(self.directory / name, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None

    def _remove(self, name: str) -> None:
        try:
            os.unlink(self.directory / name)
        except FileNotFoundError:
            pass

    def _names(self, prefix: str) -> list[str]:
        try:
            return [name for name in os.listdir(self.directory) if name.startswith(prefix)]
        except FileNotFoundError:
            return []

    # -- drafts ------------------------------------------------------------------------------------
    @staticmethod
    def _draft_name(draft_id: str) -> str:
        if not draft_id.replace("-", "").isalnum():
            raise ValueError("draft id")
        return "d-" + draft_id

    def get_draft(self, draft_id: str) -> tuple[bytes, str | None, bool] | None:
        data = self._read_file(self._draft_name(draft_id))
        if data is None or len(data) < _HEADER.size:
            return None
        saved, code = _HEADER.unpack_from(data)
        code_text = code.rstrip(b"\0").decode("ascii") or None
        return data[_HEADER.size:], code_text, bool(saved)

    def put_draft(self, draft_id: str, sealed: bytes, code: str | None, now: float | None = None,
                  saved: bool = False) -> None:
        header = _HEADER.pack(int(saved), (code or "").encode("ascii"))
        self._write(self._draft_name(draft_id), header + sealed, mtime=now)

    def mark_saved(self, draft_id: str, sealed: bytes) -> None:
        current = self.get_draft(draft_id)
        if current is not None and current[0] == sealed:  # unchanged since it was written to the store
            path = self.directory / self._draft_name(draft_id)
            try:
                mtime = path.stat().st_mtime
            except FileNotFoundError:
                return
            self._write(self._draft_name(draft_id), _HEADER.pack(1, (current[1] or "").encode("ascii")) + sealed,
                        mtime=mtime)

    def drop_draft(self, draft_id: str) -> None:
        self._remove(self._draft_name(draft_id))

    def drafts_touched_before(self, limit: float) -> list[tuple[str, bytes, str | None, bool]]:
        """Drafts last written before ``limit`` (wall-clock seconds; ``inf`` for all)."""
        result = []
        for name in self._names("d-"):
            try:
                if (self.directory / name).stat().st_mtime > limit:
                    continue
            except FileNotFoundError:
                continue
            row = self.get_draft(name[2:])
            if row is not None:
                result.append((name[2:], *row))
        return result

    def draft_count(self) -> int:
        return len(self._names("d-"))

    # -- coach sessions ---------------------------------------------------------------------------------
    def add_session(self, token_hash: str, now: float, keep: int) -> None:
        names = self._names("s-")
        if len(names) >= keep:  # drop the least recently used
            def last_use(name: str) -> float:
                try:
                    return (self.directory / name).stat().st_mtime
                except FileNotFoundError:
                    return 0.0

            for name in sorted(names, key=last_use)[: len(names) - keep + 1]:
                self._remove(name)
        self._write("s-" + token_hash, struct.pack(">d", now), mtime=now)

    def use_session(self, token_hash: str, now: float, idle: float, max_age: float) -> bool:
        """Whether the session is live (then its last use is updated); expired ones are removed."""
        name = "s-" + token_hash
        data = self._read_file(name)
        if data is None or len(data) != 8:
            return False
        created = struct.unpack(">d", data)[0]
        try:
            last_seen = (self.directory / name).stat().st_mtime
        except FileNotFoundError:
            return False
        if now - last_seen > idle or now - created > max_age:
            self._remove(name)
            return False
        try:
            os.utime(self.directory / name, (now, now))
        except FileNotFoundError:
            return False
        return True

    def remove_session(self, token_hash: str) -> None:
        self._remove("s-" + token_hash)

    def remove_all_sessions(self) -> None:
        for name in self._names("s-"):
            self._remove(name)

    def session_count(self) -> int:
        return len(self._names("s-"))


