"""Store one cleaned article: insert it, extract its incidents, merge them into events.

Each article (``process``) or each batch of articles (``store_batch``) is one transaction, so an
interrupted run leaves the database consistent and a re-run resumes where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .extract import Extractor
from .records import Article, ArticleExtraction
from .remerge import update_events
from .store import Store, StoreError


class Pipeline:
    """Holds the (lazily loaded) extractor and writes articles with their results."""

    def __init__(self, *, extract: bool = True, model: str | None = None) -> None:
        self.do_extract = extract
        self._model = model
        self.model = model
        self._extractor: Extractor | None = None
        #: seconds spent merging in ``store_batch`` (the benchmark's stage breakdown)
        self.merge_seconds = 0.0

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = Extractor(model=self._model)
        return self._extractor

    def extract(self, article: Article) -> ArticleExtraction | None:
        """Extraction for an English article, None for flagged ones (non-English) or when disabled."""
        if not self.do_extract or article.status != "ok":
            return None
        return self.extractor.extract(article)

    def store(self, store: Store, article: Article, extraction: ArticleExtraction | None) -> None:
        """Write the article, its extraction and the events it touches in one transaction."""
        with store.transaction():
            store.insert_article(article)
            if extraction is not None:
                store.save_extraction(extraction)
                update_events(store, [r.id for r in extraction.reports])

    def process(self, store: Store, article: Article) -> ArticleExtraction | None:
        extraction = self.extract(article)
        self.store(store, article, extraction)
        return extraction

    def store_batch(self, store: Store, items: list[tuple[Article, ArticleExtraction | None]],
                    on_error: Callable[[Article, Exception], None] | None = None,
                    before_commit: Callable[[list[Article]], None] | None = None) -> list[Article]:
        """Write many articles in one transaction, merging their reports once at the end.

        The batch is all-or-nothing: an interruption rolls every article of it back, so a re-run
        resumes cleanly. An error while writing one article rolls back only that article (a
        savepoint) and is passed to ``on_error``; the others are kept. ``before_commit`` gets the
        written articles inside the transaction (to log them). Returns the articles written.
        """
        written: list[Article] = []
        report_ids: list[str] = []
        with store.transaction():
            for article, extraction in items:
                try:
                    with _savepoint(store):
                        store.insert_article(article)
                        if extraction is not None:
                            store.save_extraction(extraction)
                except StoreError:
                    raise
                except Exception as exc:  # one bad article must not sink the batch
                    if on_error is None:
                        raise
                    on_error(article, exc)
                    continue
                written.append(article)
                if extraction is not None:
                    report_ids += [r.id for r in extraction.reports]
            started = time.perf_counter()
            update_events(store, report_ids)
            self.merge_seconds += time.perf_counter() - started
            if before_commit is not None:
                before_commit(written)
        return written


@contextmanager
def _savepoint(store: Store) -> Iterator[None]:
    """A nested, individually revocable unit inside the open transaction."""
    store.conn.execute("SAVEPOINT sitrep_article")
    try:
        yield
    except BaseException:
        store.conn.execute("ROLLBACK TO sitrep_article")
        store.conn.execute("RELEASE sitrep_article")
        raise
    store.conn.execute("RELEASE sitrep_article")
