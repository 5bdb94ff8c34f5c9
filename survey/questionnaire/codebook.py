"""Codebook of a questionnaire: one row per data column, as Markdown and XLSX, plus a short summary.

The codebook documents every variable (id, question, type, valid codes with labels, missing codes,
filter, core flag) and every indicator definition. Files are written atomically.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from survey.atomic import atomic_write
from survey.questionnaire.model import IndicatorDefinition, Questionnaire, Variable
from survey.safe_cells import save_workbook

KIND_LABELS = {
    "code": "Code", "number": "Zahl", "birthyear": "Geburtsjahr", "text": "Freitext",
    "flag": "Mehrfachnennung (0/1)",
}
QUESTION_KIND_LABELS = {
    "single": "einfach", "grid": "matrix", "multi": "mehrfach", "number": "zahl",
    "birthyear": "geburtsjahr", "text": "text",
}
HEADER = ("Variable", "Frage", "Typ", "Gültige Werte", "Fehlende Codes", "Filter", "Kern")
INDICATOR_HEADER = ("Indikator", "Text", "Art", "Definition", "Kern")


def german_int(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _codes_text(codes: dict[int, str]) -> str:
    return "; ".join(f"{code} = {label}" for code, label in sorted(codes.items()))


def valid_values_text(variable: Variable) -> str:
    """German description of the valid values of ``variable``."""
    if variable.kind in {"number", "birthyear"}:
        unit = f" {variable.unit}" if variable.unit else ""
        if variable.minimum is not None and variable.maximum is not None:
            return f"{variable.minimum} bis {variable.maximum}{unit}"
        if variable.minimum is not None:
            return f"ab {variable.minimum}{unit}"
        if variable.maximum is not None:
            return f"bis {variable.maximum}{unit}"
        return "vierstellige Jahreszahl (Bereich ergibt sich aus dem Befragungsjahr)" \
            if variable.kind == "birthyear" else "ganze Zahl"
    if variable.kind == "text":
        return "freier Text"
    if variable.commune_codes and not variable.codes:
        return "Ortsteil-Codes der Kommune (aus analyse.yaml)"
    return _codes_text(variable.codes)


@dataclass(frozen=True)
class CodebookRow:
    variable: str
    question: str
    kind: str
    valid: str
    missing: str
    filter: str
    core: str

    def cells(self) -> tuple[str, ...]:
        return (self.variable, self.question, self.kind, self.valid, self.missing, self.filter, self.core)


def codebook_rows(questionnaire: Questionnaire) -> list[CodebookRow]:
    rows = []
    for variable in questionnaire.variables:
        question = variable.question_text
        if variable.label != variable.question_text:
            question = f"{question} – {variable.label}"
        rows.append(CodebookRow(
            variable=variable.id, question=question, kind=KIND_LABELS[variable.kind],
            valid=valid_values_text(variable), missing=_codes_text(variable.missing_codes),
            filter=variable.filter.describe() if variable.filter is not None else "",
            core="ja" if variable.core else "",
        ))
    return rows


def describe_indicator(definition: IndicatorDefinition) -> str:
    """German one-line definition, e.g. ``Anteil Code 3, 4 an den gültigen Antworten zu sicher_nacht``."""
    codes = ", ".join(str(code) for code in sorted(definition.codes))
    if definition.kind == "anteil":
        text = f"Anteil Code {codes} an den gültigen Antworten zu {definition.items[0]}"
        if definition.among is not None:
            text += f", unter {definition.among.describe()}"
        return text
    items = ", ".join(definition.items)
    if definition.kind == "irgendein":
        negative = ", ".join(str(code) for code in sorted(definition.negative_codes))
        return (f"1, wenn mindestens eines von {items} Code {codes} hat; 0, wenn alle Code {negative} haben; "
                "sonst fehlend")
    return (f"Mittelwert der gültigen Antworten zu {items}, wenn mindestens {definition.min_valid} von "
            f"{len(definition.items)} gültig sind")


def indicator_rows(questionnaire: Questionnaire) -> list[tuple[str, ...]]:
    kinds = {"anteil": "Anteil", "irgendein": "mindestens eines", "index": "Index (Mittelwert)"}
    return [(d.id, d.label, kinds[d.kind], describe_indicator(d), "ja" if d.core else "")
            for d in questionnaire.indicators]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in rows]
    return lines


def render_markdown(questionnaire: Questionnaire) -> str:
    q = questionnaire
    lines = [f"# Codebuch: {q.title}", "",
             f"Fragebogen `{q.id}`, Version {q.version}, Kern-Version {q.core_version}. "
             f"{german_int(len(q.variables))} Variablen in {len(q.sections)} Abschnitten; jede Variable ist "
             "eine Spalte der Antwortdatei (dazu `resp_id`). Leere Zellen und fehlende Codes zählen in der "
             "Auswertung als fehlend.", ""]
    rows = {row.variable: row for row in codebook_rows(q)}
    for section in q.sections:
        lines += [f"## {section.title}", ""]
        section_rows = [rows[v.id].cells() for question in section.questions for v in question.variables]
        lines += _md_table(HEADER, section_rows) + [""]
    if q.indicators:
        lines += ["## Indikatoren und Indizes", ""]
        lines += _md_table(INDICATOR_HEADER, indicator_rows(q)) + [""]
    return "\n".join(lines)


def _sheet(workbook: Workbook, title: str, header: tuple[str, ...], rows: list[tuple[str, ...]],
           widths: tuple[int, ...]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def write_xlsx(questionnaire: Questionnaire, path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "Variablen", HEADER, [row.cells() for row in codebook_rows(questionnaire)],
           (28, 70, 18, 50, 28, 30, 6))
    _sheet(workbook, "Indikatoren", INDICATOR_HEADER, indicator_rows(questionnaire), (30, 60, 18, 70, 6))
    workbook.properties.title = f"Codebuch {questionnaire.id}"
    save_workbook(workbook, path)  # formula-like texts stay text (survey.safe_cells)
    return path


def write_codebook(questionnaire: Questionnaire, target_dir: Path) -> list[Path]:
    """Write ``codebuch-<id>.md`` and ``codebuch-<id>.xlsx`` into ``target_dir``; return the paths."""
    target_dir = Path(target_dir)
    markdown = target_dir / f"codebuch-{questionnaire.id}.md"
    with atomic_write(markdown) as stream:
        stream.write(render_markdown(questionnaire))
    workbook = write_xlsx(questionnaire, target_dir / f"codebuch-{questionnaire.id}.xlsx")
    return [markdown, workbook]


@dataclass(frozen=True)
class QuestionnaireSummary:
    """Counts shown by ``fragebogen pruefen``."""

    sections: int
    questions: int
    question_kinds: dict[str, int]
    variables: int
    core_questions: int
    core_variables: int
    indicators: int
    core_indicators: int
    indices: int
    core_indices: int
    filtered_questions: int

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{QUESTION_KIND_LABELS[kind]} {count}" for kind, count in self.question_kinds.items())
        return [
            f"  Abschnitte:   {german_int(self.sections)}",
            f"  Fragen:       {german_int(self.questions)} ({kinds})",
            f"  Variablen:    {german_int(self.variables)}",
            f"  Kernfragen:   {german_int(self.core_questions)} (mit {german_int(self.core_variables)} Kernvariablen)",
            f"  Indikatoren:  {german_int(self.indicators)} (davon Kern {german_int(self.core_indicators)})",
            f"  Indizes:      {german_int(self.indices)} (davon Kern {german_int(self.core_indices)})",
            f"  Filter:       {german_int(self.filtered_questions)} Fragen mit Filter",
        ]


def summarize(questionnaire: Questionnaire) -> QuestionnaireSummary:
    q = questionnaire
    questions = q.questions
    kinds = Counter(question.kind for question in questions)
    ordered = {kind: kinds[kind] for kind in QUESTION_KIND_LABELS if kinds[kind]}
    indices = [d for d in q.indicators if d.is_index]
    others = [d for d in q.indicators if not d.is_index]
    return QuestionnaireSummary(
        sections=len(q.sections), questions=len(questions), question_kinds=ordered,
        variables=len(q.variables), core_questions=sum(question.core for question in questions),
        core_variables=len(q.core_variables), indicators=len(others),
        core_indicators=sum(d.core for d in others), indices=len(indices),
        core_indices=sum(d.core for d in indices),
        filtered_questions=sum(
            1 for question in questions
            if question.filter is not None or any(v.filter is not None for v in question.variables)
        ),
    )
