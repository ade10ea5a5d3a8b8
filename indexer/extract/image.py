"""Images (scans, photos of decrees): size checks from the header, then OCR."""

from __future__ import annotations

import time
import warnings

from PIL import ExifTags, Image, UnidentifiedImageError

from indexer.extract import limits, ocr
from indexer.extract.result import ExtractionResult, failed, from_pages

# PIL's own bomb guard: above this it warns, above twice this it raises. Our check below
# refuses earlier with a clearer reason; the warning is turned into an error just in case.
Image.MAX_IMAGE_PIXELS = limits.IMAGE_MAX_PIXELS


class ImageRefused(ValueError):
    """The image is refused before decoding."""


def open_checked(path: str) -> Image.Image:
    """Open an image lazily (header only) and refuse it if it is too large."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused(
            f"image too large (over {limits.IMAGE_MAX_PIXELS:,} pixels), refused before decoding"
        ) from exc
    except UnidentifiedImageError as exc:
        raise ImageRefused("not a readable image") from exc
    width, height = img.size
    if width * height > limits.IMAGE_MAX_PIXELS:
        img.close()
        raise ImageRefused(
            f"image too large: {width} x {height} pixels "
            f"(limit {limits.IMAGE_MAX_PIXELS:,} pixels), refused before decoding"
        )
    return img


def extract_image(path: str, *, ocr_enabled: bool = True) -> ExtractionResult:
    """OCR every frame of an image; `no_text` when OCR is unavailable or finds nothing."""
    try:
        img = open_checked(path)
    except ImageRefused as exc:
        return failed(str(exc))
    except OSError as exc:
        return failed(f"cannot read image: {exc}")
    with img:
        frames = getattr(img, "n_frames", 1)
        meta = {"format": img.format, "width": img.width, "height": img.height, "frames": frames}
        if frames > limits.IMAGE_MAX_FRAMES:
            return failed(f"image has too many frames ({frames})", **meta)
        if not (ocr_enabled and ocr.available()):
            # Still decode once, so a corrupt file is reported as such.
            try:
                img.load()
            except Exception as exc:  # PIL raises OSError, SyntaxError, ValueError...
                return failed(f"corrupt image: {exc}", **meta)
            return from_pages([""], meta=meta, empty_reason=ocr.unavailable_reason())
        pages: list[str] = []
        started = time.monotonic()
        try:
            for index in range(frames):
                img.seek(index)
                dpi = img.info.get("dpi")
                pages.append(ocr.ocr_image(_grayscale_frame(img), dpi=_dpi(dpi)))
        except ocr.OcrError as exc:
            return failed(str(exc), **meta)
        except Exception as exc:  # decoding errors of a corrupt file
            return failed(f"corrupt image: {type(exc).__name__}: {exc}", **meta)
        meta["ocr_seconds"] = round(time.monotonic() - started, 3)
        return from_pages(pages, ocr=True, meta=meta, empty_reason="OCR found no text")


def _grayscale_frame(img: Image.Image) -> Image.Image:
    """The current frame decoded in grayscale, upright, at no more than OCR needs."""
    if img.format == "JPEG" and img.width * img.height > limits.OCR_MAX_PIXELS:
        # JPEG can decode at 1/2, 1/4 or 1/8 scale directly: far less memory for huge photos.
        scale = (limits.OCR_MAX_PIXELS / (img.width * img.height)) ** 0.5
        img.draft("L", (int(img.width * scale), int(img.height * scale)))
    orientation = img.getexif().get(ExifTags.Base.Orientation, 1)
    frame = img.convert("L")
    # Phone photos are stored sideways with an EXIF rotation flag.
    method = _ORIENTATION.get(orientation)
    return frame.transpose(method) if method is not None else frame


_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _dpi(dpi: object) -> int | None:
    try:
        value = float(dpi[0])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    return int(value) if 70 <= value <= 1200 else None
