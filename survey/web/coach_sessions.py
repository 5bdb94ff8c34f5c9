"""Coach sign-ins held on the server: the cookie carries only a random token.

A session ends at sign-out, after ``idle_seconds`` without a request, after ``max_age`` seconds in
any case, and whenever the server restarts: sessions live in the server's RAM state
(:class:`survey.web.volatile.VolatileState`, shared by its worker processes, created empty at every
start), so a restart — with another ``--coach-passwort`` or the same — revokes every old cookie.
Only a hash of each token is kept.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from survey.web.volatile import VolatileState

IDLE_SECONDS = 30 * 60
MAX_AGE_SECONDS = 12 * 3600
MAX_SESSIONS = 1000


class CoachSessions:
    def __init__(self, state: VolatileState, idle_seconds: float = IDLE_SECONDS,
                 max_age: float = MAX_AGE_SECONDS, clock=time.time):
        self.state = state
        self.idle_seconds = idle_seconds
        self.max_age = max_age
        self._clock = clock

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def create(self) -> str:
        token = secrets.token_urlsafe(32)
        self.state.add_session(self._key(token), self._clock(), MAX_SESSIONS)
        return token

    def valid(self, token: object) -> bool:
        """Whether ``token`` belongs to a live session (and mark it as just used)."""
        if not isinstance(token, str) or not token:
            return False
        return self.state.use_session(self._key(token), self._clock(), self.idle_seconds, self.max_age)

    def revoke(self, token: object) -> None:
        if isinstance(token, str):
            self.state.remove_session(self._key(token))

    def revoke_all(self) -> None:
        self.state.remove_all_sessions()

    def __len__(self) -> int:
        return self.state.session_count()
