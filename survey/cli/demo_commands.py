"""``sicherheitsanalyse run DIR`` (all steps) and ``sicherheitsanalyse demo`` (all steps on a sample commune)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from survey.pipeline import DEMO_COMMUNE, DEMO_FOLDER
from survey.report import formatting as fmt


def _progress(index: int, total: int, name: str) -> None:
    click.echo(f"[{index}/{total}] {name} …")


def _run_with_report(folder: Path) -> None:
    from survey.pipeline import run_folder

    started = time.perf_counter()
    run_folder(folder, on_start=_progress,
               on_done=lambda step: click.echo(f"      {step.summary} ({_seconds(step.seconds)})"))
    click.echo(f"Fertig in {_seconds(time.perf_counter() - started)}. Ergebnisse in {folder / 'ergebnis'}:")
    for path in sorted((folder / "ergebnis").iterdir()):
        if path.is_file() and not path.name.startswith("."):
            click.echo(f"  {path.name}")


def _seconds(value: float) -> str:
    return fmt.decimal(value, 1) + "\u00a0s"


@click.command("run", short_help="Führt alle Schritte von pruefen bis bericht aus.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
def run_command(ordner: Path) -> None:
    """Führt alle Schritte aus: pruefen → gewichten → analysieren → bericht."""
    _run_with_report(ordner)


@click.command("demo", short_help="Führt die ganze Analyse an einer Beispielkommune vor.")
@click.option("--ziel", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Ordner für die Demo (Standard: {DEMO_FOLDER} im aktuellen Ordner). Ein früherer Demo-Ordner "
                   "dort wird ersetzt, ein anderer Ordner nie.")
@click.option("--kommune", default=DEMO_COMMUNE, show_default=True, metavar="NAME",
              help="Beispielkommune aus sample_data (z. B. quellenthal, grenzbach, wendelstadt, auenstadt).")
def demo_command(ziel: Path | None, kommune: str) -> None:
    """Führt die ganze Analyse an einer fiktiven Beispielkommune aus.

    Die Beispielkommune wird in einen eigenen Ordner kopiert (Standard: sicherheitsanalyse-demo im
    aktuellen Ordner, mit einer .gitignore, die ihn aus Git heraushält) und dort von pruefen bis
    bericht ausgewertet. Am Ende steht, welche Dateien man öffnen kann.
    """
    from survey.pipeline import DEMO_OUTPUTS, prepare_demo

    target = prepare_demo((ziel or Path(DEMO_FOLDER)).resolve(), kommune)
    click.echo(f"Beispielkommune »{kommune}« nach {target} kopiert (ein eigener Demo-Ordner; ein neuer Lauf "
               "ersetzt ihn).")
    _run_with_report(target)
    click.echo("Zum Anschauen öffnen:")
    for name, what in DEMO_OUTPUTS:
        path = target / "ergebnis" / name
        if path.is_file():
            click.echo(f"  {path}  – {what}")
    click.echo(f"Die Eingabedateien (analyse.yaml, Antworten, population.csv, strata.csv, pks.csv) liegen in {target}.")


def register(group: click.Group) -> None:
    group.add_command(run_command)
    group.add_command(demo_command)
