"""Flag reasons of estimates (``analysis.core.flags.FlagReason``) in German."""

from __future__ import annotations

import math

from analysis.core.flags import MAX_CI_WIDTH_PROPORTION, MIN_N_RELIABLE, MIN_N_SHOWN, FlagReason
from survey.report import formatting as fmt

# The estimate flags (``analysis.core.flags``: ok / unsicher / unterdrueckt) in words, once for every output.
FLAG_WORDS = {"ok": "", "unsicher": "eingeschränkt belastbar", "unterdrueckt": "nicht ausgewiesen"}


def flag_reason_text(reason: str | None, n: int | None = None, ci_low: float | None = None,
                     ci_high: float | None = None) -> str | None:
    """The German reason of a flag, from its code and the estimate's ``n`` and interval (None: no reason)."""
    if not reason:
        return None
    code = FlagReason(reason)
    count = fmt.integer(n) if n is not None else "?"
    if code is FlagReason.FEW_ANSWERS:
        return (f"Weniger als {MIN_N_SHOWN} Befragte mit gültiger Antwort (n = {count}); der Wert wird zum Schutz "
                "der Befragten und wegen zu großer Unsicherheit nicht ausgewiesen.")
    if code is FlagReason.SMALL_N:
        return f"Nur {count} Befragte mit gültiger Antwort (unter {MIN_N_RELIABLE}); der Wert ist unsicher."
    if code is FlagReason.NO_INTERVAL:
        return "Für diesen Wert lässt sich kein Konfidenzintervall berechnen; der Wert ist unsicher."
    if code is FlagReason.WIDE_INTERVAL:
        width = (ci_high - ci_low) if ci_low is not None and ci_high is not None else math.nan
        return (f"Das Konfidenzintervall ist {fmt.decimal(100 * width, 1)} Prozentpunkte breit (mehr als "
                f"{fmt.integer(round(100 * MAX_CI_WIDTH_PROPORTION))}); der Wert ist unsicher.")
    if code is FlagReason.FEW_MENTIONS:
        return f"Weniger als {MIN_N_SHOWN} Nennungen; zum Schutz der Befragten nicht ausgewiesen."
    return f"Nur {count} Nennungen (unter {MIN_N_RELIABLE}); der Wert ist unsicher."


def flag_reason_short(reason: str | None) -> str:
    """The reason of an »unsicher« flag for a chart legend (``n < 30``), empty when unknown."""
    if not reason:
        return ""
    code = FlagReason(reason)
    if code in (FlagReason.SMALL_N, FlagReason.FEW_MENTIONS_RELIABLE):
        return f"n{fmt.NBSP}<{fmt.NBSP}{MIN_N_RELIABLE}"
    if code is FlagReason.WIDE_INTERVAL:
        return f"Intervall breiter als {fmt.integer(round(100 * MAX_CI_WIDTH_PROPORTION))}{fmt.NBSP}Prozentpunkte"
    if code is FlagReason.NO_INTERVAL:
        return "kein Intervall berechenbar"
    return ""
