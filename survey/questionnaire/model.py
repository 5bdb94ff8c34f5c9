"""The loaded questionnaire: sections, questions, data variables and indicator definitions.

These are the validated, resolved objects the rest of the application works with (intake, web form,
paper form, codebook, analysis). They are built by :func:`survey.questionnaire.loader.load_questionnaire`
from the German-keyed YAML (see ``questionnaires/README.md``); placeholders, the commune's Ortsteile and
the birth-year range are already filled in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr

from analysis.core.indicators import AnyOfIndicator, Domain, IndicatorSpec, MeanIndex, ShareIndicator
from survey.questionnaire.conditions import Condition

QuestionKind = Literal["single", "grid", "multi", "number", "birthyear", "text"]
VariableKind = Literal["code", "number", "birthyear", "text", "flag"]
IndicatorKind = Literal["anteil", "irgendein", "index"]

FLAG_CODES: dict[int, str] = {0: "nicht genannt", 1: "genannt"}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Variable(_Frozen):
    """One data column (``resp_id`` aside): a single question, a grid row, or one option of a multi question.

    ``codes`` are the valid codes with labels (empty for number, birth year and text); ``missing_codes``
    are codes that are accepted but count as missing (8 weiß nicht, 9 keine Angabe). ``commune_codes``
    is True for the Ortsteil list: its codes come from analyse.yaml and are empty if none were given.
    ``reversed`` marks a grid row worded against the other rows (``umgepolt: true``): the same answer to
    it and to the others is a contradiction (the intake's check of uniform answers uses this).
    ``untranslated`` (loaded in another language than German) names the fields still in German:
    ``label``, ``question_text``, ``unit``, ``codes.<code>``, ``missing_codes.<code>``.
    """

    id: str
    question_id: str
    section_id: str
    label: str
    question_text: str
    kind: VariableKind
    codes: dict[int, str] = {}
    missing_codes: dict[int, str] = {}
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None
    filter: Condition | None = None
    core: bool = False
    commune_codes: bool = False
    reversed: bool = False
    untranslated: frozenset[str] = frozenset()

    @property
    def valid_codes(self) -> frozenset[int]:
        return frozenset(self.codes)

    @property
    def all_codes(self) -> dict[int, str]:
        """Valid and missing codes with labels (what a response may contain besides a blank)."""
        return {**self.codes, **self.missing_codes}


class Question(_Frozen):
    """A question as asked; ``variables`` are its data columns (``untranslated``: ``text``, ``help``)."""

    id: str
    kind: QuestionKind
    text: str
    help: str | None = None
    filter: Condition | None = None
    variables: list[Variable]
    section_id: str
    core: bool = False
    untranslated: frozenset[str] = frozenset()


class Section(_Frozen):
    id: str
    title: str
    intro: str | None = None
    questions: list[Question]
    untranslated: frozenset[str] = frozenset()


class IndicatorDefinition(_Frozen):
    """A declarative indicator or index as defined in the YAML (for reports and profiles).

    ``anteil``: share of ``codes`` among the valid answers to ``items[0]`` (within ``among`` if set);
    ``irgendein``: 1 if any item has one of ``codes``, 0 if all have one of ``negative_codes``;
    ``index``: mean of the valid answers to ``items`` if at least ``min_valid`` are valid.
    """

    id: str
    label: str
    kind: IndicatorKind
    items: tuple[str, ...]
    codes: frozenset[int] = frozenset()
    negative_codes: frozenset[int] = frozenset()
    valid_codes: frozenset[int] = frozenset()
    among: Condition | None = None
    min_valid: int | None = None
    core: bool = False
    polarity: int | None = None  # +1 higher is worse, -1 higher is better, None neutral (YAML »richtung«)

    @property
    def is_index(self) -> bool:
        return self.kind == "index"

    def to_spec(self) -> IndicatorSpec:
        """The engine's specification (:mod:`analysis.core.indicators`) for this definition."""
        if self.kind == "anteil":
            among = Domain(self.among.item, frozenset(self.among.codes)) if self.among is not None else None
            return ShareIndicator(
                id=self.id, label=self.label, item=self.items[0], codes=frozenset(self.codes),
                valid_codes=frozenset(self.valid_codes), among=among, core=self.core,
            )
        if self.kind == "irgendein":
            return AnyOfIndicator(
                id=self.id, label=self.label, items=tuple(self.items), codes=frozenset(self.codes),
                negative_codes=frozenset(self.negative_codes), core=self.core,
            )
        return MeanIndex(
            id=self.id, label=self.label, items=tuple(self.items), valid_codes=frozenset(self.valid_codes),
            min_valid=int(self.min_valid or 1), core=self.core,
        )


class AgeGroup(_Frozen):
    """An age band for weighting and breakdowns, e.g. ``16-29`` (``maximum`` None = open-ended)."""

    label: str
    minimum: int
    maximum: int | None = None

    def contains(self, age: float) -> bool:
        return age >= self.minimum and (self.maximum is None or age <= self.maximum)


DEFAULT_AGE_GROUPS = (
    AgeGroup(label="16-29", minimum=16, maximum=29),
    AgeGroup(label="30-44", minimum=30, maximum=44),
    AgeGroup(label="45-59", minimum=45, maximum=59),
    AgeGroup(label="60-74", minimum=60, maximum=74),
    AgeGroup(label="75+", minimum=75, maximum=None),
)


class Questionnaire(_Frozen):
    """A complete, resolved questionnaire.

    ``variables`` lists one entry per data column in questionnaire order. ``language`` is the language
    of the texts (``de`` unless loaded with ``sprache=``; ids, codes and filters are the same in every
    language); ``untranslated`` names the questionnaire's own fields still in German (``title``,
    ``intro``), the elements carry their own. Lookups by id
    (:meth:`variable`, :meth:`question`, :meth:`indicator`) return ``None`` for unknown ids.
    """

    id: str
    version: str
    core_version: str
    title: str
    intro: str | None = None
    source_path: Path | None = None
    kommune: str | None = None
    sections: list[Section]
    indicators: list[IndicatorDefinition] = []
    age_groups: tuple[AgeGroup, ...] = DEFAULT_AGE_GROUPS
    language: str = "de"
    untranslated: frozenset[str] = frozenset()

    _variables: dict[str, Variable] = PrivateAttr(default_factory=dict)
    _questions: dict[str, Question] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object) -> None:
        for section in self.sections:
            for question in section.questions:
                self._questions[question.id] = question
                for variable in question.variables:
                    self._variables[variable.id] = variable

    @property
    def questions(self) -> list[Question]:
        return list(self._questions.values())

    @property
    def variables(self) -> list[Variable]:
        return list(self._variables.values())

    @property
    def variable_ids(self) -> list[str]:
        return list(self._variables)

    @property
    def core_variables(self) -> list[Variable]:
        return [variable for variable in self._variables.values() if variable.core]

    def variable(self, variable_id: str) -> Variable | None:
        """The variable (data column) ``variable_id``, or ``None`` if the questionnaire has none."""
        return self._variables.get(variable_id)

    def question(self, question_id: str) -> Question | None:
        """The question ``question_id``, or ``None``."""
        return self._questions.get(question_id)

    def section(self, section_id: str) -> Section | None:
        return next((section for section in self.sections if section.id == section_id), None)

    def indicator(self, indicator_id: str) -> IndicatorDefinition | None:
        return next((ind for ind in self.indicators if ind.id == indicator_id), None)

    def indicator_specs(self) -> list[IndicatorSpec]:
        """All indicators and indices as :mod:`analysis.core.indicators` specs, in definition order."""
        return [definition.to_spec() for definition in self.indicators]

    def polarity(self) -> dict[str, int]:
        """``{indicator id: +1 | -1}`` for the indicators with a ``richtung`` (higher is worse / better)."""
        return {d.id: d.polarity for d in self.indicators if d.polarity is not None}

    def age_group(self, age: float) -> AgeGroup | None:
        """The age group containing ``age`` or ``None``."""
        return next((group for group in self.age_groups if group.contains(age)), None)
