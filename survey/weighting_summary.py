"""What ``gewichten`` tells the coach: the calibration in German, with names instead of codes.

Margins read »Ortsteil Stadtmitte«, »Geschlecht weiblich«, »Altersgruppe 16–29 Jahre« (labels from
analyse.yaml ``ortsteile``, strata.csv, the questionnaire's codes and age groups); every note appears
once. The numbers come from :class:`analysis.core.results.WeightingResult` unchanged.
"""

from __future__ import annotations

from survey.report.formatting import decimal, integer, percent
from survey.wording.weighting import note_text, variable_name

METHODS = {"raking": "Raking (iteratives Anpassen)", "linear": "linear (GREG)",
           "logit": "beschränkt (logit)"}


def age_group_text(group) -> str:  # noqa: ANN001 - survey.questionnaire.model.AgeGroup
    """»16–29 Jahre«, »75 Jahre und älter«."""
    if group.maximum is None:
        return f"{group.minimum} Jahre und älter"
    return f"{group.minimum}\u2013{group.maximum} Jahre"


def category_labels(folder, sample) -> dict[str, dict[str, str]]:  # noqa: ANN001
    """``{variable: {category as text: label}}`` for every calibration characteristic of ``folder``."""
    config = folder.config
    questionnaire = sample.questionnaire
    labels: dict[str, dict[str, str]] = {}
    for variable in config.gewichtung.merkmale:
        if variable == sample.stratum_variable and sample.strata is not None:
            labels[variable] = {str(row.code): config.ortsteile.get(row.code) or str(row.name) or str(row.code)
                                for row in sample.strata.itertuples()}
        elif variable == "altersgruppe":
            labels[variable] = {group.label: age_group_text(group) for group in questionnaire.age_groups}
        else:
            spec = questionnaire.variable(variable)
            labels[variable] = {str(code): label for code, label in (spec.codes.items() if spec else ())}
    return labels


def _others(variable: str, variables: list[str]) -> str:
    names = [variable_name(v) for v in variables if v != variable]
    if not names:
        return "keine weiteren Merkmale"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]


def missing_line(variable: str, count: int, result, labels: dict[str, dict[str, str]],  # noqa: ANN001
                 variables: list[str]) -> str:
    """One sentence on the respondents lacking a characteristic (blank, »keine Angabe«, or a category
    without population figures such as »divers«)."""
    used = {str(m.category) for m in result.margins if m.margin == variable}
    absent = [label for code, label in labels.get(variable, {}).items() if code not in used]
    reason = "ohne Angabe" + (f" oder mit »{'«, »'.join(absent)}« (dafür gibt es keine Bevölkerungszahl)"
                              if absent else "")
    share = next((note.share for note in result.notes
                  if note.code == "characteristic_missing" and note.margin == variable), None)
    reduced = (f"; die Sollwerte dieses Merkmals sind um ihren gewichteten Anteil ({percent(share)}) verringert"
               if share is not None else "")
    return (f"{variable_name(variable)}: {integer(count)} Befragte {reason}. Sie bleiben in der Auswertung "
            f"und werden nur an {_others(variable, variables)} angepasst{reduced}.")


def weighting_lines(folder, sample) -> list[str]:  # noqa: ANN001 - AnalysisFolder, WeightedSample
    """The German summary of a calibration, one line per fact."""
    result = sample.result
    method = METHODS.get(result.calfun, result.calfun)
    bounds = (f", Grenzen für g: {decimal(result.bounds[0])} bis {decimal(result.bounds[1])}"
              if result.bounds else "")
    iterations = f"{integer(result.iterations)} {'Iteration' if result.iterations == 1 else 'Iterationen'}"
    lines = [
        f"Gewichtung: {method}{bounds}",
        f"Befragte: {integer(result.n)}; Konvergenz: {'ja' if result.converged else 'nein'} nach {iterations}",
        f"Anpassungsfaktor g (Gewicht/Designgewicht): {decimal(result.g_min)} bis {decimal(result.g_max)}",
        f"Designeffekt der Gewichtung (Kish): {decimal(result.kish_deff)}; "
        f"effektive Fallzahl: {integer(result.effective_n)}",
        "Randverteilungen (Soll / erreicht, Befragte):",
    ]
    labels = category_labels(folder, sample)
    for margin in result.margins:
        category = str(margin.category)
        label = labels.get(margin.margin, {}).get(category, category)
        lines.append(f"  {variable_name(margin.margin)} {label}: {integer(margin.target)} / "
                     f"{integer(margin.achieved)} (n = {integer(margin.n)})")
    variables = list(folder.config.gewichtung.merkmale)
    for variable, count in result.missing.items():
        lines.append(missing_line(variable, count, result, labels, variables))
    if not result.missing:
        lines.append("Alle Befragten haben Angaben zu allen Gewichtungsmerkmalen.")
    first = result.margins[0].margin if result.margins else ""
    for note in result.notes:
        if note.code == "margin_rescaled":
            lines.append(f"Hinweis: Die Bevölkerungszahlen nach {variable_name(note.margin)} ergeben zusammen "
                         f"{integer(note.value)}, die nach {variable_name(first)} {integer(note.target)} (Abweichung "
                         f"{percent(note.share, 2)}, z. B. durch Geheimhaltung im Zensus); die Sollwerte nach "
                         f"{variable_name(note.margin)} wurden anteilig auf {integer(note.target)} angepasst.")
        elif note.code != "characteristic_missing":  # said above, with names
            lines.append(f"Warnung: {note_text(note)}")
    return lines