"""German sentences generated from the profile (key findings, chapter leads).

Every number goes through :mod:`survey.report.formatting`. A suppressed estimate (fewer than 10
respondents) never appears: sentences that would need it are left out or say "nicht ausgewiesen";
unreliable estimates are marked "eingeschränkt belastbar".
"""

from __future__ import annotations

from survey.report import formatting as fmt
from survey.report.charts._common import join_de
from survey.wording import crime as wc
from survey.report.lagebericht.profile import ReportProfile, flag_of, shown

UNRELIABLE = "eingeschränkt belastbar"
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


def kind_of(record: dict) -> str:
    return "percent" if record.get("kind", "proportion") == "proportion" else "decimal"


def value(record: dict | None) -> str:
    """The formatted estimate with flag marks (``/`` suppressed, ``(…)`` unreliable)."""
    if record is None:
        return fmt.MISSING
    return fmt.estimate(record.get("estimate"), flag_of(record), kind_of(record))


def bracketed_value(record: dict | None) -> str:
    """The estimate for use inside parentheses: unreliable ones say so in words, not with more brackets."""
    if record is not None and shown(record) and flag_of(record) == fmt.FLAG_UNRELIABLE:
        return f"{plain_value(record)}, statistisch unsicher"
    return value(record)


def plain_value(record: dict) -> str:
    return fmt.value(record.get("estimate"), kind_of(record))


def ci_text(record: dict, level: float = 0.95) -> str:
    """``95-%-KI 33,8–43,2 %`` plus ``; eingeschränkt belastbar`` for unreliable estimates."""
    text = f"{fmt.ci_label(level)} {fmt.interval(record.get('ci_low'), record.get('ci_high'), kind=kind_of(record))}"
    if flag_of(record) == fmt.FLAG_UNRELIABLE:
        text += f"; {UNRELIABLE}"
    return text


def value_with_ci(record: dict | None, level: float = 0.95) -> str:
    """``38,4 % (95-%-KI 33,8–43,2 %)``; suppressed → ``nicht ausgewiesen``."""
    if not shown(record):
        return "nicht ausgewiesen"
    return f"{plain_value(record)} ({ci_text(record, level)})"


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
    if label.startswith("ziemliches oder großes Problem: "):
        return f"sehen ein ziemliches oder großes Problem ({label.split(': ', 1)[1]})"
    if label.startswith("Opfer "):
        head, _, what = label.partition(": ")
        return f"wurden {head} ({what})" if what else f"wurden {label}"
    if first[:1].islower():
        head, _, what = label.partition(": ")
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
    if record.get("kind") == "mean":
        return f"{record['label']}: Mittelwert {plain_value(record)} ({ci_text(record, rp.level)})."
    predicate = label_predicate(record["label"])
    if predicate is None:
        return f"{record['label']}: {value_with_ci(record, rp.level)}."
    return f"{plain_value(record)} der Befragten {predicate} ({ci_text(record, rp.level)})."


def _overlap(a: dict, b: dict) -> bool:
    return not (a["ci_low"] > b["ci_high"] or b["ci_low"] > a["ci_high"])


def subgroup_sentence(rp: ReportProfile, indicator_id: str, by: str, by_label: str) -> str | None:
    """Highest vs lowest group of a breakdown, with the interval check; None if < 2 groups shown."""
    records = [r for r in rp.breakdown(indicator_id, by) if shown(r)]
    hidden = [r for r in rp.breakdown(indicator_id, by) if not shown(r)]
    if len(records) < 2:
        return None
    high = max(records, key=lambda r: r["estimate"])
    low = min(records, key=lambda r: r["estimate"])
    if high is low:
        return None
    text = (f"Nach {by_label}: am höchsten bei »{high['group_label']}« ({bracketed_value(high)}), am niedrigsten "
            f"bei »{low['group_label']}« ({bracketed_value(low)}).")
    if _overlap(high, low):
        text += " Die Konfidenzintervalle überschneiden sich; der Unterschied kann auch zufällig sein."
    else:
        text += " Die Konfidenzintervalle überschneiden sich nicht; der Unterschied ist deutlich."
    if hidden:
        names = join_de([f"»{r['group_label']}«" for r in hidden])
        text += f" Für {names} wird wegen zu weniger Antworten kein Wert ausgewiesen."
    return text


def problem_label(label: str) -> str:
    """``ziemliches oder großes Problem: Müll`` → ``Müll``."""
    return label.split(": ", 1)[1] if ": " in label else label


def top_problem_sentence(rp: ReportProfile) -> str | None:
    problems = [p for p in rp.data.get("problems", []) if shown(p["prevalence"])]
    if not problems:
        return None
    top = sorted(problems, key=lambda p: -p["prevalence"]["estimate"])
    first = top[0]
    text = (f"Als größtes Problem im Wohnumfeld gilt »{problem_label(first['label'])}«: "
            f"{value_with_ci(first['prevalence'], rp.level)} sehen hier ein ziemliches oder großes Problem.")
    if len(top) >= 3:
        others = join_de([f"»{problem_label(p['label'])}« ({bracketed_value(p['prevalence'])})" for p in top[1:3]])
        text += f" Es folgen {others}."
    return text


def strongest_association_sentence(rp: ReportProfile) -> str | None:
    """The problem whose perception goes with the largest (secured) difference in night-time
    insecurity."""
    candidates = [p for p in rp.data.get("problems", [])
                  if p["association"].get("difference") is not None
                  and flag_of(p["association"]) != fmt.FLAG_SUPPRESSED
                  and p["association"].get("ci_low") is not None and p["association"]["ci_low"] > 0]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: p["association"]["difference"])
    a = best["association"]
    text = (f"Wer »{problem_label(best['label'])}« als ziemliches oder großes Problem sieht, fühlt sich "
            f"nachts häufiger unsicher ({fmt.percent(a['share_with'])} gegenüber "
            f"{fmt.percent(a['share_without'])}; Unterschied {fmt.percentage_points(a['difference'])}, "
            f"{fmt.ci_label(rp.level)} {fmt.interval(a['ci_low'], a['ci_high'], kind='pp')}")
    if flag_of(a) == fmt.FLAG_UNRELIABLE:
        text += f"; {UNRELIABLE}"
    return text + ")."


def victim_sentence(rp: ReportProfile) -> str | None:
    base = indicator_sentence(rp, "opfer_12m_irgendein")
    offences = [i for i in rp.indicators if i["id"].startswith("opfer_12m_") and i["id"] != "opfer_12m_irgendein"
                and shown(i)]
    if not offences:
        return base
    top = max(offences, key=lambda i: i["estimate"])
    what = top["label"].split(": ", 1)[-1]
    text = f"Am häufigsten genannt wird {what} ({bracketed_value(top)})."
    return f"{base} {text}" if base else text


def reporting_sentence(rp: ReportProfile) -> str | None:
    rates = [i for i in rp.indicators if i["id"].startswith("anzeigequote_") and shown(i)]
    if not rates:
        return None
    low = min(rates, key=lambda i: i["estimate"])
    high = max(rates, key=lambda i: i["estimate"])
    name = lambda i: i["label"].replace("Anzeigequote ", "").replace(" (unter den Opfern)", "")  # noqa: E731
    if low is high:
        return f"Von den Opfern von {name(low)} haben {value(low)} die Tat angezeigt."
    return (f"Wie oft Opfer die Tat anzeigen, hängt stark vom Delikt ab: von {value(low)} bei "
            f"{name(low)} bis {value(high)} bei {name(high)}.")


def driver_sentence(rp: ReportProfile) -> str | None:
    drivers = rp.data.get("drivers", {})
    if not drivers.get("available"):
        return None
    secured = [r for r in drivers.get("ranking", []) if r.get("p_value") is not None and r["p_value"] < 0.05]
    if not secured:
        return ("Keines der geprüften Merkmale hängt – bei gleichzeitiger Berücksichtigung aller – "
                "statistisch gesichert mit der nächtlichen Unsicherheit zusammen.")
    names = join_de([f"»{r['label']}«" for r in secured[:3]])
    return (f"Bei gleichzeitiger Berücksichtigung aller Merkmale hängt die nächtliche Unsicherheit "
            f"am stärksten mit {names} zusammen (statistisch gesichert, p{NBSP}<{NBSP}0,05).")


TOTAL_KEY, WITHOUT_IMMIGRATION_KEY = "------", "890000"


def _total_offence(rp: ReportProfile) -> dict | None:
    """The headline total (chosen by the border rule in the engine)."""
    crime = rp.data.get("crime", {})
    if not crime.get("available"):
        return None
    offences = crime.get("offences", [])
    for o in offences:
        if o.get("headline"):
            return o
    key = (crime.get("total") or {}).get("key", TOTAL_KEY)
    for o in offences:
        if key in o.get("keys", []):
            return o
    return offences[0] if offences else None


def _other_total(rp: ReportProfile, total: dict) -> dict | None:
    """The total that is not the headline (``------`` or ``890000``), if the profile has it."""
    for o in rp.data.get("crime", {}).get("offences", []):
        if o is not total and set(o.get("keys", [])) & {TOTAL_KEY, WITHOUT_IMMIGRATION_KEY} and o.get("series"):
            return o
    return None


def _total_label(rp: ReportProfile, total: dict) -> str:
    if WITHOUT_IMMIGRATION_KEY in total.get("keys", []):
        return "Straftaten (ohne Verstöße gegen das Aufenthalts-, Asyl- und Freizügigkeitsgesetz)"
    return total["label"].replace("Straftaten insgesamt", "Straftaten")


def other_total_sentence(rp: ReportProfile, total: dict) -> str | None:
    """Reconciles the report with the police's published figure: the second total in words."""
    other = _other_total(rp, total)
    if other is None:
        return None
    last = other["series"][-1]
    figures = f"{fmt.integer(last['faelle'])} Fälle (Häufigkeitszahl {fmt.hz(last['hz']['rate'])})"
    if TOTAL_KEY in other.get("keys", []):
        return (f"Einschließlich der Verstöße gegen das Aufenthalts-, Asyl- und Freizügigkeitsgesetz – so "
                f"veröffentlicht die Polizei die Zahl »Straftaten insgesamt« – waren es {figures}.")
    return f"Ohne Verstöße gegen das Aufenthalts-, Asyl- und Freizügigkeitsgesetz waren es {figures}."


def landkreis_sentences(rp: ReportProfile, offence: dict) -> list[str]:
    """The whole Landkreis's HZ and the rate ratio against the rest of it, or why there is no comparison."""
    crime = rp.data.get("crime", {})
    landkreis = crime.get("landkreis") or {}
    if landkreis and not landkreis.get("available"):
        reason = wc.landkreis_reason(landkreis.get("reason"), ags=rp.data["commune"]["ags"],
                                     kreis=landkreis.get("requested", "")[:5], requested=landkreis.get("requested", ""),
                                     derived=bool(landkreis.get("derived")))
        return [reason or "Ein Vergleich mit dem Landkreis ist nicht möglich."]
    whole = offence.get("hz_landkreis")
    rr = offence.get("rate_ratio_landkreis")
    comparison = rate_ratio_sentence(rr, "im übrigen Landkreis", rp.level) if rr and rr.get("ratio") is not None else None
    if whole and whole.get("rate") is not None:
        lead = f"Im ganzen Landkreis lag die Häufigkeitszahl {crime['latest_year']} bei {fmt.hz(whole['rate'])}"
        return [f"{lead}; {comparison[0].lower()}{comparison[1:]}" if comparison else f"{lead}."]
    return [comparison] if comparison else []


def pks_sentences(rp: ReportProfile) -> list[str]:
    crime = rp.data.get("crime", {})
    if not crime.get("available"):
        return [f"Für {rp.commune} lag keine Polizeiliche Kriminalstatistik vor; der Bericht stützt sich "
                "allein auf die Befragung."]
    total = _total_offence(rp)
    if total is None or not total.get("series"):
        return ["Die Kriminalstatistik enthält keine auswertbare Gesamtzahl der Straftaten."]
    last = total["series"][-1]
    hz = last["hz"]
    out = [f"{last['jahr']} registrierte die Polizei in {rp.commune} {fmt.integer(last['faelle'])} "
           f"{_total_label(rp, total)}"
           f"; das entspricht einer Häufigkeitszahl von {fmt.hz(hz['rate'])} je 100.000 Einwohner "
           f"({fmt.ci_label(rp.level)} {fmt.interval(hz['ci_low'], hz['ci_high'], kind='hz')})."]
    other = other_total_sentence(rp, total)
    border = WITHOUT_IMMIGRATION_KEY in total.get("keys", [])
    if other and border:  # the police's published total differs a lot: say so right away
        out.append(other)
    out.extend(landkreis_sentences(rp, total))
    trend = total.get("trend")
    if trend and trend.get("rate_ratio") is not None:
        out.append(trend_sentence(trend, rp.level))
    if other and not border:
        out.append(other)
    if total.get("small_count"):
        out.append("Die Fallzahlen sind klein; einzelne Taten oder Serien verändern die Häufigkeitszahl "
                   "stark. Aussagekräftiger ist der Mittelwert mehrerer Jahre.")
    return out


def _verdict(record: dict, above: str, below: str) -> str:
    """The engine's verdict on a ratio's interval (profiles before it was stored: read from the interval)."""
    if record.get("verdict") is not None:
        return record["verdict"]
    if record["ci_low"] > 1:
        return above
    return below if record["ci_high"] < 1 else "kein_unterschied"


def rate_ratio_sentence(rr: dict, where: str, level: float = 0.95) -> str:
    ratio = rr["ratio"]
    ci = f"Rate Ratio {fmt.decimal(ratio, 2)}, {fmt.ci_label(level)} {fmt.interval(rr['ci_low'], rr['ci_high'], kind='decimal')}"
    verdict = _verdict(rr, "hoeher", "niedriger")
    if verdict == "hoeher":
        return f"Die Belastung liegt um {fmt.percent(ratio - 1, 0)} über der {where} ({ci})."
    if verdict == "niedriger":
        return f"Die Belastung liegt um {fmt.percent(1 - ratio, 0)} unter der {where} ({ci})."
    return f"Die Belastung unterscheidet sich nicht gesichert von der {where} ({ci})."


def trend_sentence(trend: dict, level: float = 0.95) -> str:
    years = trend["years"]
    change = trend["rate_ratio"] - 1
    span = f"{years[0]}–{years[-1]}"
    ci = (f"{fmt.ci_label(level)} {fmt.percent(trend['ci_low'] - 1, 1, sign=True)} bis "
          f"{fmt.percent(trend['ci_high'] - 1, 1, sign=True)} pro Jahr")
    verdict = _verdict(trend, "steigend", "fallend")
    if verdict == "steigend":
        return f"Im Zeitraum {span} ist die Häufigkeitszahl im Mittel um {fmt.percent(change, 1)} pro Jahr gestiegen ({ci})."
    if verdict == "fallend":
        return f"Im Zeitraum {span} ist die Häufigkeitszahl im Mittel um {fmt.percent(-change, 1)} pro Jahr gesunken ({ci})."
    return f"Im Zeitraum {span} zeigt die Häufigkeitszahl keinen gesicherten Trend ({ci})."


def recommendations_sentence(rp: ReportProfile) -> str:
    recs = rp.data.get("recommendations", [])
    if not recs:
        return "Aus den Befunden ergibt sich keine der hinterlegten Handlungsempfehlungen."
    high = sum(1 for r in recs if r["priority"] == "hoch")
    word = "Handlungsempfehlung" if len(recs) == 1 else "Handlungsempfehlungen"
    text = f"Aus den Befunden ergeben sich {fmt.integer(len(recs))} {word}"
    if high:
        text += f", davon {fmt.integer(high)} mit hoher Priorität"
    return text + "; jede ist mit den Befunden belegt, die sie auslösen (Kapitel Handlungsempfehlungen)."


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
            out.append(s.replace("Nach ", "Nächtliche Unsicherheit nach ", 1))
    for s in (indicator_sentence(rp, "meidet_orte"), top_problem_sentence(rp),
              strongest_association_sentence(rp), driver_sentence(rp), victim_sentence(rp),
              indicator_sentence(rp, "vertrauen_polizei_hoch")):
        if s:
            out.append(s)
    crime = pks_sentences(rp)
    out.append(" ".join(crime[:2]))
    out.append(recommendations_sentence(rp))
    return out
