"""The questionnaire in other languages in headless Chromium: choose on the start page, switch mid-way.

The same clicks in German, in Polish switching to Arabic, and in Arabic switching to Polish store the
same answers; only ``sprache`` (the language at submission) differs. Arabic pages are right-to-left.
axe-core finds no serious or critical problem on Polish and Arabic pages.
"""

from __future__ import annotations

import pytest

from live_server import run_server
from survey.store import read_responses
from survey.web import create_app
from test_web_accessibility import BLOCKING, PHONE, standard_folder
from test_web_helpers import COACH_PASSWORD, issue

pytestmark = pytest.mark.browser

NEXT = "button[name=aktion][value=weiter]"


@pytest.fixture()
def site(tmp_path):
    folder = standard_folder(tmp_path)
    codes = issue(folder, 4)
    base, stop = run_server(create_app(folder, coach_password=COACH_PASSWORD, secure_cookies=False))
    yield base, folder, codes
    stop()


def answer(page) -> None:
    """The same clicks on every page whatever its language: by field name and position, never by label."""
    names = dict.fromkeys(page.eval_on_selector_all("input[type=radio]", "els => els.map(e => e.name)"))
    for position, name in enumerate(names):
        options = page.locator(f"input[name='{name}']")
        options.nth(position % 2 if name.startswith("opfer") else (position % options.count())).check()
    boxes = page.locator("input[type=checkbox]")
    for index in range(0, boxes.count(), 2):
        boxes.nth(index).check()
    for field in page.locator("input.number-input").all():
        field.fill("3")
    for field in page.locator("input.year-input").all():
        field.fill("1968")


def checked(page) -> list[str]:
    return page.eval_on_selector_all("input:checked", "els => els.map(e => e.id)")


def html_attributes(page) -> tuple[str, str]:
    return (page.eval_on_selector("html", "e => e.lang"), page.eval_on_selector("html", "e => e.dir"))


def complete(page, base: str, code: str, start: str | None, switch: str | None, switch_at: int = 2) -> list[tuple]:
    """Answer the whole questionnaire; returns (page number, lang, dir) of every page seen."""
    page.goto(base + "/")
    if start:
        page.locator(f"nav.languages a[hreflang='{start}']").click()
    page.fill("#code", code)
    page.locator("form.card button[type=submit]").click()
    seen = []
    number = 0
    while page.locator(NEXT).count():
        number += 1
        answer(page)
        if switch and number == switch_at:
            before = checked(page)
            page.locator(f"button[name=sprache][value='{switch}']").click()
            assert checked(page) == before  # the same page, in the other language, with the answers kept
        seen.append((number, *html_attributes(page)))
        page.locator(NEXT).click()
    page.locator("form[action$='/abschluss'] button[type=submit]").click()
    seen.append(("danke", *html_attributes(page)))
    return seen


def test_polish_and_arabic_switching_mid_way_store_the_german_answers_plus_sprache(site, browser):
    base, folder, codes = site
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    runs = {}
    for code, start, switch in ((codes[0], None, None), (codes[1], "pl", "ar"), (codes[2], "ar", "pl")):
        page = context.new_page()
        runs[start or "de"] = complete(page, base, code, start, switch)
        context.clear_cookies()
        page.close()
    assert all(lang == "de" and direction == "ltr" for _, lang, direction in runs["de"])
    polish = runs["pl"]
    assert polish[0][1:] == ("pl", "ltr") and polish[1][1:] == ("ar", "rtl") and polish[-1][1:] == ("ar", "rtl")
    arabic = runs["ar"]
    assert arabic[0][1:] == ("ar", "rtl") and arabic[1][1:] == ("pl", "ltr") and arabic[-1][1:] == ("pl", "ltr")
    frame = read_responses(folder)
    assert len(frame) == 3
    by_language = {row["sprache"]: row.drop(["resp_id", "sprache"]) for _, row in frame.iterrows()}
    assert set(by_language) == {"de", "ar", "pl"}
    german = by_language["de"]
    assert german.notna().sum() > 40  # a real questionnaire was answered
    for code in ("ar", "pl"):
        assert german.equals(by_language[code]), german.compare(by_language[code])


def test_polish_and_arabic_pages_pass_axe(site, browser):
    from axe_playwright_python.sync_playwright import Axe

    base, _, codes = site
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    axe = Axe()
    problems, seen = [], []

    def check(name: str) -> None:
        seen.append((name, *html_attributes(page)))
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in BLOCKING:
                problems.append(f"{name}: {violation['id']} ({violation['impact']}) "
                                f"{[node['target'] for node in violation['nodes'][:3]]}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{name}: {width} px breit")

    page.goto(base + "/?sprache=pl")
    check("Startseite pl")
    page.fill("#code", codes[3])
    page.locator("form.card button[type=submit]").click()
    check("Seite 1 pl")
    page.locator("button[name=sprache][value='ar']").click()
    check("Seite 1 ar")
    answer(page)
    page.locator(NEXT).click()
    answer(page)
    page.locator(NEXT).click()
    check("Seite 3 ar")
    page.goto(base + "/datenschutz")
    check("Datenschutz ar")
    assert [entry[1:] for entry in seen] == [("pl", "ltr"), ("pl", "ltr"), ("ar", "rtl"), ("ar", "rtl"),
                                              ("ar", "rtl")]
    assert not problems, "\n".join(problems)
    context.close()
