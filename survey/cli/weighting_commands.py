"""``sicherheitsanalyse gewichten DIR`` and ``sicherheitsanalyse schaetzen DIR [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from analysis.profile_indicators import indicator_records
from analysis.profile_variance import DesignInfo
from survey.folder import load_folder
from survey.profile_builder import breakdowns_for
from survey.weighting_runner import weight_folder, write_weights


def _de(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _pct(value: float | None) -> str:
    return "–" if value is None else _de(100 * value, 1) + " %"


@click.command("gewichten")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
def gewichten_command(ordner: Path) -> None:
    """Gewichtet die Befragten an die Bevölkerung an und schreibt ergebnis/gewichte.csv."""
    target, sample = write_weights(load_folder(ordner))
    result = sample.result
    method = {"raking": "Raking (iteratives Anpassen)", "linear": "linear (GREG)",
              "logit": "beschränkt (logit)"}.get(result.calfun, result.calfun)
    click.echo(f"Gewichtung: {method}" + (f", Grenzen für g: {_de(result.bounds[0])} bis {_de(result.bounds[1])}"
                                          if result.bounds else ""))
    click.echo(f"Befragte: {_de(result.n, 0)}; Konvergenz: {'ja' if result.converged else 'nein'} "
               f"nach {result.iterations} Iterationen")
    click.echo(f"Anpassungsfaktor g: {_de(result.g_min)} bis {_de(result.g_max)}")
    click.echo(f"Designeffekt der Gewichtung (Kish): {_de(result.kish_deff)}; "
               f"effektive Fallzahl: {_de(result.effective_n, 0)}")
    click.echo("Randverteilungen (Soll / erreicht):")
    for margin in result.margins:
        click.echo(f"  {margin.margin} {margin.category}: {_de(margin.target, 0)} / {_de(margin.achieved, 0)}"
                   f" (n = {margin.n})")
    if result.missing:
        for variable, count in result.missing.items():
            click.echo(f"Ohne Angabe zu »{variable}«: {count} Befragte; sie bleiben in der Auswertung und werden "
                       "nur an die übrigen Merkmale angepasst.")
    else:
        click.echo("Alle Befragten haben Angaben zu allen Gewichtungsmerkmalen.")
    for warning in result.warnings:
        click.echo(f"Warnung: {warning}")
    click.echo(f"Gewichte geschrieben: {target}")


def estimate_records(ordner: Path) -> list[dict]:
    """All indicators overall, then by geschlecht, altersgruppe and the stratification variable."""
    folder = load_folder(ordner)
    sample = weight_folder(folder)
    design = DesignInfo.from_engine(sample.design)
    breakdowns = breakdowns_for(sample, folder.config.ortsteile)
    overall, grouped, _ = indicator_records(sample.data, design, sample.questionnaire.indicator_specs(), breakdowns)
    records = []
    for record in overall:
        records.append({k: v for k, v in record.__dict__.items() if k not in ("by", "group", "group_label")})
    for breakdown in breakdowns:
        records += [dict(record.__dict__) for record in grouped if record.by == breakdown.variable]
    return records


@click.command("schaetzen")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Ergebnisse als JSON-Datensätze ausgeben.")
def schaetzen_command(ordner: Path, as_json: bool) -> None:
    """Schätzt alle Indikatoren des Fragebogens (gesamt und nach Untergruppen)."""
    records = estimate_records(ordner)
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
        return
    click.echo(f"{'Indikator':<34} {'Gruppe':<16} {'Wert':>9} {'95-%-KI':>19} {'n':>6}  Hinweis")
    for record in records:
        group = record.get("group_label") or "gesamt"
        if record["kind"] == "proportion":
            value, low, high = _pct(record["estimate"]), _pct(record["ci_low"]), _pct(record["ci_high"])
        else:
            value, low, high = _de(record["estimate"]), _de(record["ci_low"]), _de(record["ci_high"])
        hint = {"ok": "", "unsicher": "unsicher", "unterdrueckt": "unterdrückt"}[record["flag"]]
        click.echo(f"{record['id']:<34} {group:<16} {value:>9} {low + ' – ' + high:>19} {record['n']:>6}  {hint}")


def register(group: click.Group) -> None:
    group.add_command(gewichten_command)
    group.add_command(schaetzen_command)
