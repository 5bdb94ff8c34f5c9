"""Decode a text input file (CSV, VV, TXT): one rule for responses, population, strata, PKS and mappings.

- UTF-16 with byte order mark (Excel's »Unicode-Text«, tab separated) is decoded as UTF-16.
- Otherwise the file is UTF-8 (byte order mark optional). A line that is not valid UTF-8 is decoded as
  Windows-1252 on its own, line by line: offices often append rows exported by another program, and
  decoding such a file as a whole in Windows-1252 turns every UTF-8 »ß« into »ÃŸ« without any warning.
  A file whose non-ASCII lines are all Windows-1252 is simply a Windows-1252 file; a file with both
  kinds lists the Windows-1252 lines in :attr:`DecodedText.fallback_lines` (the intake reports them as
  a finding »kodierung-gemischt«). Per line is safe because Windows-1252 text with umlauts is almost
  never valid UTF-8 (that needs byte pairs such as »Ã¼« that German text does not contain).
- Binary content (NUL bytes, control characters) is refused, and so is a file beyond the size limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from survey.errors import InputFileError, UserError
from survey.limits import MAX_TEXT_BYTES, check_file_size

UTF8 = "utf-8"
CP1252 = "cp1252"
UTF16 = "utf-16"
MIXED = "utf-8 + cp1252"
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_BINARY_HINT = ("Erwartet wird eine CSV-Datei (UTF-8, Windows-1252 oder Excel-»Unicode-Text«), eine "
                "Excel- (.xlsx) oder eine SPSS-Datei (.sav).")


@dataclass(frozen=True)
class DecodedText:
    """The text of a file, its encoding and the lines decoded as Windows-1252 in a UTF-8 file."""

    text: str
    encoding: str  # "utf-8", "cp1252", "utf-16" or "utf-8 + cp1252"
    fallback_lines: tuple[int, ...] = ()


def read_text_file(path: Path, *, what: str = "Textdateien", limit: int = MAX_TEXT_BYTES,
                   error_class: type[UserError] = InputFileError) -> DecodedText:
    """Read and decode ``path`` by the module's rule; ``error_class`` with file and line on failure."""
    check_file_size(path, limit, what, error_class)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise error_class(f"Datei kann nicht gelesen werden: {error.strerror}.", path=path) from None
    decoded = decode_bytes(data, path, error_class)
    _refuse_control_characters(decoded.text, path, error_class)
    return decoded


def decode_bytes(data: bytes, path: Path, error_class: type[UserError] = InputFileError) -> DecodedText:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return DecodedText(data.decode(UTF16), UTF16)
        except UnicodeDecodeError as error:
            raise error_class(
                f"Die Datei beginnt wie ein Excel-»Unicode-Text« (UTF-16), ist aber ab Byte {error.start} "
                "nicht lesbar.", path=path) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise error_class(f"Die Datei ist keine Textdatei (sie enthält Binärdaten). {_BINARY_HINT}", path=path)
    try:
        return DecodedText(data.decode(UTF8), UTF8)
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    fallback: list[int] = []
    utf8_non_ascii = False
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        try:
            text = raw.decode(UTF8)
            utf8_non_ascii = utf8_non_ascii or not raw.isascii()
        except UnicodeDecodeError:
            try:
                text = raw.decode(CP1252)
            except UnicodeDecodeError as error:
                raise error_class(
                    f"Die Zeile ist weder als UTF-8 noch als Windows-1252 lesbar (Byte {error.start + 1} der "
                    "Zeile). Bitte in Excel oder LibreOffice als »CSV UTF-8« speichern.", path=path, line=number,
                ) from None
            fallback.append(number)
        parts.append(text)
    if utf8_non_ascii:
        return DecodedText("".join(parts), MIXED, tuple(fallback))
    return DecodedText("".join(parts), CP1252)


def _refuse_control_characters(text: str, path: Path, error_class: type[UserError]) -> None:
    match = _CONTROL.search(text)
    if match is None:
        return
    line = text.count("\n", 0, match.start()) + 1
    raise error_class(
        f"Die Datei enthält das Steuerzeichen U+{ord(match.group()):04X} und ist offenbar keine Textdatei "
        f"(CSV). {_BINARY_HINT}", path=path, line=line)


def describe_lines(lines: tuple[int, ...] | list[int], limit: int = 10) -> str:
    """``3, 7, 9 und 12 weitere``: line numbers for a message."""
    shown = ", ".join(str(line) for line in lines[:limit])
    rest = len(lines) - limit
    return shown if rest <= 0 else f"{shown} und {rest} weitere"
