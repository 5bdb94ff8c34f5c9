"""The commune's linking attack on the answer store (threat model in docs/datenschutz.md).

The attacker holds the analysis folder's files as left on disk (``antworten.sqlite`` and whatever
``-wal``/``-shm`` companions exist), the print-shop list (page → code) and the address register
(page → person). It tries every way we know to tie a submitted questionnaire to a code:

1. the code's lookup hash or draft id anywhere in the raw bytes of the files (hex or binary);
2. saved drafts: open every draft row (in the main file and in the log) with every code's key and
   compare the draft's answers with the submitted answers;
3. the write-ahead log: the state without the log versus the state with it shows which codes were
   just used up and which answers were just added — one of each is a link.

No test helper here knows which code submitted what; the tests compare the attack's claims with
the truth afterwards.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from survey.access_codes import derive_keys
from survey.store.format import StoreFormatError, decode_responses, open_draft

SUFFIXES = ("", "-wal", "-shm")


@dataclass
class AttackResult:
    links: dict[str, set[str]] = field(default_factory=dict)  # code → resp_ids the attack ties to it
    hashes_found: set[str] = field(default_factory=set)  # codes whose lookup hash or draft id is on disk
    drafts_opened: dict[str, dict] = field(default_factory=dict)  # code → answers of its readable draft
    log_used_codes: set[str] = field(default_factory=set)
    log_new_responses: set[str] = field(default_factory=set)

    def link(self, code: str, resp_id: str) -> None:
        self.links.setdefault(code, set()).add(resp_id)


def read_print_list(path: Path) -> list[str]:
    return [line.split(";")[1] for line in path.read_text(encoding="utf-8").splitlines()[1:]]


def _copy(folder: Path, target: Path, with_log: bool) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for suffix in SUFFIXES if with_log else ("",):
        source = folder / ("antworten.sqlite" + suffix)
        if source.exists():
            shutil.copyfile(source, target / source.name)
    return target / "antworten.sqlite"


def _state(path: Path) -> tuple[set[str], dict[str, dict], list[bytes], str | None]:
    """(code hashes, responses by resp_id, draft blobs with ids, salt) of a store copy."""
    db = sqlite3.connect(path)
    try:
        salt = (db.execute("SELECT value FROM meta WHERE key = 'code_salt'").fetchone() or [None])[0]
        hashes = {row[0] for row in db.execute("SELECT hash FROM codes")}
        records = decode_responses(row[0] for row in db.execute("SELECT data FROM slots"))
        drafts = [(row[0], row[1]) for row in db.execute("SELECT draft_id, data FROM drafts")]
    finally:
        db.close()
    return hashes, {record.resp_id: record.answers for record in records}, drafts, salt


def _answers_match(draft: dict, answers: dict) -> bool:
    """A draft belongs to a submission if every answer it holds is in the submission (and it holds
    a free text, or at least three answers, so the match is not a coincidence)."""
    shared = [key for key, value in draft.items() if value is not None]
    if not shared or any(answers.get(key) != draft[key] for key in shared):
        return False
    return any(isinstance(draft[key], str) for key in shared) or len(shared) >= 3


def attack(folder: Path, print_list: Path) -> AttackResult:
    result = AttackResult()
    codes = read_print_list(print_list)
    raw = b"".join((folder / ("antworten.sqlite" + suffix)).read_bytes()
                   for suffix in SUFFIXES if (folder / ("antworten.sqlite" + suffix)).exists())
    with tempfile.TemporaryDirectory() as temp:
        after_path = _copy(folder, Path(temp) / "mit-log", with_log=True)
        before_path = _copy(folder, Path(temp) / "ohne-log", with_log=False)
        after_hashes, after_responses, after_drafts, salt = _state(after_path)
        before_hashes, before_responses, before_drafts, _ = _state(before_path)
    keys = {code: derive_keys(code, salt) for code in codes}
    # 1. hashes anywhere in the bytes
    for code, key in keys.items():
        for value in (key.lookup, key.draft_id):
            if value.encode() in raw or bytes.fromhex(value) in raw:
                result.hashes_found.add(code)
    # 2. drafts, in both states, opened with every code's key
    for draft_id, sealed in {*after_drafts, *before_drafts}:
        for code, key in keys.items():
            if key.draft_id != draft_id:
                continue
            try:
                answers, _ = open_draft(key.draft_key, draft_id, sealed)
            except StoreFormatError:
                continue
            result.drafts_opened[code] = answers
            for resp_id, submitted in after_responses.items():
                if _answers_match(answers, submitted):
                    result.link(code, resp_id)
    # 3. the log: codes used and answers added by the transactions in it
    result.log_used_codes = {code for code, key in keys.items()
                             if key.lookup in before_hashes and key.lookup not in after_hashes}
    result.log_new_responses = set(after_responses) - set(before_responses)
    if len(result.log_used_codes) == 1 and len(result.log_new_responses) == 1:
        result.link(next(iter(result.log_used_codes)), next(iter(result.log_new_responses)))
    return result
