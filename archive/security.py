"""Passwords (argon2), signed tokens carrying a per-user version, and usernames' one spelling."""

from __future__ import annotations

import functools
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random password, verified against when the username is unknown, so that a
    wrong username and a wrong password take the same time. Made on first use: hashing costs
    a sixth of a second and 64 MB that every process (the CLI's too) would pay at import."""
    return _hasher.hash(secrets.token_urlsafe(16))


MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is unacceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
    if username and password.lower() == username.lower():
        return "Kata sandi tidak boleh sama dengan nama pengguna."
    return None


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    token_version: int


class TokenSigner:
    """Bearer tokens: the user id and token version, signed and time-limited."""

    def __init__(self, secret_key: str, ttl_seconds: int):
        self._serializer = URLSafeTimedSerializer(secret_key, salt="sepeda-api-token")
        self._ttl = ttl_seconds

    def issue(self, user_id: int, token_version: int) -> str:
        return self._serializer.dumps({"u": user_id, "v": token_version})

    def read(self, token: str) -> TokenClaims | None:
        try:
            data = self._serializer.loads(token, max_age=self._ttl)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("u"), int):
            return None
        return TokenClaims(user_id=data["u"], token_version=int(data.get("v", -1)))


def new_reset_token() -> tuple[str, str]:
    """A one-time token and the SHA-256 under which it is stored."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Longest username an account can have (the column and the audit log hold 64 characters).
MAX_USERNAME = 64


def normalize_username(raw: str) -> str:
    """The one spelling of a typed username: compatibility forms folded (a no-break space is a
    space, full-width letters are letters), surrounding space dropped, lower case."""
    return unicodedata.normalize("NFKC", raw).strip().lower()
