"""The accounts page for staff: add with a one-time link, deactivate, send a new link."""

from __future__ import annotations

import re

import pytest
from httpx import ASGITransport, AsyncClient

from archive.models import AuditEvent, PasswordReset, User
from archive.security import verify_password
from tests.archive.helpers import PASSWORD, build_world, open_period
from tests.archive.test_web_pages import csrf_of, sign_in


@pytest.fixture
async def world(client):
    await open_period()
    return await build_world(client)


def new_user_form(csrf: str, **fields) -> dict:
    return {
        "csrf": csrf,
        "username": "admin.disdik2",
        "full_name": "Admin Disdik Dua",
        "role": "admin",
        "unit": "DISDIK",
        "email": "",
        **fields,
    }


@pytest.mark.parametrize("username", ["verif", "admin.a", "inovator"])
async def test_only_staff_see_the_page(client, world, username):
    await sign_in(client, username)
    page = await client.get("/pengguna")
    assert page.status_code == 403
    assert 'href="/pengguna"' not in (await client.get("/")).text


async def test_staff_add_an_admin_who_sets_their_own_password_with_the_link(app, client, world):
    csrf = await sign_in(client, "staf")
    page = await client.get("/pengguna")
    assert page.status_code == 200 and 'id="user-admin.a"' in page.text
    assert 'href="/pengguna"' in page.text  # in the navigation

    created = await client.post("/pengguna", data=new_user_form(csrf))
    assert created.status_code == 201, created.text
    link = re.search(r'id="reset-link".*?<code>([^<]+)</code>', created.text, re.S)
    assert link and "/reset/" in link.group(1)
    user = await User.get(username="admin.disdik2")
    assert user.must_change_password and user.role == "admin"
    assert not verify_password(user.password_hash, PASSWORD)
    assert "belum menetapkan kata sandi" in created.text
    assert await AuditEvent.filter(action="create", object_id="admin.disdik2").exists()

    # The owner opens the link (no session needed) and sets a password.
    path = link.group(1).split("://", 1)[-1].split("/", 1)[1]
    # The owner's own browser: the same app, its own cookies.
    transport = ASGITransport(app=app, client=("127.0.0.2", 50001))
    async with AsyncClient(transport=transport, base_url="http://testserver") as owner:
        form = await owner.get(f"/{path}")
        assert form.status_code == 200
        done = await owner.post(
            f"/{path}",
            data={
                "csrf": csrf_of(form.text),
                "new_password": "disdik-rahasia-2026",
                "confirm_password": "disdik-rahasia-2026",
            },
        )
        assert done.status_code == 303, done.text[-1500:]
    user = await User.get(username="admin.disdik2")
    assert verify_password(user.password_hash, "disdik-rahasia-2026")
    assert not user.must_change_password


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"unit": ""}, 422, "harus terikat pada satu unit"),
        ({"username": "Bukan Valid!"}, 422, "username"),
        ({"role": "raja"}, 422, "role"),
        ({"unit": "TIDAKADA"}, 422, "tidak dikenal"),
        ({"username": "admin.a"}, 409, "sudah dipakai"),
    ],
)
async def test_bad_accounts_are_refused_on_the_page(client, world, fields, status, message):
    csrf = await sign_in(client, "staf")
    before = await User.all().count()
    response = await client.post("/pengguna", data=new_user_form(csrf, **fields))
    assert response.status_code == status
    assert 'id="users-error"' in response.text and message in response.text
    assert await User.all().count() == before


async def test_deactivate_and_reactivate_and_never_yourself(client, world):
    csrf = await sign_in(client, "staf")
    off = await client.post("/pengguna/admin.b/aktif", data={"csrf": csrf, "active": "false"})
    assert off.status_code == 303
    assert not (await User.get(username="admin.b")).active
    page = await client.get("/pengguna")
    assert "Akun admin.b dinonaktifkan" in page.text
    on = await client.post(
        "/pengguna/admin.b/aktif", data={"csrf": csrf_of(page.text), "active": "true"}
    )
    assert on.status_code == 303 and (await User.get(username="admin.b")).active

    myself = await client.post("/pengguna/staf/aktif", data={"csrf": csrf, "active": "false"})
    assert myself.status_code == 422 and "akun Anda sendiri" in myself.text
    assert (await User.get(username="staf")).active


async def test_a_new_link_voids_the_old_one(client, world):
    csrf = await sign_in(client, "staf")
    first = await client.post("/pengguna/admin.a/tautan", data={"csrf": csrf})
    second = await client.post("/pengguna/admin.a/tautan", data={"csrf": csrf})
    assert first.status_code == second.status_code == 200
    assert 'id="reset-link"' in second.text
    user = await User.get(username="admin.a")
    assert await PasswordReset.filter(user_id=user.id, used_at=None).count() == 1
    missing = await client.post("/pengguna/tidakada/tautan", data={"csrf": csrf})
    assert missing.status_code == 404


async def test_forms_need_the_csrf_token(client, world):
    await sign_in(client, "staf")
    before = await User.all().count()
    refused = await client.post("/pengguna", data=new_user_form("palsu"))
    assert refused.status_code == 403
    refused = await client.post("/pengguna/admin.b/aktif", data={"csrf": "x", "active": "false"})
    assert refused.status_code == 403
    assert await User.all().count() == before and (await User.get(username="admin.b")).active
