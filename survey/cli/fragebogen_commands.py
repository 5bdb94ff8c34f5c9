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
@click.option("--ddi", is_flag=True, help="Codebuch im Format DDI-Codebook 2.5 (XML) für die Archivierung.")
@click.option("--daten", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="ORDNER",
              help="Mit --ddi: Analyseordner; Studienbeschreibung aus analyse.yaml, Häufigkeiten je Variable.")
def codebuch_command(datei: str, ziel: Path, kommune: str | None, ddi: bool, daten: Path | None) -> None:
    """Schreibt das Codebuch des Fragebogens DATEI als Markdown und Excel (XLSX), mit --ddi als DDI-XML.

    DATEI ist ein Pfad zu einer YAML-Datei oder die ID eines mitgelieferten Fragebogens
    (z. B. sicherheitsanalyse-standard). Eine Zeile je Variable: ID, Frage, Typ, gültige Codes,
    fehlende Codes, Filter, Kernfrage. Mit --ddi und --daten ORDNER kommen die Studienbeschreibung
    (Kommune, Jahr, Stichprobe, Gewichtung) und die Häufigkeiten der geprüften Antworten hinzu
    (ungewichtet und gewichtet; Werte unter 10 werden nicht ausgewiesen, Freitexte nicht ausgezählt).
    """
    if daten is not None and not ddi:
        raise click.UsageError("--daten gibt es nur zusammen mit --ddi.")
    if not ddi:
        questionnaire = load_questionnaire(datei, kommune=kommune)
        for path in write_codebook(questionnaire, ziel):
            click.echo(f"Geschrieben: {path}")
        return
    from survey.questionnaire.ddi import write_ddi

    if daten is None:
        questionnaire = load_questionnaire(datei, kommune=kommune)
        path = write_ddi(questionnaire, ziel / f"codebuch-{questionnaire.id}.xml")
    else:
        from survey.errors import ConfigError
        from survey.export.dataset import build_dataset
        from survey.folder import load_folder

        folder = load_folder(daten)
        dataset = build_dataset(folder)
        questionnaire = dataset.questionnaire
        named = load_questionnaire(datei)
        if named.id != questionnaire.id:
            raise ConfigError(f"Der Analyseordner nutzt den Fragebogen »{questionnaire.id}«, nicht »{named.id}«.",
                              path=folder.config_path)
        path = write_ddi(questionnaire, ziel / f"codebuch-{questionnaire.id}-{folder.config.ags}.xml",
                         folder=folder, dataset=dataset, data_file=f"geprüfte Antworten von {folder.config.kommune}")
    click.echo(f"Geschrieben: {path}")


def register(group: click.Group) -> None:
    group.add_command(fragebogen_group)
