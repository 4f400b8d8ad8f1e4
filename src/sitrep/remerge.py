"""Merge, then correct: the one way events are written.

Every writer of events (``pipeline``, ``rebuild``, ``corrections.actions``) calls these two functions,
so corrections made by hand (``corrections.apply``) are applied in one place, right after every merge
(``merge.merge_update``, ``merge.merge_all``), inside the caller's transaction. Merging itself knows
nothing of corrections: this module sits above both.
"""

from __future__ import annotations

from collections.abc import Callable

from .corrections.apply import apply_corrections
from .merge import merge_all, merge_update
from .store import Store


def update_events(store: Store, report_ids: list[str]) -> None:
    """Re-merge the events that the given reports may join, then apply the corrections that concern them."""
    written = merge_update(store, report_ids)
    if written is not None:
        apply_corrections(store, written)


def rebuild_events(store: Store, writing: Callable[[int], Callable[[int], None]] | None = None) -> int:
    """Re-merge every stored report from scratch, then apply every correction; returns #events
    (``writing``: see ``merge.merge_all``)."""
    count = merge_all(store, writing)
    apply_corrections(store, None)
    return count
