"""LimeSurvey survey structure: export as tab-separated ``.txt``; read back by
:mod:`survey.formats.limesurvey_import` (``.txt`` and ``.lss``).

Mapping (the common subset): section ↔ group (G); ``einfach`` ↔ list (``L``, also ``!`` on import);
``matrix`` ↔ array (``F``, subquestions SQ); ``mehrfach`` ↔ multiple choice (``M``, subquestions
``SQ<code>``); ``zahl``/``geburtsjahr`` ↔ numerical (``N``, attributes ``min_num_value_n`` /
``max_num_value_n``); ``text`` ↔ long text (``T``; ``S``/``U`` on import); ``X`` (text display) is
ignored with a note. Other types are problems listed with their line (``.txt``) or line/qid (``.lss``).
Filters ↔ relevance equations (:mod:`survey.formats.expressions`).

LimeSurvey codes are letters and digits only (at most 20): ids become camelCase (``sicher_nacht`` →
``sicherNacht``). What LimeSurvey cannot hold (ids with underscores, section ids, scale names, missing
codes, core flags, birth-year limits, indicators) travels in an HTML comment in the survey description
(``<!-- sicherheitsanalyse:<base64 JSON> -->``, invisible to respondents). Without it (a survey built in
LimeSurvey) ids are the snake_case of the codes and answer codes 8/9 labelled like the default missing
codes count as missing. The export also writes ``<name>.zuordnung.csv`` (``spalte,item``) so that
LimeSurvey's response export (``Q``, ``Q[SQ]``) maps onto the item ids in ``pruefen``.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from survey.atomic import atomic_write
from survey.formats import expressions as X
from survey.formats.document import ORTSTEILE, camel_case, district_options, effective_missing, multi_options

COLUMNS = ("class", "type/scale", "name", "relevance", "text", "help", "language", "validation", "mandatory",
           "other", "default", "same_default", "min_num_value_n", "max_num_value_n")
LANGUAGE = "de"
CODE_LIMIT = 20
TYPE_OF = {"einfach": "L", "matrix": "F", "mehrfach": "M", "zahl": "N", "geburtsjahr": "N", "text": "T"}


def _unique_code(base: str, used: set[str]) -> str:
    code = re.sub(r"[^A-Za-z0-9]", "", base)[:CODE_LIMIT] or "Q"
    if not code[0].isalpha():
        code = ("Q" + code)[:CODE_LIMIT]
    candidate, number = code, 2
    while candidate.lower() in used:
        suffix = str(number)
        candidate, number = code[: CODE_LIMIT - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


def _text_cell(text: str | None) -> str:
    return html.escape(text or "", quote=True).replace("\n", "<br />").replace("\t", " ")


@dataclass
class _Codes:
    questions: dict[str, str] = field(default_factory=dict)      # id -> LimeSurvey code
    subs: dict[str, tuple[str, str]] = field(default_factory=dict)  # variable id -> (question code, sub code)


def _codes(document: dict) -> _Codes:
    codes, used = _Codes(), set()
    for section in document["abschnitte"]:
        for question in section["fragen"]:
            code = _unique_code(camel_case(question["id"]), used)
            codes.questions[question["id"]] = code
            if question["typ"] == "matrix":
                sub_used: set[str] = set()
                for item in question["items"]:
                    prefix = question["id"] + "_"
                    base = item["id"][len(prefix):] if item["id"].startswith(prefix) else item["id"]
                    codes.subs[item["id"]] = (code, _unique_code(camel_case(base), sub_used))
            elif question["typ"] == "mehrfach":
                for option in question["optionen"]:
                    codes.subs[f"{question['id']}_{option}"] = (code, f"SQ{option}")
    return codes


def _relevance(condition: dict | None, codes: _Codes, multi: set[str]) -> str:
    if not condition:
        return "1"

    def atom(item: str, code: int) -> str:
        if item in codes.subs:
            question, sub = codes.subs[item]
            if item in multi:
                return f"{question}_{sub}.NAOK {'==' if code == 1 else '!='} 'Y'"
            return f"{question}_{sub}.NAOK == '{code}'"
        return f"{codes.questions[item]}.NAOK == '{code}'"

    return X.from_condition(condition, atom, and_word="and", or_word="or")


def limesurvey_rows(document: dict, ortsteile: dict[int, str] | None = None) -> tuple[list[dict], list[tuple[str, str]]]:
    """(TSV rows, response-column mapping ``(column, item)``) for the document."""
    codes = _codes(document)
    multi = set(multi_options(document))
    meta = {key: document[key] for key in ("id", "version", "kern_version", "fehlende_codes", "altersgruppen",
                                           "indikatoren", "indizes") if key in document}
    meta["skalen"] = {name: {k: {str(c): t for c, t in v.items()} if isinstance(v, dict) else v
                             for k, v in scale.items()} for name, scale in (document.get("skalen") or {}).items()}
    meta["abschnitte"] = [section["id"] for section in document["abschnitte"]]
    meta["fragen"] = {}
    rows = [{"class": "S", "name": "language", "text": LANGUAGE}, {"class": "S", "name": "format", "text": "G"}]
    description = _text_cell(document.get("einleitung"))
    mapping: list[tuple[str, str]] = []
    for section in document["abschnitte"]:
        rows.append({"class": "G", "name": section["titel"], "text": _text_cell(section.get("einleitung")),
                     "relevance": "1", "language": LANGUAGE})
        for question in section["fragen"]:
            code = codes.questions[question["id"]]
            info = {"id": question["id"]}
            for key in ("skala", "kern", "min_alter", "max_alter", "einheit"):
                if key in question:
                    info[key] = question[key]
            if question["typ"] == "geburtsjahr":
                info["typ"] = "geburtsjahr"
            if question.get("optionen") == ORTSTEILE:
                info["optionen"] = ORTSTEILE
            if "fehlend" in question:
                info["fehlend"] = {str(k): v for k, v in (question["fehlend"] or {}).items()}
            row = {"class": "Q", "type/scale": TYPE_OF[question["typ"]], "name": code,
                   "relevance": _relevance(question.get("filter"), codes, multi), "text": _text_cell(question["text"]),
                   "help": _text_cell(question.get("hinweis")), "language": LANGUAGE, "mandatory": "N"}
            if question["typ"] == "zahl":
                row["min_num_value_n"] = "" if question.get("min") is None else str(question["min"])
                row["max_num_value_n"] = "" if question.get("max") is None else str(question["max"])
            rows.append(row)
            if question["typ"] in ("einfach", "matrix", "mehrfach"):
                if question.get("optionen") == ORTSTEILE:
                    options = district_options(ortsteile)
                elif question.get("skala"):
                    options = document["skalen"][question["skala"]]["codes"]
                else:
                    options = question["optionen"]
                missing = effective_missing(document, question)
                info["fehlend_codes"] = sorted(int(c) for c in missing)
                if question["typ"] == "matrix":
                    info["items"] = {}
                    for item in question["items"]:
                        sub = codes.subs[item["id"]][1]
                        rows.append({"class": "SQ", "type/scale": "0", "name": sub, "text": _text_cell(item["text"]),
                                     "relevance": _relevance(item.get("filter"), codes, multi), "language": LANGUAGE})
                        info["items"][sub] = {"id": item["id"], **({"kern": item["kern"]} if "kern" in item else {})}
                        mapping += [(f"{code}[{sub}]", item["id"]), (f"{code}_{sub}", item["id"])]
                if question["typ"] == "mehrfach":
                    for option, label in options.items():
                        sub = f"SQ{option}"
                        rows.append({"class": "SQ", "type/scale": "0", "name": sub, "text": _text_cell(label),
                                     "relevance": "1", "language": LANGUAGE})
                        variable = f"{question['id']}_{option}"
                        mapping += [(f"{code}[{sub}]", variable), (f"{code}_{sub}", variable)]
                else:
                    for option, label in {**options, **missing}.items():
                        rows.append({"class": "A", "type/scale": "0", "name": str(option), "text": _text_cell(label),
                                     "language": LANGUAGE})
            if question["typ"] not in ("matrix", "mehrfach"):
                mapping.append((code, question["id"]))
            meta["fragen"][code] = info
    encoded = base64.b64encode(json.dumps(meta, ensure_ascii=False).encode("utf-8")).decode("ascii")
    comment = f"<!-- sicherheitsanalyse:{encoded} -->"
    rows[2:2] = [{"class": "SL", "name": "surveyls_title", "text": _text_cell(document["titel"]), "language": LANGUAGE},
                 {"class": "SL", "name": "surveyls_description", "text": description + comment, "language": LANGUAGE}]
    return rows, mapping


def write_limesurvey(document: dict, path: Path, ortsteile: dict[int, str] | None = None) -> tuple[Path, Path]:
    """Write the TSV structure (UTF-8 with BOM) and ``<stem>.zuordnung.csv``; return both paths."""
    rows, mapping = limesurvey_rows(document, ortsteile)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.get(column, "") for column in COLUMNS])
    path = Path(path)
    with atomic_write(path, encoding="utf-8-sig") as stream:
        stream.write(buffer.getvalue())
    mapping_path = path.with_name(f"{path.stem}.zuordnung.csv")
    with atomic_write(mapping_path, encoding="utf-8-sig") as stream:
        out = csv.writer(stream, lineterminator="\n")
        out.writerow(["spalte", "item"])
        out.writerows(mapping)
    return path, mapping_path
