"""Load the recommendation rules (YAML, German keys) into the engine's plain rule objects.

The shipped rules are ``survey/recommendation_rules.yaml``; a file ``empfehlungen.yaml`` in the analysis
folder replaces them. The format is documented in the file's header comment. Every error names the file
and line (``survey.errors.DefinitionError``). Evaluation is generic and lives in
``analysis.profile.recommendations``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from analysis.profile.recommendations import Condition, FactKey, Rule, parse_comparison
from survey.errors import DefinitionError
from survey.yamlfile import read_yaml_model

SHIPPED_RULES = Path(__file__).with_name("recommendation_rules.yaml")
FOLDER_RULES_NAME = "empfehlungen.yaml"

# German measure names in the YAML -> fact measures in the engine, per source.
MEASURES = {
    "indikator": {"schaetzwert": "estimate", "standardisiert": "standardised"},
    "problem": {"zusammenhang": "association", "verbreitung": "estimate"},
    "pks": {"rate_ratio_landkreis": "rate_ratio_landkreis", "rate_ratio_sachsen": "rate_ratio_sachsen",
            "trend": "trend", "hz": "hz"},
    "treiber": {"ame": "ame", "odds_ratio": "odds_ratio"},
}
SOURCES = {"indikator": "indicator", "problem": "problem", "pks": "pks", "treiber": "driver"}
DEFAULT_MEASURE = {"indikator": "schaetzwert", "problem": "zusammenhang", "pks": "rate_ratio_landkreis",
                   "treiber": "ame"}
# »befund:« conditions: German kind words -> finding kinds, and the sources each kind can name
FINDING_KINDS = {"untergruppe": "subgroup", "ortsteil": "hotspot", "trend": "trend", "vergleich": "reference",
                 "zusammenhang": "association"}
FINDING_SOURCES = {"subgroup": "indikator", "hotspot": "indikator", "trend": "pks", "reference": "pks",
                   "association": "treiber"}
STRENGTHS = {"schwach": "weak", "deutlich": "clear", "stark": "strong"}
DIRECTIONS = {"schlechter": "worse", "besser": "better", "hoeher": "higher", "niedriger": "lower"}
AREAS = {"landkreis": "landkreis", "sachsen": "sachsen"}
COMPARISON_WORDS = {"schaetzwert": "estimate", "schwelle": "threshold",
                    "ueber_referenz": "above_reference", "unter_referenz": "below_reference"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GroupSpec(_Strict):
    nach: Literal["geschlecht", "altersgruppe", "ortsteil"]
    code: int | str | None = None


class ReferenceSpec(_Strict):
    wert: float
    quelle: str


class ConditionSpec(_Strict):
    indikator: str | None = None
    problem: str | None = None
    pks: str | None = None
    treiber: str | None = None
    kennzahl: str | None = None
    gruppe: GroupSpec | None = None
    vergleich: str | None = None
    schwelle: float | None = None
    referenz: ReferenceSpec | Literal["gesamt"] | None = None
    befund: Literal["untergruppe", "ortsteil", "trend", "vergleich", "zusammenhang"] | None = None
    mindestens: Literal["schwach", "deutlich", "stark"] = "schwach"
    richtung: Literal["schlechter", "besser", "hoeher", "niedriger"] | None = None
    gebiet: Literal["landkreis", "sachsen"] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> "ConditionSpec":
        sources = [name for name in SOURCES if getattr(self, name) is not None]
        if len(sources) != 1:
            raise ValueError("Eine Bedingung nennt genau eine Quelle: indikator, problem, pks oder treiber.")
        source = sources[0]
        if self.befund is not None:
            return self._finding_condition(source)
        if self.vergleich is None:
            raise ValueError("Eine Bedingung braucht »vergleich« (mit »schwelle« oder »referenz«) oder »befund«.")
        if self.gebiet is not None or self.richtung is not None:
            raise ValueError("»gebiet« und »richtung« gibt es nur bei Bedingungen mit »befund«.")
        measure = self.kennzahl or DEFAULT_MEASURE[source]
        if measure not in MEASURES[source]:
            allowed = ", ".join(MEASURES[source])
            raise ValueError(f"Kennzahl {measure!r} passt nicht zur Quelle »{source}«; erlaubt: {allowed}.")
        try:
            field, op = parse_comparison(_english_comparison(self.vergleich))
        except ValueError:
            raise ValueError(
                f"Vergleich {self.vergleich!r} ist unbekannt; erlaubt sind »<Feld> <Operator> schwelle« mit Feld "
                "schaetzwert, ci_low oder ci_high und Operator >=, >, <=, < sowie »ueber_referenz« und "
                "»unter_referenz«.") from None
        if op is not None and self.schwelle is None:
            raise ValueError(f"Vergleich {self.vergleich!r} braucht eine »schwelle«.")
        if self.gruppe is not None and source != "indikator":
            raise ValueError("»gruppe« ist nur bei »indikator« möglich.")
        if self.referenz == "gesamt" and (self.gruppe is None or op is not None):
            raise ValueError("»referenz: gesamt« gilt nur für Untergruppen mit ueber_referenz/unter_referenz.")
        return self

    def _finding_condition(self, source: str) -> "ConditionSpec":
        kind = FINDING_KINDS[self.befund]
        if FINDING_SOURCES[kind] != source:
            raise ValueError(f"»befund: {self.befund}« braucht die Quelle »{FINDING_SOURCES[kind]}«, nicht »{source}«.")
        extra = [name for name in ("vergleich", "schwelle", "referenz", "kennzahl") if getattr(self, name) is not None]
        if extra:
            raise ValueError(f"Eine Bedingung mit »befund« hat kein »{extra[0]}«.")
        if (kind == "reference") != (self.gebiet is not None):
            raise ValueError("»gebiet: landkreis|sachsen« gehört genau zu »befund: vergleich«.")
        if kind == "subgroup" and (self.gruppe is None or self.gruppe.code is None):
            raise ValueError("»befund: untergruppe« braucht »gruppe: {nach: …, code: …}«.")
        if kind != "subgroup" and self.gruppe is not None and kind != "hotspot":
            raise ValueError("»gruppe« ist nur bei »befund: untergruppe« oder »ortsteil« möglich.")
        return self

    def to_condition(self) -> Condition:
        source = next(name for name in SOURCES if getattr(self, name) is not None)
        if self.befund is not None:
            kind = FINDING_KINDS[self.befund]
            group = str(self.gruppe.code) if self.gruppe and self.gruppe.code is not None else None
            by = self.gruppe.nach if self.gruppe else None
            if kind == "reference":
                group = AREAS[self.gebiet]
            return Condition(key=FactKey(SOURCES[source], str(getattr(self, source)), kind, by, group),
                             comparison=f"finding:{kind}", finding=kind, min_strength=STRENGTHS[self.mindestens],
                             direction=DIRECTIONS.get(self.richtung) if self.richtung else None)
        measure = MEASURES[source][self.kennzahl or DEFAULT_MEASURE[source]]
        key = FactKey(
            source=SOURCES[source], id=str(getattr(self, source)), measure=measure,
            by=self.gruppe.nach if self.gruppe else None,
            group=str(self.gruppe.code) if self.gruppe and self.gruppe.code is not None else None,
        )
        if self.referenz == "gesamt":
            # older rule files: a group against the overall value that contains it; evaluated as the
            # group's finding against the REST (subgroup; Ortsteile: the hotspot screen)
            kind = "hotspot" if self.gruppe.nach == "ortsteil" else "subgroup"
            above = _english_comparison(self.vergleich) == "above_reference"
            return Condition(key=FactKey(SOURCES[source], str(getattr(self, source)), kind,
                                         None if kind == "hotspot" and key.group is None else key.by, key.group),
                             comparison=f"finding:{kind}", finding=kind, direction="higher" if above else "lower")
        reference = self.referenz if isinstance(self.referenz, ReferenceSpec) else None
        return Condition(
            key=key, comparison=_english_comparison(self.vergleich), threshold=self.schwelle,
            reference=reference.wert if reference else None,
            reference_source=reference.quelle if reference else None,
            reference_overall=self.referenz == "gesamt",
        )


class SuccessSpec(_Strict):
    """``erfolgsindikator``: a core indicator and a target for the next wave (``ziel: "< 25 %"``) or a
    direction (``richtung: sinken | steigen``)."""

    indikator: str
    ziel: str | None = None
    richtung: str | None = None


class RuleSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    handlungsfeld: str
    titel: str
    empfehlung: str
    massnahmen: list[str] = Field(default_factory=list)
    prioritaet: Literal["hoch", "mittel", "niedrig"] = "mittel"
    verknuepfung: Literal["alle", "eine"] = "alle"
    bedingungen: list[ConditionSpec] = Field(min_length=1)
    weitere_befunde: list[ConditionSpec] = Field(default_factory=list)
    # the plan a council acts on (issue 12); checked in load_rules with German messages
    zustaendigkeit: str | list[str] | None = None
    zeitrahmen: str | None = None
    aufwand: str | None = None
    erfolgsindikator: SuccessSpec | None = None


class RuleFile(_Strict):
    version: int
    handlungsfelder: dict[str, str]
    regeln: list[RuleSpec]

    @field_validator("regeln")
    @classmethod
    def _unique_ids(cls, rules: list[RuleSpec]) -> list[RuleSpec]:
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise ValueError(f"Regel-Kennung {rule.id!r} kommt doppelt vor.")
            seen.add(rule.id)
        return rules


def _english_comparison(text: str) -> str:
    return " ".join(COMPARISON_WORDS.get(word, word) for word in str(text).split())


class RuleSet:
    """Validated rules plus the labels of the fields of action and the plan of each rule (``plans``:
    rule id -> profile fields ``responsible``, ``timeframe``, ``effort``, ``success_indicator``)."""

    def __init__(self, path: Path, fields_of_action: dict[str, str], rules: tuple[Rule, ...],
                 plans: dict[str, dict] | None = None, lines: dict[str, int | None] | None = None):
        self.path = path
        self.fields_of_action = fields_of_action
        self.rules = rules
        self.plans = plans or {}
        self.lines = lines or {}  # rule id -> line of its »erfolgsindikator« (for check_success_indicators)


EFFORT_LEVELS = ("gering", "mittel", "hoch")
SUCCESS_DIRECTIONS = {"sinken": "lower", "steigen": "higher"}
MAX_PLAN_TEXT = 300


def _plan(rule: RuleSpec, path: Path, document, index: int) -> dict:  # noqa: ANN001 - yamlfile document
    """The plan fields of one rule as profile keys, refusing bad values with file, line, rule id and value."""
    from survey.wave_change import parse_target

    def refuse(key: tuple, text: str) -> DefinitionError:
        return DefinitionError(f"Regel {rule.id!r}: {text}", path=path, line=document.line_of(("regeln", index, *key)))

    responsible = rule.zustaendigkeit
    responsible = [responsible] if isinstance(responsible, str) else list(responsible or [])
    for text in responsible + [rule.zeitrahmen or ""]:
        if len(text) > MAX_PLAN_TEXT:
            raise refuse(("zustaendigkeit",), f"Angabe zu lang ({len(text)} Zeichen, höchstens {MAX_PLAN_TEXT}).")
    if any(not text.strip() for text in responsible):
        raise refuse(("zustaendigkeit",), "»zustaendigkeit« enthält einen leeren Eintrag.")
    if rule.aufwand is not None and rule.aufwand not in EFFORT_LEVELS:
        raise refuse(("aufwand",), f"»aufwand« {rule.aufwand!r} ist unbekannt; erlaubt: {', '.join(EFFORT_LEVELS)}.")
    success = None
    spec = rule.erfolgsindikator
    if spec is not None:
        if (spec.ziel is None) == (spec.richtung is None):
            raise refuse(("erfolgsindikator",), "»erfolgsindikator« braucht genau eines von »ziel« (z. B. \"< 25 %\") "
                         "oder »richtung« (sinken oder steigen).")
        if spec.richtung is not None and spec.richtung not in SUCCESS_DIRECTIONS:
            raise refuse(("erfolgsindikator", "richtung"), f"»richtung« {spec.richtung!r} ist unbekannt; erlaubt: "
                         "sinken, steigen.")
        if spec.ziel is not None:
            try:
                parse_target(spec.ziel, spec.indikator)
            except ValueError:
                raise refuse(("erfolgsindikator", "ziel"), f"»ziel« {spec.ziel!r} ist kein Zielwert; erwartet wird ein "
                             "Vergleich mit einer Zahl, z. B. \"< 25 %\", \"<= 0.25\" oder \">= 2,5\".") from None
        success = {"indicator": spec.indikator, "target": spec.ziel,
                   "direction": SUCCESS_DIRECTIONS.get(spec.richtung) if spec.richtung else None}
    return {"responsible": responsible, "timeframe": rule.zeitrahmen, "effort": rule.aufwand,
            "success_indicator": success}


def check_success_indicators(rules: RuleSet, core_indicators: dict[str, str]) -> None:
    """Every ``erfolgsindikator`` of a folder's own rule file names a core indicator of the questionnaire
    (the shipped rules name core indicators of the standard instrument; a reduced questionnaire without
    one of them simply has no change test for it)."""
    if Path(rules.path) == SHIPPED_RULES:
        return
    for rule_id, plan in rules.plans.items():
        success = plan.get("success_indicator")
        if success and success["indicator"] not in core_indicators:
            raise DefinitionError(
                f"Regel {rule_id!r}: »erfolgsindikator« {success['indicator']!r} ist kein Kernindikator des "
                f"Fragebogens; möglich sind z. B. {', '.join(list(core_indicators)[:6])}.",
                path=rules.path, line=rules.lines.get(rule_id))


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Read and validate a rule file (default: the shipped rules)."""
    path = Path(path) if path is not None else SHIPPED_RULES
    parsed, document = read_yaml_model(path, RuleFile, DefinitionError,
                                       "Die Regeldatei muss Schlüssel: Wert-Angaben enthalten.")
    for index, rule in enumerate(parsed.regeln):
        if rule.handlungsfeld not in parsed.handlungsfelder:
            raise DefinitionError(
                f"Regel {rule.id!r}: unbekanntes Handlungsfeld {rule.handlungsfeld!r}; bekannt sind "
                f"{', '.join(parsed.handlungsfelder)}.",
                path=path, line=document.line_of(("regeln", index, "handlungsfeld")),
            )
    rules = tuple(
        Rule(
            id=rule.id, field_of_action=rule.handlungsfeld, title=rule.titel, text=" ".join(rule.empfehlung.split()),
            conditions=tuple(spec.to_condition() for spec in rule.bedingungen),
            combine="any" if rule.verknuepfung == "eine" else "all",
            priority=rule.prioritaet, measures=tuple(rule.massnahmen),
            context=tuple(spec.to_condition() for spec in rule.weitere_befunde),
        )
        for rule in parsed.regeln
    )
    plans = {rule.id: _plan(rule, path, document, index) for index, rule in enumerate(parsed.regeln)}
    lines = {rule.id: document.line_of(("regeln", index, "erfolgsindikator")) for index, rule in enumerate(parsed.regeln)}
    return RuleSet(path, dict(parsed.handlungsfelder), rules, plans, lines)


def rules_for_folder(folder_path: Path) -> RuleSet:
    """The folder's own ``empfehlungen.yaml`` if present, else the shipped rules."""
    own = Path(folder_path) / FOLDER_RULES_NAME
    return load_rules(own if own.exists() else None)
