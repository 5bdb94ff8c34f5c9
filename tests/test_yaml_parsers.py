"""survey.yamlfile reads with libyaml's parser underneath (speed, issue 13) and must give exactly what the
pure-Python parser gives: the same data and lines for every YAML file the project ships, and PyYAML's
problem and line (worded in German) for a broken file, as libyaml words some problems differently."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey import yamlfile
from survey.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(p for pattern in ("questionnaires/*.yaml", "survey/**/*.yaml", "sample_data/*/*.yaml")
                 for p in ROOT.glob(pattern))


def _read(loader_class, text):
    node, data = yamlfile._load(loader_class, text)
    lines = {}
    if node is not None:
        yamlfile._collect_lines(node, (), lines)
    return data, lines


def test_libyaml_is_used():
    assert yamlfile._CParser is not None


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_and_python_parser_give_the_same_data_and_lines(path):
    text = path.read_text(encoding="utf-8-sig")
    fast = _read(yamlfile._FastBoundedLoader, text)
    assert fast == _read(yamlfile._BoundedLoader, text)
    document = yamlfile.read_yaml(path)
    assert (document.data, document.lines) == fast


def test_shipped_files_are_found():
    names = {p.name for p in SHIPPED}
    assert {"sicherheitsanalyse-standard.yaml", "recommendation_rules.yaml", "analyse.yaml"} <= names


@pytest.mark.parametrize(("text", "message", "line"), [
    ("a:\n\tb: 1\n", "YAML-Syntaxfehler: Tabulator gefunden; bitte mit Leerzeichen einrücken", 2),
    ("a: 1\nb: [1, 2\nc: 3\n", "YAML-Syntaxfehler: in einer […]-Liste fehlt »,« oder »]«", 3),
    ("a: &x 1\nb: *x\n", "Verweise (YAML-Alias »*x«) sind nicht erlaubt", 2),
    ("a: 1\nb: 2\na: 3\n", "Der Schlüssel »a« steht doppelt (Zeile 1 und Zeile 3)", 3),
    ("a: !!python/object 1\n", "Der YAML-Typ »!!python/object« ist nicht erlaubt", 1),
    ("a: 1\n---\nb: 2\n", "YAML-Syntaxfehler:", 2),
])
def test_a_broken_file_gets_the_python_parsers_problem_and_line(tmp_path, text, message, line):
    path = tmp_path / "kaputt.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        yamlfile.read_yaml(path)
    assert message in caught.value.message and caught.value.line == line
