"""``sicherheitsanalyse vergleich PROFIL.json... --ziel DIR``: compare communes and waves."""

from __future__ import annotations

from pathlib import Path

import click

from survey.report import formatting as fmt


@click.command("vergleich", short_help="Vergleicht Sicherheitsprofile mehrerer Kommunen und Wellen.")
@click.argument("profile", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PROFIL…")
@click.option("--ziel", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Ordner für vergleich.pdf, .html, .xlsx, .csv, .json und die Kommunenblätter.")
@click.option("--ohne-kommunenblaetter", is_flag=True,
              help="Keine einseitigen Blätter kommune_<AGS>.pdf erzeugen.")
@click.option("--nur-verteilung", is_flag=True,
              help="Kommunenblätter ohne Einzelwerte anderer Kommunen: nur Mittelwerte von Gruppen "
                   "von mindestens drei Kommunen.")
@click.option("--tau2-von", "tau2_von", type=click.Path(path_type=Path), default=None, metavar="VERGLEICH",
              help="Die übliche Streuung zwischen Kommunen (τ²) aus einem früheren, größeren Vergleich "
                   "übernehmen: dessen vergleich.json oder Ergebnisordner.")
def vergleich_command(profile: tuple[Path, ...], ziel: Path, ohne_kommunenblaetter: bool, nur_verteilung: bool,
                      tau2_von: Path | None) -> None:
    """Vergleicht die Sicherheitsprofile PROFIL (profil.json mehrerer Kommunen, auch mehrerer Wellen).

    Alle Profile müssen dieselbe Kernversion des Fragebogens haben. Ergebnis: Trichterdiagramme,
    rohe und standardisierte Werte, Rangintervalle, empirische Bayes-Schätzungen, Veränderungen
    zwischen Wellen (mit Korrektur für viele Vergleiche), vergleich.csv und je Kommune ein Blatt
    »Ihre Kommune im Vergleich«. Die übliche Streuung zwischen Kommunen wird erst ab 20 Kommunen
    geschätzt oder mit --tau2-von übernommen.
    """
    from survey.comparison.run import run_comparison

    outputs = run_comparison(profile, ziel, one_pagers=not ohne_kommunenblaetter, only_distribution=nur_verteilung,
                             tau2_from=tau2_von)
    model = outputs.model
    click.echo(f"{fmt.integer(len(model.profiles))} Profile von {fmt.integer(len(model.communes))} Kommunen "
               f"verglichen (Kernversion {model.core_version}, {fmt.integer(len(model.indicators))} Kernindikatoren).")
    family = model.families.get("direct")
    if family is not None:
        click.echo(f"Auffällig nach Korrektur für {fmt.integer(family.tests)} Vergleiche: {fmt.integer(family.clear)} "
                   f"Werte (durch Zufall außerhalb der 95-%-Grenzen erwartet: etwa "
                   f"{fmt.decimal(family.expected_95, 1)}, tatsächlich {fmt.integer(family.outside_95)}).")
    if model.changes:
        names = [c.name for c in model.changes]
        shown = ", ".join(names[:10]) + (f" und {fmt.integer(len(names) - 10)} weitere" if len(names) > 10 else "")
        click.echo(f"Veränderungen zwischen Wellen: {shown}.")
    click.echo(f"Geschrieben: {outputs.report_pdf}, {outputs.report_html}, {outputs.workbook}, {outputs.table}, "
               f"{outputs.summary}"
               + (f" und {fmt.integer(len(outputs.one_pagers))} Kommunenblätter (kommune_<AGS>.pdf)."
                  if outputs.one_pagers else "."))


def register(group: click.Group) -> None:
    group.add_command(vergleich_command)
