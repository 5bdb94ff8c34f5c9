"""The sample communes' free texts, coding tables, geometry and coach texts (issue 12)."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import numpy as np
import pytest
from matplotlib.path import Path as MplPath

from sample_data.generate import generate_commune
from sample_data.specs import spec_by_slug
from survey.folder import load_folder
from survey.freetext.mentions import collect_mentions, respondent_keys
from survey.freetext.run import folder_questions, load_table, write_coding_table
from survey.geometry import load_geometry
from survey.intake import load_responses
from survey.profile_builder import build_profile
from survey.resources import sample_data_dir

CODED = ("eichenstedt", "wendelstadt")


def _accepted_groups(folder):
    """Respondents and distinct spellings per group after accepting the automatic proposals."""
    run = write_coding_table(folder)
    loaded = load_folder(folder)
    questionnaire, questions = folder_questions(loaded)
    table = load_table(loaded, questions)
    category = {r.key: r.category for r in table.sheet("angstraum_ort").rows}
    values = load_responses(loaded, questionnaire).data["angstraum_ort"]
    respondents: Counter[str] = Counter()
    for keys in respondent_keys(values, True):
        for name in {category[k] for k in keys}:
            respondents[name] += 1
    spellings: Counter[str] = Counter()
    for mention in collect_mentions(values, True):
        spellings[category[mention.key]] += len(mention.spellings)
    return run, respondents, spellings


@pytest.mark.parametrize("slug", CODED)
def test_accepting_the_grouping_unchanged_gives_a_large_and_a_small_place(tmp_path, slug):
    folder = tmp_path / slug
    shutil.copytree(sample_data_dir() / slug, folder, ignore=shutil.ignore_patterns("freitexte", "ergebnis"))
    _, respondents, spellings = _accepted_groups(folder)
    large = [name for name, n in respondents.items() if n >= 10 and spellings[name] >= 4]
    small = [name for name, n in respondents.items() if n < 10]
    assert large and small, respondents
    expected = {"eichenstedt": "Unterführung am Bahnhof", "wendelstadt": "Bahnhofsvorplatz"}[slug]
    assert expected in large


@pytest.mark.parametrize("slug", CODED)
def test_shipped_coding_table_is_the_accepted_proposal_with_positions(tmp_path, slug):
    folder = tmp_path / slug
    shutil.copytree(sample_data_dir() / slug, folder, ignore=shutil.ignore_patterns("ergebnis"))
    shipped = load_table(load_folder(folder), folder_questions(load_folder(folder))[1])
    for sheet in shipped.sheets:
        for row in sheet.rows:
            assert row.category == row.proposal and not row.new
    run = write_coding_table(folder)  # up to date: nothing new
    assert all(s.new == 0 and s.uncoded == 0 for s in run.sheets)
    spec = spec_by_slug(slug)
    ortsteile = {str(o.code): o.name for o in spec.ortsteile}
    geometry = load_geometry(folder / "ortsteile.geojson", ortsteile)
    places = [r for r in shipped.sheet("angstraum_ort").rows if r.lat is not None]
    assert len(places) >= 3
    for row in places:
        ring = np.array(geometry.shape(row.ortsteil).polygons[0][0])
        assert MplPath(ring).contains_point((row.lon, row.lat)), row.category


def test_eichenstedt_profile_names_its_places_only_from_ten_mentions():
    folder = load_folder(sample_data_dir() / "eichenstedt")
    profile = build_profile(folder)
    places = next(q for q in profile["free_text"]["questions"] if q["item"] == "angstraum_ort")
    names = [c["name"] for c in places["categories"]]
    assert names[0] == "Unterführung am Bahnhof" and "Stadtpark" in names
    assert all(c["mentions"] >= 10 for c in places["categories"])
    assert places["other"]["categories"] >= 2
    bahnhof = places["categories"][0]
    assert bahnhof["ortsteil_label"] == "Am Bahnhof" and bahnhof["lat"] is not None
    text = json.dumps(profile, ensure_ascii=False)
    for hidden in ("Busbahnhof", "ZOB", "Weg in den Buchwald", "Bahnhofsunterführung", "Unterf. Bahnhof"):
        assert hidden not in text, hidden


def test_generator_rewrites_geometry_coding_table_and_texts_byte_for_byte(tmp_path):
    out = generate_commune(spec_by_slug("eichenstedt"), tmp_path / "e")
    shipped = sample_data_dir() / "eichenstedt"
    names = sorted(str(p.relative_to(shipped)) for p in shipped.rglob("*") if p.is_file()
                   and "ergebnis" not in p.parts)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == names
    for name in names:
        assert (out / name).read_bytes() == (shipped / name).read_bytes(), name
    assert {"freitexte/kodierung.xlsx", "ortsteile.geojson", "texte/vorwort.md"} <= set(names)
