"""The distribution of the *other* communes without any single commune's value (``--nur-verteilung``).

The other communes' values are published in their own reports, so a sheet that shows one of them can
be matched to that commune. Order statistics are single values (the minimum, the maximum, the median
of an odd number), and with few communes quartiles are too. Rule used here, after the minimum
frequency rule of official statistics (no published figure from fewer than three contributors):

* Every statistic shown is the **mean of at least** :data:`MIN_CONTRIBUTORS` (3) ordered values
  (a *band*), and the bands of one distribution never share a commune, so that no difference of two
  statistics isolates a single value either.
* Bands, in order of priority: the *middle* (the central 3 values, 4 when their number is even, around
  the median), the *lowest* and *highest* 3 values (instead of the minimum and maximum), the 3 values
  nearest the lower and upper *quartile* positions (``0.25 (m - 1)``, ``0.75 (m - 1)``, ties towards
  the centre). A band is shown only if it does not overlap a band already shown. With ``m`` other
  communes this gives: middle from 3, lowest/highest from 9, quartiles from 15 (:data:`MINIMUM_OTHERS`).
* Aggregates that also contain the own commune (the overall value) need the same three other communes
  (:func:`aggregate_shown`).

How the figures are printed is the report's business; the commune sheets print them one digit coarser
than a commune's own values (whole percent, one decimal for indices), so that a band mean never looks
like a commune's published value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

MIN_CONTRIBUTORS = 3


class Band(str, Enum):
    MIDDLE = "middle"
    LOWEST = "lowest"
    HIGHEST = "highest"
    LOWER_QUARTILE = "lower_quartile"
    UPPER_QUARTILE = "upper_quartile"


PRIORITY = (Band.MIDDLE, Band.LOWEST, Band.HIGHEST, Band.LOWER_QUARTILE, Band.UPPER_QUARTILE)
MINIMUM_OTHERS = {Band.MIDDLE: 3, Band.LOWEST: 9, Band.HIGHEST: 9, Band.LOWER_QUARTILE: 15,
                  Band.UPPER_QUARTILE: 15}


class Withheld(str, Enum):
    TOO_FEW = "too_few"  # not enough other communes for a band of its own


@dataclass(frozen=True)
class BandValue:
    band: Band
    value: float | None
    members: int  # communes averaged (0 if withheld for too few)
    withheld: Withheld | None


@dataclass(frozen=True)
class OthersDistribution:
    m: int  # other communes with a usable value
    bands: tuple[BandValue, ...]

    def band(self, band: Band) -> BandValue:
        return next(b for b in self.bands if b.band is band)

    @property
    def shown(self) -> tuple[BandValue, ...]:
        return tuple(b for b in self.bands if b.withheld is None)


def band_indices(band: Band, m: int, group: int = MIN_CONTRIBUTORS) -> tuple[int, ...]:
    """Positions (0-based, in ascending order of value) of the values averaged for ``band``."""
    if band is Band.MIDDLE:
        size = group if (m - group) % 2 == 0 else group + 1
        start = (m - size) // 2
        return tuple(range(start, start + size))
    if band is Band.LOWEST:
        return tuple(range(group))
    if band is Band.HIGHEST:
        return tuple(range(m - group, m))
    position = (0.25 if band is Band.LOWER_QUARTILE else 0.75) * (m - 1)
    centre = (m - 1) / 2
    nearest = sorted(range(m), key=lambda i: (abs(i - position), abs(i - centre)))[:group]
    return tuple(sorted(nearest))


def others_distribution(values: Sequence[float], *, group: int = MIN_CONTRIBUTORS) -> OthersDistribution:
    """Band means of the other communes' ``values`` by the rule of the module docstring."""
    x = np.sort(np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float))
    m = len(x)
    taken: set[int] = set()
    bands = []
    for band in PRIORITY:
        indices = band_indices(band, m, group) if m >= group else ()
        if not indices or taken.intersection(indices):
            bands.append(BandValue(band, None, 0, Withheld.TOO_FEW))
            continue
        taken.update(indices)
        bands.append(BandValue(band, float(np.mean(x[list(indices)])), len(indices), None))
    return OthersDistribution(m, tuple(bands))


def aggregate_shown(contributors: int) -> bool:
    """Whether an aggregate over other communes (e.g. the overall value, which also contains the own
    commune) may be shown when single values must not be: from :data:`MIN_CONTRIBUTORS` other communes."""
    return contributors >= MIN_CONTRIBUTORS
