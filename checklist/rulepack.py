"""Rule packs: one validated YAML file per assessment year, shipped as package data."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator
from pydantic_core import ErrorDetails

Method = Literal["by_kind", "by_count", "by_window", "by_value", "verifier_only"]
CountSource = Literal["people_count", "count", "documents", "distinct_issuers", "sessions"]
LEVELS = (1, 2, 3)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
UNIT_KINDS = {"skpd", "blud", "puskesmas", "kecamatan", "desa", "masyarakat"}  # CONTRACT units
FILE_TYPES = {"pdf", "jpg", "jpeg", "png", "mp4", "mov", "link", "docx", "xlsx"}


class RulePackError(ValueError):
    """A rule pack that cannot be loaded; the message names the file, indicator and field."""


class _Strict(BaseModel):
    """Base model that rejects unknown keys, so typos in a pack fail loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelRule(_Strict):
    """What proves one level (1-3) of an indicator."""

    option: str = Field(min_length=1)
    kinds: list[str] = []
    named: bool = False
    with_any: list[str] = []
    issued_before_year: bool = False
    min: float | None = None
    max: float | None = None
    years: list[list[int]] = []
    review: bool = False


class CountRule(_Strict):
    """Where a by_count indicator takes its number from."""

    source: CountSource
    unit: str = Field(min_length=1)


class ValueRule(_Strict):
    """The unit of a by_value indicator's measured value."""

    unit: str = Field(min_length=1)


class Basis(_Strict):
    """One measurement basis of an indicator with several (kemanfaatan a-f)."""

    name: str
    unit: str
    evidence: str = ""
    levels: dict[int, LevelRule]

    @model_validator(mode="after")
    def _levels_complete(self) -> Basis:
        _require_levels(self.levels)
        for number, rule in self.levels.items():
            if rule.min is None and rule.max is None and number > 1:
                raise ValueError(f"levels.{number}: a basis level above 1 needs min or max")
        return self


class Indicator(_Strict):
    """One innovation (SID) indicator and how its level is derived."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    number: str = ""
    name: str = Field(min_length=1)
    variable: str = ""
    weight: int = Field(ge=1)
    mandatory: bool = False
    method: Method
    evidence: str = Field(min_length=1)
    guidance: str = ""
    file_types: list[str] = Field(min_length=1)
    kinds: list[str] = []
    unit_kinds: dict[str, list[str]] = {}
    also: list[str] = []
    window: list[int] | None = None
    count: CountRule | None = None
    value: ValueRule | None = None
    bases: dict[str, Basis] = {}
    default_basis: str | None = None
    check_issuer: bool = True
    review: bool = False
    levels: dict[int, LevelRule]
    sources: list[str] = []
    status: str = ""

    @model_validator(mode="after")
    def _method_fields(self) -> Indicator:
        _require_levels(self.levels)
        unknown = set(self.file_types) - FILE_TYPES
        if unknown:
            raise ValueError(f"file_types: unknown {sorted(unknown)}; use {sorted(FILE_TYPES)}")
        if set(self.unit_kinds) - UNIT_KINDS:
            raise ValueError(f"unit_kinds: unit kinds are {sorted(UNIT_KINDS)}")
        if self.window is not None and any(offset < 0 or offset > 5 for offset in self.window):
            raise ValueError("window: offsets are years before T, between 0 and 5")
        checks: dict[str, Callable[[], None]] = {
            "by_kind": self._check_by_kind,
            "by_count": self._check_by_count,
            "by_window": self._check_by_window,
            "by_value": self._check_by_value,
            "verifier_only": lambda: None,
        }
        checks[self.method]()
        return self

    def _check_by_kind(self) -> None:
        for number, rule in self.levels.items():
            if not rule.kinds:
                raise ValueError(f"levels.{number}.kinds: by_kind needs document kinds per level")

    def _check_by_count(self) -> None:
        if self.count is None:
            raise ValueError("count: by_count needs a count rule (source, unit)")
        for number, rule in self.levels.items():
            if rule.min is None:
                raise ValueError(f"levels.{number}.min: by_count needs a minimum per level")
        if self.count.source != "documents" and not self.kinds:
            raise ValueError("kinds: by_count needs the document kinds that carry the count")

    def _check_by_window(self) -> None:
        if not self.kinds:
            raise ValueError("kinds: by_window needs the document kinds (e.g. dpa, rkpd)")
        for number, rule in self.levels.items():
            if not rule.years or any(not group for group in rule.years):
                raise ValueError(f"levels.{number}.years: by_window needs sets of year offsets")

    def _check_by_value(self) -> None:
        if self.bases:
            if self.default_basis not in self.bases:
                raise ValueError("default_basis: must name one of the bases")
        elif self.value is None:
            raise ValueError("value: by_value needs a value unit, or bases")

    def accepted_kinds(self, unit_kind: str | None = None) -> set[str]:
        """All document kinds this indicator accepts, including unit equivalents and companions."""
        kinds = set(self.kinds) | set(self.also)
        for rule in self.levels.values():
            kinds |= set(rule.kinds) | set(rule.with_any)
        if unit_kind:
            kinds |= set(self.unit_kinds.get(unit_kind, []))
        return kinds

    def level_rules(self, basis: str | None = None) -> dict[int, LevelRule]:
        """The level rules, those of the chosen basis where the indicator has bases."""
        if self.bases and basis in self.bases:
            return self.bases[basis].levels
        return self.levels

    @property
    def max_score(self) -> int:
        """Weight times the highest level."""
        return self.weight * max(LEVELS)


class Predicate(_Strict):
    """A predicate band: the highest band whose minimum the IID reaches applies."""

    name: str
    min: float = Field(ge=0)


class Formula(_Strict):
    """Constants of the regional index formula of one year."""

    k: int = Field(ge=1)
    count_weight: float = Field(gt=0)
    count_cap: int = Field(ge=1)
    spd_max: float = Field(gt=0)
    sid_max: int = Field(gt=0)
    total_max: float = Field(gt=0)
    yandas_required: int | None = Field(default=None, ge=0, le=6)
    yandas_affairs: list[str] = []
    predicates: list[Predicate] = Field(min_length=1)
    sources: list[str] = []
    status: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _bands_descend(self) -> Formula:
        mins = [band.min for band in self.predicates]
        if mins != sorted(mins, reverse=True):
            raise ValueError("predicates: list bands from the highest minimum to the lowest")
        return self


class ProfileRules(_Strict):
    """Rules for the innovation profile (Proposal Inovasi Daerah)."""

    required_fields: list[str]
    design_min_words: int = Field(ge=0)
    applied_from: dt.date | None = None
    applied_to: dt.date | None = None
    sources: list[str] = []
    status: str = ""


class SpdIndicator(_Strict):
    """A regional (SPD) indicator; staff enter its level, a person judges it."""

    code: str = Field(pattern=r"^spd_[a-z0-9_]+$")
    number: str
    name: str
    weight: float = Field(gt=0)
    mandatory: bool = False
    evidence: str = ""
    levels: dict[int, str]

    @model_validator(mode="after")
    def _levels_complete(self) -> SpdIndicator:
        _require_levels(self.levels)
        return self


class RulePack(_Strict):
    """One assessment year's rules: indicators, document kinds, profile rules, formula."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    year: int = Field(ge=2000, le=2100)
    title: str
    legal_basis: str = ""
    status: str = ""
    sources: dict[str, str] = {}
    kinds: dict[str, str]
    formula: Formula
    profile: ProfileRules
    indicators: list[Indicator] = Field(min_length=1)
    spd_indicators: list[SpdIndicator] = []
    spd_sources: list[str] = []
    spd_status: str = ""
    _by_code: dict[str, Indicator] = PrivateAttr(default_factory=dict)
    _digest: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _consistent(self) -> RulePack:
        codes = [indicator.code for indicator in self.indicators]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"indicators: duplicate codes {duplicates}")
        spd_codes = [indicator.code for indicator in self.spd_indicators]
        if len(set(spd_codes)) != len(spd_codes):
            raise ValueError("spd_indicators: duplicate codes")
        for position, indicator in enumerate(self.indicators):
            where = f"indicators[{position}] ({indicator.code})"
            unknown = sorted(indicator.accepted_kinds() - set(self.kinds))
            for kinds in indicator.unit_kinds.values():
                unknown += sorted(set(kinds) - set(self.kinds))
            if unknown:
                raise ValueError(f"{where}: unknown document kinds {unknown}; add them to 'kinds'")
            missing = sorted(set(indicator.sources) - set(self.sources))
            if missing:
                raise ValueError(f"{where}.sources: unknown source keys {missing}")
        return self

    def model_post_init(self, context: Any, /) -> None:
        """Index indicators by code once: the engine looks them up in a hot loop."""
        self._by_code = {indicator.code: indicator for indicator in self.indicators}
        # Checklists stored under another content of the pack are stale (edited weights,
        # levels or kinds change verdicts even when the pack keeps its id).
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        self._digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]

    @property
    def digest(self) -> str:
        """A short hash of the pack's content."""
        return self._digest

    def indicator(self, code: str) -> Indicator | None:
        """The indicator with this code, or None."""
        return self._by_code.get(code)

    @property
    def codes(self) -> list[str]:
        """Indicator codes in pack order."""
        return [indicator.code for indicator in self.indicators]

    @property
    def max_maturity(self) -> int:
        """Highest maturity an innovation can reach (111 since 2022)."""
        return sum(indicator.max_score for indicator in self.indicators)

    def kind_label(self, kind: str | None) -> str:
        """The Indonesian label of a document kind, or the kind itself."""
        if not kind:
            return "dokumen yang jenisnya belum dikenali"
        return self.kinds.get(kind, str(kind))


def _require_levels(levels: dict[int, Any]) -> None:
    """Every indicator defines exactly levels 1, 2 and 3."""
    if sorted(levels) != list(LEVELS):
        raise ValueError(f"levels: define exactly levels 1, 2 and 3 (found {sorted(levels)})")


def _describe(error: ErrorDetails, data: Any) -> str:
    """Turn a pydantic error location into 'indicators[3] (anggaran).levels.2.years: msg'."""
    parts: list[str] = []
    node = data
    for step in error.get("loc", ()):
        if isinstance(step, int) and isinstance(node, list):
            label = f"[{step}]"
            item = node[step] if 0 <= step < len(node) else None
            if isinstance(item, dict) and "code" in item:
                label += f" ({item['code']})"
            parts.append(label)
            node = item
        else:
            parts.append(("." if parts else "") + str(step))
            node = node.get(step) if isinstance(node, dict) else None
    message = error.get("msg", "invalid")
    return f"{''.join(parts) or '(top level)'}: {message}"


def parse_rulepack(data: Any, source: str) -> RulePack:
    """Validate already-parsed YAML data; errors name the source and the place at fault."""
    if not isinstance(data, dict):
        raise RulePackError(f"{source}: a rule pack is a mapping at the top level")
    try:
        return RulePack.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(_describe(error, data) for error in exc.errors())
        raise RulePackError(f"{source}: {details}") from exc


def load_rulepack_file(path: str | Path) -> RulePack:
    """Load and validate a rule pack from a YAML file on disk."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulePackError(f"{path}: cannot read rule pack ({exc.strerror})") from exc
    return _load_text(text, str(path), expected_id=path.stem)


def _load_text(text: str, source: str, expected_id: str | None) -> RulePack:
    """Parse YAML text into a validated pack whose id matches its file name."""
    try:
        data = yaml.load(text, Loader=_LOADER)  # a safe loader, C-accelerated when present
    except yaml.YAMLError as exc:
        raise RulePackError(f"{source}: not valid YAML ({exc})") from exc
    pack = parse_rulepack(data, source)
    if expected_id is not None and pack.id != expected_id:
        raise RulePackError(
            f"{source}: id '{pack.id}' does not match the file name '{expected_id}'"
        )
    return pack


def _rules_dir() -> Any:
    """The packaged rules folder (works from a source tree and from an installed wheel)."""
    return resources.files("checklist") / "rules"


def available_rulepacks() -> list[str]:
    """Ids of the rule packs shipped with the package, sorted."""
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in _rules_dir().iterdir()
        if entry.name.endswith(".yaml")
    )


_CACHE: dict[str, RulePack] = {}


def load_rulepack(pack_id: str) -> RulePack:
    """Load a shipped rule pack by id (e.g. 'iid-2026'); cached, packs are immutable."""
    cached = _CACHE.get(pack_id)
    if cached is not None:
        return cached
    if not isinstance(pack_id, str) or pack_id not in available_rulepacks():
        raise RulePackError(
            f"unknown rule pack {pack_id!r}; available: {', '.join(available_rulepacks())}"
        )
    entry = _rules_dir() / f"{pack_id}.yaml"
    pack = _load_text(entry.read_text(encoding="utf-8"), f"{pack_id}.yaml", expected_id=pack_id)
    _CACHE[pack_id] = pack
    return pack
