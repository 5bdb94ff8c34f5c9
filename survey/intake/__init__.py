"""Response intake: read files (CSV, XLSX, SAV, LimeSurvey), validate them against the questionnaire,
combine them and record every change in the Prüfprotokoll.

Public API::

    load_responses(folder, questionnaire) -> IntakeResult        # all files of analyse.yaml + web store
    read_response_file(path, questionnaire, *, jahr=None, mapping=None, modus=None) -> IntakeResult
    IntakeResult.data      # cleaned DataFrame: resp_id, one column per variable, quelle, modus
    IntakeResult.protocol  # Pruefprotokoll: valid, counts, files, findings, flatten(), write_csv(), summary()
    check_folder_files(folder, questionnaire) -> list[Finding]   # population.csv / strata.csv contract
    folder_files.read_folder_files(folder, questionnaire) -> FolderFiles(population, strata, findings)

The one validation of a whole folder (what every command runs) is :func:`survey.validation.validate_folder`.
"""

from survey.intake.combine import IntakeResult, load_responses, read_response_file
from survey.intake.findings import RULES, Finding, Rule
from survey.intake.folder_files import check_folder_files
from survey.intake.protocol import FileSection, Pruefprotokoll
from survey.intake.raw import RawTable
from survey.intake.readers import read_raw

__all__ = [
    "RULES",
    "FileSection",
    "Finding",
    "IntakeResult",
    "Pruefprotokoll",
    "RawTable",
    "Rule",
    "check_folder_files",
    "load_responses",
    "read_raw",
    "read_response_file",
]
