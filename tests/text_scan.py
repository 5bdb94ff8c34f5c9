"""Scan a text a person reads (CLI help and messages, later PDF/HTML/xlsx text) for what trips a reader.

    from text_scan import scan_context, scan_text, assert_readable
    context = scan_context(questionnaire)              # report text: strict
    context = scan_context(questionnaire, coach=True)  # coach messages: quoted values and columns allowed
    problems = scan_text(text, context)                # [Problem(kind, token, line, excerpt), ...]
    assert_readable(text, context, where="bericht.pdf")

Kinds of problem:

* ``item-id``: an item or indicator id of the questionnaire (``unsicher_nachts``, ``altersgruppe``);
* ``regel``: a rule key: intake ``regel`` codes (:data:`survey.intake.findings.RULES`), recommendation
  rule ids and fields of action (:func:`survey.recommendations.load_rules`);
* ``englisch``: an English word from :data:`ENGLISH_WORDS` (``proportion``, ``Rate Ratio``, ``TEXT``, ``None``);
* ``klammern``: doubled brackets ``((``, ``))``, ``[[``, ``]]``;
* ``satzzeichen``: doubled punctuation (``..``, ``,,``, ``.,``, ``;.``, ASCII ``...``; the ellipsis ``…`` is fine);
* ``bereich``: a hyphen-minus in a number range (``16-29``, ``(1-4)``, ``303-305a``): use »–«;
* ``minus``: a hyphen-minus as a minus sign (``-1,4``, ``(-3``): use »−«.

File names and paths (``ergebnis/profil.json``, ``population.csv``), URLs and command-line options
(``--ziel``) are no prose and are skipped. In ``coach`` mode text in »…« (values and names the coach must
find in a file) and column references (»Spalte ortsteil«, »Spalten a, b und c«) are skipped as well, and
``resp_id`` is allowed: a coach message has to name the column a value stands in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# (word, case-sensitive?) — whole words only. Case matters where a German word looks alike (»Text«,
# »Range« is no German word but »Proportion« is).
ENGLISH_WORDS: tuple[tuple[str, bool], ...] = (
    ("proportion", True), ("estimate", False), ("threshold", False), ("Straight-Lining", False),
    ("straightlining", False), ("Rate Ratio", False), ("TEXT", True), ("INTEGER", True), ("FLOAT", True),
    ("BOOLEAN", True), ("RANGE", True), ("PATH", True), ("range", True), ("None", True), ("nan", True),
    ("NaN", True), ("True", True), ("False", True), ("default", True), ("required", True),
    ("Usage", True), ("Options", True), ("Error", True), ("Warning", True), ("mean", True), ("ci_low", True),
    ("ci_high", True), ("dynamic", True),
)
COACH_TOKENS = frozenset({"resp_id"})
DERIVED_IDS = ("altersgruppe", "resp_id")  # columns the tool adds to the data

_FILE = re.compile(r"(?:https?://\S+|\S*/\S*|[\w.*<>{}-]+\.(?:csv|json|yaml|yml|xlsx|xls|pdf|html|md|sqlite|"
                   r"geojson|sav|dta|parquet|txt|lss|xml|R|sps|py)\b)")
_OPTION = re.compile(r"(?<![\w-])--?[a-z][\w-]*")
_QUOTED = re.compile(r"»[^«\n]*«")
_COLUMNS = re.compile(r"\bSpalten?\s+[\w-]+(?:(?:,\s*|\s+und\s+|\s+oder\s+)[\w-]+)*")
_BRACKETS = re.compile(r"\(\(|\)\)|\[\[|\]\]")
_PUNCTUATION = re.compile(r"\.{3,}|[.,;:][.,;:]|[!?][.,;:]|[,;:][!?]")
_RANGE = re.compile(r"(?<![\w.,-])\d+(?:[.,]\d+)?-\d")
_MINUS = re.compile(r"(?<![\w)\]%-])-(?=\d)")


@dataclass(frozen=True)
class ScanContext:
    """What counts as a problem in one kind of output."""

    item_ids: frozenset[str]
    rule_keys: frozenset[str]
    english: tuple[tuple[str, bool], ...] = ENGLISH_WORDS
    allowed: frozenset[str] = frozenset()
    coach: bool = False
    _patterns: dict = field(default_factory=dict, compare=False, repr=False)

    def pattern(self, kind: str) -> re.Pattern | None:
        if kind not in self._patterns:
            words = {"item-id": self.item_ids, "regel": self.rule_keys}[kind] - self.allowed
            self._patterns[kind] = (re.compile(r"(?<![\w-])(" + "|".join(
                re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w-])") if words else None)
        return self._patterns[kind]


@dataclass(frozen=True)
class Problem:
    kind: str
    token: str
    line: int
    excerpt: str

    def __str__(self) -> str:
        return f"Zeile {self.line}: {self.kind} »{self.token}« in: {self.excerpt}"


def scan_context(questionnaire=None, *, coach: bool = False, allowed: Iterable[str] = (),  # noqa: ANN001
                 extra_ids: Iterable[str] = DERIVED_IDS, rules=None) -> ScanContext:  # noqa: ANN001
    """The context for outputs of ``questionnaire`` (item and indicator ids) and the shipped rules."""
    from survey.intake.findings import RULES

    ids = set(extra_ids)
    if questionnaire is not None:
        ids |= {variable.id for variable in questionnaire.variables}
        ids |= {indicator.id for indicator in questionnaire.indicators}
    if rules is None:
        from survey.recommendations import load_rules

        rules = load_rules()
    keys = set(RULES) | {rule.id for rule in rules.rules} | set(rules.fields_of_action)
    permitted = set(allowed) | (COACH_TOKENS if coach else set())
    return ScanContext(frozenset(ids), frozenset(keys - ids), allowed=frozenset(permitted), coach=coach)


def _blank(text: str, pattern: re.Pattern) -> str:
    """Replace matches by spaces (keeps positions and line numbers for the excerpts)."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def scan_text(text: str, context: ScanContext) -> list[Problem]:
    """Every problem in ``text``, in order of appearance."""
    prose = _blank(_blank(text, _FILE), _OPTION)
    if context.coach:
        prose = _blank(_blank(prose, _QUOTED), _COLUMNS)
    found: list[tuple[int, Problem]] = []
    lines = text.splitlines() or [""]

    def add(kind: str, start: int, token: str) -> None:
        line = text.count("\n", 0, start)
        found.append((start, Problem(kind, token, line + 1, lines[min(line, len(lines) - 1)].strip()[:160])))

    for kind in ("item-id", "regel"):
        pattern = context.pattern(kind)
        if pattern is not None:
            for match in pattern.finditer(prose):
                add(kind, match.start(), match.group(0))
    for word, case_sensitive in context.english:
        if word in context.allowed:
            continue
        flags = 0 if case_sensitive else re.IGNORECASE
        for match in re.finditer(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", prose, flags):
            add("englisch", match.start(), match.group(0))
    for kind, pattern in (("klammern", _BRACKETS), ("satzzeichen", _PUNCTUATION), ("bereich", _RANGE),
                          ("minus", _MINUS)):
        for match in pattern.finditer(prose):
            add(kind, match.start(), match.group(0))
    return [problem for _, problem in sorted(found, key=lambda pair: pair[0])]


def assert_readable(text: str, context: ScanContext, where: str = "") -> None:
    """Fail with every problem listed (German descriptions, so the failure reads like a review)."""
    problems = scan_text(text, context)
    assert not problems, f"{where}: {len(problems)} Stolperstellen\n" + "\n".join(f"  {p}" for p in problems)
