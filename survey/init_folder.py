"""Create a new commune analysis folder (``sicherheitsanalyse init``).

Written: a commented ``analyse.yaml``; templates of ``population.csv`` (one row per Geschlecht ×
Altersgruppe of the questionnaire, ``einwohner`` empty) and ``strata.csv`` (one row per Ortsteil given
with ``--ortsteil``, counts empty), which the one validation recognises as unfilled
(:mod:`survey.intake.folder_files`); ``LIESMICH-pks.md`` describing ``pks.csv``; the coach chapters
``texte/*.md``. ``antworten`` stays empty until the coach names the response files. Existing files are
never overwritten.
"""

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

# Antwortdateien (CSV, XLSX, SPSS .sav, LimeSurvey-Export) in diesem Ordner, z. B.
#   antworten: [antworten_papier.csv, antworten_online.xlsx]
# Online- und Papierantworten aus »sicherheitsanalyse serve« (antworten.sqlite) werden automatisch
# dazugenommen; ohne sie und ohne Eintrag hier lehnt »pruefen« den Ordner ab.
antworten: []

# Bevölkerung ab 16 Jahren nach Geschlecht und Altersgruppe (Spalten: ags,geschlecht,altersgruppe,einwohner).
# Die Vorlage population.csv hat schon eine Zeile je Zelle ({sex_codes};
# Altersgruppen {age_labels}); bitte die Spalte einwohner füllen.{sex_note}
bevoelkerung: population.csv

# Einwohnermeldeamts-Stichprobe: Schichtungsmerkmal und Datei je Schicht
# (Spalten: ortsteil,name,einwohner_16plus,brutto_stichprobe[,netto]). Die Vorlage strata.csv hat eine
# Zeile je Ortsteil (Codes wie unten); bitte Einwohner ab 16 und Bruttostichprobe eintragen.
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

# Polizeiliche Kriminalstatistik (optional; Spalten und Schlüssel siehe LIESMICH-pks.md)
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

# Datenschutzhinweise nach Art. 13 DSGVO (Startseite, Rückseite der Anschreiben, Papierfragebogen).
# Mindestens »verantwortlich« und »datenschutzbeauftragter« angeben; die übrigen Einträge haben
# allgemeine Standardtexte, die Sie mit Ihrer oder Ihrem Datenschutzbeauftragten prüfen sollten.
# datenschutz:
#   verantwortlich: "Stadtverwaltung {kommune}, Markt 1, 01234 {kommune}"
#   kontakt: "befragung@example.de, Telefon 01234 5678-0"
#   datenschutzbeauftragter: "Datenschutzbeauftragte der Stadt {kommune}, datenschutz@example.de"
#   zweck: "Sicherheitsanalyse: Sicherheitsgefühl, Erfahrungen mit Straftaten, Wünsche an die Gemeinde"
#   rechtsgrundlage: "Einwilligung durch freiwillige Teilnahme (Art. 6 Abs. 1 Buchst. a DSGVO)"
#   empfaenger: "Druckerei (nur Anschrift und Zugangscode, im Auftrag der Stadt)"
#   speicherdauer: "Antworten bis zum Abschluss der Auswertung, längstens bis 31.12.{jahr}"
#   aufsichtsbehoerde: "Sächsische Datenschutz- und Transparenzbeauftragte, www.datenschutz.sachsen.de"
"""


def write_analysis_folder(
    folder: Path, kommune: str, ags: str, jahr: int, ortsteile: dict[int, str] | None = None
) -> list[Path]:
    """Create ``folder`` with a commented analyse.yaml and the templates; refuse to overwrite an existing
    analyse.yaml. Returns the files written, analyse.yaml first (a template already present is kept)."""
    # Validate through the same model that reads the file, so init never writes an invalid config.
    AnalysisConfig(kommune=kommune, ags=ags, jahr=jahr, ortsteile=ortsteile or {})
    config_path = folder / CONFIG_NAME
    if config_path.exists():
        raise ConfigError("existiert bereits; init überschreibt keine vorhandene Analyse.", path=config_path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RESULT_DIR).mkdir(exist_ok=True)
    names = ortsteile or {1: "Ortsteil 1"}
    ortsteil_lines = "".join(f"  {code}: {_yaml_text(name)}\n" for code, name in names.items())
    from survey.questionnaire import load_questionnaire

    questionnaire = load_questionnaire(AnalysisConfig.model_fields["fragebogen"].default, ortsteile=names)
    sexes, without_population = _sex_codes(questionnaire)
    sex_note = (f"\n# »{'«, »'.join(without_population)}«: dafür gibt es keine amtlichen Bevölkerungszahlen; "
                "Befragte mit dieser\n# Angabe werden nur an die übrigen Merkmale angepasst." if without_population
                else "")
    text = ANALYSE_TEMPLATE.format(
        kommune=_yaml_text(kommune), ags=ags, jahr=jahr, result_dir=RESULT_DIR, ortsteile=ortsteil_lines,
        sex_codes="Geschlecht " + ", ".join(f"{code} = {label}" for code, label in sexes.items()),
        age_labels=", ".join(group.label for group in questionnaire.age_groups), sex_note=sex_note,
    )
    with atomic_write(config_path) as stream:
        stream.write(text)
    data = write_data_templates(folder, kommune, ags, names, sexes, [group.label for group in questionnaire.age_groups])
    return [config_path, *data, *write_text_templates(folder)]


# Categories that official population statistics do not publish (the register's »divers« entries are
# assigned to männlich/weiblich); the weighting counts them as a missing characteristic.
NO_POPULATION_LABELS = ("divers",)


def _sex_codes(questionnaire) -> tuple[dict[int, str], list[str]]:  # noqa: ANN001
    """The questionnaire's geschlecht codes with population figures, and the labels of those without."""
    variable = questionnaire.variable("geschlecht")
    codes = dict(variable.codes) if variable is not None else {1: "männlich", 2: "weiblich"}
    kept = {code: label for code, label in codes.items() if label.casefold() not in NO_POPULATION_LABELS}
    return kept, [label for label in codes.values() if label.casefold() in NO_POPULATION_LABELS]


def write_data_templates(folder: Path, kommune: str, ags: str, ortsteile: dict[int, str], sexes: dict[int, str],
                         age_labels: list[str]) -> list[Path]:
    """population.csv, strata.csv (counts empty) and LIESMICH-pks.md; existing files stay untouched."""
    population = "ags,geschlecht,altersgruppe,einwohner\n" + "".join(
        f"{ags},{code},{label},\n" for code in sexes for label in age_labels)
    strata = "ortsteil,name,einwohner_16plus,brutto_stichprobe,netto\n" + "".join(
        f"{code},{_csv_text(name)},,,\n" for code, name in ortsteile.items())
    written = []
    for name, text in (("population.csv", population), ("strata.csv", strata), (PKS_README, pks_readme(kommune, ags))):
        target = folder / name
        if target.exists():
            continue
        with atomic_write(target) as stream:
            stream.write(text)
        written.append(target)
    return written


PKS_README = "LIESMICH-pks.md"


def pks_readme(kommune: str, ags: str) -> str:
    """German description of pks.csv with the keys the analysis uses (from analysis.crime.keys)."""
    from analysis.crime.keys import OFFENCE_GROUPS, SURVEY_OFFENCE_KEYS
    from survey.wording.crime import OFFENCE_LABELS, SURVEY_OFFENCE_LABELS

    keys: dict[str, str] = {"------": "Straftaten insgesamt",
                            "890000": "Straftaten insgesamt ohne Verstöße gegen das Aufenthalts-, Asyl- und "
                                      "Freizügigkeitsgesetz/EU"}
    for group in OFFENCE_GROUPS:
        for key in group.patterns:
            keys.setdefault(key, OFFENCE_LABELS[group.id])
    for offence, mapping in SURVEY_OFFENCE_KEYS.items():
        for key in mapping.patterns:
            keys.setdefault(key, SURVEY_OFFENCE_LABELS[offence])
    rows = "".join(f"| `{key}` | {label} |\n" for key, label in keys.items())
    return PKS_README_TEXT.format(kommune=kommune, ags=ags, kreis=ags[:5], keys=rows)


PKS_README_TEXT = """\
# Polizeiliche Kriminalstatistik: pks.csv

Die Kriminalstatistik ist freiwillig. Wer sie nutzt, legt `pks.csv` in diesen Ordner und nimmt in
`analyse.yaml` das Zeichen `#` vor `kriminalstatistik: pks.csv` weg.

## Spalten

Eine Zeile je Gebiet, Jahr und Straftatenschlüssel (»lange« Tabelle), Trennzeichen Komma oder Semikolon:

| Spalte | Inhalt |
|---|---|
| `gebiet` | Gemeindeschlüssel des Gebiets: die Kommune ({ags}), der Landkreis ({kreis} oder {kreis}000) oder `14` für Sachsen |
| `gebiet_name` | Name des Gebiets |
| `jahr` | Berichtsjahr, vierstellig |
| `schluessel` | sechsstelliger PKS-Schlüssel mit führenden Nullen, als Text (siehe unten) |
| `straftat` | Bezeichnung der Straftat |
| `faelle` | erfasste Fälle (ganze Zahl ≥ 0) |
| `aufgeklaert` | aufgeklärte Fälle (leer oder `-`, wenn nicht bekannt) |
| `einwohner` | Einwohnerzahl des Gebiets in diesem Jahr (für alle Zeilen eines Gebiets und Jahres gleich) |
| `tatverdaechtige` | Tatverdächtige (freiwillige Spalte; leer oder `-`, wenn nicht bekannt) |

Beispielzeile (ausgedachte Zahlen):

```
gebiet,gebiet_name,jahr,schluessel,straftat,faelle,aufgeklaert,einwohner
{ags},{kommune},2024,------,Straftaten insgesamt,2892,1468,40018
```

Mehrere Jahre (am besten zehn) machen Trends möglich; Zeilen des Landkreises oder Sachsens ermöglichen
den Vergleich. Zahlen dürfen als `2892`, `2892.0`, `2.892` oder `2 892` geschrieben sein.

## Schlüssel, die die Auswertung nutzt

Fehlende Schlüssel werden übersprungen. Ein `*` steht für eine beliebige Ziffer (die Summe der
passenden Einzelschlüssel, wenn die Summenzeile fehlt).

| Schlüssel | Straftat |
|---|---|
{keys}"""


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


def _csv_text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(char in value for char in ',"\n') else value


def _yaml_text(value: str) -> str:
    needs_quotes = any(char in value for char in ":#{}[],&*!|>'\"%@`") or value != value.strip()
    return '"' + value.replace('"', '\\"') + '"' if needs_quotes else value
