"""XLSForm import: an ``.xlsx`` workbook (ours or from ODK, KoboToolbox, Survey123) to the questionnaire
document. The layout is described in :mod:`survey.formats.xlsform_export`; a form without the sheet
``sicherheitsanalyse`` turns a choice list used by several select_one questions into a scale.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import yaml
from openpyxl import load_workbook

from survey.errors import DefinitionError, InputFileError
from survey.formats import expressions as X
from survey.formats.document import DEFAULT_MISSING, ORTSTEILE, ImportReport
from survey.formats.xlsform_export import HINT, LABEL, META_LISTS, META_SHEET

BIRTH = re.compile(r"^\.\s*>=\s*\(?\s*format-date\(\s*today\(\)\s*,\s*'%Y'\s*\)\s*-\s*(\d+)\s*\)?\s+and\s+"
                   r"\.\s*<=\s*\(?\s*format-date\(\s*today\(\)\s*,\s*'%Y'\s*\)\s*-\s*(\d+)\s*\)?$")
RANGE = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+)(?:\s+and\s+\.\s*(>=|<=)\s*(-?\d+))?$")


Rows = list[tuple[int, dict[str, str]]]  # (row number in the sheet, header -> cell text), empty rows left out


def _read_sheets(path: Path) -> dict[str, Rows]:
    """Rows of every non-empty sheet by lower-case sheet name."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise InputFileError(f"Die Excel-Datei kann nicht gelesen werden ({type(error).__name__}); ist sie "
                             "beschädigt oder keine .xlsx-Datei?", path=path) from None
    sheets = {}
    try:
        for sheet in workbook.worksheets:
            values = list(sheet.iter_rows(values_only=True))
            if not values:
                continue
            header = [str(v).strip() if v is not None else "" for v in values[0]]
            rows = []
            for number, row in enumerate(values[1:], start=2):
                cells = {h: (str(v).strip() if v is not None else "") for h, v in zip(header, row) if h}
                if any(cells.values()):
                    rows.append((number, cells))
            sheets[sheet.title.strip().lower()] = rows
    finally:
        workbook.close()
    return sheets


def _text(cells: dict, column: str, german: str) -> str:
    """The German text of ``column`` (``label``/``hint``), else the untagged one, else any language's."""
    for key in (german, column):
        if cells.get(key):
            return cells[key]
    return next((v for k, v in cells.items() if k.startswith(f"{column}::") and v), "")


def _label(cells: dict) -> str:
    return _text(cells, "label", LABEL)


def _hint(cells: dict) -> str:
    return _text(cells, "hint", HINT)


def _code(text: str, where: str, report: ImportReport) -> int | None:
    try:
        number = float(text)
    except ValueError:
        report.problems.append(f"{where}: Antwortcode »{text}« ist keine ganze Zahl; die Codes müssen Zahlen sein.")
        return None
    if not number.is_integer():
        report.problems.append(f"{where}: Antwortcode »{text}« ist keine ganze Zahl.")
        return None
    return int(number)


def read_xlsform(path: Path, report: ImportReport) -> dict:
    """The questionnaire document of an XLSForm workbook; problems go to ``report``."""
    sheets = _read_sheets(path)
    if "survey" not in sheets:
        raise InputFileError("Die Datei hat kein Tabellenblatt »survey« und ist daher kein XLSForm.", path=path)
    lists: dict[str, list[tuple[int, str, bool]]] = {}  # list name -> (code, label, is missing)
    for number, cells in sheets.get("choices", []):
        name = cells.get("list_name") or cells.get("list name", "")
        if not name:
            continue
        where = f"Blatt choices, Zeile {number}"
        code = _code(cells.get("name", ""), where, report)
        if code is not None:
            lists.setdefault(name, []).append((code, _label(cells), cells.get("fehlend", "").lower() in ("ja", "1", "y")))
    settings = sheets["settings"][0][1] if sheets.get("settings") else {}
    meta = _meta(sheets.get(META_SHEET, []), report)
    default_missing = meta.get("fehlende_codes", DEFAULT_MISSING)
    document: dict = {"id": _form_id(settings.get("form_id") or path.stem), "version": str(
        meta.get("version", settings.get("version") or "1")), "kern_version": str(meta.get("kern_version", "1")),
        "titel": settings.get("form_title") or path.stem}
    if meta.get("einleitung"):
        document["einleitung"] = meta["einleitung"]
    if "fehlende_codes" in meta:
        document["fehlende_codes"] = default_missing
    used = Counter(_type(cells)[1] for _, cells in sheets["survey"] if _type(cells)[0] == "select_one")
    shared = {name for name, count in used.items() if count > 1}
    builder = _Builder(lists, default_missing, report, set(meta.get("skalen", [])) | shared)
    document["abschnitte"] = builder.sections(sheets["survey"])
    if builder.scales:
        order = [name for name in meta.get("skalen", []) if name in builder.scales]
        document["skalen"] = {name: builder.scales[name] for name in [*order, *builder.scales]}
    for key in META_LISTS.values():
        if meta.get(key):
            document[key] = meta[key]
    return document


def _form_id(text: str) -> str:
    identifier = re.sub(r"[^a-z0-9_-]+", "-", text.strip().lower()).strip("-")
    return identifier or "importiert"


def _meta(rows: Rows, report: ImportReport) -> dict:
    meta: dict = {}
    lists = {**META_LISTS, "skala": "skalen"}
    for number, cells in rows:
        key, text = cells.get("schluessel", ""), cells.get("wert", "")
        try:
            value = yaml.safe_load(text) if text else None
        except yaml.YAMLError:
            report.problems.append(f"Blatt {META_SHEET}, Zeile {number}: der Wert zu »{key}« ist kein gültiges YAML.")
            continue
        if key in lists:
            meta.setdefault(lists[key], []).append(value)
        elif key:
            meta[key] = value
    return meta


class _Builder:
    """Walks the survey rows (begin/end group nesting) and builds sections and questions."""

    def __init__(self, lists, default_missing, report: ImportReport, scale_names: set[str]):  # noqa: ANN001
        self.lists, self.default_missing, self.report = lists, dict(default_missing or {}), report
        self.scale_names = scale_names
        self.scales: dict[str, dict] = {}
        self.multi: set[str] = set()  # ids of select_multiple questions so far (for filters on their options)

    def where(self, number: int) -> str:
        return f"Blatt survey, Zeile {number}"

    def sections(self, rows: Rows) -> list[dict]:
        sections: list[dict] = []
        loose: list[dict] = []
        for number, cells, group in self._blocks(rows):
            if group is not None:
                sections.append(self.section(group, number, cells))
                continue
            question = self.question(number, cells)
            if question is not None:
                loose.append(question)
        if loose:
            self.report.notes.append("Fragen außerhalb einer Gruppe stehen im Abschnitt »fragen«.")
            sections.insert(0, {"id": "fragen", "titel": "Fragen", "fragen": loose})
        if not sections:
            self.report.problems.append("Blatt survey: keine Fragen gefunden.")
        return sections

    def _blocks(self, rows: Rows) -> Iterator[tuple[int, dict, Rows | None]]:
        """(number, cells, rows inside the group) of a group, (number, cells, None) of any other row."""
        index = 0
        while index < len(rows):
            number, cells = rows[index]
            if _type(cells)[0] == "begin_group":
                end = self._group_end(rows, index)
                yield number, cells, rows[index + 1:end]
                index = end + 1
            else:
                yield number, cells, None
                index += 1

    def _group_end(self, rows: Rows, start: int) -> int:
        depth = 0
        for index in range(start, len(rows)):
            kind = _type(rows[index][1])[0]
            if kind == "begin_group":
                depth += 1
            elif kind == "end_group":
                depth -= 1
                if depth == 0:
                    return index
        raise DefinitionError(f"{self.where(rows[start][0])}: zur Gruppe »{rows[start][1].get('name', '')}« fehlt "
                              "»end_group«.")

    def section(self, rows: Rows, number: int, cells: dict) -> dict:
        section = {"id": cells.get("name") or f"abschnitt_{number}", "titel": _label(cells) or cells.get("name", "")}
        questions = []
        if cells.get("relevant"):
            self.report.problems.append(f"{self.where(number)}: ein Filter auf einer ganzen Gruppe wird nicht "
                                        "unterstützt; bitte den Filter an die Fragen schreiben.")
        for position, (row_number, row, group) in enumerate(self._blocks(rows)):
            if group is not None:
                question = self.grid(group, row_number, row)
            elif _type(row)[0] == "note":
                question = None
                if position == 0:
                    section["einleitung"] = _label(row)
                else:
                    self.report.notes.append(f"{self.where(row_number)}: Hinweistext »{row.get('name', '')}« ohne "
                                             "Daten wurde nicht übernommen.")
            else:
                question = self.question(row_number, row)
            if question is not None:
                questions.append(question)
        section["fragen"] = questions
        return section

    def codes(self, list_name: str, number: int) -> tuple[dict, dict] | None:
        choices = self.lists.get(list_name)
        if not choices:
            self.report.problems.append(f"{self.where(number)}: die Auswahlliste »{list_name}« fehlt im Blatt choices.")
            return None
        codes = {code: label for code, label, is_missing in choices if not is_missing}
        missing = {code: label for code, label, is_missing in choices if is_missing}
        return codes, missing

    def choice_spec(self, list_name: str, number: int, kind: str, scale_column: str) -> dict | None:
        """``optionen``/``skala``/``fehlend`` of a choice question on list ``list_name``."""
        found = self.codes(list_name, number)
        if found is None:
            return None
        codes, missing = found
        if list_name == ORTSTEILE:
            return {"optionen": ORTSTEILE, **({"fehlend": missing} if missing else {})}
        if scale_column:  # the question's own list, with other missing codes, of scale ``skala``
            self.scales.setdefault(scale_column, {"codes": codes})
            return {"skala": scale_column, "fehlend": missing}
        default = {} if kind == "mehrfach" else self.default_missing
        own_missing = {"fehlend": missing} if missing != default else {}
        if list_name in self.scale_names and kind != "mehrfach":
            self.scales.setdefault(list_name, {"codes": codes, **own_missing})
            return {"skala": list_name}
        return {"optionen": codes, **own_missing}

    def filter(self, cells: dict, number: int) -> dict | None:
        text = cells.get("relevant", "")
        if not text:
            return None
        try:
            tree = X.parse_xlsform(text)
        except X.ExpressionError as error:
            self.report.problems.append(f"{self.where(number)}, Spalte relevant: {error}.")
            return None

        def resolve(atom: X.Atom) -> tuple[str, int]:
            code = int(float(atom.value)) if re.fullmatch(r"-?\d+(\.0+)?", atom.value) else None
            if code is None:
                raise X.ExpressionError(f"»{atom.value}« ist kein Zahlencode")
            if atom.name in self.multi:
                return f"{atom.name}_{code}", 1 if atom.positive else 0
            if not atom.positive:
                raise X.ExpressionError("»not(…)« gibt es nur bei Mehrfachauswahl")
            return atom.name, code

        try:
            return X.to_condition(tree, resolve)
        except X.ExpressionError as error:
            self.report.problems.append(f"{self.where(number)}, Spalte relevant: {error} in »{text}«.")
            return None

    def common(self, question: dict, cells: dict, number: int) -> dict:
        if _hint(cells):
            question["hinweis"] = _hint(cells)
        condition = self.filter(cells, number)
        if condition:
            question["filter"] = condition
        if cells.get("kern", "").lower() in ("ja", "1", "yes", "true"):
            question["kern"] = True
        return question

    def question(self, number: int, cells: dict) -> dict | None:
        kind, argument = _type(cells)
        name = cells.get("name", "")
        where = self.where(number)
        if kind in ("select_one", "select_multiple"):
            typ = "einfach" if kind == "select_one" else "mehrfach"
            question = {"id": name, "typ": typ, "text": _label(cells)}
            spec = self.choice_spec(argument, number, typ, cells.get("skala", ""))
            if spec is None:
                return None
            question.update(spec)
            if typ == "mehrfach":
                self.multi.add(name)
            return self.common(question, cells, number)
        if kind == "integer":
            question = {"id": name, "typ": "zahl", "text": _label(cells)}
            constraint = cells.get("constraint", "")
            birth = BIRTH.match(constraint)
            if birth:
                question["typ"] = "geburtsjahr"
                high, low = int(birth.group(1)), int(birth.group(2))
                if low != 16:
                    question["min_alter"] = low
                if high != 105:
                    question["max_alter"] = high
                return self.common(question, cells, number)
            if constraint:
                match = RANGE.match(constraint)
                if match is None:
                    self.report.problems.append(f"{where}, Spalte constraint: »{constraint}« wird nicht unterstützt "
                                                "(möglich: . >= MIN and . <= MAX).")
                else:
                    for op, value in ((match.group(1), match.group(2)), (match.group(3), match.group(4))):
                        if op:
                            question["min" if op == ">=" else "max"] = int(value)
            if cells.get("einheit"):
                question["einheit"] = cells["einheit"]
            return self.common(question, cells, number)
        if kind == "text":
            return self.common({"id": name, "typ": "text", "text": _label(cells)}, cells, number)
        if kind in ("calculate", "start", "end", "today", "deviceid", "username", "audit", "phonenumber",
                    "subscriberid", "simserial", "email"):
            self.report.notes.append(f"{where}: Metadaten- oder Rechenfeld »{name}« ({kind}) wird nicht übernommen.")
            return None
        self.report.unsupported_question(f"{where}: der Fragetyp »{cells.get('type', '')}« (»{name}«) wird nicht "
                                         "unterstützt (möglich: select_one, select_multiple, integer, text, note, "
                                         "Gruppen).", f"{name} ({cells.get('type', '')}, {where})")
        return None

    def grid(self, rows: Rows, number: int, cells: dict) -> dict | None:
        list_names = {_type(r)[1] for _, r in rows if _type(r)[0] == "select_one"}
        if not rows or len(list_names) != 1 or any(_type(r)[0] != "select_one" for _, r in rows):
            self.report.problems.append(f"{self.where(number)}: die Gruppe »{cells.get('name', '')}« innerhalb eines "
                                        "Abschnitts ist keine Matrix (alle Zeilen select_one mit derselben Liste) "
                                        "und wird nicht unterstützt.")
            return None
        question = {"id": cells.get("name", ""), "typ": "matrix", "text": _label(cells)}
        spec = self.choice_spec(list_names.pop(), number, "matrix", cells.get("skala", ""))
        if spec is None:
            return None
        question.update(spec)
        items = []
        for row_number, row in rows:
            item = {"id": row.get("name", ""), "text": _label(row)}
            if row.get("kern", "").lower() in ("ja", "nein"):
                item["kern"] = row["kern"].lower() == "ja"
            condition = self.filter(row, row_number)
            if condition:
                item["filter"] = condition
            items.append(item)
        question["items"] = items
        return self.common(question, cells, number)


def _type(cells: dict) -> tuple[str, str]:
    text = re.sub(r"\s+", " ", cells.get("type", "").strip())
    parts = text.split(" ")
    word = parts[0].lower()
    if word in ("begin", "end") and len(parts) > 1:
        return f"{word}_{parts[1].lower()}", ""
    return word, parts[1] if len(parts) > 1 else ""
