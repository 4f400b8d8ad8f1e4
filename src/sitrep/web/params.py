"""Query-parameter parsing and validation shared by the API and the pages.

Every check raises :class:`BadParameter` (a 400 with a message that names the parameter), so a bad
value never reaches SQL and never becomes a 500.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Query

from ..dataset.query import IncidentQuery, QueryError, check_date, like_pattern

__all__ = ["like_pattern"]  # the LIKE pattern of the dataset layer, for the other pages' queries

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000
MAX_TEXT = 200
MAX_COUNT = 1_000_000_000
Outcome = Literal["killed", "injured", "missing", "arrested", "displaced", "abducted"]
OutcomeParam = Annotated[Outcome | None, Query(description="killed, injured, missing, arrested, ...")]
DateParam = Annotated[str | None, Query(description="YYYY-MM-DD.")]
TextParam = Annotated[str | None, Query(description="Case-insensitive substring.")]
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


class BadParameter(Exception):
    """An invalid query parameter: answered with 400 and ``{"error": ..., "param": ...}``."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


def parse_date(param: str, value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) that exists on the calendar, or None when empty."""
    try:
        return check_date(param, value)
    except QueryError as exc:
        raise BadParameter(param, exc.message) from exc


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


def check_range(param: str, since: str | None, until: str | None) -> None:
    if since and until and since > until:
        raise BadParameter(param, "since must not be after until")


def incident_filter(
    since: Annotated[str | None, Query(description="Earliest incident date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Latest incident date, YYYY-MM-DD.")] = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat (WGS84 degrees).")] = None,
    country: Annotated[
        list[str] | None, Query(description="ISO3 code or country name (UKR, Sudan); repeat or comma-separate.")
    ] = None,
    event_type: Annotated[
        list[str] | None, Query(alias="type", description="ACLED event type, or part of it; repeatable.")
    ] = None,
    sub_type: Annotated[list[str] | None, Query(description="ACLED sub-event type, exactly; repeatable.")] = None,
    actor: Annotated[str | None, Query(description="Case-insensitive substring of an actor name.")] = None,
    admin1: Annotated[str | None, Query(description="First-level administrative unit, exactly.")] = None,
    min_killed: Annotated[
        int | None, Query(ge=0, le=MAX_COUNT, description="Best fatalities at least.")
    ] = None,
    disputed: Annotated[bool | None, Query(description="Only disputed (true) or undisputed (false).")] = None,
    q: Annotated[str | None, Query(description="Text search: place, actors, type, report summaries.")] = None,
) -> IncidentQuery:
    """FastAPI dependency: the validated incident filters, as the dataset's query (sort and page apart)."""
    texts = [parse_text(name, value) for name, value in (("actor", actor), ("admin1", admin1), ("q", q))]
    for name, values in (("country", country), ("type", event_type), ("sub_type", sub_type)):
        if len(values or []) > 20:
            raise BadParameter(name, f"at most 20 values of {name}")
        for value in values or []:
            parse_text(name, value)
    try:
        return IncidentQuery.of(since=since, until=until, bbox=parse_bbox(bbox), countries=country or [],
                                event_types=event_type or [], sub_event_types=sub_type or [], actor=texts[0],
                                admin1=texts[1], min_killed=min_killed, disputed=disputed, text=texts[2])
    except QueryError as exc:
        raise BadParameter(_PARAM_OF_FIELD.get(exc.field, exc.field), exc.message) from exc


#: the API parameter behind each query field whose name differs
_PARAM_OF_FIELD = {"text": "q", "sub_event_types": "sub_type"}


@dataclass
class TallyFilter:
    """The filters of the tally list and chart; ``incidents`` keeps only tallies from articles that reported
    an incident matching it (so the chart follows the incident filters)."""

    since: str | None = None
    until: str | None = None
    outcome: str | None = None
    area: str | None = None
    claimant: str | None = None
    incidents: IncidentQuery | None = None


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
