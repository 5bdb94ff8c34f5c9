"""What the views share with the app factory: the app's :class:`Survey`, the client key and the message page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request

from survey.folder import AnalysisFolder
from survey.privacy_notice import PrivacyNotice
from survey.questionnaire import Questionnaire
from survey.store import AnswerStore
from survey.web.coach_sessions import CoachSessions
from survey.web.contexts import MessageContext, as_template_args
from survey.web.drafts import DraftCache
from survey.web.form import Page
from survey.web.limits import Limits, client_key
from survey.web.render import PageFrames, QuestionRenderer


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

    @property
    def title(self) -> str:
        return self.questionnaire.title


def client() -> str:
    """The limit key of the current request's client (see :func:`survey.web.limits.client_key`).

    ``REMOTE_ADDR`` is the peer address, or, behind a proxy configured as trusted
    (``serve --proxy``), the address that proxy put into ``X-Forwarded-For`` (waitress does this).
    """
    return client_key(request.remote_addr)


def message_page(heading: str, paragraphs: list[str], status: int = 200,
                 link_url: str | None = None, link_text: str | None = None):
    context = MessageContext(title=heading, heading=heading, paragraphs=paragraphs,
                             link_url=link_url, link_text=link_text)
    return render_template("message.html", **as_template_args(context)), status
