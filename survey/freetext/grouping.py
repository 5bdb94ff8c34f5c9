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

Before scoring, abbreviations written with a full stop (»Unterf. Bahnhof«) are expanded to the most
frequent word of all mentions that starts with them (»unterfuehrung«), and compounds are split into two
words that respondents also wrote on their own (»Stadtmauerpark« → »stadtmauer park« when »Park an der
Stadtmauer« occurs; linking »s«/»es«/»n«/»en« allowed). A mention that adds exactly one word to another
of at least two words is the same place, more precisely described (»Parkplatz Einkaufszentrum Oststadt« –
»Parkplatz am Einkaufszentrum«: 85 is just missed by the score).

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
        best = sorted(self.spellings, key=lambda s: (-s[1], _abbreviated(s[0]), len(s[0]), s[0]))[0][0]
        return display_form(best)


def _abbreviated(spelling: str) -> bool:
    """Written with an abbreviation: a full stop or an upper-case short form (»ZOB«)."""
    return "." in spelling or any(w.isupper() and 2 <= len(w) <= 4 for w in spelling.split())


def _leader_order(mention: Mention) -> tuple:
    return (-mention.count, len(mention.key), mention.key)


LINKS = ("", "s", "es", "n", "en")  # German linking elements inside compounds (Bahnhof-s-unterführung)
MIN_PART = 4


def _decompound(word: str, vocabulary: Mapping[str, int]) -> list[str]:
    """A compound split into two words that respondents also wrote on their own (»stadtmauerpark« →
    »stadtmauer park« when »Stadtmauer« and »Park« occur); the word itself otherwise."""
    best: tuple[int, list[str]] | None = None
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:i], word[i:]
        if tail not in vocabulary:
            continue
        for link in LINKS:
            stem = head[: len(head) - len(link)] if link else head
            if head.endswith(link) and len(stem) >= MIN_PART and stem in vocabulary:
                if best is None or min(len(stem), len(tail)) > best[0]:
                    best = (min(len(stem), len(tail)), [stem, tail])
    return best[1] if best else [word]


def expanded_forms(mentions: Sequence[Mention]) -> dict[str, str]:
    """key → grouping form with abbreviations replaced by the most frequent full word they start and
    compounds split into words that occur on their own."""
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
            out.extend(_decompound(word, vocabulary) if len(word) >= 2 * MIN_PART else [word])
        forms[m.key] = " ".join(out)
    return forms


def similarity(a: str, b: str) -> float:
    """Score of two grouping forms, 0..100 (fuzzy score; see :func:`contains_more_precisely`)."""
    if a == b:
        return 100.0
    if min(len(a), len(b)) < MIN_FUZZY_LENGTH:
        return 0.0
    return float(SCORER(a, b))


def contains_more_precisely(a: str, b: str) -> bool:
    """True if one form has all words of the other, which has at least two, plus exactly one more
    (»parkplatz einkaufszentrum« and »parkplatz einkaufszentrum oststadt«)."""
    wa, wb = set(a.split()), set(b.split())
    small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(small) >= 2 and small < large and len(large - small) == 1


class _Choices:
    """Group leaders (or coded mentions) to match against: fuzzy via rapidfuzz, containment via word sets."""

    def __init__(self) -> None:
        self.forms: list[str] = []
        self._sets: dict[frozenset, int] = {}
        self._minus_one: dict[frozenset, int] = {}

    def add(self, form: str) -> None:
        index = len(self.forms)
        self.forms.append(form)
        words = frozenset(form.split())
        if len(words) >= 2:
            self._sets.setdefault(words, index)
        if len(words) >= 3:
            for w in sorted(words):
                self._minus_one.setdefault(words - {w}, index)

    def best(self, query: str, threshold: float) -> int | None:
        if not self.forms:
            return None
        if len(query) < MIN_FUZZY_LENGTH:
            return self.forms.index(query) if query in self.forms else None
        found = process.extractOne(query, self.forms, scorer=SCORER, score_cutoff=threshold)
        if found is not None and len(self.forms[found[2]]) >= MIN_FUZZY_LENGTH:
            return found[2]
        words = frozenset(query.split())
        hits = []
        if len(words) >= 2 and words in self._minus_one:
            hits.append(self._minus_one[words])
        if len(words) >= 3:
            hits += [self._sets[words - {w}] for w in words if words - {w} in self._sets]
        return min(hits) if hits else None


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
    coded = _Choices()
    for key in coded_keys:
        coded.add(forms[key])
    rest = []
    for m in mentions:
        if m.key in existing:
            proposals[m.key] = existing[m.key]
            continue
        index = coded.best(forms[m.key], threshold)
        if index is not None:
            proposals[m.key] = existing[coded_keys[index]]
        else:
            rest.append(m)
    leaders = _Choices()
    leader_names: list[str] = []
    for m in sorted(rest, key=_leader_order):
        index = leaders.best(forms[m.key], threshold)
        if index is None:
            leaders.add(forms[m.key])
            leader_names.append(m.name)
            proposals[m.key] = m.name
        else:
            proposals[m.key] = leader_names[index]
    return proposals
