"""Passwords (argon2), signed tokens carrying a per-user version, and login throttling."""

from __future__ import annotations

import hashlib
import secrets
import time
import unicodedata
from collections import defaultdict, deque
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

_hasher = PasswordHasher()
# A hash of a random password, verified against when the username is unknown, so that a
# wrong username and a wrong password take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
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


class LoginThrottle:
    """Counts failed logins within a sliding window: per account from one address, per
    address, and per account from everywhere with a far wider limit.

    Keyed by account *and* address, someone guessing from elsewhere cannot lock a user out
    of their own office; the per-account limit still caps guessing spread over many
    addresses. In memory, per web process (``--workers N`` multiplies the limits by N).
    """

    def __init__(self, max_failures: int, window_seconds: int):
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def retry_after(self, username: str, ip: str | None) -> int:
        """Seconds to wait before another attempt is allowed, 0 when allowed now."""
        now = time.monotonic()
        wait = 0.0
        for key, limit in self._keys(username, ip):
            times = self._recent(key, now)
            if len(times) >= limit:
                wait = max(wait, self.window - (now - times[0]))
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, username: str, ip: str | None) -> None:
        now = time.monotonic()
        for key, _ in self._keys(username, ip):
            self._recent(key, now).append(now)

    def succeeded(self, username: str, ip: str | None) -> None:
        self._failures.pop(f"user:{username}|{ip}", None)

    def _keys(self, username: str, ip: str | None) -> list[tuple[str, int]]:
        # The per-address limit is wider, so one office behind a single NAT address is not
        # locked out by one person's typos.
        keys = [
            (f"user:{username}|{ip}", self.max_failures),
            (f"user:{username}", self.max_failures * 20),
        ]
        if ip:
            keys.append((f"ip:{ip}", self.max_failures * 4))
        return keys
