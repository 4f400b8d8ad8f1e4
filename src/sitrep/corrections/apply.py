"""Applying corrections to the ``events`` table: the one place where a correction changes what users see.

``apply_corrections`` runs after every merge that writes events (``remerge.update_events`` and
``remerge.rebuild_events`` call it, inside their transaction), so every reader of the events table (CLI,
API, web pages, exports) shows the corrected values. It works in two passes:

1. Structure, oldest correction first: a ``join`` puts the events holding its reports together, a
   ``split`` takes its ``split_off`` reports out of an event that also holds its other reports, a
   ``not_incident`` takes its reports out of every event. Nothing is done when the structure is already
   right, so running it again changes nothing.
2. Values: each ``fix`` is re-found as the event holding most of its reports; that event's row gets the
   corrected values, and ``events.corrected`` keeps the machine values they replace (JSON:
   ``{"machine": {column: value}, "corrections": [ids]}``).

A correction whose reports are all gone is marked ``not_found`` (``sitrep review`` lists it), never
dropped; it applies again if its articles come back.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..merge import event_id_for, merge_reasons
from ..reconcile import build_event
from ..records import Event
from ..settings import MergeSettings, load_settings
from ..store import Store
from . import table
from .model import ACTOR_SLOTS, Correction

#: every event column a fix may set (with ``actors`` for actor1/actor2)
_COLUMNS = ("location_name", "lat", "lon", "admin1", "admin2", "country", "geo_precision", "date", "date_end",
            "date_precision", "event_type", "sub_event_type", "actors", "fatalities_best", "fatalities_low",
            "fatalities_high", "injuries_best", "injuries_low", "injuries_high")


def apply_corrections(store: Store, event_ids: set[str] | None = None) -> None:
    """Apply every active correction (inside the caller's transaction). With ``event_ids`` (the events a
    merge just wrote or deleted), nothing is done unless a correction concerns one of them."""
    active = table.load(store.conn, active_only=True)
    if event_ids is not None and not _concerned(store.conn, active, event_ids):
        return
    settings = load_settings()
    for c in active:
        if c.kind == "join":
            _join(store, c, settings)
        elif c.kind == "split":
            _split(store, c, settings)
        elif c.kind == "not_incident":
            _dismiss(store, c, settings)
    _apply_fixes(store.conn, [c for c in active if c.kind == "fix"], event_ids)


def _concerned(conn: sqlite3.Connection, active: list[Correction], event_ids: set[str]) -> bool:
    """Does a correction name a report of these events, or was it applied to an event that is gone?"""
    if not active:  # (an undo of the last one applies with ``event_ids`` None, restoring its event)
        return False
    hashes = table.member_hashes(conn, event_ids)
    applied_to = {c.event_id for c in active if c.event_id}
    if applied_to - table.existing_events(conn, applied_to):
        return True
    return any(k.content_hash in hashes for c in active for k in [*c.target, *c.split_off])


def _corrected_ids(conn: sqlite3.Connection, event_ids: set[str] | None) -> set[str]:
    """Events that carry corrected values (among ``event_ids`` when given)."""
    rows = conn.execute("SELECT id FROM events WHERE corrected IS NOT NULL").fetchall()
    found = {row[0] for row in rows}
    return found if event_ids is None else found & event_ids


# -- structure -----------------------------------------------------------------------------------
def _build(store: Store, report_ids: list[str], s: MergeSettings, why: str | None = None) -> Event:
    """An event reconciled from the given reports, as merging would write it; ``why`` explains the members
    no merge reason links (joined by hand)."""
    members = store.reports_by_ids(report_ids, detail="sources")
    reasons = merge_reasons(members, s)
    if why is not None:
        explained = {r.split(": ", 1)[0].split(" + ")[-1] for r in reasons}
        first = min(members, key=lambda r: (r.article_id, r.index))
        reasons += [f"{first.id} + {r.id}: {why}" for r in sorted(members, key=lambda r: (r.article_id, r.index))
                    if r.id != first.id and r.id not in explained]
    return build_event(event_id_for(members), members, store.bylines([r.article_id for r in members]), reasons, s)


def _members(store: Store, event_id: str) -> list[str]:
    return store.first_members(event_id, 1 << 30)


def _join(store: Store, c: Correction, s: MergeSettings) -> None:
    found = table.resolve(store.conn, c.target)
    if not found:
        table.mark_found(store.conn, c.id or 0, None, False)
        return
    by_event = table.events_by_members(found)
    loose = [rid for rid, eid in found.values() if eid is None]
    if len(by_event) == 1 and not loose:
        table.mark_found(store.conn, c.id or 0, next(iter(by_event)), True)
        return
    ids = sorted({rid for eid in by_event for rid in _members(store, eid)} | set(loose))
    event = _build(store, ids, s, f"joined by hand (correction {c.id}: {c.reason})")
    store.replace_events([event], report_ids=ids)
    table.mark_found(store.conn, c.id or 0, event.id, True)


def _split(store: Store, c: Correction, s: MergeSettings) -> None:
    off = table.resolve(store.conn, c.split_off)
    if not off:
        table.mark_found(store.conn, c.id or 0, None, False)
        return
    rest = table.resolve(store.conn, c.target)
    off_ids = {rid for rid, _ in off.values()}
    shared = {eid for _, eid in off.values() if eid} & {eid for _, eid in rest.values() if eid}
    for eid in sorted(shared):
        members = _members(store, eid)
        kept, taken = [m for m in members if m not in off_ids], [m for m in members if m in off_ids]
        store.replace_events([_build(store, kept, s), _build(store, taken, s)], report_ids=members)
    now = table.resolve(store.conn, c.split_off)
    table.mark_found(store.conn, c.id or 0, next((eid for _, eid in now.values() if eid), None), True)


def _dismiss(store: Store, c: Correction, s: MergeSettings) -> None:
    found = table.resolve(store.conn, c.target)
    if not found:
        table.mark_found(store.conn, c.id or 0, None, False)
        return
    for eid, dismissed in sorted(table.events_by_members(found).items()):
        members = _members(store, eid)
        kept = [m for m in members if m not in dismissed]
        for chunk in range(0, len(dismissed), 500):
            part = dismissed[chunk:chunk + 500]
            store.conn.execute(f"UPDATE reports SET event_id = NULL WHERE id IN ({','.join('?' * len(part))})", part)
        if kept:
            store.replace_events([_build(store, kept, s)], report_ids=kept)
        store.delete_orphan_events({eid})
    table.mark_found(store.conn, c.id or 0, None, True)


# -- values --------------------------------------------------------------------------------------
def _apply_fixes(conn: sqlite3.Connection, fixes: list[Correction], event_ids: set[str] | None) -> None:
    """Re-find each fix's event and rewrite the rows of the events whose fixes changed."""
    targets: dict[str, list[Correction]] = {}
    for c in fixes:
        by_event = table.events_by_members(table.resolve(conn, c.target))
        if not by_event:
            table.mark_found(conn, c.id or 0, None, False)
            continue
        eid = max(sorted(by_event), key=lambda e: len(by_event[e]))  # most reports; ties: the first id
        targets.setdefault(eid, []).append(c)
        table.mark_found(conn, c.id or 0, eid, True)
    for eid in sorted(set(targets) | _corrected_ids(conn, event_ids)):
        _rewrite(conn, eid, targets.get(eid, []))


def machine_values(row: sqlite3.Row) -> dict[str, Any]:
    """An event row's values as the machine made them (its corrected values replaced by the stored ones)."""
    values = {col: row[col] for col in _COLUMNS}
    if row["corrected"]:
        values.update(json.loads(row["corrected"])["machine"])
    return values


def corrected_values(machine: dict[str, Any], fixes: list[Correction]) -> dict[str, Any]:
    """``machine`` with the fixes applied in order (a later fix of the same field wins)."""
    values = dict(machine)
    for c in fixes:
        for column, value in c.fields.items():
            if column in ACTOR_SLOTS:
                actors = list(json.loads(values["actors"] or "[]"))
                slot = ACTOR_SLOTS.index(column)
                actors += [""] * (slot + 1 - len(actors))
                actors[slot] = value
                values["actors"] = json.dumps([a for a in actors if a])
            else:
                values[column] = value
    return values


def _rewrite(conn: sqlite3.Connection, event_id: str, fixes: list[Correction]) -> None:
    row = conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        return
    machine = machine_values(row)
    values = corrected_values(machine, fixes)
    fixed = {"actors" if col in ACTOR_SLOTS else col for c in fixes for col in c.fields}
    replaced = {col: machine[col] for col in _COLUMNS if col in fixed}  # also a value a person confirmed
    marker = json.dumps({"machine": replaced, "corrections": [c.id for c in fixes]}) if fixes else None
    assignments = ", ".join(f"{col} = ?" for col in _COLUMNS)
    conn.execute(f"UPDATE events SET {assignments}, corrected = ? WHERE id = ?",
                 (*[values[col] for col in _COLUMNS], marker, event_id))
