"""Which incidents to read: ``IncidentQuery``, checked once (``QueryError`` names the bad field) and
compiled once to a constant SQL text over ``events e`` with ``?`` placeholders carrying every value.

Filters, all optional and combined with AND:

- ``since``/``until``: incidents whose dates overlap the range (undated incidents drop out);
- ``countries``: ISO3 codes or country names ("PSE", "Palestine"), resolved by ``resolve_country``;
- ``event_types``: ACLED types, whole or in part ("battles", "explosions"), resolved by ``resolve_types``;
- ``sub_event_types``: exact sub-event types (any case); ``admin1``: an exact first-level unit (any case);
- ``actor``: part of an actor's name; ``text``: part of the place, type, actors or a source's summary;
- ``min_killed``: the best fatality figure at least N; ``disputed``: only disputed or undisputed;
- ``bbox``: minlon, minlat, maxlon, maxlat (minlon > maxlon crosses the antimeridian).

``sort`` is one of ``SORTS``; ``limit``/``offset`` page the sorted result.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .countries import country_choices, country_code

#: ACLED's six event types, in ACLED's order
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments")
#: the orders a query can ask for (ties by id, so pages never overlap)
SORTS = {
    "date_asc": "e.date IS NULL, e.date ASC, e.id",
    "date_desc": "e.date IS NULL, e.date DESC, e.id",
    "killed_desc": "COALESCE(e.fatalities_best, -1) DESC, e.date DESC, e.id",
    "sources_desc": "(SELECT COUNT(DISTINCT r.article_id) FROM reports r WHERE r.event_id = e.id) DESC, "
                    "e.date DESC, e.id",
}
MAX_TEXT = 200
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: the best fatality figure as every filter, sort and sum reads it
BEST_KILLED = "COALESCE(e.fatalities_best, e.fatalities_low, 0)"


class QueryError(ValueError):
    """A filter value that can never be valid: ``field`` names it (the CLI option, the API parameter)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with LIKE's wildcards escaped (use ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def check_date(field_name: str, value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) that exists on the calendar, or None when empty."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _ISO_DATE.match(value):
        raise QueryError(field_name, f"{value!r} is not a date like 2023-06-19 (YYYY-MM-DD)")
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise QueryError(field_name, f"{value!r} is not a real day (YYYY-MM-DD)") from exc
    return value


def resolve_country(value: str) -> str:
    """The ISO3 code of a country given by code or name; an unknown one names the closest matches."""
    code = country_code(value)
    if code is None:
        close = difflib.get_close_matches(value, country_choices(), n=4, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else "give an ISO3 code such as UKR or a name"
        raise QueryError("country", f"unknown country {value!r}: {hint}")
    return code


def resolve_types(values: list[str]) -> tuple[str, ...]:
    """ACLED event types named whole (any case) or by a part ("battles", "violence" = two types)."""
    out: list[str] = []
    for value in values:
        wanted = value.strip().lower()
        exact = [t for t in EVENT_TYPES if t.lower() == wanted]
        found = exact or [t for t in EVENT_TYPES if wanted and wanted in t.lower()]
        if not found:
            raise QueryError("type", f"no event type matches {value!r}; the types are: {', '.join(EVENT_TYPES)}")
        out += found
    return tuple(sorted(set(out), key=EVENT_TYPES.index))


def split_values(values: list[str] | tuple[str, ...] | None) -> list[str]:
    """Repeated and comma-separated values, trimmed, empty ones dropped."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class IncidentQuery:
    """One question to the dataset. Build it with ``IncidentQuery.of`` to check and resolve the values."""

    since: str | None = None
    until: str | None = None
    countries: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    actor: str | None = None
    admin1: str | None = None
    min_killed: int | None = None
    disputed: bool | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    sort: str = "date_asc"
    limit: int | None = None
    offset: int = 0
    _compiled: tuple[str, tuple[Any, ...]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, *, since: str | None = None, until: str | None = None,
           countries: list[str] | tuple[str, ...] | None = None, event_types: list[str] | tuple[str, ...] | None = None,
           sub_event_types: list[str] | tuple[str, ...] | None = None, actor: str | None = None,
           admin1: str | None = None, text: str | None = None, sort: str = "date_asc",
           **rest: Any) -> IncidentQuery:
        """A checked query: dates are real days in order, countries resolved to ISO3 codes, types to ACLED's;
        ``rest`` are the fields that need no resolving (min_killed, disputed, bbox, limit, offset)."""
        since, until = check_date("since", since), check_date("until", until)
        if since and until and since > until:
            raise QueryError("since", f"since {since} is after until {until}")
        if sort not in SORTS:
            raise QueryError("sort", f"sort must be one of {', '.join(SORTS)}")
        return cls(since=since, until=until,
                   countries=tuple(sorted({resolve_country(c) for c in split_values(countries)})),
                   event_types=resolve_types(split_values(event_types)),
                   sub_event_types=tuple(sorted({s.lower() for s in split_values(sub_event_types)})),
                   actor=_text("actor", actor), admin1=_text("admin1", admin1), text=_text("text", text), sort=sort,
                   **rest)

    @property
    def narrowed(self) -> bool:
        """Anything but the whole dataset is asked for (a filter, or a page)."""
        return self.where()[0] != "1=1" or self.limit is not None or self.offset > 0

    def where(self) -> tuple[str, tuple[Any, ...]]:
        """The WHERE clause over ``events e`` and its values, compiled once per query."""
        if self._compiled is None:
            object.__setattr__(self, "_compiled", _compile(self))
        assert self._compiled is not None
        return self._compiled

    def page(self) -> tuple[str, tuple[Any, ...]]:
        """``WHERE ... ORDER BY ... LIMIT ? OFFSET ?`` and its values."""
        where, args = self.where()
        limit = -1 if self.limit is None else self.limit
        return f"WHERE {where} ORDER BY {SORTS[self.sort]} LIMIT ? OFFSET ?", (*args, limit, self.offset)


def _text(field_name: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise QueryError(field_name, f"{field_name} is longer than {MAX_TEXT} characters")
    return value or None


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join('?' for _ in values)})"


def _compile(q: IncidentQuery) -> tuple[str, tuple[Any, ...]]:
    parts: list[str] = []
    args: list[Any] = []

    def add(sql: str, *values: Any) -> None:
        parts.append(sql)
        args.extend(values)

    if q.since:
        add("COALESCE(e.date_end, e.date) >= ?", q.since)
    if q.until:
        add("e.date <= ?", q.until)
    if q.bbox:
        _add_bbox(q.bbox, add)
    if q.countries:
        add(_in("e.country", q.countries), *q.countries)
    if q.event_types:
        add(_in("e.event_type", q.event_types), *q.event_types)
    if q.sub_event_types:
        add(_in("LOWER(e.sub_event_type)", q.sub_event_types), *q.sub_event_types)
    if q.admin1:
        add("e.admin1 = ? COLLATE NOCASE", q.admin1)
    if q.actor:
        add("EXISTS (SELECT 1 FROM json_each(e.actors) j WHERE j.value LIKE ? ESCAPE '\\')", like_pattern(q.actor))
    if q.min_killed is not None:
        add(f"{BEST_KILLED} >= ?", q.min_killed)
    if q.disputed is not None:
        add("e.disputed = ?", int(q.disputed))
    if q.text:
        _add_text(q.text, add)
    return (" AND ".join(parts) or "1=1"), tuple(args)


def _add_bbox(bbox: tuple[float, float, float, float], add: Any) -> None:
    minlon, minlat, maxlon, maxlat = bbox
    add("e.lat BETWEEN ? AND ?", minlat, maxlat)
    if minlon <= maxlon:
        add("e.lon BETWEEN ? AND ?", minlon, maxlon)
    else:  # crosses the antimeridian
        add("(e.lon >= ? OR e.lon <= ?)", minlon, maxlon)


def _add_text(text: str, add: Any) -> None:
    like = "LIKE ? ESCAPE '\\'"
    columns = ["e.location_name", "e.admin1", "e.admin2", "e.country", "e.event_type", "e.sub_event_type"]
    clause = ("(" + " OR ".join(f"{col} {like}" for col in columns)
              + f" OR EXISTS (SELECT 1 FROM json_each(e.actors) j WHERE j.value {like})"
              + f" OR EXISTS (SELECT 1 FROM reports r WHERE r.event_id = e.id AND r.summary {like}))")
    add(clause, *[like_pattern(text)] * clause.count("?"))
