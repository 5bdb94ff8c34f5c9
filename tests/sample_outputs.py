"""Build a commune's outputs once per test session (the sample communes and an unseen one).

``built(slug)`` copies the sample folder to a session temp folder and runs ``sicherheitsanalyse run``;
later calls return the same folder. ``unseen()`` generates a commune nobody has seen (own name, AGS,
Ortsteile, seed) with the sample generator and runs it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from survey.resources import sample_data_dir

_ROOT = Path(tempfile.mkdtemp(prefix="sicherheitsanalyse-outputs-"))
_BUILT: dict[str, tuple[Path, str]] = {}
UNSEEN = "lindenau"


def _run(folder: Path) -> str:
    from survey.cli import cli

    result = CliRunner().invoke(cli, ["run", str(folder)])
    assert result.exit_code == 0, result.output
    return result.output


def built(slug: str) -> tuple[Path, str]:
    """(analysis folder with ergebnis/, the CLI output of run)."""
    if slug not in _BUILT:
        folder = _ROOT / slug
        if slug == UNSEEN:
            _generate_unseen(folder)
        else:
            shutil.copytree(sample_data_dir() / slug, folder, ignore=shutil.ignore_patterns("ergebnis", "__pycache__"))
        _BUILT[slug] = (folder, _run(folder))
    return _BUILT[slug]


def _generate_unseen(folder: Path) -> None:
    from sample_data.generate import generate_commune
    from sample_data.specs import OrtsteilSpec, spec_by_slug

    base = spec_by_slug("eichenstedt")
    spec = replace(base, slug=UNSEEN, kommune="Lindenau", ags="14599077", seed=7711, pks_seed=7712,
                   ortsteile=(OrtsteilSpec(1, "Altlindenau", 0.4), OrtsteilSpec(2, "Neulindenau", 0.35),
                              OrtsteilSpec(3, "Leutzsch an der Aue", 0.25, age_shift=0.4)))
    generate_commune(spec, folder)


def sample_slugs() -> list[str]:
    return sorted(p.parent.name for p in sample_data_dir().glob("*/analyse.yaml"))
