"""The browser session as a signed cookie, like Flask's default but cheaper on every request.

Flask's default signs a tagged-JSON payload with itsdangerous (HMAC-SHA1, optional zlib), which costs
a noticeable share of each request of the form. This session holds only plain JSON values (strings,
booleans, small dicts), so it is stored as ``base64(JSON).time.HMAC-SHA256`` with no tags and no
compression. Cookies older than :data:`MAX_AGE` or with a wrong signature start a new, empty
session. The cookie holds no answers (see :mod:`survey.web.drafts`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

MAX_AGE = 3 * 24 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask session interface: same cookie flags as Flask's, leaner payload and signature."""

    def __init__(self, clock=time.time):
        self._clock = clock
        self._key: bytes | None = None
        self._secret: object = None

    def _signing_key(self, app) -> bytes | None:
        if not app.secret_key:
            return None
        if self._secret != app.secret_key:
            secret = app.secret_key if isinstance(app.secret_key, bytes) else str(app.secret_key).encode("utf-8")
            self._key = hashlib.sha256(b"sicherheitsanalyse/session/" + secret).digest()
            self._secret = app.secret_key
        return self._key

    def _sign(self, key: bytes, body: str) -> str:
        return _b64(hmac.digest(key, body.encode("ascii"), "sha256")[:24])

    def open_session(self, app, request):
        key = self._signing_key(app)
        if key is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            payload, issued, signature = value.split(".")
            if not hmac.compare_digest(signature, self._sign(key, f"{payload}.{issued}")):
                return self.session_class()
            if self._clock() - int(issued) > MAX_AGE:
                return self.session_class()
            data = json.loads(_unb64(payload))
        except (ValueError, binascii.Error):
            return self.session_class()
        return self.session_class(data) if isinstance(data, dict) else self.session_class()

    def dumps(self, app, session: SecureCookieSession) -> str:
        key = self._signing_key(app)
        payload = _b64(json.dumps(dict(session), separators=(",", ":"), sort_keys=True).encode("utf-8"))
        body = f"{payload}.{int(self._clock())}"
        return f"{body}.{self._sign(key, body)}"

    def save_session(self, app, session, response) -> None:
        name = self.get_cookie_name(app)
        options = {"domain": self.get_cookie_domain(app), "path": self.get_cookie_path(app),
                   "secure": self.get_cookie_secure(app), "samesite": self.get_cookie_samesite(app),
                   "httponly": self.get_cookie_httponly(app)}
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified:
                response.delete_cookie(name, **options)
            return
        if not self.should_set_cookie(app, session):
            return
        response.set_cookie(name, self.dumps(app, session), expires=self.get_expiration_time(app, session), **options)
