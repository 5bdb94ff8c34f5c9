"""Published comparison values (issue 12, point 7): every value is in shared/research/domain.md, the
profile carries them and the Lagebericht shows them with source, area and year."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lagebericht_sentences import small_profile

from survey.comparison_values import VALUES_FILE, load_comparison_values, profile_entries
from survey.errors import DefinitionError
from survey.report.lagebericht.comparison_values import comparison_table
from survey.report.lagebericht.profile import ReportProfile

DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "research" / "domain.md"
CORE = {"unsicher_nachts", "unsicher_tag", "unsicher_gemeinde", "meidet_orte", "vertrauen_polizei_hoch",
        "furcht_index", "problem_index", "opfer_12m_irgendein"}


def test_every_value_is_published_in_domain_md():
    text = DOMAIN.read_text(encoding="utf-8")
    values = load_comparison_values()
    assert values
    for value in values:
        assert value.beleg in text, value.beleg
        if value.wert is not None:  # the number itself stands in the quoted passage (as 97.3 %)
            assert f"{value.wert * 100:.1f} %" in value.beleg
        line = next(line for line in text.splitlines() if value.beleg in line)
        assert value.quelle.split(" ")[0] in text[max(0, text.index(line) - 2000):text.index(line) + len(line)]
        assert value.indikator in CORE or value.indikator.startswith(("sorge_hoch_", "problem_gross_", "opfer_12m_"))


def test_refuses_a_value_without_number_or_text(tmp_path):
    path = tmp_path / "werte.yaml"
    path.write_text(VALUES_FILE.read_text(encoding="utf-8").replace(
        "    wert_text: knapp drei Viertel (genauer Wert nicht veröffentlicht)\n", ""), encoding="utf-8")
    with pytest.raises(DefinitionError, match="wert_text"):
        load_comparison_values(path)


def test_table_beside_commune_value():
    entries = profile_entries(load_comparison_values(), {"unsicher_tag", "unsicher_nachts"})
    profile = small_profile()
    profile["commune"]["name"] = "Testdorf"
    profile["wave"] = {"jahr": 2026, "label": "2026"}
    profile["indicators"] = [
        {"id": "unsicher_tag", "kind": "proportion", "estimate": 0.1, "ci_low": 0.06, "ci_high": 0.15, "n": 300,
         "flag": "ok", "label": "x"},
        {"id": "unsicher_nachts", "kind": "proportion", "estimate": None, "ci_low": None, "ci_high": None, "n": 4,
         "flag": "unterdrueckt", "label": "y"}]
    profile["comparison_values"] = entries
    table = comparison_table(ReportProfile(profile))
    day, night = table.rows
    assert day == ("fühlt sich tagsüber in der Wohngegend sicher", "90,0\u00a0% (85,0–94,0\u00a0%)", "97,3\u00a0%",
                   "SKiD 2020 – Sicherheit und Kriminalität in Deutschland (BKA), Deutschland, 2020")
    # a value published only in words stands with its source; the number column stays numeric
    assert night[1] == "/" and night[2] == "–"
    assert night[3].startswith("knapp drei Viertel (genauer Wert nicht veröffentlicht); SKiD 2020")
