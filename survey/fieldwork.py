"""Closing the fieldwork (``sicherheitsanalyse feldphase-abschliessen DIR``).

After the last answer is in, nothing that could tie a person to the survey needs to exist any
more: the close-out shreds the print-shop lists and the letter PDFs, deletes every unused code,
every saved draft, the store's secrets (code salt, session key, coach password hash) and the empty
answer slots, compacts the store (``VACUUM``) and writes a German protocol of what was deleted to
``ergebnis/feldphase-protokoll.txt``. The submitted answers stay. Afterwards ``serve`` and ``codes``
refuse to run on the folder. Running it again deletes any files that reappeared.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from survey.atomic import atomic_write
from survey.folder import RESULT_DIR, load_folder
from survey.letters import letter_pdfs, print_shop_lists, shred
from survey.report.formatting import date as german_date
from survey.report.formatting import integer
from survey.store import LOCK_NAME, STORE_NAME, AnswerStore, CloseOutCounts, folder_lock

PROTOCOL_NAME = "feldphase-protokoll.txt"


@dataclass(frozen=True)
class ClosePlan:
    """What a close-out would delete (shown before the confirmation)."""

    folder: Path
    print_shop_lists: list[Path]
    letter_pdfs: list[Path]
    has_store: bool
    unused_codes: int
    issued: int
    drafts: int
    responses: int
    closed_on: str | None


@dataclass
class CloseReport:
    plan: ClosePlan
    counts: CloseOutCounts | None
    protocol: Path
    closed_on: str
    deleted_files: list[tuple[Path, int]] = field(default_factory=list)


def _count_lines(path: Path) -> int:
    try:
        return max(0, len(path.read_text(encoding="utf-8").splitlines()) - 1)
    except (OSError, UnicodeDecodeError):
        return 0


def plan_close(folder_path: str | Path) -> ClosePlan:
    folder = load_folder(folder_path)
    store_path = folder.path / STORE_NAME
    unused = issued = drafts = responses = 0
    closed_on = None
    if store_path.exists():
        store = AnswerStore(store_path)
        try:
            issued, used = store.code_counts()
            unused = issued - used if store.closed_on is None else 0
            drafts, responses, closed_on = store.draft_count(), store.response_count(), store.closed_on
        finally:
            store.close()
    return ClosePlan(folder=folder.path, print_shop_lists=print_shop_lists(folder.path),
                     letter_pdfs=letter_pdfs(folder.path), has_store=store_path.exists(), unused_codes=unused,
                     issued=issued, drafts=drafts, responses=responses, closed_on=closed_on)


def _count(number: int, one: str, many: str) -> str:
    return f"{integer(number)} {one if number == 1 else many}"


def describe_plan(plan: ClosePlan) -> list[str]:
    """German lines: what will be deleted."""
    if plan.closed_on:
        lines = [f"Die Feldphase wurde bereits am {_day(plan.closed_on)} abgeschlossen."]
    else:
        lines = ["Beim Abschluss der Feldphase wird gelöscht:",
                 f"  {_count(plan.unused_codes, 'nicht benutzter Zugangscode', 'nicht benutzte Zugangscodes')} "
                 f"(von {integer(plan.issued)} ausgegebenen)",
                 f"  {_count(plan.drafts, 'gespeicherter, nicht abgeschickter Zwischenstand', 'gespeicherte, nicht abgeschickte Zwischenstände')}",
                 "  die Schlüssel des Antwortspeichers (Code-Salz, Sitzungsschlüssel, Coach-Passwort)"]
    for path in plan.print_shop_lists:
        lines.append(f"  Druckerei-Liste {path.relative_to(plan.folder)} ({_count(_count_lines(path), 'Code', 'Codes')})")
    for path in plan.letter_pdfs:
        lines.append(f"  Anschreiben {path.relative_to(plan.folder)}")
    kept = _count(plan.responses, "abgeschickter Fragebogen bleibt", "abgeschickte Fragebögen bleiben")
    lines.append(f"{kept} erhalten (ohne Verbindung zu Codes, Anschreiben oder Adressen).")
    return lines


def _day(iso: str) -> str:
    return german_date(_dt.date.fromisoformat(iso))


def close_fieldwork(folder_path: str | Path) -> CloseReport:
    """Delete everything listed by :func:`plan_close` and write the protocol (call after confirming)."""
    with folder_lock(folder_path):
        plan = plan_close(folder_path)
        deleted = [(path, shred(path)) for path in [*plan.print_shop_lists, *plan.letter_pdfs]]
        counts = None
        closed_on = _dt.date.today().isoformat()
        if plan.has_store:
            store = AnswerStore(plan.folder / STORE_NAME)
            try:
                counts = store.close_out()
                closed_on = store.closed_on or closed_on
            finally:
                store.close()
    lock = plan.folder / LOCK_NAME
    if lock.exists():
        lock.unlink()
    protocol = plan.folder / RESULT_DIR / PROTOCOL_NAME
    report = CloseReport(plan=plan, counts=counts, protocol=protocol, closed_on=closed_on, deleted_files=deleted)
    protocol.parent.mkdir(exist_ok=True)
    with atomic_write(protocol) as stream:
        stream.write("\n".join(protocol_lines(report)) + "\n")
    return report


def _size(size: int) -> str:
    return f"{integer(size)} Byte" if size < 1024 else f"{integer(round(size / 1024))} KB"


def protocol_lines(report: CloseReport) -> list[str]:
    plan, counts = report.plan, report.counts
    config = load_folder(plan.folder).config
    lines = [
        "Protokoll: Abschluss der Feldphase",
        f"Befragung: {config.kommune} {config.jahr} (Analyseordner {plan.folder})",
        f"Abgeschlossen am: {_day(report.closed_on)}",
        "",
        "Gelöscht:",
    ]
    if counts is not None:
        verb = "wurde" if counts.used == 1 else "wurden"
        used = (f" Von {integer(counts.issued)} ausgegebenen Codes {verb} {integer(counts.used)} benutzt und "
                "schon bei der Abgabe gelöscht.") if counts.used else ""
        lines += [
            f"- Zugangscodes: {_count(counts.unused_codes, 'nicht benutzter Code', 'nicht benutzte Codes')}.{used}",
            f"- Zwischenstände (nicht abgeschickte Fragebögen): {integer(counts.drafts)}",
            "- Schlüssel im Antwortspeicher: Code-Salz, Sitzungsschlüssel, Hash des Coach-Passworts",
            f"- leere Antwortplätze: {integer(counts.empty_slots)}; Antwortspeicher komprimiert "
            f"({_size(counts.bytes_before)} → {_size(counts.bytes_after)}), gelöschte Inhalte überschrieben",
        ]
    else:
        lines.append("- kein Antwortspeicher vorhanden")
    for path, size in report.deleted_files:
        kind = "Druckerei-Liste" if path in plan.print_shop_lists else "Anschreiben"
        lines.append(f"- {kind} {path.relative_to(plan.folder)} ({_size(size)}), mit Nullen überschrieben und gelöscht")
    responses = counts.responses if counts is not None else plan.responses
    lines += [
        "",
        "Erhalten:",
        f"- {_count(responses, 'abgeschickter Fragebogen', 'abgeschickte Fragebögen')} in {STORE_NAME}, ohne "
        "Verbindung zu Codes, Anschreiben oder Adressen, mit dem Tag der Abgabe als feinster Zeitangabe.",
        "",
        "Nicht durch dieses Programm löschbar (bitte selbst veranlassen):",
        "- Kopien der Druckerei-Liste bei der Druckerei, in E-Mails, Sicherungen oder Papierkörben",
        "- das Adressregister (Melderegisterauszug) der Stichprobe",
        "- Sicherungskopien des Analyseordners aus der Feldphase",
    ]
    return lines
