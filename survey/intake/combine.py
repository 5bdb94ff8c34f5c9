"""Read, validate and combine the response files of a wave into one cleaned data frame.

Public entry points (re-exported by :mod:`survey.intake`): :func:`read_response_file` for one file and
:func:`load_responses` for an analysis folder (all files of ``antworten:`` plus the web store).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from survey.intake import findings as F
from survey.intake.checks import CheckContext, run_checks
from survey.intake.columns import plan_columns, read_mapping_file
from survey.intake.findings import Finding
from survey.intake.limesurvey import looks_like_limesurvey
from survey.intake.protocol import FileSection, Pruefprotokoll
from survey.intake.raw import RawTable, cell_text
from survey.intake.readers import read_raw
from survey.intake.table import WorkTable
from survey.questionnaire.conditions import parse_code

WEB_STORE_NAME = "antworten.sqlite"
MODE_WORDS = {"papier": "papier", "paper": "papier", "online": "online", "web": "online"}
META_OUTPUT_COLUMNS = ("quelle", "modus", "sprache")


@dataclass(frozen=True)
class IntakeResult:
    """Cleaned responses and the Prüfprotokoll.

    ``data``: one row per respondent; ``resp_id`` (text), one column per questionnaire variable in
    questionnaire order (codes, numbers and birth years as float with NaN for missing; free text as
    text with None), then ``quelle`` (file name), ``modus`` (``papier``/``online`` or None) and ``sprache``
    (the answer language, a code of :mod:`survey.languages`, or None where a file does not say).
    """

    data: pd.DataFrame
    protocol: Pruefprotokoll


def read_response_file(
    path: str | Path,
    questionnaire,
    *,
    jahr: int | None = None,
    mapping: dict[str, str] | str | Path | None = None,
    modus: str | None = None,
) -> IntakeResult:
    """Read and validate one response file (any supported format)."""
    path = Path(path)
    context = CheckContext(questionnaire, jahr)
    table = _validated_table(read_raw(path), context, _mapping(mapping), path.name, modus)
    return _combine([table], questionnaire)


def load_responses(folder, questionnaire, *, extra_findings: list[Finding] | None = None,
                   strata=None) -> IntakeResult:  # noqa: ANN001
    """All response files of an analysis folder (``antworten:``) plus the web store, validated and combined.

    ``folder`` is a :class:`survey.folder.AnalysisFolder`. A mapping file for LimeSurvey codes is used
    if present: ``<file stem>.zuordnung.csv`` beside the response file, else ``zuordnung.csv`` in the
    folder. ``strata`` (a :class:`survey.intake.folder_files.StrataTable`) enables the stratum check of
    every respondent. Raises :class:`survey.errors.InputFileError` if a file cannot be read at all.
    """
    context = CheckContext(
        questionnaire, folder.config.jahr,
        stratum_variable=folder.config.stichprobe.schichtung if strata is not None else None,
        stratum_codes=strata.codes if strata is not None else None,
        strata_file=strata.path.name if strata is not None else "strata.csv",
    )
    tables = []
    for path in folder.response_files():
        mapping = _folder_mapping(folder.path, path)
        tables.append(_validated_table(read_raw(path), context, mapping, path.name, None))
    store_findings: list[Finding] = []
    store_path = folder.path / WEB_STORE_NAME
    if store_path.exists():
        raw = read_web_store(store_path)
        if raw is None:
            store_findings.append(F.WEB_STORE.finding(WEB_STORE_NAME, column=WEB_STORE_NAME))
        else:
            tables.append(_validated_table(raw, context, None, WEB_STORE_NAME, None))
    if not folder.config.antworten and not store_path.exists():
        store_findings.append(F.NO_RESPONSE_FILES.finding("analyse.yaml", store=WEB_STORE_NAME))
    return _combine(tables, questionnaire, [*store_findings, *(extra_findings or [])])


# ------------------------------------------------------------------------------------ web store hook


def read_web_store(path: Path) -> RawTable | None:
    """HOOK: the web form's answers via ``survey.store.read_responses`` (None if that module is absent).

    The store frame (``resp_id``, item columns, ``modus``) is turned into a raw table of strings so that
    web answers pass exactly the same checks as files.
    """
    if not _store_available():
        return None
    from survey.store import read_responses  # noqa: PLC0415 - optional module, imported on demand

    frame = read_responses(path)
    columns = [str(column) for column in frame.columns]
    rows = [[cell_text(value) for value in values] for values in frame.itertuples(index=False, name=None)]
    return RawTable(path, "web-speicher", columns, rows, list(range(1, len(rows) + 1)), line_word="Datensatz")


def _store_available() -> bool:
    return importlib.util.find_spec("survey.store") is not None


# ------------------------------------------------------------------------------------------ internals


def _mapping(mapping: dict[str, str] | str | Path | None) -> dict[str, str] | None:
    if mapping is None or isinstance(mapping, dict):
        return mapping
    return read_mapping_file(Path(mapping))


def _folder_mapping(folder: Path, path: Path) -> dict[str, str] | None:
    for candidate in (path.with_name(f"{path.stem}.zuordnung.csv"), folder / "zuordnung.csv"):
        if candidate.exists():
            return read_mapping_file(candidate)
    return None


def _file_mode(raw: RawTable, name: str, modus: str | None) -> str | None:
    if modus is not None:
        return MODE_WORDS.get(modus.lower(), modus)
    lowered = name.lower()
    for word, mode in MODE_WORDS.items():
        if word in lowered:
            return mode
    if raw.format == "csv" and looks_like_limesurvey(raw.columns):
        return "online"
    return None


def _validated_table(raw: RawTable, context: CheckContext, mapping, name: str, modus: str | None) -> WorkTable:
    from survey.errors import InputFileError
    from survey.textfile import describe_lines

    plan = plan_columns(raw.columns, context.questionnaire.variable_ids, name, mapping)
    if "resp_id" not in plan.targets:
        raise InputFileError(
            "Die Datei hat keine Spalte »resp_id« (bei LimeSurvey-Exporten: »id«); ohne sie lassen "
            "sich die Antworten nicht zuordnen.",
            path=raw.path,
            line=1 if raw.format != "limesurvey-vv" else 2,
        )
    table = WorkTable.build(raw, plan, name)
    table.mode = _file_mode(raw, name, modus)
    if raw.fallback_lines:
        table.findings.append(F.MIXED_ENCODING.finding(name, line=raw.fallback_lines[0],
                                                       lines=describe_lines(raw.fallback_lines)))
    if not table.records:
        table.findings.append(F.NO_RECORDS.finding(name))
    table.findings.extend(run_checks(table, context))
    table.findings.extend(_language_findings(table))
    return table


def _language_findings(table: WorkTable) -> list[Finding]:
    """Normalise the ``sprache`` column (``PL`` → ``pl``); an unknown language becomes missing (warning)."""
    from survey.languages import known_codes, normalise_language

    found = []
    for record in table.records:
        if not record.sprache:
            continue
        code = normalise_language(record.sprache)
        if code is None:
            found.append(table.cell_finding(F.LANGUAGE_UNKNOWN, record, "sprache", record.sprache, valid=known_codes()))
        record.sprache = code or ""
    return found


def _duplicate_findings(tables: list[WorkTable]) -> dict[int, list[Finding]]:
    """Keep the first record of each resp_id, drop later ones; a finding on each occurrence."""
    occurrences: dict[str, list[tuple[int, object]]] = {}
    for index, table in enumerate(tables):
        for record in table.kept:
            occurrences.setdefault(record.resp_id, []).append((index, record))
    found: dict[int, list[Finding]] = {index: [] for index in range(len(tables))}
    for resp_id, places in occurrences.items():
        if len(places) < 2:
            continue
        (first_index, first), later = places[0], places[1:]
        first_place = f"zuerst in {tables[first_index].file}, Zeile {first.line}"
        others = "; ".join(f"{tables[index].file}, Zeile {record.line}" for index, record in later)
        found[first_index].append(
            tables[first_index].row_finding(
                F.DUPLICATE_RESP_ID, first, action=F.KEEP_ROW, other=f"weitere: {others}",
                what="diese erste Zeile wird behalten",
            )
        )
        for index, record in later:
            record.dropped = True
            found[index].append(
                tables[index].row_finding(
                    F.DUPLICATE_RESP_ID, record, other=first_place, what="diese Zeile wird verworfen"
                )
            )
    return found


def _combine(tables: list[WorkTable], questionnaire, extra: list[Finding] | None = None) -> IntakeResult:
    duplicates = _duplicate_findings(tables)
    sections = []
    all_findings: list[Finding] = []
    frames = []
    for index, table in enumerate(tables):
        table_findings = sorted(
            [*table.findings, *duplicates[index]], key=lambda finding: finding.line or 0
        )
        sections.append(
            FileSection(table.file, table.raw.format, len(table.records), len(table.kept),
                        tuple(table_findings), table.mode)
        )
        all_findings.extend(table_findings)
        frames.append(_frame(table, questionnaire))
    all_findings.extend(extra or [])
    data = pd.concat(frames, ignore_index=True) if frames else _frame(None, questionnaire)
    protocol = Pruefprotokoll(tuple(sections), tuple(all_findings), len(data))
    return IntakeResult(data, protocol)


def _frame(table: WorkTable | None, questionnaire) -> pd.DataFrame:
    """The cleaned records of one table with every questionnaire variable (absent items all missing)."""
    records = table.kept if table is not None else []
    columns: dict[str, object] = {"resp_id": pd.Series([r.resp_id for r in records], dtype="object")}
    for variable in questionnaire.variables:
        values = [record.values.get(variable.id, "") for record in records]
        if variable.kind == "text":
            columns[variable.id] = pd.Series([value or None for value in values], dtype="object")
        else:
            numbers = [parse_code(value) for value in values]
            columns[variable.id] = pd.Series(
                [np.nan if number is None else number for number in numbers], dtype="float64"
            )
    file = table.file if table is not None else None
    default_mode = table.mode if table is not None else None
    columns["quelle"] = pd.Series([file] * len(records), dtype="object")
    columns["modus"] = pd.Series(
        [MODE_WORDS.get(record.modus, default_mode) for record in records], dtype="object"
    )
    columns["sprache"] = pd.Series([record.sprache or None for record in records], dtype="object")
    return pd.DataFrame(columns)
