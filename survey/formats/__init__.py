"""Questionnaire formats of other tools: XLSForm (ODK/Kobo) and LimeSurvey, in and out.

:func:`import_questionnaire` reads an XLSForm (``.xlsx``), a LimeSurvey structure (``.txt``, tab
separated) or ``.lss`` file into the questionnaire YAML, with a German :class:`ImportReport`; core items
of the standard instrument keep their ids and codes (renames/recodes are refused unless a mapping
file ``spalte,item`` maps them). :func:`export_questionnaire` writes the YAML as XLSForm or LimeSurvey.
Modules: :mod:`~survey.formats.document` (shared document, core check), :mod:`~survey.formats.expressions`
(filters), :mod:`~survey.formats.xlsform_export` / :mod:`~survey.formats.xlsform_import`,
:mod:`~survey.formats.limesurvey_export` / :mod:`~survey.formats.limesurvey_import`.
"""

from __future__ import annotations

from pathlib import Path

from survey.errors import InputFileError
from survey.formats.document import (
    ImportReport, apply_mapping, check_core, fill_placeholders, mark_core, questionnaire_document, validate_document,
    write_document,
)



def read_document(path: Path, report: ImportReport) -> dict:
    from survey.formats import limesurvey_import as ls
    from survey.formats.xlsform_import import read_xlsform

    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputFileError("Die Datei existiert nicht.", path=path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsform(path, report)
    if suffix in (".txt", ".tsv"):
        return ls.build_document(ls.read_tsv(path, report), report)
    if suffix == ".lss":
        return ls.build_document(ls.read_lss(path, report), report)
    raise InputFileError(f"Unbekanntes Fragebogenformat »{path.suffix or '(ohne Endung)'}«; möglich sind XLSForm "
                         "(.xlsx), LimeSurvey-Struktur (.txt) und LimeSurvey-Datei (.lss).", path=path)


def import_questionnaire(path: str | Path, target: str | Path, *, mapping: str | Path | None = None,
                         allow_drop: bool = False) -> tuple[object, ImportReport]:
    """Import ``path`` into the YAML file ``target``; nothing is written if the import fails."""
    from survey.intake.columns import read_mapping_file

    path = Path(path)
    report = ImportReport(path, allow_drop=allow_drop)
    document = read_document(path, report)
    mapping_path = Path(mapping) if mapping is not None else path.with_name(f"{path.stem}.zuordnung.csv")
    if mapping is not None or (mapping_path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm")):
        renamed = apply_mapping(document, read_mapping_file(mapping_path))
        report.notes += [f"umbenannt: {text}" for text in renamed]
    report.raise_if_failed()
    mark_core(document, report)
    # core ids and codes first (without indicators, which may refer to a renamed core item) ...
    check_core(validate_document({k: v for k, v in document.items() if k not in ("indikatoren", "indizes")}), report)
    report.raise_if_failed()
    # ... then the full questionnaire
    questionnaire = write_document(document, Path(target))
    return questionnaire, report


def export_questionnaire(ref: str | Path, fmt: str, target: str | Path, *, kommune: str | None = None,
                         ortsteile: dict[int, str] | None = None) -> list[Path]:
    """Write questionnaire ``ref`` as ``xlsform`` or ``limesurvey``; return the written files."""
    from survey.formats.limesurvey_export import write_limesurvey
    from survey.formats.xlsform_export import write_xlsform

    document, _ = questionnaire_document(ref)
    document = fill_placeholders(document, kommune)
    if fmt == "xlsform":
        return [write_xlsform(document, Path(target), ortsteile)]
    return list(write_limesurvey(document, Path(target), ortsteile))


__all__ = ["ImportReport", "export_questionnaire", "import_questionnaire"]
