"""PKS statistics on the long frame of DESIGN.md §3 (pure: frames in, frozen dataclasses out).

The frame has the columns of the PKS long table (DESIGN.md §3): ``gebiet`` (AGS as string), ``jahr`` (int), ``schluessel``
(6-character key as string), ``faelle``, ``aufgeklaert`` (may be missing), ``einwohner``; ``survey.pks``
reads and validates files into exactly this shape. Modules:

- :mod:`analysis.crime.rates`: HZ with Garwood interval, AQ with Clopper-Pearson, rate ratio with exact
  conditional interval, multi-year averages, the small-count rule;
- :mod:`analysis.crime.trend`: quasi-Poisson trend;
- :mod:`analysis.crime.flags`: breaks (Zensus bases, cannabis law, Corona), border rule, series effects;
- :mod:`analysis.crime.keys`: key wildcards, offence groups, fields of action, survey-offence keys;
- :mod:`analysis.crime.dunkelfeld`: perceived versus registered crime;
- :mod:`analysis.crime.frames`: the same statistics read from the long frame (one area, year and key
  selection: counts, rates, series, trends, structure, comparison with a reference area).

Reference areas: the commune is part of its Landkreis and of the Land. Rate ratios therefore compare
the commune with the *rest* of the reference area (reference minus commune, cases and population), so
that the two counts are independent as the conditional binomial interval requires
(:func:`compare_with_reference`, ``contains_area=True``).
"""
