"""Form logic without Flask (paging, numbers, parsing) and the ``serve`` command."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from survey.cli import cli
from survey.questionnaire import load_questionnaire
from survey.web.form import build_pages, final_answers, parse_number, parse_page, shown_questions
from survey.web.server import is_loopback
from test_web_helpers import make_folder


@pytest.fixture()
def questionnaire(tmp_path):
    folder = make_folder(tmp_path)
    return load_questionnaire(folder / "fragebogen.yaml", kommune="Musterstadt", ortsteile={1: "A", 2: "B"},
                              jahr=2025)


def test_sections_are_split_before_questions_filtered_on_the_same_page(questionnaire):
    pages = build_pages(questionnaire)
    assert [(p.section.id, p.part, [q.id for q in p.questions]) for p in pages] == [
        ("wohnort", 1, ["ortsteil", "sicher_nacht", "sorgen"]),
        ("opfer", 1, ["opfer_12m"]),
        ("opfer", 2, ["anzeige_12m", "einbruch_schaden"]),
        ("person", 1, ["geschlecht", "geburtsjahr", "haushalt", "massnahmen", "anmerkung"]),
    ]


def test_unknown_filter_answer_skips_the_follow_up(questionnaire):
    page = build_pages(questionnaire)[2]
    assert shown_questions(page, {}) == []
    assert shown_questions(page, {"opfer_einbruch": 9}) == []
    shown = shown_questions(page, {"opfer_einbruch": 1})
    assert [(s.question.id, [v.id for v in s.variables]) for s in shown] == [
        ("anzeige_12m", ["anzeige_einbruch"]), ("einbruch_schaden", ["einbruch_schaden"])]


@pytest.mark.parametrize(("text", "value"), [
    ("12", 12), ("1.500", 1500), ("12,5", 12.5), ("2,0", 2), ("-3", -3), ("1.5", None), ("zwölf", None), ("", None),
])
def test_german_numbers(text, value):
    assert parse_number(text) == value


def test_multi_question_none_checked_is_missing(questionnaire):
    person = build_pages(questionnaire)[3]
    shown = shown_questions(person, {})
    assert parse_page(shown, {}).values["massnahmen_1"] is None
    values = parse_page(shown, {"massnahmen_2": "1"}).values
    assert [values[f"massnahmen_{i}"] for i in (1, 2, 3)] == [0, 1, 0]


def test_final_answers_follow_filter_chains(questionnaire):
    answers = {"opfer_einbruch": 2, "anzeige_einbruch": 1, "einbruch_schaden": 100, "unbekannt": 5, "ortsteil": 1}
    assert final_answers(questionnaire, answers) == {"ortsteil": 1, "opfer_einbruch": 2}


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_serve_refuses_a_short_coach_password(tmp_path):
    folder = make_folder(tmp_path)
    result = CliRunner().invoke(cli, ["serve", str(folder), "--coach-passwort", "kurz"])
    assert result.exit_code == 1
    assert "Fehler: Das Coach-Passwort ist zu kurz (4 Zeichen); bitte mindestens 10 Zeichen verwenden." in result.output


def test_serve_runs_waitress_on_loopback_and_logs_no_requests(tmp_path):
    folder = make_folder(tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "survey", "serve", str(folder), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(300):  # the CLI imports the whole toolkit: slow on a busy machine
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode("utf-8")
                    headers = response.headers
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("Server nicht erreichbar")
        assert "Ihr Zugangscode" in body and headers["X-Content-Type-Options"] == "nosniff"
        assert "Secure" not in headers["Set-Cookie"]  # loopback default: plain http works
        for _ in range(3):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/form.css", timeout=2).read()
    finally:
        server.terminate()
        try:
            out, err = server.communicate(timeout=45)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert out.splitlines()[0] == f"Befragung läuft auf http://127.0.0.1:{port}/ (Coach-Bereich: /coach/). Beenden mit Strg+C."
    assert "GET" not in out + err and "form.css" not in out + err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_options_reach_create_app_and_waitress(tmp_path, monkeypatch):
    import survey.web.server as server_module

    folder = make_folder(tmp_path)
    seen = {}
    real_create_app = server_module.create_app

    def create_app(path, **kwargs):
        seen.update(kwargs)
        return real_create_app(path, **kwargs)

    class Server:
        def __init__(self, sockets):
            seen["address"] = sockets[0].getsockname()

        def run(self):
            seen["ran"] = True

    monkeypatch.setattr(server_module, "create_app", create_app)
    monkeypatch.setattr("waitress.create_server",
                        lambda app, **kwargs: seen.update(waitress=kwargs) or Server(kwargs["sockets"]))
    monkeypatch.setenv("SICHERHEITSANALYSE_COACH_PASSWORT", "aus-der-umgebung-123")
    port = free_port()
    result = CliRunner().invoke(cli, ["serve", str(folder), "--port", str(port), "--prozesse", "1"])
    assert result.exit_code == 0, result.output
    assert seen["coach_password"] == "aus-der-umgebung-123" and seen["secure_cookies"] is False and seen["ran"]
    settings = seen["waitress"]
    assert seen["address"] == ("127.0.0.1", port) and settings["threads"] == 8
    assert settings["connection_limit"] == 1000 and settings["channel_timeout"] == 30
    assert settings["asyncore_use_poll"] is True and settings["max_request_body_size"] == 256 * 1024
    assert settings["max_request_body_size"] <= settings["inbuf_overflow"]  # never spooled to a temp file
    assert "trusted_proxy" not in settings and settings["clear_untrusted_proxy_headers"] is True
    assert "Befragung beendet; 0 offene Zwischenstände verschlüsselt gespeichert." in result.output
    result = CliRunner().invoke(cli, ["serve", str(folder), "--host", "0.0.0.0", "--port", str(free_port()),
                                      "--prozesse", "1"])
    assert seen["secure_cookies"] is True and "nur über HTTPS" in result.output
    result = CliRunner().invoke(cli, ["serve", str(folder), "--proxy", "127.0.0.1", "--port", str(free_port()),
                                      "--prozesse", "1"])
    assert result.exit_code == 0, result.output
    assert seen["secure_cookies"] is True and seen["waitress"]["trusted_proxy"] == "127.0.0.1"
    assert seen["waitress"]["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}
    result = CliRunner().invoke(cli, ["serve", str(folder), "--proxy", "mein-proxy"])
    assert result.exit_code == 1 and "--proxy 'mein-proxy' ist keine IP-Adresse" in result.output
