"""Web security pieces: CSRF tokens, security headers, wrong-attempt rate limiting, quiet logging.

Nothing here writes to disk: the attempt counters live in the signed session cookie (per browser) and
in memory (one global sliding window); no IP address is looked at, kept or logged.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import MutableMapping

from flask import Response, abort, request, session

CSRF_FIELD = "csrf_token"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def csrf_token() -> str:
    """The session's CSRF token (created on first use)."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Abort with 400 unless the POSTed token equals the session's (constant-time comparison)."""
    sent = request.form.get(CSRF_FIELD, "")
    expected = session.get("csrf", "")
    if not sent or not expected or not hmac.compare_digest(str(sent), str(expected)):
        abort(400)


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        # Answers must not stay in a shared computer's cache or history.
        response.headers["Cache-Control"] = "no-store"
    return response


class AttemptLimiter:
    """Wrong access codes or coach passwords: per session and globally.

    * Per session: after ``per_session`` wrong attempts in a row the session must wait ``lock_seconds``.
    * Globally: more than ``global_max`` wrong attempts within ``window_seconds`` (from anyone) close
      the code entry for everyone until the window has moved on; this stops guessing with fresh cookies.
    """

    def __init__(self, per_session: int = 10, lock_seconds: int = 300,
                 global_max: int = 300, window_seconds: int = 600, clock=time.monotonic, wall=time.time):
        self.per_session = per_session
        self.lock_seconds = lock_seconds
        self.global_max = global_max
        self.window_seconds = window_seconds
        self._clock = clock
        self._wall = wall
        self._failures: deque[float] = deque()
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        while self._failures and self._failures[0] <= now - self.window_seconds:
            self._failures.popleft()

    def wait_seconds(self, state: MutableMapping) -> int:
        """Seconds until this session may try again (0 = now)."""
        locked_until = float(state.get("locked_until", 0) or 0)
        remaining = locked_until - self._wall()
        with self._lock:
            now = self._clock()
            self._prune(now)
            if len(self._failures) >= self.global_max:
                remaining = max(remaining, self._failures[0] + self.window_seconds - now)
        return max(0, int(remaining + 0.999))

    def failure(self, state: MutableMapping) -> None:
        """Record a wrong attempt of this session (and globally)."""
        fails = int(state.get("fails", 0)) + 1
        state["fails"] = fails
        if fails >= self.per_session:
            state["locked_until"] = self._wall() + self.lock_seconds
            state["fails"] = 0
        with self._lock:
            now = self._clock()
            self._prune(now)
            self._failures.append(now)

    def success(self, state: MutableMapping) -> None:
        state.pop("fails", None)
        state.pop("locked_until", None)


def wait_text(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    unit = "Minute" if minutes == 1 else "Minuten"
    return (f"Zu viele Fehlversuche. Aus Sicherheitsgründen ist die Eingabe jetzt gesperrt. "
            f"Bitte versuchen Sie es in {minutes} {unit} erneut.")


def quiet_logging() -> None:
    """No access log, no client addresses: waitress logs only its own warnings and errors.

    waitress has no access log unless it is wrapped in a logging middleware (we do not), and Flask's
    own logger reports only exceptions with the request path. ``waitress.queue`` warnings stay.
    """
    logging.getLogger("waitress").setLevel(logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
