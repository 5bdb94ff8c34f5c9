"""The Art. 13 DSGVO privacy notice of a survey, built from ``analyse.yaml`` → ``datenschutz``.

One notice, three renderings: the web form (start page summary and ``/datenschutz``), the back of
every invitation letter and the paper questionnaire. The commune's facts (controller, data
protection officer, contact, retention, recipients) come from the config; the parts that follow from
how this tool works (what is stored, unlinkability, rights that cannot be exercised on anonymous
answers) are fixed text, so the notice cannot promise something the software does not do.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.folder import AnalysisConfig

TITLE = "Datenschutzhinweise zur Bürgerbefragung"

DEFAULT_PURPOSE = (
    "{kommune} führt eine Sicherheitsanalyse durch: Die Befragung erhebt, wie sicher sich die Einwohnerinnen "
    "und Einwohner fühlen, welche Erfahrungen sie mit Straftaten gemacht haben und was sie sich von der "
    "Gemeinde wünschen. Die Antworten werden nur statistisch ausgewertet und nur zusammengefasst "
    "veröffentlicht; Werte aus weniger als 10 Antworten und wörtliche Freitexte werden nie veröffentlicht."
)
DEFAULT_LEGAL_BASIS = (
    "Die Teilnahme ist freiwillig. Rechtsgrundlage für die Verarbeitung Ihrer Antworten ist Ihre "
    "Einwilligung (Art. 6 Abs. 1 Buchst. a DSGVO), die Sie durch das Abschicken des Fragebogens erteilen."
)
DEFAULT_RECIPIENTS = (
    "Die Druckerei erhält für den Versand nur Ihre Anschrift und Ihren Zugangscode und arbeitet im Auftrag "
    "der verantwortlichen Stelle (Art. 28 DSGVO). Ihre Antworten erhält niemand außerhalb der Auswertung."
)
DEFAULT_RETENTION = (
    "Nach dem Ende der Befragung werden alle Zugangscodes, die Druckerei-Liste, die Anschreiben-Dateien "
    "und nicht abgeschickte Zwischenstände gelöscht. Die anonymen Antworten werden bis zum Abschluss der "
    "Sicherheitsanalyse aufbewahrt."
)
DEFAULT_AUTHORITY = "die Sächsische Datenschutz- und Transparenzbeauftragte (www.datenschutz.sachsen.de)"

STORED_TEXT = (
    "Ihren Namen und Ihre Anschrift verwendet die verantwortliche Stelle nur, um Ihnen das Anschreiben "
    "zu schicken. Ihre Antworten werden ohne Verbindung zu Ihrem Namen, Ihrer Anschrift und Ihrem "
    "Zugangscode gespeichert, nur mit dem Tag der Abgabe; ein abgeschickter Zugangscode wird gelöscht. "
    "Es werden keine IP-Adressen gespeichert. Das Online-Formular setzt nur ein technisch notwendiges "
    "Sitzungs-Cookie. Zwischenstände, die Sie zum späteren Weitermachen speichern, sind mit Ihrem "
    "Zugangscode verschlüsselt."
)
RIGHTS_TEXT = (
    "Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17), "
    "Einschränkung der Verarbeitung (Art. 18) und Widerspruch (Art. 21) sowie das Recht, Ihre "
    "Einwilligung jederzeit mit Wirkung für die Zukunft zu widerrufen (Art. 7 Abs. 3). Solange Sie den "
    "Fragebogen nicht abgeschickt haben, können Sie jede Angabe ändern oder die Teilnahme abbrechen. "
    "Abgeschickte Antworten kann niemand mehr Ihnen zuordnen; Auskunft, Berichtigung oder Löschung "
    "einzelner Antworten ist deshalb nicht möglich (Art. 11 DSGVO)."
)
VOLUNTARY_TEXT = (
    "Die Teilnahme ist freiwillig. Wenn Sie nicht teilnehmen oder Fragen auslassen, entstehen Ihnen "
    "keine Nachteile. Es findet keine automatisierte Entscheidungsfindung statt."
)
MISSING_OFFICER = ("Die Kontaktdaten der oder des Datenschutzbeauftragten erhalten Sie bei der "
                   "verantwortlichen Stelle.")


@dataclass(frozen=True)
class NoticeSection:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class PrivacyNotice:
    """The notice as headed sections of plain German text; ``missing`` lists unset required keys."""

    title: str
    sections: tuple[NoticeSection, ...]
    summary: tuple[str, ...]
    missing: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"title": self.title, "summary": list(self.summary),
                "sections": [{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in self.sections]}


def _fill(text: str, config: AnalysisConfig) -> str:
    return text.replace("{kommune}", config.kommune).replace("{jahr}", str(config.jahr))


def privacy_notice(config: AnalysisConfig) -> PrivacyNotice:
    """The notice for the survey of ``config``."""
    facts = config.datenschutz
    controller = facts.verantwortlich or config.anschreiben.absender
    missing = []
    if not controller:
        missing.append("verantwortlich")
    if not facts.datenschutzbeauftragter:
        missing.append("datenschutzbeauftragter")
    controller_text = _fill(controller or f"Gemeinde- bzw. Stadtverwaltung {config.kommune}", config)
    contact = [controller_text]
    if facts.kontakt:
        contact.append("Kontakt: " + _fill(facts.kontakt, config))
    authority = _fill(facts.aufsichtsbehoerde or DEFAULT_AUTHORITY, config)
    sections = (
        NoticeSection("Verantwortliche Stelle", tuple(contact)),
        NoticeSection("Datenschutzbeauftragte oder Datenschutzbeauftragter",
                      (_fill(facts.datenschutzbeauftragter, config) if facts.datenschutzbeauftragter
                       else MISSING_OFFICER,)),
        NoticeSection("Zweck und Rechtsgrundlage",
                      (_fill(facts.zweck or DEFAULT_PURPOSE, config),
                       _fill(facts.rechtsgrundlage or DEFAULT_LEGAL_BASIS, config))),
        NoticeSection("Welche Daten gespeichert werden", (STORED_TEXT,)),
        NoticeSection("Empfänger", (_fill(facts.empfaenger or DEFAULT_RECIPIENTS, config),)),
        NoticeSection("Speicherdauer", (_fill(facts.speicherdauer or DEFAULT_RETENTION, config),)),
        NoticeSection("Ihre Rechte", (RIGHTS_TEXT, f"Sie können sich bei der Aufsichtsbehörde beschweren: "
                                                    f"{authority}.")),
        NoticeSection("Freiwilligkeit", (VOLUNTARY_TEXT,)),
    )
    summary = (
        f"Verantwortlich: {controller_text}.",
        "Die Teilnahme ist freiwillig. Ihre Antworten werden ohne Verbindung zu Ihrem Namen, Ihrer "
        "Anschrift und Ihrem Zugangscode gespeichert; es werden keine IP-Adressen gespeichert.",
    )
    return PrivacyNotice(title=TITLE, sections=sections, summary=summary, missing=tuple(missing))


def missing_warning(notice: PrivacyNotice) -> str | None:
    """A German warning naming the unset analyse.yaml keys, or None if the notice is complete."""
    if not notice.missing:
        return None
    keys = " und ".join(f"»datenschutz: {key}«" for key in notice.missing)
    return (f"Hinweis: In analyse.yaml fehlt {keys}; die Datenschutzhinweise (Art. 13 DSGVO) sind ohne "
            "diese Angabe unvollständig.")
