"""Bounds on every input file, so that reading any file takes bounded time and memory.

One place for all limits (documented in docs/ARCHITECTURE.md, »Input limits«). Each limit is far above
what a real commune survey produces (a city survey has some 10,000 respondents and 300 columns; the
shipped questionnaire is 30 KB) and far below what exhausts a small office computer. A file beyond a
limit is refused with a German message that names the file and the limit; nothing is truncated.
"""

from __future__ import annotations

from pathlib import Path

from survey.errors import UserError

MB = 1024 * 1024

#: CSV, TXT, TSV, LimeSurvey VV: responses, population.csv, strata.csv, pks.csv, mapping files.
MAX_TEXT_BYTES = 200 * MB
#: Excel workbooks (compressed size on disk) and the sum of their uncompressed parts (zip bombs).
MAX_XLSX_BYTES = 100 * MB
MAX_XLSX_UNPACKED_BYTES = 1000 * MB
#: SPSS files.
MAX_SAV_BYTES = 500 * MB
#: Records (rows after the header) and columns of one table, in any format.
MAX_ROWS = 1_000_000
MAX_COLUMNS = 5_000
#: Characters in one cell; Excel itself stores at most 32,767 characters per cell.
MAX_CELL_CHARS = 32_767
#: YAML files (questionnaire, analyse.yaml, recommendation rules): size and nesting depth.
MAX_YAML_BYTES = 2 * MB
MAX_YAML_DEPTH = 50
#: JSON files (profil.json): size and nesting depth.
MAX_JSON_BYTES = 200 * MB
MAX_JSON_DEPTH = 64
#: Characters of one number in YAML or JSON (Python refuses integers of more than 4,300 digits).
MAX_NUMBER_CHARS = 100
#: Digits of a whole count (population, gross sample, PKS cases): at most 999,999,999,999.
MAX_COUNT_DIGITS = 12


def german_bytes(size: int) -> str:
    """``2 MB``, ``2,9 MB``, ``512 Byte``: sizes as a German reader sees them (rounded down)."""
    if size >= MB:
        tenths = size * 10 // MB
        whole, tenth = divmod(tenths, 10)
        return f"{whole:,}".replace(",", ".") + (f",{tenth}" if tenth else "") + " MB"
    return f"{size:,} Byte".replace(",", ".")


def german_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def check_file_size(path: Path, limit: int, what: str, error_class: type[UserError]) -> int:
    """The size of ``path``; ``error_class`` if it cannot be read or is larger than ``limit``."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise error_class("Datei nicht gefunden.", path=path) from None
    except OSError as error:
        raise error_class(f"Datei kann nicht gelesen werden: {error.strerror}.", path=path) from None
    if size > limit:
        raise error_class(
            f"Die Datei ist {german_bytes(size)} groß; {what} dürfen höchstens {german_bytes(limit)} groß sein.",
            path=path,
        )
    return size
