"""A real ``sicherheitsanalyse serve`` on loopback: the linking attack after SIGTERM and kill -9,
per-client limits with distinct source addresses, a trusted proxy, idle connections."""

from __future__ import annotations

import random
import socket
import threading
import time

import pytest

from linking_attack import attack
from survey.access_codes import generate_code
from survey.store import read_responses, store_files
from test_web_helpers import COACH_PASSWORD, issue, make_folder
from web_client import Browser, Server

pytestmark = pytest.mark.slow


def page_answers(rng: random.Random, marker: str) -> dict[int, dict]:
    """Answers for the test questionnaire's pages; no victimisation, so page 2 is skipped."""
    return {
        0: {"ortsteil": str(rng.choice([1, 2])), "sicher_nacht": str(rng.randint(1, 4)),
            "sorge_einbruch": str(rng.randint(1, 4)), "sorge_betrug": str(rng.randint(1, 4))},
        1: {"opfer_fahrrad": "2", "opfer_einbruch": "2"},
        3: {"geschlecht": str(rng.choice([1, 2, 3])), "geburtsjahr": str(rng.randint(1930, 2005)),
            "haushalt": str(rng.randint(1, 6)), "massnahmen_1": "1", "anmerkung": marker},
    }


def answer_until(browser: Browser, answers: dict[int, dict], stop_before: int | None = None) -> None:
    while browser.action.startswith("/seite/"):
        index = int(browser.action.rsplit("/", 1)[1])
        if index == stop_before:
            return
        browser.answer(answers[index])


def complete(port: int, code: str, marker: str, rng: random.Random, source: str | None = None) -> bool:
    browser = Browser(port, source=source)
    browser.enter(code)
    answer_until(browser, page_answers(rng, marker))
    return browser.submit()


def truth(folder) -> dict[str, str]:
    frame = read_responses(folder)
    return dict(zip(frame["resp_id"], frame["anmerkung"]))


def test_linking_attack_on_a_real_server_after_sigterm_and_after_kill_9(tmp_path):
    folder = make_folder(tmp_path)
    codes = issue(folder, 14)
    print_list = folder / "anschreiben" / "druckerei-stapel-1.csv"
    rng = random.Random(15)
    server = Server(folder, "--unsichere-cookies", "--coach-passwort", COACH_PASSWORD, "--prozesse", "2")
    try:
        for number in range(3):  # save half-way (marker already in the draft), resume in a new browser, submit
            answers = page_answers(rng, f"Marker-{number}")
            first = Browser(server.port)
            first.enter(codes[number])
            answer_until(first, answers, stop_before=3)
            first.answer(answers[3], action="speichern")
            assert "Ihre Angaben sind gespeichert" in first.page
            second = Browser(server.port)
            second.enter(codes[number])
            answer_until(second, answers)
            assert second.submit()
        for number in range(3, 6):
            assert complete(server.port, codes[number], f"Marker-{number}", rng)
        started = Browser(server.port)  # only in RAM: written (sealed) at shutdown
        started.enter(codes[6])
        started.answer(page_answers(rng, "")[0])
        saved = Browser(server.port)  # saved and never submitted
        saved.enter(codes[7])
        answer_until(saved, page_answers(rng, "Marker-7"), stop_before=3)
        saved.answer(page_answers(rng, "Marker-7")[3], action="speichern")
    finally:
        output = server.stop()
    assert "Befragung beendet; 1 offene Zwischenstand verschlüsselt gespeichert." in output
    assert [path.name for path in store_files(folder / "antworten.sqlite") if path.exists()] == ["antworten.sqlite"]
    result = attack(folder, print_list)
    submitted = set(codes[:6])
    assert result.links == {} and not result.hashes_found & submitted
    assert set(result.drafts_opened) == {codes[6], codes[7]}  # the attack does read unsubmitted drafts
    assert sorted(truth(folder).values()) == [f"Marker-{n}" for n in range(6)]

    # Restart and kill -9 while many submissions are in flight.
    server = Server(folder, "--unsichere-cookies", "--prozesse", "2")
    acknowledged: list[str] = []
    lock = threading.Lock()

    def respondent(number: int) -> None:
        try:
            if complete(server.port, codes[number], f"Marker-{number}", random.Random(number)):
                with lock:
                    acknowledged.append(f"Marker-{number}")
        except (OSError, ConnectionError, Exception):  # noqa: BLE001 - the server is killed under them
            pass

    threads = [threading.Thread(target=respondent, args=(number,)) for number in range(8, 14)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while not acknowledged and time.monotonic() < deadline:
        time.sleep(0.005)
    server.kill()
    for thread in threads:
        thread.join(timeout=30)
    result = attack(folder, print_list)
    stored = truth(folder)
    assert result.links == {}, result.links
    assert set(acknowledged) <= set(stored.values())  # acknowledged = stored
    submitted = {code for code, number in zip(codes, range(14))
                 if f"Marker-{number}" in stored.values()}
    assert not result.hashes_found & submitted


def test_400_wrong_codes_from_one_address_do_not_stop_another(tmp_path):
    folder = make_folder(tmp_path)
    codes = issue(folder, 2)
    server = Server(folder, "--unsichere-cookies", "--prozesse", "2")
    try:
        attacker = Browser(server.port, source="127.0.0.2")
        statuses = []
        for _ in range(400):
            attacker.enter(generate_code())
            statuses.append(attacker.status)
        refused = statuses.count(429)
        assert statuses[:10] == [200] * 10 and refused >= 400 - 2 * 10  # 10 per worker process
        assert "Zu viele Fehlversuche von Ihrem Anschluss" in attacker.page
        started = time.monotonic()
        assert complete(server.port, codes[0], "Marker-gut", random.Random(1), source="127.0.0.3")
        assert time.monotonic() - started < 10
    finally:
        server.stop()
    assert list(truth(folder).values()) == ["Marker-gut"]


@pytest.mark.parametrize("trusted", [True, False], ids=["proxy-vertraut", "proxy-nicht-vertraut"])
def test_forwarded_client_address_only_from_a_trusted_proxy(tmp_path, trusted):
    folder = make_folder(tmp_path)
    codes = issue(folder, 1)
    server = Server(folder, "--unsichere-cookies", "--prozesse", "1", *(["--proxy", "127.0.0.1"] if trusted else []))
    try:
        for _ in range(10):
            Browser(server.port, headers={"X-Forwarded-For": "203.0.113.9"}).enter(generate_code())
        citizen = Browser(server.port, headers={"X-Forwarded-For": "203.0.113.10"})
        citizen.enter(codes[0])
        if trusted:  # another client behind the proxy: not affected by 203.0.113.9's attempts
            assert citizen.status == 200 and citizen.action == "/seite/0"
        else:  # the header is ignored: everything comes from 127.0.0.1, which is now waiting
            assert citizen.status == 429
    finally:
        output = server.stop()
    assert ("X-Forwarded-For des Proxys 127.0.0.1" in output) is trusted


def test_200_idle_connections_do_not_slow_a_questionnaire_down(tmp_path):
    folder = make_folder(tmp_path)
    codes = issue(folder, 3)
    server = Server(folder, "--unsichere-cookies", "--prozesse", "1")
    idle: list[socket.socket] = []
    try:
        started = time.monotonic()
        assert complete(server.port, codes[0], "Marker-vorher", random.Random(1))
        normal = time.monotonic() - started
        for _ in range(200):
            idle.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
        held_since = time.monotonic()
        started = time.monotonic()
        assert complete(server.port, codes[1], "Marker-waehrenddessen", random.Random(2))
        during = time.monotonic() - started
        assert during <= normal + 2, (normal, during)
        time.sleep(max(0.0, 20 - (time.monotonic() - held_since)))  # the sockets stay idle for 20 s
        started = time.monotonic()
        assert complete(server.port, codes[2], "Marker-nach-20-s", random.Random(3))
        assert time.monotonic() - started <= normal + 2
    finally:
        for sock in idle:
            sock.close()
        server.stop()
    assert sorted(truth(folder).values()) == ["Marker-nach-20-s", "Marker-vorher", "Marker-waehrenddessen"]


def test_sigterm_right_after_start_stops_every_worker(tmp_path):
    folder = make_folder(tmp_path)
    issue(folder, 1)
    for _ in range(3):
        server = Server(folder, "--unsichere-cookies", "--prozesse", "3")
        started = time.monotonic()
        output = server.stop(timeout=40)  # the workers may still be starting
        assert time.monotonic() - started < 40 and "Befragung beendet" in output
        assert server.process.returncode == 0
