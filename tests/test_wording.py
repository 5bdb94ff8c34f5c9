"""German words for the engine's codes (survey.wording): exact sentences."""

from __future__ import annotations

from analysis.core.results import WeightingNote
from survey.wording.estimates import flag_reason_text
from survey.wording.weighting import note_text


def test_flag_reasons():
    assert flag_reason_text("", 40) is None and flag_reason_text(None) is None
    assert flag_reason_text("few_answers", 4) == (
        "Weniger als 10 Befragte mit gültiger Antwort (n = 4); der Wert wird zum Schutz der Befragten und wegen "
        "zu großer Unsicherheit nicht ausgewiesen.")
    assert flag_reason_text("small_n", 12) == "Nur 12 Befragte mit gültiger Antwort (unter 30); der Wert ist unsicher."
    assert flag_reason_text("wide_interval", 100, 0.1, 0.45) == (
        "Das Konfidenzintervall ist 35,0 Prozentpunkte breit (mehr als 30); der Wert ist unsicher.")
    assert flag_reason_text("no_interval", 100) == (
        "Für diesen Wert lässt sich kein Konfidenzintervall berechnen; der Wert ist unsicher.")
    assert flag_reason_text("few_mentions", 7) == "Weniger als 10 Nennungen; zum Schutz der Befragten nicht ausgewiesen."
    assert flag_reason_text("few_mentions_reliable", 15) == "Nur 15 Nennungen (unter 30); der Wert ist unsicher."


def test_weighting_notes():
    assert note_text(WeightingNote("margin_rescaled", margin="geschlecht", value=10020, target=10000, share=0.002)) == (
        "Die Randverteilung nach Geschlecht summiert sich auf 10.020 statt 10.000 (Abweichung 0,20\u00a0%, z. B. durch "
        "Zensus-Geheimhaltung); sie wurde proportional auf 10.000 angepasst.")
    assert note_text(WeightingNote("characteristic_missing", margin="geschlecht", count=15, share=0.0153)) == (
        "Bei 15 Befragten fehlt die Angabe zu Geschlecht; sie bleiben in der Auswertung und werden nur an den "
        "übrigen Merkmalen ausgerichtet. Die Sollwerte nach Geschlecht wurden um ihren gewichteten Anteil "
        "(1,5\u00a0%) verringert.")
    assert note_text(WeightingNote("weights_trimmed", count=3, bounds=(0.9, 1.1))) == (
        "3 Gewichtungsfaktoren wurden auf [0,90; 1,10] gekappt; die Randverteilungen gelten danach nur "
        "näherungsweise.")


def test_weighting_notes_for_one_respondent_or_factor_are_singular():
    assert note_text(WeightingNote("characteristic_missing", margin="geschlecht", count=1, share=0.008)) == (
        "Bei einer befragten Person fehlt die Angabe zu Geschlecht; sie bleibt in der Auswertung und wird nur an "
        "den übrigen Merkmalen ausgerichtet. Die Sollwerte nach Geschlecht wurden um ihren gewichteten Anteil "
        "(0,8\u00a0%) verringert.")
    assert note_text(WeightingNote("weights_trimmed", count=1, bounds=(0.9, 1.1))) == (
        "1 Gewichtungsfaktor wurde auf [0,90; 1,10] gekappt; die Randverteilungen gelten danach nur näherungsweise.")
