"""The CLI as a whole: every command has German help; errors are German with exit status, no traceback."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from survey.cli import cli


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        yield path
        if isinstance(command, click.Group):
            yield from _all_commands(command, path)


ENGLISH_MARKERS = ("Usage:", "Options:", "Commands:", "Show this message", "Show the version", "[OPTIONS]")


@pytest.mark.parametrize("path", [(), *_all_commands(cli)], ids=lambda p: " ".join(p) or "sicherheitsanalyse")
def test_every_command_has_german_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="sicherheitsanalyse")
    assert result.exit_code == 0, result.output
    assert "Aufruf: sicherheitsanalyse" in result.output
    for marker in ENGLISH_MARKERS:
        assert marker not in result.output, f"{marker!r} in help of {' '.join(path)}"


def test_expected_commands_are_registered() -> None:
    names = {" ".join(path) for path in _all_commands(cli)}
    expected = {"init", "fragebogen pruefen", "fragebogen codebuch", "fragebogen papier", "pruefen", "gewichten",
                "schaetzen", "analysieren", "run", "demo", "codes", "serve"}
    assert expected <= names, expected - names


def test_usage_errors_are_german() -> None:
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 2
    assert "Fehler: Fehlendes Argument 'ORDNER'." in result.output
    result = CliRunner().invoke(cli, ["gibtsnicht"])
    assert result.exit_code == 2
    assert "Unbekannter Befehl 'gibtsnicht'" in result.output


def test_domain_error_exit_1_without_traceback(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["pruefen", str(tmp_path / "fehlt")])
    assert result.exit_code == 1
    assert "Fehler:" in result.output and "existiert nicht" in result.output
    assert "Traceback" not in result.output


def test_internal_error_is_reported_without_traceback(monkeypatch, tmp_path) -> None:
    import survey.init_folder

    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr("survey.init_folder.write_analysis_folder", broken)
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "x"), "--kommune", "A", "--ags", "14599001",
                                      "--jahr", "2025"])
    assert result.exit_code == 2
    assert "Interner Fehler" in result.output and "RuntimeError: kaputt" in result.output
    assert "Traceback" not in result.output
    assert survey.init_folder  # the real module is untouched


def test_init_writes_valid_commented_config(tmp_path) -> None:
    from survey.folder import load_folder

    target = tmp_path / "musterstadt-2025"
    result = CliRunner().invoke(cli, ["init", str(target), "--kommune", "Musterstadt", "--ags", "14599001",
                                      "--jahr", "2025", "--ortsteil", "Altstadt", "--ortsteil", "Am Bahnhof"])
    assert result.exit_code == 0, result.output
    text = (target / "analyse.yaml").read_text(encoding="utf-8")
    assert text.count("#") > 10  # commented for the coach
    config = load_folder(target).config
    assert (config.kommune, config.ags, config.jahr) == ("Musterstadt", "14599001", 2025)
    assert config.ortsteile == {1: "Altstadt", 2: "Am Bahnhof"}
    again = CliRunner().invoke(cli, ["init", str(target), "--kommune", "X", "--ags", "14599001", "--jahr", "2025"])
    assert again.exit_code == 1 and "existiert bereits" in again.output
    assert (target / "analyse.yaml").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("content, fragment", [
    ("kommune: A\nags: 14599001\njahr: 2025\n", "in Anführungszeichen"),
    ("kommune: A\nags: \"1459\"\njahr: 2025\n", "8-stellige"),
    ("kommune: A\nags: \"14599001\"\njahr: 2025\nunbekannt: 1\n", "unbekannte Angabe »unbekannt«"),
    ("kommune: A\nags: \"14599001\"\njahr: 2025\ngewichtung:\n  grenzen: [1.5, 2]\n", "Grenzen"),
    ("kommune: A\nags: \"14599001\"\n jahr: 2025\n", "YAML-Syntaxfehler"),
])
def test_bad_analyse_yaml_names_file_and_line(tmp_path, content: str, fragment: str) -> None:
    (tmp_path / "analyse.yaml").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["pruefen", str(tmp_path)])
    assert result.exit_code == 1
    assert fragment in result.output
    assert "analyse.yaml, Zeile" in result.output
    assert "Traceback" not in result.output
