"""Errors of the answer store (German messages for the user)."""

from __future__ import annotations

from survey.errors import UserError


class UnknownCode(UserError):
    """No such unused access code (never issued, mistyped, or already used for a submission)."""


CodeAlreadyUsed = UnknownCode  # a used code is deleted, so it is indistinguishable from an unknown one


class StoreBusy(UserError):
    """The store could not be checkpointed in time (another program keeps reading it)."""


class OldStoreError(UserError):
    """A store of schema 1 (before the unlinkable layout) cannot take new codes or answers."""


class StoreInUse(UserError):
    """Another program (a running ``serve``) holds the folder's store."""


class FieldworkClosed(UserError):
    """The fieldwork was closed (``feldphase-abschliessen``): no new codes, no online answers."""
