"""Facts read from an evidence document's text: kind, number, date, title, issuer and more.

Pure and best effort: whatever cannot be read with reasonable confidence is None, never a
guess, and no input raises. Patterns live in ``checklist/patterns/*.yaml``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from checklist.dates import TEXT_DATE, parse_date
from checklist.textutil import fold, join_pages, load_patterns, nice_name, ocr_upper, squash
from indexer.redact import find_personal_numbers

KINDS = (
    "undang-undang",
    "peraturan-pemerintah",
    "peraturan-presiden",
    "peraturan-menteri",
    "peraturan-daerah",
    "peraturan-kepala-daerah",
    "keputusan-kepala-daerah",
    "keputusan-kepala-perangkat-daerah",
    "surat-edaran",
    "surat-tugas",
    "dpa",
    "rkpd",
    "ruk",
    "rba",
    "sop",
    "laporan",
    "laporan-monev",
    "skm",
    "mou",
    "daftar-hadir",
    "sertifikat",
    "undangan",
    "foto",
    "video",
    "other",
)
NATIONAL_KINDS = {"undang-undang", "peraturan-pemerintah", "peraturan-presiden"}

# The header (heading, number, title) sits in the first pages; 4000 characters reach a number
# printed on the second page after a short cover or letterhead.
HEADER_CHARS = 4000
_PREAMBLE = re.compile(
    r"^\W*(menimbang|mengingat|dengan\s*rahmat|memutuskan|membaca\s*:|dasar\s*:)",
    re.IGNORECASE | re.MULTILINE,
)
_NUMBER_LINE = re.compile(
    r"^[^\S\n]*(?:N\W?O\W?M\W?O\W?\W?R\b|(?:Nomor|No\.?)(?:[ \t]+[A-Za-z]{2,9})?[ \t]*:|No\.)"
    r"[^\S\n]*[:.]?[^\S\n]*(.*)$",
    re.MULTILINE,
)
_SET_BLOCK = re.compile(
    r"^\W*(di\s*tetapkan|disahkan|dikeluarkan)[ \t]*(di\b|:)", re.IGNORECASE | re.MULTILINE
)
_ON_DATE = re.compile(r"pada\s*tanggal\s*:?", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"\b(?:hari\s*/\s*)?tanggal(?:[ \t]+[A-Za-z]+){0,2}[ \t]*:[ \t]*(.{0,60})", re.IGNORECASE
)
# Agreements and minutes open with "Pada hari ini Senin tanggal ... (22-07-2024)".
_THIS_DAY = re.compile(r"pada\s+hari\s+ini\b(.{0,240})", re.IGNORECASE | re.DOTALL)
_PARTY = re.compile(r"^\W*ANTARA\s+(.+?)\s+(?:DENGAN|DAN)\b", re.MULTILINE | re.DOTALL)
_ORGANISATION = re.compile(
    r"^[ \t]*(?:Unit\s+)?(?:Organisasi|SKPD|Perangkat\s+Daerah)[ \t]*:[ \t]*[\d.]*[ \t]*(.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_PREPARED_BY = re.compile(r"disusun\s+oleh\s*:?\s*\n?((?:.+\n?){1,3})", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"(?:^|[ \t]{2,})[ \t]*([A-Z][A-Za-z.'\-]+(?:[ \t][A-Z][A-Za-z.'\-]+){0,3})[ \t]*,[ \t]*"
    + TEXT_DATE.pattern,
    re.MULTILINE,
)
_DAY_NAMES = {"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad"}
_TENTANG = re.compile(r"^\W*(TENTANG|TEMANG|T\S?NTANG|Tentang)\b[ \t:]*(.*)$", re.MULTILINE)
_TITLE_STOP = re.compile(
    r"^\W*(dengan\s*rahmat|menimbang|mengingat|memutuskan|menetapkan|membaca|memperhatikan|"
    r"yth|kepada|bab|pasal)\b|^[IVX]{1,4}\.(\s|$)",
    re.IGNORECASE,
)
_SIGNER = re.compile(
    r"^\W*(BUPATI|WALI\s*KOTA|GUBERNUR|PRESIDEN|MENTERI|KEPALA|SEKRETARIS|DIREKTUR|CAMAT|KETUA)\b.*,$"
)
_SUBJECT = re.compile(r"^[ \t]*(?:Perihal|Hal)[ \t]*:[ \t]*(.+)$", re.IGNORECASE | re.MULTILINE)
_ON_BEHALF = re.compile(
    r"\b(?:a\s?\.\s?n\s?\.?|an\.)\s*(BUPATI|WALI\s*KOTA|GUBERNUR)\b[ \t]*([A-Za-z][A-Za-z \t]*)?",
    re.IGNORECASE,
)
_REGION = re.compile(r"\b(KABUPATEN|KAB\.|KOTA|PROVINSI)\s+([A-Z][A-Z .'\-]*[A-Z])")
_HEAD_LINE = re.compile(r"^\W*(BUPATI|WALI\s*KOTA|GUBERNUR)\s+([A-Z][A-Z .'\-]*[A-Z])\W*$")
_ADDRESS = re.compile(
    r"^\W*(JALAN|JL\b|TELEPON|TELP|TLP|LAMAN|EMAIL|E-MAIL|POS-EL|WEBSITE|FAKS|FAX|KODE POS|ALAMAT)",
    re.IGNORECASE,
)
_HEADING_CUT = re.compile(r"\b(NOMOR|NO\.|TENTANG)\b|,", re.IGNORECASE)
_ROW = re.compile(r"^[^\S\n]*\|?[^\S\n]*(\d{1,3})[.)]?(?:[^\S\n|]*\|?[^\S\n]+\S|[^\S\n]*$)")
_TABLE_HEADER = re.compile(
    r"\bnama\b.*\b(no|jabatan|nip|nik|instansi|unit|tanda|alamat|keterangan|ttd|paraf|pangkat)\b"
    r"|\b(no|nomor)\b.*\bnama\b|^\W*nama\W*$",
    re.IGNORECASE,
)
# Assignment letters list people as "1. Nama : ...".
_LISTED_NAME = re.compile(
    r"^[^\S\n]*(\d{1,3})[.)]?[^\S\n]*Nama[^\S\n]*:", re.IGNORECASE | re.MULTILINE
)


@cache
def _kind_rules() -> list[tuple[str, list[re.Pattern[str]]]]:
    """Kind rules from kinds.yaml, spaces widened to optional whitespace."""
    rules = []
    for rule in load_patterns("kinds.yaml")["rules"]:
        compiled = [re.compile(p.replace(" ", r"\s*"), re.MULTILINE) for p in rule["patterns"]]
        rules.append((rule["kind"], compiled))
    return rules


def _header(text: str) -> str:
    """The document header: the first characters up to the preamble."""
    head = text[:HEADER_CHARS]
    cut = _PREAMBLE.search(head, 30)
    return head[: cut.start()] if cut else head


def _detect_kind(header: str) -> tuple[str, int]:
    """Kind of the earliest heading in the header and where it starts (-1 when none)."""
    best: tuple[int, int, str] | None = None
    for order, (kind, patterns) in enumerate(_kind_rules()):
        for pattern in patterns:
            m = pattern.search(header)
            if not m:
                continue
            word = re.search(r"\w", m.group())
            pos = m.start() + (word.start() if word else 0)
            if best is None or (pos, order) < best[:2]:
                best = (pos, order, kind)
    return (best[2], best[0]) if best else ("other", -1)


def _clean_number(raw: str) -> str | None:
    """The number as written, trimmed of columns, trailing dots and OCR slips."""
    s = re.split(r"[ \t]{3,}|\t", raw.strip())[0]
    s = re.split(r"(?i)\b(tanggal|tgl|sifat|lampiran|perihal|hal)\b", s)[0]
    s = re.split(r"\s+[A-Z][a-z]+,\s*\d", s)[0]
    s = squash(s).strip(" .:;,…-~_")
    s = re.sub(r"(?<=\s)[lI](?=\s)", "1", f" {s} ").strip()
    s = re.sub(r"(?<=\d)[Oo]|[Oo](?=\d)", "0", s)
    return s if re.search(r"\d", s) else None


def _number(header: str) -> str | None:
    """Number written after NOMOR in the header; joins "21" + "TAHUN 2019" split over lines."""
    # The heading's upper-case NOMOR outranks "Nomor :"/"No." lines (letters, gazette refs).
    matches = list(_NUMBER_LINE.finditer(header))
    matches.sort(key=lambda m: (not m.group().lstrip().startswith("NO"), m.start()))
    for m in matches:
        rest = m.group(1)
        following = [ln.strip() for ln in header[m.end() :].splitlines() if ln.strip()][:2]
        if not rest.strip() and following:
            rest = following.pop(0)
        number = _clean_number(rest)
        if (
            number
            and re.fullmatch(r"\d+", number)
            and following
            and re.match(r"TAHUN\s+\d{4}", following[0], re.IGNORECASE)
        ):
            number = f"{number} {squash(following[0])}"
        if number:
            return number
    return None


def _date(text: str) -> str | None:
    """Date the document was set: Ditetapkan block, else a dated place line, else a date label."""
    block = _SET_BLOCK.search(text)
    if block:
        window = text[block.end() : block.end() + 160]
        on = _ON_DATE.search(window)
        # A set-date block whose date is illegible gives None rather than some other date.
        return parse_date(window[on.end() : on.end() + 45] if on else window[:100])
    head = text[:20000]
    for m in _PLACE_DATE.finditer(head):
        if m.group(1).split()[0].lower() in _DAY_NAMES:
            continue
        found = parse_date(m.group(0))
        if found:
            return found
    for m in _DATE_LABEL.finditer(head):
        found = parse_date(m.group(1))
        if found:
            return found
    this_day = _THIS_DAY.search(head[:HEADER_CHARS])
    if this_day and parse_date(this_day.group(1)):
        return parse_date(this_day.group(1))
    iso = re.search(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)", head[:HEADER_CHARS])
    return parse_date(iso.group(0)) if iso else None


def _title(header: str, start: int) -> str | None:
    """TENTANG text joined over lines up to the preamble, else the letter's Perihal."""
    m = _TENTANG.search(header, max(start, 0))
    if m:
        upper_mode = m.group(1).isupper()
        parts = [m.group(2).strip()] if m.group(2).strip() else []
        blank = 0
        for line in header[m.end() :].split("\n")[1:]:
            s = line.strip()
            if not s:
                blank += 1
                if (parts and not upper_mode) or blank > 2:
                    break
                continue
            blank = 0
            if _TITLE_STOP.match(s) or len(parts) >= 8:
                break
            if parts and (_SIGNER.match(s) or (upper_mode and not _mostly_upper(s))):
                break
            parts.append(s)
        title = ""
        for part in parts:
            title += part if title.endswith("-") else f" {part}"
        title = _repair(squash(title).strip(" ,;:"))
        if title:
            return title
    subject = _SUBJECT.search(header)
    return (squash(subject.group(1)).strip(" ,;:") or None) if subject else None


def _repair(text: str) -> str:
    """Undo OCR slips in an upper-case title: "MENTER!" -> "MENTERI", "2OI5" -> "2015"."""
    text = ocr_upper(text)
    text = re.sub(r"(?<=\d)[Oo]|[Oo](?=\d)", "0", text)
    text = re.sub(r"(?<=\d)[Il](?=\d)|(?<=\d\d)[Il]", "1", text)
    return re.sub(r"(?<=\d)[Oo]|[Oo](?=\d)", "0", text)


def _mostly_upper(line: str) -> bool:
    """Whether a line is upper case, tolerating a few OCR'd lower-case letters."""
    upper = sum(c.isupper() for c in line)
    return upper > 0 and sum(c.islower() for c in line) * 5 <= upper


def _heading(header: str, start: int) -> str:
    """The kind heading as one upper-case line, cut before NOMOR/TENTANG."""
    if start < 0:
        return ""
    text = squash(ocr_upper(header[start : start + 300]))
    return _HEADING_CUT.split(text, maxsplit=1)[0].strip()


def _region_name(kind_word: str, name: str) -> str | None:
    """'Kabupaten Balangan' from ('KABUPATEN', 'BALANGAN'), None when the name is empty."""
    name = squash(re.sub(r"\b(REPUBLIK INDONESIA|NOMOR|TENTANG|TAHUN)\b.*$", "", name)).strip(" ,.")
    if not name:
        return None
    word = {"KAB.": "Kabupaten"}.get(kind_word.upper(), kind_word.capitalize())
    return f"{word} {nice_name(name)}"


def _head_region(title: str, name: str) -> str | None:
    """Region headed by a BUPATI/WALIKOTA/GUBERNUR of that name."""
    heads = load_patterns("offices.yaml")["heads"]
    word = heads.get(squash(title.upper()).replace("WALI KOTA", "WALIKOTA"), "")
    return _region_name(word, name) if word else None


def _letterhead(text: str) -> tuple[str | None, str | None]:
    """(office, region) from the letterhead lines and cover block at the top of the document."""
    units = load_patterns("offices.yaml")["units"]
    unit_start = re.compile(r"^(" + "|".join(re.escape(u) for u in units) + r")\b")
    region = office = None
    current: list[str] = []
    since_heading = -1  # lines since the kind heading; -1 before it
    in_block = False  # still inside the upper-case block that starts with the heading
    lines = [ocr_upper(ln.strip()) for ln in text[:1500].splitlines() if ln.strip()][:16]
    for line in lines:
        if _ADDRESS.match(line):
            break
        if since_heading >= 0:
            since_heading += 1
        if _detect_kind(line)[1] >= 0 and "PEMERINTAH" not in line:
            since_heading, current, in_block = 0, [], True
            continue
        if not line.isupper():
            current, in_block = [], False
            continue
        gov = re.match(r"^\W*PEMERINTAH\s+(KABUPATEN|KAB\.|KOTA|PROVINSI)\s+(.+)$", line)
        head = _HEAD_LINE.match(line)
        bare = re.match(r"^\W*(KABUPATEN|KOTA|PROVINSI)\s+([A-Z][A-Z .'\-]*[A-Z])\W*$", line)
        if gov or head or bare:
            if region is None:
                found = gov or bare
                region = _region_name(found.group(1), found.group(2)) if found else None
                region = region or (_head_region(head.group(1), head.group(2)) if head else None)
            current = []
            continue
        # After the heading only a unit naming the document's owner counts (cover pages).
        if since_heading >= 0 and (since_heading > 3 or office or not in_block):
            continue
        if unit_start.match(line):
            # A section (BAGIAN, BIDANG) is named together with the unit above it.
            parent = current if re.match(r"^(BAGIAN|BIDANG|SUB)\b", line) else []
            current = [line, *parent]
        elif (
            current
            and re.search(r"(\bDAN|\bSERTA|,|&)$", current[-1])
            and not re.search(r"\d", line)
        ):
            current.append(line)  # a unit name wrapped over two lines
        else:
            current = []
            continue
        office = squash(" ".join(current))
    if office:
        office = squash(re.sub(r"\(.*?\)", "", office)).strip(" ,.")
    return office or None, region


def _office_issuer(office: str, region: str | None) -> str:
    """Office name followed by its region unless the name already includes one."""
    name = nice_name(office)
    key = fold(re.sub(r"^(Kabupaten|Kota|Provinsi)\s+", "", region or ""))
    if region and not _REGION.search(office.upper()) and key not in fold(office):
        name = f"{name} {region}"
    return name


def _official_office(subject: str) -> str:
    """Office headed by the official a decree heading names ("SEKRETARIS DAERAH X" -> ...)."""
    subject = re.sub(r"^(PLT|PLH)\.?\s*", "", subject)
    officials = load_patterns("offices.yaml")["officials"]
    for title in sorted(officials, key=len, reverse=True):
        if subject.startswith(title + " ") or subject == title:
            replaced = officials[title]
            return squash(f"{replaced} {subject[len(title) :]}")
    return re.sub(r"^KEPALA\s+", "", subject)


def _issuer(kind: str, heading: str, text: str) -> tuple[str | None, str | None]:
    """(issuer, region) following the labels.csv convention."""
    if kind in NATIONAL_KINDS:
        return "Republik Indonesia", None
    office, lh_region = _letterhead(text)
    subject = re.sub(r"^\W*(SURAT\s*)?(PERATURAN|KEPUTUSAN|EDARAN|INSTRUKSI)\s*", "", heading)
    subject = re.sub(r"^(SURAT\s*)?EDARAN\s*", "", subject)
    if kind == "peraturan-menteri":
        name = re.sub(r"^MENTERI\s*|\s*REPUBLIK\s*INDONESIA.*$", "", subject).strip()
        return (f"Kementerian {nice_name(name)}" if name else None), None
    head = re.match(r"^(BUPATI|WALI\s*KOTA|GUBERNUR)\s*(.*)$", subject)
    if head:
        region = _head_region(head.group(1), head.group(2)) or lh_region
        region = region or _signer_region(text)
        return region, region
    if kind == "peraturan-daerah":
        regional = re.match(r"^DAERAH\s+(KABUPATEN|KAB\.|KOTA|PROVINSI)\s+(.*)$", subject)
        region = _region_name(*regional.groups()) if regional else lh_region
        region = region or _signer_region(text)
        return region, region
    if kind == "keputusan-kepala-perangkat-daerah" or (
        kind == "surat-edaran" and re.match(r"^(KEPALA|SEKRETARIS|DIREKTUR|CAMAT)\b", subject)
    ):
        found = _official_office(subject)
        if found:
            region = _region_of(found) or lh_region
            return _office_issuer(found, lh_region), region
    if kind == "other":
        bodies = load_patterns("offices.yaml")["bodies"]
        for body in sorted(bodies, key=len, reverse=True):
            if re.match(re.escape(body).replace(r"\ ", r"\s*") + r"\b", subject):
                return bodies[body], None
        ministry = re.search(r"^\W*KEMENTERIAN\s+([A-Z ]+?)\s*$", ocr_upper(text[:400]), re.M)
        if ministry:
            return f"Kementerian {nice_name(ministry.group(1))}", None
    if kind == "mou":
        party = _PARTY.search(ocr_upper(text[:HEADER_CHARS]))
        if party:
            return _named_body(squash(party.group(1)), lh_region)
    if not office:
        # Budget documents name their unit in a field; reports on the cover ("Disusun oleh").
        top = text[:HEADER_CHARS]
        field = _ORGANISATION.search(top) or _PREPARED_BY.search(top)
        if field:
            named = _named_body(squash(field.group(1)).upper(), lh_region)
            if named[0]:
                return named
    if office:
        return _office_issuer(office, lh_region), lh_region
    region = lh_region or _signer_region(text)
    return region, region


def _named_body(name: str, region: str | None) -> tuple[str | None, str | None]:
    """(issuer, region) for a body named in running text: a government or one of its units."""
    name = re.sub(r"\(.*?\)", "", name).strip(" ,.;:")
    gov = re.match(r"^PEMERINTAH\s+(KABUPATEN|KAB\.|KOTA|PROVINSI)\s+([A-Z .'\-]+)$", name)
    if gov:
        found = _region_name(gov.group(1), gov.group(2))
        return found, found
    units = load_patterns("offices.yaml")["units"]
    if not re.match(r"^(" + "|".join(re.escape(u) for u in units) + r")\b", name):
        return None, region
    return _office_issuer(name, region), _region_of(name) or region


def _region_of(name: str) -> str | None:
    """'Provinsi Kalimantan Barat' when an upper-case name contains one."""
    m = _REGION.search(name.upper())
    return _region_name(m.group(1), m.group(2)) if m else None


def _signer_region(text: str) -> str | None:
    """Region of a regional head signing on a line of its own ("BUPATI KOTABARU,")."""
    for line in text[:30000].splitlines():
        m = _HEAD_LINE.match(ocr_upper(line.strip()))
        if m:
            return _head_region(m.group(1), m.group(2))
    return None


def _on_behalf(text: str) -> str | None:
    """Region of the head a decree is signed for ("a.n. BUPATI BALANGAN"); '' if unnamed."""
    block = _SET_BLOCK.search(text)
    zone = text[block.start() : block.start() + 800] if block else text[-3000:]
    m = _ON_BEHALF.search(zone)
    if not m:
        return None
    name = (m.group(2) or "").splitlines()[0] if m.group(2) else ""
    name = re.split(r"\s{2,}|,", name)[0].strip().upper()
    return _head_region(m.group(1), name) if name else ""


def _variants(name: str) -> list[str]:
    """A name, its parenthesised short name, and the name without it."""
    out = [name]
    inner = re.findall(r"\(([^)]+)\)", name)
    out += inner
    if inner:
        out.append(re.sub(r"\([^)]*\)", " ", name))
    return [v for v in out if len(fold(v)) >= 4]


def names_innovation(text: str, names: list[str] | None) -> bool | None:
    """Whether the text names the innovation (case, line breaks, hyphenation, acronym tolerant)."""
    if not names:
        return None
    folded = fold(text)
    compact = folded.replace(" ", "")
    for name in names:
        for variant in _variants(name):
            f = fold(variant)
            if re.search(rf"(?<![0-9a-z]){re.escape(f)}(?![0-9a-z])", folded):
                return True
            if len(f.replace(" ", "")) >= 8 and f.replace(" ", "") in compact:
                return True
            words = [w for w in re.findall(r"[A-Za-z]+", variant) if w.lower() not in {"dan", "di"}]
            acronym = "".join(w[0] for w in words).upper()
            if len(words) >= 3 and re.search(rf"\b{acronym}\b", text):
                return True
    return False


def personal_ids(text: str) -> list[dict[str, Any]]:
    """NIP (18 digits) and NIK (16 digits) in text: type, span [start, end) and page index.

    Found by ``indexer.redact``, the one module that knows their shapes; pages are counted by
    form feeds, as read_facts joins a list of pages with "\\f".
    """
    return [
        {"type": kind, "span": [start, end], "page": text.count("\f", 0, start)}
        for kind, start, end in find_personal_numbers(text)
    ]


def people_count(text: str) -> int | None:
    """Rows of the name tables (attendance list, SK attachment); None when there is none."""
    lines = text.splitlines()
    total = 0
    used = -1
    for i, line in enumerate(lines):
        if i <= used or len(line) > 160 or not _TABLE_HEADER.search(line):
            continue
        expected, idle = 1, 0
        for j in range(i + 1, len(lines)):
            m = _ROW.match(lines[j])
            if m and int(m.group(1)) == expected:
                expected, idle, used = expected + 1, 0, j
            elif m and int(m.group(1)) == 1 and expected > 2:
                break
            else:
                idle += 1
                if idle > 40 or (expected > 1 and _TABLE_HEADER.search(lines[j])):
                    break
        total += expected - 1
    if not total:
        expected = 1
        for m in _LISTED_NAME.finditer(text):
            if int(m.group(1)) == expected:
                expected += 1
        total = expected - 1
    return total or None


def _empty(names: list[str] | None) -> dict[str, Any]:
    """Facts of a document nothing could be read from."""
    return {
        "kind": "other",
        "number": None,
        "date": None,
        "title": None,
        "issuer": None,
        "region": None,
        "foreign_region": None,
        "names_innovation": False if names else None,
        "people_count": None,
        "personal_ids": [],
    }


def _same_region(a: str, b: str) -> bool:
    """Whether two region names denote the same region ("Balangan" ~ "Kabupaten Balangan")."""
    strip = re.compile(r"^(kabupaten|kab|kota|provinsi|pemerintah)\s+")
    fa, fb = fold(a), fold(b)
    while strip.match(fa) or strip.match(fb):
        fa, fb = strip.sub("", fa), strip.sub("", fb)
    return fa == fb


def read_facts(
    text: str | list[str],
    innovation_names: list[str] | None = None,
    region: str | None = None,
) -> dict[str, Any]:
    """Facts of one document (text or list of page texts); unreadable facts are None.

    Returns kind, number, date (ISO), title, issuer, region (the issuing region, None for
    national bodies), foreign_region (issuing region differs from ``region``; None when either
    is unknown), names_innovation (None without names), people_count and personal_ids (spans
    into the pages joined with form feeds).
    """
    try:
        return _read(join_pages(text), innovation_names, region)
    except Exception:  # pragma: no cover - last resort: hostile text must never break ingestion
        return _empty(innovation_names)


def _read(text: str, names: list[str] | None, home: str | None) -> dict[str, Any]:
    """read_facts on a joined text."""
    facts = _empty(names)
    if not text.strip():
        return facts
    header = _header(text)
    kind, start = _detect_kind(ocr_upper(header))
    heading = _heading(header, start)
    issuer, region = _issuer(kind, heading, text)
    if kind == "keputusan-kepala-perangkat-daerah":
        behalf = _on_behalf(text)
        if behalf is not None:
            # Signed "a.n." the regional head: legally the head's decree (CONTRACT.md).
            kind = "keputusan-kepala-daerah"
            region = behalf or region
            issuer = region
    facts.update(
        kind=kind,
        number=_number(header),
        date=_date(text),
        title=_title(header, start),
        issuer=issuer,
        region=region,
        names_innovation=names_innovation(text, names),
        people_count=people_count(text),
        personal_ids=personal_ids(text),
    )
    if home and region:
        facts["foreign_region"] = not _same_region(home, region)
    return facts
