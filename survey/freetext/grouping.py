"""Automatic grouping proposals for normalised mentions (fuzzy matching with rapidfuzz).

Scorer and threshold were chosen on realistic spelling variants (``tests/test_freetext_grouping.py``):
``rapidfuzz.fuzz.token_sort_ratio`` on the :func:`~survey.freetext.normalise.grouping_form` with
abbreviations expanded, threshold :data:`THRESHOLD` = 85.

* word order does not matter (»Bahnhof Unterführung« = »Unterführung am Bahnhof«: 100),
* compounds meet their parts (»Bahnhofsunterführung« vs »Unterführung Bahnhof«: 95),
* typing errors are tolerated (»Unterfürung«: 98),
* but a different place with a shared word stays apart (»Busbahnhof« vs »Bahnhof«: 82, »Parkplatz am
  Bahnhof« vs »Unterführung am Bahnhof«: 47, »Oststadt« vs »Weststadt«: 82).
``token_set_ratio`` and ``WRatio`` were rejected: they score a mention that is contained in another at
90–100 (»Bahnhof« vs »Unterführung am Bahnhof«, »Rathaus« vs »Tiefgarage am Rathaus«).

Abbreviations written with a full stop (»Unterf. Bahnhof«) are expanded to the most frequent word of
all mentions that starts with them (»unterfuehrung«) before scoring.

Clustering is greedy and deterministic ("leader" clustering): mentions in order of frequency (then
shorter first, then alphabetical) join the best-scoring existing group leader at or above the threshold,
otherwise they found a group; a group is named after the most frequent spelling of its leader. Mentions
the coach has already coded join the coach's category instead (their own, or that of the most similar
coded mention).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from survey.freetext.normalise import display_form, grouping_form

THRESHOLD = 85.0
SCORER = fuzz.token_sort_ratio
MIN_FUZZY_LENGTH = 4  # shorter forms only group when equal


@dataclass(frozen=True)
class Mention:
    """One distinct normalised mention: how many respondents gave it and how they spelt it."""

    key: str
    count: int
    spellings: tuple[tuple[str, int], ...]  # (verbatim spelling, respondents), most frequent first
    abbreviations: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        """Proposed group name when this mention leads a group: its most frequent spelling, tidied."""
        if not self.spellings:
            return self.key
        # most frequent; among equals one without abbreviation dots, then the shortest
        best = sorted(self.spellings, key=lambda s: (-s[1], "." in s[0], len(s[0]), s[0]))[0][0]
        return display_form(best)


def _leader_order(mention: Mention) -> tuple:
    return (-mention.count, len(mention.key), mention.key)


def expanded_forms(mentions: Sequence[Mention]) -> dict[str, str]:
    """key → grouping form with abbreviations replaced by the most frequent full word they start."""
    vocabulary: Counter[str] = Counter()
    for m in mentions:
        for word in grouping_form(m.key).split():
            if word not in m.abbreviations:
                vocabulary[word] += m.count
    words = sorted(vocabulary, key=lambda w: (-vocabulary[w], w))
    forms = {}
    for m in mentions:
        out = []
        for word in grouping_form(m.key).split():
            if word in m.abbreviations and word not in vocabulary:
                word = next((w for w in words if w.startswith(word) and len(w) > len(word)), word)
            out.append(word)
        forms[m.key] = " ".join(out)
    return forms


def similarity(a: str, b: str) -> float:
    """Score of two grouping forms, 0..100."""
    if a == b:
        return 100.0
    if min(len(a), len(b)) < MIN_FUZZY_LENGTH:
        return 0.0
    return float(SCORER(a, b))


def _best(query: str, choices: list[str], threshold: float) -> int | None:
    if not choices:
        return None
    if len(query) < MIN_FUZZY_LENGTH:
        return choices.index(query) if query in choices else None
    found = process.extractOne(query, choices, scorer=SCORER, score_cutoff=threshold)
    if found is None:
        return None
    index = found[2]
    return index if len(choices[index]) >= MIN_FUZZY_LENGTH or choices[index] == query else None


def propose_groups(mentions: Sequence[Mention], existing: Mapping[str, str] | None = None,
                   threshold: float = THRESHOLD) -> dict[str, str]:
    """Proposed group name per mention key.

    ``existing`` maps keys the coach has already coded to the coach's category; those keep it, and
    other mentions that match one of them closely enough are proposed for the same category.
    """
    existing = {k: v for k, v in (existing or {}).items() if v}
    forms = expanded_forms(mentions)
    proposals: dict[str, str] = {}
    coded_keys = [m.key for m in mentions if m.key in existing]
    coded_forms = [forms[k] for k in coded_keys]
    rest = []
    for m in mentions:
        if m.key in existing:
            proposals[m.key] = existing[m.key]
            continue
        index = _best(forms[m.key], coded_forms, threshold)
        if index is not None:
            proposals[m.key] = existing[coded_keys[index]]
        else:
            rest.append(m)
    leader_forms: list[str] = []
    leader_names: list[str] = []
    for m in sorted(rest, key=_leader_order):
        index = _best(forms[m.key], leader_forms, threshold)
        if index is None:
            leader_forms.append(forms[m.key])
            leader_names.append(m.name)
            proposals[m.key] = m.name
        else:
            proposals[m.key] = leader_names[index]
    return proposals
