"""SQL for the web app: constant SQL text with ``?`` placeholders only, rows turned into JSON-ready dicts."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from .highlight import vague_words
from .params import Page, TallyFilter, like_pattern

Row = dict[str, Any]


def _json_list(value: str | None) -> list[Any]:
    try:
        data = json.loads(value or "[]")
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def _figures(best: int | None, low: int | None, high: int | None) -> dict[str, int | None] | None:
    if low is None and best is None:
        return None
    return {"best": best if best is not None else low, "low": low, "high": high if high is not None else low}


def _evidence(start: int | None, end: int | None, text: str | None) -> dict[str, Any] | None:
    if start is None or end is None:
        return None
    return {"start": start, "end": end, "text": text}


# -- one incident's sources, claims and victims (its record: ``dataset.read.Dataset``) -------------------
def incident_reports(conn: sqlite3.Connection, event_id: str) -> list[Row]:
    """Each source's account of one event: outlet, date, figures and claimants."""
    rows = conn.execute(
        """SELECT r.*, a.outlet, a.published, a.title FROM reports r JOIN articles a ON a.id = r.article_id
           WHERE r.event_id = ? ORDER BY a.published, r.article_id, r.idx""",
        (event_id,),
    ).fetchall()
    out = []
    for r in rows:
        claimants = [
            c[0]
            for c in conn.execute(
                "SELECT DISTINCT claimant FROM claims WHERE report_id = ? AND claimant IS NOT NULL"
                " ORDER BY claimant",
                (r["id"],),
            )
        ]
        out.append(
            {
                "report_id": r["id"],
                "article_id": r["article_id"],
                "outlet": r["outlet"],
                "published": r["published"],
                "title": r["title"],
                "date": r["date"],
                "location": r["location_name"],
                "event_type": r["event_type"],
                "summary": r["summary"],
                "fatalities": _figures(r["fatalities_best"], r["fatalities_low"], r["fatalities_high"]),
                "injuries": _figures(r["injuries_best"], r["injuries_low"], r["injuries_high"]),
                "claimants": claimants,
            }
        )
    return out


def claim_dict(row: sqlite3.Row) -> Row:
    return {
        "id": row["id"],
        "report_id": row["report_id"],
        "article_id": row["article_id"],
        "report": row["report_id"],  # the export's spelling too (``dataset.formats.claim_json``)
        "article": row["article_id"],
        "outcome": row["outcome"],
        "count": row["count"],
        "count_high": row["count_high"],
        "qualifier": row["qualifier"],
        "vague": bool(row["vague"]),
        "vague_words": vague_words(row["ev_text"] or "", 0, len(row["ev_text"] or ""), row["count"])
        if row["vague"] else None,
        "victims": row["victims"],
        "victim_side": row["victim_side"],
        "claimant": row["claimant"],
        "part_of_total": bool(row["part_of_total"]),
        "evidence": _evidence(row["ev_start"], row["ev_end"], row["ev_text"]),
    }


def incident_claims(conn: sqlite3.Connection, event_id: str) -> list[Row]:
    rows = conn.execute(
        """SELECT c.* FROM claims c JOIN reports r ON r.id = c.report_id
           WHERE r.event_id = ? ORDER BY c.article_id, c.id""",
        (event_id,),
    )
    return [claim_dict(r) for r in rows]


def victim_dict(row: sqlite3.Row) -> Row:
    return {
        "id": row["id"],
        "name": row["name"],
        "age": row["age"],
        "outcome": row["outcome"],
        "role": row["role"],
        "article_id": row["article_id"],
        "report_id": row["report_id"],
        "event_id": row["event_id"],
        "evidence": _evidence(row["ev_start"], row["ev_end"], row["ev_text"]),
    }


_VICTIM_SELECT = "SELECT v.*, r.event_id FROM victims v LEFT JOIN reports r ON r.id = v.report_id"


def incident_victims(conn: sqlite3.Connection, event_id: str) -> list[Row]:
    rows = conn.execute(f"{_VICTIM_SELECT} WHERE r.event_id = ? ORDER BY v.name, v.id", (event_id,))
    return [victim_dict(r) for r in rows]


# -- articles ----------------------------------------------------------------------------------------
def public_source(source: str | None) -> str | None:
    """What the API may say about where an article came from: a URL, or a local file's name without its
    folders (the server's paths are nobody's business)."""
    if not source or "://" in source:
        return source
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def article_meta(row: sqlite3.Row) -> Row:
    return {
        "id": row["id"],
        "outlet": row["outlet"],
        "title": row["title"],
        "published": row["published"],
        "published_uncertain": bool(row["published_uncertain"]),
        "url": row["url"],
        "source": public_source(row["source"]),
        "language": row["language"],
        "status": row["status"],
        "ingested_at": row["ingested_at"],
        "extracted_at": row["extracted_at"],
    }


def article_where(
    since: str | None, until: str | None, outlet: str | None, q: str | None
) -> tuple[str, list[Any]]:
    parts: list[str] = []
    args: list[Any] = []
    if since:
        parts.append("a.published >= ?")
        args.append(since)
    if until:
        parts.append("a.published <= ?")
        args.append(until)
    if outlet:
        parts.append("a.outlet LIKE ? ESCAPE '\\'")
        args.append(like_pattern(outlet))
    if q:
        parts.append("(a.title LIKE ? ESCAPE '\\' OR a.text LIKE ? ESCAPE '\\')")
        args += [like_pattern(q)] * 2
    return (" AND ".join(parts) or "1=1"), args


_ARTICLE_COLUMNS = (
    "a.id, a.outlet, a.title, a.published, a.published_uncertain, a.url, a.source, a.language,"
    " a.status, a.ingested_at, a.extracted_at"
)


def list_articles(
    conn: sqlite3.Connection, where: tuple[str, list[Any]], page: Page
) -> tuple[int, list[Row]]:
    sql, args = where
    total = int(conn.execute(f"SELECT COUNT(*) FROM articles a WHERE {sql}", args).fetchone()[0])
    rows = conn.execute(
        f"""SELECT {_ARTICLE_COLUMNS}, (SELECT COUNT(*) FROM reports r WHERE r.article_id = a.id) AS n_reports
            FROM articles a WHERE {sql} ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?""",
        [*args, page.limit, page.offset],
    )
    items = []
    for r in rows:
        item = article_meta(r)
        item["n_reports"] = r["n_reports"]
        items.append(item)
    return total, items


def get_article(conn: sqlite3.Connection, article_id: str) -> Row | None:
    row = conn.execute(
        f"SELECT {_ARTICLE_COLUMNS}, a.text FROM articles a WHERE a.id = ?", (article_id,)
    ).fetchone()
    if row is None:
        return None
    out = article_meta(row)
    out["text"] = row["text"]
    return out


def article_claims(conn: sqlite3.Connection, article_id: str) -> list[Row]:
    rows = conn.execute(
        """SELECT c.*, r.event_id FROM claims c JOIN reports r ON r.id = c.report_id
           WHERE c.article_id = ? ORDER BY c.ev_start, c.id""",
        (article_id,),
    )
    out = []
    for r in rows:
        item = claim_dict(r)
        item["event_id"] = r["event_id"]
        out.append(item)
    return out


def article_reports(conn: sqlite3.Connection, article_id: str) -> list[Row]:
    rows = conn.execute(
        """SELECT id, idx, main, date, location_name, country, event_type, sub_event_type, event_id,
                  fatalities_best, fatalities_low, fatalities_high, injuries_best, injuries_low, injuries_high
           FROM reports WHERE article_id = ? ORDER BY idx""",
        (article_id,),
    )
    return [
        {
            "report_id": r["id"],
            "index": r["idx"],
            "main": bool(r["main"]),
            "date": r["date"],
            "location": r["location_name"],
            "country": r["country"],
            "event_type": r["event_type"],
            "sub_event_type": r["sub_event_type"],
            "event_id": r["event_id"],
            "fatalities": _figures(r["fatalities_best"], r["fatalities_low"], r["fatalities_high"]),
            "injuries": _figures(r["injuries_best"], r["injuries_low"], r["injuries_high"]),
        }
        for r in rows
    ]


def article_victims(conn: sqlite3.Connection, article_id: str) -> list[Row]:
    rows = conn.execute(f"{_VICTIM_SELECT} WHERE v.article_id = ? ORDER BY v.id", (article_id,))
    return [victim_dict(r) for r in rows]


# -- tallies and victims -----------------------------------------------------------------------------
def tally_dict(row: sqlite3.Row) -> Row:
    return {
        "id": row["id"],
        "article_id": row["article_id"],
        "outlet": row["outlet"],
        "published": row["published"],
        "outcome": row["outcome"],
        "count": row["count"],
        "qualifier": row["qualifier"],
        "victims": row["victims"],
        "area": row["area"],
        "period_start": row["period_start"],
        "as_of": row["as_of"],
        "date": row["as_of"] or row["published"],
        "claimant": row["claimant"],
        "evidence": _evidence(row["ev_start"], row["ev_end"], row["ev_text"]),
    }


_TALLY_DAY = "COALESCE(t.as_of, a.published)"


def tally_where(f: TallyFilter) -> tuple[str, list[Any]]:
    """The WHERE clause over ``tallies t JOIN articles a``; only placeholders carry values."""
    parts: list[str] = []
    args: list[Any] = []
    if f.since:
        parts.append(f"{_TALLY_DAY} >= ?")
        args.append(f.since)
    if f.until:
        parts.append(f"{_TALLY_DAY} <= ?")
        args.append(f.until)
    if f.outcome:
        parts.append("t.outcome = ?")
        args.append(f.outcome)
    for column, value in (("t.area", f.area), ("t.claimant", f.claimant)):
        if value:
            parts.append(f"{column} LIKE ? ESCAPE '\\'")
            args.append(like_pattern(value))
    if f.incidents is not None:
        inner, inner_args = f.incidents.where()
        parts.append("EXISTS (SELECT 1 FROM reports r JOIN events e ON e.id = r.event_id"
                     f" WHERE r.article_id = t.article_id AND {inner})")
        args += list(inner_args)
    return (" AND ".join(parts) or "1=1"), args


def count_tallies(conn: sqlite3.Connection, f: TallyFilter) -> int:
    where, args = tally_where(f)
    sql = f"SELECT COUNT(*) FROM tallies t JOIN articles a ON a.id = t.article_id WHERE {where}"
    return int(conn.execute(sql, args).fetchone()[0])


def list_tallies(conn: sqlite3.Connection, f: TallyFilter, limit: int, offset: int = 0) -> list[Row]:
    """Tally points, oldest first; their date is ``as_of`` or else the article's publication date."""
    where, args = tally_where(f)
    rows = conn.execute(
        f"""SELECT t.*, a.outlet, a.published FROM tallies t JOIN articles a ON a.id = t.article_id
            WHERE {where} ORDER BY {_TALLY_DAY}, t.id LIMIT ? OFFSET ?""",
        [*args, limit, offset],
    )
    return [tally_dict(r) for r in rows]


def group_series(points: list[Row]) -> list[Row]:
    """Tally points grouped into lines: one per (outcome, area, victims, claimant)."""
    series: dict[tuple[str, str, str, str], Row] = {}
    for p in points:
        key = (p["outcome"], p["area"] or "", p["victims"] or "", p["claimant"] or "")
        if key not in series:
            series[key] = {
                "outcome": p["outcome"],
                "area": p["area"],
                "victims": p["victims"],
                "claimant": p["claimant"],
                "points": [],
            }
        series[key]["points"].append(
            {
                "date": p["date"],
                "count": p["count"],
                "qualifier": p["qualifier"],
                "article_id": p["article_id"],
                "outlet": p["outlet"],
                "id": p["id"],
            }
        )
    return list(series.values())


def list_victims(
    conn: sqlite3.Connection,
    *,
    event_id: str | None,
    article_id: str | None,
    outcome: str | None,
    q: str | None,
    page: Page,
) -> tuple[int, list[Row]]:
    parts: list[str] = []
    args: list[Any] = []
    if event_id:
        parts.append("r.event_id = ?")
        args.append(event_id)
    if article_id:
        parts.append("v.article_id = ?")
        args.append(article_id)
    if outcome:
        parts.append("v.outcome = ?")
        args.append(outcome)
    if q:
        parts.append("(v.name LIKE ? ESCAPE '\\' OR v.role LIKE ? ESCAPE '\\')")
        args += [like_pattern(q)] * 2
    where = " AND ".join(parts) or "1=1"
    total = int(
        conn.execute(
            f"SELECT COUNT(*) FROM victims v LEFT JOIN reports r ON r.id = v.report_id WHERE {where}", args
        ).fetchone()[0]
    )
    rows = conn.execute(
        f"{_VICTIM_SELECT} WHERE {where} ORDER BY v.name, v.id LIMIT ? OFFSET ?",
        [*args, page.limit, page.offset],
    )
    return total, [victim_dict(r) for r in rows]


def list_tallies_for_article(conn: sqlite3.Connection, article_id: str) -> list[Row]:
    rows = conn.execute(
        """SELECT t.*, a.outlet, a.published FROM tallies t JOIN articles a ON a.id = t.article_id
           WHERE t.article_id = ? ORDER BY t.ev_start, t.id""",
        (article_id,),
    )
    return [tally_dict(r) for r in rows]
