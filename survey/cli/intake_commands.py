"""``sicherheitsanalyse pruefen DIR``: read and validate the response files, write the Prüfprotokoll."""

from __future__ import annotations

from pathlib import Path

import click

from survey.intake.run import check_folder


@click.command("pruefen")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
def pruefen_command(ordner: Path) -> None:
    """Prüft die Antwortdateien des Analyseordners ORDNER und schreibt ergebnis/pruefprotokoll.csv.

    Ungültige Werte werden auf fehlend gesetzt, leere und doppelte Zeilen verworfen; jede Änderung
    steht im Prüfprotokoll. Exit-Status 0: Daten verwendbar; 1: eine Datei ist nicht lesbar oder
    die Daten sind nicht verwendbar.
    """
    from survey.letters import print_shop_warning

    result, protocol_path = check_folder(ordner)
    click.echo(result.protocol.summary(protocol_path))
    warning = print_shop_warning(ordner)
    if warning:
        click.echo(warning)
    if not result.protocol.valid:
        raise click.exceptions.Exit(1)


def register(group: click.Group) -> None:
    group.add_command(pruefen_command)
