"""LimeSurvey survey structure: export as tab-separated ``.txt``, import from ``.txt`` and ``.lss`` (XML).

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
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from survey.errors import InputFileError
from survey.folder import atomic_write
from survey.formats import expressions as X
from survey.formats.document import DEFAULT_MISSING, ImportReport, _norm, camel_case, snake_case

COLUMNS = ("class", "type/scale", "name", "relevance", "text", "help", "language", "validation", "mandatory",
           "other", "default", "same_default", "min_num_value_n", "max_num_value_n")
LANGUAGE = "de"
META = re.compile(r"<!--\s*sicherheitsanalyse:([A-Za-z0-9+/=]+)\s*-->")
CODE_LIMIT = 20
MAX_BYTES = 50_000_000
TYPE_OF = {"einfach": "L", "matrix": "F", "mehrfach": "M", "zahl": "N", "geburtsjahr": "N", "text": "T"}
KIND_OF = {"L": "einfach", "!": "einfach", "F": "matrix", "M": "mehrfach", "N": "zahl", "T": "text", "S": "text",
           "U": "text"}
TYPE_NAMES = {"5": "5-Punkte-Auswahl", "A": "Matrix (5 Punkte)", "B": "Matrix (10 Punkte)", "C": "Matrix ja/nein/unsicher",
              "D": "Datum", "E": "Matrix mehr/gleich/weniger", "G": "Geschlecht", "H": "Matrix nach Spalten",
              "I": "Sprachumschalter", "K": "mehrere Zahlen", "O": "Liste mit Kommentar", "P": "Mehrfachauswahl mit "
              "Kommentar", "Q": "mehrere Kurztexte", "R": "Rangfolge", "Y": "Ja/Nein", "*": "Gleichung",
              "|": "Datei-Upload", ":": "Matrix (Zahlen)", ";": "Matrix (Texte)", "1": "Matrix mit zwei Skalen"}


# ------------------------------------------------------------------------------------------- export


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
    from survey.formats.xlsform import _effective_missing

    codes = _codes(document)
    multi = set()
    for section in document["abschnitte"]:
        for question in section["fragen"]:
            if question["typ"] == "mehrfach":
                multi |= {f"{question['id']}_{c}" for c in question["optionen"]}
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
            if question.get("optionen") == "ortsteile":
                info["optionen"] = "ortsteile"
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
                if question.get("optionen") == "ortsteile":
                    options = dict(ortsteile or {1: "Ortsteil 1 (bitte die Ortsteile der Kommune eintragen)"})
                elif question.get("skala"):
                    options = document["skalen"][question["skala"]]["codes"]
                else:
                    options = question["optionen"]
                missing = _effective_missing(document, question)
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


# ------------------------------------------------------------------------------------------- import


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
            target = question.subs if kind == "SQ" else question.answers
            target.append((row.get("name", ""), row.get("text", ""), row.get("relevance", ""))[: 3 if kind == "SQ" else 2])
        elif kind not in ("S", "SL", ""):
            report.notes.append(f"{where}: Zeilenart »{kind}« (z. B. Quoten, Bewertungen) wird nicht übernommen.")
    if len(languages) > 1:
        report.notes.append(f"Sprachen {', '.join(sorted(languages))}: übernommen wird nur Deutsch ({LANGUAGE}).")
    return survey


def _parse_with_lines(text: str) -> ET.Element:
    """ElementTree of ``text`` with each element's source line in the attribute ``_line`` (expat)."""
    import xml.parsers.expat

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
    import xml.parsers.expat

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
        report.unsupported.append(f"{question.where}: der Fragetyp »{question.type}« ({name}) von »{question.code}« wird "
                               "nicht unterstützt (möglich: L, !, F, M, N, S, T, U, X).")
        report.dropped.append(f"{question.code} (Typ {question.type}, {question.where})")
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
        missing = {c: label for c, label in codes.items() if _norm(default_missing.get(c)) == _norm(label)}
    valid = {c: label for c, label in codes.items() if c not in missing}
    if info.get("optionen") == "ortsteile":
        result["optionen"] = "ortsteile"
    elif info.get("skala"):
        pass
    else:
        result["optionen"] = valid
        if missing != default_missing:
            result["fehlend"] = missing
    if "fehlend" in info:
        result["fehlend"] = {int(k): v for k, v in info["fehlend"].items()}
    return True
