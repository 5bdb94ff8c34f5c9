"""PKS offence keys: wildcard patterns, offence groups, fields of action, survey-offence mapping.

Keys are the 6-character PKS Straftatenschlüssel as strings (leading zeros kept). ``------`` is the
total (Straftaten insgesamt), ``890000`` the total without immigration-law offences (``725000``).

Wildcards (PKS notation): ``*`` stands for one digit. In the PKS catalogue wildcard keys exist only for
theft (``****00`` Diebstahl insgesamt, ``3***00`` einfacher, ``4***00`` schwerer Diebstahl, ``***300``
Fahrräder, ``*50*00`` an/aus Kfz ...), where the first position is 3 (ohne erschwerende Umstände) or 4
(unter erschwerenden Umständen). Hence a *leading* ``*`` matches only 3 or 4 (``theft_wildcard=True``,
the default); otherwise ``****00`` would also match ``674000`` Sachbeschädigung. A literal ``*`` in a key
of the data (a summary row such as ``435*00`` in the BKA tables) matches only ``*`` in the pattern.

Sources: research/domain.md §3.2 (keys and labels). Keys marked ``verified=False`` are plausible but were
not confirmed there; the notes say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError

TOTAL_KEY = "------"
TOTAL_WITHOUT_IMMIGRATION_KEY = "890000"
IMMIGRATION_KEY = "725000"
KEY_PATTERN = re.compile(r"^(?:------|[0-9*]{6})$")
THEFT_FIRST_DIGITS = frozenset("34")


def is_valid_key(key: str) -> bool:
    """A 6-character PKS key: digits and ``*``, or ``------``."""
    return bool(KEY_PATTERN.match(key))


def is_detail_key(key: str) -> bool:
    """A key made of digits only (no summary wildcard, not the total)."""
    return len(key) == 6 and key.isdigit()


def key_matches(key: str, pattern: str, *, theft_wildcard: bool = True) -> bool:
    """Whether ``key`` is selected by ``pattern`` (see the module docstring for the wildcard rules)."""
    if len(key) != 6 or len(pattern) != 6:
        return False
    for position, (k, p) in enumerate(zip(key, pattern)):
        if p == "*":
            if k == "*":
                continue
            if not k.isdigit():
                return False
            if position == 0 and theft_wildcard and k not in THEFT_FIRST_DIGITS:
                return False
        elif k != p:
            return False
    return True


def select_keys(frame: pd.DataFrame, pattern: str, *, theft_wildcard: bool = True) -> pd.DataFrame:
    """Rows of a PKS long frame (column ``schluessel``) whose key matches ``pattern``.

    The result may hold a literal summary row (``435*00``) *and* its detail rows (``435100``); use
    :func:`count_for_patterns` to add up cases without double counting.
    """
    if not is_valid_key(pattern):
        raise AnalysisError(
            f"Ungültiges Schlüsselmuster »{pattern}«: erwartet 6 Zeichen aus Ziffern und *, oder ------."
        )
    mask = frame["schluessel"].map(lambda key: key_matches(str(key), pattern, theft_wildcard=theft_wildcard))
    return frame.loc[mask.astype(bool)]


def count_for_patterns(frame: pd.DataFrame, patterns: tuple[str, ...], column: str = "faelle") -> int:
    """Sum of ``column`` over ``patterns`` in a frame holding one area and one year.

    Per pattern: a row whose key equals the pattern literally (a published summary key) is used as is;
    otherwise the detail rows (digits only) matching the pattern are added up. Detail keys are assumed
    not to overlap (true for published leaf keys). A pattern without any row raises AnalysisError.
    """
    # plain lists, not a pandas selection per pattern: a profile adds up ~500 selections (3 ms each before)
    keys = frame["schluessel"].tolist()
    column_values = None
    total = 0
    for pattern in patterns:
        chosen = [key == pattern for key in keys]
        if not any(chosen):
            if not is_valid_key(pattern):
                raise AnalysisError(
                    f"Ungültiges Schlüsselmuster »{pattern}«: erwartet 6 Zeichen aus Ziffern und *, oder ------."
                )
            chosen = [key_matches(str(key), pattern) and bool(is_detail_key(key)) for key in keys]
        if not any(chosen):
            raise AnalysisError(f"Der PKS-Schlüssel »{pattern}« kommt in den PKS-Daten nicht vor.")
        if column_values is None:
            column_values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        values = column_values[np.array(chosen, dtype=bool)]
        if np.isnan(values).any():
            raise AnalysisError(f"Für den PKS-Schlüssel »{pattern}« fehlt die Angabe »{column}«.")
        total += int(values.sum())
    return total


@dataclass(frozen=True)
class OffenceGroup:
    """An offence group defined by PKS key patterns (added up, see :func:`count_for_patterns`)."""

    id: str
    patterns: tuple[str, ...]
    verified: bool = True  # the key of the group is confirmed in the PKS catalogue


OFFENCE_GROUPS: tuple[OffenceGroup, ...] = (
    OffenceGroup("sachbeschaedigung", ("674000",)),
    OffenceGroup("graffiti", ("899500",)),
    OffenceGroup("gewaltkriminalitaet", ("892000",)),
    OffenceGroup("koerperverletzung_einfach", ("224000",)),
    OffenceGroup("koerperverletzung_gefaehrlich", ("222000",)),
    OffenceGroup("raub", ("210000",)),
    OffenceGroup("rauschgift", ("730000",)),
    OffenceGroup("diebstahl", ("****00",)),
    OffenceGroup("wohnungseinbruch", ("435*00",)),
    OffenceGroup("fahrraddiebstahl", ("***300",)),
    OffenceGroup("kfz_diebstahl", ("*50*00",)),
    OffenceGroup("ladendiebstahl", ("326*00",)),
    OffenceGroup("betrug", ("510000",), verified=False),
    OffenceGroup("strassenkriminalitaet", ("899000",)),
    OffenceGroup("auslaenderrecht", (IMMIGRATION_KEY,)),
)
GROUPS_BY_ID = {group.id: group for group in OFFENCE_GROUPS}


@dataclass(frozen=True)
class FieldOfAction:
    """An ASSKomm field of action (Handlungsfeld) with its PKS offence groups (labels and notes on the
    sources: ``survey.wording.crime``)."""

    id: str
    offence_groups: tuple[str, ...]


FIELDS_OF_ACTION: tuple[FieldOfAction, ...] = (
    FieldOfAction("sachbeschaedigung", ("sachbeschaedigung", "graffiti")),
    FieldOfAction("gewalt", ("gewaltkriminalitaet", "koerperverletzung_einfach", "koerperverletzung_gefaehrlich", "raub")),
    FieldOfAction("drogen", ("rauschgift",)),
    FieldOfAction("diebstahl_einbruch",
                  ("diebstahl", "wohnungseinbruch", "fahrraddiebstahl", "kfz_diebstahl", "ladendiebstahl")),
    FieldOfAction("betrug", ("betrug",)),
    FieldOfAction("vermuellung", ()),
    FieldOfAction("extremismus", ()),
)


@dataclass(frozen=True)
class SurveyOffenceMapping:
    """The PKS keys comparable to a survey victimisation item ``opfer_<offence>``; ``note``: the keys
    need a caveat (a sum of keys, or a key not confirmed; worded in ``survey.wording.crime``)."""

    offence: str
    patterns: tuple[str, ...]
    household_offence: bool
    note: bool = False


SURVEY_OFFENCE_KEYS: dict[str, SurveyOffenceMapping] = {
    m.offence: m
    for m in (
        SurveyOffenceMapping("fahrrad", ("***300",), True),
        SurveyOffenceMapping("einbruch", ("435*00",), True),
        SurveyOffenceMapping("sachbeschaedigung", ("674000",), False),
        SurveyOffenceMapping("koerperverletzung", ("222000", "224000"), False, note=True),
        SurveyOffenceMapping("betrug", ("510000",), False, note=True),
    )
}
