"""``sicherheitsanalyse gewichten DIR`` and ``sicherheitsanalyse schaetzen DIR [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from analysis.profile.indicators import indicator_records
from survey.folder import load_folder
from survey.profile import EstimateRecord, Flag, Kind
from survey.profile_builder import breakdowns_for
from survey.report.formatting import decimal, integer, percent
from survey.weighting_runner import (
    lonely_strata, lonely_stratum_message, require_variance, weight_folder, write_weights,
)
from survey.wording.weighting import note_text


@click.command("gewichten")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
def gewichten_command(ordner: Path) -> None:
    """Gewichtet die Befragten an die Bevölkerung an und schreibt ergebnis/gewichte.csv."""
    folder = load_folder(ordner)
    target, sample = write_weights(folder)
    result = sample.result
    method = {"raking": "Raking (iteratives Anpassen)", "linear": "linear (GREG)",
              "logit": "beschränkt (logit)"}.get(result.calfun, result.calfun)
    click.echo(f"Gewichtung: {method}" + (f", Grenzen für g: {decimal(result.bounds[0])} bis {decimal(result.bounds[1])}"
                                          if result.bounds else ""))
    click.echo(f"Befragte: {integer(result.n)}; Konvergenz: {'ja' if result.converged else 'nein'} "
               f"nach {result.iterations} Iterationen")
    click.echo(f"Anpassungsfaktor g: {decimal(result.g_min)} bis {decimal(result.g_max)}")
    click.echo(f"Designeffekt der Gewichtung (Kish): {decimal(result.kish_deff)}; "
               f"effektive Fallzahl: {integer(result.effective_n)}")
    click.echo("Randverteilungen (Soll / erreicht):")
    for margin in result.margins:
        click.echo(f"  {margin.margin} {margin.category}: {integer(margin.target)} / {integer(margin.achieved)}"
                   f" (n = {margin.n})")
    if result.missing:
        for variable, count in result.missing.items():
            click.echo(f"Ohne Angabe zu »{variable}«: {count} Befragte; sie bleiben in der Auswertung und werden "
                       "nur an die übrigen Merkmale angepasst.")
    else:
        click.echo("Alle Befragten haben Angaben zu allen Gewichtungsmerkmalen.")
    for note in result.notes:
        if note.code != "characteristic_missing":  # said above
            click.echo(f"Warnung: {note_text(note)}")
    lonely = lonely_strata(sample, folder)
    if lonely and folder.config.stichprobe.lonely_psu == "fail":
        click.echo(f"Hinweis: {lonely_stratum_message(lonely, folder)} Schätzen und Analysieren brechen sonst ab.")
    click.echo(f"Gewichte geschrieben: {target}")


def estimate_records(ordner: Path) -> list[EstimateRecord]:
    """All indicators overall, then by geschlecht, altersgruppe and the stratification variable, as the
    profile's estimate records (overall records without ``by``/``group``/``group_label``)."""
    folder = load_folder(ordner)
    sample = weight_folder(folder)
    require_variance(sample, folder)
    breakdowns = breakdowns_for(sample, folder.config.ortsteile)
    overall, grouped, _ = indicator_records(sample.data, sample.design, sample.questionnaire.indicator_specs(), breakdowns)
    records = []
    for record in overall:
        records.append({k: v for k, v in record.__dict__.items() if k not in ("by", "group", "group_label")})
    for breakdown in breakdowns:
        records += [dict(record.__dict__) for record in grouped if record.by == breakdown.variable]
    return [EstimateRecord.model_validate(record) for record in records]


@click.command("schaetzen")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Ergebnisse als JSON-Datensätze ausgeben.")
def schaetzen_command(ordner: Path, as_json: bool) -> None:
    """Schätzt alle Indikatoren des Fragebogens (gesamt und nach Untergruppen)."""
    records = estimate_records(ordner)
    if as_json:
        click.echo(json.dumps([r.model_dump(mode="json", exclude_unset=True) for r in records], ensure_ascii=False,
                              indent=1))
        return
    click.echo(f"{'Indikator':<34} {'Gruppe':<16} {'Wert':>9} {'95-%-KI':>19} {'n':>6}  Hinweis")
    for record in records:
        group = record.group_label or "gesamt"
        number = percent if record.kind is Kind.PROPORTION else decimal
        value, low, high = number(record.estimate), number(record.ci_low), number(record.ci_high)
        ci = "–" if record.ci_low is None else f"{low} – {high}"
        hint = {Flag.OK: "", Flag.UNSICHER: "unsicher", Flag.UNTERDRUECKT: "unterdrückt"}[record.flag]
        click.echo(f"{record.id:<34} {group:<16} {value:>9} {ci:>19} {record.n:>6}  {hint}")


def register(group: click.Group) -> None:
    group.add_command(gewichten_command)
    group.add_command(schaetzen_command)
