"""Write a :class:`~survey.export.dataset.Dataset` as SPSS (.sav), Stata (.dta), CSV or Parquet.

- **SAV** (pyreadstat): variable labels, value labels, missing codes (8/9) declared user-missing, measure
  levels (nominal/ordinal/scale).
- **DTA** (pyreadstat, Stata 15 format): variable names of at most 32 characters, variable labels (Stata allows 80 characters; longer ones are
  shortened with »…«; Stata counts UTF-8 bytes) and value labels; Stata has no user-missing codes, so 8/9 stay ordinary codes with
  their labels (the syntax files and the codebook say that they count as missing). A long variable
  name late in the file cannot carry value labels (:func:`dta_value_labels`); the export says which.
- **CSV**: UTF-8 with BOM, comma, whole codes without decimals; the labels are in the DDI codebook
  written beside it.
- **Parquet** (pyarrow): nullable integer codes; per column the field metadata ``label``, ``wertelabels``
  and ``fehlende_codes`` (JSON), and the design as schema metadata ``sicherheitsanalyse``.

Every file is written atomically (``survey.atomic.atomic_path``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from survey.errors import ConfigError
from survey.export.dataset import Dataset
from survey.atomic import atomic_path, atomic_write

FORMATS = ("sav", "dta", "csv", "parquet")
STATA_NAME_LIMIT = 32
STATA_LABEL_LIMIT = 80
ORDINAL_KINDS = {"code"}
SCALE_KINDS = {"number", "birthyear", "index", "weight"}


def write_data(dataset: Dataset, fmt: str, path: Path) -> Path:
    """Write the data file of ``dataset`` in format ``fmt`` (one of :data:`FORMATS`) to ``path``."""
    writer = {"sav": _write_sav, "dta": _write_dta, "csv": _write_csv, "parquet": _write_parquet}.get(fmt)
    if writer is None:
        raise ConfigError(f"Unbekanntes Exportformat »{fmt}«; möglich sind: {', '.join(FORMATS)}.")
    writer(dataset, Path(path))
    return Path(path)


def integer_frame(dataset: Dataset) -> pd.DataFrame:
    """The table with whole-number columns as nullable integers (CSV, Parquet)."""
    frame = dataset.frame.copy()
    for column in frame.columns:
        if dataset.kinds.get(column) in ("text",):
            continue
        values = frame[column].to_numpy(dtype=float)
        finite = values[~np.isnan(values)]
        if dataset.kinds.get(column) in ("index", "weight"):
            continue
        if np.all(np.equal(np.mod(finite, 1), 0)):
            frame[column] = pd.array([None if np.isnan(v) else int(v) for v in values], dtype="Int64")
    return frame


def _measure(kind: str, column: str, dataset: Dataset) -> str:
    if kind in SCALE_KINDS:
        return "scale"
    if kind in ORDINAL_KINDS and column in dataset.value_labels and len(dataset.value_labels[column]) > 3:
        return "ordinal"
    return "nominal"


def _write_sav(dataset: Dataset, path: Path) -> None:
    import pyreadstat

    frame = _text_as_empty(dataset)
    measures = {column: _measure(dataset.kinds.get(column, "text"), column, dataset) for column in frame.columns}
    missing = {column: [float(code) for code in codes] for column, codes in dataset.missing_codes.items()}
    with atomic_path(path) as temp:
        pyreadstat.write_sav(
            frame, str(temp), file_label=_file_label(dataset), column_labels=dict(dataset.variable_labels),
            variable_value_labels=_float_keys(dataset.value_labels), missing_ranges=missing,
            variable_measure=measures,
        )


def _write_dta(dataset: Dataset, path: Path) -> None:
    import pyreadstat

    too_long = [column for column in dataset.frame.columns if len(column) > STATA_NAME_LIMIT]
    if too_long:
        raise ConfigError(f"Stata erlaubt höchstens {STATA_NAME_LIMIT} Zeichen je Variablenname; »{too_long[0]}« "
                          f"hat {len(too_long[0])}. Bitte als SPSS (--format sav) oder CSV exportieren.")
    frame = _text_as_empty(dataset)
    labels = {column: _shorten(label, STATA_LABEL_LIMIT) for column, label in dataset.variable_labels.items()}
    value_labels, _ = dta_value_labels(dataset)
    with atomic_path(path) as temp:
        pyreadstat.write_dta(frame, str(temp), file_label=_shorten(_file_label(dataset), STATA_LABEL_LIMIT),
                             column_labels=labels, variable_value_labels=_float_keys(value_labels))


def dta_value_labels(dataset: Dataset) -> tuple[dict[str, dict[int, str]], list[str]]:
    """Value labels that fit a Stata file, and the variables whose labels do not fit.

    pyreadstat names each Stata label set ``<variable><running number>``, and Stata allows 32 characters,
    so a long variable name late in the file cannot carry value labels; the codebook still has them.
    """
    kept: dict[str, dict[int, str]] = {}
    skipped: list[str] = []
    for column in dataset.frame.columns:
        labels = dataset.value_labels.get(column)
        if not labels:
            continue
        if len(column) + len(str(len(kept))) > STATA_NAME_LIMIT:
            skipped.append(column)
            continue
        kept[column] = labels
    return kept, skipped


def _write_csv(dataset: Dataset, path: Path) -> None:
    with atomic_write(path, encoding="utf-8-sig") as stream:
        integer_frame(dataset).to_csv(stream, index=False, lineterminator="\n")


def _write_parquet(dataset: Dataset, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(integer_frame(dataset), preserve_index=False)
    fields = []
    for schema_field in table.schema:
        name = schema_field.name
        metadata = {"label": dataset.variable_labels.get(name, "")}
        if name in dataset.value_labels:
            metadata["wertelabels"] = json.dumps({str(k): v for k, v in sorted(dataset.value_labels[name].items())},
                                                 ensure_ascii=False)
        if name in dataset.missing_codes:
            metadata["fehlende_codes"] = json.dumps(dataset.missing_codes[name])
        fields.append(schema_field.with_metadata(metadata))
    design = dataset.design
    schema = pa.schema(fields, metadata={
        "sicherheitsanalyse": json.dumps({
            "kommune": dataset.kommune, "ags": dataset.ags, "welle": dataset.welle,
            "fragebogen": dataset.questionnaire.id, "fragebogen_version": dataset.questionnaire.version,
            "geschichtet": design.stratified, "kalibrierung": design.calfun,
        }, ensure_ascii=False),
    })
    with atomic_path(path) as temp:
        pq.write_table(table.cast(schema), str(temp))


def _text_as_empty(dataset: Dataset) -> pd.DataFrame:
    frame = dataset.frame.copy()
    for column in frame.columns:
        if dataset.kinds.get(column) == "text":
            frame[column] = pd.Series(["" if _missing(value) else str(value) for value in frame[column]],
                                      dtype=object, index=frame.index)
    return frame


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _float_keys(value_labels: dict[str, dict[int, str]]) -> dict[str, dict[float, str]]:
    return {column: {float(code): label for code, label in labels.items()} for column, labels in value_labels.items()}


def _file_label(dataset: Dataset) -> str:
    return f"Sicherheitsanalyse {dataset.kommune} {dataset.welle} ({dataset.questionnaire.id})"


def _shorten(text: str, limit: int) -> str:
    """``text`` within ``limit`` bytes of UTF-8 (Stata counts bytes), cut at a character with »…«."""
    if len(text.encode("utf-8")) <= limit:
        return text
    while len((text + "…").encode("utf-8")) > limit:
        text = text[:-1]
    return text.rstrip() + "…"
