"""One page per commune: ``kommune_<ags>.pdf`` "Ihre Kommune im Vergleich".

The focal commune is named; the others appear **without names** as ``Kommune A, B, …`` in a random
order seeded by the focal AGS (:func:`survey.comparison.model.nameless_labels`). That hides names, not
identities: their values are published in their own reports, and the sheet says so. With
``only_distribution`` (``--nur-verteilung``) no other commune's value appears at all, neither in the
text nor in the chart: the others are summarised by band means of at least three communes each
(:func:`analysis.comparison.distribution.others_distribution`), the overall value is shown only with at least three
other communes, and any figure that would read like a published value of one commune is withheld.

The funnel plot is drawn once per report (:func:`survey.comparison.charts.funnel_variants`) and only
the highlight differs per page. All pages are compiled by **one** reused :class:`typst.Compiler` (fonts
and templates are loaded once), each to its own PDF/UA-1 file; this keeps hundreds of sheets fast.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import typst

from analysis.comparison.distribution import (
    MIN_CONTRIBUTORS, Band, OthersDistribution, aggregate_shown, others_distribution,
)
from survey.comparison import sentences, texts
from survey.comparison.charts import BandMark
from survey.comparison.charts import funnel_variants, own_funnel_chart
from survey.comparison.glossary import distribution_rule, sheet_note
from survey.comparison.loading import ProfileData
from survey.comparison.model import OUTCOME, ComparisonModel, IndicatorResults, nameless_labels
from survey.atomic import atomic_path
from survey.report import formatting as fmt
from survey.report.errors import RenderError
from survey.report.typst_render import font_paths
from survey.resources import report_templates_dir

TEMPLATE = "vergleich_kommune.typ"
MAX_OTHERS = 10
MAX_OTHERS_WITH_CHANGES = 5  # a sheet with a change table has room for fewer rows (one page)
DENSITIES = 4  # levels of d.density in the template


def page_count(pdf: bytes) -> int:
    """Pages of a PDF written by Typst (page objects, not the page tree ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def page_name(ags: str) -> str:
    return f"kommune_{ags}.pdf"


def _table(caption: str, columns: tuple[str, ...], rows: list[tuple[str, ...]], align: tuple[str, ...],
           widths: tuple[float, ...], heading: str = "") -> dict:
    return {"caption": caption, "columns": list(columns), "rows": [list(r) for r in rows], "align": list(align),
            "widths": list(widths), "heading": heading}


def distribution_of(model: ComparisonModel, result: IndicatorResults, ags: str) -> OthersDistribution:
    values = [p.direct[result.info.id].estimate for p in model.communes
              if p.ags != ags and result.info.id in p.direct and p.direct[result.info.id].usable]
    return others_distribution(values)


def target_shown(model: ComparisonModel, result: IndicatorResults, ags: str, only_distribution: bool) -> bool:
    """The overall value on a sheet: always, or with ``only_distribution`` by the engine's rule
    (:func:`analysis.comparison.distribution.aggregate_shown`)."""
    f = result.direct.funnel
    if f is None:
        return False
    return not only_distribution or aggregate_shown(sum(1 for p in f.points if p.key != ags))


def target_text(result: IndicatorResults, only_distribution: bool) -> str:
    """The overall value as a sheet prints it (coarser without single values, like the bands)."""
    f, kind = result.direct.funnel, result.info.kind
    return texts.coarse_number(f.target, kind) if only_distribution else texts.number(f.target, kind)


def _summary(model: ComparisonModel, commune: ProfileData, only_distribution: bool) -> list[str]:
    ags, m = commune.ags, len(model.communes) - 1
    outcome = model.indicator(OUTCOME)
    out: list[str] = []
    if outcome is None or outcome.direct.funnel is None or outcome.direct.funnel.point(ags) is None:
        return [f"{commune.name} im Vergleich {texts.others_phrase(m)}."]
    info, f = outcome.info, outcome.direct.funnel
    point = f.point(ags)
    family = model.families["direct"]
    own = texts.value_with_interval(commune.direct.get(info.id), info.kind)
    text = f"Nachts unsicher fühlen sich in {commune.name} {own} der Befragten"
    if target_shown(model, outcome, ags, only_distribution):
        text += (f"; der Gesamtwert über {commune.name} und die {fmt.integer(m)} weiteren Kommunen liegt bei "
                 f"{target_text(outcome, only_distribution)}.")
    else:
        text += (f". Einen Gesamtwert zeigt dieses Blatt nicht: Dafür sind mindestens {MIN_CONTRIBUTORS} weitere "
                 "Kommunen nötig.")
    out.append(text)
    out.append(sentences.verdict_sentence(commune.name, point, family.member(info.id, ags), family))
    rank = outcome.direct.ranks.rank(ags)
    if rank is not None:
        out.append(sentences.rank_sentence(commune.name, rank, outcome.direct.ranks.k))
    out.append(sentences.tau2_sentence(f.overdispersion, outcome.fixed.get("direct")))
    found = model.changes_for(ags)
    for c in (found.changes if found else ()):
        if c.indicator == OUTCOME and c.year_to == commune.year:
            out.append(sentences.change_sentence(commune.name, info.label, c, info.kind))
    return out


def _indicator_table(model: ComparisonModel, commune: ProfileData, only_distribution: bool) -> dict:
    ags, family = commune.ags, model.families.get("direct")
    rows = []
    for result in model.headline:
        info, direct = result.info, result.direct
        point = direct.funnel.point(ags) if direct.funnel else None
        eb = direct.fay_herriot.estimate(ags) if direct.fay_herriot else None
        target = (target_text(result, only_distribution)
                  if target_shown(model, result, ags, only_distribution) else fmt.MISSING)
        rows.append((info.label, texts.value_with_interval(commune.direct.get(info.id), info.kind), target,
                     texts.position_cell(point, family.member(info.id, ags) if family and point else None),
                     texts.rank_cell(direct.ranks.rank(ags), direct.ranks.k), texts.eb_value(eb, info.kind)))
    return _table(f"{commune.name} ({commune.year}) im Vergleich {texts.others_phrase(len(model.communes) - 1)}",
                  ("Indikator", "Ihr Wert (95-%-KI)", "Gesamtwert", "Lage im Trichter", "Rangplatz (95\u00a0%)", "EB"),
                  rows, ("left", "right", "right", "left", "left", "right"), (2.7, 1.55, 0.75, 1.3, 1.55, 0.5),
                  "Kernindikatoren")


def _change_table(model: ComparisonModel, commune: ProfileData) -> dict | None:
    found = model.changes_for(commune.ags)
    if not found:
        return None
    infos = {r.info.id: r.info for r in model.headline}
    rows = []
    for c in found.changes:
        if c.indicator not in infos or c.year_to != commune.year:
            continue
        info = infos[c.indicator]
        diff, ci = texts.change_text(c, info.kind)
        rows.append((info.label, f"{texts.number(c.estimate_from, info.kind)} → {texts.number(c.estimate_to, info.kind)}",
                     f"{diff} ({ci})", fmt.p_value(c.p_value), texts.change_verdict_cell(c)))
    if not rows:
        return None
    years = f"{found.changes[0].year_from} → {commune.year}"
    method = texts.METHOD_NAME[found.family.method]
    return _table(f"Veränderung {years} (unabhängige Stichproben, Wald-Test; Korrektur für "
                  f"{fmt.integer(found.family.tests)} Veränderungen nach {method})",
                  ("Indikator", years, "Veränderung (95-%-KI)", "p-Wert", "korrigiert"), rows,
                  ("left", "right", "right", "right", "left"), (2.7, 1.1, 1.9, 0.75, 0.95),
                  "Veränderung seit der letzten Befragung")


def _others_table(model: ComparisonModel, commune: ProfileData, labels: dict[str, str], limit: int) -> dict | None:
    outcome = model.indicator(OUTCOME)
    if outcome is None:
        return None
    f, family, kind = outcome.direct.funnel, model.families.get("direct"), outcome.info.kind
    own = f.point(commune.ags) if f else None
    candidates = [p for p in model.communes if p.ags != commune.ags]
    m = len(candidates)
    if own is not None and m > limit:
        def distance(p):  # noqa: ANN001, ANN202 - most similar precision (size) first
            other = f.point(p.ags)
            return abs(other.precision - own.precision) if other else float("inf")
        candidates = sorted(candidates, key=distance)[:limit]
    rows = sorted(((labels[p.ags], texts.value_with_interval(p.direct.get(OUTCOME), kind),
                    texts.value_with_interval(p.standardised.get(OUTCOME), kind),
                    texts.position_cell(f.point(p.ags) if f else None,
                                        family.member(OUTCOME, p.ags) if family and f and f.point(p.ags) else None))
                   for p in candidates), key=lambda r: (len(r[0]), r[0]))
    caption = f"{outcome.info.label}: die {fmt.integer(m)} weiteren Kommunen (ohne Namen, zufällige Reihenfolge)"
    if m > limit:
        caption = (f"{outcome.info.label}: {limit} der {fmt.integer(m)} weiteren Kommunen mit ähnlicher "
                   "Fallzahl (ohne Namen, zufällige Reihenfolge)")
    return _table(caption, ("Kommune", "Roh (95-%-KI)", "Standardisiert (95-%-KI)", "Lage im Trichter"), rows,
                  ("left", "right", "right", "left"), (1.2, 1.6, 1.6, 1.4), "Die weiteren Kommunen (ohne Namen)")


def _distribution_table(model: ComparisonModel, commune: ProfileData) -> dict | None:
    dists = [(r, distribution_of(model, r, commune.ags)) for r in model.headline]
    bands = [b for b in (Band.LOWEST, Band.LOWER_QUARTILE, Band.MIDDLE, Band.UPPER_QUARTILE, Band.HIGHEST)
             if any(d.band(b).members for _, d in dists)]
    m = len(model.communes) - 1
    if not bands:
        return _table(f"Die {fmt.integer(m)} weiteren Kommunen: zu wenige für eine Verteilung ohne Einzelwerte "
                      f"(mindestens {MIN_CONTRIBUTORS} nötig)", ("Indikator", "Ihr Wert"),
                      [(r.info.label, texts.value_text(commune.direct.get(r.info.id), r.info.kind))
                       for r, _ in dists], ("left", "right"), (3.0, 1.0), "Die weiteren Kommunen als Verteilung")
    rows = [(r.info.label, *(texts.band_value_text(d.band(b), r.info.kind) for b in bands)) for r, d in dists]
    return _table(f"Die {fmt.integer(m)} weiteren Kommunen als Verteilung (Mittelwerte von Gruppen, ohne Einzelwerte)",
                  ("Indikator", *(texts.BAND_LABELS[b] for b in bands)), rows,
                  ("left",) + ("right",) * len(bands), (3.6,) + (0.95,) * len(bands),
                  "Die weiteren Kommunen als Verteilung")


def page_data(model: ComparisonModel, ags: str, figure_path: str | None, figure_alt: str, *, date: dt.date,
              only_distribution: bool = False) -> dict[str, Any]:
    commune = model.commune(ags)
    labels = nameless_labels(model, ags)
    m = len(model.communes) - 1
    changes = _change_table(model, commune)
    limit = MAX_OTHERS_WITH_CHANGES if changes else MAX_OTHERS
    others = _distribution_table(model, commune) if only_distribution else _others_table(model, commune, labels, limit)
    caption = ("Nachts unsicher: Ihre Kommune (orange Raute) im Trichter; rechts die weiteren Kommunen als "
               "Mittelwerte von Gruppen (blau)" if only_distribution else
               f"Nachts unsicher: Ihre Kommune (orange Raute) und die {fmt.integer(m)} weiteren Kommunen "
               "(graue Punkte) im Trichterdiagramm")
    mode_note = (distribution_rule() if only_distribution else
                 "Die weiteren Kommunen stehen ohne Namen und in zufälliger Reihenfolge. Das verbirgt nur die "
                 "Namen: Ihre Werte sind in den Berichten dieser Kommunen veröffentlicht und lassen sich dort "
                 "wiederfinden.")
    return {
        "title": f"{commune.name} im Vergleich", "author": "Landespräventionsrat",
        "keywords": ["Sicherheitsanalyse", "Kommunalvergleich"],
        "subtitle": (f"Ihre Kommune im Vergleich {texts.others_phrase(m)} · Befragung {commune.year} · "
                     f"Kernfragen Version {model.core_version} · Stand {fmt.date(date)}"),
        "summary": _summary(model, commune, only_distribution),
        "figure": {"path": figure_path, "alt": figure_alt, "caption": caption} if figure_path else None,
        "indicators": _indicator_table(model, commune, only_distribution),
        "changes": changes, "others": others,
        "note": (sheet_note(model.families["direct"].tests) + " " + mode_note
                 if "direct" in model.families else mode_note),
        "footer": f"Vergleich der Sicherheitsanalysen · {commune.name} · Stand {fmt.date(date)}",
    }


def _figure(model: ComparisonModel, commune: ProfileData, variants, only_distribution: bool):  # noqa: ANN001, ANN202
    """The sheet's chart (or ``None``): all communes with the own highlighted, or only the own commune
    with band means of the others."""
    outcome = model.indicator(OUTCOME)
    f = outcome.direct.funnel if outcome else None
    if f is None or f.point(commune.ags) is None:
        return None
    if not only_distribution:
        return variants.for_commune(commune.ags, nameless_labels(model, commune.ags))
    dist = distribution_of(model, outcome, commune.ags)
    bands = [BandMark(b.band, texts.BAND_LABELS[b.band], b.value) for b in dist.shown]
    return own_funnel_chart(f, commune.ags, commune.name, outcome.info.label, unit=texts.unit_of(outcome.info.kind),
                            bands=bands, show_target=target_shown(model, outcome, commune.ags, True),
                            coarse=lambda x: texts.coarse_number(x, outcome.info.kind))


def render_one_pagers(model: ComparisonModel, target_dir: Path, *, date: dt.date, only: list[str] | None = None,
                      only_distribution: bool = False) -> list[Path]:
    """Write ``kommune_<ags>.pdf`` for every commune (or those in ``only``) atomically."""
    outcome = model.indicator(OUTCOME)
    f = outcome.direct.funnel if outcome else None
    names = {p.ags: p.name for p in model.communes}
    variants = None
    if f is not None and not only_distribution:
        variants = funnel_variants(f, outcome.info.label, names, unit=texts.unit_of(outcome.info.kind), height_cm=4.6)
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
            chart = _figure(model, commune, variants, only_distribution)
            figure = None
            if chart is not None:
                figure = f"pages/{commune.ags}.svg"
                (folder / figure).write_text(chart.svg, encoding="utf-8")
            data = page_data(model, commune.ags, figure, chart.alt_text if chart else "", date=date,
                             only_distribution=only_distribution)
            page = f"pages/{commune.ags}.json"
            for density in range(DENSITIES):  # tighter type only for sheets that would not fit one page
                data["density"] = density
                (folder / page).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
                try:
                    pdf = compiler.compile(format="pdf", sys_inputs={"page": page}, pdf_standards=["ua-1"],
                                           timestamp=timestamp)
                except typst.TypstError as error:
                    raise RenderError(f"Kommunenblatt für {commune.name} konnte nicht erzeugt werden (Typst): "
                                      f"{error}") from None
                if page_count(pdf) == 1:
                    break
            target = target_dir / page_name(commune.ags)
            with atomic_path(target) as temp_path:
                temp_path.write_bytes(pdf)
            written.append(target)
    return written
