"""The methods of the profile (``profile.methods`` codes, PKS and drivers methods) in German."""

from __future__ import annotations


from survey.wording import disclosure

TEXTS = {
    ("variance", "taylor_calibration_residuals"):
        "Taylor-Linearisierung mit Kalibrierungsresiduen, geschichtete Zufallsstichprobe ohne Zurücklegen mit "
        "Endlichkeitskorrektur (wie R survey).",
    ("df_rule", "subset_degf"):
        "Freiheitsgrade wie in R survey (svyciprop, svyby, confint mit df = degf): für Gesamtwerte die des ganzen "
        "Designs (Zahl der Befragten minus Zahl der Schichten), für Untergruppen die der Teilstichprobe (Befragte "
        "der Untergruppe minus Zahl der Schichten, in denen sie vorkommen). Fehlende Antworten ändern die "
        "Freiheitsgrade nicht. Jeder Wert trägt seine Freiheitsgrade (df).",
    ("degenerate_interval", "exact_one_sided"):
        "Liegt ein Anteil bei genau 0 % oder 100 % (alle Antworten gleich), ist sein Standardfehler 0. R survey gibt "
        "dann ein entartetes Intervall (beim Logit-Verfahren praktisch nur den Punkt 0 bzw. 1, beim Korn-Graubard-"
        "Verfahren keinen Wert). Angegeben wird stattdessen das exakte einseitige Intervall für 0 Treffer unter n "
        "Antworten, 0 bis 1 − (α/2)^(1/n) (bei 100 % gespiegelt; für n = 20 also 0 bis 16,8 %), mit der "
        "ungewichteten Zahl n: Auch wenn keiner von n Befragten zustimmt, kann der Anteil in der Bevölkerung über "
        "0 liegen.",
    ("standardisation", "direct"):
        "Direkte Standardisierung auf die feste Standardbevölkerung (Geschlecht × Altersgruppe); Standardfehler "
        "aus dem Design (Linearkombination der Zellschätzer).",
    ("problem_association", "domain_difference_t"):
        "Unterschied im Anteil »nachts unsicher« zwischen Befragten, die ein ziemliches oder großes Problem sehen, "
        "und den übrigen (Teilpopulationen desselben Designs, t-Intervall).",
    ("association_tests", "rao_scott_f"):
        "Rao-Scott-korrigierter Chi-Quadrat-Test (F-Test zweiter Ordnung, wie R svychisq) für »nachts unsicher« "
        "nach Geschlecht, Altersgruppe und Ortsteil.",
    ("reliability", "svycralpha"):
        "Cronbachs Alpha je Index, designgewichtet (wie R svycralpha), vollständige Fälle; Standardfehler durch "
        "Linearisierung.",
}
NOTES = ("Alle Werte sind gewichtet; n ist ungewichtet: bei einem Indikator die Zahl der Befragten mit gültiger "
         "Antwort (die Basis), bei einer Antwortverteilung die Zahl der Befragten mit dieser Antwort.",
         "Das Profil enthält nur zusammengefasste Ergebnisse, keine Einzelangaben und keine Freitexte.")
PKS_METHOD = (
    "Häufigkeitszahl = Fälle × 100.000 / Einwohner mit exaktem Poisson-Intervall (Garwood); Aufklärungsquote "
    "mit Clopper-Pearson-Intervall; Trend per Quasi-Poisson-Regression mit Bevölkerungs-Offset, die "
    "Überdispersion wird aus den Daten geschätzt, aber nie unter 1 angesetzt (das Intervall ist nie schmaler "
    "als bei reiner Poisson-Streuung; R selbst setzt keine solche Untergrenze), t-Intervall mit n − 2 "
    "Freiheitsgraden; Vergleich mit dem Rest des Landkreises bzw. Sachsens als Verhältnis der Häufigkeitszahlen (Ratenverhältnis) mit exaktem bedingtem "
    "Intervall, daneben die Häufigkeitszahl des ganzen Landkreises. Mögliche Tatserie: ein Jahr mit mindestens "
    "20 Fällen, das mehr als 3 Standardfehler über dem Trend der übrigen Jahre und über den angrenzenden Jahren "
    "liegt (studentisiertes Residuum nach Herausnahme des Jahres)."
)
DRIVERS_METHOD = ("Design-basierte logistische Regression (wie R svyglm, quasibinomial), vollständige Fälle als "
                  "Teilpopulation; durchschnittliche marginale Effekte mit Delta-Methode; Wald-F-Test je Merkmal.")
RELIABILITY_METHOD = ("Cronbachs Alpha, designgewichtet (wie R svycralpha), vollständige Fälle; Standardfehler "
                      "durch Linearisierung, t-Intervall.")
MISSING_RULE = ("Befragte ohne Angabe zu einem Gewichtungsmerkmal (oder mit einer Ausprägung ohne "
                "Bevölkerungszahl, z. B. divers) bleiben in der Auswertung; sie werden nur an die übrigen "
                "Merkmale angepasst, die Sollwerte des betroffenen Merkmals werden um ihren Anteil verringert.")
DRIVERS_UNAVAILABLE = {"outcome_missing": "Indikator »unsicher_nachts« fehlt; keine Treiberanalyse."}


def method_text(key: str, value: str | None) -> str | None:
    """The German text of method ``key`` with code ``value`` (None if not given)."""
    if value is None:
        return None
    return TEXTS[(key, value)]


def suppression_rules(suppression: disclosure.Recorded | None = None) -> str:
    """The disclosure and reliability rules, with the limits of the profile (default: the engine's)."""
    return disclosure.rule_text(suppression)


def drivers_unavailable(reason: str | None) -> str | None:
    """Why there is no drivers model: a code, or the engine's message."""
    if reason is None:
        return None
    return DRIVERS_UNAVAILABLE.get(reason, reason)
