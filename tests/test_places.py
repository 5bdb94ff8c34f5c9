"""analysis.profile.places: counts and design-based shares of coded free-text mentions, with disclosure."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.core import estimation
from analysis.core.design import make_design
from analysis.profile.places import CategoryInput, CodingInput, ReasonItem, TimeItem, summarise_coding


@pytest.fixture()
def design():
    rng = np.random.default_rng(3)
    strata = np.repeat([1, 2], [120, 80])
    return make_design(strata=strata, fpc={1: 2000.0, 2: 1000.0}, weights=None).with_weights(
        np.where(strata == 1, 2000 / 120, 1000 / 80) * rng.uniform(0.7, 1.3, 200))


def _mask(n, idx):
    m = np.zeros(n, dtype=bool)
    m[list(idx)] = True
    return m


def test_shares_counts_when_and_why(design):
    n = design.n
    bahnhof = _mask(n, range(0, 40))
    park = _mask(n, range(30, 45))  # 15, overlapping: a respondent may name two places
    rare = _mask(n, range(100, 106))  # 6: never named
    rare2 = _mask(n, range(104, 110))  # 6, overlapping the first rare one
    mentioned = bahnhof | park | rare | rare2 | _mask(n, range(150, 160))
    uncoded = _mask(n, range(150, 160))
    time = np.full(n, np.nan)
    time[:40] = np.tile([1.0, 2.0, 2.0, 3.0], 10)
    time[5] = 9.0  # keine Angabe → missing
    light = np.full(n, np.nan)
    light[:45] = (np.arange(45) % 3 == 0).astype(float)
    coding = CodingInput(
        "angstraum_ort", "Wo?", True, mentioned, uncoded,
        (CategoryInput("Stadtpark", park, "1", "Mitte"),
         CategoryInput("Unterführung am Bahnhof", bahnhof, "2", "Am Bahnhof", 51.1, 13.2),
         CategoryInput("Friedhofsweg", rare), CategoryInput("Teich", rare2)),
        TimeItem("angstraum_zeit", "Wann?", time, ((1, "tagsüber"), (2, "abends"), (3, "immer"))),
        (ReasonItem("angstraum_gruende_1", "schlechte Beleuchtung", light),), "Warum?")
    summary = summarise_coding(design, coding)
    assert [c.name for c in summary.categories] == ["Unterführung am Bahnhof", "Stadtpark"]  # by mentions
    top = summary.categories[0]
    w = design.weights
    assert top.mentions == 40
    assert top.share.estimate == pytest.approx(w[:40].sum() / w.sum(), abs=1e-12)
    expected = estimation.proportion(design, bahnhof.astype(float))
    assert (top.share.se, top.share.ci_low, top.share.ci_high) == (expected.se, expected.ci_low, expected.ci_high)
    assert top.share.n == n and top.share.flag == "ok"
    assert (top.ortsteil, top.ortsteil_label, top.lat, top.lon) == ("2", "Am Bahnhof", 51.1, 13.2)
    # when: among those naming the Bahnhof with a valid answer (39: one said »keine Angabe«)
    valid = _mask(n, [i for i in range(40) if i != 5])
    evening = np.isin(np.arange(n), [i for i in range(40) if time[i] == 2])
    assert [t.id for t in top.time] == ["1", "2", "3"]
    assert top.time[1].n == 39
    assert top.time[1].estimate == pytest.approx(w[evening].sum() / w[valid].sum(), abs=1e-12)
    assert sum(t.estimate for t in top.time) == pytest.approx(1.0)
    reason = top.reasons[0]
    named = (np.arange(n) < 40) & (light == 1)
    assert reason.estimate == pytest.approx(w[named].sum() / w[:40].sum(), abs=1e-12)
    # the park: 15 mentions → shown, but unreliable; its »when« rests on 10 answers → shown (unreliable)
    park_summary = summary.categories[1]
    assert (park_summary.share.flag, park_summary.share.flag_reason) == ("unsicher", "few_mentions_reliable")
    assert park_summary.time[0].n == 10
    # rare places are pooled: 2 categories, 10 respondents naming one of them (6 + 6 − 2 overlapping)
    assert summary.other.categories == 2 and summary.other.mentions == 10
    assert summary.other.share.estimate == pytest.approx(w[100:110].sum() / w.sum(), abs=1e-12)
    assert summary.uncoded.mentions == 10 and summary.mentioning.mentions == int(mentioned.sum())


def test_small_counts_are_suppressed_everywhere(design):
    n = design.n
    few = _mask(n, range(9))
    coding = CodingInput("wuensche", "Was?", False, few, _mask(n, range(3)), (CategoryInput("Mehr Licht", few),))
    summary = summarise_coding(design, coding)
    assert summary.categories == ()
    assert summary.other.categories == 1 and summary.other.mentions is None
    for pool in (summary.other, summary.uncoded, summary.mentioning):
        share = pool.share
        assert share.flag == "unterdrueckt" and share.estimate is None and share.ci_low is None and share.se is None
    assert summary.uncoded.mentions is None


def test_domain_estimates_below_ten_answers_are_suppressed(design):
    n = design.n
    ten = _mask(n, range(10))
    time = np.full(n, np.nan)
    time[:9] = 2.0  # one of the ten did not answer »when«
    coding = CodingInput("angstraum_ort", "Wo?", True, ten, np.zeros(n, bool), (CategoryInput("Park", ten),),
                         TimeItem("angstraum_zeit", "Wann?", time, ((1, "a"), (2, "b"))))
    summary = summarise_coding(design, coding)
    park = summary.categories[0]
    assert park.mentions == 10 and park.share.flag == "unsicher"
    assert all(t.flag == "unterdrueckt" and t.estimate is None for t in park.time)


def test_masks_must_match_the_design(design):
    with pytest.raises(ValueError, match="shape"):
        summarise_coding(design, CodingInput("x", "x", False, np.zeros(3, bool), np.zeros(design.n, bool)))
