"""The FastAPI application factory for ``sitrep serve``."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from . import api, pages
from .db import DatabaseMissing
from .params import BadParameter
from .security import BodyLimitMiddleware, HeadAsGetMiddleware, SecurityHeadersMiddleware

STATIC_DIR = Path(__file__).parent / "static"
LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error(request: Request, status: int, message: str, **extra: Any) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message, **extra}, status_code=status)
    return pages.render(request, "error.html", {"status": status, "message": message}, status_code=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "error"
    if exc.status_code == 404 and message == "Not Found":
        message = "not found"
    response = _error(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    detail = [
        {"param": str(e.get("loc", ["", "?"])[-1]), "message": str(e.get("msg", "invalid"))}
        for e in exc.errors()
    ]
    return _error(
        request,
        422,
        "invalid parameter: " + "; ".join(f"{d['param']}: {d['message']}" for d in detail),
        detail=detail,
    )


async def _bad_parameter(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadParameter)
    return _error(request, 400, exc.message, param=exc.param)


async def _database_missing(request: Request, exc: Exception) -> Response:
    return _error(request, 503, "database not found: run `sitrep ingest` first or pass --db")


async def _database_error(request: Request, exc: Exception) -> Response:
    return _error(request, 503, f"database unavailable ({type(exc).__name__}); is it a sitrep database?")


def create_app(db_path: str | Path, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web app over the database at ``db_path`` (opened read-only, once per request)."""
    app = FastAPI(
        title="sitrep API",
        version=__version__,
        description="Read-only access to a sitrep incident database. Every figure links to its evidence.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.db_path = Path(db_path)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR, follow_symlink=False), name="static")
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(BadParameter, _bad_parameter)
    app.add_exception_handler(DatabaseMissing, _database_missing)
    app.add_exception_handler(sqlite3.Error, _database_error)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or LOCAL_HOSTS)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HeadAsGetMiddleware)
    return app
