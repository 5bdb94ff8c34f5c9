"""Views of the questionnaire: code entry, one page per (part of a) section, review, submit, thanks.

The same pages serve coaches keying in paper questionnaires (entry of kind ``papier``). The session
cookie holds the CSRF token and the current :class:`survey.web.drafts.Entry`; answers live in server
memory (:class:`survey.web.drafts.DraftCache`) and reach the disk only sealed, or on submission.

Answering a page is one round trip where that is safe, two where it is not (``docs/betrieb.md``):

* The response to »Weiter« is the next page itself when its HTML reveals nothing about the
  respondent — no saved answer in it and no question shown because of an earlier answer. Such a page
  is sent ``Cache-Control: private, no-cache``: the browser may keep it for its back button (going
  back shows it with the values the person had typed, restored by the browser), and a reload re-sends
  the same answers, which saves them again unchanged.
* Every other page (saved answers, filter-dependent questions, validation errors, »Zurück«) is
  ``no-store`` and reached by POST → 303 → GET, so answers never stay in a browser cache.
* The code entry (it sets the session cookie) and the final submission are always POST → 303 → GET.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from markupsafe import Markup

from survey.access_codes import EXAMPLE_CODE, CodeFormatError, derive_keys, normalise_code
from survey.store import Draft, StoreBusy, UnknownCode
from survey.web.state import Survey, client, current_language, message_page
from survey.web.contexts import PageContext, PrivacyContext, ReviewContext, StartContext, as_template_args
from survey.web.drafts import Entry
from survey.web.form import final_answers, next_page, parse_page, shown_questions
from survey.web.limits import BUSY_TEXT, wait_text
from survey.web.render import CSRF_SENTINEL, QUESTIONS_SENTINEL
from survey.web.security import csrf_token
from survey.web.ui_texts import GERMAN

respondent = Blueprint("respondent", __name__)

UNKNOWN_TEXT = ("Dieser Zugangscode ist nicht bekannt oder wurde bereits für einen abgeschickten Fragebogen "
                "verwendet. Bitte prüfen Sie die Eingabe (Groß- und Kleinschreibung spielt keine Rolle).")
USED_TEXT = ("Mit diesem Zugangscode wurde der Fragebogen bereits vollständig abgeschickt. "
             "Jeder Code gilt nur für einen Fragebogen. Vielen Dank für Ihre Teilnahme!")
BUSY_SUBMIT_TEXT = ("Ihre Antworten konnten gerade nicht gespeichert werden, weil der Server ausgelastet ist. "
                    "Bitte schicken Sie sie in einer Minute noch einmal ab; nichts ist verloren.")


def survey() -> Survey:
    return current_app.extensions["survey"]


def current_entry() -> Entry | None:
    return Entry.from_cookie(session.get("entry"))


def end_entry() -> None:
    session.pop("entry", None)


def coach_signed_in() -> bool:
    return survey().coach_sessions.valid(session.get("coach"))


def _see(url: str):
    return redirect(url, code=303)


def _values_as_text(answers: dict, shown) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in shown:
        for variable in item.variables:
            value = answers.get(variable.id)
            if value is None:
                continue
            values[variable.id] = str(value).replace(".", ",") if isinstance(value, float) else str(value)
    return values


def _start(error: str | None = None, typed: str = "", status: int = 200):
    entry = current_entry()
    resume = url_for("respondent.page", index=0) if error is None and entry and entry.kind == "online" else None
    app_survey = survey()
    context = StartContext(title=app_survey.title, intro=app_survey.version().questionnaire.intro, resume_url=resume,
                           error=error, code_value=typed[:40], example_code=EXAMPLE_CODE,
                           privacy_summary=app_survey.notice.summary)
    return render_template("start.html", **as_template_args(context)), status


@respondent.get("/")
def start():
    return _start()


@respondent.post("/")
def enter_code():
    app_survey = survey()
    limits = app_survey.limits
    who = client()
    wait = limits.codes.wait_seconds(who)
    if wait:
        return _start(wait_text(wait), "", 429)
    typed = request.form.get("code", "")
    try:
        normalised = normalise_code(typed)
    except CodeFormatError as error:
        # A malformed code never reaches the store, so it tells a guesser nothing: not counted.
        return _start(str(error), typed, 200)
    if not limits.code_gate.admit(limits.codes.failures(who)):
        return _start(BUSY_TEXT, typed, 503)
    found = False
    try:
        keys = derive_keys(normalised, app_survey.code_salt)
        found = app_survey.store.has_code(keys.lookup)
    finally:
        limits.code_gate.finish(failed=not found)
    if not found:
        limits.codes.failure(who)
        return _start(UNKNOWN_TEXT, typed, 200)
    entry = Entry.online(keys)
    session["entry"] = entry.as_cookie()
    draft = app_survey.drafts.get(entry)
    if draft is None:
        draft = Draft(answers={}, page=0)
        app_survey.drafts.put(entry, draft)
    # Always a redirect: this response sets the session cookie, and a browser does not reuse a page
    # stored under the old cookie (Vary: Cookie) for its back button.
    return _see(_page_url(draft.page))


@respondent.get("/datenschutz")
def privacy():
    notice = survey().notice
    return render_template("privacy.html", **as_template_args(PrivacyContext(title=notice.title,
                                                                             sections=notice.sections)))


def _reveals_answers(shown) -> bool:
    """Whether a page's questions depend on earlier answers (filters), so its HTML says something."""
    return any(item.question.filter is not None or any(variable.filter is not None for variable in item.variables)
               for item in shown)


def _show(entry: Entry, target: int, answers: dict):
    """The response after a successful POST: page ``target`` itself if that is safe, else a redirect."""
    app_survey = survey()
    if target >= len(app_survey.pages):
        return _review_page(entry, answers, cacheable=True)
    shown = shown_questions(app_survey.version().pages[target], answers, app_survey.numbers)
    values = _values_as_text(answers, shown)
    if not shown or values or _reveals_answers(shown):
        return _see(_page_url(target))
    return _render_page(entry, target, shown, {}, [], cacheable=True)


def _page_url(index: int) -> str:
    if index >= len(survey().pages):
        return request.script_root + "/abschluss"
    return f"{request.script_root}/seite/{index}"


def _used():
    end_entry()
    return message_page("Fragebogen bereits abgeschickt", [USED_TEXT], 200, "/", "Zur Startseite")


def _entry_and_draft():
    """(entry, draft, None) for the current session, or (None, None, response) to send instead."""
    entry = current_entry()
    if entry is None:
        return None, None, _see(url_for("respondent.start"))
    if entry.kind == "papier" and not coach_signed_in():
        end_entry()
        return None, None, _see(url_for("coach.home"))
    app_survey = survey()
    draft = app_survey.drafts.get(entry)
    if draft is None:
        # Not in memory and not saved: a new entry, or the code was used meanwhile (other tab).
        if entry.kind == "online" and not app_survey.store.has_code(entry.code):
            return None, None, _used()
        draft = Draft(answers={}, page=0)
        app_survey.drafts.put(entry, draft)
    return entry, draft, None


@respondent.route("/seite/<int:index>", methods=["GET", "POST"])
def page(index: int):
    entry, draft, response = _entry_and_draft()
    if response is not None:
        return response
    app_survey = survey()
    if not 0 <= index < len(app_survey.pages):
        return _see(_page_url(len(app_survey.pages)))
    answers = dict(draft.answers)
    shown = shown_questions(app_survey.version().pages[index], answers, app_survey.numbers)
    if not shown:
        following = next_page(app_survey.pages, index, answers)
        return _see(_page_url(len(app_survey.pages) if following is None else following))
    if request.method == "GET":
        return _render_page(entry, index, shown, _values_as_text(answers, shown), [])
    parsed = parse_page(shown, request.form)
    switch = request.form.get("sprache")
    if switch is not None:
        # Language menu of a question page: keep what was entered validly, show the same page in the new
        # language (the answers are codes and numbers, so they do not depend on the language).
        answers.update(parsed.values)
        app_survey.drafts.put(entry, Draft(answers=answers, page=index))
        if switch in app_survey.versions:
            session["sprache"] = switch
        return _see(_page_url(index))
    if parsed.errors:
        return _render_page(entry, index, shown, parsed.raw, parsed.errors)
    answers.update(parsed.values)
    action = request.form.get("aktion", "weiter")
    if action == "zurueck":
        previous = next_page(app_survey.pages, index, answers, step=-1)
        target = index if previous is None else previous
    elif action == "speichern":
        target = index
    else:
        following = next_page(app_survey.pages, index, answers)
        target = len(app_survey.pages) if following is None else following
    app_survey.drafts.put(entry, Draft(answers=answers, page=target))
    if action == "speichern":
        return _saved(entry)
    if action == "zurueck":
        return _see(_page_url(target))
    return _show(entry, target, answers)


def _saved(entry: Entry):
    if not survey().drafts.save(entry):
        return _used()
    if entry.kind == "papier":
        return _see(url_for("coach.home"))
    end_entry()
    return _own_language_message("saved", ["saved_1", "saved_2"], link=True)


def _own_language_message(heading: str, paragraphs: list[str], link: bool = False):
    """A message page in the page's language; wholly German (marked so) if one of its texts is missing."""
    ui = survey().version().ui
    texts = [ui.plain(key) for key in (heading, *paragraphs)]
    german = any(fallback for _, fallback in texts)
    if german:
        texts = [(GERMAN[key], True) for key in (heading, *paragraphs)]
    return message_page(texts[0][0], [text for text, _ in texts[1:]], 200, "/" if link else None,
                        "Zur Startseite" if link else None, german_text=german or ui.german_page)


def _cacheable(response_and_status, cacheable: bool):
    if not cacheable:
        return response_and_status
    response = current_app.make_response(response_and_status)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _render_page(entry: Entry, index: int, shown, values: dict[str, str], errors, cacheable: bool = False):
    app_survey = survey()
    version = app_survey.version()
    current = version.pages[index]
    questions_html = version.renderer.render(shown, values, {error.variable_id: error.message for error in errors})

    def context(questions: Markup) -> PageContext:
        return PageContext(
            title=app_survey.title,
            heading=current.section.title,
            intro=current.section.intro if current.part == 1 else None,
            page_index=index,
            questions_html=questions,
            errors=list(errors),
            progress_current=index + 1,
            progress_total=len(app_survey.pages),
            can_go_back=index > 0,
            paper_mode=entry.kind == "papier",
        )

    if errors:
        html = render_template("page.html", **as_template_args(context(questions_html)))
        return html, 422

    def frame() -> str:
        g.csrf_sentinel = CSRF_SENTINEL
        try:
            return render_template("page.html", **as_template_args(context(Markup(QUESTIONS_SENTINEL))))
        finally:
            g.csrf_sentinel = None

    key = (index, entry.kind == "papier", request.script_root, version.code)
    html = app_survey.frames.fill(key, frame, csrf_token(), questions_html)
    return _cacheable((html, 200), cacheable)


@respondent.route("/abschluss", methods=["GET", "POST"])
def review():
    entry, draft, response = _entry_and_draft()
    if response is not None:
        return response
    app_survey = survey()
    if request.method == "GET":
        return _review_page(entry, draft.answers)
    answers = final_answers(app_survey.questionnaire, draft.answers)
    try:
        app_survey.store.submit(
            answers, modus=entry.kind, questionnaire_id=app_survey.questionnaire.id,
            version=app_survey.questionnaire.version, code_hash=entry.code, draft_id=entry.draft_id,
            sprache=current_language(),
        )
    except UnknownCode:
        app_survey.drafts.drop(entry.draft_id)
        end_entry()
        return message_page("Fragebogen bereits abgeschickt", [USED_TEXT], 409, "/", "Zur Startseite")
    except StoreBusy:
        return message_page("Bitte noch einmal abschicken", [BUSY_SUBMIT_TEXT], 503,
                            url_for("respondent.review"), "Zurück zum Absenden")
    app_survey.drafts.drop(entry.draft_id)
    end_entry()
    if entry.kind == "papier":
        session["coach_message"] = "Der Papierfragebogen wurde gespeichert."
        return _see(url_for("coach.home"))
    return _see(url_for("respondent.thanks"))


def _review_page(entry: Entry, answers: dict, cacheable: bool = False):
    """»Fast geschafft«: how many questions were answered (no answers are shown)."""
    app_survey = survey()
    answered = total = 0
    for current in app_survey.pages:
        for item in shown_questions(current, answers):
            total += 1
            answered += any(answers.get(variable.id) is not None for variable in item.variables)
    last = next_page(app_survey.pages, len(app_survey.pages), answers, step=-1)
    context = ReviewContext(title=app_survey.title, answered=answered, total=total,
                            back_url=_page_url(0 if last is None else last), paper_mode=entry.kind == "papier")
    return _cacheable(render_template("review.html", **as_template_args(context)), cacheable)


@respondent.get("/danke")
def thanks():
    return _own_language_message("thanks", ["thanks_1", "thanks_2"])
