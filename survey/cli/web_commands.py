"""Online and paper intake: ``codes``, ``serve``, ``druckliste-loeschen``, ``feldphase-abschliessen``,
``fragebogen papier``."""

from __future__ import annotations

from pathlib import Path

import click

# survey.web.app.COACH_PASSWORD_ENV and survey.web.server.DEFAULT_HOST/DEFAULT_PORT/DEFAULT_THREADS/
# MAX_PROCESSES, kept here so that the help needs no Flask (a test checks they agree)
COACH_PASSWORD_ENV = "SICHERHEITSANALYSE_COACH_PASSWORT"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_THREADS = 8
MAX_PROCESSES = 16


def _privacy_warning(ordner: Path) -> str | None:
    from survey.folder import load_folder
    from survey.privacy_notice import missing_warning, privacy_notice

    return missing_warning(privacy_notice(load_folder(ordner).config))


@click.command("codes", short_help="Erzeugt Zugangscodes mit Anschreiben.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
@click.option("--anzahl", required=True, type=click.IntRange(1, 100_000), metavar="ANZAHL",
              help="Anzahl neuer Zugangscodes.")
def codes_command(ordner: Path, anzahl: int) -> None:
    """Erzeugt ANZAHL neue Zugangscodes mit Anschreiben (PDF) und Druckerei-Liste (CSV).

    Frühere Codes bleiben gültig; jeder Lauf legt einen neuen Stapel an.
    """
    from survey.letters import issue_codes, print_shop_warning

    batch = issue_codes(ordner, anzahl)
    word = "Zugangscode" if batch.count == 1 else "Zugangscodes"
    click.echo(f"Stapel {batch.batch}: {batch.count:,} neue {word} erzeugt "
               f"(insgesamt {batch.issued_total:,} ausgegeben).".replace(",", "."))
    click.echo(f"  Anschreiben (zwei Seiten je Code, bitte doppelseitig drucken; Rückseite: "
               f"Datenschutzhinweise): {batch.letters_pdf}")
    click.echo(f"  Druckerei-Liste (Seite, Code; ohne Namen): {batch.mail_merge_csv}")
    click.echo("Wichtig: Die Codes stehen nur in diesen beiden Dateien. Der Antwortspeicher enthält sie nur als "
               "nicht umkehrbaren Hash; verlorene Codes können nicht wiederhergestellt werden "
               "(dann einfach neue Codes erzeugen). Bitte die Druckerei-Liste nach dem Druck löschen "
               f"(sicherheitsanalyse druckliste-loeschen {ordner}).")
    for warning in (print_shop_warning(ordner, keep=batch.mail_merge_csv), _privacy_warning(ordner)):
        if warning:
            click.echo(warning)


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
              help="Cookies nur über HTTPS senden. Standard: an, außer bei http auf 127.0.0.1/localhost "
                   "ohne --proxy.")
@click.option("--proxy", default=None, metavar="ADRESSE",
              help="IP-Adresse eines vertrauenswürdigen Reverse-Proxys (z. B. 127.0.0.1): nur von ihm wird "
                   "die Client-Adresse aus X-Forwarded-For übernommen.")
@click.option("--threads", default=DEFAULT_THREADS, show_default=True, type=click.IntRange(2, 64), metavar="ANZAHL",
              help="Anzahl der Threads je Prozess, die Anfragen gleichzeitig bearbeiten.")
@click.option("--prozesse", default=None, type=click.IntRange(1, MAX_PROCESSES), metavar="ANZAHL",
              help="Arbeitsprozesse (Standard: Anzahl der Prozessorkerne, höchstens 4; unter Windows 1).")
def serve_command(ordner: Path, port: int, host: str, coach_passwort: str | None,
                  secure_cookies: bool | None, proxy: str | None, threads: int, prozesse: int | None) -> None:
    """Startet den Online-Fragebogen für den Analyseordner ORDNER (Antworten in ORDNER/antworten.sqlite)."""
    from survey.letters import print_shop_warning
    from survey.web.server import serve

    for warning in (print_shop_warning(ordner), _privacy_warning(ordner)):
        if warning:
            click.echo(warning)
    serve(ordner, host=host, port=port, coach_password=coach_passwort, secure_cookies=secure_cookies,
          threads=threads, proxy=proxy, processes=prozesse, announce=click.echo)


@click.command("druckliste-loeschen", short_help="Löscht die Druckerei-Listen nach dem Druck.")
@click.argument("ordner", type=click.Path(exists=True, file_okay=False, path_type=Path))
def delete_print_list_command(ordner: Path) -> None:
    """Löscht die Druckerei-Listen (Seite, Code) in ORDNER/anschreiben nach dem Druck.

    Die Codes bleiben gültig; nur die Liste, mit der man Codes Anschriften zuordnen kann, verschwindet.
    """
    from survey.letters import delete_print_shop_lists

    deleted = delete_print_shop_lists(ordner)
    if not deleted:
        click.echo("Keine Druckerei-Liste gefunden.")
    for path in deleted:
        click.echo(f"Gelöscht (überschrieben): {path}")


@click.command("feldphase-abschliessen", short_help="Schließt die Feldphase ab und löscht Codes.")
@click.argument("ordner", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--ja", is_flag=True, help="Ohne Rückfrage abschließen (für Skripte).")
def close_fieldwork_command(ordner: Path, ja: bool) -> None:
    """Schließt die Feldphase ab: löscht Codes, Zwischenstände, Druckerei-Listen und Anschreiben.

    Die abgeschickten Antworten bleiben erhalten. Das Protokoll steht danach in
    ORDNER/ergebnis/feldphase-protokoll.txt. Danach nimmt der Online-Fragebogen nichts mehr an.
    """
    from survey.fieldwork import close_fieldwork, describe_plan, plan_close

    plan = plan_close(ordner)
    for line in describe_plan(plan):
        click.echo(line)
    if not ja:
        answer = click.prompt("Feldphase jetzt abschließen? Das Löschen kann nicht rückgängig gemacht werden "
                              "(ja/nein)", default="nein", show_default=False)
        if answer.strip().lower() not in ("j", "ja"):
            click.echo("Abgebrochen; nichts wurde gelöscht.")
            raise click.exceptions.Exit(1)
    report = close_fieldwork(ordner)
    click.echo(f"Feldphase abgeschlossen. Protokoll: {report.protocol}")


@click.command("papier", short_help="Erzeugt den druckbaren Papierfragebogen (PDF).")
@click.argument("datei", required=False)
@click.option("--ordner", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Analyseordner: Fragebogen, Kommune, Ortsteile, Jahr und Datenschutzhinweise aus analyse.yaml.")
@click.option("--kommune", default=None, metavar="NAME", help="Name der Kommune (für {kommune} in den Texten).")
@click.option("--ortsteil", "ortsteile", multiple=True, metavar="NAME",
              help="Name eines Ortsteils (mehrfach; Codes 1, 2, …) für die Ortsteil-Frage.")
@click.option("--jahr", type=click.IntRange(1990, 2100), default=None, metavar="JAHR",
              help="Befragungsjahr (bestimmt die Grenzen des Geburtsjahrs).")
@click.option("--ziel", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="PDF-Datei (Standard: papierfragebogen-<id>[-<sprache>].pdf im aktuellen Ordner bzw. im Analyseordner).")
@click.option("--sprache", default=None, metavar="CODE",
              help="Sprache des Fragebogens (z. B. pl, cs, en, ar; Standard: Deutsch). Die Datenschutzhinweise "
                   "bleiben deutsch.")
def papier_command(datei: str | None, ordner: Path | None, kommune: str | None, ortsteile: tuple[str, ...],
                   jahr: int | None, ziel: Path | None, sprache: str | None) -> None:
    """Erzeugt den druckbaren Papierfragebogen (PDF).

    Entweder aus der Fragebogen-Definition DATEI mit --kommune, oder mit --ordner für einen
    Analyseordner (dann mit den Datenschutzhinweisen aus analyse.yaml auf der letzten Seite).
    """
    from survey.paper_form import write_folder_paper_form, write_paper_form

    if ordner is not None:
        if datei or kommune or ortsteile or jahr:
            raise click.UsageError("Mit --ordner kommen Fragebogen, Kommune, Ortsteile und Jahr aus analyse.yaml; "
                                   "bitte DATEI, --kommune, --ortsteil und --jahr dann weglassen.")
        result = write_folder_paper_form(ordner, ziel, sprache=sprache)
    else:
        if not datei or not kommune:
            raise click.UsageError("Bitte DATEI und --kommune angeben, oder --ordner für einen Analyseordner.")
        names = {index: name for index, name in enumerate(ortsteile, start=1)} or None
        result = write_paper_form(datei, kommune=kommune, ortsteile=names, jahr=jahr, target=ziel, sprache=sprache)
    click.echo(f"Papierfragebogen geschrieben: {result.path} ({result.pages} Seiten, {result.questions} Fragen)")
    if not result.notice:
        click.echo("Hinweis: ohne Datenschutzhinweise; mit --ordner ANALYSEORDNER werden sie aus analyse.yaml "
                   "angefügt.")
    if result.warning:
        click.echo(result.warning)


def register(group: click.Group) -> None:
    group.add_command(codes_command)
    group.add_command(serve_command)
    group.add_command(delete_print_list_command)
    group.add_command(close_fieldwork_command)
    # ``fragebogen`` is a group of its own module (registered before this one); attach ``papier`` to it.
    fragebogen = group.commands.get("fragebogen")
    if isinstance(fragebogen, click.Group):
        fragebogen.add_command(papier_command)
