"""Read and check commune profiles (``profil.json``) for the comparison.

* Every file must be readable UTF-8 JSON and valid against ``survey/schemas/profil-1.0.schema.json``.
  For speed (hundreds of profiles), the two large detail parts the comparison does not read
  (``item_distributions`` and ``breakdowns``) are only checked for their type; the profile builder
  validates them fully when it writes the file.
* All profiles must share the questionnaire core (``questionnaire.core_version``); otherwise nothing is
  compared and the message names every file with its core version.
* One commune (AGS) may appear with several waves (``wave.jahr``), but not twice with the same wave.

Errors are :class:`ProfileError` (a :class:`~survey.errors.UserError`) with German messages.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from survey.errors import UserError
from survey.jsonfile import read_json_file

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "profil-1.0.schema.json"
TOTAL_CRIME_ID = "insgesamt"


class ProfileError(UserError):
    """A profile cannot be read or is not comparable."""


@dataclass(frozen=True)
class Value:
    """One indicator value of a profile (direct or standardised)."""

    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    flag: str  # ok | unsicher | unterdrueckt

    @property
    def usable(self) -> bool:
        """Shown and comparable: not suppressed, estimate and SE present."""
        return (self.flag != "unterdrueckt" and self.estimate is not None and self.se is not None
                and math.isfinite(self.estimate) and math.isfinite(self.se))


@dataclass(frozen=True)
class IndicatorInfo:
    id: str
    label: str
    kind: str  # proportion | mean
    core: bool


@dataclass(frozen=True)
class CrimeTotal:
    year: int
    cases: int
    population: float
    hz: float
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class ProfileData:
    """What the comparison needs from one profile."""

    path: Path
    ags: str
    name: str
    year: int
    wave_label: str
    questionnaire_id: str
    questionnaire_version: str
    core_version: str
    net: int
    indicators: dict[str, IndicatorInfo] = field(repr=False)
    direct: dict[str, Value] = field(repr=False)
    standardised: dict[str, Value] = field(repr=False)
    crime: CrimeTotal | None = None

    @property
    def key(self) -> str:
        return f"{self.ags}-{self.year}"


@lru_cache(maxsize=1)
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    relaxed = copy.deepcopy(schema)
    relaxed["properties"]["item_distributions"] = {"type": "array", "items": {"type": "object"}}
    relaxed["properties"]["breakdowns"] = {"type": "object", "required": ["variables", "records"]}
    return jsonschema.Draft202012Validator(relaxed)


def _where(error: jsonschema.ValidationError) -> str:
    path = "/".join(str(p) for p in error.absolute_path)
    return f"an der Stelle »{path}«" if path else "auf oberster Ebene"


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"Pflichtfeld »{missing}« fehlt {_where(error)}"
    if error.validator == "additionalProperties":
        return f"unbekanntes Feld {_where(error)} ({error.message})"
    if error.validator in ("type", "enum", "const", "pattern", "minimum"):
        value = json.dumps(error.instance, ensure_ascii=False)
        if len(value) > 60:
            value = value[:57] + "…"
        return f"ungültiger Wert {value} {_where(error)}"
    return f"{error.message} {_where(error)}"


def read_profile_document(path: str | Path) -> dict[str, Any]:
    """Parse and schema-check one profile file (German errors naming the file)."""
    path = Path(path)
    if not path.exists():
        raise ProfileError("Die Profildatei wurde nicht gefunden.", path=path)
    if path.is_dir():
        raise ProfileError("Das ist ein Ordner, keine Profildatei (profil.json erwartet).", path=path)
    document = read_json_file(path, ProfileError, what="Profildateien")
    if not isinstance(document, dict):
        raise ProfileError("Die Datei enthält kein Profil (JSON-Objekt erwartet).", path=path)
    version = document.get("schema_version")
    if version != "1.0":
        raise ProfileError(f"Unbekannte Schema-Version {json.dumps(version, ensure_ascii=False)}; "
                           "erwartet wird ein Profil nach Schema 1.0.", path=path)
    error = jsonschema.exceptions.best_match(validator().iter_errors(document))
    if error is not None:
        raise ProfileError(f"Das Profil verletzt das Schema profil-1.0: {_schema_message(error)}.", path=path)
    return document


def _value(record: dict[str, Any]) -> Value:
    return Value(record.get("estimate"), record.get("se"), record.get("ci_low"), record.get("ci_high"),
                 record.get("n"), record.get("flag") or "ok")


def _crime_total(crime: dict[str, Any]) -> CrimeTotal | None:
    """The headline total (``headline: true``, chosen by the border rule); older profiles: id ``insgesamt``."""
    if not crime.get("available"):
        return None
    offences = list(crime.get("offences") or ())
    headline = [o for o in offences if o.get("headline")]
    for offence in headline or offences:
        if (headline or offence.get("id") == TOTAL_CRIME_ID) and offence.get("series"):
            last = offence["series"][-1]
            hz = last.get("hz") or {}
            rate = hz.get("rate", hz.get("hz"))
            if rate is None:
                return None
            return CrimeTotal(int(last["jahr"]), int(last.get("faelle") or 0), float(last.get("einwohner") or 0),
                              float(rate), hz.get("ci_low"), hz.get("ci_high"))
    return None


def neutral_label(label: str, commune: str) -> str:
    """Indicator labels may contain the commune's name (questionnaire placeholders, e.g. »fühlt sich in
    Auenstadt insgesamt unsicher«); comparisons need one label for all communes and must not reveal
    names on anonymised pages: the name becomes »der Gemeinde«."""
    return label.replace(commune, "der Gemeinde") if commune else label


def profile_data(path: Path, document: dict[str, Any]) -> ProfileData:
    name = document["commune"]["name"]
    infos = {r["id"]: IndicatorInfo(r["id"], neutral_label(r["label"], name), r["kind"], bool(r["core"]))
             for r in document["indicators"]}
    direct = {r["id"]: _value(r) for r in document["indicators"]}
    standardised = {r["id"]: _value(r) for r in document["standardised"]["indicators"]}
    q = document["questionnaire"]
    return ProfileData(
        path=path, ags=document["commune"]["ags"], name=document["commune"]["name"],
        year=int(document["wave"]["jahr"]), wave_label=str(document["wave"].get("label") or document["wave"]["jahr"]),
        questionnaire_id=str(q["id"]), questionnaire_version=str(q["version"]), core_version=str(q["core_version"]),
        net=int(document["sample"]["net"]), indicators=infos, direct=direct, standardised=standardised,
        crime=_crime_total(document["crime"]),
    )


def check_core(profiles: Sequence[ProfileData]) -> None:
    """Refuse profiles whose questionnaire cores differ (message names files and versions)."""
    versions = sorted({p.core_version for p in profiles})
    if len(versions) <= 1:
        return
    listing = "; ".join(f"{p.path} (Fragebogen {p.questionnaire_id}, Kernversion {p.core_version})" for p in profiles)
    raise ProfileError(
        f"Die Profile beruhen auf verschiedenen Kernfragen (Kernversionen {', '.join(versions)}) und sind "
        f"deshalb nicht vergleichbar: {listing}. Bitte nur Profile mit derselben Kernversion vergleichen.")


def check_unique(profiles: Sequence[ProfileData]) -> None:
    seen: dict[tuple[str, int], ProfileData] = {}
    for p in profiles:
        other = seen.get((p.ags, p.year))
        if other is not None:
            raise ProfileError(
                f"Die Kommune {p.name} (AGS {p.ags}) ist mit der Welle {p.year} doppelt angegeben: "
                f"{other.path} und {p.path}. Jede Welle einer Kommune darf nur einmal vorkommen.")
        seen[(p.ags, p.year)] = p


def load_profiles(paths: Iterable[str | Path]) -> list[ProfileData]:
    """Read, validate and check a set of profiles (at least two)."""
    paths = [Path(p) for p in paths]
    if len(paths) < 2:
        raise ProfileError("Für einen Vergleich werden mindestens zwei Profile (profil.json) benötigt.")
    profiles = [profile_data(path, read_profile_document(path)) for path in paths]
    check_core(profiles)
    check_unique(profiles)
    return profiles
