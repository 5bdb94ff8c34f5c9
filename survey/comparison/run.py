"""``sicherheitsanalyse vergleich``: profiles → checks → statistics → vergleich.pdf/.html/.xlsx/.csv/.json
and one ``kommune_<ags>.pdf`` per commune. All inputs (profiles and the earlier comparison of
``--tau2-von``) are checked before anything is written; every file is written atomically."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from survey.comparison.earlier import read_prior
from survey.comparison.export import CSV_NAME, JSON_NAME, write_csv, write_summary
from survey.comparison.loading import load_profiles
from survey.comparison.model import ComparisonModel, build_model, core_indicators, latest_waves
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
    table: Path
    summary: Path
    one_pagers: tuple[Path, ...]


def run_comparison(paths: Iterable[str | Path], target_dir: str | Path, *, date: dt.date | None = None,
                   one_pagers: bool = True, only_distribution: bool = False, tau2_from: str | Path | None = None,
                   draws: int = 2000, seed: int = 20251) -> ComparisonOutputs:
    date = date or dt.date.today()
    profiles = load_profiles(paths)
    prior = None
    if tau2_from is not None:
        communes = latest_waves(profiles)
        prior = read_prior(tau2_from, core_version=communes[0].core_version, indicators=core_indicators(communes))
    model = build_model(profiles, tau2_prior=prior, draws=draws, seed=seed)
    document = comparison_document(model, date=date)
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    pdf = render_pdf(document, target / PDF_NAME, template="vergleich.typ")
    html = write_html(document, target / HTML_NAME, template="vergleich.html.j2")
    xlsx = write_workbook(model, target / XLSX_NAME)
    table = write_csv(model, target / CSV_NAME)
    summary = write_summary(model, target / JSON_NAME, date=date)
    pages = (tuple(render_one_pagers(model, target, date=date, only_distribution=only_distribution))
             if one_pagers else ())
    return ComparisonOutputs(model, pdf, html, xlsx, table, summary, pages)
