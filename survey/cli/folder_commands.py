"""``sicherheitsanalyse init``: create an analysis folder."""

from __future__ import annotations

from pathlib import Path

import click


class AgsType(click.ParamType):
    name = "AGS"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's signature
        text = str(value).strip()
        if not (len(text) == 8 and text.isdigit()):
            self.fail(f"{value!r} ist kein 8-stelliger Amtlicher Gemeindeschlüssel (z. B. 14599001).", param, ctx)
        return text


class YearType(click.ParamType):
    name = "JAHR"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's signature
        try:
            year = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} ist keine Jahreszahl.", param, ctx)
        if not 1990 <= year <= 2100:
            self.fail(f"{year} liegt nicht zwischen 1990 und 2100.", param, ctx)
        return year


@click.command("init", short_help="Legt einen Analyseordner mit Vorlagen an.")
@click.argument("ordner", type=click.Path(file_okay=False, path_type=Path))
@click.option("--kommune", required=True, metavar="NAME", help="Name der Kommune, z. B. »Musterstadt«.")
@click.option("--ags", required=True, type=AgsType(), help="8-stelliger Amtlicher Gemeindeschlüssel.")
@click.option("--jahr", required=True, type=YearType(), help="Befragungsjahr (Alter = Jahr − Geburtsjahr).")
@click.option(
    "--ortsteil", "ortsteile", multiple=True, metavar="NAME",
    help="Name eines Ortsteils (mehrfach angeben; Codes werden 1, 2, … vergeben).",
)
def init_command(ordner: Path, kommune: str, ags: str, jahr: int, ortsteile: tuple[str, ...]) -> None:
    """Legt einen Analyseordner ORDNER an: eine kommentierte analyse.yaml, Vorlagen für population.csv
    und strata.csv (Codes und Ortsteile schon eingetragen, Zahlen leer), LIESMICH-pks.md mit den
    Spalten der Kriminalstatistik und die eigenen Kapitel texte/*.md. Vorhandene Dateien bleiben, wie
    sie sind."""
    from survey.init_folder import write_analysis_folder

    names = {index: name for index, name in enumerate(ortsteile, start=1)} or None
    written = write_analysis_folder(ordner, kommune, ags, jahr, names)
    click.echo(f"Analyseordner angelegt: {ordner}")
    for line in _next_steps(ordner, written):
        click.echo(line)


NEXT_STEPS = {
    "analyse.yaml": "Einstellungen; unter »antworten« die Antwortdateien eintragen",
    "population.csv": "Vorlage: Einwohner ab 16 je Geschlecht und Altersgruppe eintragen",
    "strata.csv": "Vorlage: Einwohner ab 16 und Bruttostichprobe je Ortsteil eintragen",
    "LIESMICH-pks.md": "wie pks.csv (Kriminalstatistik, freiwillig) aufgebaut sein muss",
}


def _next_steps(ordner: Path, written: list[Path]) -> list[str]:
    names = {path.name for path in written}
    lines = []
    for name, what in NEXT_STEPS.items():
        state = what if name in names else "war schon vorhanden, nicht verändert"
        lines.append(f"  {name:<16} {state}")
    texts = [path for path in written if path.parent.name == "texte"]
    if texts:
        lines.append(f"  {'texte/':<16} eigene Kapitel des Berichts (Markdown), z. B. {texts[0].name}")
    lines.append(f"Danach die Antwortdateien in den Ordner legen und »sicherheitsanalyse pruefen {ordner}« ausführen;")
    lines.append("»pruefen« sagt, was noch fehlt.")
    return lines


def register(group: click.Group) -> None:
    group.add_command(init_command)

