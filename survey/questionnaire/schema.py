"""The questionnaire YAML as written by coaches (German keys), checked structurally with pydantic.

Cross-references (scales, filters, indicator items, duplicate ids) are checked afterwards in
:mod:`survey.questionnaire.checks`, because they need the whole document. Field names equal the YAML
keys, so pydantic's error locations are YAML locations and map onto line numbers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

QUESTION_TYPES = ("einfach", "matrix", "mehrfach", "zahl", "geburtsjahr", "text")
KIND_OF_TYPE = {
    "einfach": "single", "matrix": "grid", "mehrfach": "multi",
    "zahl": "number", "geburtsjahr": "birthyear", "text": "text",
}
ORTSTEILE = "ortsteile"
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
# Polarity of an indicator: is a higher value worse (share unsafe) or better (trust)? Findings use it.
DIRECTIONS = {"hoeher_schlechter": 1, "hoeher_besser": -1}
Direction = Literal["hoeher_schlechter", "hoeher_besser"]


class _Raw(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _not_blank(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise ValueError("darf nicht leer sein.")
    return value


class RawScale(_Raw):
    codes: dict[int, str]
    fehlend: dict[int, str] | None = None

    @field_validator("codes")
    @classmethod
    def _some_codes(cls, value: dict[int, str]) -> dict[int, str]:
        if not value:
            raise ValueError("eine Skala braucht mindestens einen Code.")
        return value


class RawCondition(_Raw):
    item: str | None = None
    codes: list[int] | None = None
    alle: list["RawCondition"] | None = None
    irgendein: list["RawCondition"] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> "RawCondition":
        simple = self.item is not None or self.codes is not None
        forms = int(simple) + int(self.alle is not None) + int(self.irgendein is not None)
        if forms != 1:
            raise ValueError(
                "ein Filter hat entweder »item« und »codes« oder »alle: […]« oder »irgendein: […]«."
            )
        if simple and (self.item is None or not self.codes):
            raise ValueError("ein Filter braucht »item« und mindestens einen Code unter »codes«.")
        if (self.alle is not None and not self.alle) or (self.irgendein is not None and not self.irgendein):
            raise ValueError("»alle« bzw. »irgendein« braucht mindestens eine Bedingung.")
        return self


class RawGridItem(_Raw):
    id: str = Field(pattern=ID_PATTERN)
    text: str
    kern: bool | None = None
    filter: RawCondition | None = None
    umgepolt: bool = False  # worded against the other rows (agreeing means the opposite)

    _blank = field_validator("text")(_not_blank)


class RawQuestion(_Raw):
    id: str = Field(pattern=ID_PATTERN)
    typ: str
    text: str
    hinweis: str | None = None
    skala: str | None = None
    optionen: dict[int, str] | Literal["ortsteile"] | None = None
    fehlend: dict[int, str] | None = None
    items: list[RawGridItem] | None = None
    min: int | None = None
    max: int | None = None
    einheit: str | None = None
    min_alter: int = 16
    max_alter: int = 105
    filter: RawCondition | None = None
    kern: bool = False

    _blank = field_validator("text")(_not_blank)

    @field_validator("typ")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in QUESTION_TYPES:
            raise ValueError(f"unbekannter Fragetyp {value!r}; erlaubt: {', '.join(QUESTION_TYPES)}.")
        return value

    @model_validator(mode="after")
    def _fits_type(self) -> "RawQuestion":
        coded = self.typ in {"einfach", "matrix", "mehrfach"}
        if coded and self.skala is not None and self.optionen is not None:
            raise ValueError(f"Frage {self.id!r}: bitte entweder »skala« oder »optionen« angeben, nicht beides.")
        if self.typ in {"einfach", "matrix"} and self.skala is None and self.optionen is None:
            raise ValueError(f"Frage {self.id!r} (Typ {self.typ}) braucht »skala« oder »optionen«.")
        if self.typ == "mehrfach" and not isinstance(self.optionen, dict):
            raise ValueError(f"Frage {self.id!r} (Typ mehrfach) braucht »optionen« mit Codes und Texten.")
        if self.typ == "matrix" and not self.items:
            raise ValueError(f"Frage {self.id!r} (Typ matrix) braucht »items« (Liste mit id und text).")
        if self.typ != "matrix" and self.items is not None:
            raise ValueError(f"Frage {self.id!r}: »items« gibt es nur bei Typ matrix.")
        if not coded and (self.skala is not None or self.optionen is not None):
            raise ValueError(f"Frage {self.id!r} (Typ {self.typ}) hat keine »skala« oder »optionen«.")
        if self.optionen == ORTSTEILE and self.typ != "einfach":
            raise ValueError(f"Frage {self.id!r}: »optionen: ortsteile« gibt es nur bei Typ einfach.")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"Frage {self.id!r}: »min« ({self.min}) ist größer als »max« ({self.max}).")
        if not 0 <= self.min_alter < self.max_alter:
            raise ValueError(f"Frage {self.id!r}: »min_alter« muss kleiner als »max_alter« sein.")
        return self


class RawSection(_Raw):
    id: str = Field(pattern=ID_PATTERN)
    titel: str
    einleitung: str | None = None
    fragen: list[RawQuestion] = Field(min_length=1)

    _blank = field_validator("titel")(_not_blank)


class RawIndicator(_Raw):
    id: str = Field(pattern=ID_PATTERN)
    text: str
    art: Literal["anteil", "irgendein"]
    item: str | None = None
    items: list[str] | None = None
    codes: list[int] = Field(min_length=1)
    nein_codes: list[int] | None = None
    unter: RawCondition | None = None
    kern: bool = False
    richtung: Direction | None = None

    _blank = field_validator("text")(_not_blank)

    @model_validator(mode="after")
    def _fits_kind(self) -> "RawIndicator":
        if self.art == "anteil":
            if self.item is None or self.items is not None or self.nein_codes is not None:
                raise ValueError(f"Indikator {self.id!r} (art: anteil) braucht »item« und »codes« "
                                 "(kein »items«, kein »nein_codes«).")
            if self.unter is not None and self.unter.item is None:
                raise ValueError(f"Indikator {self.id!r}: »unter« braucht »item« und »codes«.")
        else:
            if not self.items or self.item is not None or not self.nein_codes or self.unter is not None:
                raise ValueError(f"Indikator {self.id!r} (art: irgendein) braucht »items«, »codes« "
                                 "und »nein_codes« (kein »item«, kein »unter«).")
        return self


class RawIndex(_Raw):
    id: str = Field(pattern=ID_PATTERN)
    text: str
    items: list[str] = Field(min_length=1)
    min_gueltig: int = Field(ge=1)
    kern: bool = False
    richtung: Direction | None = None

    _blank = field_validator("text")(_not_blank)


class RawAgeGroup(_Raw):
    label: str
    von: int = Field(ge=0)
    bis: int | None = None


class RawQuestionnaire(_Raw):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    version: str
    kern_version: str
    titel: str
    einleitung: str | None = None
    fehlende_codes: dict[int, str] = Field(default_factory=lambda: {8: "weiß nicht", 9: "keine Angabe"})
    skalen: dict[str, RawScale] = Field(default_factory=dict)
    altersgruppen: list[RawAgeGroup] | None = None
    abschnitte: list[RawSection] = Field(min_length=1)
    indikatoren: list[RawIndicator] = Field(default_factory=list)
    indizes: list[RawIndex] = Field(default_factory=list)

    @field_validator("version", "kern_version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> object:
        return str(value) if isinstance(value, (int, float)) else value


RawCondition.model_rebuild()
