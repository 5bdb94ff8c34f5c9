"""Validation checks: one small check per rule, each declaring the rules (finding codes) it emits.

A check receives a :class:`~survey.intake.table.WorkTable` and a :class:`CheckContext` and yields
findings; it applies its action itself (set a value missing, drop a record). Nothing is removed
without a finding. The order of :data:`CHECKLIST` matters: rows first, then cell values (each cell
fails at most one cell check), then filters on the cleaned values, then grids.
Duplicate ``resp_id`` across files is checked after combining (:mod:`survey.intake.combine`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from survey.intake import findings as F
from survey.intake.findings import Finding, Rule
from survey.intake.table import WorkTable, protocol_value
from survey.questionnaire.conditions import parse_code

MIN_AGE, MAX_AGE = 16, 105
# Uniform answers are checked only on long rating grids that mix directions (see StraightLiningCheck).
STRAIGHT_LINING_MIN_ITEMS = 6
STRAIGHT_LINING_MIN_CODES = 3  # rating scales only: "nein" to every victimisation item is no pattern
FLAG_WORDS = {"y": "1", "n": "0"}  # LimeSurvey writes Y (chosen) / N for multiple-choice options


@dataclass(frozen=True)
class CheckContext:
    questionnaire: object  # survey.questionnaire.model.Questionnaire
    jahr: int | None = None
    stratum_variable: str | None = None  # analyse.yaml stichprobe.schichtung
    stratum_codes: frozenset[int] | None = None  # codes of strata.csv (None: not checked)
    strata_file: str = "strata.csv"


class Check:
    """Base class: ``rules`` lists the finding codes a check may emit."""

    rules: tuple[Rule, ...] = ()

    def run(self, table: WorkTable, ctx: CheckContext) -> Iterator[Finding]:
        raise NotImplementedError


# ------------------------------------------------------------------------------------------- rows


class EmptyRowCheck(Check):
    """A record without any answer is dropped."""

    rules = (F.EMPTY_ROW,)

    def run(self, table, ctx):
        for record in table.kept:
            if not any(value.strip() for value in record.values.values()):
                record.dropped = True
                yield table.row_finding(F.EMPTY_ROW, record)


class MissingRespIdCheck(Check):
    """A record with answers but no resp_id is dropped (it cannot be told apart from others)."""

    rules = (F.MISSING_RESP_ID,)

    def run(self, table, ctx):
        for record in table.kept:
            if not record.resp_id.strip():
                record.dropped = True
                yield table.row_finding(F.MISSING_RESP_ID, record)


class StratumCheck(Check):
    """Every respondent needs a stratum of strata.csv (the design weight is N_h / n_h).

    Runs before the cell checks so that the message shows the value as written; a finding of severity
    »fehler« on the responses file, with line and resp_id (the Prüfprotokoll then refuses the data).
    """

    rules = (F.STRATUM_MISSING, F.STRATUM_UNKNOWN)

    def run(self, table, ctx):
        variable, codes = ctx.stratum_variable, ctx.stratum_codes
        if variable is None or codes is None:
            return
        valid = ", ".join(str(code) for code in sorted(codes))
        if variable not in table.items and table.kept:
            yield F.STRATUM_MISSING.finding(table.file, item=variable, strata_file=ctx.strata_file, valid=valid)
            return
        for record in table.kept:
            text = record.values.get(variable, "").strip()
            if not text:
                yield table.cell_finding(F.STRATUM_MISSING, record, variable, "", strata_file=ctx.strata_file,
                                         valid=valid)
                continue
            number = parse_code(text)
            if number is None or not number.is_integer() or int(number) not in codes:
                yield table.cell_finding(F.STRATUM_UNKNOWN, record, variable, text, strata_file=ctx.strata_file,
                                         valid=valid)


# ------------------------------------------------------------------------------------------ cells


class CellCheck(Check):
    """A rule about single values of variables of certain kinds; a failing value is set missing."""

    kinds: tuple[str, ...] = ()

    def problem(self, variable, text: str, ctx: CheckContext) -> tuple[Rule, dict] | None:
        raise NotImplementedError

    def run(self, table, ctx):
        for item in table.items:
            variable = ctx.questionnaire.variable(item)
            if variable is None or variable.kind not in self.kinds:
                continue
            for record in table.kept:
                text = record.values[item]
                if not text:
                    continue
                found = self.problem(variable, text, ctx)
                if found is None:
                    continue
                rule, fields = found
                record.values[item] = ""
                yield table.cell_finding(rule, record, item, protocol_value(variable.kind, text), **fields)


def _missing_code(variable, number: float) -> bool:
    return number.is_integer() and int(number) in variable.missing_codes


class TextInNumberCheck(CellCheck):
    """Codes, numbers and birth years must be numbers."""

    rules = (F.TEXT_IN_NUMBER,)
    kinds = ("code", "number", "birthyear")

    def problem(self, variable, text, ctx):
        return (F.TEXT_IN_NUMBER, {}) if parse_code(text) is None else None


class CodeScaleCheck(CellCheck):
    """A code must be one of the item's valid or missing codes (7 on a 1-4 item is not)."""

    rules = (F.CODE_OUT_OF_SCALE,)
    kinds = ("code",)

    def problem(self, variable, text, ctx):
        number = parse_code(text)
        if number is None or not variable.codes:  # no codes known (e.g. Ortsteile not configured)
            return None
        if number.is_integer() and int(number) in variable.all_codes:
            return None
        valid = ", ".join(str(code) for code in sorted(variable.all_codes))
        return F.CODE_OUT_OF_SCALE, {"valid": valid}


class RangeCheck(CellCheck):
    """A number must lie within the item's minimum and maximum (missing codes aside)."""

    rules = (F.OUT_OF_RANGE,)
    kinds = ("number",)

    def problem(self, variable, text, ctx):
        number = parse_code(text)
        if number is None or _missing_code(variable, number):
            return None
        low, high = variable.minimum, variable.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            shown_low = "" if low is None else str(low)
            shown_high = "" if high is None else str(high)
            return F.OUT_OF_RANGE, {"range": f"{shown_low} bis {shown_high}".strip()}
        return None


class BirthYearCheck(CellCheck):
    """A birth year must be a whole number giving an age of 16 to 105 in the survey year."""

    rules = (F.BIRTH_YEAR,)
    kinds = ("birthyear",)

    def problem(self, variable, text, ctx):
        number = parse_code(text)
        if number is None or _missing_code(variable, number):
            return None
        year = ctx.jahr
        if year is None and variable.maximum is not None:
            year = variable.maximum + MIN_AGE  # the loader sets maximum = jahr - min_alter
        if year is None:
            return None
        age = year - number
        low = variable.minimum if variable.minimum is not None else year - MAX_AGE
        high = variable.maximum if variable.maximum is not None else year - MIN_AGE
        if not number.is_integer() or number < low or number > high:
            return F.BIRTH_YEAR, {"year": year, "age": f"{age:g}"}
        return None


class MultiChoiceCheck(CellCheck):
    """An option of a multiple-choice question holds 0, 1 or blank (LimeSurvey's Y/N read as 1/0)."""

    rules = (F.MULTI_CHOICE,)
    kinds = ("flag",)

    def run(self, table, ctx):
        for item in table.items:
            variable = ctx.questionnaire.variable(item)
            if variable is not None and variable.kind == "flag":
                for record in table.kept:
                    word = FLAG_WORDS.get(record.values[item].lower())
                    if word is not None:
                        record.values[item] = word
        yield from super().run(table, ctx)

    def problem(self, variable, text, ctx):
        number = parse_code(text)
        if number is not None and number in (0.0, 1.0):
            return None
        return F.MULTI_CHOICE, {}


# ---------------------------------------------------------------------------------------- records


class FilterCheck(Check):
    """An item answered although its filter says the question is not asked is set missing.

    Evaluated in column order on the cleaned values; an unknown filter status (filter item blank or
    a missing code) is no violation.
    """

    rules = (F.FILTER,)

    def run(self, table, ctx):
        filtered = [
            ctx.questionnaire.variable(item) for item in table.items
            if ctx.questionnaire.variable(item) is not None and ctx.questionnaire.variable(item).filter
        ]
        for record in table.kept:
            for variable in filtered:
                text = record.values[variable.id]
                if text and variable.filter.applies(record.values) is False:
                    record.values[variable.id] = ""
                    yield table.cell_finding(
                        F.FILTER, record, variable.id, protocol_value(variable.kind, text),
                        condition=variable.filter.describe(),
                    )


class StraightLiningCheck(Check):
    """The same substantive answer to every row of a long rating grid, the reversed rows included.

    Only grids of at least :data:`STRAIGHT_LINING_MIN_ITEMS` rows on a scale of at least
    :data:`STRAIGHT_LINING_MIN_CODES` codes with at least one reversed row (``umgepolt: true``) and one
    row of the other direction are checked. Identical answers to rows that all point the same way are
    often what an attentive, consistent respondent gives (Reuning & Plutzer 2020, »Valid vs. Invalid
    Straightlining«, Survey Research Methods 14(5)); the same answer to a row and to its opposite is a
    contradiction. Six rows: on shorter grids a uniform pattern is too likely by a consistent view to
    tell anything. The middle code of an odd scale (»teils/teils«) contradicts nothing and is not
    counted. A warning only: the answers stay as they are.
    """

    rules = (F.STRAIGHT_LINING,)

    def run(self, table, ctx):
        present = set(table.items)
        for question in ctx.questionnaire.questions:
            if not _mixed_direction_grid(question) or not all(v.id in present for v in question.variables):
                continue
            items = [variable.id for variable in question.variables]
            reversed_items = ", ".join(v.id for v in question.variables if v.reversed)
            codes = question.variables[0].codes
            ordered = sorted(codes)
            contradictory = set(ordered) - ({ordered[len(ordered) // 2]} if len(ordered) % 2 else set())
            for record in table.kept:
                answers = {record.values[item] for item in items}
                if len(answers) != 1:
                    continue
                number = parse_code(next(iter(answers)))
                if number is not None and number.is_integer() and int(number) in contradictory:
                    yield table.row_finding(
                        F.STRAIGHT_LINING, record, value=str(int(number)), count=len(items),
                        question=question.id, label=codes[int(number)], reversed=reversed_items,
                    )


def _mixed_direction_grid(question) -> bool:  # noqa: ANN001 - survey.questionnaire.model.Question
    rows = question.variables
    return (question.kind == "grid" and len(rows) >= STRAIGHT_LINING_MIN_ITEMS
            and len(rows[0].codes) >= STRAIGHT_LINING_MIN_CODES
            and any(v.reversed for v in rows) and not all(v.reversed for v in rows))


class ValueLabelCheck(Check):
    """SPSS value labels are compared with the questionnaire's code labels (a note per difference)."""

    rules = (F.VALUE_LABEL,)

    def run(self, table, ctx):
        for item in table.items:
            variable = ctx.questionnaire.variable(item)
            column = table.raw.columns[table.plan.targets[item]]
            labels = table.raw.value_labels.get(column)
            if variable is None or not labels or variable.kind in ("text", "number", "birthyear"):
                continue
            expected = variable.all_codes
            for code, label in sorted(labels.items()):
                wanted = expected.get(code)
                if wanted is None or _norm(wanted) != _norm(label):
                    yield F.VALUE_LABEL.finding(
                        table.file, item=item, value=str(code), file_label=label,
                        label=wanted if wanted is not None else "(nicht vorgesehen)",
                    )


def _norm(label: str) -> str:
    return " ".join(label.casefold().split())


CHECKLIST: tuple[Check, ...] = (
    ValueLabelCheck(),
    EmptyRowCheck(),
    MissingRespIdCheck(),
    StratumCheck(),
    TextInNumberCheck(),
    CodeScaleCheck(),
    RangeCheck(),
    BirthYearCheck(),
    MultiChoiceCheck(),
    FilterCheck(),
    StraightLiningCheck(),
)


def run_checks(table: WorkTable, ctx: CheckContext, checklist: tuple[Check, ...] = CHECKLIST) -> list[Finding]:
    """Run every check on ``table`` (mutating it) and return the findings in check order."""
    found: list[Finding] = []
    for check in checklist:
        found.extend(check.run(table, ctx))
    return found
