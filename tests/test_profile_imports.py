"""Computing a whole profile imports neither scipy.stats nor statsmodels nor scipy.optimize (issue 13: their
import cost 0.5–1.4 s of every ``run``); the engine uses analysis.core.distributions and
analysis.crime.poisson_fit, which give the same numbers bit for bit (tests/test_distributions.py,
tests/test_crime.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW_MODULES = ("scipy.stats", "statsmodels", "scipy.optimize")

SCRIPT = """
import sys
from survey.folder import load_folder
from survey.profile_builder import build_profile_document
document = build_profile_document(load_folder(sys.argv[1]))
assert document.crime is not None and document.findings, "the profile lacks PKS or findings"
print(",".join(m for m in sys.modules if m.split(".")[0] in ("scipy", "statsmodels")))
"""


def test_profile_of_a_sample_commune_needs_no_scipy_stats(tmp_path):
    import shutil

    folder = tmp_path / "eichenstedt"
    shutil.copytree(ROOT / "sample_data" / "eichenstedt", folder, ignore=shutil.ignore_patterns("ergebnis"))
    env = dict(os.environ, SICHERHEITSANALYSE_PROZESSE="1")
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(folder)], capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = result.stdout.strip().split(",")
    assert "scipy.special" in loaded  # the check sees scipy at all
    assert not [m for m in loaded if m.startswith(SLOW_MODULES)], loaded
