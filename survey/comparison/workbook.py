"""``vergleich.xlsx``: the comparison in long tables (one row per commune and indicator), numbers as
numbers with German-readable formats: Kommunen, Roh, Standardisiert (each with funnel readings,
adjusted p-values, rank intervals and classes, EB), EB (Fay-Herriot), Trichter (overall value, τ² and
its source), Testfamilien, Veränderungen, Glossar. Text that a spreadsheet would read as a formula is
prefixed with ``'``."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from survey.comparison import texts
from survey.comparison.glossary import GLOSSARY
from survey.comparison.model import BASES, ComparisonModel
from survey.safe_cells import save_workbook, write_only_cell

DECIMAL = "0.00"
FOUR = "0.0000"


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], formats: dict[int, str] | None = None,
           widths: dict[int, float] | None = None, wrap: tuple[int, ...] = ()):
    """A write-only sheet (streamed: fast for thousands of rows) with a bold, frozen header row."""
    ws = wb.create_sheet(title)
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(i, max(10, min(40, len(name) + 2)))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    formats = {column - 1: number_format for column, number_format in (formats or {}).items()}
    wrap_columns = {column - 1 for column in wrap}
    for row in rows:
        out = []
        for i, value in enumerate(row):
            if i in formats or i in wrap_columns:
                cell = write_only_cell(ws, value)
                if i in formats:
                    cell.number_format = formats[i]
                if i in wrap_columns:
                    cell.alignment = wrapped
                out.append(cell)
            else:
                out.append(write_only_cell(ws, value) if isinstance(value, str) else value)
        ws.append(out)
    return ws


def _basis_rows(model: ComparisonModel, basis: str) -> list[list]:
    rows = []
    family = model.families.get(basis)
    for r in model.indicators:
        comparison = r.basis(basis)
        for p in model.communes:
            v = (p.direct if basis == "direct" else p.standardised).get(r.info.id)
            point = comparison.funnel.point(p.ags) if comparison and comparison.funnel else None
            member = family.member(r.info.id, p.ags) if family and point else None
            rank = comparison.ranks.rank(p.ags) if comparison else None
            eb = comparison.fay_herriot.estimate(p.ags) if comparison and comparison.fay_herriot else None
            rows.append([
                r.info.id, r.info.label, r.info.kind, p.ags, p.name,
                v.estimate if v else None, v.se if v else None, v.ci_low if v else None, v.ci_high if v else None,
                v.n if v else None, v.flag if v else None,
                point.precision if point else None, point.z if point else None,
                point.position_95.value if point else None, point.position_998.value if point else None,
                point.sampling.position_95.value if point else None,
                point.p_value if point else None, member.p_adjusted if member else None,
                texts.position_cell(point, member) if point else None,
                rank.low if rank else None, rank.high if rank else None,
                texts.rank_class_cell(rank.rank_class) if rank else None,
                eb.eb if eb else None,
            ])
    return rows


BASIS_HEADER = ["Indikator", "Bezeichnung", "Art", "AGS", "Kommune", "Schätzwert", "SE", "KI unten", "KI oben", "n",
                "Kennzeichen", "Präzision (eff. n)", "z-Wert", "Lage 95\u00a0%", "Lage 99,8\u00a0%",
                "Lage 95\u00a0% allein Stichprobenfehler", "p-Wert", "p-Wert adjustiert", "Einordnung",
                "Rang von (95\u00a0%)", "Rang bis (95\u00a0%)", "Rangklasse", "EB-Schätzung"]
BASIS_FORMATS = {6: FOUR, 7: FOUR, 8: FOUR, 9: FOUR, 12: "0", 13: DECIMAL, 17: FOUR, 18: FOUR, 23: FOUR}


def write_workbook(model: ComparisonModel, target: Path) -> Path:
    wb = Workbook(write_only=True)
    _sheet(wb, "Kommunen", ["AGS", "Kommune", "Welle", "Befragte", "Fragebogen", "Version", "Kernversion",
                            "im Querschnitt", "PKS-Jahr", "Häufigkeitszahl", "Datei"],
           [[p.ags, p.name, p.year, p.net, p.questionnaire_id, p.questionnaire_version, p.core_version,
             "ja" if p in model.communes else "nein (ältere Welle)", p.crime.year if p.crime else None,
             p.crime.hz if p.crime else None, str(p.path)] for p in model.profiles], {10: "#,##0"})
    for basis, title in (("direct", "Roh"), ("standardised", "Standardisiert")):
        _sheet(wb, title, BASIS_HEADER, _basis_rows(model, basis), BASIS_FORMATS)
    rows = []
    for r in model.indicators:
        for basis in BASES:
            comparison = r.basis(basis)
            fh = comparison.fay_herriot if comparison else None
            for e in (fh.estimates if fh else ()):
                rows.append([r.info.id, r.info.label, texts.BASIS_SHORT[basis], e.key, model.commune(e.key).name,
                             e.direct, e.direct_se, e.eb, e.rmse, e.shrinkage, e.synthetic, fh.sigma2_v,
                             fh.method.upper()])
    if not rows:
        rows.append([f"Keine Empirisch-Bayes-Schätzung: Sie wird erst ab {model.min_communes} Kommunen mit "
                     f"verwertbarem Wert berechnet, verglichen werden {len(model.communes)}."])
    _sheet(wb, "EB (Fay-Herriot)", ["Indikator", "Bezeichnung", "Basis", "AGS", "Kommune", "direkt", "SE direkt",
                                    "EB-Schätzung", "Wurzel-MSE (Prasad-Rao)", "Schrumpfungsfaktor B",
                                    "synthetischer Wert", "σᵥ²", "Verfahren"], rows,
           {6: FOUR, 7: FOUR, 8: FOUR, 9: FOUR, 10: "0.000", 11: FOUR, 12: "0.000000"})
    rows = []
    for r in model.indicators:
        for basis in BASES:
            comparison = r.basis(basis)
            f = comparison.funnel if comparison else None
            if f is None:
                continue
            od = f.overdispersion
            fixed = r.fixed.get(basis)
            rows.append([r.info.id, r.info.label, texts.BASIS_SHORT[basis], f.k, f.target, f.scale, od.tau2,
                         texts.TAU2_SOURCE_CELL[od.source], fixed.k if fixed else None, od.estimate, od.phi, od.q,
                         sum(1 for p in f.points if p.position_95.value != "innerhalb"),
                         sum(1 for p in f.points if p.readings_disagree), ", ".join(f.excluded)])
    _sheet(wb, "Trichter", ["Indikator", "Bezeichnung", "Basis", "Kommunen", "Gesamtwert", "Skala", "τ² (verwendet)",
                            "τ² Herkunft", "τ² aus Vergleich mit … Kommunen", "τ² geschätzt aus diesen Kommunen",
                            "φ (Q/k)", "Q (winsorisiert)", "außerhalb 95\u00a0%", "Lesarten verschieden",
                            "ausgeschlossen (AGS)"], rows,
           {5: FOUR, 7: "0.000000", 10: "0.000000", 11: "0.000", 12: DECIMAL})
    families = [(texts.BASIS_TEXT[b], f) for b, f in model.families.items()]
    families += [(f"Veränderungen {c.name}", c.family) for c in model.changes]
    _sheet(wb, "Testfamilien", ["Familie", "Verfahren", "Tests", "erwartet außerhalb 95\u00a0% (Zufall)",
                                "außerhalb 95\u00a0%", "erwartet außerhalb 99,8\u00a0% (Zufall)", "außerhalb 99,8\u00a0%",
                                "auffällig nach Korrektur"],
           [[name, texts.METHOD_NAME[f.method], f.tests, f.expected_95, f.outside_95, f.expected_998, f.outside_998,
             f.clear] for name, f in families], {4: "0.0", 6: "0.00"})
    rows = []
    infos = {r.info.id: r.info for r in model.indicators}
    for commune in model.changes:
        for c in commune.changes:
            rows.append([commune.ags, commune.name, c.indicator, infos[c.indicator].label, c.year_from, c.year_to,
                         c.estimate_from, c.estimate_to, c.difference, c.se, c.ci_low, c.ci_high, c.z, c.p_value,
                         c.p_adjusted, texts.change_verdict_cell(c)])
    _sheet(wb, "Veränderungen", ["AGS", "Kommune", "Indikator", "Bezeichnung", "Welle vorher", "Welle nachher",
                                 "vorher", "nachher", "Differenz", "SE", "KI unten", "KI oben", "z", "p-Wert",
                                 "p-Wert adjustiert (Holm)", "Einordnung"], rows,
           {7: FOUR, 8: FOUR, 9: FOUR, 10: FOUR, 11: FOUR, 12: FOUR, 13: DECIMAL, 14: FOUR, 15: FOUR})
    _sheet(wb, "Glossar", ["Begriff", "Erklärung"], [list(g) for g in GLOSSARY], widths={1: 40, 2: 110}, wrap=(2,))
    save_workbook(wb, target)  # formula-like texts stay text (survey.safe_cells)
    return target
