"""Comparison of communes and waves (Landespräventionsrat view): pure statistics.

Parts:

* :mod:`analysis.comparison.funnel`: Spiegelhalter funnel plots with additive overdispersion by rule
  (arcsine scale for shares; winsorised ``tau²`` only from 20 communes, or fixed from an earlier
  comparison; sampling error alone otherwise; both readings per commune; limits at 95 % and 99,8 %).
* :mod:`analysis.comparison.shrinkage`: Fay-Herriot EBLUP (REML or FH moments) with Prasad-Rao MSE.
* :mod:`analysis.comparison.ranks`: rank intervals and rank classes by simulation (fixed seed).
* :mod:`analysis.comparison.change`: change between waves with Wald test (Holm within a commune).
* :mod:`analysis.comparison.family`: families of tests, adjusted for multiple testing.
* :mod:`analysis.comparison.distribution`: the other communes' distribution without single values.

:mod:`analysis.comparison.indicator`: :func:`~analysis.comparison.indicator.compare_indicator` runs the
three cross-sectional parts for one indicator; :func:`~analysis.comparison.indicator.rank_correlation` gives the Spearman association of two series (perceived vs registered crime).
Inputs are plain sequences keyed by a commune key (e.g. the AGS); ``None`` marks a missing or
suppressed value.
"""
