"""German sentences generated from the profile (key findings, chapter leads).

Every number goes through :mod:`survey.report.formatting`. A suppressed estimate (fewer than 10
respondents) never appears: sentences that would need it are left out or say "nicht ausgewiesen";
unreliable estimates are marked "eingeschränkt belastbar".
"""

from __future__ import annotations

from survey.profile.crime import Offence
from survey.report import formatting as fmt
from survey.report.charts._common import join_de  # noqa: F401 (the chapters word lists with sen.join_de)
from survey.wording import crime as wc
from survey.profile.base import Priority
from survey.report.lagebericht.profile import ReportProfile, shown
from survey.report.lagebericht.claims import (  # noqa: F401  (re-exported for the chapters)
    Sentence, claims_of, driver_sentence, joined, not_significant_mark, pks_finding, problem_association_sentence, rate_ratio_sentence,
    reporting_sentence, subgroup_sentence, top_problem_sentence, trend_sentence, victim_ranking_sentence,
    worry_sentence,
)
from survey.report.lagebericht.values import (  # noqa: F401  (re-exported: chapters use sen.value etc.)
    UNRELIABLE, bracketed_value, ci_text, kind_of, plain_value, problem_label, value, value_with_ci,
)

NBSP = fmt.NBSP

# Sentence templates for core indicators (ids fixed by DESIGN.md §4): {v} value, {ci} interval text.
CORE_TEMPLATES = {
    "unsicher_nachts": "{v} der Einwohnerinnen und Einwohner ab 16 Jahren fühlen sich nachts allein "
                       "in ihrer Wohngegend unsicher ({ci}).",
    "unsicher_tag": "Tagsüber fühlen sich {v} in ihrer Wohngegend unsicher ({ci}).",
    "unsicher_gemeinde": "In {commune} insgesamt fühlen sich {v} unsicher ({ci}).",
    "meidet_orte": "{v} meiden nach Einbruch der Dunkelheit manchmal oder oft bestimmte Straßen oder "
                   "Orte ({ci}).",
    "vertrauen_polizei_hoch": "{v} haben sehr großes oder eher großes Vertrauen in die örtliche "
                              "Polizei ({ci}).",
    "opfer_12m_irgendein": "{v} wurden in den letzten 12 Monaten Opfer mindestens einer der fünf "
                           "erfragten Straftaten ({ci}).",
}


# Third person singular → plural for indicator labels phrased as "fühlt sich …", "wohnt …".
PLURAL_VERBS = {
    "fühlt": "fühlen", "wohnt": "wohnen", "meidet": "meiden", "nennt": "nennen", "bewertet": "bewerten",
    "wünscht": "wünschen", "kennt": "kennen", "denkt": "denken", "hält": "halten", "meint": "meinen",
    "ist": "sind", "hat": "haben", "sieht": "sehen", "nutzt": "nutzen", "fürchtet": "fürchten",
}


def label_predicate(label: str) -> str | None:
    """The label as the predicate of "X % der Befragten …" (plural), or None if it is a noun phrase."""
    words = label.split(" ", 1)
    first = words[0]
    rest = words[1] if len(words) > 1 else ""
    if first in PLURAL_VERBS:
        rest = rest.replace("er oder sie sich unsicher fühlt", "sie sich unsicher fühlen")
        return f"{PLURAL_VERBS[first]} {rest}".strip()
    # »Kopf: Gegenstand« labels are turned around, so the sentence needs no parentheses besides the interval's
    if label.startswith("ziemliches oder großes Problem: "):
        return f"sehen »{label.split(': ', 1)[1]}« als ziemliches oder großes Problem"
    if label.startswith("Opfer "):
        head, _, what = label.partition(": ")
        return f"wurden {head.removeprefix('Opfer ')} Opfer von {what}" if what else f"wurden {label}"
    if first[:1].islower():
        head, _, what = label.partition(": ")
        if what and head.endswith("beunruhigt"):
            return f"sind über {what} {head}"
        verb = "haben" if "Vertrauen" in head else "sind"
        return f"{verb} {head} ({what})" if what else f"{verb} {label}"
    return None


def indicator_sentence(rp: ReportProfile, indicator_id: str) -> str | None:
    """One sentence for an indicator; None if it is missing or suppressed."""
    record = rp.indicator(indicator_id)
    if not shown(record):
        return None
    template = CORE_TEMPLATES.get(indicator_id)
    if template is not None:
        return template.format(v=plain_value(record), ci=ci_text(record, rp.level), commune=rp.commune)
    if record.kind == "mean":
        return f"{record.label}: Mittelwert {plain_value(record)} ({ci_text(record, rp.level)})."
    predicate = label_predicate(record.label)
    if predicate is None:
        return f"{record.label}: {value_with_ci(record, rp.level)}."
    return f"{plain_value(record)} der Befragten {predicate} ({ci_text(record, rp.level)})."


def victim_sentence(rp: ReportProfile) -> str | None:
    base = indicator_sentence(rp, "opfer_12m_irgendein")
    ranking = victim_ranking_sentence(rp)
    if ranking is None:
        return base
    return Sentence(f"{base} {ranking}", claims_of(ranking)) if base else ranking


TOTAL_KEY, WITHOUT_IMMIGRATION_KEY = "------", "890000"


def _total_offence(rp: ReportProfile) -> Offence | None:
    """The headline total (chosen by the border rule in the engine)."""
    crime = rp.document.crime
    if not crime.available:
        return None
    for o in crime.offences:
        if o.headline:
            return o
    key = crime.total.key if crime.total is not None else TOTAL_KEY
    for o in crime.offences:
        if key in o.keys:
            return o
    return crime.offences[0] if crime.offences else None


def _other_total(rp: ReportProfile, total: Offence) -> Offence | None:
    """The total that is not the headline (``------`` or ``890000``), if the profile has it."""
    for o in rp.document.crime.offences:
        if o is not total and set(o.keys) & {TOTAL_KEY, WITHOUT_IMMIGRATION_KEY} and o.series:
            return o
    return None


def _total_label(rp: ReportProfile, total: Offence) -> str:
    if WITHOUT_IMMIGRATION_KEY in total.keys:
        return "Straftaten (ohne Verstöße gegen das Aufenthalts-, Asyl- und Freizügigkeitsgesetz)"
    return total.label.replace("Straftaten insgesamt", "Straftaten")


def other_total_sentence(rp: ReportProfile, total: Offence) -> str | None:
    """Reconciles the report with the police's published figure: the second total in words."""
    other = _other_total(rp, total)
    if other is None:
        return None
    last = other.series[-1]
    figures = f"{fmt.integer(last.faelle)} Fälle (Häufigkeitszahl {fmt.hz(last.hz.rate)})"
    if TOTAL_KEY in other.keys:
        return (f"Einschließlich der Verstöße gegen das Aufenthalts-, Asyl- und Freizügigkeitsgesetz – so "
                f"veröffentlicht die Polizei die Zahl »Straftaten insgesamt« – waren es {figures}.")
    return f"Ohne Verstöße gegen das Aufenthalts-, Asyl- und Freizügigkeitsgesetz waren es {figures}."


def landkreis_sentences(rp: ReportProfile, offence: Offence) -> list[str]:
    """The whole Landkreis's HZ and the rate ratio against the rest of it, or why there is no comparison."""
    crime = rp.document.crime
    landkreis = crime.landkreis
    if landkreis is not None and not landkreis.available:
        reason = wc.landkreis_reason(landkreis.reason, ags=rp.document.commune.ags, kreis=landkreis.requested[:5],
                                     requested=landkreis.requested, derived=landkreis.derived)
        return [reason or "Ein Vergleich mit dem Landkreis ist nicht möglich."]
    whole = offence.hz_landkreis
    rr = offence.rate_ratio_landkreis
    comparison = (rate_ratio_sentence(rr, "im übrigen Landkreis", pks_finding(rp, "reference", offence, "landkreis"),
                                      rp.level) if rr is not None and rr.ratio is not None else None)
    if whole is not None and whole.rate is not None:
        lead = f"Im ganzen Landkreis lag die Häufigkeitszahl {crime.latest_year} bei {fmt.hz(whole.rate)}"
        return [Sentence(f"{lead}; {comparison[0].lower()}{comparison[1:]}", claims_of(comparison))
                if comparison else f"{lead}."]
    return [comparison] if comparison else []


def pks_sentences(rp: ReportProfile) -> list[str]:
    if not rp.document.crime.available:
        return [f"Für {rp.commune} lag keine Polizeiliche Kriminalstatistik vor; der Bericht stützt sich "
                "allein auf die Befragung."]
    total = _total_offence(rp)
    if total is None or not total.series:
        return ["Die Kriminalstatistik enthält keine auswertbare Gesamtzahl der Straftaten."]
    last = total.series[-1]
    hz = last.hz
    out = [f"{last.jahr} registrierte die Polizei in {rp.commune} {fmt.integer(last.faelle)} "
           f"{_total_label(rp, total)}"
           f"; das entspricht einer Häufigkeitszahl von {fmt.hz(hz.rate)} je 100.000 Einwohner "
           f"({fmt.ci_label(rp.level)} {fmt.interval(hz.ci_low, hz.ci_high, kind='hz')})."]
    other = other_total_sentence(rp, total)
    border = WITHOUT_IMMIGRATION_KEY in total.keys
    if other and border:  # the police's published total differs a lot: say so right away
        out.append(other)
    out.extend(landkreis_sentences(rp, total))
    trend = total.trend
    if trend is not None and trend.rate_ratio is not None:
        out.append(trend_sentence(trend, pks_finding(rp, "trend", total), rp.level))
    if other and not border:
        out.append(other)
    if total.small_count:
        out.append("Die Fallzahlen sind klein; einzelne Taten oder Serien verändern die Häufigkeitszahl "
                   "stark. Aussagekräftiger ist der Mittelwert mehrerer Jahre.")
    return out


def recommendations_sentence(rp: ReportProfile, *, in_chapter: bool = False) -> str:
    """How many rules fired; ``in_chapter``: the sentence stands in that chapter and does not point to it."""
    recs = rp.document.recommendations
    where = "" if in_chapter else " (Kapitel Handlungsempfehlungen)"
    if not recs:
        return "Aus den Befunden ergibt sich keine der hinterlegten Handlungsempfehlungen."
    high = sum(1 for r in recs if r.priority == Priority.HOCH)
    if len(recs) == 1:
        text = "Aus den Befunden ergibt sich eine Handlungsempfehlung"
        if high:
            text += " mit hoher Priorität"
        return text + f"; sie ist mit den Befunden belegt, die sie auslösen{where}."
    text = f"Aus den Befunden ergeben sich {fmt.integer(len(recs))} Handlungsempfehlungen"
    if high:
        text += (", davon eine mit hoher Priorität" if high == 1 else f", davon {fmt.integer(high)} mit hoher Priorität")
    return text + f"; jede ist mit den Befunden belegt, die sie auslösen{where}."


def key_findings(rp: ReportProfile) -> list[str]:
    """The Zusammenfassung: key findings as sentences, in reading order."""
    out: list[str] = []
    first = indicator_sentence(rp, "unsicher_nachts")
    if first:
        day = rp.indicator("unsicher_tag")
        if shown(day):
            first += f" Tagsüber sind es {value(day)}."
        out.append(first)
    for by, label in (("geschlecht", "Geschlecht"), ("altersgruppe", "Altersgruppe")):
        s = subgroup_sentence(rp, "unsicher_nachts", by, label)
        if s:
            out.append(Sentence(s.replace("Nach ", "Nächtliche Unsicherheit nach ", 1), claims_of(s)))
    for s in (indicator_sentence(rp, "meidet_orte"), top_problem_sentence(rp),
              problem_association_sentence(rp), driver_sentence(rp), victim_sentence(rp),
              indicator_sentence(rp, "vertrauen_polizei_hoch")):
        if s:
            out.append(s)
    crime = pks_sentences(rp)
    out.append(joined(crime[:2]))
    out.append(recommendations_sentence(rp))
    return out
