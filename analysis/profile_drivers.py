"""Drivers of insecurity: design-based logistic regression with odds ratios and average marginal effects.

Model: ``unsicher_nachts ~ geschlecht + altersgruppe + opfer_12m_irgendein + problem_index + ortsteil``
(terms configurable), complete cases as a domain of the full design, as R's ``svyglm(family =
quasibinomial)``: coefficients solve the weighted score equations; their covariance is the sandwich
``J^-1 V J^-1`` where ``V`` is the design covariance (calibration residuals, strata, fpc) of the score
totals; residual df = design df + 1 - number of coefficients (R). If ``analysis.regression`` offers
``svyglm_logit`` it is not needed here: this module works on :class:`DesignInfo` directly.

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
from scipy import stats

from analysis.errors import AnalysisError
from analysis.profile_indicators import code_text
from analysis.profile_variance import DesignInfo, t_quantile


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
    sentence: str


@dataclass(frozen=True)
class DriverAnalysis:
    outcome: str
    outcome_label: str
    n: int
    df_residual: float
    coefficients: tuple[Coefficient, ...]
    marginal_effects: tuple[MarginalEffect, ...]
    ranking: tuple[TermTest, ...]
    summary: str
    method: str


def _design_matrix(data: pd.DataFrame, terms: Sequence[Term], n: int) -> tuple[np.ndarray, list, np.ndarray]:
    columns = [np.ones(n)]
    names: list[tuple[str, str, str, str | None]] = [("(Intercept)", "(Intercept)", "Achsenabschnitt", None)]
    complete = np.ones(n, dtype=bool)
    for term in terms:
        if term.variable not in data:
            raise AnalysisError(f"Für die Treiberanalyse fehlt die Variable »{term.variable}«.")
        if term.kind == "factor":
            codes = code_text(data[term.variable])
            known = np.isin(codes, [code for code, _ in term.levels])
            complete &= known
            for code, label in term.levels[1:]:
                columns.append((codes == code).astype(float))
                names.append((term.variable, f"{term.variable}{code}", label, code))
        else:
            values = pd.to_numeric(data[term.variable], errors="coerce").to_numpy(dtype=float)
            complete &= np.isfinite(values)
            columns.append(np.nan_to_num(values))
            names.append((term.variable, term.variable, term.label, None))
    return np.column_stack(columns), names, complete


def _fit(design: DesignInfo, y: np.ndarray, X: np.ndarray, domain: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w = np.where(domain, design.weights, 0.0)
    w = w / w[domain].mean()
    beta = np.zeros(X.shape[1])
    for _ in range(50):
        mu = 1 / (1 + np.exp(-(X @ beta)))
        information = (X * (w * mu * (1 - mu))[:, None]).T @ X
        step = np.linalg.solve(information, X.T @ (w * (y - mu)))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    else:
        raise AnalysisError("Die logistische Regression der Treiberanalyse konvergiert nicht.")
    mu = 1 / (1 + np.exp(-(X @ beta)))
    information = (X * (design.weights * domain * mu * (1 - mu))[:, None]).T @ X
    influence = np.linalg.solve(information, (X * np.where(domain, y - mu, 0.0)[:, None]).T).T
    return beta, design.covariance(influence)


def _pct(value: float) -> str:
    return f"{value * 100:+.1f}".replace(".", ",")


def analyse_drivers(
    data: pd.DataFrame, design: DesignInfo, outcome: np.ndarray, terms: Sequence[Term],
    outcome_id: str = "unsicher_nachts", outcome_label: str = "nachts unsicher",
) -> DriverAnalysis:
    """Fit the model and derive odds ratios, AMEs and the ranking of terms."""
    n = len(data)
    X, names, complete = _design_matrix(data, terms, n)
    y = np.nan_to_num(np.asarray(outcome, dtype=float))
    domain = complete & np.isfinite(np.asarray(outcome, dtype=float))
    if domain.sum() <= X.shape[1] + 10:
        raise AnalysisError("Für die Treiberanalyse gibt es zu wenige vollständige Antworten.")
    keep = X[domain].std(axis=0) > 0
    keep[0] = True
    X, names = X[:, keep], [name for name, k in zip(names, keep) if k]
    beta, cov = _fit(design, y, X, domain)
    se = np.sqrt(np.diag(cov))
    df = design.degf + 1 - X.shape[1]
    q = t_quantile(df)
    coefficients = []
    for j, (term, name, label, _) in enumerate(names):
        p = float(2 * stats.t.sf(abs(beta[j] / se[j]), df))
        is_term = j > 0
        coefficients.append(Coefficient(
            term=term, name=name, label=label, coef=float(beta[j]), se=float(se[j]),
            odds_ratio=float(math.exp(beta[j])) if is_term else None,
            or_ci_low=float(math.exp(beta[j] - q * se[j])) if is_term else None,
            or_ci_high=float(math.exp(beta[j] + q * se[j])) if is_term else None, p_value=p,
        ))
    weights = np.where(domain, design.weights, 0.0)
    weights = weights / weights.sum()
    effects: list[MarginalEffect] = []
    tests: list[TermTest] = []
    for term in terms:
        columns = [j for j, entry in enumerate(names) if entry[0] == term.variable]
        if not columns:
            continue
        term_effects = []
        for j in columns:
            if term.kind == "numeric":
                mu = 1 / (1 + np.exp(-(X @ beta)))
                slope = mu * (1 - mu)
                ame = float(weights @ (beta[j] * slope))
                gradient = (weights * beta[j] * slope * (1 - 2 * mu)) @ X
                gradient[j] += float(weights @ slope)
            else:
                high, low = X.copy(), X.copy()
                high[:, columns], low[:, columns] = 0.0, 0.0
                high[:, j] = 1.0
                mu_high, mu_low = 1 / (1 + np.exp(-(high @ beta))), 1 / (1 + np.exp(-(low @ beta)))
                ame = float(weights @ (mu_high - mu_low))
                gradient = (weights * mu_high * (1 - mu_high)) @ high - (weights * mu_low * (1 - mu_low)) @ low
            ame_se = float(math.sqrt(max(gradient @ cov @ gradient, 0.0)))
            p = float(2 * stats.t.sf(abs(ame / ame_se), df)) if ame_se > 0 else 1.0
            effect = MarginalEffect(term.variable, names[j][1], names[j][2], ame, ame_se, ame - q * ame_se,
                                    ame + q * ame_se, p)
            effects.append(effect)
            term_effects.append(effect)
        b = beta[columns]
        v = cov[np.ix_(columns, columns)]
        f = float(b @ np.linalg.solve(v, b) / len(columns))
        p_term = float(stats.f.sf(f, len(columns), df))
        strongest = max(term_effects, key=lambda e: abs(e.ame))
        tests.append(TermTest(term.variable, term.label, f, len(columns), df, p_term, abs(strongest.ame), 0,
                              _sentence(term, strongest, p_term)))
    tests.sort(key=lambda t: (t.p_value >= 0.05, -t.max_abs_ame))
    tests = [TermTest(**{**t.__dict__, "rank": rank}) for rank, t in enumerate(tests, start=1)]
    summary = _summary(tests, outcome_label)
    return DriverAnalysis(
        outcome=outcome_id, outcome_label=outcome_label, n=int(domain.sum()), df_residual=df,
        coefficients=tuple(coefficients), marginal_effects=tuple(effects), ranking=tuple(tests),
        summary=summary,
        method=("Design-basierte logistische Regression (wie R svyglm, quasibinomial), vollständige Fälle als "
                "Teilpopulation; durchschnittliche marginale Effekte mit Delta-Methode; Wald-F-Test je Merkmal."),
    )


def _sentence(term: Term, effect: MarginalEffect, p_term: float) -> str:
    what = f"{_pct(effect.ame)} Prozentpunkte"
    ci = f"95-%-KI {_pct(effect.ci_low)} bis {_pct(effect.ci_high)}"
    if term.kind == "binary":
        text = f"{term.label} (ja gegenüber nein): {what} ({ci})"
    elif term.kind == "numeric":
        text = f"{term.label}: je Punkt {term.unit}mehr ändert sich der Anteil der nachts Unsicheren um {what} ({ci})"
    else:
        text = f"{term.label}: »{effect.label}« gegenüber der Vergleichsgruppe {what} ({ci})"
    if p_term >= 0.05:
        text += "; statistisch nicht gesichert"
    return text + "."


def _summary(tests: Sequence[TermTest], outcome_label: str) -> str:
    significant = [t for t in tests if t.p_value < 0.05]
    if not significant:
        return (f"Keines der Merkmale hängt statistisch gesichert mit »{outcome_label}« zusammen, wenn die "
                "übrigen berücksichtigt werden.")
    names = ", ".join(t.label for t in significant)
    return (f"Am stärksten hängen mit »{outcome_label}« zusammen (bei gleichzeitiger Berücksichtigung aller "
            f"Merkmale, nach Größe des Effekts): {names}.")
