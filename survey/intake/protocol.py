"""The Prüfprotokoll: one report object for an intake run, its CSV and its German summary.

:class:`Pruefprotokoll` holds one :class:`FileSection` per input file and all findings. ``flatten``
returns rows of chosen columns (the CSV and tests use it); :meth:`Pruefprotokoll.write_csv` writes
``ergebnis/pruefprotokoll.csv`` atomically as a German-Excel CSV (``;``, UTF-8 with BOM, cells that
look like formulas neutralised; :mod:`survey.safe_cells`); :meth:`Pruefprotokoll.summary` is the German
terminal text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from survey.intake.findings import DROP_ROW, FEHLER, RULES, SET_MISSING, Finding

COLUMNS = ("datei", "zeile", "resp_id", "item", "wert", "regel", "aktion", "meldung")
EXAMPLES_PER_RULE = 2
LISTED_RESPONDENTS = 10


@dataclass(frozen=True)
class FileSection:
    """One input file: its name, format, records read and kept, and its findings."""

    file: str
    format: str
    records_read: int
    records_kept: int
    findings: tuple[Finding, ...]
    modus: str | None = None


@dataclass(frozen=True)
class Pruefprotokoll:
    """The validation report of an intake run (all files of one wave)."""

    files: tuple[FileSection, ...]
    findings: tuple[Finding, ...]
    records: int  # respondents in the cleaned data

    @property
    def valid(self) -> bool:
        """Usable data: at least one respondent and no finding of severity »fehler«."""
        return self.records > 0 and not any(finding.severity == FEHLER for finding in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings per rule code (in catalogue order)."""
        counter = Counter(finding.code for finding in self.findings)
        return {code: counter[code] for code in RULES if counter[code]}

    @property
    def values_set_missing(self) -> int:
        return sum(1 for finding in self.findings if finding.action == SET_MISSING)

    @property
    def rows_dropped(self) -> int:
        return sum(1 for finding in self.findings if finding.action == DROP_ROW)

    def by_code(self, code: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.code == code]

    def flatten(self, columns: tuple[str, ...] | list[str] = COLUMNS) -> list[list[object]]:
        """One row per finding with the chosen protocol columns."""
        unknown = [column for column in columns if column not in COLUMNS]
        if unknown:
            raise ValueError(f"unknown protocol columns {unknown}; valid: {COLUMNS}")
        return [[finding.as_row()[column] for column in columns] for finding in self.findings]

    def write_csv(self, path: Path) -> Path:
        """Write the protocol atomically (the previous file stays if anything fails)."""
        from survey.safe_cells import write_german_csv

        return write_german_csv(path, COLUMNS, self.flatten(COLUMNS))

    def summary(self, protocol_path: Path | None = None) -> str:
        """German summary for the terminal: files, counts by rule, a few examples, the protocol path."""
        lines = [
            f"Prüfung der Antwortdaten: {_n(len(self.files))} "
            f"{'Datei' if len(self.files) == 1 else 'Dateien'}, {_n(self.records)} Datensätze übernommen."
        ]
        for section in self.files:
            mode = f", Modus {section.modus}" if section.modus else ""
            lines.append(
                f"  {section.file} ({section.format}{mode}): {_n(section.records_read)} gelesen, "
                f"{_n(section.records_kept)} übernommen, {_n(len(section.findings))} Befunde"
            )
        lines.append(
            f"Auf fehlend gesetzt: {_n(self.values_set_missing)} "
            f"{'Wert' if self.values_set_missing == 1 else 'Werte'}; verworfene Zeilen: {_n(self.rows_dropped)}."
        )
        if self.counts:
            lines.append("Befunde nach Art (Spalte »regel« im Prüfprotokoll):")
            width = max(len(RULES[code].title) for code in self.counts)
            for code, count in self.counts.items():
                lines.append(f"  {RULES[code].title:<{width}} {_n(count):>7}  »{code}«")
            examples = [code for code in self.counts if not RULES[code].per_respondent]
            if examples:
                lines.append("Beispiele:")
            for code in examples:
                for finding in self.by_code(code)[:EXAMPLES_PER_RULE]:
                    where = finding.file + (f", Zeile {finding.line}" if finding.line is not None else "")
                    if finding.severity == FEHLER and finding.item:
                        where += f", Spalte {finding.item}"
                    lines.append(f"  {RULES[code].title}: {where}: {finding.message}")
            for code in self.counts:
                if RULES[code].per_respondent:
                    lines.append(_respondent_line(code, self.by_code(code)))
        else:
            lines.append("Keine Befunde.")
        if protocol_path is not None:
            lines.append(f"Prüfprotokoll: {protocol_path}")
        if not self.valid:
            lines.append(
                "Die Daten sind so nicht verwendbar (siehe Befunde der Stufe »fehler«)."
                if self.records
                else "Es wurde kein einziger Datensatz übernommen."
            )
        return "\n".join(lines)


def _respondent_line(code: str, findings: list[Finding]) -> str:
    """»Gleichförmige Antworten: 3 Befragte (resp_id A1, B7, C9); Einzelheiten im Prüfprotokoll.«"""
    ids = list(dict.fromkeys(finding.resp_id for finding in findings if finding.resp_id))
    shown = ", ".join(ids[:LISTED_RESPONDENTS])
    more = f" und {_n(len(ids) - LISTED_RESPONDENTS)} weitere" if len(ids) > LISTED_RESPONDENTS else ""
    who = ("eine befragte Person" if len(ids) == 1 else f"{_n(len(ids))} Befragte") + f" (resp_id {shown}{more})"
    return f"{RULES[code].title}: {who}; Einzelheiten im Prüfprotokoll."


def _n(value: int) -> str:
    """German integer format with a dot as thousands separator."""
    return f"{value:,}".replace(",", ".")
