"""The JSON API under /api (read-only; every value validated before it reaches SQL)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from ..dataset.formats import FORMATS, Format, incident_detail, incident_item, render
from ..dataset.query import IncidentQuery
from ..dataset.read import Dataset
from ..review import KINDS, review_queue
from . import queries
from .db import get_conn
from .params import (
    BadParameter,
    DateParam,
    OutcomeParam,
    Page,
    TallyFilter,
    TextParam,
    check_range,
    incident_filter,
    page,
    parse_date,
    parse_text,
    tally_filter,
)
from .views import redirect_if_moved

EXPORT_MAX_ROWS = 50_000
TALLY_MAX_POINTS = 5_000
Sort = Literal["date_desc", "date_asc", "killed_desc", "sources_desc"]

ConnDep = Annotated[sqlite3.Connection, Depends(get_conn)]
FilterDep = Annotated[IncidentQuery, Depends(incident_filter)]
PageDep = Annotated[Page, Depends(page)]
SortParam = Annotated[Sort, Query(description="date_desc, date_asc, killed_desc or sources_desc.")]
BomParam = Annotated[bool, Query(description="CSV only: start with a UTF-8 byte order mark (for Excel).")]

router = APIRouter(prefix="/api")


def _not_found(kind: str, item_id: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {kind} with id {item_id!r}")


@router.get("/incidents", summary="Merged incidents, filtered and paged")
def incidents(f: FilterDep, pg: PageDep, conn: ConnDep, sort: SortParam = "date_desc") -> dict[str, Any]:
    ds = Dataset(conn)
    rows = ds.rows(replace(f, sort=sort, limit=pg.limit, offset=pg.offset))
    return {"total": ds.count(f), "limit": pg.limit, "offset": pg.offset, "items": [incident_item(r) for r in rows]}


def _download_route(fmt: Format) -> None:
    """``/api/incidents.<extension>``: the filtered incidents (up to EXPORT_MAX_ROWS) in ``fmt``."""

    def download(f: FilterDep, conn: ConnDep, sort: SortParam = "date_asc", bom: BomParam = False) -> Response:
        if bom and not fmt.tabular:
            raise BadParameter("bom", f"bom applies to the CSV downloads, not {fmt.name}")
        out = render(fmt.name, Dataset(conn), replace(f, sort=sort, limit=EXPORT_MAX_ROWS), bom=bom)
        name = f"sitrep-incidents.{fmt.extension}"
        return Response(out.text, media_type=fmt.media_type,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    router.add_api_route(f"/incidents.{fmt.extension}", download, methods=["GET"], response_class=Response,
                         name=f"incidents_{fmt.name.replace('-', '_')}",
                         summary=f"{fmt.name} download of the filtered incidents (up to {EXPORT_MAX_ROWS:,}): "
                         + fmt.help)


for _fmt in FORMATS.values():
    _download_route(_fmt)


@router.get("/timeline", summary="Incidents and killed per day and event type, for the filtered set")
def timeline(f: FilterDep, conn: ConnDep) -> dict[str, Any]:
    return {"days": Dataset(conn).timeline(f)}


@router.get("/incidents/{event_id:path}", summary="One incident with its sources, claims and victims")
def incident(event_id: str, conn: ConnDep) -> dict[str, Any]:
    row = Dataset(conn).get(event_id, "summary")
    if row is None:
        redirect_if_moved(conn, event_id, "/api/incidents/")
        raise _not_found("incident", event_id)
    record = incident_detail(row)
    record["sources"] = queries.incident_reports(conn, event_id)
    record["claims"] = queries.incident_claims(conn, event_id)
    record["victims"] = queries.incident_victims(conn, event_id)
    return record


@router.get("/articles", summary="Stored articles (metadata only), filtered and paged")
def articles(
    pg: PageDep,
    conn: ConnDep,
    since: DateParam = None,
    until: DateParam = None,
    outlet: TextParam = None,
    q: TextParam = None,
) -> dict[str, Any]:
    since_d, until_d = parse_date("since", since), parse_date("until", until)
    check_range("since", since_d, until_d)
    where = queries.article_where(since_d, until_d, parse_text("outlet", outlet), parse_text("q", q))
    total, items = queries.list_articles(conn, where, pg)
    return {"total": total, "limit": pg.limit, "offset": pg.offset, "items": items}


@router.get("/articles/{article_id:path}", summary="One article: metadata, cleaned text, claims' offsets")
def article(article_id: str, conn: ConnDep) -> dict[str, Any]:
    record = queries.get_article(conn, article_id)
    if record is None:
        raise _not_found("article", article_id)
    record["reports"] = queries.article_reports(conn, article_id)
    record["claims"] = queries.article_claims(conn, article_id)
    record["tallies"] = queries.list_tallies_for_article(conn, article_id)
    record["victims"] = queries.article_victims(conn, article_id)
    return record


TallyFilterDep = Annotated[TallyFilter, Depends(tally_filter)]


@router.get("/tallies", summary="Reported running totals, as points and as series per area and claimant")
def tallies(
    conn: ConnDep,
    tf: TallyFilterDep,
    f: FilterDep,
    limit: Annotated[int, Query(ge=1, le=TALLY_MAX_POINTS)] = TALLY_MAX_POINTS,
) -> dict[str, Any]:
    """With any incident filter besides the dates, only tallies from articles that reported a matching
    incident (so the chart on the map page follows its filters)."""
    scope = replace(f, since=None, until=None)
    if scope != IncidentQuery():
        tf.incidents = scope
    points = queries.list_tallies(conn, tf, limit)
    return {"points": points, "series": queries.group_series(points)}


@router.get("/review", summary="What needs a human, most important first (the same queue as `sitrep review`)")
def review(
    conn: ConnDep,
    kind: Annotated[list[str] | None, Query(description="Only these kinds: " + ", ".join(KINDS))] = None,
    limit: Annotated[int, Query(ge=1, le=EXPORT_MAX_ROWS)] = 200,
) -> dict[str, Any]:
    unknown = sorted(set(kind or []) - set(KINDS))
    if unknown:
        raise BadParameter("kind", f"unknown kind {unknown[0]!r}; the kinds are {', '.join(KINDS)}")
    return {"kinds": KINDS, "items": [i.to_json() for i in review_queue(conn, kind or None, limit)]}


@router.get("/victims", summary="Named victims, filtered and paged")
def victims(
    pg: PageDep,
    conn: ConnDep,
    incident: Annotated[str | None, Query(description="Only victims of this incident id.")] = None,
    article: Annotated[str | None, Query(description="Only victims named in this article.")] = None,
    outcome: OutcomeParam = None,
    q: TextParam = None,
) -> dict[str, Any]:
    total, items = queries.list_victims(
        conn,
        event_id=parse_text("incident", incident),
        article_id=parse_text("article", article),
        outcome=outcome,
        q=parse_text("q", q),
        page=pg,
    )
    return {"total": total, "limit": pg.limit, "offset": pg.offset, "items": items}
