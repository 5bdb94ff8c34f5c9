"""Shared helpers for the web, store, code, letter and paper tests (no tests here).

A small questionnaire with every question kind and both kinds of filters (question filter, grid-row
filters), an analysis folder built around it, and helpers that drive the Flask test client.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

QUESTIONNAIRE_YAML = """\
id: webtest
version: "1.0"
kern_version: "1"
titel: Bürgerbefragung Sicherheit in {kommune}
einleitung: Vielen Dank, dass Sie mitmachen.
skalen:
  sicher:
    codes: {1: sehr sicher, 2: ziemlich sicher, 3: ziemlich unsicher, 4: sehr unsicher}
    fehlend: {8: weiß nicht, 9: keine Angabe}
  sorge:
    codes: {1: gar nicht, 2: etwas, 3: ziemlich, 4: sehr stark}
  janein:
    codes: {1: ja, 2: nein}
    fehlend: {9: keine Angabe}
abschnitte:
  - id: wohnort
    titel: Ihr Wohnort
    einleitung: Zunächst eine Frage zu Ihrem Wohnort.
    fragen:
      - {id: ortsteil, typ: einfach, text: "In welchem Ortsteil wohnen Sie?", optionen: ortsteile, kern: true}
      - {id: sicher_nacht, typ: einfach, text: "Wie sicher fühlen Sie sich nachts allein in Ihrer Wohngegend?", skala: sicher, kern: true}
      - id: sorgen
        typ: matrix
        text: Wie sehr beunruhigt Sie, Opfer folgender Taten zu werden?
        skala: sorge
        items:
          - {id: sorge_einbruch, text: Einbruch in Wohnung oder Haus}
          - {id: sorge_betrug, text: Betrug}
  - id: opfer
    titel: Erfahrungen mit Straftaten
    fragen:
      - id: opfer_12m
        typ: matrix
        text: Sind Sie in den letzten 12 Monaten in {kommune} Opfer folgender Taten geworden?
        skala: janein
        items:
          - {id: opfer_fahrrad, text: Fahrraddiebstahl}
          - {id: opfer_einbruch, text: Einbruch}
      - id: anzeige_12m
        typ: matrix
        text: "Haben Sie die Tat der Polizei gemeldet?"
        skala: janein
        items:
          - {id: anzeige_fahrrad, text: Fahrraddiebstahl, filter: {item: opfer_fahrrad, codes: [1]}}
          - {id: anzeige_einbruch, text: Einbruch, filter: {item: opfer_einbruch, codes: [1]}}
      - id: einbruch_schaden
        typ: zahl
        text: "Wie hoch war der Schaden beim Einbruch etwa (in Euro)?"
        min: 0
        max: 1000000
        einheit: Euro
        filter: {item: opfer_einbruch, codes: [1]}
  - id: person
    titel: Angaben zu Ihrer Person
    fragen:
      - {id: geschlecht, typ: einfach, text: "Welches Geschlecht haben Sie?", optionen: {1: männlich, 2: weiblich, 3: divers}, fehlend: {9: keine Angabe}}
      - {id: geburtsjahr, typ: geburtsjahr, text: "In welchem Jahr sind Sie geboren?"}
      - {id: haushalt, typ: zahl, text: "Wie viele Personen leben in Ihrem Haushalt?", min: 1, max: 20}
      - {id: massnahmen, typ: mehrfach, text: "Was sollte die Gemeinde tun?", hinweis: Mehrere Antworten möglich., optionen: {1: Mehr Beleuchtung, 2: Mehr Polizeistreifen, 3: Mehr Angebote für Jugendliche}}
      - {id: anmerkung, typ: text, text: "Möchten Sie uns noch etwas mitteilen?"}
"""

ANALYSE_YAML = """\
kommune: Musterstadt
ags: "14599001"
jahr: 2025
fragebogen: fragebogen.yaml
antworten: []
ortsteile: {1: Altstadt, 2: Nord}
datenschutz:
  verantwortlich: "Stadt Musterstadt, Markt 1, 01234 Musterstadt"
  kontakt: "befragung@musterstadt.example"
  datenschutzbeauftragter: "Datenschutzbeauftragter der Stadt Musterstadt, datenschutz@musterstadt.example"
anschreiben:
  absender: "Stadtverwaltung Musterstadt, Markt 1, 01234 Musterstadt"
  unterschrift: "Erika Mustermann, Bürgermeisterin"
  url: "https://befragung.musterstadt.example"
  frist: "31. März 2025"
"""

COACH_PASSWORD = "richtig-geheim-2025"
XSS = '<script>alert("x")</script><b>fett</b>'


def make_folder(root: Path) -> Path:
    """An analysis folder with the test questionnaire (no codes yet)."""
    folder = root / "musterstadt"
    folder.mkdir()
    (folder / "analyse.yaml").write_text(ANALYSE_YAML, encoding="utf-8")
    (folder / "fragebogen.yaml").write_text(QUESTIONNAIRE_YAML, encoding="utf-8")
    return folder


def issue(folder: Path, count: int) -> list[str]:
    """Create ``count`` codes through the real command path; return them from the print-shop CSV."""
    from survey.letters import issue_codes

    batch = issue_codes(folder, count)
    lines = batch.mail_merge_csv.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split(";")[1] for line in lines]


_FORM_ACTION = re.compile(r'<form method="post" action="(/seite/\d+|/abschluss)"')


def shown(response) -> str:
    """The page a browser shows after ``response``: the redirect target, or (for a page rendered
    directly) the address its form posts to (``/seite/K`` or ``/abschluss``)."""
    if response.status_code in (301, 302, 303):
        return response.headers["Location"]
    match = _FORM_ACTION.search(response.get_data(as_text=True))
    assert match, f"keine Fragebogenseite (Status {response.status_code})"
    return match.group(1)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_of(response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "Formular ohne CSRF-Token"
    return match.group(1)


class Respondent:
    """Drives one browser session through the questionnaire with the Flask test client."""

    def __init__(self, client):
        self.client = client
        self.last = client.get("/")
        self.token = csrf_of(self.last)

    def post(self, url: str, data: dict | None = None, **kwargs):
        payload = {"csrf_token": self.token, **(data or {})}
        self.last = self.client.post(url, data=payload, **kwargs)
        return self.last

    def get(self, url: str, **kwargs):
        self.last = self.client.get(url, **kwargs)
        return self.last

    def enter(self, code: str):
        return self.post("/", {"code": code})

    def page(self, index: int, answers: dict, action: str = "weiter"):
        return self.post(f"/seite/{index}", {**answers, "aktion": action})
