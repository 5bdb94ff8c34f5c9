"""Header, sample, weighting and methods of the profile."""

from __future__ import annotations

from typing import Optional

from survey.profile.base import Contract, Number
from survey.profile.local import MultipleTesting


class Tool(Contract):
    name: str
    version: str


class Commune(Contract):
    name: str
    ags: str
    landkreis_ags: Optional[str] = None


class Wave(Contract):
    jahr: int
    label: str


class QuestionnaireRef(Contract):
    id: str
    version: str
    core_version: str


class Stratum(Contract):
    code: str
    label: str
    population_16plus: Number
    gross: int
    net: int
    response_rate: Optional[Number] = None


class Sample(Contract):
    gross: Optional[int] = None
    net: int
    response_rate: Optional[Number] = None
    strata: tuple[Stratum, ...] = ()
    modes: dict[str, int] = {}
    languages: Optional[dict[str, Optional[int]]] = None  # answer language -> count (None: below the small-cell rule)


class Margin(Contract):
    variable: str
    category: str
    target: Number
    achieved: Number
    n: Optional[int] = None


class Weighting(Contract):
    method: str
    bounds: Optional[tuple[Number, ...]] = None
    variables: tuple[str, ...] = ()
    converged: bool
    iterations: Optional[int] = None
    max_misfit: Optional[Number] = None
    g_min: Optional[Number] = None
    g_max: Optional[Number] = None
    kish_deff: Optional[Number] = None
    effective_n: Optional[Number] = None
    weights_sum: Optional[Number] = None
    margins: tuple[Margin, ...] = ()
    missing_characteristics: dict[str, int] = {}
    missing_rule: Optional[str] = None
    warnings: tuple[str, ...] = ()


class Suppression(Contract):
    min_n_shown: int
    min_n_reliable: int
    max_ci_width_proportion: Number
    base: Optional[str] = None  # which n the rule applies to (``valid_answers_in_group``)
    min_mentions_named: Optional[int] = None
    min_mentions_reliable: Optional[int] = None


class LonelyStratum(Contract):
    code: str
    label: str
    respondents: int


class LonelyStrata(Contract):
    """The rule of analyse.yaml (``stichprobe.einzelschicht``, German and R name) and the strata with a
    single respondent it concerns."""

    setting: str
    r_option: str
    strata: tuple[LonelyStratum, ...] = ()


class Methods(Contract):
    """Codes of the methods (worded by ``survey.wording.methods``). Fields after ``df`` are ``None`` in
    profiles upgraded from 1.0 files that predate them."""

    variance: str
    ci_method_proportion: str
    ci_method_mean: str
    confidence_level: Number
    df: Number
    df_rule: Optional[str] = None
    degenerate_interval: Optional[str] = None
    suppression: Optional[Suppression] = None
    standardisation: Optional[str] = None
    problem_association: Optional[str] = None
    association_tests: Optional[str] = None
    reliability: Optional[str] = None
    lonely_strata: Optional[LonelyStrata] = None
    multiple_testing: Optional[MultipleTesting] = None
