"""German sentences of the comparison: the engine's results (funnel readings, verdicts at the adjusted
level, rank classes, the tau² rule, families of tests) put into words a council understands. The
sentences only phrase; every class and threshold comes from :mod:`analysis.comparison`."""

from __future__ import annotations

from analysis.comparison.change import Change
from analysis.comparison.family import Family, FamilyMember
from analysis.comparison.funnel import FunnelPoint, Overdispersion, Position, Tau2Source
from analysis.comparison.ranks import RankClass, RankGroup, RankInterval, RankSide
from analysis.core.multiple_testing import Verdict
from survey.comparison import texts
from survey.comparison.model import FixedTau2
from survey.report import formatting as fmt


def tau2_sentence(od: Overdispersion, fixed: FixedTau2 | None = None) -> str:
    """Which spread between communes the funnel limits contain, and why."""
    if od.source is Tau2Source.TOO_FEW:
        return (f"Die Grenzen zeigen allein den Zufall der Stichproben: Mit {fmt.integer(od.k)} Kommunen lässt "
                f"sich die übliche Streuung zwischen Kommunen (Überdispersion) nicht verlässlich schätzen; "
                f"dafür sind mindestens {fmt.integer(od.min_communes)} nötig.")
    if od.source is Tau2Source.OFF:
        return "Die Grenzen zeigen allein den Zufall der Stichproben; die übliche Streuung ist abgeschaltet."
    if od.source is Tau2Source.FIXED:
        origin = (f"aus einem früheren Vergleich mit {fmt.integer(fixed.k)} Kommunen übernommen" if fixed
                  else "aus einem früheren Vergleich übernommen")
        return (f"Die Grenzen enthalten neben dem Zufall der Stichproben die übliche Streuung zwischen Kommunen "
                f"(Überdispersion τ² = {fmt.decimal(od.tau2, 4)}, {origin}).")
    if od.tau2 == 0:
        return (f"Die übliche Streuung zwischen Kommunen wurde aus den {fmt.integer(od.k)} Kommunen geschätzt "
                "und ist null: Die Kommunen unterscheiden sich nicht mehr, als der Zufall der Stichproben "
                "erwarten lässt; die Grenzen zeigen allein diesen Zufall.")
    return (f"Die Grenzen enthalten neben dem Zufall der Stichproben die übliche Streuung zwischen Kommunen "
            f"(Überdispersion τ² = {fmt.decimal(od.tau2, 4)}, geschätzt aus {fmt.integer(od.k)} Kommunen).")


def family_sentence(family: Family, communes: int, indicators: int, basis: str) -> str:
    """How many differences one expects by chance, how many there are, and how many survive the adjustment."""
    method = texts.METHOD_NAME[family.method]
    text = (f"Verglichen wurden {fmt.integer(communes)} Kommunen in {fmt.integer(indicators)} Kernindikatoren "
            f"({texts.BASIS_TEXT[basis]}), also {fmt.integer(family.tests)} Werte mit dem Gesamtwert. Schon durch "
            f"Zufall lägen davon etwa {texts.decimal_count(family.expected_95)} außerhalb der 95-%-Grenzen und "
            f"{texts.decimal_count(family.expected_998)} außerhalb der 99,8-%-Grenzen. Tatsächlich liegen "
            f"{fmt.integer(family.outside_95)} außerhalb der 95-%-Grenzen und {fmt.integer(family.outside_998)} "
            f"außerhalb der 99,8-%-Grenzen. ")
    clear = family.clear
    if clear == 0:
        return text + (f"Nach der Korrektur für die vielen Vergleiche ({method}-Verfahren) ist keiner dieser "
                       "Unterschiede auffällig.")
    return text + (f"Nach der Korrektur für die vielen Vergleiche ({method}-Verfahren) bleiben "
                   f"{fmt.integer(clear)} auffällig; unter ihnen sind im Mittel höchstens 5\u00a0% Zufallsbefunde.")


def _direction(position: Position) -> str:
    return "über" if position is Position.ABOVE else "unter"


def verdict_sentence(name: str, point: FunnelPoint, member: FamilyMember | None, family: Family) -> str:
    """The funnel reading of one commune in plain German (verdict at the adjusted level)."""
    verdict = member.verdict if member else Verdict.NONE
    if point.position_95 is Position.INSIDE:
        text = (f"{name} liegt innerhalb der Trichtergrenzen: Der Unterschied zum Gesamtwert kann Zufall "
                "der Stichprobe sein.")
    else:
        side = _direction(point.position_95)
        level = "99,8-%-Grenze" if point.position_998 is not Position.INSIDE else "95-%-Grenze"
        if verdict is Verdict.CLEAR:
            text = (f"{name} liegt deutlich {side} dem Gesamtwert, jenseits der {level} des Trichters. Das ist "
                    f"durch Zufall kaum zu erklären, auch wenn man bedenkt, dass {fmt.integer(family.tests)} "
                    "Werte zugleich verglichen wurden.")
        else:
            text = (f"{name} liegt jenseits der {level} des Trichters, {side} dem Gesamtwert. Bei "
                    f"{fmt.integer(family.tests)} gleichzeitigen Vergleichen erwartet man aber schon durch Zufall "
                    f"etwa {texts.decimal_count(family.expected_95)} solche Werte; nach der Korrektur dafür ist "
                    "der Unterschied nicht auffällig.")
    if point.readings_disagree:
        sampling = point.sampling
        if sampling.position_95 is not Position.INSIDE and point.position_95 is Position.INSIDE:
            text += (f" Allein am Zufall der Stichprobe gemessen läge {name} {_direction(sampling.position_95)} "
                     "den Grenzen: Der Wert weicht mehr ab, als der Zufall erklärt, aber nicht mehr, als "
                     "Kommunen sich üblicherweise unterscheiden.")
        elif sampling.position_998 is not Position.INSIDE and point.position_998 is Position.INSIDE:
            text += (f" Allein am Zufall der Stichprobe gemessen läge {name} auch jenseits der 99,8-%-Grenze; "
                     "die übliche Streuung zwischen Kommunen macht den Abstand kleiner.")
    return text


def rank_sentence(name: str, rank: RankInterval, k: int) -> str:
    """``Quellenthal hat wahrscheinlich den niedrigsten Wert der 5 Kommunen.``"""
    c: RankClass = rank.rank_class
    interval = texts.rank_text(rank, k)
    if c.side is RankSide.UNCLEAR:
        return (f"Eine Rangfolge lässt sich für {name} nicht angeben: Wegen der Messunsicherheit liegt der "
                f"Rangplatz irgendwo zwischen {rank.low} und {rank.high} (von {fmt.integer(k)}).")
    if c.side is RankSide.MIDDLE:
        return f"{name} liegt wahrscheinlich im Mittelfeld der {fmt.integer(k)} Kommunen (Rang {interval})."
    adjective = texts.SIDE_ADJECTIVE[c.side]
    if c.group is RankGroup.COUNT and c.size == 1:
        claim = f"hat wahrscheinlich den {adjective} Wert der {fmt.integer(k)} Kommunen"
    elif c.group is RankGroup.COUNT:
        claim = f"gehört wahrscheinlich zu den {texts.count_word(c.size)} Kommunen mit den {adjective} Werten"
    elif c.group is RankGroup.HALF:
        claim = f"gehört wahrscheinlich zur Hälfte der Kommunen mit den {texts.SIDE_COMPARATIVE[c.side]} Werten"
    else:
        claim = (f"gehört wahrscheinlich zum {texts.GROUP_WORDS[c.group]} ({fmt.integer(c.size)} von {fmt.integer(k)}) "
                 f"der Kommunen mit den {adjective} Werten")
    return f"{name} {claim} (Rang {interval})."


def change_sentence(name: str, label: str, change: Change, indicator_kind: str) -> str:
    label = f"»{label}«"
    diff, ci = texts.change_text(change, indicator_kind)
    before = texts.number(change.estimate_from, indicator_kind)
    after = texts.number(change.estimate_to, indicator_kind)
    values = f"{before} ({change.year_from}) gegenüber {after} ({change.year_to})"
    p = fmt.p_value(change.p_value)
    if change.verdict is Verdict.CLEAR:
        direction = "gestiegen" if change.difference > 0 else "gesunken"
        return (f"{name}: {label} ist {direction} ({diff}, 95-%-KI {ci}, {p}; auch nach der Korrektur für "
                f"{fmt.integer(change.family_size)} geprüfte Veränderungen auffällig): {values}.")
    if change.verdict is Verdict.HINT:
        direction = "gestiegen" if change.difference > 0 else "gesunken"
        return (f"{name}: {label} ist dem Anschein nach {direction} ({diff}, 95-%-KI {ci}, {p}), doch bei "
                f"{fmt.integer(change.family_size)} gleichzeitig geprüften Veränderungen kann ein solcher Wert "
                f"Zufall sein (nach der {texts.METHOD_NAME[change.adjustment]}-Korrektur {fmt.p_value(change.p_adjusted)}): "
                f"{values}.")
    return (f"{name}: {label} hat sich nicht erkennbar verändert ({diff}, 95-%-KI {ci}, {p}); der Unterschied "
            f"kann Zufall sein: {values}.")


def change_family_sentence(family: Family) -> str:
    method = texts.METHOD_NAME[family.method]
    text = (f"Geprüft wurden {fmt.integer(family.tests)} Veränderungen; schon durch Zufall wären etwa "
            f"{texts.decimal_count(family.expected_95)} davon mit einem p-Wert unter 0,05 zu erwarten. "
            f"{fmt.integer(family.outside_95)} haben einen p-Wert unter 0,05")
    if family.clear == 0:
        return text + f"; nach der Korrektur für die vielen Vergleiche ({method}-Verfahren) ist keine auffällig."
    return text + (f"; nach der Korrektur für die vielen Vergleiche ({method}-Verfahren) "
                   f"{'bleibt' if family.clear == 1 else 'bleiben'} {fmt.integer(family.clear)} auffällig.")


def join_names(items: list[str]) -> str:
    """``A``, ``A und B``, ``A, B und C`` (empty for none)."""
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]


def _listing(items: list[str], limit: int) -> str:
    return f"{fmt.integer(len(items))} Kommunen" if len(items) > limit else join_names(items)


def funnel_groups_sentence(above: list[str], below: list[str], hints: list[str], inside: list[str],
                           disagree: list[str], family: Family, *, limit: int = 12) -> str:
    """All communes of one funnel in groups (the engine's verdicts): clear above, clear below, beyond
    the 95 % limit but possibly chance, inside; and those whose reading depends on ``tau²``."""
    parts = []
    if above or below:
        clauses = []
        if above:
            clauses.append(f"Deutlich über dem Gesamtwert {'liegt' if len(above) == 1 else 'liegen'} "
                           f"{_listing(above, limit)}")
        if below:
            clauses.append(("deutlich darunter " if above else
                            f"Deutlich unter dem Gesamtwert {'liegt' if len(below) == 1 else 'liegen'} ")
                           + _listing(below, limit))
        parts.append(", ".join(clauses) + f": Diese Abstände sind auch bei {fmt.integer(family.tests)} "
                     "gleichzeitigen Vergleichen kaum durch Zufall zu erklären.")
    if hints:
        parts.append(f"Außerhalb der 95-%-Grenzen, bei so vielen Vergleichen aber möglicherweise Zufall: "
                     f"{_listing(hints, limit)}.")
    if inside:
        parts.append(("Innerhalb der Grenzen (Unterschied kann Zufall sein): " if parts else
                      "Alle Kommunen liegen innerhalb der Grenzen (Unterschiede können Zufall sein): ")
                     + _listing(inside, limit) + ".")
    if disagree:
        parts.append(f"Allein am Zufall der Stichprobe gemessen {'läge' if len(disagree) == 1 else 'lägen'} auch "
                     f"{_listing(disagree, limit)} außerhalb: Sie weichen mehr ab, als der Zufall erklärt, aber "
                     "nicht mehr, als Kommunen sich üblicherweise unterscheiden.")
    return " ".join(parts)
