"""Documented template contexts: each page's template gets exactly the fields of one dataclass.

The ``help`` metadata says what a field is for; ``tests/test_web_app.py`` checks that every rendered
page receives the fields of its context class (and nothing is passed ad hoc).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from markupsafe import Markup

from survey.web.form import FieldError


def _help(text: str, default=None):
    if default is None:
        return field(metadata={"help": text})
    return field(default=default, metadata={"help": text})


@dataclass(frozen=True)
class StartContext:
    title: str = _help("Title of the questionnaire (with the commune's name)")
    intro: str | None = _help("Introduction text of the questionnaire")
    resume_url: str | None = _help("Link to continue if this browser has an open questionnaire")
    error: str | None = _help("German message about the entered code (wrong, used, too many attempts)")
    code_value: str = _help("What the person typed (shown again after a typing error)")
    example_code: str = _help("An example of the code format (as printed in the letter)")
    privacy_summary: tuple[str, ...] = _help("Short privacy statements; the full notice is at /datenschutz")


@dataclass(frozen=True)
class PageContext:
    title: str = _help("Title of the questionnaire")
    heading: str = _help("Section title of this page")
    intro: str | None = _help("Section introduction (first part of a section only)")
    page_index: int = _help("Index of this page (for the form action)")
    questions_html: Markup = _help("The questions that apply, rendered with their values and messages "
                                   "(survey.web.render.QuestionRenderer)")
    errors: list[FieldError] = _help("Validation messages, in field order, for the error summary")
    progress_current: int = _help("Number of this page (1-based)")
    progress_total: int = _help("Number of pages")
    can_go_back: bool = _help("Whether a previous page exists")
    paper_mode: bool = _help("True when a coach keys in a paper questionnaire")


@dataclass(frozen=True)
class ReviewContext:
    title: str = _help("Title of the questionnaire")
    answered: int = _help("Number of questions with at least one answer")
    total: int = _help("Number of questions that applied")
    back_url: str = _help("Link to the last page")
    paper_mode: bool = _help("True when a coach keys in a paper questionnaire")


@dataclass(frozen=True)
class MessageContext:
    title: str = _help("Page title")
    heading: str = _help("Heading")
    paragraphs: list[str] = _help("Text paragraphs")
    link_url: str | None = _help("Optional link target")
    link_text: str | None = _help("Text of the optional link")
    german_text: bool = _help("Whether heading and paragraphs are German (marked lang=de on other pages)", True)


@dataclass(frozen=True)
class PrivacyContext:
    title: str = _help("Page title (the notice's title)")
    sections: tuple = _help("survey.privacy_notice.NoticeSection items: heading and paragraphs")


@dataclass(frozen=True)
class CoachLoginContext:
    title: str = _help("Page title")
    enabled: bool = _help("Whether a coach password is set (serve --coach-passwort)")
    error: str | None = _help("Message after a wrong password or while locked")


@dataclass(frozen=True)
class CoachHomeContext:
    title: str = _help("Page title")
    kommune: str = _help("Commune")
    submitted_paper: int = _help("Paper questionnaires keyed in so far (all coaches)")
    message: str | None = _help("Confirmation after a questionnaire was stored")


@dataclass(frozen=True)
class ReturnsContext:
    title: str = _help("Page title")
    issued: int = _help("Access codes issued")
    used: int = _help("Access codes used")
    total: dict[str, int] = _help("Responses by mode ('online', 'papier', 'zusammen')")
    rate_text: str = _help("Return rate of the online codes in German format")
    by_day: list[tuple[str, int, int, int]] = _help("(day dd.mm.yyyy, online, papier, zusammen)")
    by_area: list[tuple[str, int, int, int]] = _help("(Ortsteil, online, papier, zusammen); empty if none")


def context_fields(context_class: type) -> set[str]:
    return {item.name for item in fields(context_class)}


def as_template_args(context) -> dict:
    """The dataclass as keyword arguments for ``render_template`` (shallow, no copies)."""
    return {item.name: getattr(context, item.name) for item in fields(context)}
