"""The shape of the code base (issue 11), checked on the source itself.

* No import cycles among the modules of ``analysis/`` and ``survey/``, counting every import, also those
  inside functions (a function-local import only hides a cycle; it does not remove it). Importing
  ``a.b.c`` from outside package ``a.b`` runs ``a/b/__init__.py`` too, so that edge is counted as well.
* ``analysis/`` never imports ``survey``.
* No module of ``analysis/`` or ``survey/`` has more than 400 lines.
* ``analysis/`` writes no German prose: a string literal with German words is allowed only in an error
  message (inside ``raise``, as an argument of an ``...Error`` class, or of a ``_check_...`` function that
  raises with it) or a docstring. German for users is in ``survey/`` (``survey.wording``, the report).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("analysis", "survey")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _known(name: str | None) -> str | None:
    """The module of ``name`` (a module, or an attribute of one), or None outside our packages."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """Every module of ours that ``module`` imports, anywhere in its body."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(filter(None, (_known(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in MODULES else _known(base))
    found.discard(None)
    parents = set()
    for target in found:
        parts = target.split(".")
        for k in range(1, len(parts)):
            parent = ".".join(parts[:k])
            if parent in MODULES and not (module == parent or module.startswith(parent + ".")):
                parents.add(parent)
    return (found | parents) - {module}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def test_the_cycle_finder_finds_a_cycle_and_nothing_else():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert import_cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles_in_analysis_and_survey():
    graph = {module: imports_of(module) for module in MODULES}
    assert import_cycles(graph) == []


def test_function_local_imports_count():
    # survey.pipeline imports the steps inside run_folder; they must be edges of the graph
    assert "survey.validation" in imports_of("survey.pipeline")


def test_analysis_never_imports_survey():
    offenders = {module: sorted(n for n in imports_of(module) if n.split(".")[0] == "survey")
                 for module in MODULES if module.split(".")[0] == "analysis"}
    assert {module: names for module, names in offenders.items() if names} == {}


def test_no_module_over_400_lines():
    long = {str(path.relative_to(ROOT)): n for path in MODULES.values()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


GERMAN_WORDS = frozenset("""
der die das den dem des und oder nicht ist sind wird werden wurde wurden mit für ein eine einen einem einer von zu
zur zum auf bei im nach als auch sich sie wie aus über unter gegenüber je kein keine keinen nur noch Befragte
Befragten Anteil Werte Wert Antworten weniger mehr statistisch gesichert Unterschied hängt zusammen""".split())


def looks_german(text: str) -> bool:
    """Two German function words, or one plus an umlaut/ß/guillemet in a text of three words or more."""
    words = re.findall(r"[A-Za-zÄÖÜäöüß]+", text)
    hits = sum(1 for word in words if word in GERMAN_WORDS)
    return hits >= 2 or (hits >= 1 and len(words) >= 3 and re.search(r"[äöüÄÖÜß»«]", text) is not None)


def _message_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
    return name.endswith(("Error", "Exception")) or name.startswith("_check")


def german_prose(path: Path) -> list[str]:
    """German string literals of ``path`` outside error messages and docstrings (``line: text``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = {node.body[0].value for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or node in docstrings:
            continue
        if not looks_german(node.value):
            continue
        ancestor, message = node, False
        while ancestor in parents and not message:
            ancestor = parents[ancestor]
            message = isinstance(ancestor, ast.Raise) or _message_call(ancestor)
        if not message:
            found.append(f"{node.lineno}: {node.value[:60]}")
    return found


def test_the_prose_finder_finds_prose_and_spares_messages(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text('''"""Ein Docstring über die Werte ist kein Problem."""
LABEL = "Anteil der Befragten, die sich unsicher fühlen"
CODE = "unsicher_nachts"


def f(n):
    if n < 0:
        raise ValueError(f"Der Wert {n} ist nicht gültig und wird nicht verwendet.")
    return AnalysisError("Für die Kreuztabelle gibt es keine Befragten.")
''', encoding="utf-8")
    assert german_prose(source) == ["2: Anteil der Befragten, die sich unsicher fühlen"]


def test_analysis_writes_no_prose():
    found = {str(path.relative_to(ROOT)): lines for module, path in MODULES.items()
             if module.split(".")[0] == "analysis" and (lines := german_prose(path))}
    assert found == {}
