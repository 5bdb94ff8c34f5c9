"""Notes of the calibration (``analysis.core.results.WeightingNote``) in German."""

from __future__ import annotations

from analysis.core.results import WeightingNote
from survey.report import formatting as fmt

# Names of the usual calibration characteristics; any other population.csv column is named as written.
VARIABLE_NAMES = {"ortsteil": "Ortsteil", "geschlecht": "Geschlecht", "altersgruppe": "Altersgruppe"}


def variable_name(variable: str) -> str:
    return VARIABLE_NAMES.get(variable, f"»{variable}«")


def note_text(note: WeightingNote) -> str:
    """One German sentence per note."""
    if note.code == "margin_rescaled":
        return (f"Die Randverteilung nach {variable_name(note.margin)} summiert sich auf {fmt.integer(note.value)} statt "
                f"{fmt.integer(note.target)} (Abweichung {fmt.percent(note.share, 2)}, z. B. durch "
                f"Zensus-Geheimhaltung); sie wurde proportional auf {fmt.integer(note.target)} angepasst.")
    if note.code == "characteristic_missing":
        name = variable_name(note.margin)
        return (f"Bei {fmt.integer(note.count)} Befragten fehlt die Angabe zu {name}; sie bleiben in der "
                f"Auswertung und werden nur an den übrigen Merkmalen ausgerichtet. Die Sollwerte nach {name} "
                f"wurden um ihren gewichteten Anteil ({fmt.percent(note.share)}) verringert.")
    if note.code == "weights_trimmed":
        low, high = note.bounds
        return (f"{fmt.integer(note.count)} Gewichtungsfaktoren wurden auf [{fmt.decimal(low, 2)}; "
                f"{fmt.decimal(high, 2)}] gekappt; die Randverteilungen gelten danach nur näherungsweise.")
    if note.code == "negative_weights":
        return "Die lineare Kalibrierung ergibt negative Gewichte; bitte Grenzen setzen (grenzen)."
    raise ValueError(f"unknown weighting note {note.code!r}")
