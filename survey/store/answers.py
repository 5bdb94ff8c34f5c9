"""Writing submitted answers without a trace that links them (the mixin behind ``AnswerStore``).

A submission is queued; whoever holds the store lock writes every queued submission (group commit)
in two steps, each followed by a truncating checkpoint: (1) delete the code rows and saved drafts,
(2) fill random pre-allocated slots with the answers. The second checkpoint syncs the main file, so
the answers are on disk before anyone is told. See ``docs/datenschutz.md``.
"""

from __future__ import annotations

import datetime as _dt
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from survey.store.errors import StoreBusy, UnknownCode
from survey.store.format import EMPTY_SLOT, ResponseRecord, decode_responses, encode_response
from survey.store.locks import exclusive

MODES = ("online", "papier")
MIN_SLOTS = 512
SLOT_RESERVE = 64
SLOTS_PER_CODE = 2
FILLED = "substr(data, 1, 1) = x'01'"
EMPTY = "substr(data, 1, 1) = x'00'"
_FIRST_PART = "substr(data, 1, 1) = x'01' AND substr(data, 18, 1) = x'00'"


def today() -> str:
    """The current day as ``YYYY-MM-DD`` (the finest time the store ever records)."""
    return _dt.date.today().isoformat()


def new_resp_id() -> str:
    """A random response id (unrelated to codes or to the order of submission)."""
    return "W" + secrets.token_hex(8).upper()


@dataclass
class Submission:
    """One queued submission (group commit)."""

    slots: list[bytes]
    code_hash: str | None
    draft_id: str | None
    removed_code: tuple | None = None
    removed_draft: tuple | None = None
    error: BaseException | None = None
    done: bool = False


class FreeSlots:
    """Numbers of empty slots, for drawing one uniformly at random in O(1)."""

    def __init__(self, numbers: Iterable[int]):
        self._items = list(numbers)
        self._where = {number: index for index, number in enumerate(self._items)}

    def __len__(self) -> int:
        return len(self._items)

    def add(self, number: int) -> None:
        if number not in self._where:
            self._where[number] = len(self._items)
            self._items.append(number)

    def pop_random(self) -> int | None:
        if not self._items:
            return None
        index = secrets.randbelow(len(self._items))
        number, last = self._items[index], self._items[-1]
        self._items[index] = last
        self._where[last] = index
        self._items.pop()
        del self._where[number]
        return number


class AnswerWriter:
    """Submissions, the slot pool and the counts over submitted answers (needs ``AnswerStore``'s
    ``_lock``, ``transaction``, ``checkpoint``, ``_read``, ``path``, ``submit_lock``)."""

    def submit(
        self,
        answers: Mapping[str, object],
        *,
        modus: str,
        questionnaire_id: str,
        version: str,
        code_hash: str | None = None,
        draft_id: str | None = None,
        sprache: str | None = None,
    ) -> str:
        """Store final answers; use up the code and delete the saved draft first (see module doc).

        Returns the new random ``resp_id``. Raises :class:`UnknownCode` if the code is not (or no
        longer) valid; nothing is written then. ``sprache`` is the answer language (a code of
        :mod:`survey.languages`; one of a few values, never a key that could link an answer to a code). Returns only once the answers are on disk.
        Submissions that arrive while one is being written are written together (group commit): one
        step 1, one checkpoint, one step 2, one checkpoint for all of them.
        """
        if modus not in MODES:
            raise ValueError(f"unknown mode {modus!r}")
        record = ResponseRecord(
            resp_id=new_resp_id(), modus=modus, tag=today(), fragebogen=questionnaire_id, version=version,
            answers={key: value for key, value in answers.items() if value is not None}, sprache=sprache,
        )
        mine = Submission(encode_response(record), code_hash, draft_id)
        with self._queue_guard:
            self._queue.append(mine)
        with self._lock:
            if not mine.done:
                with self._queue_guard:
                    batch, self._queue = self._queue, []
                with exclusive(self.submit_lock):
                    self._write_batch(batch)
        if mine.error is not None:
            raise mine.error
        return record.resp_id

    def _write_batch(self, batch: list[Submission]) -> None:
        try:
            with self.transaction(durable=False) as db:
                for item in batch:
                    self._use_code_and_draft(db, item)
            valid = [item for item in batch if item.error is None]
            if not valid:
                return
            committed = False
            try:
                if any(item.removed_code or item.removed_draft for item in valid):
                    self.checkpoint()
                with self.transaction(durable=False) as db:
                    for item in valid:
                        self._fill(db, item.slots)
                committed = True
            except BaseException as error:
                if not committed:
                    self._restore(valid)
                    for item in valid:
                        item.error = error
                raise
            # Durable before anyone is told: the checkpoint syncs the main file (the answers are in
            # it); if it cannot run now, the log itself is synced instead.
            try:
                self.checkpoint()
            except StoreBusy:
                self._sync_log()
        except BaseException as error:  # every submitter of the batch raises it in its own thread
            for item in batch:
                if item.error is None:
                    item.error = error
        finally:
            for item in batch:
                item.done = True

    def _sync_log(self) -> None:
        log = self.path.with_name(self.path.name + "-wal")
        with open(log, "rb+") as handle:
            os.fsync(handle.fileno())

    @staticmethod
    def _use_code_and_draft(db: sqlite3.Connection, item: Submission) -> None:
        if item.code_hash is not None:
            row = db.execute("SELECT nr, stapel FROM codes WHERE hash = ?", (item.code_hash,)).fetchone()
            if row is None:
                item.error = UnknownCode(
                    "Dieser Zugangscode ist nicht bekannt oder wurde bereits für einen abgeschickten "
                    "Fragebogen verwendet."
                )
                return
            db.execute("DELETE FROM codes WHERE nr = ?", (row[0],))
            item.removed_code = (row[0], item.code_hash, row[1])
        if item.draft_id is not None:
            row = db.execute("SELECT data FROM drafts WHERE draft_id = ?", (item.draft_id,)).fetchone()
            if row is not None:
                db.execute("DELETE FROM drafts WHERE draft_id = ?", (item.draft_id,))
                item.removed_draft = (item.draft_id, row[0])

    def _restore(self, items: list[Submission]) -> None:
        """Undo step 1 of submissions whose answers could not be written (their codes stay usable)."""
        with self.transaction() as db:
            for item in items:
                if item.removed_code is not None:
                    db.execute("INSERT OR IGNORE INTO codes (nr, hash, stapel) VALUES (?, ?, ?)", item.removed_code)
                if item.removed_draft is not None:
                    db.execute("INSERT OR IGNORE INTO drafts (draft_id, data) VALUES (?, ?)", item.removed_draft)

    # -- slots -----------------------------------------------------------------------------------------
    def _free_slots(self, db: sqlite3.Connection) -> FreeSlots:
        if self._free is None:
            self._free = FreeSlots(row[0] for row in db.execute(f"SELECT nr FROM slots WHERE {EMPTY}"))
        return self._free

    def _grow(self, db: sqlite3.Connection, count: int) -> None:
        """Add ``count`` empty slots with random numbers (a random number spreads them over the file)."""
        free = self._free_slots(db)
        numbers = {secrets.randbits(62) + 1 for _ in range(count)}
        db.executemany("INSERT OR IGNORE INTO slots (nr, data) VALUES (?, ?)", ((n, EMPTY_SLOT) for n in numbers))
        for number in numbers:
            free.add(number)

    def _fill(self, db: sqlite3.Connection, slots: list[bytes]) -> None:
        free = self._free_slots(db)
        try:
            if len(free) < len(slots) + SLOT_RESERVE:
                total = db.execute("SELECT COUNT(*) FROM slots").fetchone()[0]
                self._grow(db, max(MIN_SLOTS, total, len(slots) + SLOT_RESERVE))
            written = 0
            while written < len(slots):
                number = free.pop_random()
                if number is None:
                    self._grow(db, MIN_SLOTS)
                    continue
                cursor = db.execute(f"UPDATE slots SET data = ? WHERE nr = ? AND {EMPTY}", (slots[written], number))
                written += cursor.rowcount
        except BaseException:
            self._free = None  # rolled back: reload the free slots from disk next time
            raise

    def _records(self) -> list[ResponseRecord]:
        return decode_responses(row[0] for row in self._read(f"SELECT data FROM slots WHERE {FILLED}"))

    def response_count(self) -> int:
        return int(self._read(f"SELECT COUNT(*) FROM slots WHERE {_FIRST_PART}")[0][0])

    def counts_by_day(self) -> list[tuple[str, str, int]]:
        """(day, mode, number of responses), ordered by day."""
        counts: dict[tuple[str, str], int] = {}
        for record in self._records():
            counts[(record.tag, record.modus)] = counts.get((record.tag, record.modus), 0) + 1
        return [(day, mode, count) for (day, mode), count in sorted(counts.items())]

    def counts_by_value(self, variable_id: str) -> list[tuple[object, str, int]]:
        """(answer value or None, mode, number of responses) for one variable (e.g. ``ortsteil``)."""
        counts: dict[tuple[object, str], int] = {}
        for record in self._records():
            key = (record.answers.get(variable_id), record.modus)
            counts[key] = counts.get(key, 0) + 1
        return [(value, mode, count) for (value, mode), count
                in sorted(counts.items(), key=lambda item: (item[0][0] is not None, str(item[0][0]), item[0][1]))]

    def iter_responses(self) -> Iterator[tuple[str, str, dict[str, object]]]:
        """(resp_id, mode, answers) of every submitted questionnaire, ordered by resp_id."""
        for record in sorted(self._records(), key=lambda item: item.resp_id):
            yield record.resp_id, record.modus, record.answers
