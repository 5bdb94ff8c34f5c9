"""Filter conditions (skip logic): whether a question applies to a respondent.

A simple condition tests one item against a set of codes (``opfer_einbruch = 1``). Compound conditions
combine others with ``all_of`` (and) or ``any_of`` (or). :meth:`Condition.applies` is three-valued:
``True`` (the question applies), ``False`` (it is skipped) or ``None`` (unknown, because the filter item
itself is blank, not a number, or one of its missing codes such as 9 keine Angabe).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict


@lru_cache(maxsize=8192)
def _parse_text(value: str) -> float | None:
    """:func:`parse_code` of a text (a response file has few distinct texts; checks ask ~100,000 times)."""
    text = value.strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if math.isnan(number) or math.isinf(number):
        return None
    return number


def parse_code(value: Any) -> float | None:
    """A response value as a number; ``None`` for blanks, NaN/NA and non-numeric text.

    Accepts ints, floats, numeric strings (also with a German decimal comma) and numpy/pandas scalars.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):  # short texts (codes, numbers) are kept; a long text is not a number anyway
        return _parse_text(value) if len(value) <= 40 else _parse_text.__wrapped__(value)
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
    if math.isnan(number) or math.isinf(number):
        return None
    return number


class Condition(BaseModel):
    """A filter: simple (``item`` + ``codes``) or compound (``all_of`` / ``any_of``).

    ``missing_codes`` are the filter item's missing codes (filled in by the loader); a respondent with
    such a code has an unknown filter status.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    item: str | None = None
    codes: frozenset[int] = frozenset()
    missing_codes: frozenset[int] = frozenset()
    all_of: tuple["Condition", ...] = ()
    any_of: tuple["Condition", ...] = ()

    @property
    def is_compound(self) -> bool:
        return self.item is None

    @property
    def items(self) -> tuple[str, ...]:
        """All item ids the condition refers to, in order, without duplicates."""
        if self.item is not None:
            return (self.item,)
        seen: dict[str, None] = {}
        for part in (*self.all_of, *self.any_of):
            for item in part.items:
                seen.setdefault(item, None)
        return tuple(seen)

    def applies(self, row: Mapping[str, object]) -> bool | None:
        """True if the respondent in ``row`` is asked the question, False if not, None if unknown."""
        if self.item is not None:
            number = parse_code(row.get(self.item))
            if number is None or (number.is_integer() and int(number) in self.missing_codes):
                return None
            return number.is_integer() and int(number) in self.codes
        results = [part.applies(row) for part in (self.all_of or self.any_of)]
        if self.all_of:
            if any(result is False for result in results):
                return False
            return None if any(result is None for result in results) else True
        if any(result is True for result in results):
            return True
        return None if any(result is None for result in results) else False

    def describe(self) -> str:
        """German one-line description, e.g. ``opfer_einbruch = 1`` or ``a = 1 und b in (1, 2)``."""
        if self.item is not None:
            codes = sorted(self.codes)
            if len(codes) == 1:
                return f"{self.item} = {codes[0]}"
            return f"{self.item} in ({', '.join(str(code) for code in codes)})"
        joiner = " und " if self.all_of else " oder "
        parts = [
            f"({part.describe()})" if part.is_compound else part.describe()
            for part in (self.all_of or self.any_of)
        ]
        return joiner.join(parts)


Condition.model_rebuild()
