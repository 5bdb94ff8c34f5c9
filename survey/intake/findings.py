"""Findings of the response intake: data, not exceptions.

Every rule of the intake is a :class:`Rule` with a stable kebab-case ``code`` (the ``regel`` column of
``pruefprotokoll.csv``), a German title, a severity, the action taken and a German message template.
The catalogue :data:`RULES` lists them all (documented in docs/ARCHITECTURE.md). A :class:`Finding`
is one occurrence: file, line, ``resp_id``, item, the offending value (only that value; never other
answers, never free text) and the rendered message.
"""

from __future__ import annotations

from dataclasses import dataclass

FEHLER = "fehler"
WARNUNG = "warnung"
INFO = "info"

SET_MISSING = "auf fehlend gesetzt"
DROP_ROW = "Zeile verworfen"
DROP_COLUMN = "Spalte verworfen"
ALL_MISSING = "als fehlend geführt"
KEEP_ROW = "Zeile behalten"
WARN = "Warnung"
NOTE = "Hinweis"
ERROR = "Fehler"

FREE_TEXT = "(Freitext)"
MAX_VALUE_CHARS = 40


@dataclass(frozen=True)
class Rule:
    """One validation rule: stable code, German title, severity, default action, message template.

    ``per_respondent``: the summary of :class:`~survey.intake.protocol.Pruefprotokoll` lists the
    respondents concerned in one line instead of quoting examples (details stay in the CSV).
    """

    code: str
    title: str
    severity: str
    action: str
    template: str
    per_respondent: bool = False

    def finding(
        self,
        file: str,
        *,
        line: int | None = None,
        resp_id: str | None = None,
        item: str | None = None,
        value: str | None = None,
        action: str | None = None,
        **fields: object,
    ) -> "Finding":
        """Create a finding; the message is rendered from the template and the fields."""
        shown = shown_value(value)
        message = self.template.format(item=item, value=shown, resp_id=resp_id, **fields)
        return Finding(self, file, line, resp_id, item, shown, action or self.action, message)


@dataclass(frozen=True)
class Finding:
    """One occurrence of a rule in a file (``line`` and ``resp_id`` where the rule concerns a record)."""

    rule: Rule
    file: str
    line: int | None
    resp_id: str | None
    item: str | None
    value: str | None
    action: str
    message: str

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def severity(self) -> str:
        return self.rule.severity

    def as_row(self) -> dict[str, object]:
        """The columns of pruefprotokoll.csv."""
        return {
            "datei": self.file,
            "zeile": "" if self.line is None else self.line,
            "resp_id": self.resp_id or "",
            "item": self.item or "",
            "wert": "" if self.value is None else self.value,
            "regel": self.code,
            "aktion": self.action,
            "meldung": self.message,
        }


def shown_value(value: str | None) -> str | None:
    """The offending value as it may appear in the protocol (shortened; never more than that value)."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _rule(code: str, title: str, severity: str, action: str, template: str, per_respondent: bool = False) -> Rule:
    return Rule(code, title, severity, action, template, per_respondent)


# Column rules
META_COLUMN = _rule(
    "meta-spalte", "LimeSurvey-Metaspalte", INFO, DROP_COLUMN,
    "Die LimeSurvey-Metaspalte »{column}« wird nicht übernommen.",
)
SECRET_COLUMN = _rule(
    "geheime-spalte", "Zugangscode oder persönliche Angabe", INFO, DROP_COLUMN,
    "Die Spalte »{column}« enthält Zugangscodes oder persönliche Angaben und wird nie übernommen.",
)
ID_AS_RESP_ID = _rule(
    "id-als-resp-id", "LimeSurvey-id als resp_id", INFO, NOTE,
    "Die Datei hat keine Spalte »resp_id«; die LimeSurvey-Spalte »{column}« dient als resp_id.",
)
MAPPED_COLUMN = _rule(
    "spalte-zugeordnet", "Spalte einem Item zugeordnet", INFO, NOTE,
    "Die Spalte »{column}« wird als Item »{item}« gelesen ({how}).",
)
UNKNOWN_COLUMN = _rule(
    "unbekannte-spalte", "Unbekannte Spalte", WARNUNG, DROP_COLUMN,
    "Die Spalte »{column}« gehört zu keinem Item des Fragebogens und wird nicht übernommen.",
)
DUPLICATE_COLUMN = _rule(
    "doppelte-spalte", "Doppelte Spalte", WARNUNG, DROP_COLUMN,
    "Die Spalte »{column}« ist ein zweites Mal Item »{item}« (erste Spalte: »{first}«) und wird nicht übernommen.",
)
MISSING_COLUMN = _rule(
    "fehlende-spalte", "Fehlende Spalte", WARNUNG, ALL_MISSING,
    "Item »{item}« fehlt in der Datei; alle Antworten darauf gelten als fehlend.",
)
VALUE_LABEL = _rule(
    "wertelabel-abweichend", "Wertelabel weicht ab", INFO, NOTE,
    "Code {value} von »{item}« heißt in der Datei »{file_label}«, im Fragebogen »{label}«.",
)
MIXED_ENCODING = _rule(
    "kodierung-gemischt", "Gemischte Zeichenkodierung", WARNUNG, NOTE,
    "Die Datei ist UTF-8, aber die Zeilen {lines} sind Windows-1252; sie wurden zeilenweise als "
    "Windows-1252 gelesen. Bitte Umlaute in diesen Zeilen prüfen und die Datei als »CSV UTF-8« speichern.",
)
# Row rules
NO_RECORDS = _rule(
    "keine-datensaetze", "Keine Datensätze", WARNUNG, WARN, "Die Datei enthält keine Datensätze.",
)
EMPTY_ROW = _rule(
    "leere-zeile", "Leere Zeile", WARNUNG, DROP_ROW, "Die Zeile enthält keine Antworten.",
)
MISSING_RESP_ID = _rule(
    "fehlende-resp-id", "resp_id fehlt", WARNUNG, DROP_ROW,
    "Die Zeile enthält Antworten, aber keine resp_id.",
)
DUPLICATE_RESP_ID = _rule(
    "doppelte-resp-id", "Doppelte resp_id", WARNUNG, DROP_ROW,
    "resp_id {resp_id} kommt mehrfach vor ({other}); {what}.",
)
STRAIGHT_LINING = _rule(
    "gleichfoermige-antworten", "Gleichförmige Antworten", WARNUNG, WARN,
    "Alle {count} Aussagen der Frage »{question}« haben dieselbe Antwort {value} (»{label}«), auch die "
    "gegenläufig formulierten ({reversed}); die Antworten widersprechen sich, vermutlich ohne Lesen angekreuzt.",
    per_respondent=True,
)
STRATUM_MISSING = _rule(
    "schicht-fehlt", "Schicht fehlt", FEHLER, ERROR,
    "Keine Angabe zum Schichtungsmerkmal »{item}«; ohne Schicht ist kein Designgewicht möglich "
    "(gültige Schichten laut {strata_file}: {valid}).",
)
STRATUM_UNKNOWN = _rule(
    "schicht-unbekannt", "Unbekannte Schicht", FEHLER, ERROR,
    "Schicht {value} von »{item}« steht nicht in {strata_file} (gültig: {valid}); ohne Schicht ist kein "
    "Designgewicht möglich.",
)
LANGUAGE_UNKNOWN = _rule(
    "sprache-unbekannt", "Unbekannte Sprache", WARNUNG, SET_MISSING,
    "»{value}« in der Spalte »sprache« ist keine Sprache des Werkzeugs (möglich: {valid}); die Sprache gilt "
    "als unbekannt.",
)
# Cell rules
TEXT_IN_NUMBER = _rule(
    "text-in-zahlenfeld", "Text in Zahlenfeld", WARNUNG, SET_MISSING,
    "»{item}« erwartet eine Zahl, gefunden wurde »{value}«.",
)
CODE_OUT_OF_SCALE = _rule(
    "code-ausserhalb-skala", "Code außerhalb der Skala", WARNUNG, SET_MISSING,
    "Code {value} ist für »{item}« nicht vorgesehen (gültig: {valid}).",
)
OUT_OF_RANGE = _rule(
    "wert-ausserhalb-bereich", "Wert außerhalb des Bereichs", WARNUNG, SET_MISSING,
    "Wert {value} von »{item}« liegt außerhalb des erlaubten Bereichs {range}.",
)
BIRTH_YEAR = _rule(
    "geburtsjahr-unplausibel", "Unplausibles Geburtsjahr", WARNUNG, SET_MISSING,
    "Geburtsjahr {value} ergibt im Befragungsjahr {year} ein Alter von {age} Jahren (plausibel: 16 bis 105).",
)
MULTI_CHOICE = _rule(
    "mehrfachwahl-ungueltig", "Ungültiger Mehrfachwahl-Wert", WARNUNG, SET_MISSING,
    "»{item}« ist eine Mehrfachwahl-Option und erwartet 0, 1 oder leer, gefunden wurde »{value}«.",
)
FILTER = _rule(
    "filter-verletzt", "Filter verletzt", WARNUNG, SET_MISSING,
    "»{item}« ist beantwortet, obwohl die Frage nach dem Filter ({condition}) nicht gestellt wird.",
)
# Folder-level rules
NO_RESPONSE_FILES = _rule(
    "keine-antwortdateien", "Keine Antwortdateien", FEHLER, ERROR,
    "In analyse.yaml sind unter »antworten« keine Antwortdateien eingetragen, und Online-Antworten "
    "({store}) gibt es nicht. Bitte die Antwortdateien (CSV, Excel, SPSS .sav oder LimeSurvey-Export) in den "
    "Ordner legen und eintragen, z. B. »antworten: [antworten_papier.csv, antworten_online.csv]«.",
)
WEB_STORE = _rule(
    "web-speicher", "Web-Antworten nicht lesbar", WARNUNG, WARN,
    "{column} existiert, aber das Modul für den Web-Speicher ist nicht installiert; die Online-Antworten fehlen.",
)
POPULATION_FILE = _rule(
    "bevoelkerung-datei", "Bevölkerungsdatei fehlerhaft", FEHLER, ERROR, "{detail}",
)
STRATA_FILE = _rule("schichten-datei", "Schichtdatei fehlerhaft", FEHLER, ERROR, "{detail}")
STRATA_NET = _rule(
    "schicht-netto-abweichend", "Netto weicht von den Befragten ab", WARNUNG, WARN,
    "{where}: netto {net} laut Schichtdatei, aber {n} Befragte in den Antwortdaten. Gerechnet wird mit den "
    "{n} Befragten; bitte prüfen, ob eine Antwortdatei fehlt oder netto veraltet ist.",
)

RULES: dict[str, Rule] = {
    rule.code: rule for rule in globals().copy().values() if isinstance(rule, Rule)
}
