"""The notifications page: each user reads and clears only their own notifications."""

from __future__ import annotations

import re

import pytest

from archive.models import Notification
from tests.archive.helpers import build_world, open_period
from tests.archive.test_web_pages import csrf_of, sign_in


@pytest.fixture
async def world(client):
    await open_period()
    world = await build_world(client)
    for text in ("Inovasi Posyandu Aktif dikembalikan untuk perbaikan", "Batas waktu 7 hari lagi"):
        await Notification.create(
            user=world.users["admin_a"], kind="revision", message=text, innovation=world.draft_a
        )
    await Notification.create(user=world.users["admin_b"], kind="revision", message="Rahasia B")
    return world


async def test_the_page_lists_my_notifications_and_the_header_links_it(client, world):
    await sign_in(client, "admin.a")
    home = await client.get("/")
    assert 'href="/notifikasi"' in home.text
    assert re.search(r'id="notif-count"[^>]*>2</span>', home.text)
    page = await client.get("/notifikasi")
    assert page.status_code == 200
    assert "dikembalikan untuk perbaikan" in page.text and "Batas waktu" in page.text
    assert "Rahasia B" not in page.text
    assert f'href="/inovasi/{world.draft_a.id}"' in page.text
    assert page.text.count('class="card unread"') == 2


async def test_marking_one_then_all_read(client, world):
    csrf = await sign_in(client, "admin.a")
    first = await Notification.filter(user_id=world.users["admin_a"].id).order_by("id").first()
    response = await client.post(f"/notifikasi/{first.id}/baca", data={"csrf": csrf})
    assert response.status_code == 303
    assert (await Notification.get(id=first.id)).read_at is not None
    page = await client.get("/notifikasi")
    assert page.text.count('class="card unread"') == 1
    assert re.search(r'id="notif-count"[^>]*>1</span>', page.text)

    again = await client.post(f"/notifikasi/{first.id}/baca", data={"csrf": csrf})
    assert again.status_code == 404  # already read

    response = await client.post("/notifikasi/baca-semua", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 303
    page = await client.get("/notifikasi")
    assert "1 notifikasi ditandai sudah dibaca" in page.text
    assert 'class="unread"' not in page.text and 'id="read-all"' not in page.text
    assert await Notification.filter(read_at=None).count() == 1  # admin B's is untouched


async def test_another_users_notification_cannot_be_touched(client, world):
    csrf = await sign_in(client, "admin.a")
    theirs = await Notification.get(message="Rahasia B")
    response = await client.post(f"/notifikasi/{theirs.id}/baca", data={"csrf": csrf})
    assert response.status_code == 404
    assert (await Notification.get(id=theirs.id)).read_at is None


async def test_without_the_csrf_token_nothing_is_marked(client, world):
    await sign_in(client, "admin.a")
    response = await client.post("/notifikasi/baca-semua", data={"csrf": "palsu"})
    assert response.status_code == 403
    assert await Notification.filter(read_at=None).count() == 3


async def test_anonymous_visitors_go_to_the_login_page(client, world):
    response = await client.get("/notifikasi")
    assert response.status_code == 303 and response.headers["location"] == "/login"


async def test_no_notifications_says_so(client, world):
    await sign_in(client, "staf")
    page = await client.get("/notifikasi")
    assert page.status_code == 200 and 'id="no-notifications"' in page.text


async def test_the_header_counts_every_unread_notification_beyond_the_list_limit(client, world):
    user = world.users["admin_a"]
    await Notification.bulk_create(
        [Notification(user=user, kind="deadline", message=f"Pengingat {n}") for n in range(250)]
    )
    await sign_in(client, "admin.a")
    page = await client.get("/")
    assert re.search(r'id="notif-count"[^>]*>252</span>', page.text)
