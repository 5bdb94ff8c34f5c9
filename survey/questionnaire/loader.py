"""Load a questionnaire YAML into the resolved model, with German errors naming file and line.

``load_questionnaire(ref)`` accepts the id of a shipped questionnaire (``questionnaires/<id>.yaml``) or
a path. Structural checks come from :mod:`survey.questionnaire.schema`; cross-references (scales,
duplicate ids, filters, indicators) are checked here while the model is built, so every error points at
the line of the offending key.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

from survey.errors import DefinitionError
from survey.questionnaire.conditions import Condition
from survey.questionnaire.indicators import build_indicators
from survey.questionnaire.model import (
    DEFAULT_AGE_GROUPS, FLAG_CODES, AgeGroup, Question, Questionnaire, Section, Variable,
)
from survey.questionnaire.schema import (
    KIND_OF_TYPE, ORTSTEILE, RawCondition, RawQuestion, RawQuestionnaire,
)
from survey.resources import questionnaires_dir
from survey.yamlfile import Location, YamlDocument, raise_validation_error, read_yaml_model

PLACEHOLDER = "{kommune}"


def shipped_questionnaires() -> list[str]:
    """Ids of the questionnaires shipped in ``questionnaires/``."""
    return sorted(path.stem for path in questionnaires_dir().glob("*.yaml"))


def resolve_questionnaire_path(ref: str | Path) -> Path:
    """The YAML file for ``ref``: an existing path, or the id of a shipped questionnaire."""
    path = Path(ref)
    if path.is_file():
        return path
    text = str(ref)
    looks_like_path = path.suffix in {".yaml", ".yml"} or "/" in text or "\\" in text
    if not looks_like_path:
        shipped = questionnaires_dir() / f"{text}.yaml"
        if shipped.is_file():
            return shipped
    available = ", ".join(shipped_questionnaires()) or "keine"
    raise DefinitionError(
        f"Fragebogen »{text}« nicht gefunden: weder eine vorhandene Datei noch die ID eines "
        f"mitgelieferten Fragebogens (verfügbar: {available})."
    )


def load_questionnaire(
    ref: str | Path,
    *,
    kommune: str | None = None,
    ortsteile: Mapping[int, str] | None = None,
    jahr: int | None = None,
) -> Questionnaire:
    """Load and validate a questionnaire.

    ``kommune`` replaces ``{kommune}`` in all texts (left unchanged if None); ``ortsteile`` supplies the
    codes of questions with ``optionen: ortsteile``; ``jahr`` sets the birth-year range (age
    ``min_alter``..``max_alter``, by default 16..105). Raises :class:`DefinitionError` with file and line.
    """
    path = resolve_questionnaire_path(ref)
    raw, document = read_yaml_model(
        path, RawQuestionnaire, DefinitionError,
        "Ein Fragebogen muss aus »Schlüssel: Wert«-Angaben bestehen (id, titel, abschnitte, …).",
        on_invalid=_raise_schema_error,
    )
    builder = _Builder(raw, document, kommune, dict(ortsteile) if ortsteile else None, jahr)
    return builder.build()


class _Builder:
    """Resolves one validated raw questionnaire into the model; reports errors with lines."""

    def __init__(self, raw: RawQuestionnaire, document: YamlDocument, kommune: str | None,
                 ortsteile: dict[int, str] | None, jahr: int | None):
        self.raw = raw
        self.document = document
        self.kommune = kommune
        self.ortsteile = ortsteile
        self.jahr = jahr
        self.ids: dict[str, Location] = {}
        self.section_ids: dict[str, Location] = {}
        self.variables: dict[str, Variable] = {}
        self.all_variable_ids = self._collect_variable_ids()

    # -- helpers ---------------------------------------------------------------------------------

    def fail(self, message: str, location: Location) -> None:
        raise DefinitionError(message, path=self.document.path, line=self.document.line_of(location))

    def text(self, value: str | None) -> str | None:
        if value is None or self.kommune is None:
            return value
        return value.replace(PLACEHOLDER, self.kommune)

    def register(self, identifier: str, location: Location, ids: dict[str, Location] | None = None) -> None:
        """Record an id of a question or variable (or, with ``ids``, of a section); duplicates fail."""
        ids = self.ids if ids is None else ids
        if identifier in ids:
            first = self.document.line_of(ids[identifier])
            self.fail(f"Die ID »{identifier}« ist doppelt vergeben (zuerst in Zeile {first}).", location)
        ids[identifier] = location

    def _collect_variable_ids(self) -> dict[str, Location]:
        found: dict[str, Location] = {}
        for i, section in enumerate(self.raw.abschnitte):
            for j, question in enumerate(section.fragen):
                for variable_id, location in _variable_ids(question, ("abschnitte", i, "fragen", j)):
                    found.setdefault(variable_id, location)
        return found

    # -- build -----------------------------------------------------------------------------------

    def build(self) -> Questionnaire:
        raw = self.raw
        sections = [self.section(i) for i in range(len(raw.abschnitte))]
        age_groups = DEFAULT_AGE_GROUPS
        if raw.altersgruppen:
            age_groups = tuple(AgeGroup(label=g.label, minimum=g.von, maximum=g.bis) for g in raw.altersgruppen)
        indicators = build_indicators(raw, self.variables, self.fail, self.text)
        return Questionnaire(
            id=raw.id, version=raw.version, core_version=raw.kern_version,
            title=self.text(raw.titel), intro=self.text(raw.einleitung),
            source_path=self.document.path, kommune=self.kommune, sections=sections,
            indicators=indicators, age_groups=age_groups,
        )

    def section(self, i: int) -> Section:
        raw = self.raw.abschnitte[i]
        self.register(raw.id, ("abschnitte", i, "id"), self.section_ids)
        questions = [self.question(raw.fragen[j], raw.id, ("abschnitte", i, "fragen", j))
                     for j in range(len(raw.fragen))]
        return Section(id=raw.id, title=self.text(raw.titel), intro=self.text(raw.einleitung),
                       questions=questions)

    def codes_of(self, raw: RawQuestion, location: Location) -> tuple[dict[int, str], dict[int, str], bool]:
        """Valid codes, missing codes and whether the codes are the commune's Ortsteil list."""
        default_missing = dict(self.raw.fehlende_codes)
        commune = False
        if raw.typ in {"zahl", "geburtsjahr", "text"}:
            return {}, dict(raw.fehlend or {}), False
        if raw.skala is not None:
            scale = self.raw.skalen.get(raw.skala)
            if scale is None:
                known = ", ".join(self.raw.skalen) or "keine"
                self.fail(f"Frage »{raw.id}« verweist auf die unbekannte Skala »{raw.skala}« "
                          f"(definiert: {known}).", (*location, "skala"))
            codes = dict(scale.codes)
            missing = raw.fehlend if raw.fehlend is not None else scale.fehlend
            missing = dict(default_missing if missing is None else missing)
        elif raw.optionen == ORTSTEILE:
            codes, commune = dict(self.ortsteile or {}), True
            missing = dict(raw.fehlend or {})
        else:
            codes = dict(raw.optionen)
            missing = dict(default_missing if raw.fehlend is None else raw.fehlend)
        if raw.typ == "mehrfach":
            missing = dict(raw.fehlend or {})
        overlap = sorted(set(codes) & set(missing))
        if overlap:
            where = "Ortsteil-Liste aus analyse.yaml" if commune else "Codes"
            self.fail(f"Frage »{raw.id}«: Code {overlap[0]} steht sowohl in der {where} als auch bei den "
                      "fehlenden Codes.", (*location, "fehlend" if raw.fehlend is not None else "id"))
        return {k: self.text(v) for k, v in codes.items()}, missing, commune

    def question(self, raw: RawQuestion, section_id: str, location: Location) -> Question:
        self.register(raw.id, (*location, "id"))
        question_filter = self.condition(raw.filter, raw.id, (*location, "filter"))
        codes, missing, commune = self.codes_of(raw, location)
        text = self.text(raw.text)
        common = dict(question_id=raw.id, section_id=section_id, question_text=text, core=raw.kern)
        variables: list[Variable] = []
        if raw.typ == "matrix":
            for k, item in enumerate(raw.items):
                item_location = (*location, "items", k)
                if item.id != raw.id:
                    self.register(item.id, (*item_location, "id"))
                item_filter = self.condition(item.filter, item.id, (*item_location, "filter"))
                variables.append(Variable(
                    id=item.id, label=self.text(item.text), kind="code", codes=codes, missing_codes=missing,
                    filter=item_filter or question_filter, reversed=item.umgepolt,
                    **{**common, "core": raw.kern if item.kern is None else item.kern},
                ))
        elif raw.typ == "mehrfach":
            for code, label in codes.items():
                variable_id = f"{raw.id}_{code}"
                self.register(variable_id, (*location, "optionen", code))
                variables.append(Variable(id=variable_id, label=label, kind="flag", codes=dict(FLAG_CODES),
                                          missing_codes=missing, filter=question_filter, **common))
        else:
            kind = {"einfach": "code", "zahl": "number", "geburtsjahr": "birthyear", "text": "text"}[raw.typ]
            minimum, maximum = raw.min, raw.max
            if raw.typ == "geburtsjahr" and self.jahr is not None:
                minimum, maximum = self.jahr - raw.max_alter, self.jahr - raw.min_alter
            variables.append(Variable(
                id=raw.id, label=text, kind=kind, codes=codes, missing_codes=missing, minimum=minimum,
                maximum=maximum, unit=raw.einheit, filter=question_filter, commune_codes=commune, **common,
            ))
        for variable in variables:
            self.variables[variable.id] = variable
        return Question(id=raw.id, kind=KIND_OF_TYPE[raw.typ], text=text, help=self.text(raw.hinweis),
                        filter=question_filter, variables=variables, section_id=section_id, core=raw.kern)

    def condition(self, raw: RawCondition | None, owner: str, location: Location) -> Condition | None:
        """A filter condition; its items must be coded variables asked before ``owner``."""
        if raw is None:
            return None
        if raw.alle is not None or raw.irgendein is not None:
            key = "alle" if raw.alle is not None else "irgendein"
            parts = tuple(self.condition(part, owner, (*location, key, n))
                          for n, part in enumerate(getattr(raw, key)))
            return Condition(all_of=parts) if key == "alle" else Condition(any_of=parts)
        variable = self.variables.get(raw.item)
        if variable is None:
            later = self.all_variable_ids.get(raw.item)
            if later is not None and raw.item != owner:
                self.fail(f"Der Filter von »{owner}« bezieht sich auf »{raw.item}«, das erst später im "
                          f"Fragebogen gefragt wird (Zeile {self.document.line_of(later)}); ein Filter "
                          "darf nur auf vorher gestellte Fragen verweisen.", (*location, "item"))
            self.fail(f"Der Filter von »{owner}« bezieht sich auf »{raw.item}«, das es im Fragebogen "
                      "nicht gibt.", (*location, "item"))
        if variable.kind not in {"code", "flag"}:
            self.fail(f"Der Filter von »{owner}« bezieht sich auf »{raw.item}«; Filter sind nur auf "
                      "Fragen mit Codes (einfach, matrix, mehrfach) möglich.", (*location, "item"))
        unknown = sorted(set(raw.codes) - set(variable.all_codes))
        if unknown and not variable.commune_codes:
            self.fail(f"Der Filter von »{owner}« nennt Code {unknown[0]}, den »{raw.item}« nicht hat "
                      f"(Codes: {_code_list(variable.all_codes)}).", (*location, "codes"))
        return Condition(item=raw.item, codes=frozenset(raw.codes), missing_codes=frozenset(variable.missing_codes))


def _raise_schema_error(error: ValidationError, document: YamlDocument) -> None:
    """German message for the first schema error; names the question if the error lies inside one."""
    location = tuple(error.errors(include_url=False)[0].get("loc", ()))
    owner = None
    if len(location) >= 4 and location[0] == "abschnitte" and location[2] == "fragen":
        try:
            owner = document.data["abschnitte"][location[1]]["fragen"][location[3]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            owner = None
    try:
        raise_validation_error(error, document, DefinitionError)
    except DefinitionError as failure:
        if owner is None or len(location) == 4:
            raise
        prefix = f"{failure.path}, Zeile {failure.line}: " if failure.line is not None else f"{failure.path}: "
        detail = failure.message.removeprefix(prefix)
        raise DefinitionError(f"Frage »{owner}«: {detail}", path=failure.path, line=failure.line) from None


def _variable_ids(question: RawQuestion, location: Location) -> list[tuple[str, Location]]:
    if question.typ == "matrix":
        return [(item.id, (*location, "items", k, "id")) for k, item in enumerate(question.items or [])]
    if question.typ == "mehrfach" and isinstance(question.optionen, dict):
        return [(f"{question.id}_{code}", (*location, "optionen", code)) for code in question.optionen]
    return [(question.id, (*location, "id"))]


def _code_list(codes: Mapping[int, str]) -> str:
    return ", ".join(str(code) for code in sorted(codes)) or "keine"
