"""The level an indicator's documents support, per derivation method, and why not more."""

from __future__ import annotations

from dataclasses import dataclass, field

from checklist.evidence import Item
from checklist.findings import ERROR, WARNING, finding, join_or
from checklist.issuer import names_other_region
from checklist.rulepack import LEVELS, Indicator, LevelRule, RulePack
from checklist.types import Finding, Severity

_VISUAL_TYPES = {"jpg", "jpeg", "png", "mp4", "mov", "link"}


@dataclass(frozen=True, slots=True)
class Context:
    """Everything about one innovation that the checks need besides its evidence."""

    pack: RulePack
    year: int
    region: str | None
    unit_kind: str | None
    innovation_name: str | None


@dataclass(slots=True)
class Outcome:
    """What the machine concluded for one indicator."""

    supported: int | None = 0
    findings: list[Finding] = field(default_factory=list)
    pending: int = 0
    reviewable: bool = False
    explained: bool = False  # a specific reason (TOO_FEW, ...) for a shortfall was already given

    def add(self, code: str, severity: Severity, message: str) -> None:
        """Record one finding."""
        self.findings.append(finding(code, severity, message))


def _kind_labels(pack: RulePack, kinds: list[str] | set[str]) -> str:
    """Indonesian labels of kinds joined with 'atau'."""
    return join_or([pack.kind_label(kind) for kind in sorted(kinds)])


def _years(year: int, offsets: list[int] | set[int]) -> str:
    """'2024, 2025 atau 2026' for offsets from T."""
    return join_or([str(year - offset) for offset in sorted(offsets, reverse=True)])


def _target_level(claimed: int) -> int:
    """The level the admin is aiming at: the claim, or level 1 when nothing is claimed."""
    return claimed if claimed in LEVELS else 1


def _file_types(indicator: Indicator) -> str:
    """'PDF, JPG atau tautan'."""
    names = ["tautan" if kind == "link" else kind.upper() for kind in indicator.file_types]
    return join_or(list(dict.fromkeys(names)))


def _needs_kind(indicator: Indicator) -> bool:
    """Methods that cannot judge a document without knowing its kind."""
    if indicator.method in ("by_kind", "by_window"):
        return True
    return (
        indicator.method == "by_count"
        and indicator.count is not None
        and (indicator.count.source in ("sessions", "distinct_issuers"))
    )


def screen(
    indicator: Indicator, items: list[Item], ctx: Context, claimed: int
) -> tuple[list[Item], Outcome]:
    """Split items into those the level derivation may use, and findings for the rest."""
    out = Outcome()
    usable: list[Item] = []
    types = set(indicator.file_types) | ({"jpg"} if "jpeg" in indicator.file_types else set())
    visual_ok = bool(types & _VISUAL_TYPES)
    accepted = indicator.accepted_kinds(ctx.unit_kind)
    counts_any_file = indicator.count is not None and indicator.count.source == "documents"
    for item in items:
        if item.status == "pending":
            out.pending += 1
            continue
        if item.file_type and item.file_type not in types:
            out.add(
                "WRONG_FILE_TYPE",
                WARNING,
                f"Berkas '{item.label}' berformat {item.file_type.upper()}; untuk {indicator.name} "
                f"unggah berkas {_file_types(indicator)}.",
            )
        if item.status in ("encrypted", "failed") and not item.has_facts:
            reason = (
                "terkunci kata sandi" if item.status == "encrypted" else "rusak atau gagal dibaca"
            )
            out.add(
                "UNREADABLE",
                ERROR,
                f"Berkas '{item.label}' tidak dapat dibuka ({reason}). Unggah ulang berkas "
                f"yang utuh dan tanpa kata sandi: {indicator.evidence}",
            )
            continue
        if indicator.method == "verifier_only" or counts_any_file:
            usable.append(item)
            continue
        if not item.has_facts:
            if item.visual and visual_ok:
                out.reviewable = (
                    True  # a photo or screenshot the guidance asks for: a person reads it
                )
                continue
            if item.status == "no_text":
                out.add(
                    "NO_TEXT",
                    WARNING,
                    f"'{item.label}' adalah hasil pindai tanpa lapisan teks sehingga isinya belum "
                    "terbaca. Unggah PDF asli (hasil ekspor, bukan foto atau pindaian), atau isi "
                    "jenis, nomor dan tanggal dokumen secara manual.",
                )
                continue
            if item.status == "not_applicable":
                out.add(
                    "WRONG_FILE_TYPE",
                    ERROR,
                    f"'{item.label}' berupa video atau tautan yang tidak dapat dibaca untuk "
                    f"{indicator.name}. Unggah berkas {_file_types(indicator)}: "
                    f"{indicator.evidence}",
                )
                continue
            if _needs_kind(indicator) or (
                item.value is None and item.people_count is None and item.count is None
            ):
                out.add(
                    "KIND_UNKNOWN",
                    WARNING,
                    f"Jenis dokumen '{item.label}' belum dikenali. Isi jenis dokumen secara "
                    f"manual, atau unggah: {indicator.evidence}",
                )
                continue
        if item.kind is not None and item.kind not in accepted:
            out.add("WRONG_KIND", ERROR, _wrong_kind(indicator, item, ctx, claimed))
            continue
        if indicator.check_issuer and names_other_region(item.issuer, ctx.region):
            out.add(
                "ISSUER_MISMATCH",
                ERROR,
                f"'{item.label}' diterbitkan oleh {item.issuer}, bukan oleh {ctx.region}. Unggah "
                "dokumen yang diterbitkan pemerintah daerah sendiri.",
            )
            continue
        if not _in_window(indicator, item, ctx, out):
            continue
        usable.append(item)
    return usable, out


def _wrong_kind(indicator: Indicator, item: Item, ctx: Context, claimed: int) -> str:
    """Say what the document is and exactly what to upload instead."""
    pack = ctx.pack
    head = (
        f"'{item.label}' terbaca sebagai {pack.kind_label(item.kind)}, yang tidak diterima untuk "
        f"{indicator.name} pada penilaian {pack.year}."
    )
    if indicator.method == "by_kind":
        level = _target_level(claimed)
        rule = indicator.levels[level]
        return f"{head} Untuk tingkat {level} unggah {_kind_labels(pack, rule.kinds)}."
    kinds = set(indicator.kinds) | set(indicator.unit_kinds.get(ctx.unit_kind or "", []))
    if kinds:
        return f"{head} Unggah {_kind_labels(pack, kinds)}. {indicator.evidence}"
    return f"{head} Unggah: {indicator.evidence}"


def _in_window(indicator: Indicator, item: Item, ctx: Context, out: Outcome) -> bool:
    """Whether the item's year counts for the indicator; records OUT_OF_WINDOW / NO_DATE."""
    year = ctx.year
    reference = (
        item.year if indicator.method == "by_window" else (item.date.year if item.date else None)
    )
    if reference is None:
        if indicator.method == "by_window":
            out.add(
                "NO_DATE",
                WARNING,
                f"Tahun anggaran atau tanggal '{item.label}' tidak terbaca. Isi tanggal dokumen, "
                "atau unggah halaman sampul yang memuat tahun anggarannya.",
            )
            return False
        return True
    if reference > year:
        out.add(
            "OUT_OF_WINDOW",
            ERROR,
            f"'{item.label}' bertahun {reference}, sesudah tahun penilaian {year}. Periksa tanggal "
            "dokumen atau unggah dokumen yang sudah berlaku.",
        )
        return False
    window = indicator.window
    if window is not None and (year - reference) not in window:
        out.add(
            "OUT_OF_WINDOW",
            ERROR,
            f"'{item.label}' bertahun {reference}, di luar periode yang dihitung untuk penilaian "
            f"{year} (tahun {_years(year, window)}). Unggah: {indicator.evidence}",
        )
        return False
    return True


def derive(
    indicator: Indicator,
    usable: list[Item],
    ctx: Context,
    out: Outcome,
    claimed: int,
    basis: str | None,
) -> None:
    """Set out.supported (and findings) with the method the rule pack names."""
    method = indicator.method
    if method == "verifier_only":
        out.supported = None
        out.reviewable = bool(usable) or out.reviewable
        return
    if method == "by_kind":
        _by_kind(indicator, usable, ctx, out, claimed)
    elif method == "by_window":
        _by_window(indicator, usable, ctx, out, claimed)
    elif method == "by_count":
        _by_count(indicator, usable, ctx, out, claimed)
    else:
        _by_value(indicator, usable, ctx, out, claimed, basis)


def _by_kind(
    indicator: Indicator, usable: list[Item], ctx: Context, out: Outcome, claimed: int
) -> None:
    """Highest level with a document of a listed kind that passes the level's conditions."""
    pack = ctx.pack
    supported = 0
    for level in LEVELS:
        rule = indicator.levels[level]
        if not any(
            _passes(rule, item, indicator, ctx, out) for item in usable if item.kind in rule.kinds
        ):
            continue
        if rule.with_any and not any(
            item.kind in rule.with_any and item.named is not False for item in usable
        ):
            out.add(
                "MISSING_PART",
                ERROR,
                f"{pack.kind_label(rule.kinds[0])} harus disertai "
                f"{_kind_labels(pack, rule.with_any)} "
                "yang memuat daftar inovasi. Unggah dokumen tersebut agar tingkat "
                f"{level} terpenuhi.",
            )
            out.explained = out.explained or claimed >= level
            continue
        if rule.review:
            # The kind fits but only a person can tell this level apart (e.g. external monev).
            out.reviewable = out.reviewable or claimed >= level
            continue
        supported = level
    out.supported = supported
    if claimed > supported and not out.explained and not out.reviewable:
        rule = indicator.levels[claimed]
        need = _kind_labels(pack, rule.kinds)
        if rule.with_any:
            need += f" beserta {_kind_labels(pack, rule.with_any)} yang memuat daftar inovasi"
        elif rule.named:
            need += " yang memuat nama inovasi"
        _claim_above(indicator, out, claimed, f"Untuk tingkat {claimed} unggah {need}.")


def _passes(rule: LevelRule, item: Item, indicator: Indicator, ctx: Context, out: Outcome) -> bool:
    """Level conditions on one document: names the innovation, set before the year."""
    if rule.named and item.named is False:
        name = f" '{ctx.innovation_name}'" if ctx.innovation_name else ""
        out.add(
            "NOT_NAMED",
            ERROR,
            f"'{item.label}' tidak menyebut nama inovasi{name}. Unggah juga halaman atau lampiran "
            "dokumen yang memuat nama inovasi.",
        )
        return False
    if rule.issued_before_year and item.date is not None and item.date.year >= ctx.year:
        out.add(
            "OUT_OF_WINDOW",
            ERROR,
            f"'{item.label}' ditetapkan tahun {item.date.year}; {ctx.pack.kind_label(item.kind)} "
            f"harus sudah ditetapkan sebelum tahun penilaian {ctx.year}.",
        )
        return False
    return True


def _by_window(
    indicator: Indicator, usable: list[Item], ctx: Context, out: Outcome, claimed: int
) -> None:
    """Highest level whose required years (T-0, T-1, T-2) are all covered by documents."""
    covered = {ctx.year - item.year for item in usable if item.year is not None}
    supported = 0
    for level in LEVELS:
        if any(set(group) <= covered for group in indicator.levels[level].years):
            supported = level
    out.supported = supported
    if claimed > supported:
        groups = indicator.levels[claimed].years
        missing = min((set(group) - covered for group in groups), key=len)
        kinds = set(indicator.kinds) | set(indicator.unit_kinds.get(ctx.unit_kind or "", []))
        _claim_above(
            indicator,
            out,
            claimed,
            f"Unggah {_kind_labels(ctx.pack, kinds)} tahun "
            f"{_years(ctx.year, missing).replace(' atau ', ' dan ')}"
            " dengan bagian program/kegiatan inovasi di-highlight.",
        )


def _count_of(indicator: Indicator, usable: list[Item], ctx: Context, out: Outcome) -> int | None:
    """The number a by_count indicator is judged on; None when no document carries it."""
    source = indicator.count.source if indicator.count else "documents"
    if source == "documents":
        return len(usable)
    if source == "distinct_issuers":
        issuers = {" ".join(item.issuer.lower().split()) for item in usable if item.issuer}
        return len(issuers) + sum(1 for item in usable if not item.issuer)
    if source == "sessions":
        sessions = [item for item in usable if item.kind in indicator.kinds]
        missing = [kind for kind in indicator.also if not any(i.kind == kind for i in usable)]
        if sessions and missing:
            out.add(
                "MISSING_PART",
                ERROR,
                f"Bukti {indicator.name} belum lengkap: belum ada "
                f"{_kind_labels(ctx.pack, missing)}. "
                f"Unggah: {indicator.evidence}",
            )
            out.explained = True
            return 0
        return len({item.date or item.id or index for index, item in enumerate(sessions)})
    values = [getattr(item, source) for item in usable]
    known = [value for value in values if value is not None]
    return max(known) if known else None


def _by_count(
    indicator: Indicator, usable: list[Item], ctx: Context, out: Outcome, claimed: int
) -> None:
    """Highest level whose minimum count is reached."""
    count = _count_of(indicator, usable, ctx, out)
    unit = indicator.count.unit if indicator.count else ""
    if count is None:
        out.supported = 0
        if usable:
            out.reviewable = True
            out.add(
                "COUNT_MISSING",
                WARNING,
                f"Jumlah {unit} tidak terbaca dari dokumen. Pastikan dokumen memuat daftar "
                f"nama atau jumlah {unit} yang jelas; verifikator akan menghitungnya secara "
                "manual.",
            )
        return
    supported = 0
    for level in LEVELS:
        minimum = indicator.levels[level].min
        if minimum is not None and count >= minimum:
            supported = level
    out.supported = supported
    target = _target_level(claimed)
    if supported < target and usable and not out.explained:
        rule = indicator.levels[target]
        out.add(
            "TOO_FEW",
            ERROR if claimed > supported else WARNING,
            f"Terbaca {count} {unit}; tingkat {target} ({rule.option}) memerlukan minimal "
            f"{rule.min:g} {unit}. Unggah: {indicator.evidence}",
        )
        out.explained = True


def _value_level(rules: dict[int, LevelRule], value: float) -> int:
    """Highest level whose bounds hold for the value (a level without bounds takes any value)."""
    if value < 0:
        return 0
    supported = 0
    for level in LEVELS:
        rule = rules[level]
        if (rule.min is None or value >= rule.min) and (rule.max is None or value <= rule.max):
            supported = level
    return supported


def _by_value(
    indicator: Indicator,
    usable: list[Item],
    ctx: Context,
    out: Outcome,
    claimed: int,
    basis: str | None,
) -> None:
    """Level of the best measured value, on the chosen basis where there are several."""
    unit = indicator.value.unit if indicator.value else ""
    if indicator.bases:
        default = indicator.default_basis or next(iter(indicator.bases))
        chosen = basis if basis is not None and basis in indicator.bases else default
        if basis not in indicator.bases:
            listed = "; ".join(f"{key} {b.name}" for key, b in indicator.bases.items())
            out.add(
                "BASIS_MISSING",
                WARNING,
                f"Basis ukur {indicator.name} belum dipilih atau tidak dikenal; dinilai "
                f"dengan basis {chosen} ({indicator.bases[chosen].name}). Pilih tepat satu "
                f"basis: {listed}.",
            )
        unit = indicator.bases[chosen].unit
        rules = indicator.bases[chosen].levels
        evidence = indicator.bases[chosen].evidence or indicator.evidence
    else:
        rules = indicator.levels
        evidence = indicator.evidence
    values = [item.value for item in usable if item.value is not None]
    if not values:
        out.supported = 0
        if usable:
            out.reviewable = True
            out.add(
                "VALUE_MISSING",
                WARNING,
                f"Nilai ({unit}) tidak terbaca dari dokumen; verifikator akan menilainya secara "
                f"manual. Agar terbaca, pastikan angkanya tertulis jelas. Bukti: {evidence}",
            )
        return
    best = max(values, key=lambda value: (_value_level(rules, value), -abs(value)))
    out.supported = _value_level(rules, best)
    if claimed > out.supported:
        _claim_above(
            indicator,
            out,
            claimed,
            f"Nilai terbaca {best:g} {unit}; tingkat {claimed} memerlukan {rules[claimed].option}. "
            f"Unggah: {evidence}",
            option=rules[claimed].option,
        )


def _claim_above(
    indicator: Indicator, out: Outcome, claimed: int, hint: str, option: str | None = None
) -> None:
    """CLAIM_ABOVE_PROOF naming the claimed level, the supported one and what to upload."""
    option = option or indicator.levels[claimed].option
    out.explained = True
    if not out.supported and any(f["severity"] == ERROR for f in out.findings):
        return  # an error finding (WRONG_KIND, NOT_NAMED, ...) already says why nothing counts
    out.add(
        "CLAIM_ABOVE_PROOF",
        ERROR,
        f"Klaim tingkat {claimed} ({option}) belum didukung dokumen; yang terbukti tingkat "
        f"{out.supported or 0}. {hint}",
    )


def needs_review_message(indicator: Indicator, claimed: int) -> str:
    """Why a person must judge this indicator, and what the evidence must show."""
    level = _target_level(claimed)
    return (
        f"Bukti {indicator.name} dinilai oleh verifikator (foto, video, tautan atau isi yang tidak "
        f"dapat diukur mesin). Pastikan bukti menunjukkan tingkat {level}: "
        f"{indicator.levels[level].option}."
    )


__all__ = ["Context", "Outcome", "derive", "needs_review_message", "screen"]
