"""Views of the questionnaire: code entry, one page per (part of a) section, review, submit, thanks.

The same pages serve coaches keying in paper questionnaires (session entry of kind ``papier``).
The session cookie holds only the CSRF token, attempt counters and the current *entry*: its kind,
the draft key and (online) the code hash. Answers live in the store's drafts, never in the cookie.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from survey.access_codes import CodeFormatError, hash_code, normalise_code
from survey.store import CodeAlreadyUsed, Draft, UnknownCode
from survey.web.state import Survey, message_page
from survey.web.contexts import PageContext, ReviewContext, StartContext, as_template_args
from survey.web.form import final_answers, next_page, parse_page, shown_questions
from survey.web.security import wait_text

respondent = Blueprint("respondent", __name__)

USED_TEXT = ("Mit diesem Zugangscode wurde der Fragebogen bereits vollständig abgeschickt. "
             "Jeder Code gilt nur für einen Fragebogen. Vielen Dank für Ihre Teilnahme!")


def survey() -> Survey:
    return current_app.extensions["survey"]


def current_entry() -> dict | None:
    entry = session.get("entry")
    return entry if isinstance(entry, dict) and entry.get("draft") else None


def end_entry() -> None:
    session.pop("entry", None)


def _values_as_text(answers: dict, shown) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in shown:
        for variable in item.variables:
            value = answers.get(variable.id)
            if value is None:
                continue
            values[variable.id] = str(value).replace(".", ",") if isinstance(value, float) else str(value)
    return values


@respondent.get("/")
def start():
    entry = current_entry()
    resume = url_for("respondent.page", index=0) if entry and entry.get("kind") == "online" else None
    context = StartContext(title=survey().title, intro=survey().questionnaire.intro, resume_url=resume,
                           error=None, code_value="")
    return render_template("start.html", **as_template_args(context))


def _start_error(message: str, typed: str, status: int):
    context = StartContext(title=survey().title, intro=survey().questionnaire.intro, resume_url=None,
                           error=message, code_value=typed[:40])
    return render_template("start.html", **as_template_args(context)), status


@respondent.post("/")
def enter_code():
    app_survey = survey()
    typed = request.form.get("code", "")
    wait = app_survey.limiter.wait_seconds(session)
    if wait:
        return _start_error(wait_text(wait), "", 429)
    try:
        code_hash = hash_code(typed, app_survey.store.code_salt)
    except CodeFormatError as error:
        app_survey.limiter.failure(session)
        return _start_error(str(error), typed, 200)
    status = app_survey.store.code_status(code_hash)
    if status is None:
        app_survey.limiter.failure(session)
        return _start_error("Dieser Zugangscode ist nicht bekannt. Bitte prüfen Sie die Eingabe "
                            "(Groß- und Kleinschreibung spielt keine Rolle).", typed, 200)
    if status == "benutzt":
        app_survey.limiter.failure(session)
        return _start_error(USED_TEXT, "", 200)
    app_survey.limiter.success(session)
    session["entry"] = {"kind": "online", "draft": code_hash, "code": code_hash}
    draft = app_survey.store.load_draft(code_hash)
    target = draft.page if draft else 0
    return redirect(_page_url(target))


def _page_url(index: int) -> str:
    if index >= len(survey().pages):
        return url_for("respondent.review")
    return url_for("respondent.page", index=index)


def _load(entry: dict) -> Draft:
    return survey().store.load_draft(entry["draft"]) or Draft(answers={}, page=0)


def _entry_or_redirect():
    entry = current_entry()
    if entry is None:
        return None, redirect(url_for("respondent.start"))
    if entry.get("kind") == "online" and survey().store.code_status(entry.get("code", "")) != "frei":
        end_entry()
        return None, message_page("Fragebogen bereits abgeschickt", [USED_TEXT], 200, "/", "Zur Startseite")
    if entry.get("kind") == "papier" and not session.get("coach"):
        end_entry()
        return None, redirect(url_for("coach.home"))
    return entry, None


@respondent.route("/seite/<int:index>", methods=["GET", "POST"])
def page(index: int):
    entry, response = _entry_or_redirect()
    if response is not None:
        return response
    app_survey = survey()
    if not 0 <= index < len(app_survey.pages):
        return redirect(_page_url(len(app_survey.pages)))
    draft = _load(entry)
    answers = dict(draft.answers)
    current = app_survey.pages[index]
    shown = shown_questions(current, answers, app_survey.numbers)
    if not shown:
        following = next_page(app_survey.pages, index, answers)
        return redirect(_page_url(len(app_survey.pages) if following is None else following))
    if request.method == "GET":
        return _render_page(index, shown, _values_as_text(answers, shown), [])
    parsed = parse_page(shown, request.form)
    if parsed.errors:
        return _render_page(index, shown, parsed.raw, parsed.errors)
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
    app_survey.store.save_draft(entry["draft"], answers, target)
    if action == "speichern":
        return _saved(entry)
    return redirect(_page_url(target))


def _saved(entry: dict):
    if entry.get("kind") == "papier":
        return redirect(url_for("coach.home"))
    end_entry()
    return message_page(
        "Ihre Angaben sind gespeichert",
        ["Sie können den Fragebogen später fortsetzen: Geben Sie dazu auf der Startseite wieder den "
         "Zugangscode aus Ihrem Anschreiben ein. Ihre bisherigen Antworten sind dann wieder da.",
         "Ihre Antworten zählen erst, wenn Sie den Fragebogen am Ende abschicken."],
        200, "/", "Zur Startseite",
    )


def _render_page(index: int, shown, values: dict[str, str], errors):
    app_survey = survey()
    current = app_survey.pages[index]
    context = PageContext(
        title=app_survey.title,
        heading=current.section.title,
        intro=current.section.intro if current.part == 1 else None,
        page_index=index,
        questions=shown,
        values=values,
        errors=list(errors),
        error_for={error.variable_id: error.message for error in errors},
        progress_current=index + 1,
        progress_total=len(app_survey.pages),
        can_go_back=index > 0,
        paper_mode=session.get("entry", {}).get("kind") == "papier",
    )
    return render_template("page.html", **as_template_args(context)), (200 if not errors else 422)


@respondent.route("/abschluss", methods=["GET", "POST"])
def review():
    entry, response = _entry_or_redirect()
    if response is not None:
        return response
    app_survey = survey()
    draft = _load(entry)
    if request.method == "GET":
        answered = total = 0
        for current in app_survey.pages:
            for item in shown_questions(current, draft.answers):
                total += 1
                answered += any(draft.answers.get(variable.id) is not None for variable in item.variables)
        last = next_page(app_survey.pages, len(app_survey.pages), draft.answers, step=-1)
        context = ReviewContext(title=app_survey.title, answered=answered, total=total,
                                back_url=_page_url(0 if last is None else last),
                                paper_mode=entry.get("kind") == "papier")
        return render_template("review.html", **as_template_args(context))
    answers = final_answers(app_survey.questionnaire, draft.answers)
    try:
        app_survey.store.submit(
            answers, modus=entry["kind"], questionnaire_id=app_survey.questionnaire.id,
            version=app_survey.questionnaire.version, code_hash=entry.get("code"), draft_key=entry["draft"],
        )
    except (CodeAlreadyUsed, UnknownCode):
        end_entry()
        return message_page("Fragebogen bereits abgeschickt", [USED_TEXT], 409, "/", "Zur Startseite")
    end_entry()
    if entry["kind"] == "papier":
        session["coach_message"] = "Der Papierfragebogen wurde gespeichert."
        return redirect(url_for("coach.home"))
    return redirect(url_for("respondent.thanks"))


@respondent.get("/danke")
def thanks():
    return message_page(
        "Vielen Dank!",
        ["Ihre Antworten sind gespeichert. Sie wurden ohne Verbindung zu Ihrem Zugangscode abgelegt; "
         "niemand kann erkennen, wer was geantwortet hat.",
         "Die Ergebnisse der Befragung werden veröffentlicht, sobald die Auswertung abgeschlossen ist. "
         "Sie können dieses Fenster jetzt schließen."],
    )
