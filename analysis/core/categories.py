"""Category codes: the one normalisation of codes (``1``, ``1.0``, ``"1"`` are one category) and fast
integer codes of a column.

* :func:`category_key`: the comparable key of one value (int for whole numbers, stripped text otherwise);
* :func:`category_text`: the key as text (``"1"``, ``"16-29"``), ``None`` for a missing value;
* :func:`category_keys` / :func:`category_texts`: the same for a whole column, vectorised through
  :func:`factorize` (work per distinct value, not per respondent);
* :func:`factorize`: integer codes (-1 = missing) and the sorted distinct values.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def is_missing(value: Any) -> bool:
    """None, NaN, ``pd.NA`` and ``NaT`` are missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def category_key(value: Any) -> Any:
    """The key of a category code: 1, 1.0, True, "1" and " 1 " are the same category (int); other text
    is stripped; everything else is returned unchanged."""
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    return value


def factorize(values: Any) -> tuple[np.ndarray, list]:
    """Codes (int64, -1 = missing) and sorted unique values, fast for small integer codes and categoricals."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":  # what the Series would hold: no Series
        return _factorize_numbers(values.astype(float))
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy().astype(np.int64)
        present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(series.cat.categories)))
        position = np.full(len(series.cat.categories) + 1, -1, dtype=np.int64)
        position[present] = np.arange(present.size)
        return position[codes], [series.cat.categories[i] for i in present]
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return _factorize_numbers(series.to_numpy(dtype=float))
    codes, uniques = pd.factorize(series, sort=True, use_na_sentinel=True)
    return codes.astype(np.int64), list(uniques)


def _factorize_numbers(numbers: np.ndarray) -> tuple[np.ndarray, list]:
    """Codes and sorted distinct values of a float array (NaN = missing)."""
    nan = np.isnan(numbers)
    finite = numbers[~nan] if nan.any() else numbers
    low = finite.min() if finite.size else 0.0
    span = finite.max() - low if finite.size else 0.0
    if span < 100_000 and np.array_equal(finite, np.floor(finite)):  # small integer codes: O(n) lookup
        offset = np.where(nan, 0, numbers - low).astype(np.int64)
        present = np.flatnonzero(np.bincount(offset[~nan], minlength=int(span) + 1))
        position = np.full(int(span) + 1, -1, dtype=np.int64)
        position[present] = np.arange(present.size)
        return np.where(nan, -1, position[offset]), list(present + low)
    uniques = np.unique(finite)
    return np.where(nan, -1, np.searchsorted(uniques, numbers)), list(uniques)


def category_text(value: Any) -> str | None:
    """The category key as text (``1``, ``1.0`` and ``"1"`` give ``"1"``); ``None`` if missing or blank."""
    if is_missing(value):
        return None
    key = category_key(value)
    text = str(key)
    return text if text != "" else None


def _per_distinct(values: Any, convert) -> np.ndarray:  # noqa: ANN001
    try:
        codes, uniques = factorize(values)
    except TypeError:  # mixed types that do not sort (e.g. 1 and "a"): order does not matter here
        codes, found = pd.factorize(pd.Series(np.asarray(values, dtype=object)), sort=False)
        codes, uniques = codes.astype(np.int64), list(found)
    table = np.array([convert(u) for u in uniques] + [None], dtype=object)
    return table[codes]  # code -1 (missing) picks the trailing None


def category_keys(values: Any) -> np.ndarray:
    """:func:`category_key` of every value (object array; ``None`` where missing)."""
    return _per_distinct(values, lambda u: None if is_missing(u) else category_key(u))


def category_texts(values: Any) -> np.ndarray:
    """:func:`category_text` of every value (object array; ``None`` where missing)."""
    return _per_distinct(values, category_text)
