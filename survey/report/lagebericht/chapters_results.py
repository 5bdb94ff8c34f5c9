"""Chapters Was das Sicherheitsgefühl erklärt (drivers), Handlungsempfehlungen and Anhang."""

from __future__ import annotations

from survey.profile.base import Flag
from survey.profile.records import ItemDistribution
from survey.profile.results import Drivers, Evidence, MarginalEffect, Recommendation
from survey.report import formatting as fmt
from survey.report.document import BulletList, Paragraph, Section, Table
from survey.report.lagebericht import figures as figs
from survey.report.lagebericht import sentences as sen
from survey.report.lagebericht.profile import ReportProfile
from survey.wording import evidence as we
from survey.wording import findings as wf
from survey.wording import groups as wg
from survey.wording import methods as wm

PRIORITY_WORD = {"hoch": "hohe Priorität", "mittel": "mittlere Priorität", "niedrig": "niedrige Priorität"}


def drivers_chapter(rp: ReportProfile) -> Section:
    drivers = rp.document.drivers
    if not drivers.available:
        reason = wm.drivers_unavailable(drivers.reason) or "zu wenige vollständige Antworten"
        return Section("Was das Sicherheitsgefühl erklärt", (
            Paragraph(f"Ein Erklärungsmodell konnte nicht geschätzt werden ({reason.rstrip('.')})."),), id="treiber")
    blocks: list = [Paragraph(
        f"Welche Merkmale gehen mit nächtlicher Unsicherheit einher, wenn man alle gleichzeitig betrachtet? "
        f"Dazu wurde eine logistische Regression für »{drivers.outcome_label}« geschätzt "
        f"({fmt.integer(drivers.n)} Befragte mit vollständigen Angaben). So lässt sich etwa prüfen, ob "
        f"Ortsteilunterschiede nur daran liegen, dass dort mehr Ältere wohnen.")]
    s = sen.driver_sentence(rp)
    if s:
        blocks.append(Paragraph(s))
    terms = [(r, me) for r in drivers.ranking if (me := _strongest_effect(drivers, r.term)) is not None]
    # the engine's findings carry the p-values the text goes by (adjusted for the number of terms); the
    # table shows them when every term has one with the same adjustment, else the model's own p-values
    found = [rp.finding(f"association:unsicher_nachts:{r.term}") for r, _ in terms]
    methods = {f.adjustment for f in found if f is not None and f.p_adjusted is not None}
    use_adjusted = bool(terms) and len(methods) == 1 and all(f is not None and f.p_adjusted is not None
                                                              for f in found)
    rows = [(r.label, me.label if me.label != r.label else NUMERIC_TERM_UNITS.get(r.term, "je Einheit"),
             fmt.percentage_points(me.ame),
             fmt.interval(me.ci_low, me.ci_high, kind="pp"),
             fmt.p_value(f.p_adjusted if use_adjusted else r.p_value)) for (r, me), f in zip(terms, found)]
    if rows:
        method = next(iter(methods)) if use_adjusted else "none"
        adjusted = (f", p-Wert {wf.method_name(method)}-adjustiert für die Zahl der geprüften Merkmale (gesichert "
                    "heißt danach unter 0,05)") if method not in (None, "none") else ""
        blocks.append(Table(
            "Durchschnittliche Effekte auf den Anteil der nachts Unsicheren (bei Berücksichtigung aller Merkmale)",
            ("Merkmal", "Ausprägung", "Effekt", "95-%-KI", "Test"), tuple(rows),
            note="Effekt: Unterschied im Anteil der nachts Unsicheren gegenüber der Vergleichsgruppe in "
                 f"Prozentpunkten (durchschnittlicher marginaler Effekt); Test: Wald-F-Test aller Ausprägungen"
                 f"{adjusted}."))
    fig = figs.forest_figure(rp)
    if fig:
        blocks.append(fig)
    assoc = sen.problem_association_sentence(rp)
    if assoc:
        blocks.append(Paragraph(assoc))
    blocks.append(Paragraph(
        "Diese Zusammenhänge sind keine Beweise für Ursachen. Sie zeigen aber, wo Maßnahmen ansetzen können: "
        "Merkmale wie Alter und Geschlecht lassen sich nicht ändern, wohl aber sichtbare Unordnung, Beleuchtung, "
        "Präsenz und Information. Die Hypothesen sollten mit Ortskenntnis geprüft werden."))
    blocks.append(Paragraph(f"Verfahren: {wm.DRIVERS_METHOD}"))
    return Section("Was das Sicherheitsgefühl erklärt", tuple(blocks), id="treiber")


# what one step of a numeric model term is (its effect is per step): the engine's yes/no victim term and its
# 1–4 problem index (analysis.profile.assemble.VICTIM_ANY, PROBLEM_INDEX)
NUMERIC_TERM_UNITS = {"opfer_12m_irgendein": "ja gegenüber nein", "problem_index": "je Skalenpunkt"}


def _strongest_effect(drivers: Drivers, term: str) -> MarginalEffect | None:
    effects = [m for m in drivers.marginal_effects if m.term == term]
    return max(effects, key=lambda m: abs(m.ame)) if effects else None


def _unit_value(x, unit: str) -> str:
    if unit == "share":
        return fmt.percent(x)
    if unit == "points":
        return fmt.percentage_points(x)
    return fmt.decimal(x, 2)


def rule_claims(rec: Recommendation) -> tuple[str, ...]:
    """The findings a fired rule rests on (its text may say what they support, e.g. »deutlich mehr«)."""
    return tuple(i for e in rec.evidence if e.criterion == "finding" and e.met for i in e.finding_ids)


def criterion_text(e: Evidence, unit: str, rp: ReportProfile | None) -> str:
    """The rule's criterion in German, from the structured evidence (never the rule syntax)."""
    if e.criterion == "finding":
        group = None
        if e.group and e.by and rp is not None and e.finding_kind in ("subgroup", "hotspot"):
            group = (rp.group_label(e.by, e.group) if e.finding_kind == "hotspot"
                     else wg.noun(e.by, e.group, e.group_label or e.group))
        return we.finding_criterion(e, fmt.p_value, group)
    return we.threshold_criterion(e, lambda t: _unit_value(t, unit))


def evidence_table(rec: Recommendation, level: float, rp: ReportProfile | None = None) -> Table:
    rows = []
    for e in rec.evidence:
        unit = e.unit
        label = we.evidence_label(e, rp.document.crime.latest_year if rp else None)
        if e.estimate is None or e.flag == Flag.UNTERDRUECKT:
            value, ci = fmt.SUPPRESSED, fmt.MISSING
        else:
            value = fmt.flagged(_unit_value(e.estimate, unit), "unreliable" if e.flag == Flag.UNSICHER else None)
            kind = {"share": "percent", "points": "pp"}.get(unit, "decimal")
            ci = fmt.interval(e.ci_low, e.ci_high, kind=kind)
        rule = criterion_text(e, unit, rp)
        met = {True: "ja", False: "nein", None: "nicht prüfbar"}[e.met]
        rows.append((label, value, ci, rule, met))
    notes = [we.reference_text(e) for e in rec.evidence if we.reference_text(e)]
    notes += [we.note_text(e.note) for e in rec.evidence if e.note]
    return Table(f"Belege für »{rec.title}«", ("Befund", "Wert", fmt.ci_label(level), "Kriterium", "erfüllt"),
                 tuple(rows), note=" ".join(f"Vergleichswert: {n}" for n in notes),
                 align=("left", "right", "right", "left", "left"),
                 widths=(2.8, 1.0, 1.7, 3.4, 1.1))  # the criterion is a sentence (a finding), not a code


def recommendations_chapter(rp: ReportProfile) -> Section:
    recs = rp.document.recommendations
    blocks: list = [Paragraph(
        "Die Empfehlungen folgen festen, offengelegten Regeln: Jede Regel nennt die Befunde, die sie auslösen, "
        "und die Schwellen, ab denen sie greift. Unter jeder Empfehlung stehen diese Belege mit Wert und "
        "Konfidenzintervall. So bleibt nachvollziehbar, warum eine Empfehlung gegeben wird."),
        Paragraph(sen.recommendations_sentence(rp, in_chapter=True))]
    for k, rec in enumerate(recs, start=1):  # the engine's order (priority, then rule order)
        sub = [Paragraph(f"Handlungsfeld: {rec.field_of_action_label}; "
                         f"{PRIORITY_WORD[rec.priority]}."),
               Paragraph(sen.Sentence(rec.text, rule_claims(rec)))]
        if rec.measures:
            sub.append(Paragraph("Mögliche Maßnahmen:"))
            sub.append(BulletList(tuple(rec.measures)))
        sub.append(evidence_table(rec, rp.level, rp))
        blocks.append(Section(rec.title, tuple(sub), level=2))
    summary = rp.document.rules_summary
    if summary.rules_total:
        blocks.append(Paragraph(
            f"Geprüft wurden {fmt.integer(summary.rules_total)} Regeln; "
            f"{fmt.integer(len(summary.not_triggered))} davon wurden durch die Befunde nicht ausgelöst"
            + (f", {fmt.integer(len(summary.not_evaluable))} waren mangels Daten nicht prüfbar"
               if summary.not_evaluable else "") + "."))
    return Section("Handlungsempfehlungen", tuple(blocks), id="empfehlungen")


GLOSSARY = (
    ("Anteil", "Hochgerechneter Anteil der Bevölkerung ab 16 Jahren mit einer bestimmten Antwort."),
    ("95-%-Konfidenzintervall (KI)", "Bereich, der den wahren Wert mit 95 % Sicherheit enthält; je weniger "
                                     "Antworten, desto breiter."),
    ("Gewichtung", "Anpassung der Antworten an die Bevölkerungsstruktur (Alter, Geschlecht, Ortsteil)."),
    ("Häufigkeitszahl (HZ)", "Registrierte Straftaten je 100.000 Einwohner."),
    ("Aufklärungsquote", "Anteil der registrierten Fälle, zu denen ein Tatverdächtiger ermittelt wurde."),
    ("Verhältnis der Häufigkeitszahlen (Ratenverhältnis)", "Häufigkeitszahl der Kommune geteilt durch die eines Vergleichsgebiets; 1 bedeutet gleiche Belastung."),
    ("Hellfeld / Dunkelfeld", "Der Polizei bekannte / nicht bekannte Straftaten."),
    ("Odds Ratio", "Faktor, um den sich die Chance (Odds) ändert; über 1 erhöht, unter 1 verringert."),
    ("Prozentpunkte (Pp.)", "Differenz zweier Prozentwerte (40 % gegenüber 30 % = 10 Pp.)."),
    ("Standardisierung", "Umrechnung auf eine feste Alters- und Geschlechtsstruktur, damit Kommunen "
                         "vergleichbar werden."),
    ("/ und ( )", "/ = nicht ausgewiesen (weniger als 10 Antworten); Klammern = eingeschränkt belastbar."),
)


def appendix_chapter(rp: ReportProfile) -> Section:
    q = rp.document.questionnaire
    blocks: list = [Paragraph(
        f"Fragebogen: {q.id}, Version {q.version} (Kernfragen Version "
        f"{q.core_version}). Die Kernfragen sind in allen Kommunen und Wellen gleich und damit "
        f"vergleichbar.")]
    sections: dict[str, list[ItemDistribution]] = {}
    for d in rp.overall_items():
        sections.setdefault(d.section, []).append(d)
    rows = tuple((title, fmt.integer(len(items)), fmt.integer(sum(1 for d in items if d.core)))
                 for title, items in sections.items())
    if rows:
        blocks.append(Table("Überblick über den Fragebogen (ausgewertete Merkmale je Abschnitt)",
                            ("Abschnitt", "Merkmale", "davon Kernfragen"), rows,
                            note="Freitextfragen werden nicht ausgewertet und nicht wiedergegeben. Alle "
                                 "Verteilungen stehen im Tabellenband."))
    blocks.append(Table("Glossar", ("Begriff", "Erklärung"), GLOSSARY, align=("left", "left")))
    tool = rp.document.tool
    blocks.append(Paragraph(
        f"Erstellt mit {tool.name} {tool.version} aus dem "
        f"Sicherheitsprofil vom {fmt.date(rp.document.created)}."))
    return Section("Anhang", tuple(blocks), id="anhang")
