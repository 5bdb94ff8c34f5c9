"""Benchmark: the Tabellenband of a sample commune, built as a ``survey.sheet_model`` workbook (what
``write_tabellenband`` uses) and, as before issue 13's sheet model, as an openpyxl workbook; the model saved
with xlsxwriter (``survey.xlsx_writer.save_workbook``), the openpyxl workbook with xlsxwriter and with openpyxl
(``survey.safe_cells.save_workbook``). Prints CPU seconds per step (fastest of ``--runs``), the cell count,
and whether the xlsxwriter files of all builds (model and openpyxl) are byte-identical.

    python bench/bench_tabellenband.py [--kommune eichenstedt] [--runs 3]

The profile is computed once on a copy of ``sample_data/<slug>`` (not timed).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook

from survey import safe_cells, xlsx_writer  # noqa: E402
from survey.profile_builder import write_profile  # noqa: E402
from survey.report.render import load_report_profile  # noqa: E402
from survey.report.tabellenband import build_workbook  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def cpu(function, *args):  # noqa: ANN001, ANN201
    start = time.process_time()
    result = function(*args)
    return result, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommune", default="eichenstedt")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / args.kommune
        shutil.copytree(SAMPLE / args.kommune, folder, ignore=shutil.ignore_patterns("ergebnis", "__pycache__"))
        write_profile(folder)
        rp = load_report_profile(folder)
        times: dict[str, list[float]] = {"bauen (sheet_model)": [], "bauen (openpyxl)": [],
                                         "speichern xlsxwriter (sheet_model)": [],
                                         "speichern xlsxwriter (openpyxl)": [], "speichern openpyxl": []}
        digests = set()
        for run in range(args.runs):
            workbook, seconds = cpu(build_workbook, rp)
            times["bauen (sheet_model)"].append(seconds)
            target = folder / f"xlsxwriter-{run}.xlsx"
            times["speichern xlsxwriter (sheet_model)"].append(cpu(xlsx_writer.save_workbook, workbook, target)[1])
            digests.add(hashlib.sha256(target.read_bytes()).hexdigest())
            reference, seconds = cpu(build_workbook, rp, Workbook)
            times["bauen (openpyxl)"].append(seconds)
            target = folder / f"xlsxwriter-openpyxl-{run}.xlsx"
            times["speichern xlsxwriter (openpyxl)"].append(cpu(xlsx_writer.save_workbook, reference, target)[1])
            digests.add(hashlib.sha256(target.read_bytes()).hexdigest())
            saved = folder / f"openpyxl-{run}.xlsx"
            times["speichern openpyxl"].append(cpu(safe_cells.save_workbook, reference, saved)[1])
        cells = sum(len(ws._cells) for ws in workbook.worksheets)
        print(f"{args.kommune}: {len(workbook.worksheets)} Blätter, {cells} Zellen; CPU-Sekunden (schnellster von "
              f"{args.runs} Läufen):")
        for step, values in times.items():
            print(f"  {step:36s} {min(values):.2f} s")
        print(f"  xlsxwriter-Dateien byte-gleich: {'ja' if len(digests) == 1 else 'nein'}")

if __name__ == "__main__":
    main()
