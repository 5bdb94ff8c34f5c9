"""The comparison's outputs for communes nobody has seen: vergleich.csv (machine-readable, one row per
commune × indicator, formula-looking text neutralised), vergleich.json and ``--tau2-von`` (with German
errors for broken or mismatching files), commune sheets with ``--nur-verteilung`` (no other commune's
value in text or chart), the own commune's diamond on every sheet, and the glossary."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from analysis.comparison.distribution import MINIMUM_OTHERS, Band, others_distribution
from analysis.comparison.funnel import Tau2Source
from analysis.comparison.distribution import PRIORITY, band_indices
from survey.cli import cli
from survey.comparison import onepager, texts
from survey.comparison.charts import funnel_variants
from survey.comparison.earlier import SCHEMA_PATH
from survey.comparison.export import COLUMNS
from survey.comparison.glossary import GLOSSARY, METHOD_PARAGRAPHS
from survey.comparison.loading import load_profiles
from survey.comparison.model import OUTCOME, build_model
from survey.comparison.synthetic import synthetic_profile


def write(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def profiles(folder: Path, count: int, seed: int, **kwargs) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write(folder / f"p{i}.json", synthetic_profile(i, seed=seed, **kwargs)) for i in range(count)]


def run(*args: str):
    return CliRunner().invoke(cli, ["vergleich", *args])


def flat_pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.replace("\u00a0", " ").replace("\u00ad", "").split())


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


# --- vergleich.csv -----------------------------------------------------------------------------------

def test_csv_one_row_per_commune_and_indicator_with_neutralised_text(tmp_path):
    paths = profiles(tmp_path / "in", 5, seed=31)
    document = json.loads(paths[2].read_text(encoding="utf-8"))
    document["commune"]["name"] = '=HYPERLINK("http://example.org")'
    write(paths[2], document)
    target = tmp_path / "aus"
    result = run(*map(str, paths), "--ziel", str(target), "--ohne-kommunenblaetter")
    assert result.exit_code == 0, result.output
    rows = read_csv(target / "vergleich.csv")
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) == 5 * 11
    assert {r["name"] for r in rows if r["ags"] == document["commune"]["ags"]} == {'\'=HYPERLINK("http://example.org")'}
    model = build_model(load_profiles(paths))
    for r in rows:
        assert r["funnel_95"] in {"über", "unter", "innerhalb"} and r["funnel_998"] in {"über", "unter", "innerhalb"}
        assert r["flagged"] in {"0", "1"} and r["std_flagged"] in {"0", "1"}
        assert "," not in r["estimate"] and "," not in r["p_adjusted"]
        result_ = model.indicator(r["indicator"])
        point = result_.direct.funnel.point(r["ags"])
        assert float(r["estimate"]) == point.estimate  # full precision, dot decimal
        assert float(r["z"]) == point.z
        member = model.families["direct"].member(r["indicator"], r["ags"])
        assert float(r["p_adjusted"]) == member.p_adjusted
        rank = result_.direct.ranks.rank(r["ags"])
        assert (int(r["rank_low"]), int(r["rank_high"])) == (rank.low, rank.high)
        assert result_.direct.fay_herriot is None  # 5 communes: no Fay-Herriot shrinkage (needs 20)
        assert r["eb_estimate"] == "" and r["eb_rmse"] == ""
        std_point = result_.standardised.funnel.point(r["ags"])
        assert float(r["std_estimate"]) == std_point.estimate and float(r["std_z"]) == std_point.z
        assert r["adjustment"] == "BH" and r["communes"] == "5"


def test_strongly_different_unseen_commune_is_flagged_in_csv(tmp_path):
    """Eight communes (sampling error alone) and 30 communes (tau² estimated): the one commune that
    really differs on one indicator is flagged there."""
    for count, ags_index, indicator, offset, position, source in (
            (8, 3, "meidet_orte", 1.2, "über", "too_few"),
            (30, 7, "vertrauen_polizei_hoch", -1.6, "unter", "estimated")):
        folder = tmp_path / f"k{count}"
        folder.mkdir()
        paths = [write(folder / f"p{i}.json", synthetic_profile(i, seed=40 + count,
                                                                 offsets={indicator: offset} if i == ags_index else None))
                 for i in range(count)]
        target = folder / "aus"
        assert run(*map(str, paths), "--ziel", str(target), "--ohne-kommunenblaetter").exit_code == 0
        rows = read_csv(target / "vergleich.csv")
        ags = json.loads(paths[ags_index].read_text(encoding="utf-8"))["commune"]["ags"]
        row = next(r for r in rows if r["ags"] == ags and r["indicator"] == indicator)
        assert row["tau2_source"] == source
        assert row["funnel_95"] == position and row["flagged"] == "1", row


# --- vergleich.json and --tau2-von ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def large_comparison(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gross")
    paths = profiles(folder / "in", 25, seed=51)
    target = folder / "aus"
    assert run(*map(str, paths), "--ziel", str(target), "--ohne-kommunenblaetter").exit_code == 0
    return target


def test_summary_json_is_valid_and_carries_tau2(large_comparison):
    document = json.loads((large_comparison / "vergleich.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))).validate(document)
    assert document["communes"] == 25 and document["min_communes_tau2"] == 20
    night = next(i for i in document["indicators"] if i["id"] == OUTCOME)
    assert night["bases"]["direct"]["tau2_source"] == "estimated" and night["bases"]["direct"]["tau2_k"] == 25
    rows = read_csv(large_comparison / "vergleich.csv")
    assert float(next(r for r in rows if r["indicator"] == OUTCOME)["tau2"]) == night["bases"]["direct"]["tau2"]
    families = {f["name"]: f for f in document["families"]}
    direct = families["cross-section-direct"]
    assert direct["method"] == "BH" and direct["tests"] == 25 * 11
    assert direct["expected_95"] == pytest.approx(0.05 * 25 * 11)


def test_tau2_from_an_earlier_larger_comparison(large_comparison, tmp_path):
    paths = profiles(tmp_path / "in", 5, seed=52)
    target = tmp_path / "aus"
    result = run(*map(str, paths), "--ziel", str(target), "--tau2-von", str(large_comparison))
    assert result.exit_code == 0, result.output
    earlier = json.loads((large_comparison / "vergleich.json").read_text(encoding="utf-8"))
    expected = {(i["id"], b): e["tau2"] for i in earlier["indicators"] for b, e in i["bases"].items()}
    rows = read_csv(target / "vergleich.csv")
    for r in rows:
        assert r["tau2_source"] == "fixed" and float(r["tau2"]) == expected[(r["indicator"], "direct")]
        assert float(r["std_tau2"]) == expected[(r["indicator"], "standardised")]
    summary = json.loads((target / "vergleich.json").read_text(encoding="utf-8"))
    night = next(i for i in summary["indicators"] if i["id"] == OUTCOME)["bases"]["direct"]
    assert night["tau2_source"] == "fixed" and night["tau2_k"] == 25  # chains keep the original size
    report = flat_pdf_text(target / "vergleich.pdf")
    assert "aus einem früheren Vergleich mit 25 Kommunen übernommen" in report
    sheet = flat_pdf_text(next(target.glob("kommune_*.pdf")))
    assert "aus einem früheren Vergleich mit 25 Kommunen übernommen" in sheet


def _earlier_error(tmp_path: Path, earlier: Path) -> str:
    paths = profiles(tmp_path / "in", 3, seed=53)
    target = tmp_path / "aus"
    result = run(*map(str, paths), "--ziel", str(target), "--tau2-von", str(earlier))
    assert result.exit_code == 1, result.output
    assert not target.exists()  # nothing written
    return result.output.strip()


def test_tau2_von_errors_are_german_and_name_the_file(large_comparison, tmp_path):
    good = json.loads((large_comparison / "vergleich.json").read_text(encoding="utf-8"))
    broken = tmp_path / "kaputt.json"
    broken.write_text('{\n "format": "sicherheitsanalyse-vergleich",\n "x": \n}', encoding="utf-8")
    assert _earlier_error(tmp_path, broken) == (f"Fehler: {broken}, Zeile 4: Die Datei ist kein gültiges JSON "
                                                "(Syntaxfehler in Spalte 1).")
    other = write(tmp_path / "profil.json", synthetic_profile(1))
    assert _earlier_error(tmp_path, other) == (f"Fehler: {other}: Die Datei ist keine vergleich.json eines "
                                               "Vergleichs (Feld »format« fehlt oder lautet anders).")
    bad = json.loads(json.dumps(good))
    bad["indicators"][0]["bases"]["direct"]["tau2"] = -1
    path = write(tmp_path / "schema.json", bad)
    assert _earlier_error(tmp_path, path) == (f"Fehler: {path}: Die Datei verletzt das Schema vergleich-1.0: "
                                              "ungültiger Wert -1 an der Stelle »indicators/0/bases/direct/tau2«.")
    core = dict(good, core_version="2")
    path = write(tmp_path / "kern.json", core)
    assert "beruht auf den Kernfragen der Version 2, die Profile dieses Vergleichs auf Version 1" in \
        _earlier_error(tmp_path, path)
    small_paths = profiles(tmp_path / "klein", 4, seed=54)
    small = tmp_path / "klein-aus"
    assert run(*map(str, small_paths), "--ziel", str(small), "--ohne-kommunenblaetter").exit_code == 0
    assert "enthält für keinen der jetzt verglichenen Kernindikatoren ein geschätztes τ²" in \
        _earlier_error(tmp_path, small)
    empty = tmp_path / "leer"
    empty.mkdir()
    assert _earlier_error(tmp_path, empty) == (f"Fehler: {empty}: Im Ordner liegt keine vergleich.json; für "
                                               "--tau2-von bitte den Ergebnisordner eines früheren Vergleichs "
                                               "oder dessen vergleich.json angeben.")
    missing = tmp_path / "fehlt.json"
    assert _earlier_error(tmp_path, missing) == (f"Fehler: {missing}: Die Datei des früheren Vergleichs "
                                                 "(--tau2-von) wurde nicht gefunden.")


# --- --nur-verteilung ------------------------------------------------------------------------------------

def test_band_thresholds_are_the_documented_minimum_and_bands_never_share_a_commune():
    for m in range(0, 120):
        values = [0.1 + 0.003 * i for i in range(m)]
        dist = others_distribution(values)
        taken: set[int] = set()
        for band in PRIORITY:
            b = dist.band(band)
            assert (b.withheld is None) == (m >= MINIMUM_OTHERS[band]), (m, band)
            if b.withheld is None:
                indices = band_indices(band, m)
                assert len(indices) >= 3 and not taken.intersection(indices)
                taken.update(indices)
                assert b.value == pytest.approx(sum(sorted(values)[i] for i in indices) / len(indices))


def test_distribution_figures_print_coarser_than_published_values():
    assert texts.coarse_number(0.3849, "proportion") == "38\u00a0%"
    assert texts.coarse_number(1.944, "mean") == "1,9"
    assert _numbers(texts.coarse_number(0.3849, "proportion")) == set()  # never prints like "38,5 %"


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"(?<![\d,.])\d+,\d+(?!\d)", text))


def _published(model, ags: str, indicator: str) -> set[str]:
    """Every number the other communes' own reports publish for one indicator, as a sheet prints it."""
    kind = model.indicator(indicator).info.kind
    out = set()
    for p in model.communes:
        if p.ags == ags:
            continue
        for v in (p.direct.get(indicator), p.standardised.get(indicator)):
            if v is not None and v.estimate is not None:
                out |= _numbers(" ".join(texts.number(x, kind) for x in (v.estimate, v.ci_low, v.ci_high) if x))
    return out


def _own(model, commune, indicator: str) -> set[str]:
    """The own commune's numbers for one indicator (they may print like another commune's)."""
    r = model.indicator(indicator)
    kind = r.info.kind
    values = []
    for v in (commune.direct.get(indicator), commune.standardised.get(indicator)):
        if v is not None and v.estimate is not None:
            values += [v.estimate, v.ci_low, v.ci_high]
    eb = r.direct.fay_herriot.estimate(commune.ags) if r.direct.fay_herriot else None
    values += [eb.eb] if eb else []
    for change in (model.changes_for(commune.ags).changes if model.changes_for(commune.ags) else ()):
        if change.indicator == indicator:
            values += [change.estimate_from, change.estimate_to]
    return _numbers(" ".join(texts.number(x, kind) for x in values if x is not None))


@pytest.mark.parametrize("count", [5, 12, 20])
def test_only_distribution_sheet_shows_no_single_other_value(tmp_path, count):
    paths = profiles(tmp_path / "in", count, seed=60 + count)
    target = tmp_path / "aus"
    model = build_model(load_profiles(paths))
    focal = model.communes[1]
    if count == 5:  # through the command once; the larger cases render only the sheet looked at
        result = run(*map(str, paths), "--ziel", str(target), "--nur-verteilung")
        assert result.exit_code == 0, result.output
    else:
        onepager.render_one_pagers(model, target, date=dt.date(2026, 1, 1), only=[focal.ags], only_distribution=True)
    data = onepager.page_data(model, focal.ags, "pages/x.svg", "", date=dt.date(2026, 1, 1), only_distribution=True)
    chart = onepager._figure(model, focal, None, True)
    assert chart is not None and 'id="fokus-' not in chart.svg
    svg_text = " ".join(re.findall(r">([^<>]+)</text>", chart.svg)) + " " + chart.alt_text
    labels = {r.info.label: r.info.id for r in model.headline}
    checked = 0
    for table in (data["indicators"], data["others"]):
        for row in table["rows"]:
            indicator = labels[row[0]]
            leaked = (_numbers(" ".join(row[1:])) & _published(model, focal.ags, indicator)) - _own(model, focal, indicator)
            assert not leaked, (indicator, leaked)
            checked += 1
    for text in (" ".join(data["summary"]), svg_text):
        leaked = (_numbers(text) & _published(model, focal.ags, OUTCOME)) - _own(model, focal, OUTCOME)
        assert not leaked, leaked
    assert checked == 2 * len(model.headline)
    sheet = flat_pdf_text(target / onepager.page_name(focal.ags))
    for row in data["others"]["rows"]:  # the sheet prints these cells
        assert all(cell.replace("\u00a0", " ") in sheet for cell in row[1:])
    assert "graue Punkte" not in sheet and "Mittelwerte von Gruppen (blau)" in sheet
    m = count - 1
    header = data["others"]["columns"]
    assert ("niedrigste Werte" in header) == (m >= MINIMUM_OTHERS[Band.LOWEST])
    assert ("unteres Viertel" in header) == (m >= MINIMUM_OTHERS[Band.LOWER_QUARTILE])
    assert "nur Mittelwerte von Gruppen aus mindestens 3 Kommunen" in sheet
    for other in model.communes:
        if other.ags != focal.ags:
            assert not re.search(rf"{re.escape(other.name)}(?!\d)", sheet), other.name


def test_only_distribution_with_two_other_communes_shows_no_overall_value(tmp_path):
    paths = profiles(tmp_path / "in", 3, seed=70)
    model = build_model(load_profiles(paths))
    focal = model.communes[0]
    data = onepager.page_data(model, focal.ags, None, "", date=dt.date(2026, 1, 1),
                              only_distribution=True)
    assert onepager._figure(model, focal, None, True) is None
    assert all(row[2] == "–" for row in data["indicators"]["rows"])  # no overall value from two others
    assert "Einen Gesamtwert zeigt dieses Blatt nicht" in " ".join(data["summary"])
    assert "zu wenige für eine Verteilung ohne Einzelwerte" in data["others"]["caption"]


# --- sheets: the own commune as promised ------------------------------------------------------------------

def test_every_sheet_keeps_its_own_diamond(tmp_path):
    paths = profiles(tmp_path / "in", 6, seed=80)
    model = build_model(load_profiles(paths))
    f = model.indicator(OUTCOME).direct.funnel
    variants = funnel_variants(f, "x", {p.ags: p.name for p in model.communes})
    for commune in model.communes:
        svg = variants.for_commune(commune.ags, {}).svg
        ids = set(re.findall(r'\bid="([^"]+)"', svg))
        refs = re.findall(r'xlink:href="#([^"]+)"', svg)
        assert refs and all(ref in ids for ref in refs), commune.name  # every marker use has its shape
        assert f'id="fokus-{commune.ags}"' in svg and f'id="fokus-label-{commune.ags}"' in svg
        others = [p.ags for p in model.communes if p.ags != commune.ags]
        assert not any(f'id="fokus-{a}"' in svg for a in others)
        group = svg[svg.index(f'id="fokus-{commune.ags}"'):]
        assert "<use" in group[:group.index("</g>")]  # the diamond itself is drawn


# --- plain language ------------------------------------------------------------------------------------------

def test_every_statistical_term_and_symbol_is_in_the_glossary():
    terms = " ".join(t for t, _ in GLOSSARY)
    for word in ("τ²", "Fay-Herriot", "Arkussinus-Skala", "Funnel", "Überdispersion", "Rangintervall",
                 "Adjustierter", "Standardisiert", "Empirisch-Bayes", "σᵥ²", "ρ", "Winsorisieren", "z-Wert",
                 "Benjamini-Hochberg", "Holm", "Wald-Test", "Effektive Fallzahl"):
        assert word in terms, word
    assert all(len(e.split(". ")) <= 2 and e.endswith(".") for _, e in GLOSSARY)  # one sentence each
    methods = " ".join(METHOD_PARAGRAPHS)
    for symbol in re.findall(r"[τσρφ]\S*", methods):
        assert symbol.strip("(),.;:") in terms, symbol
    assert Tau2Source.TOO_FEW.value == "too_few"
