"""What the views share with the app factory: the app's :class:`Survey` and the message page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template

from survey.folder import AnalysisFolder
from survey.questionnaire import Questionnaire
from survey.store import AnswerStore
from survey.web.contexts import MessageContext, as_template_args
from survey.web.form import Page
from survey.web.security import AttemptLimiter


@dataclass
class Survey:
    """Everything the views need: questionnaire, pages, store and limiter (one per app)."""

    folder: AnalysisFolder
    questionnaire: Questionnaire
    pages: list[Page]
    numbers: dict[str, int]
    store: AnswerStore
    limiter: AttemptLimiter

    @property
    def title(self) -> str:
        return self.questionnaire.title


def message_page(heading: str, paragraphs: list[str], status: int = 200,
                 link_url: str | None = None, link_text: str | None = None):
    context = MessageContext(title=heading, heading=heading, paragraphs=paragraphs,
                             link_url=link_url, link_text=link_text)
    return render_template("message.html", **as_template_args(context)), status
