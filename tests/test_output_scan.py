"""Every text a reader gets from a commune's run, scanned for what trips a reader (issue 13).

Over every sample commune and one generated commune nobody has seen: the Lagebericht (PDF text and
HTML), the Kurzbericht, the Tabellenband (every text cell) and the messages of ``run``. The scan
(:mod:`text_scan`) looks for item ids, rule keys, English words, doubled brackets and punctuation and
hyphen-minus in number ranges or as a minus sign.
"""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest
from bs4 import BeautifulSoup

from sample_outputs import UNSEEN, built, sample_slugs
from survey.folder import load_folder
from survey.report.tabellenband_layout import HEADER_ROW
from text_scan import assert_readable, scan_context

COMMUNES = [*sample_slugs(), UNSEEN]


def pdf_text(path) -> str:
    """The PDF's text in reading order, with words hyphenated at a line end joined again (Typst breaks
    »Fahrrad­diebstahl« with a soft hyphen; the second half alone would read like a rule key)."""
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub("\u00ad\n", "", raw)


def html_text(path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    return soup.get_text("\n")


REFERENCE_COLUMNS = frozenset({"Kennung"})  # the variable id for analysts, a column of its own


def workbook_text(path) -> str:
    """Every text cell, except the reference columns (headed »Kennung« in the header row)."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    texts = []
    for sheet in workbook:
        skip: set[int] = set()
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number == HEADER_ROW:
                skip = {i for i, value in enumerate(row) if value in REFERENCE_COLUMNS}
            texts += [value for i, value in enumerate(row) if isinstance(value, str) and i not in skip]
    return "\n".join(texts)


@pytest.fixture(scope="module", params=COMMUNES)
def outputs(request):
    folder, messages = built(request.param)
    return request.param, folder, messages


@pytest.mark.parametrize("output", ["bericht.pdf", "bericht.html", "kurzbericht.pdf", "tabellenband.xlsx", "run"])
def test_every_output_reads_without_stumbling(outputs, output):
    slug, folder, messages = outputs
    result = folder / "ergebnis" / output
    text = {"bericht.pdf": pdf_text, "kurzbericht.pdf": pdf_text, "bericht.html": html_text,
            "tabellenband.xlsx": workbook_text}.get(output, lambda _: messages)(result)
    assert text.strip()
    context = scan_context(load_folder(folder).questionnaire, coach=output == "run")
    assert_readable(text, context, where=f"{slug}/{output}")


@pytest.mark.parametrize("output", ["bericht.pdf", "kurzbericht.pdf"])
def test_the_interval_label_is_never_broken_across_lines(outputs, output):
    """»(95-« at a line end and »%-KI 38,0–47,9 %)« on the next: Typst broke after the label's hyphens."""
    slug, folder, _ = outputs
    raw = subprocess.run(["pdftotext", str(folder / "ergebnis" / output), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert "-%-KI" in raw
    # pdftotext joins a line that ends in a hyphen with the next and drops that hyphen: »95%-KI«, »95-%KI«
    assert re.findall(r"\d+%-KI|\d+-%KI", raw) == [], f"{slug}/{output}"
