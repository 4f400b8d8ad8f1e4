"""What the correction commands do: make a fix, a split, a join or a "not an incident", undo one, and
share them as JSON Lines. ``sitrep fix``/``split``/``join``/``corrections`` are thin skins over these.

Each action is one transaction: the correction is stored and applied (``apply.apply_corrections``) together.
"""

from __future__ import annotations

import getpass
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..extract.lexicon import load_data
from ..remerge import update_events
from ..store import Store
from . import table
from .apply import apply_corrections, machine_values
from .model import (
    ACTOR_SLOTS,
    Correction,
    CorrectionError,
    ReportKey,
    check_text,
    parse_coordinates,
    parse_date,
    parse_figures,
)


def current_user(by: str | None = None) -> str:
    """Who makes a correction: ``--by``, else ``$USER``, else the login name."""
    if by and by.strip():
        return by.strip()
    return os.environ.get("USER") or getpass.getuser() or "unknown"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def find_event_id(store: Store, text: str) -> str:
    """An event id from an id, a unique prefix of one, or an old id that now leads elsewhere."""
    rows = store.event_rows("id = ?", (text,)) or store.event_rows("id LIKE ? ESCAPE '\\'", (_like(text) + "%",))
    if not rows and (moved := store.redirected_event_id(text)):
        rows = store.event_rows("id = ?", (moved,))
    if len(rows) != 1:
        why = "matches several incidents" if rows else "is no incident"
        raise CorrectionError(f"{text!r} {why} (list them with `sitrep events`)")
    return str(rows[0]["id"])


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class FixRequest:
    """The values ``sitrep fix`` was given (None: not changed)."""

    place: str | None = None
    date: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actors: dict[str, str] = field(default_factory=dict)
    fatalities: str | None = None
    injuries: str | None = None

    def is_empty(self) -> bool:
        return not any((self.place, self.date, self.event_type, self.sub_event_type, self.actors, self.fatalities,
                        self.injuries))


def fix_fields(store: Store, event_id: str, request: FixRequest) -> dict[str, Any]:
    """The event columns a fix sets, checked (a place name is looked up in the gazetteer)."""
    fields: dict[str, Any] = {}
    row = store.event_rows("id = ?", (event_id,))[0]
    if request.place:
        fields.update(_place_fields(request.place, row["country"]))
    if request.date:
        fields.update(parse_date(request.date))
    if request.event_type or request.sub_event_type:
        fields.update(_type_fields(request.event_type or row["event_type"], request.sub_event_type,
                                   explicit_type=request.event_type is not None))
    for slot, name in request.actors.items():
        if slot not in ACTOR_SLOTS or not name.strip():
            raise CorrectionError(f"--{slot}: give an actor's name")
        fields[slot] = check_text(name, f"--{slot}")
    if request.fatalities:
        fields.update(parse_figures(request.fatalities, "fatalities"))
    if request.injuries:
        fields.update(parse_figures(request.injuries, "injuries"))
    return fields


def _place_fields(text: str, country: str | None) -> dict[str, Any]:
    coordinates = parse_coordinates(text)
    if coordinates is not None:
        return {"lat": coordinates[0], "lon": coordinates[1], "geo_precision": 1}
    from ..extract.places import resolve_place

    place = resolve_place(text.strip(), [country] if country else None)
    if place is None:
        raise CorrectionError(f"--place {text!r} is not in the gazetteer: give LAT,LON (e.g. --place 48.51,37.12), "
                              "or import the country's places with `sitrep gazetteer import`")
    return {"location_name": place.name, "lat": place.lat, "lon": place.lon, "admin1": place.admin1,
            "admin2": place.admin2, "country": place.country, "geo_precision": place.geo_precision}


def _type_fields(event_type: str, sub_event_type: str | None, *, explicit_type: bool) -> dict[str, Any]:
    types = {t.lower(): t for t in load_data("acled.json")["disorder_type"]}
    canonical = types.get((event_type or "").strip().lower())
    if canonical is None:
        raise CorrectionError(f"--type {event_type!r}: one of {', '.join(sorted(types.values()))}")
    fields: dict[str, Any] = {"event_type": canonical} if explicit_type else {}
    if sub_event_type is not None:
        fields["sub_event_type"] = check_text(sub_event_type, "--sub-type")
    return fields


def _correction(store: Store, kind: str, event_id: str, reason: str, by: str | None,
                fields: dict[str, Any] | None = None, machine: dict[str, Any] | None = None,
                target: list[ReportKey] | None = None) -> Correction:
    if not reason or not reason.strip():
        raise CorrectionError("--reason is required: say why (a source, a map, a colleague's check)")
    return Correction(kind=kind, fields=fields or {}, target=target or table.member_keys(store.conn, event_id),
                      reason=check_text(reason, "--reason"), by=check_text(current_user(by), "--by"), at=_now(),
                      machine=machine or {},
                      original_event_id=event_id, event_id=event_id)


def _store_and_apply(store: Store, c: Correction, event_ids: set[str]) -> Correction:
    c.id, _ = table.save(store.conn, c)
    apply_corrections(store, event_ids)
    found = table.get(store.conn, c.id)
    assert found is not None
    return found


def fix(store: Store, event: str, request: FixRequest, reason: str, by: str | None = None) -> Correction:
    """Correct values of an event (``sitrep fix``)."""
    with store.transaction():
        event_id = find_event_id(store, event)
        if request.is_empty():
            raise CorrectionError("nothing to correct: give --place, --date, --type, --sub-type, --actor1, --actor2, "
                                  "--fatalities, --injuries or --not-an-incident")
        fields = fix_fields(store, event_id, request)
        machine = machine_values(store.event_rows("id = ?", (event_id,))[0])
        replaced = {k: machine["actors"] if k in ACTOR_SLOTS else machine[k] for k in fields}
        return _store_and_apply(store, _correction(store, "fix", event_id, reason, by, fields, replaced), {event_id})


def not_an_incident(store: Store, event: str, reason: str, by: str | None = None) -> Correction:
    """Mark an event's reports as no incident at all: the event leaves every output."""
    with store.transaction():
        event_id = find_event_id(store, event)
        return _store_and_apply(store, _correction(store, "not_incident", event_id, reason, by), {event_id})


def split(store: Store, event: str, report_ids: list[str], reason: str, by: str | None = None) -> Correction:
    """Take some reports out of an event: they are another incident (``sitrep split``)."""
    with store.transaction():
        event_id = find_event_id(store, event)
        keys = table.member_keys(store.conn, event_id)
        by_id = {f"{k.article_id}#{k.index}": k for k in keys}
        unknown = [r for r in report_ids if r not in by_id]
        if unknown:
            raise CorrectionError(f"not a report of {event_id}: {', '.join(unknown)} (its reports: "
                                  f"{', '.join(by_id)}; see `sitrep events show {event_id}`)")
        off = [by_id[r] for r in dict.fromkeys(report_ids)]
        rest = [k for k in keys if k not in off]
        if not rest:
            raise CorrectionError("a split must leave at least one report in the incident")
        c = _correction(store, "split", event_id, reason, by, {"split_off": [k.to_json() for k in off]}, target=rest)
        return _store_and_apply(store, c, {event_id})


def join(store: Store, events: list[str], reason: str, by: str | None = None) -> Correction:
    """Make several events one incident (``sitrep join``)."""
    with store.transaction():
        ids = list(dict.fromkeys(find_event_id(store, e) for e in events))
        if len(ids) < 2:
            raise CorrectionError("give two different incidents to join")
        keys = [k for eid in ids for k in table.member_keys(store.conn, eid)]
        c = _correction(store, "join", ids[0], reason, by, {"events": ids}, target=keys)
        return _store_and_apply(store, c, set(ids))


def undo(store: Store, correction_id: int, by: str | None = None) -> Correction:
    """Withdraw a correction: the machine's value (or merge) comes back (``sitrep fix --undo``)."""
    with store.transaction():
        c = table.get(store.conn, correction_id)
        if c is None:
            raise CorrectionError(f"no correction {correction_id} (list them with `sitrep corrections list`)")
        if not c.active:
            raise CorrectionError(f"correction {correction_id} was already undone by {c.undone_by} at {c.undone_at}")
        table.mark_undone(store.conn, correction_id, current_user(by), _now())
        if c.kind != "fix":  # merge the reports again as the machine would
            found = table.resolve(store.conn, [*c.target, *c.split_off])
            events = {eid for _, eid in found.values() if eid}
            members = [rid for eid in sorted(events) for rid in store.first_members(eid, 1 << 30)]
            store.touched_events |= events
            update_events(store, sorted({rid for rid, _ in found.values()} | set(members)))
        apply_corrections(store)
        done = table.get(store.conn, correction_id)
        assert done is not None
        return done


# -- sharing -------------------------------------------------------------------------------------
def export_lines(store: Store) -> Iterable[str]:
    """One JSON line per correction (undone ones too: the history travels with them)."""
    for c in table.load(store.conn):
        yield json.dumps(c.to_json(), ensure_ascii=False, sort_keys=True)


@dataclass
class ImportReport:
    added: int = 0
    known: int = 0
    errors: list[str] = field(default_factory=list)


def import_lines(store: Store, lines: Iterable[str]) -> ImportReport:
    """Add the corrections of an exported file (ones already stored are skipped) and apply them; a bad
    line is reported with its number and nothing of the file is stored."""
    report = ImportReport()
    parsed: list[Correction] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            parsed.append(Correction.from_json(json.loads(line)))
        except (json.JSONDecodeError, CorrectionError) as exc:
            report.errors.append(f"line {number}: {exc}")
    if report.errors:
        return report
    with store.transaction():
        for c in parsed:
            c.event_id = None
            _, new = table.save(store.conn, c)
            report.added += new
            report.known += not new
        apply_corrections(store)
    return report
