"""German texts for click's own messages (usage, help headings, parameter errors).

click translates its messages with ``gettext`` through a module-level ``_``/``ngettext`` in each of its
modules. We replace those names in click's modules with a lookup in the table below, so that every
line a user reads from the CLI is German without installing a system locale. Unknown texts pass
through unchanged.
"""

from __future__ import annotations

import importlib

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
    "{value!r} is not a valid {number_type}.": "{value!r} ist keine gültige Zahl ({number_type}).",
    "{value} is not in the range {range}.": "{value} liegt nicht im Bereich {range}.",
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
