"""Problem associations as findings (kind association, one Holm family over the problems), by hand."""

from __future__ import annotations

import pytest

from analysis.profile.problems import ProblemAssociation, ProblemRank, problem_findings


def _problem(indicator, difference, se, p, n_with=120, flag="ok"):
    association = ProblemAssociation(0.35 + difference, 0.35, n_with, 240, difference, se, difference - 2 * se,
                                     difference + 2 * se, p, flag, None)
    return ProblemRank(indicator, indicator, None, association, 1, 1)


def test_problem_findings_holm_by_hand():
    problems = [_problem("problem_gross_muell", 0.20, 0.05, 0.0001), _problem("problem_gross_laerm", 0.03, 0.02, 0.03),
                _problem("problem_gross_verkehr", 0.08, 0.04, 0.02),
                ProblemRank("problem_gross_drogen", "d", None,
                            ProblemAssociation(None, None, 5, 300, None, None, None, None, None, "unterdrueckt", "x"),
                            None, None)]
    muell, laerm, verkehr, drogen = problem_findings(problems)
    # Holm over the three tested: sorted p 0.0001, 0.02, 0.03 -> x3, x2, x1 (monotone): 0.0003, 0.04, 0.04
    assert muell.p_adjusted == pytest.approx(0.0003)
    assert verkehr.p_adjusted == pytest.approx(0.04)
    assert laerm.p_adjusted == pytest.approx(0.04)
    assert (muell.strength.value, muell.direction.value) == ("strong", "higher")  # 20 Pp., p_adj < 0.001
    assert verkehr.strength.value == "clear"  # 8 Pp. >= 5 Pp. relevant
    assert laerm.strength.value == "weak"  # significant, 3 Pp. < 5 Pp.
    assert (drogen.note, drogen.test, drogen.strength.value) == ("suppressed", None, "none")
    assert {f.family for f in (muell, laerm, verkehr, drogen)} == {"association:unsicher_nachts:problems"}
    assert muell.family_size == 3 and muell.test.statistic == pytest.approx(4.0)
    assert [e.value for e in muell.estimates] == [pytest.approx(0.55), pytest.approx(0.35)]
