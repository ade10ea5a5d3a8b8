"""OCR through the Tesseract command line, run as its own process without our memory limit."""

from __future__ import annotations

import functools
import io
import os
import resource
import shutil
import subprocess

from PIL import Image

from indexer.extract import limits

LANGUAGES = "ind+eng"


class OcrError(RuntimeError):
    """Tesseract failed on one image."""


@functools.cache
def tesseract_path() -> str | None:
    """Path of a Tesseract that has Indonesian installed, else None."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, env=_env()
        )
    except (OSError, subprocess.SubprocessError):
        return None
    langs = set(out.stdout.split())
    return exe if {"ind", "eng"} <= langs else None


def available() -> bool:
    """True when OCR can run here."""
    return tesseract_path() is not None


def unavailable_reason() -> str:
    """Why OCR cannot run, for a `no_text` reason."""
    if shutil.which("tesseract") is None:
        return "no text layer and OCR is not available (tesseract not installed)"
    return "no text layer and OCR is not available (tesseract language 'ind' or 'eng' missing)"


def _env() -> dict[str, str]:
    # One thread per OCR: the supervisor already runs one job per core.
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _lift_memory_limit() -> None:
    # Runs in the forked child before exec: a tight RLIMIT_AS makes Tesseract fail to
    # allocate, so it gets the hard limit instead. The page timeout still bounds it.
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def prepare(image: Image.Image) -> Image.Image:
    """Grayscale copy, scaled down when larger than Tesseract needs."""
    img = image.convert("L")
    pixels = img.width * img.height
    if pixels > limits.OCR_MAX_PIXELS:
        scale = (limits.OCR_MAX_PIXELS / pixels) ** 0.5
        size = (max(1, int(img.width * scale)), max(1, int(img.height * scale)))
        img = img.resize(size, Image.Resampling.LANCZOS)
    return img


def ocr_image(
    image: Image.Image, *, dpi: int | None = None, timeout_s: float = limits.OCR_PAGE_TIMEOUT_S
) -> str:
    """Text Tesseract reads in `image`; raises OcrError on failure or timeout."""
    exe = tesseract_path()
    if exe is None:
        raise OcrError(unavailable_reason())
    buf = io.BytesIO()
    prepare(image).save(buf, format="PNG", compress_level=1)
    cmd = [exe, "-", "-", "-l", LANGUAGES]
    if dpi:
        cmd += ["--dpi", str(dpi)]
    try:
        proc = subprocess.run(
            cmd,
            input=buf.getvalue(),
            capture_output=True,
            timeout=timeout_s,
            env=_env(),
            # preexec_fn is safe here: the sandbox child runs no other threads.
            preexec_fn=_lift_memory_limit,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"OCR timeout after {timeout_s:.0f} s") from exc
    except OSError as exc:
        raise OcrError(f"cannot run tesseract: {exc}") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract exit {proc.returncode}: {err[-1] if err else ''}")
    return proc.stdout.decode("utf-8", "replace").replace("\f", "").strip()
