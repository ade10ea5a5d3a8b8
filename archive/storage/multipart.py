"""Streaming multipart/form-data reader: the file part goes straight into a BlobWriter.

FastAPI's `UploadFile` spools the whole body to a temporary file before the handler runs;
this reads `request.stream()` through python-multipart's push parser instead, so the bytes
are hashed and written once, the size limit fires as soon as it is crossed, and nothing is
left on disk when anything goes wrong.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import anyio.to_thread
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header
from starlette.requests import ClientDisconnect, Request

from archive.errors import BadInput, UploadInterrupted
from archive.storage.blobs import BlobRef, BlobStore, BlobWriter, too_large
from archive.storage.sniff import HEAD_BYTES, sniff

# Parts beyond the file and a handful of fields mean a broken or hostile client.
MAX_PARTS = 32
# Per part, on top of its content: boundary line, headers (python-multipart caps them).
PART_OVERHEAD = 8 * 1024
INTERRUPTED_MESSAGE = "Unggahan terputus sebelum selesai; berkas tidak disimpan."

# Called with (head, raw filename, temp path) before the blob is committed; returns the
# media type or raises (then nothing is kept). `sniff` is the default.
T = TypeVar("T")
Check = Callable[[bytes, str | None, Path], str]
BeforeCommit = Callable[["Upload"], Awaitable[None]]


@dataclass
class UploadedFile:
    """One file part: the stored blob and how it looked."""

    blob: BlobRef | None = None
    filename: str | None = None  # as the client sent it; sanitise before showing
    head: bytes = b""  # the file's first bytes, for sniffing
    media_type: str | None = None  # from `check` (the bytes), never from the client
    client_content_type: str | None = None  # the part's own header, informative only


@dataclass
class Upload(UploadedFile):
    """What a multipart request carried: text fields and the file (the first one, when the
    caller allows several; the others are in ``more``)."""

    fields: dict[str, str] = field(default_factory=dict)
    more: list[UploadedFile] = field(default_factory=list)

    @property
    def files(self) -> list[UploadedFile]:
        """Every file received, in the order sent (empty when none was)."""
        return ([self] if self.media_type is not None else []) + self.more


def form_allowance(max_field_bytes: int) -> int:
    """Bytes a body may carry beyond the file: every part's framing and the text fields."""
    return MAX_PARTS * PART_OVERHEAD + 16 * max_field_bytes


async def receive_upload(
    request: Request,
    store: BlobStore,
    max_bytes: int,
    *,
    max_field_bytes: int = 64 * 1024,
    file_field: str = "file",
    check: Check | None = sniff,
    before_commit: BeforeCommit | None = None,
    max_files: int = 1,
) -> Upload:
    """Stream a multipart body into `store`; returns fields and the committed blob.

    Raises TooLarge (413) from Content-Length before reading, or as soon as the file passes
    `max_bytes`; BadInput (422) for a body that is not multipart/form-data, has no boundary,
    carries more than ``max_files`` files, an oversized or repeated field or is cut short;
    UploadInterrupted (400) when the client disconnects; NoSpace (507) on a full disk;
    whatever `check` raises (UnsupportedType 415, BadInput for an empty file). After any
    error nothing is on disk.

    ``before_commit(upload)`` runs once the whole body has arrived and the file passed
    ``check``, before the blob is committed: the caller validates the form fields there, so a
    refused request leaves no blob behind.
    """
    boundary = _boundary(request.headers.get("content-type"))
    body_limit = max_bytes + form_allowance(max_field_bytes)
    declared = _content_length(request.headers.get("content-length"))
    if declared is not None and declared > body_limit:
        raise too_large(max_bytes)  # refused before a byte is read (no 100-continue sent)

    reader = _PartReader(store, max_bytes, max_field_bytes, file_field, max_files)
    parser = MultipartParser(boundary, reader.callbacks())
    received = 0
    try:
        async with aclosing(request.stream()) as stream:
            async for chunk in stream:
                received += len(chunk)
                if received > body_limit:
                    raise too_large(max_bytes)
                parser.write(chunk)
        parser.finalize()
        if not reader.ended or parser.state != MultipartState.END:
            raise BadInput("Isi formulir multipart tidak lengkap atau rusak.")
        return await reader.finish(check, before_commit)
    except ClientDisconnect as exc:
        raise UploadInterrupted(INTERRUPTED_MESSAGE) from exc
    except FormParserError as exc:
        raise BadInput("Isi formulir multipart tidak valid.") from exc
    finally:
        reader.discard()


def _boundary(content_type: str | None) -> bytes:
    """The boundary of a multipart/form-data body; BadInput for anything else."""
    media_type, params = parse_options_header(content_type)
    if media_type != b"multipart/form-data":
        raise BadInput("Permintaan harus berupa formulir multipart/form-data.")
    boundary = params.get(b"boundary", b"")
    if not boundary or len(boundary) > 70:  # RFC 2046: 1 to 70 characters
        raise BadInput("Formulir multipart tanpa boundary yang sah.")
    return boundary


def _content_length(value: str | None) -> int | None:
    """The declared body length, None when absent (chunked)."""
    if value is None:
        return None
    try:
        length = int(value)
    except ValueError:
        length = -1
    if length < 0:
        raise BadInput("Header Content-Length tidak valid.")
    return length


class _PartReader:
    """Parser callbacks: collect small fields in memory, stream the file part to a writer."""

    def __init__(
        self,
        store: BlobStore,
        max_bytes: int,
        max_field_bytes: int,
        file_field: str,
        max_files: int = 1,
    ) -> None:
        self.store = store
        self.max_bytes = max_bytes
        self.max_field_bytes = max_field_bytes
        self.file_field = file_field
        self.max_files = max_files
        self.upload = Upload()
        # Each file part: the object that describes it, its writer and its first bytes.
        self.parts: list[tuple[UploadedFile, BlobWriter, bytearray]] = []
        self.ended = False
        self._parts = 0
        self._headers: dict[bytes, bytes] = {}
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._name: str | None = None
        self._is_file = False
        self._value = bytearray()

    def callbacks(self) -> dict[str, Callable]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_end": self.on_end,
        }

    def on_part_begin(self) -> None:
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise BadInput("Formulir berisi terlalu banyak bagian.")
        self._headers = {}
        self._name = None
        self._is_file = False
        self._value = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[bytes(self._header_name).strip().lower()] = bytes(self._header_value)
        self._header_name = bytearray()
        self._header_value = bytearray()

    def on_headers_finished(self) -> None:
        disposition, params = parse_options_header(self._headers.get(b"content-disposition"))
        name = params.get(b"name")
        if disposition != b"form-data" or name is None:
            raise BadInput("Bagian formulir tanpa Content-Disposition form-data yang sah.")
        self._name = _decode(name, "nama kolom")
        if b"filename" not in params:
            if self._name in self.upload.fields:
                raise BadInput(f"Kolom '{self._name}' dikirim lebih dari sekali.")
            return
        if self._name != self.file_field:
            raise BadInput(f"Kirim berkas di kolom '{self.file_field}', bukan '{self._name}'.")
        if len(self.parts) >= self.max_files:
            if self.max_files == 1:
                raise BadInput("Kirim satu berkas saja per unggahan.")
            raise BadInput(f"Kirim paling banyak {self.max_files} berkas sekaligus.")
        self._is_file = True
        part = self.upload if not self.parts else UploadedFile()
        part.filename = _decode(params[b"filename"], "nama berkas")
        part_type = self._headers.get(b"content-type")
        part.client_content_type = part_type.decode("latin-1") if part_type else None
        self.parts.append((part, self.store.writer(self.max_bytes), bytearray()))

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = memoryview(data)[start:end]
        if self._is_file:
            _, writer, head = self.parts[-1]
            writer.write(chunk)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            return
        if len(self._value) + len(chunk) > self.max_field_bytes:
            raise BadInput(f"Isi kolom '{self._name}' terlalu panjang.")
        self._value += chunk

    def on_part_end(self) -> None:
        if not self._is_file and self._name == self.file_field and not self._value:
            return  # an empty file field sent as text: no file was chosen
        if not self._is_file and self._name is not None:
            self.upload.fields[self._name] = _decode(bytes(self._value), f"kolom '{self._name}'")

    def on_end(self) -> None:
        self.ended = True

    async def finish(self, check: Check | None, before_commit: BeforeCommit | None) -> Upload:
        """Check the files and commit them (in a thread: fsync and sniffing take a while)."""
        parts = []
        for part, writer, head in self.parts:
            if writer.size == 0 and not part.filename:
                # A browser sends an empty, nameless part when no file was chosen.
                writer.abort()
                part.filename = None
                continue
            parts.append((part, writer, head))
        self.parts = parts
        for part, writer, head in parts:
            part.head = bytes(head)
            if check is not None:
                part.media_type = await anyio.to_thread.run_sync(
                    check, part.head, part.filename, writer.temp_path
                )
        if parts and parts[0][0] is not self.upload:
            # The first part sent was an empty "no file chosen": the first real file leads.
            first = parts[0][0]
            self.upload.blob, self.upload.filename = first.blob, first.filename
            self.upload.head, self.upload.media_type = first.head, first.media_type
            self.upload.client_content_type = first.client_content_type
            parts[0] = (self.upload, parts[0][1], parts[0][2])
        self.upload.more = [part for part, _, _ in parts[1:]]
        if before_commit is not None:
            await before_commit(self.upload)
        for part, writer, _ in parts:
            part.blob = await anyio.to_thread.run_sync(writer.commit)
        return self.upload

    def discard(self) -> None:
        """Remove the temp files not committed (a no-op after success)."""
        for _, writer, _ in self.parts:
            writer.abort()


def _decode(raw: bytes, what: str) -> str:
    """UTF-8 text from the form; BadInput otherwise."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"Isi {what} bukan teks UTF-8 yang sah.") from exc


async def receive_form_fields(request: Request, max_bytes: int = 64 * 1024) -> dict[str, str]:
    """Fields of a small ``application/x-www-form-urlencoded`` body (a link, no file)."""
    declared = _content_length(request.headers.get("content-length"))
    if declared is not None and declared > max_bytes:
        raise BadInput("Isi formulir terlalu panjang.")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_bytes:
                raise BadInput("Isi formulir terlalu panjang.")
    except ClientDisconnect as exc:
        raise UploadInterrupted(INTERRUPTED_MESSAGE) from exc
    text = _decode(bytes(body), "formulir")
    pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=32, strict_parsing=False)
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            raise BadInput(f"Kolom '{name}' dikirim lebih dari sekali.")
        fields[name] = value
    return fields


def is_urlencoded(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"


async def receive_form(
    request: Request,
    store: BlobStore,
    max_bytes: int,
    validate: Callable[[Upload], Awaitable[T]],
    *,
    links: bool = False,
    **options: Any,
) -> tuple[Upload, T]:
    """An upload form received and validated in one call: ``(upload, validate(upload))``.

    ``validate`` sees the text fields (and whether a file came) after the body arrived and
    before the blob is committed, so a refused form stores nothing; what it returns (the
    service's checked form) comes back beside the upload. With ``links`` a urlencoded body (a
    link, no file) is accepted too. ``options`` go to ``receive_upload``.
    """
    if links and is_urlencoded(request):
        upload = Upload(fields=await receive_form_fields(request))
        return upload, await validate(upload)
    results: list[T] = []

    async def before_commit(upload: Upload) -> None:
        results.append(await validate(upload))

    upload = await receive_upload(request, store, max_bytes, before_commit=before_commit, **options)
    return upload, results[0]
