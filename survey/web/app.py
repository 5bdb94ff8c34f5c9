"""The Flask application factory for the citizens' questionnaire and the coach pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, redirect, render_template, request, session

from survey.folder import AnalysisFolder, load_folder
from survey.privacy_notice import PrivacyNotice, privacy_notice
from survey.questionnaire import Questionnaire, load_questionnaire
from survey.store import STORE_NAME, AnswerStore
from survey.web.coach_sessions import IDLE_SECONDS, CoachSessions
from survey.web.contexts import MessageContext, as_template_args
from survey.web.drafts import DraftCache
from survey.web.form import Page, build_pages, question_numbers
from survey.web.limits import Limits, client_key
from survey.web.render import PageFrames, QuestionRenderer
from survey.web.security import add_security_headers, check_csrf, csrf_token
from survey.web.ui_texts import UiTexts, ui_texts
from survey.web.volatile import VolatileState
from survey.web.sessions import SignedCookieSessions
from survey.languages import LANGUAGES, SOURCE, normalise_language

COACH_PASSWORD_ENV = "SICHERHEITSANALYSE_COACH_PASSWORT"
MIN_COACH_PASSWORD = 10
MAX_BODY_BYTES = 256 * 1024


@dataclass(frozen=True)
class LanguageVersion:
    """The questionnaire in one language with its pages and renderer (same ids, codes and paging as German)."""

    code: str
    questionnaire: Questionnaire
    pages: list[Page]
    renderer: QuestionRenderer
    ui: UiTexts


@dataclass
class Survey:
    """Everything the views need (one per app): questionnaire, pages, store and the in-memory state."""

    folder: AnalysisFolder
    questionnaire: Questionnaire
    pages: list[Page]
    numbers: dict[str, int]
    store: AnswerStore
    code_salt: str
    limits: Limits
    drafts: DraftCache
    coach_sessions: CoachSessions
    notice: PrivacyNotice
    renderer: QuestionRenderer
    frames: PageFrames
    versions: dict[str, LanguageVersion]

    @property
    def title(self) -> str:
        return self.version().questionnaire.title

    @property
    def languages(self) -> list[str]:
        """The offered languages, German first."""
        return list(self.versions)

    def version(self, code: str | None = None) -> LanguageVersion:
        """The questionnaire in ``code`` (default: the current request's language)."""
        return self.versions[current_language() if code is None else code]


def current_language() -> str:
    """The language of this request: the session's choice if offered, else German; coach pages are German."""
    from flask import current_app

    versions = current_app.extensions["survey"].versions
    code = session.get("sprache")
    if request.blueprint == "coach" or code not in versions:
        return SOURCE
    return code


def resolve_questionnaire(folder: AnalysisFolder) -> Questionnaire:
    """The folder's questionnaire (a path relative to the folder, or a shipped id)."""
    config = folder.config
    ref: str | Path = config.fragebogen
    candidate = folder.file(config.fragebogen)
    if candidate.is_file():
        ref = candidate
    return load_questionnaire(ref, kommune=config.kommune, ortsteile=config.ortsteile or None, jahr=config.jahr)


def offered_languages(folder: AnalysisFolder, questionnaire: Questionnaire) -> list[str]:
    """German, then every language with a translation file beside the questionnaire (in registry order),
    limited to ``sprachen.angeboten`` of analyse.yaml where the folder names languages."""
    from survey.questionnaire.translations import translation_files

    available = [SOURCE, *translation_files(Path(questionnaire.source_path))]
    chosen = folder.config.sprachen
    if chosen is None:
        return available
    missing = [code for code in chosen.angeboten if code not in available]
    if missing:
        from survey.errors import ConfigError

        raise ConfigError(f"»sprachen.angeboten« nennt {', '.join(missing)}, aber für den Fragebogen "
                          f"»{questionnaire.id}« gibt es keine Übersetzung in "
                          f"{', '.join(LANGUAGES[code].german_name for code in missing)} "
                          f"(vorhanden: {', '.join(available[1:]) or 'keine'}).", path=folder.config_path)
    return [code for code in available if code == SOURCE or code in chosen.angeboten]


def language_versions(folder: AnalysisFolder, questionnaire: Questionnaire) -> dict[str, LanguageVersion]:
    config = folder.config
    versions = {}
    for code in offered_languages(folder, questionnaire):
        translated = questionnaire if code == SOURCE else load_questionnaire(
            questionnaire.source_path, kommune=config.kommune, ortsteile=config.ortsteile or None, jahr=config.jahr,
            sprache=code)
        ui = ui_texts(code)
        versions[code] = LanguageVersion(code, translated, build_pages(translated), QuestionRenderer(ui), ui)
    return versions


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
    questionnaire = resolve_questionnaire(folder)
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

    from survey.web.views_coach import coach
    from survey.web.views_respondent import respondent

    app.register_blueprint(respondent)
    app.register_blueprint(coach)
    return app


def survey_texts() -> UiTexts:
    from flask import current_app

    return current_app.extensions["survey"].version().ui


def language_links() -> list[dict]:
    """The language menu: one entry per offered language, named in that language, with a switch link."""
    from flask import current_app

    current = current_language()
    here = request.script_root + request.path
    return [{"code": code, "name": LANGUAGES[code].native_name, "lang": LANGUAGES[code].html_lang,
             "dir": LANGUAGES[code].direction, "url": f"{here}?sprache={code}", "current": code == current}
            for code in current_app.extensions["survey"].versions]


def client() -> str:
    """The limit key of the current request's client (see :func:`survey.web.limits.client_key`).

    ``REMOTE_ADDR`` is the peer address, or, behind a proxy configured as trusted
    (``serve --proxy``), the address that proxy put into ``X-Forwarded-For`` (waitress does this).
    """
    return client_key(request.remote_addr)


def message_page(heading: str, paragraphs: list[str], status: int = 200,
                 link_url: str | None = None, link_text: str | None = None, german_text: bool = True):
    """A page with a heading and paragraphs; ``german_text`` False when they are in the page's language."""
    if link_text == "Zur Startseite":
        link_text = str(survey_texts().plain("to_start")[0])
    context = MessageContext(title=heading, heading=heading, paragraphs=paragraphs,
                             link_url=link_url, link_text=link_text, german_text=german_text)
    return render_template("message.html", **as_template_args(context)), status


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
