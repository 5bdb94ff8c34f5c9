"""``sicherheitsanalyse analysieren DIR``: the commune security profile (ergebnis/profil.json)."""

from __future__ import annotations

from pathlib import Path

import click



@click.command("analysieren", short_help="Erstellt das Sicherheitsprofil (ergebnis/profil.json).")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
def analysieren_command(ordner: Path) -> None:
    """Erstellt das Sicherheitsprofil der Kommune (ergebnis/profil.json)."""
    from survey.profile_builder import write_profile

    target, document = write_profile(ordner)
    indicators = document["indicators"]
    click.echo(f"Sicherheitsprofil {document['commune']['name']} {document['wave']['label']}: "
               f"{len(indicators)} Indikatoren, {len(document['recommendations'])} Empfehlungen.")
    if not document["crime"]["available"]:
        click.echo(f"Kriminalstatistik: {document['crime'].get('reason', 'nicht vorhanden')}")
    for recommendation in document["recommendations"]:
        click.echo(f"  Empfehlung ({recommendation['priority']}): {recommendation['title']}")
    for line in free_text_lines(document.get("free_text") or {}, ordner):
        click.echo(line)
    click.echo(f"Geschrieben: {target}")


def free_text_lines(section: dict, ordner: Path) -> list[str]:
    """What the coach should know about the coded free texts (issue 12)."""
    questions = [q for q in section.get("questions", []) if q["mentioning"]["mentions"]]
    if not questions:
        return []
    if not section.get("coding_table"):
        return [f"Freitexte: noch keine Kodiertabelle; mit »sicherheitsanalyse freitexte {ordner}« anlegen."]
    lines = []
    for q in questions:
        names = ", ".join(c["name"] for c in q["categories"]) or "keine mit mindestens 10 Nennungen"
        lines.append(f"Freitexte {q['item']}: {names}.")
        if q["not_in_table"]:
            lines.append(f"  {q['not_in_table']} Nennungen fehlen in der Kodiertabelle (gelten als »nicht "
                         f"zugeordnet«); »sicherheitsanalyse freitexte {ordner}« erneut ausführen.")
    return lines


def register(group: click.Group) -> None:
    group.add_command(analysieren_command)
