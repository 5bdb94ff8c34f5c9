"""Build ``DIR/ergebnis/profil.json``: folder -> intake -> weighting -> estimates -> crime -> assemble ->
the typed profile (:class:`survey.profile.ProfileDocument`, schema 2.0; a contract violation is an
internal error) -> written atomically from the types (:func:`survey.profile.profile_json`)."""

from __future__ import annotations

import datetime as dt
import json
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.profile.assemble import ProfileInputs, assemble_profile, profile_to_dict
from analysis.profile.drivers import Term
from analysis.profile.indicators import Breakdown
from analysis.profile.items import ItemInfo, item_distributions
from analysis.profile.ortsteile import ortsteil_profiles
from analysis.models.standardisation import StandardPopulation
from survey.comparison_values import load_comparison_values, profile_entries
from survey.folder import AnalysisFolder, load_folder
from survey.freetext.profile import free_text_section
from survey.profile import ProfileDocument, write_profile_file
from survey.profile.schema import SCHEMA_2_0
from survey.profile_background import Background
from survey.wave_change import change_section
from survey.waves import polarity_of
from survey.wording.crime import OFFENCE_LABELS
from survey.wording.weighting import note_text
from survey.weighting_summary import age_group_text
from survey.weighting_runner import AGE_COLUMN, WeightedSample, lonely_strata, require_variance, weight_folder

SCHEMA_PATH = SCHEMA_2_0
STANDARD_POPULATION = Path(__file__).with_name("standard_population.csv")
PROFILE_NAME = "profil.json"
SEX_LABELS = {"1": "männlich", "2": "weiblich", "3": "divers"}


def load_standard_population(path: Path = STANDARD_POPULATION) -> StandardPopulation:
    header: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and ":" in line:
            key, _, value = line[1:].partition(":")
            header.setdefault(key.strip(), value.strip())
    frame = pd.read_csv(path, comment="#", dtype=str)
    cells = tuple((row.geschlecht, row.altersgruppe, float(row.einwohner)) for row in frame.itertuples())
    return StandardPopulation(header.get("name", "Standardbevölkerung"), header.get("quelle", ""),
                              int(header["jahr"]) if header.get("jahr", "").isdigit() else None, cells)


def tool_version() -> str:
    try:
        return metadata.version("sicherheitsanalyse")
    except metadata.PackageNotFoundError:
        return "unbekannt"


def breakdowns_for(sample: WeightedSample, ortsteile: dict[int, str]) -> list[Breakdown]:
    q = sample.questionnaire
    sex = q.variable("geschlecht")
    sex_groups = tuple((str(c), label) for c, label in (sex.codes.items() if sex else SEX_LABELS.items()))
    result = [Breakdown("geschlecht", "Geschlecht", sex_groups),
              # code = the band as in population.csv (16-29), label = how a reader sees it (16–29 Jahre)
              Breakdown(AGE_COLUMN, "Altersgruppe", tuple((g.label, age_group_text(g)) for g in q.age_groups))]
    variable = sample.stratum_variable or "ortsteil"
    if sample.strata is not None:
        groups = tuple((str(row.code), ortsteile.get(row.code, str(row.name))) for row in sample.strata.itertuples())
    else:
        spec = q.variable(variable)
        groups = tuple((str(c), label) for c, label in (spec.codes.items() if spec else ()))
    if groups:
        result.append(Breakdown(variable, "Ortsteil" if variable == "ortsteil" else variable, groups))
    languages = language_breakdown(sample.data)
    if languages is not None:
        result.append(languages)
    return result


LANGUAGE_COLUMN = "sprache"


def language_counts(data) -> dict[str, int]:  # noqa: ANN001
    """Respondents per answer language (registry order), ``unbekannt`` for answers without a language."""
    from survey.languages import LANGUAGES

    if LANGUAGE_COLUMN not in data:
        return {"unbekannt": len(data)} if len(data) else {}
    counts = data[LANGUAGE_COLUMN].fillna("unbekannt").value_counts().to_dict()
    ordered = {code: int(counts[code]) for code in LANGUAGES if code in counts}
    if counts.get("unbekannt"):
        ordered["unbekannt"] = int(counts["unbekannt"])
    return ordered


def language_breakdown(data) -> Breakdown | None:  # noqa: ANN001
    """The ``sprache`` breakdown over the answer languages the engine lets us compare (enough respondents
    in each; see :func:`analysis.flags.comparable_groups`), or None."""
    from analysis.core.flags import comparable_groups
    from survey.languages import LANGUAGES

    counts = {code: n for code, n in language_counts(data).items() if code != "unbekannt"}
    groups = comparable_groups(counts)
    if not groups:
        return None
    return Breakdown(LANGUAGE_COLUMN, "Antwortsprache", tuple((code, LANGUAGES[code].german_name) for code in groups))


def items_for(questionnaire) -> list[ItemInfo]:
    items = []
    for variable in questionnaire.variables:
        if variable.kind not in ("code", "flag") or not variable.codes:
            continue
        section = questionnaire.section(variable.section_id)
        items.append(ItemInfo(variable.id, variable.label, variable.question_text,
                              section.title if section else variable.section_id,
                              tuple(variable.codes.items()), tuple(variable.missing_codes.items()), variable.core))
    return items


def sample_summary(sample: WeightedSample, ortsteile: dict[int, str]) -> dict[str, Any]:
    data = sample.data
    strata = []
    gross_total = None
    if sample.strata is not None:
        codes = data[sample.stratum_variable]
        gross_total = int(sample.strata["brutto_stichprobe"].sum())
        for row in sample.strata.itertuples():
            net = int((codes == row.code).sum())
            strata.append({"code": str(row.code), "label": ortsteil_label(ortsteile, row),
                           "population_16plus": float(row.einwohner_16plus), "gross": int(row.brutto_stichprobe),
                           "net": net, "response_rate": net / row.brutto_stichprobe if row.brutto_stichprobe else None})
    net = len(data)
    modes = data["modus"].fillna("unbekannt").value_counts().to_dict() if "modus" in data else {"unbekannt": net}
    from analysis.core.flags import suppress_counts

    return {"gross": gross_total, "net": net, "response_rate": net / gross_total if gross_total else None,
            "strata": strata, "modes": {str(k): int(v) for k, v in modes.items()},
            "languages": suppress_counts(language_counts(data))}


def ortsteil_label(ortsteile: dict[int, str], row) -> str:  # noqa: ANN001
    return ortsteile.get(row.code, str(row.name))


def weighting_summary(sample: WeightedSample, folder: AnalysisFolder) -> dict[str, Any]:
    result = sample.result
    return {
        "method": result.calfun, "bounds": list(result.bounds) if result.bounds else None,
        "variables": list(folder.config.gewichtung.merkmale), "converged": bool(result.converged),
        "iterations": int(result.iterations), "max_misfit": float(result.max_misfit),
        "g_min": float(result.g_min), "g_max": float(result.g_max), "kish_deff": float(result.kish_deff),
        "effective_n": float(result.effective_n), "weights_sum": float(result.weights_sum),
        "margins": [{"variable": m.margin, "category": str(m.category), "target": float(m.target),
                     "achieved": float(m.achieved), "n": int(m.n)} for m in result.margins],
        "missing_characteristics": {k: int(v) for k, v in result.missing.items()},
        "missing_rule": "reduce_targets",  # survey.wording.methods.MISSING_RULE
        "warnings": [note_text(note) for note in result.notes],
    }


def driver_terms(breakdowns: list[Breakdown]) -> list[Term]:
    by_id = {b.variable: b for b in breakdowns}
    terms = []
    sex = by_id.get("geschlecht")
    if sex:
        terms.append(Term("geschlecht", "Geschlecht", "factor", tuple(g for g in sex.groups if g[0] in ("1", "2"))))
    if AGE_COLUMN in by_id:
        terms.append(Term(AGE_COLUMN, "Altersgruppe", "factor", by_id[AGE_COLUMN].groups))
    terms.append(Term("opfer_12m_irgendein", "Opfer einer Straftat in den letzten 12 Monaten", "binary"))
    terms.append(Term("problem_index", "Problemindex Wohnumfeld (1 kein bis 4 großes Problem)", "numeric"))
    ortsteil = by_id.get("ortsteil")
    if ortsteil and len(ortsteil.groups) > 1:
        terms.append(Term("ortsteil", "Ortsteil", "factor", ortsteil.groups))
    return terms


# Rankings the report may state a lead of (ranking findings): indicator ids by prefix, in questionnaire order.
RANKING_PREFIXES = {"sorge": "sorge_hoch_", "problem": "problem_gross_", "opfer": "opfer_12m_",
                    "anzeige": "anzeigequote_"}


def rankings_for(questionnaire) -> dict[str, tuple[str, ...]]:  # noqa: ANN001
    """``{ranking id: indicator ids}`` of the core indicator sets (worries, problems, victimisations,
    reporting rates); the any-offence indicator is not one of the offences."""
    result = {}
    for name, prefix in RANKING_PREFIXES.items():
        ids = tuple(d.id for d in questionnaire.indicators
                    if d.id.startswith(prefix) and d.core and d.kind == "anteil")
        if len(ids) >= 2:
            result[name] = ids
    return result


def lonely_strata_method(sample: WeightedSample, folder: AnalysisFolder) -> dict[str, Any]:
    """``methods.lonely_strata``: the rule of analyse.yaml (German and R name) and the strata it concerns."""
    design = folder.config.stichprobe
    return {"setting": design.einzelschicht, "r_option": design.lonely_psu,
            "strata": lonely_strata(sample, folder)}


def build_profile(folder: AnalysisFolder, *, created: dt.date | None = None,
                  sample: WeightedSample | None = None) -> dict[str, Any]:
    """The profile of ``folder`` as the plain JSON document of its types (validated, not yet written)."""
    return build_profile_document(folder, created=created, sample=sample).model_dump(mode="json")


def build_profile_document(folder: AnalysisFolder, *, created: dt.date | None = None,
                           sample: WeightedSample | None = None) -> ProfileDocument:
    """Compute the typed profile of ``folder`` (validated, not yet written)."""
    return validate_profile(engine_document(folder, created=created, sample=sample))


def engine_document(folder: AnalysisFolder, *, created: dt.date | None = None,
                    sample: WeightedSample | None = None) -> dict[str, Any]:
    """The engine's plain document (``profile_to_dict`` plus ``free_text``) before it becomes the typed
    profile; the contract test checks that the types keep every key and value of it."""
    config = folder.config
    sample = sample or weight_folder(folder)
    require_variance(sample, folder)
    q = sample.questionnaire
    breakdowns = breakdowns_for(sample, config.ortsteile)
    rules = folder.rules
    pks = folder.pks.frame if folder.pks is not None else None
    tests: dict[str, Any] = {}
    items = items_for(q)
    background = Background({  # computed on the second core while this process computes the rest
        "items": lambda: item_distributions(sample.data, sample.design, items, breakdowns),
        "free_text": lambda: free_text_section(folder, sample),
        "ortsteil_profiles": lambda: ortsteil_section(sample, breakdowns, config),
    })
    try:
        return _engine_document(folder, config, sample, q, breakdowns, rules, pks, tests, items, background, created)
    finally:
        background.cancel()  # (after an error; a collected result has no child left)


def _engine_document(folder, config, sample, q, breakdowns, rules, pks, tests, items, background,  # noqa: ANN001
                     created) -> dict[str, Any]:
    inputs = ProfileInputs(
        commune={"name": config.kommune, "ags": config.ags, "landkreis_ags": config.landkreis},
        landkreis_derived=config.landkreis_ags is None,
        wave={"jahr": config.jahr, "label": config.wave},
        questionnaire={"id": q.id, "version": str(q.version), "core_version": str(q.core_version)},
        tool={"name": "sicherheitsanalyse", "version": tool_version()},
        created=(created or dt.date.today()).isoformat(),
        data=sample.data, design=sample.design, specs=q.indicator_specs(),
        breakdowns=breakdowns, items=items, sample=sample_summary(sample, config.ortsteile),
        weighting=weighting_summary(sample, folder), standard_population=load_standard_population(),
        rules=rules.rules, fields_of_action=rules.fields_of_action, pks=pks,
        driver_terms=driver_terms(breakdowns), tests=tests,
        methods_extra={"lonely_strata": lonely_strata_method(sample, folder)},
        offence_labels=OFFENCE_LABELS, polarity=q.polarity(), rankings=rankings_for(q),
        hotspot_by=next((b.variable for b in breakdowns if b.variable == (sample.stratum_variable or "ortsteil")),
                        None),
        item_results=lambda: background.part("items"),
    )
    document = profile_to_dict(assemble_profile(inputs))
    for recommendation in document["recommendations"]:  # issue 12: the plan fields of the rule file
        recommendation.update(plan_fields(rules, recommendation["rule_id"]))
    document["free_text"] = background.part("free_text")  # issue 12 (optional key; typed in schema 2.0)
    document["comparison_values"] = profile_entries(load_comparison_values(),  # issue 12: published values
                                                    {r["id"] for r in document["indicators"]})
    local = background.part("ortsteil_profiles")  # issue 12: Ortsteil profiles (engine screen)
    if local is not None:
        document["ortsteil_profiles"] = local
    if folder.previous_wave is not None:  # issue 12: change since the wave of »vorwelle«
        document["change"] = change_section(document, folder.previous_wave, folder.path)
    return document


def ortsteil_section(sample: WeightedSample, breakdowns: list[Breakdown], config) -> dict[str, Any] | None:  # noqa: ANN001
    """Profile block ``ortsteil_profiles`` (None without an Ortsteil breakdown of at least two groups)."""
    breakdown = next((b for b in breakdowns if b.variable == "ortsteil"), None)
    if breakdown is None or len(breakdown.groups) < 2:
        return None
    specs = [s for s in sample.questionnaire.indicator_specs() if s.core and polarity_of(s.id) is not None]
    polarity = {s.id: polarity_of(s.id) for s in specs}
    pools = {name: tuple(str(c) for c in codes) for name, codes in config.ortsteilprofile.zusammenfassen.items()}
    return ortsteil_profiles(sample.design, sample.data, specs, breakdown, polarity, pools)


def plan_fields(rules, rule_id: str) -> dict[str, Any]:  # noqa: ANN001 - survey.recommendations.RuleSet
    """``responsible``, ``timeframe``, ``effort``, ``success_indicator`` of a rule (empty when not set)."""
    plan = getattr(rules, "plans", {}).get(rule_id) or {}
    return {"responsible": list(plan.get("responsible") or []), "timeframe": plan.get("timeframe"),
            "effort": plan.get("effort"), "success_indicator": plan.get("success_indicator")}


def validate_profile(document: dict[str, Any]) -> ProfileDocument:
    """The typed profile of the engine's plain ``document``; raises (an internal error, not a user error,
    ``pydantic.ValidationError``) if it violates the contract. Strict JSON validation: no coercion."""
    return ProfileDocument.model_validate_json(json.dumps(document, ensure_ascii=False), strict=True)


def write_profile(folder_path: str | Path, *, created: dt.date | None = None,
                  sample: WeightedSample | None = None) -> tuple[Path, dict[str, Any]]:
    """Write ``ergebnis/profil.json``; returns its path and plain document (see :func:`write_profile_document`)."""
    target, document = write_profile_document(folder_path, created=created, sample=sample)
    return target, document.model_dump(mode="json")


def write_profile_document(folder_path: str | Path, *, created: dt.date | None = None,
                           sample: WeightedSample | None = None) -> tuple[Path, ProfileDocument]:
    folder = load_folder(folder_path)
    document = build_profile_document(folder, created=created, sample=sample)
    return save_profile(folder, document), document


def save_profile(folder: AnalysisFolder, document: ProfileDocument | dict[str, Any]) -> Path:
    """Write ``ergebnis/profil.json`` atomically from the types."""
    if not isinstance(document, ProfileDocument):
        document = validate_profile(document)
    return write_profile_file(document, folder.ensure_result_dir() / PROFILE_NAME)
