"""The JSON Schema of profile 2.0, generated from the contract types.

``python -m survey.profile.schema`` rewrites ``survey/schemas/profil-2.0.schema.json``; a test checks the
file equals :func:`profile_schema` and that every sample profile satisfies both."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from survey.profile.document import ProfileDocument

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SCHEMA_2_0 = SCHEMAS / "profil-2.0.schema.json"
SCHEMA_1_0 = SCHEMAS / "profil-1.0.schema.json"


def profile_schema() -> dict[str, Any]:
    """Draft 2020-12 schema of a written 2.0 profile (every key present, ``null`` where not applicable)."""
    generated = ProfileDocument.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sicherheitsanalyse.example/schemas/profil-2.0.schema.json",
        "title": "Sicherheitsprofil einer Kommune (profil.json), Version 2.0",
        "description": ("Aggregierte Ergebnisse einer Sicherheitsanalyse: eine Kommune, eine Befragungswelle. "
                        "Nur zusammengefasste Werte, keine Einzelangaben, keine Freitexte im Wortlaut. Anteile "
                        "als Zahl zwischen 0 und 1. Erzeugt aus den Typen in survey/profile/ "
                        "(python -m survey.profile.schema)."),
        **{k: v for k, v in generated.items() if k not in ("title", "description")},
    }


def schema_text() -> str:
    return json.dumps(profile_schema(), ensure_ascii=False, indent=1) + "\n"


def main() -> None:  # pragma: no cover - developer tool
    SCHEMA_2_0.write_text(schema_text(), encoding="utf-8")
    sys.stdout.write(f"{SCHEMA_2_0}\n")


if __name__ == "__main__":
    main()
