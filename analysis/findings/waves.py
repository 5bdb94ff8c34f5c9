"""Change between two waves (kind ``change``): two independent samples of one commune.

``d = est_to - est_from``, ``se = sqrt(se_from² + se_to²)``, Wald ``z = d / se`` against the normal
distribution (``df`` = None), interval ``d ± z(1-α/2) · se`` (as ``analysis.comparison.change``). The
samples are independent, so there is no covariance term. A suppressed or missing estimate on either
side gives note ``suppressed`` (no test).

Inputs are :class:`~analysis.findings.types.EstimateRef` (role ``from`` / ``to``; an earlier wave is
read from its profile). Families: ``change:<from>-<to>`` for the indicators overall (Holm) and
``change:<by>:<from>-<to>`` for group values (the Ortsteil hotspots between waves; ``compute_findings``
adjusts that screen with Benjamini-Hochberg).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from analysis.findings.common import SUPPRESSED_NOTE
from analysis.core.contrasts import t_test
from analysis.findings.types import Effect, EffectKind, EstimateRef, Finding, FindingKind, Test

TEST_CHANGE = "wald_z"
Key = tuple[str, "str | None", "str | None"]  # (indicator, breakdown or None, group or None)


def change_family(wave_from: str, wave_to: str, by: str | None = None) -> str:
    return f"change:{wave_from}-{wave_to}" if by is None else f"change:{by}:{wave_from}-{wave_to}"


def change_findings(pairs: Mapping[Key, tuple[EstimateRef, EstimateRef]], kinds: Mapping[str, EffectKind],
                    wave_from: str, wave_to: str, level: float = 0.95) -> list[Finding]:
    """One ``change`` finding per key ``(indicator, by, group)``: ``(from, to)`` estimates."""
    findings = []
    for (subject, by, group), (old, new) in pairs.items():
        old, new = replace(old, role="from"), replace(new, role="to")
        effect = test = note = None
        if None in (old.value, old.se, new.value, new.se):
            note = SUPPRESSED_NOTE
        else:
            diff = new.value - old.value
            result = t_test(diff, math.hypot(old.se, new.se), math.inf, level)
            if math.isfinite(result.p):
                effect = Effect(kinds[subject], diff, result.ci_low, result.ci_high)
                test = Test(TEST_CHANGE, result.statistic, None, result.p)
            else:
                note = "no_variance"
        suffix = "" if by is None else f":{by}:{group}"
        findings.append(Finding(
            id=f"change:{wave_from}-{wave_to}:{subject}{suffix}", kind=FindingKind.CHANGE,
            family=change_family(wave_from, wave_to, by), subject=subject, by=by, group=group,
            estimates=(old, new), effect=effect, test=test, note=note))
    return findings
