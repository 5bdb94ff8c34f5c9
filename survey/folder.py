"""The commune analysis folder (DESIGN.md §3): ``analyse.yaml``, its files and the ``ergebnis/`` outputs."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from survey.errors import ConfigError
from survey.yamlfile import read_yaml_model

CONFIG_NAME = "analyse.yaml"
RESULT_DIR = "ergebnis"
CALIBRATION_FUNCTIONS = ("raking", "linear", "logit")
# stichprobe.einzelschicht: German name -> R's options(survey.lonely.psu = ...) (analysis.core.design)
LONELY_STRATUM_RULES = {"fehler": "fail", "anpassen": "adjust", "mitteln": "average", "sicher": "certainty",
                        "entfernen": "remove"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SampleDesignConfig(_Strict):
    """``stichprobe``: the register sample."""

    schichtung: str | None = None
    schichten: str | None = None
    einzelschicht: str = "fehler"  # rule for a stratum with one respondent, see LONELY_STRATUM_RULES

    @field_validator("einzelschicht")
    @classmethod
    def _known_rule(cls, value: str) -> str:
        if value not in LONELY_STRATUM_RULES:
            raise ValueError(f"unbekannte Regel {value!r}; erlaubt: {', '.join(LONELY_STRATUM_RULES)}.")
        return value

    @property
    def lonely_psu(self) -> str:
        """R's ``survey.lonely.psu`` name of ``einzelschicht``."""
        return LONELY_STRATUM_RULES[self.einzelschicht]

    @model_validator(mode="after")
    def _both_or_none(self) -> "SampleDesignConfig":
        if (self.schichtung is None) != (self.schichten is None):
            raise ValueError("»schichtung« und »schichten« müssen zusammen angegeben werden.")
        return self


class WeightingConfig(_Strict):
    """``gewichtung``: calibration margins, optional bounds on g = w/d and trimming."""

    merkmale: list[str] = Field(default_factory=lambda: ["altersgruppe", "geschlecht"])
    grenzen: tuple[float, float] | None = None
    verfahren: str | None = None
    trimmen: tuple[float, float] | None = None

    @field_validator("grenzen", "trimmen")
    @classmethod
    def _ordered_bounds(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and not (0 <= value[0] < 1 < value[1]):
            raise ValueError(f"Grenzen {list(value)} ungültig: erwartet [untere < 1 < obere], untere ≥ 0.")
        return value

    @field_validator("verfahren")
    @classmethod
    def _known_method(cls, value: str | None) -> str | None:
        if value is not None and value not in CALIBRATION_FUNCTIONS:
            raise ValueError(
                f"unbekanntes Verfahren {value!r}; erlaubt: {', '.join(CALIBRATION_FUNCTIONS)}."
            )
        return value

    @property
    def calibration_function(self) -> str:
        """R's calfun name: explicit ``verfahren``, else ``logit`` with bounds, else ``raking``."""
        if self.verfahren is not None:
            return self.verfahren
        return "logit" if self.grenzen is not None else "raking"


class LetterConfig(_Strict):
    """``anschreiben``: sender and text of the invitation letters (issue 7)."""

    absender: str | None = None
    unterschrift: str | None = None
    text: str | None = None
    url: str | None = None
    frist: str | None = None


class MapConfig(_Strict):
    """``karte``: the Ortsteil geometry for maps (issue 12); see :mod:`survey.geometry`."""

    datei: str = "ortsteile.geojson"
    eigenschaft: str = "ortsteil"


class PrivacyConfig(_Strict):
    """``datenschutz``: the facts of the Art. 13 DSGVO notice (issue 15; ``survey/privacy_notice.py``)."""

    verantwortlich: str | None = None
    kontakt: str | None = None
    datenschutzbeauftragter: str | None = None
    zweck: str | None = None
    rechtsgrundlage: str | None = None
    empfaenger: str | None = None
    speicherdauer: str | None = None
    aufsichtsbehoerde: str | None = None


class OrtsteilProfileConfig(_Strict):
    """``ortsteilprofile``: how the Ortsteil profiles group the Ortsteile (issue 12).

    ``zusammenfassen: {Nord: [3, 4]}`` pools Ortsteile 3 and 4 into one profile »Nord« (for Ortsteile
    with too few respondents); every code at most once, at least two codes per pool."""

    zusammenfassen: dict[str, list[int]] = Field(default_factory=dict)

    @field_validator("zusammenfassen")
    @classmethod
    def _pools(cls, pools: dict[str, list[int]]) -> dict[str, list[int]]:
        seen: dict[int, str] = {}
        for name, codes in pools.items():
            if not str(name).strip():
                raise ValueError("ein zusammengefasster Ortsteil braucht einen Namen.")
            if len(set(codes)) < 2:
                raise ValueError(f"»{name}« fasst {len(set(codes))} Ortsteil zusammen; nötig sind mindestens zwei "
                                 "Ortsteil-Codes, z. B. {Nord: [3, 4]}.")
            for code in codes:
                if code in seen:
                    raise ValueError(f"Ortsteil {code} steht in »{seen[code]}« und in »{name}«; jeder Ortsteil darf "
                                     "nur einmal zusammengefasst werden.")
                seen[code] = name
        return pools


class LanguageConfig(_Strict):
    """``sprachen`` (issue 17): the languages offered besides German and the letters' second language.

    ``angeboten``: languages of the web form and the paper forms (codes of ``survey/languages.py``; German is
    always offered); ``zweite``: the second language of the bilingual invitation letter (one of ``angeboten``).
    """

    zweite: str | None = None
    angeboten: list[str] = Field(default_factory=list)

    @field_validator("zweite", mode="before")
    @classmethod
    def _known_second(cls, value: object) -> object:
        return _language_code(value)

    @field_validator("angeboten", mode="before")
    @classmethod
    def _known_offered(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in value.replace(",", " ").split() if part]
        if not isinstance(value, list):
            raise ValueError("»angeboten« ist eine Liste von Sprachcodes, z. B. [pl, cs, en].")
        codes = []
        for item in value:
            code = _language_code(item)
            if code != "de" and code not in codes:
                codes.append(code)
        return codes

    @model_validator(mode="after")
    def _second_is_offered(self) -> "LanguageConfig":
        if self.zweite is not None and self.zweite == "de":
            raise ValueError("»zweite« ist die zweite Sprache der Anschreiben neben Deutsch; bitte eine andere "
                             "Sprache als de angeben.")
        if self.zweite is not None and self.zweite not in self.angeboten:
            raise ValueError(f"»zweite: {self.zweite}« steht nicht unter »angeboten« "
                             f"({', '.join(self.angeboten) or 'leer'}); die zweite Sprache der Anschreiben muss "
                             "auch angeboten werden.")
        return self


def _language_code(value: object) -> object:
    from survey.languages import known_codes, normalise_language

    if value is None:
        return None
    code = normalise_language(value)
    if code is None:
        raise ValueError(f"»{value}« ist keine Sprache des Werkzeugs; möglich sind: {known_codes()}.")
    return code


class AnalysisConfig(_Strict):
    """Validated content of ``analyse.yaml``."""

    kommune: str
    ags: str
    jahr: int = Field(ge=1990, le=2100)
    fragebogen: str = "sicherheitsanalyse-standard"
    antworten: list[str] = Field(default_factory=list)
    bevoelkerung: str | None = "population.csv"
    stichprobe: SampleDesignConfig = Field(default_factory=SampleDesignConfig)
    gewichtung: WeightingConfig = Field(default_factory=WeightingConfig)
    kriminalstatistik: str | None = None
    landkreis_ags: str | None = None
    ortsteile: dict[int, str] = Field(default_factory=dict)
    anschreiben: LetterConfig = Field(default_factory=LetterConfig)
    datenschutz: PrivacyConfig = Field(default_factory=PrivacyConfig)
    welle: str | None = None
    karte: MapConfig = Field(default_factory=MapConfig)
    vorwelle: str | None = None  # profil.json of the earlier wave (issue 12), relative to the folder
    ortsteilprofile: OrtsteilProfileConfig = Field(default_factory=OrtsteilProfileConfig)
    sprachen: LanguageConfig | None = None

    @model_validator(mode="after")
    def _pooled_codes_known(self) -> "AnalysisConfig":
        known = set(self.ortsteile)
        for name, codes in self.ortsteilprofile.zusammenfassen.items():
            unknown = [code for code in codes if known and code not in known]
            if unknown:
                raise ValueError(f"ortsteilprofile.zusammenfassen: »{name}« nennt Ortsteil {unknown[0]}, den es unter "
                                 f"»ortsteile« nicht gibt (bekannt: {', '.join(str(c) for c in sorted(known))}).")
        return self

    @field_validator("ags", "landkreis_ags", mode="before")
    @classmethod
    def _ags_text(cls, value: object) -> object:
        if isinstance(value, int):
            raise ValueError(
                f"AGS {value} bitte in Anführungszeichen schreiben (z. B. \"{value:08d}\"), "
                "damit führende Nullen erhalten bleiben."
            )
        return value

    @field_validator("ags")
    @classmethod
    def _ags_format(cls, value: str) -> str:
        if not (len(value) == 8 and value.isdigit()):
            raise ValueError(f"AGS {value!r} ungültig: erwartet wird der 8-stellige Gemeindeschlüssel.")
        return value

    @field_validator("antworten", mode="before")
    @classmethod
    def _single_file(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @property
    def wave(self) -> str:
        return self.welle or str(self.jahr)

    @property
    def landkreis(self) -> str:
        """Landkreis of the PKS comparison: ``landkreis_ags``, else the Kreisschlüssel (first five digits
        of the AGS); 5- and 8-digit forms match the same pks.csv rows (analysis.profile.crime.area_key)."""
        return self.landkreis_ags or self.ags[:5]


class AnalysisFolder:
    """A commune analysis folder on disk: its validated config, resolved file paths, and its inputs.

    The folder is opened once: the questionnaire, the population and strata tables, the PKS table and
    the recommendation rules are read on first use and kept (``functools.cached_property``), so that every
    step of ``run`` (validation, weighting, profile, report) works on the same objects. The validation
    result (:func:`survey.validation.validate_folder`) is kept in :attr:`checked`. The free-text coding
    table is read once by the profile step (:mod:`survey.freetext.profile`), the Ortsteil geometry and the
    coach's texts once by the report step (:mod:`survey.report.lagebericht.local`).
    """

    def __init__(self, path: Path, config: AnalysisConfig):
        self.path = path
        self.config = config
        self.checked = None  # survey.validation.CheckedFolder, set by validate_folder

    @property
    def config_path(self) -> Path:
        return self.path / CONFIG_NAME

    @property
    def result_dir(self) -> Path:
        return self.path / RESULT_DIR

    def file(self, name: str) -> Path:
        """Resolve a file named in analyse.yaml relative to the folder."""
        candidate = Path(name)
        return candidate if candidate.is_absolute() else self.path / candidate

    def response_files(self) -> list[Path]:
        return [self.file(name) for name in self.config.antworten]

    def require_file(self, name: str | None, key: str) -> Path:
        """The file named under ``key``; a clear error if it is not configured or missing."""
        if not name:
            raise ConfigError(f"In analyse.yaml fehlt die Angabe »{key}«.", path=self.config_path)
        path = self.file(name)
        if not path.exists():
            raise ConfigError(
                f"Die unter »{key}« genannte Datei {path} existiert nicht.", path=self.config_path
            )
        return path

    def ensure_result_dir(self) -> Path:
        self.result_dir.mkdir(parents=True, exist_ok=True)
        return self.result_dir

    # --- inputs, read once ---------------------------------------------------------------------------
    @cached_property
    def questionnaire(self):  # noqa: ANN201 - survey.questionnaire.Questionnaire
        """The one resolver: ``fragebogen`` is a path relative to the folder when it names a YAML file or an
        existing file, else the id of a shipped questionnaire; commune, Ortsteile and year filled in."""
        from survey.questionnaire.loader import load_questionnaire

        config = self.config
        ref: str | Path = config.fragebogen
        candidate = self.file(config.fragebogen)
        if candidate.suffix.lower() in (".yaml", ".yml") or candidate.exists():
            ref = candidate
        return load_questionnaire(ref, kommune=config.kommune, ortsteile=config.ortsteile or None,
                                  jahr=config.jahr)

    @cached_property
    def files(self):  # noqa: ANN201 - survey.intake.folder_files.FolderFiles
        """population.csv and strata.csv (tables or None, with their findings)."""
        from survey.intake.folder_files import read_folder_files

        return read_folder_files(self, self.questionnaire)

    @property
    def population(self):  # noqa: ANN201 - PopulationTable | None
        return self.files.population

    @property
    def strata(self):  # noqa: ANN201 - StrataTable | None
        return self.files.strata

    @cached_property
    def pks(self):  # noqa: ANN201 - survey.pks.PksTable | None
        """The PKS table of ``kriminalstatistik`` (None if none is named)."""
        if not self.config.kriminalstatistik:
            return None
        from survey.pks.csv_reader import read_pks

        return read_pks(self.require_file(self.config.kriminalstatistik, "kriminalstatistik"))

    @cached_property
    def rules(self):  # noqa: ANN201 - survey.recommendations.RuleSet
        """The recommendation rules: the folder's own ``empfehlungen.yaml``, else the shipped rules."""
        from survey.recommendations import rules_for_folder

        return rules_for_folder(self.path)

    @cached_property
    def previous_wave(self):  # noqa: ANN201 - survey.waves.PreviousWave | None
        """The earlier wave of ``vorwelle`` (None if none is named), checked against this wave."""
        if not self.config.vorwelle:
            return None
        from survey.waves import check_previous_wave, load_previous_wave

        previous = load_previous_wave(self.file(self.config.vorwelle))
        config = self.config
        check_previous_wave(previous, ags=config.ags, year=config.jahr, label=config.wave,
                            core_version=str(self.questionnaire.core_version))
        return previous


def load_folder(path: str | Path) -> AnalysisFolder:
    """Read and validate ``DIR/analyse.yaml``."""
    folder = Path(path)
    if not folder.is_dir():
        raise ConfigError(f"Analyseordner {folder} existiert nicht (mit »sicherheitsanalyse init« anlegen).")
    config_path = folder / CONFIG_NAME
    if not config_path.exists():
        raise ConfigError(
            f"In {folder} fehlt {CONFIG_NAME} (mit »sicherheitsanalyse init {folder}« anlegen)."
        )
    config, _ = read_yaml_model(config_path, AnalysisConfig, ConfigError,
                                "analyse.yaml muss Schlüssel: Wert-Angaben enthalten.")
    return AnalysisFolder(folder, config)
