"""``sicherheitsanalyse analysieren DIR``: the commune security profile (ergebnis/profil.json)."""

from __future__ import annotations

from pathlib import Path

import click

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from survey.profile import ProfileDocument
    from survey.profile.free_text import FreeText


@click.command("analysieren", short_help="Erstellt das Sicherheitsprofil (ergebnis/profil.json).")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
def analysieren_command(ordner: Path) -> None:
    """Erstellt das Sicherheitsprofil der Kommune (ergebnis/profil.json)."""
    from survey.profile_builder import write_profile_document

    target, document = write_profile_document(ordner)
    for line in summary_lines(document, ordner):
        click.echo(line)
    click.echo(f"Geschrieben: {target}")


def summary_lines(document: ProfileDocument, ordner: Path) -> list[str]:
    from survey.wording.crime import unavailable_reason

    count = len(document.recommendations)
    lines = [f"Sicherheitsprofil {document.commune.name} {document.wave.label}: "
             f"{len(document.indicators)} Indikatoren, {count} {'Empfehlung' if count == 1 else 'Empfehlungen'}."]
    if not document.crime.available:
        lines.append(f"Kriminalstatistik: {unavailable_reason(document.crime.reason or 'no_pks', document.commune.ags)}")
    for recommendation in document.recommendations:
        lines.append(f"  Empfehlung ({recommendation.priority.value}): {recommendation.title}")
    return lines + free_text_lines(document.free_text, ordner)


def free_text_lines(section: FreeText | None, ordner: Path) -> list[str]:
    """What the coach should know about the coded free texts (issue 12)."""
    questions = [q for q in (section.questions if section else ()) if q.mentioning.mentions]
    if not questions:
        return []
    if not section.coding_table:
        return [f"Freitexte: noch keine Kodiertabelle; mit »sicherheitsanalyse freitexte {ordner}« anlegen."]
    lines = []
    for q in questions:
        names = ", ".join(c.name for c in q.categories) or "keine mit mindestens 10 Nennungen"
        lines.append(f"Freitexte {q.item}: {names}.")
        if q.not_in_table:
            lines.append(f"  {q.not_in_table} Nennungen fehlen in der Kodiertabelle (gelten als »nicht "
                         f"zugeordnet«); »sicherheitsanalyse freitexte {ordner}« erneut ausführen.")
    return lines


def register(group: click.Group) -> None:
    group.add_command(analysieren_command)
