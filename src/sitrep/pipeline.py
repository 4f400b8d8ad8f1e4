"""Store one cleaned article: insert it, extract its incidents, merge them into events.

Each article is one transaction, so an interrupted run leaves the database consistent and a
re-run resumes where it stopped.
"""

from __future__ import annotations

from .extract import Extractor
from .merge import update_events
from .records import Article, ArticleExtraction
from .store import Store


class Pipeline:
    """Holds the (lazily loaded) extractor and writes articles with their results."""

    def __init__(self, *, extract: bool = True, model: str | None = None) -> None:
        self.do_extract = extract
        self._model = model
        self._extractor: Extractor | None = None

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
