"""One small-cell rule, applied the same way everywhere (issue 13).

The rule (``analysis.core.flags``): a value is published only if its *base* — the group's respondents
with a valid answer — is at least ``min_n_shown``; a category's own count may be smaller. Over every
sample commune: (1) the engine flags every record with a small base as suppressed and keeps no number in
it; (2) a value planted into every such record (one that cannot occur naturally: a share of 123,5 %) shows
up in no published cell of the Tabellenband, the Lagebericht (HTML) or the Kurzbericht (PDF), so the
report layer follows the flag; (3) the methods sentence states the recorded parameters.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from analysis.core import flags
from survey.profile.sections import Suppression
from survey.profile_builder import write_profile
from survey.report.html_render import write_html
from survey.report.lagebericht.build import build_kurzbericht, build_lagebericht
from survey.report.lagebericht.local import load_local_content
from survey.report.render import (
    KURZBERICHT_TYPST,
    LAGEBERICHT_HTML,
    load_report_profile,
)
from survey.report.tabellenband import write_tabellenband
from survey.report.typst_render import render_pdf
from survey.resources import sample_data_dir
from survey.wording import methods as wm

COMMUNES = sorted(p.name for p in sample_data_dir().iterdir() if (p / "analyse.yaml").is_file())
SECRET_SHARE, SECRET_LOW, SECRET_HIGH = 1.2345, 1.1111, 1.3333  # shares over 100 %: never a real value
SECRET_MEAN = 87.6543
SECRET_FLOATS = {SECRET_SHARE, SECRET_LOW, SECRET_HIGH, SECRET_MEAN}
SECRET_TEXTS = ("123,5", "111,1", "133,3", "87,65", "87,7")


def _records(node):
    """Every estimate record (``estimate`` and ``n``) and every distribution (``n_valid``) in the profile."""
    if isinstance(node, dict):
        if "n_valid" in node and "categories" in node:
            yield "distribution", node
        elif "estimate" in node and "n" in node:
            yield "estimate", node
        for value in node.values():
            yield from _records(value)
    elif isinstance(node, list):
        for value in node:
            yield from _records(value)


def _small(kind: str, record: dict) -> bool:
    if record.get("source") == "pks":  # police case counts (recommendation evidence), no survey answers
        return False
    base = record["n_valid"] if kind == "distribution" else record["n"]
    return base is not None and base < flags.MIN_N_SHOWN


def _plant(profile: dict) -> int:
    """Put the secret numbers into every record whose base is below the threshold; returns how many."""
    planted = 0
    for kind, record in _records(profile):
        if not _small(kind, record):
            continue
        planted += 1
        if kind == "distribution":
            for c in record["categories"]:
                c.update(share=SECRET_SHARE, ci_low=SECRET_LOW, ci_high=SECRET_HIGH)
        else:
            mean = record.get("kind") == "mean"
            record.update(estimate=SECRET_MEAN if mean else SECRET_SHARE, ci_low=SECRET_LOW, ci_high=SECRET_HIGH)
    return planted


@pytest.fixture(scope="module", params=COMMUNES)
def commune(request, tmp_path_factory):
    target = tmp_path_factory.mktemp("disclosure") / request.param
    shutil.copytree(sample_data_dir() / request.param, target)
    path, _ = write_profile(target)
    profile = json.loads(path.read_text(encoding="utf-8"))
    return target, profile


def test_engine_suppresses_every_small_base(commune):
    _, profile = commune
    small = [(kind, r) for kind, r in _records(profile) if _small(kind, r)]
    for kind, record in small:
        assert record["flag"] == flags.SUPPRESSED, record
        if kind == "distribution":
            assert all(c["share"] is None and c["n"] is None for c in record["categories"]), record
        else:
            assert record["estimate"] is None and record["ci_low"] is None and record["ci_high"] is None, record
    shown = [r for kind, r in _records(profile) if not _small(kind, r) and r.get("flag") == flags.SUPPRESSED
             and r.get("flag_reason") == flags.FlagReason.FEW_ANSWERS.value]
    assert shown == []  # nothing is suppressed for a small base that is not small
    assert profile["methods"]["suppression"] == flags.policy()


def test_no_published_cell_shows_a_value_of_a_small_base(commune):
    folder, profile = commune
    planted = _plant(profile)
    (folder / "ergebnis" / "profil.json").write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    rp = load_report_profile(folder)
    out = folder / "ergebnis"
    write_tabellenband(rp, out / "tabellenband.xlsx")
    write_html(build_lagebericht(rp, load_local_content(folder, rp)), out / "bericht.html", template=LAGEBERICHT_HTML)
    render_pdf(build_kurzbericht(rp), out / "kurzbericht.pdf", template=KURZBERICHT_TYPST)

    wb = load_workbook(out / "tabellenband.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not SECRET_FLOATS & {v for v in row if isinstance(v, float)}, (ws.title, row)
    html = (out / "bericht.html").read_text(encoding="utf-8")
    kurz = subprocess.run(["pdftotext", str(out / "kurzbericht.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    for name, text in (("bericht.html", html), ("kurzbericht.pdf", kurz)):
        flat = text.replace("\u00a0", " ").replace("\u202f", " ")
        for secret in SECRET_TEXTS:
            assert secret not in flat, (name, secret, re.findall(rf".{{60}}{secret}.{{20}}", flat)[:3])
    if planted:  # the small groups are there, marked as not shown
        assert "nicht ausgewiesen" in BeautifulSoup(html, "html.parser").get_text(" ")


def test_methods_sentence_states_the_recorded_parameters(commune):
    _, profile = commune
    rules = profile["methods"]["suppression"]
    text = wm.suppression_rules(Suppression.model_validate(rules))
    assert f"Basis mindestens {rules['min_n_shown']} gültige Antworten" in text
    assert f"»< {rules['min_n_shown']}«" in text
    assert f"Basis von {rules['min_n_shown']} bis {rules['min_n_reliable'] - 1} gültigen Antworten" in text
    assert f"breiter als {round(100 * rules['max_ci_width_proportion'])} Prozentpunkte" in text
    assert f"mindestens {rules['min_mentions_named']} Befragte nennen" in text
    assert rules["base"] == flags.BASE_VALID_ANSWERS and "n einer Antwortkategorie" in text
    other = wm.suppression_rules(Suppression.model_validate({**rules, "min_n_shown": 5, "min_n_reliable": 50}))
    assert "Basis mindestens 5 gültige" in other and "Basis von 5 bis 49" in other
