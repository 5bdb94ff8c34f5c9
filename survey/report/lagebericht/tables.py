"""Tables of the Lagebericht (document :class:`~survey.report.document.Table` of formatted strings).

Suppressed estimates print as ``/`` with interval ``–`` and n ``< 10`` (the exact count of a tiny
group is not shown either); unreliable ones in parentheses."""

from __future__ import annotations

from survey.profile.records import EstimateRecord, ItemDistribution
from survey.report import formatting as fmt
from survey.report.document import Table
from survey.report.lagebericht.profile import flag_of, shown
from survey.report.lagebericht.sentences import kind_of, value
from survey.wording import disclosure

SMALL_N = disclosure.small_n()


def n_text(record: EstimateRecord) -> str:
    if not shown(record):
        return SMALL_N
    return fmt.integer(record.n)


def ci_cell(record: EstimateRecord) -> str:
    if not shown(record):
        return fmt.MISSING
    return fmt.interval(record.ci_low, record.ci_high, kind=kind_of(record))


def indicator_table(caption: str, records: list[tuple[str, EstimateRecord | None]], *, level: float = 0.95,
                    label_header: str = "Indikator", value_header: str = "Wert", note: str = "") -> Table | None:
    """Rows ``(label, record)``: label | value | interval | n."""
    rows = tuple((label, value(r), ci_cell(r), n_text(r)) for label, r in records if r is not None)
    if not rows:
        return None
    if any(flag_of(r) == fmt.FLAG_UNRELIABLE for _, r in records if r is not None):
        note = (note + " " if note else "") + disclosure.unreliable_legend()
    if any(not shown(r) for _, r in records if r is not None):
        note = (note + " " if note else "") + disclosure.suppressed_legend()
    return Table(caption=caption, columns=(label_header, value_header, fmt.ci_label(level), "n"), rows=rows,
                 note=note)


def distribution_table(caption: str, distribution: ItemDistribution, *, level: float = 0.95) -> Table | None:
    """Answer categories of one item: Antwort | Anteil | KI | n (valid categories only)."""
    if not shown(distribution):
        return None
    rows = []
    unreliable = flag_of(distribution) == fmt.FLAG_UNRELIABLE
    for c in distribution.categories:
        if c.missing:
            continue
        share = fmt.flagged(fmt.percent(c.share), fmt.FLAG_UNRELIABLE if unreliable else None)
        rows.append((c.label, share, fmt.interval(c.ci_low, c.ci_high), fmt.integer(c.n)))
    note = (f"Anteile an {fmt.integer(distribution.n_valid)} gültigen Antworten (Basis); n = Befragte mit "
            "dieser Antwort.")
    return Table(caption=caption, columns=("Antwort", "Anteil", fmt.ci_label(level), "n"), rows=tuple(rows),
                 note=note)
