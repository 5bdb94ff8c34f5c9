"""The reports' second process (survey.report.side_process, issue 13): results come from the forked
copy, errors reach the caller as the same class and German message, a side process that dies is reported
in German, and render_reports writes the same outputs in one process and in two, and nothing at all when
the side process fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import survey.report.render as render
from survey.errors import InputFileError
from survey.profile_builder import write_profile
from survey.report.render import OUTPUT_NAMES, render_reports
from survey.report.side_process import SINGLE_PROCESS_VARIABLE, SideProcess, SideProcessError, fork_possible
from survey.resources import sample_data_dir

needs_fork = pytest.mark.skipif(not fork_possible(), reason="no second process on this machine")
# The unit tests below fork explicitly (fork=True): an earlier test may have run Typst in this process, after
# which fork_possible() is False here (nothing of Typst is used in these children).


def _fail_with_user_error():
    raise InputFileError("Die Datei ist kaputt.", path="x/antworten.csv", line=7)


@needs_fork
def test_steps_run_in_the_forked_copy_in_order():
    parent = os.getpid()
    with SideProcess((os.getpid, lambda: ["zwei", 2]), fork=True) as side:
        assert side.result(0) != parent
        assert side.result(1) == ["zwei", 2]
        assert side.result(0) != parent  # asked again: the same value


@pytest.mark.parametrize("fork", [True, False] if fork_possible() else [False])
def test_a_user_error_reaches_the_caller_unchanged(fork):
    with SideProcess((lambda: 1, _fail_with_user_error, lambda: 3), fork=fork) as side:
        assert side.result(0) == 1
        with pytest.raises(InputFileError) as raised:
            side.result(1)
        # a later step is not run after an error; asking for it gives the same error
        with pytest.raises(InputFileError):
            side.result(2)
    assert str(raised.value) == "x/antworten.csv, Zeile 7: Die Datei ist kaputt."
    assert (raised.value.path, raised.value.line) == (Path("x/antworten.csv"), 7)


@needs_fork
def test_an_internal_error_keeps_its_class_and_the_side_traceback():
    with SideProcess((lambda: {}["fehlt"],), fork=True) as side:
        with pytest.raises(KeyError) as raised:
            side.result(0)
    notes = "\n".join(raised.value.__notes__)
    assert "Im zweiten Prozess der Berichte" in notes and "KeyError: 'fehlt'" in notes


@needs_fork
def test_a_side_process_that_dies_is_reported_in_german():
    with SideProcess((lambda: os._exit(3),), fork=True) as side:
        with pytest.raises(SideProcessError, match=r"ohne Ergebnis beendet worden \(Status 3\)"):
            side.result(0)


def test_single_process_variable_turns_forking_off(monkeypatch):
    monkeypatch.setenv(SINGLE_PROCESS_VARIABLE, "1")
    assert not fork_possible()
    with SideProcess((os.getpid,)) as side:
        assert side.result(0) == os.getpid()


# --- render_reports -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("side") / "quellenthal"
    shutil.copytree(sample_data_dir() / "quellenthal", target, ignore=shutil.ignore_patterns("ergebnis"))
    write_profile(target)
    return target


def _texts(folder: Path) -> dict:
    out = {}
    for name in ("bericht.pdf", "kurzbericht.pdf"):
        out[name] = subprocess.run(["pdftotext", "-layout", str(folder / name), "-"], capture_output=True,
                                   text=True, check=True).stdout
    out["bericht.html"] = (folder / "bericht.html").read_text(encoding="utf-8")
    book = load_workbook(folder / "tabellenband.xlsx")
    out["tabellenband.xlsx"] = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}
    return out


# A pytest process has run Typst before (its thread pool cannot be forked: survey.report.side_process.
# mark_fork_unsafe), so the two-process paths run in a fresh interpreter, as the CLI does.
SCRIPT = """
import sys
from pathlib import Path
import survey.report.render as render
from survey.errors import InputFileError
from survey.cli import cli
if sys.argv[2] == "tabellenband-kaputt":
    def broken(_rp, _target):
        raise InputFileError("Tabellenband geht nicht.", path="ortsteile.csv")
    render.write_tabellenband = broken  # the forked processes inherit it
if sys.argv[2] == "profil-kaputt":
    import survey.profile_builder as builder
    def unwritable(_folder, _document):
        raise InputFileError("Das Profil kann nicht geschrieben werden.", path="ergebnis/profil.json")
    builder.save_profile = unwritable  # fails in the main process after the report process has the profile
cli.main(["run", sys.argv[1]])
"""


def _run(folder: Path, mode: str = "", *, single: bool = False, temp: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, SINGLE_PROCESS_VARIABLE: "1" if single else "2"}
    if temp is not None:  # the run's own temporary folder (other runs on the machine use the shared one)
        env["TMPDIR"] = str(temp)
    return subprocess.run([sys.executable, "-c", SCRIPT, str(folder), mode], capture_output=True, text=True,
                          env=env, timeout=600)


@needs_fork
def test_one_and_two_processes_write_the_same_reports(tmp_path):
    texts = []
    for single in (False, True):
        folder = _fresh(tmp_path / str(single))
        done = _run(folder, single=single)
        assert done.returncode == 0, done.stderr
        texts.append(_texts(folder / "ergebnis"))
    assert texts[0].keys() == texts[1].keys()
    for name in texts[0]:
        assert texts[0][name] == texts[1][name], name


@pytest.mark.parametrize("single", [False, True])
def test_an_error_in_the_side_process_leaves_the_earlier_outputs(analysed, monkeypatch, single):
    result = analysed / "ergebnis"
    if not all((result / name).is_file() for name in OUTPUT_NAMES):
        render_reports(analysed)
    before = {p.name: p.read_bytes() for p in result.iterdir()}
    if single:
        monkeypatch.setenv(SINGLE_PROCESS_VARIABLE, "1")

    def broken(_rp, _target):
        raise InputFileError("Tabellenband geht nicht.", path="ortsteile.csv")

    monkeypatch.setattr(render, "write_tabellenband", broken)
    with pytest.raises(InputFileError, match=r"^ortsteile.csv: Tabellenband geht nicht\.$"):
        render_reports(analysed)
    after = {p.name: p.read_bytes() for p in result.iterdir()}
    assert after.keys() == before.keys()  # no temporary file left behind
    assert after == before  # bericht.pdf etc. were made, but replace nothing


# --- run: the report process forked before the profile --------------------------------------------


def _fresh(tmp_path: Path) -> Path:
    target = tmp_path / "quellenthal"
    shutil.copytree(sample_data_dir() / "quellenthal", target, ignore=shutil.ignore_patterns("ergebnis"))
    return target


def _private_temp(tmp_path: Path) -> Path:
    temp = tmp_path / "tmp"
    temp.mkdir()
    return temp


def _side_folders(temp: Path) -> list[str]:
    """The side processes' folders left in the run's own temporary folder (``TMPDIR``)."""
    return sorted(p.name for p in temp.glob("sicherheitsanalyse-nebenprozess-*"))


@needs_fork
@pytest.mark.parametrize("single", [False, True])
def test_run_reports_an_error_of_the_report_process_and_writes_no_report(tmp_path, single):
    folder, temp = _fresh(tmp_path), _private_temp(tmp_path)
    done = _run(folder, "tabellenband-kaputt", single=single, temp=temp)
    assert done.returncode == 1
    assert "ortsteile.csv: Tabellenband geht nicht." in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in (folder / "ergebnis").iterdir()) == ["gewichte.csv", "profil.json",
                                                                        "pruefprotokoll.csv"]
    assert _side_folders(temp) == []


@needs_fork
def test_run_stopped_before_the_profile_ends_the_report_process(tmp_path):
    folder = _fresh(tmp_path)
    responses = sorted(folder.glob("responses*.csv"))[0]
    lines = responses.read_text(encoding="utf-8").splitlines()
    responses.write_text("\n".join(lines[:1] + [lines[1].replace(",", ",ungültig,", 1)] + lines[2:]) + "\n",
                         encoding="utf-8")
    temp = _private_temp(tmp_path)
    done = _run(folder, temp=temp)  # a report process left waiting would hold the pipes open: the call would not return
    assert done.returncode == 1
    assert "Zeile 2: Die Zeile hat" in done.stderr + done.stdout
    assert not (folder / "ergebnis" / "bericht.pdf").exists()
    assert _side_folders(temp) == []


@needs_fork
@pytest.mark.parametrize("single", [False, True])
def test_run_failing_to_write_the_profile_replaces_no_report(tmp_path, single):
    folder, temp = _fresh(tmp_path), _private_temp(tmp_path)
    assert _run(folder, single=single, temp=temp).returncode == 0
    result = folder / "ergebnis"
    for name in OUTPUT_NAMES:  # marked, so that a report written again (even if the same) would show
        (result / name).write_bytes(b"Bericht des vorigen Laufs")
    before = {p.name: p.read_bytes() for p in result.iterdir()}
    done = _run(folder, "profil-kaputt", single=single, temp=temp)
    assert done.returncode == 1
    assert "ergebnis/profil.json: Das Profil kann nicht geschrieben werden." in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    after = {p.name: p.read_bytes() for p in result.iterdir()}
    assert after.keys() == before.keys()  # no temporary file left behind
    assert after == before
    assert _side_folders(temp) == []
