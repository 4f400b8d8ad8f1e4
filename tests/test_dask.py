"""Batched and parallel ingest (sitrep.scale): the same database as one article at a time, batches
all-or-nothing, per-article errors kept, and a Dask cluster giving the same export as one process."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import sitrep.pipeline
import sitrep.scale
from sitrep.dataset.formats import export_document
from sitrep.dataset.query import IncidentQuery
from sitrep.dataset.read import Dataset
from sitrep.ingest import run_ingest
from sitrep.records import ArticleExtraction
from sitrep.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PLACES = ["Kramatorsk", "Kherson", "Sumy", "Nikopol", "Izium", "Pokrovsk", "Kupiansk", "Lyman", "Vovchansk"]


def _export(db: Path) -> str:
    with Store(db, readonly=True) as store:
        return json.dumps(export_document(Dataset(store.conn), IncidentQuery()), sort_keys=True)


def _write_articles(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        place = PLACES[i % len(PLACES)]
        path = folder / f"n{i}.txt"
        path.write_text(f"Drone strike kills {i + 2} in {place}\n\nA drone hit a bus station in {place} on Monday, "
                        f"killing {i + 2} people and wounding {i + 4}, the regional governor said.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def _subset_manifest(tmp_path: Path, ids: list[str]) -> str:
    lines = [line for line in (SAMPLES / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
             if json.loads(line)["id"] in ids]
    for line in lines:
        name = json.loads(line)["path"]
        shutil.copy(SAMPLES / name, tmp_path / name)
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(manifest)


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_batched_ingest_gives_the_same_database_as_one_article_at_a_time(tmp_path: Path) -> None:
    manifest = _subset_manifest(tmp_path, ["a01_chuhuiv_strike_ap", "a02_chuhuiv_toll_reuters",
                                           "a06_abushouk_shelling_afp"])
    single = run_ingest([], manifest=manifest, db_path=tmp_path / "one.db", progress=False)
    batched = run_ingest([], manifest=manifest, db_path=tmp_path / "batch.db", progress=False, batch_size=2)
    assert batched.stored == single.stored and batched.reports == single.reports > 0
    assert _export(tmp_path / "batch.db") == _export(tmp_path / "one.db")
    assert set(batched.stage_seconds) >= {"read", "clean", "nlp", "rules", "merge", "write"}


def test_interrupted_batch_is_rolled_back_whole_and_a_rerun_resumes(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _write_articles(tmp_path / "in", 7)
    real_update = sitrep.pipeline.update_events
    calls = {"n": 0}

    def dies_in_second_batch(store: Store, report_ids: list[str]) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real_update(store, report_ids)

    monkeypatch.setattr(sitrep.pipeline, "update_events", dies_in_second_batch)
    db = tmp_path / "t.db"
    stopped = run_ingest(paths, db_path=db, extract=False, progress=False, batch_size=3)
    assert stopped.interrupted and stopped.stored == ["n0", "n1", "n2"]  # what the Ctrl-C message reports
    assert _count(db, "articles") == 3  # the first batch; none of the second
    monkeypatch.setattr(sitrep.pipeline, "update_events", real_update)
    again = run_ingest(paths, db_path=db, extract=False, progress=False, batch_size=3)
    assert sorted(again.unchanged) == ["n0", "n1", "n2"]
    assert again.stored == ["n3", "n4", "n5", "n6"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        logged = conn.execute("SELECT status, COUNT(*) FROM ingest_log GROUP BY status ORDER BY status").fetchall()
    assert logged == [("stored", 7), ("unchanged", 3)]


class _NoModel:
    def annotate(self, articles: list[Any]) -> list[None]:
        return [None] * len(articles)


def test_extraction_error_on_one_article_skips_only_that_article(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _write_articles(tmp_path / "in", 4)

    def extract(article: Any, doc: Any) -> ArticleExtraction:
        if article.id == "n2":
            raise ValueError("model exploded")
        return ArticleExtraction(article.id)

    monkeypatch.setattr(sitrep.scale, "worker_extractor", lambda model: _NoModel())
    monkeypatch.setattr(sitrep.scale, "extract_article", extract)
    summary = run_ingest(paths, db_path=tmp_path / "t.db", progress=False, batch_size=4)
    assert summary.stored == ["n0", "n1", "n3"]
    assert [(Path(s.source).name, "model exploded" in s.reason) for s in summary.skipped] == [("n2.txt", True)]
    with sqlite3.connect(tmp_path / "t.db") as conn:
        extracted = conn.execute("SELECT COUNT(*) FROM articles WHERE extracted_at IS NOT NULL").fetchone()[0]
    assert extracted == 3


class _BatchBreaker:
    """spaCy that fails on any batch of several texts and annotates one text alone."""

    def annotate(self, articles: list[Any]) -> list[None]:
        if len(articles) > 1:
            raise MemoryError("batch too large")
        return [None]


def test_a_failed_batch_is_annotated_one_article_at_a_time_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    paths = _write_articles(tmp_path / "in", 3)
    monkeypatch.setattr(sitrep.scale, "worker_extractor", lambda model: _BatchBreaker())
    monkeypatch.setattr(sitrep.scale, "extract_article", lambda article, doc: ArticleExtraction(article.id))
    with caplog.at_level(logging.WARNING, logger="sitrep.scale"):
        summary = run_ingest(paths, db_path=tmp_path / "t.db", progress=False, batch_size=3)
    assert summary.stored == ["n0", "n1", "n2"] and summary.skipped == []
    [record] = [r for r in caplog.records if r.name == "sitrep.scale"]
    assert record.levelno == logging.WARNING
    assert "batch of 3 articles (MemoryError: batch too large)" in record.getMessage()
    assert "one at a time" in record.getMessage()


def test_same_text_twice_in_one_batch_is_stored_once(tmp_path: Path) -> None:
    paths = _write_articles(tmp_path / "in", 2)
    copy = tmp_path / "in" / "zz_copy.txt"
    copy.write_text(Path(paths[0]).read_text(encoding="utf-8"), encoding="utf-8")
    summary = run_ingest([*paths, str(copy)], db_path=tmp_path / "t.db", extract=False, progress=False,
                         batch_size=8)
    assert summary.stored == ["n0", "n1"] and summary.unchanged == ["n0"]


def test_local_worker_processes_store_the_same_articles(tmp_path: Path) -> None:
    paths = _write_articles(tmp_path / "in", 5)
    inline = run_ingest(paths, db_path=tmp_path / "a.db", extract=False, progress=False, batch_size=2)
    pooled = run_ingest(paths, db_path=tmp_path / "b.db", extract=False, progress=False, batch_size=2, workers=2)
    assert pooled.stored == inline.stored == [f"n{i}" for i in range(5)]
    with sqlite3.connect(tmp_path / "a.db") as a, sqlite3.connect(tmp_path / "b.db") as b:
        query = "SELECT id, content_hash, text, outlet, published FROM articles ORDER BY id"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()


def test_dask_cluster_export_equals_single_process_on_the_sample_corpus(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    manifest = str(SAMPLES / "manifest.jsonl")
    run_ingest([], manifest=manifest, db_path=tmp_path / "one.db", progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        summary = run_ingest([], manifest=manifest, db_path=tmp_path / "dask.db", progress=False,
                             batch_size=8, dask=cluster.scheduler_address)
    assert len(summary.stored) == 36 and summary.skipped == []
    assert _export(tmp_path / "dask.db") == _export(tmp_path / "one.db")
