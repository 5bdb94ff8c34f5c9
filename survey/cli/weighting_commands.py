"""``sicherheitsanalyse gewichten DIR`` and ``sicherheitsanalyse schaetzen DIR [--json] [--ids]``."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("gewichten", short_help="Gewichtet die Befragten und schreibt ergebnis/gewichte.csv.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
def gewichten_command(ordner: Path) -> None:
    """Passt die Gewichte der Befragten an die Bevölkerung an (Kalibrierung) und schreibt
    ergebnis/gewichte.csv.

    Ausgangspunkt sind die Designgewichte der geschichteten Stichprobe (strata.csv); angepasst wird an
    die Randverteilungen aus analyse.yaml (gewichtung.merkmale) mit den Zahlen aus strata.csv und
    population.csv.
    """
    from survey.folder import load_folder
    from survey.weighting_runner import lonely_strata, lonely_stratum_message, write_weights
    from survey.weighting_summary import weighting_lines

    folder = load_folder(ordner)
    target, sample = write_weights(folder)
    for line in weighting_lines(folder, sample):
        click.echo(line)
    lonely = lonely_strata(sample, folder)
    if lonely and folder.config.stichprobe.lonely_psu == "fail":
        click.echo(f"Hinweis: {lonely_stratum_message(lonely, folder)} Schätzen und Analysieren brechen sonst ab.")
    click.echo(f"Gewichte geschrieben: {target}")


@click.command("schaetzen", short_help="Schätzt alle Indikatoren, gesamt und nach Gruppen.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Ergebnisse als JSON-Datensätze ausgeben.")
@click.option("--ids", is_flag=True, help="Zu jedem Indikator auch seine Kennung (ID) aus dem Fragebogen zeigen.")
def schaetzen_command(ordner: Path, as_json: bool, ids: bool) -> None:
    """Schätzt alle Indikatoren des Fragebogens (gesamt und nach Geschlecht, Altersgruppe und Ortsteil)
    mit 95-%-Konfidenzintervall."""
    from survey.estimate_table import estimate_records, estimate_table_lines

    estimates = estimate_records(ordner)
    if as_json:
        click.echo(json.dumps(estimates.records, ensure_ascii=False, indent=1))
        return
    for line in estimate_table_lines(estimates, ids=ids):
        click.echo(line)


def register(group: click.Group) -> None:
    group.add_command(gewichten_command)
    group.add_command(schaetzen_command)
