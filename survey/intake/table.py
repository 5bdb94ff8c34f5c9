"""The working table of one response file during validation: records of text values by item id."""

from __future__ import annotations

from dataclasses import dataclass, field

from survey.intake.columns import MODUS, RESP_ID, SPRACHE, ColumnPlan
from survey.intake.findings import FREE_TEXT, Finding, Rule
from survey.intake.raw import RawTable


@dataclass
class Record:
    """One respondent as read: source line, resp_id, text value per item ("" = blank)."""

    line: int
    resp_id: str
    values: dict[str, str]
    modus: str = ""
    sprache: str = ""
    dropped: bool = False


@dataclass
class WorkTable:
    """A response file after column mapping; checks set values missing or drop records."""

    file: str
    raw: RawTable
    plan: ColumnPlan
    items: list[str]
    records: list[Record]
    findings: list[Finding] = field(default_factory=list)
    mode: str | None = None  # papier/online for the whole file, where known

    @classmethod
    def build(cls, raw: RawTable, plan: ColumnPlan, file: str) -> "WorkTable":
        resp_index = plan.targets.get(RESP_ID)
        modus_index = plan.targets.get(MODUS)
        language_index = plan.targets.get(SPRACHE)
        items = plan.items
        records = []
        for line, row in zip(raw.lines, raw.rows):
            values = {item: row[plan.targets[item]] for item in items}
            records.append(
                Record(
                    line=line,
                    resp_id=row[resp_index] if resp_index is not None else "",
                    values=values,
                    modus=row[modus_index].strip().lower() if modus_index is not None else "",
                    sprache=row[language_index].strip() if language_index is not None else "",
                )
            )
        return cls(file, raw, plan, items, records, list(plan.findings))

    @property
    def kept(self) -> list[Record]:
        return [record for record in self.records if not record.dropped]

    def cell_finding(self, rule: Rule, record: Record, item: str, value: str | None, **fields) -> Finding:
        return rule.finding(self.file, line=record.line, resp_id=record.resp_id or None, item=item,
                            value=value, **fields)

    def row_finding(self, rule: Rule, record: Record, **fields) -> Finding:
        return rule.finding(self.file, line=record.line, resp_id=record.resp_id or None, **fields)


def protocol_value(kind: str, text: str) -> str:
    """The value shown in the protocol: the value itself, but never free text."""
    return FREE_TEXT if kind == "text" else text
