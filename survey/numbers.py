"""The one rule for whole counts in input files (population, gross sample, PKS cases) and for codes.

Counts are written in many ways: ``5200`` (plain), ``5200.0`` (pandas, R and many tools write whole
numbers as floats), ``5.200`` (German thousands separator), ``5 200`` (space, no-break space U+00A0,
narrow no-break space U+202F or thin space U+2009 as thousands separator) and ``5200,00`` / ``5.200,00``
(German Excel with two decimals). All of these are 5200. Everything else is refused: a fraction
(``5.2``, ``5,5``), the exponent form (``1e3``), a sign (``-600``), the English thousands comma
(``5,200``: in German it is 5.2), more than :data:`MAX_COUNT_DIGITS` digits.

The only ambiguity is a dot followed by groups of exactly three digits: ``5.200`` is 5200 in German
and 5.2 in English, ``5.000`` is 5000 or 5. The rule: a dot is the thousands separator unless the same
column also holds a number with a decimal point (a dot not followed by groups of three digits, as in
``5200.0`` or ``12.5``); in such a column ``5.200`` is refused as ambiguous, naming the line that shows
the decimal point. Tools that write whole numbers as floats always write ``5200.0``, never ``5.200``, so
files from pandas, R or Excel are read right without any setting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from survey.limits import MAX_COUNT_DIGITS

COUNT_RULE = ("Erlaubt sind ganze Zahlen wie 5200, 5200.0, 5.200 (Tausenderpunkt) oder 5 200 "
              "(Leerzeichen als Tausendertrennzeichen).")
SHOWN_CHARS = 40

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_PLAIN = re.compile(r"\d+")
_SPACE_GROUPS = re.compile(r"\d{1,3}(?: \d{3})+")
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_DECIMAL_POINT = re.compile(r"(\d+)\.(\d+)")
_DECIMAL_COMMA = re.compile(r"(\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+),(\d+)")
_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+")
_EXPONENT = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")
_NEGATIVE = re.compile(r"[-\u2212]\s*\d[\d., ]*")
_CODE = re.compile(r"(\d{1,9})(?:\.0+)?")


class NumberFormatError(ValueError):
    """A cell that is not a whole count; ``reason`` completes the German sentence »»value« …«."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def shown(text: object, limit: int = SHOWN_CHARS) -> str:
    """A cell value as it may appear in a message: one line, at most ``limit`` characters."""
    value = " ".join(str(text).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def decimal_point_evidence(cells: Iterable[tuple[int, str]]) -> tuple[int, str] | None:
    """The first (line, value) of a column that uses the dot as decimal point (``5200.0``, ``12.5``)."""
    for line, text in cells:
        value = str(text).strip()
        if _DECIMAL_POINT.fullmatch(value) and not _DOT_GROUPS.fullmatch(value):
            return line, value
    return None


def parse_count(text: object, *, decimal_point: tuple[int, str] | None = None) -> int:
    """A whole count ≥ 0 by the module's rule; :class:`NumberFormatError` otherwise.

    ``decimal_point`` is the evidence of :func:`decimal_point_evidence` for the cell's column; with it,
    the thousands form ``5.200`` is ambiguous and refused.
    """
    value = str(text).translate(_SPACES).strip()
    if not value:
        raise NumberFormatError("ist leer; erwartet wird eine Anzahl")
    if len(value) > 4 * MAX_COUNT_DIGITS:
        raise NumberFormatError(f"ist zu lang für eine Anzahl (höchstens {MAX_COUNT_DIGITS} Stellen)")
    digits = _count_digits(value, decimal_point)
    significant = digits.lstrip("0")
    if len(significant) > MAX_COUNT_DIGITS:
        raise NumberFormatError(f"hat mehr als {MAX_COUNT_DIGITS} Stellen und ist keine plausible Anzahl")
    return int(significant or "0")


def _count_digits(value: str, decimal_point: tuple[int, str] | None) -> str:
    if _PLAIN.fullmatch(value):
        return value
    if _SPACE_GROUPS.fullmatch(value):
        return value.replace(" ", "")
    if _DOT_GROUPS.fullmatch(value):
        if decimal_point is not None and value.count(".") == 1:
            line, example = decimal_point
            raise NumberFormatError(
                f"ist mehrdeutig: in dieser Spalte ist der Punkt auch Dezimalzeichen (Zeile {line}: "
                f"»{shown(example)}«), »{shown(value)}« könnte also {value.replace('.', '')} oder "
                f"{_english(value)} bedeuten; bitte ohne Tausenderpunkt schreiben"
            )
        return value.replace(".", "")
    point = _DECIMAL_POINT.fullmatch(value)
    if point:
        if set(point.group(2)) == {"0"}:
            return point.group(1)
        raise NumberFormatError("ist keine ganze Zahl")
    if _COMMA_GROUPS.fullmatch(value):
        raise NumberFormatError(
            "ist mehrdeutig: das Komma ist das deutsche Dezimalzeichen, in englischer Schreibweise aber "
            "Tausendertrennzeichen; bitte ohne Trennzeichen oder mit Tausenderpunkt schreiben"
        )
    comma = _DECIMAL_COMMA.fullmatch(value)
    if comma:
        if set(comma.group(2)) == {"0"}:
            return re.sub(r"\D", "", comma.group(1))
        raise NumberFormatError("ist keine ganze Zahl")
    if _NEGATIVE.fullmatch(value):
        raise NumberFormatError("ist negativ; erwartet wird eine Anzahl (0 oder größer)")
    if _EXPONENT.fullmatch(value):
        raise NumberFormatError("ist in Exponentialschreibweise; bitte die Zahl ausschreiben")
    raise NumberFormatError("ist keine ganze Zahl")


def _english(value: str) -> str:
    whole, fraction = value.split(".", 1)
    fraction = fraction.rstrip("0")
    return whole if not fraction else f"{whole},{fraction}"


def parse_whole_code(text: object) -> int:
    """A category code written as a whole number (``1``, ``1.0``); :class:`NumberFormatError` otherwise."""
    value = str(text).strip()
    match = _CODE.fullmatch(value)
    if match is None:
        raise NumberFormatError("ist kein Code (erwartet wird eine ganze Zahl wie 1 oder 2)")
    return int(match.group(1))


def count_message(value: object, reason: str) -> str:
    """``»5.2« ist keine ganze Zahl. Erlaubt sind …``: the German sentence for a refused count."""
    return f"»{shown(value)}« {reason}. {COUNT_RULE}"
