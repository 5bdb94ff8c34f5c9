"""``sicherheitsanalyse vergleich``: profiles → checks → statistics → vergleich.pdf/.html/.xlsx and one
``kommune_<ags>.pdf`` per commune. Every file is written atomically; all inputs are checked before
anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from survey.comparison.loading import load_profiles
from survey.comparison.model import ComparisonModel, build_model
from survey.comparison.onepager import render_one_pagers
from survey.comparison.report import comparison_document
from survey.comparison.workbook import write_workbook
from survey.report.html_render import write_html
from survey.report.typst_render import render_pdf

PDF_NAME = "vergleich.pdf"
HTML_NAME = "vergleich.html"
XLSX_NAME = "vergleich.xlsx"


@dataclass(frozen=True)
class ComparisonOutputs:
    model: ComparisonModel
    report_pdf: Path
    report_html: Path
    workbook: Path
    one_pagers: tuple[Path, ...]


def run_comparison(paths: Iterable[str | Path], target_dir: str | Path, *, date: dt.date | None = None,
                   one_pagers: bool = True, draws: int = 2000, seed: int = 20251) -> ComparisonOutputs:
    date = date or dt.date.today()
    profiles = load_profiles(paths)
    model = build_model(profiles, draws=draws, seed=seed)
    document = comparison_document(model, date=date)
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    pdf = render_pdf(document, target / PDF_NAME, template="vergleich.typ")
    html = write_html(document, target / HTML_NAME, template="vergleich.html.j2")
    xlsx = write_workbook(model, target / XLSX_NAME)
    pages = tuple(render_one_pagers(model, target, date=date)) if one_pagers else ()
    return ComparisonOutputs(model, pdf, html, xlsx, pages)
