"""Fieldwork close-out, print-shop list warnings, the privacy notice, and hardening details."""

from __future__ import annotations

import re
import sqlite3

import pytest
from click.testing import CliRunner

from linking_attack import attack
from survey.cli import cli
from survey.folder import load_folder
from survey.init_folder import write_analysis_folder
from survey.privacy_notice import missing_warning, privacy_notice
from survey.store import read_responses
from survey.web import create_app
from test_web_helpers import COACH_PASSWORD, Respondent, issue, make_folder, shown, soup

PERSON = {"geschlecht": "2", "geburtsjahr": "1970", "haushalt": "3", "anmerkung": "Mehr Licht"}


@pytest.fixture()
def folder(tmp_path):
    return make_folder(tmp_path)


def fieldwork(folder):
    """3 codes: one submitted, one with a saved draft, one unused; plus one paper questionnaire."""
    codes = issue(folder, 3)
    app = create_app(folder, coach_password=COACH_PASSWORD, secure_cookies=False)
    person = Respondent(app.test_client())
    person.enter(codes[0])
    person.page(3, PERSON)
    person.post("/abschluss")
    saver = Respondent(app.test_client())
    saver.enter(codes[1])
    saver.page(0, {"ortsteil": "1"}, action="speichern")
    coach = Respondent(app.test_client())
    coach.post("/coach/anmelden", {"passwort": COACH_PASSWORD})
    coach.post("/coach/neu")
    coach.page(0, {"ortsteil": "2"})
    coach.post("/abschluss")
    app.extensions["survey"].store.close()
    return codes


def test_close_out_deletes_codes_drafts_lists_and_letters_and_writes_a_protocol(folder):
    codes = fieldwork(folder)
    print_list = folder / "anschreiben" / "druckerei-stapel-1.csv"
    before = attack(folder, print_list)
    assert set(before.drafts_opened) == {codes[1]}  # while the list exists, a saved draft is readable
    kept_list = print_list.read_bytes()
    result = CliRunner().invoke(cli, ["feldphase-abschliessen", str(folder), "--ja"])
    assert result.exit_code == 0, result.output
    assert "2 nicht benutzte Zugangscodes (von 3 ausgegebenen)" in result.output
    assert "1 gespeicherter, nicht abgeschickter Zwischenstand" in result.output
    assert "2 abgeschickte Fragebögen bleiben erhalten" in result.output
    assert "Druckerei-Liste anschreiben/druckerei-stapel-1.csv (3 Codes)" in result.output
    assert not list((folder / "anschreiben").glob("*"))
    protocol = (folder / "ergebnis" / "feldphase-protokoll.txt").read_text(encoding="utf-8")
    for text in ("Protokoll: Abschluss der Feldphase", "Befragung: Musterstadt 2025",
                 "- Zugangscodes: 2 nicht benutzte Codes. Von 3 ausgegebenen Codes wurde 1 benutzt und schon bei",
                 "- Zwischenstände (nicht abgeschickte Fragebögen): 1",
                 "- Druckerei-Liste anschreiben/druckerei-stapel-1.csv",
                 "- Anschreiben anschreiben/anschreiben-stapel-1.pdf",
                 "mit Nullen überschrieben und gelöscht", "- 2 abgeschickte Fragebögen",
                 "Kopien der Druckerei-Liste bei der Druckerei"):
        assert text in protocol, text
    assert re.search(r"Abgeschlossen am: \d\d\.\d\d\.\d{4}", protocol)
    with sqlite3.connect(folder / "antworten.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM codes").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0
        meta = dict(db.execute("SELECT key, value FROM meta"))
    assert not {"code_salt", "secret_key", "coach_passwort"} & set(meta)
    assert meta["codes_ausgegeben"] == "3" and meta["codes_benutzt"] == "1"
    frame = read_responses(folder)
    assert sorted(frame["modus"]) == ["online", "papier"] and "Mehr Licht" in set(frame["anmerkung"])
    # Even with a copy of the print-shop list kept elsewhere, nothing links any more (the salt is gone
    # too; the attacker tries a guessed one).
    (folder.parent / "kopie.csv").write_bytes(kept_list)
    with sqlite3.connect(folder / "antworten.sqlite") as db:
        db.execute("INSERT INTO meta VALUES ('code_salt', '00')")
    after = attack(folder, folder.parent / "kopie.csv")
    assert after.links == {} and after.drafts_opened == {} and after.hashes_found == set()


def test_after_close_out_nothing_new_is_accepted(folder):
    fieldwork(folder)
    CliRunner().invoke(cli, ["feldphase-abschliessen", str(folder), "--ja"])
    for args in (["codes", str(folder), "--anzahl", "1"], ["serve", str(folder), "--prozesse", "1"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1 and "Die Feldphase dieses Analyseordners wurde am" in result.output
    again = CliRunner().invoke(cli, ["feldphase-abschliessen", str(folder), "--ja"])
    assert again.exit_code == 0 and "bereits am" in again.output


def test_close_out_asks_first_and_a_no_deletes_nothing(folder):
    fieldwork(folder)
    result = CliRunner().invoke(cli, ["feldphase-abschliessen", str(folder)], input="nein\n")
    assert result.exit_code == 1 and "Abgebrochen; nichts wurde gelöscht." in result.output
    assert (folder / "anschreiben" / "druckerei-stapel-1.csv").exists()
    result = CliRunner().invoke(cli, ["feldphase-abschliessen", str(folder)], input="ja\n")
    assert result.exit_code == 0 and not (folder / "anschreiben" / "druckerei-stapel-1.csv").exists()


def test_print_list_warnings_until_it_is_deleted(folder):
    issue(folder, 2)
    warning = "Warnung: Die Druckerei-Liste liegt noch im Analyseordner (druckerei-stapel-1.csv)"
    pruefen = CliRunner().invoke(cli, ["pruefen", str(folder)])
    assert warning in pruefen.output
    result = CliRunner().invoke(cli, ["druckliste-loeschen", str(folder)])
    assert result.exit_code == 0 and "Gelöscht (überschrieben):" in result.output
    assert not (folder / "anschreiben" / "druckerei-stapel-1.csv").exists()
    assert (folder / "anschreiben" / "anschreiben-stapel-1.pdf").exists()  # letters are kept until close-out
    assert warning not in CliRunner().invoke(cli, ["pruefen", str(folder)]).output
    assert "Keine Druckerei-Liste gefunden." in CliRunner().invoke(cli, ["druckliste-loeschen", str(folder)]).output


def test_privacy_notice_from_the_config_on_the_start_and_privacy_pages(folder):
    issue(folder, 1)
    app = create_app(folder, secure_cookies=False)
    client = app.test_client()
    start = soup(client.get("/"))
    summary = start.select_one(".privacy-summary").get_text(" ", strip=True)
    assert "Verantwortlich: Stadt Musterstadt, Markt 1, 01234 Musterstadt." in summary
    assert start.select_one(".privacy-summary a")["href"] == "/datenschutz"
    page = soup(client.get("/datenschutz"))
    headings = [h2.get_text(strip=True) for h2 in page.select("main h2")]
    assert headings == ["Verantwortliche Stelle", "Datenschutzbeauftragte oder Datenschutzbeauftragter",
                        "Zweck und Rechtsgrundlage", "Welche Daten gespeichert werden", "Empfänger",
                        "Speicherdauer", "Ihre Rechte", "Freiwilligkeit"]
    text = page.get_text(" ", strip=True)
    for fact in ("Kontakt: befragung@musterstadt.example", "datenschutz@musterstadt.example",
                 "Art. 6 Abs. 1 Buchst. a DSGVO", "Aufsichtsbehörde",
                 "Es werden keine IP-Adressen gespeichert", "Art. 11 DSGVO"):
        assert fact in text, fact
    assert soup(client.get("/")).select_one("footer a")["href"] == "/datenschutz"


def test_missing_privacy_facts_are_named(tmp_path):
    folder = make_folder(tmp_path)
    text = (folder / "analyse.yaml").read_text(encoding="utf-8")
    text = re.sub(r"datenschutz:\n(  .*\n)+", "", text)
    text = re.sub(r"  absender: .*\n", "", text)
    (folder / "analyse.yaml").write_text(text, encoding="utf-8")
    notice = privacy_notice(load_folder(folder).config)
    assert notice.missing == ("verantwortlich", "datenschutzbeauftragter")
    assert missing_warning(notice) == (
        "Hinweis: In analyse.yaml fehlt »datenschutz: verantwortlich« und »datenschutz: datenschutzbeauftragter«; "
        "die Datenschutzhinweise (Art. 13 DSGVO) sind ohne diese Angabe unvollständig.")
    result = CliRunner().invoke(cli, ["codes", str(folder), "--anzahl", "1"])
    assert result.exit_code == 0 and "In analyse.yaml fehlt »datenschutz: verantwortlich«" in result.output


def test_the_init_template_documents_every_privacy_key(tmp_path):
    written = write_analysis_folder(tmp_path / "neu", "Neustadt", "14599002", 2026)
    path = next(p for p in written if p.name == "analyse.yaml")
    text = path.read_text(encoding="utf-8")
    block = re.search(r"# datenschutz:\n((?:#   .*\n)+)", text)
    keys = re.findall(r"#   (\w+):", block.group(1))
    assert keys == ["verantwortlich", "kontakt", "datenschutzbeauftragter", "zweck", "rechtsgrundlage",
                    "empfaenger", "speicherdauer", "aufsichtsbehoerde"]
    uncommented = "datenschutz:\n" + block.group(1).replace("#   ", "  ")
    path.write_text(text.replace(block.group(0), uncommented), encoding="utf-8")
    notice = privacy_notice(load_folder(path.parent).config)
    assert notice.missing == () and "Neustadt" in notice.sections[0].paragraphs[0]


def test_paper_form_for_a_folder_ends_with_the_privacy_notice(folder, tmp_path):
    import subprocess

    target = tmp_path / "papier.pdf"
    result = CliRunner().invoke(cli, ["fragebogen", "papier", "--ordner", str(folder), "--ziel", str(target)])
    assert result.exit_code == 0, result.output
    pages = int(re.search(r"\((\d+) Seiten", result.output).group(1))
    last = subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), str(target), "-"],
                          capture_output=True, text=True, check=True).stdout
    last = " ".join(last.split())
    assert "Seite 3 von 3 Datenschutzhinweise zur Bürgerbefragung Verantwortliche Stelle" in last
    assert "datenschutz@musterstadt.example" in last and "Frage 1" not in last
    plain = CliRunner().invoke(cli, ["fragebogen", "papier", str(folder / "fragebogen.yaml"), "--kommune", "X",
                                     "--ziel", str(tmp_path / "ohne.pdf")])
    assert "Hinweis: ohne Datenschutzhinweise" in plain.output
    both = CliRunner().invoke(cli, ["fragebogen", "papier", "x.yaml", "--ordner", str(folder)])
    assert both.exit_code == 2 and "bitte DATEI, --kommune, --ortsteil und --jahr dann weglassen" in both.output


def test_a_4301_digit_number_gets_a_german_message_not_an_error_500(folder):
    codes = issue(folder, 1)
    app = create_app(folder, secure_cookies=False)
    person = Respondent(app.test_client())
    person.enter(codes[0])
    person.page(0, {"ortsteil": "1"})
    person.page(1, {"opfer_fahrrad": "2", "opfer_einbruch": "1"})
    for value in ("9" * 4301, "1" * 400 + ",5", "-" + "9" * 5000):
        response = person.page(2, {"einbruch_schaden": value})
        assert response.status_code == 422
        messages = [a.get_text(strip=True) for a in soup(response).select(".error-summary a")]
        assert messages == ["Frage 6: Die Zahl ist zu lang; bitte höchstens 12 Ziffern eingeben."]
        assert len(soup(response).select_one("#f-einbruch_schaden")["value"]) <= 40
    response = person.page(3, {"haushalt": "7" * 4301, "geburtsjahr": "1" * 4301, "geschlecht": "1" * 4301})
    messages = [a.get_text(strip=True) for a in soup(response).select(".error-summary a")]
    assert messages == ["Frage 7: Bitte wählen Sie eine der angebotenen Antworten.",
                        "Frage 8: Die Zahl ist zu lang; bitte höchstens 12 Ziffern eingeben.",
                        "Frage 9: Die Zahl ist zu lang; bitte höchstens 12 Ziffern eingeben."]


@pytest.mark.parametrize("path", ["/static//x", "//x", "/static//form.css", "/coach", "/coach//", "/seite/0/",
                                  "/./seite/0", "/datenschutz/", "/%2e%2e/etc/passwd"])
def test_no_redirect_reflects_the_host_header(folder, path):
    app = create_app(folder, secure_cookies=False)
    response = app.test_client().get(path, headers={"Host": "angreifer.example"})
    assert "angreifer" not in response.headers.get("Location", "")
    assert "angreifer" not in response.get_data(as_text=True)
    assert response.status_code in (200, 303, 404)


def test_static_files_are_served_with_security_headers(folder):
    app = create_app(folder, secure_cookies=False)
    response = app.test_client().get("/static/form.css")
    assert response.status_code == 200 and response.headers["X-Content-Type-Options"] == "nosniff"
    assert app.test_client().get("/static//form.css").status_code == 404


def test_the_next_page_comes_directly_only_when_it_reveals_nothing(folder):
    codes = issue(folder, 1)
    app = create_app(folder, secure_cookies=False)
    person = Respondent(app.test_client())
    first = person.enter(codes[0])  # sets the session cookie: always a redirect
    assert first.status_code == 303 and person.get("/seite/0").headers["Cache-Control"] == "no-store"
    direct = person.page(0, {"ortsteil": "1"})
    assert direct.status_code == 200 and shown(direct) == "/seite/1"
    assert direct.headers["Cache-Control"] == "private, no-cache"
    # The follow-up page only exists because of an answer: never cacheable, reached by redirect.
    follow_up = person.page(1, {"opfer_fahrrad": "1"})
    assert follow_up.status_code == 303 and follow_up.headers["Location"] == "/seite/2"
    assert person.get("/seite/2").headers["Cache-Control"] == "no-store"
    # Back to a page with saved answers: redirect, no-store.
    back = person.page(2, {}, action="zurueck")
    assert back.status_code == 303 and person.get("/seite/1").headers["Cache-Control"] == "no-store"
    again = person.page(1, {"opfer_fahrrad": "1"})
    assert again.status_code == 303  # page 2 now holds saved answers: no-store
