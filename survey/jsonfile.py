"""Read a JSON input file (profil.json for ``bericht`` and ``vergleich``) with bounded time and memory.

Refused with a German message naming the file: more than :data:`~survey.limits.MAX_JSON_BYTES`, not
UTF-8, a syntax error (with line and column), a number longer than
:data:`~survey.limits.MAX_NUMBER_CHARS` characters (Python refuses integers of more than 4,300 digits
with an internal error), nesting deeper than :data:`~survey.limits.MAX_JSON_DEPTH`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from survey.errors import UserError
from survey.limits import MAX_JSON_BYTES, MAX_JSON_DEPTH, MAX_NUMBER_CHARS, check_file_size, german_int


class _LongNumber(ValueError):
    def __init__(self, length: int):
        super().__init__(length)
        self.length = length


def _number(parse):  # noqa: ANN001, ANN202
    def bounded(text: str):  # noqa: ANN202
        if len(text) > MAX_NUMBER_CHARS:
            raise _LongNumber(len(text))
        return parse(text)
    return bounded


def read_json_file(path: str | Path, error_class: type[UserError], *, what: str = "JSON-Dateien",
                   limit: int | None = None) -> Any:
    """The parsed content of ``path``; every problem becomes ``error_class`` naming the file.

    A UTF-8 byte order mark (Windows editors write one) is accepted."""
    path = Path(path)
    check_file_size(path, MAX_JSON_BYTES if limit is None else limit, what, error_class)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except IsADirectoryError:
        raise error_class("Das ist ein Ordner, keine JSON-Datei.", path=path) from None
    except UnicodeDecodeError:
        raise error_class("Die Datei ist keine UTF-8-Textdatei und damit kein gültiges JSON.", path=path) from None
    except OSError as error:
        raise error_class(f"Die Datei kann nicht gelesen werden ({error.strerror}).", path=path) from None
    try:
        data = json.loads(text, parse_int=_number(int), parse_float=_number(float))
    except _LongNumber as error:
        raise error_class(f"Die Datei enthält eine Zahl mit {german_int(error.length)} Zeichen; erlaubt sind höchstens "
                          f"{MAX_NUMBER_CHARS}.", path=path) from None
    except json.JSONDecodeError as error:
        raise error_class(f"Die Datei ist kein gültiges JSON (Syntaxfehler in Spalte {error.colno}).",
                          path=path, line=error.lineno) from None
    except RecursionError:
        raise error_class(f"Die Datei ist zu tief verschachtelt (höchstens {MAX_JSON_DEPTH} Ebenen).",
                          path=path) from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise error_class(f"Die Datei ist zu tief verschachtelt (höchstens {MAX_JSON_DEPTH} Ebenen).", path=path)
    return data


def _depth(data: Any) -> int:
    """Nesting depth of containers (top-level object = 1), level by level without recursion."""
    level = [data] if isinstance(data, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_JSON_DEPTH:
            return depth
        children: list[Any] = []
        for value in level:
            children.extend(value.values() if type(value) is dict else value)
        level = [child for child in children if type(child) is dict or type(child) is list]
    return depth
