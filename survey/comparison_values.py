"""Published comparison values for core indicators (issue 12, point 7): ``survey/comparison_values.yaml``.

Only values a published study reports for the same measure (see the file's header); none is estimated.
The report shows them beside the commune's value with source, year and area, and draws no conclusion
from the difference (a published figure has no interval here to test against).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from survey.errors import DefinitionError
from survey.yamlfile import read_yaml_model

VALUES_FILE = Path(__file__).with_name("comparison_values.yaml")


class ComparisonValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    indikator: str
    darstellung: Literal["anteil", "gegenteil"] = "anteil"
    bezeichnung: str
    wert: float | None = Field(default=None, ge=0, le=1)
    wert_text: str | None = None
    quelle: str
    jahr: int
    gebiet: str
    beleg: str
    url: str | None = None

    @model_validator(mode="after")
    def _value_or_text(self) -> "ComparisonValue":
        if self.wert is None and not self.wert_text:
            raise ValueError("ohne »wert« braucht ein Vergleichswert »wert_text«.")
        return self


class ComparisonFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    werte: list[ComparisonValue]


def load_comparison_values(path: Path = VALUES_FILE) -> tuple[ComparisonValue, ...]:
    parsed, _ = read_yaml_model(path, ComparisonFile, DefinitionError,
                                "Die Datei der Vergleichswerte muss Schlüssel: Wert-Angaben enthalten.")
    return tuple(parsed.werte)


def profile_entries(values: tuple[ComparisonValue, ...], indicator_ids: set[str]) -> list[dict]:
    """The profile block ``comparison_values`` (values of indicators the profile has)."""
    return [{"indicator": v.indikator, "presentation": "complement" if v.darstellung == "gegenteil" else "share",
             "label": v.bezeichnung, "value": v.wert, "value_text": v.wert_text, "source": v.quelle, "year": v.jahr,
             "area": v.gebiet, "url": v.url} for v in values if v.indikator in indicator_ids]
