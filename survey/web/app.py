"""The Flask application factory for the citizens' questionnaire and the coach pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from survey.folder import load_folder
from survey.store import STORE_NAME, AnswerStore
from survey.web.form import build_pages, question_numbers
from survey.web.security import AttemptLimiter, add_security_headers, check_csrf, csrf_token
from survey.web.state import Survey, message_page
from survey.web.views_coach import coach
from survey.web.views_respondent import respondent

COACH_PASSWORD_ENV = "SICHERHEITSANALYSE_COACH_PASSWORT"
MIN_COACH_PASSWORD = 10


def create_app(
    folder_path: str | Path,
    *,
    coach_password: str | None = None,
    secure_cookies: bool = True,
    limiter: AttemptLimiter | None = None,
) -> Flask:
    """The web app for analysis folder ``folder_path`` (answers go to ``DIR/antworten.sqlite``).

    ``coach_password`` (if given) replaces the stored coach password hash. ``secure_cookies`` False is
    only for plain-http tests on loopback.
    """
    from survey.access_codes import hash_password

    folder = load_folder(folder_path)
    questionnaire = folder.questionnaire
    store = AnswerStore(folder.path / STORE_NAME)
    store.set_variables(questionnaire.id, questionnaire.version, questionnaire.variable_ids)
    if coach_password:
        store.set_coach_password_hash(hash_password(coach_password))
    survey = Survey(
        folder=folder, questionnaire=questionnaire, pages=build_pages(questionnaire),
        numbers=question_numbers(questionnaire), store=store, limiter=limiter or AttemptLimiter(),
    )

    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        SECRET_KEY=store.secret_key,
        SESSION_COOKIE_NAME="befragung",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=256 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.extensions["survey"] = survey
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.filters["german_int"] = lambda number: f"{int(number):,}".replace(",", ".")

    @app.before_request
    def _csrf() -> None:
        from flask import request

        if request.method == "POST":
            check_csrf()

    app.after_request(add_security_headers)
    _register_error_pages(app)

    app.register_blueprint(respondent)
    app.register_blueprint(coach)
    return app


def _register_error_pages(app: Flask) -> None:
    texts = {
        400: ("Anfrage ungültig", ["Das Formular ist abgelaufen oder wurde nicht von dieser Seite abgeschickt. "
                                   "Bitte laden Sie die Startseite neu und versuchen Sie es noch einmal."]),
        404: ("Seite nicht gefunden", ["Diese Seite gibt es nicht."]),
        405: ("Aktion nicht möglich", ["Diese Seite kann so nicht aufgerufen werden."]),
        413: ("Eingabe zu groß", ["Die abgeschickten Angaben sind zu umfangreich."]),
        500: ("Technischer Fehler", ["Es ist ein technischer Fehler aufgetreten. Ihre bisher gespeicherten "
                                     "Angaben bleiben erhalten. Bitte versuchen Sie es später noch einmal."]),
    }
    for status, (heading, paragraphs) in texts.items():
        def handler(error, heading=heading, paragraphs=paragraphs, status=status):  # noqa: ANN001
            return message_page(heading, paragraphs, status, "/", "Zur Startseite")

        app.register_error_handler(status, handler)
