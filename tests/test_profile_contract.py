"""The typed profile contract 2.0 (survey/profile): the types keep every key and value the engine
writes, the generated schema and the types agree on every sample commune, 2.0 files round-trip byte
for byte, the shipped 1.0 profiles read and upgrade without losing a figure, bad profiles give German
errors naming the file and the JSON path, and a comparison over 1.0 and 2.0 profiles works."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from survey.cli import cli
from survey.folder import load_folder
from survey.profile import Flag, ProfileDocument, ProfileError, profile_json, read_profile
from survey.profile.schema import SCHEMA_1_0, SCHEMA_2_0, schema_text
from survey.profile_builder import engine_document, validate_profile
from survey.wording.crime import caveat_text
from survey.wording.methods import method_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
COMMUNES = ("quellenthal", "grenzbach", "wendelstadt", "eichenstedt", "auenstadt", "wendelstadt-2027",
            "auenstadt-2027")
SHIPPED_1_0 = sorted(SAMPLE.glob("*/vorwelle/profil-*.json"))
# prose of 1.0-era files that 2.0 replaced by codes (the report words the codes): dropped on upgrade
DROPPED_1_0 = {"sentence", "summary", "message", "suppression_rules", "$.methods.notes", "$.crime.method",
               "$.drivers.method", "$.reliability[].method", "$.crime.fields_of_action[].label",
               "$.crime.fields_of_action[].notes", "$.dunkelfeld.rows[].label"}


@pytest.fixture(scope="module")
def engine() -> dict[str, dict]:
    """The engine's plain documents of the seven sample folders (what ``analysieren`` computes)."""
    return {slug: engine_document(load_folder(SAMPLE / slug), created=dt.date(2027, 6, 1)) for slug in COMMUNES}


@pytest.fixture(scope="module")
def written(engine, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("profile")
    paths = {}
    for slug, document in engine.items():
        paths[slug] = folder / slug / "profil.json"
        paths[slug].parent.mkdir()
        paths[slug].write_text(profile_json(validate_profile(document)), encoding="utf-8")
    return paths


def contained(part, whole, path: str = "$", dropped=frozenset()) -> None:
    """Every key and value of ``part`` is in ``whole`` with the same JSON type (``dropped``: keys or
    generic paths that may be missing)."""
    generic = path
    if isinstance(part, dict):
        assert isinstance(whole, dict), path
        for key, value in part.items():
            if key in dropped or f"{_generic(path)}.{key}" in dropped:
                continue
            assert key in whole, f"{path}.{key} fehlt"
            if key == "flag_reason" and isinstance(value, str) and whole[key] != value:  # 1.0 sentence -> code
                from survey.profile.upgrade import reason_code

                assert whole[key] == reason_code(value), (path, value, whole[key])
                continue
            contained(value, whole[key], f"{path}.{key}", dropped)
    elif isinstance(part, list):
        assert isinstance(whole, list) and len(part) == len(whole), path
        for i, (a, b) in enumerate(zip(part, whole)):
            contained(a, b, f"{generic}[{i}]", dropped)
    else:
        assert part == whole and type(part) is type(whole), (path, part, whole)


def _generic(path: str) -> str:
    import re
    return re.sub(r"\[\d+\]", "[]", path)


def test_schema_file_is_generated_from_the_types():
    assert SCHEMA_2_0.read_text(encoding="utf-8") == schema_text()
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_text()))


@pytest.mark.parametrize("slug", COMMUNES)
def test_types_keep_every_key_and_value_the_engine_writes(engine, slug):
    typed = validate_profile(engine[slug])
    assert typed.schema_version == "2.0" and typed.upgraded_from is None
    contained(engine[slug], typed.model_dump(mode="json"))


@pytest.mark.parametrize("slug", COMMUNES)
def test_written_profile_satisfies_schema_and_round_trips_byte_identically(written, slug):
    text = written[slug].read_bytes()
    document = read_profile(written[slug])
    assert isinstance(document, ProfileDocument) and document.upgraded_from is None
    assert profile_json(document).encode("utf-8") == text
    assert profile_json(read_profile(json.loads(text))).encode("utf-8") == text
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_2_0.read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(json.loads(text))] == []


def test_analysieren_writes_a_2_0_profile_that_round_trips(tmp_path):
    import shutil
    folder = tmp_path / "quellenthal"
    shutil.copytree(SAMPLE / "quellenthal", folder)
    result = CliRunner().invoke(cli, ["analysieren", str(folder)])
    assert result.exit_code == 0, result.output
    path = folder / "ergebnis" / "profil.json"
    document = read_profile(path)
    assert result.output.startswith(f"Sicherheitsprofil Quellenthal 2025: {len(document.indicators)} Indikatoren, "
                                    f"{len(document.recommendations)} Empfehlungen.\n")
    assert profile_json(document) == path.read_text(encoding="utf-8")


def test_shipped_1_0_profiles_are_the_2025_waves_of_the_2027_communes():
    assert [p.relative_to(SAMPLE).as_posix() for p in SHIPPED_1_0] == [
        "auenstadt-2027/vorwelle/profil-2025.json", "wendelstadt-2027/vorwelle/profil-2025.json"]


@pytest.mark.parametrize("path", SHIPPED_1_0, ids=lambda p: p.parent.parent.name)
def test_shipped_1_0_profiles_read_and_upgrade_without_losing_a_figure(path):
    original = json.loads(path.read_text(encoding="utf-8"))
    assert original["schema_version"] == "1.0"
    jsonschema.validate(original, json.loads(SCHEMA_1_0.read_text(encoding="utf-8")),
                        cls=jsonschema.Draft202012Validator)
    document = read_profile(path)
    assert document.schema_version == "2.0" and document.upgraded_from == "1.0"
    assert document.wave.jahr == 2025
    upgraded = document.model_dump(mode="json")
    upgraded.pop("schema_version")
    original.pop("schema_version")
    # method texts and Dunkelfeld caveats become their codes (exact text of the code's German wording)
    for key, value in original.pop("methods").items():
        if key in upgraded["methods"]:
            code = upgraded["methods"][key]
            assert value == code or value == method_text(key, code), key
    for old, new in [(original["dunkelfeld"].pop("caveats"), upgraded["dunkelfeld"]["caveats"])] + [
            (a.pop("caveats"), b["caveats"]) for a, b in zip(original["dunkelfeld"]["rows"], upgraded["dunkelfeld"]["rows"])]:
        assert old == [caveat_text(code) for code in new]
    contained(original, upgraded, dropped=DROPPED_1_0)
    # fields 1.0 did not have are empty, not invented
    assert document.free_text is None and document.findings == ()
    assert document.crime.landkreis is None and all(o.hz_landkreis is None for o in document.crime.offences)
    assert document.methods.suppression is None
    assert all(r.df is None for r in document.indicators)
    # an upgraded document is a valid 2.0 document (and reads again as itself)
    assert read_profile(json.loads(profile_json(document))) == document


def test_headline_total_of_an_upgraded_profile_is_the_total(tmp_path):
    document = read_profile(SHIPPED_1_0[0])
    assert document.crime.headline_total is None
    assert document.crime.headline_offence().id == "insgesamt"


@pytest.fixture(scope="module")
def small(written) -> dict:
    return json.loads(written["quellenthal"].read_text(encoding="utf-8"))


def _bad(document: dict, change) -> dict:
    copy = json.loads(json.dumps(document))
    change(copy)
    return copy


BAD_2_0 = [
    (lambda d: d["breakdowns"]["records"][3].__setitem__("estimate", "abc"),
     "breakdowns.records[3].estimate: 'abc' ist keine Zahl."),
    (lambda d: d["indicators"][0].pop("n"), "indicators[0]: Pflichtfeld »n« fehlt."),
    (lambda d: d["indicators"][1].__setitem__("flag", "gut"),
     "indicators[1].flag: 'gut' ist kein zulässiger Wert (zulässig: 'ok', 'unsicher', 'unterdrueckt')."),
    (lambda d: d["weighting"].__setitem__("gewicht", 1), "weighting: unbekanntes Feld »gewicht«."),
    (lambda d: d["indicators"][2].__setitem__("n", 1.5), "indicators[2].n: 1.5 ist keine ganze Zahl."),
    (lambda d: d["weighting"].__setitem__("converged", "ja"),
     "weighting.converged: 'ja' ist kein Wahrheitswert (true oder false)."),
    (lambda d: d["sample"]["modes"].__setitem__("papier", "viele"), "sample.modes.papier: 'viele' ist keine ganze Zahl."),
    (lambda d: d["free_text"]["questions"][0]["mentioning"].__setitem__("mentions", 3),
     "free_text.questions[0].mentioning.mentions: 3 ist kleiner als erlaubt (Grenze 10)."),
    (lambda d: d["crime"].__setitem__("offences", {}), "crime.offences: {} ist keine Liste."),
]


@pytest.mark.parametrize("change,message", BAD_2_0, ids=[m.split(":")[0] for _, m in BAD_2_0])
def test_bad_2_0_profile_gives_german_error_with_json_path(small, tmp_path, change, message):
    bad = _bad(small, change)
    path = tmp_path / "profil.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ProfileError) as error:
        read_profile(path)
    assert str(error.value) == f"{path}: {message}"
    # the schema generated from the types refuses the same document
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_2_0.read_text(encoding="utf-8")))
    assert not validator.is_valid(bad)


def test_bad_1_0_profile_and_unknown_version(tmp_path):
    original = json.loads(SHIPPED_1_0[1].read_text(encoding="utf-8"))
    path = tmp_path / "alt.json"
    path.write_text(json.dumps(_bad(original, lambda d: d["indicators"][4].__setitem__("estimate", "hoch"))),
                    encoding="utf-8")
    with pytest.raises(ProfileError) as error:
        read_profile(path)
    assert str(error.value) == f"{path}: indicators[4].estimate: 'hoch' ist keine Zahl."
    path.write_text(json.dumps(_bad(original, lambda d: d["sample"].pop("net"))), encoding="utf-8")
    with pytest.raises(ProfileError) as error:
        read_profile(path)
    assert str(error.value) == f"{path}: sample: Pflichtfeld »net« fehlt."
    path.write_text(json.dumps(_bad(original, lambda d: d.__setitem__("schema_version", "3.0"))), encoding="utf-8")
    with pytest.raises(ProfileError) as error:
        read_profile(path)
    assert str(error.value) == (f"{path}: Unbekannte Schema-Version \"3.0\"; gelesen werden Profile nach Schema "
                                "1.0 und 2.0.")
    with pytest.raises(ProfileError) as error:
        read_profile(tmp_path / "fehlt.json")
    assert str(error.value) == f"{tmp_path / 'fehlt.json'}: Die Profildatei wurde nicht gefunden."


def test_flag_values_stay_those_of_1_0():
    assert [f.value for f in Flag] == ["ok", "unsicher", "unterdrueckt"]


def test_comparison_over_1_0_and_2_0_profiles(written, tmp_path):
    paths = [*map(str, SHIPPED_1_0), str(written["auenstadt-2027"]), str(written["wendelstadt-2027"])]
    result = CliRunner().invoke(cli, ["vergleich", *paths, "--ziel", str(tmp_path / "aus")])
    assert result.exit_code == 0, result.output
    assert "4 Profile von 2 Kommunen verglichen" in result.output
    assert "Veränderungen zwischen Wellen: Auenstadt, Wendelstadt." in result.output
    document = json.loads((tmp_path / "aus" / "vergleich.json").read_text(encoding="utf-8"))
    assert (document["profiles"], document["communes"]) == (4, 2)


def test_1_0_figures_equal_the_2_0_figures_of_the_same_wave(engine):
    """The shipped 1.0 Auenstadt 2025 file and today's 2.0 profile of the same folder agree in every
    indicator estimate (the statistics did not change between the versions)."""
    old = read_profile(SHIPPED_1_0[0])
    new = validate_profile(engine["auenstadt"])
    assert [r.id for r in old.indicators] == [r.id for r in new.indicators]
    for a, b in zip(old.indicators, new.indicators):
        assert (a.n, a.flag) == (b.n, b.flag), a.id
        assert (a.estimate, a.se) == pytest.approx((b.estimate, b.se), rel=1e-9, nan_ok=True), a.id


def test_bericht_renders_from_an_upgraded_1_0_profile(tmp_path):
    """1.0-era files wrote German method texts and Dunkelfeld caveats where 2.0 has codes; the upgrade
    maps the exact texts back to their codes, so the report words them again."""
    (tmp_path / "ergebnis").mkdir()
    (tmp_path / "ergebnis" / "profil.json").write_bytes(SHIPPED_1_0[1].read_bytes())
    document = read_profile(tmp_path / "ergebnis" / "profil.json")
    assert document.methods.variance == "taylor_calibration_residuals"
    assert "reference_period" in document.dunkelfeld.caveats
    result = CliRunner().invoke(cli, ["bericht", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ergebnis" / "bericht.pdf").stat().st_size > 0


@pytest.mark.parametrize(("text", "code"), [
    ("Weniger als 10 Befragte mit gültiger Antwort (n = 3); der Wert wird nicht ausgewiesen.", "few_answers"),
    ("Nur 26 Befragte mit gültiger Antwort (unter 30); der Wert ist unsicher.", "small_n"),
    ("Das Konfidenzintervall ist 30,6 Prozentpunkte breit (mehr als 30); der Wert ist unsicher.", "wide_interval"),
    ("Für diesen Wert lässt sich kein Konfidenzintervall berechnen; der Wert ist unsicher.", "no_interval"),
    ("Weniger als 10 Nennungen; zum Schutz der Befragten nicht ausgewiesen.", "few_mentions"),
    ("small_n", "small_n"),
    ("Standardisierung nicht möglich: keine gültigen Antworten in einer Zelle.", None),
])
def test_1_0_flag_reason_sentences_become_codes(text, code):
    from survey.profile.upgrade import reason_code

    assert reason_code(text) == code


@pytest.mark.parametrize("path", SHIPPED_1_0, ids=lambda p: p.parent.parent.name)
def test_upgraded_series_flags_carry_the_numbers_the_report_words(path):
    """1.0 series flags gave their numbers only in a German message; the upgrade fills the 2.0 fields, so
    the Lagebericht words them (it crashed on the Grenzgebiet share before)."""
    from survey.report.lagebericht.build import build_lagebericht
    from survey.report.lagebericht.profile import ReportProfile
    from survey.wording.crime import series_flag_text

    original = json.loads(path.read_text(encoding="utf-8"))
    document = read_profile(path)
    messages = [f["message"] for o in original["crime"]["offences"] for f in o.get("flags", [])]
    worded = [series_flag_text(f) for o in document.crime.offences for f in o.flags]
    if original["crime"].get("total", {}).get("flag"):
        messages.append(original["crime"]["total"]["flag"]["message"])
        worded.append(series_flag_text(document.crime.total.flag))
    assert len(worded) == len(messages) > 5
    for old, new in zip(messages, worded):  # the wording improved since 1.0; the numbers are the same
        assert re.findall(r"\d[\d.,]*\d|\d", old) == re.findall(r"\d[\d.,]*\d|\d", new), (old, new)
    assert build_lagebericht(ReportProfile(document)).sections
