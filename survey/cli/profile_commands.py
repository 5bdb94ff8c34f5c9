"""``sicherheitsanalyse analysieren DIR``: the commune security profile (ergebnis/profil.json)."""

from __future__ import annotations

from pathlib import Path

import click

from survey.profile_builder import write_profile


@click.command("analysieren")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
def analysieren_command(ordner: Path) -> None:
    """Erstellt das Sicherheitsprofil der Kommune (ergebnis/profil.json)."""
    target, document = write_profile(ordner)
    indicators = document["indicators"]
    click.echo(f"Sicherheitsprofil {document['commune']['name']} {document['wave']['label']}: "
               f"{len(indicators)} Indikatoren, {len(document['recommendations'])} Empfehlungen.")
    if not document["crime"]["available"]:
        click.echo(f"Kriminalstatistik: {document['crime'].get('reason', 'nicht vorhanden')}")
    for recommendation in document["recommendations"]:
        click.echo(f"  Empfehlung ({recommendation['priority']}): {recommendation['title']}")
    click.echo(f"Geschrieben: {target}")


def register(group: click.Group) -> None:
    group.add_command(analysieren_command)
