"""Query-parameter parsing and validation shared by the API and the pages.

Every check raises :class:`BadParameter` (a 400 with a message that names the parameter), so a bad
value never reaches SQL and never becomes a 500.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal

from fastapi import Query

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000
MAX_TEXT = 200
MAX_COUNT = 1_000_000_000
SORTS = {
    "date_desc": "e.date IS NULL, e.date DESC, e.id",
    "date_asc": "e.date IS NULL, e.date ASC, e.id",
    "killed_desc": "COALESCE(e.fatalities_best, -1) DESC, e.date DESC, e.id",
    "sources_desc": "n_sources DESC, e.date DESC, e.id",
}
Outcome = Literal["killed", "injured", "missing", "arrested", "displaced", "abducted"]
OutcomeParam = Annotated[Outcome | None, Query(description="killed, injured, missing, arrested, ...")]
DateParam = Annotated[str | None, Query(description="YYYY-MM-DD.")]
TextParam = Annotated[str | None, Query(description="Case-insensitive substring.")]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO3 = re.compile(r"^[A-Za-z]{3}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


class BadParameter(Exception):
    """An invalid query parameter: answered with 400 and ``{"error": ..., "param": ...}``."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


def parse_date(param: str, value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) that exists on the calendar, or None when empty."""
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if not _ISO_DATE.match(value):
        raise BadParameter(param, f"{param} must be a date as YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise BadParameter(param, f"{param} is not a real calendar date") from exc
    return value


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``minlon,minlat,maxlon,maxlat`` in degrees; minlon > maxlon means crossing the antimeridian."""
    if value is None or value.strip() == "":
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise BadParameter("bbox", "bbox must be four numbers: minlon,minlat,maxlon,maxlat")
    try:
        minlon, minlat, maxlon, maxlat = (float(p) for p in parts)
    except ValueError as exc:
        raise BadParameter("bbox", "bbox must be four numbers: minlon,minlat,maxlon,maxlat") from exc
    if not all(math.isfinite(v) for v in (minlon, minlat, maxlon, maxlat)):
        raise BadParameter("bbox", "bbox values must be finite numbers")
    if not (-180 <= minlon <= 180 and -180 <= maxlon <= 180):
        raise BadParameter("bbox", "bbox longitudes must be between -180 and 180")
    if not (-90 <= minlat <= 90 and -90 <= maxlat <= 90):
        raise BadParameter("bbox", "bbox latitudes must be between -90 and 90")
    if minlat > maxlat:
        raise BadParameter("bbox", "bbox minlat must not be greater than maxlat")
    return minlon, minlat, maxlon, maxlat


def parse_text(param: str, value: str | None) -> str | None:
    """A free-text value, trimmed; empty means no filter."""
    if value is None:
        return None
    value = value.strip()
    if _CONTROL.search(value):
        raise BadParameter(param, f"{param} must not contain control characters")
    if len(value) > MAX_TEXT:
        raise BadParameter(param, f"{param} is longer than {MAX_TEXT} characters")
    return value or None


def parse_countries(values: list[str]) -> list[str]:
    """ISO3 country codes, repeated or comma-separated, upper-cased."""
    codes: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not _ISO3.match(part):
                raise BadParameter("country", "country must be ISO 3166 alpha-3 codes such as UKR or SDN")
            codes.append(part.upper())
    return sorted(set(codes))


def parse_types(values: list[str]) -> list[str]:
    """Event types (repeatable); each is matched exactly."""
    types = [t for t in (parse_text("type", v) for v in values) if t]
    if len(types) > 20:
        raise BadParameter("type", "at most 20 types")
    return sorted(set(types))


def check_range(param: str, since: str | None, until: str | None) -> None:
    if since and until and since > until:
        raise BadParameter(param, "since must not be after until")


@dataclass
class IncidentFilter:
    """The filters shared by the incident list, the downloads and the timeline."""

    since: str | None = None
    until: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    countries: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    actor: str | None = None
    min_killed: int | None = None
    disputed: bool | None = None
    q: str | None = None
    sub_type: str | None = None
    admin1: str | None = None


def incident_filter(
    since: Annotated[str | None, Query(description="Earliest incident date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Latest incident date, YYYY-MM-DD.")] = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat (WGS84 degrees).")] = None,
    country: Annotated[list[str] | None, Query(description="ISO3 code; repeat or comma-separate.")] = None,
    event_type: Annotated[
        list[str] | None, Query(alias="type", description="ACLED event type; repeatable.")
    ] = None,
    actor: Annotated[str | None, Query(description="Case-insensitive substring of an actor name.")] = None,
    min_killed: Annotated[
        int | None, Query(ge=0, le=MAX_COUNT, description="Best fatalities at least.")
    ] = None,
    disputed: Annotated[bool | None, Query(description="Only disputed (true) or undisputed (false).")] = None,
    q: Annotated[str | None, Query(description="Text search: place, actors, type, report summaries.")] = None,
    sub_type: Annotated[str | None, Query(description="ACLED sub-event type, exactly.")] = None,
    admin1: Annotated[str | None, Query(description="First-level region (province, state), exactly.")] = None,
) -> IncidentFilter:
    """FastAPI dependency: the validated incident filters."""
    f = IncidentFilter(
        since=parse_date("since", since),
        until=parse_date("until", until),
        bbox=parse_bbox(bbox),
        countries=parse_countries(country or []),
        types=parse_types(event_type or []),
        actor=parse_text("actor", actor),
        min_killed=min_killed,
        disputed=disputed,
        q=parse_text("q", q),
        sub_type=parse_text("sub_type", sub_type),
        admin1=parse_text("admin1", admin1),
    )
    check_range("since", f.since, f.until)
    return f


@dataclass
class TallyFilter:
    """The filters of the tally list and chart; ``incidents`` keeps only tallies from articles that reported
    an incident matching it (so the chart follows the incident filters)."""

    since: str | None = None
    until: str | None = None
    outcome: str | None = None
    area: str | None = None
    claimant: str | None = None
    incidents: IncidentFilter | None = None


def tally_filter(
    since: DateParam = None,
    until: DateParam = None,
    outcome: OutcomeParam = None,
    area: TextParam = None,
    claimant: TextParam = None,
) -> TallyFilter:
    """FastAPI dependency: the validated tally filters (dates on ``as_of``, else the article's date)."""
    since_d, until_d = parse_date("since", since), parse_date("until", until)
    check_range("since", since_d, until_d)
    return TallyFilter(since=since_d, until=until_d, outcome=outcome, area=parse_text("area", area),
                       claimant=parse_text("claimant", claimant))


@dataclass
class Page:
    limit: int
    offset: int


def page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page (1-{MAX_LIMIT}).")] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")] = 0,
) -> Page:
    """FastAPI dependency: bounded paging."""
    return Page(limit, offset)


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with LIKE's wildcards escaped (use ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
