"""Read and write ``profil.json``: the one entry point every reader uses.

:func:`read_profile` reads a file (bounded: :func:`survey.jsonfile.read_json_file`) or an already parsed
document and returns the frozen :class:`~survey.profile.document.ProfileDocument`:

* 2.0: checked strictly against the contract types from which ``profil-2.0.schema.json`` is generated
  (a test keeps both equal). Strict JSON validation takes about 0.1 s for the largest sample profile,
  the generic JSON-Schema validator 3 to 5 s, too slow for a comparison of hundreds of profiles.
* 1.0: checked against ``profil-1.0.schema.json`` (the two large detail parts only for their type, as
  the comparison always did; the types check them fully) and upgraded (:mod:`survey.profile.upgrade`).

Every violation is a :class:`~survey.profile.errors.ProfileError` naming the file and the JSON path of
the bad value. :func:`profile_json` is the file text: keys in the types' field order, compact, floats
as Python writes them, so read → write reproduces a 2.0 file byte for byte.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from survey.atomic import atomic_write
from survey.errors import UserError
from survey.jsonfile import read_json_file
from survey.profile.document import SCHEMA_VERSION, ProfileDocument
from survey.profile.errors import ProfileError, pydantic_message, schema_message
from survey.profile.schema import SCHEMA_1_0
from survey.profile.upgrade import upgrade_1_0

SUPPORTED = ("1.0", SCHEMA_VERSION)


@lru_cache(maxsize=1)
def _validator_1_0():  # noqa: ANN202 - jsonschema.Draft202012Validator
    import jsonschema  # only for 1.0 files (the import costs 0.1 s of every run otherwise)

    schema = json.loads(SCHEMA_1_0.read_text(encoding="utf-8"))
    relaxed = copy.deepcopy(schema)
    relaxed["properties"]["item_distributions"] = {"type": "array", "items": {"type": "object"}}
    relaxed["properties"]["breakdowns"] = {"type": "object", "required": ["variables", "records"]}
    return jsonschema.Draft202012Validator(relaxed)


def _document(source: str | Path | dict[str, Any], error_class: type[UserError]) -> tuple[dict, Path | None]:
    if isinstance(source, dict):
        return source, None
    path = Path(source)
    if not path.exists():
        raise error_class("Die Profildatei wurde nicht gefunden.", path=path)
    if path.is_dir():
        raise error_class("Das ist ein Ordner, keine Profildatei (profil.json erwartet).", path=path)
    data = read_json_file(path, error_class, what="Profildateien")
    if not isinstance(data, dict):
        raise error_class("Die Datei enthält kein Profil (JSON-Objekt erwartet).", path=path)
    return data, path


def read_profile(source: str | Path | dict[str, Any], *, error_class: type[UserError] = ProfileError,
                 path: str | Path | None = None) -> ProfileDocument:
    """The typed profile of ``source`` (a path or a parsed document; ``path`` names a document in
    messages). Raises ``error_class`` with a German message naming the file and the JSON path."""
    data, file_path = _document(source, error_class)
    where = file_path or (Path(path) if path is not None else None)
    version = data.get("schema_version")
    if version not in SUPPORTED:
        raise error_class(f"Unbekannte Schema-Version {json.dumps(version, ensure_ascii=False)}; gelesen werden "
                          f"Profile nach Schema 1.0 und 2.0.", path=where)
    if version == "1.0":
        from jsonschema.exceptions import best_match

        error = best_match(_validator_1_0().iter_errors(data))
        if error is not None:
            raise error_class(schema_message(error), path=where)
        try:
            return upgrade_1_0(data)
        except ValidationError as failure:
            raise error_class(pydantic_message(data, failure), path=where) from None
    try:
        return ProfileDocument.model_validate_json(json.dumps(data, ensure_ascii=False), strict=True)
    except ValidationError as failure:
        raise error_class(pydantic_message(data, failure), path=where) from None


def profile_json(document: ProfileDocument) -> str:
    """The file text of ``document`` (compact: indentation was a quarter of the file)."""
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"


def write_profile_file(document: ProfileDocument, target: str | Path) -> Path:
    """Write ``document`` to ``target`` atomically."""
    target = Path(target)
    with atomic_write(target) as stream:
        stream.write(profile_json(document))
    return target
