"""Locks around the answer store: one server per folder, one submission at a time across processes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from survey.store.errors import StoreInUse

LOCK_NAME = ".antworten.lock"


@contextmanager
def exclusive(path: Path | None) -> Iterator[None]:
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
