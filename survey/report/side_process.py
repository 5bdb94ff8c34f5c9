"""Report work done in a second process beside the main one (issue 13: ``run`` uses both cores).

Once the profile exists, the report outputs are independent of each other, so :func:`render_reports`
hands a few steps (some chapters of the Lagebericht, the Tabellenband) to a :class:`SideProcess`: a copy
of the running process made with ``os.fork``, which already holds the profile, the questionnaire and
every imported module, so nothing is pickled on the way in. Each step's result (or its exception) comes
back pickled through a temporary file, in order, as soon as the step is done; the main process asks for
it with :meth:`SideProcess.result` when it needs it. An exception of the side process is raised again in
the main process, the same class with the same German message, so the user sees what a single process
would have shown (and the same exit status).

Where forking is not possible or not safe (no ``os.fork``, one core, other Python threads running: a
forked child holds copies of their locks; Typst used in this process already: :func:`mark_fork_unsafe`), or when ``SICHERHEITSANALYSE_PROZESSE=1`` is set, the steps run one
after the other in this process, at the same points, with the same results.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from survey.errors import UserError
from survey.forking import SINGLE_PROCESS_VARIABLE, fork_possible, mark_fork_unsafe  # noqa: F401 (callers' names)

class SideProcessError(RuntimeError):
    """The side process ended without handing back a result (killed, out of memory)."""


class SideProcess:
    """Run ``steps`` (functions without arguments) one after the other in a forked copy of this process;
    :meth:`result` gives step ``k``'s return value (or raises its exception). Use as a context manager:
    leaving the block waits for the side process and removes its files, also after an error."""

    def __init__(self, steps: Sequence[Callable[[], Any]], *, fork: bool | None = None) -> None:
        self._steps = tuple(steps)
        self._results: dict[int, tuple[bool, Any]] = {}
        self._pid: int | None = None
        self._folder: str | None = None
        self._signal: int | None = None
        self._announced = 0
        if fork_possible() if fork is None else fork:
            self._start()
        else:
            for index, step in enumerate(self._steps):
                self._results[index] = _outcome(step)
                if not self._results[index][0]:  # as the side process: no step after an error
                    for later in range(index + 1, len(self._steps)):
                        self._results[later] = self._results[index]
                    break

    # --- main process ---------------------------------------------------------------------------
    def _start(self) -> None:
        self._folder = tempfile.mkdtemp(prefix="sicherheitsanalyse-nebenprozess-")
        read_end, write_end = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # buffered text must not be written twice
            stream.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child (measured by the tests through its results)
            os.close(read_end)
            self._child(write_end)
        os.close(write_end)
        self._pid, self._signal = pid, read_end

    def result(self, index: int) -> Any:
        """The return value of step ``index``; its exception is raised here."""
        if index not in self._results:
            self._wait_for(index)
        ok, value = self._results[index]
        if ok:
            return value
        raise value

    def _wait_for(self, index: int) -> None:
        while self._announced <= index:
            chunk = os.read(self._signal, 64) if self._signal is not None else b""
            if not chunk:
                break
            self._announced += len(chunk)
        for k in range(len(self._results), self._announced):
            path = os.path.join(self._folder, f"{k}.pickle")
            with open(path, "rb") as stream:
                self._results[k] = pickle.load(stream)
            os.unlink(path)
        failed = [outcome for outcome in self._results.values() if not outcome[0]]
        if index not in self._results and failed:  # the side process stopped at an earlier step's error
            self._results[index] = failed[0]
        if index not in self._results:
            status = self._reap()
            self._results[index] = (False, SideProcessError(
                f"Der zweite Prozess für die Berichte ist ohne Ergebnis beendet worden ({_status_text(status)}); "
                f"bitte den Befehl erneut ausführen, notfalls mit {SINGLE_PROCESS_VARIABLE}=1 (ein Prozess)."))

    def _reap(self) -> int | None:
        if self._pid is None:
            return None
        _pid, status = os.waitpid(self._pid, 0)
        self._pid = None
        return status

    def close(self) -> None:
        """Wait for the side process (it finishes its current step) and remove its files."""
        if self._signal is not None:
            os.close(self._signal)
            self._signal = None
        self._reap()
        if self._folder is not None:
            for name in os.listdir(self._folder):
                os.unlink(os.path.join(self._folder, name))
            os.rmdir(self._folder)
            self._folder = None

    def __enter__(self) -> "SideProcess":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- side process ---------------------------------------------------------------------------
    def _child(self, signal: int) -> None:  # pragma: no cover - runs in the child
        code = 0
        try:
            for index, step in enumerate(self._steps):
                ok, value = _outcome(step)
                payload = _portable(ok, value)
                path = os.path.join(self._folder, f"{index}.pickle")
                with open(path + ".part", "wb") as stream:
                    stream.write(payload)
                os.replace(path + ".part", path)
                os.write(signal, b"1")
                if not ok:
                    break
        except BaseException:  # noqa: BLE001 - the parent reports a child that ends without result
            code = 1
        finally:
            os._exit(code)  # no atexit handlers, no cleanup of the parent's temporary folders


def _outcome(step: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, step()
    except Exception as error:  # noqa: BLE001 - handed to the caller of result()
        return False, error


def _portable(ok: bool, value: Any) -> bytes:
    """The pickled outcome; an exception that does not survive pickling becomes a RuntimeError with its
    text, and an internal error (not a :class:`UserError`) carries the side process's traceback."""
    if not ok and not isinstance(value, UserError):
        value.add_note("Im zweiten Prozess der Berichte:\n" + "".join(traceback.format_exception(value)))
    try:
        payload = pickle.dumps((ok, value), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)
        return payload
    except Exception:  # noqa: BLE001 - e.g. an exception class with required keyword arguments
        if ok:
            raise
        fallback = RuntimeError(f"{type(value).__name__}: {value}")
        for note in getattr(value, "__notes__", ()):
            fallback.add_note(note)
        return pickle.dumps((False, fallback), protocol=pickle.HIGHEST_PROTOCOL)


def _status_text(status: int | None) -> str:
    if status is None:
        return "Status unbekannt"
    if os.WIFSIGNALED(status):
        return f"Signal {os.WTERMSIG(status)}"
    return f"Status {os.waitstatus_to_exitcode(status)}"
