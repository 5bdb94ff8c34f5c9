"""Benchmark: reading and writing ``profil.json`` through the typed contract (survey/profile).

For each shipped 1.0 sample profile: read + upgrade (1.0 schema check, types), write 2.0, read the 2.0
file (strict type check), and, for comparison, the generic JSON-Schema check of the 2.0 file. Prints
seconds per step.

    python bench/bench_profile_io.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import jsonschema

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey.profile import profile_json, read_profile  # noqa: E402
from survey.profile.schema import SCHEMA_2_0  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def timed(function):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def main() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_2_0.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(SAMPLE.glob("*/vorwelle/profil-*.json")):
            document, upgrade = timed(lambda: read_profile(path))
            target = Path(tmp) / "profil.json"
            _, write = timed(lambda: target.write_text(profile_json(document), encoding="utf-8"))
            _, read = timed(lambda: read_profile(target))
            data = json.loads(target.read_text(encoding="utf-8"))
            _, schema = timed(lambda: validator.is_valid(data))
            size = target.stat().st_size / 1e6
            print(f"{path.parent.parent.name}: 1.0 lesen+heben {upgrade:.2f} s, 2.0 schreiben {write:.2f} s, "
                  f"2.0 lesen {read:.2f} s ({size:.1f} MB); jsonschema-Prüfung zum Vergleich {schema:.2f} s")


if __name__ == "__main__":
    main()
