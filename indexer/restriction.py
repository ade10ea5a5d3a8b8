"""What a caller may see and which facets it asked for, as cached page sets per segment.

The restriction is applied *inside* every evaluation (`indexer.evaluate`), so totals and
spelling suggestions count only what the caller may see.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from indexer.segment_cache import SegmentCache

# Restriction page sets kept per (segment, restriction); each is at most 8 bytes a page.
RESTRICTION_CACHE_SIZE = 64

RestrictionKey = tuple[frozenset[str] | None, bool, tuple[tuple[str, str], ...]]


def restriction_key(
    allowed_innovation_ids: set[int] | None,
    only_published: bool,
    filters: dict[str, Any],
) -> RestrictionKey | None:
    """What the caller may see and which facets it asked for; None when nothing is restricted."""
    allowed = (
        None
        if allowed_innovation_ids is None
        else frozenset(str(i) for i in allowed_innovation_ids)
    )
    facets = tuple(sorted((k, str(v)) for k, v in filters.items() if v not in (None, "")))
    if allowed is None and not only_published and not facets:
        return None
    return (allowed, bool(only_published), facets)


def restriction_ids(reader: Any, key: RestrictionKey) -> np.ndarray:
    """Sorted numbers of the pages of one segment that pass the restriction ``key``.

    Built from the postings of the filter terms (``innovation_id``, ``published``, facets).
    Deleted pages may be included: every evaluation removes them separately.
    """
    allowed, only_published, facets = key

    def docs(field: str, text: str) -> set[int]:
        if (field, text) not in reader:
            return set()
        return set(reader.postings(field, text).all_ids())

    sets: list[set[int]] = []
    if allowed is not None:
        union: set[int] = set()
        for value in allowed:
            union |= docs("innovation_id", value)
        sets.append(union)
    if only_published:
        sets.append(docs("published", "1"))
    sets += [docs(field, value) for field, value in facets]
    sets.sort(key=len)
    result = sets[0]
    for other in sets[1:]:
        result = result & other
    return np.asarray(sorted(result), dtype=np.int64)


class RestrictionCache(SegmentCache[np.ndarray]):
    """Restriction page sets per segment and restriction."""

    def __init__(self, size: int = RESTRICTION_CACHE_SIZE) -> None:
        super().__init__(size)

    def ids(self, reader: Any, key: RestrictionKey) -> np.ndarray:
        """The pages of ``reader``'s segment passing ``key`` (computed once per segment)."""
        return self.get(reader, key, lambda r: restriction_ids(r, key))
