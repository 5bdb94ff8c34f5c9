"""The Sicherheitsanalyse application: questionnaires, intake, analysis folder, CLI, web form, reports."""

__version__ = "0.1.0"
