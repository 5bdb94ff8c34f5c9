"""Notes of the calibration (``analysis.core.results.WeightingNote``) in German."""

from __future__ import annotations

from analysis.core.results import WeightingNote
from survey.report import formatting as fmt


def note_text(note: WeightingNote) -> str:
    """One German sentence per note."""
    if note.code == "margin_rescaled":
        return (f"Die Randverteilung {note.margin} summiert sich auf {fmt.integer(note.value)} statt "
                f"{fmt.integer(note.target)} (Abweichung {fmt.decimal(100 * note.share, 2)} %, z. B. durch "
                f"Zensus-Geheimhaltung); sie wurde proportional auf {fmt.integer(note.target)} angepasst.")
    if note.code == "characteristic_missing":
        return (f"Bei {fmt.integer(note.count)} Befragten fehlt das Merkmal {note.margin}; sie bleiben in der "
                f"Auswertung und werden nur an den übrigen Merkmalen ausgerichtet. Die Sollwerte von {note.margin} "
                f"wurden um ihren gewichteten Anteil ({fmt.decimal(100 * note.share, 1)} %) verringert.")
    if note.code == "weights_trimmed":
        low, high = note.bounds
        return (f"{fmt.integer(note.count)} Gewichtungsfaktoren wurden auf [{fmt.decimal(low, 2)}; "
                f"{fmt.decimal(high, 2)}] gekappt; die Randverteilungen gelten danach nur näherungsweise.")
    if note.code == "negative_weights":
        return "Die lineare Kalibrierung ergibt negative Gewichte; bitte Grenzen setzen (grenzen)."
    raise ValueError(f"unknown weighting note {note.code!r}")
