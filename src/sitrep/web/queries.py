"""SQL for the web app: constant SQL text with ``?`` placeholders only, rows turned into JSON-ready dicts."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..place_confidence import place_confidence
from .highlight import vague_words
from .params import SORTS, IncidentFilter, Page, TallyFilter, like_pattern

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


# -- incidents ---------------------------------------------------------------------------------------
def incident_where(f: IncidentFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``events e``) for a filter; only placeholders carry values."""
    parts: list[str] = []
    args: list[Any] = []
    if f.since:
        parts.append("COALESCE(e.date_end, e.date) >= ?")
        args.append(f.since)
    if f.until:
        parts.append("e.date <= ?")
        args.append(f.until)
    if f.bbox:
        minlon, minlat, maxlon, maxlat = f.bbox
        parts.append("e.lat BETWEEN ? AND ?")
        args += [minlat, maxlat]
        if minlon <= maxlon:
            parts.append("e.lon BETWEEN ? AND ?")
        else:  # crosses the antimeridian
            parts.append("(e.lon >= ? OR e.lon <= ?)")
        args += [minlon, maxlon]
    if f.countries:
        parts.append(f"e.country IN ({', '.join('?' for _ in f.countries)})")
        args += f.countries
    if f.types:
        parts.append(f"e.event_type IN ({', '.join('?' for _ in f.types)})")
        args += f.types
    if f.actor:
        parts.append("EXISTS (SELECT 1 FROM json_each(e.actors) j WHERE j.value LIKE ? ESCAPE '\\')")
        args.append(like_pattern(f.actor))
    if f.min_killed is not None:
        parts.append("COALESCE(e.fatalities_best, e.fatalities_low, 0) >= ?")
        args.append(f.min_killed)
    if f.disputed is not None:
        parts.append("e.disputed = ?")
        args.append(int(f.disputed))
    for column, value in (("e.sub_event_type", f.sub_type), ("e.admin1", f.admin1)):  # exact matches
        if value:
            parts.append(f"{column} = ?")
            args.append(value)
    if f.q:
        pattern = like_pattern(f.q)
        like = "LIKE ? ESCAPE '\\'"
        columns = ["e.location_name", "e.admin1", "e.admin2", "e.country", "e.event_type", "e.sub_event_type"]
        clause = (
            "(" + " OR ".join(f"{col} {like}" for col in columns)
            + f" OR EXISTS (SELECT 1 FROM json_each(e.actors) j WHERE j.value {like})"
            + f" OR EXISTS (SELECT 1 FROM reports r WHERE r.event_id = e.id AND r.summary {like}))"
        )
        parts.append(clause)
        args += [pattern] * clause.count("?")
    return (" AND ".join(parts) or "1=1"), args


def _confidence(row: sqlite3.Row) -> dict[str, Any]:
    """The place's precision in words and whether it is low (``place_confidence``)."""
    c = place_confidence(row["location_name"], row["lat"], row["geo_precision"], row["admin1"])
    return {"precision_words": c.words, "low_confidence": c.low}


def incident_dict(row: sqlite3.Row) -> Row:
    """One events row as the API shows it (same field names as ``sitrep export --format json``)."""
    keys = row.keys()
    return {
        "id": row["id"],
        "date": row["date"],
        "date_end": row["date_end"],
        "date_precision": row["date_precision"],
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        "location": {
            "name": row["location_name"],
            "admin1": row["admin1"],
            "admin2": row["admin2"],
            "country": row["country"],
            "lat": row["lat"],
            "lon": row["lon"],
            "geo_precision": row["geo_precision"],
            **_confidence(row),
        },
        "actors": [str(a) for a in _json_list(row["actors"])],
        "fatalities": _figures(row["fatalities_best"], row["fatalities_low"], row["fatalities_high"]),
        "injuries": _figures(row["injuries_best"], row["injuries_low"], row["injuries_high"]),
        "disputed": bool(row["disputed"]),
        "n_sources": row["n_sources"] if "n_sources" in keys else None,
        "date_uncertain": bool(row["date_uncertain"]) if "date_uncertain" in keys else False,
    }


_INCIDENT_SELECT = (
    "SELECT e.*, (SELECT COUNT(*) FROM reports r WHERE r.event_id = e.id) AS n_sources, "
    "(SELECT MIN(a.published_uncertain) FROM reports r JOIN articles a ON a.id = r.article_id "
    "WHERE r.event_id = e.id) AS date_uncertain FROM events e"
)


def count_incidents(conn: sqlite3.Connection, f: IncidentFilter) -> int:
    where, args = incident_where(f)
    return int(conn.execute(f"SELECT COUNT(*) FROM events e WHERE {where}", args).fetchone()[0])


def list_incidents(
    conn: sqlite3.Connection, f: IncidentFilter, page: Page, sort: str = "date_desc"
) -> list[Row]:
    where, args = incident_where(f)
    order = SORTS[sort]
    rows = conn.execute(
        f"{_INCIDENT_SELECT} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*args, page.limit, page.offset],
    )
    return [incident_dict(r) for r in rows]


def incident_sources(conn: sqlite3.Connection, event_ids: list[str]) -> dict[str, list[str]]:
    """Article ids behind each event, for the downloads."""
    out: dict[str, list[str]] = {eid: [] for eid in event_ids}
    for eid in event_ids:
        rows = conn.execute(
            "SELECT DISTINCT article_id FROM reports WHERE event_id = ? ORDER BY article_id", (eid,)
        )
        out[eid] = [r[0] for r in rows]
    return out


def timeline(conn: sqlite3.Connection, f: IncidentFilter) -> list[Row]:
    """Incidents and killed per day and event type, for the filtered set."""
    where, args = incident_where(f)
    rows = conn.execute(
        f"""SELECT e.date AS day, COALESCE(e.event_type, '') AS event_type, COUNT(*) AS incidents,
                   SUM(COALESCE(e.fatalities_best, e.fatalities_low, 0)) AS killed
            FROM events e WHERE {where} AND e.date IS NOT NULL
            GROUP BY e.date, e.event_type ORDER BY e.date, e.event_type""",
        args,
    )
    return [dict(r) for r in rows]


def get_incident(conn: sqlite3.Connection, event_id: str) -> Row | None:
    row = conn.execute(f"{_INCIDENT_SELECT} WHERE e.id = ?", (event_id,)).fetchone()
    if row is None:
        return None
    out = incident_dict(row)
    out["merge_reasons"] = [str(r) for r in _json_list(row["merge_reasons"])]
    out["updated_at"] = row["updated_at"]
    return out


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
        inner, inner_args = incident_where(f.incidents)
        parts.append("EXISTS (SELECT 1 FROM reports r JOIN events e ON e.id = r.event_id"
                     f" WHERE r.article_id = t.article_id AND {inner})")
        args += inner_args
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
