"""Sentences that state a difference, a lead, a trend, a comparison or an association: each phrases
a finding of the engine (``profil.json`` → ``findings``) and returns the ids of the findings it
claims, so a test can check that every claim rests on a finding with adjusted significance.

The report decides nothing here: a difference is "deutlich"/"etwas"/"erheblich" by the finding's
``strength``, a lead ("am häufigsten") exists only when the ranking pair at rank 1 is supported,
otherwise the leaders are named with ``UNRANKED`` (their order is not supported; they need not be
about equal); a group is compared with the rest of the sample,
never with a total that contains it; an association "hängt zusammen mit", never a cause. Profiles
without findings (schema 1.0) get the numbers without any claim.
"""

from __future__ import annotations

from analysis.findings.types import Direction, EstimateRef, Finding
from survey.profile.crime import Offence, RateRatio, Trend
from survey.report import formatting as fmt
from survey.report.charts._common import join_de
from survey.report.charts.data import Point
from survey.report.lagebericht.profile import ReportProfile, shown
from survey.report.lagebericht.values import bracketed_value, problem_label, running_value
from survey.wording import findings as wf
from survey.wording import groups as wg


class Sentence(str):
    """A sentence (a plain ``str`` for every caller) that knows the findings it claims."""

    finding_ids: tuple[str, ...]

    def __new__(cls, text: str, finding_ids=()) -> "Sentence":  # noqa: ANN001
        obj = super().__new__(cls, text)
        obj.finding_ids = tuple(finding_ids)
        return obj


def claims_of(text: str) -> tuple[str, ...]:
    """The finding ids a (possibly plain) sentence claims."""
    return getattr(text, "finding_ids", ())


def joined(texts, separator: str = " ") -> Sentence:  # noqa: ANN001 (iterable of str / Sentence)
    """Sentences joined into one paragraph text that keeps every claim."""
    texts = [t for t in texts if t]
    return Sentence(separator.join(texts), [i for t in texts for i in claims_of(t)])


def _p(finding: Finding) -> str:
    return wf.adjusted(finding, fmt.p_value)


def estimate_of(finding: Finding, role: str) -> EstimateRef | None:
    """The estimate a finding compares on side ``role`` (``group``/``rest``, ``upper``/``lower``, ``from``/``to``)."""
    return next((e for e in finding.estimates if e.role == role), None)



def estimate_flag(estimate: EstimateRef) -> str | None:
    """The formatting flag of a compared estimate (as :func:`~.profile.flag_of` for a record)."""
    if estimate.flag in ("unterdrueckt", fmt.FLAG_SUPPRESSED) or estimate.value is None:
        return fmt.FLAG_SUPPRESSED
    if estimate.flag in ("unsicher", fmt.FLAG_UNRELIABLE):
        return fmt.FLAG_UNRELIABLE
    return None


def estimate_point(estimate: EstimateRef) -> Point:
    """A chart :class:`Point` from a compared estimate (suppressed → no value)."""
    flag = estimate_flag(estimate)
    if flag == fmt.FLAG_SUPPRESSED:
        return Point(None, flag=fmt.FLAG_SUPPRESSED)
    return Point(estimate.value, estimate.ci_low, estimate.ci_high, flag, estimate.n, None)


def _number(estimate: EstimateRef | None, kind: str) -> str:
    if estimate is None or estimate.value is None:
        return fmt.MISSING
    return fmt.value(estimate.value, kind)


# --- subgroups -------------------------------------------------------------------------------------

def subgroup_sentence(rp: ReportProfile, indicator_id: str, by: str, by_label: str) -> Sentence | None:
    """The groups of a breakdown with their values; a group named as higher or lower only where its
    finding against the REST of the sample is supported; a lead only where the ranking supports it.
    Groups in their grammatical forms (:mod:`survey.wording.groups`: »Frauen«, »bei Menschen ab 75
    Jahren«, »im Ortsteil Oststadt«)."""
    records = rp.breakdown(indicator_id, by)
    visible = [r for r in records if shown(r)]
    hidden = [r for r in records if not shown(r)]
    if len(visible) < 2:
        return None
    kind = "percent" if visible[0].kind == "proportion" else "decimal"
    noun = "der Anteil" if kind == "percent" else "der Wert"
    labels = {r.group: r.group_label for r in records}
    name = lambda code: wg.noun(by, code, labels.get(str(code), str(code)))  # noqa: E731
    where = lambda code: wg.phrase(by, code, labels.get(str(code), str(code)))  # noqa: E731
    listing = join_de([f"{name(r.group)} ({bracketed_value(r)})" for r in visible])
    parts, ids = [f"Nach {by_label}: {listing}."], []
    # an Ortsteil is judged by the Ortsteil screen (hotspot, Benjamini-Hochberg) wherever the indicator is in
    # it, so that this chapter and the recommendations built on the screen say the same
    screened = [rp.finding(f"hotspot:{indicator_id}:{by}:{r.group}") for r in visible]
    subgroups = screened if any(f is not None for f in screened) else [
        rp.finding(f"subgroup:{indicator_id}:{by}:{r.group}") for r in visible]
    supported = [f for f in subgroups if wf.supported(f)]
    supported.sort(key=lambda f: f.direction != Direction.HIGHER)  # the higher group first
    for finding in supported[:1 if len(visible) == 2 else 2]:
        parts.append(f"{wg.capitalised(where(finding.group))} ist {noun} {wf.comparative(finding)} als "
                     f"{wg.rest(by)} ({_number(estimate_of(finding, 'group'), kind)} gegenüber "
                     f"{_number(estimate_of(finding, 'rest'), kind)}; {_p(finding)}).")
        ids.append(finding.id)
    lead = rp.finding(f"ranking:{indicator_id}:{by}:1")
    if supported and wf.supported(lead) and len(visible) > 2:
        upper = estimate_of(lead, "upper")
        parts.append(f"Am höchsten ist {noun} {where(upper.group)}, mit gesichertem Abstand zur nächsten "
                     f"Gruppe ({_p(lead)}).")
        ids.append(lead.id)
    overall = rp.finding(f"breakdown:{indicator_id}:{by}")
    if not supported and wf.supported(overall):
        parts.append(f"Insgesamt unterscheiden sich die Gruppen statistisch gesichert ({_p(overall)}); keine "
                     f"einzelne hebt sich nach der Korrektur für die vielen Vergleiche gesichert {wg.rest_from(by)} "
                     "ab.")
        ids.append(overall.id)
    elif not supported:
        tested = overall is not None and overall.p_adjusted is not None
        if overall is not None or rp.document.findings:
            parts.append("Die Unterschiede zwischen den Gruppen sind statistisch nicht gesichert"
                         + (f" ({_p(overall)})." if tested else "."))
    if hidden:
        names = join_de([name(r.group) for r in hidden])
        parts.append(f"Für {names} wird wegen zu weniger Antworten kein Wert ausgewiesen.")
    return Sentence(" ".join(parts), ids)


# --- rankings --------------------------------------------------------------------------------------

# leaders without a supported lead: the values may differ a lot, their order is just not supported
UNRANKED = "welcher Wert davon höher liegt, ist statistisch nicht gesichert"


def ranking_top(rp: ReportProfile, family: str) -> tuple[list[str], Finding | None, bool]:
    """The leaders of a ranking: ``(indicator ids, lead finding, tie)``. A single leader with its
    supported pair-1 finding, or the leaders "gleichauf" (pairs without support from rank 1 on, at most
    three); ``([], None, False)`` without the ranking."""
    pairs = sorted(rp.family(family), key=lambda f: estimate_of(f, "upper").rank)
    if not pairs:
        return [], None, False
    first = pairs[0]
    if wf.supported(first):
        return [estimate_of(first, "upper").subject], first, False
    top = [estimate_of(first, "upper").subject]
    for pair in pairs:
        if wf.supported(pair) or len(top) >= 3:
            break
        top.append(estimate_of(pair, "lower").subject)
    return top, None, True


def _indicator_value(rp: ReportProfile, indicator_id: str) -> str:
    return bracketed_value(rp.indicator(indicator_id))


def _running_value(rp: ReportProfile, indicator_id: str) -> str:
    return running_value(rp.indicator(indicator_id))


def top_problem_sentence(rp: ReportProfile) -> Sentence | None:
    problems = [p for p in rp.document.problems if shown(p.prevalence)]
    if not problems:
        return None
    top, lead, tie = ranking_top(rp, "ranking:problem")
    name = lambda i: f"»{problem_label(rp.indicator(i).label)}« ({_indicator_value(rp, i)})"  # noqa: E731
    if lead is not None:
        first = top[0]
        return Sentence(f"Am häufigsten als ziemliches oder großes Problem im Wohnumfeld genannt wird "
                        f"{name(first)}, mit gesichertem Abstand zum nächsten Problem ({_p(lead)}).", [lead.id])
    if tie and len(top) > 1:
        return Sentence(f"Am häufigsten als ziemliches oder großes Problem im Wohnumfeld genannt werden "
                        f"{join_de([name(i) for i in top])}; {UNRANKED}.")
    listing = join_de([f"»{problem_label(p.label)}« ({bracketed_value(p.prevalence)})" for p in problems[:3]])
    return Sentence(f"Als ziemliches oder großes Problem im Wohnumfeld sehen die Befragten unter anderem {listing}.")


def victim_ranking_sentence(rp: ReportProfile) -> Sentence | None:
    """Which of the surveyed offences is named most often: a lead only with a supported ranking."""
    top, lead, tie = ranking_top(rp, "ranking:opfer")
    if not top:
        return None
    what = lambda i: rp.indicator(i).label.split(": ", 1)[-1]  # noqa: E731
    if lead is not None:
        return Sentence(f"Von diesen Straftaten am häufigsten genannt wird {what(top[0])} "
                        f"({_indicator_value(rp, top[0])}), mit gesichertem Abstand zur nächsten ({_p(lead)}).",
                        [lead.id])
    if len(top) > 1:
        names = join_de([f"{what(i)} ({_indicator_value(rp, i)})" for i in top])
        return Sentence(f"Von diesen Straftaten am häufigsten genannt werden {names}; {UNRANKED}.")
    return None


def worry_sentence(rp: ReportProfile) -> Sentence | None:
    """Which worry is most common (ziemlich oder sehr stark beunruhigt): a lead only with a supported ranking."""
    top, lead, tie = ranking_top(rp, "ranking:sorge")
    if not top:
        return None
    what = lambda i: f"{rp.indicator(i).label.split(': ', 1)[-1]} ({_indicator_value(rp, i)})"  # noqa: E731
    if lead is not None:
        return Sentence(f"Am häufigsten ziemlich oder sehr stark beunruhigt sind die Befragten über {what(top[0])}, "
                        f"mit gesichertem Abstand zur nächsten Sorge ({_p(lead)}).", [lead.id])
    if len(top) > 1:
        return Sentence(f"Am häufigsten ziemlich oder sehr stark beunruhigt sind die Befragten über "
                        f"{join_de([what(i) for i in top])}; {UNRANKED}.")
    return None


def reporting_sentence(rp: ReportProfile) -> Sentence | None:
    """How often victims report, by offence: a dependence on the offence only with a supported pair."""
    pairs = sorted(rp.family("ranking:anzeige"), key=lambda f: estimate_of(f, "upper").rank)
    name = lambda i: rp.indicator(i).label.replace("Anzeigequote ", "").replace(" (unter den Opfern)", "")  # noqa: E731
    if not pairs:  # one shown rate, or a profile without findings: the values, no comparison
        rates = [i.id for i in rp.indicators if i.id.startswith("anzeigequote_") and shown(i)]
        if len(rates) == 1:
            return Sentence(f"Von den Opfern von {name(rates[0])} haben {_running_value(rp, rates[0])} die Tat "
                            "angezeigt.")
        if rates:
            listing = join_de([f"bei {name(i)} {_running_value(rp, i)}" for i in rates])
            return Sentence(f"Angezeigt haben die Opfer {listing}.")
        return None
    high, low = estimate_of(pairs[0], "upper").subject, estimate_of(pairs[-1], "lower").subject
    span = (f"von {_running_value(rp, low)} bei {name(low)} bis {_running_value(rp, high)} "
            f"bei {name(high)}")
    supported = [p for p in pairs if wf.supported(p)]
    if supported:
        return Sentence(f"Wie oft Opfer die Tat anzeigen, hängt vom Delikt ab: {span} "
                        f"(gesicherter Abstand zwischen benachbarten Delikten, {_p(supported[0])}).",
                        [supported[0].id])
    return Sentence(f"Der Anteil der Opfer, die die Tat angezeigt haben, reicht {span}; bei den wenigen Opfern "
                    "je Delikt sind diese Unterschiede statistisch nicht gesichert.")


# --- associations ----------------------------------------------------------------------------------

def problem_association_sentence(rp: ReportProfile) -> Sentence | None:
    """Problems whose perception goes together with more night-time insecurity (supported findings)."""
    findings = [f for f in rp.family("association:unsicher_nachts:problems")
                if wf.supported(f) and f.direction == Direction.HIGHER]
    if not findings:
        return None
    first = findings[0]
    # »oder«: each problem on its own goes with more insecurity (»Wer A und B … sieht« would mean both at once)
    names = join_de([f"»{problem_label(rp.indicator(f.subject).label)}«" for f in findings[:3]], "oder")
    return Sentence(
        f"Wer {names} als ziemliches oder großes Problem sieht, fühlt sich nachts häufiger unsicher als die "
        f"übrigen Befragten; bei »{problem_label(rp.indicator(first.subject).label)}« sind es "
        f"{fmt.percent(estimate_of(first, 'group').value)} gegenüber {fmt.percent(estimate_of(first, 'rest').value)} "
        f"({_p(first)}). Das ist ein Zusammenhang, kein Nachweis einer Ursache.", [f.id for f in findings[:3]])


def driver_sentence(rp: ReportProfile) -> Sentence | None:
    drivers = rp.document.drivers
    if not drivers.available:
        return None
    labels = {r.term: r.label for r in drivers.ranking}
    findings = [f for f in rp.family("association:unsicher_nachts") if wf.supported(f)]
    if not findings:
        return Sentence("Keines der geprüften Merkmale hängt – bei gleichzeitiger Berücksichtigung aller – "
                        "statistisch gesichert mit der nächtlichen Unsicherheit zusammen.")
    names = join_de([f"»{labels.get(f.subject, f.subject)}«" for f in findings])
    method = wf.method_name(findings[0].adjustment)
    return Sentence(f"Bei gleichzeitiger Berücksichtigung aller Merkmale hängt die nächtliche Unsicherheit "
                    f"statistisch gesichert mit {names} zusammen (Wald-Test je Merkmal, {method}-adjustiert).",
                    [f.id for f in findings])


# --- PKS -------------------------------------------------------------------------------------------

def rate_ratio_sentence(rr: RateRatio, where: str, finding: Finding | None, level: float = 0.95) -> Sentence:
    ratio = rr.ratio
    ci = (f"Verhältnis der Häufigkeitszahlen {fmt.decimal(ratio, 2)}, {fmt.ci_label(level)} "
          f"{fmt.interval(rr.ci_low, rr.ci_high, kind='decimal')}")
    if wf.supported(finding):
        if finding.direction == Direction.HIGHER:
            return Sentence(f"Die Belastung liegt um {fmt.percent(ratio - 1, 0)} über der {where} ({ci}; "
                            f"{_p(finding)}).", [finding.id])
        return Sentence(f"Die Belastung liegt um {fmt.percent(1 - ratio, 0)} unter der {where} ({ci}; "
                        f"{_p(finding)}).", [finding.id])
    if finding is not None:  # the adjusted p says why an interval without 1 can still be »nicht gesichert«
        return Sentence(f"Die Belastung unterscheidet sich nicht gesichert von der {where} ({ci}; {_p(finding)}).")
    return Sentence(f"Die Belastung verglichen mit der {where}: {ci}.")


def trend_sentence(trend: Trend, finding: Finding | None, level: float = 0.95) -> Sentence:
    years = trend.years
    change = trend.rate_ratio - 1
    span = f"{years[0]}–{years[-1]}"
    ci = (f"{fmt.ci_label(level)} {fmt.percent(trend.ci_low - 1, 1, sign=True)} bis "
          f"{fmt.percent(trend.ci_high - 1, 1, sign=True)} pro Jahr")
    if wf.supported(finding):
        if finding.direction == Direction.HIGHER:
            return Sentence(f"Im Zeitraum {span} ist die Häufigkeitszahl im Mittel um {fmt.percent(change, 1)} pro "
                            f"Jahr gestiegen ({ci}; {_p(finding)}).", [finding.id])
        return Sentence(f"Im Zeitraum {span} ist die Häufigkeitszahl im Mittel um {fmt.percent(-change, 1)} pro "
                        f"Jahr gesunken ({ci}; {_p(finding)}).", [finding.id])
    if finding is not None:
        evidence = "die Veränderung kann Zufall sein" if wf.in_plain_language() else _p(finding)
        return Sentence(f"Im Zeitraum {span} zeigt die Häufigkeitszahl keinen gesicherten Trend ({ci}; {evidence}).")
    return Sentence(f"Im Zeitraum {span} veränderte sich die Häufigkeitszahl im Mittel um "
                    f"{fmt.percent(change, 1, sign=True)} pro Jahr ({ci}).")


def pks_finding(rp: ReportProfile, kind: str, offence: Offence, reference: str | None = None) -> Finding | None:
    """The trend or reference finding of an offence group of the commune (``None`` without findings)."""
    if kind == "trend":
        return rp.finding(f"trend:{rp.document.commune.ags}:{offence.id}")
    return rp.finding(f"reference:{reference}:{offence.id}")


def not_significant_mark(finding: Finding | None) -> str:
    """`` (n. s.)`` for a table cell whose finding does not support a difference (nothing without findings)."""
    return "" if finding is None or wf.supported(finding) else " (n. s.)"


__all__ = ["Sentence", "claims_of", "joined", "driver_sentence", "estimate_of", "estimate_point", "not_significant_mark",
           "pks_finding",
           "problem_association_sentence", "ranking_top", "rate_ratio_sentence", "reporting_sentence",
           "subgroup_sentence", "top_problem_sentence", "trend_sentence", "victim_ranking_sentence",
           "worry_sentence"]
