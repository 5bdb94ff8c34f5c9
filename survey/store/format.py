"""On-disk formats of the answer store: fixed-size response slots and sealed (encrypted) drafts.

Response slots
    A submitted questionnaire is one JSON record (``resp_id``, ``modus``, ``tag``, ``fragebogen``,
    ``version``, ``answers`` and, since issue 17, ``sprache``: the answer language, one of a few codes), compressed and cut into parts that are written into *pre-allocated,
    randomly chosen* rows of the ``slots`` table. Every row has exactly :data:`SLOT_BYTES` bytes, so
    filling a slot overwrites it in place: no page is allocated, no cell moves, and neither the row
    order nor the file layout says which answers came first. Layout of a slot::

        byte 0        1 = filled, 0 = empty
        bytes 1-16    group key (random; all parts of one questionnaire share it)
        byte 17, 18   part index, number of parts
        bytes 19-20   length of the part's data (big-endian)
        bytes 21-     data, zero-padded

Sealed drafts
    An unfinished questionnaire saved for later is JSON (answers, page) padded to a multiple of
    :data:`DRAFT_BLOCK` bytes and encrypted with AES-256-GCM under the key derived from the access code
    (:func:`survey.access_codes.derive_keys`; for paper entries a random key held by the coach's
    browser). The draft's row key is the associated data, so a sealed draft cannot be moved to
    another row.
"""

from __future__ import annotations

import json
import secrets
import struct
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SLOT_BYTES = 1000
_HEADER = struct.Struct(">B16sBBH")
PART_BYTES = SLOT_BYTES - _HEADER.size
EMPTY_SLOT = bytes(SLOT_BYTES)
MAX_PARTS = 255
DRAFT_BLOCK = 512
_NONCE = 12


class StoreFormatError(ValueError):
    """Stored bytes that do not decode (a damaged or foreign file)."""


@dataclass(frozen=True)
class ResponseRecord:
    """One submitted questionnaire as stored."""

    resp_id: str
    modus: str
    tag: str
    fragebogen: str
    version: str
    answers: dict[str, object]
    sprache: str | None = None


def encode_response(record: ResponseRecord) -> list[bytes]:
    """The slot contents (each exactly :data:`SLOT_BYTES`) of one record."""
    fields = {"resp_id": record.resp_id, "modus": record.modus, "tag": record.tag,
              "fragebogen": record.fragebogen, "version": record.version, "answers": record.answers}
    if record.sprache is not None:
        fields["sprache"] = record.sprache
    payload = json.dumps(
        fields,
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False,
    ).encode("utf-8")
    packed = zlib.compress(payload, 6)
    parts = [packed[start:start + PART_BYTES] for start in range(0, len(packed), PART_BYTES)] or [b""]
    if len(parts) > MAX_PARTS:
        raise ValueError(f"response too large ({len(packed)} bytes compressed)")
    group = secrets.token_bytes(16)
    slots = []
    for index, part in enumerate(parts):
        header = _HEADER.pack(1, group, index, len(parts), len(part))
        slots.append(header + part + bytes(PART_BYTES - len(part)))
    return slots


def is_filled(slot: bytes) -> bool:
    return bool(slot) and slot[0] == 1


def decode_responses(slots: Iterable[bytes]) -> list[ResponseRecord]:
    """The records held by filled slots (in no particular order); incomplete groups are skipped.

    A group is incomplete only if the process died between writing its parts, which cannot happen
    (all parts are written in one transaction); it is skipped rather than guessed.
    """
    groups: dict[bytes, dict[int, bytes]] = {}
    counts: dict[bytes, int] = {}
    for slot in slots:
        if not is_filled(slot):
            continue
        if len(slot) != SLOT_BYTES:
            raise StoreFormatError(f"Antwortplatz mit {len(slot)} statt {SLOT_BYTES} Bytes")
        _, group, index, count, length = _HEADER.unpack_from(slot)
        if not 0 <= index < count or length > PART_BYTES:
            raise StoreFormatError("Antwortplatz mit ungültigem Kopf")
        parts = groups.setdefault(group, {})
        if index in parts or counts.setdefault(group, count) != count:
            raise StoreFormatError("zwei Antwortplätze mit demselben Schlüssel")
        parts[index] = slot[_HEADER.size:_HEADER.size + length]
    records = []
    for group, parts in groups.items():
        if len(parts) != counts[group]:
            continue
        try:
            data = json.loads(zlib.decompress(b"".join(parts[i] for i in range(len(parts)))))
            records.append(ResponseRecord(
                resp_id=str(data["resp_id"]), modus=str(data["modus"]), tag=str(data["tag"]),
                fragebogen=str(data["fragebogen"]), version=str(data["version"]), answers=dict(data["answers"]),
                sprache=None if data.get("sprache") is None else str(data["sprache"]),
            ))
        except (zlib.error, ValueError, KeyError, TypeError) as error:
            raise StoreFormatError(f"Antwort nicht lesbar ({error})") from None
    return records


def seal_draft(key: bytes, draft_id: str, answers: Mapping[str, object], page: int, day: str) -> bytes:
    """The encrypted draft (nonce + ciphertext); its length reveals only a multiple of 512 bytes."""
    plain = json.dumps({"answers": dict(answers), "page": int(page), "tag": day},
                       ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    padded = plain + b" " * (-(len(plain) + 16 + _NONCE) % DRAFT_BLOCK)
    nonce = secrets.token_bytes(_NONCE)
    return nonce + AESGCM(key).encrypt(nonce, padded, draft_id.encode("ascii"))


def open_draft(key: bytes, draft_id: str, sealed: bytes) -> tuple[dict[str, object], int]:
    """(answers, page) of a sealed draft; :class:`StoreFormatError` if the key does not fit."""
    try:
        plain = AESGCM(key).decrypt(sealed[:_NONCE], sealed[_NONCE:], draft_id.encode("ascii"))
        data = json.loads(plain)
        return dict(data["answers"]), int(data["page"])
    except (InvalidTag, ValueError, KeyError, TypeError):
        raise StoreFormatError("Zwischenstand nicht lesbar") from None
