"""German words of the Tabellenband: short sheet names of the standard questionnaire's sections, the
kinds of indicators and the breakdowns."""

from __future__ import annotations

# Short names (sheet tabs hold 31 characters, the number prefix takes 4) of the standard sections; a
# section of another questionnaire gets a short name from its title (survey.report.tabellenband_layout).
SECTION_SHORT = {
    "wohnen": "Wohnen",
    "sicherheitsgefuehl": "Sicherheitsgefühl",
    "furcht_affektiv": "Furcht Beunruhigung",
    "furcht_kognitiv": "Furcht Risiko",
    "furcht_konativ": "Furcht Schutzverhalten",
    "probleme": "Probleme Wohnumfeld",
    "angstraeume": "Angsträume",
    "opfer": "Opfer und Anzeige",
    "polizei_ordnungsamt": "Polizei und Ordnungsamt",
    "zusammenhalt": "Zusammenhalt",
    "praevention": "Prävention und Wünsche",
    "person": "Angaben zur Person",
}

INDICATOR_KIND = {"proportion": "Anteil", "mean": "Mittelwert"}
BREAKDOWN_OVERALL = "Insgesamt"
GROUP_OVERALL = "insgesamt"
BACK_TO_CONTENTS = "zurück zum Inhalt"
CONTENTS = "Inhalt"


def indicator_kind(code: str | None) -> str:
    """»Anteil« or »Mittelwert« for the profile's indicator kind (an unknown code: »Anteil«)."""
    return INDICATOR_KIND.get(code or "proportion", "Anteil")
