"""German number, date and text formatting for reports (the one place where this happens).

Every number a reader sees goes through these functions: the Jinja2 filters (``register_filters``),
the sentence generators and the chart axes and alt texts. Conventions (DIN 5008 / Destatis):

* decimal comma, ``.`` as thousands separator (``1.234``, ``5.432``), also for four-digit numbers;
* a **no-break space U+00A0** between number and unit (``42,9 %``, ``+3,1 Pp.``). It is a plain
  character in HTML (UTF-8) and in Typst (data arrive as JSON strings), so it needs no target-specific
  entity and never lets a line break separate number and unit;
* negative numbers use the minus sign U+2212 (``−3,1 Pp.``), ranges the en dash U+2013 without spaces
  (``38,3–45,6 %``), or `` bis `` when a bound is negative;
* rounding is half away from zero on the decimal representation (``0.4285`` → ``42,9 %``), as
  readers expect, not Python's binary round-half-even;
* missing values (``None``/NaN) print as ``–`` (:data:`MISSING`); a suppressed estimate (fewer than 10
  respondents) as ``/`` (:data:`SUPPRESSED`, Destatis: "keine Angabe, da Zahlenwert nicht sicher
  genug"); an unreliable one in parentheses ``(42,9 %)`` (Destatis: "Aussagewert eingeschränkt").
  Use :func:`flagged` / :func:`estimate` for flagged values.

Escaping is target-aware: HTML escaping is left to Jinja2's autoescape; :func:`escape_typst` escapes
text that is inserted into Typst *markup* (the Typst templates normally read plain strings from
JSON and need no escaping).
"""

from __future__ import annotations

import datetime as _dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

NBSP = "\u00a0"
MINUS = "\u2212"
EN_DASH = "\u2013"
MISSING = EN_DASH
SUPPRESSED = "/"

FLAG_SUPPRESSED = "suppressed"
FLAG_UNRELIABLE = "unreliable"


def is_missing(value: Any) -> bool:
    """True for ``None`` and NaN (float or numpy)."""
    if value is None:
        return True
    try:
        return math.isnan(value)
    except TypeError:
        return False


def _round(value: float, digits: int) -> Decimal:
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def _german(value: Decimal, digits: int, *, sign: bool = False, group: bool = True) -> str:
    """Format a rounded Decimal with German marks; ``sign`` forces a ``+`` for positive values."""
    negative = value < 0
    magnitude = abs(value)
    text = f"{magnitude:,.{digits}f}" if group else f"{magnitude:.{digits}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if negative and magnitude != 0:
        return MINUS + text
    if sign and magnitude != 0:
        return "+" + text
    return text


def decimal(value: Any, digits: int = 2, *, sign: bool = False) -> str:
    """``2.18`` → ``2,18``; ``1234.5`` (digits=1) → ``1.234,5``."""
    if is_missing(value):
        return MISSING
    return _german(_round(value, digits), digits, sign=sign)


def integer(value: Any) -> str:
    """``1234`` → ``1.234``; ``-5`` → ``−5``; floats are rounded half away from zero."""
    if is_missing(value):
        return MISSING
    return _german(_round(value, 0), 0)


def percent(share: Any, digits: int = 1, *, sign: bool = False) -> str:
    """A share in [0, 1] as percent: ``0.4285`` → ``42,9 %``."""
    if is_missing(share):
        return MISSING
    return _german(_round(float(share) * 100, digits), digits, sign=sign) + NBSP + "%"


def percent_number(share: Any, digits: int = 1) -> str:
    """A share as percent number without the sign: ``0.4285`` → ``42,9`` (for table columns)."""
    if is_missing(share):
        return MISSING
    return _german(_round(float(share) * 100, digits), digits)


def percentage_points(diff: Any, digits: int = 1) -> str:
    """A difference of shares in percentage points, always signed: ``0.031`` → ``+3,1 Pp.``."""
    if is_missing(diff):
        return MISSING
    return _german(_round(float(diff) * 100, digits), digits, sign=True) + NBSP + "Pp."


def _range(low: str, high: str, negative: bool) -> str:
    return f"{low} bis {high}" if negative else f"{low}{EN_DASH}{high}"


def interval(low: Any, high: Any, *, kind: str = "percent", digits: int | None = None) -> str:
    """A confidence interval. ``kind``: ``percent`` (shares) → ``38,3–45,6 %``; ``pp`` →
    ``−1,2 bis +3,4 Pp.``; ``decimal`` → ``1,32–2,59``; ``integer`` / ``hz`` → ``4.980–5.890``."""
    if is_missing(low) or is_missing(high):
        return MISSING
    negative = float(low) < 0 or float(high) < 0
    if kind == "percent":
        d = 1 if digits is None else digits
        return _range(percent_number(low, d), percent_number(high, d), negative) + NBSP + "%"
    if kind == "pp":
        d = 1 if digits is None else digits
        lo = _german(_round(float(low) * 100, d), d, sign=True)
        hi = _german(_round(float(high) * 100, d), d, sign=True)
        return f"{lo} bis {hi}" + NBSP + "Pp."
    if kind == "decimal":
        d = 2 if digits is None else digits
        return _range(decimal(low, d), decimal(high, d), negative)
    if kind in ("integer", "hz"):
        return _range(integer(low), integer(high), negative)
    raise ValueError(f"unknown interval kind {kind!r}")


def hz(value: Any) -> str:
    """Häufigkeitszahl (cases per 100,000 inhabitants) as an integer: ``5432.4`` → ``5.432``."""
    return integer(value)


def odds_ratio(value: Any) -> str:
    """Odds ratio with two decimals: ``1.8467`` → ``1,85``."""
    return decimal(value, 2)


def p_value(p: Any) -> str:
    """``p < 0,001`` below 0.001, otherwise ``p = 0,034`` (three decimals)."""
    if is_missing(p):
        return MISSING
    if float(p) < 0.001:
        return f"p{NBSP}<{NBSP}0,001"
    return f"p{NBSP}={NBSP}{decimal(p, 3)}"


MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")


def long_date(value: _dt.date) -> str:
    """``24. Dezember 2026`` (letters)."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def date(value: _dt.date | str | None) -> str:
    """``date(2026, 11, 21)`` or ``"2026-11-21"`` → ``21.11.2026``."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value)
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def flagged(text: str, flag: str | None) -> str:
    """Apply an estimate flag to formatted text: suppressed → ``/``, unreliable → ``(text)``."""
    if flag == FLAG_SUPPRESSED:
        return SUPPRESSED
    if flag == FLAG_UNRELIABLE and text != MISSING:
        return f"({text})"
    return text


_KINDS = {
    "percent": percent,
    "decimal": decimal,
    "integer": integer,
    "hz": hz,
    "odds_ratio": odds_ratio,
    "pp": percentage_points,
}


def value(x: Any, kind: str = "percent") -> str:
    """Format ``x`` by kind name (``percent``, ``decimal``, ``integer``, ``hz``, ``odds_ratio``, ``pp``)."""
    try:
        return _KINDS[kind](x)
    except KeyError:
        raise ValueError(f"unknown value kind {kind!r}; known: {', '.join(_KINDS)}") from None


def estimate(x: Any, flag: str | None = None, kind: str = "percent") -> str:
    """A flagged estimate: ``estimate(0.429, "unreliable")`` → ``(42,9 %)``."""
    return flagged(value(x, kind), flag)


def ci_label(level: float = 0.95) -> str:
    """``95-%-KI`` (the abbreviation used in captions and alt texts)."""
    return f"{integer(level * 100)}-%-KI"


_TYPST_SPECIAL = set("\\#$*_@<>`[]~/=+-'\"")


def escape_typst(text: Any) -> str:
    """Escape text for insertion into Typst markup: every markup-active character gets a backslash.

    Covers ``# $ * _ @ < > ` \\ [ ]`` plus ``~`` (no-break space), ``/`` (comments, term lists),
    ``= + -`` (headings, lists, ``--`` dashes) and quotes (smart quotes stay literal).
    """
    if text is None:
        return ""
    return "".join("\\" + ch if ch in _TYPST_SPECIAL else ch for ch in str(text))


def register_filters(env: Any) -> None:
    """Register the formatters as Jinja2 filters on ``env`` (autoescape handles HTML escaping).

    Filters: ``pct``, ``pct_num``, ``pp``, ``integer``, ``dec``, ``ci``, ``hz``, ``odds``,
    ``pval``, ``date_de``, ``flagged``, ``estimate``, ``typst``.
    """
    env.filters.update(
        pct=percent,
        pct_num=percent_number,
        pp=percentage_points,
        integer=integer,
        dec=decimal,
        ci=lambda pair, kind="percent", digits=None: interval(pair[0], pair[1], kind=kind, digits=digits),
        hz=hz,
        odds=odds_ratio,
        pval=p_value,
        date_de=date,
        flagged=flagged,
        estimate=estimate,
        typst=escape_typst,
    )
