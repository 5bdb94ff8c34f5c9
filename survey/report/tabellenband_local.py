"""Tabellenband sheets of issue 12: »Veränderungen« (change since the earlier wave), »Ortsteilprofile«
(each Ortsteil against the rest of the commune) and »Maßnahmenplan« (the recommendations' plan fields).

Only what the profile holds, with the Tabellenband's conventions (:mod:`survey.report.tabellenband_layout`:
numbered sheet, full title in A1, frozen header, filter): shares as numbers with a percent format, a
suppressed estimate (the engine's flag) as ``/`` with its base as ``< 10``, adjusted p-values with the
adjustment named.
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.findings.types import Direction, EstimateRef, Strength
from survey.profile.base import Kind
from survey.profile.sections import Suppression
from survey.report import tabellenband_layout as lay
from survey.report.lagebericht.plan import has_plan, success_text
from survey.report.lagebericht.profile import ReportProfile, flag_of
from survey.report.lagebericht.waves import estimate_record
from survey.wording import disclosure

PCT = "0.0 %"
PCT_UNRELIABLE = '"("0.0 %")"'
ADJUSTMENT = {"holm": "Holm", "bh": "Benjamini-Hochberg"}
STRENGTH = {"none": "kein gesicherter Unterschied", "weak": "gesichert, klein", "clear": "deutlich",
            "strong": "stark"}
CHANGE_COLUMNS = ("Indikator", "Ortsteil", "vorher", "KI unten", "KI oben", "n", "jetzt", "KI unten", "KI oben", "n",
                  "Differenz", "KI unten", "KI oben", "p", "p angepasst", "Korrektur", "Ergebnis")
PROFILE_COLUMNS = ("Ortsteil", "Indikator", "Ortsteil-Wert", "KI unten", "KI oben", "n", "übrige Kommune", "n",
                   "Differenz", "p angepasst", "Korrektur", "Ergebnis")
PLAN_COLUMNS = ("Priorität", "Maßnahme", "Handlungsfeld", "Zuständigkeit", "Zeitrahmen", "Aufwand", "Erfolgsindikator")


def suppression_rule(rp: ReportProfile) -> Suppression | None:
    """The profile's ``methods.suppression`` (what :mod:`survey.wording.disclosure` words)."""
    return rp.document.methods.suppression


def _label(rp: ReportProfile, indicator: str) -> str:
    record = rp.indicator(indicator)
    return record.label if record else indicator


def _flag(ref: EstimateRef) -> str | None:
    return flag_of(estimate_record(ref, None))


class _Writer:
    def __init__(self, ws, rp: ReportProfile):  # noqa: ANN001
        self.ws, self.rp = ws, rp
        self.small_n = disclosure.small_n(suppression_rule(rp))

    def estimate(self, row: int, col: int, ref: EstimateRef, kind: Kind | None) -> int:
        """Value, interval and base of an estimate reference from ``col``; returns the next column."""
        flag = _flag(ref)
        number, unreliable = (PCT, PCT_UNRELIABLE) if kind == Kind.PROPORTION else ("0.00", '"("0.00")"')
        if flag == "suppressed":
            self.ws.cell(row=row, column=col, value=disclosure.SUPPRESSED_SYMBOL)
            self.ws.cell(row=row, column=col + 3, value=self.small_n)
            return col + 4
        for k, value in enumerate((ref.value, ref.ci_low, ref.ci_high)):
            if value is not None:
                cell = self.ws.cell(row=row, column=col + k, value=value)
                cell.number_format = unreliable if flag == "unreliable" else number
        self.ws.cell(row=row, column=col + 3, value=ref.n)
        return col + 4

    def number(self, row: int, col: int, value, kind: Kind | None) -> None:  # noqa: ANN001
        cell = self.ws.cell(row=row, column=col, value=value)
        cell.number_format = PCT if kind == Kind.PROPORTION else "0.00"


def _kind(rp: ReportProfile, indicator: str) -> Kind | None:
    record = rp.indicator(indicator)
    return record.kind if record is not None else Kind.PROPORTION


def _change_sheet(wb, rp: ReportProfile, next_name: Callable[[str], str]) -> lay.SheetEntry | None:  # noqa: ANN001
    change = rp.document.change
    if change is None:
        return None
    before, after = change.previous.label, change.current.label
    name = next_name("Veränderungen")
    title = f"Veränderungen {before} bis {after}: Kernindikatoren und Ortsteile beider Wellen"
    ws = lay.start_sheet(wb, name, title, "Differenz zweier unabhängiger Stichproben, Standardfehler √(SE1² + SE2²), "
                         "Wald-z-Test; p-Werte angepasst (Kernindikatoren: Holm, Ortsteile: Benjamini-Hochberg).")
    lay.header(ws, CHANGE_COLUMNS)
    w = _Writer(ws, rp)
    row = lay.FIRST_ROW
    for f in change.findings:
        kind = _kind(rp, f.subject)
        ws.cell(row=row, column=1, value=_label(rp, f.subject))
        ws.cell(row=row, column=2, value=rp.group_label("ortsteil", f.group).removeprefix("Ortsteil ")
                if f.group else "insgesamt")
        refs = {e.role: e for e in f.estimates}
        col = w.estimate(row, 3, refs["from"], kind)
        col = w.estimate(row, col, refs["to"], kind)
        if f.effect is not None:
            for k, value in enumerate((f.effect.value, f.effect.ci_low, f.effect.ci_high)):
                if value is not None:
                    w.number(row, col + k, value, kind)
        if f.test is not None:
            ws.cell(row=row, column=col + 3, value=f.test.p).number_format = "0.000"
            ws.cell(row=row, column=col + 4, value=f.p_adjusted).number_format = "0.000"
            ws.cell(row=row, column=col + 5, value=ADJUSTMENT.get(f.adjustment, f.adjustment))
            verdict = ("gestiegen" if f.direction == Direction.HIGHER else "gesunken") if f.strength != Strength.NONE \
                else "nicht erkennbar verändert"
        else:
            verdict = "nicht vergleichbar (zu wenige Antworten)"
        ws.cell(row=row, column=col + 6, value=verdict)
        row += 1
    lay.finish_sheet(ws, len(CHANGE_COLUMNS), label_columns=2, fixed={1: 44, 2: 16, 17: 28},
                     numeric=tuple(range(3, 16)))
    return lay.SheetEntry(name, title, "Kernindikatoren und Ortsteile beider Wellen", len(change.findings))


def _profile_sheet(wb, rp: ReportProfile, next_name: Callable[[str], str]) -> lay.SheetEntry | None:  # noqa: ANN001
    block = rp.document.ortsteil_profiles
    if block is None or not block.groups:
        return None
    name = next_name("Ortsteilprofile")
    title = "Ortsteilprofile: Kernindikatoren je Ortsteil gegen den Rest der Kommune"
    ws = lay.start_sheet(wb, name, title, f"Designbasierter t-Test je Kernindikator, p-Werte angepasst nach "
                         f"{ADJUSTMENT.get(block.adjustment, block.adjustment)} über "
                         f"{block.family_size} Vergleiche.")
    lay.header(ws, PROFILE_COLUMNS)
    w = _Writer(ws, rp)
    row = lay.FIRST_ROW
    for group in block.groups:
        for f in group.findings:
            kind = _kind(rp, f.subject)
            refs = {e.role: e for e in f.estimates}
            ws.cell(row=row, column=1, value=group.label)
            ws.cell(row=row, column=2, value=_label(rp, f.subject))
            w.estimate(row, 3, refs["group"], kind)
            rest = refs["rest"]
            if _flag(rest) == "suppressed":
                ws.cell(row=row, column=7, value=disclosure.SUPPRESSED_SYMBOL)
                ws.cell(row=row, column=8, value=w.small_n)
            else:
                w.number(row, 7, rest.value, kind)
                ws.cell(row=row, column=8, value=rest.n)
            if f.test is not None:
                w.number(row, 9, f.effect.value if f.effect is not None else None, kind)
                ws.cell(row=row, column=10, value=f.p_adjusted).number_format = "0.000"
                ws.cell(row=row, column=11, value=ADJUSTMENT.get(f.adjustment, f.adjustment))
                text = STRENGTH.get(f.strength, f.strength)
                if f.strength != Strength.NONE:
                    text += ", ungünstiger" if f.worse else ", günstiger"
                ws.cell(row=row, column=12, value=text)
            else:
                ws.cell(row=row, column=12, value="nicht geprüft (zu wenige Antworten)")
            row += 1
    lay.finish_sheet(ws, len(PROFILE_COLUMNS), label_columns=2, fixed={1: 18, 2: 44, 11: 18, 12: 30},
                     numeric=tuple(range(3, 11)))
    return lay.SheetEntry(name, title, "jeder Ortsteil gegen den Rest der Kommune", len(block.groups))


def _plan_sheet(wb, rp: ReportProfile, next_name: Callable[[str], str]) -> lay.SheetEntry | None:  # noqa: ANN001
    recs = rp.document.recommendations
    if not any(has_plan(rec) for rec in recs):  # profiles before issue 12 carry no plan
        return None
    name = next_name("Maßnahmenplan")
    title = "Maßnahmenplan: Handlungsempfehlungen nach Priorität mit Zuständigkeit, Zeitrahmen, Aufwand und Erfolgsindikator"
    ws = lay.start_sheet(wb, name, title)
    lay.header(ws, PLAN_COLUMNS)
    for row, rec in enumerate(recs, start=lay.FIRST_ROW):
        values = (f"{row - lay.FIRST_ROW + 1} ({rec.priority})", rec.title, rec.field_of_action_label,
                  ", ".join(rec.responsible), rec.timeframe or "", rec.effort or "", success_text(rp, rec))
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    lay.finish_sheet(ws, len(PLAN_COLUMNS), label_columns=2, fixed={1: 12, 2: 44, 3: 32, 4: 32, 5: 24, 7: 50})
    return lay.SheetEntry(name, title, "Zuständigkeit, Zeitrahmen, Aufwand, Erfolgsindikator", len(recs))


def add_local_sheets(wb, rp: ReportProfile, next_name: Callable[[str], str]) -> list[lay.SheetEntry]:  # noqa: ANN001
    """Add the sheets the profile has content for; returns their contents entries."""
    entries = [_change_sheet(wb, rp, next_name), _profile_sheet(wb, rp, next_name), _plan_sheet(wb, rp, next_name)]
    return [entry for entry in entries if entry is not None]
