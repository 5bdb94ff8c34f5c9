"""``vergleich --tau2-von VERGLEICH``: the between-commune variance ``tau²`` of an earlier, larger
comparison, read from its ``vergleich.json`` (:mod:`survey.comparison.export`).

``VERGLEICH`` is that file or the folder holding it. The file must be valid against
``survey/schemas/vergleich-1.0.schema.json`` and rest on the same questionnaire core as the profiles
compared now. Only values that comparison actually had (``tau2_source`` *estimated*, or *fixed* from
one before it) are used; an indicator without one falls back to the rule (estimate from 20 communes,
else sampling error alone), and the report says so. Errors are German and name the file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import jsonschema

from analysis.comparison.indicator import scale_of
from survey.comparison.export import JSON_NAME
from survey.comparison.loading import IndicatorInfo, _schema_message
from survey.comparison.model import FixedTau2, Tau2Prior
from survey.errors import UserError

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "vergleich-1.0.schema.json"
MAX_BYTES = 20_000_000
USABLE_SOURCES = ("estimated", "fixed")


class EarlierComparisonError(UserError):
    """The earlier comparison named by ``--tau2-von`` cannot be used."""


@lru_cache(maxsize=1)
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _file_of(path: Path) -> Path:
    if path.is_dir():
        candidate = path / JSON_NAME
        if not candidate.is_file():
            raise EarlierComparisonError(
                f"Im Ordner liegt keine {JSON_NAME}; für --tau2-von bitte den Ergebnisordner eines früheren "
                f"Vergleichs oder dessen {JSON_NAME} angeben.", path=path)
        return candidate
    return path


def read_document(path: str | Path) -> tuple[Path, dict]:
    path = _file_of(Path(path))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise EarlierComparisonError(f"Die Datei ist größer als {MAX_BYTES // 1_000_000} MB und damit keine "
                                         f"{JSON_NAME} eines Vergleichs.", path=path)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EarlierComparisonError("Die Datei des früheren Vergleichs (--tau2-von) wurde nicht gefunden.",
                                     path=path) from None
    except UnicodeDecodeError:
        raise EarlierComparisonError(f"Die Datei ist keine UTF-8-Textdatei und damit keine {JSON_NAME}.",
                                     path=path) from None
    except OSError as error:
        raise EarlierComparisonError(f"Die Datei kann nicht gelesen werden ({error.strerror}).", path=path) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise EarlierComparisonError(f"Die Datei ist kein gültiges JSON (Syntaxfehler in Spalte {error.colno}).",
                                     path=path, line=error.lineno) from None
    if not isinstance(document, dict) or document.get("format") != "sicherheitsanalyse-vergleich":
        raise EarlierComparisonError(f"Die Datei ist keine {JSON_NAME} eines Vergleichs (Feld »format« fehlt "
                                     "oder lautet anders).", path=path)
    error = jsonschema.exceptions.best_match(validator().iter_errors(document))
    if error is not None:
        raise EarlierComparisonError(f"Die Datei verletzt das Schema vergleich-1.0: {_schema_message(error)}.",
                                     path=path)
    return path, document


def read_prior(path: str | Path, *, core_version: str, indicators: Sequence[IndicatorInfo]) -> Tau2Prior:
    """The usable ``tau²`` values of the earlier comparison for the indicators compared now."""
    file, document = read_document(path)
    if document["core_version"] != core_version:
        raise EarlierComparisonError(
            f"Der frühere Vergleich beruht auf den Kernfragen der Version {document['core_version']}, die "
            f"Profile dieses Vergleichs auf Version {core_version}; τ² lässt sich nur zwischen gleichen "
            "Kernfragen übertragen.", path=file)
    kinds = {i.id: i.kind for i in indicators}
    values: dict[tuple[str, str], FixedTau2] = {}
    for record in document["indicators"]:
        if record["id"] not in kinds:
            continue
        for basis, entry in record["bases"].items():
            if entry["scale"] != scale_of(kinds[record["id"]]):
                raise EarlierComparisonError(
                    f"Der Indikator »{record['id']}« wurde im früheren Vergleich auf der Skala »{entry['scale']}« "
                    f"verglichen, jetzt auf »{scale_of(kinds[record['id']])}«; sein τ² passt nicht.", path=file)
            if entry["tau2_source"] in USABLE_SOURCES and entry["tau2_k"] is not None:
                values[(basis, record["id"])] = FixedTau2(float(entry["tau2"]), entry["scale"], int(entry["tau2_k"]))
    if not values:
        raise EarlierComparisonError(
            f"Der frühere Vergleich ({document['communes']} Kommunen) enthält für keinen der jetzt verglichenen "
            f"Kernindikatoren ein geschätztes τ² (geschätzt wird erst ab {document['min_communes_tau2']} "
            "Kommunen); --tau2-von braucht einen größeren früheren Vergleich.", path=file)
    return Tau2Prior(str(file), values, int(document["communes"]))
