"""``sicherheitsanalyse codes``, ``serve`` and ``fragebogen papier``: online and paper intake."""

from __future__ import annotations

from pathlib import Path

import click

# survey.web.app.COACH_PASSWORD_ENV and survey.web.server.DEFAULT_HOST/DEFAULT_PORT, kept here so that
# the help needs no Flask (a test checks they agree)
COACH_PASSWORD_ENV = "SICHERHEITSANALYSE_COACH_PASSWORT"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


@click.command("codes", short_help="Erzeugt Zugangscodes mit Anschreiben.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
@click.option("--anzahl", required=True, type=click.IntRange(1, 100_000), metavar="ANZAHL",
              help="Anzahl neuer Zugangscodes.")
def codes_command(ordner: Path, anzahl: int) -> None:
    """Erzeugt ANZAHL neue Zugangscodes mit Anschreiben (PDF) und Druckerei-Liste (CSV).

    Frühere Codes bleiben gültig; jeder Lauf legt einen neuen Stapel an.
    """
    from survey.letters import issue_codes

    batch = issue_codes(ordner, anzahl)
    word = "Zugangscode" if batch.count == 1 else "Zugangscodes"
    click.echo(f"Stapel {batch.batch}: {batch.count:,} neue {word} erzeugt "
               f"(insgesamt {batch.issued_total:,} ausgegeben).".replace(",", "."))
    click.echo(f"  Anschreiben (eine Seite je Code): {batch.letters_pdf}")
    click.echo(f"  Druckerei-Liste (Seite, Code; ohne Namen): {batch.mail_merge_csv}")
    click.echo("Wichtig: Die Codes stehen nur in diesen beiden Dateien. Der Antwortspeicher enthält sie nur als "
               "nicht umkehrbaren Hash; verlorene Codes können nicht wiederhergestellt werden "
               "(dann einfach neue Codes erzeugen). Bitte die Dateien nach dem Druck sicher löschen.")


@click.command("serve", short_help="Startet den Online-Fragebogen.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535), metavar="PORT",
              help="TCP-Port des Servers.")
@click.option("--host", default=DEFAULT_HOST, show_default=True, metavar="ADRESSE",
              help="Adresse, auf der der Server lauscht (127.0.0.1: nur dieser Rechner).")
@click.option("--coach-passwort", envvar=COACH_PASSWORD_ENV, default=None, metavar="PASSWORT",
              help=f"Passwort für den Coach-Bereich (Papiererfassung, Rücklauf); auch über {COACH_PASSWORD_ENV}. "
                   "Wird nur als Hash gespeichert.")
@click.option("--sichere-cookies/--unsichere-cookies", "secure_cookies", default=None,
              help="Cookies nur über HTTPS senden. Standard: an, außer auf 127.0.0.1/localhost.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), metavar="ANZAHL",
              help="Anzahl der Threads, die Anfragen gleichzeitig bearbeiten.")
def serve_command(ordner: Path, port: int, host: str, coach_passwort: str | None,
                  secure_cookies: bool | None, threads: int) -> None:
    """Startet den Online-Fragebogen für den Analyseordner ORDNER (Antworten in ORDNER/antworten.sqlite)."""
    from survey.web.server import serve

    serve(ordner, host=host, port=port, coach_password=coach_passwort, secure_cookies=secure_cookies,
          threads=threads, announce=click.echo)


@click.command("papier", short_help="Erzeugt den druckbaren Papierfragebogen (PDF).")
@click.argument("datei")
@click.option("--kommune", required=True, metavar="NAME", help="Name der Kommune (für {kommune} in den Texten).")
@click.option("--ortsteil", "ortsteile", multiple=True, metavar="NAME",
              help="Name eines Ortsteils (mehrfach; Codes 1, 2, …) für die Ortsteil-Frage.")
@click.option("--jahr", type=click.IntRange(1990, 2100), default=None, metavar="JAHR",
              help="Befragungsjahr (bestimmt die Grenzen des Geburtsjahrs).")
@click.option("--ziel", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="PDF-Datei (Standard: papierfragebogen-<id>.pdf im aktuellen Ordner).")
def papier_command(datei: str, kommune: str, ortsteile: tuple[str, ...], jahr: int | None,
                   ziel: Path | None) -> None:
    """Erzeugt den druckbaren Papierfragebogen (PDF) aus der Fragebogen-Definition DATEI."""
    from survey.paper_form import write_paper_form

    names = {index: name for index, name in enumerate(ortsteile, start=1)} or None
    result = write_paper_form(datei, kommune=kommune, ortsteile=names, jahr=jahr, target=ziel)
    click.echo(f"Papierfragebogen geschrieben: {result.path} ({result.pages} Seiten, {result.questions} Fragen)")


def register(group: click.Group) -> None:
    group.add_command(codes_command)
    group.add_command(serve_command)
    # ``fragebogen`` is a group of its own module (registered before this one); attach ``papier`` to it.
    fragebogen = group.commands.get("fragebogen")
    if isinstance(fragebogen, click.Group):
        fragebogen.add_command(papier_command)
