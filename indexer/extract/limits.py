"""Resource limits for parsing untrusted files, in one place so they are easy to audit."""

# ZIP containers (DOCX, XLSX): checked from the central directory before any parsing.
ZIP_MAX_ENTRIES = 5_000
# python-docx loads every part into memory, so the declared total must fit well under 1 GB.
ZIP_MAX_TOTAL_BYTES = 300 * 1024 * 1024
ZIP_MAX_ENTRY_BYTES = 200 * 1024 * 1024
# Deflate of real XML rarely passes 100:1; a bomb of zeros reaches about 1000:1.
ZIP_MAX_RATIO = 200
# Tiny entries may compress absurdly well without being dangerous.
ZIP_RATIO_MIN_BYTES = 1024 * 1024

# Images: refused from the header alone, before any pixel is decoded.
IMAGE_MAX_PIXELS = 100_000_000
IMAGE_MAX_FRAMES = 200
# Larger images are scaled down before OCR; Tesseract gains nothing beyond ~300 dpi A3.
OCR_MAX_PIXELS = 24_000_000

# OCR of PDF pages.
OCR_DPI = 250
OCR_PAGE_TIMEOUT_S = 120.0
OCR_MAX_PAGES = 500
# A page with fewer visible characters than this is treated as a scan.
MIN_PAGE_CHARS = 20

# Extracted text beyond this is cut off (and flagged) so one file cannot flood the database.
MAX_TOTAL_CHARS = 5_000_000

# Plain-text files are read whole; larger ones are cut at this size.
TEXT_MAX_BYTES = 20 * 1024 * 1024
