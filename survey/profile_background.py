"""One part of the profile computed in a forked child process while the parent computes the rest.

The item distributions (every coded item overall and per breakdown group, about a third of the profile's
computing time) need only the responses, the design and the item descriptions, and nothing else of the
profile needs them. On Linux, in a single-threaded process (``run``, ``analysieren``), they are computed
by a forked child on the second core and sent back pickled; the child runs the same code on the same
data, so the result is the same to the last bit. Where forking is not safe or possible (other threads,
no ``os.fork``, ``SICHERHEITSANALYSE_OHNE_FORK`` set) or the child fails, they are computed in the
process itself when asked for: same result, only slower. The child writes nothing but the pipe.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any

NO_FORK_ENV = "SICHERHEITSANALYSE_OHNE_FORK"


class Background:
    """``result()`` gives ``compute()``'s value, computed in a child process if one was started;
    ``cancel()`` ends a child whose result is no longer wanted (after an error in the parent)."""

    def __init__(self, compute: Callable[[], Any]):
        self._compute = compute
        self._pid: int | None = None
        self._fd: int | None = None
        if not hasattr(os, "fork") or threading.active_count() > 1 or os.environ.get(NO_FORK_ENV):
            return
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: compute, send, leave without running any exit handler of the parent
            status = 1
            try:
                os.close(read_fd)
                payload = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_fd, "wb") as stream:
                    stream.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def result(self) -> Any:
        if self._pid is None:
            return self._compute()
        payload, status = wait_for_child(self._pid, self._fd)
        self._pid = self._fd = None
        if status != 0:  # the child failed: compute here (an error then has its usual message)
            return self._compute()
        return pickle.loads(payload)

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


def wait_for_child(pid: int, fd: int) -> tuple[bytes, int]:
    """What the child sent and its exit status (waits for it)."""
    with os.fdopen(fd, "rb") as stream:
        payload = stream.read()
    _, status = os.waitpid(pid, 0)
    return payload, status


def item_distributions_in_background(data, design, items, breakdowns) -> Background:  # noqa: ANN001
    """:func:`analysis.profile.items.item_distributions` of the arguments, started now."""
    from analysis.profile.items import item_distributions

    return Background(lambda: item_distributions(data, design, items, breakdowns))
