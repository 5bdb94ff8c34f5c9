"""Specifications of the fictional sample communes (all in the fictional "Landkreis Musterland", 14599).

A :class:`CommuneSpec` describes one survey wave of one commune: its Ortsteile, the register sample, the
response rate, the file formats it ships and the parameters of its crime statistics. ``generate.py``
turns a spec into an analysis folder. Tests and benchmarks may build their own specs (e.g. with
:func:`dataclasses.replace`) to get synthetic communes of any size.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

LAND_AGS = "14"
LANDKREIS_AGS = "14599000"
LANDKREIS_NAME = "Landkreis Musterland (fiktiv)"
SACHSEN_NAME = "Sachsen"
AGE_GROUPS = ("16-29", "30-44", "45-59", "60-74", "75+")

# Share of the population 16+ by age group, Saxon-like (old); 'old' communes shift weight to 60+.
BASE_AGE_SHARES = (0.150, 0.215, 0.225, 0.240, 0.170)
# Share of women within each age group (East German pattern: fewer young women, many old women).
FEMALE_SHARES = (0.470, 0.480, 0.495, 0.520, 0.600)
SHARE_16PLUS = 0.865  # share of the total population aged 16 or older


@dataclass(frozen=True)
class OrtsteilSpec:
    """One Ortsteil (stratum of the register sample).

    ``share``: share of the commune's population; ``age_shift``: + older / - younger than the commune;
    ``disorder``: perceived incivilities (e.g. "Am Bahnhof" high); ``response``: response propensity shift.
    """

    code: int
    name: str
    share: float
    age_shift: float = 0.0
    disorder: float = 0.0
    response: float = 0.0


@dataclass(frozen=True)
class CommuneSpec:
    """One commune and survey wave. ``seed`` makes the survey reproducible; PKS uses ``pks_seed``."""

    slug: str
    kommune: str
    ags: str
    einwohner: int                   # total population (all ages) at the end of the year before the survey
    ortsteile: tuple[OrtsteilSpec, ...]
    brutto: int                      # letters sent; 0 = whole population 16+ (full census)
    response_rate: float
    seed: int
    jahr: int = 2025
    paper_format: str = "csv"        # "csv" (UTF-8, ','), "cp1252" (Windows-1252, ';'), "xlsx"
    age_profile: float = 0.0         # + older population than Saxony on average
    fear_shift: float = 0.0          # commune-level shift of the insecurity factor
    disorder_shift: float = 0.0      # commune-level shift of perceived incivilities
    grenzen: tuple[float, float] | None = None
    perturb_population: bool = False  # Zensus-like cell perturbation of population.csv
    # crime statistics (expected Häufigkeitszahlen per 100,000, year 2019 level)
    hz_allgemein: float = 5000.0     # key 890000
    hz_aufenthg: float = 150.0       # key 725000
    border: bool = False             # unauthorised entries recorded here (high 725000 share)
    pks_seed: int = 0
    series_year: int | None = None   # one year with a Sachbeschädigung series (+ many cases)

    @property
    def folder_name(self) -> str:
        return self.slug

    @property
    def census(self) -> bool:
        """A tiny commune writes to its whole population 16+ instead of drawing a sample."""
        return self.brutto == 0

    def wave(self, jahr: int, *, seed: int, fear_shift: float = -0.15, slug: str | None = None) -> "CommuneSpec":
        """A later survey wave of the same commune (same Ortsteile and PKS series, new respondents)."""
        return replace(
            self,
            slug=slug or f"{self.slug}-{jahr}",
            jahr=jahr,
            seed=seed,
            fear_shift=self.fear_shift + fear_shift,
            einwohner=int(round(self.einwohner * (1 - 0.006) ** (jahr - self.jahr))),
        )


QUELLENTHAL = CommuneSpec(
    slug="quellenthal",
    kommune="Quellenthal",
    ags="14599010",
    einwohner=912,
    ortsteile=(
        OrtsteilSpec(1, "Quellenthal", 0.72),
        OrtsteilSpec(2, "Niederquell", 0.28, age_shift=0.3, response=0.1),
    ),
    brutto=0,
    response_rate=0.39,
    seed=2025010,
    age_profile=0.35,
    fear_shift=-0.35,
    disorder_shift=-0.5,
    hz_allgemein=2300.0,
    hz_aufenthg=20.0,
    pks_seed=10,
)

GRENZBACH = CommuneSpec(
    slug="grenzbach",
    kommune="Grenzbach",
    ags="14599020",
    einwohner=3384,
    ortsteile=(
        OrtsteilSpec(1, "Grenzbach", 0.58),
        OrtsteilSpec(2, "Oberau", 0.24, age_shift=0.2),
        OrtsteilSpec(3, "Zollhaus", 0.18, disorder=0.35, response=-0.1),
    ),
    brutto=1000,
    response_rate=0.33,
    seed=2025020,
    paper_format="cp1252",
    age_profile=0.3,
    fear_shift=0.25,
    disorder_shift=-0.1,
    perturb_population=True,
    hz_allgemein=3100.0,
    hz_aufenthg=6000.0,
    border=True,
    pks_seed=20,
)

WENDELSTADT = CommuneSpec(
    slug="wendelstadt",
    kommune="Wendelstadt",
    ags="14599030",
    einwohner=13912,
    ortsteile=(
        OrtsteilSpec(1, "Altstadt", 0.41, age_shift=0.1),
        OrtsteilSpec(2, "Am Bahnhof", 0.17, age_shift=-0.2, disorder=0.9, response=-0.25),
        OrtsteilSpec(3, "Kieselgrund", 0.30, age_shift=0.35),
        OrtsteilSpec(4, "Weinberg", 0.12, age_shift=-0.1, disorder=-0.4, response=0.15),
    ),
    brutto=1000,
    response_rate=0.36,
    seed=2025030,
    age_profile=0.15,
    perturb_population=True,
    grenzen=(0.4, 2.2),
    hz_allgemein=5400.0,
    hz_aufenthg=60.0,
    pks_seed=30,
    series_year=2018,
)

EICHENSTEDT = CommuneSpec(
    slug="eichenstedt",
    kommune="Eichenstedt",
    ags="14599040",
    einwohner=38644,
    ortsteile=(
        OrtsteilSpec(1, "Stadtmitte", 0.30),
        OrtsteilSpec(2, "Am Bahnhof", 0.14, age_shift=-0.2, disorder=1.0, response=-0.3),
        OrtsteilSpec(3, "Oststadt", 0.27, age_shift=0.45, disorder=0.35),
        OrtsteilSpec(4, "Buchwald", 0.19, age_shift=-0.15, disorder=-0.45, response=0.2),
        OrtsteilSpec(5, "Rödelsdorf", 0.10, age_shift=0.2, disorder=-0.6, response=0.1),
    ),
    brutto=1100,
    response_rate=0.34,
    seed=2025040,
    age_profile=0.05,
    fear_shift=0.1,
    hz_allgemein=6100.0,
    hz_aufenthg=90.0,
    pks_seed=40,
)

AUENSTADT = CommuneSpec(
    slug="auenstadt",
    kommune="Auenstadt",
    ags="14599050",
    einwohner=119786,
    ortsteile=(
        OrtsteilSpec(1, "Innenstadt", 0.21, age_shift=-0.35, disorder=0.45),
        OrtsteilSpec(2, "Am Bahnhof", 0.11, age_shift=-0.3, disorder=1.1, response=-0.35),
        OrtsteilSpec(3, "Südvorstadt", 0.19, age_shift=-0.1, disorder=0.15),
        OrtsteilSpec(4, "Nordpark", 0.22, age_shift=0.5, disorder=0.4, response=-0.05),
        OrtsteilSpec(5, "Auenwald", 0.16, age_shift=0.1, disorder=-0.55, response=0.25),
        OrtsteilSpec(6, "Neuhöfen", 0.11, age_shift=0.15, disorder=-0.7, response=0.2),
    ),
    brutto=1200,
    response_rate=0.31,
    seed=2025050,
    paper_format="xlsx",
    age_profile=-0.25,
    fear_shift=0.15,
    disorder_shift=0.2,
    hz_allgemein=7600.0,
    hz_aufenthg=180.0,
    pks_seed=50,
)

#: The five standard communes (survey year 2025), smallest first.
COMMUNES: tuple[CommuneSpec, ...] = (QUELLENTHAL, GRENZBACH, WENDELSTADT, EICHENSTEDT, AUENSTADT)

#: Second waves (2027) for two communes, with a small improvement in safety feelings.
WAVES: tuple[CommuneSpec, ...] = (
    WENDELSTADT.wave(2027, seed=2027030),
    AUENSTADT.wave(2027, seed=2027050),
)

ALL_SPECS: tuple[CommuneSpec, ...] = COMMUNES + WAVES


def spec_by_slug(slug: str) -> CommuneSpec:
    for spec in ALL_SPECS:
        if spec.slug == slug:
            return spec
    raise KeyError(slug)
