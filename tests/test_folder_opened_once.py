"""``run`` opens the analysis folder once (issue 11): analyse.yaml, the questionnaire, population.csv,
strata.csv, pks.csv and the rule file are each read a single time, and every step works on the same
:class:`survey.folder.AnalysisFolder` (its questionnaire resolved by the one resolver)."""

from __future__ import annotations

import collections
import pathlib
import shutil

import pytest

from survey.folder import load_folder
from survey.pipeline import run_folder
from survey.resources import sample_data_dir

READ_ONCE = ("analyse.yaml", "sicherheitsanalyse-standard.yaml", "population.csv", "strata.csv", "pks.csv",
             "recommendation_rules.yaml")


@pytest.fixture
def reads(monkeypatch):
    counts: collections.Counter = collections.Counter()
    read_text, read_bytes = pathlib.Path.read_text, pathlib.Path.read_bytes

    def counting_text(self, *args, **kwargs):
        counts[self.name] += 1
        return read_text(self, *args, **kwargs)

    def counting_bytes(self, *args, **kwargs):
        counts[self.name] += 1
        return read_bytes(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "read_text", counting_text)
    monkeypatch.setattr(pathlib.Path, "read_bytes", counting_bytes)
    return counts


@pytest.mark.slow
def test_run_reads_every_input_file_once(tmp_path, reads):
    folder = tmp_path / "eichenstedt"
    shutil.copytree(sample_data_dir() / "eichenstedt", folder, ignore=shutil.ignore_patterns("ergebnis"))
    run_folder(folder)
    assert {name: reads[name] for name in READ_ONCE} == {name: 1 for name in READ_ONCE}


def test_the_folder_keeps_what_it_read(tmp_path, reads):
    folder = load_folder(sample_data_dir() / "eichenstedt")
    assert folder.questionnaire is folder.questionnaire and folder.pks is folder.pks
    assert folder.strata is folder.files.strata and folder.rules is folder.rules
    assert folder.questionnaire.id == "sicherheitsanalyse-standard"
    assert [reads[name] for name in READ_ONCE] == [1, 1, 1, 1, 1, 1]
