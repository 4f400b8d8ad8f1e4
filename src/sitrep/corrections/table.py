"""The ``corrections`` table (schema in ``store.MIGRATIONS``, number 6) and finding reports by their keys.

Every function takes one SQLite connection; writes happen inside the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

from .model import Correction, ReportKey

_COLUMNS = ("uid", "kind", "fields", "machine", "target", "original_event_id", "event_id", "status", "by", "at",
            "reason", "undone_by", "undone_at")


def save(conn: sqlite3.Connection, c: Correction) -> tuple[int, bool]:
    """Store a correction; returns its id and whether it is new (the same ``uid`` is stored once)."""
    row = conn.execute("SELECT id FROM corrections WHERE uid = ?", (c.uid,)).fetchone()
    if row is not None:
        return int(row[0]), False
    values = (c.uid, c.kind, json.dumps(c.fields, ensure_ascii=False), json.dumps(c.machine, ensure_ascii=False),
              json.dumps([k.to_json() for k in c.target]), c.original_event_id, c.event_id, c.status, c.by, c.at,
              c.reason, c.undone_by, c.undone_at)
    cursor = conn.execute(f"INSERT INTO corrections ({', '.join(_COLUMNS)}) VALUES ({','.join('?' * len(_COLUMNS))})",
                          values)
    return int(cursor.lastrowid or 0), True


def _correction(row: sqlite3.Row) -> Correction:
    return Correction(kind=row["kind"], fields=json.loads(row["fields"]),
                      target=[ReportKey.from_json(k) for k in json.loads(row["target"])], reason=row["reason"],
                      by=row["by"], at=row["at"], machine=json.loads(row["machine"]),
                      original_event_id=row["original_event_id"], event_id=row["event_id"], status=row["status"],
                      undone_by=row["undone_by"], undone_at=row["undone_at"], id=row["id"])


def load(conn: sqlite3.Connection, *, active_only: bool = False) -> list[Correction]:
    """Every correction (or only those not undone), oldest first."""
    where = " WHERE undone_at IS NULL" if active_only else ""
    try:
        rows = conn.execute(f"SELECT * FROM corrections{where} ORDER BY id").fetchall()
    except sqlite3.OperationalError:  # a read-only database older than the corrections table
        return []
    return [_correction(r) for r in rows]


def get(conn: sqlite3.Connection, correction_id: int) -> Correction | None:
    row = conn.execute("SELECT * FROM corrections WHERE id = ?", (correction_id,)).fetchone()
    return _correction(row) if row else None


def history(conn: sqlite3.Connection, event_id: str) -> list[Correction]:
    """The corrections made on, or now applied to, an event (undone ones included), oldest first."""
    try:
        rows = conn.execute("SELECT * FROM corrections WHERE event_id = ? OR original_event_id = ? ORDER BY id",
                            (event_id, event_id)).fetchall()
    except sqlite3.OperationalError:
        return []
    return [_correction(r) for r in rows]


def mark_undone(conn: sqlite3.Connection, correction_id: int, by: str, at: str) -> None:
    conn.execute("UPDATE corrections SET undone_by = ?, undone_at = ? WHERE id = ?", (by, at, correction_id))


def mark_found(conn: sqlite3.Connection, correction_id: int, event_id: str | None, found: bool) -> None:
    """Record where a correction applies now (``found`` False: its reports are gone)."""
    status = "applied" if found else "not_found"
    conn.execute("UPDATE corrections SET event_id = ?, status = ? "
                 "WHERE id = ? AND (event_id IS NOT ? OR status IS NOT ?)",
                 (event_id, status, correction_id, event_id, status))


def member_keys(conn: sqlite3.Connection, event_id: str) -> list[ReportKey]:
    """The keys of an event's reports, in the stable order (article id, then index)."""
    rows = conn.execute("SELECT r.article_id, r.idx, a.content_hash FROM reports r "
                        "JOIN articles a ON a.id = r.article_id "
                        "WHERE r.event_id = ? ORDER BY r.article_id, r.idx", (event_id,))
    return [ReportKey(row["article_id"], row["content_hash"], row["idx"]) for row in rows]


def member_hashes(conn: sqlite3.Connection, event_ids: set[str]) -> set[str]:
    """Content hashes of the articles whose reports belong to the given events."""
    found: set[str] = set()
    ids = sorted(event_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(row[0] for row in conn.execute(
            "SELECT DISTINCT a.content_hash FROM reports r JOIN articles a ON a.id = r.article_id "
            f"WHERE r.event_id IN ({','.join('?' * len(chunk))})", chunk))
    return found


def resolve(conn: sqlite3.Connection, keys: list[ReportKey]) -> dict[ReportKey, tuple[str, str | None]]:
    """Each key's report now: (report id, its event id). A key finds its article by content hash (else by
    article id, if the text changed), then the report at the same position; an article re-extracted into
    a single report is that report. Keys whose report cannot be told are left out."""
    out: dict[ReportKey, tuple[str, str | None]] = {}
    for key in keys:
        rows = conn.execute("SELECT r.id, r.idx, r.event_id FROM reports r JOIN articles a ON a.id = r.article_id "
                            "WHERE a.content_hash = ? ORDER BY r.idx", (key.content_hash,)).fetchall()
        if not rows:
            rows = conn.execute("SELECT id, idx, event_id FROM reports WHERE article_id = ? ORDER BY idx",
                                (key.article_id,)).fetchall()
        same = [r for r in rows if r["idx"] == key.index] or (rows if len(rows) == 1 else [])
        if same:
            out[key] = (same[0]["id"], same[0]["event_id"])
    return out


def existing_events(conn: sqlite3.Connection, event_ids: set[str]) -> set[str]:
    ids = sorted(event_ids)
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(row[0] for row in conn.execute(f"SELECT id FROM events WHERE id IN ({','.join('?' * len(chunk))})",
                                                    chunk))
    return found


def events_by_members(found: dict[ReportKey, tuple[str, str | None]]) -> dict[str, list[str]]:
    """event id -> the ids of the found reports in it (reports in no event are left out)."""
    out: dict[str, list[str]] = defaultdict(list)
    for report_id, event_id in found.values():
        if event_id is not None:
            out[event_id].append(report_id)
    return dict(out)
