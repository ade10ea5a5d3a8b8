"""Test helpers: accounts, logins and a small world of units, users and innovations."""

from __future__ import annotations

from dataclasses import dataclass, field

from httpx import AsyncClient

from archive.models import Assignment, Innovation, Period, Role, Unit, UnitKind, User
from archive.security import hash_password

PASSWORD = "rahasia-123"


async def make_user(
    username: str, role: Role, unit: Unit | None = None, *, must_change: bool = False
) -> User:
    return await User.create(
        username=username,
        role=role,
        unit=unit,
        full_name=username.title(),
        password_hash=hash_password(PASSWORD),
        must_change_password=must_change,
    )


async def token(client: AsyncClient, username: str, password: str = PASSWORD) -> str:
    response = await client.post(
        "/api/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


@dataclass
class World:
    """Two units (A, B), an account of every role, and innovations with known visibility."""

    unit_a: Unit
    unit_b: Unit
    users: dict[str, User]
    draft_a: Innovation
    draft_b: Innovation
    published_b: Innovation
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


async def open_period(year: int = 2026, rulepack: str = "iid-2026") -> Period:
    """The year's collection, open for input until mid-December."""
    return await Period.create(
        year=year, rulepack=rulepack, opens=f"{year}-01-05", closes=f"{year}-12-15",
        review_closes=f"{year}-12-31",
    )  # fmt: skip


async def build_world(client: AsyncClient) -> World:
    unit_a = await Unit.create(code="DINKES", name="Dinas Kesehatan", kind=UnitKind.SKPD)
    unit_b = await Unit.create(code="DISDIK", name="Dinas Pendidikan", kind=UnitKind.SKPD)
    users = {
        "staff": await make_user("staf", Role.STAFF),
        "verifier": await make_user("verif", Role.VERIFIER),
        "admin_a": await make_user("admin.a", Role.ADMIN, unit_a),
        "admin_b": await make_user("admin.b", Role.ADMIN, unit_b),
        "innovator": await make_user("inovator", Role.INNOVATOR),
        "judge": await make_user("juri", Role.JUDGE),
    }
    draft_a = await Innovation.create(year=2026, unit=unit_a, name="Posyandu Aktif")
    draft_b = await Innovation.create(year=2026, unit=unit_b, name="Sekolah Ramah Anak")
    published_b = await Innovation.create(
        year=2026, unit=unit_b, name="Perpustakaan Keliling", status="published"
    )
    await Assignment.create(user=users["innovator"], innovation=draft_a)
    await Assignment.create(user=users["judge"], innovation=draft_b)
    world = World(unit_a, unit_b, users, draft_a, draft_b, published_b)
    for role, user in users.items():
        world.headers[role] = bearer(await token(client, user.username))
    world.headers["anonymous"] = {}
    return world
