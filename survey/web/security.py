"""Web security pieces: CSRF tokens, security headers, quiet logging (limits: ``limits.py``)."""

from __future__ import annotations

import hmac
import logging
import secrets

from flask import Response, abort, g, request, session

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
    sentinel = g.get("csrf_sentinel")
    if sentinel:
        return sentinel  # while a page frame is rendered once for all sessions (survey.web.render)
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


_SECURITY_ITEMS = list(SECURITY_HEADERS.items())


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}  # (membership tests on Headers raise internally)
    for name, value in _SECURITY_ITEMS:
        if name.lower() not in present:
            headers.add(name, value)
    if "cache-control" not in present and response.mimetype == "text/html":
        # Answers must not stay in a shared computer's cache; only pages that reveal nothing about the
        # respondent are marked cacheable by their view (survey.web.views_respondent._show).
        headers.add("Cache-Control", "no-store")
    return response


def quiet_logging() -> None:
    """No access log, no client addresses: waitress logs only its own warnings and errors.

    waitress has no access log unless it is wrapped in a logging middleware (we do not), and Flask's
    own logger reports only exceptions with the request path. waitress's queue-depth notes are off.
    """
    logging.getLogger("waitress").setLevel(logging.WARNING)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N" under load
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
