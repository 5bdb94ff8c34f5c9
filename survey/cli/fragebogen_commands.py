"""``sicherheitsanalyse fragebogen …``: check a questionnaire definition and export its codebook."""

from __future__ import annotations

from pathlib import Path

import click

from survey.questionnaire import load_questionnaire
from survey.questionnaire.codebook import summarize, write_codebook


@click.group("fragebogen")
def fragebogen_group() -> None:
    """Fragebogen (YAML) prüfen, Codebuch und Papierfragebogen erstellen."""


@fragebogen_group.command("pruefen")
@click.argument("datei")
def pruefen_command(datei: str) -> None:
    """Prüft die Fragebogen-Definition DATEI und zeigt eine Übersicht.

    DATEI ist ein Pfad zu einer YAML-Datei oder die ID eines mitgelieferten Fragebogens
    (z. B. sicherheitsanalyse-standard). Fehler werden mit Datei und Zeile gemeldet.
    """
    questionnaire = load_questionnaire(datei)
    click.echo(f"Fragebogen »{questionnaire.id}« (Version {questionnaire.version}, "
               f"Kern-Version {questionnaire.core_version}) ist gültig: {questionnaire.source_path}")
    for line in summarize(questionnaire).lines():
        click.echo(line)


@fragebogen_group.command("codebuch")
@click.argument("datei")
@click.option("--ziel", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Ordner, in den das Codebuch geschrieben wird.")
@click.option("--kommune", default=None, metavar="NAME",
              help="Name der Kommune; ersetzt den Platzhalter {kommune} in den Fragetexten.")
def codebuch_command(datei: str, ziel: Path, kommune: str | None) -> None:
    """Schreibt das Codebuch des Fragebogens DATEI als Markdown und Excel (XLSX).

    DATEI ist ein Pfad zu einer YAML-Datei oder die ID eines mitgelieferten Fragebogens
    (z. B. sicherheitsanalyse-standard). Eine Zeile je Variable: ID, Frage, Typ, gültige Codes,
    fehlende Codes, Filter, Kernfrage.
    """
    questionnaire = load_questionnaire(datei, kommune=kommune)
    for path in write_codebook(questionnaire, ziel):
        click.echo(f"Geschrieben: {path}")


def register(group: click.Group) -> None:
    group.add_command(fragebogen_group)
