"""Reading incidents: ``Dataset`` answers an ``IncidentQuery`` with ``IncidentRow``s.

A page of rows costs a fixed number of SQL statements whatever its size: one for the events, one for
their sources (reports joined to their articles' bylines, never the article text), and in full detail
one each for claims, actor mentions and victims, each selecting the page's events again by the same
compiled query. Figures are the stored record's (written by merge), so every output shows the same.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..records import ActorMention, CasualtyClaim, DateRef, Evidence, Place, Range, Tally, Victim
from ..store import event_redirect
from .query import BEST_KILLED, IncidentQuery
from .rows import Detail, IncidentRow, SourceRow

_SOURCE_COLUMNS = ("r.id, r.article_id, r.idx, r.summary, r.event_id, r.fatalities_low, r.fatalities_high, "
                   "r.fatalities_best, r.injuries_low, r.injuries_high, r.injuries_best, "
                   "a.outlet, a.published, a.published_uncertain")
#: a child table's rows for the reports of the events a query selects (``{page}`` is the query's page)
_CHILD_SQL = ("SELECT c.* FROM {table} c JOIN reports r ON r.id = c.report_id "
              "WHERE r.event_id IN (SELECT e.id FROM events e {page}) ORDER BY c.report_id, c.{order}")


def _json(value: str | None, default: Any) -> Any:
    try:
        data = json.loads(value or "null")
    except ValueError:
        return default
    return data if isinstance(data, type(default)) else default


def _range(low: int | None, high: int | None, best: int | None) -> Range | None:
    if low is None:
        return None
    return Range(low=low, high=high if high is not None else low, best=best)


def _evidence(row: sqlite3.Row) -> Evidence | None:
    return Evidence(row["ev_start"], row["ev_end"], row["ev_text"]) if row["ev_start"] is not None else None


def _place(row: sqlite3.Row) -> Place | None:
    if row["location_name"] is None:
        return None
    kind = row["place_kind"] if "place_kind" in row.keys() else None
    return Place(name=row["location_name"], lat=row["lat"], lon=row["lon"], country=row["country"],
                 admin1=row["admin1"], admin2=row["admin2"], geo_precision=row["geo_precision"] or 1,
                 kind=kind or "populated place")


def incident_row(row: sqlite3.Row) -> IncidentRow:
    """An ``events`` row as an ``IncidentRow`` (its sources are added by the reader)."""
    keys = row.keys()
    return IncidentRow(
        id=row["id"], date=DateRef(row["date"], row["date_precision"], row["date_end"]), place=_place(row),
        event_type=row["event_type"] or "", sub_event_type=row["sub_event_type"] or "",
        actors=[str(a) for a in _json(row["actors"], [])],
        fatalities=_range(row["fatalities_low"], row["fatalities_high"], row["fatalities_best"]),
        injuries=_range(row["injuries_low"], row["injuries_high"], row["injuries_best"]),
        disputed=bool(row["disputed"]), merge_reasons=[str(r) for r in _json(row["merge_reasons"], [])],
        figure_reasons=_json(row["figure_reasons"], {}) if "figure_reasons" in keys else {},
        updated_at=row["updated_at"],
        corrected=_json(row["corrected"], {}).get("machine", {}) if "corrected" in keys else {},
    )


def _source_row(r: sqlite3.Row) -> SourceRow:
    return SourceRow(
        report_id=r["id"], article_id=r["article_id"], index=r["idx"], outlet=r["outlet"], published=r["published"],
        published_uncertain=bool(r["published_uncertain"]), summary=r["summary"] or "",
        fatalities=_range(r["fatalities_low"], r["fatalities_high"], r["fatalities_best"]),
        injuries=_range(r["injuries_low"], r["injuries_high"], r["injuries_best"]),
    )


def _claim(c: sqlite3.Row) -> CasualtyClaim:
    return CasualtyClaim(outcome=c["outcome"], count=c["count"], qualifier=c["qualifier"], count_high=c["count_high"],
                         vague=bool(c["vague"]), victims=c["victims"], victim_side=c["victim_side"],
                         claimant=c["claimant"], part_of_total=bool(c["part_of_total"]), evidence=_evidence(c))


def _actor(a: sqlite3.Row) -> ActorMention:
    return ActorMention(name=a["name"], mention=a["mention"] or a["name"], category=a["category"] or "unknown",
                        inter_code=a["inter_code"] or 0, country=a["country"])


def _victim(v: sqlite3.Row) -> Victim:
    return Victim(name=v["name"], age=v["age"], outcome=v["outcome"], role=v["role"], evidence=_evidence(v))


def tally_of(t: sqlite3.Row) -> Tally:
    return Tally(outcome=t["outcome"], count=t["count"], qualifier=t["qualifier"], victims=t["victims"],
                 area=t["area"], period_start=t["period_start"], as_of=t["as_of"], claimant=t["claimant"],
                 evidence=_evidence(t))


class Dataset:
    """The incidents of one database, read through queries (the connection must use ``sqlite3.Row``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def count(self, q: IncidentQuery) -> int:
        where, args = q.where()
        return int(self.conn.execute(f"SELECT COUNT(*) FROM events e WHERE {where}", args).fetchone()[0])

    def rows(self, q: IncidentQuery, detail: Detail = "summary") -> list[IncidentRow]:
        """The page of incidents ``q`` selects, in its order, with their sources."""
        page, args = q.page()
        rows = [incident_row(r) for r in self.conn.execute(f"SELECT e.* FROM events e {page}", args)]
        self._attach_sources(rows, page, args, detail)
        return rows

    def get(self, event_id: str, detail: Detail = "full") -> IncidentRow | None:
        """An incident by id (exactly; see ``find`` for prefixes and old ids)."""
        row = self.conn.execute("SELECT e.* FROM events e WHERE e.id = ?", (event_id,)).fetchone()
        if row is None:
            return None
        out = [incident_row(row)]
        self._attach_sources(out, "WHERE e.id = ? LIMIT ? OFFSET ?", (event_id, 1, 0), detail)
        return out[0]

    def find(self, event_id: str, detail: Detail = "full") -> IncidentRow | None:
        """An incident by id, by a unique id prefix, or by an old id it was renamed from."""
        if (found := self.get(event_id, detail)) is not None:
            return found
        prefix = event_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        ids = [r[0] for r in self.conn.execute("SELECT id FROM events WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (prefix,))]
        if len(ids) == 1:
            return self.get(ids[0], detail)
        moved = event_redirect(self.conn, event_id)
        return self.get(moved, detail) if moved and not ids else None

    def timeline(self, q: IncidentQuery) -> list[dict[str, Any]]:
        """Incidents and killed (best) per day and event type, for the filtered set (paging ignored)."""
        where, args = q.where()
        rows = self.conn.execute(
            f"""SELECT e.date AS day, COALESCE(e.event_type, '') AS event_type, COUNT(*) AS incidents,
                       SUM({BEST_KILLED}) AS killed
                FROM events e WHERE {where} AND e.date IS NOT NULL
                GROUP BY e.date, e.event_type ORDER BY e.date, e.event_type""", args)
        return [dict(r) for r in rows]

    def total(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    # -- export companions: the articles and running totals that go with a set of incidents ----------
    def article_bylines(self) -> list[dict[str, Any]]:
        """Every stored article's metadata (never its text), oldest first."""
        rows = self.conn.execute("SELECT id, outlet, published, title, url, status FROM articles "
                                 "ORDER BY published, id")
        return [dict(r) for r in rows]

    def tallies(self, since: str | None = None, until: str | None = None) -> list[tuple[str, Tally]]:
        """Running totals as of a day in the range (all of them without a range)."""
        sql, args = "SELECT * FROM tallies t", []
        if since or until:
            sql += " WHERE t.as_of IS NOT NULL AND t.as_of >= ? AND t.as_of <= ?"
            args = [since or "", until or "9999-99-99"]
        return [(t["article_id"], tally_of(t)) for t in self.conn.execute(sql + " ORDER BY as_of, article_id, id",
                                                                             args)]

    # -- sources ---------------------------------------------------------------------------------------
    def _attach_sources(self, rows: list[IncidentRow], page: str, args: tuple[Any, ...], detail: Detail) -> None:
        if not rows:
            return
        by_event = {r.id: r for r in rows}
        by_report: dict[str, SourceRow] = {}
        sql = (f"SELECT {_SOURCE_COLUMNS} FROM reports r JOIN articles a ON a.id = r.article_id "
               f"WHERE r.event_id IN (SELECT e.id FROM events e {page}) ORDER BY r.article_id, r.idx")
        for r in self.conn.execute(sql, args):
            source = by_report[r["id"]] = _source_row(r)
            by_event[r["event_id"]].sources.append(source)
        if detail == "full":
            self._attach_details(by_report, page, args)

    def _attach_details(self, by_report: dict[str, SourceRow], page: str, args: tuple[Any, ...]) -> None:
        for c in self.conn.execute(_CHILD_SQL.format(table="claims", order="id", page=page), args):
            by_report[c["report_id"]].claims.append(_claim(c))
        for a in self.conn.execute(_CHILD_SQL.format(table="report_actors", order="rowid", page=page), args):
            by_report[a["report_id"]].actors.append(_actor(a))
        for v in self.conn.execute(_CHILD_SQL.format(table="victims", order="id", page=page), args):
            by_report[v["report_id"]].victims.append(_victim(v))
        for source in by_report.values():
            source.claimants = list(dict.fromkeys(c.claimant for c in source.claims if c.claimant))
