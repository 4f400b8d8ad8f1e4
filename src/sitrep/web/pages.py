"""Server-rendered pages: the map/timeline/list view, an incident, an article, the API reference."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
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
from .params import MAX_LIMIT
from .views import (
    article_segments,
    attach_passages,
    figures_text,
    flag_disagreements,
    path_segment,
    redirect_if_moved,
    safe_url,
    type_class,
)

REVIEW_PAGE_LIMIT = 500
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
    env.filters["type_class"] = type_class
    env.globals["safe_url"] = safe_url
    env.globals["low_mark"] = LOW_MARK
    env.globals["place_legend"] = LEGEND
    return env


templates = Jinja2Templates(env=_environment())
router = APIRouter(include_in_schema=False)
ConnDep = Annotated[sqlite3.Connection, Depends(get_conn)]


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
    return {"countries": countries, "types": types}


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


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(article_id: str, request: Request, conn: ConnDep) -> HTMLResponse:
    record = queries.get_article(conn, article_id)
    if record is None:
        raise HTTPException(status_code=404, detail=f"no article with id {article_id!r}")
    claims = queries.article_claims(conn, article_id)
    return render(
        request,
        "article.html",
        {
            "article": record,
            "claims": claims,
            "segments": article_segments(record["text"], claims),
            "reports": queries.article_reports(conn, article_id),
            "tallies": queries.list_tallies_for_article(conn, article_id),
            "victims": queries.article_victims(conn, article_id),
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
