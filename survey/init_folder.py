"""Create a new commune analysis folder with a commented ``analyse.yaml`` (``sicherheitsanalyse init``)."""

from __future__ import annotations

from pathlib import Path

from survey.errors import ConfigError
from survey.atomic import atomic_write
from survey.folder import CONFIG_NAME, RESULT_DIR, AnalysisConfig

ANALYSE_TEMPLATE = """\
# Sicherheitsanalyse {kommune} – Konfiguration der Analyse (eine Kommune, eine Befragungswelle)
# Alle Dateiangaben sind relativ zu diesem Ordner. Ergebnisse landen in {result_dir}/.

kommune: {kommune}
ags: "{ags}"                     # 8-stelliger Amtlicher Gemeindeschlüssel, in Anführungszeichen
jahr: {jahr}                       # Befragungsjahr; Alter = jahr - geburtsjahr

# Fragebogen: Kennung eines mitgelieferten Fragebogens oder Pfad zu einer eigenen YAML-Datei
fragebogen: sicherheitsanalyse-standard

# Antwortdateien (CSV, XLSX, SPSS .sav, LimeSurvey-Export); Online- und Papierantworten aus
# »sicherheitsanalyse serve« werden automatisch dazugenommen.
antworten: [responses.csv]

# Bevölkerung ab 16 Jahren nach Geschlecht und Altersgruppe (Spalten: ags,geschlecht,altersgruppe,einwohner)
bevoelkerung: population.csv

# Einwohnermeldeamts-Stichprobe: Schichtungsmerkmal und Datei je Schicht
# (Spalten: ortsteil,name,einwohner_16plus,brutto_stichprobe[,netto])
stichprobe:
  schichtung: ortsteil
  schichten: strata.csv
  # Schicht mit nur einer befragten Person (Varianz nicht schätzbar): fehler (Voreinstellung),
  # anpassen, mitteln, sicher oder entfernen (wie R survey.lonely.psu adjust/average/certainty/remove)
  # einzelschicht: fehler

# Gewichtung: Randverteilungen, an die kalibriert wird (Raking). Mit »grenzen« wird beschränkt
# kalibriert (logit), sodass g = Gewicht/Designgewicht zwischen den Grenzen bleibt.
gewichtung:
  merkmale: [ortsteil, altersgruppe, geschlecht]
  # grenzen: [0.4, 2.2]

# Polizeiliche Kriminalstatistik (optional; Spalten siehe README)
# kriminalstatistik: pks.csv
# landkreis_ags: "14599000"         # Landkreis als Vergleichsgebiet in der PKS-Datei; ohne Angabe die
#                                    # ersten fünf Ziffern des AGS (14599 und 14599000 gelten als gleich)

# Namen der Ortsteile (Codes wie in den Antwortdaten und in strata.csv)
ortsteile:
{ortsteile}
# Karten (optional): Flächen der Ortsteile als GeoJSON in WGS84 (Länge/Breite), je Ortsteil ein Feature
# mit der Eigenschaft »ortsteil« (Code oder Name wie oben). Ohne diese Datei zeigt der Bericht Kacheln.
# karte:
#   datei: ortsteile.geojson
#   eigenschaft: ortsteil

# Ortsteilprofile (optional): Ortsteile mit wenigen Antworten zu einem Profil zusammenfassen
# ortsteilprofile:
#   zusammenfassen: {{Nord: [3, 4]}}

# Zweite Welle (optional): Profil der früheren Befragung (Pfad relativ zu diesem Ordner); der Bericht
# bekommt dann das Kapitel »Veränderungen seit <Jahr>«. Kommune (AGS) und Kernfragen-Version müssen gleich sein.
# vorwelle: vorwelle/profil-2025.json

# Eigene Kapitel der Kommune: texte/vorwort.md, texte/gebietsprofil.md, texte/angebote.md (Markdown).
# Freitexte (Angsträume, Wünsche): »sicherheitsanalyse freitexte« schreibt freitexte/kodierung.xlsx
# (enthält wörtliche Antworten: nur für die Koordination, nicht weitergeben).

# Anschreiben mit Zugangscodes (»sicherheitsanalyse codes«)
# anschreiben:
#   absender: "Stadtverwaltung {kommune}, Markt 1"
#   unterschrift: "Bürgermeisterin / Bürgermeister"
#   url: "https://befragung.example.de"
#   frist: "31. März {jahr}"
"""


def write_analysis_folder(
    folder: Path, kommune: str, ags: str, jahr: int, ortsteile: dict[int, str] | None = None
) -> Path:
    """Create ``folder`` with a commented analyse.yaml; refuse to overwrite an existing one."""
    # Validate through the same model that reads the file, so init never writes an invalid config.
    AnalysisConfig(kommune=kommune, ags=ags, jahr=jahr, ortsteile=ortsteile or {})
    config_path = folder / CONFIG_NAME
    if config_path.exists():
        raise ConfigError("existiert bereits; init überschreibt keine vorhandene Analyse.", path=config_path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RESULT_DIR).mkdir(exist_ok=True)
    names = ortsteile or {1: "Ortsteil 1"}
    ortsteil_lines = "".join(f"  {code}: {_yaml_text(name)}\n" for code, name in names.items())
    text = ANALYSE_TEMPLATE.format(
        kommune=_yaml_text(kommune), ags=ags, jahr=jahr, result_dir=RESULT_DIR, ortsteile=ortsteil_lines
    )
    with atomic_write(config_path) as stream:
        stream.write(text)
    write_text_templates(folder)
    return config_path


def write_text_templates(folder: Path) -> list[Path]:
    """Commented templates of the coach chapters (texte/*.md); existing files are never overwritten."""
    from survey.report.coach_texts import CHAPTERS, TEMPLATES, TEXT_DIR

    written = []
    for chapter in CHAPTERS:
        target = folder / TEXT_DIR / chapter.file
        if target.exists():
            continue
        with atomic_write(target) as stream:
            stream.write(TEMPLATES[chapter.key])
        written.append(target)
    return written


def _yaml_text(value: str) -> str:
    needs_quotes = any(char in value for char in ":#{}[],&*!|>'\"%@`") or value != value.strip()
    return '"' + value.replace('"', '\\"') + '"' if needs_quotes else value
