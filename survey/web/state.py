"""What the views share with the app factory: the app's :class:`Survey` with its language versions, the
request's language, the client key and the message page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import render_template, request, session

from survey.folder import AnalysisFolder
from survey.languages import LANGUAGES, SOURCE
from survey.privacy_notice import PrivacyNotice
from survey.questionnaire import Questionnaire, load_questionnaire
from survey.store import AnswerStore
from survey.web.coach_sessions import CoachSessions
from survey.web.contexts import MessageContext, as_template_args
from survey.web.drafts import DraftCache
from survey.web.form import Page, build_pages
from survey.web.limits import Limits, client_key
from survey.web.render import PageFrames, QuestionRenderer
from survey.web.ui_texts import UiTexts, ui_texts


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
