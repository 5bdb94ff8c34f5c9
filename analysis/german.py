"""German number text for the engine's error messages.

``analysis`` may not import ``survey`` (whose ``survey.report.formatting`` formats the reports), so the
few formats the engine writes into German text live here, once: decimal comma, ``.`` as thousands
separator, the real minus sign.
"""

from __future__ import annotations

MINUS = "\u2212"


def number(value: float, digits: int = 0, *, sign: bool = False) -> str:
    """``1234.5`` → ``1.234,5`` (``digits`` decimals); ``sign`` adds ``+`` to positive values."""
    text = f"{abs(value):,.{digits}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    is_zero = float(text.replace(".", "").replace(",", ".")) == 0
    if value < 0 and not is_zero:
        return MINUS + text
    return ("+" if sign and not is_zero else "") + text


def p_value(p: float) -> str:
    """``p < 0,001`` or ``p = 0,042``."""
    return "p < 0,001" if p < 0.001 else f"p = {number(p, 3)}"
