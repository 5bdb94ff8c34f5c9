"""Unfinished questionnaires: held in the server's RAM, written to the store only when needed.

A respondent who answers in one sitting never has a draft on disk: page answers live (sealed with
the key from the respondent's cookie) in the server's RAM state (:mod:`survey.web.volatile`, shared
by its worker processes) until the final submission. A draft is written to the store (light write,
see :meth:`survey.store.AnswerStore.save_sealed_draft`) when the respondent chooses »Speichern und
später weitermachen«, when it has been idle for ``idle_seconds`` (the respondent probably left and
may come back after a restart), and at shutdown. A killed server loses the unsaved page answers of
people in the middle of a questionnaire (they start again with the same, still valid code); it never
loses an acknowledged submission.

The session cookie carries the :class:`Entry`: kind, draft id, draft key (to seal and open the draft)
and, online, the code's lookup hash (to check the code is still unused).
"""

from __future__ import annotations

import base64
import binascii
import logging
import secrets
import threading
import time
from dataclasses import dataclass

from survey.access_codes import CodeKeys
from survey.store import AnswerStore, Draft, today
from survey.store.format import StoreFormatError, open_draft, seal_draft
from survey.web.volatile import VolatileState

IDLE_SECONDS = 600


@dataclass(frozen=True)
class Entry:
    """What a browser session is filling in: an online questionnaire (with code) or a paper one."""

    kind: str
    draft_id: str
    key: bytes
    code: str | None = None

    @classmethod
    def online(cls, keys: CodeKeys) -> "Entry":
        return cls("online", keys.draft_id, keys.draft_key, keys.lookup)

    @classmethod
    def paper(cls) -> "Entry":
        return cls("papier", "papier-" + secrets.token_hex(16), secrets.token_bytes(32), None)

    def as_cookie(self) -> dict:
        value = {"kind": self.kind, "draft": self.draft_id, "key": base64.urlsafe_b64encode(self.key).decode("ascii")}
        if self.code:
            value["code"] = self.code
        return value

    @classmethod
    def from_cookie(cls, value: object) -> "Entry | None":
        if not isinstance(value, dict) or value.get("kind") not in ("online", "papier"):
            return None
        try:
            key = base64.urlsafe_b64decode(str(value["key"]))
            draft_id = str(value["draft"])
        except (KeyError, ValueError, binascii.Error):
            return None
        if len(key) != 32 or not draft_id.isascii():
            return None
        code = value.get("code")
        if value["kind"] == "online" and not isinstance(code, str):
            return None
        return cls(value["kind"], draft_id, key, code if value["kind"] == "online" else None)


class DraftCache:
    """Drafts by draft id, sealed, in the server's RAM state; ``store`` persists them."""

    def __init__(self, store: AnswerStore, state: VolatileState, idle_seconds: float = IDLE_SECONDS,
                 clock=time.time):
        self.store = store
        self.state = state
        self.idle_seconds = idle_seconds
        self._clock = clock

    def get(self, entry: Entry) -> Draft | None:
        """The entry's draft from RAM, else from the store; None if there is none."""
        row = self.state.get_draft(entry.draft_id)
        if row is not None:
            try:
                answers, page = open_draft(entry.key, entry.draft_id, row[0])
                return Draft(answers=answers, page=page)
            except StoreFormatError:
                return None  # someone else's key: never happens with ids derived from the code
        sealed = self.store.load_sealed_draft(entry.draft_id)
        if sealed is None:
            return None
        try:
            answers, page = open_draft(entry.key, entry.draft_id, sealed)
        except StoreFormatError:
            return None
        self.state.put_draft(entry.draft_id, sealed, entry.code, self._clock(), saved=True)
        return Draft(answers=answers, page=page)

    def put(self, entry: Entry, draft: Draft) -> None:
        """Keep the new state (sealed, in RAM; nothing is written to disk)."""
        sealed = seal_draft(entry.key, entry.draft_id, draft.answers, draft.page, today())
        self.state.put_draft(entry.draft_id, sealed, entry.code, self._clock())

    def save(self, entry: Entry) -> bool:
        """Write the entry's draft to the store now; False if its code was used meanwhile."""
        row = self.state.get_draft(entry.draft_id)
        if row is None:
            return True
        return self._write(entry.draft_id, row[0], row[1])

    def _write(self, draft_id: str, sealed: bytes, code: str | None) -> bool:
        if self.store.save_sealed_draft(draft_id, sealed, code_hash=code):
            self.state.mark_saved(draft_id, sealed)
            return True
        self.drop(draft_id)
        return False

    def drop(self, draft_id: str) -> None:
        self.state.drop_draft(draft_id)

    def _flush(self, rows) -> int:
        written = 0
        for draft_id, sealed, code, saved in rows:
            if not saved:
                self._write(draft_id, sealed, code)
                written += 1
            self.state.drop_draft(draft_id)
        return written

    def flush_idle(self) -> int:
        """Write and forget drafts idle for ``idle_seconds``; returns how many were written."""
        return self._flush(self.state.drafts_touched_before(self._clock() - self.idle_seconds))

    def flush_all(self) -> int:
        """Write every unsaved draft (at shutdown)."""
        return self._flush(self.state.drafts_touched_before(float("inf")))

    def __len__(self) -> int:
        return self.state.draft_count()


class IdleFlusher:
    """A daemon thread that calls :meth:`DraftCache.flush_idle` every ``interval`` seconds."""

    def __init__(self, cache: DraftCache, interval: float = 30.0):
        self._cache = cache
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="entwuerfe", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._cache.flush_idle()
            except Exception as error:  # noqa: BLE001 - keep flushing; a failed write is retried next round
                logging.getLogger(__name__).warning("Zwischenstände konnten nicht gespeichert werden: %s", error)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
