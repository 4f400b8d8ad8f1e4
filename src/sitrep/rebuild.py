"""Redo stored work after a change: ``rebuild`` re-merges every report (merge settings changed),
``reextract`` re-runs extraction on stored articles (sitrep upgraded, places imported) and re-merges
what changed.

Both leave the database as a fresh ingest of the same articles would, corrections made by hand included
(they are applied after every merge). Both are resumable: ``rebuild`` is one transaction (interrupted,
nothing changed; run it again); ``reextract`` first marks the chosen articles as waiting (their
``extracted_at`` cleared, their old results kept and shown until replaced), then re-extracts them a
batch per transaction, so an interrupted run keeps the finished batches and ``reextract --pending``
(or the same command) finishes the job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .pipeline import Pipeline
from .records import Article, ArticleExtraction
from .remerge import rebuild_events, update_events
from .store import Store

#: called with how many more items are done (a progress bar's ``advance``)
Advance = Callable[[int], None]


def _nothing(_: str) -> None:
    return None


def rebuild(store: Store, *, writing: Callable[[int], Advance] | None = None) -> int:
    """Re-merge every stored report from scratch in one transaction; returns the number of events
    (``writing``: see ``merge.merge_all``)."""
    with store.transaction():
        return rebuild_events(store, writing)


@dataclass(frozen=True)
class Selection:
    """Which stored articles to re-extract (empty fields select everything)."""

    article_ids: tuple[str, ...] = ()
    outlet: str | None = None
    since: str | None = None
    country: str | None = None  # ISO3: articles with a report placed in that country

    def where(self) -> tuple[str, list[str]]:
        """A constant SQL condition on ``articles`` with its parameters."""
        sql, args = "status = 'ok'", list[str]()
        if self.article_ids:
            sql += f" AND id IN ({','.join('?' * len(self.article_ids))})"
            args += list(self.article_ids)
        if self.outlet:
            sql += " AND lower(outlet) = lower(?)"
            args.append(self.outlet)
        if self.since:
            sql += " AND published >= ?"
            args.append(self.since)
        if self.country:
            sql += " AND id IN (SELECT article_id FROM reports WHERE country = ?)"
            args.append(self.country)
        return sql, args


def select_articles(store: Store, selection: Selection) -> list[str]:
    where, args = selection.where()
    return [row[0] for row in store.conn.execute(f"SELECT id FROM articles WHERE {where} ORDER BY id", args)]


def mark_pending(store: Store, article_ids: list[str]) -> None:
    """Mark articles as waiting for extraction (one transaction; their stored results stay until replaced)."""
    with store.transaction():
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start:start + 500]
            store.conn.execute(f"UPDATE articles SET extracted_at = NULL WHERE id IN ({','.join('?' * len(chunk))})",
                               chunk)


def pending_articles(store: Store) -> list[str]:
    """English articles not extracted yet: after ``ingest --no-extract`` or an interrupted ``reextract``."""
    return store.articles_needing_extraction()


@dataclass
class ReextractSummary:
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # article id, why (left waiting)
    reports: int = 0
    seconds: float = 0.0


def reextract(store: Store, pipeline: Pipeline, *, batch_size: int = 16,
              advance: Callable[[str], None] = _nothing) -> ReextractSummary:
    """Extract every waiting article again and re-merge, a batch per transaction (``advance`` is called
    with each article's id when its batch is written)."""
    started = time.monotonic()
    summary = ReextractSummary()
    waiting = pending_articles(store)
    for start in range(0, len(waiting), batch_size):
        batch = [a for aid in waiting[start:start + batch_size] if (a := store.get_article(aid)) is not None]
        _write(store, list(_extracted(pipeline, batch, summary)), summary)
        for article in batch:
            advance(article.id)
    summary.seconds = time.monotonic() - started
    return summary


def _extracted(pipeline: Pipeline, articles: list[Article],
               summary: ReextractSummary) -> Iterator[ArticleExtraction]:
    for article in articles:
        try:
            extraction = pipeline.extract(article)
        except Exception as exc:  # an extractor bug on one article must not stop the run
            summary.failed.append((article.id, f"{type(exc).__name__}: {exc}"))
            continue
        if extraction is not None:
            yield extraction


def _write(store: Store, extractions: list[ArticleExtraction], summary: ReextractSummary) -> None:
    """Replace the batch's results and re-merge the events they touch, in one transaction."""
    with store.transaction():
        for ex in extractions:
            store.save_extraction(ex)
        update_events(store, [r.id for ex in extractions for r in ex.reports])
    summary.done += [ex.article_id for ex in extractions]
    summary.reports += sum(len(ex.reports) for ex in extractions)
