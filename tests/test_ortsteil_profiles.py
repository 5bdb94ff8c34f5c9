"""Ortsteil profiles (issue 12, point 1) on a commune nobody has seen: the less safe Ortsteil is named,
a calm one is not, a tiny one is shown as having too few answers, pooling by analyse.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sample_data.generate import generate_commune
from sample_data.specs import CommuneSpec, OrtsteilSpec
from survey.cli import cli
from survey.folder import load_folder
from survey.profile_builder import build_profile
from survey.report.lagebericht.build import build_lagebericht
from survey.report.lagebericht.profile import ReportProfile

SPEC = CommuneSpec(
    slug="talheim", kommune="Talheim", ags="14599077", einwohner=9800,
    ortsteile=(OrtsteilSpec(1, "Oberdorf", 0.46), OrtsteilSpec(2, "Hafenviertel", 0.27, disorder=1.6),
               OrtsteilSpec(3, "Mühlgrund", 0.24), OrtsteilSpec(4, "Klause", 0.03, response=-2.5)),
    brutto=1500, response_rate=0.35, seed=91, pks_seed=91)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return generate_commune(SPEC, tmp_path_factory.mktemp("talheim") / "talheim", questionnaire=None)


def _texts(section) -> str:
    out = []
    for block in section.blocks:
        if hasattr(block, "blocks"):
            out.append(_texts(block))
        out.append(getattr(block, "text", ""))
        out.extend(getattr(block, "items", ()))
    return " ".join(out)


def test_less_safe_ortsteil_is_named(folder):
    profile = build_profile(load_folder(folder))
    block = profile["ortsteil_profiles"]
    assert block["adjustment"] == "bh" and block["kind"] == "hotspot"
    groups = {g["label"]: g for g in block["groups"]}
    hafen = groups["Hafenviertel"]
    worse = [f for f in hafen["findings"] if f["strength"] in ("clear", "strong") and f["worse"]]
    assert any(f["subject"].startswith("problem_gross_") for f in worse)
    chapter = next(s for s in build_lagebericht(ReportProfile(profile)).sections if s.id == "ortsteilprofile")
    sections = {s.heading: s for s in chapter.blocks if hasattr(s, "heading")}
    assert "Deutlich ungünstiger als im Rest von Talheim:" in _texts(sections["Hafenviertel"])
    for name, group in groups.items():
        standouts = [f for f in group["findings"] if f["strength"] in ("clear", "strong")]
        text = _texts(sections[name])
        if group["too_few"]:
            assert "zu wenige Antworten" in text and "Deutlich" not in text
        elif not standouts:
            assert "Deutlich" not in text and "unterscheidet sich bei keinem" in text
        for f in group["findings"]:  # a weak or absent finding is never named as standing out
            if f["strength"] in ("none", "weak"):
                label = ReportProfile(profile).indicator(f["subject"]).label
                assert f"{label}: " not in text or any(g["subject"] == f["subject"] for g in standouts)
    klause = groups["Klause"]
    assert klause["too_few"] and klause["respondents"] is None



def test_an_ortsteil_named_like_the_commune_is_compared_with_the_other_ortsteile(folder):
    """»Grenzbach: deutlich ungünstiger als im Rest von Grenzbach« compared the place with itself."""
    from survey.report.lagebericht.build import build_kurzbericht
    from survey.report.lagebericht.ortsteile import rest_words

    profile = build_profile(load_folder(folder))
    assert rest_words(ReportProfile(profile)).in_rest == "im Rest von Talheim"
    for group in profile["ortsteil_profiles"]["groups"]:
        if group["label"] == "Hafenviertel":
            group["label"] = "Talheim"
    rp = ReportProfile(profile)
    chapter = next(s for s in build_lagebericht(rp).sections if s.id == "ortsteilprofile")
    sections = {s.heading: s for s in chapter.blocks if hasattr(s, "heading")}
    text = _texts(sections["Talheim"])
    assert "Deutlich ungünstiger als in den übrigen Ortsteilen:" in text and "Rest von Talheim" not in text
    assert chapter.blocks[0].text.startswith("Jeder Ortsteil wird mit den übrigen Ortsteilen verglichen")
    figure = next(b for b in sections["Talheim"].blocks if getattr(b, "kind", None) == "figure")
    assert figure.caption.startswith("Talheim und übrige Ortsteile:")
    def strings(node) -> list[str]:
        found = [node.text] if isinstance(getattr(node, "text", None), str) else []
        found += [i for i in getattr(node, "items", ()) if isinstance(i, str)]
        for child in (*getattr(node, "blocks", ()), *getattr(node, "sections", ())):
            found += strings(child)
        return found

    kurz = " ".join(strings(build_kurzbericht(rp)))
    assert "Talheim: deutlich ungünstiger als in den übrigen Ortsteilen bei" in kurz

def test_pooling(folder, tmp_path):
    config = folder / "analyse.yaml"
    original = config.read_text(encoding="utf-8")
    try:
        config.write_text(original + "ortsteilprofile:\n  zusammenfassen: {Mühlgrund und Klause: [3, 4]}\n",
                          encoding="utf-8")
        profile = build_profile(load_folder(folder))
        groups = {g["label"]: g for g in profile["ortsteil_profiles"]["groups"]}
        assert set(groups) == {"Oberdorf", "Hafenviertel", "Mühlgrund und Klause"}
        pooled = groups["Mühlgrund und Klause"]
        assert pooled["members"] == ["3", "4"] and pooled["pooled"] and not pooled["too_few"]
        text = _texts(next(s for s in build_lagebericht(ReportProfile(profile)).sections if s.id == "ortsteilprofile"))
        assert "Auf Wunsch der Kommune zusammengefasst: Mühlgrund und Klause (Mühlgrund und Klause)." in text
    finally:
        config.write_text(original, encoding="utf-8")


@pytest.mark.parametrize("pools, message", [
    ("{Nord: [3, 9]}", "»Nord« nennt Ortsteil 9, den es unter »ortsteile« nicht gibt"),
    ("{Nord: [3]}", "»Nord« fasst 1 Ortsteil zusammen; nötig sind mindestens zwei"),
    ("{Nord: [3, 4], Sued: [4, 1]}", "Ortsteil 4 steht in »Nord« und in »Sued«"),
])
def test_pooling_errors(folder, pools, message):
    config = folder / "analyse.yaml"
    original = config.read_text(encoding="utf-8")
    try:
        config.write_text(original + f"ortsteilprofile:\n  zusammenfassen: {pools}\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["pruefen", str(folder)])
        assert result.exit_code == 1 and message in result.output and "analyse.yaml" in result.output
    finally:
        config.write_text(original, encoding="utf-8")
