"""Read YAML files with line numbers, and explain validation errors in German with file and line.

The one loader for every YAML input (questionnaires, analyse.yaml, recommendation rules): written by
people, so every error must point at the line to fix; read from anywhere, so reading is bounded and
safe (see :func:`read_yaml`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from survey.errors import UserError
from survey.limits import MAX_NUMBER_CHARS, MAX_YAML_BYTES, MAX_YAML_DEPTH, check_file_size, german_int
from survey.numbers import shown

Location = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML data plus the line (1-based) of every mapping key and sequence item."""

    path: Path
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        """Line of ``location`` or of its nearest ancestor that has one."""
        loc = tuple(location)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


class _Refused(Exception):
    """A YAML construct the loader does not accept; ``message`` is German, ``line`` 1-based."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


ALLOWED_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq",
                                                                     "map"))


class _Bounds:
    """The limits of this module, on top of PyYAML's safe loading: no aliases, no duplicate keys, no merge
    keys, no tags beyond the core types, bounded nesting depth and number length."""

    _depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(f"Verweise (YAML-Alias »*{event.anchor}«) sind nicht erlaubt; bitte den Inhalt "
                           "ausschreiben.", event.start_mark.line + 1)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in ALLOWED_TAGS:
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(f"Der YAML-Typ »{shown(tag)}« ist nicht erlaubt (Typangaben mit ! oder !! werden nie "
                           "ausgeführt); bitte den Wert ohne Typangabe schreiben.", event.start_mark.line + 1)
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise _Refused(f"Die Angaben sind mehr als {MAX_YAML_DEPTH} Ebenen tief verschachtelt; so tiefe "
                           "Verschachtelung wird nicht gelesen.", event.start_mark.line + 1)
        node = super().compose_node(parent, index)
        self._depth -= 1
        if isinstance(node, yaml.MappingNode):
            _refuse_duplicate_keys(node)
        return node

    def construct_yaml_int(self, node):  # noqa: ANN001, ANN201
        _refuse_long_number(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):  # noqa: ANN001, ANN201
        _refuse_long_number(node)
        return super().construct_yaml_float(node)


class _BoundedLoader(_Bounds, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader with the limits of :class:`_Bounds`; its error messages are the
    ones users see (see :func:`_compose`)."""


try:  # libyaml's scanner and parser, if PyYAML was built with it
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - the wheels on PyPI and Debian's python3-yaml have it
    _CParser = None


class _FastBoundedLoader(_Bounds, yaml.composer.Composer, *((_CParser,) if _CParser else ()),
                         yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """The same loader with libyaml's scanner and parser underneath: the events come from C (scanning was
    most of the time of reading a questionnaire), the composing, the checks of :class:`_Bounds` and the
    construction stay the Python ones above, so data and lines are the same."""

    def __init__(self, stream: str):
        _CParser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


for _loader in (_BoundedLoader, _FastBoundedLoader):
    _loader.add_constructor("tag:yaml.org,2002:int", _Bounds.construct_yaml_int)
    _loader.add_constructor("tag:yaml.org,2002:float", _Bounds.construct_yaml_float)


def _compose(text: str) -> tuple[yaml.Node | None, Any]:
    """The root node and data of ``text``. Read with libyaml's parser where available; if that fails in
    any way, the file is read again with the pure-Python parser, so a user always gets PyYAML's problem
    (worded in German by :func:`read_yaml`) and the line it names, whatever libyaml would have said."""
    if _CParser is not None:
        try:
            return _load(_FastBoundedLoader, text)
        except Exception:  # noqa: BLE001, S110 - any problem: the Python parser below finds and words it
            pass
    return _load(_BoundedLoader, text)


def _load(loader_class: type, text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _refuse_long_number(node: yaml.ScalarNode) -> None:
    if len(node.value) > MAX_NUMBER_CHARS:
        raise _Refused(f"Die Zahl hat {german_int(len(node.value))} Zeichen; erlaubt sind höchstens "
                       f"{MAX_NUMBER_CHARS}.",
                       node.start_mark.line + 1)


def _refuse_duplicate_keys(node: yaml.MappingNode) -> None:
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        line = key_node.start_mark.line + 1
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Refused("Die YAML-Zusammenführung »<<« ist nicht erlaubt; bitte die Angaben ausschreiben.", line)
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused("Ein Schlüssel muss ein einfacher Text oder eine Zahl sein.", line)
        key = key_node.value  # 1 and "1" are one key for the models (pydantic turns both into 1)
        if key_node.tag == "tag:yaml.org,2002:int" and key.isdigit():
            key = str(int(key))
        if key in seen:
            raise _Refused(f"Der Schlüssel »{shown(key_node.value)}« steht doppelt (Zeile {seen[key]} und Zeile "
                           f"{line}); YAML würde stillschweigend den zweiten Wert nehmen. Bitte einen davon "
                           "löschen.", line)
        seen[key] = line


def _collect_lines(node: yaml.Node, location: Location, lines: dict[Location, int]) -> None:
    stack: list[tuple[yaml.Node, Location]] = [(node, location)]
    while stack:
        node, location = stack.pop()
        lines.setdefault(location, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value
                try:
                    key = int(key) if key_node.tag.endswith(":int") else key
                except ValueError:
                    pass
                child = (*location, key)
                lines[child] = key_node.start_mark.line + 1
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*location, index)
                lines[child] = item.start_mark.line + 1
                stack.append((item, child))


def read_yaml(path: str | Path, error_class: type[UserError] = UserError) -> YamlDocument:
    """Load a YAML file by the module's rules; every problem becomes ``error_class`` with file and line.

    Refused: files over :data:`~survey.limits.MAX_YAML_BYTES`, aliases (``*name``; a 1 KB »alias bomb«
    would otherwise expand to gigabytes), duplicate keys (naming both lines), merge keys ``<<``, tags other
    than the core types (nothing is ever executed), nesting deeper than
    :data:`~survey.limits.MAX_YAML_DEPTH`, numbers longer than :data:`~survey.limits.MAX_NUMBER_CHARS`.
    """
    path = Path(path)
    check_file_size(path, MAX_YAML_BYTES, "YAML-Dateien", error_class)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error_class("Datei nicht gefunden.", path=path) from None
    except UnicodeDecodeError as error:
        raise error_class(
            f"Datei ist kein gültiger UTF-8-Text (Byte {error.start}); bitte als UTF-8 speichern.", path=path
        ) from None
    except OSError as error:
        raise error_class(f"Datei kann nicht gelesen werden: {error.strerror}.", path=path) from None
    try:
        node, data = _compose(text)
    except _Refused as refused:
        raise error_class(refused.message, path=path, line=refused.line) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1 if isinstance(error.position, int) else None
        character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or " ")
        raise error_class(f"Die Datei enthält das unzulässige Steuerzeichen U+{character:04X}.", path=path,
                          line=line) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = _german_yaml_problem(error)
        raise error_class(f"YAML-Syntaxfehler: {problem}", path=path, line=line) from None
    except yaml.YAMLError as error:
        raise error_class(f"YAML-Syntaxfehler: {error}", path=path) from None
    except RecursionError:
        raise error_class(f"Die Angaben sind zu tief verschachtelt (höchstens {MAX_YAML_DEPTH} Ebenen).",
                          path=path) from None
    lines: dict[Location, int] = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return YamlDocument(path=path, data=data, lines=lines)


_YAML_PROBLEMS = {
    "could not find expected ':'": "erwartetes »:« fehlt",
    "mapping values are not allowed here": "hier ist kein »Schlüssel: Wert« erlaubt (Einrückung oder fehlendes Anführungszeichen?)",
    "found character '\\t' that cannot start any token": "Tabulator gefunden; bitte mit Leerzeichen einrücken",
    "did not find expected key": "erwarteter Schlüssel fehlt (Einrückung prüfen)",
    "found undefined alias": "unbekannter Verweis (Alias)",
    "did not find expected '-' indicator": "erwartetes »-« fehlt (Einrückung der Liste prüfen)",
    "found unexpected end of stream": "unerwartetes Dateiende (Anführungszeichen nicht geschlossen?)",
    "expected <block end>, but found": "Einrückung passt nicht zur vorigen Zeile",
    "expected ',' or '}'": "in einer {…}-Angabe fehlt »,« oder »}« (Text mit Klammern oder Doppelpunkt bitte in Anführungszeichen setzen)",
    "expected ',' or ']'": "in einer […]-Liste fehlt »,« oder »]« (Text mit Klammern oder Doppelpunkt bitte in Anführungszeichen setzen)",
    "found unknown escape character": "unbekanntes Escape-Zeichen nach »\\« in Anführungszeichen",
    "found duplicate anchor": "doppelter Anker",
}


def _german_yaml_problem(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    for english, german in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return german
    return problem or "ungültige Syntax"


def _format_location(location: Location) -> str:
    return ".".join(str(part) for part in location) if location else "(Dokument)"


class _Shown:
    """A value for a message: its repr, shortened (a 5,000-digit string must not fill the terminal)."""

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:
        text = repr(self.value)
        return text if len(text) <= 60 else text[:59] + "…"

    __str__ = __repr__


def _german_pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    location = _format_location(tuple(error.get("loc", ())))
    value = _Shown(error.get("input"))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"Pflichtangabe »{location}« fehlt."
    if kind == "extra_forbidden":
        return f"unbekannte Angabe »{location}«."
    if kind in {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}:
        return f"»{location}« muss eine ganze Zahl sein, gefunden: {value!r}."
    if kind in {"float_parsing", "float_type"}:
        return f"»{location}« muss eine Zahl sein, gefunden: {value!r}."
    if kind in {"string_type"}:
        return f"»{location}« muss ein Text sein, gefunden: {value!r}."
    if kind in {"list_type", "tuple_type"}:
        return f"»{location}« muss eine Liste sein, gefunden: {value!r}."
    if kind in {"dict_type", "model_type"}:
        return f"»{location}« muss ein Abschnitt (Schlüssel: Wert) sein, gefunden: {value!r}."
    if kind in {"bool_parsing", "bool_type"}:
        return f"»{location}« muss ja/nein (true/false) sein, gefunden: {value!r}."
    if kind == "literal_error":
        return f"»{location}« hat den ungültigen Wert {value!r}; erlaubt: {ctx.get('expected', '')}."
    if kind == "string_pattern_mismatch":
        return f"»{location}« hat das falsche Format: {value!r}."
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        bound = next(iter(ctx.values()), "")
        relation = {"greater_than_equal": "mindestens", "greater_than": "größer als",
                    "less_than_equal": "höchstens", "less_than": "kleiner als"}[kind]
        return f"»{location}« muss {relation} {bound} sein, gefunden: {value!r}."
    if kind in {"too_short", "too_long"}:
        return f"»{location}« hat die falsche Länge: {value!r}."
    if kind == "value_error":
        # Our own validators raise ValueError with a complete German sentence.
        message = str(ctx.get("error", error.get("msg", "")))
        return message if location == "(Dokument)" else f"»{location}«: {message}"
    return f"»{location}«: {error.get('msg', 'ungültiger Wert')} (gefunden: {value!r})."


def raise_validation_error(
    error: ValidationError,
    document: YamlDocument,
    error_class: type[UserError] = UserError,
    location_prefix: Location = (),
    describe: Callable[[Location], Location] | None = None,
) -> None:
    """Raise ``error_class`` for the first pydantic error, in German, with the line in ``document``.

    ``describe`` may map pydantic's location (which can contain model-internal parts such as union
    tags) onto a location in the YAML document.
    """
    first = error.errors(include_url=False)[0]
    location: Location = (*location_prefix, *tuple(first.get("loc", ())))
    if describe is not None:
        location = describe(location)
    first = {**first, "loc": location}
    count = error.error_count()
    more = f" (und {count - 1} weitere Fehler)" if count > 1 else ""
    raise error_class(
        _german_pydantic_message(first) + more, path=document.path, line=document.line_of(location)
    ) from None


def read_yaml_model(
    path: str | Path,
    model: type[ModelT],
    error_class: type[UserError],
    mapping_hint: str,
    on_invalid: Callable[[ValidationError, YamlDocument], None] | None = None,
) -> tuple[ModelT, YamlDocument]:
    """Read a YAML file that must be a mapping and validate it as ``model``.

    Errors (syntax, not a mapping, validation) become ``error_class`` with file and line; ``mapping_hint``
    completes the sentence for a file that is not a mapping. ``on_invalid`` may raise a more specific
    message for a validation error (it must raise); by default the first error is explained.
    """
    document = read_yaml(path, error_class)
    if not isinstance(document.data, dict):
        raise error_class(mapping_hint, path=document.path, line=1)
    try:
        return model.model_validate(document.data), document
    except ValidationError as error:
        if on_invalid is not None:
            on_invalid(error, document)
        raise_validation_error(error, document, error_class)
        raise AssertionError("unreachable") from None
