"""The shipped sample communes: folder contract, plausibility of the generated data, determinism."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sample_data.generate import ALL_SPECS, COMMUNES, CORE_COLUMNS, WAVES, generate_commune
from sample_data.pks import AGGREGATES
from sample_data.specs import LANDKREIS_AGS, spec_by_slug
from survey.folder import load_folder
from survey.resources import sample_data_dir

ROOT = sample_data_dir()
PKS_COLUMNS = ["gebiet", "gebiet_name", "jahr", "schluessel", "straftat", "faelle", "aufgeklaert", "einwohner"]


def read_responses(folder) -> pd.DataFrame:
    frames = []
    for path in folder.response_files():
        if path.suffix == ".xlsx":
            frames.append(pd.read_excel(path, dtype={"resp_id": str}))
        elif path.read_bytes()[:300].count(b";") > 5:
            frames.append(pd.read_csv(path, sep=";", encoding="cp1252"))
        else:
            frames.append(pd.read_csv(path, encoding="utf-8"))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def folders():
    return {spec.slug: load_folder(ROOT / spec.slug) for spec in ALL_SPECS}


@pytest.fixture(scope="module")
def responses(folders):
    return {slug: read_responses(folder) for slug, folder in folders.items()}


def test_five_communes_in_one_landkreis_of_different_size():
    sizes = sorted(spec.einwohner for spec in COMMUNES)
    assert len(COMMUNES) == 5 and sizes[0] < 1000 and sizes[-1] > 110_000
    assert all(spec.ags.startswith("14599") and len(spec.ags) == 8 for spec in COMMUNES)
    assert len({spec.ags for spec in COMMUNES}) == 5
    assert all(2 <= len(spec.ortsteile) <= 6 for spec in COMMUNES)
    assert {spec.jahr for spec in WAVES} == {2027}


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda s: s.slug)
def test_analyse_yaml_follows_the_contract(spec, folders):
    config = folders[spec.slug].config
    assert (config.kommune, config.ags, config.jahr) == (spec.kommune, spec.ags, spec.jahr)
    assert config.fragebogen == "sicherheitsanalyse-standard"
    assert config.stichprobe.schichtung == "ortsteil" and config.stichprobe.schichten == "strata.csv"
    assert config.gewichtung.merkmale == ["ortsteil", "altersgruppe", "geschlecht"]
    assert config.landkreis_ags == LANDKREIS_AGS and config.kriminalstatistik == "pks.csv"
    assert config.ortsteile == {o.code: o.name for o in spec.ortsteile}
    assert all(path.exists() for path in folders[spec.slug].response_files())


def test_one_commune_uses_bounded_calibration(folders):
    bounded = [slug for slug, f in folders.items() if f.config.gewichtung.grenzen == (0.4, 2.2)]
    assert "wendelstadt" in bounded


def test_files_show_both_encodings_and_an_xlsx():
    paper = {spec.slug: spec.paper_format for spec in COMMUNES}
    assert set(paper.values()) == {"csv", "cp1252", "xlsx"}
    cp1252 = (ROOT / "grenzbach" / "responses_papier.csv").read_bytes()
    assert cp1252.startswith(b"resp_id;") and b"\r\n" in cp1252
    with pytest.raises(UnicodeDecodeError):
        cp1252.decode("utf-8")  # umlauts in free texts are Windows-1252 bytes
    assert (ROOT / "auenstadt" / "responses_papier.xlsx").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda s: s.slug)
def test_contract_columns_and_response_rate(spec, folders, responses):
    data = responses[spec.slug]
    assert data.columns[0] == "resp_id" and set(CORE_COLUMNS) <= set(data.columns)
    assert data["resp_id"].is_unique
    assert data["resp_id"].str.match(r"^(ON|PA)-\d{4}$").all()
    strata = pd.read_csv(ROOT / spec.slug / "strata.csv")
    assert list(strata.columns) == ["ortsteil", "name", "einwohner_16plus", "brutto_stichprobe", "netto"]
    assert strata["netto"].sum() == len(data)
    assert (strata["brutto_stichprobe"] <= strata["einwohner_16plus"]).all()
    assert 0.30 <= strata["netto"].sum() / strata["brutto_stichprobe"].sum() <= 0.40
    assert data["ortsteil"].value_counts().sort_index().tolist() == strata["netto"].tolist()
    population = pd.read_csv(ROOT / spec.slug / "population.csv", dtype={"ags": str})
    assert list(population.columns) == ["ags", "geschlecht", "altersgruppe", "einwohner"]
    assert set(population["altersgruppe"]) == {"16-29", "30-44", "45-59", "60-74", "75+"}
    assert (population["ags"] == spec.ags).all() and len(population) == 10
    difference = population["einwohner"].sum() - strata["einwohner_16plus"].sum()
    assert (difference != 0) == spec.perturb_population
    assert abs(difference) < 0.01 * strata["einwohner_16plus"].sum()


def test_tiny_commune_writes_to_its_whole_population():
    strata = pd.read_csv(ROOT / "quellenthal" / "strata.csv")
    assert (strata["brutto_stichprobe"] == strata["einwohner_16plus"]).all()
    assert len(strata) == 2


@pytest.mark.parametrize("spec", COMMUNES, ids=lambda s: s.slug)
def test_codes_and_filters(spec, responses):
    data = responses[spec.slug]
    assert set(data["sicher_nacht"].dropna()) <= {1, 2, 3, 4, 8, 9}
    assert set(data["geschlecht"].dropna()) <= {1, 2, 3, 9}
    age = spec.jahr - data["geburtsjahr"].dropna()
    assert age.between(16, 105).all()
    for offence in ("fahrrad", "einbruch", "sachbeschaedigung", "koerperverletzung", "betrug"):
        asked = data[f"opfer_{offence}"] == 1
        assert data.loc[~asked, f"anzeige_{offence}"].isna().all()
        assert data.loc[asked, f"anzeige_{offence}"].notna().mean() > 0.8
    blank_share = data["sicher_nacht"].isna().mean()
    assert 0 < blank_share < 0.06  # item non-response exists but is small


def _unsafe(values: pd.Series) -> pd.Series:
    valid = values[values.isin([1, 2, 3, 4])]
    return valid.isin([3, 4])


def test_women_and_older_people_feel_less_safe_at_night(responses):
    data = pd.concat([responses[spec.slug].copy() for spec in COMMUNES], ignore_index=True)
    data["age"] = 2025 - data["geburtsjahr"]
    women = _unsafe(data.loc[data["geschlecht"] == 2, "sicher_nacht"]).mean()
    men = _unsafe(data.loc[data["geschlecht"] == 1, "sicher_nacht"]).mean()
    older = _unsafe(data.loc[data["age"] >= 60, "sicher_nacht"]).mean()
    younger = _unsafe(data.loc[data["age"] < 45, "sicher_nacht"]).mean()
    assert women - men > 0.12 and older - younger > 0.10
    victims = (data[[f"opfer_{x}" for x in ("fahrrad", "einbruch", "sachbeschaedigung",
                                              "koerperverletzung", "betrug")]] == 1).any(axis=1)
    assert _unsafe(data.loc[victims, "sicher_nacht"]).mean() > _unsafe(data.loc[~victims, "sicher_nacht"]).mean() + 0.08
    for spec in COMMUNES:  # within every commune, too
        own = responses[spec.slug]
        assert _unsafe(own.loc[own["geschlecht"] == 2, "sicher_nacht"]).mean() > \
            _unsafe(own.loc[own["geschlecht"] == 1, "sicher_nacht"]).mean()


def test_station_quarter_has_more_problems_and_respondents_are_old(responses):
    data = responses["eichenstedt"]
    station = _unsafe(data.loc[data["ortsteil"] == 2, "problem_alkohol"]).mean()
    rest = _unsafe(data.loc[data["ortsteil"] != 2, "problem_alkohol"]).mean()
    assert station > rest + 0.2
    age = 2025 - data["geburtsjahr"]
    assert age.median() > 55  # respondents skew old (the reason for weighting)
    paper = data["resp_id"].str.startswith("PA")
    assert age[paper].mean() > age[~paper].mean() + 10


def test_second_wave_feels_a_little_safer(responses):
    for slug in ("wendelstadt", "auenstadt"):
        before = _unsafe(responses[slug]["sicher_nacht"]).mean()
        after = _unsafe(responses[f"{slug}-2027"]["sicher_nacht"]).mean()
        assert after < before


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda s: s.slug)
def test_pks_is_consistent(spec):
    pks = pd.read_csv(ROOT / spec.slug / "pks.csv", dtype={"gebiet": str, "schluessel": str})
    assert list(pks.columns) == PKS_COLUMNS
    assert set(pks["gebiet"]) == {spec.ags, LANDKREIS_AGS, "14"}
    assert sorted(pks["jahr"].unique()) == list(range(spec.jahr - 10, spec.jahr))
    assert (pks["aufgeklaert"] <= pks["faelle"]).all() and (pks["faelle"] >= 0).all()
    wide = pks.pivot_table(index=["gebiet", "jahr"], columns="schluessel", values="faelle")
    assert (wide["------"] == wide["890000"] + wide["725000"]).all()
    for parent, child in (("****00", "435*00"), ("****00", "***300"), ("674000", "899500"),
                          ("220000", "222000"), ("892000", "222000"), ("892000", "210000")):
        assert (wide[parent] >= wide[child]).all(), (parent, child)
    own = pks[(pks["gebiet"] == spec.ags)]
    assert own["einwohner"].between(800, 130_000).all()
    kreis = pks[pks["gebiet"] == LANDKREIS_AGS]
    assert (kreis["einwohner"] > 250_000).all()


def test_pks_patterns_and_real_sachsen_values():
    pks = pd.read_csv(ROOT / "grenzbach" / "pks.csv", dtype={"gebiet": str, "schluessel": str})
    value = pks.set_index(["gebiet", "jahr", "schluessel"])["faelle"]
    assert value[("14599020", 2023, "725000")] > 0.4 * value[("14599020", 2023, "------")]  # border commune
    assert value[(LANDKREIS_AGS, 2024, "730000")] < 0.75 * value[(LANDKREIS_AGS, 2023, "730000")]  # cannabis law
    assert value[("14", 2022, "------")] == 267_312
    assert value[("14", 2023, "890000")] == 260_800
    assert value[("14", 2023, "****00")] == 96_140
    assert value[("14", 2023, "892000")] == 9_151
    solved = pks.set_index(["gebiet", "jahr", "schluessel"])["aufgeklaert"]
    assert solved[("14", 2023, "------")] == 180_647
    hz = {spec.ags: None for spec in COMMUNES}
    for spec in COMMUNES:
        table = pd.read_csv(ROOT / spec.slug / "pks.csv", dtype={"gebiet": str, "schluessel": str})
        row = table[(table["gebiet"] == spec.ags) & (table["schluessel"] == "890000")]
        hz[spec.ags] = (row["faelle"] / row["einwohner"]).mean() * 100_000
    rates = [hz[spec.ags] for spec in COMMUNES]  # smallest to largest commune
    assert rates[0] < rates[2] < rates[4]


def test_pks_files_import(folders):
    from survey.pks.csv_reader import read_pks

    table = read_pks(ROOT / "wendelstadt" / "pks.csv")
    assert set(table.areas) == {"14", LANDKREIS_AGS, "14599030"}
    assert table.years == tuple(range(2015, 2025))


def test_intake_reads_the_sample_without_errors(folders):
    from survey.intake.combine import load_responses
    
    folder = folders["grenzbach"]
    result = load_responses(folder, folder.questionnaire)
    assert len(result.data) == 330
    assert not [f for f in result.protocol.findings if f.rule.severity == "fehler"]


def test_generator_is_deterministic(tmp_path):
    spec = spec_by_slug("quellenthal")
    out = generate_commune(spec, tmp_path / "q")
    shipped = sorted(p.name for p in (ROOT / "quellenthal").iterdir())
    assert sorted(p.name for p in out.iterdir()) == shipped
    for name in shipped:
        assert (out / name).read_bytes() == (ROOT / "quellenthal" / name).read_bytes(), name


def test_synthetic_commune_with_xlsx_is_reproducible_and_seed_dependent(tmp_path):
    spec = replace(spec_by_slug("grenzbach"), slug="synth", paper_format="xlsx", ags="14599099")
    first = generate_commune(spec, tmp_path / "a", seed=7)
    second = generate_commune(spec, tmp_path / "b", seed=7)
    other = generate_commune(spec, tmp_path / "c", seed=8)
    for name in ("responses_papier.xlsx", "responses_online.csv", "population.csv", "strata.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "responses_online.csv").read_bytes() != (other / "responses_online.csv").read_bytes()
    assert load_folder(first).config.ags == "14599099"
    xlsx = pd.read_excel(first / "responses_papier.xlsx")
    assert xlsx["resp_id"].str.startswith("PA-").all()


def test_core_only_mode_without_questionnaire(tmp_path):
    out = generate_commune(spec_by_slug("quellenthal"), tmp_path / "core", questionnaire=None)
    header = (out / "responses_online.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == ["resp_id", *CORE_COLUMNS]


def test_aggregates_cover_all_keys():
    assert set(AGGREGATES["------"]) >= set(AGGREGATES["890000"]) | set(AGGREGATES["725000"])
    assert np.isclose(sum(1 for _ in AGGREGATES), 16)
