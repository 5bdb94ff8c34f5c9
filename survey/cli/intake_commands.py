"""``sicherheitsanalyse pruefen DIR``: read and validate the response files, write the Prüfprotokoll."""

from __future__ import annotations

from pathlib import Path

import click



@click.command("pruefen", short_help="Prüft die Antwortdateien und schreibt das Prüfprotokoll.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
def pruefen_command(ordner: Path) -> None:
    """Prüft die Antwortdateien des Analyseordners ORDNER und schreibt ergebnis/pruefprotokoll.csv.

    Ungültige Werte werden auf fehlend gesetzt, leere und doppelte Zeilen verworfen; jede Änderung
    steht im Prüfprotokoll. Exit-Status 0: Daten verwendbar; 1: eine Datei ist nicht lesbar oder
    die Daten sind nicht verwendbar (dann wird nichts geschrieben; alle Befehle lehnen sie ebenso ab).
    """
    from survey.intake.run import write_protocol
    from survey.letters import print_shop_warning
    from survey.validation import inspect_folder

    checked = inspect_folder(ordner)
    click.echo(checked.protocol.summary())
    warning = print_shop_warning(ordner)
    if warning:
        click.echo(warning)
    refusal = checked.refusal()
    if refusal is not None:
        raise refusal
    click.echo(f"Prüfprotokoll: {write_protocol(checked)}")


def register(group: click.Group) -> None:
    group.add_command(pruefen_command)
