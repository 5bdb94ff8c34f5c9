"""``sicherheitsanalyse export DIR --format sav|dta|csv|parquet``: the labelled data set for other tools."""

from __future__ import annotations

from pathlib import Path

import click

from survey.report.formatting import integer

# survey.export.FORMATS (kept here so that the help needs no pandas; a test checks they agree)
FORMATS = ("sav", "dta", "csv", "parquet")


@click.command("export", short_help="Exportiert die geprüften Antworten für SPSS, Stata und R.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="Dateiformat: sav (SPSS), dta (Stata), csv oder parquet.")
@click.option("--mit-freitext", is_flag=True,
              help="Freitextantworten mit exportieren (können personenbezogene Angaben enthalten).")
@click.option("--ziel", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Zielordner (Standard: ORDNER/ergebnis/export).")
def export_command(ordner: Path, fmt: str, mit_freitext: bool, ziel: Path | None) -> None:
    """Exportiert die geprüften Antworten mit Gewichten, Design- und abgeleiteten Variablen.

    Dazu gehören Designgewicht, kalibriertes Gewicht, Schicht und Endlichkeitskorrektur, die
    Altersgruppe, alle Indikatoren und Indizes sowie Variablen- und Wertelabels (fehlende Codes 8/9
    in SPSS als benutzerdefiniert fehlend). Daneben entstehen eine SPSS-Syntax (Complex Samples),
    ein R-Skript (survey-Paket) mit demselben Design und das Codebuch im Format DDI-Codebook 2.5.
    Freitexte nur mit --mit-freitext.
    """
    from survey.export import export_folder

    result = export_folder(ordner, fmt, free_text=mit_freitext, target=ziel)
    frame = result.dataset.frame
    click.echo(f"Exportiert: {integer(len(frame))} Befragte, {integer(len(frame.columns))} Variablen.")
    if not mit_freitext and any(v.kind == "text" for v in result.dataset.questionnaire.variables):
        click.echo("Freitexte sind nicht enthalten (mit --mit-freitext exportieren).")
    for warning in result.warnings:
        click.echo(f"Warnung: {warning}", err=True)
    for path in result.paths:
        click.echo(f"Geschrieben: {path}")


def register(group: click.Group) -> None:
    group.add_command(export_command)
