"""Chapter »Veränderungen seit <Jahr>« (issue 12): phrases the profile's ``change`` block.

The engine has decided (``change`` findings, adjusted within their family, with strength and direction);
this module only words them: a finding whose strength is not ``none`` says »gestiegen«/»gesunken«,
every other tested one »nicht erkennbar verändert«, an untested one »nicht vergleichbar«.
"""

from __future__ import annotations

from analysis.findings.types import Direction, EstimateRef, Finding, Strength
from survey.profile.base import Kind
from survey.profile.local import Change
from survey.profile.records import EstimateRecord
from survey.report import charts as ch
from survey.report import formatting as fmt
from survey.report.lagebericht.claims import Sentence
from survey.report.document import Figure, Paragraph, Section, Table
from survey.report.lagebericht.profile import ReportProfile, point_of
from survey.report.charts._common import join_de

ADJUSTMENT_WORDS = {"holm": "Holm-Korrektur", "bh": "Benjamini-Hochberg-Korrektur",
                    "BH": "Benjamini-Hochberg-Korrektur", "none": "ohne Korrektur"}
MOVEMENT_WORDS = {"improved": "verbessert", "worsened": "verschlechtert", "unchanged": "nicht erkennbar verändert",
                  "higher": "gestiegen", "lower": "gesunken", "not_testable": "nicht vergleichbar",
                  "no_indicator": "kein Erfolgsindikator festgelegt"}
TARGET_WORDS = {"met": "erreicht", "missed": "nicht erreicht", "open": "noch offen (Intervall schließt das Ziel ein)"}
CHART_GROUPS = (  # (figure id, caption, indicator id prefixes)
    ("gefuehl", "Sicherheitsgefühl, Kriminalitätsfurcht und Vertrauen",
     ("unsicher_", "sorge_hoch_", "meidet_orte", "vertrauen_polizei_hoch")),
    ("probleme", "Probleme im Wohnumfeld (ziemliches oder großes Problem)", ("problem_gross_",)),
    ("opfer", "Opfer einer Straftat in den letzten 12 Monaten", ("opfer_12m_",)),
    ("indizes", "Indizes (Mittelwerte 1 bis 4)", ("furcht_index", "problem_index")),
)


def estimate_record(ref: EstimateRef, kind: Kind | None) -> EstimateRecord:
    """A finding's estimate as a profile estimate record (for :func:`point_of` and :func:`flag_of`)."""
    return EstimateRecord(id=ref.subject, kind=kind, estimate=ref.value, se=ref.se, ci_low=ref.ci_low,
                          ci_high=ref.ci_high, n=ref.n, df=ref.df, flag=ref.flag)


def _kind(rp: ReportProfile, indicator_id: str) -> Kind | None:
    record = rp.indicator(indicator_id)
    return record.kind if record is not None else Kind.PROPORTION


def _record(rp: ReportProfile, finding: Finding, role: str) -> EstimateRecord:
    ref = next(e for e in finding.estimates if e.role == role)
    return estimate_record(ref, _kind(rp, finding.subject))


def _label(rp: ReportProfile, finding: Finding) -> str:
    indicator = rp.indicator(finding.subject)
    return indicator.label if indicator else finding.subject


def _value(record: EstimateRecord) -> str:
    kind = "percent" if record.kind == Kind.PROPORTION else "decimal"
    return fmt.estimate(record.estimate, _flag(record), kind)


def _flag(record: EstimateRecord) -> str | None:
    return point_of(record).flag


def _with_ci(record: EstimateRecord) -> str:
    if record.estimate is None or _flag(record) == fmt.FLAG_SUPPRESSED:
        return "/"
    kind = "percent" if record.kind == Kind.PROPORTION else "decimal"
    return f"{_value(record)} ({fmt.interval(record.ci_low, record.ci_high, kind=kind)})"


def _difference(finding: Finding, kind: Kind | None) -> str:
    effect = finding.effect
    if effect is None or effect.value is None:
        return fmt.MISSING
    if kind == Kind.PROPORTION:
        return fmt.percentage_points(effect.value)
    return fmt.decimal(effect.value, 2, sign=True)


def _adjustment(change: Change, by: str | None) -> str:
    for family in change.methods.families:
        if family.by == by:
            return ADJUSTMENT_WORDS.get(family.adjustment, family.adjustment)
    return ""


def _changed(finding: Finding) -> bool:
    return finding.strength != Strength.NONE and finding.direction in (Direction.HIGHER, Direction.LOWER)


def _sentence(rp: ReportProfile, finding: Finding, before: str, after: str) -> str:
    old, new = _record(rp, finding, "from"), _record(rp, finding, "to")
    verb = "gestiegen" if finding.direction == Direction.HIGHER else "gesunken"
    where = f" im {rp.group_label('ortsteil', finding.group)}" if finding.group else ""
    unit = "" if old.kind == Kind.PROPORTION else " Skalenpunkte"
    return (f"»{_label(rp, finding)}«{where}: {verb} von {_value(old)} ({before}) auf {_value(new)} ({after}), "
            f"{_difference(finding, old.kind)}{unit}, angepasst {fmt.p_value(finding.p_adjusted)}.")


def change_figures(rp: ReportProfile, change: Change) -> list[Figure]:
    before, after = change.previous.label, change.current.label
    overall = [f for f in change.findings if f.by is None]
    out = []
    for fig_id, caption, prefixes in CHART_GROUPS:
        rows, kinds = [], set()
        for finding in overall:
            if not finding.subject.startswith(prefixes):
                continue
            new, old = _record(rp, finding, "to"), _record(rp, finding, "from")
            kinds.add(new.kind)
            rows.append(ch.IndicatorRow(_label(rp, finding), point_of(new), (ch.Reference(before, point_of(old)),)))
        if not rows or len(kinds) > 1:
            continue
        unit = "share" if kinds == {"proportion"} else "mean"
        chart = ch.indicator_chart(rows, commune=after, unit=unit, level=rp.level)
        out.append(Figure(f"welle-{fig_id}", chart,
                          f"{caption}: {before} und {after} mit 95-%-Konfidenzintervall"))
    return out


def change_table(rp: ReportProfile, change: Change) -> Table:
    before, after = change.previous.label, change.current.label
    rows = []
    for finding in (f for f in change.findings if f.by is None):
        old, new = _record(rp, finding, "from"), _record(rp, finding, "to")
        if finding.test is None:
            verdict = "nicht vergleichbar"
        elif _changed(finding):
            verdict = "gestiegen" if finding.direction == Direction.HIGHER else "gesunken"
        else:
            verdict = "nicht erkennbar verändert"
        rows.append((_label(rp, finding), _with_ci(old), _with_ci(new), _difference(finding, old.kind),
                     fmt.p_value(finding.p_adjusted) if finding.test is not None else fmt.MISSING, verdict))
    n_tests = next((f.family_size for f in change.findings if f.by is None and f.test is not None), 0)
    note = (f"Werte mit 95-%-Konfidenzintervall. Differenz in Prozentpunkten (Indizes: Skalenpunkte). Test: "
            f"Differenz zweier unabhängiger Stichproben, Standardfehler √(SE{before}² + SE{after}²), Wald-z-Test; "
            f"p-Werte mit {_adjustment(change, None)} über {fmt.integer(n_tests)} Kernindikatoren angepasst. "
            "/ = nicht ausgewiesen (weniger als 10 Antworten), Werte in Klammern: eingeschränkt belastbar.")
    return Table(f"Kernindikatoren {before} und {after}",
                 ("Indikator", before, after, "Differenz", "angepasstes p", "Ergebnis"), tuple(rows), note=note,
                 align=("left", "right", "right", "right", "right", "left"), widths=(3.2, 2.3, 2.3, 1.4, 1.5, 1.6))


def recommendation_table(rp: ReportProfile, change: Change) -> Table | None:
    rows = []
    for rec in change.recommendations:
        label = "–"
        if rec.indicator:
            record = rp.indicator(rec.indicator)
            label = record.label if record is not None else rec.indicator
        target = rec.target
        goal = ""
        if target is not None and target.op:
            value = target.value
            goal = f"{target.op} {fmt.percent(value, 0) if value <= 1 else fmt.decimal(value, 2)}"
        elif target is not None and target.direction:
            goal = "sinken" if target.direction == "lower" else "steigen"
        status = TARGET_WORDS.get(rec.target_status, "") if goal else ""
        rows.append((rec.title or rec.rule_id or "", label,
                     MOVEMENT_WORDS.get(rec.movement, rec.movement),
                     f"{goal}: {status}" if goal and status else (goal or "–")))
    if not rows:
        return None
    before = change.previous.label
    return Table(f"Empfehlungen von {before} und ihr Erfolgsindikator",
                 ("Empfehlung", "Erfolgsindikator", "Veränderung", "Ziel"), tuple(rows),
                 align=("left",) * 4, widths=(3, 3, 2, 2),
                 note="Erfolgsindikator: im Profil festgelegt, sonst der Indikator, auf den sich die Empfehlung "
                      "stützte. »Verbessert«/»verschlechtert« nur, wenn die Veränderung nach der Korrektur für "
                      "mehrfaches Testen gesichert ist.")


def change_chapter(rp: ReportProfile) -> Section | None:
    """The chapter, or None when the profile has no ``change`` block."""
    change = rp.document.change
    if change is None:
        return None
    before, after = change.previous.label, change.current.label
    overall = [f for f in change.findings if f.by is None]
    tested = [f for f in overall if f.test is not None]
    blocks: list = [Paragraph(
        f"{rp.commune} hat die Befragung {change.previous.jahr} schon einmal durchgeführt. Verglichen werden "
        f"die Kernindikatoren beider Wellen ({before} und {after}). Beide Stichproben sind unabhängig voneinander "
        f"gezogen; eine Veränderung gilt nur dann als gesichert, wenn sie nach der {_adjustment(change, None)} für "
        f"{fmt.integer(len(tested))} gleichzeitig geprüfte Kernindikatoren statistisch bedeutsam ist.")]
    changed = [f for f in tested if _changed(f)]
    if changed:
        blocks.append(Paragraph(Sentence("Gesichert verändert haben sich: " + " ".join(
            _sentence(rp, f, before, after) for f in changed), [f.id for f in changed])))
    else:
        blocks.append(Paragraph(f"Keiner der Kernindikatoren hat sich zwischen {before} und {after} nach der Korrektur "
                                "für mehrfaches Testen erkennbar verändert."))
    same = [f"»{_label(rp, f)}«" for f in tested if not _changed(f)]
    if same and changed:
        blocks.append(Paragraph(f"Nicht erkennbar verändert haben sich die übrigen {fmt.integer(len(same))} "
                                f"Kernindikatoren, darunter {join_de(same[:4])}."))
    untested = [f"»{_label(rp, f)}«" for f in overall if f.test is None]
    if untested:
        blocks.append(Paragraph(f"Nicht vergleichbar (in einer Welle weniger als 10 Antworten): {join_de(untested)}."))
    blocks.extend(change_figures(rp, change))
    blocks.append(change_table(rp, change))
    local = [f for f in change.findings if f.by == "ortsteil" and f.test is not None]
    if local:
        moved = [f for f in local if _changed(f)]
        method = _adjustment(change, "ortsteil")
        if moved:
            blocks.append(Paragraph(
                f"In den Ortsteilen ({fmt.integer(len(local))} Vergleiche, {method}) gesichert verändert: "
                + " ".join(_sentence(rp, f, before, after) for f in moved)))
        else:
            blocks.append(Paragraph(
                f"In keinem Ortsteil hat sich ein Kernindikator erkennbar verändert ({fmt.integer(len(local))} "
                f"Vergleiche von Ortsteilwerten beider Wellen, {method})."))
    table = recommendation_table(rp, change)
    if table is not None:
        blocks.append(Paragraph(f"Die Empfehlungen des Berichts {before} und ob sich ihr Erfolgsindikator bewegt hat:"))
        blocks.append(table)
    return Section(f"Veränderungen seit {change.previous.jahr}", tuple(blocks), id="veraenderungen")
