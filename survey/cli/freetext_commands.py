"""``sicherheitsanalyse freitexte DIR``: the coding table of the free-text answers (coach only)."""

from __future__ import annotations

from pathlib import Path

import click



@click.command("freitexte", short_help="Schreibt die Kodiertabelle der Freitextantworten.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
def freitexte_command(ordner: Path) -> None:
    """Schreibt oder aktualisiert die Kodiertabelle der Freitextantworten (freitexte/kodierung.xlsx).

    Jede verschiedene Nennung erscheint einmal, mit Anzahl und einem Vorschlag, welche Nennungen
    zusammengehören. Bereits eingetragene Zuordnungen bleiben erhalten; neue Nennungen werden angehängt.
    """
    from survey.freetext.run import write_coding_table

    run = write_coding_table(ordner)
    for s in run.sheets:
        kind = "Orte" if s.places else "Kategorien"
        click.echo(f"{s.item}: {s.respondents} Befragte mit Antwort, {s.distinct} verschiedene Nennungen "
                   f"({s.new} neu), {s.groups} vorgeschlagene {kind}, {s.uncoded} noch ohne Zuordnung.")
    click.echo(f"Geschrieben: {run.path}")
    click.echo("Achtung: Die Kodiertabelle enthält wörtliche Antworten (personenbezogene Daten). Sie ist nur für "
               "die Koordination bestimmt und darf nicht weitergegeben werden.")
    click.echo(f"Nach dem Bearbeiten: »sicherheitsanalyse analysieren {ordner}«.")


def register(group: click.Group) -> None:
    group.add_command(freitexte_command)
