"""The one row shape of an incident, as every output reads it: the stored event record with its sources.

``IncidentRow`` is the event as stored (figures, place, type, actors, why each best figure was chosen),
``SourceRow`` one member report with its article's byline, figures, and (in ``detail="full"``) its claims,
actors and named victims. Every format (``formats``) is drawn from these; to add a field to every output
(e.g. a ``corrected`` marker), add it here and in ``read``'s row builders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..records import ActorMention, CasualtyClaim, DateRef, Place, Range, SourceFigures, Victim

#: how much of each incident ``Dataset.rows`` reads: the record and its sources' bylines and figures
#: ("summary"), or also every claim, actor mention and named victim ("full")
Detail = Literal["summary", "full"]


@dataclass
class SourceRow(SourceFigures):
    """One article's account of the incident (one member report): its byline and figures, and in full
    detail its claims, actor mentions and named victims (``claimants`` are read with the claims)."""

    index: int = 0
    summary: str = ""
    claims: list[CasualtyClaim] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    victims: list[Victim] = field(default_factory=list)


@dataclass
class IncidentRow:
    """One merged incident as stored, with its sources in the stable order (article id, then index)."""

    id: str
    date: DateRef
    place: Place | None
    event_type: str
    sub_event_type: str
    actors: list[str]
    fatalities: Range | None
    injuries: Range | None
    disputed: bool
    merge_reasons: list[str]
    figure_reasons: dict[str, dict[str, Any]]
    updated_at: str | None
    sources: list[SourceRow] = field(default_factory=list)
    #: values corrected by hand: event column -> the machine's value it replaced (``sitrep fix``)
    corrected: dict[str, Any] = field(default_factory=dict)

    @property
    def article_ids(self) -> list[str]:
        """The articles behind the incident, each once, in source order."""
        return list(dict.fromkeys(s.article_id for s in self.sources))

    @property
    def n_sources(self) -> int:
        return len(self.article_ids)

    @property
    def date_uncertain(self) -> bool:
        """Every source dated the incident from a publication date whose year had to be inferred."""
        return bool(self.sources) and all(s.published_uncertain for s in self.sources)


def best_of(r: Range | None) -> int | None:
    """A range's best figure (its low when no best was chosen); None without a range."""
    if r is None:
        return None
    return r.best if r.best is not None else r.low
