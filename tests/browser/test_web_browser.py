"""End-to-end: the questionnaire in headless Chromium (Playwright) against waitress on loopback.

Uses Debian's chromium (``apt-get install chromium chromium-driver``), not ``playwright install``;
see ``conftest.py``. JavaScript is off, as the form needs none.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from live_server import run_server
from survey.store import read_responses
from survey.web import create_app
from test_web_helpers import COACH_PASSWORD, issue, make_folder

pytestmark = pytest.mark.browser


@pytest.fixture()
def site(tmp_path):
    folder = make_folder(tmp_path)
    codes = issue(folder, 4)
    app = create_app(folder, coach_password=COACH_PASSWORD, secure_cookies=False)
    base, stop = run_server(app)
    yield base, folder, codes
    stop()


@pytest.fixture()
def page(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def enter_code(page, base, code):
    page.goto(base + "/")
    page.get_by_label("Ihr Zugangscode").fill(code)
    page.get_by_role("button", name="Befragung beginnen").click()


def test_complete_questionnaire_with_filters_and_validation(site, page):
    base, folder, codes = site
    enter_code(page, base, codes[0].lower().replace("-", " "))
    assert page.locator("#fortschritt-text").inner_text() == "Seite 1 von 4"
    page.get_by_label("Nord").check()
    page.locator("#f-sicher_nacht-3").check()
    page.locator("#f-sorge_einbruch-4").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.locator("#f-opfer_fahrrad-2").check()
    page.locator("#f-opfer_einbruch-1").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    # Only the burglary row of the report question, and the damage question.
    assert page.locator("fieldset.grid-row legend").all_inner_texts() == ["Einbruch"]
    page.get_by_label("Wie hoch war der Schaden").fill("viel")
    page.get_by_role("button", name="Weiter", exact=True).click()
    summary = page.locator(".error-summary")
    assert "Bitte geben Sie nur eine Zahl ein" in summary.inner_text()
    summary.get_by_role("link").click()
    assert page.url.endswith("#f-einbruch_schaden")
    page.get_by_label("Wie hoch war der Schaden").fill("2.000")
    page.locator("#f-anzeige_einbruch-1").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_label("In welchem Jahr sind Sie geboren?").fill("1961")
    page.get_by_label("Mehr Beleuchtung").check()
    page.get_by_label("Möchten Sie uns noch etwas mitteilen?").fill("<i>Danke</i>")
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_role("button", name="Antworten absenden").click()
    assert page.get_by_role("heading", name="Vielen Dank!").is_visible()
    row = read_responses(folder).iloc[0]
    assert (row["ortsteil"], row["opfer_einbruch"], row["anzeige_einbruch"], row["einbruch_schaden"]) == (2, 1, 1, 2000)
    assert row["anmerkung"] == "<i>Danke</i>" and row["modus"] == "online"


def test_resume_and_used_code(site, page, browser):
    base, folder, codes = site
    enter_code(page, base, codes[1])
    page.get_by_label("Altstadt").check()
    page.get_by_role("button", name="Speichern und später weitermachen").click()
    assert page.get_by_role("heading", name="Ihre Angaben sind gespeichert").is_visible()
    other = browser.new_context(java_script_enabled=False).new_page()
    enter_code(other, base, codes[1])
    assert other.get_by_label("Altstadt").is_checked()
    for _ in range(3):  # pages 1, 2 and 4; page 3 (reporting) is skipped: no offence
        other.get_by_role("button", name="Weiter", exact=True).click()
    other.get_by_role("button", name="Antworten absenden").click()
    assert other.get_by_role("heading", name="Vielen Dank!").is_visible()
    enter_code(page, base, codes[1])
    assert "bereits für einen abgeschickten Fragebogen verwendet" in page.locator(".error-summary").inner_text()
    assert len(read_responses(folder)) == 1
    other.context.close()


def test_coach_entry_and_returns(site, page):
    base, folder, _ = site
    page.goto(base + "/coach/")
    page.get_by_label("Passwort").fill(COACH_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("button", name="Neuen Papierfragebogen erfassen").click()
    assert "Papierfragebogen" in page.locator(".notice.paper").inner_text()
    page.get_by_label("Altstadt").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.locator("#f-opfer_fahrrad-1").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.locator("#f-anzeige_fahrrad-2").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_label("In welchem Jahr sind Sie geboren?").fill("1890")
    page.get_by_role("button", name="Weiter", exact=True).click()
    assert "Das Geburtsjahr muss zwischen 1920 und 2009 liegen" in page.locator(".error-summary").inner_text()
    page.get_by_label("In welchem Jahr sind Sie geboren?").fill("1950")
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_role("button", name="Antworten absenden").click()
    assert "Der Papierfragebogen wurde gespeichert." in page.locator("main").inner_text()
    page.get_by_role("link", name="Rücklauf ansehen").click()
    text = page.locator("main").inner_text()
    assert "Altstadt" in text and "1950" not in text
    frame = read_responses(folder)
    assert list(frame["modus"]) == ["papier"] and frame.iloc[0]["anzeige_fahrrad"] == 2


def test_back_button_shows_the_previous_page_with_what_was_typed(site, page):
    base, folder, codes = site
    enter_code(page, base, codes[3])
    page.get_by_label("Nord").check()
    page.locator("#f-sicher_nacht-2").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    assert page.locator("h1").inner_text() == "Erfahrungen mit Straftaten"
    page.go_back()  # a page answered by POST: the browser shows it from its cache, no resubmission
    assert page.locator("h1").inner_text() == "Ihr Wohnort"
    assert page.get_by_label("Nord").is_checked() and page.locator("#f-sicher_nacht-2").is_checked()
    page.get_by_label("Altstadt").check()
    page.get_by_role("button", name="Weiter", exact=True).click()  # a changed answer is saved again
    # After a back navigation Chromium may still be swapping the page when click() returns;
    # reloading then fails with "Not attached to an active page". Wait until the next page is shown.
    expect(page.locator("h1")).to_have_text("Erfahrungen mit Straftaten")
    page.wait_for_load_state("load")
    page.reload()  # reload re-sends the same answers: harmless
    assert page.locator("h1").inner_text() == "Erfahrungen mit Straftaten"
    page.locator("#f-opfer_fahrrad-2").check()
    page.locator("#f-opfer_einbruch-2").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_role("button", name="Antworten absenden").click()
    assert page.get_by_role("heading", name="Vielen Dank!").is_visible()
    row = read_responses(folder).iloc[0]
    assert (row["ortsteil"], row["sicher_nacht"], row["opfer_einbruch"]) == (1, 2, 2)


def test_wide_layout_shows_the_grid_header(site, browser):
    base, _, codes = site
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    enter_code(page, base, codes[2])
    # On wide screens the grid header is shown and the per-option text is visually hidden but present.
    assert page.locator(".grid-head").first.is_visible()
    assert page.get_by_role("radio", name="sehr stark").count() == 2
    context.close()
