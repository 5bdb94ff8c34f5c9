"""Local content of the Lagebericht (issue 12): the coach's chapters, maps of Ortsteil values, coded
places. The ONE seam between these parts and the chapters: :func:`load_local_content` reads what lies
in the analysis folder (texte/*.md, ortsteile.geojson), :func:`extend_lagebericht` puts the blocks at
their places (a hook in :func:`~survey.report.lagebericht.build.build_lagebericht`):

* Vorwort: first chapter; Gebietsprofil text: in the chapter »Gebietsprofil« (it replaces the sentence
  that asks the commune to add structural data); Angebote: own chapter before »Handlungsempfehlungen«;
  a missing text shows a one-line hint in a draft and is left out of the final report;
* maps (choropleth with geometry, else a tile layout): »nachts unsicher« in »Sicherheitsgefühl«,
  »Problemindex« in »Probleme im Wohnumfeld«, »meidet Orte« with the coded places in »Angsträume«;
* coded places in »Angsträume«, coded categories of other open questions in their questionnaire chapter.

A broken or mismatched GeoJSON never stops the report: it is rendered without the map and the reason
is returned as a warning (the CLI prints it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from survey.folder import AnalysisFolder, MapConfig
from survey.geometry import GeometryError, OrtsteilGeometry, load_geometry
from survey.report import charts as ch
from survey.report.coach_texts import chapter as coach_chapter
from survey.report.coach_texts import draft_hint, load_chapter
from survey.report.document import Figure, Paragraph, Section
from survey.report.lagebericht import places as pl
from survey.report.lagebericht.comparison_values import comparison_table
from survey.report.lagebericht.ortsteile import ortsteil_chapter
from survey.report.lagebericht.plan import add_plan
from survey.report.lagebericht.profile import CHAPTER_SECTIONS, ReportProfile, point_of
from survey.report.lagebericht.waves import change_chapter

AREA_NOTE_PREFIX = "Strukturdaten zu Wirtschaft"  # the placeholder sentence of chapters_context.area_chapter
CHAPTER_IDS = {"gebiet": "gebietsprofil", "gefuehl": "sicherheitsgefuehl", "probleme": "probleme",
               "angstraeume": "angstraeume", "opfer": "opfer", "polizei": "polizei"}
MAPS = (  # (chapter section id, indicator, caption)
    ("sicherheitsgefuehl", "unsicher_nachts", "Fühlen sich nachts in der Wohngegend unsicher, nach Ortsteil"),
    ("probleme", "problem_index", "Problemindex Wohnumfeld (1 = keine, 4 = große Probleme), nach Ortsteil"),
    ("angstraeume", "meidet_orte", "Meidet nachts bestimmte Orte, nach Ortsteil"),
)


@dataclass(frozen=True)
class LocalContent:
    final: bool = False
    geometry: OrtsteilGeometry | None = None
    chapters: Mapping[str, list | None] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def _ortsteile(rp: ReportProfile) -> dict[str, str]:
    for variable in rp.breakdown_variables:
        if variable.id == "ortsteil":
            return {g.code: g.label for g in variable.groups}
    return {}


def load_local_content(path: Path | None, rp: ReportProfile, *, final: bool = False,
                       folder: AnalysisFolder | None = None) -> LocalContent:
    """Read the coach chapters and the Ortsteil geometry in ``path`` (None: nothing local); ``folder``: the
    opened analysis folder there (its ``karte`` settings), None for a folder holding only the profile."""
    if path is None:
        return LocalContent(final=final)
    warnings: list[str] = []
    config = folder.config.karte if folder is not None else MapConfig()
    folder = path
    geometry = None
    path = folder / config.datei
    ortsteile = _ortsteile(rp)
    if path.is_file() and len(ortsteile) > 1:
        try:
            geometry = load_geometry(path, ortsteile, config.eigenschaft)
        except GeometryError as error:
            warnings.append(f"{error} Der Bericht wird ohne Karte erstellt (Kacheln statt Karte).")
    elif config.datei != MapConfig().datei and not path.is_file():
        warnings.append(f"Die in analyse.yaml unter »karte« genannte Datei {path} fehlt; der Bericht zeigt Kacheln "
                        "statt einer Karte.")
    chapters = {"vorwort": load_chapter(folder, "vorwort", 2),
                "gebietsprofil": load_chapter(folder, "gebietsprofil", 3),
                "angebote": load_chapter(folder, "angebote", 2)}
    return LocalContent(final, geometry, chapters, tuple(warnings))


# --------------------------------------------------------------------------------------------- maps


def map_figure(rp: ReportProfile, local: LocalContent, fig_id: str, indicator: str, caption: str,
               markers: Sequence[ch.MapMarker] = (), marker_title: str = "") -> Figure | None:
    records = {r.group: r for r in rp.breakdown(indicator, "ortsteil")}
    ortsteile = _ortsteile(rp)
    record = rp.indicator(indicator)
    if len(ortsteile) < 2 or not records or record is None:
        return None
    unit = "share" if record.kind == "proportion" else "mean"
    label = record.label
    if local.geometry is not None:
        areas = [ch.MapArea(code, name, point_of(records.get(code)), local.geometry.shape(code).polygons)
                 for code, name in ortsteile.items()]
        chart = ch.choropleth_chart(areas, unit=unit, level=rp.level, indicator=label, markers=markers,
                                    marker_title=marker_title, region=rp.commune)
        return Figure(f"karte-{fig_id}", chart, f"Karte: {caption}")
    areas = [ch.MapArea(code, name, point_of(records.get(code))) for code, name in ortsteile.items()]
    chart = ch.tile_chart(areas, unit=unit, level=rp.level, indicator=label, region=rp.commune)
    return Figure(f"kacheln-{fig_id}", chart, f"Ortsteile im Überblick: {caption}")


def place_markers(rp: ReportProfile) -> list[ch.MapMarker]:
    q = pl.question(rp, pl.PLACE_ITEM)
    if q is None:
        return []
    return [ch.MapMarker(c.name, c.lon, c.lat, f"{c.mentions} Nennungen")
            for c in q.categories if c.lat is not None and c.lon is not None]


def _maps(rp: ReportProfile, local: LocalContent) -> dict[str, list]:
    out: dict[str, list] = {}
    for section_id, indicator, caption in MAPS:
        if local.geometry is None and section_id != "sicherheitsgefuehl":
            continue  # without geometry one tile overview; the chapters already chart the Ortsteile
        markers = place_markers(rp) if section_id == "angstraeume" else []
        figure = map_figure(rp, local, indicator.replace("_", "-"), indicator, caption, markers,
                            "Orte mit mindestens 10 Nennungen" if markers else "")
        if figure is not None:
            out.setdefault(section_id, []).append(figure)
    return out


# --------------------------------------------------------------------------------------------- hook


def _coach(local: LocalContent, key: str, level: int) -> Section | None:
    spec = coach_chapter(key)
    blocks = local.chapters.get(key)
    if blocks:
        return Section(spec.title, tuple(blocks), level=level, id=f"kommune-{key}")
    if local.final:
        return None
    return Section(spec.title, (Paragraph(draft_hint(key)),), level=level, id=f"kommune-{key}")


def _category_chapter(rp: ReportProfile, item: str) -> str:
    section = rp.section_id_of_item(item)
    for chapter, sections in CHAPTER_SECTIONS.items():
        if section in sections and chapter in CHAPTER_IDS:
            return CHAPTER_IDS[chapter]
    return "anhang"


@dataclass(frozen=True)
class LocalParts:
    """What :func:`extend_lagebericht` inserts that is computed from the profile: blocks per chapter id
    (maps, comparison table, places, categories), the change chapter and the Ortsteil chapter. Built apart
    from the insertion so that a side process can make them while the main one builds chapters
    (:func:`survey.report.render.render_reports`); they are most of the assembly's work (charts)."""

    extra: Mapping[str, tuple]
    change: Section | None
    ortsteile: Section | None


def local_parts(rp: ReportProfile, local: LocalContent) -> LocalParts:
    extra: dict[str, list] = _maps(rp, local)
    table = comparison_table(rp)  # issue 12: published comparison values beside the key indicators
    if table is not None:
        extra.setdefault("sicherheitsgefuehl", []).insert(0, table)
    extra["angstraeume"] = pl.place_blocks(rp, local.final, tuple(extra.get("angstraeume", ())))
    for q in pl.questions(rp):
        if q.kind == "categories":
            extra.setdefault(_category_chapter(rp, q.item), []).extend(pl.category_blocks(rp, q))
    return LocalParts({key: tuple(blocks) for key, blocks in extra.items()},
                      change_chapter(rp),  # issue 12: change since the wave of »vorwelle«
                      ortsteil_chapter(rp))  # issue 12: Ortsteil profiles after the places people fear


def extend_lagebericht(sections: Sequence[Section], rp: ReportProfile, local: LocalContent,
                       parts: LocalParts | None = None) -> tuple[Section, ...]:
    """The chapters with the local content inserted (see the module docstring); ``parts``: the
    :func:`local_parts` of ``rp`` and ``local`` if already made."""
    parts = parts if parts is not None else local_parts(rp, local)
    area_text = _coach(local, "gebietsprofil", 2)
    out: list[Section] = []
    vorwort = _coach(local, "vorwort", 1)
    if vorwort is not None:
        out.append(vorwort)
    for section in sections:
        if section.id == "empfehlungen":
            if parts.change is not None:
                out.append(parts.change)
            angebote = _coach(local, "angebote", 1)
            if angebote is not None:
                out.append(angebote)
        blocks = list(section.blocks)
        if section.id == "gebietsprofil":
            if local.chapters.get("gebietsprofil"):
                blocks = [b for b in blocks if not (isinstance(b, Paragraph) and b.text.startswith(AREA_NOTE_PREFIX))]
            if area_text is not None:
                blocks.append(area_text)
        blocks.extend(parts.extra.get(section.id, ()))
        if section.id == "empfehlungen":  # issue 12: the plan (Zuständigkeit, Zeitrahmen, Aufwand, Erfolg)
            blocks = list(add_plan(dataclasses.replace(section, blocks=tuple(blocks)), rp).blocks)
        out.append(dataclasses.replace(section, blocks=tuple(blocks)) if blocks != list(section.blocks) else section)
        if section.id == "angstraeume" and parts.ortsteile is not None:
            out.append(parts.ortsteile)
    return tuple(out)
