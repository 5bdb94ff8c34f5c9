"""PKS import: the long CSV of DESIGN.md §3 and the BKA Kreis table KR-F-01-T01 (xlsx).

Both readers return a validated :class:`PksTable` whose ``frame`` is the long table that
``analysis.crime`` works on. Every problem raises :class:`survey.errors.InputFileError` with a German
message naming the file and the line (CSV) or row (xlsx).

Public API::

    read_pks(path) -> PksTable
    read_bka_kreis_table(path, year, population=None) -> PksTable
    select_keys(frame, pattern, *, theft_wildcard=True) -> DataFrame   # wildcard keys: 435*00, ***300
    PksTable(frame, source, notes).select(pattern), .areas, .years
"""

from analysis.crime.keys import select_keys
from survey.pks.bka import read_bka_kreis_table
from survey.pks.csv_reader import read_pks
from survey.pks.table import FRAME_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, PksTable

__all__ = ["FRAME_COLUMNS", "OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "PksTable", "read_bka_kreis_table",
           "read_pks", "select_keys"]
