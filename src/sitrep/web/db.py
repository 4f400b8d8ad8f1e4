"""Read-only database access for the web app: one SQLite connection per request."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from fastapi import Request

from ..store import readonly_uri

BUSY_TIMEOUT_S = 10.0


class DatabaseMissing(Exception):
    """The database file does not exist (serve refuses to create one)."""


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open the database read-only; ``query_only`` makes any write fail even if a bug tried one."""
    if not path.is_file():
        raise DatabaseMissing(str(path))
    conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    """FastAPI dependency: a fresh read-only connection, closed after the response."""
    conn = connect_readonly(request.app.state.db_path)
    try:
        # one read transaction per request: every query sees the same snapshot, so a list's total and its
        # items agree while an ingest writes (found by scripts/load_test.py)
        conn.execute("BEGIN")
        yield conn
    finally:
        conn.close()
