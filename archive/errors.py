"""Domain errors, mapped to HTTP in one place (``archive.api.errors``).

Every message is for the user, in Bahasa Indonesia.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    status_code = 400
    code: str | None = None

    def __init__(self, detail: str, *, code: str | None = None, extra: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.extra = extra or {}


class BadInput(DomainError):
    status_code = 422


class BadRequest(DomainError):
    """A request that cannot be read at all (a search query over the length limit)."""

    status_code = 400


class UploadInterrupted(BadInput):
    """The client went away before the body was complete (nobody reads the answer)."""

    status_code = 400


class NotAuthenticated(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


class PasswordChangeRequired(Forbidden):
    code = "PASSWORD_CHANGE_REQUIRED"


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class TooLarge(DomainError):
    status_code = 413


class UnsupportedType(DomainError):
    status_code = 415


class TooManyAttempts(DomainError):
    status_code = 429

    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after


class NoSpace(DomainError):
    status_code = 507
