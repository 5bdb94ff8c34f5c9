"""Fictional coach chapters (``texte/*.md``) for the demo commune Eichenstedt (issue 12)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "Eichenstedt": {
        "vorwort.md": """<!-- Fiktiver Beispieltext (sample_data/texts.py). -->
Liebe Eichenstedterinnen und Eichenstedter,

im Frühjahr 2025 haben wir **1.100 zufällig ausgewählte Bürgerinnen und Bürger** gefragt, wie sicher sie
sich in unserer Stadt fühlen. Fast jede und jeder Dritte hat geantwortet – dafür danke ich Ihnen herzlich.

Dieser Bericht zeigt, wo Sie sich sicher fühlen und wo nicht, welche Orte Sie meiden und was Sie sich
wünschen. Er ist die Grundlage für die Arbeit unseres *Kommunalen Präventionsrats* in den nächsten Jahren.

Ihre Bürgermeisterin (fiktiv)
""",
        "gebietsprofil.md": """<!-- Fiktiver Beispieltext (sample_data/texts.py). -->
# Lage und Struktur

Eichenstedt (fiktiv) ist eine Mittelstadt im Landkreis Musterland mit fünf Ortsteilen. Die **Stadtmitte**
mit Markt und Stadtpark ist Einkaufs- und Verwaltungszentrum; der Ortsteil **Am Bahnhof** ist durch den
Regionalbahnhof, den Busbahnhof und ältere Mietshäuser geprägt. Oststadt ist ein Wohngebiet der 1970er
Jahre mit vielen älteren Menschen, Buchwald und Rödelsdorf sind ländlich geprägt.

# Strukturdaten

| Merkmal | Wert | Quelle |
|---|---|---|
| Einwohner (31.12.2024) | 38.644 | Melderegister (fiktiv) |
| Arbeitslosenquote | 6,1 % | Agentur für Arbeit (fiktiv) |
| Pendler über den Bahnhof je Werktag | etwa 4.000 | Verkehrsverbund (fiktiv) |
""",
        "angebote.md": """<!-- Fiktiver Beispieltext (sample_data/texts.py). -->
# Prävention

- Kommunaler Präventionsrat seit 2019, Sitzungen viermal im Jahr
- Sicherheitspartnerschaft mit dem Polizeirevier Eichenstedt
- Bürgerpolizist für die Ortsteile Am Bahnhof und Stadtmitte

# Jugend und Senioren

1. Jugendhaus am Markt (dienstags bis samstags)
2. Streetwork am Bahnhof, zwei Stellen des Landkreises
3. Seniorenbeirat mit Sprechstunde im Rathaus

Mehr Informationen: [Stadt Eichenstedt](https://www.example.org/eichenstedt) (fiktive Adresse).
""",
    },
}


def texts_for(kommune: str) -> dict[str, str]:
    return TEXTS.get(kommune, {})
