"""``vergleich.xlsx``: the comparison in long tables (one row per commune and indicator), numbers as
numbers with German-readable formats: Kommunen, Roh, Standardisiert, EB (Fay-Herriot), Rangintervalle,
Trichter (Gesamtwert, τ²), Veränderungen."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from survey.comparison.model import ComparisonModel
from survey.safe_cells import save_workbook

PERCENT = "0.0%"
DECIMAL = "0.00"


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], formats: dict[int, str] | None = None):
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(name) + 2))
    for column, number_format in (formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    return ws


def write_workbook(model: ComparisonModel, target: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "Kommunen", ["AGS", "Kommune", "Welle", "Befragte", "Fragebogen", "Version", "Kernversion",
                            "im Querschnitt", "PKS-Jahr", "Häufigkeitszahl", "Datei"],
           [[p.ags, p.name, p.year, p.net, p.questionnaire_id, p.questionnaire_version, p.core_version,
             "ja" if p in model.communes else "nein (ältere Welle)", p.crime.year if p.crime else None,
             p.crime.hz if p.crime else None, str(p.path)] for p in model.profiles], {10: "#,##0"})
    for basis, title in (("direct", "Roh"), ("standardised", "Standardisiert")):
        rows = []
        for r in model.indicators:
            comparison = r.basis(basis)
            for p in model.communes:
                v = (p.direct if basis == "direct" else p.standardised).get(r.info.id)
                point = comparison.funnel.point(p.ags) if comparison and comparison.funnel else None
                rows.append([r.info.id, r.info.label, r.info.kind, p.ags, p.name,
                             v.estimate if v else None, v.se if v else None, v.ci_low if v else None,
                             v.ci_high if v else None, v.n if v else None, v.flag if v else None,
                             point.precision if point else None, point.z if point else None,
                             point.position if point else None])
        _sheet(wb, title, ["Indikator", "Bezeichnung", "Art", "AGS", "Kommune", "Schätzwert", "SE", "KI unten",
                           "KI oben", "n", "Kennzeichen", "Präzision (eff. n)", "z (mit Überdispersion)",
                           "Lage im Trichter"], rows, {6: "0.0000", 7: "0.0000", 8: "0.0000", 9: "0.0000",
                                                       12: "0", 13: DECIMAL})
    rows = []
    for r in model.indicators:
        fh = r.direct.fay_herriot
        for e in (fh.estimates if fh else ()):
            rows.append([r.info.id, r.info.label, e.key, model.commune(e.key).name, e.direct, e.direct_se, e.eb,
                         e.rmse, e.shrinkage, e.synthetic, fh.sigma2_v, fh.method.upper()])
    _sheet(wb, "EB (Fay-Herriot)", ["Indikator", "Bezeichnung", "AGS", "Kommune", "direkt", "SE direkt",
                                    "EB-Schätzung", "Wurzel-MSE (Prasad-Rao)", "Schrumpfungsfaktor B",
                                    "synthetischer Wert", "σᵥ²", "Verfahren"], rows,
           {5: "0.0000", 6: "0.0000", 7: "0.0000", 8: "0.0000", 9: "0.000", 10: "0.0000", 11: "0.000000"})
    rows = []
    for r in model.indicators:
        ranks = r.direct.ranks
        for x in ranks.ranks:
            rows.append([r.info.id, r.info.label, x.key, model.commune(x.key).name, x.low, x.high, x.median,
                         ranks.k, ranks.draws, ranks.seed])
    _sheet(wb, "Rangintervalle", ["Indikator", "Bezeichnung", "AGS", "Kommune", "Rang von (95 %)", "Rang bis (95 %)",
                                  "Median-Rang", "Kommunen", "Ziehungen", "Startwert"], rows)
    rows = []
    for r in model.indicators:
        for basis in ("direct", "standardised"):
            comparison = r.basis(basis)
            f = comparison.funnel if comparison else None
            if f is None:
                continue
            rows.append([r.info.id, r.info.label, "roh" if basis == "direct" else "standardisiert", f.k, f.target,
                         f.scale, f.method, f.tau2, f.q, sum(1 for p in f.points if p.position != "innerhalb"),
                         ", ".join(f.excluded)])
    _sheet(wb, "Trichter", ["Indikator", "Bezeichnung", "Basis", "Kommunen", "Gesamtwert", "Skala", "τ²-Verfahren",
                            "τ²", "Q", "außerhalb 95 %", "ausgeschlossen (AGS)"], rows,
           {5: "0.0000", 8: "0.000000", 9: DECIMAL})
    rows = []
    infos = {r.info.id: r.info for r in model.indicators}
    for commune in model.changes:
        for c in commune.changes:
            rows.append([commune.ags, commune.name, c.indicator, infos[c.indicator].label, c.year_from, c.year_to,
                         c.estimate_from, c.estimate_to, c.difference, c.se, c.ci_low, c.ci_high, c.z, c.p_value])
    _sheet(wb, "Veränderungen", ["AGS", "Kommune", "Indikator", "Bezeichnung", "Welle vorher", "Welle nachher",
                                 "vorher", "nachher", "Differenz", "SE", "KI unten", "KI oben", "z", "p-Wert"], rows,
           {7: "0.0000", 8: "0.0000", 9: "0.0000", 10: "0.0000", 11: "0.0000", 12: "0.0000", 13: DECIMAL,
            14: "0.0000"})
    save_workbook(wb, target)  # formula-like texts stay text (survey.safe_cells)
    return target
