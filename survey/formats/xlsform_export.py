"""XLSForm (ODK, KoboToolbox, Survey123) export of questionnaires; the layout read back by
:mod:`survey.formats.xlsform_import`.

Layout (``survey`` / ``choices`` / ``settings`` sheets, labels in ``label::Deutsch (de)`` columns so
that further languages are added as ``label::English (en)``):

- a section is a top-level ``begin_group`` (name = section id, label = title); its intro is a ``note``
  named ``<section>_einleitung`` as the group's first row;
- ``einfach`` → ``select_one <list>``; ``mehrfach`` → ``select_multiple <list>`` (data columns
  ``<id>_<code>``); ``matrix`` → a nested ``begin_group`` with ``appearance table-list`` whose rows are
  ``select_one`` with one list; ``zahl`` → ``integer`` with ``constraint . >= min and . <= max``;
  ``geburtsjahr`` → ``integer`` with the age constraint on ``format-date(today(), '%Y')``; ``text`` → ``text``;
- choice lists: a scale's name for questions using the scale with its missing codes, else the question
  id; ``ortsteile`` is the commune's list; the ``choices`` column ``fehlend`` marks missing codes (8, 9);
- survey columns ``kern`` (ja), ``skala`` (scale of a question whose list is its own) and ``einheit``;
- filters in ``relevant`` (see :mod:`survey.formats.expressions`);
- sheet ``sicherheitsanalyse`` (ignored by XLSForm tools): questionnaire version, core version, intro,
  default missing codes, scale names, age groups, indicators and indices as YAML values, one per row.
  Without it (a form from elsewhere) a choice list used by several select_one questions becomes a scale.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from openpyxl import Workbook

from survey.formats import expressions as X
from survey.formats.document import ORTSTEILE, district_options, effective_missing, multi_options, scale_missing
from survey.safe_cells import save_workbook

LANGUAGE = "Deutsch (de)"
LABEL = f"label::{LANGUAGE}"
HINT = f"hint::{LANGUAGE}"
MESSAGE = f"constraint_message::{LANGUAGE}"
SURVEY_COLUMNS = ("type", "name", LABEL, HINT, "relevant", "constraint", MESSAGE, "appearance", "kern", "skala",
                  "einheit")
CHOICE_COLUMNS = ("list_name", "name", LABEL, "fehlend")
META_SHEET = "sicherheitsanalyse"
META_LISTS = {"altersgruppe": "altersgruppen", "indikator": "indikatoren", "index": "indizes"}  # one row per entry
YEAR = "format-date(today(), '%Y')"


def _relevant(condition: dict | None, multi: dict[str, tuple[str, int]]) -> str:
    if not condition:
        return ""

    def atom(item: str, code: int) -> str:
        if item in multi:
            question, option = multi[item]
            text = f"selected(${{{question}}}, '{option}')"
            return text if code == 1 else f"not({text})"
        return f"${{{item}}} = '{code}'"

    return X.from_condition(condition, atom, and_word="and", or_word="or")


def xlsform_rows(document: dict, ortsteile: dict[int, str] | None = None) -> tuple[list[dict], list[dict], list[dict]]:
    """(survey rows, choice rows, meta rows) of the document."""
    survey, choices, meta = [], [], []
    lists: dict[str, None] = {}
    multi = multi_options(document)

    def add_list(name: str, codes: dict, missing: dict) -> None:
        if name in lists:
            return
        lists[name] = None
        for code, label in codes.items():
            choices.append({"list_name": name, "name": str(code), LABEL: label})
        for code, label in missing.items():
            choices.append({"list_name": name, "name": str(code), LABEL: label, "fehlend": "ja"})

    for name, scale in (document.get("skalen") or {}).items():
        add_list(name, scale["codes"], scale_missing(document, name))
        meta.append({"schluessel": "skala", "wert": name})
    for section in document["abschnitte"]:
        survey.append({"type": "begin_group", "name": section["id"], LABEL: section["titel"]})
        if section.get("einleitung"):
            survey.append({"type": "note", "name": f"{section['id']}_einleitung", LABEL: section["einleitung"]})
        for question in section["fragen"]:
            survey.extend(_question_rows(document, question, add_list, multi, ortsteile))
        survey.append({"type": "end_group", "name": section["id"]})
    for key in ("version", "kern_version", "einleitung", "fehlende_codes"):
        if key in document:
            meta.append({"schluessel": key, "wert": _yaml_value(document[key])})
    for word, key in META_LISTS.items():
        meta += [{"schluessel": word, "wert": _yaml_value(value)} for value in document.get(key) or []]
    return survey, choices, meta


def _yaml_value(value) -> str:  # noqa: ANN001
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=100000, sort_keys=False).strip()


def _question_rows(document, question, add_list, multi, ortsteile) -> list[dict]:  # noqa: ANN001
    kind = question["typ"]
    base = {"name": question["id"], LABEL: question["text"], HINT: question.get("hinweis", ""),
            "relevant": _relevant(question.get("filter"), multi), "kern": "ja" if question.get("kern") else ""}
    if kind in ("einfach", "mehrfach", "matrix"):
        missing = effective_missing(document, question)
        if question.get("optionen") == ORTSTEILE:
            list_name = ORTSTEILE
            add_list(ORTSTEILE, district_options(ortsteile), missing)
        elif question.get("skala"):
            scale = question["skala"]
            if missing == scale_missing(document, scale):
                list_name = scale
            else:
                list_name = question["id"]
                add_list(list_name, document["skalen"][scale]["codes"], missing)
                base["skala"] = scale
        else:
            list_name = question["id"]
            add_list(list_name, question["optionen"], missing)
        if kind == "matrix":
            rows = [{**base, "type": "begin_group", "appearance": "table-list"}]
            for item in question["items"]:
                kern = item.get("kern")
                rows.append({"type": f"select_one {list_name}", "name": item["id"], LABEL: item["text"],
                             "relevant": _relevant(item.get("filter"), multi),
                             "kern": "" if kern is None else ("ja" if kern else "nein")})
            rows.append({"type": "end_group", "name": question["id"]})
            return rows
        word = "select_one" if kind == "einfach" else "select_multiple"
        return [{**base, "type": f"{word} {list_name}"}]
    if kind == "zahl":
        bounds = [(op, word, question.get(key)) for op, word, key in ((">=", "von", "min"), ("<=", "bis", "max"))
                  if question.get(key) is not None]
        row = {**base, "type": "integer", "constraint": " and ".join(f". {op} {value}" for op, _, value in bounds),
               "einheit": question.get("einheit", "")}
        if bounds:
            row[MESSAGE] = f"Bitte eine ganze Zahl{''.join(f' {word} {value}' for _, word, value in bounds)} eingeben."
        return [row]
    if kind == "geburtsjahr":
        low, high = question.get("min_alter", 16), question.get("max_alter", 105)
        return [{**base, "type": "integer", "constraint": f". >= ({YEAR} - {high}) and . <= ({YEAR} - {low})",
                 MESSAGE: f"Bitte ein Geburtsjahr für ein Alter von {low} bis {high} Jahren eingeben."}]
    return [{**base, "type": "text"}]


def write_xlsform(document: dict, path: Path, ortsteile: dict[int, str] | None = None) -> Path:
    """Write the XLSForm workbook (survey, choices, settings, sicherheitsanalyse) atomically."""
    survey, choices, meta = xlsform_rows(document, ortsteile)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "survey", SURVEY_COLUMNS, survey)
    _sheet(workbook, "choices", CHOICE_COLUMNS, choices)
    _sheet(workbook, "settings", ("form_title", "form_id", "version", "default_language"),
           [{"form_title": document["titel"], "form_id": document["id"], "version": str(document["version"]),
             "default_language": LANGUAGE}])
    _sheet(workbook, META_SHEET, ("schluessel", "wert"), meta)
    save_workbook(workbook, Path(path))  # formula-like texts stay text (survey.safe_cells)
    return Path(path)


def _sheet(workbook: Workbook, title: str, columns: tuple[str, ...], rows: list[dict]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column, "") or None for column in columns])
