"""When this process may fork a copy of itself (issue 13: ``run`` uses both cores): the one rule for the
report processes (:mod:`survey.report.side_process`) and the profile's child (:mod:`survey.profile_background`).

Not without ``os.fork``, not on one core, not with other Python threads running (a forked child holds
copies of their locks), not after Typst ran in this process (:func:`mark_fork_unsafe`), and not with
``SICHERHEITSANALYSE_PROZESSE=1``: then everything runs in this process, at the same points.
"""

from __future__ import annotations

import os
import threading

SINGLE_PROCESS_VARIABLE = "SICHERHEITSANALYSE_PROZESSE"


_fork_unsafe_in: int | None = None  # the process that started a thread pool a fork cannot copy


def mark_fork_unsafe() -> None:
    """Called after this process started native threads that a forked copy cannot use (Typst's Rust
    thread pool: a copy waits forever for workers that do not exist in it); no side process is forked
    from this process afterwards. ``run`` forks before its first Typst call."""
    global _fork_unsafe_in
    _fork_unsafe_in = os.getpid()


def fork_possible() -> bool:
    """True if a side process may be forked here (see the module docstring)."""
    return (hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1
            and _fork_unsafe_in != os.getpid()
            and os.environ.get(SINGLE_PROCESS_VARIABLE, "").strip() != "1")
