"""The disclosure and reliability rule (``analysis.core.flags``) in German: the methods sentence, the
table legends and the marker for a hidden count. Every text takes its numbers from the parameters the
profile records (``methods.suppression``, :func:`analysis.core.flags.policy`), so what the reader is told
is what the engine applied. The decision itself is the engine's flag; nothing here decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable

from analysis.core import flags
from survey.report import formatting as fmt

# The profile's typed ``methods.suppression`` (``survey.profile.sections.Suppression``), taken as the
# (field, value) pairs a pydantic model iterates as: importing the type would close an import cycle
# (survey.profile reads 1.0 method texts with survey.wording).
Recorded = Iterable[tuple[str, object]]

SUPPRESSED_SYMBOL = "/"
# Flag reasons of a suppression on a count (a place's mentions), not on the base: the base may be shown.
COUNT_REASONS = (flags.FlagReason.FEW_MENTIONS.value,)


@dataclass(frozen=True)
class Limits:
    """The limits of the rule as applied: the profile's ``methods.suppression``, completed with the engine's
    where a profile lacks some (a profile upgraded from 1.0 has no mention limits)."""

    min_n_shown: int
    min_n_reliable: int
    max_ci_width_proportion: float
    min_mentions_named: int
    min_mentions_reliable: int


def parameters(suppression: Recorded | None = None) -> Limits:
    """The :class:`Limits` of ``suppression`` (the typed ``methods.suppression``; None: the engine's)."""
    recorded = {} if suppression is None else {name: value for name, value in suppression if value is not None}
    engine = flags.policy()
    return Limits(**{name: recorded.get(name, engine[name]) for name in Limits.__dataclass_fields__})


def threshold(suppression: Recorded | None = None) -> str:
    """The smallest base of a published value, formatted (``10``)."""
    return fmt.integer(parameters(suppression).min_n_shown)


def small_n(suppression: Recorded | None = None) -> str:
    """What stands instead of the count of a suppressed group: ``< 10``."""
    return f"< {fmt.integer(parameters(suppression).min_n_shown)}"


def suppressed_legend(suppression: Recorded | None = None) -> str:
    """Legend of ``/`` under a table."""
    shown = fmt.integer(parameters(suppression).min_n_shown)
    return f"/ = nicht ausgewiesen (weniger als {shown} gültige Antworten in der Gruppe)."


def unreliable_legend(suppression: Recorded | None = None) -> str:
    """Legend of values in parentheses under a table."""
    p = parameters(suppression)
    return (f"Werte in Klammern: eingeschränkt belastbar (weniger als {fmt.integer(p.min_n_reliable)} gültige "
            f"Antworten oder Konfidenzintervall breiter als {fmt.integer(round(100 * p.max_ci_width_proportion))} "
            "Prozentpunkte).")


def suppressed_note(suppression: Recorded | None = None) -> str:
    """The note column of a suppressed row (Tabellenband)."""
    return f"nicht ausgewiesen: weniger als {fmt.integer(parameters(suppression).min_n_shown)} gültige Antworten"


def rule_text(suppression: Recorded | None = None) -> str:
    """The methods sentence: which values are hidden or marked, and which n the limits apply to."""
    p = parameters(suppression)
    shown = fmt.integer(p.min_n_shown)
    width = fmt.integer(round(100 * p.max_ci_width_proportion))
    named = fmt.integer(p.min_mentions_named)
    named_reliable = fmt.integer(p.min_mentions_reliable)
    return (f"Ein Anteil oder Mittelwert wird nur ausgewiesen, wenn seine Basis mindestens {shown} gültige Antworten "
            "umfasst. Die Basis ist die Zahl der Befragten der jeweiligen Gruppe (insgesamt, Geschlecht, Altersgruppe, "
            "Ortsteil), die die Frage gültig beantwortet haben (bei Indikatoren: mit gültigem Indikatorwert). Bei "
            f"einer kleineren Basis steht statt des Werts »/« und statt der Fallzahl »< {shown}«. Die Zahl der "
            "Befragten, die eine bestimmte Antwort gewählt haben (n einer Antwortkategorie), kann kleiner sein und "
            "wird genannt, denn der Anteil beruht auf der ganzen Basis. Werte mit einer Basis von "
            f"{shown} bis {fmt.integer(p.min_n_reliable - 1)} gültigen Antworten oder – bei Anteilen – mit einem "
            f"95-%-Konfidenzintervall breiter als {width} Prozentpunkte sind »eingeschränkt belastbar« (in "
            f"Klammern). Kodierte Freitexte: Ein Ort oder eine Kategorie wird nur genannt, wenn ihn mindestens "
            f"{named} Befragte nennen; nennen ihn weniger als {named_reliable}, ist sein Anteil eingeschränkt "
            "belastbar.")
