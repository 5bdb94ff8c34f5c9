"""Statistics engine of the Sicherheitsanalyse toolkit.

Pure functions and small frozen value objects on pandas/numpy: weighting, estimation, models, crime
statistics, profile, comparison. Never imports ``survey``; no file or network I/O, no plotting.
"""
