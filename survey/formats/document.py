"""The questionnaire YAML as a plain document (German keys) shared by the format converters.

Exporters start from the validated YAML document (scale names, ``{kommune}``, ``optionen: ortsteile``
and ``min_alter`` survive, which the resolved model no longer knows); importers build such a document,
write it as YAML and load it with :func:`survey.questionnaire.load_questionnaire`, so every import passes
the same checks as a hand-written questionnaire. :func:`check_core` refuses an import that renames or
recodes a core item of the standard instrument unless a mapping file (``spalte,item``) maps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from survey.errors import DefinitionError
from survey.atomic import atomic_write

STANDARD = "sicherheitsanalyse-standard"
QUESTION_KEYS = ("id", "typ", "text", "hinweis", "skala", "optionen", "fehlend", "items", "min", "max", "einheit",
                 "min_alter", "max_alter", "filter", "kern")
TOP_KEYS = ("id", "version", "kern_version", "titel", "einleitung", "fehlende_codes", "skalen", "altersgruppen",
            "abschnitte", "indikatoren", "indizes")
DEFAULT_MISSING = {8: "weiß nicht", 9: "keine Angabe"}
ORTSTEILE = "ortsteile"  # ``optionen: ortsteile``: the commune's districts, filled in at export


@dataclass
class ImportReport:
    """What an import noticed: ``problems`` make it fail, ``notes`` are information (German)."""

    source: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)  # questions of a type we cannot import (see dropped)
    allow_drop: bool = False

    def unsupported_question(self, problem: str, dropped: str) -> None:
        """A question the import cannot take: a problem, or with ``--auslassen`` a line ``dropped``."""
        self.unsupported.append(problem)
        self.dropped.append(dropped)

    def lines(self) -> list[str]:
        lines = [f"Importbericht für {self.source}:"]
        lines += [f"  Fehler: {p}" for p in self.problems]
        if not self.allow_drop:
            lines += [f"  Fehler: {p}" for p in self.unsupported]
        else:
            lines += [f"  Ausgelassen: {d}" for d in self.dropped]
        lines += [f"  Hinweis: {n}" for n in self.notes]
        if len(lines) == 1:
            lines.append("  Alles übernommen, keine Auffälligkeiten.")
        return lines

    def raise_if_failed(self) -> None:
        blocking = [*self.problems, *([] if self.allow_drop else self.unsupported)]
        if blocking:
            count = len(blocking)
            listing = "\n".join(f"  - {p}" for p in blocking)
            hint = ("\nMit --auslassen werden nicht unterstützte Fragen weggelassen (und im Bericht genannt)."
                    if self.unsupported and not self.allow_drop else "")
            raise DefinitionError(f"Import abgebrochen, {count} Problem{'e' if count > 1 else ''}:\n{listing}{hint}",
                                  path=self.source)


def questionnaire_document(ref: str | Path) -> tuple[dict, object]:
    """The validated YAML document of ``ref`` (id or path) and its loaded questionnaire."""
    from survey.questionnaire import load_questionnaire, resolve_questionnaire_path

    questionnaire = load_questionnaire(ref)
    path = resolve_questionnaire_path(ref)
    return yaml.safe_load(path.read_text(encoding="utf-8")), questionnaire


def fill_placeholders(document: dict, kommune: str | None) -> dict:
    """``{kommune}`` replaced in every text of the document (unchanged if ``kommune`` is None)."""
    if kommune is None:
        return document

    def walk(value):  # noqa: ANN001, ANN202
        if isinstance(value, str):
            return value.replace("{kommune}", kommune)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return walk(document)


def _ordered(mapping: dict, keys: tuple[str, ...]) -> dict:
    return {**{k: mapping[k] for k in keys if k in mapping}, **{k: v for k, v in mapping.items() if k not in keys}}


def dump_document(document: dict) -> str:
    document = _ordered(document, TOP_KEYS)
    sections = []
    for section in document.get("abschnitte", []):
        section = _ordered(section, ("id", "titel", "einleitung", "fragen"))
        section["fragen"] = [_ordered(q, QUESTION_KEYS) for q in section.get("fragen", [])]
        sections.append(section)
    document["abschnitte"] = sections
    header = "# Importiert von »sicherheitsanalyse fragebogen import«; Format: questionnaires/README.md\n"
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110)


def validate_document(document: dict) -> object:
    """Load the document as a questionnaire (all checks of a hand-written YAML); German error if invalid."""
    import tempfile

    from survey.questionnaire import load_questionnaire

    with tempfile.TemporaryDirectory(prefix="fragebogen-import-") as folder:
        temp = Path(folder) / "fragebogen.yaml"
        temp.write_text(dump_document(document), encoding="utf-8")
        try:
            return load_questionnaire(temp)
        except DefinitionError as error:
            detail = error.message.replace(str(temp), "importierter Fragebogen")
            raise DefinitionError(f"Der importierte Fragebogen ist ungültig: {detail}") from None


def write_document(document: dict, path: Path) -> object:
    """Validate, then write the document as YAML (atomically); return the loaded questionnaire."""
    questionnaire = validate_document(document)
    with atomic_write(Path(path)) as stream:
        stream.write(dump_document(document))
    return questionnaire


def snake_case(code: str) -> str:
    """LimeSurvey/camelCase code to a questionnaire id: ``sicherNacht`` -> ``sicher_nacht``."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", code.strip())
    text = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_").lower()
    if not text or not text[0].isalpha():
        text = "f_" + text
    return text


def camel_case(identifier: str) -> str:
    """Questionnaire id to a code without underscores: ``sicher_nacht`` -> ``sicherNacht``."""
    head, *rest = identifier.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def normalised(text: str | None) -> str:
    """Text compared loosely: whitespace collapsed, case folded."""
    return re.sub(r"\s+", " ", (text or "")).strip().casefold()


def scale_missing(document: dict, name: str) -> dict:
    """Missing codes of scale ``name`` (the document's default unless the scale has its own)."""
    return dict(document["skalen"][name].get("fehlend", document.get("fehlende_codes", DEFAULT_MISSING)) or {})


def effective_missing(document: dict, question: dict) -> dict:
    """Missing codes a choice question offers: its own, its scale's, none for districts or multiple
    choice without own codes, else the document's default."""
    if question["typ"] == "mehrfach":
        return dict(question.get("fehlend") or {})
    if "fehlend" in question:
        return dict(question["fehlend"] or {})
    if question.get("skala"):
        return scale_missing(document, question["skala"])
    if question.get("optionen") == ORTSTEILE:
        return {}
    return dict(document.get("fehlende_codes", DEFAULT_MISSING) or {})


def district_options(ortsteile: dict[int, str] | None) -> dict:
    """Codes and names of the commune's districts, or one placeholder row for the coach to fill in."""
    return dict(ortsteile or {1: "Ortsteil 1 (bitte die Ortsteile der Kommune eintragen)"})


def multi_options(document: dict) -> dict[str, tuple[str, int]]:
    """Data column ``<id>_<code>`` of every multiple-choice option -> (question id, option code)."""
    return {f"{question['id']}_{code}": (question["id"], int(code))
            for section in document["abschnitte"] for question in section["fragen"] if question["typ"] == "mehrfach"
            for code in question["optionen"]}


def apply_mapping(document: dict, mapping: dict[str, str]) -> list[str]:
    """Rename ids (questions, grid rows, filter and indicator references) by ``mapping`` (lower-case keys)."""
    if not mapping:
        return []
    renamed = []

    def new(identifier: str) -> str:
        target = mapping.get(identifier.lower())
        if target and target != identifier:
            renamed.append(f"»{identifier}« → »{target}« (Zuordnungsdatei)")
            return target
        return identifier

    def condition(cond: dict | None) -> dict | None:
        if cond is None:
            return None
        if "item" in cond:
            return {**cond, "item": mapping.get(cond["item"].lower(), cond["item"])}
        key = "alle" if "alle" in cond else "irgendein"
        return {key: [condition(c) for c in cond[key]]}

    for section in document.get("abschnitte", []):
        for question in section.get("fragen", []):
            question["id"] = new(question["id"])
            if question.get("filter"):
                question["filter"] = condition(question["filter"])
            for item in question.get("items") or []:
                item["id"] = new(item["id"])
                if item.get("filter"):
                    item["filter"] = condition(item["filter"])
    for indicator in [*document.get("indikatoren", []), *document.get("indizes", [])]:
        if "item" in indicator:
            indicator["item"] = mapping.get(indicator["item"].lower(), indicator["item"])
        if "items" in indicator:
            indicator["items"] = [mapping.get(i.lower(), i) for i in indicator["items"]]
        if indicator.get("unter"):
            indicator["unter"] = condition(indicator["unter"])
    return renamed


def check_core(questionnaire, report: ImportReport, where: dict[str, str] | None = None) -> None:  # noqa: ANN001
    """Core items of the standard instrument must keep id and codes; renames and recodes are problems."""
    from survey.questionnaire import load_questionnaire

    standard = load_questionnaire(STANDARD)
    where = where or {}
    imported = {v.id: v for v in questionnaire.variables}
    by_text: dict[str, list] = {}
    for variable in questionnaire.variables:
        by_text.setdefault(normalised(variable.question_text) + "|" + normalised(variable.label), []).append(variable)
    for core in standard.core_variables:
        found = imported.get(core.id)
        place = f" ({where[core.id]})" if core.id in where else ""
        if found is None:
            key = normalised(core.question_text) + "|" + normalised(core.label)
            candidates = [v for v in questionnaire.variables if v.id not in standard.variable_ids and
                          (normalised(v.question_text) + "|" + normalised(v.label)) == key]
            if candidates:
                other = candidates[0]
                report.problems.append(
                    f"Kernfrage »{core.id}« heißt in der Datei »{other.id}«{' (' + where[other.id] + ')' if other.id in where else ''}; "
                    "Kernfragen behalten ihre ID. Bitte umbenennen oder in einer Zuordnungsdatei "
                    f"(Spalten spalte,item: {other.id},{core.id}) zuordnen.")
            continue
        if core.commune_codes:
            continue
        if found.kind != core.kind:
            report.problems.append(f"Kernfrage »{core.id}«{place} hat den Typ {found.kind} statt {core.kind}.")
            continue
        ours = {code: normalised(label) for code, label in core.all_codes.items()}
        theirs = {code: normalised(label) for code, label in found.all_codes.items()}
        if ours != theirs:
            differences = [f"{code}: {dict(found.all_codes).get(code, '–')} statt {dict(core.all_codes).get(code, '–')}"
                           for code in sorted(set(ours) | set(theirs)) if ours.get(code) != theirs.get(code)]
            report.problems.append(f"Kernfrage »{core.id}«{place} ist umcodiert ({'; '.join(differences[:4])}); die "
                                   "Codes der Kernfragen sind fest (DESIGN.md §4).")


def mark_core(document: dict, report: ImportReport) -> None:
    """Set ``kern: true`` on questions and grid rows whose ids are core items of the standard instrument."""
    from survey.questionnaire import load_questionnaire

    standard = load_questionnaire(STANDARD)
    core = {v.id for v in standard.core_variables}
    core_questions = {q.id for q in standard.questions if q.core}
    for section in document.get("abschnitte", []):
        for question in section.get("fragen", []):
            if question.get("typ") == "matrix":
                rows = {item["id"] for item in question.get("items") or []}
                if question["id"] in core_questions and rows <= core and not question.get("kern"):
                    question["kern"] = True
                    report.notes.append(f"»{question['id']}« ist eine Kernfrage und wurde als Kern markiert.")
            elif question["id"] in core and not question.get("kern"):
                question["kern"] = True
                report.notes.append(f"»{question['id']}« ist eine Kernfrage und wurde als Kern markiert.")
