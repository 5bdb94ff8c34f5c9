"""German texts for click's own messages (usage, help headings, parameter errors).

click translates its messages with ``gettext`` through a module-level ``_``/``ngettext`` in each of its
modules. We replace those names in click's modules with a lookup in the table below, so that every
line a user reads from the CLI is German without installing a system locale. Unknown texts pass
through unchanged.
"""

from __future__ import annotations

import importlib

import click

GERMAN = {
    "Usage:": "Aufruf:",
    "Options": "Optionen",
    "Commands": "Befehle",
    "Arguments": "Argumente",
    "Show this message and exit.": "Diese Hilfe anzeigen und beenden.",
    "Show the version and exit.": "Version anzeigen und beenden.",
    "Error: {message}": "Fehler: {message}",
    "Try '{command} {option}' for help.": "Hilfe: »{command} {option}«.",
    "Missing argument": "Fehlendes Argument",
    "Missing option": "Fehlende Option",
    "Missing parameter": "Fehlende Angabe",
    "Missing parameter: {param_name}": "Fehlende Angabe: {param_name}",
    "Missing {param_type}": "{param_type} fehlt",
    "Missing command.": "Befehl fehlt.",
    "No such command {name!r}.": "Unbekannter Befehl {name!r}.",
    "No such option {name!r}.": "Unbekannte Option {name!r}.",
    "Option {name!r} does not take a value.": "Option {name!r} nimmt keinen Wert.",
    "Invalid value for {param_hint}: {message}": "Ungültiger Wert für {param_hint}: {message}",
    "Invalid value: {message}": "Ungültiger Wert: {message}",
    "Aborted!": "Abgebrochen.",
    "default: {default}": "Standard: {default}",
    "env var: {var}": "Umgebungsvariable: {var}",
    "required": "erforderlich",
    "{value!r} is not a valid {number_type}.": "»{value}« ist keine gültige Angabe (erwartet: {number_type}).",
    "{value} is not in the range {range}.": "{value} liegt nicht im erlaubten Bereich ({range}).",
    "(dynamic)": "(wird beim Aufruf bestimmt)",
    "{name} {filename!r} does not exist.": "{name} {filename!r} existiert nicht.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} ist ein Ordner.",
    "{name} {filename!r} is a file.": "{name} {filename!r} ist eine Datei.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} ist nicht lesbar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} ist nicht beschreibbar.",
    "Could not open file {filename!r}: {message}": "Datei {filename!r} kann nicht geöffnet werden: {message}",
    "file": "Datei",
    "directory": "Ordner",
    "path": "Pfad",
    "Choose from:\n\t{choices}": "Mögliche Werte:\n\t{choices}",
    "%(prog)s, version %(version)s": "%(prog)s, Version %(version)s",
}

GERMAN_PLURAL = {
    "Got unexpected extra argument ({args})": ("Unerwartetes zusätzliches Argument ({args})",
                                               "Unerwartete zusätzliche Argumente ({args})"),
    "Option {name!r} requires an argument.": ("Option {name!r} braucht einen Wert.",
                                              "Option {name!r} braucht {nargs} Werte."),
    "{value!r} is not {choice}.": ("{value!r} ist nicht {choice}.", "{value!r} ist keiner von {choices}."),
    "Did you mean {possibility}?": ("Meinten Sie {possibility}?", "(Meinten Sie eines von: {possibilities}?)"),
}


# Metavars (the word after an option in the help) by value type, where click would print English.
NUMBER_METAVAR = "ZAHL"
TEXT_METAVAR = "WERT"


class GermanInt(click.types.IntParamType):
    """click's INTEGER with a German name (metavar »ZAHL«, errors »erwartet: ganze Zahl«)."""

    name = "ganze Zahl"


class GermanFloat(click.types.FloatParamType):
    name = "Zahl"


def describe_range(low: float | None, high: float | None, low_open: bool = False, high_open: bool = False) -> str:
    """A number range in German: »1–65535«, »mindestens 1«, »größer als 0«, »höchstens 64«."""
    parts = []
    if low is not None:
        parts.append(f"größer als {low}" if low_open else f"mindestens {low}")
    if high is not None:
        parts.append(f"kleiner als {high}" if high_open else f"höchstens {high}")
    if low is not None and high is not None and not (low_open or high_open):
        return f"{low}\u2013{high}"
    return ", ".join(parts)


class GermanIntRange(click.IntRange):
    """click.IntRange shown as »[1–65535]« in the help and »0 liegt nicht im erlaubten Bereich (1–65535).«"""

    name = "ganze Zahl"

    def _describe_range(self) -> str:
        return describe_range(self.min, self.max, self.min_open, self.max_open)


class GermanFloatRange(click.FloatRange):
    name = "Zahl"

    def _describe_range(self) -> str:
        return describe_range(self.min, self.max, self.min_open, self.max_open)


def germanise_parameters(command: click.Command) -> None:
    """German types and metavars for every parameter of ``command`` (not its sub-commands).

    click names its value types in English (``INTEGER RANGE``, ``TEXT``, ``1<=x<=65535``). Plain click
    types are replaced by the German subclasses above, and an option without a metavar of its own gets
    one by type (»ZAHL«, »WERT«). Explicit metavars (»NAME«, »ORDNER«) stay as they are.
    """
    for param in command.params:
        kind = param.type
        if type(kind) is click.IntRange:
            param.type = GermanIntRange(kind.min, kind.max, min_open=kind.min_open, max_open=kind.max_open,
                                        clamp=kind.clamp)
        elif type(kind) is click.FloatRange:
            param.type = GermanFloatRange(kind.min, kind.max, min_open=kind.min_open, max_open=kind.max_open,
                                          clamp=kind.clamp)
        elif type(kind) is click.types.IntParamType:
            param.type = GermanInt()
        elif type(kind) is click.types.FloatParamType:
            param.type = GermanFloat()
        if not isinstance(param, click.Option) or param.metavar is not None or param.is_flag:
            continue
        if isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)):
            param.metavar = NUMBER_METAVAR
        elif type(param.type) is click.types.StringParamType:
            param.metavar = TEXT_METAVAR


def german_gettext(message: str) -> str:
    return GERMAN.get(message, message)


def german_ngettext(singular: str, plural: str, count: int) -> str:
    if singular in GERMAN_PLURAL:
        one, many = GERMAN_PLURAL[singular]
        return one if count == 1 else many
    return singular if count == 1 else plural


def install() -> None:
    """Route click's message lookups through the German table (idempotent)."""
    for name in ("core", "exceptions", "formatting", "types", "decorators", "parser", "termui", "_termui_impl"):
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = german_gettext
        if hasattr(module, "ngettext"):
            module.ngettext = german_ngettext
