"""Seeded generator of the fictional sample communes: ``python -m sample_data.generate [ZIEL]``.

Writes one analysis folder per commune and wave (DESIGN.md §3): analyse.yaml, responses_online.csv plus
the paper answers (CSV in UTF-8 with ``,``, CSV in Windows-1252 with ``;`` and CRLF as German Excel writes
it, or XLSX), population.csv, strata.csv and pks.csv. The output depends only on the specs and seeds, so
re-running rewrites every file byte for byte. With the standard questionnaire present, every questionnaire
variable is generated; without it only the core items of DESIGN.md §4.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from sample_data.extras import extra_answers
from sample_data.pks import pks_table
from sample_data.geometry import CommuneShape, geojson_text
from sample_data.places import places_for
from sample_data.texts import texts_for
from sample_data.population import (
    allocate_letters, draw_sample, population_cells, population_margins, select_respondents, strata_table,
)
from sample_data.responses import OFFENCES, PROBLEMS, SORGE, assign_mode, core_answers, item_nonresponse, latent_factors
from sample_data.sachsen import sachsen_provenance
from sample_data.specs import ALL_SPECS, COMMUNES, LANDKREIS_AGS, WAVES, CommuneSpec
from survey.atomic import atomic_path, atomic_write

__all__ = ["ALL_SPECS", "COMMUNES", "WAVES", "CORE_COLUMNS", "generate_commune", "generate_all", "main"]

QUESTIONNAIRE_ID = "sicherheitsanalyse-standard"
CORE_COLUMNS = (
    ["ortsteil", "geschlecht", "geburtsjahr", "sicher_tag", "sicher_nacht", "sicher_gemeinde"]
    + [f"sorge_{x}" for x in SORGE] + [f"problem_{x}" for x in PROBLEMS]
    + [c for o in OFFENCES for c in (f"opfer_{o}", f"anzeige_{o}")] + ["meide_orte", "vertrauen_polizei"]
)
ONLINE_FILE = "responses_online.csv"
PAPER_FILES = {"csv": "responses_papier.csv", "cp1252": "responses_papier.csv", "xlsx": "responses_papier.xlsx"}
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)


def default_root() -> Path:
    return Path(__file__).resolve().parent


def load_standard_questionnaire(spec: CommuneSpec):
    """The standard questionnaire for this commune, or None while it does not exist yet."""
    from survey.resources import questionnaires_dir

    if not (questionnaires_dir() / f"{QUESTIONNAIRE_ID}.yaml").exists():
        return None
    from survey.questionnaire import load_questionnaire

    ortsteile = {o.code: o.name for o in spec.ortsteile}
    return load_questionnaire(QUESTIONNAIRE_ID, ortsteile=ortsteile, jahr=spec.jahr)


def build_responses(spec: CommuneSpec, respondents: pd.DataFrame, rng: np.random.Generator,
                    questionnaire=None) -> pd.DataFrame:
    """One row per respondent: resp_id (ON-/PA-), mode flag and one column per questionnaire variable."""
    people = latent_factors(spec, respondents, rng)
    people["paper"] = assign_mode(people, rng)
    answers = item_nonresponse(core_answers(spec, people, rng), people, rng)
    columns = list(CORE_COLUMNS)
    if questionnaire is not None:
        size = float(np.log10(spec.einwohner) - 4)
        answers = extra_answers(questionnaire, people, answers, spec.seed, size, places_for(spec.kommune))
        columns = [v.id for v in questionnaire.variables]
        missing = [c for c in CORE_COLUMNS if c not in columns]
        if missing:
            raise ValueError(f"Kernfragen fehlen im Fragebogen: {', '.join(missing)}")
    order = rng.permutation(len(respondents))  # arrival order, not sorted by stratum
    paper = people["paper"].to_numpy()[order]
    ids = np.empty(len(order), dtype=object)
    ids[~paper] = [f"ON-{i:04d}" for i in range(1, (~paper).sum() + 1)]
    ids[paper] = [f"PA-{i:04d}" for i in range(1, paper.sum() + 1)]
    data: dict[str, object] = {"resp_id": ids, "_paper": paper}
    for column in columns:
        values = answers[column]
        data[column] = (np.asarray(values, dtype=object)[order] if isinstance(values, list)
                        else pd.array(np.round(np.asarray(values)[order]), dtype="Int64"))
    return pd.DataFrame(data)


def _write_csv(frame: pd.DataFrame, path: Path, *, sep: str = ",", encoding: str = "utf-8",
               newline: str = "\n") -> None:
    with atomic_write(path, encoding=encoding) as stream:
        frame.to_csv(stream, index=False, sep=sep, lineterminator=newline)


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """XLSX with fixed document properties and zip timestamps, so it is byte-for-byte reproducible."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Antworten"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if (v is pd.NA or v == "") else (int(v) if isinstance(v, (int, np.integer)) else v)
                      for v in row])
    workbook.properties.creator = "sample_data.generate"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    workbook.save(raw)
    with atomic_path(path) as temp, zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", content)
            target.writestr(fixed, content)


def analyse_yaml(spec: CommuneSpec, seed: int, answer_files: list[str]) -> str:
    """analyse.yaml text (DESIGN.md §3), with a German comment on where the data come from."""
    ortsteile = ", ".join(f"{o.code}: {o.name}" for o in spec.ortsteile)
    lines = [
        "# Fiktive Beispielkommune im fiktiven Landkreis Musterland (erzeugt mit",
        f"# »python -m sample_data.generate«, Startwert {seed}). Siehe sample_data/README.md.",
        f"kommune: {spec.kommune}",
        f'ags: "{spec.ags}"',
        f"jahr: {spec.jahr}",
        f"fragebogen: {QUESTIONNAIRE_ID}",
        f"antworten: [{', '.join(answer_files)}]",
        "bevoelkerung: population.csv",
        "stichprobe:",
        "  schichtung: ortsteil",
        "  schichten: strata.csv",
        "gewichtung:",
        "  merkmale: [ortsteil, altersgruppe, geschlecht]",
    ]
    if spec.grenzen is not None:
        lines.append(f"  grenzen: [{spec.grenzen[0]}, {spec.grenzen[1]}]")
    lines += [
        "kriminalstatistik: pks.csv",
        f'landkreis_ags: "{LANDKREIS_AGS}"',
        f"ortsteile: {{{ortsteile}}}",
    ]
    if spec.jahr != CODED_YEAR:  # a later wave compares with the first one (issue 12)
        lines += ["# Profil der früheren Welle (Veränderungen seit " + str(CODED_YEAR) + "):",
                  f"vorwelle: {PREVIOUS_PROFILE}"]
    return "\n".join(lines) + "\n"


def generate_commune(spec: CommuneSpec, out_dir: str | Path, seed: int | None = None,
                     questionnaire="auto") -> Path:
    """Write the analysis folder of ``spec`` to ``out_dir`` (created if needed); returns the folder.

    ``seed`` defaults to ``spec.seed``; ``questionnaire``: "auto" (the standard questionnaire if it
    exists), None (core items only) or a loaded questionnaire.
    """
    seed = spec.seed if seed is None else seed
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    if questionnaire == "auto":
        questionnaire = load_standard_questionnaire(spec)

    cells = population_cells(spec)
    n_16plus = cells.groupby("ortsteil", sort=False)["einwohner"].sum().to_numpy()
    letters = allocate_letters(spec, n_16plus)
    sample = draw_sample(spec, cells, letters, rng)
    respondents = select_respondents(spec, sample, rng)
    responses = build_responses(spec, respondents, rng, questionnaire)

    paper = responses.pop("_paper").to_numpy()
    online_frame, paper_frame = responses[~paper], responses[paper]
    paper_file = PAPER_FILES[spec.paper_format]
    _write_csv(online_frame, out / ONLINE_FILE)
    if spec.paper_format == "xlsx":
        _write_xlsx(paper_frame, out / paper_file)
    elif spec.paper_format == "cp1252":
        _write_csv(paper_frame, out / paper_file, sep=";", encoding="cp1252", newline="\r\n")
    else:
        _write_csv(paper_frame, out / paper_file)
    _write_csv(population_margins(spec, cells, rng), out / "population.csv")
    _write_csv(strata_table(spec, n_16plus, letters, respondents), out / "strata.csv")
    _write_csv(pks_table(spec), out / "pks.csv")
    with atomic_write(out / "analyse.yaml") as stream:
        stream.write(analyse_yaml(spec, seed, [ONLINE_FILE, paper_file]))
    with atomic_write(out / "ortsteile.geojson") as stream:
        stream.write(geojson_text(spec))
    for name, text in texts_for(spec.kommune).items():
        with atomic_write(out / "texte" / name) as stream:
            stream.write(text)
    if questionnaire is not None and places_for(spec.kommune) and spec.jahr == CODED_YEAR:
        write_sample_coding(spec, out)
    return out


PREVIOUS_PROFILE = "vorwelle/profil-2025.json"  # shipped beside the later waves (profil.json of the 2025 run)
CODED_YEAR = 2025  # the first waves of the communes with places ship a coding table


def write_sample_coding(spec: CommuneSpec, out: Path) -> Path:
    """The coding table as a coach would leave it: the automatic grouping accepted unchanged, Ortsteil
    and position entered once per known place (fictional coordinates inside the fictional geometry)."""
    from dataclasses import replace

    from survey.freetext.run import write_coding_table
    from survey.freetext.table import CodingTable, read_table
    from survey.freetext.table_writer import write_xlsx

    path = write_coding_table(out).path
    questions = {"problem_sonstiges": False, "angstraum_ort": True, "wuensche": False, "anmerkungen": False}
    table = read_table(path, questions, {o.code: o.name for o in spec.ortsteile})
    shape = CommuneShape(spec)
    known = {p.name: p for p in places_for(spec.kommune)}
    sheets = []
    for sheet in table.sheets:
        done, rows = set(), []
        for row in sheet.rows:
            row = replace(row, new=False)
            place = known.get(row.category) if sheet.places else None
            if place is not None and place.name not in done:
                lat, lon = shape.position(place.ortsteil, *place.position)
                row = replace(row, ortsteil=str(place.ortsteil), lat=lat, lon=lon)
                done.add(place.name)
            rows.append(row)
        sheets.append(replace(sheet, rows=tuple(rows), question=_question_text(out, sheet.item)))
    return write_xlsx(CodingTable(path, tuple(sheets)), path)


def _question_text(folder: Path, item: str) -> str:
    from survey.folder import load_folder

    return load_folder(folder).questionnaire.variable(item).question_text


def generate_all(root: str | Path | None = None, specs=ALL_SPECS) -> list[Path]:
    """Every standard commune and wave into ``root/<slug>/``, plus the Sachsen provenance table."""
    root = Path(root) if root is not None else default_root()
    folders = [generate_commune(spec, root / spec.folder_name) for spec in specs]
    _write_csv(sachsen_provenance(), root / "referenz" / "pks_sachsen_quellen.csv")
    return folders


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else default_root()
    mode = "alle Fragebogen-Variablen" if load_standard_questionnaire(COMMUNES[0]) else "nur Kernfragen"
    for folder in generate_all(root):
        print(f"geschrieben: {folder} ({mode})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
