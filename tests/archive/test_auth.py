"""Logging in, tokens that die, forced password changes, throttling and reset links."""

import pytest

from archive.models import AuditEvent, Role, User
from tests.archive.helpers import PASSWORD, bearer, make_user, token


@pytest.fixture
async def alice(app):
    return await make_user("alice", Role.STAFF)


async def test_login_returns_a_bearer_token_that_works(client, alice):
    response = await client.post(
        "/api/auth/token", data={"username": "alice", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    me = await client.get("/api/auth/me", headers=bearer(body["access_token"]))
    assert me.json()["username"] == "alice"


@pytest.mark.parametrize(
    ("username", "password"), [("alice", "salah-sekali"), ("nobody", PASSWORD), ("alice", "")]
)
async def test_wrong_credentials_get_401(client, alice, username, password):
    response = await client.post(
        "/api/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code in (401, 422)
    assert "access_token" not in response.json()


async def test_repeated_failures_are_slowed_down_with_429(client, alice):
    for _ in range(3):  # the test settings allow three failures
        await client.post("/api/auth/token", data={"username": "alice", "password": "x" * 9})
    response = await client.post(
        "/api/auth/token", data={"username": "alice", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert await AuditEvent.filter(action="login_failed", object_id="alice").count() == 3


@pytest.mark.parametrize(
    "header", ["Bearer garbage", "Bearer ", "Basic YWxpY2U6eA==", "Bearer a.b.c"]
)
async def test_bad_tokens_get_401(client, alice, header):
    response = await client.get("/api/users", headers={"Authorization": header})
    assert response.status_code == 401


async def test_expired_token_gets_401(client, app, alice):
    import time

    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    class ThirteenHoursAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 13 * 3600

    serializer = URLSafeTimedSerializer(
        app.state.settings.secret_key, salt="sepeda-api-token", signer=ThirteenHoursAgo
    )
    expired = serializer.dumps({"u": alice.id, "v": 0})
    assert (await client.get("/api/users", headers=bearer(expired))).status_code == 401


async def test_token_signed_with_another_key_gets_401(client, alice):
    from archive.security import TokenSigner

    forged = TokenSigner("another-secret", ttl_seconds=3600).issue(alice.id, 0)
    assert (await client.get("/api/users", headers=bearer(forged))).status_code == 401


async def test_logout_kills_the_token(client, alice):
    access = await token(client, "alice")
    assert (await client.post("/api/auth/logout", headers=bearer(access))).status_code == 204
    assert (await client.get("/api/users", headers=bearer(access))).status_code == 401


async def test_password_change_returns_a_new_token_and_kills_the_old(client, alice):
    old = await token(client, "alice")
    response = await client.post(
        "/api/auth/password",
        json={"old_password": PASSWORD, "new_password": "kata-sandi-baru"},
        headers=bearer(old),
    )
    assert response.status_code == 200
    new = response.json()["access_token"]
    assert (await client.get("/api/users", headers=bearer(old))).status_code == 401
    assert (await client.get("/api/users", headers=bearer(new))).status_code == 200
    await token(client, "alice", "kata-sandi-baru")


@pytest.mark.parametrize(
    ("old", "new", "status"),
    [("salah-salah", "kata-sandi-baru", 422), (PASSWORD, "pendek", 422), (PASSWORD, PASSWORD, 422)],
)
async def test_bad_password_changes_are_refused_and_change_nothing(client, alice, old, new, status):
    access = await token(client, "alice")
    response = await client.post(
        "/api/auth/password",
        json={"old_password": old, "new_password": new},
        headers=bearer(access),
    )
    assert response.status_code == status
    assert (await client.get("/api/users", headers=bearer(access))).status_code == 200
    await token(client, "alice")


async def test_deactivation_kills_tokens_and_blocks_login(client, alice):
    await make_user("bob", Role.VERIFIER)
    staff, bob = await token(client, "alice"), await token(client, "bob")
    response = await client.patch("/api/users/bob", json={"active": False}, headers=bearer(staff))
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert (await client.get("/api/innovations", headers=bearer(bob))).status_code == 401
    denied = await client.post("/api/auth/token", data={"username": "bob", "password": PASSWORD})
    assert denied.status_code == 401


async def test_staff_cannot_deactivate_themselves(client, alice):
    staff = await token(client, "alice")
    response = await client.patch("/api/users/alice", json={"active": False}, headers=bearer(staff))
    assert response.status_code == 422 and "sendiri" in response.json()["detail"]
    assert (await client.get("/api/auth/me", headers=bearer(staff))).status_code == 200


async def test_printed_password_must_be_changed_before_anything_else(client, alice):
    await make_user("carol", Role.VERIFIER, must_change=True)
    access = await token(client, "carol")
    blocked = await client.get("/api/innovations", headers=bearer(access))
    assert blocked.status_code == 403
    assert blocked.json()["code"] == "PASSWORD_CHANGE_REQUIRED"
    assert (await client.get("/api/auth/me", headers=bearer(access))).json()["must_change_password"]
    changed = await client.post(
        "/api/auth/password",
        json={"old_password": PASSWORD, "new_password": "pilihan-sendiri"},
        headers=bearer(access),
    )
    fresh = changed.json()["access_token"]
    assert (await client.get("/api/innovations", headers=bearer(fresh))).status_code == 200


async def test_staff_created_account_must_change_its_password(client, alice):
    staff = await token(client, "alice")
    created = await client.post(
        "/api/users",
        json={"username": "dina", "password": "sementara-1", "role": "verifier"},
        headers=bearer(staff),
    )
    assert created.status_code == 201
    assert created.json()["must_change_password"] is True
    dina = await token(client, "dina", "sementara-1")
    response = await client.get("/api/periods/2026", headers=bearer(dina))
    assert response.status_code == 403


async def test_reset_link_sets_a_password_once(client, alice):
    await make_user("erna", Role.VERIFIER)
    erna_old = await token(client, "erna")
    staff = await token(client, "alice")
    link = await client.post("/api/auth/reset-links/erna", headers=bearer(staff))
    assert link.status_code == 201
    reset_token = link.json()["token"]
    assert link.json()["url"].endswith(f"/reset/{reset_token}")
    used = await client.post(
        "/api/auth/reset", json={"token": reset_token, "new_password": "dari-tautan-1"}
    )
    assert used.status_code == 200
    assert (await client.get("/api/auth/me", headers=bearer(erna_old))).status_code == 401
    await token(client, "erna", "dari-tautan-1")
    again = await client.post(
        "/api/auth/reset", json={"token": reset_token, "new_password": "lagi-lagi-1"}
    )
    assert again.status_code == 422
    await token(client, "erna", "dari-tautan-1")


async def test_expired_reset_link_is_refused(client, alice):
    from datetime import timedelta

    from archive.models import PasswordReset
    from archive.timeutil import utcnow

    await make_user("fajar", Role.VERIFIER)
    staff = await token(client, "alice")
    link = (await client.post("/api/auth/reset-links/fajar", headers=bearer(staff))).json()
    await PasswordReset.all().update(expires_at=utcnow() - timedelta(minutes=1))
    response = await client.post(
        "/api/auth/reset", json={"token": link["token"], "new_password": "terlambat-1"}
    )
    assert response.status_code == 422
    await token(client, "fajar")


async def test_a_new_reset_link_voids_the_older_one(client, alice):
    await make_user("gita", Role.VERIFIER)
    staff = await token(client, "alice")
    first = (await client.post("/api/auth/reset-links/gita", headers=bearer(staff))).json()
    await client.post("/api/auth/reset-links/gita", headers=bearer(staff))
    response = await client.post(
        "/api/auth/reset", json={"token": first["token"], "new_password": "yang-lama-1"}
    )
    assert response.status_code == 422


async def test_passwords_are_stored_as_argon2(app, alice):
    user = await User.get(username="alice")
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash


async def test_spelling_the_name_otherwise_does_not_reset_the_count(client, alice):
    # Found by an attack: after the limit, "alice" + a no-break space (or blanks, or capitals)
    # reached a fresh counter and the right password got in.
    for _ in range(3):
        await client.post("/api/auth/token", data={"username": "alice", "password": "x" * 9})
    for spelling in ("alice\u00a0", "  ALICE", "alice" + " " * 60, "\uff41lice"):  # ａlice
        response = await client.post(
            "/api/auth/token", data={"username": spelling, "password": PASSWORD}
        )
        assert response.status_code == 429, spelling


async def test_every_failed_login_is_audited_however_long_the_name(client, alice):
    long_name = "v" * 300
    response = await client.post(
        "/api/auth/token", data={"username": long_name, "password": "x" * 9}
    )
    assert response.status_code == 401
    audited = await AuditEvent.filter(action="login_failed").values_list("object_id", flat=True)
    assert audited == ["v" * 64]


async def test_guessing_from_elsewhere_does_not_lock_the_user_out_of_their_office(app, alice):
    from httpx import ASGITransport, AsyncClient

    def from_address(ip: str) -> AsyncClient:
        transport = ASGITransport(app=app, client=(ip, 50000))
        return AsyncClient(transport=transport, base_url="http://testserver")

    async with from_address("203.0.113.9") as attacker, from_address("10.1.2.3") as office:
        for _ in range(5):
            await attacker.post("/api/auth/token", data={"username": "alice", "password": "x" * 9})
        stopped = await attacker.post(
            "/api/auth/token", data={"username": "alice", "password": "x" * 9}
        )
        assert stopped.status_code == 429  # the guesser is stopped...
        own = await office.post("/api/auth/token", data={"username": "alice", "password": PASSWORD})
        assert own.status_code == 200  # ...and Alice still logs in from her office


async def test_the_limit_holds_across_web_processes(client, settings, alice):
    # `serve --workers N` runs N apps; the failures counted by one stop guessing at another.
    from httpx import ASGITransport, AsyncClient

    from archive import create_app

    for _ in range(3):
        await client.post("/api/auth/token", data={"username": "alice", "password": "x" * 9})
    other = create_app(settings)  # a second process: its own memory, the same database
    transport = ASGITransport(app=other, client=("127.0.0.1", 50000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as second:
        response = await second.post(
            "/api/auth/token", data={"username": "alice", "password": PASSWORD}
        )
    assert response.status_code == 429


async def test_the_right_password_clears_the_count_from_that_address_only(app, alice):
    from httpx import ASGITransport, AsyncClient

    def from_address(ip: str) -> AsyncClient:
        transport = ASGITransport(app=app, client=(ip, 50000))
        return AsyncClient(transport=transport, base_url="http://testserver")

    async with from_address("10.1.2.3") as office, from_address("203.0.113.9") as other:
        for _ in range(2):  # two typos in the office, then the right password
            await office.post("/api/auth/token", data={"username": "alice", "password": "x" * 9})
        ok = await office.post("/api/auth/token", data={"username": "alice", "password": PASSWORD})
        assert ok.status_code == 200
        for _ in range(2):  # the count starts again: two more typos are still allowed
            await office.post("/api/auth/token", data={"username": "alice", "password": "x" * 9})
        again = await office.post(
            "/api/auth/token", data={"username": "alice", "password": PASSWORD}
        )
        assert again.status_code == 200
        for _ in range(3):  # elsewhere the office's success clears nothing
            await other.post("/api/auth/token", data={"username": "alice", "password": "x" * 9})
        stopped = await other.post(
            "/api/auth/token", data={"username": "alice", "password": PASSWORD}
        )
        assert stopped.status_code == 429


async def test_guessing_from_many_addresses_cannot_keep_the_user_out_of_a_known_office(app, alice):
    from httpx import ASGITransport, AsyncClient

    def from_address(ip: str) -> AsyncClient:
        transport = ASGITransport(app=app, client=(ip, 50000))
        return AsyncClient(transport=transport, base_url="http://testserver")

    async with from_address("10.1.2.3") as office:  # Alice's office, where she signed in before
        ok = await office.post("/api/auth/token", data={"username": "alice", "password": PASSWORD})
        assert ok.status_code == 200
    # 60 guesses from 20 addresses: the account's own limit (20 x 3) is reached.
    for n in range(20):
        async with from_address(f"198.51.100.{n}") as guesser:
            for _ in range(3):
                await guesser.post(
                    "/api/auth/token", data={"username": "alice", "password": "x" * 9}
                )
    async with from_address("198.51.100.200") as new_guesser:
        stopped = await new_guesser.post(
            "/api/auth/token", data={"username": "alice", "password": PASSWORD}
        )
        assert stopped.status_code == 429  # a new address is held by the account's limit...
    async with from_address("10.1.2.3") as office:
        own = await office.post("/api/auth/token", data={"username": "alice", "password": PASSWORD})
        assert own.status_code == 200  # ...her known office is not
