"""The sign-in pages: session cookie, CSRF tokens, forced password change, logout."""

import re

import pytest

from archive.models import Role
from tests.archive.helpers import PASSWORD, make_user


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "form without a CSRF token"
    return match.group(1)


async def login(client, username: str, password: str = PASSWORD):
    page = await client.get("/login")
    return await client.post(
        "/login",
        data={"username": username, "password": password, "csrf": csrf_of(page.text)},
    )


@pytest.fixture
async def vera(app):
    return await make_user("vera", Role.VERIFIER)


async def test_login_page_speaks_indonesian(client):
    page = await client.get("/login")
    assert page.status_code == 200
    assert 'lang="id"' in page.text
    assert "Kata sandi" in page.text


async def test_login_sets_a_session_and_shows_the_home_page(client, vera):
    response = await login(client, "vera")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = await client.get("/")
    assert home.status_code == 200
    assert "inovasi daerah" in home.text.lower()
    assert "vera" in home.text.lower()


async def test_wrong_password_shows_an_error_and_no_session(client, vera):
    response = await login(client, "vera", "salah-sekali")
    assert response.status_code == 401
    assert "salah" in response.text
    assert (await client.get("/")).status_code == 303


async def test_forms_without_a_valid_csrf_token_are_refused(client, vera):
    await client.get("/login")
    response = await client.post(
        "/login", data={"username": "vera", "password": PASSWORD, "csrf": "palsu"}
    )
    assert response.status_code == 403
    assert (await client.get("/")).status_code == 303


async def test_printed_password_leads_to_the_change_page_first(client, app):
    await make_user("wati", Role.ADMIN, must_change=True)
    response = await login(client, "wati")
    assert response.headers["location"] == "/password"
    assert (await client.get("/")).headers["location"] == "/password"
    page = await client.get("/password")
    changed = await client.post(
        "/password",
        data={"old_password": PASSWORD, "new_password": "milik-sendiri",
              "confirm_password": "milik-sendiri", "csrf": csrf_of(page.text)},
    )  # fmt: skip
    assert changed.status_code == 200
    assert "telah diganti" in changed.text
    assert (await client.get("/")).status_code == 200


async def test_logout_ends_the_session_and_the_api_tokens(client, vera):
    token = (
        await client.post("/api/auth/token", data={"username": "vera", "password": PASSWORD})
    ).json()["access_token"]
    await login(client, "vera")
    home = await client.get("/")
    response = await client.post("/logout", data={"csrf": csrf_of(home.text)})
    assert response.headers["location"] == "/login"
    assert (await client.get("/")).status_code == 303
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401


async def test_reset_page_sets_a_new_password(client, vera, app):
    from datetime import timedelta

    from archive.audit import Actor
    from archive.services.accounts import issue_reset

    _, token, _ = await issue_reset("vera", Actor("staf"), timedelta(hours=1))
    page = await client.get(f"/reset/{token}")
    response = await client.post(
        f"/reset/{token}",
        data={"new_password": "lewat-tautan", "confirm_password": "lewat-tautan",
              "csrf": csrf_of(page.text)},
    )  # fmt: skip
    assert response.status_code == 303
    assert (await client.get("/")).status_code == 200
    page = await client.get(f"/reset/{token}")  # signing in rotated the session and its token
    reused = await client.post(
        f"/reset/{token}",
        data={"new_password": "kedua-kali-1", "confirm_password": "kedua-kali-1",
              "csrf": csrf_of(page.text)},
    )  # fmt: skip
    assert reused.status_code == 422
