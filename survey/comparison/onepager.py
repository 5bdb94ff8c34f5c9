"""One page per commune: ``kommune_<ags>.pdf`` "Ihre Kommune im Vergleich".

The focal commune is named; all others appear as ``Kommune A, B, …`` in a random order seeded by the
focal AGS (:func:`survey.comparison.model.anonymised_labels`), never by name. The funnel plot is drawn
once per report (:func:`survey.comparison.charts.funnel_variants`) and only the highlight differs per
page. All pages are compiled by **one** reused :class:`typst.Compiler` (fonts and templates are loaded
once), each to its own PDF/UA-1 file; this keeps hundreds of one-pagers fast.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import typst

from survey.comparison import texts
from survey.comparison.charts import funnel_variants
from survey.comparison.model import OUTCOME, ComparisonModel, anonymised_labels
from survey.folder import atomic_path
from survey.report import formatting as fmt
from survey.report.errors import RenderError
from survey.report.typst_render import font_paths
from survey.resources import report_templates_dir

TEMPLATE = "vergleich_kommune.typ"
MAX_OTHERS = 10


def page_name(ags: str) -> str:
    return f"kommune_{ags}.pdf"


def _table(caption: str, columns: tuple[str, ...], rows: list[tuple[str, ...]], align: tuple[str, ...]) -> dict:
    return {"caption": caption, "columns": list(columns), "rows": [list(r) for r in rows], "align": list(align)}


def page_data(model: ComparisonModel, ags: str, figure_path: str, figure_alt: str, *,
              date: dt.date) -> dict[str, Any]:
    commune = model.commune(ags)
    labels = anonymised_labels(model, ags)
    k = len(model.communes)
    rows = []
    summary = []
    for result in model.headline:
        info = result.info
        basis = result.basis(result.chart_basis)
        point = basis.funnel.point(ags) if basis and basis.funnel else None
        direct = result.direct
        eb = direct.fay_herriot.estimate(ags) if direct.fay_herriot else None
        target = texts.number(basis.funnel.target, info.kind) if basis and basis.funnel else fmt.MISSING
        rows.append((info.label, texts.value_with_interval(commune.direct.get(info.id), info.kind), target,
                     texts.position_text(point), texts.rank_text(direct.ranks.rank(ags), direct.ranks.k),
                     texts.eb_value(eb, info.kind)))
        if info.id == OUTCOME and point is not None:
            summary.append(f"Nachts unsicher fühlen sich in {commune.name} "
                           f"{texts.value_with_interval(commune.direct.get(info.id), info.kind)} der Befragten; "
                           f"über alle {fmt.integer(k)} Kommunen sind es {target}.")
            summary.append("Damit liegt " + commune.name + (
                " innerhalb der Trichtergrenzen: kein Unterschied, der über Zufall und übliche Streuung hinausgeht."
                if point.position == "innerhalb" else f" {point.position} der Trichtergrenzen: eine deutliche Abweichung."))
    indicators = _table(f"{commune.name} ({commune.year}) im Vergleich mit {fmt.integer(k)} Kommunen",
                        ("Indikator", "Ihr Wert (95-%-KI)", "Gesamt", "Lage im Trichter", "Rangintervall",
                         "EB"), rows, ("left", "right", "right", "left", "right", "right"))
    changes = None
    found = model.changes_for(ags)
    if found:
        infos = {r.info.id: r.info for r in model.headline}
        change_rows = []
        for c in found.changes:
            if c.indicator not in infos or c.year_to != commune.year:
                continue
            info = infos[c.indicator]
            diff, ci = texts.change_text(c, info.kind)
            change_rows.append((info.label, f"{texts.number(c.estimate_from, info.kind)} → "
                                f"{texts.number(c.estimate_to, info.kind)}", f"{diff} ({ci})", fmt.p_value(c.p_value)))
            if c.indicator == OUTCOME:
                summary.append(texts.change_sentence(commune.name, info.label, c, info.kind))
        if change_rows:
            years = f"{found.changes[0].year_from} → {commune.year}"
            changes = _table(f"Veränderung {years} (unabhängige Stichproben, Wald-Test)",
                             ("Indikator", years, "Veränderung (95-%-KI)", "p-Wert"), change_rows,
                             ("left", "right", "right", "right"))
    others = None
    outcome = model.indicator(OUTCOME)
    if outcome is not None:
        basis = outcome.basis(outcome.chart_basis)
        own = basis.funnel.point(ags) if basis and basis.funnel else None
        candidates = [p for p in model.communes if p.ags != ags]
        if own is not None and len(candidates) > MAX_OTHERS:
            def distance(p):  # noqa: ANN001, ANN202 - most similar precision (size) first
                other = basis.funnel.point(p.ags)
                return abs(other.precision - own.precision) if other else float("inf")
            candidates = sorted(candidates, key=distance)[:MAX_OTHERS]
        other_rows = sorted(((labels[p.ags], texts.value_with_interval(p.direct.get(OUTCOME), outcome.info.kind),
                              texts.value_with_interval(p.standardised.get(OUTCOME), outcome.info.kind),
                              texts.position_text(basis.funnel.point(p.ags) if basis and basis.funnel else None))
                             for p in candidates), key=lambda r: (len(r[0]), r[0]))
        caption = f"{outcome.info.label}: andere Kommunen"
        if len(model.communes) - 1 > MAX_OTHERS:
            caption += f" (die {MAX_OTHERS} mit ähnlicher Fallzahl)"
        others = _table(caption, ("Kommune", "Roh (95-%-KI)", "Standardisiert (95-%-KI)", "Lage"), other_rows,
                        ("left", "right", "right", "left"))
    title = f"{commune.name} im Vergleich"
    return {
        "title": title, "author": "Landespräventionsrat", "keywords": ["Sicherheitsanalyse", "Kommunalvergleich"],
        "subtitle": (f"Ihre Kommune im Vergleich mit {fmt.integer(k - 1)} weiteren Kommunen · Befragung "
                     f"{commune.year} · Kernfragen Version {model.core_version} · Stand {fmt.date(date)}"),
        "summary": summary or [f"{commune.name} im Vergleich mit {fmt.integer(k - 1)} weiteren Kommunen."],
        "figure": {"path": figure_path, "alt": figure_alt,
                   "caption": "Nachts unsicher: Ihre Kommune (Raute) im Trichterdiagramm aller Kommunen"},
        "indicators": indicators, "changes": changes, "others": others,
        "note": ("Lage im Trichter: innerhalb der Grenzen heißt, der Unterschied zum Gesamtwert kann Zufall sein. "
                 "Rangintervall: 95 % der simulierten Ränge (1 = höchster Wert). EB-Schätzung: empirische "
                 "Bayes-Schätzung (Fay-Herriot), die unsichere Werte zum Gesamtwert hin zieht; sie ersetzt den "
                 "direkten Wert nicht. Andere Kommunen sind anonymisiert. Werte in Klammern: eingeschränkt belastbar."),
        "footer": f"Vergleich der Sicherheitsanalysen · {commune.name} · Stand {fmt.date(date)}",
    }


def render_one_pagers(model: ComparisonModel, target_dir: Path, *, date: dt.date,
                      only: list[str] | None = None) -> list[Path]:
    """Write ``kommune_<ags>.pdf`` for every commune (or those in ``only``) atomically."""
    outcome = model.indicator(OUTCOME) or (model.headline[0] if model.headline else None)
    basis = outcome.basis(outcome.chart_basis) if outcome else None
    names = {p.ags: p.name for p in model.communes}
    variants = (funnel_variants(basis.funnel, outcome.info.label, names, unit=texts.unit_of(outcome.info.kind),
                               height_cm=5.2)
                if basis and basis.funnel else None)
    written = []
    timestamp = int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc).timestamp())
    with tempfile.TemporaryDirectory(prefix="vergleich-kommunen-") as temp:
        folder = Path(temp)
        shutil.copytree(report_templates_dir() / "typst", folder, dirs_exist_ok=True)
        (folder / "pages").mkdir()
        compiler = typst.Compiler(str(folder / TEMPLATE), root=str(folder), font_paths=font_paths(),
                                  ignore_system_fonts=True)
        for commune in model.communes:
            if only is not None and commune.ags not in only:
                continue
            labels = anonymised_labels(model, commune.ags)
            figure, alt = "pages/leer.svg", ""
            if variants is not None and variants.result.point(commune.ags) is not None:
                chart = variants.for_commune(commune.ags, labels)
                figure, alt = f"pages/{commune.ags}.svg", chart.alt_text
                (folder / figure).write_text(chart.svg, encoding="utf-8")
            data = page_data(model, commune.ags, figure, alt, date=date)
            if not alt:
                data["figure"] = None
            page = f"pages/{commune.ags}.json"
            (folder / page).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            try:
                pdf = compiler.compile(format="pdf", sys_inputs={"page": page}, pdf_standards=["ua-1"],
                                       timestamp=timestamp)
            except typst.TypstError as error:
                raise RenderError(f"Kommunenblatt für {commune.name} konnte nicht erzeugt werden (Typst): "
                                  f"{error}") from None
            target = target_dir / page_name(commune.ags)
            with atomic_path(target) as temp_path:
                temp_path.write_bytes(pdf)
            written.append(target)
    return written
