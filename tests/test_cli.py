"""The CLI as a whole: every command has German help; errors are German with exit status, no traceback."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from text_scan import assert_readable, scan_context

from survey.cli import cli


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        yield path
        if isinstance(command, click.Group):
            yield from _all_commands(command, path)


ENGLISH_MARKERS = ("Usage:", "Options:", "Commands:", "Show this message", "Show the version", "[OPTIONS]")
HEAVY_MODULES = ("pandas", "numpy", "matplotlib", "typst", "openpyxl", "scipy", "statsmodels", "flask")


@pytest.fixture(scope="module")
def help_scan():
    from survey.questionnaire import load_questionnaire

    return scan_context(load_questionnaire("sicherheitsanalyse-standard"))


@pytest.mark.parametrize("path", [(), *_all_commands(cli)], ids=lambda p: " ".join(p) or "sicherheitsanalyse")
def test_every_command_has_german_help(path: tuple[str, ...], help_scan) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="sicherheitsanalyse")
    assert result.exit_code == 0, result.output
    assert "Aufruf: sicherheitsanalyse" in result.output
    for marker in ENGLISH_MARKERS:
        assert marker not in result.output, f"{marker!r} in help of {' '.join(path)}"
    # no English type names or ranges (INTEGER RANGE, TEXT, 1<=x<=65535), no ids, no »...«, no 16-29
    assert "<=" not in result.output and "x<" not in result.output
    assert_readable(result.output, help_scan, where=f"Hilfe von »{' '.join(path) or 'sicherheitsanalyse'}«")


def _help(*path: str) -> str:
    return " ".join(CliRunner().invoke(cli, [*path, "--help"]).output.split())  # unwrapped


def test_option_types_and_ranges_read_german() -> None:
    serve = _help("serve")
    assert "--port PORT" in serve and "[Standard: 8080; 1–65535]" in serve
    assert "--threads ANZAHL" in serve and "[Standard: 8; 2–64]" in serve
    assert "--host ADRESSE" in serve and "[Standard: 127.0.0.1]" in serve
    codes = _help("codes")
    assert "[1–100000; erforderlich]" in codes
    papier = _help("fragebogen", "papier")
    assert "--jahr JAHR" in papier and "[1990–2100]" in papier
    gewichten = _help("gewichten")
    assert "Passt die Gewichte der Befragten an die Bevölkerung an" in gewichten


def test_option_value_errors_are_german(tmp_path) -> None:
    out_of_range = CliRunner().invoke(cli, ["serve", str(tmp_path), "--port", "0"])
    assert out_of_range.exit_code == 2
    assert "0 liegt nicht im erlaubten Bereich (1–65535)." in out_of_range.output
    not_a_number = CliRunner().invoke(cli, ["codes", str(tmp_path), "--anzahl", "viele"])
    assert "»viele« ist keine gültige Angabe (erwartet: ganze Zahl)." in not_a_number.output


def test_german_ranges_in_words() -> None:
    from survey.cli.german import describe_range

    assert describe_range(1, 64) == "1–64"
    assert describe_range(1, None) == "mindestens 1"
    assert describe_range(0, None, low_open=True) == "größer als 0"
    assert describe_range(None, 10, high_open=True) == "kleiner als 10"
    assert describe_range(0, 1, low_open=True) == "größer als 0, höchstens 1"


def test_importing_the_cli_loads_no_heavy_module() -> None:
    """The help of every command needs click only: the implementation is imported when a command runs."""
    probe = (
        "import sys, click\n"
        "from survey.cli import cli\n"
        "def walk(g, p=()):\n"
        "    for n, c in g.commands.items():\n"
        "        yield (*p, n)\n"
        "        if isinstance(c, click.Group):\n"
        "            yield from walk(c, (*p, n))\n"
        "for path in [(), *walk(cli)]:\n"
        "    try:\n"
        "        cli.main([*path, '--help'], prog_name='sicherheitsanalyse', standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"heavy = {HEAVY_MODULES!r}\n"
        "print('LOADED', sorted({h for h in heavy for m in sys.modules if m == h or m.startswith(h + '.')}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "LOADED []"


def test_constants_kept_for_the_help_agree_with_their_modules() -> None:
    from survey.cli import export_commands, web_commands
    from survey.export import FORMATS
    from survey.web.app import COACH_PASSWORD_ENV
    from survey.web.server import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_THREADS, MAX_PROCESSES

    assert export_commands.FORMATS == FORMATS
    assert (web_commands.COACH_PASSWORD_ENV, web_commands.DEFAULT_HOST, web_commands.DEFAULT_PORT,
            web_commands.DEFAULT_THREADS, web_commands.MAX_PROCESSES) == (
        COACH_PASSWORD_ENV, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_THREADS, MAX_PROCESSES)


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
