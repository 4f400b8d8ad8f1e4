"""Typed records passed between sitrep's stages.

The flow is: ``RawDocument`` (ingest) -> ``Article`` (cleaned, with metadata)
-> ``ArticleExtraction`` (per-article incident reports, tallies, victims)
-> ``Event`` (one real-world incident merged across sources).

Every extracted figure carries an ``Evidence`` span: character offsets into the
article's cleaned text, and ``text`` is exactly ``article.text[start:end]``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Literal

Outcome = Literal["killed", "injured", "missing", "arrested", "displaced", "abducted"]
Qualifier = Literal["exact", "at_least", "about", "up_to", "range"]
DatePrecision = Literal["day", "week", "month", "year"]

OUTCOMES: tuple[str, ...] = ("killed", "injured", "missing", "arrested", "displaced", "abducted")


@dataclass(frozen=True)
class Evidence:
    """A span of an article's cleaned text."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Evidence:
        """Build the evidence for ``text[start:end]`` (the slice is taken, never retyped)."""
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        return cls(start, end, text[start:end])


@dataclass
class RawDocument:
    """One input as read from disk, a manifest or a URL, before cleaning."""

    source: str  # path or URL it came from
    content: bytes
    id_hint: str | None = None  # manifest id or file stem
    outlet: str | None = None  # from the manifest
    published: str | None = None  # ISO date from the manifest
    title: str | None = None
    url: str | None = None
    media_type: str = "text/plain"  # text/plain or text/html
    file_date: str | None = None  # a server's Last-Modified date, for dateline years (never a local clock)


@dataclass
class Article:
    """A cleaned article, ready for extraction. ``text`` is what evidence offsets point into."""

    id: str
    text: str
    raw: str
    content_hash: str
    source: str
    outlet: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD)
    published_uncertain: bool = False  # e.g. year inferred from a dateline
    title: str | None = None
    url: str | None = None
    language: str = "en"
    status: Literal["ok", "non_english"] = "ok"


@dataclass(frozen=True)
class Byline:
    """Who published an article and when: all that reconciling an event needs of it (no text)."""

    outlet: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD)
    published_uncertain: bool = False


@dataclass
class SkippedInput:
    """An input that could not be stored, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class Quantity:
    """A number as written in text: "at least 11", "dozens", "between 5 and 7"."""

    value: int  # the stated number (lower bound for ranges)
    qualifier: Qualifier = "exact"
    high: int | None = None  # upper bound for ranges
    vague: bool = False  # "dozens", "hundreds": a lower bound, never a figure
    start: int = 0  # offsets of the whole quantity phrase in the text
    end: int = 0


@dataclass
class DateRef:
    """A resolved date with its precision; ``date`` is None when it can't be resolved."""

    date: str | None  # ISO date; for month/year precision, the first day
    precision: DatePrecision | None
    date_end: str | None = None
    evidence: Evidence | None = None


UNRESOLVED = "unresolved"  # Place.kind of a name the gazetteer cannot verify


@dataclass
class Place:
    """A geocoded place (ACLED geo_precision: 1 town, 2 near/part of a region, 3 region)."""

    name: str
    lat: float
    lon: float
    country: str  # ISO3
    admin1: str | None = None
    admin2: str | None = None
    geo_precision: int = 1
    # populated place, camp, settlement, crossing, region, country; or "unresolved": the article's own name for
    # a place the gazetteer cannot verify (a village missing from it, or whose only namesakes lie in another
    # region or country), located at ``parent``, the most specific verified unit the text names around it
    # (geo_precision 2 for a town or district, 3 for a region or country): low confidence, show it as such
    kind: str = "populated place"
    parent: str | None = None  # name of the containing place (camp -> city; unresolved -> where it is located)
    evidence: Evidence | None = None



def km_between(a: Place, b: Place) -> float:
    """Great-circle distance between two places in km (haversine): the one distance of the project."""
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))

@dataclass
class ActorMention:
    """An actor named in text, normalised to a canonical name."""

    name: str  # canonical
    mention: str  # as written
    category: str = "unknown"  # state forces, rebel group, political militia, civilians, ...
    inter_code: int = 0  # ACLED inter code (1 state forces ... 8 external/other)
    country: str | None = None  # ISO3 of the state/side it belongs to
    evidence: Evidence | None = None


@dataclass
class CasualtyClaim:
    """One figure about one incident: who says how many were killed/injured/..."""

    outcome: Outcome
    count: int
    qualifier: Qualifier = "exact"
    count_high: int | None = None
    vague: bool = False
    victims: str | None = None  # "Palestinians", "soldiers", "civilians"
    victim_side: str | None = None  # canonical actor/side the victims belong to
    claimant: str | None = None  # "Palestinian health ministry", "Israeli military"
    part_of_total: bool = False  # a sub-count ("82 of them", "including 13 children")
    evidence: Evidence | None = None


@dataclass
class Tally:
    """A running total ("61 killed since the start of 2023"): never an incident's toll."""

    outcome: Outcome
    count: int
    qualifier: Qualifier = "exact"
    victims: str | None = None
    area: str | None = None
    period_start: str | None = None
    as_of: str | None = None
    claimant: str | None = None
    evidence: Evidence | None = None


@dataclass
class Victim:
    """A named dead, injured, arrested or missing person."""

    name: str
    age: int | None = None
    outcome: Outcome = "killed"
    role: str | None = None  # "commander", "journalist"
    evidence: Evidence | None = None


@dataclass
class Range:
    """best/low/high over figures; ``None`` fields mean no figure."""

    low: int
    high: int
    best: int | None = None

    def as_dict(self) -> dict[str, int | None]:
        return {"best": self.best if self.best is not None else self.low, "low": self.low, "high": self.high}


@dataclass
class IncidentReport:
    """One article's account of one incident (before cross-source merging)."""

    article_id: str
    index: int  # position among the article's incidents (0 = lead)
    date: DateRef
    place: Place | None
    event_type: str  # ACLED event type
    sub_event_type: str
    actors: list[ActorMention] = field(default_factory=list)
    claims: list[CasualtyClaim] = field(default_factory=list)
    victims: list[Victim] = field(default_factory=list)
    fatalities: Range | None = None
    injuries: Range | None = None
    main: bool = False
    summary: str = ""  # the sentence(s) that describe the incident, for notes
    evidence: Evidence | None = None  # the anchoring sentence

    @property
    def id(self) -> str:
        return f"{self.article_id}#{self.index}"


def report_sort_key(r: IncidentReport) -> tuple[str, int]:
    """Stable order of reports: by article id, then position in the article."""
    return (r.article_id, r.index)


def parse_day(value: str | None) -> dt.date | None:
    """The day an ISO date or timestamp string names; None for an empty or malformed one."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@dataclass
class ArticleExtraction:
    """Everything extracted from one article."""

    article_id: str
    reports: list[IncidentReport] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
    #: what was not read and why ("2 sentences with over 40 figures read as tables, not claims")
    notes: list[str] = field(default_factory=list)


@dataclass
class SourceFigures:
    """What one article says about one merged event."""

    article_id: str
    report_id: str
    outlet: str | None
    published: str | None
    fatalities: Range | None
    injuries: Range | None
    claimants: list[str] = field(default_factory=list)
    published_uncertain: bool = False  # the article's year was inferred (a dateline without one)


#: (claimant tier, retrospective, round hedge, newest first, article id, index): smaller is preferred
FigureRank = tuple[int, int, int, int, str, int]


#: one figure over an event's sources: (figure, how many sources gave it, the best rank among them, that
#: source's claimant)
FigureEntry = tuple[int, int, FigureRank, str | None]


def preferred_entry(entries: tuple[FigureEntry, ...] | list[FigureEntry]) -> FigureEntry:
    """The preferred figure by the rule of ``reconcile`` (at least one entry): the best claimant tier, then
    same-day over retrospective; among those a round hedge ("at least 10") drops out when another of them
    gives a larger figure; then the most recent, then article order."""
    top = min(e[2][:2] for e in entries)
    tied = [e for e in entries if e[2][:2] == top]
    kept = [e for e in tied if not (e[2][2] and any(other[0] > e[0] for other in tied))]
    return min(kept, key=lambda e: e[2][3:])


@dataclass(frozen=True)
class FigureDigest:
    """One kind of figure (fatalities or injuries) over an event's sources: the lowest low, the highest
    high, every figure given (``by_figure``: how many sources gave it, their best rank and its claimant;
    see ``reconcile``) and the preferred one (``preferred_entry``) with its rank and claimant."""

    low: int
    high: int
    rank: FigureRank
    figure: int
    claimant: str | None = None
    by_figure: tuple[FigureEntry, ...] = ()

    @classmethod
    def of(cls, low: int, high: int, entries: tuple[FigureEntry, ...]) -> FigureDigest:
        figure, _, rank, claimant = preferred_entry(entries)
        return cls(low, high, rank, figure, claimant, entries)

    def combine(self, other: FigureDigest | None) -> FigureDigest:
        if other is None:
            return self
        low, high = min(self.low, other.low), max(self.high, other.high)
        if not self.by_figure or not other.by_figure:  # a digest stored before figures were kept
            preferred = self if self.rank <= other.rank else other
            return FigureDigest(low, high, preferred.rank, preferred.figure, preferred.claimant,
                                self.by_figure or other.by_figure)
        merged: dict[int, tuple[int, FigureRank, str | None]] = {}
        for figure, n, rank, claimant in (*self.by_figure, *other.by_figure):
            if figure in merged:
                seen = merged[figure]
                n, (rank, claimant) = seen[0] + n, min((rank, claimant or ""), (seen[1], seen[2] or ""))
            merged[figure] = (n, rank, claimant or None)
        return FigureDigest.of(low, high, tuple((f, n, r, c) for f, (n, r, c) in sorted(merged.items())))

    def range(self) -> Range:
        return Range(low=self.low, high=self.high, best=min(max(self.figure, self.low), self.high))

    def to_json(self) -> list[Any]:
        return [self.low, self.high, list(self.rank), self.figure, self.claimant,
                [[f, n, list(r), c] for f, n, r, c in self.by_figure]]

    @classmethod
    def from_json(cls, f: list[Any]) -> FigureDigest:
        """A stored figure digest; one stored before the rank had the retrospective and round-hedge
        places (4 long) reads with those as 0 and without a claimant or figures by source."""
        claimant, by_figure = (f[4], f[5]) if len(f) > 5 else (None, [])
        return cls(f[0], f[1], _rank(f[2]), f[3], claimant,
                   tuple((int(fig), int(n), _rank(r), c) for fig, n, r, c in by_figure))


def _rank(value: list[Any]) -> FigureRank:
    if len(value) == 4:
        value = [value[0], 0, 0, *value[1:]]
    return (int(value[0]), int(value[1]), int(value[2]), int(value[3]), str(value[4]), int(value[5]))


@dataclass
class EventDigest:
    """What reconciling derives from an event's sources, in a form that takes one more source without
    reading the others again. Every field is a minimum, a maximum, a count or a first occurrence, so
    digests combine in any order to the same result (``reconcile.digest_of`` builds one per source).
    Keys end with the member's (article id, index), so ties go to the earliest member."""

    first: tuple[str, int, str]  # (article id, index, report id) of the earliest member
    date_key: tuple[int, str, str, int] | None = None  # (precision rank, date, *member key)
    date: DateRef | None = None
    place_key: tuple[int, int, str, int] | None = None  # (kind specificity, geo precision, *member key)
    place: Place | None = None
    types: dict[str, int] = field(default_factory=dict)
    sub_types: dict[str, dict[str, int]] = field(default_factory=dict)  # event type -> sub-event type -> count
    actors: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # name -> (*member key, position)
    fatalities: FigureDigest | None = None
    injuries: FigureDigest | None = None

    def combine(self, other: EventDigest) -> EventDigest:
        """The digest of both events' sources together (neither is changed)."""
        types = dict(self.types)
        for t, n in other.types.items():
            types[t] = types.get(t, 0) + n
        subs = {t: dict(counts) for t, counts in self.sub_types.items()}
        for t, counts in other.sub_types.items():
            bucket = subs.setdefault(t, {})
            for sub, n in counts.items():
                bucket[sub] = bucket.get(sub, 0) + n
        actors = dict(self.actors)
        for name, key in other.actors.items():
            if name not in actors or key < actors[name]:
                actors[name] = key
        date = _first_by_key((self.date_key, self.date), (other.date_key, other.date))
        place = _first_by_key((self.place_key, self.place), (other.place_key, other.place))
        return EventDigest(
            first=min(self.first, other.first), date_key=date[0], date=date[1], place_key=place[0], place=place[1],
            types=types, sub_types=subs, actors=actors,
            fatalities=other.fatalities if self.fatalities is None else self.fatalities.combine(other.fatalities),
            injuries=other.injuries if self.injuries is None else self.injuries.combine(other.injuries),
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (what the store keeps in ``events.digest``)."""
        def figure(f: FigureDigest | None) -> list[Any] | None:
            return None if f is None else f.to_json()

        date = None if self.date is None else [self.date.date, self.date.precision, self.date.date_end]
        p = self.place
        place = None if p is None else [p.name, p.lat, p.lon, p.country, p.admin1, p.admin2, p.geo_precision,
                                        p.kind, p.parent]
        return {"first": list(self.first), "date_key": self.date_key and list(self.date_key), "date": date,
                "place_key": self.place_key and list(self.place_key), "place": place, "types": self.types,
                "sub_types": self.sub_types, "actors": {n: list(k) for n, k in self.actors.items()},
                "fatalities": figure(self.fatalities), "injuries": figure(self.injuries)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventDigest:
        def figure(f: list[Any] | None) -> FigureDigest | None:
            return None if f is None else FigureDigest.from_json(f)

        d, p = data["date"], data["place"]
        return cls(
            first=(data["first"][0], data["first"][1], data["first"][2]),
            date_key=_key4(data["date_key"]), date=None if d is None else DateRef(d[0], d[1], d[2]),
            place_key=_key4(data["place_key"]),
            place=None if p is None else Place(name=p[0], lat=p[1], lon=p[2], country=p[3], admin1=p[4], admin2=p[5],
                                               geo_precision=p[6], kind=p[7], parent=p[8]),
            types=dict(data["types"]), sub_types={t: dict(c) for t, c in data["sub_types"].items()},
            actors={n: (k[0], k[1], k[2]) for n, k in data["actors"].items()},
            fatalities=figure(data["fatalities"]), injuries=figure(data["injuries"]),
        )


def _first_by_key(a: tuple[Any, Any], b: tuple[Any, Any]) -> tuple[Any, Any]:
    """Of two (key, value) pairs, the one with the smaller key (a missing key loses)."""
    if a[0] is None:
        return b
    if b[0] is None:
        return a
    return a if a[0] <= b[0] else b


def _key4(value: list[Any] | None) -> Any:
    return None if value is None else (value[0], value[1], value[2], value[3])


@dataclass
class Event:
    """One real-world incident, merged across every source that reports it."""

    id: str
    date: DateRef
    place: Place | None
    event_type: str
    sub_event_type: str
    actors: list[str]
    fatalities: Range | None
    injuries: Range | None
    reports: list[IncidentReport] = field(default_factory=list)
    per_source: list[SourceFigures] = field(default_factory=list)
    disputed: bool = False
    merge_reasons: list[str] = field(default_factory=list)
    #: what the figures were reconciled from, for adding sources later (see ``EventDigest``)
    digest: EventDigest | None = None
    #: stored events whose members all belong to this one now, including members not in ``reports``
    #: (an update reads only some members of a large event)
    absorbs: list[str] = field(default_factory=list)
    #: values corrected by hand: event column -> the machine's value it replaced (``sitrep fix``)
    corrected: dict[str, Any] = field(default_factory=dict)
    #: why each best figure was chosen, by kind ("fatalities", "injuries"): see ``reconcile.figure_reason``
    figure_reasons: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def date_uncertain(self) -> bool:
        """Every source dated the incident from a publication date whose year had to be inferred."""
        return bool(self.per_source) and all(s.published_uncertain for s in self.per_source)


@dataclass
class IngestSummary:
    """What one ``run_ingest`` did."""

    stored: list[str] = field(default_factory=list)  # article ids written (new or replaced)
    replaced: list[str] = field(default_factory=list)  # ids that already existed with other text
    unchanged: list[str] = field(default_factory=list)  # same cleaned text already stored
    flagged: list[str] = field(default_factory=list)  # stored but not extracted (non-English)
    skipped: list[SkippedInput] = field(default_factory=list)
    local_copies: int = 0  # manifest records with a path and a url: the file was read, the url kept
    manifests: list[str] = field(default_factory=list)  # manifests read, named or found in a folder
    interrupted: bool = False  # stopped by Ctrl-C: what was stored is kept, a re-run resumes
    reports: int = 0  # incident reports extracted
    events_touched: int = 0  # merged events the new reports joined or created
    seconds: float = 0.0
    #: seconds per stage (read, clean, nlp, rules, write, merge); batched runs only
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def inputs(self) -> int:
        return len(self.stored) + len(self.unchanged) + len(self.skipped)
