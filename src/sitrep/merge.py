"""Cross-source merging (placeholder: one event per report until the merge stage lands)."""

from __future__ import annotations

from .store import Store


def update_events(store: Store, report_ids: list[str]) -> None:
    """Re-merge the events that the given reports may join (inside the caller's transaction)."""
    from .records import Event

    reports = [r for r in store.reports() if r.id in set(report_ids)]
    events = [
        Event(id=r.id, date=r.date, place=r.place, event_type=r.event_type, sub_event_type=r.sub_event_type,
              actors=[a.name for a in r.actors], fatalities=r.fatalities, injuries=r.injuries, reports=[r])
        for r in reports
    ]
    store.replace_events(events, report_ids=report_ids)
