"""Per-article extraction: incidents, casualty claims, tallies, dates, places, actors, victims."""

from __future__ import annotations

from ..records import Article, ArticleExtraction


class Extractor:
    """Loads the NLP model once and extracts incidents from articles."""

    def __init__(self, model: str | None = None) -> None:
        self.model_name = model

    def extract(self, article: Article) -> ArticleExtraction:
        return ArticleExtraction(article_id=article.id)
