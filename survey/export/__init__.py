"""Exports of the analysis data set for other tools (``sicherheitsanalyse export``).

:func:`export_folder` writes into ``DIR/ergebnis/export/`` (or ``ziel``): the data file
(``sicherheitsanalyse-<ags>-<welle>.<format>``), an SPSS syntax file (``.sps``, Complex Samples plan),
an R script (``.R``, ``svydesign`` + ``calibrate``) and the DDI-Codebook 2.5 (``.xml``) with
frequencies. Modules: :mod:`~survey.export.dataset` (the table and its labels),
:mod:`~survey.export.writers` (SAV/DTA/CSV/Parquet), :mod:`~survey.export.syntax` (SPSS, R).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.export.dataset import Dataset, build_dataset
from survey.export.syntax import r_script, spss_syntax
from survey.export.writers import FORMATS, dta_value_labels, write_data
from survey.atomic import atomic_write
from survey.folder import load_folder

FREE_TEXT_WARNING = ("Achtung: Die Freitexte können personenbezogene Angaben enthalten (Namen, Adressen, "
                     "Beschreibungen). Die Datei nur geschützt speichern und nicht weitergeben, bevor die "
                     "Freitexte geprüft und anonymisiert sind.")


@dataclass(frozen=True)
class ExportResult:
    data: Path
    spss: Path
    r: Path
    codebook: Path
    dataset: Dataset
    warnings: tuple[str, ...] = ()

    @property
    def paths(self) -> list[Path]:
        return [self.data, self.spss, self.r, self.codebook]


def export_name(dataset: Dataset) -> str:
    wave = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in dataset.welle)
    return f"sicherheitsanalyse-{dataset.ags}-{wave}"


def export_folder(path: str | Path, fmt: str, *, free_text: bool = False, target: Path | None = None) -> ExportResult:
    """Write the labelled data set of the analysis folder ``path`` in ``fmt`` plus syntax files and codebook."""
    from survey.questionnaire.ddi import write_ddi

    if fmt not in FORMATS:
        from survey.errors import ConfigError

        raise ConfigError(f"Unbekanntes Exportformat »{fmt}«; möglich sind: {', '.join(FORMATS)}.")
    folder = load_folder(path)
    dataset = build_dataset(folder, free_text=free_text)
    target = Path(target) if target is not None else folder.result_dir / "export"
    stem = export_name(dataset)
    data_path = write_data(dataset, fmt, target / f"{stem}.{fmt}")
    spss_path = target / f"{stem}.sps"
    with atomic_write(spss_path) as stream:
        stream.write(spss_syntax(dataset, data_path.name))
    r_path = target / f"{stem}.R"
    with atomic_write(r_path) as stream:
        stream.write(r_script(dataset, data_path.name, fmt))
    codebook = write_ddi(dataset.questionnaire, target / f"{stem}.xml", folder=folder, dataset=dataset,
                         data_file=data_path.name)
    warnings = []
    if fmt == "dta":
        skipped = dta_value_labels(dataset)[1]
        if skipped:
            warnings.append("In der Stata-Datei fehlen die Wertelabels von " + ", ".join(skipped) + " (Stata "
                            "erlaubt nur kurze Namen für Wertelabels); sie stehen im Codebuch (.xml).")
    if free_text:
        warnings.append(FREE_TEXT_WARNING)
    return ExportResult(data_path, spss_path, r_path, codebook, dataset, tuple(warnings))


__all__ = ["FORMATS", "FREE_TEXT_WARNING", "Dataset", "ExportResult", "build_dataset", "export_folder"]
