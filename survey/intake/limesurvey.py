"""LimeSurvey response exports: meta columns and the tab-separated VV format.

LimeSurvey exports responses labelled by question code (CSV, Excel, SPSS) or as a VV file
("Verified Voting", ``vvexport``): tab separated, line 1 = question texts, line 2 = field names
(question codes), one response per line after that. VV escapes special characters:
``{question_not_shown}`` = not shown (blank), ``{lbrace}`` = ``{``, ``{newline}``, ``{cr}``, ``{tab}``,
``{quote}`` (a leading ``"``). Column names are mapped to item ids in :mod:`survey.intake.columns`.

LimeSurvey adds meta columns (``id``, ``submitdate``, ``lastpage``, ``startlanguage``, ``seed``,
``token``, timings, token attributes). They are dropped with an info finding; ``id`` becomes
``resp_id`` if the file has no ``resp_id``. ``token`` (the access code) and personal token
attributes are never kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from survey.errors import InputFileError
from survey.intake.raw import raw_table

#: Meta columns of LimeSurvey response exports (compared case-insensitively).
META_COLUMNS = frozenset(
    {
        "id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate", "datestamp",
        "ipaddr", "refurl", "interviewtime", "optout", "emailstatus", "firstname", "lastname", "email",
        "sent", "remindersent", "remindercount", "completed", "usesleft", "validfrom", "validuntil",
        "tid", "participant_id", "blacklisted", "mpid",
    }
)
#: Timing columns (``groupTime12``, ``G01Q01Time``) and token attributes (``attribute_1``).
META_PATTERNS = (re.compile(r"^grouptime\d+$"), re.compile(r".+time$"), re.compile(r"^attribute_\d+$"))
#: Columns that identify a person or the access code: never kept, never copied anywhere.
SECRET_COLUMNS = frozenset({"token", "firstname", "lastname", "email", "ipaddr", "participant_id"})

VV_ESCAPES = {
    "{question_not_shown}": "",
    "{newline}": "\n",
    "{cr}": "\r",
    "{tab}": "\t",
    "{quote}": '"',
    "{lbrace}": "{",
}


def is_meta_column(name: str, item_ids: frozenset[str] = frozenset()) -> bool:
    """Whether ``name`` is a LimeSurvey meta column (never an item of the questionnaire)."""
    lowered = name.strip().lower()
    if lowered in item_ids:
        return False
    return lowered in META_COLUMNS or any(pattern.match(lowered) for pattern in META_PATTERNS)


def is_secret_column(name: str) -> bool:
    return name.strip().lower() in SECRET_COLUMNS or name.strip().lower().startswith("attribute_")


def is_vv(records: list[tuple[int, list[str]]]) -> bool:
    """A tab-separated file whose second (not first) line names the ``id`` or ``resp_id`` column."""
    if len(records) < 2:
        return False
    first = {value.strip().lower() for value in records[0][1]}
    second = {value.strip().lower() for value in records[1][1]}
    keys = {"id", "resp_id"}
    return not (first & keys) and bool(second & keys)


def unescape_vv(value: str) -> str:
    """Undo LimeSurvey's VV escapes (``{lbrace}`` last, so that escaped text stays literal)."""
    if "{" not in value:
        return value
    return re.sub(r"\{(question_not_shown|newline|cr|tab|quote|lbrace)\}", lambda m: VV_ESCAPES[m.group(0)], value)


def read_vv_records(path: Path, records: list[tuple[int, list[str]]], encoding: str):
    """Build the raw table of a VV file from its tab-separated records."""
    if len(records) < 2:
        raise InputFileError("Die VV-Datei braucht zwei Kopfzeilen (Fragetexte und Codes).", path=path)
    columns = [name.strip() for name in records[1][1]]
    body = [(line, [unescape_vv(value) for value in fields]) for line, fields in records[2:]]
    return raw_table(path, "limesurvey-vv", columns, body, encoding=encoding, delimiter="\t")


def looks_like_limesurvey(columns: list[str]) -> bool:
    """Whether a header carries LimeSurvey's typical meta columns."""
    lowered = {name.strip().lower() for name in columns}
    return bool(lowered & {"submitdate", "lastpage", "startlanguage", "seed"})
