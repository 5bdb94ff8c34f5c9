"""``sicherheitsanalyse bericht DIR``: Lagebericht (PDF, HTML), Kurzbericht and Tabellenband from
DIR/ergebnis/profil.json."""

from __future__ import annotations

from pathlib import Path

import click



@click.command("bericht", short_help="Erstellt Lagebericht, Kurzbericht und Tabellenband.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
@click.option("--final", "final", is_flag=True,
              help="Endgültiger Bericht: noch nicht geschriebene eigene Kapitel (texte/*.md) entfallen, "
                   "statt im Entwurf einen Hinweis zu zeigen.")
def bericht_command(ordner: Path, final: bool) -> None:
    """Erstellt aus ergebnis/profil.json den Lagebericht (bericht.pdf, bericht.html), den Kurzbericht
    (kurzbericht.pdf) und den Tabellenband (tabellenband.xlsx); eigene Kapitel aus texte/*.md und
    Karten aus ortsteile.geojson kommen dazu."""
    from survey.folder import CONFIG_NAME
    from survey.report.render import render_reports
    from survey.validation import validate_folder

    target = ordner
    if (ordner / CONFIG_NAME).is_file():
        # an analysis folder: what pruefen refuses, bericht refuses too (nothing written). A folder that
        # holds only ergebnis/profil.json (a profile passed on) is rendered from the profile alone.
        target = validate_folder(ordner).folder
    warnings: list[str] = []
    paths = render_reports(target, final=final, warnings=warnings)
    for warning in warnings:
        click.echo(f"Warnung: {warning}")
    for path in paths:
        click.echo(f"Geschrieben: {path}")


def register(group: click.Group) -> None:
    group.add_command(bericht_command)
