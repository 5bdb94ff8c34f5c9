"""Reading a store without writing it: the submitted answers as a data frame (used by intake)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from survey.errors import InputFileError
from survey.store.answers import FILLED
from survey.store.format import StoreFormatError, decode_responses

STORE_NAME = "antworten.sqlite"


def store_files(path: str | Path) -> list[Path]:
    """The store and its companions (``-wal``, ``-shm``, ``-journal``)."""
    path = Path(path)
    return [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def read_responses(path: str | Path):
    """Submitted answers of a store as a data frame: ``resp_id``, one column per variable, ``modus``,
    ``sprache`` (the answer language's code; None for answers stored before issue 17).

    Columns follow the questionnaire recorded by the web app (plus any further answered variables),
    rows are ordered by ``resp_id``. Numeric answers are floats (NaN = not answered), free text is
    text. An empty store gives an empty frame with the same columns. Reads stores of schema 1 too.
    """
    import pandas as pd

    store_path = Path(path)
    if store_path.is_dir():
        store_path = store_path / STORE_NAME
    if not store_path.exists():
        raise InputFileError(f"Der Antwortspeicher {store_path} existiert nicht.")
    try:
        db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "slots" in tables:
                records = decode_responses(row[0] for row in db.execute(f"SELECT data FROM slots WHERE {FILLED}"))
                rows = [(record.resp_id, record.modus, record.answers, record.sprache) for record in records]
            else:
                rows = [(resp_id, mode, json.loads(answers), None) for resp_id, mode, answers
                        in db.execute("SELECT resp_id, modus, answers FROM responses")]
        finally:
            db.close()
    except (sqlite3.DatabaseError, StoreFormatError, ValueError) as error:
        raise InputFileError(f"{store_path} ist kein lesbarer Antwortspeicher ({error}).") from None
    variables: list[str] = json.loads(meta.get("variablen", "[]"))
    records = []
    for resp_id, mode, answers, language in sorted(rows, key=lambda row: row[0]):
        for key in answers:
            if key not in variables:
                variables.append(key)
        records.append({"resp_id": resp_id, **answers, "modus": mode, "sprache": language})
    columns = ["resp_id", *variables, "modus", "sprache"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for column in variables:
        values = frame[column].dropna()
        if all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in values):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["sprache"] = pd.Series([record["sprache"] for record in records], index=frame.index, dtype="object")
    return frame
