"""receive_upload over real ASGI: streaming, limits, bad bodies, disconnects, memory."""

from __future__ import annotations

import errno
import hashlib
import tracemalloc
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from archive.errors import DomainError
from archive.storage.blobs import BlobStore, BlobWriter
from archive.storage.multipart import form_allowance, receive_upload

BOUNDARY = "----sepedaBoundary7MA4YWxkTrZu0gW"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
PDF_HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
MB = 1024 * 1024

ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]


def make_app(store: BlobStore, max_bytes: int, **options: object) -> Starlette:
    """A one-route app, the way an evidence route would call receive_upload."""

    async def upload(request: Request) -> JSONResponse:
        received = await receive_upload(request, store, max_bytes, **options)  # type: ignore[arg-type]
        blob = received.blob
        return JSONResponse(
            {
                "fields": received.fields,
                "filename": received.filename,
                "media_type": received.media_type,
                "client_content_type": received.client_content_type,
                "head": len(received.head),
                "sha256": blob.sha256 if blob else None,
                "size": blob.size if blob else None,
                "created": blob.created if blob else None,
            },
            status_code=201,
        )

    async def domain_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    return Starlette(
        routes=[Route("/upload", upload, methods=["POST"])],
        exception_handlers={DomainError: domain_error},
    )


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


def client_for(app: ASGIApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def assert_nothing_on_disk(store: BlobStore) -> None:
    leftovers = [p for p in store.root.rglob("*") if p.is_file()] if store.root.exists() else []
    assert leftovers == []


def part(name: str, value: bytes, filename: str | None = None, content_type: str = "") -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    headers = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
    if content_type:
        headers += f"Content-Type: {content_type}\r\n"
    return headers.encode() + b"\r\n" + value + b"\r\n"


def closing() -> bytes:
    return f"--{BOUNDARY}--\r\n".encode()


def file_part_header(filename: str) -> bytes:
    disposition = f'form-data; name="file"; filename="{filename}"'
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()


async def streamed_file(
    size: int, chunk: int = 64 * 1024, fields: bytes = b"", filename: str = "besar.pdf"
) -> AsyncIterator[bytes]:
    """A multipart body whose file part is generated chunk by chunk, never whole."""
    yield fields + file_part_header(filename)
    filler = bytes(range(256)) * (chunk // 256 + 1)
    sent = 0
    while sent < size:
        piece = (PDF_HEAD + filler if sent == 0 else filler)[: min(chunk, size - sent)]
        sent += len(piece)
        yield piece
    yield b"\r\n" + closing()


def streamed_length(size: int, fields: bytes = b"", filename: str = "besar.pdf") -> int:
    return len(fields) + len(file_part_header(filename)) + size + 2 + len(closing())


# --- the normal path -------------------------------------------------------------------


async def test_upload_with_fields(store: BlobStore) -> None:
    data = PDF_HEAD + b"1 0 obj << >> endobj\n%%EOF\n"
    async with client_for(make_app(store, 10 * MB)) as client:
        response = await client.post(
            "/upload",
            data={"indicator": "regulasi", "level": "2", "catatan": "Perbup Nomor 41 – 2021"},
            files={"file": ("../SK Bupati – Inovasi.pdf", data, "application/octet-stream")},
        )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["fields"] == {
        "indicator": "regulasi",
        "level": "2",
        "catatan": "Perbup Nomor 41 – 2021",
    }
    assert body["filename"] == "../SK Bupati – Inovasi.pdf"  # raw: the caller sanitises
    assert body["media_type"] == "application/pdf"
    assert body["client_content_type"] == "application/octet-stream"
    assert body["head"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["size"] == len(data)
    assert body["created"] is True
    assert store.path(body["sha256"]).read_bytes() == data
    assert list(store.tmp_dir.iterdir()) == []


async def test_same_file_twice_is_stored_once(store: BlobStore) -> None:
    files = {"file": ("a.txt", b"catatan rapat\n", "text/plain")}
    async with client_for(make_app(store, MB)) as client:
        first = (await client.post("/upload", files=files)).json()
        second = (await client.post("/upload", files=files)).json()
    assert first["sha256"] == second["sha256"]
    assert (first["created"], second["created"]) == (True, False)
    assert list(store.iter_shas()) == [first["sha256"]]


async def test_fields_only_and_the_empty_browser_part(store: BlobStore) -> None:
    body = (
        part("url", b"https://youtu.be/abc")
        + part("file", b"", filename="", content_type="application/octet-stream")
        + closing()
    )
    async with client_for(make_app(store, MB)) as client:
        response = await client.post("/upload", content=body, headers={"content-type": MULTIPART})
    assert response.status_code == 201, response.text
    assert response.json()["fields"] == {"url": "https://youtu.be/abc"}
    assert response.json()["sha256"] is None
    assert response.json()["filename"] is None
    assert_nothing_on_disk(store)


async def test_check_can_be_switched_off(store: BlobStore) -> None:
    files = {"file": ("x.bin", b"\x00\x01binary", "application/octet-stream")}
    async with client_for(make_app(store, MB, check=None)) as client:
        response = await client.post("/upload", files=files)
    assert response.status_code == 201
    assert response.json()["media_type"] is None


# --- too large -------------------------------------------------------------------------


async def test_over_the_limit_with_content_length(store: BlobStore) -> None:
    files = {"file": ("besar.pdf", PDF_HEAD + b"x" * 5000, "application/pdf")}
    async with client_for(make_app(store, 1000)) as client:
        response = await client.post("/upload", files=files)
    assert response.status_code == 413
    assert "terlalu besar" in response.json()["detail"]
    assert_nothing_on_disk(store)


async def test_over_the_limit_without_content_length(store: BlobStore) -> None:
    async with client_for(make_app(store, 100 * 1024)) as client:
        response = await client.post(
            "/upload",
            content=streamed_file(300 * 1024),
            headers={"content-type": MULTIPART},
        )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert_nothing_on_disk(store)


async def test_exactly_the_limit_is_accepted(store: BlobStore) -> None:
    async with client_for(make_app(store, 100 * 1024)) as client:
        response = await client.post(
            "/upload", content=streamed_file(100 * 1024), headers={"content-type": MULTIPART}
        )
    assert response.status_code == 201, response.text
    assert response.json()["size"] == 100 * 1024


async def test_two_gigabytes_are_refused_from_the_header(store: BlobStore) -> None:
    """413 from Content-Length alone: the app never asks for a byte of the body."""
    app = make_app(store, 100 * MB)
    body_reads = 0

    async def spy(scope: dict, receive: Callable, send: Callable) -> None:
        async def counting_receive() -> dict:
            nonlocal body_reads
            message = await receive()
            if message["type"] == "http.request":
                body_reads += 1
            return message

        await app(scope, counting_receive, send)

    async def never_sent() -> AsyncIterator[bytes]:
        raise AssertionError("the body must not be read")
        yield b""  # pragma: no cover

    two_gb = str(2 * 1024 * MB)
    async with client_for(spy) as client:
        response = await client.post(
            "/upload",
            content=never_sent(),
            headers={"content-type": MULTIPART, "content-length": two_gb},
        )
    assert response.status_code == 413
    assert body_reads == 0
    assert_nothing_on_disk(store)


async def test_form_fields_do_not_count_against_the_file_limit(store: BlobStore) -> None:
    """Content-Length above max_bytes is fine while the file itself stays within it."""
    fields = part("catatan", b"c" * 3000) + part("indicator", b"regulasi")
    body = fields + part("file", PDF_HEAD + b"x" * (1000 - len(PDF_HEAD)), "a.pdf") + closing()
    assert 1000 < len(body) <= 1000 + form_allowance(64 * 1024)
    async with client_for(make_app(store, 1000)) as client:
        response = await client.post("/upload", content=body, headers={"content-type": MULTIPART})
    assert response.request.headers["content-length"] == str(len(body))
    assert response.status_code == 201, response.text
    assert response.json()["size"] == 1000


# --- bad bodies (422) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"file": "x"}'),
        ("multipart/form-data", part("a", b"1") + closing()),
        ("multipart/form-data; boundary=", part("a", b"1") + closing()),
        ("text/plain", b"halo"),
        (None, b"halo"),
    ],
)
async def test_not_multipart(store: BlobStore, content_type: str | None, body: bytes) -> None:
    headers = {"content-type": content_type} if content_type else {}
    async with client_for(make_app(store, MB)) as client:
        response = await client.post("/upload", content=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert_nothing_on_disk(store)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            part("file", b"%PDF-1.4 a", "a.pdf") + part("file", b"%PDF-1.4 b", "b.pdf") + closing(),
            "satu berkas",
        ),
        (part("lampiran", b"%PDF-1.4", "a.pdf") + closing(), "kolom 'file'"),
        (part("catatan", b"x" * (64 * 1024 + 1)) + closing(), "terlalu panjang"),
        (part("level", b"1") + part("level", b"2") + closing(), "lebih dari sekali"),
        (part("file", b"%PDF-1.4 cut short", "a.pdf"), "tidak lengkap"),
        (part("catatan", b"\xff\xfe") + closing(), "UTF-8"),
        (b"this is not multipart at all\r\n", "tidak"),
        (b"".join(part(f"f{i}", b"1") for i in range(40)) + closing(), "terlalu banyak"),
    ],
    ids=["two-files", "other-file-field", "big-field", "repeat", "cut", "latin1", "junk", "parts"],
)
async def test_bad_bodies(store: BlobStore, body: bytes, message: str) -> None:
    async with client_for(make_app(store, MB)) as client:
        response = await client.post("/upload", content=body, headers={"content-type": MULTIPART})
    assert response.status_code == 422, response.text
    assert message in response.json()["detail"]
    assert_nothing_on_disk(store)


async def test_empty_file(store: BlobStore) -> None:
    async with client_for(make_app(store, MB)) as client:
        response = await client.post("/upload", files={"file": ("kosong.pdf", b"", "x/y")})
    assert response.status_code == 422
    assert response.json()["detail"] == "Berkas kosong."
    assert_nothing_on_disk(store)


# --- refused types, full disk ----------------------------------------------------------


async def test_html_named_pdf_is_415(store: BlobStore) -> None:
    html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    async with client_for(make_app(store, MB)) as client:
        response = await client.post("/upload", files={"file": ("SK.pdf", html, "application/pdf")})
    assert response.status_code == 415
    assert "HTML" in response.json()["detail"]
    assert_nothing_on_disk(store)


async def test_full_disk_is_507(store: BlobStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(BlobWriter, "_os_write", staticmethod(full))
    async with client_for(make_app(store, MB)) as client:
        response = await client.post("/upload", files={"file": ("a.pdf", PDF_HEAD, "x/y")})
    assert response.status_code == 507
    assert "penuh" in response.json()["detail"]
    assert_nothing_on_disk(store)


# --- the client goes away --------------------------------------------------------------


async def test_disconnect_mid_upload_leaves_nothing(store: BlobStore) -> None:
    app = make_app(store, 10 * MB)
    first = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'
        ).encode()
        + PDF_HEAD
        + b"x" * 200_000
    )
    messages = [
        {"type": "http.request", "body": first, "more_body": True},
        {"type": "http.disconnect"},
    ]
    temps_seen: list[int] = []

    async def receive() -> dict:
        if messages[0]["type"] == "http.disconnect":
            # The file part is half written when the client vanishes.
            temps_seen.append(len(list(store.tmp_dir.iterdir())))
        return messages.pop(0)

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/upload",
        "raw_path": b"/upload",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", MULTIPART.encode()), (b"content-length", b"10000000")],
        "client": ("127.0.0.1", 5000),
        "server": ("test", 80),
    }
    await app(scope, receive, send)
    assert temps_seen == [1]
    assert sent[0]["status"] == 400
    assert_nothing_on_disk(store)


# --- memory ----------------------------------------------------------------------------


async def test_fifty_megabytes_stream_in_small_memory(store: BlobStore) -> None:
    size = 50 * MB
    fields = part("indicator", b"video")
    async with client_for(make_app(store, 100 * MB)) as client:
        tracemalloc.start()
        try:
            response = await client.post(
                "/upload",
                content=streamed_file(size, fields=fields),
                headers={
                    "content-type": MULTIPART,
                    "content-length": str(streamed_length(size, fields=fields)),
                },
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert response.status_code == 201, response.text
    assert response.json()["size"] == size
    assert response.json()["fields"] == {"indicator": "video"}
    assert peak < 4 * MB, f"peak Python heap {peak / MB:.1f} MB"
    assert store.rehash(response.json()["sha256"]) == response.json()["sha256"]
