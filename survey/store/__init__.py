"""The answer store ``DIR/antworten.sqlite`` (see :mod:`survey.store.core` for the design).

``core`` — :class:`AnswerStore` (connection, codes, drafts, close-out); ``answers`` — unlinkable
submission and the slot pool; ``format`` — slot and sealed-draft bytes; ``locks`` — folder and
submission locks; ``read`` — :func:`read_responses` for the intake; ``errors``.
"""

from survey.store.answers import MIN_SLOTS, MODES, new_resp_id, today
from survey.store.core import SCHEMA_VERSION, STORE_NAME, AnswerStore, CloseOutCounts, Draft
from survey.store.errors import (
    CodeAlreadyUsed, FieldworkClosed, OldStoreError, StoreBusy, StoreInUse, UnknownCode,
)
from survey.store.locks import LOCK_NAME, folder_lock
from survey.store.read import read_responses, store_files

__all__ = [
    "LOCK_NAME", "MIN_SLOTS", "MODES", "SCHEMA_VERSION", "STORE_NAME", "AnswerStore", "CloseOutCounts",
    "CodeAlreadyUsed", "Draft", "FieldworkClosed", "OldStoreError", "StoreBusy", "StoreInUse", "UnknownCode",
    "folder_lock", "new_resp_id", "read_responses", "store_files", "today",
]
