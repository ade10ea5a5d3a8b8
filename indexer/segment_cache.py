"""A small thread-safe LRU of values computed once per index segment.

Whoosh segments never change once written (deletions are tracked beside them), so whatever is
derived from one segment stays valid for as long as the segment exists; the key includes the
segment's id and document count.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class SegmentCache(Generic[T]):
    """Values keyed by (segment, key), the least recently used dropped past ``size``."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, T] = OrderedDict()

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def get(self, reader: Any, key: Hashable, compute: Callable[[Any], T]) -> T:
        """The value for ``key`` in ``reader``'s segment, computed by ``compute(reader)`` once."""
        segment = reader.segment()
        cache_key = (segment.segment_id(), segment.doc_count_all(), key)
        with self._lock:
            found = self._values.get(cache_key)
            if found is not None:
                self._values.move_to_end(cache_key)
                return found
        value = compute(reader)  # outside the lock: two threads may both compute, both agree
        with self._lock:
            self._values[cache_key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value
