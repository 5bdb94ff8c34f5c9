"""The linking attack against the store when a submission is killed at its most revealing moments.

A child process submits one questionnaire and kills itself (``os._exit``, like ``kill -9``) right
before one of the two checkpoints of the submission. The files left behind, the print-shop list and
the salt in the store must not tie the answers to the code; a control run without the separating
checkpoint shows the attack does find the link when the store would allow it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from linking_attack import attack
from survey.access_codes import derive_keys, generate_code
from survey.store import AnswerStore, read_responses

CRASH = r"""
import json, os, sys
from survey.access_codes import derive_keys
from survey.store import AnswerStore

path, code, crash_at, skip_first, answers = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1", sys.argv[5]
store = AnswerStore(path)
keys = derive_keys(code, store.code_salt)
calls = [0]
original = store.checkpoint

def checkpoint(*args, **kwargs):
    calls[0] += 1
    if calls[0] == crash_at:
        os._exit(9)  # killed: no cleanup, no further checkpoint
    if skip_first and calls[0] == 1:
        return None  # control: the two steps end up in the same log
    return original(*args, **kwargs)

store.checkpoint = checkpoint
store.submit(json.loads(answers), modus="online", questionnaire_id="webtest", version="1.0",
             code_hash=keys.lookup, draft_id=keys.draft_id)
os._exit(0)
"""


@pytest.fixture()
def fieldwork(tmp_path):
    """A store with 6 codes (print-shop list on disk), 3 submitted, 2 with saved drafts."""
    folder = tmp_path / "ordner"
    folder.mkdir()
    store = AnswerStore(folder / "antworten.sqlite")
    codes = [generate_code() for _ in range(6)]
    keys = [derive_keys(code, store.code_salt) for code in codes]
    store.add_codes([key.lookup for key in keys], 1)
    print_list = tmp_path / "druckerei-stapel-1.csv"
    print_list.write_text("seite;zugangscode\n" + "".join(f"{2 * i + 1};{c}\n" for i, c in enumerate(codes)),
                          encoding="utf-8")
    for number in range(3):
        store.save_draft(keys[number].draft_id, keys[number].draft_key,
                         {"ortsteil": 2, "anmerkung": f"Entwurf {number}"}, 2, code_hash=keys[number].lookup)
        store.submit({"ortsteil": 2, "anmerkung": f"Antwort {number}", "sicher_nacht": number + 1}, modus="online",
                     questionnaire_id="webtest", version="1.0", code_hash=keys[number].lookup,
                     draft_id=keys[number].draft_id)
    store.save_draft(keys[3].draft_id, keys[3].draft_key, {"ortsteil": 1, "anmerkung": "Antwort 3"}, 2,
                     code_hash=keys[3].lookup)
    store.save_draft(keys[4].draft_id, keys[4].draft_key, {"ortsteil": 1, "anmerkung": "offen"}, 1,
                     code_hash=keys[4].lookup)
    store.close()
    return folder, print_list, codes


def crash_submit(folder: Path, code: str, crash_at: int, skip_first: bool = False) -> int:
    answers = json.dumps({"ortsteil": 1, "anmerkung": "Antwort 3", "sicher_nacht": 4})
    done = subprocess.run([sys.executable, "-c", CRASH, str(folder / "antworten.sqlite"), code, str(crash_at),
                           "1" if skip_first else "0", answers], capture_output=True, text=True, timeout=60)
    return done.returncode


def truth(folder: Path) -> dict[str, str]:
    """resp_id → the free text of each stored answer (the test's knowledge, not the attacker's)."""
    frame = read_responses(folder)
    return dict(zip(frame["resp_id"], frame["anmerkung"]))


def test_the_attack_reads_saved_drafts_of_unsubmitted_codes_but_links_nothing(fieldwork):
    folder, print_list, codes = fieldwork
    result = attack(folder, print_list)
    # The attacker can read the drafts of people who have not submitted (they hold the codes) ...
    assert set(result.drafts_opened) == {codes[3], codes[4]}
    # ... but nothing about the three who did.
    assert result.links == {} and not result.hashes_found & set(codes[:3])
    assert sorted(truth(folder).values()) == ["Antwort 0", "Antwort 1", "Antwort 2"]


@pytest.mark.parametrize("crash_at", [1, 2], ids=["vor-dem-ersten-checkpoint", "vor-dem-letzten-checkpoint"])
def test_kill_during_a_submission_leaves_nothing_that_links(fieldwork, crash_at):
    folder, print_list, codes = fieldwork
    assert crash_submit(folder, codes[3], crash_at) == 9
    assert (folder / "antworten.sqlite-wal").stat().st_size > 0  # a log was left behind
    result = attack(folder, print_list)
    assert result.links == {}, result.links
    answers = truth(folder)
    if crash_at == 1:
        # Killed after the code was used up and the draft deleted, before the answers were written:
        # this one questionnaire is lost (it was never acknowledged), and nothing ties it to anyone.
        assert result.log_used_codes == {codes[3]} and result.log_new_responses == set()
        assert "Antwort 3" not in answers.values()
    else:
        # Killed after the answers were written, before the last checkpoint: the log shows the new
        # answers, but the code was used up in a step already checkpointed.
        assert result.log_used_codes == set() and len(result.log_new_responses) == 1
        assert answers[next(iter(result.log_new_responses))] == "Antwort 3"
        assert codes[3] not in result.hashes_found and codes[3] not in result.drafts_opened
    assert not result.hashes_found & {codes[0], codes[1], codes[2]}


def test_control_without_the_separating_checkpoint_the_log_links_code_and_answer(fieldwork):
    folder, print_list, codes = fieldwork
    assert crash_submit(folder, codes[3], crash_at=2, skip_first=True) == 9
    result = attack(folder, print_list)
    [resp_id] = result.links[codes[3]]
    assert truth(folder)[resp_id] == "Antwort 3"  # the attack works when the store would let it
