"""``sicherheitsanalyse fragebogen …``: check a questionnaire definition and export its codebook."""

from __future__ import annotations

from pathlib import Path

import click

from survey.errors import DefinitionError


@click.group("fragebogen", short_help="Fragebogen prüfen, Codebuch und Papierfragebogen erstellen.")
def fragebogen_group() -> None:
    """Fragebogen (YAML) prüfen, Codebuch und Papierfragebogen erstellen."""


@fragebogen_group.command("pruefen", short_help="Prüft eine Fragebogen-Definition (YAML).")
@click.argument("datei")
def pruefen_command(datei: str) -> None:
    """Prüft die Fragebogen-Definition DATEI und zeigt eine Übersicht.

    DATEI ist ein Pfad zu einer YAML-Datei oder die ID eines mitgelieferten Fragebogens
    (z. B. sicherheitsanalyse-standard). Fehler werden mit Datei und Zeile gemeldet.
    """
    from survey.questionnaire import load_questionnaire
    from survey.questionnaire.codebook import summarize

    questionnaire = load_questionnaire(datei)
    click.echo(f"Fragebogen »{questionnaire.id}« (Version {questionnaire.version}, "
               f"Kern-Version {questionnaire.core_version}) ist gültig: {questionnaire.source_path}")
    for line in summarize(questionnaire).lines():
        click.echo(line)
    failed = _check_translations(datei)
    if failed:
        raise DefinitionError(f"Die Übersetzung{'en' if len(failed) > 1 else ''} {', '.join(failed)} "
                              f"{'haben' if len(failed) > 1 else 'hat'} Fehler (siehe oben); der deutsche Fragebogen "
                              "selbst ist gültig.")


def _check_translations(datei: str) -> list[str]:
    """Print per language what is translated, missing or wrong; the codes of languages with errors."""
    from survey.questionnaire.loader import german_texts
    from survey.questionnaire.translations import (
        check_lines, check_translation, read_translation, stray_translation_files, translation_files,
    )

    path, raw, entries = german_texts(datei)
    files = translation_files(path)
    if not files:
        click.echo("Übersetzungen: keine (nur Deutsch).")
    failed = []
    for code, file in files.items():
        try:
            translation = read_translation(file)
        except DefinitionError as error:
            click.echo(f"Übersetzung {code}: Fehler: {error}")
            failed.append(code)
            continue
        check = check_translation(translation, entries, raw.id, path)
        for line in check_lines(check, path):
            click.echo(line)
        if check.errors:
            failed.append(code)
    for stray in stray_translation_files(path):
        click.echo(f"Hinweis: {stray} sieht aus wie eine Übersetzung, aber »{stray.name[len(path.stem) + 1:-5]}« "
                   "ist keine bekannte Sprache; die Datei wird nicht benutzt.")
    return failed


@fragebogen_group.command("uebersetzung-export", short_help="Schreibt die Übersetzungstabelle (XLSX) eines Fragebogens.")
@click.argument("datei")
@click.option("--sprachen", default=None, metavar="SPRACHEN",
              help="Sprachen, durch Komma getrennt (z. B. pl,cs); Standard: alle vorhandenen Übersetzungen.")
@click.option("--ziel", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Excel-Datei (Standard: <fragebogen>.uebersetzung.xlsx im aktuellen Ordner).")
def uebersetzung_export_command(datei: str, sprachen: str | None, ziel: Path | None) -> None:
    """Schreibt die Texte des Fragebogens DATEI als Übersetzungstabelle (XLSX) für Übersetzer.

    Eine Zeile je Text (Spalte »pfad«), der deutsche Text in Spalte »de«, eine Spalte je Sprache mit den
    vorhandenen Übersetzungen; leere Zellen sind noch zu übersetzen. Das Blatt »Sprachen« nennt je
    Sprache Umfang (vollstaendig/kern) und Entstehung. Zurück mit »fragebogen uebersetzung-import«.
    """
    from survey.languages import SOURCE, language
    from survey.questionnaire import load_questionnaire
    from survey.questionnaire.loader import german_texts
    from survey.questionnaire.translation_sheet import export_sheet
    from survey.questionnaire.translations import translation_files

    path, raw, entries = german_texts(datei)
    load_questionnaire(path)  # the German definition must be valid before anyone translates it
    if sprachen is None:
        codes = list(translation_files(path))
        if not codes:
            raise click.UsageError("Es gibt noch keine Übersetzung; bitte --sprachen angeben (z. B. --sprachen pl).")
    else:
        codes = []
        for part in sprachen.split(","):
            if not part.strip():
                continue
            code = language(part.strip()).code
            if code == SOURCE:
                raise click.UsageError("Deutsch ist die Ausgangssprache und steht immer in der Spalte »de«.")
            if code not in codes:
                codes.append(code)
    target = ziel or Path(f"{raw.id}.uebersetzung.xlsx")
    export_sheet(path, entries, codes, target)
    click.echo(f"Geschrieben: {target} ({len(entries)} Texte, Sprachen: {', '.join(codes)})")


@fragebogen_group.command("uebersetzung-import", short_help="Liest eine Übersetzungstabelle ein.")
@click.argument("datei")
@click.argument("tabelle", type=click.Path(dir_okay=False, path_type=Path))
def uebersetzung_import_command(datei: str, tabelle: Path) -> None:
    """Liest die Übersetzungstabelle TABELLE ein und schreibt die Übersetzungen neben den Fragebogen DATEI.

    DATEI ist der Pfad der Fragebogen-YAML; es entstehen bzw. ändern sich <fragebogen>.<sprache>.yaml im
    selben Ordner. Erst wenn die ganze Tabelle fehlerfrei ist, wird geschrieben; unveränderte Sprachen
    bleiben Byte für Byte unverändert.
    """
    from survey.questionnaire import load_questionnaire
    from survey.questionnaire.loader import german_texts
    from survey.questionnaire.translation_sheet import import_sheet
    from survey.resources import questionnaires_dir

    path, raw, entries = german_texts(datei)
    if not Path(datei).is_file() or path.resolve().parent == questionnaires_dir().resolve():
        raise click.UsageError("Übersetzungen werden neben eine eigene Fragebogen-Datei geschrieben, nicht in die "
                               "mitgelieferten Fragebögen; bitte den Fragebogen (und vorhandene Übersetzungen) in "
                               "einen eigenen Ordner kopieren und dessen Pfad angeben.")
    load_questionnaire(path)
    result = import_sheet(path, raw.id, entries, tabelle, version=None)
    for warning in result.warnings:
        click.echo(f"Hinweis: {warning}")
    for item in result.languages:
        state = "neu geschrieben" if item.created else "geändert" if item.changed else "unverändert"
        click.echo(f"{item.code}: {item.texts} Texte, {state}: {item.path}")
    for item in result.languages:
        load_questionnaire(path, sprache=item.code)


@fragebogen_group.command("codebuch", short_help="Schreibt das Codebuch (Markdown, Excel, DDI).")
@click.argument("datei")
@click.option("--ziel", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Ordner, in den das Codebuch geschrieben wird (Standard: der aktuelle Ordner).")
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
    from survey.questionnaire import load_questionnaire
    from survey.questionnaire.codebook import write_codebook

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


@fragebogen_group.command("import", short_help="Importiert einen Fragebogen aus XLSForm oder LimeSurvey.")
@click.argument("datei", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--ziel", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="YAML-Datei des Fragebogens (Standard: DATEI mit Endung .yaml).")
@click.option("--zuordnung", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Zuordnungsdatei (CSV mit Spalten spalte,item), um Fragen auf andere IDs abzubilden.")
@click.option("--auslassen", is_flag=True,
              help="Nicht unterstützte Fragen weglassen (sie stehen im Importbericht) statt abzubrechen.")
def import_command(datei: Path, ziel: Path | None, zuordnung: Path | None, auslassen: bool) -> None:
    """Importiert einen Fragebogen aus XLSForm (.xlsx) oder LimeSurvey (.txt, .lss) als YAML.

    Nicht unterstützte Fragetypen, Filter oder Listen stehen mit Blatt und Zeile im Importbericht;
    der Import bricht dann ab (mit --auslassen werden solche Fragen weggelassen). Kernfragen des
    Standardfragebogens müssen ihre IDs und Codes behalten; eine umbenannte Kernfrage lässt sich mit
    einer Zuordnungsdatei (spalte,item) zuordnen. Beim LimeSurvey-Import wird die Zuordnungsdatei nur
    mit --zuordnung genutzt (die beim Export geschriebene gilt den Antwortspalten).
    """
    from survey.formats import import_questionnaire

    target = ziel or datei.with_suffix(".yaml")
    if target.resolve() == datei.resolve():
        raise click.UsageError("--ziel darf nicht die importierte Datei selbst sein.")
    questionnaire, report = import_questionnaire(datei, target, mapping=zuordnung, allow_drop=auslassen)
    for line in report.lines():
        click.echo(line)
    click.echo(f"Fragebogen »{questionnaire.id}« geschrieben: {target} ({len(questionnaire.questions)} Fragen, "
               f"{len(questionnaire.variables)} Variablen)")


@fragebogen_group.command("export", short_help="Schreibt den Fragebogen als XLSForm oder für LimeSurvey.")
@click.argument("datei")
@click.option("--xlsform", "fmt", flag_value="xlsform", help="Als XLSForm (ODK, KoboToolbox) schreiben.")
@click.option("--limesurvey", "fmt", flag_value="limesurvey",
              help="Als LimeSurvey-Struktur (.txt, Tab-getrennt) schreiben, dazu die Zuordnungsdatei der Antwortspalten.")
@click.option("--ziel", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Zieldatei (.xlsx bzw. .txt).")
@click.option("--kommune", default=None, metavar="NAME", help="Name der Kommune für {kommune} in den Texten.")
@click.option("--ortsteil", "ortsteile", multiple=True, metavar="NAME",
              help="Name eines Ortsteils (mehrfach; Codes 1, 2, …) für die Ortsteil-Frage.")
def export_command(datei: str, fmt: str | None, ziel: Path, kommune: str | None, ortsteile: tuple[str, ...]) -> None:
    """Schreibt den Fragebogen DATEI als XLSForm (--xlsform) oder LimeSurvey-Struktur (--limesurvey)."""
    from survey.formats import export_questionnaire
    from survey.questionnaire import load_questionnaire

    if fmt is None:
        raise click.UsageError("Bitte --xlsform oder --limesurvey angeben.")
    names = {index: name for index, name in enumerate(ortsteile, start=1)} or None
    for path in export_questionnaire(datei, fmt, ziel, kommune=kommune, ortsteile=names):
        click.echo(f"Geschrieben: {path}")
    questionnaire = load_questionnaire(datei)
    if names is None and any(v.commune_codes for v in questionnaire.variables):
        click.echo("Hinweis: ohne --ortsteil enthält die Ortsteil-Frage nur einen Platzhalter; vor der Befragung "
                   "die Ortsteile der Kommune eintragen.")
    if kommune is None:
        click.echo("Hinweis: ohne --kommune steht in den Texten der Platzhalter {kommune}.")


def register(group: click.Group) -> None:
    group.add_command(fragebogen_group)
