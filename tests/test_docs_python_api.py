"""docs/python-api.md runs as written, prints what it shows, and its numbers are the profile's.

Every ```python block is executed in order in one namespace (from the repository root); the ```text
block after it must equal what the block printed. The objects the example builds are then compared
with the toolkit's own ``profil.json`` of the same commune (``survey.profile_builder.build_profile``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

from survey.folder import load_folder
from survey.profile_builder import build_profile

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "python-api.md"


def blocks() -> list[tuple[str, str | None]]:
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"```(python|text)\n(.*?)```", text, re.S)
    out: list[tuple[str, str | None]] = []
    for kind, body in found:
        if kind == "python":
            out.append((body, None))
        else:
            assert out and out[-1][1] is None, "a text block must follow a python block"
            out[-1] = (out[-1][0], body)
    return out


@pytest.fixture(scope="module")
def example():
    namespace: dict = {}
    printed = []
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        for code, expected in blocks():
            stream = io.StringIO()
            with contextlib.redirect_stdout(stream):
                exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
            printed.append((stream.getvalue(), expected))
    finally:
        os.chdir(cwd)
    return namespace, printed


@pytest.fixture(scope="module")
def profile():
    return build_profile(load_folder(ROOT / "sample_data" / "eichenstedt"))


def test_every_block_prints_what_the_document_shows(example):
    _, printed = example
    assert len(printed) == 4
    for got, expected in printed:
        assert expected is not None
        assert [line.rstrip() for line in got.splitlines()] == [line.rstrip() for line in expected.splitlines()]


def _record(profile, indicator, by=None, group=None):
    if by is None:
        return next(r for r in profile["indicators"] if r["id"] == indicator)
    return next(r for r in profile["breakdowns"]["records"]
                if r["id"] == indicator and r["by"] == by and r["group"] == group)


def test_numbers_are_the_profile_values(example, profile):
    ns, _ = example
    assert ns["survey"].weighting.weights_sum == pytest.approx(profile["weighting"]["weights_sum"], rel=1e-12)
    night, record = ns["night"][None], _record(profile, "unsicher_nachts")
    for key in ("estimate", "se", "ci_low", "ci_high", "n", "deff"):
        assert getattr(night, key) == pytest.approx(record[key], rel=1e-10), key
    for row in ns["by_ortsteil"]:
        want = _record(profile, "unsicher_nachts", "ortsteil", row.group)
        assert (row.estimate, row.ci_low, row.ci_high, row.n) == pytest.approx(
            (want["estimate"], want["ci_low"], want["ci_high"], want["n"]), rel=1e-10)
        assert row.flag == want["flag"]
    assert ns["fear"].estimate == pytest.approx(_record(profile, "furcht_index")["estimate"], rel=1e-10)
    women = ns["women"].indicator(ns["specs"]["furcht_index"])[None]
    want = _record(profile, "furcht_index", "geschlecht", "2")
    assert (women.estimate, women.se, women.n) == pytest.approx((want["estimate"], want["se"], want["n"]), rel=1e-10)


def test_suppression_is_the_profiles_and_raw_keeps_the_flag(example, profile):
    ns, _ = example
    want = _record(profile, "unsicher_nachts", "geschlecht", "3")
    policy, raw = ns["by_sex"]["3"], ns["raw_by_sex"]["3"]
    assert want["estimate"] is None and want["flag"] == "unterdrueckt"
    assert policy.estimate is None and policy.flag == want["flag"] and policy.n == want["n"]
    assert raw.estimate is not None and raw.flag == "unterdrueckt" and raw.n == want["n"]
    shown = ns["raw_by_sex"]["2"]
    assert shown.estimate == pytest.approx(_record(profile, "unsicher_nachts", "geschlecht", "2")["estimate"], rel=1e-10)


def test_hotspot_estimates_are_the_profiles_breakdown_values(example, profile):
    ns, _ = example
    hotspot = next(f for f in ns["findings"] if f.id == "hotspot:problem_gross_muell:ortsteil:2")
    group = next(e for e in hotspot.estimates if e.role == "group")
    assert group.value == pytest.approx(_record(profile, "problem_gross_muell", "ortsteil", "2")["estimate"], rel=1e-10)
