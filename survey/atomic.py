"""Outputs are never half-written: write to a temporary file in the target folder, replace on success."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


# mkstemp creates 0600 files; outputs get the permissions any other program would give them (umask).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextmanager
def _temporary_beside(path: Path, prefix: str, suffix: str) -> Iterator[Path]:
    """A temporary file in ``path``'s folder, moved to ``path`` on success and removed on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        yield temp_path
        os.chmod(temp_path, 0o666 & ~_UMASK)
        os.replace(temp_path, path)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_write(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator:
    """Write ``path`` via a temporary file in the same folder; replace only on success.

    Outputs are never half-written: an exception leaves the previous file (or none) in place.
    """
    with _temporary_beside(path, f".{path.name}.", ".tmp") as temp_path:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with open(temp_path, mode, **kwargs) as stream:
            yield stream


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path for libraries that write files themselves; move it to ``path`` on success."""
    with _temporary_beside(path, f".{path.stem}.", path.suffix) as temp_path:
        yield temp_path
