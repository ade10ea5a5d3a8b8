"""Evidence storage building blocks: blobs, type sniffing, file names, streamed uploads.

- `BlobStore` keeps files content-addressed by SHA-256 (temp file, fsync, atomic rename,
  never overwriting) and checks them (`fsck`); `BlobWriter` streams one blob in.
- `sniff` decides the media type from the bytes (PDF, DOCX, XLSX, text, JPEG, PNG, MP4) and
  refuses everything else with UnsupportedType (415).
- `safe_filename` and `content_disposition` make client file names safe to show and send.
- `receive_upload` streams a multipart request into the store without spooling it;
  `receive_form` does so and returns the form fields validated by the caller's check.

Routes and models live elsewhere; this package knows nothing about the database.
"""

from archive.storage.blobs import BlobRef, BlobStore, BlobWriter, FsckReport
from archive.storage.filenames import content_disposition, safe_filename
from archive.storage.multipart import (
    Upload,
    UploadInterrupted,
    is_urlencoded,
    receive_form,
    receive_form_fields,
    receive_upload,
)
from archive.storage.sniff import ALLOWED_TYPES, sniff

__all__ = [
    "ALLOWED_TYPES",
    "BlobRef",
    "BlobStore",
    "BlobWriter",
    "FsckReport",
    "Upload",
    "UploadInterrupted",
    "content_disposition",
    "is_urlencoded",
    "receive_form",
    "receive_form_fields",
    "receive_upload",
    "safe_filename",
    "sniff",
]
