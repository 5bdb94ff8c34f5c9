"""Coach sign-ins held on the server: the cookie carries only a random token.

A session ends at sign-out, after ``idle_seconds`` without a request, after ``max_age`` seconds in
any case, and whenever the server restarts (sessions live in memory only; a restart with another
``--coach-passwort`` therefore revokes every old cookie, and so does a restart with the same one).
Only a hash of each token is kept.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

IDLE_SECONDS = 30 * 60
MAX_AGE_SECONDS = 12 * 3600
MAX_SESSIONS = 1000


@dataclass
class _Session:
    created: float
    last_seen: float


class CoachSessions:
    def __init__(self, idle_seconds: float = IDLE_SECONDS, max_age: float = MAX_AGE_SECONDS,
                 clock=time.monotonic):
        self.idle_seconds = idle_seconds
        self.max_age = max_age
        self._clock = clock
        self._sessions: dict[bytes, _Session] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(token: str) -> bytes:
        return hashlib.sha256(token.encode("utf-8")).digest()

    def _expired(self, session: _Session, now: float) -> bool:
        return now - session.last_seen > self.idle_seconds or now - session.created > self.max_age

    def create(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            for key in [key for key, session in self._sessions.items() if self._expired(session, now)]:
                del self._sessions[key]
            if len(self._sessions) >= MAX_SESSIONS:
                oldest = min(self._sessions, key=lambda key: self._sessions[key].last_seen)
                del self._sessions[oldest]
            self._sessions[self._key(token)] = _Session(now, now)
        return token

    def valid(self, token: object) -> bool:
        """Whether ``token`` belongs to a live session (and mark it as just used)."""
        if not isinstance(token, str) or not token:
            return False
        key = self._key(token)
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return False
            now = self._clock()
            if self._expired(session, now):
                del self._sessions[key]
                return False
            session.last_seen = now
            return True

    def revoke(self, token: object) -> None:
        if isinstance(token, str):
            with self._lock:
                self._sessions.pop(self._key(token), None)

    def revoke_all(self) -> None:
        with self._lock:
            self._sessions.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)
