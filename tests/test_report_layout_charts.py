"""Figure assembly for the layout of issue 13: one figure per block of Likert questions (one panel
per answer scale), captions from the items, residual answers last, legends naming the flag reason,
forest intervals clipped with a marker."""

from __future__ import annotations

import re

from survey.profile.records import ItemDistribution
from survey.report import charts
from survey.report.charts import _common
from survey.report.charts.data import ForestRow, Point, RankItem, Subgroup, SubgroupPanel
from survey.report.lagebericht import figures as figs

NB = "\u00a0"


def _texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)]


def _distribution(item: str, label: str, question: str, scale: list[str], shares: list[float]) -> ItemDistribution:
    categories = [{"code": k + 1, "label": lab, "missing": False, "share": sh, "ci_low": None, "ci_high": None}
                  for k, (lab, sh) in enumerate(zip(scale, shares))]
    categories.append({"code": 9, "label": "weiß nicht", "missing": True, "share": None})
    return ItemDistribution.model_validate(
        {"item": item, "label": label, "question": question, "section": "Polizei und Ordnungsamt", "core": False,
         "categories": categories, "n_total": 360, "n_valid": 350, "flag": "ok"})


TRUST = ["sehr großes Vertrauen", "großes Vertrauen", "wenig Vertrauen", "gar kein Vertrauen"]
WORK = ["sehr gut", "eher gut", "eher schlecht", "sehr schlecht"]
SEEN = ["in der letzten Woche", "im letzten Monat", "vor längerer Zeit", "nie"]


def _police_block() -> list[ItemDistribution]:
    return [
        _distribution("vertrauen_polizei", "Vertrauen Polizei", "Wie sehr vertrauen Sie der Polizei?", TRUST,
                      [0.18, 0.45, 0.27, 0.10]),
        _distribution("polizei_arbeit", "Arbeit Polizei", "Wie gut arbeitet die Polizei?", WORK,
                      [0.17, 0.64, 0.16, 0.03]),
        _distribution("streife", "Streife gesehen", "Wann haben Sie zuletzt eine Streife gesehen?", SEEN,
                      [0.10, 0.25, 0.40, 0.25]),
        _distribution("vertrauen_ordnungsamt", "Vertrauen Ordnungsamt", "Wie sehr vertrauen Sie dem Ordnungsamt?",
                      TRUST, [0.12, 0.40, 0.33, 0.15]),
    ]


def test_single_questions_of_a_block_become_one_figure():
    figures = figs.likert_block_figures("polizei", _police_block(), commune="Eichenstedt")
    assert len(figures) == 1
    texts = _texts(figures[0].chart.svg)
    for label in ("Vertrauen in die Polizei", "Arbeit der örtlichen Polizei", "Vertrauen in das Ordnungsamt"):
        assert label in texts
    for category in TRUST + WORK + SEEN:
        assert category in texts  # every scale keeps its legend
    # one shared percent axis under the last panel
    assert texts.count(f"100{NB}%") == 2 and texts.count(f"50{NB}%") == 2
    separate = sum(charts.likert_chart(*figs._likert_panel(g, "Eichenstedt")).height_cm
                   for g in figs.likert_groups(_police_block()))
    assert figures[0].chart.height_cm < 0.6 * separate
    assert figures[0].caption == ("Antworten in Prozent: Vertrauen in die Polizei, Arbeit der örtlichen Polizei, "
                                  "Streife gesehen und Vertrauen in das Ordnungsamt")
    alt = figures[0].chart.alt_text
    assert "Arbeit der örtlichen Polizei: 19,0" in alt and "Vertrauen in das Ordnungsamt" in alt


def test_caption_of_one_question_and_of_a_grid():
    single = _police_block()[1:2]
    assert figs.likert_caption([single]) == ("Arbeit der örtlichen Polizei: Antworten in Prozent. Frage: Wie gut "
                                            "arbeitet die Polizei?")
    grid = [_distribution(f"sorge_{k}", text, "Wie sehr beunruhigt es Sie, dass …", TRUST, [0.25] * 4)
            for k, text in enumerate(("eingebrochen wird", "Sie bestohlen werden"))]
    assert figs.likert_caption([grid]) == "Antworten in Prozent. Frage: Wie sehr beunruhigt es Sie, dass …"
    mixed = figs.likert_caption([single, grid])
    assert mixed == "Antworten in Prozent: Arbeit der örtlichen Polizei und »Wie sehr beunruhigt es Sie, dass …«"


def test_long_blocks_are_split_into_figures_of_at_most_twelve_bars():
    items = [_distribution(f"p{k}", f"Problem {k}", "Ist Folgendes ein Problem?", WORK, [0.25] * 4)
             for k in range(9)]
    items += [_distribution(f"q{k}", f"Frage {k}", f"Frage {k}?", TRUST, [0.25] * 4) for k in range(2)]
    items += [_distribution(f"r{k}", f"Ort {k}", "Wie oft?", SEEN, [0.25] * 4) for k in range(5)]
    figures = figs.likert_block_figures("x", items)
    assert [len(re.findall(r"n\u00a0=\u00a0350", f.chart.alt_text)) for f in figures] == [11, 5]
    assert len({f.id for f in figures}) == 2


def test_residual_answers_are_ranked_last():
    items = [RankItem("keine dieser Maßnahmen", Point(0.24, 0.2, 0.28), residual=True),
             RankItem("Bewegungsmelder", Point(0.22, 0.18, 0.26)),
             RankItem("Alarmanlage", Point(0.20, 0.16, 0.24))]
    alt = charts.ranking_chart(items).alt_text
    assert alt.index("1. Bewegungsmelder") < alt.index("2. Alarmanlage") < alt.index("3. keine dieser")
    assert "Sammelantworten zuletzt" in alt
    assert [label for label in ("keine dieser Maßnahmen", "anderes", "Andere Gründe", "sonstige Orte",
                                "Alarmanlage", "Reizgas oder andere Abwehrmittel", "Keller")
            if figs.is_residual_answer(label)] == ["keine dieser Maßnahmen", "anderes", "Andere Gründe",
                                                    "sonstige Orte"]


def test_unreliable_legend_names_the_flag_reason():
    wide = Point(0.40, 0.25, 0.58, flag="unreliable", n=42, reason="wide_interval")
    small = Point(0.30, 0.15, 0.45, flag="unreliable", n=25, reason="small_n")
    assert _common.unreliable_label([wide]) == f"eingeschränkt belastbar (Intervall breiter als 30{NB}Prozentpunkte)"
    assert _common.unreliable_label([small, wide, small]) == (
        f"eingeschränkt belastbar (n{NB}<{NB}30; Intervall breiter als 30{NB}Prozentpunkte)")
    assert _common.unreliable_label([Point(0.3, flag="unreliable")]) == "eingeschränkt belastbar"
    panels = [SubgroupPanel("Ortsteil", (Subgroup("Nord", wide), Subgroup("Süd", Point(0.3, 0.25, 0.35, n=300))))]
    texts = _texts(charts.subgroup_chart(panels).svg)
    assert f"eingeschränkt belastbar (Intervall breiter als 30{NB}Prozentpunkte)" in texts
    assert not any("n < 30" in t or f"n{NB}<{NB}30" in t for t in texts)


def test_forest_axis_is_capped_and_clipped_intervals_keep_their_numbers():
    rows = [ForestRow("männlich", group="Geschlecht", is_reference=True),
            ForestRow("weiblich", 1.8, 1.3, 2.6, 0.001, group="Geschlecht"),
            ForestRow("divers", 12.0, 0.9, 480.0, 0.2, group="Geschlecht")]
    chart = charts.forest_chart(rows)
    texts = _texts(chart.svg)
    assert "50" in texts and "100" not in texts  # the axis ends at 50
    assert any("480,00" in t for t in texts)  # the full interval stands beside the plot
    uncapped = charts.forest_chart(rows[:2])
    assert "50" not in _texts(uncapped.svg)
    # the clipped end carries an arrow marker (a triangle drawn outside the axes clip)
    assert chart.svg.count("<use") > uncapped.svg.count("<use") + 1
