"""Accessibility of every page of the web form: axe-core, keyboard-only completion, 360 px phones.

axe-core (``axe-playwright-python``) runs on each page a citizen or coach can reach — start page
(also with a wrong code), every section page of the shipped standard questionnaire (with all
follow-up pages), a page with validation errors, review, thank-you, the "saved" and "already sent"
messages, the privacy notice, error pages, coach sign-in (also failed), coach home, paper entry and
Rücklauf — at a phone width of 360 px, where no page may scroll sideways. No violation of impact
"serious" or "critical" is allowed. The keyboard test answers a whole questionnaire with Tab,
Space, arrow keys, typing and Enter only.
"""

from __future__ import annotations

import re

import pytest

from live_server import run_server
from survey.store import read_responses
from survey.web import create_app
from test_web_helpers import COACH_PASSWORD, issue, make_folder

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
BLOCKING = ("serious", "critical")


def standard_folder(tmp_path):
    (tmp_path / "standard").mkdir()
    folder = make_folder(tmp_path / "standard")
    config = folder / "analyse.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("fragebogen: fragebogen.yaml",
                                                                 "fragebogen: sicherheitsanalyse-standard"),
                      encoding="utf-8")
    return folder


@pytest.fixture()
def standard_site(tmp_path):
    folder = standard_folder(tmp_path)
    codes = issue(folder, 3)
    base, stop = run_server(create_app(folder, coach_password=COACH_PASSWORD, secure_cookies=False))
    yield base, folder, codes
    stop()


@pytest.fixture()
def small_site(tmp_path):
    (tmp_path / "klein").mkdir()
    folder = make_folder(tmp_path / "klein")
    codes = issue(folder, 3)
    base, stop = run_server(create_app(folder, coach_password=COACH_PASSWORD, secure_cookies=False))
    yield base, folder, codes
    stop()


class Checker:
    """Runs axe and the 360 px check on the current page; collects every problem with its page."""

    def __init__(self, page):
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.axe = Axe()
        self.problems: list[str] = []
        self.checked: list[str] = []

    def __call__(self, name: str) -> None:
        self.checked.append(name)
        results = self.axe.run(self.page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [node["target"] for node in violation["nodes"][:3]]
                self.problems.append(f"{name}: {violation['id']} ({violation['impact']}) {targets}")
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            self.problems.append(f"{name}: {width} px breit bei {PHONE['width']} px Bildschirm")


def first_options(page, victim: bool) -> None:
    """Answer the page with the first option everywhere ("ja" for victimisation: all follow-ups)."""
    for name in dict.fromkeys(page.eval_on_selector_all("input[type=radio]", "els => els.map(e => e.name)")):
        options = page.locator(f"input[name='{name}']")
        index = 0 if victim or not name.startswith("opfer") else 1
        options.nth(index).check()
    for field in page.locator("input.number-input").all():
        field.fill("2")
    for field in page.locator("input.year-input").all():
        field.fill("1970")


def test_every_page_passes_axe_and_fits_a_phone(standard_site, small_site, browser):
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    check = Checker(page)
    base, folder, codes = standard_site
    page.goto(base + "/")
    check("Startseite")
    page.fill("#code", "ABCDE-FGHJK-MNP2R")
    page.get_by_role("button", name="Befragung beginnen").click()
    check("Startseite mit Fehlermeldung")
    page.fill("#code", codes[0])
    page.get_by_role("button", name="Befragung beginnen").click()
    titles = []
    while page.locator("#fortschritt-text").count():
        titles.append(page.locator("h1").inner_text())
        check(f"{page.locator('#fortschritt-text').inner_text()}: {titles[-1]}")
        first_options(page, victim=True)
        page.get_by_role("button", name="Weiter", exact=True).click()
    assert len(titles) >= 15 and "Angaben zur Person" in titles[-1]
    check("Absenden")
    page.get_by_role("button", name="Antworten absenden").click()
    check("Danke")
    for path, name in (("/datenschutz", "Datenschutzhinweise"), ("/gibt-es-nicht", "Fehlerseite 404")):
        page.goto(base + path)
        check(name)
    page.goto(base + "/")
    page.fill("#code", codes[0])
    page.get_by_role("button", name="Befragung beginnen").click()
    check("Code schon benutzt")

    base, folder, codes = small_site
    page.goto(base + "/")
    page.fill("#code", codes[0])
    page.get_by_role("button", name="Befragung beginnen").click()
    page.get_by_label("Nord").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.locator("#f-opfer_einbruch-1").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_label("Wie hoch war der Schaden").fill("viel")
    page.get_by_role("button", name="Weiter", exact=True).click()
    check("Seite mit Eingabefehler")
    page.get_by_role("button", name="Speichern und später weitermachen").click()
    check("Zwischengespeichert")
    page.goto(base + "/coach/")
    check("Coach-Anmeldung")
    page.fill("#passwort", "falsch-falsch")
    page.get_by_role("button", name="Anmelden").click()
    check("Coach-Anmeldung mit Fehler")
    page.fill("#passwort", COACH_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    check("Coach-Bereich")
    page.get_by_role("button", name="Neuen Papierfragebogen erfassen").click()
    check("Papiererfassung")
    page.goto(base + "/coach/ruecklauf")
    check("Rücklauf")
    page.goto(base + "/coach/")
    page.evaluate("document.querySelector('input[name=csrf_token]').value = 'falsch'")
    page.get_by_role("button", name="Abmelden").click()
    check("Fehlerseite 400")
    # Control: the checker does report a real problem (an input without a label, a wide element).
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                  "'<input type=\"text\"><div style=\"width: 500px\">breit</div>')")
    check("Kontrolle")
    context.close()
    assert len(check.checked) >= 30
    # Every real page was clean: the only problems are the two planted ones.
    assert check.problems[0] == "Kontrolle: label (critical) [['input[type=\"text\"]']]", check.problems
    assert len(check.problems) == 2 and re.fullmatch(r"Kontrolle: 5\d\d px breit bei 360 px Bildschirm",
                                                     check.problems[1]), check.problems


def test_a_whole_questionnaire_with_the_keyboard_only(small_site, browser):
    base, folder, codes = small_site
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(base + "/")
    keys = page.keyboard

    def focused() -> dict:
        return page.evaluate("""() => { const e = document.activeElement;
            return {tag: e.tagName, type: e.type || '', name: e.name || '', id: e.id || '',
                    text: (e.innerText || '').trim()}; }""")

    def tab_to(predicate, limit: int = 80) -> dict:
        for _ in range(limit):
            keys.press("Tab")
            element = focused()
            if predicate(element):
                return element
        raise AssertionError("mit Tab nicht erreichbar")

    tab_to(lambda e: e["id"] == "code")
    keys.type(codes[0].lower().replace("-", " "))
    keys.press("Enter")
    page.wait_for_url("**/seite/0")
    typed = {"einbruch_schaden": "1.500", "geburtsjahr": "1961", "haushalt": "2", "anmerkung": "Nur mit Tasten"}
    for _ in range(10):
        if not page.locator("#fortschritt-text").count():
            break
        answered: set[str] = set()
        while True:
            element = tab_to(lambda e: e["tag"] in ("INPUT", "TEXTAREA", "BUTTON"))
            if element["type"] == "radio" and element["name"] not in answered:
                if element["name"].startswith("opfer_"):
                    keys.press("Space")  # "ja": the follow-up page appears
                else:
                    keys.press("ArrowDown")  # moves to and selects the second option
                answered.add(element["name"])
            elif element["type"] == "checkbox" and element["id"].endswith("_1"):
                keys.press("Space")
            elif element["tag"] in ("INPUT", "TEXTAREA") and element["name"] in typed:
                keys.type(typed[element["name"]])
            elif element["tag"] == "BUTTON" and element["text"] == "Weiter":
                with page.expect_navigation():
                    keys.press("Enter")
                break
    element = tab_to(lambda e: e["tag"] == "BUTTON")
    assert element["text"] == "Antworten absenden"
    with page.expect_navigation():
        keys.press("Enter")
    assert page.locator("h1").inner_text() == "Vielen Dank!"
    row = read_responses(folder).iloc[0]
    assert (row["ortsteil"], row["sicher_nacht"], row["opfer_fahrrad"], row["opfer_einbruch"]) == (2, 2, 1, 1)
    assert (row["einbruch_schaden"], row["geburtsjahr"], row["haushalt"]) == (1500, 1961, 2)
    assert row["massnahmen_1"] == 1 and row["anmerkung"] == "Nur mit Tasten"
    context.close()


def test_skip_link_focus_and_error_summary_are_reachable(small_site, browser):
    base, _, codes = small_site
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    assert page.locator("a.skip").is_visible()  # visible while focused
    page.keyboard.press("Enter")
    page.wait_for_url("**/#inhalt", timeout=10_000)
    page.fill("#code", "ABC")
    page.get_by_role("button", name="Befragung beginnen").click()
    assert page.locator("#code").get_attribute("aria-invalid") == "true"
    assert re.search(r"code-fehler", page.locator("#code").get_attribute("aria-describedby"))
    page.locator(".error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "code"
    context.close()
