"""The PKS catalogue in German: offence group and field-of-action labels, notes on the sources, the
series flags (``analysis.crime.flags.SeriesFlag``), the Dunkelfeld caveats and the PKS notes of the
profile. The engine knows only ids, key patterns and codes."""

from __future__ import annotations

from analysis.crime.flags import SeriesFlag
from survey.report import formatting as fmt

TOTAL_LABELS = {
    "insgesamt": "Straftaten insgesamt",
    "insgesamt_ohne_aufenthaltsrecht":
        "Straftaten insgesamt ohne Verstöße gegen das Aufenthalts-, Asyl- und Freizügigkeitsgesetz",
}
OFFENCE_LABELS = {
    **TOTAL_LABELS,
    "sachbeschaedigung": "Sachbeschädigung (§§ 303–305a StGB)",
    "graffiti": "Sachbeschädigung durch Graffiti",
    "gewaltkriminalitaet": "Gewaltkriminalität",
    "koerperverletzung_einfach": "Vorsätzliche einfache Körperverletzung",
    "koerperverletzung_gefaehrlich": "Gefährliche und schwere Körperverletzung",
    "raub": "Raub, räuberische Erpressung",
    "rauschgift": "Rauschgiftdelikte",
    "diebstahl": "Diebstahl insgesamt",
    "wohnungseinbruch": "Wohnungseinbruchdiebstahl",
    "fahrraddiebstahl": "Diebstahl von Fahrrädern",
    "kfz_diebstahl": "Diebstahl an/aus Kraftfahrzeugen",
    "ladendiebstahl": "Einfacher Ladendiebstahl",
    "betrug": "Betrug",
    "strassenkriminalitaet": "Straßenkriminalität",
    "auslaenderrecht": "Verstöße gegen Aufenthalts-, Asyl- und Freizügigkeitsgesetz/EU",
}
OFFENCE_NOTES = {
    "rauschgift": "Kontrolldelikt: spiegelt vor allem polizeiliche Kontrollen; ab April 2024 Cannabisgesetz.",
    "betrug": "Schlüssel 510000 (Betrug insgesamt) in den Recherchen nicht bestätigt.",
}
FIELD_LABELS = {
    "sachbeschaedigung": "Sachbeschädigung und Graffiti",
    "gewalt": "Gewalt im öffentlichen Raum",
    "drogen": "Drogen und Alkohol",
    "diebstahl_einbruch": "Diebstahl und Einbruch",
    "betrug": "Betrug",
    "vermuellung": "Vermüllung und Ordnungsstörungen",
    "extremismus": "Extremismus und politisch motivierte Kriminalität",
}
FIELD_NOTES = {
    "sachbeschaedigung": ("Graffiti werden meist nur auf Anzeige erfasst; Befragung: problem_graffiti, "
                          "problem_vandalismus.",),
    "gewalt": ("Rohheitsdelikte insgesamt sind nicht als eigener Schlüssel hinterlegt; verwendet werden "
               "Gewaltkriminalität (892000) und die Körperverletzungs- und Raubschlüssel.",),
    "drogen": ("Rauschgiftdelikte sind Kontrolldelikte und werden selten von Bürgern angezeigt.",
               "Alkohol im öffentlichen Raum kommt nur aus der Befragung (problem_alkohol)."),
    "betrug": ("Schlüssel 510000 nicht bestätigt; Betrug im Internet wird oft nicht am Wohnort erfasst.",),
    "vermuellung": ("Keine PKS-Entsprechung: Vermüllung kommt aus der Befragung (problem_muell) und aus "
                    "Daten des Ordnungsamts.",),
    "extremismus": ("Politisch motivierte Kriminalität (Staatsschutzdelikte) ist nicht Teil der PKS; sie wird "
                    "gesondert in der PMK-Statistik ausgewiesen. Wahrnehmungen kommen aus der Befragung.",),
}
SURVEY_OFFENCE_LABELS = {"fahrrad": "Fahrraddiebstahl", "einbruch": "Wohnungseinbruch",
                         "sachbeschaedigung": "Sachbeschädigung", "koerperverletzung": "Körperverletzung",
                         "betrug": "Betrug"}
CAVEATS = {
    "reference_period": "Bezugszeitraum: Die Befragung fragt nach den letzten 12 Monaten vor der Befragung, die "
                        "PKS zählt die in einem Kalenderjahr abgeschlossenen Ermittlungsverfahren "
                        "(Ausgangsstatistik).",
    "crime_scene": "Tatortprinzip: Die PKS zählt alle Taten in der Kommune, auch an Auswärtigen (Pendler, Gäste); "
                   "die Befragung erfasst nur Einwohnerinnen und Einwohner als Opfer.",
    "population": "Grundgesamtheit: Die Befragung bezieht sich auf Einwohner ab 16 Jahren, die Häufigkeitszahl "
                  "auf die Einwohner aller Altersgruppen.",
    "multiple_victims": "Mehrfachopfer: Die Befragung zählt Personen, die mindestens einmal Opfer wurden; die PKS "
                        "zählt Fälle. Wer mehrmals Opfer wurde, zählt in der Befragung nur einmal.",
    "series": "Serientaten: Eine Tatserie kann in der PKS viele Fälle ergeben, in der Befragung aber nur wenige "
              "Opfer; umgekehrt werden manche Serien als ein Fall erfasst.",
    "registration": "Nicht jede Anzeige wird als Straftat registriert, und Befragte ordnen Erlebnisse nicht "
                    "immer dem juristischen Tatbestand zu.",
    "household": "Haushaltsdelikt: Einbruch und Fahrraddiebstahl treffen Haushalte; mehrere Befragte eines "
                 "Haushalts können dieselbe Tat berichten.",
    "keys_koerperverletzung": "Summe aus gefährlicher/schwerer (222000) und vorsätzlicher einfacher "
                              "Körperverletzung (224000); der Sammelschlüssel 220000 ist nicht bestätigt.",
    "keys_betrug": "Schlüssel 510000 (Betrug insgesamt) ist nicht bestätigt.",
}


def caveat_text(code: str) -> str:
    return CAVEATS[code]


def series_flag_text(flag: SeriesFlag) -> str:
    """The German explanation of a PKS series flag."""
    if flag.code == "bevoelkerungsbasis-2013":
        return ("Bevölkerungsbasis 2013: Ab 2013 beruhen die Einwohnerzahlen auf dem Zensus 2011; "
                "Häufigkeitszahlen vor und ab 2013 sind nur eingeschränkt vergleichbar.")
    if flag.code == "bevoelkerungsbasis-2024":
        return ("Bevölkerungsbasis 2024: Ab 2024 beruhen die Häufigkeitszahlen auf dem Zensus 2022; "
                "Häufigkeitszahlen vor und ab 2024 sind nur eingeschränkt vergleichbar.")
    if flag.code == "cannabis-2024":
        return ("Cannabisgesetz: Seit 1. April 2024 ist der Besitz kleiner Mengen Cannabis erlaubt; "
                "Rauschgiftdelikte (und damit auch die Gesamtzahl der Straftaten) sind ab 2024 nicht mit "
                "den Vorjahren vergleichbar.")
    if flag.code == "corona":
        years = " und ".join(str(y) for y in flag.years)
        verb = "war" if len(flag.years) == 1 else "waren"
        return (f"Corona-Pandemie: {years} {verb} von Ausgangs- und Kontaktbeschränkungen geprägt; die "
                "Fallzahlen sind mit anderen Jahren nur eingeschränkt vergleichbar.")
    if flag.code == "grenzgebiet":
        return (f"Grenzgebiet: {fmt.decimal(100 * flag.share, 1)} % der Fälle sind Verstöße gegen das Aufenthalts-, "
                "Asyl- und Freizügigkeitsgesetz (Schlüssel 725000), meist bei Grenzkontrollen festgestellt; als "
                "Gesamtzahl werden deshalb die Straftaten ohne diese Verstöße (Schlüssel 890000) verwendet.")
    if flag.code == "serieneffekt":
        return (f"Auffällig hohe Fallzahl {flag.year} ({fmt.integer(flag.cases)} statt nach dem Verlauf der übrigen "
                f"Jahre erwartet etwa {fmt.integer(flag.expected)}): möglicherweise eine Tatserie, die die "
                "Statistik dieses Jahres prägt.")
    raise ValueError(f"unknown series flag {flag.code!r}")


LANDKREIS_SOURCE = {True: "aus dem Gemeindeschlüssel abgeleitet", False: "laut analyse.yaml"}


def landkreis_reason(code: str | None, *, ags: str, kreis: str, requested: str, derived: bool) -> str | None:
    """Why there is no comparison with the Landkreis (``crime.landkreis.reason`` code)."""
    if code is None:
        return None
    if code == "kreisfreie_stadt":
        return (f"{ags} ist eine kreisfreie Stadt (Kreisschlüssel {kreis}); einen übrigen Landkreis zum "
                "Vergleich gibt es nicht.")
    if code == "no_rows":
        return (f"Die PKS-Datei enthält keine Zeilen für den Landkreis {requested} ({LANDKREIS_SOURCE[derived]}); "
                "der Vergleich mit dem Landkreis entfällt.")
    raise ValueError(f"unknown Landkreis reason {code!r}")


def unavailable_reason(code: str, ags: str) -> str:
    """Why the profile has no PKS part (``crime.reason`` code)."""
    if code == "no_pks":
        return "Keine Kriminalstatistik (pks.csv) angegeben."
    if code == "no_commune_rows":
        return f"Die PKS-Datei enthält keine Zeilen für die Kommune {ags}."
    raise ValueError(f"unknown PKS reason {code!r}")


NOTE_STEPS = {"total": "Gesamtzahl", "aq": "AQ", "trend": "Trend", "mean": "Mittel", "flags": "Hinweise",
              "hz_landkreis": "HZ Landkreis", "rate_ratio_landkreis": "Vergleich", "rate_ratio_sachsen": "Vergleich",
              "structure": "Struktur", "dunkelfeld": "Dunkelfeld"}


def note_text(step: str, offence: str | None, message: str) -> str:
    """A PKS computation that was skipped for lack of data: what, for which offence, and the engine's message."""
    what = NOTE_STEPS.get(step, step)
    label = OFFENCE_LABELS.get(offence, SURVEY_OFFENCE_LABELS.get(offence, offence)) if offence else ""
    suffix = {"rate_ratio_landkreis": " landkreis", "rate_ratio_sachsen": " sachsen"}.get(step, "")
    return f"{what} {label}{suffix}: {message}" if label else f"{what}: {message}"
