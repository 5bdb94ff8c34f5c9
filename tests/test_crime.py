"""analysis.crime: every figure against an independent computation (rtol 1e-6); each test says how."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose
from scipy import optimize, stats
from statsmodels.stats.rates import confint_poisson

from analysis.crime.dunkelfeld import (
    SurveyShare,
    compare_offence,
    perceived_vs_registered,
)
from analysis.crime.flags import choose_total_key, series_effect_flags, series_flags
from analysis.crime.frames import (
    OffenceSeries,
    clearance,
    compare_with_reference,
    offence_rate,
    offence_series,
    offence_structure,
    series_all_flags,
    series_pooled,
    series_trend,
)
from analysis.crime.keys import (
    FIELDS_OF_ACTION,
    GROUPS_BY_ID,
    SURVEY_OFFENCE_KEYS,
    count_for_patterns,
)
from analysis.crime.rates import aufklaerungsquote, haeufigkeitszahl, rate_ratio
from analysis.crime.trend import crime_trend
from analysis.errors import AnalysisError
from survey.pks import read_pks
from survey.wording.crime import (
    FIELD_LABELS,
    FIELD_NOTES,
    OFFENCE_LABELS,
    caveat_text,
    series_flag_text,
)

RTOL = 1e-6
GOOD = Path(__file__).parent / "data" / "pks" / "pks_musterstadt.csv"


@pytest.fixture(scope="module")
def pks() -> pd.DataFrame:
    return read_pks(GOOD).frame


# --- Garwood / HZ -------------------------------------------------------------------------------

@pytest.mark.parametrize("k,population", [(0, 3336), (1, 3336), (9, 1508), (37, 12345), (931, 14481),
                                          (19158, 246011)])
def test_garwood_against_chi2_quantiles_and_poisson_tail_inversion(k, population):
    hz = haeufigkeitszahl(k, population)
    # (1) chi-square quantiles written out here: L = chi2(a/2; 2k)/2, U = chi2(1-a/2; 2k+2)/2, per 100,000
    scale = 100000 / population
    low = 0.0 if k == 0 else stats.chi2.ppf(0.025, 2 * k) / 2 * scale
    high = stats.chi2.ppf(0.975, 2 * k + 2) / 2 * scale
    assert_allclose([hz.ci_low, hz.ci_high], [low, high], rtol=RTOL)
    # (2) exact tail inversion by root finding: P(X >= k | L) = a/2 and P(X <= k | U) = a/2
    upper_mean = optimize.brentq(lambda m: stats.poisson.cdf(k, m) - 0.025, 1e-9, 10 * k + 20, xtol=1e-14)
    assert_allclose(hz.ci_high, upper_mean * scale, rtol=RTOL)
    if k > 0:
        lower_mean = optimize.brentq(lambda m: stats.poisson.sf(k - 1, m) - 0.025, 1e-12, k, xtol=1e-14)
        assert_allclose(hz.ci_low, lower_mean * scale, rtol=RTOL)
    # (3) statsmodels' exact-c interval
    assert_allclose([hz.ci_low, hz.ci_high], confint_poisson(k, population / 100000, method="exact-c"),
                    rtol=RTOL, atol=1e-12)
    assert_allclose(hz.rate, k * 100000 / population, rtol=RTOL)


def test_garwood_documented_example_and_small_count_flag():
    # research/software.md §5.3: x = 37, E = 12 345 → HZ 299.7, CI 211.0–413.1
    hz = haeufigkeitszahl(37, 12345)
    assert (round(hz.rate, 1), round(hz.ci_low, 1), round(hz.ci_high, 1)) == (299.7, 211.0, 413.1)
    assert hz.flag is None
    assert haeufigkeitszahl(19, 3336).flag == "kleine Fallzahl"
    assert haeufigkeitszahl(20, 3336).flag is None
    with pytest.raises(AnalysisError, match="Die Einwohnerzahl muss größer als 0 sein"):
        haeufigkeitszahl(3, 0)
    with pytest.raises(AnalysisError, match="ganze Zahl ≥ 0"):
        haeufigkeitszahl(-1, 100)


# --- Aufklärungsquote ---------------------------------------------------------------------------

@pytest.mark.parametrize("n,x", [(11822, 7030), (19158, 14707), (10, 0), (10, 10), (7, 3)])
def test_aq_against_binomtest_exact_and_beta(n, x):
    aq = aufklaerungsquote(n, x)
    # scipy's binomtest Clopper-Pearson interval
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=0.95, method="exact")
    assert_allclose([aq.ci_low, aq.ci_high], [ci.low, ci.high], rtol=RTOL, atol=1e-12)
    # Clopper-Pearson written with the beta distribution
    low = 0.0 if x == 0 else stats.beta.ppf(0.025, x, n - x + 1)
    high = 1.0 if x == n else stats.beta.ppf(0.975, x + 1, n - x)
    assert_allclose([aq.ci_low, aq.ci_high], [low, high], rtol=RTOL, atol=1e-12)
    assert_allclose(aq.percent, 100 * x / n, rtol=RTOL)


def test_aq_above_100_percent_is_refused():
    with pytest.raises(AnalysisError, match=r"Mehr aufgeklärte \(5\) als erfasste Fälle \(4\)"):
        aufklaerungsquote(4, 5)


# --- Rate ratio ---------------------------------------------------------------------------------

@pytest.mark.parametrize("k1,e1,k2,e2", [(30, 10000, 500, 200000), (0, 3336, 420, 246011), (880, 13790, 15285, 232221),
                                         (5, 1000, 0, 5000)])
def test_rate_ratio_against_binomtest_transformation(k1, e1, k2, e2):
    rr = rate_ratio(k1, e1, k2, e2)
    ci = stats.binomtest(k1, k1 + k2).proportion_ci(confidence_level=0.95, method="exact")

    def to_ratio(pi):
        return math.inf if pi >= 1 else pi * e2 / ((1 - pi) * e1)

    assert_allclose([rr.ci_low, rr.ci_high], [to_ratio(ci.low), to_ratio(ci.high)], rtol=RTOL, atol=1e-12)
    expected = math.inf if k2 == 0 else (k1 / e1) / (k2 / e2)
    assert rr.ratio == pytest.approx(expected, rel=RTOL)


def test_compare_with_reference_uses_rest_of_landkreis(pks):
    rr = compare_with_reference(pks, "14599001", "14628", 2023, "------")
    frame = pks.set_index(["gebiet", "jahr", "schluessel"])
    k1, e1 = frame.loc[("14599001", 2023, "------"), ["faelle", "einwohner"]]
    k_lk, e_lk = frame.loc[("14628", 2023, "------"), ["faelle", "einwohner"]]
    # reference = Landkreis minus commune (computed here from the file)
    assert (rr.reference_cases, rr.reference_population) == (k_lk - k1, e_lk - e1)
    ci = stats.binomtest(int(k1), int(k_lk)).proportion_ci(method="exact")
    rest_e = e_lk - e1
    assert_allclose([rr.ci_low, rr.ci_high],
                    [ci.low * rest_e / ((1 - ci.low) * e1), ci.high * rest_e / ((1 - ci.high) * e1)], rtol=RTOL)
    whole = compare_with_reference(pks, "14599001", "14628", 2023, "------", contains_area=False)
    assert whole.reference_cases == k_lk
    with pytest.raises(AnalysisError, match="liegt die Kommune wirklich darin"):
        compare_with_reference(pks, "14628", "14599001", 2023, "------")


# --- Trend --------------------------------------------------------------------------------------

def test_trend_against_statsmodels_formula_api(pks):
    series = offence_series(pks, "14599001", "------")
    trend = series_trend(series)
    data = pd.DataFrame({"cases": series.cases, "year": series.years, "pop": series.population})
    quasi = smf.glm("cases ~ year", data=data, family=sm.families.Poisson(),
                    offset=np.log(data["pop"])).fit(scale="X2", use_t=True)
    estimated = quasi.pearson_chi2 / quasi.df_resid
    # dispersion floored at 1: statsmodels with the scale fixed at max(1, X²/df), t with n - 2 df
    fit = smf.glm("cases ~ year", data=data, family=sm.families.Poisson(),
                  offset=np.log(data["pop"])).fit(scale=max(1.0, estimated), use_t=True)
    low, high = fit.conf_int(alpha=0.05).loc["year"]
    assert_allclose([trend.rate_ratio, trend.ci_low, trend.ci_high],
                    np.exp([fit.params["year"], low, high]), rtol=RTOL)
    assert_allclose(trend.p_value, fit.pvalues["year"], rtol=RTOL)
    assert_allclose(trend.dispersion_estimated, estimated, rtol=RTOL)
    assert trend.dispersion == max(1.0, trend.dispersion_estimated)
    assert trend.df_resid == 3 and trend.method == "quasi-poisson"


def test_trend_dispersion_is_floored_at_one():
    years, population = list(range(2015, 2025)), [10000.0] * 10
    # under-dispersed counts (X²/8 well below 1): the interval is Poisson's, never narrower
    calm = [500, 490, 481, 470, 462, 452, 445, 436, 427, 419]
    trend = crime_trend(years, calm, population)
    assert trend.dispersion_estimated < 0.2 and trend.dispersion == 1.0
    data = pd.DataFrame({"cases": calm, "year": years, "pop": population})
    poisson = smf.glm("cases ~ year", data=data, family=sm.families.Poisson(),
                      offset=np.log(data["pop"])).fit(scale=1.0, use_t=True)
    low, high = poisson.conf_int(alpha=0.05).loc["year"]
    assert_allclose([trend.ci_low, trend.ci_high], np.exp([low, high]), rtol=RTOL)
    # over-dispersed counts: the quasi-Poisson interval (R glm quasipoisson) is used unchanged
    noisy = [500, 560, 430, 520, 380, 470, 400, 350, 460, 330]
    trend = crime_trend(years, noisy, population)
    data["cases"] = noisy
    quasi = smf.glm("cases ~ year", data=data, family=sm.families.Poisson(),
                    offset=np.log(data["pop"])).fit(scale="X2", use_t=True)
    assert trend.dispersion > 1 and trend.dispersion == pytest.approx(quasi.scale, rel=RTOL)
    low, high = quasi.conf_int(alpha=0.05).loc["year"]
    assert_allclose([trend.ci_low, trend.ci_high], np.exp([low, high]), rtol=RTOL)


def test_trend_two_years_closed_form():
    trend = crime_trend([2022, 2023], [857, 880], [13888, 13790])
    # hand computed: log RR = log(880/13790) - log(857/13888), se = sqrt(1/857 + 1/880), normal 1.959964
    log_rr = math.log(880 / 13790) - math.log(857 / 13888)
    se = math.sqrt(1 / 857 + 1 / 880)
    assert_allclose([trend.rate_ratio, trend.ci_low, trend.ci_high],
                    [math.exp(log_rr), math.exp(log_rr - 1.959963984540054 * se),
                     math.exp(log_rr + 1.959963984540054 * se)], rtol=RTOL)
    assert trend.method == "poisson-zwei-jahre"


def test_trend_refuses_bad_input():
    with pytest.raises(AnalysisError, match="mindestens zwei Jahre"):
        crime_trend([2023], [3], [100])
    with pytest.raises(AnalysisError, match="doppelt"):
        crime_trend([2023, 2023, 2024], [3, 4, 5], [100, 100, 100])


# --- Multi-year average -------------------------------------------------------------------------

def test_pooled_rate_garwood_on_summed_counts(pks):
    series = offence_series(pks, "14599001", "435*00")
    pooled = series_pooled(series, last=3)
    k = sum(series.cases[-3:])
    e = sum(series.population[-3:])
    assert pooled.total_cases == k
    assert_allclose(pooled.rate, k * 1e5 / e, rtol=RTOL)
    assert_allclose([pooled.ci_low, pooled.ci_high],
                    [stats.chi2.ppf(0.025, 2 * k) / 2 * 1e5 / e, stats.chi2.ppf(0.975, 2 * k + 2) / 2 * 1e5 / e],
                    rtol=RTOL)
    assert_allclose([pooled.mean_cases_ci_low, pooled.mean_cases_ci_high],
                    [stats.chi2.ppf(0.025, 2 * k) / 6, stats.chi2.ppf(0.975, 2 * k + 2) / 6], rtol=RTOL)
    assert pooled.years == series.years[-3:]
    assert pooled.flag == ("kleine Fallzahl" if k < 20 else None)
    with pytest.raises(AnalysisError, match="Für einen 6-Jahres-Durchschnitt liegen nur 5 Jahre vor."):
        series_pooled(series, last=6)


# --- Flags --------------------------------------------------------------------------------------

def test_series_flags():
    codes = [(f.code, f.year) for f in series_flags(range(2011, 2025), "730000")]
    assert codes == [("bevoelkerungsbasis-2013", 2013), ("bevoelkerungsbasis-2024", 2024),
                     ("cannabis-2024", 2024), ("corona", 2020)]
    corona = [series_flag_text(f) for f in series_flags(range(2011, 2025)) if f.code == "corona"]
    assert corona == ["Corona-Pandemie: 2020 und 2021 waren von Ausgangs- und Kontaktbeschränkungen geprägt; "
                      "die Fallzahlen sind mit anderen Jahren nur eingeschränkt vergleichbar."]
    assert series_flags([2021, 2022])[0].years == (2021,)
    assert series_flag_text(series_flags([2021, 2022])[0]).startswith("Corona-Pandemie: 2021 war von")
    assert [f.code for f in series_flags([2016, 2017, 2018], "674000")] == []
    assert [f.code for f in series_flags([2023, 2024], "674000")] == ["bevoelkerungsbasis-2024"]
    assert [f.code for f in series_flags([2022, 2023, 2024], "------")] == ["bevoelkerungsbasis-2024",
                                                                                 "cannabis-2024"]
    message = series_flag_text(series_flags([2012, 2013])[0])
    assert message.startswith("Bevölkerungsbasis 2013: Ab 2013 beruhen die Einwohnerzahlen auf dem Zensus 2011")


def test_border_rule_uses_890000_for_sso_2023():
    # LK Sächsische Schweiz-Osterzgebirge 2023 (domain.md §5.2): 19,158 cases, 8,737 ausländerrechtlich
    choice = choose_total_key({"------": 19158, "890000": 10421, "725000": 8737}, 2023)
    assert choice.key == "890000" and choice.total_cases == 10421
    assert_allclose(choice.immigration_share, 8737 / 19158, rtol=RTOL)
    assert choice.flag.code == "grenzgebiet" and "45,6 %" in series_flag_text(choice.flag)
    low = choose_total_key({"------": 1000, "890000": 960, "725000": 40})
    assert low.key == "------" and low.flag is None
    derived = choose_total_key({"------": 1000, "890000": 900})
    assert derived.key == "890000" and derived.immigration_share == pytest.approx(0.1)


def _studentised_deletion_residual(years, cases, population, i):
    """Independent computation with statsmodels: trend of the other years, prediction for year i."""
    keep = [j for j in range(len(years)) if j != i]
    data = pd.DataFrame({"cases": [cases[j] for j in keep], "t": [years[j] - years[keep[0]] for j in keep],
                         "pop": [population[j] for j in keep]})
    fit = smf.glm("cases ~ t", data=data, family=sm.families.Poisson(), offset=np.log(data["pop"])).fit()
    phi = max(1.0, fit.pearson_chi2 / fit.df_resid) if fit.df_resid > 0 else 1.0
    x = np.array([1.0, years[i] - years[keep[0]]])
    mu = population[i] * math.exp(x @ fit.params.to_numpy())
    var_mu = mu**2 * phi * (x @ fit.cov_params().to_numpy() @ x)
    return (cases[i] - mu) / math.sqrt(phi * mu + var_mu), mu, phi


def test_series_effect_flag_meerane_like():
    years, cases, population = [2016, 2017, 2018, 2019], [850, 861, 1031, 880], [14500] * 4
    flags = series_effect_flags(years, cases, population)
    assert [(f.code, f.year) for f in flags] == [("serieneffekt", 2018)]
    residual, mu, phi = _studentised_deletion_residual(years, cases, population, 2)
    assert residual > 3
    local = (1031 - (861 + 880) / 2) / math.sqrt(phi * (861 + 880) / 2 * 1.5)
    assert local > 3
    assert (flags[0].cases, round(flags[0].expected)) == (1031, round(mu))
    assert f"1.031 statt nach dem Verlauf der übrigen Jahre erwartet etwa {round(mu)}" in series_flag_text(flags[0])
    assert series_effect_flags([2016, 2017], [850, 2000], [14500] * 2) == ()


def test_steady_decline_is_no_series_effect():
    """The issue's case: a series that declines steadily (the old median rule flagged its first years)."""
    years = list(range(2015, 2025))
    population = [38000.0 - 150 * i for i in range(10)]
    cases = [4100, 3890, 3712, 3540, 3318, 3189, 3002, 2861, 2700, 2585]
    assert series_effect_flags(years, cases, population) == ()
    for i in range(10):  # independent check: no year's deletion residual comes near 3
        assert _studentised_deletion_residual(years, cases, population, i)[0] < 3


def test_one_real_spike_is_flagged_and_only_that_year():
    years = list(range(2015, 2025))
    population = [14000.0] * 10
    cases = [116, 91, 87, 174, 83, 76, 56, 81, 77, 85]  # Sachbeschädigung with one series in 2018
    flags = series_effect_flags(years, cases, population)
    assert [(f.code, f.year) for f in flags] == [("serieneffekt", 2018)]
    assert _studentised_deletion_residual(years, cases, population, 3)[0] > 3


def test_turning_trend_and_small_counts_are_not_flagged():
    years = list(range(2015, 2025))
    # decline, then a gradual rise: the last year lies above the straight trend of the others but not
    # far above its neighbour, so it is no series (like Wohnungseinbruch in a sample commune)
    turning = [131, 104, 92, 94, 71, 54, 44, 52, 60, 70]
    assert _studentised_deletion_residual(years, turning, [120000.0] * 10, 9)[0] > 3
    assert series_effect_flags(years, turning, [120000.0] * 10) == ()
    # a jump from 2 to 15 cases: fewer than 20 cases are never flagged (the small-count rule applies)
    assert series_effect_flags(years, [2, 3, 2, 15, 3, 2, 1, 2, 3, 2], [900.0] * 10) == ()


# --- Structure, keys, fields of action ----------------------------------------------------------

def test_offence_structure_shares(pks):
    structure = offence_structure(pks, "14599001", 2023)
    rows = pks.loc[(pks.gebiet == "14599001") & (pks.jahr == 2023)].set_index("schluessel")["faelle"]
    assert structure.total.key == "------"  # 725000 share below 5 %
    assert structure.total.total_cases == rows["------"]
    shares = {s.group.id: s for s in structure.shares}
    assert_allclose(shares["wohnungseinbruch"].share, rows["435*00"] / rows["------"], rtol=RTOL)
    assert shares["koerperverletzung_gefaehrlich"].cases == rows["222000"]
    assert set(structure.missing_groups) == {"raub", "kfz_diebstahl", "ladendiebstahl", "strassenkriminalitaet"}


def test_count_prefers_literal_summary_row_then_sums_details():
    frame = pd.DataFrame({"schluessel": ["435*00", "435100", "435200", "***300", "435300", "674300"],
                          "faelle": [10, 6, 4, 7, 3, 99]})
    assert count_for_patterns(frame, ("435*00",)) == 10
    details = frame.loc[frame.schluessel != "435*00"]
    assert count_for_patterns(details, ("435*00",)) == 6 + 4 + 3
    assert count_for_patterns(frame.loc[frame.schluessel != "***300"], ("***300",)) == 3
    with pytest.raises(AnalysisError, match="Der PKS-Schlüssel »510000« kommt in den PKS-Daten nicht vor."):
        count_for_patterns(frame, ("510000",))


def test_clearance_and_rate_from_frame(pks):
    rows = pks.set_index(["gebiet", "jahr", "schluessel"])
    k, cleared, e = rows.loc[("14", 2023, "892000"), ["faelle", "aufgeklaert", "einwohner"]]
    aq = clearance(pks, "14", 2023, "892000")
    hz = offence_rate(pks, "14", 2023, "892000")
    assert (aq.cases, aq.cleared) == (k, cleared)
    assert_allclose(hz.rate, k * 1e5 / e, rtol=RTOL)


def test_fields_of_action_and_their_notes():
    fields = {f.id: f for f in FIELDS_OF_ACTION}
    assert set(fields) == {"sachbeschaedigung", "gewalt", "drogen", "diebstahl_einbruch", "betrug",
                           "vermuellung", "extremismus"}
    for field in fields.values():
        for group in field.offence_groups:
            assert group in GROUPS_BY_ID
    assert set(FIELD_LABELS) == set(fields) and set(OFFENCE_LABELS) >= set(GROUPS_BY_ID)
    assert fields["vermuellung"].offence_groups == () and "Befragung" in FIELD_NOTES["vermuellung"][0]
    assert "nicht Teil der PKS" in FIELD_NOTES["extremismus"][0] and "PMK" in FIELD_NOTES["extremismus"][0]
    assert GROUPS_BY_ID["wohnungseinbruch"].patterns == ("435*00",)


# --- Perceived versus registered ----------------------------------------------------------------

def test_perceived_vs_registered_delta_method():
    victim = {"fahrrad": SurveyShare(0.05, 0.01), "einbruch": SurveyShare(0.01, 0.004)}
    report = {"fahrrad": SurveyShare(0.5, 0.08), "einbruch": SurveyShare(0.9, 0.05)}
    registered = {"fahrrad": (30, 14000.0), "einbruch": (12, 14000.0)}
    results = perceived_vs_registered(victim, report, registered)
    assert [r.offence for r in results] == ["fahrrad", "einbruch"]
    bike = results[0]
    # hand computation: V = p·1e5, A = p·r·1e5, HZ = k·1e5/E, F = V/HZ; log-scale delta method, z = 1.959964
    z = stats.norm.ppf(0.975)
    v, a, hz = 0.05e5, 0.05 * 0.5e5, 30e5 / 14000
    se_f = math.sqrt((0.01 / 0.05) ** 2 + 1 / 30)
    se_a = math.sqrt((0.01 / 0.05) ** 2 + (0.08 / 0.5) ** 2)
    assert_allclose([bike.victims.value, bike.reported.value, bike.registered.value], [v, a, hz], rtol=RTOL)
    assert_allclose([bike.dunkelfeld_factor.value, bike.dunkelfeld_factor.ci_low, bike.dunkelfeld_factor.ci_high],
                    [v / hz, v / hz * math.exp(-z * se_f), v / hz * math.exp(z * se_f)], rtol=RTOL)
    assert_allclose([bike.reported.ci_low, bike.reported.ci_high],
                    [a * math.exp(-z * se_a), a * math.exp(z * se_a)], rtol=RTOL)
    assert_allclose([bike.registered.ci_low, bike.registered.ci_high],
                    confint_poisson(30, 0.14, method="exact-c"), rtol=RTOL)
    assert bike.pks_keys == ("***300",)
    texts = [caveat_text(c) for c in bike.caveats]
    assert any(c.startswith("Bezugszeitraum") for c in texts)
    assert any(c.startswith("Tatortprinzip") for c in texts)
    assert any("ab 16 Jahren" in c for c in texts)
    assert any(c.startswith("Mehrfachopfer") for c in texts)
    assert any(c.startswith("Serientaten") for c in texts)
    assert any(c.startswith("Haushaltsdelikt") for c in texts)
    assert results[1].caveats == bike.caveats  # both household offences, no note on their keys


def test_perceived_vs_registered_delta_method_matches_simulation():
    """Seeded simulation as a plausibility check of the delta-method interval width (rtol 5 %)."""
    rng = np.random.default_rng(1)
    p = rng.normal(0.05, 0.005, 200000)
    k = rng.poisson(300, 200000)
    simulated = np.std(np.log(p * 1e5 / (k * 1e5 / 140000)))
    result = compare_offence("fahrrad", SurveyShare(0.05, 0.005), SurveyShare(0.5, 0.05),
                                   300, 140000.0)
    delta_se = math.log(result.dunkelfeld_factor.ci_high / result.dunkelfeld_factor.value) / stats.norm.ppf(0.975)
    assert delta_se == pytest.approx(simulated, rel=0.05)


def test_survey_offence_keys_and_unknown_offence():
    assert SURVEY_OFFENCE_KEYS["einbruch"].patterns == ("435*00",)
    assert SURVEY_OFFENCE_KEYS["sachbeschaedigung"].patterns == ("674000",)
    assert SURVEY_OFFENCE_KEYS["koerperverletzung"].patterns == ("222000", "224000")
    with pytest.raises(AnalysisError, match="Unbekanntes Delikt »raub«"):
        compare_offence("raub", SurveyShare(0.1, 0.01), SurveyShare(0.1, 0.01), 3, 100.0)


def test_series_all_flags_combines_breaks_and_series_effects():
    series = OffenceSeries("14599001", ("674000",), (2019, 2020, 2021, 2022),
                                 (100, 104, 98, 260), (14000.0, 14000.0, 14000.0, 14000.0))
    # breaks: Corona 2020/21 (one note); series effect: 2022 far above the trend of 2019-2021
    assert _studentised_deletion_residual(series.years, series.cases, series.population, 3)[0] > 3
    assert [(f.code, f.year) for f in series_all_flags(series)] == [("corona", 2020), ("serieneffekt", 2022)]


def test_analysis_crime_modules_do_not_import_survey():
    root = Path(__file__).resolve().parent.parent / "analysis"
    for path in root.glob("crime*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import survey" not in text and "from survey" not in text, path.name
        assert "open(" not in text and "print(" not in text, path.name


def test_poisson_fit_is_statsmodels_glm_bit_for_bit():
    """analysis.crime.poisson_fit replays statsmodels' IRLS: same params, covariance and Pearson X², exactly."""
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.tools import add_constant

    from analysis.crime.poisson_fit import poisson_glm

    rng = np.random.default_rng(13)
    checked = 0
    for _ in range(300):
        n = int(rng.integers(3, 12))
        years = np.arange(n, dtype=float)
        population = rng.uniform(800, 600_000, size=n).round()
        rate = rng.uniform(1e-4, 0.08) * np.exp(rng.normal(0, 0.05) * years)
        cases = rng.poisson(population * rate * rng.gamma(20, 1 / 20, size=n)).astype(float)
        if cases.sum() == 0:
            continue
        x = add_constant(years, has_constant="add")
        ours = poisson_glm(cases, x, np.log(population))
        theirs = GLM(cases, x, family=families.Poisson(), offset=np.log(population)).fit()
        assert np.array_equal(ours.params, np.asarray(theirs.params))
        assert np.array_equal(ours.cov_params, np.asarray(theirs.cov_params()))
        assert ours.pearson_chi2 == float(theirs.pearson_chi2)
        assert ours.df_resid == int(theirs.df_resid) and ours.converged
        checked += 1
    assert checked > 250
