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
        who, stays = (("einer befragten Person", "sie bleibt in der Auswertung und wird") if note.count == 1 else
                      (f"{fmt.integer(note.count)} Befragten", "sie bleiben in der Auswertung und werden"))
        return (f"Bei {who} fehlt die Angabe zu {name}; {stays} nur an den übrigen Merkmalen ausgerichtet. "
                f"Die Sollwerte nach {name} wurden um ihren gewichteten Anteil ({fmt.percent(note.share)}) "
                "verringert.")
    if note.code == "weights_trimmed":
        low, high = note.bounds
        factors = ("1 Gewichtungsfaktor wurde" if note.count == 1
                   else f"{fmt.integer(note.count)} Gewichtungsfaktoren wurden")
        return (f"{factors} auf [{fmt.decimal(low, 2)}; {fmt.decimal(high, 2)}] gekappt; die Randverteilungen "
                "gelten danach nur näherungsweise.")
    if note.code == "negative_weights":
        return "Die lineare Kalibrierung ergibt negative Gewichte; bitte Grenzen setzen (grenzen)."
    raise ValueError(f"unknown weighting note {note.code!r}")
