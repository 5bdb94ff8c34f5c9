"""Unfinished questionnaires: held in server memory, written to the store only when needed.

A respondent who answers in one sitting never has a draft on disk: page answers live in memory
until the final submission. A draft is sealed and written to the store (light write, see
:meth:`survey.store.AnswerStore.save_draft`) when the respondent chooses »Speichern und später
weitermachen«, when it has been idle for ``idle_seconds`` (the respondent probably left and may come
back after a restart), and at shutdown. A killed server loses the unsaved page answers of people in
the middle of a questionnaire (they start again with the same, still valid code); it never loses an
acknowledged submission.

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
from collections import OrderedDict
from dataclasses import dataclass

from survey.access_codes import CodeKeys
from survey.store import AnswerStore, Draft

IDLE_SECONDS = 600
MAX_IN_MEMORY = 20_000


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


@dataclass
class _Held:
    entry: Entry
    draft: Draft
    touched: float
    saved: bool


class DraftCache:
    """Drafts by draft id; thread-safe. ``store`` persists them (sealed)."""

    def __init__(self, store: AnswerStore, idle_seconds: float = IDLE_SECONDS,
                 max_in_memory: int = MAX_IN_MEMORY, clock=time.monotonic):
        self.store = store
        self.idle_seconds = idle_seconds
        self.max_in_memory = max_in_memory
        self._clock = clock
        self._held: OrderedDict[str, _Held] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, entry: Entry) -> Draft | None:
        """The entry's draft from memory, else from the store; None if there is none."""
        with self._lock:
            held = self._held.get(entry.draft_id)
            if held is not None and held.entry.key == entry.key:
                held.touched = self._clock()
                self._held.move_to_end(entry.draft_id)
                return held.draft
        draft = self.store.load_draft(entry.draft_id, entry.key)
        if draft is not None:
            self._hold(entry, draft, saved=True)
        return draft

    def put(self, entry: Entry, draft: Draft) -> None:
        """Keep the new state in memory (nothing is written)."""
        self._hold(entry, draft, saved=False)
        if len(self._held) > self.max_in_memory:
            self._flush(self._oldest(len(self._held) - self.max_in_memory))

    def _hold(self, entry: Entry, draft: Draft, saved: bool) -> None:
        with self._lock:
            self._held[entry.draft_id] = _Held(entry, draft, self._clock(), saved)
            self._held.move_to_end(entry.draft_id)

    def save(self, entry: Entry) -> bool:
        """Write the entry's draft to the store now; False if its code was used meanwhile."""
        with self._lock:
            held = self._held.get(entry.draft_id)
        if held is None:
            return True
        return self._write(held)

    def _write(self, held: _Held) -> bool:
        entry, draft = held.entry, held.draft
        ok = self.store.save_draft(entry.draft_id, entry.key, draft.answers, draft.page, code_hash=entry.code)
        if ok:
            held.saved = True
        else:
            self.drop(entry.draft_id)
        return ok

    def drop(self, draft_id: str) -> None:
        with self._lock:
            self._held.pop(draft_id, None)

    def _oldest(self, count: int) -> list[_Held]:
        with self._lock:
            return list(self._held.values())[:count]

    def _flush(self, items: list[_Held]) -> int:
        written = 0
        for held in items:
            if not held.saved:
                self._write(held)
                written += 1
            with self._lock:
                current = self._held.get(held.entry.draft_id)
                if current is held:
                    del self._held[held.entry.draft_id]
        return written

    def flush_idle(self) -> int:
        """Write and forget drafts idle for ``idle_seconds``; returns how many were written."""
        limit = self._clock() - self.idle_seconds
        with self._lock:
            idle = [held for held in self._held.values() if held.touched <= limit]
        return self._flush(idle)

    def flush_all(self) -> int:
        """Write every unsaved draft (at shutdown)."""
        with self._lock:
            items = list(self._held.values())
        return self._flush(items)

    def __len__(self) -> int:
        with self._lock:
            return len(self._held)


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
