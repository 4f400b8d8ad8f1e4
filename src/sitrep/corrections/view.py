"""Reading corrected incidents: an ``Event`` rebuilt from its reports takes the values the ``events`` table
holds after corrections (``corrected_event``), and an incident's correction history for its page."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..records import DateRef, Event, Place, Range
from . import table
from .model import FIELD_COLUMNS, describe


def corrected_event(event: Event, row: Mapping[str, Any] | sqlite3.Row) -> Event:
    """``event`` (reconciled from its reports) with the corrected values of its stored ``row``, and the
    machine values they replaced in ``event.corrected``; unchanged when nothing was corrected."""
    if not row["corrected"]:
        return event
    machine: dict[str, Any] = json.loads(row["corrected"])["machine"]
    changed = set(machine)
    out = replace(event, corrected=machine)
    if changed & set(FIELD_COLUMNS["place"]):
        out.place = _place(row, event.place)
    if changed & set(FIELD_COLUMNS["date"]):
        out.date = DateRef(date=row["date"], precision=row["date_precision"], date_end=row["date_end"])
    if "event_type" in changed or "sub_event_type" in changed:
        out.event_type, out.sub_event_type = row["event_type"] or "", row["sub_event_type"] or ""
    if "actors" in changed:
        out.actors = list(json.loads(row["actors"] or "[]"))
    if changed & set(FIELD_COLUMNS["fatalities"]):
        out.fatalities = _range(row, "fatalities")
    if changed & set(FIELD_COLUMNS["injuries"]):
        out.injuries = _range(row, "injuries")
    return out


def _place(row: Mapping[str, Any] | sqlite3.Row, machine: Place | None) -> Place | None:
    if row["lat"] is None:
        return None
    return Place(name=row["location_name"] or (machine.name if machine else ""), lat=row["lat"], lon=row["lon"],
                 country=row["country"] or (machine.country if machine else ""), admin1=row["admin1"],
                 admin2=row["admin2"], geo_precision=row["geo_precision"] or 1, kind="populated place")


def _range(row: Mapping[str, Any] | sqlite3.Row, what: str) -> Range | None:
    low = row[f"{what}_low"]
    if low is None:
        return None
    return Range(low=low, high=row[f"{what}_high"] if row[f"{what}_high"] is not None else low,
                 best=row[f"{what}_best"])


def correction_history(conn: sqlite3.Connection, event_id: str) -> list[dict[str, Any]]:
    """The corrections made on or applied to an incident, oldest first, as plain values for a page."""
    return [{"id": c.id, "kind": c.kind, "change": c.summary(), "machine": c.machine,
             "machine_words": describe(c.machine), "by": c.by, "at": c.at,
             "reason": c.reason, "undone": f"undone by {c.undone_by} at {c.undone_at}" if c.undone_at else ""}
            for c in table.history(conn, event_id)]
