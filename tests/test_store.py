"""The SQLite store: schema, migrations, transactions, round-trips of extraction records."""

from __future__ import annotations

import sqlite3

import pytest

from sitrep.records import (
    ActorMention,
    Article,
    ArticleExtraction,
    CasualtyClaim,
    DateRef,
    Evidence,
    IncidentReport,
    Place,
    Range,
    Tally,
    Victim,
)
from sitrep.store import SCHEMA_VERSION, Store, StoreError

TEXT = "At least 12 people were killed in Kharkiv on Monday, regional governor Oleh Syniehubov said."


def _article(aid: str = "a1", text: str = TEXT) -> Article:
    return Article(id=aid, text=text, raw=text, content_hash="h-" + aid, source="mem", outlet="Wire",
                   published="2024-05-27")


def _extraction(aid: str = "a1") -> ArticleExtraction:
    claim = CasualtyClaim(outcome="killed", count=12, qualifier="at_least", victims="people",
                          claimant="regional governor", evidence=Evidence.of(TEXT, 0, len(TEXT)))
    report = IncidentReport(
        article_id=aid, index=0, date=DateRef("2024-05-27", "day", evidence=Evidence.of(TEXT, 45, 51)),
        place=Place("Kharkiv", 49.98, 36.25, "UKR", admin1="Kharkivska", evidence=Evidence.of(TEXT, 34, 41)),
        event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
        actors=[ActorMention("Military Forces of Russia", "Russian forces", "state forces", 1, "RUS")],
        claims=[claim], victims=[Victim("Ivan Petrenko", 41, "killed")],
        fatalities=Range(12, 12), main=True,
    )
    tally = Tally("killed", 61, victims="civilians", area="Kharkiv region", period_start="2024-01-01")
    return ArticleExtraction(aid, [report], [tally])


def test_schema_is_created_with_wal_and_foreign_keys(tmp_path):
    db = tmp_path / "s.db"
    with Store(db) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "reports", "claims", "tallies", "victims", "events", "ingest_log"} <= tables


def test_extraction_round_trips(tmp_path):
    with Store(tmp_path / "s.db") as s:
        with s.transaction():
            s.insert_article(_article())
            s.save_extraction(_extraction())
        [report] = s.reports(article_id="a1")
        assert report.place is not None and report.place.name == "Kharkiv"
        assert report.claims[0].count == 12 and report.claims[0].qualifier == "at_least"
        assert report.claims[0].evidence is not None and report.claims[0].evidence.text == TEXT
        assert report.actors[0].name == "Military Forces of Russia"
        assert report.victims[0].age == 41
        assert report.date.evidence is not None and report.date.evidence.text == "Monday"
        assert report.fatalities == Range(12, 12, None)
        assert [t.count for _, t in s.tallies()] == [61]
        # saving again replaces, never duplicates
        with s.transaction():
            s.save_extraction(_extraction())
        assert len(s.reports()) == 1 and len(s.tallies()) == 1


def test_failed_transaction_leaves_nothing(tmp_path):
    with Store(tmp_path / "s.db") as s:
        with pytest.raises(RuntimeError):
            with s.transaction():
                s.insert_article(_article())
                raise RuntimeError("interrupted")
        assert s.articles() == []


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "s.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db)


def test_deleting_an_article_cascades(tmp_path):
    with Store(tmp_path / "s.db") as s:
        with s.transaction():
            s.insert_article(_article())
            s.save_extraction(_extraction())
        with s.transaction():
            s.conn.execute("DELETE FROM articles WHERE id = 'a1'")
        assert s.conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0
        assert s.conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 0


def test_an_older_database_is_migrated_on_open(tmp_path):
    from sitrep.store import MIGRATIONS, _split_sql

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for statement in _split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(db) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        indexes = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "reports_country_date" in indexes


def _open_when_released(path: str, barrier: object, results: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    try:
        with Store(path):
            results.put("ok")  # type: ignore[attr-defined]
    except StoreError as exc:
        results.put(str(exc))  # type: ignore[attr-defined]


def test_processes_opening_one_new_database_at_once_all_succeed(tmp_path) -> None:
    """Switching a brand-new file to WAL can answer "database is locked" at once; the store waits instead."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    for round_ in range(6):
        path = str(tmp_path / f"new{round_}.db")
        barrier, results = context.Barrier(3), context.Queue()
        procs = [context.Process(target=_open_when_released, args=(path, barrier, results)) for _ in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [results.get(timeout=5) for _ in procs] == ["ok", "ok", "ok"]
