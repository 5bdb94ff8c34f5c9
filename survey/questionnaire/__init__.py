"""Questionnaire model and loader.

``load_questionnaire(ref, kommune=..., ortsteile=..., jahr=...)`` reads a questionnaire YAML (the id of a
shipped file in ``questionnaires/`` or a path) and returns a resolved, validated :class:`Questionnaire`.
The YAML format is documented in ``questionnaires/README.md``.
"""

from survey.questionnaire.conditions import Condition, parse_code
from survey.questionnaire.loader import load_questionnaire, resolve_questionnaire_path, shipped_questionnaires
from survey.questionnaire.model import (
    AgeGroup, IndicatorDefinition, Question, Questionnaire, Section, Variable,
)

__all__ = [
    "AgeGroup", "Condition", "IndicatorDefinition", "Question", "Questionnaire", "Section", "Variable",
    "load_questionnaire", "parse_code", "resolve_questionnaire_path", "shipped_questionnaires",
]
