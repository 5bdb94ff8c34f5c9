"""Invitation letters: text from analyse.yaml, one page per code, German date."""

from __future__ import annotations

import datetime as dt
import re

from survey.folder import load_folder
from survey.letters import letter_data, render_letters
from survey.report.formatting import long_date
from test_web_helpers import make_folder


def test_letter_data_takes_sender_url_and_deadline_from_the_config(tmp_path):
    config = load_folder(make_folder(tmp_path)).config
    data = letter_data(config, ["ABCDE-FGH23"], dt.date(2025, 3, 1))
    assert data["absender"] == "Stadtverwaltung Musterstadt, Markt 1, 01234 Musterstadt"
    assert data["unterschrift"] == "Erika Mustermann, Bürgermeisterin"
    assert data["url"] == "https://befragung.musterstadt.example"
    assert data["datum"] == "1. März 2025"
    assert data["betreff"] == "Bürgerbefragung zur Sicherheit in Musterstadt 2025"
    assert "Bitte nehmen Sie bis zum 31. März 2025 teil." in data["hinweise"][0]
    assert any("ohne Verbindung zu Ihrem Code" in note for note in data["hinweise"])
    assert all("{" not in paragraph for paragraph in data["absaetze"])


def test_custom_text_with_placeholders(tmp_path):
    folder = make_folder(tmp_path)
    config_path = folder / "analyse.yaml"
    config_path.write_text(config_path.read_text(encoding="utf-8")
                           + '  text: "Liebe Menschen in {kommune},\\n\\nbitte machen Sie mit {jahr}."\n',
                           encoding="utf-8")
    data = letter_data(load_folder(folder).config, ["ABCDE-FGH23"])
    assert data["absaetze"] == ["Liebe Menschen in Musterstadt,", "bitte machen Sie mit 2025."]


def test_two_pdf_pages_per_code_with_the_privacy_notice_on_the_back(tmp_path):
    import subprocess

    config = load_folder(make_folder(tmp_path)).config
    target = tmp_path / "briefe.pdf"
    render_letters(config, ["ABCDE-FGHJK-MNP2R", "BCDEF-GHJKM-NP23Q"], target)
    pdf = target.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 4
    assert b"/StructTreeRoot" in pdf  # tagged (PDF/UA-1)
    pages = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(target), "-"], capture_output=True,
                            text=True, check=True).stdout for n in (1, 2, 3)]
    assert "ABCDE-FGHJK-MNP2R" in pages[0] and "Datenschutzhinweise stehen auf der Rückseite" in " ".join(pages[0].split())
    back = " ".join(pages[1].split())
    assert back.startswith("Datenschutzhinweise zur Bürgerbefragung") and "ABCDE" not in back
    for text in ("Verantwortliche Stelle Stadt Musterstadt, Markt 1, 01234 Musterstadt",
                 "Datenschutzbeauftragter der Stadt Musterstadt, datenschutz@musterstadt.example",
                 "Art. 6 Abs. 1 Buchst. a DSGVO", "Art. 11 DSGVO", "Speicherdauer", "Aufsichtsbehörde"):
        assert text in back, text
    assert "BCDEF-GHJKM-NP23Q" in pages[2]


def test_long_date():
    assert long_date(dt.date(2026, 12, 24)) == "24. Dezember 2026"


def test_bilingual_letters_with_the_second_language_and_a_line_per_offered_language(tmp_path):
    import subprocess

    folder = make_folder(tmp_path)
    config_path = folder / "analyse.yaml"
    config_path.write_text(config_path.read_text(encoding="utf-8") + "sprachen: {zweite: pl, angeboten: [pl, cs, ar]}\n",
                           encoding="utf-8")
    config = load_folder(folder).config
    data = letter_data(config, ["ABCDE-FGHJK-MNP2R"])
    assert data["zweite"]["lang"] == "pl" and data["zweite"]["code_label"] == "Pana/Pani osobisty kod dostępu"
    assert [line["lang"] for line in data["angeboten"]] == ["pl", "cs", "ar"]
    assert data["angeboten"][2]["dir"] == "rtl"
    assert data["angeboten_de"] == ("Den Fragebogen gibt es auch auf Polnisch, Tschechisch und Arabisch: im Internet "
                                    "(Sprache oben auf der Seite wählen) oder auf Papier.")
    target = tmp_path / "briefe.pdf"
    render_letters(config, ["ABCDE-FGHJK-MNP2R", "BCDEF-GHJKM-NP23Q"], target)
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", target.read_bytes())) == 4  # still one sheet per letter
    front = " ".join(subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(target), "-"], capture_output=True,
                                    text=True, check=True).stdout.split())
    for text in ("ABCDE-FGHJK-MNP2R", "Pana/Pani osobisty kod dostępu", "Gmina chciałaby się dowiedzieć",
                 "Ankieta jest dostępna także po polsku", "Dotazník je k dispozici také v češtině",
                 "Den Fragebogen gibt es auch auf Polnisch, Tschechisch und Arabisch"):
        assert text in front, text
    assert "الاستبيان متوفر أيضًا".split()[-1] in front or "العربية" in front
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    assert all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:])


def test_sprachen_errors_are_german_with_file_and_line(tmp_path):
    import pytest

    from survey.errors import UserError

    folder = make_folder(tmp_path)
    config_path = folder / "analyse.yaml"
    base = config_path.read_text(encoding="utf-8")
    line = base.count("\n") + 1
    for extra, message in (
        ("sprachen: {zweite: cs, angeboten: [pl]}",
         "»sprachen«: »zweite: cs« steht nicht unter »angeboten« (pl); die zweite Sprache der Anschreiben muss "
         "auch angeboten werden."),
        ("sprachen: {angeboten: [pl, polnisch]}",
         "»sprachen.angeboten«: »polnisch« ist keine Sprache des Werkzeugs; möglich sind: de, de-LS, en, pl, cs, "
         "tr, ru, uk, ar."),
    ):
        config_path.write_text(base + extra + "\n", encoding="utf-8")
        with pytest.raises(UserError) as error:
            load_folder(folder)
        assert str(error.value) == f"{config_path}, Zeile {line}: {message}"


def test_a_letter_too_long_for_one_page_is_refused_and_nothing_is_written(tmp_path):
    import pytest

    from survey.errors import ConfigError

    folder = make_folder(tmp_path)
    config_path = folder / "analyse.yaml"
    long_text = "\\n\\n".join(["Ein langer Absatz über die Befragung in {kommune}. " * 12] * 4)
    config_path.write_text(config_path.read_text(encoding="utf-8") + f'  text: "{long_text}"\n', encoding="utf-8")
    target = tmp_path / "briefe.pdf"
    with pytest.raises(ConfigError, match="passt nicht auf eine Seite"):
        render_letters(load_folder(folder).config, ["ABCDE-FGHJK-MNP2R"], target)
    assert not target.exists()
