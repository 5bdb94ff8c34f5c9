"""German words for the engine's findings (``analysis.findings``): strength, direction, the
multiple-testing methods and the families. The report maps these codes to words; it never decides
whether a difference is clear, a lead or a trend (the finding's ``strength`` and ``direction`` do)."""

from __future__ import annotations

import contextlib
import contextvars

from survey.profile.local import MultipleTesting
from survey.report import formatting as fmt
from analysis.findings.types import Direction, Finding, Strength

# strength -> adverb before "höher"/"niedriger" (none: no statement of a difference at all)
STRENGTH_ADVERB = {"weak": "etwas", "clear": "deutlich", "strong": "erheblich"}
# strength -> the criterion's wording "mindestens …"
STRENGTH_CRITERION = {"weak": "statistisch gesichert", "clear": "deutlich (gesichert und relevant)",
                      "strong": "erheblich (p < 0,001 und groß)"}
METHOD_NAMES = {"holm": "Holm", "bh": "Benjamini-Hochberg", "bonferroni": "Bonferroni", "hochberg": "Hochberg",
                "by": "Benjamini-Yekutieli", "none": "ohne Korrektur"}
GUARANTEES = {
    "fwer": "die Wahrscheinlichkeit, dass auch nur einer der gesichert genannten Unterschiede Zufall ist, "
            "bleibt unter 5 %",
    "fdr": "unter den gesichert genannten Unterschieden sind im Mittel höchstens 5 % Zufallsbefunde",
}
# kind -> what its family is, for the methods chapter (one sentence per kind)
KIND_FAMILIES = {
    "subgroup": "Gruppe gegenüber den übrigen Befragten (je Indikator und Merkmal)",
    "breakdown": "Unterschiede innerhalb eines Merkmals insgesamt (je Indikator)",
    "hotspot": "Ortsteil gegenüber dem Rest der Kommune (alle Ortsteile und Indikatoren zusammen)",
    "ranking": "Rangfolgen (benachbarte Plätze)",
    "trend": "Trends der Kriminalstatistik (je Gebiet)",
    "reference": "Vergleich mit Landkreis und Land (je Vergleichsgebiet)",
    "association": "Zusammenhänge mit der nächtlichen Unsicherheit (je Modell)",
    "change": "Veränderungen zwischen Befragungswellen",
}
KIND_ORDER = tuple(KIND_FAMILIES)


def method_name(code: str | None) -> str:
    return METHOD_NAMES.get(code or "none", code or "")


# The audience of the text being built: the Kurzbericht is read by citizens, who get »statistisch gesichert«
# (explained once in the Kurzbericht) instead of the method and the adjusted p-value.
_PLAIN = contextvars.ContextVar("plain_language", default=False)
PLAIN_SUPPORTED = "statistisch gesichert"
PLAIN_UNSUPPORTED = "der Unterschied kann Zufall sein"


@contextlib.contextmanager
def plain_language():
    """Within this block, :func:`adjusted` words the evidence for citizens."""
    token = _PLAIN.set(True)
    try:
        yield
    finally:
        _PLAIN.reset(token)


def in_plain_language() -> bool:
    """True inside :func:`plain_language` (the Kurzbericht)."""
    return _PLAIN.get()


def adjusted(finding: Finding, p_text) -> str:  # noqa: ANN001 (p_text: survey.report.formatting.p_value)
    """``Holm-adjustiert p = 0,003`` (``p_text`` formats the number); in :func:`plain_language`
    »statistisch gesichert« or »der Unterschied kann Zufall sein«, by the engine's strength."""
    return adjusted_p(finding.adjustment, finding.p_adjusted, supported(finding), p_text)


def adjusted_p(method: str | None, p_adjusted: float | None, is_supported: bool, p_text) -> str:  # noqa: ANN001
    """:func:`adjusted` from the parts a finding or a rule's evidence records (``is_supported``: the engine's
    strength is not ``none`` and its direction not ``equal``)."""
    if _PLAIN.get():
        return PLAIN_SUPPORTED if is_supported else PLAIN_UNSUPPORTED
    method = method or "none"
    if method == "none":
        return p_text(p_adjusted)
    return f"{method_name(method)}-adjustiert {p_text(p_adjusted)}"


def supported(finding: Finding | None) -> bool:
    """True if the engine supports a difference (adjusted significance): strength is not ``none``."""
    return finding is not None and finding.strength != Strength.NONE and finding.direction != Direction.EQUAL


def comparative(finding: Finding) -> str:
    """``deutlich höher`` / ``etwas niedriger`` (only for supported findings)."""
    word = "höher" if finding.direction == Direction.HIGHER else "niedriger"
    return f"{STRENGTH_ADVERB[finding.strength]} {word}"


def multiple_testing_text(block: MultipleTesting | None) -> str | None:
    """The methods chapter's paragraph on multiple testing: which adjustment each kind of finding uses,
    how many tests each kind has and how many results chance alone would give (``methods.multiple_testing``)."""
    if block is None or not block.families:
        return None
    by_kind: dict[str, dict] = {}
    for family in block.families:
        entry = by_kind.setdefault(family.kind, {"method": family.method, "tested": 0, "significant": 0,
                                                 "expected": 0.0, "families": 0})
        entry["tested"] += family.tested
        entry["significant"] += family.significant
        entry["expected"] += family.expected_by_chance
        entry["families"] += 1
    parts = []
    for kind in KIND_ORDER:
        entry = by_kind.get(kind)
        if entry is None or not entry["tested"]:
            continue
        parts.append(f"{KIND_FAMILIES[kind]}: {method_name(entry['method'])}-Verfahren, "
                     f"{fmt.integer(entry['tested'])} Tests in {fmt.integer(entry['families'])} "
                     f"{'Familie' if entry['families'] == 1 else 'Familien'}, davon {fmt.integer(entry['significant'])} "
                     f"gesichert (ohne Korrektur wären durch Zufall allein etwa {fmt.integer(round(entry['expected']))} "
                     f"zu erwarten)")
    alpha = fmt.percent(block.alpha, 0)
    return ("Viele Vergleiche: Ein Unterschied, eine Rangfolge, ein Trend, ein Vergleich mit Landkreis oder Land "
            "und ein Zusammenhang heißt in diesem Bericht nur dann gesichert, wenn sein Test auch nach einer "
            f"Korrektur für die Zahl der Vergleiche in seiner Familie unter {alpha} bleibt. Holm-Verfahren: "
            f"{GUARANTEES['fwer']}; Benjamini-Hochberg-Verfahren (für die Suche nach auffälligen Ortsteilen): "
            f"{GUARANTEES['fdr']}. Eine Gruppe wird immer mit den übrigen Befragten verglichen, nie mit einem "
            "Gesamtwert, der sie enthält. Je Art des Befunds: " + "; ".join(parts) + ".")
