"""Accounts: log in, log out, passwords, one-time reset links, staff managing users."""

from __future__ import annotations

import logging
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, NotAuthenticated, NotFound, TooManyAttempts
from archive.models import PasswordReset, Role, Unit, User
from archive.schemas.users import UserCreate, UserOut, UserUpdate
from archive.security import (
    MAX_USERNAME,
    hash_password,
    new_reset_token,
    normalize_username,
    password_problem,
    token_digest,
    verify_password,
)
from archive.services.throttle import LoginThrottle
from archive.timeutil import utcnow

log = logging.getLogger(__name__)

WRONG_LOGIN = "Nama pengguna atau kata sandi salah."
# Roles whose account belongs to one unit.
UNIT_ROLES = {Role.ADMIN}


async def authenticate(
    throttle: LoginThrottle, username: str, password: str, ip: str | None
) -> User:
    """The active user with these credentials; slowed down after repeated failures.

    The name is normalised once, and that one spelling is looked up, counted and audited: a
    no-break space or trailing blanks no longer reach a fresh throttle counter.
    """
    username = normalize_username(username)
    # Counted under the spelling the audit log holds (its column keeps 64 characters).
    wait = await throttle.retry_after(username[:MAX_USERNAME], ip)
    if wait:
        raise TooManyAttempts(
            f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {wait} detik.",
            retry_after=wait,
        )
    too_long = len(username) > MAX_USERNAME
    user = None if too_long else await User.get_or_none(username=username)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        # For the operator's log watchers (fail2ban and the like); %r keeps it one line.
        log.warning("failed login for %r from %s", username[:MAX_USERNAME], ip)
        shown = username[:MAX_USERNAME]  # every failure is audited, whatever was typed
        await audit.record(Actor(shown, ip), "login_failed", "user", shown)
        raise NotAuthenticated(WRONG_LOGIN)
    await audit.record(Actor(user.username, ip), "login", "user", user.username)
    return user


async def end_sessions(user: User, actor: Actor, action: str = "logout") -> None:
    """Invalidate every token and session of the user."""
    await User.filter(id=user.id).update(token_version=user.token_version + 1)
    user.token_version += 1
    await audit.record(actor, action, "user", user.username)


async def change_password(user: User, old: str, new: str, actor: Actor) -> User:
    if not verify_password(user.password_hash, old):
        raise BadInput("Kata sandi lama salah.")
    if problem := password_problem(new, user.username):
        raise BadInput(problem)
    if verify_password(user.password_hash, new):
        raise BadInput("Kata sandi baru harus berbeda dari yang lama.")
    await _set_own_password(user, new)
    await audit.record(actor, "password_change", "user", user.username)
    return user


async def _set_own_password(user: User, new: str) -> None:
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.token_version += 1
    await user.save(update_fields=["password_hash", "must_change_password", "token_version"])


async def issue_reset(
    username: str, actor: Actor, ttl: timedelta
) -> tuple[User, str, PasswordReset]:
    """A one-time link for the user; older unused links of theirs stop working."""
    user = await _get_user(username)
    token, digest = new_reset_token()
    staff = await User.get_or_none(username=actor.username or "")
    async with in_transaction():
        await PasswordReset.filter(user_id=user.id, used_at=None).update(used_at=utcnow())
        reset = await PasswordReset.create(
            user=user, token_hash=digest, expires_at=utcnow() + ttl, created_by=staff
        )
    await audit.record(actor, "password_reset_issued", "user", user.username)
    return user, token, reset


async def use_reset(token: str, new: str, actor: Actor) -> User:
    reset = await PasswordReset.get_or_none(token_hash=token_digest(token)).prefetch_related("user")
    if reset is None or reset.used_at is not None or reset.expires_at < utcnow():
        raise BadInput("Tautan atur ulang kata sandi tidak berlaku atau sudah kedaluwarsa.")
    user: User = reset.user
    if problem := password_problem(new, user.username):
        raise BadInput(problem)
    # Mark used first and only if still unused, so one link cannot be spent twice at once.
    spent = await PasswordReset.filter(id=reset.id, used_at=None).update(used_at=utcnow())
    if not spent:
        raise BadInput("Tautan atur ulang kata sandi sudah dipakai.")
    await _set_own_password(user, new)
    await audit.record(Actor(user.username, actor.ip), "password_reset_used", "user", user.username)
    return user


async def _get_user(username: str) -> User:
    user = await User.get_or_none(username=username)
    if user is None:
        raise NotFound("Pengguna tidak ditemukan.")
    return user


async def _unit_id(code: str | None, current: int | None = None) -> int | None:
    """The unit's id; a deactivated unit takes no account, except one already in it."""
    if not code:
        return None
    unit = await Unit.get_or_none(code=code)
    if unit is None:
        raise BadInput(f"Unit '{code}' tidak dikenal.")
    if not unit.active and unit.id != current:
        raise BadInput(f"Unit '{unit.name}' sudah dinonaktifkan; aktifkan dulu di halaman Unit.")
    return unit.id


async def user_out(user: User) -> UserOut:
    unit = await Unit.get_or_none(id=user.unit_id) if user.unit_id else None
    return UserOut(
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        role=user.role,
        unit=unit.code if unit else None,
        active=user.active,
        must_change_password=user.must_change_password,
    )


async def create_user(data: UserCreate, actor: Actor, *, must_change: bool = True) -> User:
    """A new account; a password set by someone else must be changed at first login."""
    if problem := password_problem(data.password, data.username):
        raise BadInput(problem)
    unit_id = await _unit_id(data.unit)
    if data.role in UNIT_ROLES and unit_id is None:
        raise BadInput("Akun admin harus terikat pada satu unit.")
    try:
        user = await User.create(
            username=data.username,
            full_name=data.full_name,
            email=data.email,
            role=data.role,
            unit_id=unit_id,
            active=data.active,
            password_hash=hash_password(data.password),
            must_change_password=must_change,
        )
    except IntegrityError:
        raise Conflict(f"Nama pengguna '{data.username}' sudah dipakai.") from None
    await audit.record(actor, "create", "user", user.username, after=_public(user, data.unit))
    return user


async def update_user(username: str, data: UserUpdate, actor: Actor) -> User:
    user = await _get_user(username)
    patch = data.model_dump(exclude_unset=True)
    before = _public(user, None)
    if "unit" in patch:
        user.unit_id = await _unit_id(patch.pop("unit"), current=user.unit_id)
    role = patch.get("role", user.role)
    if role in UNIT_ROLES and user.unit_id is None:
        raise BadInput("Akun admin harus terikat pada satu unit.")
    end_sessions_needed = False
    if (password := patch.pop("password", None)) is not None:
        if problem := password_problem(password, user.username):
            raise BadInput(problem)
        user.password_hash = hash_password(password)
        user.must_change_password = True
        end_sessions_needed = True
    if patch.get("active") is False and actor.username == user.username:
        raise BadInput("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    if patch.get("active") is False and user.active:
        end_sessions_needed = True
    if "role" in patch and patch["role"] != user.role:
        end_sessions_needed = True
    for key, value in patch.items():
        if value is None and key in {"role", "active", "full_name"}:
            raise BadInput(f"Kolom '{key}' tidak boleh kosong.")
        setattr(user, key, value)
    if end_sessions_needed:
        user.token_version += 1
    await user.save()
    before, after = audit.changes(before, _public(user, None))
    if password is not None:
        after["password"] = "(diatur ulang)"
    await audit.record(actor, "update", "user", user.username, before=before, after=after)
    return user


def _public(user: User, unit_code: str | None) -> dict:
    return {
        "full_name": user.full_name,
        "role": str(user.role),
        "unit_id": user.unit_id,
        "unit": unit_code,
        "active": user.active,
    }
