"""Locate the data folders shipped with the package (questionnaires, templates, sample data).

The folders live at the top of the repository (DESIGN.md §2) and are installed as data packages, so
``importlib.resources`` finds them both in a checkout and after a non-editable ``pip install .``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _package_dir(name: str) -> Path:
    return Path(str(resources.files(name)))


def questionnaires_dir() -> Path:
    return _package_dir("questionnaires")


def report_templates_dir() -> Path:
    return _package_dir("report_templates")


def sample_data_dir() -> Path:
    return _package_dir("sample_data")
