"""The profile contract (``profil.json``, schema 2.0): frozen types, reading with 1.0 upgrade, writing.

Layout: :mod:`~survey.profile.base` (base class, ``Flag``), :mod:`~survey.profile.records` (the one
estimate record, item distributions), :mod:`~survey.profile.sections` (header, sample, weighting,
methods), :mod:`~survey.profile.results` (breakdowns, standardisation, problems, drivers, tests,
reliability, recommendations), :mod:`~survey.profile.crime`, :mod:`~survey.profile.free_text`,
:mod:`~survey.profile.document` (the whole profile), :mod:`~survey.profile.io` (``read_profile``,
``profile_json``), :mod:`~survey.profile.upgrade` (1.0 → 2.0), :mod:`~survey.profile.schema`.
"""

from survey.profile.base import Flag, Kind, Priority
from survey.profile.document import SCHEMA_VERSION, ProfileDocument
from survey.profile.errors import ProfileError
from survey.profile.io import profile_json, read_profile, write_profile_file
from survey.profile.records import EstimateRecord

__all__ = ["EstimateRecord", "Flag", "Kind", "Priority", "ProfileDocument", "ProfileError", "SCHEMA_VERSION",
           "profile_json", "read_profile", "write_profile_file"]
