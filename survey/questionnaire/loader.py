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
from survey.languages import SOURCE
from survey.questionnaire import translations as T
from survey.resources import questionnaires_dir
from survey.yamlfile import Location, YamlDocument, raise_validation_error, read_yaml_model

PLACEHOLDER = "{kommune}"


def shipped_questionnaires() -> list[str]:
    """Ids of the questionnaires shipped in ``questionnaires/``."""
    # ``<id>.<sprache>.yaml`` are translations (ids never contain a dot)
    return sorted(path.stem for path in questionnaires_dir().glob("*.yaml") if "." not in path.stem)


def resolve_questionnaire_path(ref: str | Path) -> Path:
    """The YAML file for ``ref``: an existing path, or the id of a shipped questionnaire."""
    path = Path(ref)
    if path.is_file():
        return path
    text = str(ref)
    looks_like_path = path.suffix in {".yaml", ".yml"} or "/" in text or "\\" in text or "." in text
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
    sprache: str | None = None,
) -> Questionnaire:
    """Load and validate a questionnaire.

    ``kommune`` replaces ``{kommune}`` in all texts (left unchanged if None); ``ortsteile`` supplies the
    codes of questions with ``optionen: ortsteile``; ``jahr`` sets the birth-year range (age
    ``min_alter``..``max_alter``, by default 16..105). ``sprache`` (a code of :mod:`survey.languages`)
    takes the texts from the translation file ``<stem>.<sprache>.yaml`` beside the questionnaire; texts it
    lacks stay German and are named in the elements' ``untranslated``. Ids, codes and filters never
    depend on the language. Raises :class:`DefinitionError` with file and line.
    """
    path = resolve_questionnaire_path(ref)
    raw, document = _read_raw(path)
    texts, language = None, SOURCE
    if sprache is not None:
        language = _language(sprache)
        if language != SOURCE:
            texts = _translation_texts(path, raw, document, language)
    builder = _Builder(raw, document, kommune, dict(ortsteile) if ortsteile else None, jahr, texts)
    return builder.build(language)


def _read_raw(path: Path) -> tuple[RawQuestionnaire, YamlDocument]:
    return read_yaml_model(
        path, RawQuestionnaire, DefinitionError,
        "Ein Fragebogen muss aus »Schlüssel: Wert«-Angaben bestehen (id, titel, abschnitte, …).",
        on_invalid=_raise_schema_error,
    )


def german_texts(ref: str | Path) -> tuple[Path, RawQuestionnaire, list[T.TextEntry]]:
    """(file, raw definition, every translatable German text) of a questionnaire, for translation tools."""
    path = resolve_questionnaire_path(ref)
    raw, document = _read_raw(path)
    return path, raw, T.text_entries(raw, document)


def _language(code: str) -> str:
    from survey.languages import LanguageError, language

    try:
        return language(code).code
    except LanguageError as error:
        raise DefinitionError(error.message) from None


def _translation_texts(path: Path, raw: RawQuestionnaire, document: YamlDocument, code: str) -> dict[str, str]:
    """The texts of the translation into ``code``; a broken translation fails with file and line."""
    from survey.languages import LANGUAGES
    from survey.questionnaire.translations import check_translation, read_translation, text_entries, translation_path

    file = translation_path(path, code)
    if not file.is_file():
        raise DefinitionError(f"Für den Fragebogen »{raw.id}« gibt es keine Übersetzung in "
                              f"{LANGUAGES[code].german_name} ({code}); erwartet wird die Datei {file}.")
    translation = read_translation(file)
    check = check_translation(translation, text_entries(raw, document), raw.id, path)
    if check.errors:
        raise DefinitionError(check.errors[0] + (f" (und {len(check.errors) - 1} weitere Fehler; "
                                                 "»sicherheitsanalyse fragebogen pruefen« zeigt alle)"
                                                 if len(check.errors) > 1 else ""))
    return translation.texts


class _Builder:
    """Resolves one validated raw questionnaire into the model; reports errors with lines."""

    def __init__(self, raw: RawQuestionnaire, document: YamlDocument, kommune: str | None,
                 ortsteile: dict[int, str] | None, jahr: int | None, texts: dict[str, str] | None = None):
        self.raw = raw
        self.texts = texts
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

    def tr(self, value: str | None, path: str | None) -> tuple[str | None, bool]:
        """(text in the questionnaire's language, whether it stayed German for lack of a translation)."""
        if value is None or self.texts is None or path is None:
            return self.text(value), False
        translated = self.texts.get(path)
        if translated is None:
            return self.text(value), True
        return self.text(translated), False

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

    def build(self, language: str = SOURCE) -> Questionnaire:
        raw = self.raw
        sections = [self.section(i) for i in range(len(raw.abschnitte))]
        age_groups = DEFAULT_AGE_GROUPS
        if raw.altersgruppen:
            age_groups = tuple(AgeGroup(label=g.label, minimum=g.von, maximum=g.bis) for g in raw.altersgruppen)
        indicators = build_indicators(raw, self.variables, self.fail, self.text)
        title, title_german = self.tr(raw.titel, "titel")
        intro, intro_german = self.tr(raw.einleitung, "einleitung")
        return Questionnaire(
            id=raw.id, version=raw.version, core_version=raw.kern_version,
            title=title, intro=intro, source_path=self.document.path, kommune=self.kommune, sections=sections,
            indicators=indicators, age_groups=age_groups, language=language,
            untranslated=_fields(title=title_german, intro=intro_german),
        )

    def section(self, i: int) -> Section:
        raw = self.raw.abschnitte[i]
        self.register(raw.id, ("abschnitte", i, "id"), self.section_ids)
        questions = [self.question(raw.fragen[j], raw.id, ("abschnitte", i, "fragen", j))
                     for j in range(len(raw.fragen))]
        title, title_german = self.tr(raw.titel, T.section_path(raw.id, "titel"))
        intro, intro_german = self.tr(raw.einleitung, T.section_path(raw.id, "einleitung"))
        return Section(id=raw.id, title=title, intro=intro, questions=questions,
                       untranslated=_fields(title=title_german, intro=intro_german))

    def codes_of(self, raw: RawQuestion, location: Location) -> tuple[dict[int, str], dict[int, str], bool, set[str]]:
        """Valid codes, missing codes, whether the codes are the commune's Ortsteil list, and the labels
        still in German (``codes.<code>``, ``missing_codes.<code>``)."""
        default_missing = {code: (label, T.missing_path(code)) for code, label in self.raw.fehlende_codes.items()}
        commune = False
        if raw.typ in {"zahl", "geburtsjahr", "text"}:
            codes: dict = {}
            missing = self._own_missing(raw)
        elif raw.skala is not None:
            scale = self.raw.skalen.get(raw.skala)
            if scale is None:
                known = ", ".join(self.raw.skalen) or "keine"
                self.fail(f"Frage »{raw.id}« verweist auf die unbekannte Skala »{raw.skala}« "
                          f"(definiert: {known}).", (*location, "skala"))
            codes = {code: (label, T.scale_path(raw.skala, code)) for code, label in scale.codes.items()}
            if raw.fehlend is not None:
                missing = self._own_missing(raw)
            elif scale.fehlend is not None:
                missing = {code: (label, T.scale_path(raw.skala, code, True)) for code, label in scale.fehlend.items()}
            else:
                missing = default_missing
        elif raw.optionen == ORTSTEILE:
            codes, commune = {code: (name, None) for code, name in (self.ortsteile or {}).items()}, True
            missing = self._own_missing(raw)
        else:
            codes = {code: (label, T.question_path(raw.id, "optionen", code)) for code, label in raw.optionen.items()}
            missing = default_missing if raw.fehlend is None else self._own_missing(raw)
        if raw.typ == "mehrfach":
            missing = self._own_missing(raw)
        overlap = sorted(set(codes) & set(missing))
        if overlap:
            where = "Ortsteil-Liste aus analyse.yaml" if commune else "Codes"
            self.fail(f"Frage »{raw.id}«: Code {overlap[0]} steht sowohl in der {where} als auch bei den "
                      "fehlenden Codes.", (*location, "fehlend" if raw.fehlend is not None else "id"))
        german: set[str] = set()
        resolved: dict[int, str] = {}
        for code, (label, path) in codes.items():
            resolved[code], stayed = self.tr(label, path)
            if stayed:
                german.add(f"codes.{code}")
        resolved_missing: dict[int, str] = {}
        for code, (label, path) in missing.items():
            resolved_missing[code], stayed = self.tr(label, path)
            if stayed:
                german.add(f"missing_codes.{code}")
        return resolved, resolved_missing, commune, german

    @staticmethod
    def _own_missing(raw: RawQuestion) -> dict[int, tuple[str, str]]:
        return {code: (label, T.question_path(raw.id, "fehlend", code)) for code, label in (raw.fehlend or {}).items()}

    def question(self, raw: RawQuestion, section_id: str, location: Location) -> Question:
        self.register(raw.id, (*location, "id"))
        question_filter = self.condition(raw.filter, raw.id, (*location, "filter"))
        codes, missing, commune, german_codes = self.codes_of(raw, location)
        text, text_german = self.tr(raw.text, T.question_path(raw.id, "text"))
        help_text, help_german = self.tr(raw.hinweis, T.question_path(raw.id, "hinweis"))
        unit, unit_german = self.tr(raw.einheit, T.question_path(raw.id, "einheit"))
        common = dict(question_id=raw.id, section_id=section_id, question_text=text, core=raw.kern)
        variables: list[Variable] = []
        if raw.typ == "matrix":
            for k, item in enumerate(raw.items):
                item_location = (*location, "items", k)
                if item.id != raw.id:
                    self.register(item.id, (*item_location, "id"))
                item_filter = self.condition(item.filter, item.id, (*item_location, "filter"))
                label, label_german = self.tr(item.text, T.question_path(raw.id, "items", item.id))
                variables.append(Variable(
                    id=item.id, label=label, kind="code", codes=codes, missing_codes=missing,
                    filter=item_filter or question_filter, reversed=item.umgepolt,
                    untranslated=_fields(german_codes, label=label_german, question_text=text_german),
                    **{**common, "core": raw.kern if item.kern is None else item.kern},
                ))
        elif raw.typ == "mehrfach":
            for code, label in codes.items():
                variable_id = f"{raw.id}_{code}"
                self.register(variable_id, (*location, "optionen", code))
                variables.append(Variable(
                    id=variable_id, label=label, kind="flag", codes=dict(FLAG_CODES), missing_codes=missing,
                    filter=question_filter,
                    untranslated=_fields({f for f in german_codes if f.startswith("missing_codes.")},
                                         label=f"codes.{code}" in german_codes, question_text=text_german),
                    **common))
        else:
            kind = {"einfach": "code", "zahl": "number", "geburtsjahr": "birthyear", "text": "text"}[raw.typ]
            minimum, maximum = raw.min, raw.max
            if raw.typ == "geburtsjahr" and self.jahr is not None:
                minimum, maximum = self.jahr - raw.max_alter, self.jahr - raw.min_alter
            variables.append(Variable(
                id=raw.id, label=text, kind=kind, codes=codes, missing_codes=missing, minimum=minimum,
                maximum=maximum, unit=unit, filter=question_filter, commune_codes=commune,
                untranslated=_fields(german_codes, label=text_german, question_text=text_german, unit=unit_german),
                **common,
            ))
        for variable in variables:
            self.variables[variable.id] = variable
        return Question(id=raw.id, kind=KIND_OF_TYPE[raw.typ], text=text, help=help_text,
                        filter=question_filter, variables=variables, section_id=section_id, core=raw.kern,
                        untranslated=_fields(text=text_german, help=help_german))

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


def _fields(base: set[str] | frozenset[str] = frozenset(), **flags: bool) -> frozenset[str]:
    """Names of the fields still in German: ``base`` plus every keyword whose flag is True."""
    return frozenset(base) | {name for name, flag in flags.items() if flag}


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
