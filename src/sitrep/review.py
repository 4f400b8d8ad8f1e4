"""The review queue: what in a database needs a human, most important first.

One function, :func:`review_queue`, over one SQLite connection; ``sitrep review``, the API's
``/api/review`` and the web page ``/review`` are thin skins over it, so they always agree.

Kinds of item, in the order a coder should look at them (``KINDS``):

- ``place``: an incident placed only at a region or country, or not placed at all;
- ``disputed``: an incident whose sources give different figures;
- ``vague``: an incident whose only casualty words are vague ("dozens killed"), so it has no figure;
- ``no_claim``: an incident without any casualty claim;
- ``actor``: an incident whose parties include an unidentified armed group;
- ``nothing_found``: an English article from which no incident was extracted;
- ``correction``: a correction made by hand whose incident is gone (its articles were removed, or
  re-extracted without it); it is kept and applies again if they come back.

Within a kind, incidents with more dead come first, then the most recent.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from .place_confidence import Confidence, place_confidence

KINDS: dict[str, str] = {
    "place": "placed only at a region or country, or not placed",
    "disputed": "sources give different figures",
    "vague": "only vague casualty words, no figure",
    "no_claim": "no casualty claim at all",
    "actor": "a party is an unidentified armed group",
    "nothing_found": "an article from which no incident was extracted",
    "correction": "a correction made by hand no longer finds its incident",
}


@dataclass(frozen=True)
class ReviewItem:
    """One thing to look at: an incident (``event_id``) or an article (``article_id``), and why."""

    kind: str
    reason: str
    event_id: str | None = None
    article_id: str | None = None
    date: str | None = None
    place: str | None = None
    killed: int | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_EVENTS = """
SELECT e.id, e.date, e.location_name, e.lat, e.geo_precision, e.admin1, e.country, e.fatalities_best,
       e.disputed, e.actors,
       (SELECT COUNT(*) FROM claims c JOIN reports r ON r.id = c.report_id WHERE r.event_id = e.id) AS claims,
       (SELECT COUNT(*) FROM claims c JOIN reports r ON r.id = c.report_id
         WHERE r.event_id = e.id AND c.vague = 0) AS figures,
       (SELECT MIN(r.place_kind) FROM reports r WHERE r.event_id = e.id) AS kind
FROM events e
"""

_SILENT_ARTICLES = """
SELECT a.id, a.published, a.title FROM articles a
WHERE a.status = 'ok' AND a.extracted_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.article_id = a.id)
ORDER BY a.published DESC, a.id
"""


def review_queue(conn: sqlite3.Connection, kinds: list[str] | None = None,
                 limit: int | None = None) -> list[ReviewItem]:
    """The items of the given ``kinds`` (all by default), most important first, at most ``limit``."""
    wanted = [k for k in KINDS if kinds is None or k in kinds]
    found: dict[str, list[ReviewItem]] = {k: [] for k in wanted}
    for row in conn.execute(_EVENTS):
        confidence = place_confidence(row["location_name"], row["lat"], row["geo_precision"], row["admin1"],
                                      row["kind"])
        for kind in _event_kinds(row, confidence):
            if kind in found:
                found[kind].append(_event_item(kind, row, confidence))
    if "nothing_found" in found:
        found["nothing_found"] = [
            ReviewItem("nothing_found", KINDS["nothing_found"], article_id=r["id"], date=r["published"],
                       detail=r["title"] or "") for r in conn.execute(_SILENT_ARTICLES)]
    if "correction" in found:
        found["correction"] = _lost_corrections(conn)
    items = [item for kind in wanted for item in _most_important_first(found[kind])]
    return items[:limit] if limit else items


def _lost_corrections(conn: sqlite3.Connection) -> list[ReviewItem]:
    """Active corrections whose reports are gone (``corrections.apply`` marks them ``not_found``)."""
    from .corrections import table

    return [ReviewItem("correction", KINDS["correction"], event_id=c.original_event_id, date=c.at[:10],
                       detail=f"correction {c.id} by {c.by}: {c.summary()}; why: {c.reason}")
            for c in table.load(conn, active_only=True) if c.status == "not_found"]


def _event_kinds(row: sqlite3.Row, confidence: Confidence) -> list[str]:
    kinds = []
    if confidence.low:
        kinds.append("place")
    if row["disputed"]:
        kinds.append("disputed")
    if row["claims"] and not row["figures"]:
        kinds.append("vague")
    if not row["claims"]:
        kinds.append("no_claim")
    if "Unidentified" in (row["actors"] or ""):
        kinds.append("actor")
    return kinds


def _event_item(kind: str, row: sqlite3.Row, confidence: Confidence) -> ReviewItem:
    place = row["location_name"]
    if place and row["country"]:
        place = f"{place} ({row['country']})"
    detail = confidence.label() if kind == "place" else ""
    return ReviewItem(kind, KINDS[kind], event_id=row["id"], date=row["date"], place=place,
                      killed=row["fatalities_best"], detail=detail)


def _most_important_first(items: list[ReviewItem]) -> list[ReviewItem]:
    """More dead first, then the most recent, then by id (stable sorts, last key first)."""
    ordered = sorted(items, key=lambda i: i.event_id or i.article_id or "")
    ordered.sort(key=lambda i: i.date or "", reverse=True)
    ordered.sort(key=lambda i: -(i.killed or 0))
    return ordered
