"""Coded free-text places and categories (profile section ``free_text``) as report blocks.

Only what the profile holds is shown: places/categories named by at least 10 respondents (the engine
filtered them, :mod:`analysis.profile.places`), pooled counts, shares with intervals; never a verbatim answer.
The order of the places is the engine's (by number of naming respondents); sentences list them without
claiming a ranking.
"""

from __future__ import annotations

from survey.profile.free_text import CodedCategory, FreeTextQuestion
from survey.profile.records import EstimateRecord
from survey.report import formatting as fmt
from survey.report.document import Paragraph, Section, Table
from survey.report.lagebericht.profile import ReportProfile, flag_of, shown
from survey.report.lagebericht.tables import SMALL_N

PLACE_ITEM = "angstraum_ort"


def questions(rp: ReportProfile) -> list[FreeTextQuestion]:
    free_text = rp.document.free_text
    return [] if free_text is None else list(free_text.questions)


def question(rp: ReportProfile, item: str) -> FreeTextQuestion | None:
    return next((q for q in questions(rp) if q.item == item), None)


def place_questions(rp: ReportProfile) -> list[FreeTextQuestion]:
    return [q for q in questions(rp) if q.kind == "places"]


def coded(rp: ReportProfile) -> bool:
    free_text = rp.document.free_text
    return free_text is not None and bool(free_text.coding_table)


def _count(value: int | None) -> str:
    return SMALL_N if value is None else fmt.integer(value)


def _share(record: EstimateRecord) -> str:
    return fmt.estimate(record.estimate, flag_of(record), "percent")


def _ci(record: EstimateRecord) -> str:
    return fmt.interval(record.ci_low, record.ci_high) if shown(record) else fmt.MISSING


def category_table(rp: ReportProfile, q: FreeTextQuestion, caption: str) -> Table:
    places = q.kind == "places"
    columns = ("Ort" if places else "Kategorie",) + (("Ortsteil",) if places else ()) + (
        "Nennungen", "Anteil an allen Befragten", fmt.ci_label(rp.level))
    rows = []
    for c in q.categories:
        share = c.share
        rows.append((c.name,) + ((c.ortsteil_label or "–",) if places else ()) +
                    (fmt.integer(c.mentions), _share(share), _ci(share)))
    for pool in (q.other, q.uncoded):
        if pool.id == "weitere" and not pool.categories:
            continue
        if pool.id == "nicht_zugeordnet" and pool.mentions is None and not shown(pool.share) and not q.categories:
            continue
        rows.append((pool.label,) + (("",) if places else ()) +
                    (_count(pool.mentions), _share(pool.share), _ci(pool.share)))
    note = ("Nennungen = Befragte, die den Ort bzw. die Kategorie nennen (eine Person kann mehrere nennen). "
            "Orte und Kategorien mit weniger als 10 Nennungen werden nicht einzeln ausgewiesen; der Wortlaut "
            "der Antworten wird nie wiedergegeben.")
    if any(flag_of(c.share) == fmt.FLAG_UNRELIABLE for c in q.categories):
        note += " Werte in Klammern: eingeschränkt belastbar (weniger als 30 Nennungen)."
    align = ("left",) * (2 if places else 1) + ("right",) * 3
    return Table(caption, columns, tuple(rows), align=align, note=note)


CONTEXT_COLUMNS = 4  # places per when/why table


def context_tables(rp: ReportProfile, places: list[CodedCategory] | tuple[CodedCategory, ...]) -> list[Table]:
    """When and why, as shares among those naming each place: one column per place (at most
    :data:`CONTEXT_COLUMNS` per table); intervals are in the Tabellenband."""
    tables = []
    places = [p for p in places if p.time or p.reasons]
    for start in range(0, len(places), CONTEXT_COLUMNS):
        chunk = places[start:start + CONTEXT_COLUMNS]
        labels = [("Wann", r.id, r.label) for r in chunk[0].time] + \
                 [("Warum", r.id, r.label) for r in chunk[0].reasons]
        rows = []
        for prefix, record_id, label in labels:
            cells = []
            for place in chunk:
                records = {r.id: r for r in [*place.time, *place.reasons]}
                record = records.get(record_id)
                cells.append(_share(record) if record is not None else fmt.MISSING)
            rows.append((f"{prefix}: {label}",) + tuple(cells))
        rows.append(("Befragte, die den Ort nennen",) + tuple(fmt.integer(p.mentions) for p in chunk))
        tables.append(Table(
            "Wann und warum Befragte sich an den genannten Orten unsicher fühlen (Anteil unter denen, die den "
            "Ort nennen)", ("Angabe",) + tuple(p.name for p in chunk), tuple(rows),
            note="Anteile unter den Befragten, die den Ort nennen und die jeweilige Frage beantwortet haben; bei "
                 "»Warum« waren mehrere Antworten möglich. / = nicht ausgewiesen (weniger als 10 Antworten), "
                 "Werte in Klammern eingeschränkt belastbar; Konfidenzintervalle im Tabellenband."))
    return tables


def names_list(q: FreeTextQuestion) -> str:
    """``Unterführung am Bahnhof (40 Befragte), Stadtpark (30) und Parkplatz (17)`` in the engine's order."""
    named = [f"{c.name} ({fmt.integer(c.mentions)}{' Befragte' if k == 0 else ''})"
             for k, c in enumerate(q.categories)]
    if not named:
        return ""
    return ", ".join(named[:-1]) + " und " + named[-1] if len(named) > 1 else named[0]


def names_sentence(q: FreeTextQuestion) -> str:
    names = names_list(q)
    return f"Von jeweils mindestens zehn Befragten genannt wurden: {names}." if names else ""


def place_blocks(rp: ReportProfile, final: bool, figures: tuple = ()) -> list:
    """Blocks for the Angsträume chapter: what was named, where, when and why; ``figures`` (the map
    with the places) go after the table of places."""
    q = question(rp, PLACE_ITEM) or next(iter(place_questions(rp)), None)
    if q is None:
        return list(figures)
    if not coded(rp):
        if final:
            return list(figures)
        return [Paragraph("Entwurf: Die als Freitext genannten Orte sind noch nicht ausgewertet. Mit "
                          "»sicherheitsanalyse freitexte« entsteht die Kodiertabelle; nach dem Zuordnen erscheinen "
                          "hier die Orte mit mindestens 10 Nennungen."), *figures]
    mentioning = q.mentioning
    blocks: list = []
    if mentioning.mentions is None:
        blocks.append(Paragraph("Weniger als zehn Befragte haben einen Ort beschrieben; die Angaben werden zum "
                                "Schutz der Befragten nicht ausgewertet."))
        return [Section("Genannte Orte", tuple(blocks), level=2, id="genannte-orte"), *figures]
    text = (f"{fmt.integer(mentioning.mentions)} Befragte haben mindestens einen Ort beschrieben, an dem sie "
            f"sich unsicher fühlen ({_share(mentioning.share)} aller Befragten). Die Nennungen wurden "
            f"zusammengefasst und Orten zugeordnet.")
    sentence = names_sentence(q)
    blocks.append(Paragraph(f"{text} {sentence}" if sentence else
                            f"{text} Kein Ort wurde von mindestens zehn Befragten genannt; einzelne Orte werden "
                            "deshalb nicht ausgewiesen."))
    if q.categories:
        blocks.append(category_table(rp, q, "Orte, an denen sich Befragte unsicher fühlen (mindestens 10 "
                                            "Nennungen)"))
        blocks.extend(figures)
        figures = ()
        blocks.extend(context_tables(rp, q.categories))
    return [Section("Genannte Orte", tuple(blocks), level=2, id="genannte-orte"), *figures]


CATEGORY_TITLES = {"problem_sonstiges": "Weitere genannte Probleme", "wuensche": "Was zuerst getan werden sollte",
                   "anmerkungen": "Anmerkungen der Befragten"}


def category_blocks(rp: ReportProfile, q: FreeTextQuestion) -> list:
    """A subsection for a coded category question (wishes, further problems, remarks)."""
    if not coded(rp) or not q.categories:
        return []
    title = CATEGORY_TITLES.get(q.item, "Antworten auf eine offene Frage")
    text = (f"Offene Frage: »{q.question}« Die Antworten wurden zu Kategorien zusammengefasst. "
            + names_sentence(q))
    return [Section(title, (Paragraph(text), category_table(rp, q, f"{title} (mindestens 10 Nennungen)")),
                    level=2, id=f"freitext-{q.item}")]


def kurzbericht_line(rp: ReportProfile) -> str:
    """One sentence for the Kurzbericht: the places named by at least 10 respondents."""
    q = question(rp, PLACE_ITEM)
    if q is None or not coded(rp) or not q.categories:
        return ""
    return (f"Orte, an denen sich Befragte unsicher fühlen (von jeweils mindestens zehn genannt): "
            f"{names_list(q)}.")
