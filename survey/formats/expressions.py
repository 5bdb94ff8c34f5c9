"""Filters (``filter:`` in the YAML) as XLSForm ``relevant`` and LimeSurvey relevance equations, and back.

The YAML filter is a raw condition dict: ``{item, codes}``, ``{alle: [...]}`` or ``{irgendein: [...]}``.
Only the subset that the questionnaire can express is accepted:

- XLSForm: ``${x} = '1'``, ``selected(${x}, '1')``, ``not(selected(${m}, '3'))`` (a select_multiple
  option not chosen), ``and``, ``or``, parentheses;
- LimeSurvey: ``x == "1"`` / ``x.NAOK == 1`` (also ``eq``), ``m_SQ3 == "Y"`` / ``!= "Y"`` (multiple choice),
  ``and``/``&&``, ``or``/``||``, parentheses.

Anything else (``!=`` on codes, ``<``, functions, arithmetic) raises :class:`ExpressionError` with a German
message; the importers add file, sheet and row. ``or`` of several codes of one item becomes one condition
with all codes (``{item: x, codes: [3, 4]}``), which is how the exporters write such a filter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


class ExpressionError(ValueError):
    """An expression outside the supported subset (German message)."""


@dataclass(frozen=True)
class Atom:
    """``name`` has (``positive``) or has not the value ``value``."""

    name: str
    value: str
    positive: bool = True
    selected: bool = False  # XLSForm selected(): the name may be a select_multiple


@dataclass(frozen=True)
class Junction:
    kind: str  # "and" | "or"
    parts: tuple


# ----------------------------------------------------------------------------------------- tokens

XLS_TOKEN = re.compile(r"\s*(?:(?P<ref>\$\{\s*[A-Za-z_][\w.\-]*\s*\})|(?P<str>'[^']*'|\"[^\"]*\")"
                       r"|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>!=|=|\(|\)|,)|(?P<word>[A-Za-z_][\w\-]*))")
LS_TOKEN = re.compile(r"\s*(?:(?P<str>'[^']*'|\"[^\"]*\")|(?P<num>-?\d+(?:\.\d+)?)"
                      r"|(?P<op>==|!=|&&|\|\||\(|\)|!)|(?P<word>[A-Za-z_][\w.]*))")


def _tokens(text: str, pattern: re.Pattern) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = pattern.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"unerwartetes Zeichen »{text[position:position + 10].strip()}« an Stelle "
                                  f"{position + 1} in »{text}«")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    return tokens


class _Parser:
    """Recursive descent over tokens: or-expression of and-expressions of atoms."""

    def __init__(self, text: str, tokens: list[tuple[str, str]], atom: Callable[["_Parser"], object]):
        self.text, self.tokens, self.pos, self.atom = text, tokens, 0, atom

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None, kind: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"der Ausdruck »{self.text}« endet unerwartet")
        if (value is not None and token[1].lower() != value) or (kind is not None and token[0] != kind):
            wanted = f"»{value}«" if value else {"ref": "ein Verweis ${…}", "str": "ein Wert",
                                                 "word": "ein Name"}.get(kind, kind)
            raise ExpressionError(f"erwartet {wanted}, gefunden »{token[1]}« in »{self.text}«")
        self.pos += 1
        return token

    def is_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[1].lower() in words and token[0] in ("word", "op")

    def parse(self):
        node = self.disjunction()
        if self.peek() is not None:
            raise ExpressionError(f"unerwartet »{self.peek()[1]}« in »{self.text}«")
        return node

    def disjunction(self):
        parts = [self.conjunction()]
        while self.is_word("or", "||"):
            self.pos += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Junction("or", tuple(parts))

    def conjunction(self):
        parts = [self.primary()]
        while self.is_word("and", "&&"):
            self.pos += 1
            parts.append(self.primary())
        return parts[0] if len(parts) == 1 else Junction("and", tuple(parts))

    def primary(self):
        if self.is_word("("):
            self.pos += 1
            node = self.disjunction()
            self.take(")")
            return node
        return self.atom(self)


def _literal(parser: _Parser) -> str:
    token = parser.peek()
    if token is None or token[0] not in ("str", "num"):
        raise ExpressionError(f"erwartet einen Wert in Anführungszeichen, gefunden "
                              f"»{token[1] if token else 'nichts'}« in »{parser.text}«")
    parser.pos += 1
    return token[1].strip("'\"") if token[0] == "str" else token[1]


def _xls_ref(token: tuple[str, str]) -> str:
    return token[1][2:-1].strip()


def _xls_atom(parser: _Parser) -> Atom:
    token = parser.peek()
    if token is None:
        raise ExpressionError(f"der Ausdruck »{parser.text}« endet unerwartet")
    if token[0] == "word" and token[1] == "not":
        parser.pos += 1
        parser.take("(")
        inner = _xls_atom(parser)
        parser.take(")")
        if not inner.selected:
            raise ExpressionError(f"»not(…)« wird nur um »selected(…)« unterstützt, in »{parser.text}«")
        return Atom(inner.name, inner.value, not inner.positive, True)
    if token[0] == "word" and token[1] == "selected":
        parser.pos += 1
        parser.take("(")
        name = _xls_ref(parser.take(kind="ref"))
        parser.take(",")
        value = _literal(parser)
        parser.take(")")
        return Atom(name, value, True, True)
    if token[0] == "ref":
        parser.pos += 1
        operator = parser.take()
        if operator[1] != "=":
            raise ExpressionError(f"nur »=« wird unterstützt, nicht »{operator[1]}«, in »{parser.text}«")
        return Atom(_xls_ref(token), _literal(parser))
    raise ExpressionError(f"»{token[1]}« wird in Filtern nicht unterstützt (erlaubt: ${{frage}} = 'code', "
                          f"selected(…), and, or, Klammern), in »{parser.text}«")


def _ls_atom(parser: _Parser) -> Atom:
    token = parser.take(kind="word")
    name = token[1]
    if name.upper().endswith(".NAOK"):
        name = name[:-5]
    operator = parser.take()
    if operator[1].lower() not in ("==", "eq", "!="):
        raise ExpressionError(f"nur »==« (oder »!= \"Y\"« bei Mehrfachauswahl) wird unterstützt, nicht "
                              f"»{operator[1]}«, in »{parser.text}«")
    value = _literal(parser)
    positive = operator[1] != "!="
    if not positive and value.upper() != "Y":
        raise ExpressionError(f"»!=« wird nur als »!= \"Y\"« (Option nicht gewählt) unterstützt, in »{parser.text}«")
    return Atom(name, value, positive)


def parse_xlsform(text: str):
    """The syntax tree of an XLSForm ``relevant`` expression."""
    return _Parser(text, _tokens(text, XLS_TOKEN), _xls_atom).parse()


def parse_limesurvey(text: str):
    """The syntax tree of a LimeSurvey relevance equation (``1`` = always is handled by the caller)."""
    tokens = _tokens(text, LS_TOKEN)
    tokens = [("op", "and") if t == ("word", "and") else ("op", "or") if t == ("word", "or") else t for t in tokens]
    return _Parser(text, tokens, _ls_atom).parse()


# ----------------------------------------------------------------------------- tree <-> raw condition

Resolve = Callable[[Atom], tuple[str, int]]


def to_condition(node, resolve: Resolve) -> dict:
    """The raw YAML condition of a syntax tree; ``resolve(atom) -> (item id, code)``."""
    if isinstance(node, Atom):
        item, code = resolve(node)
        return {"item": item, "codes": [code]}
    parts = [to_condition(part, resolve) for part in node.parts]
    if node.kind == "or" and all("item" in p for p in parts) and len({p["item"] for p in parts}) == 1:
        codes = sorted({code for p in parts for code in p["codes"]})
        return {"item": parts[0]["item"], "codes": codes}
    return {"alle" if node.kind == "and" else "irgendein": parts}


def from_condition(condition: dict, atom: Callable[[str, int], str], *, and_word: str, or_word: str,
                   nested: bool = False) -> str:
    """Text of a raw condition; ``atom(item, code)`` writes one comparison."""
    if "item" in condition:
        codes = list(condition["codes"])
        text = f" {or_word} ".join(atom(condition["item"], int(code)) for code in codes)
        return f"({text})" if nested and len(codes) > 1 else text
    key = "alle" if "alle" in condition else "irgendein"
    word = and_word if key == "alle" else or_word
    text = f" {word} ".join(from_condition(part, atom, and_word=and_word, or_word=or_word, nested=True)
                            for part in condition[key])
    return f"({text})" if nested else text


def condition_items(condition: dict) -> list[str]:
    if "item" in condition:
        return [condition["item"]]
    return [item for part in condition.get("alle", condition.get("irgendein", [])) for item in condition_items(part)]
