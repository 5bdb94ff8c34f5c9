"""Kurzbericht from a small fixed profile: two pages, key figures, next steps; no PKS chapter text."""

from __future__ import annotations

import re
import subprocess

from survey.report.lagebericht import build_kurzbericht, build_lagebericht
from survey.report.lagebericht.profile import ReportProfile
from survey.report.typst_render import render_pdf
from test_lagebericht_sentences import small_profile


def _profile() -> dict:
    profile = small_profile()
    profile["recommendations"] = [
        {"rule_id": "r1", "field_of_action": "f", "field_of_action_label": "Feld", "title": "Angsträume entschärfen",
         "text": "Viele meiden Orte.", "priority": "hoch", "measures": ["Ortsbegehung"],
         "evidence": [{"source": "indicator", "id": "meidet_orte", "measure": "estimate", "label": "meidet Orte",
                       "estimate": 0.312, "ci_low": 0.27, "ci_high": 0.357, "n": 372, "flag": "ok", "unit": "share",
                       "comparison": "estimate >= threshold", "threshold": 0.25, "met": True, "required": True}]},
    ]
    return profile


def test_kurzbericht_two_pages(tmp_path):
    rp = ReportProfile(_profile())
    doc = build_kurzbericht(rp)
    assert [s.heading for s in doc.sections] == ["Das Wichtigste in Kürze", "Vorschläge und Hintergründe"]
    target = render_pdf(doc, tmp_path / "kurzbericht.pdf", template="kurzbericht.typ")
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2\b", info)
    text = " ".join(subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout.split())
    assert "Angsträume entschärfen: Viele meiden Orte." in text and "Befund:" not in text
    assert "Es sind Vorschläge der Analyse; was davon umgesetzt wird, berät und entscheidet die Kommune" in text
    assert "Wie sicher sind die Zahlen?" in text and "Werte aus weniger als 10 Antworten werden nicht gezeigt" in text
    assert "adjustiert" not in text  # evidence in plain words for citizens
    assert "keine Polizeiliche Kriminalstatistik" in text


def test_lagebericht_without_pks_says_so():
    doc = build_lagebericht(ReportProfile(_profile()))
    pks = next(s for s in doc.sections if s.heading == "Polizeiliche Kriminalstatistik")
    assert "lag keine Polizeiliche Kriminalstatistik (PKS) vor" in pks.blocks[0].text
