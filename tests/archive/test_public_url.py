"""SEPEDA_PUBLIC_URL: links the server writes never follow a request's Host header, and with
https the session cookie is Secure and browsers keep to https."""

from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport, AsyncClient

from archive import create_app
from archive.models import Role
from archive.settings import Settings
from tests.archive.helpers import bearer, make_user, token

PUBLIC = "https://inovasi.balangankab.go.id"


@pytest.fixture
async def public(settings) -> AsyncIterator[AsyncClient]:
    app = create_app(settings.model_copy(update={"public_url": PUBLIC}))
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with AsyncClient(transport=transport, base_url="https://testserver") as http:
            yield http


async def test_a_reset_link_points_at_the_public_address_whatever_the_host(public):
    await make_user("alice", Role.STAFF)
    await make_user("erna", Role.VERIFIER)
    staff = await token(public, "alice")
    link = await public.post(
        "/api/auth/reset-links/erna", headers={**bearer(staff), "Host": "evil.example"}
    )
    assert link.status_code == 201
    assert link.json()["url"] == f"{PUBLIC}/reset/{link.json()['token']}"


async def test_without_a_public_address_links_follow_the_request(client):
    await make_user("alice", Role.STAFF)
    await make_user("erna", Role.VERIFIER)
    staff = await token(client, "alice")
    link = await client.post("/api/auth/reset-links/erna", headers=bearer(staff))
    assert link.json()["url"].startswith("http://testserver/reset/")


async def test_https_makes_the_session_cookie_secure_and_asks_for_hsts(public, client):
    page = await public.get("/login")
    assert page.headers["strict-transport-security"].startswith("max-age=")
    cookie = page.headers.get("set-cookie", "")
    assert "sepeda_session" in cookie and "secure" in cookie.lower()
    # Plain http (no public address): no HSTS, which would strand the browser.
    plain = await client.get("/login")
    assert "strict-transport-security" not in plain.headers
    assert "secure" not in plain.headers.get("set-cookie", "").lower()


async def test_the_feed_and_sitemap_use_the_public_address(public):
    for path in ("/katalog/feed.atom", "/sitemap.xml"):
        body = (await public.get(path, headers={"Host": "evil.example"})).text
        assert PUBLIC in body and "evil.example" not in body


def test_a_public_address_must_be_a_whole_url():
    with pytest.raises(ValueError, match="alamat lengkap"):
        Settings(public_url="inovasi.go.id")
    assert Settings(public_url="https://inovasi.go.id/").public_url == "https://inovasi.go.id"
