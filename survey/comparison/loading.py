"""Read and check commune profiles (``profil.json``) for the comparison.

* Every file is read by :func:`survey.profile.read_profile` (schema 2.0, or 1.0 upgraded to the 2.0
  types; German errors naming the file and the JSON path of the bad value); the comparison reads the
  typed profile.
* All profiles must share the questionnaire core (``questionnaire.core_version``); otherwise nothing is
  compared and the message names every file with its core version.
* One commune (AGS) may appear with several waves (``wave.jahr``), but not twice with the same wave.

Errors are :class:`~survey.profile.ProfileError` (a :class:`~survey.errors.UserError`) with German messages.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from survey.profile import EstimateRecord, ProfileDocument, ProfileError, read_profile
from survey.profile.crime import Crime
from survey.profile.schema import SCHEMA_1_0

SCHEMA_PATH = SCHEMA_1_0  # the synthetic profiles of tests and benchmarks are 1.0 files
TOTAL_CRIME_ID = "insgesamt"


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


def read_profile_document(path: str | Path) -> ProfileDocument:
    """Read and check one profile file (1.0 or 2.0; German errors naming the file and JSON path)."""
    return read_profile(path, error_class=ProfileError)


def _value(record: EstimateRecord) -> Value:
    return Value(record.estimate, record.se, record.ci_low, record.ci_high, record.n, record.flag.value)


def _crime_total(crime: Crime) -> CrimeTotal | None:
    """The headline total (``headline: true``, chosen by the border rule); older profiles: id ``insgesamt``."""
    if not crime.available:
        return None
    offence = crime.headline_offence()
    if offence is None or not offence.series:
        return None
    last = offence.series[-1]
    if last.hz.rate is None:
        return None
    return CrimeTotal(last.jahr, last.faelle, float(last.einwohner), float(last.hz.rate), last.hz.ci_low,
                      last.hz.ci_high)


def neutral_label(label: str, commune: str) -> str:
    """Indicator labels may contain the commune's name (questionnaire placeholders, e.g. »fühlt sich in
    Auenstadt insgesamt unsicher«); comparisons need one label for all communes and must not reveal
    names on anonymised pages: the name becomes »der Gemeinde«."""
    return label.replace(commune, "der Gemeinde") if commune else label


def profile_data(path: Path, document: ProfileDocument | dict) -> ProfileData:
    """What the comparison reads of ``document`` (typed, or a plain 1.0/2.0 document read here)."""
    if not isinstance(document, ProfileDocument):
        document = read_profile(document, error_class=ProfileError, path=path)
    name = document.commune.name
    infos = {r.id: IndicatorInfo(r.id, neutral_label(r.label or r.id, name), r.kind.value, bool(r.core))
             for r in document.indicators}
    q = document.questionnaire
    return ProfileData(
        path=path, ags=document.commune.ags, name=name, year=document.wave.jahr,
        wave_label=document.wave.label or str(document.wave.jahr),
        questionnaire_id=q.id, questionnaire_version=q.version, core_version=q.core_version,
        net=document.sample.net, indicators=infos, direct={r.id: _value(r) for r in document.indicators},
        standardised={r.id: _value(r) for r in document.standardised.indicators},
        crime=_crime_total(document.crime),
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
