"""The languages a questionnaire can be offered in: codes, names, writing direction, typesetting.

Codes are our own short codes (``de``, ``en``, ``pl``, ``cs``, ``tr``, ``ru``, ``uk``, ``ar`` and ``de-LS``
for Leichte Sprache). They name translation files (``<fragebogen>.<code>.yaml``), the ``sprache`` variable
of every answer and the ``sprachen`` list in analyse.yaml. ``de-LS`` is not a BCP 47 tag (``LS`` would be
Lesotho): pages and PDFs mark Leichte Sprache as German (``lang="de"``), which is what screen readers need.
German (``de``) is the source of every text; every other language is a translation of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.errors import UserError

SOURCE = "de"


@dataclass(frozen=True)
class Language:
    code: str
    german_name: str  # as German texts name it: »auf Polnisch«, »Polnisch«
    native_name: str  # as the language names itself (language menus)
    html_lang: str  # BCP 47 tag for lang attributes
    direction: str = "ltr"  # ltr | rtl
    typst_region: str | None = None

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


LANGUAGES: dict[str, Language] = {language.code: language for language in (
    Language("de", "Deutsch", "Deutsch", "de", typst_region="de"),
    Language("de-LS", "Leichte Sprache", "Leichte Sprache", "de", typst_region="de"),
    Language("en", "Englisch", "English", "en", typst_region="gb"),
    Language("pl", "Polnisch", "Polski", "pl"),
    Language("cs", "Tschechisch", "Čeština", "cs"),
    Language("tr", "Türkisch", "Türkçe", "tr"),
    Language("ru", "Russisch", "Русский", "ru"),
    Language("uk", "Ukrainisch", "Українська", "uk"),
    Language("ar", "Arabisch", "العربية", "ar", direction="rtl"),
)}
# LimeSurvey's codes where they differ from ours (its response export has them in ``startlanguage``)
ALIASES = {"de-easy": "de-LS", "de-informal": "de", "de-ch": "de", "de-at": "de", "en-gb": "en", "en-us": "en"}
_BY_LOWER = {code.lower(): code for code in LANGUAGES} | ALIASES


class LanguageError(UserError):
    """An unknown language code (German message)."""


def known_codes() -> str:
    return ", ".join(LANGUAGES)


def normalise_language(text: object) -> str | None:
    """The code for ``text`` (``PL`` → ``pl``, ``de-ls``/``de_LS`` → ``de-LS``), or None if unknown."""
    if not isinstance(text, str):
        return None
    return _BY_LOWER.get(text.strip().replace("_", "-").lower())


def language(code: str) -> Language:
    """The language ``code``; :class:`LanguageError` (German) if it is not one of :data:`LANGUAGES`."""
    found = normalise_language(code)
    if found is None:
        raise LanguageError(f"Unbekannte Sprache »{code}«; möglich sind: {known_codes()}.")
    return LANGUAGES[found]
