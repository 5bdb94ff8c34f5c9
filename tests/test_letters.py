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
