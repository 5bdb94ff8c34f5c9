"""The Flask application factory for the citizens' questionnaire and the coach pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, redirect, request, session

from survey.folder import load_folder
from survey.languages import normalise_language
from survey.privacy_notice import privacy_notice
from survey.store import STORE_NAME, AnswerStore
from survey.web.coach_sessions import IDLE_SECONDS, CoachSessions
from survey.web.drafts import DraftCache
from survey.web.form import build_pages, question_numbers
from survey.web.limits import Limits
from survey.web.render import PageFrames, QuestionRenderer
from survey.web.security import add_security_headers, check_csrf, csrf_token
from survey.web.sessions import SignedCookieSessions
from survey.web.state import Survey, language_links, language_versions, message_page
from survey.web.views_coach import coach
from survey.web.views_respondent import respondent
from survey.web.volatile import VolatileState

COACH_PASSWORD_ENV = "SICHERHEITSANALYSE_COACH_PASSWORT"
MIN_COACH_PASSWORD = 10
MAX_BODY_BYTES = 256 * 1024


def create_app(
    folder_path: str | Path,
    *,
    coach_password: str | None = None,
    secure_cookies: bool = True,
    limits: Limits | None = None,
    state: VolatileState | None = None,
    coach_idle_seconds: float = IDLE_SECONDS,
) -> Flask:
    """The web app for analysis folder ``folder_path`` (answers go to ``DIR/antworten.sqlite``).

    ``coach_password`` (if given) replaces the stored coach password hash. ``secure_cookies`` False is
    only for plain-http tests on loopback. ``state`` is the RAM state shared with the other worker
    processes of a server (a fresh one if None); ``limits`` replaces the default limits (tests use
    short windows).
    """
    from survey.access_codes import hash_password

    folder = load_folder(folder_path)
    questionnaire = folder.questionnaire
    state = state or VolatileState.create()
    store = AnswerStore(folder.path / STORE_NAME, submit_lock=state.directory / "abgabe.lock")
    store.require_open()
    store.set_variables(questionnaire.id, questionnaire.version, questionnaire.variable_ids)
    if coach_password:
        store.set_coach_password_hash(hash_password(coach_password))
    survey = Survey(
        folder=folder, questionnaire=questionnaire, pages=build_pages(questionnaire),
        numbers=question_numbers(questionnaire), store=store, code_salt=store.code_salt,
        limits=limits or Limits(), drafts=DraftCache(store, state),
        coach_sessions=CoachSessions(state, idle_seconds=coach_idle_seconds), notice=privacy_notice(folder.config),
        renderer=QuestionRenderer(), frames=PageFrames(), versions=language_versions(folder, questionnaire),
    )

    app = Flask(__name__, static_folder=None, template_folder="templates")
    # No redirects that rebuild an absolute URL from the Host header: ``//`` is not merged and a
    # missing or extra trailing slash is not "corrected" (both would reflect the Host header).
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    app.static_folder = "static"
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=app.send_static_file)
    app.config.update(
        SECRET_KEY=store.secret_key,
        SESSION_COOKIE_NAME="befragung",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_BODY_BYTES,
        TEMPLATES_AUTO_RELOAD=False,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    app.session_interface = SignedCookieSessions()
    app.extensions["survey"] = survey
    app.extensions["survey_state"] = state  # keeps an app-owned state alive as long as the app
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["csrf_token"] = csrf_token
    # A fixed path under the app's root (cheaper than url_for on every page; the form's hot path).
    app.jinja_env.globals["path"] = lambda suffix: request.script_root + suffix
    app.jinja_env.filters["german_int"] = lambda number: f"{int(number):,}".replace(",", ".")
    app.jinja_env.globals["ui"] = lambda: survey.version().ui
    app.jinja_env.globals["t"] = lambda key, **values: survey.version().ui.text(key, **values)
    app.jinja_env.globals["language_links"] = language_links

    @app.before_request
    def _csrf() -> None:
        if request.method == "POST":
            check_csrf()

    @app.before_request
    def _switch_language():
        """``?sprache=pl`` on any page: remember the choice in the session, show the same page again."""
        if request.method == "GET" and "sprache" in request.args:
            code = normalise_language(request.args.get("sprache", ""))
            if code in survey.versions:
                session["sprache"] = code
            return redirect(request.script_root + request.path, code=303)
        return None

    app.after_request(add_security_headers)
    _register_error_pages(app)

    app.register_blueprint(respondent)
    app.register_blueprint(coach)
    return app


ERROR_TEXTS = {
    400: ("Anfrage ungültig", ["Das Formular ist abgelaufen oder wurde nicht von dieser Seite abgeschickt. "
                               "Bitte laden Sie die Startseite neu und versuchen Sie es noch einmal."]),
    404: ("Seite nicht gefunden", ["Diese Seite gibt es nicht."]),
    405: ("Aktion nicht möglich", ["Diese Seite kann so nicht aufgerufen werden."]),
    413: ("Eingabe zu groß", ["Die abgeschickten Angaben sind zu umfangreich."]),
    500: ("Technischer Fehler", ["Es ist ein technischer Fehler aufgetreten. Bitte versuchen Sie es später noch "
                                 "einmal; Ihr Zugangscode bleibt gültig, bis Sie den Fragebogen abgeschickt haben."]),
}


def _register_error_pages(app: Flask) -> None:
    for status, (heading, paragraphs) in ERROR_TEXTS.items():
        def handler(error, heading=heading, paragraphs=paragraphs, status=status):  # noqa: ANN001
            return message_page(heading, paragraphs, status, "/", "Zur Startseite")

        app.register_error_handler(status, handler)
