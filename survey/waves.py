"""The earlier wave named by ``vorwelle:`` in analyse.yaml (issue 12, change since the last wave).

:func:`load_previous_wave` is the ONE reader of the earlier profil.json. It reads the 1.0 shape (header
``commune``/``wave``/``questionnaire``, ``indicators`` and ``breakdowns.records`` with ``id``, ``by``,
``group``, ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``n``, ``flag``; ``recommendations``) and ignores
what a 2.0 profile adds. It is small and isolated on purpose: when ``read_profile`` (typed profile 2.0)
arrives, this function can become a thin wrapper around it. :func:`check_previous_wave` refuses a wave
that cannot be compared (another commune, another core version of the questionnaire, the same or a later
wave). Both raise :class:`~survey.errors.ConfigError` with a German message naming the file; the folder
validation (:mod:`survey.validation`) calls them, so every command refuses such a folder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from survey.errors import ConfigError
from survey.jsonfile import read_json_file

RECORD_FIELDS = ("estimate", "se", "ci_low", "ci_high")
Key = tuple[str, "str | None", "str | None"]

# Polarity of the core indicators (DESIGN.md §4): +1 higher is worse, -1 higher is better. The reporting
# rates (anzeigequote_*) have none: a higher rate is neither better nor worse safety.
BETTER_HIGHER = ("vertrauen_polizei_hoch",)
WORSE_HIGHER_PREFIXES = ("unsicher_", "sorge_hoch_", "problem_gross_", "opfer_12m_")
WORSE_HIGHER = ("meidet_orte", "furcht_index", "problem_index")


def polarity_of(indicator: str) -> int | None:
    if indicator in BETTER_HIGHER:
        return -1
    if indicator in WORSE_HIGHER or indicator.startswith(WORSE_HIGHER_PREFIXES):
        return 1
    return None


@dataclass(frozen=True)
class WaveRecord:
    """One estimate of the earlier wave (overall: ``by`` and ``group`` None)."""

    id: str
    label: str
    kind: str
    core: bool
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    flag: str | None
    by: str | None = None
    group: str | None = None
    group_label: str | None = None


@dataclass(frozen=True)
class PreviousWave:
    path: Path
    commune: str
    ags: str
    year: int
    label: str
    core_version: str
    questionnaire_id: str
    records: dict[Key, WaveRecord] = field(default_factory=dict)
    recommendations: tuple[dict[str, Any], ...] = ()

    def record(self, indicator: str, by: str | None = None, group: str | None = None) -> WaveRecord | None:
        return self.records.get((indicator, by, group))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _record(raw: Any, path: Path, where: str) -> WaveRecord:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise ConfigError(f"Frühere Welle: {where} ist kein Indikator-Eintrag mit »id«.", path=path)
    for name in RECORD_FIELDS:
        if raw.get(name) is not None and _number(raw.get(name)) is None:
            raise ConfigError(f"Frühere Welle: {where} ({raw['id']}) hat in »{name}« keinen Zahlenwert "
                              f"({raw.get(name)!r}).", path=path)
    n = raw.get("n")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
        raise ConfigError(f"Frühere Welle: {where} ({raw['id']}) hat in »n« keine Fallzahl ({n!r}).", path=path)
    group = raw.get("group")
    return WaveRecord(
        id=raw["id"], label=str(raw.get("label") or raw["id"]), kind=str(raw.get("kind") or "proportion"),
        core=bool(raw.get("core", False)), **{name: _number(raw.get(name)) for name in RECORD_FIELDS},
        n=n, flag=raw.get("flag") if isinstance(raw.get("flag"), str) else None,
        by=raw.get("by") if isinstance(raw.get("by"), str) else None,
        group=None if group is None else str(group),
        group_label=raw.get("group_label") if isinstance(raw.get("group_label"), str) else None)


def load_previous_wave(path: str | Path) -> PreviousWave:
    """Read the earlier wave's profil.json (1.0 or 2.0 shape); ConfigError naming the file otherwise."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError("Die unter »vorwelle« genannte Datei (Profil der früheren Welle) existiert nicht.",
                          path=path)
    data = read_json_file(path, ConfigError, what="Profile (profil.json)")
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise ConfigError("Die unter »vorwelle« genannte Datei ist kein Profil (profil.json): es fehlt die Liste "
                          "»indicators«.", path=path)
    try:
        commune, wave, questionnaire = data["commune"], data["wave"], data["questionnaire"]
        ags, year = str(commune["ags"]), wave["jahr"]
        core_version = str(questionnaire["core_version"])
    except (KeyError, TypeError):
        raise ConfigError("Die unter »vorwelle« genannte Datei ist kein vollständiges Profil: es fehlen Kommune "
                          "(AGS), Welle (Jahr) oder Fragebogen (Kernversion).", path=path) from None
    if isinstance(year, bool) or not isinstance(year, int):
        raise ConfigError(f"Frühere Welle: das Jahr der Welle ({year!r}) ist keine ganze Zahl.", path=path)
    records: dict[Key, WaveRecord] = {}
    for index, raw in enumerate(data["indicators"]):
        record = _record(raw, path, f"Indikator Nr. {index + 1}")
        records[(record.id, None, None)] = record
    breakdowns = data.get("breakdowns")
    raw_records = breakdowns.get("records", []) if isinstance(breakdowns, dict) else []
    for index, raw in enumerate(raw_records if isinstance(raw_records, list) else []):
        record = _record(raw, path, f"Untergruppen-Eintrag Nr. {index + 1}")
        if record.by is not None and record.group is not None:
            records[(record.id, record.by, record.group)] = record
    recommendations = tuple(r for r in data.get("recommendations") or () if isinstance(r, dict))
    return PreviousWave(path=path, commune=str(commune.get("name", "")), ags=ags, year=year,
                        label=str(wave.get("label") or year), core_version=core_version,
                        questionnaire_id=str(questionnaire.get("id", "")), records=records,
                        recommendations=recommendations)


def check_previous_wave(previous: PreviousWave, *, ags: str, year: int, label: str, core_version: str) -> None:
    """Refuse an earlier wave that cannot be compared with the current one (ConfigError naming the file)."""
    path = previous.path
    if previous.ags != ags:
        raise ConfigError(f"Die frühere Welle gehört zu einer anderen Kommune (AGS {previous.ags}"
                          f"{' ' + previous.commune if previous.commune else ''}, hier AGS {ags}); Veränderungen "
                          "lassen sich nur innerhalb einer Kommune berechnen.", path=path)
    if previous.core_version != str(core_version):
        raise ConfigError(f"Die frühere Welle wurde mit Kernfragen der Version {previous.core_version} erhoben, "
                          f"diese Welle mit Version {core_version}; die Kernindikatoren sind so nicht vergleichbar.",
                          path=path)
    if previous.year == year or previous.label == label:
        raise ConfigError(f"Die frühere Welle ist dieselbe Welle wie diese ({previous.label}, Jahr {previous.year}); "
                          "unter »vorwelle« gehört das Profil einer früheren Befragung.", path=path)
    if previous.year > year:
        raise ConfigError(f"Die unter »vorwelle« genannte Welle ({previous.year}) liegt nach dieser Welle ({year}); "
                          "dort gehört das Profil einer früheren Befragung.", path=path)
