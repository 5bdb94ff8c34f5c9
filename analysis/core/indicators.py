"""Declarative indicators and indices as plain specifications, and their respondent-level values.

The questionnaire (``survey.questionnaire``) translates its YAML definitions into these specs, so the
engine never sees the questionnaire model and has no item names hard-wired. Estimating an indicator is
then an ordinary design-based proportion or mean of the values computed here.

Missing values: a response counts as valid for an item only if its code is in the item's valid codes;
missing codes (8 weiß nicht, 9 keine Angabe) and blanks are missing (DESIGN.md §4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Domain:
    """Respondents whose ``item`` has one of ``codes`` (e.g. victims: opfer_einbruch = 1)."""

    item: str
    codes: frozenset[int]


@dataclass(frozen=True)
class ShareIndicator:
    """Share of respondents with one of ``codes`` among those with a valid answer to ``item``.

    With ``among`` the share is taken within that domain (e.g. the reporting rate among victims).
    """

    id: str
    label: str
    item: str
    codes: frozenset[int]
    valid_codes: frozenset[int]
    among: Domain | None = None
    core: bool = False


@dataclass(frozen=True)
class AnyOfIndicator:
    """1 if any of ``items`` has one of ``codes``; 0 if all have one of ``negative_codes``; else missing.

    Example: ``opfer_12m_irgendein`` (victim of any of the five offences).
    """

    id: str
    label: str
    items: tuple[str, ...]
    codes: frozenset[int]
    negative_codes: frozenset[int]
    core: bool = False


@dataclass(frozen=True)
class MeanIndex:
    """Mean of the valid answers to ``items`` if at least ``min_valid`` are valid; else missing."""

    id: str
    label: str
    items: tuple[str, ...]
    valid_codes: frozenset[int]
    min_valid: int
    core: bool = False


IndicatorSpec = Union[ShareIndicator, AnyOfIndicator, MeanIndex]


def is_share(spec: IndicatorSpec) -> bool:
    """Proportions (0/1 values) are estimated with proportion intervals; indices as means."""
    return not isinstance(spec, MeanIndex)


def _codes(frame: pd.DataFrame, item: str, columns: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Item column as float array (NaN for blanks); a column absent from the data is all missing.
    ``columns``: arrays converted before (filled here), for many indicators on the same items."""
    if columns is not None and item in columns:
        return columns[item]
    if item not in frame.columns:
        codes = np.full(len(frame), np.nan)
    else:
        codes = pd.to_numeric(frame[item], errors="coerce").to_numpy(dtype=float)
    if columns is not None:
        codes.flags.writeable = False
        columns[item] = codes
    return codes


def _member(values: np.ndarray, codes: frozenset[int]) -> np.ndarray:
    return np.isin(values, np.fromiter(codes, dtype=float)) if codes else np.zeros(len(values), bool)


def indicator_values(frame: pd.DataFrame, spec: IndicatorSpec,
                     columns: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Respondent values of ``spec`` and the domain mask.

    Returns ``(values, domain)``: ``values`` is float with NaN where missing (0/1 for shares, the
    item mean for indices); ``domain`` is a boolean mask of the respondents the estimate refers to
    (all True unless the indicator has an ``among`` condition). Estimation uses the respondents in
    the domain with a non-missing value, as a domain of the full design. ``columns``: a dict that keeps
    the converted item columns between calls on the same ``frame`` (see :func:`_codes`).
    """
    n = len(frame)
    domain = np.ones(n, dtype=bool)
    if isinstance(spec, ShareIndicator):
        codes = _codes(frame, spec.item, columns)
        valid = _member(codes, spec.valid_codes)
        values = np.where(valid, _member(codes, spec.codes).astype(float), np.nan)
        if spec.among is not None:
            domain = _member(_codes(frame, spec.among.item, columns), spec.among.codes)
        return values, domain
    if isinstance(spec, AnyOfIndicator):
        positive = np.zeros(n, dtype=bool)
        all_negative = np.ones(n, dtype=bool)
        for item in spec.items:
            codes = _codes(frame, item, columns)
            positive |= _member(codes, spec.codes)
            all_negative &= _member(codes, spec.negative_codes)
        values = np.where(positive, 1.0, np.where(all_negative, 0.0, np.nan))
        return values, domain
    if isinstance(spec, MeanIndex):
        matrix = np.column_stack([_codes(frame, item, columns) for item in spec.items]) if spec.items else np.empty((n, 0))
        valid = _member(matrix.ravel(), spec.valid_codes).reshape(matrix.shape)
        count = valid.sum(axis=1)
        total = np.where(valid, matrix, 0.0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(count >= spec.min_valid, total / np.maximum(count, 1), np.nan)
        return values, domain
    raise TypeError(f"unknown indicator spec {type(spec).__name__}")
