"""Tabellenband sheets of issue 12: »Veränderungen« (change since the earlier wave), »Ortsteilprofile«
(each Ortsteil against the rest of the commune) and »Maßnahmenplan« (the recommendations' plan fields).

Only what the profile holds, with the Tabellenband's conventions: shares as numbers with a percent
format, a suppressed estimate as ``/`` and its n as ``< 10``, adjusted p-values with the adjustment
named. The formatting helpers of :mod:`survey.report.tabellenband` are passed in (one style).
"""

from __future__ import annotations

from openpyxl.styles import Font

from survey.report.lagebericht.plan import has_plan, success_text
from survey.report.lagebericht.profile import ReportProfile, flag_of

TITLE = Font(bold=True, size=13, color="0072B2")
ADJUSTMENT = {"holm": "Holm", "bh": "Benjamini-Hochberg"}
STRENGTH = {"none": "kein gesicherter Unterschied", "weak": "gesichert, klein", "clear": "deutlich",
            "strong": "stark"}
CHANGE_COLUMNS = ("Indikator", "Ortsteil", "vorher", "KI unten", "KI oben", "n", "jetzt", "KI unten", "KI oben", "n",
                  "Differenz", "KI unten", "KI oben", "p", "p angepasst", "Korrektur", "Ergebnis")
PROFILE_COLUMNS = ("Ortsteil", "Indikator", "Ortsteil-Wert", "KI unten", "KI oben", "n", "übrige Kommune", "n",
                   "Differenz", "p angepasst", "Korrektur", "Ergebnis")
PLAN_COLUMNS = ("Priorität", "Maßnahme", "Handlungsfeld", "Zuständigkeit", "Zeitrahmen", "Aufwand", "Erfolgsindikator")


def _label(rp: ReportProfile, indicator: str) -> str:
    record = rp.indicator(indicator)
    return record["label"] if record else indicator


class _Writer:
    def __init__(self, ws, rp: ReportProfile, style: dict):  # noqa: ANN001
        self.ws, self.rp, self.s = ws, rp, style

    def estimate(self, row: int, col: int, ref: dict, kind: str) -> int:
        """Value, interval and n of an estimate reference from ``col``; returns the next column."""
        record = {"estimate": ref["value"], "flag": ref["flag"]}
        flag = flag_of(record)
        number, unreliable = (self.s["pct"], self.s["pct_unreliable"]) if kind == "proportion" else ("0.00", '"("0.00")"')
        if flag == "suppressed":
            self.ws.cell(row=row, column=col, value=self.s["suppressed"])
            self.ws.cell(row=row, column=col + 3, value=self.s["small_n"] if (ref.get("n") or 0) < 10 else ref["n"])
            return col + 4
        for k, value in enumerate((ref["value"], ref["ci_low"], ref["ci_high"])):
            self.s["put_value"](self.ws, row, col + k, value, number, unreliable, flag)
        self.ws.cell(row=row, column=col + 3, value=ref["n"])
        return col + 4

    def number(self, row: int, col: int, value, kind: str) -> None:  # noqa: ANN001
        cell = self.ws.cell(row=row, column=col, value=value)
        cell.number_format = self.s["pct"] if kind == "proportion" else "0.00"


def _kind(rp: ReportProfile, indicator: str) -> str:
    return (rp.indicator(indicator) or {}).get("kind", "proportion")


def _change_sheet(wb, rp: ReportProfile, style: dict):  # noqa: ANN001, ANN202
    change = rp.data.get("change")
    if not change:
        return None
    before, after = change["previous"]["label"], change["current"]["label"]
    ws = wb.create_sheet("Veränderungen")
    ws.cell(row=1, column=1, value=f"Veränderungen {before} bis {after}").font = TITLE
    ws.cell(row=2, column=1, value="Differenz zweier unabhängiger Stichproben, Standardfehler √(SE1² + SE2²), Wald-z-Test; "
                                   "p-Werte angepasst (Kernindikatoren: Holm, Ortsteile: Benjamini-Hochberg).")
    style["header"](ws, 4, CHANGE_COLUMNS)
    w = _Writer(ws, rp, style)
    row = 5
    for f in change["findings"]:
        kind = _kind(rp, f["subject"])
        ws.cell(row=row, column=1, value=_label(rp, f["subject"]))
        ws.cell(row=row, column=2, value=rp.group_label("ortsteil", f["group"]).removeprefix("Ortsteil ")
                if f.get("group") else "insgesamt")
        refs = {e["role"]: e for e in f["estimates"]}
        col = w.estimate(row, 3, refs["from"], kind)
        col = w.estimate(row, col, refs["to"], kind)
        effect = f.get("effect") or {}
        for k, value in enumerate((effect.get("value"), effect.get("ci_low"), effect.get("ci_high"))):
            if value is not None:
                w.number(row, col + k, value, kind)
        if f.get("test"):
            ws.cell(row=row, column=col + 3, value=f["test"]["p"]).number_format = "0.000"
            ws.cell(row=row, column=col + 4, value=f["p_adjusted"]).number_format = "0.000"
            ws.cell(row=row, column=col + 5, value=ADJUSTMENT.get(f["adjustment"], f["adjustment"]))
            verdict = ("gestiegen" if f["direction"] == "higher" else "gesunken") if f["strength"] != "none" \
                else "nicht erkennbar verändert"
        else:
            verdict = "nicht vergleichbar (weniger als 10 Antworten)"
        ws.cell(row=row, column=col + 6, value=verdict)
        row += 1
    style["widths"](ws, (44, 16) + (9,) * 14 + (28,))
    return ws.title, f"Veränderungen seit {before}: Kernindikatoren und Ortsteile beider Wellen", len(change["findings"])


def _profile_sheet(wb, rp: ReportProfile, style: dict):  # noqa: ANN001, ANN202
    block = rp.data.get("ortsteil_profiles")
    if not block or not block.get("groups"):
        return None
    ws = wb.create_sheet("Ortsteilprofile")
    ws.cell(row=1, column=1, value="Ortsteilprofile: jeder Ortsteil gegen den Rest der Kommune").font = TITLE
    ws.cell(row=2, column=1, value=f"Designbasierter t-Test je Kernindikator, p-Werte angepasst nach "
                                   f"{ADJUSTMENT.get(block['adjustment'], block['adjustment'])} über "
                                   f"{block['family_size']} Vergleiche.")
    style["header"](ws, 4, PROFILE_COLUMNS)
    w = _Writer(ws, rp, style)
    row = 5
    for group in block["groups"]:
        for f in group["findings"]:
            kind = _kind(rp, f["subject"])
            refs = {e["role"]: e for e in f["estimates"]}
            ws.cell(row=row, column=1, value=group["label"])
            ws.cell(row=row, column=2, value=_label(rp, f["subject"]))
            w.estimate(row, 3, refs["group"], kind)
            rest = refs["rest"]
            if flag_of({"estimate": rest["value"], "flag": rest["flag"]}) == "suppressed":
                ws.cell(row=row, column=7, value=style["suppressed"])
            else:
                w.number(row, 7, rest["value"], kind)
            ws.cell(row=row, column=8, value=rest["n"] if (rest.get("n") or 0) >= 10 else style["small_n"])
            if f.get("test"):
                w.number(row, 9, (f.get("effect") or {}).get("value"), kind)
                ws.cell(row=row, column=10, value=f["p_adjusted"]).number_format = "0.000"
                ws.cell(row=row, column=11, value=ADJUSTMENT.get(f["adjustment"], f["adjustment"]))
                text = STRENGTH.get(f["strength"], f["strength"])
                if f["strength"] != "none":
                    text += ", ungünstiger" if f.get("worse") else ", günstiger"
                ws.cell(row=row, column=12, value=text)
            else:
                ws.cell(row=row, column=12, value="nicht geprüft (weniger als 10 Antworten)")
            row += 1
    style["widths"](ws, (18, 44, 10, 9, 9, 7, 12, 7, 10, 10, 18, 30))
    return ws.title, "Ortsteilprofile: Kernindikatoren je Ortsteil gegen den Rest der Kommune", len(block["groups"])


def _plan_sheet(wb, rp: ReportProfile, style: dict):  # noqa: ANN001, ANN202
    recs = rp.data.get("recommendations") or []
    if not any(has_plan(rec) for rec in recs):  # profiles before issue 12 carry no plan
        return None
    ws = wb.create_sheet("Maßnahmenplan")
    ws.cell(row=1, column=1, value="Maßnahmenplan: Handlungsempfehlungen nach Priorität").font = TITLE
    style["header"](ws, 3, PLAN_COLUMNS)
    for row, rec in enumerate(recs, start=4):
        values = (f"{row - 3} ({rec['priority']})", rec["title"], rec.get("field_of_action_label", ""),
                  ", ".join(rec.get("responsible") or []), rec.get("timeframe") or "", rec.get("effort") or "",
                  success_text(rp, rec))
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    style["widths"](ws, (12, 44, 32, 32, 24, 10, 50))
    return ws.title, "Maßnahmenplan: Zuständigkeit, Zeitrahmen, Aufwand und Erfolgsindikator", len(recs)


def add_local_sheets(wb, rp: ReportProfile, **style) -> list[tuple[str, str, int]]:  # noqa: ANN001
    """Add the sheets the profile has content for; returns their contents entries."""
    entries = [_change_sheet(wb, rp, style), _profile_sheet(wb, rp, style), _plan_sheet(wb, rp, style)]
    return [entry for entry in entries if entry is not None]
