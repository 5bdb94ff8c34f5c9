"""Resolve the YAML ``indikatoren`` and ``indizes`` into :class:`IndicatorDefinition` objects.

Checks that every referenced item exists and has codes, that the indicator's codes are valid codes of
the item, and that ids are unique; errors point at the line of the offending key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from survey.questionnaire.conditions import Condition
from survey.questionnaire.model import IndicatorDefinition, Variable
from survey.questionnaire.schema import DIRECTIONS, RawQuestionnaire
from survey.yamlfile import Location

Fail = Callable[[str, Location], None]
Text = Callable[[str | None], str | None]


def build_indicators(raw: RawQuestionnaire, variables: Mapping[str, Variable], fail: Fail,
                     text: Text) -> list[IndicatorDefinition]:
    seen: dict[str, Location] = {}
    result: list[IndicatorDefinition] = []

    def register(identifier: str, location: Location, what: str) -> None:
        if identifier in seen:
            fail(f"Die ID »{identifier}« ist doppelt vergeben ({what}; bereits als Indikator oder Index "
                 "definiert).", location)
        seen[identifier] = location

    def coded(owner: str, item: str, location: Location) -> Variable:
        variable = variables.get(item)
        if variable is None:
            fail(f"{owner} bezieht sich auf das Item »{item}«, das es im Fragebogen nicht gibt.", location)
        if variable.kind not in {"code", "flag"}:
            fail(f"{owner} bezieht sich auf »{item}«, das keine Codes hat (Typ {variable.kind}).", location)
        return variable

    def check_codes(owner: str, variable: Variable, codes: list[int], location: Location,
                    allow_missing: bool = False) -> None:
        allowed = variable.all_codes if allow_missing else variable.codes
        if variable.commune_codes:
            return
        for code in codes:
            if code not in allowed:
                valid = ", ".join(f"{c} {label}" for c, label in sorted(allowed.items()))
                fail(f"{owner}: Code {code} ist kein gültiger Code von »{variable.id}« (gültig: {valid}).",
                     location)

    for n, indicator in enumerate(raw.indikatoren):
        base: Location = ("indikatoren", n)
        owner = f"Indikator »{indicator.id}«"
        register(indicator.id, (*base, "id"), "Indikator")
        if indicator.art == "anteil":
            variable = coded(owner, indicator.item, (*base, "item"))
            check_codes(owner, variable, indicator.codes, (*base, "codes"))
            among = None
            if indicator.unter is not None:
                domain = coded(f"{owner} (unter)", indicator.unter.item, (*base, "unter", "item"))
                check_codes(owner, domain, indicator.unter.codes, (*base, "unter", "codes"), allow_missing=True)
                among = Condition(item=domain.id, codes=frozenset(indicator.unter.codes),
                                  missing_codes=frozenset(domain.missing_codes))
            result.append(IndicatorDefinition(
                id=indicator.id, label=text(indicator.text), kind="anteil", items=(variable.id,),
                codes=frozenset(indicator.codes), valid_codes=frozenset(variable.codes), among=among,
                core=indicator.kern, polarity=DIRECTIONS.get(indicator.richtung),
            ))
        else:
            valid: set[int] = set()
            for k, item in enumerate(indicator.items):
                variable = coded(owner, item, (*base, "items", k))
                check_codes(owner, variable, indicator.codes, (*base, "codes"))
                check_codes(owner, variable, indicator.nein_codes, (*base, "nein_codes"))
                valid |= set(variable.codes)
            overlap = sorted(set(indicator.codes) & set(indicator.nein_codes))
            if overlap:
                fail(f"{owner}: Code {overlap[0]} steht sowohl unter »codes« als auch unter »nein_codes«.",
                     (*base, "nein_codes"))
            result.append(IndicatorDefinition(
                id=indicator.id, label=text(indicator.text), kind="irgendein", items=tuple(indicator.items),
                codes=frozenset(indicator.codes), negative_codes=frozenset(indicator.nein_codes),
                valid_codes=frozenset(valid), core=indicator.kern, polarity=DIRECTIONS.get(indicator.richtung),
            ))
    for n, index in enumerate(raw.indizes):
        base = ("indizes", n)
        owner = f"Index »{index.id}«"
        register(index.id, (*base, "id"), "Index")
        scale: dict[int, str] | None = None
        for k, item in enumerate(index.items):
            variable = coded(owner, item, (*base, "items", k))
            if variable.reversed:
                fail(f"{owner}: »{item}« ist umgepolt (umgepolt: true); ein Index mittelt die Codes so, wie sie "
                     f"sind, und würde umgepolte Aussagen falsch herum zählen. Bitte »{item}« aus dem Index "
                     "nehmen oder einen Index nur aus gleich gepolten Aussagen bilden.", (*base, "items", k))
            if scale is None:
                scale = variable.codes
            elif set(variable.codes) != set(scale):
                fail(f"{owner}: »{item}« hat andere Codes als »{index.items[0]}«; ein Index braucht Items "
                     "mit derselben Skala.", (*base, "items", k))
        if index.min_gueltig > len(index.items):
            fail(f"{owner}: »min_gueltig« ({index.min_gueltig}) ist größer als die Zahl der Items "
                 f"({len(index.items)}).", (*base, "min_gueltig"))
        result.append(IndicatorDefinition(
            id=index.id, label=text(index.text), kind="index", items=tuple(index.items),
            valid_codes=frozenset(scale or {}), min_valid=index.min_gueltig, core=index.kern,
            polarity=DIRECTIONS.get(index.richtung),
        ))
    return result
