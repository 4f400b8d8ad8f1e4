"""SQLite storage: a versioned schema, WAL mode, foreign keys, parameterised SQL only.

Tables (open the file in any SQLite tool):

- ``articles``: one row per stored article (cleaned ``text``, the ``raw`` input, metadata).
- ``ingest_log``: every input seen by ``ingest`` and what happened to it (stored, unchanged, skipped).
- ``reports``: one article's account of one incident (date, place, type, figures from that article).
- ``claims``: each casualty figure with its claimant and evidence offsets into ``articles.text``.
- ``report_actors``: the actors named in each report.
- ``tallies``: running totals ("61 killed since January"), never an incident's toll.
- ``victims``: named dead, injured or detained people.
- ``events``: incidents merged across sources, with best/low/high figures; ``reports.event_id`` links them.
- ``corrections``: what people corrected by hand (``sitrep fix``), applied to ``events`` after each merge.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .records import (
    ActorMention,
    Article,
    ArticleExtraction,
    Byline,
    CasualtyClaim,
    DateRef,
    Event,
    EventDigest,
    Evidence,
    IncidentReport,
    Place,
    Range,
    Tally,
    Victim,
)

MIGRATIONS: list[str] = [
    # 1: the whole first schema
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        url TEXT,
        outlet TEXT,
        title TEXT,
        published TEXT,
        published_uncertain INTEGER NOT NULL DEFAULT 0,
        language TEXT,
        status TEXT NOT NULL DEFAULT 'ok',
        raw TEXT NOT NULL,
        text TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        extracted_at TEXT
    );
    CREATE TABLE ingest_log (
        id INTEGER PRIMARY KEY,
        run_at TEXT NOT NULL,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        article_id TEXT
    );
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        date TEXT,
        date_end TEXT,
        date_precision TEXT,
        location_name TEXT,
        lat REAL,
        lon REAL,
        admin1 TEXT,
        admin2 TEXT,
        country TEXT,
        geo_precision INTEGER,
        event_type TEXT,
        sub_event_type TEXT,
        actors TEXT NOT NULL DEFAULT '[]',
        fatalities_best INTEGER, fatalities_low INTEGER, fatalities_high INTEGER,
        injuries_best INTEGER, injuries_low INTEGER, injuries_high INTEGER,
        disputed INTEGER NOT NULL DEFAULT 0,
        merge_reasons TEXT NOT NULL DEFAULT '[]',
        updated_at TEXT
    );
    CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        main INTEGER NOT NULL DEFAULT 0,
        date TEXT, date_end TEXT, date_precision TEXT,
        date_ev_start INTEGER, date_ev_end INTEGER,
        location_name TEXT, lat REAL, lon REAL, admin1 TEXT, admin2 TEXT, country TEXT,
        geo_precision INTEGER, place_kind TEXT, place_parent TEXT,
        place_ev_start INTEGER, place_ev_end INTEGER,
        event_type TEXT, sub_event_type TEXT,
        fatalities_low INTEGER, fatalities_high INTEGER, fatalities_best INTEGER,
        injuries_low INTEGER, injuries_high INTEGER, injuries_best INTEGER,
        summary TEXT,
        ev_start INTEGER, ev_end INTEGER,
        event_id TEXT REFERENCES events(id) ON DELETE SET NULL
    );
    CREATE INDEX reports_article ON reports(article_id);
    CREATE INDEX reports_event ON reports(event_id);
    CREATE INDEX reports_date ON reports(date);
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        outcome TEXT NOT NULL,
        count INTEGER NOT NULL,
        count_high INTEGER,
        qualifier TEXT NOT NULL,
        vague INTEGER NOT NULL DEFAULT 0,
        victims TEXT,
        victim_side TEXT,
        claimant TEXT,
        part_of_total INTEGER NOT NULL DEFAULT 0,
        ev_start INTEGER, ev_end INTEGER, ev_text TEXT
    );
    CREATE INDEX claims_report ON claims(report_id);
    CREATE TABLE report_actors (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        mention TEXT,
        category TEXT,
        inter_code INTEGER,
        country TEXT,
        ev_start INTEGER, ev_end INTEGER
    );
    CREATE INDEX report_actors_report ON report_actors(report_id);
    CREATE TABLE tallies (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        outcome TEXT NOT NULL,
        count INTEGER NOT NULL,
        qualifier TEXT NOT NULL,
        victims TEXT, area TEXT, period_start TEXT, as_of TEXT, claimant TEXT,
        ev_start INTEGER, ev_end INTEGER, ev_text TEXT
    );
    CREATE INDEX tallies_article ON tallies(article_id);
    CREATE TABLE victims (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        report_id TEXT REFERENCES reports(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        age INTEGER,
        outcome TEXT,
        role TEXT,
        ev_start INTEGER, ev_end INTEGER, ev_text TEXT
    );
    CREATE INDEX victims_article ON victims(article_id);
    """,
    # 2: merging looks for reports by country and date window
    """
    CREATE INDEX reports_country_date ON reports(country, date);
    CREATE INDEX events_date ON events(date);
    """,
    # 3: reports load their victims in one query (and deleting a report finds them)
    """
    CREATE INDEX victims_report ON victims(report_id);
    """,
    # 4: each event keeps the digest of its sources (JSON), so a large event takes a new source without
    # its other members being read again (events stored before have none and are read whole once); an
    # event's first members are read from the index alone
    """
    ALTER TABLE events ADD COLUMN digest TEXT;
    CREATE INDEX reports_event_order ON reports(event_id, article_id, idx);
    DROP INDEX reports_event;
    """,
    # 5: an incident whose id changes (an earlier source joined it) or that is folded into another
    # leaves a redirect, so links and bookmarks to the old id still lead to it
    """
    CREATE TABLE event_redirects (
        old_id TEXT PRIMARY KEY,
        new_id TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX event_redirects_new ON event_redirects(new_id);
    """,
    # 6: corrections made by hand (``sitrep fix``, ``split``, ``join``), keyed by the content hashes of the
    # reports' articles so that they outlive rebuilds and re-extraction; an event a correction changed keeps
    # its machine values in ``events.corrected`` (JSON; NULL when nothing was corrected)
    """
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        fields TEXT NOT NULL,
        machine TEXT NOT NULL,
        target TEXT NOT NULL,
        original_event_id TEXT,
        event_id TEXT,
        status TEXT NOT NULL DEFAULT 'applied',
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL,
        undone_by TEXT,
        undone_at TEXT
    );
    CREATE INDEX corrections_event ON corrections(event_id);
    ALTER TABLE events ADD COLUMN corrected TEXT;
    CREATE INDEX events_corrected ON events(id) WHERE corrected IS NOT NULL;
    """,
    # 7: each event keeps why its best figures were chosen (JSON by kind, see reconcile.figure_reason) and
    # its place's kind, so every output reads the record without rebuilding it from its reports; the kind
    # of events stored before comes from their digest, their reasons from the next rebuild or merge
    """
    ALTER TABLE events ADD COLUMN figure_reasons TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE events ADD COLUMN place_kind TEXT;
    UPDATE events SET place_kind = json_extract(digest, '$.place[7]') WHERE digest IS NOT NULL;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


#: how much of a report ``Store.reports`` loads: everything ("full"); everything but the evidence that
#: points into the article text, which is not read ("sources": enough to reconcile an event); or the
#: reports row alone, without claims, actors or victims ("gates": enough for the merge gates)
Detail = Literal["full", "sources", "gates"]


#: the columns of an event row after its id, in the order ``replace_events`` writes them
_EVENT_FIELDS = ("date", "date_end", "date_precision", "location_name", "lat", "lon", "admin1", "admin2", "country",
                 "geo_precision", "event_type", "sub_event_type", "actors", "fatalities_best", "fatalities_low",
                 "fatalities_high", "injuries_best", "injuries_low", "injuries_high", "disputed", "merge_reasons",
                 "updated_at", "digest", "figure_reasons", "place_kind")


#: the columns of the reports table that ``detail="gates"`` reads (what the merge gates look at)
_GATE_COLUMNS = ("id, article_id, idx, main, date, date_end, date_precision, location_name, lat, lon, admin1, "
                 "admin2, country, geo_precision, place_kind, place_parent, event_type, sub_event_type")


def _gate_report(r: sqlite3.Row) -> IncidentReport:
    """A report with only what the merge gates read: date, place and type (no figures, claims or text)."""
    return IncidentReport(article_id=r["article_id"], index=r["idx"], date=_date_of(r, None), place=_place_of(r, None),
                          event_type=r["event_type"] or "", sub_event_type=r["sub_event_type"] or "",
                          main=bool(r["main"]))


def _place_of(r: sqlite3.Row, text: str | None) -> Place | None:
    """A reports row's place (its evidence only when the article ``text`` was read; gate rows have no
    evidence columns)."""
    if r["location_name"] is None:
        return None
    return Place(name=r["location_name"], lat=r["lat"], lon=r["lon"], country=r["country"], admin1=r["admin1"],
                 admin2=r["admin2"], geo_precision=r["geo_precision"] or 1, kind=r["place_kind"] or "populated place",
                 parent=r["place_parent"], evidence=_span(text, r["place_ev_start"], r["place_ev_end"])
                 if text is not None else None)


def _date_of(r: sqlite3.Row, text: str | None) -> DateRef:
    """A reports row's date (its evidence only when the article ``text`` was read)."""
    return DateRef(date=r["date"], precision=r["date_precision"], date_end=r["date_end"],
                   evidence=_span(text, r["date_ev_start"], r["date_ev_end"]) if text is not None else None)


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    """``values`` in slices small enough for one statement's parameters."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


@dataclass(frozen=True)
class Area:
    """A latitude/longitude box for report queries; places of ``any_place_kinds`` (regions, countries)
    pass wherever they are."""

    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float
    any_place_kinds: tuple[str, ...] = ()

    @classmethod
    def around(cls, lat: float, lon: float, km: float, any_place_kinds: tuple[str, ...] = ()) -> Area:
        """The box holding every point within ``km`` of (lat, lon), with a small margin."""
        dlat = km / 110.5 + 0.01
        cos = math.cos(math.radians(lat))
        dlon = 360.0 if cos < 0.05 else km / (111.0 * cos) + 0.01
        if lon - dlon < -180.0 or lon + dlon > 180.0:  # near the poles or across the antimeridian
            return cls(lat - dlat, lat + dlat, -360.0, 360.0, any_place_kinds)
        return cls(lat - dlat, lat + dlat, lon - dlon, lon + dlon, any_place_kinds)


def event_redirect(conn: sqlite3.Connection, event_id: str) -> str | None:
    """Where an old event id leads (a database older than the redirect table has none)."""
    try:
        row = conn.execute("SELECT new_id FROM event_redirects WHERE old_id = ?", (event_id,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return str(row[0]) if row else None


def readonly_uri(path: Path) -> str:
    """A ``file:`` URI that opens ``path`` read-only (safe with "#", "?" or "%" in the path)."""
    return path.resolve().as_uri() + "?mode=ro"


class StoreError(Exception):
    """A database problem the user can act on (locked, read-only, full disk, newer schema)."""


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _ev(e: Evidence | None) -> tuple[int | None, int | None, str | None]:
    return (e.start, e.end, e.text) if e else (None, None, None)


def _span(text: str | None, start: int | None, end: int | None) -> Evidence | None:
    """Evidence for a stored span of the article text (None when the text was not read)."""
    if text is None or start is None:
        return None
    return Evidence.of(text, start, end if end is not None else start)


def _range(low: int | None, high: int | None, best: int | None = None) -> Range | None:
    if low is None:
        return None
    return Range(low=low, high=high if high is not None else low, best=best)


class Store:
    """A sitrep database. Use as a context manager; writes go through ``transaction()``."""

    def __init__(self, path: str | Path, *, timeout: float = 30.0, readonly: bool = False) -> None:
        self.path = Path(path)
        #: events whose member reports were deleted (article replaced or re-extracted); merge re-checks them
        self.touched_events: set[str] = set()
        try:
            if readonly:
                self.conn = sqlite3.connect(readonly_uri(self.path), uri=True, timeout=timeout,
                                            isolation_level=None, check_same_thread=False)
            else:
                if self.path.parent and not self.path.parent.exists():
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None,
                                            check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            if readonly:  # fail here, with the reason, rather than at the first query
                self._probe_readable()
            self._refuse_foreign()
            if not readonly:
                self._use_wal(timeout)
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def _use_wal(self, timeout: float) -> None:
        """Switch to WAL. On a new file that another process is creating at the same moment, SQLite can answer
        "database is locked" at once instead of waiting: retry until ``timeout``, as the busy handler would."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _refuse_foreign(self) -> None:
        """Never add sitrep's tables to (or switch to WAL) a SQLite file that holds something else. The version and
        the tables are read in one transaction: another process may be creating the schema meanwhile."""
        self.conn.execute("BEGIN")
        try:
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            tables = [r[0] for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        finally:
            self.conn.execute("COMMIT")
        if version > 0:
            return
        if tables:
            shown = ", ".join(tables[:5]) + (" ..." if len(tables) > 5 else "")
            raise StoreError(f"{self.path} is not a sitrep database (it holds the tables {shown}); "
                             "pass another --db")

    def _probe_readable(self) -> None:
        try:
            self.conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.OperationalError as exc:
            hint = ""
            if not self.path.exists():
                hint = " (no such file)"
            elif "unable to open" in str(exc):
                hint = " (a WAL database needs a writable folder for its -shm file; copy it somewhere writable)"
            raise StoreError(f"cannot read database {self.path}: {exc}{hint}") from exc

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this sitrep ({SCHEMA_VERSION}); "
                "upgrade sitrep to open it"
            )
        for number in range(version, SCHEMA_VERSION):
            with self.transaction():
                if self.conn.execute("PRAGMA user_version").fetchone()[0] > number:
                    continue  # another process migrated while this one waited for the lock
                for statement in _split_sql(MIGRATIONS[number]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work (BEGIN IMMEDIATE: writers queue instead of failing late)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"database {self.path} is busy or read-only: {exc}") from exc
        try:
            yield self.conn
        except sqlite3.OperationalError as exc:
            self._rollback()
            if _is_environment_error(exc):  # full disk, read-only file, I/O error: the whole run must stop
                raise StoreError(f"could not write to {self.path}: {exc}") from exc
            raise
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise StoreError(f"could not write to {self.path}: {exc}") from exc

    def _rollback(self) -> None:
        """Roll back if a transaction is still open (SQLite ends it by itself after e.g. a full disk)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    # -- articles ----------------------------------------------------------------------------
    def article_id_for_hash(self, content_hash: str) -> str | None:
        row = self.conn.execute("SELECT id FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
        return row["id"] if row else None

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def insert_article(self, a: Article) -> None:
        """Insert (or replace, when the same id comes back with new content) one article."""
        self.remember_events_of_article(a.id)
        self.conn.execute("DELETE FROM articles WHERE id = ?", (a.id,))
        self.conn.execute(
            """INSERT INTO articles (id, content_hash, source, url, outlet, title, published,
                   published_uncertain, language, status, raw, text, ingested_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (a.id, a.content_hash, a.source, a.url, a.outlet, a.title, a.published,
             int(a.published_uncertain), a.language, a.status, a.raw, a.text, _now()),
        )

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def _rows_in(self, select: str, values: list[str], rest: str = "") -> Iterator[sqlite3.Row]:
        """The rows of ``select`` + `` (?,?,...)`` + ``rest`` for ``values``, a statement per slice small
        enough for SQLite's parameter limit (``select`` ends with "... IN")."""
        for chunk in _chunks(values):
            yield from self.conn.execute(f"{select} ({','.join('?' * len(chunk))}){rest}", chunk)

    def bylines(self, article_ids: list[str]) -> dict[str, Byline]:
        """Outlet and publication date of the given articles, without reading their text."""
        return {row["id"]: Byline(outlet=row["outlet"], published=row["published"],
                                  published_uncertain=bool(row["published_uncertain"]))
                for row in self._rows_in("SELECT id, outlet, published, published_uncertain FROM articles WHERE id IN",
                                         sorted(set(article_ids)))}

    def articles(self, *, status: str | None = None) -> list[Article]:
        sql, args = "SELECT * FROM articles", []
        if status:
            sql += " WHERE status = ?"
            args.append(status)
        return [_article(r) for r in self.conn.execute(sql + " ORDER BY published, id", args)]

    def articles_needing_extraction(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE status = 'ok' AND extracted_at IS NULL ORDER BY id"
        )
        return [r["id"] for r in rows]

    def log_input(self, source: str, status: str, reason: str | None = None,
                  article_id: str | None = None) -> None:
        self.conn.execute(
            "INSERT INTO ingest_log (run_at, source, status, reason, article_id) VALUES (?, ?, ?, ?, ?)",
            (_now(), source, status, reason, article_id),
        )

    # -- extraction results ------------------------------------------------------------------
    def save_extraction(self, ex: ArticleExtraction) -> None:
        """Replace everything extracted from one article (call inside a transaction)."""
        c = self.conn
        self.remember_events_of_article(ex.article_id)
        c.execute("DELETE FROM reports WHERE article_id = ?", (ex.article_id,))
        c.execute("DELETE FROM tallies WHERE article_id = ?", (ex.article_id,))
        c.execute("DELETE FROM victims WHERE article_id = ?", (ex.article_id,))
        for r in ex.reports:
            p = r.place
            pe = p.evidence if p else None
            c.execute(
                """INSERT INTO reports (id, article_id, idx, main, date, date_end, date_precision,
                       date_ev_start, date_ev_end, location_name, lat, lon, admin1, admin2, country,
                       geo_precision, place_kind, place_parent, place_ev_start, place_ev_end,
                       event_type, sub_event_type, fatalities_low, fatalities_high, fatalities_best,
                       injuries_low, injuries_high, injuries_best, summary, ev_start, ev_end)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (r.id, r.article_id, r.index, int(r.main), r.date.date, r.date.date_end, r.date.precision,
                 r.date.evidence.start if r.date.evidence else None,
                 r.date.evidence.end if r.date.evidence else None,
                 p.name if p else None, p.lat if p else None, p.lon if p else None,
                 p.admin1 if p else None, p.admin2 if p else None, p.country if p else None,
                 p.geo_precision if p else None, p.kind if p else None, p.parent if p else None,
                 pe.start if pe else None, pe.end if pe else None,
                 r.event_type, r.sub_event_type,
                 r.fatalities.low if r.fatalities else None, r.fatalities.high if r.fatalities else None,
                 r.fatalities.best if r.fatalities else None,
                 r.injuries.low if r.injuries else None, r.injuries.high if r.injuries else None,
                 r.injuries.best if r.injuries else None,
                 r.summary, r.evidence.start if r.evidence else None, r.evidence.end if r.evidence else None),
            )
            for cl in r.claims:
                c.execute(
                    """INSERT INTO claims (report_id, article_id, outcome, count, count_high, qualifier,
                           vague, victims, victim_side, claimant, part_of_total, ev_start, ev_end, ev_text)
                       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    (r.id, r.article_id, cl.outcome, cl.count, cl.count_high, cl.qualifier, int(cl.vague),
                     cl.victims, cl.victim_side, cl.claimant, int(cl.part_of_total), *_ev(cl.evidence)),
                )
            for a in r.actors:
                c.execute(
                    """INSERT INTO report_actors (report_id, name, mention, category, inter_code, country,
                           ev_start, ev_end) VALUES (?,?,?,?,?,?,?,?)""",
                    (r.id, a.name, a.mention, a.category, a.inter_code, a.country,
                     *_ev(a.evidence)[:2]),
                )
            for v in r.victims:
                c.execute(
                    """INSERT INTO victims (article_id, report_id, name, age, outcome, role,
                           ev_start, ev_end, ev_text) VALUES (?,?,?,?,?,?,?,?,?)""",
                    (r.article_id, r.id, v.name, v.age, v.outcome, v.role, *_ev(v.evidence)),
                )
        for t in ex.tallies:
            c.execute(
                """INSERT INTO tallies (article_id, outcome, count, qualifier, victims, area, period_start,
                       as_of, claimant, ev_start, ev_end, ev_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                (ex.article_id, t.outcome, t.count, t.qualifier, t.victims, t.area, t.period_start,
                 t.as_of, t.claimant, *_ev(t.evidence)),
            )
        c.execute("UPDATE articles SET extracted_at = ? WHERE id = ?", (_now(), ex.article_id))

    def reports(self, *, article_id: str | None = None, event_id: str | None = None,
                date_from: str | None = None, date_to: str | None = None,
                country: str | None = None, area: Area | None = None,
                single_days: tuple[str, str] | None = None, detail: Detail = "full") -> list[IncidentReport]:
        """Load reports (with claims, actors and victims, as far as ``detail`` says), optionally filtered.

        ``date_from``, ``date_to``: only reports dated in that range (undated ones are left out).
        ``area``: only reports placed inside its box, or at a place of one of its ``any_place_kinds``.
        ``single_days``: reports dated to a single day must fall in this (first, last) range; reports
        dated to a week, a month or a span of days are kept (the date window applies to them)."""
        sql, args = f"SELECT {_GATE_COLUMNS if detail == 'gates' else '*'} FROM reports WHERE 1=1", list[Any]()
        if single_days is not None:
            sql += " AND (date_precision IS NOT 'day' OR date_end IS NOT NULL OR date BETWEEN ? AND ?)"
            args += list(single_days)
        if area is not None:
            marks = ",".join("?" * len(area.any_place_kinds))
            sql += (f" AND lat IS NOT NULL AND (place_kind IN ({marks})"
                    " OR (lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?))")
            args += [*area.any_place_kinds, area.lat_min, area.lat_max, area.lon_min, area.lon_max]
        if country is not None:
            sql += " AND country = ?"
            args.append(country)
        if article_id is not None:
            sql += " AND article_id = ?"
            args.append(article_id)
        if event_id is not None:
            sql += " AND event_id = ?"
            args.append(event_id)
        if date_from is not None:  # a plain range (undated reports left out), so the (country, date) index serves
            sql += " AND date >= ?"
            args.append(date_from)
        if date_to is not None:
            sql += " AND date <= ?"
            args.append(date_to)
        rows = self.conn.execute(sql + " ORDER BY article_id, idx", args).fetchall()
        return self._reports_from_rows(rows, detail)

    def remember_events_of_article(self, article_id: str) -> None:
        """Note the events an article's reports belong to before those reports are deleted."""
        rows = self.conn.execute("SELECT event_id FROM reports WHERE article_id = ? AND event_id IS NOT NULL",
                                 (article_id,))
        self.touched_events |= {row["event_id"] for row in rows}

    def reports_by_ids(self, report_ids: list[str], detail: Detail = "full") -> list[IncidentReport]:
        """Load the given reports (unknown ids are skipped), ordered by article id and index."""
        columns = _GATE_COLUMNS if detail == "gates" else "*"
        rows = list(self._rows_in(f"SELECT {columns} FROM reports WHERE id IN", list(dict.fromkeys(report_ids))))
        return self._reports_from_rows(sorted(rows, key=lambda r: (r["article_id"], r["idx"])), detail)

    def event_sizes(self, event_ids: list[str]) -> dict[str, int]:
        """event id -> how many reports it has (events with none are left out)."""
        rows = self._rows_in("SELECT event_id, count(*) AS n FROM reports WHERE event_id IN", sorted(set(event_ids)),
                             " GROUP BY event_id")
        return {row["event_id"]: row["n"] for row in rows}

    def first_members(self, event_id: str, limit: int) -> list[str]:
        """Ids of an event's first ``limit`` reports in the stable order (article id, then index)."""
        rows = self.conn.execute("SELECT id FROM reports WHERE event_id = ? ORDER BY article_id, idx LIMIT ?",
                                 (event_id, limit))
        return [row["id"] for row in rows]

    def events_of_reports(self, report_ids: list[str]) -> dict[str, str]:
        """report id -> id of the event it belongs to (reports in no event are left out)."""
        rows = self._rows_in("SELECT id, event_id FROM reports WHERE id IN", list(dict.fromkeys(report_ids)),
                             " AND event_id IS NOT NULL")
        return {row["id"]: row["event_id"] for row in rows}

    def merge_reasons_by_event(self, event_ids: set[str] | list[str]) -> dict[str, dict[str, str]]:
        """For each given event: its members' stored merge reasons ("a + b: why"), by the id of the member
        each explains (b)."""
        out: dict[str, dict[str, str]] = {}
        for event_id in sorted(set(event_ids)):
            row = self.conn.execute("SELECT merge_reasons FROM events WHERE id = ?", (event_id,)).fetchone()
            per_member = out.setdefault(event_id, {})
            for reason in json.loads(row["merge_reasons"]) if row else []:
                pair = reason.split(": ", 1)[0]
                if " + " in pair:
                    per_member[pair.split(" + ", 1)[1]] = reason
        return out

    def event_ids_of_reports(self, report_ids: list[str]) -> set[str]:
        """The events the given reports currently belong to."""
        return set(self.events_of_reports(report_ids).values())

    def delete_orphan_events(self, event_ids: set[str] | None = None) -> int:
        """Delete events no report points to (e.g. after an article was re-extracted): among ``event_ids``
        when given (a lookup each), else all of them (a scan of the whole table)."""
        if event_ids is None:
            return self.conn.execute(
                "DELETE FROM events WHERE id NOT IN (SELECT event_id FROM reports WHERE event_id IS NOT NULL)"
            ).rowcount
        deleted = 0
        for chunk in _chunks(sorted(event_ids)):
            marks = ",".join("?" * len(chunk))
            deleted += self.conn.execute(
                f"DELETE FROM events WHERE id IN ({marks}) "
                "AND NOT EXISTS (SELECT 1 FROM reports WHERE reports.event_id = events.id)", chunk).rowcount
        return deleted

    def _reports_from_rows(self, rows: list[sqlite3.Row], detail: Detail = "full") -> list[IncidentReport]:
        """Reports for ``rows`` of the reports table: their claims, actors, victims and article texts are
        read with one query per table (not four per report), as far as ``detail`` asks."""
        ids = [r["id"] for r in rows]
        if detail == "gates":
            return [_gate_report(r) for r in rows]
        claims = self._rows_by_report("claims", "id", ids)
        actors = self._rows_by_report("report_actors", "rowid", ids)
        victims = self._rows_by_report("victims", "id", ids)
        texts: dict[str, str] = {}
        if detail == "full":
            texts = {row["id"]: row["text"] for row in self._rows_in("SELECT id, text FROM articles WHERE id IN",
                                                                     sorted({r["article_id"] for r in rows}))}
        return [self._report(r, texts.get(r["article_id"], "") if detail == "full" else None,
                             claims.get(r["id"], []), actors.get(r["id"], []), victims.get(r["id"], []))
                for r in rows]

    def _rows_by_report(self, table: str, order: str, report_ids: list[str]) -> dict[str, list[sqlite3.Row]]:
        """Rows of a child table (claims, report_actors, victims) grouped by report, in ``order``."""
        out: dict[str, list[sqlite3.Row]] = {}
        rows = self._rows_in(f"SELECT * FROM {table} WHERE report_id IN", report_ids, f" ORDER BY report_id, {order}")
        for row in rows:
            out.setdefault(row["report_id"], []).append(row)
        return out

    def _report(self, r: sqlite3.Row, text: str | None, claim_rows: list[sqlite3.Row], actor_rows: list[sqlite3.Row],
                victim_rows: list[sqlite3.Row]) -> IncidentReport:
        claims = [
            CasualtyClaim(
                outcome=c["outcome"], count=c["count"], qualifier=c["qualifier"], count_high=c["count_high"],
                vague=bool(c["vague"]), victims=c["victims"], victim_side=c["victim_side"],
                claimant=c["claimant"], part_of_total=bool(c["part_of_total"]),
                evidence=Evidence(c["ev_start"], c["ev_end"], c["ev_text"]) if c["ev_start"] is not None else None,
            )
            for c in claim_rows
        ]
        actors = [
            ActorMention(
                name=a["name"], mention=a["mention"] or a["name"], category=a["category"] or "unknown",
                inter_code=a["inter_code"] or 0, country=a["country"],
                evidence=_span(text, a["ev_start"], a["ev_end"]),
            )
            for a in actor_rows
        ]
        victims = [
            Victim(name=v["name"], age=v["age"], outcome=v["outcome"], role=v["role"],
                   evidence=Evidence(v["ev_start"], v["ev_end"], v["ev_text"]) if v["ev_start"] is not None
                   else None)
            for v in victim_rows
        ]
        return IncidentReport(
            article_id=r["article_id"], index=r["idx"], date=_date_of(r, text), place=_place_of(r, text),
            event_type=r["event_type"] or "", sub_event_type=r["sub_event_type"] or "",
            actors=actors, claims=claims, victims=victims,
            fatalities=_range(r["fatalities_low"], r["fatalities_high"], r["fatalities_best"]),
            injuries=_range(r["injuries_low"], r["injuries_high"], r["injuries_best"]),
            main=bool(r["main"]), summary=r["summary"] or "",
            evidence=_span(text, r["ev_start"], r["ev_end"]),
        )

    def tallies(self, *, article_id: str | None = None) -> list[tuple[str, Tally]]:
        sql, args = "SELECT * FROM tallies", []
        if article_id is not None:
            sql += " WHERE article_id = ?"
            args.append(article_id)
        out = []
        for t in self.conn.execute(sql + " ORDER BY as_of, article_id, id", args):
            out.append((t["article_id"], Tally(
                outcome=t["outcome"], count=t["count"], qualifier=t["qualifier"], victims=t["victims"],
                area=t["area"], period_start=t["period_start"], as_of=t["as_of"], claimant=t["claimant"],
                evidence=Evidence(t["ev_start"], t["ev_end"], t["ev_text"]) if t["ev_start"] is not None else None,
            )))
        return out

    # -- merged events -----------------------------------------------------------------------
    def replace_events(self, events: list[Event], *, report_ids: list[str] | None = None) -> None:
        """Store merged events. With ``report_ids``, only the events touching those reports are replaced:
        their rows are written, their ``reports`` pointed at them, the members of the events they
        ``absorbs`` moved over whole, and the old events left without members deleted."""
        c = self.conn
        now_in: dict[str, str] = {}  # report id -> its event before this call, for the members of ``events``
        old: set[str] = set()
        if report_ids is None:
            c.execute("UPDATE reports SET event_id = NULL")
            c.execute("DELETE FROM events")
        else:
            now_in = self.events_of_reports([r.id for e in events for r in e.reports])
            old = self.event_ids_of_reports(report_ids)
        for e in events:  # rows first: members may only point at an event that exists
            self._write_event_row(e)
        for e in events:
            for absorbed in e.absorbs:
                if absorbed != e.id:
                    c.execute("UPDATE reports SET event_id = ? WHERE event_id = ?", (e.id, absorbed))
        kept = {e.id for e in events}
        gone = {eid: self._member_ids(eid) for eid in old - kept}
        for eid in gone:
            c.execute("UPDATE reports SET event_id = NULL WHERE event_id = ?", (eid,))
            c.execute("DELETE FROM events WHERE id = ?", (eid,))
        for e in events:  # a member already in an event of the same id needs no write
            for r in e.reports:
                if now_in.get(r.id) != e.id:
                    c.execute("UPDATE reports SET event_id = ? WHERE id = ?", (e.id, r.id))
        self._redirect([(a, e.id) for e in events for a in e.absorbs if a != e.id], gone)

    def _member_ids(self, event_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM reports WHERE event_id = ?", (event_id,))]

    def _redirect(self, moves: list[tuple[str, str]], gone: dict[str, list[str]]) -> None:
        """Record where vanished event ids went: an absorbed id to its absorber, a deleted id to the event
        that now holds most of its former members (none if they all left)."""
        for eid, members in gone.items():
            now = [v for v in self.events_of_reports(members).values() if v]
            if now:
                moves.append((eid, Counter(now).most_common(1)[0][0]))
        for old_id, new_id in moves:
            self.conn.execute("UPDATE event_redirects SET new_id = ? WHERE new_id = ?", (new_id, old_id))
            self.conn.execute("INSERT INTO event_redirects (old_id, new_id, at) VALUES (?, ?, ?) "
                              "ON CONFLICT(old_id) DO UPDATE SET new_id = excluded.new_id, at = excluded.at",
                              (old_id, new_id, _now()))

    def redirected_event_id(self, event_id: str) -> str | None:
        """The id an old event id now leads to, if the event was renamed or folded into another."""
        return event_redirect(self.conn, event_id)

    def _write_event_row(self, e: Event) -> None:
        """Insert or update an event's row (an upsert: deleting the row would unlink its members, ON DELETE
        SET NULL) with the machine's values (corrections are applied after merging); an id that exists
        again is no longer redirected."""
        self.conn.execute("DELETE FROM event_redirects WHERE old_id = ?", (e.id,))
        p = e.place
        self.conn.execute(
            f"""INSERT INTO events (id, {", ".join(_EVENT_FIELDS)})
               VALUES (?,{",".join("?" * len(_EVENT_FIELDS))})
               ON CONFLICT(id) DO UPDATE SET {", ".join(f"{f} = excluded.{f}" for f in _EVENT_FIELDS)},
                   corrected = NULL""",
            (e.id, e.date.date, e.date.date_end, e.date.precision,
             p.name if p else None, p.lat if p else None, p.lon if p else None,
             p.admin1 if p else None, p.admin2 if p else None, p.country if p else None,
             p.geo_precision if p else None, e.event_type, e.sub_event_type, json.dumps(e.actors),
             *_range_cols(e.fatalities), *_range_cols(e.injuries), int(e.disputed),
             json.dumps(e.merge_reasons), _now(), json.dumps(e.digest.to_json()) if e.digest else None,
             json.dumps(e.figure_reasons), p.kind if p else None),
        )

    def event_digests(self, event_ids: list[str]) -> dict[str, EventDigest]:
        """The stored digests of the given events (events without one are left out)."""
        rows = self._rows_in("SELECT id, digest FROM events WHERE id IN", sorted(set(event_ids)),
                             " AND digest IS NOT NULL")
        return {row["id"]: EventDigest.from_json(json.loads(row["digest"])) for row in rows}

    def event_rows(self, where: str = "1=1", args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Raw event rows; ``where`` must be a constant SQL fragment with ``?`` placeholders."""
        return self.conn.execute(f"SELECT * FROM events WHERE {where} ORDER BY date, id", args).fetchall()


#: SQLite error codes that are about the file or the machine, not about one article's data
_ENVIRONMENT_ERRORS = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_BUSY",
                       "SQLITE_LOCKED", "SQLITE_CORRUPT", "SQLITE_NOTADB")


def _is_environment_error(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(_ENVIRONMENT_ERRORS)


def _range_cols(r: Range | None) -> tuple[int | None, int | None, int | None]:
    if r is None:
        return (None, None, None)
    return (r.best if r.best is not None else r.low, r.low, r.high)


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"], text=row["text"], raw=row["raw"], content_hash=row["content_hash"], source=row["source"],
        outlet=row["outlet"], published=row["published"], published_uncertain=bool(row["published_uncertain"]),
        title=row["title"], url=row["url"], language=row["language"] or "en", status=row["status"],
    )


def _split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
