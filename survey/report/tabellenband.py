"""Tabellenband (tabellenband.xlsx): every item's weighted distribution with confidence intervals and
unweighted n, overall and by Geschlecht, Altersgruppe and Ortsteil; all indicators; built only from
the profile.

Sheets: ``Inhalt`` (contents with links), ``Hinweise`` (symbols and methods), ``T01 Rücklauf``,
``T02 Indikatoren`` (all indicators overall and by group), the coded free texts if any, then one sheet
per questionnaire section (``T05 Sicherheitsgefühl`` …; structure in
:mod:`survey.report.tabellenband_layout`). Each table sheet is one flat table under one header row (so
the autofilter selects an item, a breakdown or a group). Shares are numbers with the number format
``0.0 %`` (Excel and LibreOffice show ``42,8 %`` in a German locale). Whether a value is shown is the
engine's flag in the profile (``analysis.core.flags``; the rule applies to the base, the group's valid
answers): a suppressed value holds the text ``/`` and its base ``< 10``; unreliable values are shown in
parentheses via the number format and marked in the note column.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Alignment

from survey.profile.base import Kind
from survey.profile.records import ItemDistribution
from survey.profile.sections import Suppression
from survey.report import tabellenband_layout as lay
from survey.report.lagebericht.profile import ReportProfile, flag_of, shown
from survey.report.tabellenband_local import add_local_sheets, suppression_rule
from survey.report.tabellenband_places import add_free_text_sheet
from survey.sheet_model import Workbook
from survey.wording import disclosure
from survey.wording import methods as wm
from survey.wording import tables as wt
from survey.xlsx_writer import save_workbook

PCT = "0.0 %"
PCT_UNRELIABLE = '"("0.0 %")"'
MEAN = "0.00"
MEAN_UNRELIABLE = '"("0.00")"'
INT = "#,##0"
SUPPRESSED = disclosure.SUPPRESSED_SYMBOL
SMALL_N = disclosure.small_n()
NOTE_SUPPRESSED = disclosure.suppressed_note()
NOTE_UNRELIABLE = "eingeschränkt belastbar"
WRAP = Alignment(wrap_text=True, vertical="top")
LABEL_CHARS_PER_LINE = 44  # column A is 40 wide
NOTE_MISSING = "Anteil an allen Befragten der Gruppe"
BYS = (None, "geschlecht", "altersgruppe", "ortsteil")


def _symbols(suppression: Suppression | None) -> tuple[tuple[str, str], ...]:
    shown_min = disclosure.threshold(suppression)
    reliable = disclosure.parameters(suppression).min_n_reliable
    return (
        ("/", f"Nicht ausgewiesen: Die Basis (gültige Antworten der Gruppe) umfasst weniger als {shown_min} Befragte."),
        ("( )", (f"Eingeschränkt belastbar: Basis von {shown_min} bis {reliable - 1} Befragten oder sehr breites "
                 "Konfidenzintervall.")),
        (disclosure.small_n(suppression), f"Basis unter {shown_min} Befragten (die genaue Zahl wird nicht genannt)."),
        ("–", "Kein Wert vorhanden (fehlende Antworten haben kein Konfidenzintervall: die Zelle bleibt leer)."),
        ("Anteil", ("Gewichteter Anteil an den gültigen Antworten der Gruppe (fehlende Antworten: an allen "
                    "Befragten der Gruppe).")),
        ("KI unten / KI oben", "Grenzen des 95-%-Konfidenzintervalls."),
        ("n", (f"Ungewichtete Zahl der Befragten mit dieser Antwort (kann unter {shown_min} liegen; maßgeblich für "
               "die Ausweisung ist die Basis).")),
        ("Basis", "Ungewichtete Zahl der Befragten der Gruppe mit gültiger Antwort auf die Frage."),
    )


def _put_value(ws, row: int, col: int, value, fmt_ok: str, fmt_unreliable: str, flag) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.number_format = fmt_unreliable if flag == "unreliable" else fmt_ok


def _note(flag) -> str:
    return {"suppressed": NOTE_SUPPRESSED, "unreliable": NOTE_UNRELIABLE}.get(flag, "")


def _breakdown_label(rp: ReportProfile, by: str | None) -> str:
    if by is None:
        return wt.BREAKDOWN_OVERALL
    return next((v.label for v in rp.breakdown_variables if v.id == by), by)


ITEM_COLUMNS = ("Frage", "Gliederung", "Gruppe", "Antwort", "Anteil", "KI unten", "KI oben", "n", "Basis",
                "Hinweis", "Fragetext (Fragenblock)", "Kennung")


def _item_rows(ws, row: int, rp: ReportProfile, item: ItemDistribution) -> int:
    first = row
    for by in BYS:
        for d in rp.distributions(item.item, by):
            flag = flag_of(d)
            lead = (item.label, _breakdown_label(rp, by), d.group_label or wt.GROUP_OVERALL)
            for c in d.categories:
                for col, text in enumerate(lead, start=1):
                    ws.cell(row=row, column=col, value=text)
                ws.cell(row=row, column=4, value=c.label + (" (fehlend)" if c.missing else ""))
                if flag == "suppressed":
                    for col, text in ((5, SUPPRESSED), (6, "–"), (7, "–"), (8, SMALL_N), (9, SMALL_N),
                                      (10, NOTE_SUPPRESSED)):
                        ws.cell(row=row, column=col, value=text)
                elif c.share is None:  # no value (not a disclosure decision)
                    for col, value in ((5, "–"), (6, "–"), (7, "–"), (8, c.n), (9, d.n_valid)):
                        ws.cell(row=row, column=col, value=value)
                else:
                    _put_value(ws, row, 5, c.share, PCT, PCT_UNRELIABLE, flag)
                    for col, bound in ((6, c.ci_low), (7, c.ci_high)):
                        if bound is not None:  # missing answers have no interval: the cell stays empty
                            _put_value(ws, row, col, bound, PCT, PCT_UNRELIABLE, flag)
                    ws.cell(row=row, column=8, value=c.n).number_format = INT
                    base = d.n_total if c.missing else d.n_valid
                    ws.cell(row=row, column=9, value=base).number_format = INT
                    note = NOTE_MISSING if c.missing else _note(flag)
                    ws.cell(row=row, column=10, value=note or None)
                if item.question != item.label:  # the stem of a grid item
                    ws.cell(row=row, column=11, value=item.question)
                ws.cell(row=row, column=12, value=item.item)
                row += 1
    if row > first:  # the item's first row shows its whole label (on paper the later rows are cut at the border)
        ws.cell(row=first, column=1).alignment = WRAP
        lines = -(-len(item.label) // LABEL_CHARS_PER_LINE)
        if lines > 1:
            ws.row_dimensions[first].height = 13.0 * lines
    return row


IND_COLUMNS = ("Indikator", "Art", "Gliederung", "Gruppe", "Wert", "KI unten", "KI oben", "Basis",
               "Designeffekt", "Hinweis", "Kennung")


def _indicator_sheet(ws, rp: ReportProfile) -> None:
    lay.header(ws, IND_COLUMNS)
    row = lay.FIRST_ROW
    for ind in rp.indicators:
        records = [(None, ind)] + [(by, r) for by in BYS[1:] for r in rp.breakdown(ind.id, by)]
        mean = ind.kind == Kind.MEAN
        for by, r in records:
            flag = flag_of(r)
            ws.cell(row=row, column=1, value=ind.label)
            ws.cell(row=row, column=2, value=wt.indicator_kind(ind.kind))
            ws.cell(row=row, column=3, value=_breakdown_label(rp, by))
            ws.cell(row=row, column=4, value=r.group_label or wt.GROUP_OVERALL)
            if not shown(r):
                ws.cell(row=row, column=5, value=SUPPRESSED)
                ws.cell(row=row, column=6, value="–")
                ws.cell(row=row, column=7, value="–")
                hidden = r.flag_reason not in disclosure.COUNT_REASONS
                ws.cell(row=row, column=8, value=SMALL_N if hidden else r.n)
                ws.cell(row=row, column=10, value=NOTE_SUPPRESSED if hidden else None)
            else:
                ok, bad = (MEAN, MEAN_UNRELIABLE) if mean else (PCT, PCT_UNRELIABLE)
                for col, value in ((5, r.estimate), (6, r.ci_low), (7, r.ci_high)):
                    _put_value(ws, row, col, value, ok, bad, flag)
                ws.cell(row=row, column=8, value=r.n).number_format = INT
                if r.deff is not None:
                    ws.cell(row=row, column=9, value=r.deff).number_format = "0.00"
                ws.cell(row=row, column=10, value=_note(flag) or None)
            ws.cell(row=row, column=11, value=ind.id)
            row += 1
    lay.separate_blocks(ws, 11, len(IND_COLUMNS))
    lay.finish_sheet(ws, len(IND_COLUMNS), fixed={1: 48, 10: 54}, printed=len(IND_COLUMNS) - 1,
                     numeric=(5, 6, 7, 8, 9))


RESPONSE_COLUMNS = ("Ortsteil (Schicht)", "Einwohner ab 16", "Stichprobe (brutto)", "Befragte (netto)",
                    "Rücklaufquote")


def _response_sheet(ws, rp: ReportProfile) -> None:
    sample = rp.document.sample
    lay.header(ws, RESPONSE_COLUMNS)
    row = lay.FIRST_ROW
    total_population = sum(s.population_16plus for s in sample.strata) or None
    lines = [(s.label, s.population_16plus, s.gross, s.net, s.response_rate) for s in sample.strata]
    lines.append((wt.GROUP_OVERALL, total_population, sample.gross, sample.net, sample.response_rate))
    for label, population, gross, net, response_rate in lines:
        ws.cell(row=row, column=1, value=label)
        for col, value in ((2, population), (3, gross), (4, net)):
            if value is not None:
                ws.cell(row=row, column=col, value=value).number_format = INT
        if response_rate is not None:
            ws.cell(row=row, column=5, value=response_rate).number_format = PCT
        row += 1
    if row - 1 >= lay.FIRST_ROW:
        for col in range(1, 6):
            ws.cell(row=row - 1, column=col).font = lay.BOLD
    if sample.modes:
        row += 1
        ws.cell(row=row, column=1, value="Befragte nach Teilnahmeweg").font = lay.BOLD
        for mode, count in sample.modes.items():
            row += 1
            ws.cell(row=row, column=1, value={"papier": "Papier", "online": "online"}.get(mode, mode))
            ws.cell(row=row, column=4, value=count).number_format = INT
    lay.finish_sheet(ws, len(RESPONSE_COLUMNS), numeric=(2, 3, 4, 5))


def _notes_sheet(ws, rp: ReportProfile) -> None:
    methods = rp.document.methods
    suppression = suppression_rule(rp)
    lay.header(ws, ("Zeichen", "Bedeutung"))
    row = lay.FIRST_ROW
    for sym, text in _symbols(suppression):
        ws.cell(row=row, column=1, value=sym)
        ws.cell(row=row, column=2, value=text).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    label = ws.cell(row=row, column=1, value="Methode")
    label.font = lay.BOLD
    label.alignment = Alignment(vertical="top")
    for text in (wm.suppression_rules(suppression), wm.method_text("variance", methods.variance),
                 *wm.NOTES,
                 ("Fehlende Antworten (weiß nicht, keine Angabe, keine Antwort) werden gezählt, gehen aber nicht "
                 "in die Anteile der gültigen Antworten ein. Freitexte sind nur kodiert (zusammengefasst) "
                 "enthalten, nie im Wortlaut.")):
        if text:
            ws.cell(row=row, column=2, value=text).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    lay.row_heights(ws, 2, chars_per_line=120)
    lay.finish_sheet(ws, 2, fixed={1: 18, 2: 110})


def build_workbook(rp: ReportProfile, workbook_type: type = Workbook) -> Workbook:
    """The Tabellenband as a :mod:`survey.sheet_model` workbook; ``workbook_type=openpyxl.Workbook`` builds the
    same workbook with openpyxl (the reference the tests and the benchmark compare with)."""
    wb = workbook_type()
    contents = wb.active
    contents.title = wt.CONTENTS
    entries: list[lay.SheetEntry] = []
    notes_title = "Hinweise: Zeichenerklärung und Methode"
    _notes_sheet(lay.start_sheet(wb, "Hinweise", notes_title), rp)
    entries.append(lay.SheetEntry("Hinweise", notes_title, "Zeichen, Ausweisungsregel, Methode"))
    number = 0

    def next_name(short: str) -> str:
        nonlocal number
        number += 1
        return lay.short_name(number, short)

    name = next_name("Rücklauf")
    title = f"Stichprobe und Rücklauf nach Ortsteilen, {rp.commune} {rp.wave_label}"
    _response_sheet(lay.start_sheet(wb, name, title), rp)
    entries.append(lay.SheetEntry(name, title, "Einwohner ab 16, Stichprobe, Befragte, Rücklaufquote"))

    name = next_name("Indikatoren")
    title = "Indikatoren insgesamt und nach Geschlecht, Altersgruppe und Ortsteil"
    _indicator_sheet(lay.start_sheet(wb, name, title, "Werte gewichtet; Basis = ungewichtete Zahl der Befragten "
                                     "der Gruppe mit gültigem Indikatorwert."), rp)
    entries.append(lay.SheetEntry(name, title, "alle Indikatoren", len(rp.indicators)))

    free_text = add_free_text_sheet(wb, rp, next_name)  # issue 12
    if free_text:
        entries.append(free_text)
    entries += add_local_sheets(wb, rp, next_name)  # issue 12: change, Ortsteil profiles, plan

    sections: dict[str, list[ItemDistribution]] = {}
    for d in rp.overall_items():
        sections.setdefault(d.section, []).append(d)
    for title, items in sections.items():
        # the questionnaire's section id (without a questionnaire the id would be guessed from the title)
        section_id = rp.section_id_of_item(items[0].item) if rp.questionnaire is not None else None
        name = next_name(lay.section_short(section_id, title))
        ws = lay.start_sheet(wb, name, title, "Anteile gewichtet, an den gültigen Antworten der Gruppe (Basis); "
                             "n = Befragte mit dieser Antwort.")
        lay.header(ws, ITEM_COLUMNS)
        row = lay.FIRST_ROW
        for item in items:
            row = _item_rows(ws, row, rp, item)
        lay.separate_blocks(ws, 12, len(ITEM_COLUMNS))
        lay.finish_sheet(ws, len(ITEM_COLUMNS), fixed={1: 40, 4: 36, 8: 8, 9: 9, 10: 54, 11: 50}, printed=len(ITEM_COLUMNS) - 2,
                         numeric=(5, 6, 7, 8, 9))
        entries.append(lay.SheetEntry(name, title, "Antworten insgesamt und nach Gruppen", len(items)))

    lay.contents_sheet(contents, f"Tabellenband Sicherheitsanalyse {rp.commune} {rp.wave_label}",
                       f"{rp.net} Befragte; alle Anteile gewichtet, mit 95-%-Konfidenzintervall und ungewichteter "
                       "Fallzahl. Ein Klick auf den Namen öffnet das Tabellenblatt.", entries)
    lay.set_properties(wb, commune=rp.commune, year=rp.wave_label, version=rp.document.tool.version.strip(),
                       created=rp.document.created)
    wb.active = 0
    return wb


def write_tabellenband(rp: ReportProfile, target: str | Path) -> Path:
    """Write the workbook atomically to ``target``."""
    target = Path(target)
    wb = build_workbook(rp)
    save_workbook(wb, target)  # formula-like texts stay text; written by xlsxwriter (survey.xlsx_writer)
    return target
