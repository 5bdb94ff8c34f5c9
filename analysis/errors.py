"""Errors raised by the statistics engine.

Messages are German because they reach the user unchanged through the CLI boundary.
"""


class AnalysisError(Exception):
    """A statistical task cannot be carried out with the given data (e.g. an empty calibration cell)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class CalibrationError(AnalysisError):
    """Calibration targets are impossible to meet (empty cell, infeasible bounds, no convergence)."""


class LonelyStratumError(AnalysisError):
    """A stratum has a single sampled unit and ``lonely_psu="fail"``: its variance cannot be estimated.

    ``strata`` holds the labels of the strata concerned, so that the application can name them (with
    their names from its own files) and point to the options.
    """

    def __init__(self, message: str, strata: tuple):
        super().__init__(message)
        self.strata = tuple(strata)
