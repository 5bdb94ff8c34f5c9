"""Translations of a questionnaire: one YAML file per language beside the German questionnaire.

``sicherheitsanalyse-standard.pl.yaml`` translates ``sicherheitsanalyse-standard.yaml``. The German file stays
the only definition (ids, codes, filters, indicators) and the source of truth; a translation holds only texts,
keyed by the *text path* of the German text, nested like the questionnaire but keyed by id::

    sprache: pl
    fragebogen: sicherheitsanalyse-standard
    umfang: vollstaendig            # or: kern (only the core items, DESIGN.md §4)
    entstehung: "Maschinengestützter Entwurf der Entwickler, nicht professionell geprüft …"
    texte:
      titel: Ankieta …
      skalen:
        sicherheit: {codes: {1: bardzo bezpiecznie, …}}
      abschnitte:
        wohnen: {titel: …, einleitung: …}
      fragen:
        sicher_tag: {text: …, hinweis: …}
        sorge: {text: …, items: {sorge_einbruch: …}}
        wohnform: {text: …, optionen: {1: …}}

Text paths (``fragen.sicher_tag.text``, ``skalen.sicherheit.codes.1``, ``fehlende_codes.8``,
``abschnitte.wohnen.titel``, ``fragen.sorge.items.sorge_einbruch``) never contain a code's meaning, only
ids and codes, so a translation cannot change what is measured. A text without translation is shown in
German (and marked ``lang="de"`` on web pages). Indicator texts are not translated: they are report texts,
and the report is German.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from survey.errors import DefinitionError
from survey.languages import LANGUAGES, SOURCE, normalise_language
from survey.questionnaire.schema import ORTSTEILE, RawQuestionnaire
from survey.yamlfile import Location, YamlDocument, read_yaml

SCOPES = {"vollstaendig": "vollständig", "kern": "Kern"}
TOP_KEYS = ("sprache", "fragebogen", "version", "umfang", "entstehung", "texte")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


# -- text paths -----------------------------------------------------------------------------------------


def join(*parts: object) -> str:
    return ".".join(str(part) for part in parts)


def missing_path(code: int) -> str:
    return join("fehlende_codes", code)


def scale_path(name: str, code: int, missing: bool = False) -> str:
    return join("skalen", name, "fehlend" if missing else "codes", code)


def section_path(section_id: str, key: str) -> str:
    return join("abschnitte", section_id, key)


def question_path(question_id: str, key: str, *rest: object) -> str:
    return join("fragen", question_id, key, *rest)


@dataclass(frozen=True)
class TextEntry:
    """One German text of a questionnaire: its path, text, line in the YAML and whether the core uses it."""

    path: str
    text: str
    line: int | None
    core: bool


def text_entries(raw: RawQuestionnaire, document: YamlDocument) -> list[TextEntry]:
    """Every translatable German text of a questionnaire, in file order (each path once)."""
    entries: dict[str, TextEntry] = {}
    core_scales: set[str] = set()
    default_missing_core = False

    def add(path: str, text: str | None, location: Location, core: bool) -> None:
        if text is None or not str(text).strip():
            return
        if path in entries:
            if core and not entries[path].core:
                entries[path] = TextEntry(path, entries[path].text, entries[path].line, True)
            return
        entries[path] = TextEntry(path, str(text), document.line_of(location), core)

    for section in raw.abschnitte:
        for question in section.fragen:
            if _question_core(question) and question.typ in ("einfach", "matrix"):
                if question.skala:
                    core_scales.add(question.skala)
                uses_default = question.fehlend is None and (
                    question.skala is None or raw.skalen.get(question.skala) is None
                    or raw.skalen[question.skala].fehlend is None) and question.optionen != ORTSTEILE
                default_missing_core = default_missing_core or uses_default
    add("titel", raw.titel, ("titel",), True)
    add("einleitung", raw.einleitung, ("einleitung",), True)
    for code, label in raw.fehlende_codes.items():
        add(missing_path(code), label, ("fehlende_codes", code), default_missing_core)
    for name, scale in raw.skalen.items():
        for code, label in scale.codes.items():
            add(scale_path(name, code), label, ("skalen", name, "codes", code), name in core_scales)
        for code, label in (scale.fehlend or {}).items():
            add(scale_path(name, code, True), label, ("skalen", name, "fehlend", code), name in core_scales)
    for i, section in enumerate(raw.abschnitte):
        here = ("abschnitte", i)
        section_core = any(_question_core(question) for question in section.fragen)
        add(section_path(section.id, "titel"), section.titel, (*here, "titel"), section_core)
        add(section_path(section.id, "einleitung"), section.einleitung, (*here, "einleitung"), section_core)
        for j, question in enumerate(section.fragen):
            at = (*here, "fragen", j)
            core = _question_core(question)
            add(question_path(question.id, "text"), question.text, (*at, "text"), core)
            add(question_path(question.id, "hinweis"), question.hinweis, (*at, "hinweis"), core)
            add(question_path(question.id, "einheit"), question.einheit, (*at, "einheit"), core)
            if isinstance(question.optionen, dict):
                for code, label in question.optionen.items():
                    add(question_path(question.id, "optionen", code), label, (*at, "optionen", code), core)
            for code, label in (question.fehlend or {}).items():
                add(question_path(question.id, "fehlend", code), label, (*at, "fehlend", code), core)
            for k, item in enumerate(question.items or []):
                item_core = question.kern if item.kern is None else item.kern
                add(question_path(question.id, "items", item.id), item.text, (*at, "items", k, "text"), item_core)
    return list(entries.values())


def _question_core(question) -> bool:  # noqa: ANN001
    return bool(question.kern or any(item.kern for item in question.items or []))


# -- translation files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Translation:
    """One translation file: ``texts`` maps text paths to translated texts; ``lines`` to their lines."""

    path: Path
    language: str
    questionnaire_id: str
    scope: str
    origin: str
    texts: dict[str, str]
    lines: dict[str, int | None] = field(default_factory=dict)
    version: str | None = None


def translation_path(questionnaire_path: Path, code: str) -> Path:
    """``<stem>.<code>.yaml`` beside the questionnaire."""
    return questionnaire_path.with_name(f"{questionnaire_path.stem}.{code}.yaml")


def translation_files(questionnaire_path: Path) -> dict[str, Path]:
    """Translation files beside ``questionnaire_path`` by language code (known codes only, sorted as LANGUAGES)."""
    found = {}
    for path in questionnaire_path.parent.glob(f"{questionnaire_path.stem}.*.yaml"):
        code = normalise_language(path.name[len(questionnaire_path.stem) + 1:-len(".yaml")])
        if code is not None and code != SOURCE:
            found[code] = path
    return {code: found[code] for code in LANGUAGES if code in found}


def stray_translation_files(questionnaire_path: Path) -> list[Path]:
    """Files ``<stem>.<x>.yaml`` whose ``<x>`` is no known language (typos such as ``.pol.yaml``)."""
    known = set(translation_files(questionnaire_path).values())
    return sorted(path for path in questionnaire_path.parent.glob(f"{questionnaire_path.stem}.*.yaml")
                  if path not in known)


def read_translation(path: Path) -> Translation:
    """Read a translation file; structural problems raise :class:`DefinitionError` with file and line."""
    document = read_yaml(path, DefinitionError)
    data = document.data
    if not isinstance(data, dict):
        raise DefinitionError("Eine Übersetzung besteht aus »sprache«, »fragebogen«, »umfang«, »entstehung« "
                              "und »texte«.", path=path, line=1)
    for key in data:
        if key not in TOP_KEYS:
            raise DefinitionError(f"Unbekannter Eintrag »{key}« (möglich: {', '.join(TOP_KEYS)}).", path=path,
                                  line=document.line_of((key,)))
    for key in ("sprache", "fragebogen", "entstehung", "texte"):
        if key not in data or data[key] in (None, ""):
            raise DefinitionError(f"Der Eintrag »{key}« fehlt.", path=path, line=1)
    code = normalise_language(data["sprache"])
    if code is None or code == SOURCE:
        raise DefinitionError(f"»sprache: {data['sprache']}« ist keine Übersetzungssprache; möglich sind: "
                              f"{', '.join(c for c in LANGUAGES if c != SOURCE)}.", path=path,
                              line=document.line_of(("sprache",)))
    scope = data.get("umfang", "vollstaendig")
    if scope not in SCOPES:
        raise DefinitionError(f"»umfang: {scope}« ist unbekannt; möglich sind vollstaendig und kern.", path=path,
                              line=document.line_of(("umfang",)))
    if not isinstance(data["texte"], dict):
        raise DefinitionError("»texte« muss Einträge »Pfad: Text« enthalten.", path=path,
                              line=document.line_of(("texte",)))
    texts: dict[str, str] = {}
    lines: dict[str, int | None] = {}
    for location, value in _leaves(data["texte"], ("texte",)):
        line = document.line_of(location)
        text_path = join(*location[1:])
        if not isinstance(value, str):
            raise DefinitionError(f"Der Text zu »{text_path}« muss ein Text sein, nicht {value!r}.", path=path,
                                  line=line)
        if not value.strip():
            raise DefinitionError(f"Der Text zu »{text_path}« ist leer; bitte übersetzen oder die Zeile löschen "
                                  "(dann erscheint der deutsche Text).", path=path, line=line)
        texts[text_path] = value
        lines[text_path] = line
    version = data.get("version")
    return Translation(path=path, language=code, questionnaire_id=str(data["fragebogen"]), scope=scope,
                       origin=str(data["entstehung"]), texts=texts, lines=lines,
                       version=None if version is None else str(version))


def _leaves(value: object, location: Location) -> Iterator[tuple[Location, object]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaves(child, (*location, key))
    else:
        yield location, value


# -- checking -------------------------------------------------------------------------------------------


@dataclass
class TranslationCheck:
    """What ``fragebogen pruefen`` says about one translation: errors fail the check, the rest informs."""

    translation: Translation
    entries: list[TextEntry]
    errors: list[str] = field(default_factory=list)
    missing: list[TextEntry] = field(default_factory=list)

    @property
    def required(self) -> list[TextEntry]:
        return self.entries if self.translation.scope == "vollstaendig" else [e for e in self.entries if e.core]

    @property
    def missing_required(self) -> list[TextEntry]:
        required = {entry.path for entry in self.required}
        return [entry for entry in self.missing if entry.path in required]

    @property
    def translated(self) -> int:
        return len(self.entries) - len(self.missing)


def check_translation(translation: Translation, entries: list[TextEntry], questionnaire_id: str,
                      questionnaire_path: Path) -> TranslationCheck:
    """Compare a translation with the German texts: unknown paths and broken placeholders are errors."""
    check = TranslationCheck(translation, entries)
    where = translation.path
    if translation.questionnaire_id != questionnaire_id:
        check.errors.append(f"{where}, Zeile 1: die Übersetzung gehört zum Fragebogen »{translation.questionnaire_id}«, "
                            f"nicht zu »{questionnaire_id}«.")
    expected = normalise_language(where.name[len(questionnaire_path.stem) + 1:-len(".yaml")])
    if expected is not None and expected != translation.language:
        check.errors.append(f"{where}: die Datei heißt nach der Sprache »{expected}«, nennt aber "
                            f"»sprache: {translation.language}«.")
    german = {entry.path: entry for entry in entries}
    for text_path, text in translation.texts.items():
        line = translation.lines.get(text_path)
        at = f"{where}, Zeile {line}" if line else str(where)
        entry = german.get(text_path)
        if entry is None:
            check.errors.append(f"{at}: »{text_path}« gibt es im deutschen Fragebogen nicht (umbenannt oder "
                                "gelöscht?); bitte die Zeile löschen oder den Pfad berichtigen.")
            continue
        ours, theirs = sorted(PLACEHOLDER.findall(entry.text)), sorted(PLACEHOLDER.findall(text))
        if ours != theirs:
            check.errors.append(f"{at}: »{text_path}« hat die Platzhalter {_list(theirs)}, der deutsche Text "
                                f"(Zeile {entry.line}) {_list(ours)}; Platzhalter wie {{kommune}} bitte unverändert "
                                "übernehmen.")
    check.missing = [entry for entry in entries if entry.path not in translation.texts]
    return check


def _list(items: list[str]) -> str:
    return "»" + "«, »".join(items) + "«" if items else "keine"


def check_lines(check: TranslationCheck, questionnaire_path: Path, limit: int = 20) -> list[str]:
    """German report lines for one language (``fragebogen pruefen``)."""
    translation = check.translation
    name = LANGUAGES[translation.language].german_name
    total = len(check.entries)
    lines = [f"Übersetzung {name} ({translation.language}), Umfang {SCOPES[translation.scope]}: "
             f"{check.translated} von {total} Texten übersetzt – {translation.path.name}",
             f"  Entstehung: {translation.origin}"]
    lines += [f"  Fehler: {error}" for error in check.errors]
    required = check.missing_required
    for entry in required[:limit]:
        lines.append(f"  Fehlt: {questionnaire_path}, Zeile {entry.line}: »{entry.path}« ({_short(entry.text)}) "
                     f"ist nicht übersetzt; es erscheint auf Deutsch.")
    if len(required) > limit:
        lines.append(f"  … und {len(required) - limit} weitere fehlende Texte.")
    others = len(check.missing) - len(required)
    if others:
        lines.append(f"  {others} Texte außerhalb des Kerns sind nicht übersetzt (Umfang Kern) und erscheinen auf "
                     "Deutsch.")
    return lines


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return f"»{text}«" if len(text) <= width else f"»{text[:width - 1]}…«"
