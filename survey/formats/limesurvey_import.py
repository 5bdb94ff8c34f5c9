"""LimeSurvey survey structure import: tab-separated ``.txt`` and ``.lss`` (XML) to the questionnaire
document. The mapping and the ``sicherheitsanalyse`` comment are described in
:mod:`survey.formats.limesurvey_export`; types outside the common subset are problems (or dropped with
``--auslassen``) named with their line (``.txt``) or line/qid (``.lss``).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path

from survey.errors import InputFileError
from survey.formats import expressions as X
from survey.formats.document import DEFAULT_MISSING, ORTSTEILE, ImportReport, normalised, snake_case
from survey.formats.limesurvey_export import COLUMNS, LANGUAGE

META = re.compile(r"<!--\s*sicherheitsanalyse:([A-Za-z0-9+/=]+)\s*-->")
MAX_BYTES = 50_000_000
KIND_OF = {"L": "einfach", "!": "einfach", "F": "matrix", "M": "mehrfach", "N": "zahl", "T": "text", "S": "text",
           "U": "text"}
TYPE_NAMES = {"5": "5-Punkte-Auswahl", "A": "Matrix (5 Punkte)", "B": "Matrix (10 Punkte)", "C": "Matrix ja/nein/unsicher",
              "D": "Datum", "E": "Matrix mehr/gleich/weniger", "G": "Geschlecht", "H": "Matrix nach Spalten",
              "I": "Sprachumschalter", "K": "mehrere Zahlen", "O": "Liste mit Kommentar", "P": "Mehrfachauswahl mit "
              "Kommentar", "Q": "mehrere Kurztexte", "R": "Rangfolge", "Y": "Ja/Nein", "*": "Gleichung",
              "|": "Datei-Upload", ":": "Matrix (Zahlen)", ";": "Matrix (Texte)", "1": "Matrix mit zwei Skalen"}


@dataclass
class LsQuestion:
    code: str
    type: str
    text: str
    help: str
    relevance: str
    where: str
    subs: list[tuple[str, str, str]] = field(default_factory=list)  # (code, text, relevance)
    answers: list[tuple[str, str]] = field(default_factory=list)     # (code, text)
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class LsGroup:
    name: str
    description: str
    questions: list[LsQuestion] = field(default_factory=list)


@dataclass
class LsSurvey:
    title: str = ""
    description: str = ""
    groups: list[LsGroup] = field(default_factory=list)


def _plain(text: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", text or "", flags=re.I)
    text = META.sub("", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).strip()


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise InputFileError("Die Datei ist größer als 50 MB und wird nicht gelesen.", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError("Die Datei ist nicht in UTF-8 gespeichert (LimeSurvey exportiert UTF-8).",
                             path=path) from None


def read_tsv(path: Path, report: ImportReport) -> LsSurvey:
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    try:
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise InputFileError(f"Die Datei ist keine gültige Tab-getrennte Datei ({error}).", path=path,
                             line=reader.line_num) from None
    if not records or "class" not in [c.strip().lower() for c in records[0][1]]:
        raise InputFileError("Die erste Zeile muss die Spaltennamen der LimeSurvey-Struktur enthalten "
                             "(class, type/scale, name, text, …).", path=path, line=1)
    header = [c.strip().lower() for c in records[0][1]]
    survey, question, languages = LsSurvey(), None, set()
    for line, values in records[1:]:
        row = dict(zip(header, values))
        kind = row.get("class", "").strip()
        language = row.get("language", "").strip()
        if language:
            languages.add(language)
        if language and language != LANGUAGE and survey.groups:
            continue  # later languages repeat the structure; only German is imported for now
        where = f"Zeile {line}"
        if kind == "SL" and row.get("name") == "surveyls_title":
            survey.title = row.get("text", "")
        elif kind == "SL" and row.get("name") == "surveyls_description":
            survey.description = row.get("text", "")
        elif kind == "G":
            survey.groups.append(LsGroup(row.get("name", ""), row.get("text", "")))
            question = None
        elif kind == "Q":
            if not survey.groups:
                survey.groups.append(LsGroup("Fragen", ""))
            attributes = {k: v for k, v in row.items() if k not in COLUMNS[:12] and v}
            question = LsQuestion(row.get("name", ""), row.get("type/scale", ""), row.get("text", ""),
                                  row.get("help", ""), row.get("relevance", ""), where, attributes=attributes)
            survey.groups[-1].questions.append(question)
        elif kind in ("SQ", "A"):
            if question is None:
                report.problems.append(f"{where}: {'Unterfrage' if kind == 'SQ' else 'Antwort'} ohne Frage davor.")
                continue
            if row.get("type/scale", "0").strip() not in ("", "0"):
                report.problems.append(f"{where}: zweite Skala (type/scale {row['type/scale']}) bei »{question.code}« "
                                       "wird nicht unterstützt.")
                continue
            if kind == "SQ":
                question.subs.append((row.get("name", ""), row.get("text", ""), row.get("relevance", "")))
            else:
                question.answers.append((row.get("name", ""), row.get("text", "")))
        elif kind not in ("S", "SL", ""):
            report.notes.append(f"{where}: Zeilenart »{kind}« (z. B. Quoten, Bewertungen) wird nicht übernommen.")
    if len(languages) > 1:
        report.notes.append(f"Sprachen {', '.join(sorted(languages))}: übernommen wird nur Deutsch ({LANGUAGE}).")
    return survey


def _parse_with_lines(text: str) -> ET.Element:
    """ElementTree of ``text`` with each element's source line in the attribute ``_line`` (expat)."""
    builder = ET.TreeBuilder()
    parser = xml.parsers.expat.ParserCreate()

    def start(tag: str, attrs: dict) -> None:
        builder.start(tag, {**attrs, "_line": str(parser.CurrentLineNumber)})

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.Parse(text, True)
    return builder.close()


def read_lss(path: Path, report: ImportReport) -> LsSurvey:
    text = _read_text(path)
    if re.search(r"<!DOCTYPE|<!ENTITY", text[:5000], re.I):
        raise InputFileError("Die .lss-Datei enthält eine DOCTYPE-/ENTITY-Deklaration und wird nicht gelesen.",
                             path=path)
    try:
        root = _parse_with_lines(text)
    except xml.parsers.expat.ExpatError as error:
        raise InputFileError(f"Die .lss-Datei ist kein gültiges XML ({xml.parsers.expat.ErrorString(error.code)}).",
                             path=path, line=error.lineno) from None
    if root.tag != "document":
        raise InputFileError("Die Datei ist keine LimeSurvey-Strukturdatei (.lss).", path=path)

    def table(name: str) -> list[dict]:
        rows = []
        for row in root.findall(f"{name}/rows/row"):
            values = {child.tag: (child.text or "") for child in row}
            values["_line"] = row.get("_line")
            rows.append(values)
        return rows

    def localised(rows: list[dict], key: str, fields: tuple[str, ...]) -> dict[str, dict]:
        found = {}
        for row in rows:
            if row.get("language", LANGUAGE) in (LANGUAGE, "") or row[key] not in found:
                found[row[key]] = {f: row.get(f, "") for f in fields}
        return found

    survey = LsSurvey()
    settings = table("surveys_languagesettings")
    chosen = next((s for s in settings if s.get("surveyls_language") == LANGUAGE), settings[0] if settings else {})
    survey.title, survey.description = chosen.get("surveyls_title", ""), chosen.get("surveyls_description", "")
    group_text = localised(table("group_l10ns"), "gid", ("group_name", "description"))
    groups = {}
    for row in sorted(table("groups"), key=lambda r: int(r.get("group_order") or 0)):
        names = group_text.get(row["gid"], row)
        if row["gid"] in groups:
            continue
        groups[row["gid"]] = LsGroup(names.get("group_name", ""), names.get("description", ""))
    question_text = localised(table("question_l10ns"), "qid", ("question", "help"))
    attributes: dict[str, dict[str, str]] = {}
    for row in table("question_attributes"):
        attributes.setdefault(row.get("qid", ""), {})[row.get("attribute", "")] = row.get("value", "")
    answer_text = localised(table("answer_l10ns"), "aid", ("answer",))
    answers: dict[str, list[tuple[int, str, str]]] = {}
    for row in table("answers"):
        if row.get("language", LANGUAGE) not in (LANGUAGE, ""):
            continue
        if row.get("scale_id", "0") not in ("0", ""):
            report.problems.append(f"Zeile {row['_line']}: zweite Antwortskala bei Frage {row.get('qid')} wird nicht "
                                   "unterstützt.")
            continue
        label = answer_text.get(row.get("aid", ""), {}).get("answer") or row.get("answer", "")
        answers.setdefault(row["qid"], []).append((int(row.get("sortorder") or 0), row.get("code", ""), label))
    all_questions = [*table("questions"), *table("subquestions")]
    seen: set[str] = set()
    parents, subs = [], {}
    for row in all_questions:
        if row.get("language", LANGUAGE) not in (LANGUAGE, "") or row["qid"] in seen:
            continue
        seen.add(row["qid"])
        (subs.setdefault(row["parent_qid"], []) if row.get("parent_qid", "0") not in ("0", "") else parents).append(row)
    for row in sorted(parents, key=lambda r: (int(r.get("question_order") or 0))):
        texts = question_text.get(row["qid"], row)
        question = LsQuestion(row.get("title", ""), row.get("type", ""), texts.get("question", ""),
                              texts.get("help", ""), row.get("relevance", ""),
                              f"Zeile {row['_line']} (Frage qid {row['qid']})", attributes=attributes.get(row["qid"], {}))
        for sub in sorted(subs.get(row["qid"], []), key=lambda r: int(r.get("question_order") or 0)):
            if sub.get("scale_id", "0") not in ("0", ""):
                report.problems.append(f"Zeile {sub['_line']}: zweite Skala bei »{question.code}« wird nicht unterstützt.")
                continue
            sub_text = question_text.get(sub["qid"], sub)
            question.subs.append((sub.get("title", ""), sub_text.get("question", ""), sub.get("relevance", "")))
        question.answers = [(code, label) for _, code, label in sorted(answers.get(row["qid"], []))]
        group = groups.get(row.get("gid", ""))
        if group is None:
            group = groups.setdefault(row.get("gid", ""), LsGroup("Fragen", ""))
        group.questions.append(question)
    survey.groups = [g for g in groups.values() if g.questions]
    return survey


def build_document(survey: LsSurvey, report: ImportReport) -> dict:
    """The questionnaire document of a LimeSurvey structure (TSV or LSS)."""
    match = META.search(survey.description or "")
    meta: dict = {}
    if match:
        try:
            meta = json.loads(base64.b64decode(match.group(1)).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            report.notes.append("Der Kommentar »sicherheitsanalyse« in der Umfragebeschreibung ist beschädigt; IDs "
                                "werden aus den LimeSurvey-Codes gebildet.")
    info_of = meta.get("fragen", {})
    default_missing = {int(k): v for k, v in (meta.get("fehlende_codes") or DEFAULT_MISSING).items()}
    document: dict = {"id": meta.get("id", "limesurvey-import"), "version": str(meta.get("version", "1")),
                      "kern_version": str(meta.get("kern_version", "1")), "titel": _plain(survey.title) or "LimeSurvey"}
    intro = _plain(survey.description)
    if intro:
        document["einleitung"] = intro
    if "fehlende_codes" in meta:
        document["fehlende_codes"] = default_missing
    scales = {name: {k: {int(c): t for c, t in v.items()} if isinstance(v, dict) else v for k, v in scale.items()}
              for name, scale in (meta.get("skalen") or {}).items()}
    if scales:
        document["skalen"] = scales
    section_ids = meta.get("abschnitte", [])
    if section_ids and len(section_ids) != len(survey.groups):
        report.notes.append("Die Zahl der Gruppen hat sich geändert; Abschnitts-IDs werden aus den Gruppennamen gebildet.")
        section_ids = []
    names: dict[str, tuple[str, str | None]] = {}  # LimeSurvey variable -> (item, multi option value)
    sections = []
    for index, group in enumerate(survey.groups):
        section = {"id": section_ids[index] if section_ids else snake_case(_plain(group.name))[:40] or f"gruppe_{index + 1}",
                   "titel": _plain(group.name) or f"Gruppe {index + 1}"}
        if _plain(group.description):
            section["einleitung"] = _plain(group.description)
        questions = []
        for question in group.questions:
            built = _question(question, info_of.get(question.code, {}), default_missing, names, report)
            if built is not None:
                questions.append(built)
        section["fragen"] = questions
        if questions:
            sections.append(section)
    document["abschnitte"] = sections
    for key in ("altersgruppen", "indikatoren", "indizes"):
        if meta.get(key):
            document[key] = meta[key]
    return document


def _condition(text: str, names: dict, where: str, report: ImportReport) -> dict | None:
    text = (text or "").strip()
    if text in ("", "1"):
        return None
    try:
        tree = X.parse_limesurvey(text)

        def resolve(atom: X.Atom) -> tuple[str, int]:
            if atom.name not in names:
                raise X.ExpressionError(f"»{atom.name}« ist keine frühere Frage")
            item, multi = names[atom.name]
            if multi is not None:
                if atom.value.upper() != "Y":
                    raise X.ExpressionError(f"bei Mehrfachauswahl nur »== \"Y\"« oder »!= \"Y\"«, nicht »{atom.value}«")
                return item, 1 if atom.positive else 0
            if not re.fullmatch(r"-?\d+", atom.value):
                raise X.ExpressionError(f"»{atom.value}« ist kein Zahlencode")
            return item, int(atom.value)

        return X.to_condition(tree, resolve)
    except X.ExpressionError as error:
        report.problems.append(f"{where}, Relevanzgleichung »{text}«: {error}.")
        return None


def _question(question: LsQuestion, info: dict, default_missing: dict, names: dict, report: ImportReport) -> dict | None:
    kind = KIND_OF.get(question.type)
    if question.type == "X":
        report.notes.append(f"{question.where}: Textanzeige »{question.code}« wird nicht übernommen.")
        return None
    if kind is None:
        name = TYPE_NAMES.get(question.type, "unbekannt")
        report.unsupported_question(f"{question.where}: der Fragetyp »{question.type}« ({name}) von »{question.code}« "
                                    "wird nicht unterstützt (möglich: L, !, F, M, N, S, T, U, X).",
                                    f"{question.code} (Typ {question.type}, {question.where})")
        return None
    identifier = info.get("id") or snake_case(question.code)
    if kind == "zahl" and info.get("typ") == "geburtsjahr":
        kind = "geburtsjahr"
    result: dict = {"id": identifier, "typ": kind, "text": _plain(question.text)}
    if _plain(question.help):
        result["hinweis"] = _plain(question.help)
    condition = _condition(question.relevance, names, question.where, report)
    if condition:
        result["filter"] = condition
    for key in ("skala", "kern", "min_alter", "max_alter", "einheit"):
        if key in info:
            result[key] = info[key]
    if kind in ("einfach", "matrix", "mehrfach"):
        if not _options(question, info, kind, default_missing, result, report):
            return None
    if kind == "zahl":
        for attribute, key in (("min_num_value_n", "min"), ("max_num_value_n", "max")):
            value = question.attributes.get(attribute, "").strip()
            if value:
                try:
                    result[key] = int(float(value))
                except ValueError:
                    report.problems.append(f"{question.where}: {attribute} »{value}« ist keine Zahl.")
    if kind == "matrix":
        items = []
        for sub, text, relevance in question.subs:
            sub_info = info.get("items", {}).get(sub, {})
            item = {"id": sub_info.get("id") or f"{identifier}_{snake_case(sub)}", "text": _plain(text)}
            if "kern" in sub_info:
                item["kern"] = sub_info["kern"]
            sub_condition = _condition(relevance, names, question.where, report)
            if sub_condition:
                item["filter"] = sub_condition
            items.append(item)
            names[f"{question.code}_{sub}"] = (item["id"], None)
        result["items"] = items
    elif kind == "mehrfach":
        for code in result["optionen"]:
            names[f"{question.code}_SQ{code}"] = (f"{identifier}_{code}", "Y")
    else:
        names[question.code] = (identifier, None)
    return result


def _options(question: LsQuestion, info: dict, kind: str, default_missing: dict, result: dict,
             report: ImportReport) -> bool:
    if kind == "mehrfach":
        options = {}
        for sub, text, _ in question.subs:
            digits = re.sub(r"\D", "", sub)
            if not digits:
                report.problems.append(f"{question.where}: Unterfrage »{sub}« von »{question.code}« hat keinen Zahlencode.")
                return False
            options[int(digits)] = _plain(text)
        result["optionen"] = options
        if info.get("fehlend"):
            result["fehlend"] = {int(k): v for k, v in info["fehlend"].items()}
        return True
    codes: dict[int, str] = {}
    for code, label in question.answers:
        if not re.fullmatch(r"-?\d+", code.strip()):
            report.problems.append(f"{question.where}: Antwortcode »{code}« von »{question.code}« ist keine Zahl; die "
                                   "Codes müssen Zahlen sein.")
            return False
        codes[int(code)] = _plain(label)
    if "fehlend_codes" in info:
        missing = {c: codes[c] for c in info["fehlend_codes"] if c in codes}
    else:
        missing = {c: label for c, label in codes.items() if normalised(default_missing.get(c)) == normalised(label)}
    valid = {c: label for c, label in codes.items() if c not in missing}
    if info.get("optionen") == ORTSTEILE:
        result["optionen"] = ORTSTEILE
    elif not info.get("skala"):  # a scale's codes come from the document's ``skalen``
        result["optionen"] = valid
        if missing != default_missing:
            result["fehlend"] = missing
    if "fehlend" in info:
        result["fehlend"] = {int(k): v for k, v in info["fehlend"].items()}
    return True
