"""Benchmark: ``sicherheitsanalyse vergleich`` with many synthetic profiles (default 400 communes, 20 of
them with a second wave). Profiles are validated against the full schema here, then the command runs
with all outputs (report PDF/HTML, workbook, vergleich.csv/.json, one kommune_<ags>.pdf per commune).
Prints wall-clock and CPU timings.

    python bench/bench_comparison.py [--kommunen 400] [--ziel DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import jsonschema
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey.cli import cli  # noqa: E402
from survey.comparison.loading import SCHEMA_PATH  # noqa: E402
from survey.comparison.synthetic import synthetic_profile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kommunen", type=int, default=400)
    parser.add_argument("--zweite-welle", type=int, default=20)
    parser.add_argument("--ziel", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-vergleich-") as temp:
        root = Path(args.ziel or temp)
        profiles = root / "profile"
        profiles.mkdir(parents=True, exist_ok=True)
        schema = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
        start = time.perf_counter()
        paths = []
        for i in range(args.kommunen):
            document = synthetic_profile(i, year=2025)
            schema.validate(document)
            paths.append(profiles / f"p{i:04d}.json")
            paths[-1].write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            if i < args.zweite_welle:
                second = synthetic_profile(i, year=2027, shift=-0.02, ags=document["commune"]["ags"],
                                           name=document["commune"]["name"])
                schema.validate(second)
                paths.append(profiles / f"p{i:04d}-2027.json")
                paths[-1].write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
        print(f"{len(paths)} synthetische Profile erzeugt und gegen das Schema geprüft: "
              f"{time.perf_counter() - start:.1f} s")
        target = root / "vergleich"
        start, cpu = time.perf_counter(), time.process_time()
        result = CliRunner().invoke(cli, ["vergleich", *map(str, paths), "--ziel", str(target)])
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(result.output.strip())
        if result.exit_code != 0:
            print(f"Exit-Status {result.exit_code}", file=sys.stderr)
            sys.exit(1)
        pages = sorted(target.glob("kommune_*.pdf"))
        size = sum(p.stat().st_size for p in target.iterdir()) / 1e6
        print(f"vergleich ({args.kommunen} Kommunen, alle Ausgaben, {len(pages)} Kommunenblätter): {elapsed:.1f} s "
              f"({'unter' if elapsed < 60 else 'ÜBER'} 60 s), davon CPU-Zeit {cpu:.1f} s (auf einem ausgelasteten "
              f"Rechner aussagekräftiger als die Uhrzeit); {size:.1f} MB")


if __name__ == "__main__":
    main()
