"""German texts and formatted cells shared by the comparison report, the one-pagers and the workbook."""

from __future__ import annotations

from analysis.comparison import Change, FunnelPoint, RankInterval, ShrinkageEstimate
from survey.comparison.loading import Value
from survey.report import formatting as fmt

FLAGS = {"unsicher": fmt.FLAG_UNRELIABLE, "unterdrueckt": fmt.FLAG_SUPPRESSED}
BASIS_TEXT = {"direct": "rohe (direkte) Werte", "standardised": "alters- und geschlechtsstandardisierte Werte"}

METHOD_PARAGRAPHS = (
    "Verglichen wird jeweils die neueste Befragungswelle jeder Kommune. Grundlage sind die Kernindikatoren "
    "der Profile (profil.json), die alle Profile mit derselben Kernversion des Fragebogens enthalten. "
    "Angaben aus weniger als 10 Antworten sind nicht ausgewiesen und gehen nicht in den Vergleich ein.",
    "Trichterdiagramme (Spiegelhalter 2005) statt Ranglisten: Jede Kommune wird gegen ihre Präzision "
    "aufgetragen. Bei Anteilen ist das die effektive Fallzahl n = p(1 − p)/SE², in der der Designeffekt der "
    "Gewichtung schon enthalten ist. Gerechnet wird auf der Arkussinus-Skala y = arcsin √p mit dem "
    "Standardfehler SE/(2 √(p(1 − p))) (Delta-Methode, gleich 1/(2 √n)). Die Grenzen für 95 % und 99,8 % "
    "liegen um den präzisionsgewichteten Gesamtwert und enthalten eine additive Überdispersion τ², "
    "geschätzt nach DerSimonian-Laird: Kommunen unterscheiden sich auch real, nicht nur zufällig. "
    "Eine Kommune außerhalb der 99,8-%-Grenzen weicht deutlich ab; innerhalb der Grenzen ist ein "
    "Unterschied nicht von Zufall und üblicher Streuung zu trennen.",
    "Standardisierte Werte: direkte Standardisierung nach Alter und Geschlecht auf eine feste "
    "Standardbevölkerung (wie in den Profilen). Sie zeigen, wie eine Kommune mit gleicher "
    "Bevölkerungsstruktur abschneiden würde. Sie stehen in den Tabellen neben den rohen Werten; "
    "Trichterdiagramme, Rangintervalle und empirische Bayes-Schätzungen beruhen auf den rohen Werten, die "
    "auch die Berichte der Kommunen zeigen. Die Trichterstatistik der standardisierten Werte enthält die "
    "Arbeitsmappe vergleich.xlsx.",
    "Rangintervalle statt Ränge: Die Schätzwerte werden 2.000-mal aus ihrer Normalverteilung "
    "(Schätzwert, Standardfehler) gezogen (fester Startwert), in jeder Ziehung werden die Kommunen "
    "geordnet (Rang 1 = höchster Wert). Das Rangintervall enthält 95 % dieser Ränge.",
    "Empirische Bayes-Schätzung (Fay-Herriot) neben, nicht anstelle der direkten Werte: Der Wert einer "
    "Kommune wird umso stärker zum Gesamtwert hin gezogen, je unsicherer er ist (Schrumpfungsfaktor "
    "B = SE²/(SE² + τ²)); τ² per REML, mittlerer quadratischer Fehler nach Prasad-Rao. Das hilft bei "
    "kleinen Kommunen, ist aber eine Modellschätzung; Ranglisten werden daraus nicht gebildet.",
    "Veränderungen zwischen Wellen: Differenz der direkten Werte zweier unabhängiger Stichproben mit "
    "Standardfehler √(SE₁² + SE₂²), 95-%-Intervall und Wald-Test.",
)


def kind_of(indicator_kind: str) -> str:
    return "percent" if indicator_kind == "proportion" else "decimal"


def unit_of(indicator_kind: str) -> str:
    return "share" if indicator_kind == "proportion" else "mean"


def number(x: float | None, indicator_kind: str) -> str:
    return fmt.value(x, kind_of(indicator_kind)) if x is not None else fmt.MISSING


def value_text(value: Value | None, indicator_kind: str) -> str:
    if value is None:
        return fmt.MISSING
    return fmt.estimate(value.estimate, FLAGS.get(value.flag), kind_of(indicator_kind))


def interval_text(value: Value | None, indicator_kind: str) -> str:
    if value is None or value.flag == "unterdrueckt":
        return fmt.MISSING
    return fmt.interval(value.ci_low, value.ci_high, kind=kind_of(indicator_kind))


def value_with_interval(value: Value | None, indicator_kind: str) -> str:
    main = value_text(value, indicator_kind)
    ci = interval_text(value, indicator_kind)
    return main if ci == fmt.MISSING else f"{main} ({ci})"


def rank_text(rank: RankInterval | None, k: int | None = None) -> str:
    """``1–3`` (or ``1–3 von 5`` with ``k``)."""
    if rank is None:
        return fmt.MISSING
    span = str(rank.low) if rank.low == rank.high else f"{rank.low}{fmt.EN_DASH}{rank.high}"
    return span if k is None else f"{span} von {k}"


def eb_value(estimate: ShrinkageEstimate | None, indicator_kind: str) -> str:
    return fmt.MISSING if estimate is None else number(estimate.eb, indicator_kind)


def position_text(point: FunnelPoint | None) -> str:
    return point.position if point is not None else fmt.MISSING


def eb_text(estimate: ShrinkageEstimate | None, indicator_kind: str) -> str:
    if estimate is None:
        return fmt.MISSING
    half = 1.959964 * estimate.rmse
    lo, hi = estimate.eb - half, estimate.eb + half
    if indicator_kind == "proportion":
        lo, hi = max(0.0, lo), min(1.0, hi)
    return f"{number(estimate.eb, indicator_kind)} ({fmt.interval(lo, hi, kind=kind_of(indicator_kind))})"


def change_text(change: Change, indicator_kind: str) -> tuple[str, str]:
    """Difference and its interval: percentage points for shares, decimals for means."""
    if indicator_kind == "proportion":
        return fmt.percentage_points(change.difference), fmt.interval(change.ci_low, change.ci_high, kind="pp")
    return (fmt.decimal(change.difference, 2, sign=True),
            fmt.interval(change.ci_low, change.ci_high, kind="decimal"))


def change_sentence(name: str, label: str, change: Change, indicator_kind: str) -> str:
    diff, ci = change_text(change, indicator_kind)
    before = number(change.estimate_from, indicator_kind)
    after = number(change.estimate_to, indicator_kind)
    if change.significant:
        direction = "gestiegen" if change.difference > 0 else "gesunken"
        verdict = f"ist {direction} ({diff}, 95-%-KI {ci}, {fmt.p_value(change.p_value)})"
    else:
        verdict = (f"hat sich nicht erkennbar verändert ({diff}, 95-%-KI {ci}, {fmt.p_value(change.p_value)}); "
                   "der Unterschied kann Zufall sein")
    return f"{name}: {label} {verdict}: {before} ({change.year_from}) gegenüber {after} ({change.year_to})."
