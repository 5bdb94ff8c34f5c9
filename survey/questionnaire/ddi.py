"""DDI-Codebook 2.5 (``ddi:codebook:2_5``) for archiving (e.g. at GESIS): study, file and variable description.

:func:`ddi_document` builds the XML from a questionnaire and, optionally, an analysis folder (study
description from ``analyse.yaml``: commune, AGS, year, sample design, weighting) and the exported data
set (file description, frequencies per category, valid/missing counts, weight variables). Element order
follows the XSD (checked in ``tests/test_ddi.py`` against the official schema). Every element with text
carries ``xml:lang="de"``; a later translation adds sibling elements with other languages.

Privacy (DESIGN.md: never a value from fewer than 10 answers): a frequency below 10 is not written
(the category has no ``catStat``; a note says so), and free-text variables get no statistics at all.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from survey.atomic import atomic_write

NS = "ddi:codebook:2_5"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGE = "de"
MIN_COUNT = 10
SCHEMA_LOCATION = "ddi:codebook:2_5 http://www.ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd"
SUPPRESSION_NOTE = (f"Häufigkeiten unter {MIN_COUNT} werden aus Datenschutzgründen nicht ausgewiesen; "
                    "Freitexte werden nicht ausgezählt.")


def _tool_version() -> str:
    try:
        return version("sicherheitsanalyse")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        return "unbekannt"


def _el(parent: ET.Element, tag: str, text: str | None = None, lang: bool = False, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS}}}{tag}", {k.replace("__", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
        if lang:
            element.set(XML_LANG, LANGUAGE)
    return element


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(float(value), 6))


def ddi_document(questionnaire, *, folder=None, dataset=None, data_file: str | None = None) -> ET.ElementTree:  # noqa: ANN001
    """The DDI-Codebook 2.5 document for ``questionnaire`` (with study and data details if given)."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}codeBook", {"version": "2.5", XML_LANG: LANGUAGE})
    root.set("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", SCHEMA_LOCATION)
    config = folder.config if folder is not None else None
    _doc_description(root, questionnaire)
    _study_description(root, questionnaire, config, dataset)
    if dataset is not None:
        _file_description(root, dataset, data_file or "daten")
    _data_description(root, questionnaire, dataset)
    return ET.ElementTree(root)


def _doc_description(root: ET.Element, questionnaire) -> None:  # noqa: ANN001
    doc = _el(root, "docDscr")
    citation = _el(doc, "citation")
    title = _el(citation, "titlStmt")
    _el(title, "titl", f"Codebuch: {questionnaire.title}", lang=True)
    prod = _el(citation, "prodStmt")
    _el(prod, "software", f"sicherheitsanalyse {_tool_version()}", lang=True, version=_tool_version())


def _study_description(root: ET.Element, questionnaire, config, dataset) -> None:  # noqa: ANN001
    study = _el(root, "stdyDscr")
    citation = _el(study, "citation")
    title = _el(citation, "titlStmt")
    heading = questionnaire.title if config is None else f"{questionnaire.title} (Befragungswelle {config.wave})"
    _el(title, "titl", heading, lang=True)
    if config is not None:
        _el(title, "IDNo", f"{config.ags}-{config.wave}", agency="AGS")
    _el(title, "IDNo", f"{questionnaire.id} {questionnaire.version}", agency="Fragebogen")
    if config is not None:
        _el(_el(citation, "rspStmt"), "AuthEnty", config.kommune, lang=True)
        prod = _el(citation, "prodStmt")
        _el(prod, "producer", config.kommune, lang=True)
        _el(prod, "software", f"sicherheitsanalyse {_tool_version()}", lang=True, version=_tool_version())
    _el(_el(citation, "verStmt"), "version", f"Fragebogen {questionnaire.version}, Kern {questionnaire.core_version}",
        lang=True)
    info = _el(study, "stdyInfo")
    if questionnaire.intro:
        _el(info, "abstract", questionnaire.intro, lang=True)
    summary = _el(info, "sumDscr")
    if config is not None:
        _el(summary, "collDate", str(config.jahr), lang=True, date=str(config.jahr), event="single")
        _el(summary, "nation", "Deutschland", lang=True, abbr="DEU")
        _el(summary, "geogCover", f"{config.kommune} (Gemeindeschlüssel {config.ags})", lang=True)
    _el(summary, "anlyUnit", "Personen", lang=True)
    universe = "Einwohnerinnen und Einwohner ab 16 Jahren"
    if config is not None:
        universe += f" in {config.kommune}"
    _el(summary, "universe", universe, lang=True)
    _el(summary, "dataKind", "Befragungsdaten", lang=True)
    if config is None:
        return
    method = _el(study, "method")
    collection = _el(method, "dataColl")
    design = "Zufallsstichprobe aus dem Melderegister"
    if config.stichprobe.schichtung:
        design = f"Nach {config.stichprobe.schichtung} geschichtete Zufallsstichprobe aus dem Melderegister"
    _el(collection, "sampProc", design + " (ohne Zurücklegen, mit Endlichkeitskorrektur).", lang=True)
    _el(collection, "collMode", "Schriftlich (Papierfragebogen) und online (Zugangscode im Anschreiben).",
        lang=True)
    weighting = ", ".join(config.gewichtung.merkmale)
    text = (f"Designgewicht (Einwohner 16+ der Schicht / Befragte der Schicht), kalibriert an die "
            f"Randverteilungen {weighting} ({config.gewichtung.calibration_function}). Variablen: "
            "designgewicht, gewicht.")
    _el(collection, "weight", text, lang=True)
    if dataset is not None:
        _el(method, "notes", SUPPRESSION_NOTE, lang=True)


def _file_description(root: ET.Element, dataset, data_file: str) -> None:  # noqa: ANN001
    file = _el(root, "fileDscr", ID="F1")
    text = _el(file, "fileTxt")
    _el(text, "fileName", data_file, lang=True)
    dims = _el(text, "dimensns")
    _el(dims, "caseQnty", str(len(dataset.frame)))
    _el(dims, "varQnty", str(len(dataset.frame.columns)))
    if "." in data_file:
        _el(text, "fileType", data_file.rsplit(".", 1)[-1].upper(), lang=True)


def _var_id(name: str) -> str:
    return f"V_{name}"


def _data_description(root: ET.Element, questionnaire, dataset) -> None:  # noqa: ANN001
    data = _el(root, "dataDscr")
    present = set(dataset.frame.columns) if dataset is not None else None

    def included(variable_id: str) -> bool:
        return present is None or variable_id in present

    for section in questionnaire.sections:
        members = [v.id for q in section.questions for v in q.variables if included(v.id)]
        if members:
            group = _el(data, "varGrp", ID=f"S_{section.id}", type="section", var=" ".join(map(_var_id, members)))
            _el(group, "labl", section.title, lang=True)
    for question in questionnaire.questions:
        members = [v.id for v in question.variables if included(v.id)]
        if question.kind in ("grid", "multi") and members:
            kind = "grid" if question.kind == "grid" else "multipleResp"
            group = _el(data, "varGrp", ID=f"G_{question.id}", type=kind, var=" ".join(map(_var_id, members)))
            _el(group, "labl", question.text, lang=True)
    weight_ids = None
    if dataset is not None:
        weight_ids = _var_id("gewicht")
    for variable in questionnaire.variables:
        if included(variable.id):
            _variable(data, variable, dataset, weight_ids)
    if dataset is not None:
        for column in dataset.frame.columns:
            if questionnaire.variable(column) is None:
                _derived_variable(data, column, dataset, weight_ids)


def _frequencies(values: np.ndarray, weights: np.ndarray | None, code: int) -> tuple[int, float | None]:
    mask = values == code
    return int(mask.sum()), (float(weights[mask].sum()) if weights is not None else None)


def _categories(element: ET.Element, codes: dict[int, str], missing: dict[int, str], values, weights,
                weight_id: str | None) -> None:
    for code, label in [*sorted(codes.items()), *sorted(missing.items())]:
        attrs = {"missing": "Y"} if code in missing else {}
        category = _el(element, "catgry", **attrs)
        _el(category, "catValu", str(code))
        _el(category, "labl", label, lang=True)
        if values is None:
            continue
        count, weighted = _frequencies(values, weights, code)
        if count >= MIN_COUNT:
            _el(category, "catStat", str(count), type="freq")
            if weighted is not None:
                _el(category, "catStat", _number(round(weighted, 2)), type="freq", wgtd="wgtd", wgt__var=weight_id)


def _counts(element: ET.Element, values: np.ndarray, valid: np.ndarray) -> None:
    n_valid, n_invalid = int(valid.sum()), int((~valid).sum())
    for kind, count in (("vald", n_valid), ("invd", n_invalid)):
        if count >= MIN_COUNT or count == 0:
            _el(element, "sumStat", str(count), type=kind)


def _variable(data: ET.Element, variable, dataset, weight_id) -> None:  # noqa: ANN001
    attrs = {"ID": _var_id(variable.id), "name": variable.id}
    if dataset is not None:
        attrs["files"] = "F1"
    if variable.kind in ("code", "flag"):
        attrs["intrvl"] = "discrete"
    elif variable.kind in ("number", "birthyear"):
        attrs["intrvl"] = "contin"
    element = _el(data, "var", **attrs)
    _el(element, "labl", variable.label, lang=True)
    question = _el(element, "qstn")
    _el(question, "qstnLit", variable.question_text, lang=True)
    if variable.minimum is not None or variable.maximum is not None:
        valrng = _el(element, "valrng")
        bounds = {}
        if variable.minimum is not None:
            bounds["min"] = str(variable.minimum)
        if variable.maximum is not None:
            bounds["max"] = str(variable.maximum)
        _el(valrng, "range", **bounds)
    universe = ("Befragte mit " + variable.filter.describe()) if variable.filter is not None else "Alle Befragten"
    _el(element, "universe", universe, lang=True, clusion="I")
    values = weights = None
    if dataset is not None and variable.kind != "text":
        values = dataset.frame[variable.id].to_numpy(dtype=float)
        weights = dataset.frame["gewicht"].to_numpy(dtype=float)
        if variable.kind in ("code", "flag"):
            valid = np.isin(values, list(variable.codes)) if variable.codes else ~np.isnan(values)
        else:
            valid = ~np.isnan(values)
        _counts(element, values, valid)
    if variable.kind in ("code", "flag"):
        codes = dict(variable.codes)
        if variable.commune_codes and dataset is not None:
            codes = dataset.value_labels.get(variable.id, codes)
            codes = {k: v for k, v in codes.items() if k not in variable.missing_codes}
        _categories(element, codes, dict(variable.missing_codes), values, weights, weight_id)
    elif variable.missing_codes:
        _categories(element, {}, dict(variable.missing_codes), values, weights, weight_id)
    notes = []
    if variable.core:
        notes.append("Kernfrage (Code und Bedeutung zwischen Kommunen und Wellen fest).")
    if variable.kind == "text":
        notes.append("Freitext; nur mit ausdrücklicher Freigabe exportiert, nicht ausgezählt.")
    fmt = "character" if variable.kind == "text" else "numeric"
    _el(element, "varFormat", type=fmt, schema="other")
    for note in notes:
        _el(element, "notes", note, lang=True)


def _derived_variable(data: ET.Element, column: str, dataset, weight_id) -> None:  # noqa: ANN001
    kind = dataset.kinds.get(column, "text")
    attrs = {"ID": _var_id(column), "name": column, "files": "F1"}
    if kind == "weight" and column in ("gewicht", "designgewicht"):
        attrs["wgt"] = "wgt"
    if kind != "text":
        attrs["intrvl"] = "contin" if kind in ("index", "weight") else "discrete"
    element = _el(data, "var", **attrs)
    _el(element, "labl", dataset.variable_labels.get(column, column), lang=True)
    if kind != "text" and column not in ("designgewicht", "gewicht", "fpc"):
        values = dataset.frame[column].to_numpy(dtype=float)
        _counts(element, values, ~np.isnan(values))
        if column in dataset.value_labels:
            weights = dataset.frame["gewicht"].to_numpy(dtype=float)
            _categories(element, dataset.value_labels[column], {}, values, weights, weight_id)
    _el(element, "varFormat", type="character" if kind == "text" else "numeric", schema="other")
    definition = dataset.questionnaire.indicator(column)
    if definition is not None:
        from survey.questionnaire.codebook import describe_indicator

        _el(element, "notes", describe_indicator(definition), lang=True)


def ddi_bytes(questionnaire, **kwargs) -> bytes:  # noqa: ANN001
    tree = ddi_document(questionnaire, **kwargs)
    ET.indent(tree, space="  ")
    return ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True) + b"\n"


def write_ddi(questionnaire, path: Path, **kwargs) -> Path:  # noqa: ANN001
    """Write the DDI-Codebook XML atomically to ``path``."""
    with atomic_write(Path(path), mode="wb") as stream:
        stream.write(ddi_bytes(questionnaire, **kwargs))
    return Path(path)
