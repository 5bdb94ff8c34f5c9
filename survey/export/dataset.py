"""The analysis data set of a folder: cleaned responses, design, weights and derived variables, with labels.

:func:`build_dataset` turns the weighted sample of an analysis folder into one flat table for other tools
(SPSS, Stata, R, Python) plus everything a labelled format needs: a label per variable, value labels,
the missing codes (8/9, user-missing in SPSS) and the design (strata, fpc, calibration margins) that
the syntax files rebuild. Columns, in order:

``resp_id``, the questionnaire variables (free text only on request), ``modus``, ``altersgruppe``
(code 1..k of the questionnaire's age groups), every indicator and index (0/1 or the index mean;
blank where missing or outside the indicator's domain), ``designgewicht``, ``gewicht`` and, for a
stratified sample, ``schicht`` (the stratum code) and ``fpc`` (population 16+ of the stratum).

Reading and weighting go through :func:`weighted_sample`, the one place that calls the weighting
runner (and with it the intake), so the export sees exactly what ``pruefen`` and ``gewichten`` see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.core.indicators import indicator_values
from survey.errors import ConfigError
from survey.folder import AnalysisFolder

DESIGN_WEIGHT = "designgewicht"
WEIGHT = "gewicht"
STRATUM = "schicht"
FPC = "fpc"
AGE = "altersgruppe"
MODE = "modus"
RESP_ID = "resp_id"


def weighted_sample(folder: AnalysisFolder):
    """Validate (``survey.validation.validate_folder``, the one validation of every command) and weight ``folder``."""
    from survey.weighting_runner import weight_folder

    return weight_folder(folder)


@dataclass(frozen=True)
class Margin:
    """One calibration column: respondents whose ``variable`` equals ``value`` (export coding) sum to ``target``."""

    variable: str
    value: object
    target: float


@dataclass(frozen=True)
class DesignInfo:
    """What the syntax files need to rebuild the design and the calibration exactly."""

    stratified: bool
    calfun: str
    bounds: tuple[float, float] | None
    trim: tuple[float, float] | None
    total: float
    margins: tuple[Margin, ...]
    degf: int


@dataclass(frozen=True)
class Dataset:
    """The export table and its metadata (labels keyed by column name)."""

    frame: pd.DataFrame
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[int, str]]
    missing_codes: dict[str, list[int]]
    design: DesignInfo
    kommune: str
    ags: str
    jahr: int
    welle: str
    questionnaire: object
    free_text: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    kinds: dict[str, str] = field(default_factory=dict)

    @property
    def text_columns(self) -> list[str]:
        return [RESP_ID, MODE, *self.free_text]


def variable_label(variable) -> str:
    """Question text, with the row or option label for grid rows and multi options."""
    if variable.label != variable.question_text:
        return f"{variable.question_text} – {variable.label}"
    return variable.question_text


def build_dataset(folder: AnalysisFolder, *, free_text: bool = False, sample=None) -> Dataset:  # noqa: ANN001
    """The analysis data set of ``folder``; free-text columns only if ``free_text``."""
    sample = sample if sample is not None else weighted_sample(folder)
    questionnaire = sample.questionnaire
    config = folder.config
    data = sample.data.reset_index(drop=True)
    columns: dict[str, object] = {RESP_ID: data[RESP_ID].astype(str).to_numpy()}
    labels: dict[str, str] = {RESP_ID: "Kennung der Befragten (zufällig, ohne Bezug zum Zugangscode)"}
    value_labels: dict[str, dict[int, str]] = {}
    missing: dict[str, list[int]] = {}
    kinds: dict[str, str] = {RESP_ID: "text"}
    texts: list[str] = []
    for variable in questionnaire.variables:
        if variable.kind == "text":
            if not free_text:
                continue
            texts.append(variable.id)
            values = data[variable.id] if variable.id in data else pd.Series([None] * len(data))
            columns[variable.id] = np.array([None if _blank(v) else str(v) for v in values], dtype=object)
            kinds[variable.id] = "text"
        else:
            columns[variable.id] = pd.to_numeric(data[variable.id], errors="coerce").to_numpy(dtype=float)
            kinds[variable.id] = variable.kind
            codes = dict(variable.codes)
            if variable.commune_codes and config.ortsteile:
                codes = {int(k): v for k, v in config.ortsteile.items()}
            if codes or variable.missing_codes:
                value_labels[variable.id] = {**codes, **variable.missing_codes}
            if variable.missing_codes:
                missing[variable.id] = sorted(variable.missing_codes)
        labels[variable.id] = variable_label(variable)
    modes = data[MODE] if MODE in data else pd.Series([None] * len(data))
    columns[MODE] = np.array([None if _blank(v) else str(v) for v in modes], dtype=object)
    labels[MODE] = "Erhebungsweg (online oder papier)"
    kinds[MODE] = "text"

    age_codes = {group.label: code for code, group in enumerate(questionnaire.age_groups, start=1)}
    columns[AGE] = np.array([age_codes.get(v, np.nan) if isinstance(v, str) else np.nan for v in data[AGE]],
                            dtype=float)
    labels[AGE] = "Altersgruppe (aus Geburtsjahr und Befragungsjahr)"
    value_labels[AGE] = {code: label for label, code in age_codes.items()}
    kinds[AGE] = "code"

    indicator_ids = []
    for definition, spec in zip(questionnaire.indicators, questionnaire.indicator_specs()):
        if definition.id in columns:
            raise ConfigError(f"Der Indikator »{definition.id}« heißt wie eine Variable des Fragebogens; "
                              "für den Export braucht jede Spalte einen eigenen Namen.")
        values, domain = indicator_values(data, spec)
        columns[definition.id] = np.where(domain, values, np.nan)
        labels[definition.id] = definition.label
        indicator_ids.append(definition.id)
        if definition.is_index:
            kinds[definition.id] = "index"
        else:
            kinds[definition.id] = "indicator"
            value_labels[definition.id] = {0: "nein", 1: "ja"}

    result = sample.result
    columns[DESIGN_WEIGHT] = np.asarray(result.design_weights, dtype=float)
    columns[WEIGHT] = np.asarray(result.weights, dtype=float)
    labels[DESIGN_WEIGHT] = "Designgewicht (Einwohner 16+ der Schicht / Befragte der Schicht)"
    labels[WEIGHT] = "Kalibriertes Gewicht (an die Bevölkerung angepasst)"
    kinds[DESIGN_WEIGHT] = kinds[WEIGHT] = "weight"
    stratified = sample.stratum_variable is not None
    if stratified:
        strata = sample.strata
        fpc_of = {row.code: float(row.einwohner_16plus) for row in strata.itertuples()}
        codes = [_stratum_code(v) for v in data[sample.stratum_variable]]
        columns[STRATUM] = np.array(codes, dtype=float)
        columns[FPC] = np.array([fpc_of[c] for c in codes], dtype=float)
        labels[STRATUM] = f"Schicht der Stichprobe ({sample.stratum_variable})"
        labels[FPC] = "Einwohner 16+ der Schicht (Endlichkeitskorrektur)"
        names = {int(k): v for k, v in (config.ortsteile or {}).items()}
        value_labels[STRATUM] = {int(row.code): str(names.get(int(row.code), row.name))
                                 for row in strata.itertuples() if _integral(row.code)}
        kinds[STRATUM] = "code"
        kinds[FPC] = "weight"
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) if kinds.get(name) == "text" else values
                          for name, values in columns.items()})
    margins = tuple(Margin(m.margin, age_codes.get(m.category, m.category) if m.margin == AGE else m.category,
                           float(m.target)) for m in result.margins)
    design = DesignInfo(
        stratified=stratified, calfun=result.calfun, bounds=result.bounds, trim=config.gewichtung.trimmen,
        total=_population_total(frame, margins, columns[DESIGN_WEIGHT]), margins=margins,
        degf=int(sample.design.degf),
    )
    return Dataset(
        frame=frame, variable_labels=labels, value_labels=value_labels, missing_codes=missing, design=design,
        kommune=config.kommune, ags=config.ags, jahr=config.jahr, welle=config.wave, questionnaire=questionnaire,
        free_text=tuple(texts), indicators=tuple(indicator_ids), kinds=kinds,
    )


def _population_total(frame: pd.DataFrame, margins: tuple[Margin, ...], design_weights: np.ndarray) -> float:
    """The calibration's overall total: the first margin's targets before the reduction for respondents
    without that characteristic (``analysis.core.calibration`` reduces them by their design-weighted share)."""
    if not margins:
        return float(np.sum(design_weights))
    first = [m for m in margins if m.variable == margins[0].variable]
    values = frame[first[0].variable].to_numpy()
    member = np.zeros(len(frame), dtype=bool)
    for margin in first:
        member |= values == margin.value
    share = float(design_weights[~member].sum() / design_weights.sum())
    return float(sum(m.target for m in first) / (1 - share))


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _integral(value: object) -> bool:
    try:
        return float(value).is_integer()
    except (TypeError, ValueError):
        return False


def _stratum_code(value: object) -> float:
    number = float(value)
    return int(number) if number.is_integer() else number
