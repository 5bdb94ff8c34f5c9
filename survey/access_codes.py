"""Access codes for the online questionnaire: generation, normalisation, key derivation, passwords.

A code is fifteen characters from an alphabet without easily confused characters (no 0/O, 1/I/L),
printed in three groups of five (``K7MXQ-3RT9A-HVW4E``). The last character is a check character over
the first fourteen, so that typing errors are recognised before the store is asked. Fourteen random
characters from 31 give 31¹⁴ ≈ 7.6·10²⁰ codes (69 bits): even at the highest rate of wrong attempts
the server allows, the chance of hitting any valid code during a whole fieldwork is below one in a
million (:func:`brute_force_probability`, ``docs/datenschutz.md``).

Codes are never stored in plain text. From a code and the store's salt one slow derivation
(PBKDF2-HMAC-SHA256) gives a master secret, and from it (HKDF-Expand with distinct labels) three
values that cannot be computed from each other:

* ``lookup`` — the hash kept in the store's code list (one index lookup at the start page);
* ``draft_id`` — the row key of a saved draft (so a draft row does not point at its code row);
* ``draft_key`` — the AES-256-GCM key of that draft (a saved draft is unreadable without the code).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 14
GROUP = 5
CODE_LENGTH = RANDOM_LENGTH + 1
EXAMPLE_CODE = "ABCDE-FGHJK-MNP2R"
# One derivation per code entry (about 1 ms here). The codes' 69 bits of entropy, not the iteration
# count, are what protects them; the count only multiplies an offline attacker's cost.
PBKDF2_ITERATIONS = 3_000

_SEPARATORS = " -_.\t\u00a0\u2010\u2011\u2012\u2013\u2014"


def check_character(body: str) -> str:
    """The check character over ``body`` (weighted sum modulo 31; detects single errors and swaps)."""
    total = 0
    for position, char in enumerate(body, start=1):
        total += (position + 1) * ALPHABET.index(char)
    return ALPHABET[total % len(ALPHABET)]


def generate_code() -> str:
    """A new random code, formatted in groups (``K7MXQ-3RT9A-HVW4E``)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return format_code(body + check_character(body))


def format_code(code: str) -> str:
    """``K7MXQ3RT9AHVW4E`` → ``K7MXQ-3RT9A-HVW4E``."""
    return "-".join(code[start:start + GROUP] for start in range(0, len(code), GROUP))


class CodeFormatError(ValueError):
    """The entered text cannot be a code (wrong length, foreign characters or check character)."""


def normalise_code(text: str) -> str:
    """The fifteen code characters of what a person typed: case, spaces and dashes do not matter.

    Raises :class:`CodeFormatError` with a German message if the text cannot be a code.
    """
    cleaned = "".join(char for char in text.upper() if char not in _SEPARATORS)
    if not cleaned:
        raise CodeFormatError("Bitte geben Sie den Zugangscode aus Ihrem Anschreiben ein.")
    if len(cleaned) != CODE_LENGTH:
        raise CodeFormatError(
            f"Der Zugangscode hat {CODE_LENGTH} Zeichen (zum Beispiel {EXAMPLE_CODE}); "
            f"eingegeben wurden {len(cleaned)}."
        )
    foreign = sorted({char for char in cleaned if char not in ALPHABET})
    if foreign:
        hint = ""
        if set(foreign) & set("01ILO"):
            hint = " Die Zeichen 0, 1, I, L und O kommen in Codes nicht vor."
        shown = ", ".join(char if char.isprintable() else "?" for char in foreign[:10])
        raise CodeFormatError(
            "Der Zugangscode enthält Zeichen, die in Codes nicht vorkommen: " + shown + "." + hint
        )
    if check_character(cleaned[:-1]) != cleaned[-1]:
        raise CodeFormatError("Der Zugangscode ist nicht richtig geschrieben. Bitte prüfen Sie jedes Zeichen.")
    return cleaned


def new_salt() -> str:
    """A random salt for a new store (hex)."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class CodeKeys:
    """What the store may know about a code: its lookup hash, draft row key and draft encryption key."""

    lookup: str
    draft_id: str
    draft_key: bytes


def _expand(master: bytes, label: bytes) -> bytes:
    return HKDFExpand(algorithm=hashes.SHA256(), length=32, info=b"sicherheitsanalyse/" + label).derive(master)


def derive_keys(code: str, salt: str, iterations: int = PBKDF2_ITERATIONS) -> CodeKeys:
    """The three derived values of a code (raises :class:`CodeFormatError` for a malformed code)."""
    normalised = normalise_code(code)
    master = hashlib.pbkdf2_hmac("sha256", normalised.encode("ascii"), bytes.fromhex(salt), iterations)
    return CodeKeys(
        lookup=_expand(master, b"lookup").hex(),
        draft_id=_expand(master, b"draft-id")[:16].hex(),
        draft_key=_expand(master, b"draft-key"),
    )


def hash_code(code: str, salt: str, iterations: int = PBKDF2_ITERATIONS) -> str:
    """The lookup hash of a code as kept in the store's code list (hex)."""
    return derive_keys(code, salt, iterations).lookup


def brute_force_probability(attempts: float, valid_codes: int, code_space: int | None = None) -> float:
    """Upper bound of the chance that ``attempts`` guesses hit at least one of ``valid_codes`` codes.

    Every guess is assumed to carry a correct check character (the algorithm is public), so the space
    is S = 31¹⁴. Guessing without repetition, P(no hit) = Π_{i<A} (1 − V/(S − i)) ≥ (1 − V/(S − A))^A,
    so P(hit) ≤ 1 − (1 − V/(S − A))^A ≤ A·V/(S − A).
    """
    space = code_space if code_space is not None else len(ALPHABET) ** RANDOM_LENGTH
    if valid_codes <= 0 or attempts <= 0:
        return 0.0
    if attempts >= space - valid_codes:
        return 1.0
    return -math.expm1(attempts * math.log1p(-valid_codes / (space - attempts)))


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A scrypt hash of the coach password as ``scrypt$salt$hash`` (hex)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a :func:`hash_password` value (constant-time comparison)."""
    try:
        scheme, salt_hex, _ = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hash_password(password, salt)
    return secrets.compare_digest(candidate, stored)
