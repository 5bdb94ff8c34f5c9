"""Weighting of an analysis folder: responses -> design (strata, fpc) -> calibration to the margins.

Used by ``gewichten``, ``schaetzen`` and ``analysieren``. Input is a folder checked by the one
validation (:func:`survey.validation.validate_folder`): the strata and population tables are the ones
read there (one reader, one number rule), and every respondent has a stratum of strata.csv.

Margins: the stratification variable's totals come from ``strata.csv`` (``einwohner_16plus``); every
other characteristic in ``gewichtung.merkmale`` (geschlecht, altersgruppe) from ``population.csv``
summed over the other columns. Codes that are valid
in the questionnaire but have no population (geschlecht 3 »divers«) and the missing codes (9 keine
Angabe) count as a missing characteristic: such respondents are kept and calibrated on the other
margins (rule of ``analysis.core.calibration``), and the summary says how many there were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.calibration import Calibrated, age_groups, calibrate
from analysis.core.categories import category_key, category_keys
from analysis.core.design import Design, make_design
from analysis.core.results import WeightingResult
from survey.errors import ConfigError
from survey.folder import AnalysisFolder
from survey.validation import check_margin_sources, validate_folder

AGE_COLUMN = "altersgruppe"


@dataclass(frozen=True)
class WeightedSample:
    """Cleaned responses (with ``altersgruppe``), the calibrated design and the weighting diagnostics."""

    data: pd.DataFrame
    design: Design
    result: WeightingResult
    questionnaire: object
    intake: object
    strata: pd.DataFrame | None
    stratum_variable: str | None
    checked: object = None  # the survey.validation.CheckedFolder the sample was made from


def margins_for(folder: AnalysisFolder, strata: pd.DataFrame | None, population: pd.DataFrame | None,
                questionnaire) -> tuple[dict[str, dict[object, float]], dict[str, list]]:
    """Calibration margins ``{variable: {category: total}}`` and the codes treated as missing."""
    config = folder.config
    stratum_variable = config.stichprobe.schichtung
    margins: dict[str, dict[object, float]] = {}
    missing: dict[str, list] = {}
    for variable in config.gewichtung.merkmale:
        if variable == stratum_variable and strata is not None:
            margins[variable] = {row.code: float(row.einwohner_16plus) for row in strata.itertuples()}
            continue
        if population is None or variable not in population.columns:
            check_margin_sources(folder, None if population is None else set(population.columns))
        totals = population.groupby(population[variable].map(category_key), sort=False)["einwohner"].sum()
        margins[variable] = {key: float(value) for key, value in totals.items()}
        spec = questionnaire.variable(variable) if variable != AGE_COLUMN else None
        if spec is not None:
            absent = [code for code in spec.codes if code not in margins[variable]]
            missing[variable] = [*absent, *spec.missing_codes]
    return margins, missing


def add_age_groups(data: pd.DataFrame, questionnaire, jahr: int) -> pd.DataFrame:
    groups = questionnaire.age_groups
    breaks = tuple(group.minimum for group in groups)
    labels = tuple(group.label for group in groups)
    data = data.copy()
    birth = data["geburtsjahr"] if "geburtsjahr" in data else pd.Series([np.nan] * len(data))
    data[AGE_COLUMN] = age_groups(birth.to_numpy(), jahr, breaks, labels)
    return data


def weight_folder(folder: AnalysisFolder) -> WeightedSample:
    """Calibrate the validated responses of ``folder``; German errors name file and cell.

    The folder is validated first (:func:`survey.validation.validate_folder`; a folder validated before,
    e.g. by ``run``, is not read again), and unusable data raise :class:`survey.errors.DataRefusedError`.
    """
    checked = validate_folder(folder)
    config = folder.config
    questionnaire = checked.questionnaire
    intake = checked.intake
    data = add_age_groups(intake.data.reset_index(drop=True), questionnaire, config.jahr)
    stratum_variable = config.stichprobe.schichtung
    strata = checked.strata.frame if stratum_variable else None
    population = checked.population.frame if config.bevoelkerung else None
    if strata is not None:
        codes = pd.Series(category_keys(data[stratum_variable]), dtype=object)
        fpc = {row.code: float(row.einwohner_16plus) for row in strata.itertuples()}
        design = make_design(strata=codes.to_numpy(), fpc=fpc, lonely_psu=config.stichprobe.lonely_psu)
    else:
        total = float(population["einwohner"].sum()) if population is not None else float(len(data))
        design = make_design(weights=np.full(len(data), total / max(len(data), 1)))
    margins, missing = margins_for(folder, strata, population, questionnaire)
    calibrated: Calibrated = calibrate(
        design, data, margins, calfun=config.gewichtung.calibration_function,
        bounds=config.gewichtung.grenzen, missing=missing, trim=config.gewichtung.trimmen,
    )
    return WeightedSample(data, calibrated.design, calibrated.result, questionnaire, intake, strata,
                          stratum_variable, checked)


def lonely_strata(sample: WeightedSample, folder: AnalysisFolder) -> list[dict]:
    """Strata with a single respondent (not sampled completely): code, name and respondents."""
    labels = sample.design.lonely_labels
    if not labels or sample.strata is None:
        return []
    names = {row.code: folder.config.ortsteile.get(row.code, str(row.name)) for row in sample.strata.itertuples()}
    return [{"code": str(code), "label": names.get(code, str(code)), "respondents": 1} for code in labels]


def lonely_stratum_message(strata: list[dict], folder: AnalysisFolder) -> str:
    """German explanation of a stratum with one respondent and the rules that can be chosen."""
    variable = folder.config.stichprobe.schichtung or "Schicht"
    variable = variable.capitalize() if variable == "ortsteil" else f"»{variable}«"
    named = ", ".join(f"»{s['label']}« ({variable} {s['code']})" for s in strata)
    one = len(strata) == 1
    return (
        f"{'Die Schicht' if one else 'Die Schichten'} {named} {'hat' if one else 'haben'} nur eine befragte "
        f"Person. Die Gewichtung ist möglich, aber die Stichprobenvarianz einer solchen Schicht ist nicht "
        f"schätzbar, also auch keine Konfidenzintervalle. Bitte die Schicht in "
        f"{folder.config.stichprobe.schichten} mit einer benachbarten zusammenlegen oder in analyse.yaml unter "
        f"»stichprobe« eine Regel wählen, z. B. »einzelschicht: anpassen«. Möglich sind: »anpassen« (die "
        f"Schicht trägt ihre Abweichung vom Gesamtwert bei; R: adjust), »mitteln« (Varianz der übrigen "
        f"Schichten entsprechend hochgerechnet; R: average), »sicher« (wie eine vollständig erhobene Schicht, "
        f"Beitrag 0; R: certainty), »entfernen« (Beitrag 0; R: remove). Voreinstellung ist »fehler«."
    )


def require_variance(sample: WeightedSample, folder: AnalysisFolder) -> None:
    """Stop with a clear German error before estimating if a lonely stratum has no rule (``fehler``)."""
    strata = lonely_strata(sample, folder)
    if strata and folder.config.stichprobe.lonely_psu == "fail":
        raise ConfigError(lonely_stratum_message(strata, folder), path=folder.config_path)


WEIGHTS_NAME = "gewichte.csv"


def write_weights(folder: AnalysisFolder, sample: WeightedSample | None = None) -> tuple[Path, WeightedSample]:
    """Weight ``folder`` and write ``ergebnis/gewichte.csv`` (resp_id, designgewicht, gewicht) atomically.

    German-Excel CSV (``;``, decimal comma, UTF-8 with BOM; :mod:`survey.safe_cells`), full precision.
    """
    from survey.safe_cells import write_german_csv

    sample = sample or weight_folder(folder)
    result = sample.result
    target = folder.ensure_result_dir() / WEIGHTS_NAME
    rows = ((resp_id, float(d), float(w))
            for resp_id, d, w in zip(sample.data["resp_id"], result.design_weights, result.weights))
    write_german_csv(target, ["resp_id", "designgewicht", "gewicht"], rows)
    return target, sample
