"""analysis.core.multiple_testing.adjust against R's p.adjust (tests/reference/p_adjust.json, written by
tests/reference/p_adjust.R) and against the defining properties of Holm and Benjamini-Hochberg."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from analysis.core.multiple_testing import adjust, canonical_method, expected_by_chance

REFERENCE = json.loads((Path(__file__).parent / "reference" / "p_adjust.json").read_text(encoding="utf-8"))
CASES = [name for name in REFERENCE if name != "r_version"]


def _values(xs):
    if not isinstance(xs, list):  # jsonlite writes a length-one vector as a scalar
        xs = [xs]
    return [math.nan if x is None else x for x in xs]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("method", ["holm", "BH"])
def test_equals_r_p_adjust(case, method):
    data = REFERENCE[case]
    p = [None if x is None else x for x in (data["p"] if isinstance(data["p"], list) else [data["p"]])]
    expected = np.array(_values(data[method]), dtype=float)
    got = np.array(adjust(p, method))
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    ok = ~np.isnan(expected)
    assert np.max(np.abs(got[ok] - expected[ok])) < 1e-13


def test_holm_by_hand_and_bh_step_up_by_hand():
    p = [0.01, 0.04, 0.03, 0.005]
    # Holm: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 -> 0.02, 0.03, 0.06, 0.04 -> running max
    assert adjust(p, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # BH: sorted descending 0.04, 0.03, 0.01, 0.005 times 4/4, 4/3, 4/2, 4/1 -> running min
    assert adjust(p, "BH") == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_aliases_and_errors():
    assert canonical_method("fdr") == "bh" and canonical_method("BH") == "bh" and canonical_method("Holm") == "holm"
    assert canonical_method("BY") == "by"
    with pytest.raises(ValueError, match="Unbekanntes Verfahren"):
        adjust([0.1], "sidak")
    with pytest.raises(ValueError, match="zwischen 0 und 1"):
        adjust([1.2], "holm")
    assert len(adjust([], "BH")) == 0


def test_expected_by_chance():
    assert expected_by_chance(160, 0.95) == pytest.approx(8.0)
    assert expected_by_chance(160, 0.998) == pytest.approx(0.32)
