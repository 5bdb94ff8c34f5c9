"""The coach's own chapters: ``texte/vorwort.md``, ``texte/gebietsprofil.md``, ``texte/angebote.md``.

Each file is optional Markdown (:mod:`survey.report.markdown`). A file that is missing, or holds nothing
but comments (the templates ``init`` writes), counts as not written: the draft report shows a one-line
hint at the chapter's place, the final report (``bericht --final``) leaves the chapter out. Reading is
bounded (:data:`MAX_BYTES`); UTF-8 or Windows-1252; problems are German errors naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.report.markdown import CoachTextError, markdown_blocks, strip_comments

TEXT_DIR = "texte"
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class CoachChapter:
    key: str
    file: str
    title: str
    hint: str


CHAPTERS = (
    CoachChapter("vorwort", "vorwort.md", "Vorwort",
                 "Hier kann die Kommune ein Vorwort ergänzen (Datei texte/vorwort.md)."),
    CoachChapter("gebietsprofil", "gebietsprofil.md", "Angaben der Kommune zum Gebiet",
                 "Hier kann die Kommune Strukturdaten und eine Beschreibung des Gebiets ergänzen "
                 "(Datei texte/gebietsprofil.md)."),
    CoachChapter("angebote", "angebote.md", "Angebote und Maßnahmen vor Ort",
                 "Hier kann die Kommune bestehende Angebote der Prävention, Jugend- und Seniorenarbeit und "
                 "laufende Maßnahmen beschreiben (Datei texte/angebote.md)."),
)
DRAFT_NOTE = "Entwurf: "
FINAL_NOTE = " Im endgültigen Bericht (»sicherheitsanalyse bericht --final«) entfällt dieser Abschnitt."


def chapter(key: str) -> CoachChapter:
    return next(c for c in CHAPTERS if c.key == key)


def read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CoachTextError(f"Die Datei ist mit {size // 1000} kB zu groß (höchstens {MAX_BYTES // 1000} kB).",
                             path=path)
    data = path.read_bytes()
    if b"\x00" in data:
        raise CoachTextError("Die Datei ist keine Textdatei.", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_chapter(folder: Path, key: str, heading_level: int) -> list | None:
    """The blocks of one coach chapter, or None if the file is missing or holds only comments."""
    spec = chapter(key)
    path = folder / TEXT_DIR / spec.file
    if not path.is_file():
        return None
    text = read_text(path)
    if not strip_comments(text).strip():
        return None
    return markdown_blocks(text, source=path, root=folder, heading_level=heading_level, id_prefix=spec.key,
                           table_caption=spec.title)


def draft_hint(key: str) -> str:
    return DRAFT_NOTE + chapter(key).hint + FINAL_NOTE


TEMPLATES = {
    "vorwort": """<!--
Vorwort des Lageberichts: erscheint als erstes Kapitel, vor der Zusammenfassung.
Zum Beispiel: ein Grußwort der Bürgermeisterin oder des Bürgermeisters, Anlass und Ziel der Befragung,
Dank an die Teilnehmenden.

Solange diese Datei nur Kommentare wie diesen enthält, zeigt der Entwurf an dieser Stelle einen Hinweis;
im endgültigen Bericht (»sicherheitsanalyse bericht --final«) entfällt das Kapitel dann.
Kommentare wie dieser erscheinen nie im Bericht.

So wird formatiert (Markdown):
  # Überschrift                     eine Überschrift innerhalb des Kapitels
  Ein Absatz ist Text ohne Leerzeile; eine Leerzeile beginnt einen neuen Absatz.
  **fett**  *kursiv*
  - Aufzählungspunkt
  1. nummerierter Punkt
  [Linktext](https://www.beispiel.de)      erscheint als »Linktext (https://www.beispiel.de)«
  ![Beschreibung des Bildes](bilder/foto.png "Bildunterschrift")
                                    nur Bilder aus dem Analyseordner (PNG, JPEG, GIF, SVG);
                                    die Beschreibung wird vorgelesen und ist Pflicht für Barrierefreiheit
  | Spalte 1 | Spalte 2 |           eine Tabelle
  |----------|----------|
  | Wert     | Wert     |
HTML und Typst-Befehle werden als Text gezeigt, nicht ausgeführt.
-->
""",
    "gebietsprofil": """<!--
Angaben der Kommune zum Gebiet: erscheinen im Kapitel »Gebietsprofil« nach den Zahlen aus der Befragung.
Zum Beispiel: Lage und Siedlungsstruktur, Einwohnerentwicklung, Wirtschaft und Arbeitsmarkt,
Sozialstruktur, Verkehr, besondere Orte (Bahnhof, Einkaufszentren, Veranstaltungen), Quellen der Zahlen.

Beispiel:
  # Lage und Struktur
  Musterstadt liegt … Die Stadt gliedert sich in fünf Ortsteile …

  # Strukturdaten
  | Merkmal | Wert | Quelle |
  |---|---|---|
  | Einwohner 2024 | 38.644 | Statistisches Landesamt |

Solange diese Datei nur Kommentare enthält, zeigt der Entwurf einen Hinweis; im endgültigen Bericht
(»sicherheitsanalyse bericht --final«) entfällt der Abschnitt. Formatierung: siehe texte/vorwort.md.
-->
""",
    "angebote": """<!--
Angebote und Maßnahmen vor Ort: erscheint als eigenes Kapitel vor den Handlungsempfehlungen.
Zum Beispiel: Kommunaler Präventionsrat, Angebote der Jugend- und Seniorenarbeit, Beratungsstellen,
Vereine, laufende Projekte der Polizei und des Ordnungsamts, mit Ansprechpartnern.

Beispiel:
  # Prävention
  - Kommunaler Präventionsrat (seit 2019), Sitzungen viermal im Jahr
  - Sicherheitspartnerschaft mit der Polizei

  # Jugend
  Das Jugendhaus am Markt ist dienstags bis samstags geöffnet …

Solange diese Datei nur Kommentare enthält, zeigt der Entwurf einen Hinweis; im endgültigen Bericht
(»sicherheitsanalyse bericht --final«) entfällt das Kapitel. Formatierung: siehe texte/vorwort.md.
-->
""",
}
