"""Issue 11 acceptance: on every sample commune, no sentence of the Lagebericht, the Kurzbericht or the
recommendations calls a difference clear, large or a lead, or a trend rising/falling, or the commune
above/below the Landkreis, without a finding of the engine that supports it at the adjusted level;
and no sentence calls an association a cause.

Each claim sentence carries the ids of the findings it phrases (``claims.Sentence.finding_ids``); the
test checks that every such sentence has ids and that every id is a finding of the profile whose
strength is not ``none``.
"""

from __future__ import annotations

import dataclasses
import re
import shutil

import pytest

from survey.folder import load_folder
from survey.profile_builder import build_profile
from survey.report.lagebericht.build import build_kurzbericht, build_lagebericht
from survey.report.lagebericht.claims import claims_of
from survey.report.lagebericht.profile import ReportProfile
from survey.resources import sample_data_dir

COMMUNES = sorted(p.parent.name for p in sample_data_dir().glob("*/analyse.yaml"))

CLAIM = re.compile(
    r"\b(deutlich|erheblich|etwas)\s+(höher|niedriger|mehr|weniger|häufiger|seltener)\b"
    r"|\bam\s+(höchsten|größten|häufigsten|stärksten|niedrigsten)\b|\bgrößtes? Problem"
    r"|\b(gestiegen|gesunken)\b|\bliegt um .{1,12} (über|unter) der\b|gesichertem Abstand"
    r"|statistisch gesichert mit|hängt vom Delikt ab|unterscheiden sich die Gruppen statistisch gesichert"
    r"|\bsticht\b", re.IGNORECASE)
# leaders without a supported lead (survey.report.lagebericht.claims.UNRANKED): no claim of an order
TIE = re.compile(r"etwa gleich|gleichauf|welcher Wert davon höher liegt, ist statistisch nicht gesichert",
                 re.IGNORECASE)
CAUSAL = re.compile(r"\b(Ursache\w*|verursach\w*|führt zu|führen zu|liegt an|liegen an|bewirk\w*)\b", re.IGNORECASE)
NEGATED = re.compile(r"\b(kein\w*|nicht)\b", re.IGNORECASE)


def _texts(node):
    """Every paragraph text and list item of a document (the objects themselves, with their claims)."""
    kind = getattr(node, "kind", None)
    if kind == "paragraph":
        yield node.text
        return
    if kind == "list":
        yield from node.items
        return
    if dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            yield from _texts(getattr(node, f.name))
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from _texts(item)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ0-9»])", str(text)) if s]


@pytest.fixture(scope="module", params=COMMUNES)
def built(request, tmp_path_factory):
    target = tmp_path_factory.mktemp("claims") / request.param
    shutil.copytree(sample_data_dir() / request.param, target)
    profile = build_profile(load_folder(target))
    rp = ReportProfile(profile)
    return request.param, profile, [build_lagebericht(rp), build_kurzbericht(rp)]


def test_there_are_sample_communes():
    assert len(COMMUNES) >= 5


def test_every_claim_rests_on_a_supported_finding(built):
    name, profile, documents = built
    # the engine's findings: the general list, the change since the earlier wave, the Ortsteil profiles
    findings = {f["id"]: f for f in profile["findings"]}
    findings |= {f["id"]: f for f in (profile.get("change") or {}).get("findings", ())}
    findings |= {f["id"]: f for g in (profile.get("ortsteil_profiles") or {}).get("groups", ()) for f in g["findings"]}
    claims = 0
    for document in documents:
        for text in _texts(document):
            claim_sentences = [s for s in _sentences(text) if CLAIM.search(s) and not TIE.search(s)]
            if not claim_sentences:
                continue
            claims += 1
            ids = claims_of(text)
            assert ids, f"{name}: claim without a finding: {claim_sentences[0]!r}"
            for finding_id in ids:
                assert finding_id in findings, f"{name}: unknown finding {finding_id} in {text!r}"
                assert findings[finding_id]["strength"] != "none", (
                    f"{name}: {finding_id} is not significant after adjustment but claimed in {text!r}")
    assert claims > 0  # the check saw claims (the pattern is not dead)


def test_no_association_is_called_a_cause(built):
    name, profile, documents = built
    texts = [str(t) for d in documents for t in _texts(d)]
    texts += [r["text"] + " " + r["title"] for r in profile["recommendations"]]
    for text in texts:
        for sentence in _sentences(text):
            if CAUSAL.search(sentence):
                assert NEGATED.search(sentence), f"{name}: causal wording: {sentence!r}"


def test_findings_and_their_families_are_in_the_profile(built):
    name, profile, _ = built
    kinds = {f["kind"] for f in profile["findings"]}
    assert {"subgroup", "breakdown", "hotspot", "ranking", "association"} <= kinds, name
    block = profile["methods"]["multiple_testing"]
    assert block["by_kind"]["hotspot"] == "bh" and block["by_kind"]["subgroup"] == "holm"
    families = {f["id"]: f for f in block["families"]}
    for finding in profile["findings"]:
        family = families[finding["family"]]
        assert family["method"] == finding["adjustment"]
        if finding["p_adjusted"] is not None:
            assert finding["p_adjusted"] >= finding["test"]["p"] - 1e-15
    ranks = [r["rank"] for r in profile["recommendations"]]
    assert ranks == list(range(1, len(ranks) + 1))
    order = {"hoch": 0, "mittel": 1, "niedrig": 2}
    priorities = [order[r["priority"]] for r in profile["recommendations"]]
    assert priorities == sorted(priorities)


def test_recommendation_criteria_are_german_not_rule_syntax(built):
    name, profile, documents = built
    cells = []
    for document in documents:
        stack = [document]
        while stack:
            node = stack.pop()
            if getattr(node, "kind", None) == "table" or hasattr(node, "rows"):
                cells += [c for row in node.rows for c in row]
            elif dataclasses.is_dataclass(node):
                stack += [getattr(node, f.name) for f in dataclasses.fields(node)]
            elif isinstance(node, (tuple, list)):
                stack += list(node)
    text = " ".join(str(c) for c in cells)
    assert not re.search(r"ci_(low|high)|threshold|estimate|above_reference|finding:", text), name
