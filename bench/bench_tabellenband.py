"""Benchmark: the Tabellenband of a sample commune, built (openpyxl, in memory) and saved with openpyxl
(``survey.safe_cells.save_workbook``) and with xlsxwriter (``survey.xlsx_writer.save_workbook``, what
``write_tabellenband`` uses). Prints CPU seconds per step (fastest of ``--runs``), the cell count, and
whether two xlsxwriter saves of two builds are byte-identical.

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

from survey import safe_cells, xlsx_writer  # noqa: E402
from survey.profile_builder import write_profile  # noqa: E402
from survey.report.render import load_report_profile  # noqa: E402
from survey.report.tabellenband import build_workbook  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def cpu(function):  # noqa: ANN001, ANN201
    start = time.process_time()
    result = function()
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
        times: dict[str, list[float]] = {"bauen": [], "speichern openpyxl": [], "speichern xlsxwriter": []}
        digests = set()
        for run in range(args.runs):
            workbook, seconds = cpu(lambda: build_workbook(rp))
            times["bauen"].append(seconds)
            target = folder / f"xlsxwriter-{run}.xlsx"
            times["speichern xlsxwriter"].append(cpu(lambda: xlsx_writer.save_workbook(workbook, target))[1])
            digests.add(hashlib.sha256(target.read_bytes()).hexdigest())
            reference = folder / f"openpyxl-{run}.xlsx"
            times["speichern openpyxl"].append(cpu(lambda: safe_cells.save_workbook(workbook, reference))[1])
        cells = sum(len(ws._cells) for ws in workbook.worksheets)
        print(f"{args.kommune}: {len(workbook.worksheets)} Blätter, {cells} Zellen; CPU-Sekunden (schnellster von "
              f"{args.runs} Läufen):")
        for step, values in times.items():
            print(f"  {step:22s} {min(values):.2f} s")
        print(f"  xlsxwriter-Dateien byte-gleich: {'ja' if len(digests) == 1 else 'nein'}")


if __name__ == "__main__":
    main()
