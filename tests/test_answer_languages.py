"""Answers in several languages: the same variables, answer languages in the sample chapter (small-cell
rule), and indicators by answer language only where each compared language has enough respondents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.core.flags import MIN_N_RELIABLE, comparable_groups, suppress_counts
from survey.profile_builder import write_profile
from survey.report.render import render_reports
from survey.resources import sample_data_dir


def test_counts_under_ten_are_hidden_and_a_single_hidden_cell_takes_the_next_smallest_with_it():
    assert suppress_counts({"de": 500, "pl": 40, "cs": 12}) == {"de": 500, "pl": 40, "cs": 12}
    assert suppress_counts({"de": 500, "pl": 40, "cs": 12, "ar": 3}) == {"de": 500, "pl": 40, "cs": None, "ar": None}
    assert suppress_counts({"de": 500, "cs": 4, "ar": 3}) == {"de": 500, "cs": None, "ar": None}
    assert suppress_counts({"de": 5}) == {"de": None}


def test_groups_are_compared_only_with_two_or_more_large_enough_ones():
    assert comparable_groups({"de": 300, "pl": MIN_N_RELIABLE, "cs": MIN_N_RELIABLE - 1}) == ["de", "pl"]
    assert comparable_groups({"de": 300, "pl": MIN_N_RELIABLE - 1}) == []


def _with_languages(folder: Path, shares: dict[str, float]) -> None:
    rng = np.random.default_rng(17)
    for path in sorted(folder.glob("responses*.csv")):
        raw = path.read_bytes()
        encoding = "utf-8" if raw.startswith(b"\xef\xbb\xbf") or _utf8(raw) else "cp1252"
        first = raw.split(b"\n", 1)[0]
        sep = ";" if first.count(b";") > first.count(b",") else ","
        data = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, sep=sep)
        data["sprache"] = rng.choice(list(shares), size=len(data), p=list(shares.values()))
        data.to_csv(path, index=False, encoding=encoding, sep=sep)


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("sprachen") / "grenzbach"
    shutil.copytree(sample_data_dir() / "grenzbach", target)
    plain = tmp_path_factory.mktemp("deutsch") / "grenzbach"
    shutil.copytree(sample_data_dir() / "grenzbach", plain)
    write_profile(plain)
    _with_languages(target, {"de": 0.75, "pl": 0.17, "cs": 0.06, "ar": 0.02})
    write_profile(target)
    render_reports(target)
    return target, plain


def _profile(folder: Path) -> dict:
    return json.loads((folder / "ergebnis" / "profil.json").read_text(encoding="utf-8"))


def test_languages_change_no_estimate_and_add_a_sprache_breakdown(multilingual):
    target, plain = multilingual
    with_languages, german = _profile(target), _profile(plain)
    # the same variables, the same numbers (to rounding: the rewritten files change the order of sums)
    assert [r["id"] for r in with_languages["indicators"]] == [r["id"] for r in german["indicators"]]
    for ours, theirs in zip(with_languages["indicators"], german["indicators"]):
        for key, value in theirs.items():
            if isinstance(value, float):
                assert ours[key] == pytest.approx(value, rel=1e-12, abs=1e-14), (ours["id"], key)
            else:
                assert ours[key] == value, (ours["id"], key)
    variables = {v["id"]: v for v in with_languages["breakdowns"]["variables"]}
    assert "sprache" not in {v["id"] for v in german["breakdowns"]["variables"]}
    counts = {code: n for code, n in with_languages["sample"]["languages"].items()}
    assert [g["code"] for g in variables["sprache"]["groups"]] == [c for c in ("de", "pl") if counts[c] and counts[c] >= MIN_N_RELIABLE]
    assert [g["label"] for g in variables["sprache"]["groups"]] == ["Deutsch", "Polnisch"]
    assert counts["cs"] is None and counts["ar"] is None  # ar < 10, cs hidden with it
    records = [r for r in with_languages["breakdowns"]["records"] if r["by"] == "sprache"]
    assert {r["group"] for r in records} == {"de", "pl"}


def test_the_sample_chapter_names_the_languages_and_the_comparison_table(multilingual):
    target, _ = multilingual
    html = (target / "ergebnis" / "bericht.html").read_text(encoding="utf-8")
    counts = _profile(target)["sample"]["languages"]
    assert f"Geantwortet haben {counts['de']} auf Deutsch und {counts['pl']} auf Polnisch." in html
    assert "Für Tschechisch und Arabisch wird die Zahl nicht ausgewiesen" in html
    assert "Ausgewählte Indikatoren nach Antwortsprache" in html
    assert f"Verglichen werden nur Sprachen mit mindestens {MIN_N_RELIABLE} Befragten." in html
