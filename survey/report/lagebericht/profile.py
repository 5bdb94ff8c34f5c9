"""Read-only access to profil.json for the report builders.

The report is rendered ONLY from the profile (DESIGN.md §6). :class:`ReportProfile` wraps the parsed
JSON with lookups (indicator by id, breakdown records, item distributions) and the mapping of items
and indicators to report chapters, derived from the questionnaire sections named in the profile.
Profile flags (``ok``/``unsicher``/``unterdrueckt``) are translated to the flags of
:mod:`survey.report.formatting` (``None``/``unreliable``/``suppressed``) in one place: :func:`flag_of`.
"""

from __future__ import annotations

import datetime as _dt

from pathlib import Path
from typing import Any, Union

from analysis.findings.types import Finding
from survey.errors import UserError
from survey.folder import AnalysisFolder
from survey.profile import ProfileDocument, read_profile
from survey.profile.base import Flag
from survey.profile.records import EstimateRecord, ItemDistribution
from survey.profile.results import BreakdownVariable, ProblemAssociation
from survey.report import formatting as fmt
from survey.questionnaire.loader import load_questionnaire, shipped_questionnaires
from survey.report.charts.data import Point

PROFILE_NAME = "profil.json"

# Questionnaire section ids per report chapter (standard instrument), with title keywords as a
# fallback when the questionnaire cannot be loaded (e.g. a local file that moved).
CHAPTER_SECTIONS: dict[str, tuple[str, ...]] = {
    "gebiet": ("wohnen", "zusammenhalt"),
    "gefuehl": ("sicherheitsgefuehl",),
    "furcht_affektiv": ("furcht_affektiv",),
    "furcht_kognitiv": ("furcht_kognitiv",),
    "furcht_konativ": ("furcht_konativ",),
    "probleme": ("probleme",),
    "angstraeume": ("angstraeume",),
    "opfer": ("opfer",),
    "polizei": ("polizei_ordnungsamt", "praevention"),
    "person": ("person",),
}
SECTION_TITLE_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("Beunruhigung", "furcht_affektiv"), ("Risiko", "furcht_kognitiv"),
    ("Vermeide", "furcht_konativ"), ("Sicherheitsgefühl", "sicherheitsgefuehl"),
    ("Wohnen", "wohnen"), ("Zusammenhalt", "zusammenhalt"), ("Probleme", "probleme"),
    ("Angsträume", "angstraeume"), ("Opfer", "opfer"), ("Polizei", "polizei_ordnungsamt"),
    ("Prävention", "praevention"), ("Person", "person"),
)
# Fallback item of core indicators (DESIGN.md §4) when no questionnaire is available.
CORE_INDICATOR_ITEMS = {
    "unsicher_nachts": "sicher_nacht", "unsicher_tag": "sicher_tag",
    "unsicher_gemeinde": "sicher_gemeinde", "meidet_orte": "meide_orte",
    "vertrauen_polizei_hoch": "vertrauen_polizei", "furcht_index": "sorge_einbruch",
    "problem_index": "problem_graffiti", "opfer_12m_irgendein": "opfer_fahrrad",
}
CORE_PREFIXES = (("sorge_hoch_", "sorge_"), ("problem_gross_", "problem_"), ("opfer_12m_", "opfer_"),
                 ("anzeigequote_", "anzeige_"))


class ProfileMissingError(UserError):
    """profil.json is missing or unreadable."""


Flagged = Union[EstimateRecord, ItemDistribution, ProblemAssociation]


def flag_of(record: Flagged | None) -> str | None:
    """Profile flag → formatting flag: ``unterdrueckt`` → ``suppressed``, ``unsicher`` →
    ``unreliable``; a missing record, or an estimate record without estimate, counts as suppressed."""
    if record is None or record.flag == Flag.UNTERDRUECKT:
        return fmt.FLAG_SUPPRESSED
    if isinstance(record, EstimateRecord) and record.estimate is None:
        return fmt.FLAG_SUPPRESSED
    return fmt.FLAG_UNRELIABLE if record.flag == Flag.UNSICHER else None


def point_of(record: EstimateRecord | None) -> Point:
    """A chart :class:`Point` from an indicator/breakdown record (suppressed → no value)."""
    flag = flag_of(record)
    if record is None or flag == fmt.FLAG_SUPPRESSED:
        return Point(None, flag=fmt.FLAG_SUPPRESSED)
    return Point(record.estimate, record.ci_low, record.ci_high, flag, record.n, record.flag_reason or None)


def shown(record: Flagged | None) -> bool:
    """True if the record's estimate may be printed (not suppressed, not missing)."""
    return record is not None and flag_of(record) != fmt.FLAG_SUPPRESSED


def load_profile_document(path: str | Path) -> ProfileDocument:
    """The typed profile (:func:`survey.profile.read_profile`: schema check, 1.0 upgrade), or a German
    error telling the coach to run ``analysieren`` again."""
    path = Path(path)
    if not path.is_file():
        raise ProfileMissingError(
            f"Das Sicherheitsprofil {path} fehlt. Bitte zuerst »sicherheitsanalyse analysieren "
            f"{path.parent.parent}« ausführen.")
    try:
        return read_profile(path, error_class=ProfileMissingError)
    except ProfileMissingError as error:
        raise ProfileMissingError(
            f"Das Sicherheitsprofil ist nicht lesbar ({error}). Bitte »sicherheitsanalyse "
            f"analysieren {path.parent.parent}« erneut ausführen.") from None


def _section_of_title(title: str) -> str:
    for keyword, section_id in SECTION_TITLE_KEYWORDS:
        if keyword.lower() in title.lower():
            return section_id
    return "sonstiges"


class ReportProfile:
    """The typed profile (:class:`~survey.profile.ProfileDocument`, never modified) plus lookups.

    ``document`` may also be a parsed profil.json (a dict): it is then read by
    :func:`survey.profile.read_profile` (schema check, 1.0 upgrade), so hand-built test profiles obey
    the same contract as files."""

    def __init__(self, document: ProfileDocument | dict, questionnaire: Any = None) -> None:
        if not isinstance(document, ProfileDocument):
            document = read_profile(document, error_class=ProfileMissingError)
        self.document: ProfileDocument = document
        self.questionnaire = questionnaire  # survey.questionnaire.Questionnaire or None
        self._indicators: dict[str, EstimateRecord] = {r.id: r for r in document.indicators}
        self._breakdowns: dict[tuple[str, str], list[EstimateRecord]] = {}
        for r in document.breakdowns.records:
            self._breakdowns.setdefault((r.id, r.by), []).append(r)
        self._distributions: dict[tuple[str, str | None], list[ItemDistribution]] = {}
        for d in document.item_distributions:
            self._distributions.setdefault((d.item, d.by), []).append(d)
        self._findings: dict[str, Finding] = {f.id: f for f in document.findings}

    # --- basic facts -------------------------------------------------------------------------
    @property
    def commune(self) -> str:
        return self.document.commune.name

    @property
    def year(self) -> int:
        return self.document.wave.jahr

    @property
    def wave_label(self) -> str:
        return self.document.wave.label or str(self.year)

    @property
    def level(self) -> float:
        return float(self.document.methods.confidence_level)

    @property
    def net(self) -> int:
        return self.document.sample.net

    # --- lookups -------------------------------------------------------------------------------
    def indicator(self, indicator_id: str) -> EstimateRecord | None:
        return self._indicators.get(indicator_id)

    @property
    def indicators(self) -> list[EstimateRecord]:
        return list(self._indicators.values())

    def breakdown(self, indicator_id: str, by: str) -> list[EstimateRecord]:
        return self._breakdowns.get((indicator_id, by), [])

    def finding(self, finding_id: str) -> Finding | None:
        """The engine's finding ``finding_id`` (profiles before findings: ``None``)."""
        return self._findings.get(finding_id)

    def family(self, family_id: str) -> list[Finding]:
        """The findings of one family, in the engine's order (a ranking: by rank)."""
        return [f for f in self.document.findings if f.family == family_id]

    @property
    def breakdown_variables(self) -> list[BreakdownVariable]:
        return list(self.document.breakdowns.variables)

    def group_name(self, by: str, code: str) -> str:
        """The group's own label (``16–29 Jahre``, ``Oststadt``); the code if the profile has no label."""
        for v in self.breakdown_variables:
            if v.id == by:
                for g in v.groups:
                    if g.code == str(code):
                        return g.label
        return str(code)

    def group_label(self, by: str, code: str) -> str:
        for v in self.breakdown_variables:
            if v.id == by:
                for g in v.groups:
                    if g.code == str(code):
                        return f"{v.label} {g.label}"
        return f"{by} {code}"

    def distribution(self, item: str, by: str | None = None, group: str | None = None) -> ItemDistribution | None:
        for d in self._distributions.get((item, by), []):
            if group is None or d.group == group:
                return d
        return None

    def distributions(self, item: str, by: str | None) -> list[ItemDistribution]:
        return self._distributions.get((item, by), [])

    def overall_items(self) -> list[ItemDistribution]:
        """Overall distributions of all items in questionnaire order."""
        return [d for d in self.document.item_distributions if d.by is None]

    # --- chapter mapping ---------------------------------------------------------------------------
    def section_id_of_item(self, item: str) -> str:
        if self.questionnaire is not None:
            variable = self.questionnaire.variable(item)
            if variable is not None:
                return variable.section_id
        d = self.distribution(item)
        return _section_of_title(d.section) if d else "sonstiges"

    def section_id_of_indicator(self, indicator_id: str) -> str:
        item = None
        if self.questionnaire is not None:
            definition = self.questionnaire.indicator(indicator_id)
            if definition is not None and definition.items:
                item = definition.items[0]
        if item is None:
            item = CORE_INDICATOR_ITEMS.get(indicator_id)
            for prefix, stem in CORE_PREFIXES:
                if item is None and indicator_id.startswith(prefix):
                    item = stem + indicator_id[len(prefix):]
        return self.section_id_of_item(item) if item else "sonstiges"

    def chapter_items(self, chapter: str) -> list[ItemDistribution]:
        sections = CHAPTER_SECTIONS[chapter]
        return [d for d in self.overall_items() if self.section_id_of_item(d.item) in sections]

    def chapter_indicators(self, chapter: str, *, sections: tuple[str, ...] | None = None) -> list[EstimateRecord]:
        wanted = sections or CHAPTER_SECTIONS[chapter]
        return [i for i in self.indicators if self.section_id_of_indicator(i.id) in wanted]


def load_questionnaire_for(document: ProfileDocument, folder: AnalysisFolder | None = None) -> Any:
    """The questionnaire of the report: the analysis folder's own (``AnalysisFolder.questionnaire``, the one
    resolver) when the folder names the profile's questionnaire; otherwise the shipped questionnaire named
    in the profile, or None if it is not shipped (the report then maps chapters by section titles)."""
    ref = document.questionnaire.id
    if folder is not None and folder.questionnaire.id == ref:
        return folder.questionnaire
    if not ref or ref not in shipped_questionnaires():
        return None
    ortsteile = {}
    for variable in document.breakdowns.variables:
        if variable.id == "ortsteil":
            ortsteile = {int(g.code): g.label for g in variable.groups if g.code.isdigit()}
    return load_questionnaire(ref, kommune=document.commune.name, ortsteile=ortsteile or None,
                              jahr=document.wave.jahr)


def report_date(rp: ReportProfile) -> _dt.date | None:
    """The profile's creation date (the date the reports carry), None if it is malformed."""
    try:
        return _dt.date.fromisoformat(rp.document.created)
    except ValueError:
        return None
