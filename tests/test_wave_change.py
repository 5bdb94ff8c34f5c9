"""Change since the earlier wave (issue 12, point 5): vorwelle reading, refusals, the change findings
against a hand computation, the Lagebericht chapter."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.stats import norm

from survey.cli import cli
from survey.errors import ConfigError
from survey.folder import load_folder
from survey.profile_builder import build_profile
from survey.report.lagebericht.profile import ReportProfile
from survey.report.lagebericht.waves import change_chapter
from survey.waves import check_previous_wave, load_previous_wave

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "wendelstadt-2027"
PREVIOUS = SAMPLE / "vorwelle" / "profil-2025.json"


@pytest.fixture(scope="module")
def profile() -> dict:
    return build_profile(load_folder(SAMPLE))


def _holm(p: list[float]) -> list[float]:
    order = np.argsort(p)
    m, out, running = len(p), [0.0] * len(p), 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[index]))
        out[index] = running
    return out


def _bh(p: list[float]) -> list[float]:
    order = np.argsort(p)[::-1]
    m, out, running = len(p), [0.0] * len(p), 1.0
    for rank, index in enumerate(order):
        running = min(running, p[index] * m / (m - rank))
        out[index] = running
    return out


def _hand(profile: dict, previous: dict, by: str | None):
    """(key -> (difference, se, p)) from the two profiles' records, by hand."""
    now = profile["indicators"] if by is None else [r for r in profile["breakdowns"]["records"] if r["by"] == by]
    then = previous["indicators"] if by is None else [r for r in previous["breakdowns"]["records"] if r["by"] == by]
    then = {(r["id"], r.get("group")): r for r in then}
    out = {}
    for r in now:
        old = then.get((r["id"], r.get("group")))
        if old is None or r["estimate"] is None or old["estimate"] is None or not r.get("core"):
            continue
        diff = r["estimate"] - old["estimate"]
        se = math.sqrt(r["se"] ** 2 + old["se"] ** 2)
        out[(r["id"], r.get("group"))] = (diff, se, 2 * norm.sf(abs(diff / se)))
    return out


def test_change_equals_hand_computation(profile):
    previous = json.loads(PREVIOUS.read_text(encoding="utf-8"))
    change = profile["change"]
    assert change["previous"] == {"label": "2025", "jahr": 2025, "file": "vorwelle/profil-2025.json"}
    overall = {f["subject"]: f for f in change["findings"] if f["by"] is None}
    hand = _hand(profile, previous, None)
    assert set(overall) == {r["id"] for r in profile["indicators"] if r["core"]}
    keys = sorted(k for k in hand if k[0] in overall)
    holm = dict(zip(keys, _holm([hand[k][2] for k in keys])))
    for key in keys:
        finding = overall[key[0]]
        diff, se, p = hand[key]
        assert finding["effect"]["value"] == pytest.approx(diff, abs=1e-12)
        assert finding["test"]["statistic"] == pytest.approx(diff / se, rel=1e-10)
        assert finding["test"]["p"] == pytest.approx(p, rel=1e-8)
        assert finding["p_adjusted"] == pytest.approx(holm[key], rel=1e-8)
        assert finding["adjustment"] == "holm" and finding["family_size"] == len(keys)
        low, high = diff - norm.ppf(0.975) * se, diff + norm.ppf(0.975) * se
        assert (finding["effect"]["ci_low"], finding["effect"]["ci_high"]) == pytest.approx((low, high), rel=1e-9)
    # the Ortsteil values between the waves: a screen, Benjamini-Hochberg over all tested cells
    local = {(f["subject"], f["group"]): f for f in change["findings"] if f["by"] == "ortsteil" and f["test"]}
    hand = _hand(profile, previous, "ortsteil")
    keys = sorted(local)
    assert keys and set(keys) <= set(hand)
    bh = dict(zip(keys, _bh([hand[k][2] for k in keys])))
    for key in keys:
        assert local[key]["p_adjusted"] == pytest.approx(bh[key], rel=1e-8)
        assert local[key]["adjustment"] == "bh"


def test_chapter_says_what_changed(profile, tmp_path):
    change = profile["change"]
    rp = ReportProfile(profile)
    section = change_chapter(rp)
    text = " ".join(getattr(b, "text", "") for b in section.blocks)
    assert section.heading == "Veränderungen seit 2025"
    assert "Holm-Korrektur" in text
    changed = [f for f in change["findings"] if f["by"] is None and f["strength"] != "none"]
    for f in change["findings"]:
        if f["by"] is None and f["test"] and f["strength"] == "none":
            assert f"»{rp.indicator(f['subject']).label}«: gesunken" not in text
    for f in changed:
        verb = "gestiegen" if f["direction"] == "higher" else "gesunken"
        assert f"»{rp.indicator(f['subject']).label}«: {verb} von" in text
    table = next(b for b in section.blocks if getattr(b, "caption", "") == "Kernindikatoren 2025 und 2027")
    row = next(r for r in table.rows if r[0] == rp.indicator("unsicher_nachts").label)
    assert row[-1] == "nicht erkennbar verändert" or row[-1] in ("gestiegen", "gesunken")
    assert "Holm" in table.note
    recs = next(b for b in section.blocks if getattr(b, "caption", "").startswith("Empfehlungen von 2025"))
    assert len(recs.rows) == len(json.loads(PREVIOUS.read_text(encoding="utf-8"))["recommendations"])


def test_clear_drop_is_phrased_as_drop(tmp_path):
    """A previous wave where nights felt far less safe: the drop is a finding and the text says so."""
    folder = tmp_path / "w"
    shutil.copytree(SAMPLE, folder)
    data = json.loads(PREVIOUS.read_text(encoding="utf-8"))
    record = next(r for r in data["indicators"] if r["id"] == "unsicher_nachts")
    record.update(estimate=0.62, ci_low=0.57, ci_high=0.67)
    data["recommendations"][0].pop("evidence")
    data["recommendations"][0]["evidence"] = []
    (folder / "vorwelle" / "profil-2025.json").write_text(json.dumps(data), encoding="utf-8")
    profile = build_profile(load_folder(folder))
    finding = next(f for f in profile["change"]["findings"] if f["id"] == "change:2025-2027:unsicher_nachts")
    assert finding["strength"] in ("clear", "strong") and finding["direction"] == "lower" and finding["worse"] is False
    text = " ".join(getattr(b, "text", "") for b in change_chapter(ReportProfile(profile)).blocks)
    assert "»fühlt sich nachts in der Wohngegend unsicher«: gesunken von 62,0\u00a0% (2025) auf" in text
    outcome = profile["change"]["recommendations"]
    assert outcome[0]["movement"] == "no_indicator"
    nights = [o for o in outcome if o["indicator"] == "unsicher_nachts"]
    assert nights and all(o["movement"] == "improved" for o in nights)


def _previous_with(tmp_path: Path, **changes) -> Path:
    data = json.loads(PREVIOUS.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        data[section][key] = value
    path = tmp_path / "alt.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("changes, message", [
    ({"commune__ags": "14599010"}, "gehört zu einer anderen Kommune (AGS 14599010"),
    ({"questionnaire__core_version": "2"}, "mit Kernfragen der Version 2 erhoben, diese Welle mit Version 1"),
    ({"wave__jahr": 2027, "wave__label": "2027"}, "dieselbe Welle wie diese (2027, Jahr 2027)"),
    ({"wave__jahr": 2029, "wave__label": "2029"}, "liegt nach dieser Welle (2027)"),
])
def test_refused_waves(tmp_path, changes, message):
    previous = load_previous_wave(_previous_with(tmp_path, **changes))
    with pytest.raises(ConfigError) as error:
        check_previous_wave(previous, ags="14599030", year=2027, label="2027", core_version="1")
    assert message in str(error.value) and "alt.json" in str(error.value)


def test_broken_and_missing_files(tmp_path):
    broken = tmp_path / "kaputt.json"
    broken.write_text('{"indicators": [', encoding="utf-8")
    with pytest.raises(ConfigError, match="kein gültiges JSON"):
        load_previous_wave(broken)
    with pytest.raises(ConfigError, match="existiert nicht"):
        load_previous_wave(tmp_path / "fehlt.json")
    other = tmp_path / "anders.json"
    other.write_text('{"kommune": "x"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="ist kein Profil"):
        load_previous_wave(other)
    bad = json.loads(PREVIOUS.read_text(encoding="utf-8"))
    bad["indicators"][0]["se"] = "0,1"
    path = tmp_path / "zahl.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"Indikator Nr\. 1 \(unsicher_nachts\) hat in »se« keinen Zahlenwert"):
        load_previous_wave(path)


def test_every_command_refuses_a_foreign_wave(tmp_path):
    folder = tmp_path / "w"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("ergebnis"))
    data = json.loads(PREVIOUS.read_text(encoding="utf-8"))
    data["commune"]["ags"] = "14599050"
    (folder / "vorwelle" / "profil-2025.json").write_text(json.dumps(data), encoding="utf-8")
    for command in ("pruefen", "analysieren"):
        result = CliRunner().invoke(cli, [command, str(folder)])
        assert result.exit_code == 1, result.output
        assert "profil-2025.json" in result.output and "anderen Kommune (AGS 14599050" in result.output
        assert "Traceback" not in result.output
    assert not (folder / "ergebnis").exists()
