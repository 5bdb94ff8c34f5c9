"""Start-up time of the CLI: ``sicherheitsanalyse --help`` and ``<befehl> --help`` (prints figures).

    python bench/bench_cli.py [--runs 7] [--befehl "fragebogen papier" ...]

Every measurement is a fresh process (the console script ``sicherheitsanalyse`` beside this Python, or
``python -c`` when it is not installed), so the figures include interpreter start and all imports, as a
coach experiences them. Printed per command: the median and the fastest of ``--runs`` wall-clock runs,
and the heavy modules (pandas, numpy, matplotlib, scipy, …) that printing the help imported. The target
of issue 13: at most 0.5 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "typst", "openpyxl", "pydantic", "flask",
         "waitress", "pyreadstat", "yaml", "jinja2", "rapidfuzz", "reportlab", "PIL")

# Lists the commands (with sub-commands) and, per command, which heavy modules its help imports.
_PROBE = """
import json, sys
import click
from survey.cli import cli
def walk(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from walk(command, (*prefix, name))
args = json.loads(sys.argv[1])
if args == "list":
    print(json.dumps([list(p) for p in walk(cli)]))
else:
    try:
        cli.main([*args, "--help"], prog_name="sicherheitsanalyse", standalone_mode=False)
    except SystemExit:
        pass
    heavy = json.loads(sys.argv[2])
    loaded = sorted({h for h in heavy for m in sys.modules if m == h or m.startswith(h + ".")})
    print("\\n" + json.dumps(loaded))
"""


def _command_line() -> list[str]:
    script = Path(sys.executable).with_name("sicherheitsanalyse")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from survey.cli import main; main()"]


def _probe(args: object) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(args), json.dumps(HEAVY)],
                            capture_output=True, text=True, env=env, check=True)
    return result.stdout.strip().splitlines()[-1]


def _time(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per command (default 7)")
    parser.add_argument("--befehl", action="append", default=None,
                        help="only this command, e.g. 'fragebogen papier' (repeatable)")
    args = parser.parse_args()
    commands = ([c.split() for c in args.befehl] if args.befehl else [[], *json.loads(_probe("list"))])
    base = _command_line()
    print(f"Aufruf: {' '.join(base)} … --help; {args.runs} Läufe je Befehl, je ein neuer Prozess")
    print(f"{'Befehl':<22} {'Median':>8} {'schnellster':>12}  schwere Module beim Laden")
    medians = []
    for path in commands:
        times = _time([*base, *path, "--help"], args.runs)
        heavy = json.loads(_probe(path))
        median = statistics.median(times)
        medians.append(median)
        print(f"{' '.join(path) or '(Hauptbefehl)':<22} {median:>6.3f} s {min(times):>10.3f} s  "
              f"{', '.join(heavy) or '–'}")
    print(f"Langsamster Median: {max(medians):.3f} s (Ziel: höchstens 0,5 s)")


if __name__ == "__main__":
    main()
