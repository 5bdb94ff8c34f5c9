"""The whole analysis of one folder in one go (``run``) and the demo on a sample commune (``demo``).

Steps: pruefen → gewichten → analysieren → bericht. Each step is the same function the single
command calls, so ``run`` produces exactly what the steps would produce one by one. The folder is
validated once (:func:`survey.validation.validate_folder`); the Prüfprotokoll, the weights and the
profile are written only after all three are computed, so that bad input (refused data, a margin the
calibration cannot meet) leaves an earlier ``ergebnis/`` exactly as it was.
"""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from survey.errors import ConfigError
from survey.resources import sample_data_dir

DEMO_COMMUNE = "eichenstedt"
DEMO_FOLDER = "sicherheitsanalyse-demo"  # default target, under the current directory
DEMO_MARKER = ".sicherheitsanalyse-demo"
DEMO_MARKER_TEXT = (
    "Dieser Ordner wurde von »sicherheitsanalyse demo« angelegt: eine fiktive Beispielkommune ({commune}) mit\n"
    "allen Ergebnissen in ergebnis/. Ein neuer Demo-Lauf ersetzt ihn ganz; eigene Dateien gehören nicht hierher.\n"
    "Die .gitignore daneben hält den Ordner aus Git heraus. Löschen ist jederzeit möglich.\n"
)
# What the coach opens first, in this order (file in ergebnis/ -> what it is).
DEMO_OUTPUTS = (
    ("bericht.pdf", "der Lagebericht für Verwaltung und Gemeinderat"),
    ("kurzbericht.pdf", "die Kurzfassung für die Öffentlichkeit"),
    ("bericht.html", "der Lagebericht zum Lesen im Browser"),
    ("tabellenband.xlsx", "alle Tabellen für Excel"),
)


@dataclass(frozen=True)
class StepResult:
    name: str
    seconds: float
    outputs: tuple[Path, ...]
    summary: str


StepStarted = Callable[[int, int, str], None]
StepDone = Callable[[StepResult], None]
STEP_NAMES = ("Antworten prüfen", "Gewichten", "Sicherheitsprofil berechnen", "Berichte erzeugen")


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one bounded batch of work (a ``run``).

    A run holds a large heap of long-lived objects (responses, design, profile, modules) while every
    chart leaves short-lived reference cycles (matplotlib figures); each full collection walks the whole
    heap, which cost 1.2 s of 10 s CPU on the largest sample commune (bench/bench_run.py). Reference
    counting still frees everything that is not a cycle at once; the cycles left over are bounded by the
    number of charts (about 30 MB for the largest sample commune) and collected after the run, at the
    next full collection: the run's objects are moved to the oldest generation first, as the first
    allocation after ``gc.enable()`` would otherwise walk all of them at once (0.2 s).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


@without_cyclic_gc()
def run_folder(path: Path, on_start: StepStarted | None = None, on_done: StepDone | None = None) -> list[StepResult]:
    """Run all steps on the folder at ``path``, reading and weighting the responses only once.

    Stops at the first error, which propagates with its German message; nothing is written before the
    profile is computed, and every output is written atomically.
    """
    import survey.intake.run  # noqa: F401 - the modules of the steps, imported before the report process
    import survey.profile_builder  # noqa: F401   forks, so that both share them
    import survey.validation  # noqa: F401
    import survey.weighting_runner  # noqa: F401
    from survey.report.side_process import fork_possible

    # the report process starts now and imports the report stack while this one computes the profile
    reports = ReportProcess(path) if fork_possible() else None
    try:
        return _run_steps(path, on_start, on_done, reports)
    finally:
        if reports is not None:
            reports.close()


def _run_steps(path: Path, on_start: StepStarted | None, on_done: StepDone | None,
               reports: "ReportProcess | None") -> list[StepResult]:
    from survey.intake.run import PROTOCOL_NAME, write_protocol
    from survey.profile_builder import build_profile_document, save_profile
    from survey.validation import validate_folder
    from survey.weighting_runner import WEIGHTS_NAME, weight_folder, write_weights

    results: list[StepResult] = []
    clock = time.perf_counter()

    def begin(index: int) -> None:
        nonlocal clock
        if on_start is not None:
            on_start(index + 1, len(STEP_NAMES), STEP_NAMES[index])
        clock = time.perf_counter()

    def done(index: int, outputs: tuple[Path, ...], summary: str) -> None:
        results.append(StepResult(STEP_NAMES[index], time.perf_counter() - clock, outputs, summary))
        if on_done is not None:
            on_done(results[-1])

    begin(0)
    checked = validate_folder(path)
    folder = checked.folder
    intake = checked.intake
    done(0, (folder.result_dir / PROTOCOL_NAME,),
         f"{len(intake.data)} Antworten eingelesen, {len(intake.protocol.findings)} Prüfhinweise")

    begin(1)
    sample = weight_folder(folder)
    result = sample.result
    converged = "konvergiert" if result.converged else "NICHT konvergiert"
    done(1, (folder.result_dir / WEIGHTS_NAME,), f"{converged} nach {result.iterations} Iterationen, "
                                                 f"effektive Fallzahl {round(result.effective_n)}")

    begin(2)
    document = build_profile_document(folder, sample=sample)
    if reports is not None:
        reports.start(document)  # renders while this process writes; replaces no file before commit()
    write_protocol(checked)
    write_weights(folder, sample)
    profile_path = save_profile(folder, document)
    done(2, (profile_path,), profile_summary(document))

    begin(3)
    if reports is not None:
        paths, warnings = reports.commit()
    else:
        from survey.report.render import render_reports

        warnings = []
        paths = render_reports(folder, warnings=warnings, document=document)
    report_paths = tuple(paths)
    summary = ", ".join(p.name for p in report_paths)
    done(3, report_paths, summary + "".join(f"\n      Warnung: {w}" for w in warnings))
    return results


def profile_summary(document) -> str:  # noqa: ANN001 - survey.profile.ProfileDocument
    """``52 Indikatoren, 1 Handlungsempfehlung``: the line ``run`` prints after the profile step."""
    count = len(document.recommendations)
    return f"{len(document.indicators)} Indikatoren, {count} Handlungsempfehlung{'' if count == 1 else 'en'}"


class ReportProcess:
    """The report step of ``run`` in a process forked before the folder is read (issue 13: ``run`` uses
    both cores). It imports the report stack (matplotlib, Typst, Jinja2, Markdown) and opens the folder
    while this process validates, weights and computes the profile, then waits for the typed profile
    (pickled through a pipe, :meth:`start`) and calls :func:`survey.report.render.render_reports` with it,
    which forks once more for the Tabellenband, while this process writes the profile, the weights and the
    protocol. The four reports replace the old ones only after :meth:`commit` (one byte through a second
    pipe): if writing here fails, the pipe closes without it and ergebnis/ keeps its old reports. The
    result (paths, warnings) or the report error comes back through
    :class:`survey.report.side_process.SideProcess`: the same German message as in one process. If this
    process stops before the profile exists, the pipe closes and the report process ends without work.
    """

    def __init__(self, path: Path) -> None:
        from survey.report.side_process import SideProcess

        self._path = Path(path)
        self._read, self._write = os.pipe()
        self._go_read, self._go_write = os.pipe()
        self._side = SideProcess((self._render,), fork=True)
        os.close(self._read)
        os.close(self._go_read)

    def start(self, document) -> None:  # noqa: ANN001 - survey.profile.ProfileDocument
        """Hand over the typed profile; the report process renders from it."""
        try:
            with os.fdopen(self._write, "wb") as stream:
                self._write = None
                pickle.dump(document, stream, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:
            pass  # the report process has ended: commit() raises its error or says that it ended

    def commit(self) -> tuple[list[Path], list[str]]:
        """Let the reports replace the old ones; their paths and warnings (or the report error)."""
        try:
            os.write(self._go_write, b"1")
        except BrokenPipeError:
            pass
        os.close(self._go_write)
        self._go_write = None
        return self._side.result(0)

    def close(self) -> None:
        for name in ("_write", "_go_write"):
            if getattr(self, name) is not None:
                os.close(getattr(self, name))
                setattr(self, name, None)
        self._side.close()

    def _render(self):  # pragma: no cover - runs in the report process (tests see its outputs)
        os.close(self._write)
        os.close(self._go_write)
        from survey.folder import load_folder
        from survey.report.charts.style import warm_up
        from survey.report.render import render_reports

        folder = error = None
        try:
            folder = load_folder(self._path)
            _ = folder.questionnaire  # read now, in parallel to the main process
        except Exception as failure:  # noqa: BLE001 - the main process has met it first; raised if asked
            error = failure
        warm_up()  # the first chart's extra cost, paid while the profile is computed
        with os.fdopen(self._read, "rb") as stream:
            data = stream.read()
        if not data:
            return None  # the main process stopped before the profile
        document = pickle.loads(data)
        if error is not None:
            raise error
        warnings: list[str] = []
        paths = render_reports(folder, warnings=warnings, document=document, before_commit=self._wait_for_commit)
        return paths, warnings

    def _wait_for_commit(self) -> None:  # pragma: no cover - runs in the report process
        with os.fdopen(self._go_read, "rb") as stream:
            if stream.read(1) != b"1":
                raise _NotCommitted()


class _NotCommitted(Exception):
    """The main process stopped after handing over the profile (writing it failed): no report replaces
    the old ones. Never shown: the main process raises its own error."""


def prepare_demo(target: Path, commune: str = DEMO_COMMUNE) -> Path:
    """Copy a shipped sample commune into ``target`` (replacing an earlier demo there, nothing else)."""
    source = sample_data_dir() / commune
    if not (source / "analyse.yaml").is_file():
        available = sorted(p.name for p in sample_data_dir().iterdir() if (p / "analyse.yaml").is_file())
        raise ConfigError(f"Beispielkommune »{commune}« gibt es nicht; vorhanden: {', '.join(available)}.")
    if target.exists():
        if not (target / DEMO_MARKER).exists():
            raise ConfigError(
                f"Der Zielordner {target} existiert bereits und ist kein Demo-Ordner; "
                "bitte mit --ziel einen neuen Ordner angeben."
            )
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "ergebnis"))
    (target / DEMO_MARKER).write_text(DEMO_MARKER_TEXT.format(commune=commune), encoding="utf-8")
    (target / ".gitignore").write_text("# von »sicherheitsanalyse demo«: der ganze Demo-Ordner gehört nicht in Git\n*\n",
                                       encoding="utf-8")
    return target
