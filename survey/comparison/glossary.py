"""Plain-language glossary and method paragraphs of the comparison (every statistical term and symbol
the report, the commune sheets, the workbook and vergleich.csv use, each in one sentence)."""

from __future__ import annotations

from analysis.comparison.funnel import MIN_COMMUNES_TAU2
from analysis.comparison.distribution import MINIMUM_OTHERS, Band
from analysis.comparison.distribution import MIN_CONTRIBUTORS
from survey.report import formatting as fmt

GLOSSARY: tuple[tuple[str, str], ...] = (
    ("Trichterdiagramm (Funnel-Plot)",
     "Zeigt jede Kommune als Punkt, nach oben ihren Wert und nach rechts, wie genau er gemessen ist; die "
     "trichterförmigen Linien markieren, wie weit ein Wert allein durch Zufall vom Gesamtwert abweichen kann."),
    ("Gesamtwert",
     "Der Mittelwert über alle verglichenen Kommunen, in dem genauer gemessene Kommunen stärker zählen."),
    ("Effektive Fallzahl",
     "Die Zahl einfach zufällig Befragter, die so genau messen würde wie die gewichtete Befragung der Kommune."),
    ("95-%- und 99,8-%-Grenzen",
     "Ein Wert liegt allein durch Zufall nur in 5 von 100 beziehungsweise 2 von 1.000 Fällen außerhalb."),
    ("Stichprobenfehler (Zufall der Stichprobe)",
     "Die Unsicherheit, die entsteht, weil nur ein Teil der Bevölkerung befragt wurde."),
    ("Überdispersion (τ², Tau-Quadrat)",
     "Die übliche Streuung zwischen Kommunen, die über den Zufall der Stichprobe hinausgeht (etwa durch Lage "
     "oder Bevölkerung); τ² ist ihr Maß, es weitet die Grenzen des Trichters."),
    ("Winsorisieren",
     "Beim Schätzen von τ² werden die extremsten 10\u00a0% der Abweichungen an jedem Ende auf den Wert der 10-%- "
     "beziehungsweise 90-%-Marke gesetzt, damit einzelne Ausreißer die übliche Streuung nicht aufblähen."),
    ("Arkussinus-Skala",
     "Eine Umrechnung der Anteile (arcsin √p, p = Anteil), auf der die Zufallsschwankung für kleine und große "
     "Anteile gleich groß ist; gerechnet wird dort, gezeigt werden Prozent."),
    ("z-Wert",
     "Der Abstand zum Gesamtwert in Standardfehlern; jenseits von ±1,96 liegt ein Wert außerhalb der "
     "95-%-Grenzen, jenseits von ±3,09 außerhalb der 99,8-%-Grenzen."),
    ("Standardfehler (SE)", "Das Maß der Zufallsschwankung eines Schätzwerts."),
    ("95-%-Konfidenzintervall (95-%-KI)",
     "Der Bereich, der den wahren Wert mit 95\u00a0% Wahrscheinlichkeit enthält."),
    ("p-Wert",
     "Die Wahrscheinlichkeit, einen mindestens so großen Unterschied allein durch Zufall zu sehen, wenn es in "
     "Wirklichkeit keinen gibt."),
    ("Adjustierter (korrigierter) p-Wert",
     "Ein p-Wert, der berücksichtigt, dass viele Vergleiche zugleich angestellt wurden; erst wenn er unter "
     "0,05 liegt, heißt ein Unterschied hier »auffällig«."),
    ("Benjamini-Hochberg-Verfahren",
     "Korrektur für viele Vergleiche, nach der unter den als auffällig bezeichneten Unterschieden im Mittel "
     "höchstens 5\u00a0% Zufallsbefunde sind."),
    ("Holm-Verfahren",
     "Korrektur für viele Vergleiche, nach der mit höchstens 5\u00a0% Wahrscheinlichkeit auch nur eine der als "
     "verändert bezeichneten Größen in Wirklichkeit gleich geblieben ist."),
    ("Standardisiert (alters- und geschlechtsstandardisiert)",
     "Der Wert, den die Kommune hätte, wenn ihre Bevölkerung nach Alter und Geschlecht so zusammengesetzt wäre "
     "wie eine feste Standardbevölkerung; so werden ältere und jüngere Kommunen fair verglichen."),
    ("Rangintervall",
     "Die Rangplätze, auf denen eine Kommune unter Berücksichtigung der Messunsicherheit mit 95\u00a0% "
     "Wahrscheinlichkeit liegt (Rang 1 = höchster Wert)."),
    ("»wahrscheinlich« (bei Rängen)",
     "Mit 95\u00a0% Wahrscheinlichkeit: Das ganze Rangintervall liegt in der genannten Gruppe, etwa bei den zwei "
     "niedrigsten Werten."),
    ("Empirisch-Bayes-Schätzung (EB, Fay-Herriot-Modell)",
     "Ein Modellwert, der den direkten Wert einer Kommune umso stärker zum Gesamtwert hin zieht, je unsicherer "
     "er gemessen ist; er steht neben dem direkten Wert, nicht an seiner Stelle."),
    ("σᵥ² (Sigma-v-Quadrat)",
     "Die im Fay-Herriot-Modell geschätzte echte Streuung zwischen Kommunen, in Einheiten des Indikators; je "
     "kleiner, desto stärker zieht die EB-Schätzung zum Gesamtwert."),
    ("Schrumpfungsfaktor B",
     "Wie stark die EB-Schätzung zum Gesamtwert gezogen wird, von 0 (gar nicht) bis 1 (ganz)."),
    ("Wald-Test",
     "Prüft, ob eine Veränderung zwischen zwei Befragungen größer ist, als der Zufall beider Stichproben "
     "erwarten lässt."),
    ("Pp. (Prozentpunkte)", "Die Differenz zweier Prozentwerte: von 30\u00a0% auf 33\u00a0% sind +3 Pp."),
    ("Rangkorrelation nach Spearman (ρ, rho)",
     "Misst von −1 bis +1, wie gleichläufig zwei Rangfolgen sind; 0 heißt: kein Zusammenhang."),
)

def sheet_note(tests: int) -> str:
    """How to read a commune sheet: every term it uses, in one short paragraph."""
    return ("So lesen Sie das Blatt: Gesamtwert: Mittel aller verglichenen Kommunen, genauer gemessene zählen "
            "stärker. »innerhalb« des Trichters: Der Unterschied kann Zufall der Stichprobe sein. »auffällig«: "
            f"auch nach der Korrektur für alle {fmt.integer(tests)} Vergleiche (adjustierter p-Wert unter 0,05). "
            "»Zufall möglich«: außerhalb der 95-%-Grenze, bei so vielen Vergleichen aber nicht auffällig. *: Allein "
            "am Zufall der Stichprobe gemessen läge der Wert anders. Rangplatz: die Plätze, auf denen Ihre Kommune "
            "mit 95 % Wahrscheinlichkeit liegt (1 = höchster Wert; »wahrscheinlich«: mit dieser Wahrscheinlichkeit). "
            "EB: Modellwert (empirisch-Bayes), der unsicher gemessene Werte zum Gesamtwert zieht; er ersetzt Ihren "
            "Wert nicht. In Klammern: eingeschränkt belastbar. Mehr im Glossar des Vergleichsberichts.")


def distribution_rule() -> str:
    """The rule of ``--nur-verteilung``, in words."""
    return (f"Zu den weiteren Kommunen stehen nur Mittelwerte von Gruppen aus mindestens {MIN_CONTRIBUTORS} "
            "Kommunen, und keine Kommune gehört zu zwei Gruppen; so lässt sich kein einzelner Wert ablesen (Mitte "
            f"ab {MINIMUM_OTHERS[Band.MIDDLE]}, niedrigste und höchste Werte ab {MINIMUM_OTHERS[Band.LOWEST]}, "
            f"Viertel ab {MINIMUM_OTHERS[Band.LOWER_QUARTILE]} weiteren Kommunen, Gesamtwert ab {MIN_CONTRIBUTORS}). "
            "Diese Zahlen sind auf ganze Prozent gerundet (Indizes auf eine Nachkommastelle), damit keine wie der "
            "veröffentlichte Wert einer Kommune aussieht.")


METHOD_PARAGRAPHS = (
    "Verglichen wird jeweils die neueste Befragungswelle jeder Kommune. Grundlage sind die Kernindikatoren "
    "der Profile (profil.json), die alle Profile mit derselben Kernversion des Fragebogens enthalten. "
    "Angaben aus weniger als 10 Antworten sind nicht ausgewiesen und gehen nicht in den Vergleich ein.",
    "Trichterdiagramme statt Ranglisten (Spiegelhalter 2005): Jede Kommune wird gegen die Genauigkeit ihres "
    "Werts aufgetragen, bei Anteilen gegen die effektive Fallzahl, in der die Gewichtung der Befragung schon "
    "berücksichtigt ist. Die Grenzen für 95\u00a0% und 99,8\u00a0% zeigen, wie weit ein Wert allein durch Zufall vom "
    "Gesamtwert abweichen kann; bei kleinen Stichproben ist der Trichter weiter. Anteile werden dafür auf die "
    "Arkussinus-Skala umgerechnet, auf der die Zufallsschwankung für kleine und große Anteile gleich groß ist.",
    "Die übliche Streuung zwischen Kommunen (Überdispersion τ²): Kommunen unterscheiden sich auch aus Gründen, "
    "die die Befragung nicht misst. Diese Streuung weitet die Grenzen, wird aber nur berücksichtigt, wenn sie "
    f"sich verlässlich schätzen lässt, also ab {fmt.integer(MIN_COMMUNES_TAU2)} Kommunen (mit dem von "
    "Spiegelhalter empfohlenen Winsorisieren der extremsten 10\u00a0% an jedem Ende), oder wenn sie aus einem "
    "früheren, größeren Vergleich übernommen wird (Option --tau2-von). Mit weniger Kommunen wäre die Schätzung "
    "so unsicher, dass sie gerade die Unterschiede verschlucken könnte, die der Vergleich zeigen soll; die "
    "Grenzen zeigen dann allein den Zufall der Stichproben. Wo die Streuung berücksichtigt ist und eine Kommune "
    "ohne sie anders läge, sagt der Bericht beides.",
    "Viele Vergleiche zugleich: Bei 5\u00a0% Irrtumswahrscheinlichkeit liegt schon durch Zufall jeder zwanzigste Wert "
    "außerhalb der 95-%-Grenzen. Der Bericht nennt deshalb, wie viele Abweichungen durch Zufall zu erwarten "
    "wären, und nennt einen Unterschied erst »auffällig«, wenn er auch nach einer Korrektur für alle Vergleiche "
    "einer Familie besteht. Im Querschnitt (alle Kommunen mal alle Kernindikatoren, getrennt für rohe und "
    "standardisierte Werte) dient das Benjamini-Hochberg-Verfahren: Der Vergleich soll aus vielen Werten die "
    "herausfinden, die einen genaueren Blick lohnen, und unter den auffälligen sind im Mittel höchstens 5\u00a0% "
    "Zufallsbefunde. Für die Veränderungen einer Kommune zwischen zwei Wellen dient das strengere "
    "Holm-Verfahren: Es sind wenige Vergleiche, und eine Kommune handelt nach jeder Veränderung, die man ihr "
    "nennt; mit höchstens 5\u00a0% Wahrscheinlichkeit ist auch nur eine davon Zufall.",
    "Standardisierte Werte: direkte Standardisierung nach Alter und Geschlecht auf eine feste "
    "Standardbevölkerung (wie in den Profilen). Sie zeigen, wie eine Kommune mit gleicher "
    "Bevölkerungsstruktur abschneiden würde. Trichter, Rangintervalle und empirisch-Bayes-Schätzungen gibt es "
    "für rohe und für standardisierte Werte; die Trichterdiagramme der standardisierten Werte stehen im Anhang.",
    "Rangintervalle statt Ränge: Die Werte werden 2.000-mal im Rahmen ihrer Messunsicherheit zufällig variiert "
    "(fester Startwert, damit das Ergebnis reproduzierbar ist), und in jeder dieser Ziehungen werden die "
    "Kommunen geordnet (Rang 1 = höchster Wert). Das Rangintervall enthält 95\u00a0% dieser Ränge. Eine Aussage wie "
    "»gehört wahrscheinlich zu den zwei Kommunen mit den niedrigsten Werten« steht nur, wenn das ganze "
    "Rangintervall in dieser Gruppe liegt; sonst bleibt der Rang offen.",
    "Empirisch-Bayes-Schätzung (Fay-Herriot-Modell) neben, nicht anstelle der direkten Werte: Der Wert einer "
    "Kommune wird umso stärker zum Gesamtwert hin gezogen, je unsicherer er ist, gemessen an der geschätzten "
    "echten Streuung zwischen den Kommunen (σᵥ², geschätzt mit eingeschränkter Maximum-Likelihood, REML; die "
    "Unsicherheit der EB-Schätzung nach Prasad und Rao). Das hilft bei kleinen Kommunen, ist aber eine Modellschätzung. Weil σᵥ² mit wenigen Kommunen "
    "selbst sehr unsicher ist (und dann alle Werte auf den Gesamtwert zieht), wird sie wie τ² erst ab 20 "
    "Kommunen mit verwertbarem Wert berechnet; darunter bleibt die Spalte leer. Ranglisten werden daraus "
    "nicht gebildet.",
    "Veränderungen zwischen Wellen: Differenz der direkten Werte zweier unabhängiger Stichproben derselben "
    "Kommune mit 95-%-Konfidenzintervall und Wald-Test; der Standardfehler der Differenz verbindet die "
    "Standardfehler beider Wellen (Wurzel aus der Summe ihrer Quadrate).",
)
