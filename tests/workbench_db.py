"""The web fixture database (tests/conftest_web.py) plus one article we wrote for the workbench pages: a
vague quantity ("Dozens of traders were injured") beside an exact figure in the same sentence, an incident
placed only at its region, and an unidentified armed group as its actor.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest_web import TEXTS, article, events, extractions

from sitrep.records import (
    ActorMention,
    Article,
    ArticleExtraction,
    CasualtyClaim,
    DateRef,
    Event,
    Evidence,
    IncidentReport,
    Place,
    Range,
)
from sitrep.store import Store

BORNO_ID = "ng-borno-0702"
BORNO_TEXT = (
    "MAIDUGURI, July 2 - Dozens of traders were injured and 6 were killed when a bomb went off in a cattle "
    "market in Borno State on Tuesday, police said.\n\n"
    "No group said it had carried out the attack."
)
BORNO_SENTENCE_END = BORNO_TEXT.index("police said.") + len("police said.")


def _borno() -> tuple[Article, ArticleExtraction, Event]:
    """A region-only place and a vague "dozens" beside an exact 6 in the same sentence."""
    text = BORNO_TEXT
    evidence = Evidence.of(text, text.index("Dozens"), BORNO_SENTENCE_END)
    article = Article(id=BORNO_ID, text=text, raw=text, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                      source="fixture:borno", outlet="Lake Chad Courier", published="2024-07-02",
                      title="Bomb hits cattle market in Borno", url="https://example.org/borno")
    place = Place("Borno", 11.5, 13.0, "NGA", admin1="Borno", geo_precision=3, kind="region")
    claims = [
        CasualtyClaim("injured", 24, vague=True, victims="traders", claimant="police", evidence=evidence),
        CasualtyClaim("killed", 6, claimant="police", evidence=evidence),
    ]
    report = IncidentReport(article_id=BORNO_ID, index=0, date=DateRef("2024-07-02", "day"), place=place,
                            event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
                            claims=claims, actors=[ActorMention("Unidentified Armed Group (Nigeria)", "")],
                            fatalities=Range(6, 6), main=True, summary=evidence.text)
    event = Event(id=report.id, date=report.date, place=place, event_type=report.event_type,
                  sub_event_type=report.sub_event_type, actors=["Unidentified Armed Group (Nigeria)"],
                  fatalities=Range(6, 6), injuries=None, reports=[report], merge_reasons=["single source"])
    return article, ArticleExtraction(BORNO_ID, [report]), event


def build_workbench_db(path: Path) -> Path:
    """The web fixture plus the Borno article."""
    exs = extractions()
    borno_article, borno_ex, borno_event = _borno()
    with Store(path) as store, store.transaction():
        for aid in TEXTS:
            store.insert_article(article(aid))
        store.insert_article(borno_article)
        for ex in [*exs, borno_ex]:
            store.save_extraction(ex)
        store.replace_events([*events({r.id: r for ex in exs for r in ex.reports}), borno_event])
    return path
