"""Evidence end to end: the real server, real files over HTTP, and the maintenance commands."""

import hashlib
import subprocess
from pathlib import Path

import httpx
import pytest

from archive.storage import BlobStore
from tests.conftest import PG_URL, reset_postgres
from tests.documents import docx_bytes, image_bytes, pdf_bytes
from tests.e2e.server import Server, start_server
from tests.e2e.server import sepeda as run_sepeda

pytestmark = pytest.mark.slow


def sepeda(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return run_sepeda(data_dir, *args, database_url=PG_URL)


def ready_admin(http: httpx.Client, server: Server, username: str) -> dict[str, str]:
    printed = server.logins[username]
    token = http.post("/api/auth/token", data={"username": username, "password": printed})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    changed = http.post(
        "/api/auth/password",
        json={"old_password": printed, "new_password": f"{username}-2026-baru"},
        headers=headers,
    )
    return {"Authorization": f"Bearer {changed.json()['access_token']}"}


@pytest.fixture
async def server(tmp_path):
    if PG_URL:
        await reset_postgres(PG_URL)
    running = start_server(tmp_path / "data", "--demo", database_url=PG_URL)
    yield running
    running.stop()


def test_evidence_round_trip_versions_scoping_fsck_and_backup(server: Server, tmp_path):
    data_dir = tmp_path / "data"
    files = {
        "sk-bupati.pdf": pdf_bytes("KEPUTUSAN BUPATI BALANGAN NOMOR 188.45/77/2026"),
        "daftar-hadir.docx": docx_bytes("Daftar hadir sosialisasi", "1. Peserta"),
        "foto-kegiatan.jpg": image_bytes("JPEG", (320, 200)),
    }
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        admin = ready_admin(http, server, "admin.dinkes")
        other = ready_admin(http, server, "admin.bappedalitbang")
        innovation = http.post(
            "/api/innovations",
            json={"year": 2026, "unit": "DINKES", "name": "Posyandu Remaja"},
            headers=admin,
        ).json()
        url = f"/api/innovations/{innovation['id']}/evidence"

        uploaded = {}
        for name, content in files.items():
            response = http.post(
                url,
                data={"indicator": "sosialisasi"},
                files={"file": (name, content)},
                headers=admin,
            )
            assert response.status_code == 201, response.text
            uploaded[name] = response.json()
        link = http.post(
            url, data={"indicator": "video", "url": "https://youtu.be/abc"}, headers=admin
        )
        assert link.status_code == 201

        for name, content in files.items():
            body = http.get(f"/api/evidence/{uploaded[name]['id']}/file", headers=admin)
            assert body.content == content
            assert body.headers["x-content-type-options"] == "nosniff"

        newer = pdf_bytes("KEPUTUSAN BUPATI BALANGAN NOMOR 188.45/78/2026 (perbaikan)")
        old_id = str(uploaded["sk-bupati.pdf"]["id"])
        replaced = http.post(
            url,
            data={"indicator": "sosialisasi", "replaces": old_id},
            files={"file": ("sk-bupati-perbaikan.pdf", newer)},
            headers=admin,
        )
        assert replaced.status_code == 201
        versions = http.get(f"/api/evidence/{replaced.json()['id']}/versions", headers=admin).json()
        assert [v["version"] for v in versions] == [1, 2]
        first = http.get(f"/api/evidence/{versions[0]['id']}/file", headers=admin)
        assert first.content == files["sk-bupati.pdf"]
        assert http.get(f"/api/evidence/{versions[1]['id']}/file", headers=admin).content == newer

        # Another unit's admin: neither upload nor read.
        refused = http.post(
            url, data={"indicator": "sosialisasi"}, files={"file": ("x.pdf", newer)}, headers=other
        )
        assert refused.status_code in (403, 404)
        peek = http.get(f"/api/evidence/{versions[1]['id']}/file", headers=other)
        assert peek.status_code == 404 and newer not in peek.content

    # fsck while the server runs: clean, then a blob corrupted by hand is found.
    assert sepeda(data_dir, "fsck").returncode == 0
    store = BlobStore(data_dir / "blobs")
    victim = store.path(hashlib.sha256(files["daftar-hadir.docx"]).hexdigest())
    victim.chmod(0o600)
    damaged_bytes = bytearray(victim.read_bytes())
    damaged_bytes[len(damaged_bytes) // 2] ^= 0xFF
    victim.write_bytes(bytes(damaged_bytes))
    damaged = sepeda(data_dir, "fsck")
    assert damaged.returncode == 1
    assert victim.name in damaged.stdout
    victim.write_bytes(files["daftar-hadir.docx"])

    backup_file = tmp_path / "cadangan.tar"
    made = sepeda(data_dir, "backup", str(backup_file))
    if PG_URL:
        assert made.returncode == 1 and "pg_dump" in made.stdout
        return
    assert made.returncode == 0, made.stdout + made.stderr
    server.stop()

    restored_dir = tmp_path / "pulih" / "data"
    restored_dir.parent.mkdir()
    assert sepeda(restored_dir, "restore", str(backup_file)).returncode == 0
    again = start_server(restored_dir)
    try:
        with httpx.Client(base_url=again.base_url, timeout=30) as http:
            login = {"username": "admin.dinkes", "password": "admin.dinkes-2026-baru"}
            token = http.post("/api/auth/token", data=login)
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            listed = http.get(url, headers=headers).json()
            assert {e["filename"] for e in listed if e["filename"]} == {
                "daftar-hadir.docx",
                "foto-kegiatan.jpg",
                "sk-bupati-perbaikan.pdf",
            }
            for name, content in files.items():
                body = http.get(f"/api/evidence/{uploaded[name]['id']}/file", headers=headers)
                assert body.content == content
    finally:
        again.stop()


def test_a_scan_uploaded_to_the_real_server_is_read_by_ocr(server: Server, tmp_path):
    import io
    import shutil
    import time

    from PIL import Image, ImageDraw, ImageFont

    from tests.conftest import need

    need(shutil.which("tesseract") is not None, "Tesseract is not installed")
    page = Image.new("L", (1654, 700), 255)
    draw = ImageDraw.Draw(page)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 44)
    except OSError:
        font = ImageFont.load_default(size=44)
    draw.text((120, 150), "KEPUTUSAN BUPATI BALANGAN", fill=0, font=font)
    draw.text((120, 260), "NOMOR 188.45/987/2026", fill=0, font=font)
    scan = io.BytesIO()
    page.save(scan, format="PDF", resolution=200)
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        admin = ready_admin(http, server, "admin.dinkes")
        innovation = http.post(
            "/api/innovations",
            json={"year": 2026, "unit": "DINKES", "name": "Posyandu Pindai"},
            headers=admin,
        ).json()
        evidence = http.post(
            f"/api/innovations/{innovation['id']}/evidence",
            data={"indicator": "regulasi"},
            files={"file": ("pindaian.pdf", scan.getvalue())},
            headers=admin,
        ).json()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            body = http.get(f"/api/evidence/{evidence['id']}", headers=admin).json()
            if body["extraction"]["status"] != "pending":
                break
            time.sleep(0.5)
        assert body["extraction"]["status"] == "done", body["extraction"]
        assert body["extraction"]["ocr"] is True
        text = http.get(f"/api/evidence/{evidence['id']}/text", headers=admin).json()
        assert "188.45/987/2026" in text["text"]
