"""Time ``sicherheitsanalyse run`` on sample communes and show where the time goes (prints figures; no
assertions).

    python bench/bench_run.py [--kommune SLUG ...] [--runs 3] [--alle] [--ein-prozess]

Default: the largest sample commune (most responses). Every run is a fresh process on a fresh copy of the
commune folder (``sample_data/<slug>`` without ``ergebnis/``), so the figures include interpreter start,
imports and every output as a coach experiences ``sicherheitsanalyse run``. The worker process calls the
real CLI (``sicherheitsanalyse run DIR``) in-process with timers wrapped around the pipeline steps and
the report parts (validation, weighting, profile incl. findings, schema check, writing, Lagebericht
model incl. charts, PDF, HTML, Kurzbericht, Tabellenband); the timers change no result. Timers count in the
main process only: ``run`` forks a report process before it reads the folder (survey.pipeline.ReportProcess:
it imports the report stack while the profile is computed, then renders), which forks once more for two
chapters and the Tabellenband (survey.report.side_process); their work shows as the main process's wait
(row »Berichte (Profil an den Berichtsprozess, warten)«). ``--ein-prozess`` runs everything in one process
(SICHERHEITSANALYSE_PROZESSE=1) and times every report part.

Printed: per commune the median (and fastest) wall-clock of ``--runs`` runs, then a table of the steps
with median wall-clock and CPU seconds (CPU time is what a loaded machine does not inflate; the machine
load from ``/proc/loadavg`` is printed beside the figures). The issue-13 target: ``run`` on the largest
sample commune in at most 4 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"

# (label, module, function, depth): every binding of that function in a loaded survey/analysis module is
# wrapped, so a ``from x import f`` in the caller is timed too. Nested rows (depth 1, 2) are included in
# their parent. ``a|b``: the first of the modules that has the function (code that moved between
# branches). Entries whose module or function does not exist are listed as missing.
TIMED = (
    ("Antworten prüfen (Validierung)", "survey.validation", "validate_folder", 0),
    ("Gewichten", "survey.weighting_runner", "weight_folder", 0),
    ("Sicherheitsprofil (inkl. Befunde)", "survey.profile_builder", "build_profile_document", 0),
    ("Schätzungen Indikatoren", "analysis.profile.indicators", "indicator_records", 1),
    ("Standardisierung", "analysis.profile.indicators", "standardised_records", 1),
    ("Itemverteilungen (ohne Kindprozess)", "analysis.profile.items", "item_distributions", 1),
    ("Warten auf Kindprozess (Items u. a.)", "survey.profile_background", "wait_for_child", 1),
    ("Treiber, Zusammenhänge, Reliabilität", "analysis.profile.drivers", "analyse_drivers_with_fit", 1),
    ("", "analysis.profile.tests", "association_tests", 1),
    ("", "analysis.profile.tests", "index_reliability", 1),
    ("", "analysis.profile.problems", "rank_problems", 1),
    ("Kriminalstatistik (PKS)", "analysis.profile.crime", "crime_section", 1),
    ("Befunde", "analysis.findings.compute", "compute_findings", 1),
    ("Empfehlungsregeln", "analysis.profile.recommendations", "evaluate_rules", 1),
    ("Profil als Dokument (profile_to_dict)", "analysis.profile.assemble", "profile_to_dict", 1),
    ("Freitexte (ohne Kindprozess)", "survey.freetext.profile", "free_text_section", 1),
    ("Ortsteil-Profile (ohne Kindprozess)", "survey.profile_builder", "ortsteil_section", 1),
    ("Veränderung zur Vorwelle", "survey.wave_change", "change_section", 1),
    ("Schema-Prüfung profil.json", "survey.profile_builder", "validate_profile", 1),
    ("Schreiben (Protokoll, Gewichte, Profil)", "survey.intake.run", "write_protocol", 0),
    ("", "survey.weighting_runner", "write_weights", 0),
    ("", "survey.profile_builder", "save_profile", 0),
    ("Berichte (Profil an den Berichtsprozess, warten)", "survey.pipeline", "ReportProcess.commit", 0),
    ("Berichte", "survey.report.render|survey.report.lagebericht.render", "render_reports", 0),
    ("Profil lesen", "survey.report.render|survey.report.lagebericht.render", "load_report_profile", 1),
    ("Lagebericht-Inhalt (inkl. Grafiken)", "survey.report.lagebericht.build", "build_lagebericht", 1),
    ("Lagebericht-Kapitel (Hauptprozess)", "survey.report.lagebericht.build", "build_chapters", 1),
    ("Lagebericht zusammensetzen (lokal, Karten)", "survey.report.lagebericht.build", "assemble_lagebericht", 1),
    ("Grafiken (alle, SVG)", "survey.report.charts.style", "finish", 2),
    ("Kurzbericht-Inhalt", "survey.report.lagebericht.build", "build_kurzbericht", 1),
    ("PDF (Typst: Lagebericht + Kurzbericht)", "survey.report.typst_render", "render_pdf", 1),
    ("HTML", "survey.report.html_render", "write_html", 1),
    ("Tabellenband", "survey.report.tabellenband", "write_tabellenband", 1),
    ("Warten auf den zweiten Prozess", "survey.report.side_process", "SideProcess.result", 1),
)
# Modules the worker imports before the clock of the first step starts (their time is the row "Importe").
PRELOAD = ("survey.cli", "survey.pipeline", "survey.validation", "survey.weighting_runner", "survey.intake.run",
           "survey.profile_builder")
# Only with --ein-prozess (everything in one process): then the report modules are imported before the
# clock starts too, and every report row is timed. Otherwise they are left to the report process that
# ``run`` forks (survey.pipeline.ReportProcess), as in the real CLI; rows of that process show 0 calls.
PRELOAD_SINGLE = ("survey.report.render|survey.report.lagebericht.render",)
SINGLE_PROCESS = "SICHERHEITSANALYSE_PROZESSE"


def response_count(folder: Path) -> int:
    """Responses in a commune folder (data rows of responses*.csv / *.xlsx), counted without the toolkit."""
    total = 0
    for path in sorted(folder.glob("responses*")):
        if path.suffix == ".csv":
            with path.open("rb") as stream:
                total += max(0, sum(1 for line in stream if line.strip()) - 1)
        elif path.suffix == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            total += sum(max(0, (sheet.max_row or 1) - 1) for sheet in book.worksheets[:1])
            book.close()
    return total


def sample_communes() -> list[str]:
    return sorted(p.name for p in SAMPLE_DATA.iterdir() if (p / "analyse.yaml").is_file())


def load() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# --- worker: one run in this process --------------------------------------------------------------


def _install_timers(records: dict[str, list[float]]) -> list[str]:
    missing = []
    for label, module_name, name, _depth in TIMED:
        key = f"{module_name}.{name}"
        if os.environ.get(SINGLE_PROCESS) != "1" and not any(m in sys.modules for m in module_name.split("|")):
            continue  # a module of the report process: not imported here
        original = _find(module_name, name)
        if original is None:
            missing.append(key)
            continue
        records.setdefault(key, [0.0, 0.0, 0])

        def timed(*args, __original=original, __key=key, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return __original(*args, **kwargs)
            finally:
                record = records[__key]
                record[0] += time.perf_counter() - wall
                record[1] += time.process_time() - cpu
                record[2] += 1

        functools.update_wrapper(timed, original)
        if "." in name:  # a method: ``Class.method``
            owner_name, method = name.split(".")
            setattr(_find(module_name, owner_name), method, timed)
            continue
        for loaded in list(sys.modules.values()):
            if getattr(loaded, "__name__", "").startswith(("survey", "analysis")) and \
                    getattr(loaded, name, None) is original:
                setattr(loaded, name, timed)
    return missing


def _find(modules: str, name: str):
    for module_name in modules.split("|"):
        try:
            found = importlib.import_module(module_name)
            for part in name.split("."):
                found = getattr(found, part)
            return found
        except (ImportError, AttributeError):
            continue
    return None


def _preload(modules: str) -> None:
    for module_name in modules.split("|"):
        try:
            importlib.import_module(module_name)
            return
        except ImportError:
            continue


def worker(folder: Path) -> None:
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    sys.path.insert(0, str(ROOT))
    for modules in PRELOAD + (PRELOAD_SINGLE if os.environ.get(SINGLE_PROCESS) == "1" else ()):
        _preload(modules)
    imports = (time.perf_counter() - started_wall, time.process_time() - started_cpu)
    records: dict[str, list[float]] = {}
    missing = _install_timers(records)
    from survey.cli import main

    sys.argv = ["sicherheitsanalyse", "run", str(folder)]
    try:
        main()  # the console script's entry point, with what it does before the process ends
    except SystemExit as stop:
        if stop.code:
            raise
    total = (time.perf_counter() - started_wall, time.process_time() - started_cpu)
    times = os.times()  # the report processes, reaped by now (a grandchild counts once its parent reaped it)
    children = times.children_user + times.children_system
    print("BENCH " + json.dumps({"imports": imports, "total": total, "children": children, "records": records,
                                 "missing": missing}))


# --- parent: fresh processes, medians, table ------------------------------------------------------


def one_run(slug: str, single: bool = False) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        target = Path(tmp) / slug
        shutil.copytree(SAMPLE_DATA / slug, target, ignore=shutil.ignore_patterns("ergebnis", "__pycache__"))
        started = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--worker", str(target)], capture_output=True,
                              text=True, env={**os.environ, "PYTHONHASHSEED": "0", **({SINGLE_PROCESS: "1"} if single else {})})
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"run on {slug} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
        line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
        return wall, json.loads(line[len("BENCH "):])


def report(slug: str, runs: list[tuple[float, dict]], loads: list[str]) -> None:
    walls = [wall for wall, _ in runs]
    details = [d for _, d in runs]
    median = statistics.median
    print(f"\n{slug}: {response_count(SAMPLE_DATA / slug)} Antworten, {len(runs)} Läufe, "
          f"Last (1/5/15 min) vor den Läufen: {' | '.join(loads)}")
    print(f"  sicherheitsanalyse run (Prozess, Wanduhr): Median {median(walls):.2f} s, "
          f"schnellster {min(walls):.2f} s, alle: {', '.join(f'{w:.2f}' for w in walls)}")
    print(f"  CPU-Zeit des Prozesses: Median {median(d['total'][1] for d in details):.2f} s, "
          f"der Berichtsprozesse: Median {median(d.get('children', 0.0) for d in details):.2f} s")
    print(f"\n  {'Schritt':<44} {'Wand s':>8} {'CPU s':>8} {'Aufrufe':>8}")
    print(f"  {'Interpreter-Start + Importe':<44} {median(d['imports'][0] for d in details):>8.2f} "
          f"{median(d['imports'][1] for d in details):>8.2f}")
    rows: list[tuple[str, int, list[str]]] = []  # unlabelled TIMED entries add to the row above
    for row_label, module, name, depth in TIMED:
        if row_label:
            rows.append((row_label, depth, []))
        rows[-1][2].append(f"{module}.{name}")
    def total(d: dict, keys: list[str], field: int) -> float:
        return sum(d["records"].get(k, [0, 0, 0])[field] for k in keys)

    def line(label: str, depth: int, wall: float, cpu: float, calls: str) -> None:
        print(f"  {'  ' * depth + label:<44} {wall:>8.2f} {cpu:>8.2f} {calls:>8}")

    def rest(parent: int, end: int) -> None:
        """Row "übrige": the parent's time its direct children do not account for (per run, then median)."""
        _, depth, keys = rows[parent]
        children = [r[2] for r in rows[parent + 1:end] if r[1] == depth + 1]
        if children:
            own = [[total(d, keys, f) - sum(total(d, c, f) for c in children) for f in (0, 1)] for d in details]
            line("übrige (keinem Schritt zugeordnet)", depth + 1, median(o[0] for o in own),
                 median(o[1] for o in own), "")

    open_rows: list[int] = []  # rows whose children are being printed
    for index, (row_label, depth, keys) in enumerate(rows):
        while open_rows and rows[open_rows[-1]][1] >= depth:
            rest(open_rows.pop(), index)
        absent = [k for k in keys if k in details[0]["missing"]]
        if absent:
            print(f"  {'  ' * depth + row_label:<44} (fehlt: {', '.join(absent)})")
        line(row_label, depth, median(total(d, keys, 0) for d in details),
             median(total(d, keys, 1) for d in details), f"{max(total(d, keys, 2) for d in details):.0f}")
        open_rows.append(index)
    while open_rows:
        rest(open_rows.pop(), len(rows))


def machine_speed() -> float:
    """Seconds for 10 million Python additions (fastest of 3): a yardstick for comparing figures measured
    on different machines of the same kind (2 cores); they differed by a factor of about 3."""
    best = math.inf
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for k in range(10_000_000):
            total += k
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kommune", nargs="*", default=None, help="sample commune slugs (default: the largest)")
    parser.add_argument("--alle", action="store_true", help="every sample commune")
    parser.add_argument("--runs", type=int, default=3, help="runs per commune (median is printed)")
    parser.add_argument("--ein-prozess", action="store_true",
                        help="everything in one process (SICHERHEITSANALYSE_PROZESSE=1): every report row timed")
    parser.add_argument("--worker", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker)
        return
    counts = {slug: response_count(SAMPLE_DATA / slug) for slug in sample_communes()}
    largest = max(counts, key=lambda s: (counts[s], s))
    print(f"Maschinenmaß: 10 Mio. Python-Additionen in {machine_speed():.2f} s (Last {load()}; "
          "zum Vergleich mit Messungen auf anderen Maschinen)")
    print("Antworten je Beispielkommune: " + ", ".join(f"{s} {n}" for s, n in sorted(counts.items()))
          + f"; größte: {largest}")
    slugs = sample_communes() if args.alle else (args.kommune or [largest])
    for slug in slugs:
        runs, loads = [], []
        for _ in range(args.runs):
            loads.append(load())
            runs.append(one_run(slug, args.ein_prozess))
        report(slug, runs, loads)


if __name__ == "__main__":
    main()
