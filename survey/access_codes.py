"""Access codes for the online questionnaire: generation, normalisation and hashing.

A code is ten characters from an alphabet without easily confused characters (no 0/O, 1/I/L), printed
in two groups of five (``K7MXQ-3RT9A``). The tenth character is a check character over the first nine,
so that most typing errors are recognised as such before the store is asked. Nine random characters
from 31 give about 44.6 bits; with wrong-attempt rate limiting, guessing a valid code is hopeless.

Codes are never stored in plain text. The store keeps ``hash_code(code, salt)``: PBKDF2-HMAC-SHA256 with
a random salt per store and many iterations, so that a copy of the database does not reveal the codes
(a brute force over 31⁹ codes at milliseconds per try is out of reach). The hash is deterministic for a
given store, so that a code entered at the start page is found with one index lookup.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 9
GROUP = 5
CODE_LENGTH = RANDOM_LENGTH + 1
PBKDF2_ITERATIONS = 20_000

_SEPARATORS = " -_.\t"


def check_character(body: str) -> str:
    """The check character over ``body`` (weighted sum modulo 31; detects single errors and swaps)."""
    total = 0
    for position, char in enumerate(body, start=1):
        total += (position + 1) * ALPHABET.index(char)
    return ALPHABET[total % len(ALPHABET)]


def generate_code() -> str:
    """A new random code, formatted in groups (``K7MXQ-3RT9A``)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return format_code(body + check_character(body))


def format_code(code: str) -> str:
    """``K7MXQ3RT9A`` → ``K7MXQ-3RT9A``."""
    return "-".join(code[start:start + GROUP] for start in range(0, len(code), GROUP))


class CodeFormatError(ValueError):
    """The entered text cannot be a code (wrong length, foreign characters or check character)."""


def normalise_code(text: str) -> str:
    """The ten code characters of what a person typed: case, spaces and dashes do not matter.

    Raises :class:`CodeFormatError` with a German message if the text cannot be a code.
    """
    cleaned = "".join(char for char in text.upper() if char not in _SEPARATORS)
    if not cleaned:
        raise CodeFormatError("Bitte geben Sie den Zugangscode aus Ihrem Anschreiben ein.")
    if len(cleaned) != CODE_LENGTH:
        raise CodeFormatError(
            f"Der Zugangscode hat {CODE_LENGTH} Zeichen (zum Beispiel ABCDE-FGH23); "
            f"eingegeben wurden {len(cleaned)}."
        )
    foreign = sorted({char for char in cleaned if char not in ALPHABET})
    if foreign:
        hint = ""
        if set(foreign) & set("01ILO"):
            hint = " Die Zeichen 0, 1, I, L und O kommen in Codes nicht vor."
        raise CodeFormatError(
            "Der Zugangscode enthält Zeichen, die in Codes nicht vorkommen: " + ", ".join(foreign) + "." + hint
        )
    if check_character(cleaned[:-1]) != cleaned[-1]:
        raise CodeFormatError("Der Zugangscode ist nicht richtig geschrieben. Bitte prüfen Sie jedes Zeichen.")
    return cleaned


def new_salt() -> str:
    """A random salt for a new store (hex)."""
    return secrets.token_hex(16)


def hash_code(code: str, salt: str, iterations: int = PBKDF2_ITERATIONS) -> str:
    """The stored form of a code: PBKDF2-HMAC-SHA256 over the normalised code with the store's salt."""
    normalised = normalise_code(code)
    digest = hashlib.pbkdf2_hmac("sha256", normalised.encode("ascii"), bytes.fromhex(salt), iterations)
    return digest.hex()


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A scrypt hash of the coach password as ``scrypt$salt$hash`` (hex)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a :func:`hash_password` value (constant-time comparison)."""
    try:
        scheme, salt_hex, _ = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hash_password(password, bytes.fromhex(salt_hex))
    return secrets.compare_digest(candidate, stored)
