"""Values of estimates as report text: the estimate with its flag marks, the interval, both together.

Every number goes through :mod:`survey.report.formatting`; a suppressed estimate never appears.
"""

from __future__ import annotations

from survey.profile.base import Kind
from survey.profile.records import EstimateRecord
from survey.report import formatting as fmt
from survey.report.lagebericht.profile import flag_of, shown
from survey.wording.estimates import FLAG_WORDS
from survey.wording.findings import in_plain_language

UNRELIABLE = FLAG_WORDS["unsicher"]


def kind_of(record: EstimateRecord) -> str:
    return "percent" if record.kind == Kind.PROPORTION else "decimal"


def value(record: EstimateRecord | None) -> str:
    """The formatted estimate with flag marks (``/`` suppressed, ``(…)`` unreliable)."""
    if record is None:
        return fmt.MISSING
    return fmt.estimate(record.estimate, flag_of(record), kind_of(record))


def unreliable_word() -> str:
    """The word for an unreliable estimate in running text: the Lagebericht's defined term (its Methodik and
    table notes say »eingeschränkt belastbar«); the Kurzbericht explains »statistisch unsicher« instead."""
    return "statistisch unsicher" if in_plain_language() else UNRELIABLE


def bracketed_value(record: EstimateRecord | None) -> str:
    """The estimate for use inside parentheses: unreliable ones say so in words, not with more brackets
    (``32,4 %, eingeschränkt belastbar``)."""
    if _shown_unreliable(record):
        return f"{plain_value(record)}, {unreliable_word()}"
    return value(record)


def running_value(record: EstimateRecord | None) -> str:
    """The estimate in running text, outside parentheses: ``32,4 % (eingeschränkt belastbar)``."""
    if _shown_unreliable(record):
        return f"{plain_value(record)} ({unreliable_word()})"
    return value(record)


def _shown_unreliable(record: EstimateRecord | None) -> bool:
    return record is not None and shown(record) and flag_of(record) == fmt.FLAG_UNRELIABLE


def plain_value(record: EstimateRecord) -> str:
    return fmt.value(record.estimate, kind_of(record))


def ci_text(record: EstimateRecord, level: float = 0.95) -> str:
    """``95-%-KI 33,8–43,2 %`` plus ``; eingeschränkt belastbar`` for unreliable estimates."""
    text = f"{fmt.ci_label(level)} {fmt.interval(record.ci_low, record.ci_high, kind=kind_of(record))}"
    if flag_of(record) == fmt.FLAG_UNRELIABLE:
        text += f"; {UNRELIABLE}"
    return text


def value_with_ci(record: EstimateRecord | None, level: float = 0.95) -> str:
    """``38,4 % (95-%-KI 33,8–43,2 %)``; suppressed → ``nicht ausgewiesen``."""
    if not shown(record):
        return "nicht ausgewiesen"
    return f"{plain_value(record)} ({ci_text(record, level)})"



def problem_label(label: str) -> str:
    """``ziemliches oder großes Problem: Müll`` → ``Müll``."""
    return label.split(": ", 1)[1] if ": " in label else label
