"""Paper forms in every shipped language: the language's texts, its fonts embedded, no missing glyph.

``pdffonts`` must list only the fonts we ship (Libertinus Serif, DejaVu Sans), all embedded, and
``pdftotext`` must give back the translated texts (a glyph missing from the fonts would not round-trip).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata

import pytest

from survey.paper_form import paper_data, write_paper_form
from survey.questionnaire import load_questionnaire

SHIPPED = ("de", "de-LS", "en", "pl", "cs", "tr", "ru", "uk", "ar")
TOOLS = ("pdffonts", "pdftotext", "pdftoppm")
BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u2066\u2067\u2068\u2069"), " ")


def _tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{', '.join(missing)} fehlt (apt-get install poppler-utils)")
        pytest.skip(f"{', '.join(missing)} fehlt")


def _words(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text.translate(BIDI))
    return {word for word in re.findall("[\\w\u064b-\u0652]+", text) if len(word) > 2}


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    _tools()
    folder = tmp_path_factory.mktemp("papier")
    made = {}
    for code in SHIPPED:
        result = write_paper_form("sicherheitsanalyse-standard", kommune="Grenzbach", jahr=2025,
                                  ortsteile={1: "Nord", 2: "Süd"}, sprache=code, target=folder / f"{code}.pdf")
        made[code] = result
    return made


@pytest.mark.parametrize("code", SHIPPED)
def test_every_language_embeds_only_our_fonts(forms, code):
    listing = subprocess.run(["pdffonts", str(forms[code].path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows
    for row in rows:
        name, embedded = row.split()[0], row.split()[-5]
        assert embedded == "yes", row
        assert re.search(r"LibertinusSerif|DejaVuSans", name), row  # no system font fell in


@pytest.mark.parametrize("code", SHIPPED)
def test_the_translated_texts_round_trip_through_the_pdf(forms, code):
    questionnaire = load_questionnaire("sicherheitsanalyse-standard", kommune="Grenzbach", jahr=2025,
                                       ortsteile={1: "Nord", 2: "Süd"}, sprache=code)
    data = paper_data(questionnaire)
    expected = [data["title"], data["how_to"], *data["instructions"], data["closing"]["heading"]]
    for section in data["sections"]:
        expected.append(section["title"])
        expected.extend(q["text"] for q in section["questions"] if q["text"])
    text = _words(subprocess.run(["pdftotext", str(forms[code].path), "-"], capture_output=True, text=True,
                                 check=True).stdout)
    wanted = set().union(*(_words(item) for item in expected))
    if code == "ar":
        # pdftotext writes the lam-alef ligature back in visual order (»ال« for »لا«) and moves vowel marks
        # (harakat): leave words with either out
        wanted = {word for word in wanted if not re.search("ل[اأإآ]|[\u064b-\u0652]", word)}
    lost = sorted(wanted - text)
    assert not lost, lost[:20]
    assert len(wanted) > 150


def test_arabic_is_right_to_left_and_the_other_languages_left_to_right():
    for code in SHIPPED:
        data = paper_data(load_questionnaire("sicherheitsanalyse-standard", kommune="Grenzbach", jahr=2025,
                                             sprache=code))
        assert data["dir"] == ("rtl" if code == "ar" else "ltr")
        assert data["lang"] == ("de" if code.startswith("de") else code)
    polish = paper_data(load_questionnaire("sicherheitsanalyse-standard", kommune="Grenzbach", jahr=2025, sprache="pl"))
    notes = [q["note"] for s in polish["sections"] for q in s["questions"] if q["note"]]
    assert notes and all("Frage" not in note and "angekreuzt" not in note for note in notes)
    assert any(note.startswith("Prosimy odpowiedzieć tylko wtedy, gdy zaznaczono „") for note in notes)


@pytest.mark.parametrize("code", ("pl", "ar", "ru"))
def test_a_page_renders_as_an_image_with_ink(forms, code, tmp_path):
    subprocess.run(["pdftoppm", "-r", "30", "-f", "2", "-l", "2", "-png", str(forms[code].path), str(tmp_path / code)],
                   check=True)
    image = next(tmp_path.glob(f"{code}*.png")).read_bytes()
    assert image.startswith(b"\x89PNG") and len(image) > 5000
