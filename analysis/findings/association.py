"""Associations from the drivers model (kind ``association``; an association, never a cause).

Input: a fitted ``analysis.models.logit.LogitResult`` (R ``svyglm(family = quasibinomial())``). One
finding per model term (the intercept excluded): the Wald F test that all its coefficients are zero
(R ``regTermTest``, ``ddf`` = the model's residual df), estimates = the term's coefficients as odds
ratios with their t intervals (role ``coefficient``, ``group`` = the coefficient name as R prints it,
e.g. ``altersgruppe30-44``), effect = the odds ratio of the term's coefficient with the largest
``|log OR|`` (for one-column terms simply its odds ratio). Family: the model's terms
(``association:<outcome>``).
"""

from __future__ import annotations

import numpy as np

from analysis.findings.types import Effect, EffectKind, EstimateRef, Finding, FindingKind, Test
from analysis.models.logit import INTERCEPT, LogitResult

TEST_WALD = "wald_f"


def association_findings(fit: LogitResult, outcome: str, level: float = 0.95) -> list[Finding]:
    """One ``association`` finding per term of ``fit`` (``fit.terms``; else one per coefficient)."""
    terms = [t for t in fit.terms if t[0] != INTERCEPT] or [(name, (j,)) for j, name in enumerate(fit.names)
                                                           if name != INTERCEPT]
    ci = fit.odds_ratios(level)
    findings = []
    for term, columns in terms:
        wald = fit.wald_test(list(columns))
        refs = tuple(EstimateRef("coefficient", term, fit.names[j], ci[j, 0], None, ci[j, 1], ci[j, 2], n=fit.n,
                                 df=fit.df) for j in columns)
        strongest = max(columns, key=lambda j: abs(fit.coef[j]))
        effect = Effect(EffectKind.ODDS_RATIO, ci[strongest, 0], ci[strongest, 1], ci[strongest, 2])
        findings.append(Finding(
            id=f"association:{outcome}:{term}", kind=FindingKind.ASSOCIATION, family=f"association:{outcome}",
            subject=term, by=outcome, estimates=refs, effect=effect,
            test=Test(TEST_WALD, wald.f, float(wald.ndf), wald.p_value,
                      df2=float(wald.ddf) if np.isfinite(wald.ddf) else None)))
    return findings
