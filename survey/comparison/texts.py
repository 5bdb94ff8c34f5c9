"""German cells (short texts in tables) shared by the comparison report, the commune sheets and the
workbook. Sentences are in :mod:`survey.comparison.sentences`, the glossary and methods in
:mod:`survey.comparison.glossary`. Nothing here decides: the classes come from the engine."""

from __future__ import annotations

from analysis.comparison.distribution import Band, BandValue
from analysis.comparison.change import Change
from analysis.comparison.family import FamilyMember
from analysis.comparison.funnel import FunnelPoint, Position, Tau2Source
from analysis.comparison.ranks import RankClass, RankGroup, RankInterval, RankSide
from analysis.comparison.shrinkage import ShrinkageEstimate
from analysis.core.multiple_testing import Verdict
from survey.comparison.loading import Value
from survey.report import formatting as fmt

FLAGS = {"unsicher": fmt.FLAG_UNRELIABLE, "unterdrueckt": fmt.FLAG_SUPPRESSED}
BASIS_TEXT = {"direct": "rohe Werte", "standardised": "alters- und geschlechtsstandardisierte Werte"}
BASIS_SHORT = {"direct": "roh", "standardised": "standardisiert"}
METHOD_NAME = {"BH": "Benjamini-Hochberg", "holm": "Holm"}
NUMBER_WORDS = {1: "eine", 2: "zwei", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs", 7: "sieben", 8: "acht",
                9: "neun", 10: "zehn", 11: "elf", 12: "zwölf"}
GROUP_WORDS = {RankGroup.TENTH: "Zehntel", RankGroup.QUARTER: "Viertel", RankGroup.HALF: "Hälfte"}
SIDE_ADJECTIVE = {RankSide.HIGHEST: "höchsten", RankSide.LOWEST: "niedrigsten"}
SIDE_COMPARATIVE = {RankSide.HIGHEST: "höheren", RankSide.LOWEST: "niedrigeren"}
DISAGREE_MARK = "*"
BAND_LABELS = {
    Band.MIDDLE: "Mitte", Band.LOWEST: "niedrigste Werte", Band.HIGHEST: "höchste Werte",
    Band.LOWER_QUARTILE: "unteres Viertel", Band.UPPER_QUARTILE: "oberes Viertel",
}
TAU2_SOURCE_CELL = {
    Tau2Source.ESTIMATED: "geschätzt", Tau2Source.FIXED: "aus früherem Vergleich",
    Tau2Source.TOO_FEW: "nicht berücksichtigt (zu wenige Kommunen)", Tau2Source.OFF: "nicht berücksichtigt",
}


def count_word(n: int) -> str:
    """``2`` → ``zwei`` up to twelve, digits (German format) above."""
    return NUMBER_WORDS.get(n, fmt.integer(n))


def others_phrase(n: int) -> str:
    """``mit 4 weiteren Kommunen`` (``mit einer weiteren Kommune``): the one count used everywhere."""
    return "mit einer weiteren Kommune" if n == 1 else f"mit {fmt.integer(n)} weiteren Kommunen"


def kind_of(indicator_kind: str) -> str:
    return "percent" if indicator_kind == "proportion" else "decimal"


def unit_of(indicator_kind: str) -> str:
    return "share" if indicator_kind == "proportion" else "mean"


def number(x: float | None, indicator_kind: str) -> str:
    return fmt.value(x, kind_of(indicator_kind)) if x is not None else fmt.MISSING


def coarse_number(x: float | None, indicator_kind: str) -> str:
    """Distribution figures on a sheet without single values, one digit coarser than a commune's own
    values (``38 %``, ``1,9``), so that they never look like a commune's published value."""
    if x is None:
        return fmt.MISSING
    return fmt.percent(x, 0) if indicator_kind == "proportion" else fmt.decimal(x, 1)


def value_text(value: Value | None, indicator_kind: str) -> str:
    if value is None:
        return fmt.MISSING
    return fmt.estimate(value.estimate, FLAGS.get(value.flag), kind_of(indicator_kind))


def interval_text(value: Value | None, indicator_kind: str) -> str:
    if value is None or value.flag == "unterdrueckt":
        return fmt.MISSING
    return fmt.interval(value.ci_low, value.ci_high, kind=kind_of(indicator_kind))


def value_with_interval(value: Value | None, indicator_kind: str) -> str:
    main = value_text(value, indicator_kind)
    ci = interval_text(value, indicator_kind)
    return main if ci == fmt.MISSING else f"{main} ({ci})"


def rank_text(rank: RankInterval | None, k: int | None = None) -> str:
    """``1–3`` (or ``1–3 von 5`` with ``k``): the 95-% rank interval, never a bare rank."""
    if rank is None:
        return fmt.MISSING
    span = str(rank.low) if rank.low == rank.high else f"{rank.low}{fmt.EN_DASH}{rank.high}"
    return span if k is None else f"{span} von {fmt.integer(k)}"


def rank_class_cell(rank_class: RankClass | None) -> str:
    """Short table cell of a rank class: ``niedrigster Wert``, ``unter den 2 höchsten``, ``Mittelfeld``."""
    if rank_class is None:
        return fmt.MISSING
    side = rank_class.side
    if side is RankSide.UNCLEAR:
        return "offen"
    if side is RankSide.MIDDLE:
        return "Mittelfeld"
    if rank_class.group is RankGroup.COUNT:
        if rank_class.size == 1:
            return "höchster Wert" if side is RankSide.HIGHEST else "niedrigster Wert"
        return f"unter den {fmt.integer(rank_class.size)} {SIDE_ADJECTIVE[side]}"
    if rank_class.group is RankGroup.HALF:
        return "obere Hälfte" if side is RankSide.HIGHEST else "untere Hälfte"
    word = GROUP_WORDS[rank_class.group]
    return f"{'oberes' if side is RankSide.HIGHEST else 'unteres'} {word}"


def rank_cell(rank: RankInterval | None, k: int | None = None) -> str:
    """Rank interval with its class: ``4–5 von 5: unter den 2 niedrigsten``."""
    if rank is None:
        return fmt.MISSING
    return f"{rank_text(rank, k)}: {rank_class_cell(rank.rank_class)}"


def eb_value(estimate: ShrinkageEstimate | None, indicator_kind: str) -> str:
    return fmt.MISSING if estimate is None else number(estimate.eb, indicator_kind)


def _side(position: Position) -> str:
    return "oberhalb" if position is Position.ABOVE else "unterhalb"


def position_cell(point: FunnelPoint | None, member: FamilyMember | None) -> str:
    """Position in the funnel with the verdict at the adjusted level, e.g. ``unterhalb 99,8 %,
    auffällig``; ``*`` marks a different reading with sampling error alone."""
    if point is None:
        return fmt.MISSING
    mark = DISAGREE_MARK if point.readings_disagree else ""
    if point.position_95 is Position.INSIDE:
        return "innerhalb" + mark
    level = "99,8\u00a0%" if point.position_998 is not Position.INSIDE else "95\u00a0%"
    verdict = member.verdict if member is not None else Verdict.HINT
    tail = "auffällig" if verdict is Verdict.CLEAR else "Zufall möglich"
    return f"{_side(point.position_95)} {level}, {tail}{mark}"


def band_value_text(band: BandValue, indicator_kind: str) -> str:
    return coarse_number(band.value, indicator_kind)


def change_text(change: Change, indicator_kind: str) -> tuple[str, str]:
    """Difference and its interval: percentage points for shares, decimals for means."""
    if indicator_kind == "proportion":
        return fmt.percentage_points(change.difference), fmt.interval(change.ci_low, change.ci_high, kind="pp")
    return (fmt.decimal(change.difference, 2, sign=True),
            fmt.interval(change.ci_low, change.ci_high, kind="decimal"))


def change_verdict_cell(change: Change) -> str:
    return {Verdict.CLEAR: "verändert", Verdict.HINT: "Zufall möglich", Verdict.NONE: "keine"}[change.verdict]


def p_number(p: float | None) -> str:
    """``0,020``, ``< 0,001`` (without the ``p =``)."""
    if p is None:
        return fmt.MISSING
    return f"<{fmt.NBSP}0,001" if p < 0.001 else fmt.decimal(p, 3)


def p_pair(p: float, p_adjusted: float | None) -> str:
    """Raw and adjusted p-value in one cell: ``0,020 (0,538)``."""
    return f"{p_number(p)} ({p_number(p_adjusted)})"


def decimal_count(x: float) -> str:
    """Expected counts: ``8``, ``0,3``, ``12,8``."""
    return fmt.integer(round(x)) if x >= 20 else fmt.decimal(x, 1).replace(",0", "")
