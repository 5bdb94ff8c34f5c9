"""Lint (issue 11): the report and comparison layers make no statistical decision. They do not compare
interval bounds (``ci_low``/``ci_high`` with ``<``/``>``), apply n thresholds (``n < 10``, ``n >= 30``,
``MIN_N_SHOWN`` …) or sort by priority; the engine does (findings, flags, the recommendation order).

The check reads the source as syntax trees, so strings (e.g. a legend »n < 30«) do not count. The
test's own detector is tested on small snippets, so the lint cannot silently pass by matching nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("survey/report", "survey/comparison")
BOUNDS = {"ci_low", "ci_high"}
N_NAMES = {"n", "n_min", "n_with", "n_without", "count", "net", "mentions"}
N_CONSTANTS = {"MIN_N_SHOWN", "MIN_N_RELIABLE", "MIN_N", "MIN_MENTIONS", "SMALL_CELL"}
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
# Owned by another helper (i13tab: one small-cell rule for the Tabellenband); listed so the lint
# names them instead of failing on code this change must not touch.
KNOWN: dict[str, str] = {
    "survey/report/tabellenband.py": "n < 10 shown as »unter 10« for suppressed cells (i13tab's small-cell rule)",
}


def _names(node: ast.AST) -> set[str]:
    """Identifiers a node refers to: names, attributes, string subscripts and ``.get("…")`` keys."""
    out: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            out.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            out.add(sub.attr)
        elif isinstance(sub, ast.Subscript) and isinstance(sub.slice, ast.Constant) and isinstance(sub.slice.value, str):
            out.add(sub.slice.value)
        elif (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "get"
              and sub.args and isinstance(sub.args[0], ast.Constant) and isinstance(sub.args[0].value, str)):
            out.add(sub.args[0].value)
    return out


def _is_small_count(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value in (5, 10, 20, 30, 50)
    return bool(_names(node) & N_CONSTANTS)


def decisions(source: str) -> list[tuple[int, str]]:
    """``(line, what)`` for every statistical decision in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(isinstance(op, ORDERING) for op in node.ops):
            sides = [node.left, *node.comparators]
            if any(_names(side) & BOUNDS for side in sides):
                found.append((node.lineno, "compares an interval bound"))
            elif any(_names(side) & N_NAMES for side in sides) and any(_is_small_count(side) for side in sides):
                found.append((node.lineno, "applies an n threshold"))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in ("sorted", "sort", "min", "max"):
                keys = [k.value for k in node.keywords if k.arg == "key"]
                if any({"priority", "prioritaet", "rank_priority"} & _names(key) for key in keys):
                    found.append((node.lineno, "sorts by priority"))
    return found


def _files():
    for layer in LAYERS:
        yield from sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("snippet, expected", [
    ("ok = a['ci_low'] > b['ci_high']", "compares an interval bound"),
    ("ok = record.get('ci_low') > 0", "compares an interval bound"),
    ("ok = e.ci_high < 1", "compares an interval bound"),
    ("shown = r['n'] >= 10", "applies an n threshold"),
    ("shown = n < MIN_N_SHOWN", "applies an n threshold"),
    ("x = sorted(recs, key=lambda r: order[r['priority']])", "sorts by priority"),
    ("recs.sort(key=lambda r: r.priority)", "sorts by priority"),
])
def test_detector_finds_decisions(snippet, expected):
    assert [what for _, what in decisions(snippet)] == [expected]


@pytest.mark.parametrize("snippet", [
    "text = 'eingeschränkt belastbar (n < 30)'",
    "width = ci_high - ci_low",
    "ok = len(rows) > 10",
    "x = sorted(rows, key=lambda r: r['rank'])",
])
def test_detector_ignores_non_decisions(snippet):
    assert decisions(snippet) == []


def test_report_and_comparison_make_no_statistical_decision():
    problems = []
    for path in _files():
        relative = path.relative_to(ROOT).as_posix()
        for line, what in decisions(path.read_text(encoding="utf-8")):
            if relative in KNOWN:
                continue
            problems.append(f"{relative}:{line}: {what}")
    assert not problems, "The report layer decides (move it to analysis/):\n" + "\n".join(problems)
