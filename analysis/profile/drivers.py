"""Drivers of insecurity: design-based logistic regression with odds ratios and average marginal effects.

Model: ``unsicher_nachts ~ geschlecht + altersgruppe + opfer_12m_irgendein + problem_index + ortsteil``
(terms configurable), complete cases as a domain of the full design. The fit, its covariance and the
Wald tests are the engine's (``analysis.models.logit``: R ``svyglm(family = quasibinomial())`` and
``regTermTest``; treatment coding by :func:`analysis.models.logit.treatment_matrix`); residual df are R's
(``degf`` of the model domain + 1 - number of coefficients). Factor levels nobody in the model domain
has, and binary/numeric terms without variation there, are left out (they are not estimable).

Average marginal effects (AME): for a factor level or a 0/1 variable, the design-weighted mean over the
model's respondents of the change in predicted probability when everybody has that level instead of the
reference; for a numeric variable, the weighted mean of the derivative ``b * p(1-p)`` (per unit).
SE by the delta method with the design covariance of the coefficients, conditional on the observed
covariate distribution (the sampling variability of the averaging itself is ignored; it is small next
to that of the coefficients).

Ranking: terms ordered by their largest absolute AME; the Wald F test per term (all its coefficients
zero, ddf = residual df) says whether the term matters beyond chance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core import distributions as dist
from analysis.core.categories import category_texts
from analysis.core.design import Design
from analysis.errors import AnalysisError
from analysis.models.logit import INTERCEPT, LogitResult, svyglm_logit, treatment_matrix


@dataclass(frozen=True)
class Term:
    """A model term: ``factor`` (levels with labels; first level = reference), ``binary`` (0/1) or ``numeric``."""

    variable: str
    label: str
    kind: str
    levels: tuple[tuple[str, str], ...] = ()
    unit: str = ""


@dataclass(frozen=True)
class Coefficient:
    term: str
    name: str
    label: str
    coef: float
    se: float
    odds_ratio: float | None
    or_ci_low: float | None
    or_ci_high: float | None
    p_value: float


@dataclass(frozen=True)
class MarginalEffect:
    term: str
    name: str
    label: str
    ame: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class TermTest:
    term: str
    label: str
    f: float
    ndf: int
    ddf: float
    p_value: float
    max_abs_ame: float
    rank: int


@dataclass(frozen=True)
class DriverAnalysis:
    outcome: str
    outcome_label: str
    n: int
    df_residual: float
    coefficients: tuple[Coefficient, ...]
    marginal_effects: tuple[MarginalEffect, ...]
    ranking: tuple[TermTest, ...]


def _model_frame(data: pd.DataFrame, terms: Sequence[Term], outcome: np.ndarray
                 ) -> tuple[dict[str, np.ndarray], list[Term], dict[str, list[str]]]:
    """Model columns (factors as code text), the estimable terms and the factor levels actually used."""
    columns: dict[str, np.ndarray] = {}
    for term in terms:
        if term.variable not in data:
            raise AnalysisError(f"Für die Treiberanalyse fehlt die Variable »{term.variable}«.")
        if term.kind == "factor":
            codes = category_texts(data[term.variable])
            known = pd.Series(codes, dtype=object).isin([code for code, _ in term.levels]).to_numpy()
            columns[term.variable] = np.where(known, codes, None)
        else:
            columns[term.variable] = pd.to_numeric(data[term.variable], errors="coerce").to_numpy(dtype=float)
    complete = np.isfinite(np.asarray(outcome, dtype=float))
    for term in terms:
        values = columns[term.variable]
        complete &= (values != None) if term.kind == "factor" else np.isfinite(values)  # noqa: E711
    used: list[Term] = []
    levels: dict[str, list[str]] = {}
    for term in terms:
        values = columns[term.variable][complete]
        if term.kind == "factor":
            present = [code for code, _ in term.levels if np.any(values == code)]
            if len(present) >= 2:
                used.append(term)
                levels[term.variable] = present
        elif np.unique(values).size > 1:
            used.append(term)
    return columns, used, levels


def _labels(term: Term, names: Sequence[str]) -> list[str]:
    if term.kind != "factor":
        return [term.label] * len(names)
    by_code = dict(term.levels)
    return [by_code.get(name[len(term.variable):], name) for name in names]


def analyse_drivers(
    data: pd.DataFrame, design: Design, outcome: np.ndarray, terms: Sequence[Term],
    outcome_id: str = "unsicher_nachts", outcome_label: str = "nachts unsicher",
) -> DriverAnalysis:
    """Fit the model and derive odds ratios, AMEs and the ranking of terms."""
    return analyse_drivers_with_fit(data, design, outcome, terms, outcome_id, outcome_label)[0]


def analyse_drivers_with_fit(
    data: pd.DataFrame, design: Design, outcome: np.ndarray, terms: Sequence[Term],
    outcome_id: str = "unsicher_nachts", outcome_label: str = "nachts unsicher",
) -> tuple[DriverAnalysis, LogitResult]:
    """:func:`analyse_drivers` plus the fitted model (for the association findings)."""
    columns, terms, levels = _model_frame(data, terms, outcome)
    if not terms:
        raise AnalysisError("Für die Treiberanalyse variiert keines der Merkmale; kein Modell möglich.")
    matrix = treatment_matrix(columns, [t.variable for t in terms], factors=levels)
    if matrix.complete.sum() <= matrix.X.shape[1] + 10:
        raise AnalysisError("Für die Treiberanalyse gibt es zu wenige vollständige Antworten.")
    fit = svyglm_logit(design, np.asarray(outcome, dtype=float), matrix)
    X, beta, cov, df = np.asarray(matrix.X), fit.coef, fit.cov, fit.df
    q = float(dist.t_ppf(0.975, df))
    term_of = {j: INTERCEPT for j in matrix.columns(INTERCEPT)}
    label_of = {0: INTERCEPT}
    for term in terms:
        cols = matrix.columns(term.variable)
        for j, label in zip(cols, _labels(term, [fit.names[c] for c in cols])):
            term_of[j], label_of[j] = term.variable, label
    coefficients = [
        Coefficient(term=term_of[j], name=c.name, label=label_of[j], coef=c.coef, se=c.se,
                    odds_ratio=c.odds_ratio if j > 0 else None, or_ci_low=c.or_ci_low if j > 0 else None,
                    or_ci_high=c.or_ci_high if j > 0 else None, p_value=c.p_value)
        for j, c in enumerate(fit.coefficients())
    ]
    weights = np.where(fit.domain, design.weights, 0.0)
    weights = weights / weights.sum()
    mu = 1 / (1 + np.exp(-(X @ beta)))
    effects: list[MarginalEffect] = []
    tests: list[TermTest] = []
    for term in terms:
        cols = list(matrix.columns(term.variable))
        term_effects = []
        for j in cols:
            if term.kind == "numeric":
                slope = mu * (1 - mu)
                ame = float(weights @ (beta[j] * slope))
                gradient = (weights * beta[j] * slope * (1 - 2 * mu)) @ X
                gradient[j] += float(weights @ slope)
            else:
                high, low = X.copy(), X.copy()
                high[:, cols], low[:, cols] = 0.0, 0.0
                high[:, j] = 1.0
                mu_high, mu_low = 1 / (1 + np.exp(-(high @ beta))), 1 / (1 + np.exp(-(low @ beta)))
                ame = float(weights @ (mu_high - mu_low))
                gradient = (weights * mu_high * (1 - mu_high)) @ high - (weights * mu_low * (1 - mu_low)) @ low
            ame_se = float(math.sqrt(max(gradient @ cov @ gradient, 0.0)))
            p = float(2 * dist.t_sf(abs(ame / ame_se), df)) if ame_se > 0 else 1.0
            effect = MarginalEffect(term.variable, fit.names[j], label_of[j], ame, ame_se, ame - q * ame_se,
                                    ame + q * ame_se, p)
            effects.append(effect)
            term_effects.append(effect)
        wald = fit.wald_test(term.variable)
        strongest = max(term_effects, key=lambda e: abs(e.ame))
        tests.append(TermTest(term.variable, term.label, wald.f, wald.ndf, wald.ddf, wald.p_value,
                              abs(strongest.ame), 0))
    tests.sort(key=lambda t: (t.p_value >= 0.05, -t.max_abs_ame))
    tests = [TermTest(**{**t.__dict__, "rank": rank}) for rank, t in enumerate(tests, start=1)]
    return DriverAnalysis(
        outcome=outcome_id, outcome_label=outcome_label, n=fit.n, df_residual=df,
        coefficients=tuple(coefficients), marginal_effects=tuple(effects), ranking=tuple(tests),
    ), fit
