"""Tabellenband (xlsx): sheets, contents, symbols, number formats and suppressed markers."""

from __future__ import annotations

import copy
from datetime import datetime

from openpyxl import load_workbook
from test_lagebericht_sentences import small_profile

from survey.report.lagebericht.profile import ReportProfile
from survey.report.tabellenband import (
    PCT,
    PCT_UNRELIABLE,
    SMALL_N,
    SUPPRESSED,
    write_tabellenband,
)
from survey.report.tabellenband_layout import HEADER_ROW, section_short, short_name


def _dist(by, group, label, n_valid, flag, shares):
    cats = [{"code": 1, "label": "sehr sicher", "missing": False, "n": 10, "share": shares[0],
             "ci_low": shares[0] - 0.05, "ci_high": shares[0] + 0.05},
            {"code": 2, "label": "sehr unsicher", "missing": False, "n": 20, "share": shares[1],
             "ci_low": shares[1] - 0.05, "ci_high": shares[1] + 0.05},
            {"code": None, "label": "keine Antwort", "missing": True, "n": 2, "share": 0.01,
             "ci_low": None, "ci_high": None}]
    if flag == "unterdrueckt":
        for c in cats:
            c.update(share=0.98765, n=1)
    return {"item": "sicher_nacht", "label": "Wie sicher nachts?", "question": "Wie sicher nachts?",
            "section": "Sicherheitsgefühl", "core": True, "by": by, "group": group, "group_label": label,
            "n_total": n_valid + 2, "n_valid": n_valid, "flag": flag, "flag_reason": None, "categories": cats}


def _profile() -> dict:
    profile = small_profile()
    profile["item_distributions"] = [
        _dist(None, None, None, 380, "ok", (0.6, 0.4)),
        _dist("geschlecht", "1", "männlich", 180, "ok", (0.7, 0.3)),
        _dist("geschlecht", "2", "weiblich", 22, "unsicher", (0.5, 0.5)),
        _dist("geschlecht", "3", "divers", 3, "unterdrueckt", (0.5, 0.5)),
    ]
    return profile


def _rows(ws):
    """Data rows under the header as dicts keyed by the header texts."""
    head = [c.value for c in ws[HEADER_ROW]]
    return [dict(zip(head, row)) for row in ws.iter_rows(min_row=HEADER_ROW + 1)]


def test_workbook_structure_and_markers(tmp_path):
    target = write_tabellenband(ReportProfile(_profile()), tmp_path / "tabellenband.xlsx")
    wb = load_workbook(target)
    assert wb.sheetnames == ["Inhalt", "Hinweise", "T01 Rücklauf", "T02 Indikatoren", "T03 Sicherheitsgefühl"]
    contents = _rows(wb["Inhalt"])
    assert [r["Tabellenblatt"].value for r in contents] == wb.sheetnames[1:]
    assert [r["Nr."].value for r in contents] == [1, 2, 3, 4]
    assert contents[3]["Titel"].value == "Sicherheitsgefühl"
    symbols = [r[0] for r in wb["Hinweise"].iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 4,
                                                       values_only=True)]
    assert symbols == ["/", "( )", "< 10", "–"]

    rows = _rows(wb["T03 Sicherheitsgefühl"])
    by_key = {(r["Gruppe"].value, r["Antwort"].value): r for r in rows}
    overall = by_key[("insgesamt", "sehr sicher")]
    assert overall["Anteil"].value == 0.6 and overall["Anteil"].number_format == PCT
    assert overall["n"].value == 10 and overall["Basis"].value == 380 and overall["Gliederung"].value == "Insgesamt"
    assert overall["Kennung"].value == "sicher_nacht" and overall["Frage"].value == "Wie sicher nachts?"
    unreliable = by_key[("weiblich", "sehr sicher")]
    assert unreliable["Anteil"].number_format == PCT_UNRELIABLE and unreliable["Hinweis"].value == "eingeschränkt belastbar"
    assert unreliable["Gliederung"].value == "Geschlecht"
    missing = by_key[("männlich", "keine Antwort (fehlend)")]
    assert missing["Basis"].value == 182 and missing["Hinweis"].value == "Anteil an allen Befragten der Gruppe"
    hidden = by_key[("divers", "sehr sicher")]
    assert hidden["Anteil"].value == SUPPRESSED and hidden["n"].value == SMALL_N and hidden["Basis"].value == SMALL_N
    assert hidden["Hinweis"].value == "nicht ausgewiesen: weniger als 10 gültige Antworten"
    for row in wb["T03 Sicherheitsgefühl"].iter_rows(values_only=True):
        assert 0.98765 not in row and 3 not in row[7:9]


def test_sheet_names_whole_words_unique_and_short():
    assert short_name(12, "Furcht") == "T12 Furcht"
    long = "Kriminalitätsfurcht – Schutz- und Vermeideverhalten im öffentlichen Raum"
    name = short_name(7, long)
    assert name == "T07 Kriminalitätsfurcht"  # the dash that would end the name is dropped
    assert len(name) <= 31 and all(word in long.split() for word in name.split()[1:])
    assert short_name(3, "Wohnen und Nachbarschaft und sehr viel mehr Text hier") == "T03 Wohnen und Nachbarschaft"
    assert short_name(4, "Angaben: zur [Person]?") == "T04 Angaben zur Person"
    assert len(short_name(5, "Donaudampfschifffahrtsgesellschaftskapitän")) == 31
    assert section_short("furcht_konativ", "Kriminalitätsfurcht – Schutz- und Vermeideverhalten") == "Furcht Schutzverhalten"
    assert section_short("eigenes", "Nachtleben – Clubs und Bars (neu)") == "Nachtleben"


def test_every_sheet_has_title_link_frozen_header_filter_and_print_titles(tmp_path):
    profile = _profile()
    target = write_tabellenband(ReportProfile(profile), tmp_path / "t.xlsx")
    wb = load_workbook(target)
    titles = {r["Tabellenblatt"].value: r["Titel"].value for r in _rows(wb["Inhalt"])}
    for ws in wb.worksheets:
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith(str(HEADER_ROW + 1)), ws.title
        assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:"), ws.title
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
        # one page wide (fitToWidth absent = the OOXML default 1), any number of pages high
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.oddHeader.center.text == "&A" and ws.oddFooter.center.text == "Seite &P von &N"
        assert all(ws.column_dimensions[c].width >= 6 for c in "ABCD")
        if ws.title != "Inhalt":
            assert ws["A1"].value == titles[ws.title]
            assert ws["A2"].value == "← zurück zum Inhalt" and ws["A2"].hyperlink.location == "'Inhalt'!A1"
            assert ws["A2"].style == "Hyperlink"
    for row in _rows(wb["Inhalt"]):
        cell = row["Tabellenblatt"]
        target_sheet = cell.hyperlink.location.split("!")[0].strip("'")
        assert target_sheet == cell.value and target_sheet in wb.sheetnames and cell.style == "Hyperlink"


def test_document_properties_from_the_profile(tmp_path):
    profile = _profile()
    profile["tool"] = {"name": "sicherheitsanalyse", "version": "1.2.3"}
    wb = load_workbook(write_tabellenband(ReportProfile(profile), tmp_path / "t.xlsx"))
    props = wb.properties
    assert props.title == "Tabellenband – Musterstadt 2025"
    assert props.creator == "Sicherheitsanalyse 1.2.3"
    assert props.subject.startswith("Sicherheitsanalyse Musterstadt 2025")
    assert "Musterstadt" in props.keywords and "Tabellenband" in props.keywords
    assert props.created == datetime(2026, 11, 21) and props.language == "de-DE"


def test_response_sheet_per_stratum_and_total(tmp_path):
    profile = _profile()
    profile["sample"]["strata"] = [
        {"code": "1", "label": "Altstadt", "population_16plus": 4000.0, "gross": 600, "net": 240, "response_rate": 0.4},
        {"code": "2", "label": "Neustadt", "population_16plus": 3000.0, "gross": 400, "net": 150, "response_rate": 0.375}]
    wb = load_workbook(write_tabellenband(ReportProfile(profile), tmp_path / "t.xlsx"))
    rows = [[c.value for c in r.values()] for r in _rows(wb["T01 Rücklauf"])]
    assert rows[:3] == [["Altstadt", 4000, 600, 240, 0.4], ["Neustadt", 3000, 400, 150, 0.375],
                        ["insgesamt", 7000, 1000, 390, 0.39]]
    assert wb["T01 Rücklauf"].cell(row=HEADER_ROW + 1, column=5).number_format == PCT


def test_indicator_sheet_marks_suppressed_and_unreliable(tmp_path):
    target = write_tabellenband(ReportProfile(_profile()), tmp_path / "t.xlsx")
    rows = {(r["Kennung"].value, r["Gruppe"].value): r for r in _rows(load_workbook(target)["T02 Indikatoren"])}
    night = rows[("unsicher_nachts", "insgesamt")]
    assert night["Wert"].value == 0.4285 and night["Wert"].number_format == PCT and night["Basis"].value == 380
    assert night["Art"].value == "Anteil" and night["Indikator"].value == "fühlt sich nachts in der Wohngegend unsicher"
    divers = rows[("unsicher_nachts", "divers")]
    assert divers["Wert"].value == SUPPRESSED and divers["Basis"].value == SMALL_N
    fahrrad = rows[("anzeigequote_fahrrad", "insgesamt")]
    assert fahrrad["Wert"].number_format == PCT_UNRELIABLE


def test_written_atomically_and_replaces(tmp_path):
    target = tmp_path / "tabellenband.xlsx"
    target.write_text("alt")
    profile = copy.deepcopy(_profile())
    write_tabellenband(ReportProfile(profile), target)
    assert load_workbook(target).sheetnames[0] == "Inhalt"
    assert [p.name for p in tmp_path.iterdir()] == ["tabellenband.xlsx"]


def test_sections_of_an_unknown_questionnaire_get_whole_word_unique_names(tmp_path):
    profile = _profile()
    base = profile["item_distributions"][0]
    titles = ("Opferhilfe – Angebote und Bekanntheit", "Sicherheit im öffentlichen Personennahverkehr an Haltestellen",
              "Sicherheit im öffentlichen Personennahverkehr und an Bahnhöfen", "Wünsche: [frei]?")
    profile["item_distributions"] = [dict(copy.deepcopy(base), item=f"frage_{k}", section=title)
                                     for k, title in enumerate(titles)]
    wb = load_workbook(write_tabellenband(ReportProfile(profile), tmp_path / "t.xlsx"))
    names = wb.sheetnames[4:]
    assert names == ["T03 Opferhilfe", "T04 Sicherheit im öffentlichen", "T05 Sicherheit im öffentlichen",
                     "T06 Wünsche frei"]
    for name, title in zip(names, titles):
        assert wb[name]["A1"].value == title and len(name) <= 31
    contents = {r["Tabellenblatt"].value: r["Titel"].value for r in _rows(wb["Inhalt"])}
    assert [contents[n] for n in names] == list(titles)
