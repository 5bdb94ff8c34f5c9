"""Parts of the profile computed in a forked child process while the parent computes the rest.

The item distributions (every coded item overall and per breakdown group, about a third of the profile's
computing time), the Ortsteil profiles and the free-text section need only the responses, the design
and the folder, and nothing else of the profile needs them. On Linux, in a single-threaded process
(``run``, ``analysieren``), a forked child computes them on the second core and sends them back pickled;
it runs the same code on the same data, so the result is the same to the last bit. Where forking is not
safe or possible (:func:`survey.forking.fork_possible`, the rule of the report processes too), or for a part
the child could not compute, the process computes the part itself when it asks for it: same result
(and the same error, at the same point), only slower. The child writes nothing but the pipe.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Mapping
from typing import Any

from survey.forking import SINGLE_PROCESS_VARIABLE, fork_possible

NO_FORK_ENV = SINGLE_PROCESS_VARIABLE  # "1": everything in one process (also the reports)
_FAILED = "failed"


class Background:
    """``part(name)`` gives ``jobs[name]()``, computed in a child process if one was started;
    ``cancel()`` ends a child whose results are no longer wanted (after an error in the parent)."""

    def __init__(self, jobs: Mapping[str, Callable[[], Any]]):
        self._jobs = dict(jobs)
        self._done: dict[str, Any] | None = None
        self._pid: int | None = None
        self._fd: int | None = None
        if not fork_possible():
            return
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: compute, send, leave without running any exit handler of the parent
            status = 1
            try:
                os.close(read_fd)
                payload = pickle.dumps({name: _attempt(job) for name, job in self._jobs.items()},
                                       protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_fd, "wb") as stream:
                    stream.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    @property
    def forked(self) -> bool:
        return self._pid is not None or self._done is not None

    def part(self, name: str) -> Any:
        if self._pid is not None:
            payload, status = wait_for_child(self._pid, self._fd)
            self._pid = self._fd = None
            self._done = pickle.loads(payload) if status == 0 else {}
        found = (self._done or {}).get(name, _FAILED)
        if isinstance(found, str) and found == _FAILED:  # not computed by a child: compute here
            return self._jobs[name]()
        return found[0]

    def cancel(self) -> None:
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self._pid, 0)
        os.close(self._fd)
        self._pid = self._fd = None


def _attempt(job: Callable[[], Any]) -> Any:
    """``(value,)``, or the marker for a part that failed (the parent computes it again for its error)."""
    try:
        return (job(),)
    except Exception:  # noqa: BLE001 - the parent repeats the part and raises the error there
        return _FAILED


def wait_for_child(pid: int, fd: int) -> tuple[bytes, int]:
    """What the child sent and its exit status (waits for it)."""
    with os.fdopen(fd, "rb") as stream:
        payload = stream.read()
    _, status = os.waitpid(pid, 0)
    return payload, status
