"""Helpers for free-text tests: a sample commune copy with planted free-text answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from survey.resources import sample_data_dir

PAPER = "responses_papier.csv"


def commune_copy(tmp_path: Path, slug: str = "quellenthal") -> Path:
    target = tmp_path / slug
    shutil.copytree(sample_data_dir() / slug, target, ignore=shutil.ignore_patterns("ergebnis", "freitexte"))
    return target


def plant_answers(folder: Path, item: str, answers: list[str], *, start: int = 0, file: str = PAPER) -> None:
    """Put ``answers`` into ``item`` of rows ``start``… of the paper file (clearing the item elsewhere);
    place answers also get ``angstraum = 1`` so that the filter applies."""
    path = folder / file
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[item] = ""
    for offset, text in enumerate(answers):
        frame.loc[start + offset, item] = text
        if item.startswith("angstraum"):
            frame.loc[start + offset, "angstraum"] = "1"
    frame.to_csv(path, index=False)


def clear_text_items(folder: Path, items: tuple[str, ...] = ("problem_sonstiges", "angstraum_ort", "wuensche",
                                                             "anmerkungen")) -> None:
    for file in (PAPER, "responses_online.csv"):
        path = folder / file
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for item in items:
            frame[item] = ""
        frame.to_csv(path, index=False)
