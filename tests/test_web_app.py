"""The web questionnaire through the Flask test client: flow, filters, validation, resume, security."""

from __future__ import annotations

import sqlite3

import pytest
from flask import template_rendered

from survey.store import read_responses
from survey.web import create_app
from survey.access_codes import derive_keys, generate_code
from survey.web.contexts import (
    CoachHomeContext, CoachLoginContext, MessageContext, PageContext, PrivacyContext, ReturnsContext,
    ReviewContext, StartContext, context_fields,
)
from survey.web.limits import ClientLimiter, GlobalGate, Limits
from test_web_helpers import COACH_PASSWORD, XSS, Respondent, csrf_of, issue, make_folder, shown, soup

PAGE_1 = {"ortsteil": "2", "sicher_nacht": "3", "sorge_einbruch": "4", "sorge_betrug": "1"}
PERSON = {"geschlecht": "2", "geburtsjahr": "1970", "haushalt": "3", "massnahmen_1": "1", "massnahmen_3": "1",
          "anmerkung": "Mehr Licht am Bahnhof"}


@pytest.fixture()
def folder(tmp_path):
    return make_folder(tmp_path)


@pytest.fixture()
def codes(folder):
    return issue(folder, 4)


@pytest.fixture()
def app(folder, codes):
    app = create_app(folder, coach_password=COACH_PASSWORD, secure_cookies=False)
    app.config["TESTING"] = True
    return app


def stored(folder):
    return read_responses(folder)


def test_complete_questionnaire_with_filters(app, folder, codes):
    person = Respondent(app.test_client())
    response = person.enter(codes[0])
    assert response.status_code == 303 and shown(response) == "/seite/0"
    page = soup(person.get("/seite/0"))
    assert page.select_one("progress")["max"] == "4"
    assert [legend.get_text(" ", strip=True) for legend in page.select("fieldset.question > legend")] == [
        "Frage 1 In welchem Ortsteil wohnen Sie?",
        "Frage 2 Wie sicher fühlen Sie sich nachts allein in Ihrer Wohngegend?",
        "Frage 3 Wie sehr beunruhigt Sie, Opfer folgender Taten zu werden?",
    ]
    # Grid rows are fieldsets with a legend; every radio button has a label.
    assert [row.legend.get_text(strip=True) for row in page.select("fieldset.grid-row")] == [
        "Einbruch in Wohnung oder Haus", "Betrug"]
    for radio in page.select("input[type=radio]"):
        assert page.select_one(f"label[for='{radio['id']}']") is not None
    assert shown(person.page(0, PAGE_1)) == "/seite/1"
    # Victim of bicycle theft only: the report question shows only that row, the damage question is skipped.
    assert shown(person.page(1, {"opfer_fahrrad": "1", "opfer_einbruch": "2"})) == "/seite/2"
    page = soup(person.get("/seite/2"))
    assert [row.legend.get_text(strip=True) for row in page.select("fieldset.grid-row")] == ["Fahrraddiebstahl"]
    assert page.select_one("#f-einbruch_schaden") is None
    assert shown(person.page(2, {"anzeige_fahrrad": "2"})) == "/seite/3"
    assert shown(person.page(3, PERSON)) == "/abschluss"
    review = soup(person.get("/abschluss"))
    assert "Sie haben 10 von 10 Fragen beantwortet." in " ".join(review.get_text().split())
    response = person.post("/abschluss")
    assert response.headers["Location"].endswith("/danke")
    assert "Vielen Dank" in person.get("/danke").get_data(as_text=True)
    frame = stored(folder)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["modus"] == "online"
    assert row["ortsteil"] == 2 and row["opfer_fahrrad"] == 1 and row["anzeige_fahrrad"] == 2
    assert row["massnahmen_1"] == 1 and row["massnahmen_2"] == 0 and row["massnahmen_3"] == 1
    assert row["geburtsjahr"] == 1970 and row["anmerkung"] == "Mehr Licht am Bahnhof"
    assert frame["anzeige_einbruch"].isna().all() and frame["einbruch_schaden"].isna().all()
    assert list(frame.columns[:2]) == ["resp_id", "ortsteil"] and list(frame.columns[-2:]) == ["modus", "sprache"]


def test_no_victim_skips_the_whole_follow_up_page(app, codes):
    person = Respondent(app.test_client())
    person.enter(codes[0])
    person.page(0, PAGE_1)
    response = person.page(1, {"opfer_fahrrad": "2", "opfer_einbruch": "2"})
    assert shown(response) == "/seite/3"
    # Going back from page 3 returns to page 1, not to the skipped page 2.
    assert shown(person.page(3, {}, action="zurueck")) == "/seite/1"


def test_changed_filter_answer_drops_follow_up_answers(app, folder, codes):
    person = Respondent(app.test_client())
    person.enter(codes[0])
    person.page(0, PAGE_1)
    person.page(1, {"opfer_fahrrad": "2", "opfer_einbruch": "1"})
    person.page(2, {"anzeige_einbruch": "1", "einbruch_schaden": "1.500"})
    person.page(1, {"opfer_fahrrad": "2", "opfer_einbruch": "2"})  # taken back
    person.page(3, PERSON)
    person.post("/abschluss")
    row = stored(folder).iloc[0]
    assert row["opfer_einbruch"] == 2
    assert stored(folder)[["anzeige_einbruch", "einbruch_schaden"]].isna().all().all()


def test_validation_errors_are_listed_at_the_top_and_linked(app, codes):
    person = Respondent(app.test_client())
    person.enter(codes[0])
    person.page(0, PAGE_1)
    person.page(1, {"opfer_fahrrad": "2", "opfer_einbruch": "1"})
    response = person.page(2, {"einbruch_schaden": "viel"})
    assert response.status_code == 422
    page = soup(response)
    assert page.title.get_text().startswith("Fehler: ")
    links = page.select(".error-summary a")
    assert [(a["href"], a.get_text(strip=True)) for a in links] == [
        ("#f-einbruch_schaden", "Frage 6: Bitte geben Sie nur eine Zahl ein, zum Beispiel 3 (ohne Buchstaben).")]
    field = page.select_one("#f-einbruch_schaden")
    assert field["aria-invalid"] == "true" and field["value"] == "viel"
    assert page.select_one("#" + field["aria-describedby"]).get_text(strip=True).endswith("(ohne Buchstaben).")
    person.page(2, {"einbruch_schaden": "1.500"})
    response = person.page(3, {"geburtsjahr": "2015", "haushalt": "0", "geschlecht": "7"})
    messages = [a.get_text(strip=True) for a in soup(response).select(".error-summary a")]
    assert messages == [
        "Frage 7: Bitte wählen Sie eine der angebotenen Antworten.",
        "Frage 8: Das Geburtsjahr muss zwischen 1920 und 2009 liegen (die Befragung richtet sich an Personen ab 16 Jahren).",
        "Frage 9: Bitte geben Sie eine Zahl von 1 bis 20 ein.",
    ]
    assert [a["href"] for a in soup(response).select(".error-summary a")] == [
        "#f-geschlecht-1", "#f-geburtsjahr", "#f-haushalt"]


def test_resume_with_the_same_code_in_a_new_session(app, folder, codes):
    first = Respondent(app.test_client())
    first.enter(codes[1])
    first.page(0, PAGE_1)
    saved = first.page(1, {"opfer_fahrrad": "1"}, action="speichern")
    assert "Ihre Angaben sind gespeichert" in saved.get_data(as_text=True)
    assert first.get("/seite/0").status_code == 303  # the session no longer holds the entry
    second = Respondent(app.test_client())
    response = second.enter(codes[1].lower().replace("-", " "))
    assert shown(response) == "/seite/1"
    page = soup(second.get("/seite/1"))
    assert page.select_one("#f-opfer_fahrrad-1").has_attr("checked")
    assert soup(second.get("/seite/0")).select_one("#f-ortsteil-2").has_attr("checked")
    second.page(1, {"opfer_fahrrad": "1", "opfer_einbruch": "2"})
    second.page(2, {"anzeige_fahrrad": "1"})
    second.page(3, {})
    second.post("/abschluss")
    frame = stored(folder)
    assert len(frame) == 1 and frame.iloc[0]["sicher_nacht"] == 3 and frame.iloc[0]["anzeige_fahrrad"] == 1
    with sqlite3.connect(folder / "antworten.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0


def test_used_code_is_refused(app, folder, codes):
    person = Respondent(app.test_client())
    person.enter(codes[2])
    person.post("/abschluss")
    assert len(stored(folder)) == 1
    again = Respondent(app.test_client())
    page = soup(again.enter(codes[2]))
    assert "bereits für einen abgeschickten Fragebogen verwendet" in page.select_one(".error-summary").get_text()
    assert again.get("/seite/0").status_code == 303
    # A second tab of the first session cannot submit again either.
    assert person.post("/abschluss").status_code in (200, 303)
    assert len(stored(folder)) == 1


def test_wrong_codes_are_limited_per_client_and_in_memory(folder, codes):
    limits = Limits(codes=ClientLimiter(max_failures=10, window=300))
    app = create_app(folder, secure_cookies=False, limits=limits)
    attacker = Respondent(app.test_client())
    guesses = [generate_code() for _ in range(20)]
    here = {"environ_base": {"REMOTE_ADDR": "198.51.100.7"}}
    statuses = [attacker.post("/", {"code": guess}, **here).status_code for guess in guesses]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429] * 10
    assert "Zu viele Fehlversuche von Ihrem Anschluss" in attacker.last.get_data(as_text=True)
    # Even the right code is refused from that address while it waits, fresh cookies or not ...
    assert Respondent(app.test_client()).post("/", {"code": codes[0]}, **here).status_code == 429
    # ... but another address is not affected, and nothing is kept in the cookie.
    other = Respondent(app.test_client())
    assert shown(other.post("/", {"code": codes[0]}, environ_base={"REMOTE_ADDR": "198.51.100.8"})) == "/seite/0"
    assert "fails" not in attacker.last.headers.get("Set-Cookie", "")
    # Typing errors (caught by the check character) never count.
    typo = codes[1][:-1] + ("2" if codes[1][-1] != "2" else "3")
    for _ in range(12):
        Respondent(app.test_client()).post("/", {"code": typo}, environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert limits.codes.failures("198.51.100.9") == 0


def test_ipv6_clients_are_limited_by_their_64_prefix(folder, codes):
    limits = Limits(codes=ClientLimiter(max_failures=3, window=300))
    app = create_app(folder, secure_cookies=False, limits=limits)
    for suffix in ("1", "2", "3"):
        Respondent(app.test_client()).post("/", {"code": generate_code()},
                                           environ_base={"REMOTE_ADDR": f"2001:db8:1:2::{suffix}"})
    same_prefix = Respondent(app.test_client()).post("/", {"code": codes[0]},
                                                     environ_base={"REMOTE_ADDR": "2001:db8:1:2::99"})
    other_prefix = Respondent(app.test_client()).post("/", {"code": codes[0]},
                                                      environ_base={"REMOTE_ADDR": "2001:db8:1:3::1"})
    assert same_prefix.status_code == 429 and shown(other_prefix) == "/seite/0"


def test_many_guessing_clients_slow_the_code_check_down_but_do_not_block_it(folder, codes):
    limits = Limits(code_gate=GlobalGate(free_failures=30, window=600, slow_rate=20.0, max_wait=5.0))
    app = create_app(folder, secure_cookies=False, limits=limits)
    for number in range(40):  # 40 addresses, 1 wrong code each: no single client is limited
        Respondent(app.test_client()).post("/", {"code": generate_code()},
                                           environ_base={"REMOTE_ADDR": f"203.0.113.{number}"})
    assert limits.code_gate.slowed
    import time

    started = time.monotonic()
    response = Respondent(app.test_client()).post("/", {"code": codes[0]},
                                                  environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert shown(response) == "/seite/0" and time.monotonic() - started < 2.0


def test_post_without_or_with_wrong_csrf_token_is_400(app, codes):
    client = app.test_client()
    client.get("/")
    assert client.post("/", data={"code": codes[0]}).status_code == 400
    assert client.post("/", data={"code": codes[0], "csrf_token": "falsch"}).status_code == 400
    person = Respondent(app.test_client())
    person.enter(codes[0])
    assert person.client.post("/seite/0", data=PAGE_1).status_code == 400
    assert person.client.post("/abschluss").status_code == 400
    assert person.client.post("/coach/anmelden", data={"passwort": COACH_PASSWORD}).status_code == 400
    assert "abgelaufen" in person.client.post("/abschluss").get_data(as_text=True)


def test_free_text_is_escaped_everywhere(app, folder, codes):
    person = Respondent(app.test_client())
    response = person.enter(XSS)
    assert "<script>" not in response.get_data(as_text=True)
    person.enter(codes[0])
    person.page(0, PAGE_1)
    person.page(1, {"opfer_fahrrad": "2", "opfer_einbruch": "1"})
    bad = person.page(2, {"einbruch_schaden": XSS})
    assert "<script>" not in bad.get_data(as_text=True) and "&lt;script&gt;" in bad.get_data(as_text=True)
    person.page(2, {"einbruch_schaden": "100"})
    response = person.page(3, {**PERSON, "anmerkung": XSS, "haushalt": "x"})
    assert response.status_code == 422 and "<script>" not in response.get_data(as_text=True)
    assert soup(response).select_one("#f-anmerkung").get_text() == XSS
    person.page(3, {**PERSON, "anmerkung": XSS}, action="speichern")
    person2 = Respondent(app.test_client())
    person2.enter(codes[0])
    for url in ("/seite/0", "/seite/1", "/seite/2", "/seite/3", "/abschluss"):
        text = person2.get(url).get_data(as_text=True)
        assert "<script>" not in text and "<b>fett" not in text
    person2.page(3, {**PERSON, "anmerkung": XSS})
    person2.post("/abschluss")
    assert stored(folder).iloc[0]["anmerkung"] == XSS  # stored as typed, escaped on output
    coach = Respondent(app.test_client())
    coach.post("/coach/anmelden", {"passwort": COACH_PASSWORD})
    for url in ("/coach/", "/coach/ruecklauf", "/danke"):
        text = coach.get(url).get_data(as_text=True)
        assert "<script>" not in text and "fett" not in text


def test_coach_keys_in_a_paper_questionnaire(app, folder):
    coach = Respondent(app.test_client())
    assert coach.post("/coach/neu").headers["Location"].endswith("/coach/")  # not signed in
    wrong = coach.post("/coach/anmelden", {"passwort": "falsch"})
    assert "Das Passwort ist falsch." in wrong.get_data(as_text=True)
    assert coach.post("/coach/anmelden", {"passwort": COACH_PASSWORD}).headers["Location"].endswith("/coach/")
    assert coach.post("/coach/neu").headers["Location"].endswith("/seite/0")
    page = soup(coach.get("/seite/0"))
    assert "Papierfragebogen" in page.select_one(".notice.paper").get_text()
    coach.page(0, {**PAGE_1, "ortsteil": "1"})
    invalid = coach.page(1, {"opfer_fahrrad": "5"})
    assert invalid.status_code == 422  # same validation as online
    coach.page(1, {"opfer_fahrrad": "1", "opfer_einbruch": "1"})
    coach.page(2, {"anzeige_fahrrad": "1", "anzeige_einbruch": "2", "einbruch_schaden": "2500"})
    coach.page(3, PERSON)
    response = coach.post("/abschluss")
    assert response.headers["Location"].endswith("/coach/")
    assert "Der Papierfragebogen wurde gespeichert." in coach.get("/coach/").get_data(as_text=True)
    frame = stored(folder)
    assert list(frame["modus"]) == ["papier"]
    assert frame.iloc[0]["einbruch_schaden"] == 2500 and frame.iloc[0]["ortsteil"] == 1
    coach.post("/coach/abmelden")
    assert coach.get("/coach/ruecklauf").headers["Location"].endswith("/coach/")


def test_returns_page_shows_counts_only(app, folder, codes):
    for code, area in zip(codes[:2], ("1", "2")):
        person = Respondent(app.test_client())
        person.enter(code)
        person.page(0, {**PAGE_1, "ortsteil": area})
        person.page(1, {}, action="speichern")
        person = Respondent(app.test_client())
        person.enter(code)
        person.page(3, {**PERSON, "anmerkung": "Geheimer Freitext 4711"})
        person.post("/abschluss")
    coach = Respondent(app.test_client())
    coach.post("/coach/anmelden", {"passwort": COACH_PASSWORD})
    coach.post("/coach/neu")
    coach.page(0, {"ortsteil": "1"})
    coach.post("/abschluss")
    page = soup(coach.get("/coach/ruecklauf"))
    tables = page.select("table.counts")
    rows = [[cell.get_text(strip=True) for cell in row.select("th, td")] for row in tables[1].select("tbody tr")]
    assert rows == [["Altstadt", "1", "1", "2"], ["Nord", "1", "0", "1"]]
    assert len(tables[0].select("tbody tr")) == 1
    text = page.get_text(" ")
    assert "Ausgegebene Zugangscodes 4" in text and "Rücklaufquote online 50,0\u00a0%" in text
    assert "4711" not in text and "1970" not in text and "Geheimer" not in text


def test_security_headers_and_cookie_flags(folder, codes):
    app = create_app(folder, secure_cookies=True)
    response = app.test_client().get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src" not in csp and "default-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie
    assert "<script" not in response.get_data(as_text=True) and "style=" not in response.get_data(as_text=True)


def test_store_holds_no_code_no_link_and_no_address(app, folder, codes):
    person = Respondent(app.test_client())
    person.enter(codes[3])
    person.page(0, PAGE_1)
    person.page(1, {"opfer_fahrrad": "2"}, action="speichern")  # a sealed draft on disk
    person = Respondent(app.test_client())
    person.enter(codes[3])
    person.post("/abschluss", environ_base={"REMOTE_ADDR": "203.0.113.77"})
    raw = b"".join(path.read_bytes() for path in folder.glob("antworten.sqlite*"))
    for code in codes:
        assert code.encode() not in raw and code.replace("-", "").encode() not in raw
    assert b"203.0.113.77" not in raw
    with sqlite3.connect(folder / "antworten.sqlite") as db:
        salt = db.execute("SELECT value FROM meta WHERE key = 'code_salt'").fetchone()[0]
        tables = {row[0]: [c[1] for c in db.execute(f"PRAGMA table_info({row[0]})")]
                  for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        hashes = [row[0] for row in db.execute("SELECT hash FROM codes")]
        drafts = db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0]
    assert tables == {"meta": ["key", "value"], "stapel": ["nr", "ausgegeben", "tag"],
                      "codes": ["nr", "hash", "stapel"], "drafts": ["draft_id", "data"], "slots": ["nr", "data"]}
    used = derive_keys(codes[3], salt)
    assert used.lookup not in hashes and len(hashes) == 3 and drafts == 0
    for value in (used.lookup, used.draft_id):
        assert value.encode() not in raw and bytes.fromhex(value) not in raw
    frame = stored(folder)
    assert set(frame.dropna(axis=1).columns) == {"resp_id", "modus", "sprache", "opfer_fahrrad", *PAGE_1}
    assert list(frame["sprache"]) == ["de"]
    assert not any(h[:12] in frame.iloc[0]["resp_id"] for h in hashes)


def test_every_page_gets_its_documented_context(app, codes):
    seen: dict[str, set[str]] = {}

    def record(sender, template, context, **extra):
        seen[template.name] = set(context)

    expected = {
        "start.html": StartContext, "page.html": PageContext, "review.html": ReviewContext,
        "message.html": MessageContext, "coach_login.html": CoachLoginContext,
        "coach_home.html": CoachHomeContext, "coach_returns.html": ReturnsContext,
        "privacy.html": PrivacyContext,
    }
    with template_rendered.connected_to(record, app):
        person = Respondent(app.test_client())
        person.enter(codes[0])
        person.get("/seite/0")
        person.get("/abschluss")
        person.get("/danke")
        person.get("/datenschutz")
        coach = Respondent(app.test_client())
        coach.get("/coach/")
        coach.post("/coach/anmelden", {"passwort": COACH_PASSWORD})
        coach.get("/coach/")
        coach.get("/coach/ruecklauf")
    assert set(seen) == set(expected)
    flask_globals = {"g", "request", "session", "config", "get_flashed_messages", "url_for"}
    for name, context_class in expected.items():
        assert seen[name] - flask_globals == context_fields(context_class), name


def test_unknown_page_and_missing_entry_redirect_to_start(app):
    client = app.test_client()
    assert client.get("/seite/0").headers["Location"].endswith("/")
    assert client.get("/nichts").status_code == 404
    assert "Seite nicht gefunden" in client.get("/nichts").get_data(as_text=True)


def test_coach_password_is_stored_hashed(app, folder):
    with sqlite3.connect(folder / "antworten.sqlite") as db:
        value = db.execute("SELECT value FROM meta WHERE key = 'coach_passwort'").fetchone()[0]
    assert value.startswith("scrypt$") and COACH_PASSWORD not in value
    assert csrf_of(app.test_client().get("/coach/"))
