"""Server-rendered pages: the map/timeline/list view, an incident, an article, the API reference."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..corrections.view import correction_history
from ..dataset.formats import incident_detail
from ..dataset.query import EVENT_TYPES
from ..dataset.read import Dataset
from ..place_confidence import LEGEND, LOW_MARK
from ..review import KINDS, review_queue
from . import queries
from .db import get_conn
from .params import (
    MAX_LIMIT,
    MAX_OFFSET,
    DateParam,
    OutcomeParam,
    Page,
    TallyFilter,
    TextParam,
    check_range,
    parse_date,
    parse_text,
    tally_filter,
)
from .views import (
    article_segments,
    attach_passages,
    claim_figure,
    figures_text,
    flag_disagreements,
    path_segment,
    redirect_if_moved,
    safe_url,
    type_class,
)

REVIEW_PAGE_LIMIT = 500
LIST_PAGE_SIZE = 50
OUTCOMES = ("killed", "injured", "missing", "arrested", "displaced", "abducted")
TEMPLATES_DIR = Path(__file__).parent / "templates"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["seg"] = path_segment
    env.filters["figures"] = figures_text
    env.filters["claim_figure"] = claim_figure
    env.filters["type_class"] = type_class
    env.globals["safe_url"] = safe_url
    env.globals["low_mark"] = LOW_MARK
    env.globals["place_legend"] = LEGEND
    return env


templates = Jinja2Templates(env=_environment())
router = APIRouter(include_in_schema=False)
ConnDep = Annotated[sqlite3.Connection, Depends(get_conn)]


def list_page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = LIST_PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page:
    """Paging for the list pages (a shorter default page than the API's)."""
    return Page(limit, offset)


ListPageDep = Annotated[Page, Depends(list_page)]


def _list_context(request: Request, pg: Page, total: int, items: list[Any]) -> dict[str, Any]:
    """What every list page's template needs: the rows, the paging, and the filters to keep in links."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    return {"items": items, "total": total, "limit": pg.limit, "offset": pg.offset,
            "base": urlencode(kept), "params": request.query_params, "outcomes": OUTCOMES}


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _choices(conn: sqlite3.Connection) -> dict[str, list[str]]:
    countries = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT country FROM events WHERE country IS NOT NULL ORDER BY country"
        )
    ]
    found = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT event_type FROM events WHERE event_type IS NOT NULL AND event_type != ''"
        )
    ]
    types = list(EVENT_TYPES) + sorted(t for t in found if t not in EVENT_TYPES)
    return {"countries": countries, "types": types,
            "sub_types": _distinct(conn, "sub_event_type"), "regions": _distinct(conn, "admin1")}


def _distinct(conn: sqlite3.Connection, column: str) -> list[str]:
    """The values of one events column, for a filter's choices (``column`` is a constant from this module)."""
    sql = f"SELECT DISTINCT {column} FROM events WHERE {column} IS NOT NULL AND {column} != '' ORDER BY 1"
    return [r[0] for r in conn.execute(sql)]


@router.get("/", response_class=HTMLResponse)
def index(request: Request, conn: ConnDep) -> HTMLResponse:
    """The map, timeline and list; the filters are read from the query string by static/app.js."""
    total = Dataset(conn).total()
    return render(
        request,
        "index.html",
        {**_choices(conn), "total": total, "max_limit": MAX_LIMIT, "params": request.query_params},
    )


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, conn: ConnDep, kind: str | None = None) -> HTMLResponse:
    """The review queue (the same as `sitrep review`), one section per kind."""
    if kind is not None and kind not in KINDS:
        raise HTTPException(status_code=400, detail=f"unknown kind {kind!r}; the kinds are {', '.join(KINDS)}")
    items = review_queue(conn, [kind] if kind else None, REVIEW_PAGE_LIMIT)
    counts = {k: sum(1 for i in items if i.kind == k) for k in KINDS}
    return render(request, "review.html", {"items": items, "kinds": KINDS, "counts": counts, "kind": kind,
                                           "limit": REVIEW_PAGE_LIMIT})


@router.get("/incidents/{event_id:path}", response_class=HTMLResponse)
def incident_page(event_id: str, request: Request, conn: ConnDep) -> HTMLResponse:
    row = Dataset(conn).get(event_id, "summary")
    if row is None:
        redirect_if_moved(conn, event_id, "/incidents/")
        raise HTTPException(status_code=404, detail=f"no incident with id {event_id!r}")
    record = incident_detail(row)
    sources = queries.incident_reports(conn, event_id)
    flag_disagreements(sources, "fatalities")
    flag_disagreements(sources, "injuries")
    claims = queries.incident_claims(conn, event_id)
    texts = {
        aid: row[0]
        for aid in {c["article_id"] for c in claims}
        for row in conn.execute("SELECT text FROM articles WHERE id = ?", (aid,))
    }
    attach_passages(claims, texts)
    return render(
        request,
        "incident.html",
        {
            "incident": record,
            "sources": sources,
            "claims": claims,
            "victims": queries.incident_victims(conn, event_id),
            "corrections": correction_history(conn, event_id),
        },
    )


@router.get("/articles", response_class=HTMLResponse)
@router.get("/articles/", response_class=HTMLResponse)
def articles_page(
    request: Request,
    conn: ConnDep,
    pg: ListPageDep,
    since: DateParam = None,
    until: DateParam = None,
    outlet: TextParam = None,
    q: TextParam = None,
) -> HTMLResponse:
    """The stored articles, newest first, with the same filters as /api/articles."""
    since_d, until_d = parse_date("since", since), parse_date("until", until)
    check_range("since", since_d, until_d)
    where = queries.article_where(since_d, until_d, parse_text("outlet", outlet), parse_text("q", q))
    total, items = queries.list_articles(conn, where, pg)
    return render(request, "articles.html", _list_context(request, pg, total, items))


@router.get("/tallies", response_class=HTMLResponse)
def tallies_page(
    request: Request, conn: ConnDep, pg: ListPageDep, tf: Annotated[TallyFilter, Depends(tally_filter)]
) -> HTMLResponse:
    """The reported running totals, oldest first, with the same filters as /api/tallies."""
    items = queries.list_tallies(conn, tf, pg.limit, pg.offset)
    return render(request, "tallies.html", _list_context(request, pg, queries.count_tallies(conn, tf), items))


@router.get("/victims", response_class=HTMLResponse)
def victims_page(
    request: Request, conn: ConnDep, pg: ListPageDep, outcome: OutcomeParam = None, q: TextParam = None
) -> HTMLResponse:
    """The named victims, by name, with the same filters as /api/victims."""
    total, items = queries.list_victims(conn, event_id=None, article_id=None, outcome=outcome,
                                        q=parse_text("q", q), page=pg)
    return render(request, "victims.html", _list_context(request, pg, total, items))


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(
    article_id: str,
    request: Request,
    conn: ConnDep,
    claim: Annotated[int | None, Query(ge=0, description="The claim to mark as followed.")] = None,
) -> HTMLResponse:
    record = queries.get_article(conn, article_id)
    if record is None:
        raise HTTPException(status_code=404, detail=f"no article with id {article_id!r}")
    claims = queries.article_claims(conn, article_id)
    tallies = queries.list_tallies_for_article(conn, article_id)
    victims = queries.article_victims(conn, article_id)
    target = f"claim-{claim}" if claim is not None else None
    return render(
        request,
        "article.html",
        {
            "article": record,
            "claims": claims,
            "segments": article_segments(record["text"], claims, tallies, victims, target),
            "reports": queries.article_reports(conn, article_id),
            "tallies": tallies,
            "victims": victims,
            "target": target,
        },
    )


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """A plain reference page built from the OpenAPI document (no Swagger UI, nothing from a CDN)."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                }
            )
    return render(request, "apidocs.html", {"endpoints": endpoints})
