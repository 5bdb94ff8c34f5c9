"""Coach sessions on the server, drafts in RAM, the limiters, the session cookie."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from survey.store import STORE_NAME
from survey.web import create_app
from survey.web.coach_sessions import CoachSessions
from survey.web.limits import ClientLimiter, GlobalGate, Limits, client_key, max_wrong_attempts
from survey.web.volatile import VolatileState
from test_web_helpers import COACH_PASSWORD, Respondent, issue, make_folder, shown

PAGE_1 = {"ortsteil": "2", "sicher_nacht": "3", "sorge_einbruch": "4", "sorge_betrug": "1"}


@pytest.fixture()
def folder(tmp_path):
    return make_folder(tmp_path)


def signed_in(app):
    coach = Respondent(app.test_client())
    coach.post("/coach/anmelden", {"passwort": COACH_PASSWORD})
    assert "Bisher erfasste Papierfragebögen" in coach.get("/coach/").get_data(as_text=True)
    return coach


def with_cookie(app, cookie: str):
    client = app.test_client()
    client.set_cookie("befragung", cookie)
    return client


def is_login_page(response) -> bool:
    text = response.get_data(as_text=True)
    return response.status_code == 200 and 'name="passwort"' in text and "Rücklauf" not in text


def cookie_of(respondent) -> str:
    return respondent.client.get_cookie("befragung").value


def test_a_cookie_copied_before_logout_gets_the_login_page(folder):
    app = create_app(folder, coach_password=COACH_PASSWORD, secure_cookies=False)
    coach = signed_in(app)
    copied = cookie_of(coach)
    coach.post("/coach/abmelden")
    thief = with_cookie(app, copied)
    assert thief.get("/coach/ruecklauf").headers["Location"] == "/coach/"
    assert is_login_page(thief.get("/coach/"))
    assert thief.post("/coach/neu").status_code in (303, 400)


def test_a_restart_with_another_password_revokes_every_cookie(folder):
    first = create_app(folder, coach_password=COACH_PASSWORD, secure_cookies=False)
    copied = cookie_of(signed_in(first))
    assert not is_login_page(with_cookie(first, copied).get("/coach/"))  # valid before the restart
    restarted = create_app(folder, coach_password="ein-ganz-anderes-passwort", secure_cookies=False)
    assert is_login_page(with_cookie(restarted, copied).get("/coach/"))
    assert with_cookie(restarted, copied).get("/coach/ruecklauf").status_code == 303
    # The old password no longer works, the new one does.
    wrong = Respondent(restarted.test_client()).post("/coach/anmelden", {"passwort": COACH_PASSWORD})
    assert "Das Passwort ist falsch." in wrong.get_data(as_text=True)


def test_an_idle_session_expires(folder):
    app = create_app(folder, coach_password=COACH_PASSWORD, secure_cookies=False, coach_idle_seconds=0.3)
    coach = signed_in(app)
    time.sleep(0.15)
    assert not is_login_page(coach.get("/coach/"))  # a request in time keeps it alive
    time.sleep(0.45)
    assert is_login_page(coach.get("/coach/"))
    assert coach.get("/coach/ruecklauf").headers["Location"] == "/coach/"


def test_coach_sessions_keep_only_hashes_and_end_at_their_maximum_age():
    now = [1000.0]
    state = VolatileState.create()
    sessions = CoachSessions(state, idle_seconds=60, max_age=100, clock=lambda: now[0])
    token = sessions.create()
    raw = b"".join(path.name.encode() + path.read_bytes() for path in state.directory.iterdir())
    assert token.encode() not in raw and len(sessions) == 1
    for _ in range(2):
        now[0] += 50
        assert sessions.valid(token)
    now[0] += 1  # 101 s after sign-in: past the maximum age although never idle
    assert not sessions.valid(token) and len(sessions) == 0
    state.remove()


def test_page_answers_stay_in_ram_sealed_until_saved(folder):
    codes = issue(folder, 1)
    app = create_app(folder, secure_cookies=False)
    person = Respondent(app.test_client())
    person.enter(codes[0])
    assert shown(person.page(0, {**PAGE_1, "sicher_nacht": "4"})) == "/seite/1"
    with sqlite3.connect(folder / STORE_NAME) as db:
        assert db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0  # nothing on disk
    state = app.extensions["survey_state"]
    assert state.draft_count() == 1
    ram = b"".join(path.read_bytes() for path in state.directory.iterdir() if path.is_file())
    assert b"sicher_nacht" not in ram and b"ortsteil" not in ram  # sealed even in RAM
    person.page(1, {"opfer_fahrrad": "2"}, action="speichern")
    with sqlite3.connect(folder / STORE_NAME) as db:
        assert db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 1


def test_client_keys():
    assert client_key("203.0.113.7") == "203.0.113.7"
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert client_key("::ffff:198.51.100.3") == "198.51.100.3"
    assert client_key(None) == client_key("kein-ip") == "unbekannt"


def test_client_limiter_forgets_after_the_window_and_stays_bounded():
    now = [0.0]
    limiter = ClientLimiter(max_failures=3, window=100, max_clients=50, clock=lambda: now[0])
    for _ in range(3):
        limiter.failure("a")
    assert limiter.wait_seconds("a") == 100 and limiter.wait_seconds("b") == 0
    now[0] = 60
    assert limiter.wait_seconds("a") == 40
    now[0] = 100.5
    assert limiter.wait_seconds("a") == 0 and limiter.failures("a") == 0 and len(limiter) == 0
    for number in range(500):  # many addresses: memory stays bounded
        limiter.failure(f"10.0.{number // 256}.{number % 256}")
    assert len(limiter) == 50


def test_global_gate_admits_at_its_rate_first_to_clients_without_failures():
    gate = GlobalGate(free_failures=5, window=60, slow_rate=20.0, max_waiting=3, max_wait=2.0)
    for _ in range(5):
        assert gate.admit(0)
        gate.finish(failed=True)
    assert gate.slowed
    admitted: list[tuple[int, float]] = []
    lock = threading.Lock()

    def attempt(priority: int) -> None:
        if gate.admit(priority):
            with lock:
                admitted.append((priority, time.monotonic()))
            gate.finish(failed=priority > 0)

    started = time.monotonic()
    attackers = [threading.Thread(target=attempt, args=(9,)) for _ in range(4)]
    for thread in attackers:
        thread.start()  # the first one gets the current turn, three wait (the most that may wait)
        time.sleep(0.005)
    citizen = threading.Thread(target=attempt, args=(0,))
    citizen.start()  # the queue is full of attackers: the citizen takes the last one's place
    for thread in [*attackers, citizen]:
        thread.join()
    priorities = [priority for priority, _ in admitted]
    assert priorities == [9, 0, 9, 9]  # one attacker was turned away, the citizen went next
    times = sorted(moment for _, moment in admitted)
    assert all(later - earlier >= 1 / 20 - 0.005 for earlier, later in zip(times, times[1:]))
    assert times[-1] - started < 1.0


def test_worker_processes_share_the_global_budget():
    alone = Limits().code_gate
    for processes in (1, 2, 3, 4):
        share = Limits.for_processes(processes, threads=8).code_gate
        week = 7 * 24 * 3600
        assert processes * max_wrong_attempts(week, share) <= max_wrong_attempts(week, alone) * 1.0001
        assert share.max_waiting == 4


def test_ram_state_left_by_a_killed_server_is_removed_at_the_next_start():
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    state = VolatileState.create()
    stale = state.directory.parent / f"sicherheitsanalyse-{gone.stdout.strip()}-abc"
    stale.mkdir()
    (stale / "d-alt").write_bytes(b"alt")
    alive = state.directory  # this process is alive: kept
    fresh = VolatileState.create()
    assert not stale.exists() and alive.exists() and fresh.directory.exists()
    state.remove()
    fresh.remove()
