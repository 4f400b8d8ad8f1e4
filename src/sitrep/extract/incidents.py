"""Group an article's sentences, claims, places and dates into incidents, and add figures up.

Reading order matters in news copy: the lead incident comes first; later sentences either continue
it (no new place or date, an anaphor like "the raid", or the same paragraph) or open another
incident with a different date ("in late January ... killed nine") or a different place
("Separately, ... in Ramallah"). Figures are then reconciled inside each incident:

- claims joined by "and" add up ("seven gunmen and two civilians" = 9);
- sub-counts ("including 13 children", "82 of them", "six critically") are parts of a total;
- within one group of victims (security forces, attackers, civilians) the largest figure is the
  group's total, and other figures of comparable size (at least ``alternative_ratio`` of it) are
  rival estimates that widen low/high ("the army said six, officials said nine"); smaller ones are
  parts ("three of them");
- different groups add up (4 killed; 45 others and 7 soldiers wounded -> 52), unless an
  all-inclusive figure ("five people", "the death toll") already covers them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from ..records import (
    UNRESOLVED,
    ActorMention,
    CasualtyClaim,
    DateRef,
    Evidence,
    IncidentReport,
    Place,
    Range,
    Tally,
    Victim,
    km_between,
)
from .actors import civilians_of, incident_sides
from .claims import ClaimHit
from .event_types import classify, cue_scores, has_violence
from .lexicon import alternation, casualty_lexicon, load_data, phrase_regex
from .numbers import parse_number
from .place_context import within
from .text import Sentence, paragraphs
from .victims import dedupe_victims

SETTINGS = load_data("extraction_settings.json")
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
COARSE = frozenset({"month", "year"})
GAP_AFTER = re.compile(  # "The attack comes two days after ...", "came a week after", "is the third ... after"
    r"\b(?:(?:comes?|came|follow(?:s|ed)?|happened|occurred)\s+(?:just\s+|only\s+|barely\s+)?"
    r"(?:(?P<n>an?|one|two|three|four|five|six|seven|\d{1,2})\s+)?(?P<unit>days?|weeks?)\s+after"
    r"|is\s+the\s+(?:second|third|fourth|fifth|latest)\b[^.;]{0,40}?\bafter)\b",
    re.I,
)
PHOTO_CREDIT = re.compile(  # "... in Abuja, May 22, 2014. REUTERS/Jane Doe", "(NIGERIA - Tags: CONFLICT)"
    r"\b(?:REUTERS|Reuters|AFP|EPA|AP\s+Photo|Getty\s+Images|XINHUA|Xinhua|ANADOLU)\s*/\s*[A-Z]|\bTags:\s"
)
CREDIT_LINE = re.compile(r"\s*(?:AP|AFP|Reuters|REUTERS|EPA|Getty Images|AP Photo|File photo|File|Photo)\s*\.?\s*$")
TOLL_AFTER = re.compile(  # "On Monday the provisional toll stood at three": when a toll was given
    r"\s*,?\s*(?:the\s+)?(?:initial\s+|provisional\s+|official\s+|preliminary\s+|first\s+)?(?:death\s+)?toll\b", re.I
)
CAUSE_CLAUSE = re.compile(r"\b(?:after|following)\b", re.I)  # the figure's clause follows what it caused
ASIDE_BEFORE = re.compile(r",\s*(?:(?:late|early)\s+)?(?:on\s+)?$")  # "the agency, on Tuesday, reported"
CLAUSE_START = re.compile(r"(?:^|[;:]|\b(?:and|but|while))\s*(?:(?:late|early)\s+)?(?:on|by|as\s+of)?\s*$", re.I)
EVENT_NAME_AFTER = re.compile(
    r"\s+(?:[A-Z][\w'’-]*\s+){0,3}(?:attacks?|massacres?|assaults?|bombings?|raids?|strikes?|killings?|coup|war|"
    r"offensive|invasion|uprising|incursion|ambush|shootings?|events?|elections?|protests?|revolution|ceasefire|"
    r"truce|deal|agreement)\b"
)
YEAR_WORD = re.compile(r"\b(?:the|a|an|its|their)\s+(?P<year>(?:19|20)\d{2})\b(?!\s*(?:%|per|-))")


@dataclass(frozen=True)
class IncidentCues:
    """Compiled cues of data/incident_cues.json."""

    report_after: re.Pattern[str]  # "On Wednesday, the army said ...": the date opens a reporting clause
    report_next: re.Pattern[str]  # "officials on Thursday said"
    date_verbs: re.Pattern[str]
    recall: re.Pattern[str]
    aggregate: re.Pattern[str]
    origin_before: re.Pattern[str]
    another_event: re.Pattern[str]
    discovery: re.Pattern[str]  # "we found the bodies of 11": the day of the finding


@cache
def incident_cues() -> IncidentCues:
    raw = load_data("incident_cues.json")
    verbs = "|".join(re.escape(v) for v in raw["report_verbs"])
    reporters = "|".join(re.escape(w) for w in raw["reporters"])
    word = rf"(?:[A-Z][\w'’.-]*|(?i:{reporters}))"
    origin = phrase_regex(raw["origin_before"]).pattern
    return IncidentCues(
        report_after=re.compile(rf"^\s*,?\s*(?:{word}\s+){{0,5}}(?i:{verbs})\b"),
        report_next=re.compile(rf"^\s+(?i:{verbs})\b"),
        date_verbs=phrase_regex(raw["date_verbs"]),
        recall=phrase_regex(raw["recall_markers"]),
        aggregate=re.compile("|".join([phrase_regex(raw["aggregate_markers"]).pattern, *raw["aggregate_patterns"]]),
                             re.I),
        another_event=re.compile(raw["another_event"], re.I),
        discovery=re.compile(raw["discovery"], re.I),
        origin_before=re.compile(rf"{origin}\s+(?:the\s+)?(?:(?:town|city|village|district)\s+of\s+)?$", re.I),
    )
POSSESSIVE = re.compile(r"['’]s\s+")
CLAIMANT_PLACE = re.compile(
    r"^(?:’s|'s|’|')?\s*(?:[\w-]+-(?:run|led|controlled|backed)\s+)?(?:health\s+|interior\s+|defen[cs]e\s+)?"
    r"(?:ministry|authorities|officials|governor|branch|brigades?|battalion|"
    r"police|municipality|council|spokes\w+|government|administration|civil defen[cs]e|media\s+office|"
    r"regional|military\s+administration|residents)\b",
    re.I,
)
SEAT_BEFORE = re.compile(  # "the ministry in Kinshasa said", "a security source contacted in Niamey told reporters"
    r"\b(?:sources?|officials?|ministry|spokes\w+|authorities|governor|police|army|military|command|headquarters|"
    r"agency|office|statement|reporters?|journalists?)\b[\w\s,'’-]{0,25}?\b(?:in|from|based in)\s+(?:the\s+)?$",
    re.I,
)
FACILITY = re.compile(r"\b(?:posts?|outposts?|bases?|camps?|barracks|checkpoints?|convoys?|patrols?|positions?|"
                      r"vehicles?|trucks?|depots?|units?)\b", re.I)  # "an army post in X": a place, not a seat
SEAT_AFTER = re.compile(r"^[\w\s,'’()-]{0,25}?\b(?:said|says|told|reported|announced|confirmed|stated)\b", re.I)
REPORT_BEFORE = re.compile(
    r"\b(?:said|says|told|announced|reported|confirmed|added|stated|rose|risen|climbed|updated|wrote|posted|"
    r"tweeted|published|released|warned|claimed|condemned|denounced|mourned|visited|according\s+to)\b"
    r"(?:\s+(?!that\b)\w+){0,4}\s*"  # "said that on May 3, gunmen ...": the date of what was said
    r"(?:on|late on|early on|in|,)?\s*$",
    re.I,
)
CONTINUATION = re.compile(
    r"\b(?:night|evening|overnight|late|early hours|began|begun|started|continued|extended|lasted|into|"
    r"following day|next day|until|through)\b",
    re.I,
)
CARE_VERBS = r"taken|brought|rushed|transferred|transported|evacuated|treated|hospitali[sz]ed|admitted|referred"
DESTINATION_BEFORE = re.compile(
    r"\b(?:hospitals?|clinics?|morgues?|ferried|flown|airlifted|fled|flee|fleeing|treatment|"
    r"moved|sent|returned|travelled|headed|deported|relocated|" + CARE_VERBS + r")\b[^,.;]{0,30}"
    r"\b(?:in|to|at|towards|toward|into)\s+(?:the\s+(?:city|town|village)\s+of\s+)?$",
    re.I,
)
CARED_FOR_BEFORE = re.compile(r"\b(?:" + CARE_VERBS + r")\b[^,.;]{0,60}$", re.I)
CARE_FACILITY_AFTER = re.compile(r"^\s+(?:[\w-]+\s+)?(?:hospital|clinic|morgue|medical|health\s+cent)", re.I)
SAME_DAY = re.compile(r"\b(?:(?:on|later|earlier)\s+(?:on\s+)?(?:the\s+same|that)\s+"
                      r"(?:day|night|morning|afternoon|evening)|(?:hours|minutes)\s+(?:later|earlier))\b", re.I)
INTO_THE_DAY = re.compile(  # "launched overnight and lasting into Friday", "clashes that went on until dawn"
    r"\b(?:lasting|lasted|continu\w*|stretch\w*|dragg?\w*|went\s+on|going\s+on|carried\s+on|extend\w*|spill\w*|"
    r"ran|running|raged|raging)\s+(?:well\s+|late\s+|on\s+)?(?:into|until|till|through)\s+(?:the\s+)?"
    r"(?:morning|day|dawn|daybreak|daylight|afternoon|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I)
SINCE_WHEN = re.compile(r"\bsince\s+(?P<expr>[^,.;]{3,30}?),\s+when\b", re.I)
PERIOD_BEFORE = re.compile(r"\b(?:since|from|until|throughout|between)\b[^,.;]{0,40}$", re.I)
EVENT_OUTCOMES = frozenset({"killed", "injured", "arrested", "abducted"})  # missing/displaced follow events
REGION_KINDS = frozenset({"region", "country", "area", "territory"})


@dataclass
class SentenceInfo:
    """What the incident builder knows about one sentence."""

    sentence: Sentence
    text: str
    claims: list[ClaimHit]
    places: list[Place]
    dates: list[DateRef]
    victims: list[Victim]
    violence: bool
    tally: bool
    anaphora: bool
    separate: bool


@dataclass
class Draft:
    """An incident being built."""

    place: Place | None
    date: DateRef | None
    date_explicit: bool
    lead: bool
    place_weak: bool = False  # taken from a headline or dateline: the first specific place replaces it
    recalled: bool = False  # an older event the article recalls ("in a similar attack last March")
    date_reported: bool = False  # dated by when its figure was reported ("police said on Saturday")
    place_inherited: bool = False  # opened on another day without a place: it holds the incident before's
    sentences: list[SentenceInfo] = field(default_factory=list)
    last_paragraph: int = -1

    def add(self, info: SentenceInfo) -> None:
        self.sentences.append(info)
        self.last_paragraph = info.sentence.paragraph

    @property
    def claims(self) -> list[ClaimHit]:
        return [c for s in self.sentences for c in s.claims]


# -- places and dates ------------------------------------------------------------------------
def is_specific(place: Place | None) -> bool:
    return place is not None and place.kind not in REGION_KINDS and place.geo_precision < 3


@cache
def _wide_unit() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A district, province or region word after a name ("Kossi province") or before it ("the district of X")."""
    raw = load_data("place_patterns.json")
    words = {w for w in [*raw["unit_words_admin"], *raw["region_suffixes"], "municipality", "commune"] if w != "area"}
    alt = alternation(words, space=r"\ ")
    return re.compile(rf"\s+(?:{alt})\b", re.I), re.compile(rf"\b(?:{alt})\s+of\s+(?:the\s+)?$", re.I)


def is_point(place: Place | None, text: str) -> bool:
    """Can incidents be told apart by this place? A verified town, camp or neighbourhood, and also the
    article's own name for a local place the gazetteer lacks ("Karou", "Nyaung Kone village"), which is
    located only at its region but is a point all the same -- not a district, province or region."""
    if is_specific(place):
        return True
    if place is None or place.kind != UNRESOLVED or place.evidence is None:
        return False
    after, before = _wide_unit()
    start, end = place.evidence.start, place.evidence.end
    return not after.match(text, end) and not before.search(text, max(0, start - 30), start)


def _norm(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (name or "").lower()).strip()


def places_compatible(a: Place | None, b: Place | None) -> bool:
    """Same place, or one inside the other (a camp in its city, a town in its region)."""
    if a is None or b is None:
        return True
    na, nb = _norm(a.name), _norm(b.name)
    if na == nb or _norm(a.parent) == nb or _norm(b.parent) == na:
        return True
    # an unresolved name sits at its container's point, so only resolved places are told apart by distance
    if UNRESOLVED not in (a.kind, b.kind) and km_between(a, b) < 2.0:
        return True
    for outer, inner in ((a, b), (b, a)):
        if not is_specific(outer) and outer.country == inner.country:
            if outer.kind == "country" or _norm(outer.name) in (_norm(inner.admin1), _norm(inner.parent)) or \
                    (outer.kind != UNRESOLVED and _norm(inner.admin1) == _norm(outer.admin1)):
                return True  # (an unresolved name holds only what names it as its container)
    return False


def _day(d: DateRef) -> dt.date | None:
    try:
        return dt.date.fromisoformat(d.date) if d.date else None
    except ValueError:
        return None


def dates_compatible(a: DateRef | None, b: DateRef | None) -> bool:
    """Could two dates be the same incident? (day: within a day; month/week: overlapping ranges)."""
    if a is None or b is None or a.precision is None or b.precision is None:
        return True
    da, db = _day(a), _day(b)
    if da is None or db is None:
        return True
    try:
        ea, eb = _end(a, da), _end(b, db)
    except OverflowError:  # a month or week at the end of the calendar (9999-12) from a hostile text
        ea, eb = dt.date.max, dt.date.max
    slack = dt.timedelta(days=1)
    try:
        return da - slack <= eb and db - slack <= ea
    except OverflowError:  # 0001-01-01 from a hostile text: compare without the slack
        return da <= eb and db <= ea


def _end(d: DateRef, start: dt.date) -> dt.date:
    if d.date_end:
        try:
            return dt.date.fromisoformat(d.date_end)
        except ValueError:
            pass
    if d.precision == "month":
        nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return nxt - dt.timedelta(days=1)
    if d.precision == "year":
        return start.replace(month=12, day=31)
    if d.precision == "week":
        return start + dt.timedelta(days=6)
    return start


def _care_facility(after: str, before: str) -> bool:
    """The place names the hospital the wounded were taken to ("taken to the Bethesda Ndosho hospital")."""
    return bool(CARE_FACILITY_AFTER.match(after) and CARED_FOR_BEFORE.search(before))


def anchor_place(info: SentenceInfo, text: str) -> Place | None:
    """The most specific place the sentence says something happened in (not a claimant's 'Gaza's ministry')."""
    usable = []
    for p in info.places:
        after = text[p.evidence.end:p.evidence.end + 40] if p.evidence else ""
        before = text[max(info.sentence.start, p.evidence.start - 50):p.evidence.start] if p.evidence else ""
        if CLAIMANT_PLACE.match(after) or DESTINATION_BEFORE.search(before) or \
                incident_cues().origin_before.search(before) or _care_facility(after, before):
            continue  # a claimant, where the wounded were taken, where a victim came from
        seat = SEAT_BEFORE.search(before)
        if seat and SEAT_AFTER.match(after) and not FACILITY.search(seat.group()):
            continue  # where the source sits, not where it happened ("an army post in X, officials said" is)
        usable.append(p)
    specific = [p for p in usable if is_specific(p)]
    if specific:
        containers = {_norm(p.parent) for p in specific if p.parent}  # "Patikul town" before Jolo, its container
        containers |= {_norm(p.name) for p in specific if _possesses_a_place(p, specific, text)}
        held = {p.admin2 for p in specific if p.kind != "district" and p.admin2}  # "Patikul, Sulu": the town
        return min(specific, key=lambda p: (0 if p.kind in ("camp", "settlement", "crossing", "neighbourhood")
                                            else 1, p.kind == "district" and p.admin2 in held,
                                            _norm(p.name) in containers,
                                            p.evidence.start if p.evidence else 0))
    return min(usable, key=_coarseness) if usable else None  # "Oromia region" before "Ethiopia"


def _possesses_a_place(place: Place, others: list[Place], text: str) -> bool:
    """"Bastar's Bijapur district", "Kherson's Bilozerka": the place before the possessive holds the other (when
    the other can lie inside it: "Kherson's Dniprovskyi district" is no district of Kyiv of that name)."""
    after = POSSESSIVE.match(text, place.evidence.end) if place.evidence else None
    return after is not None and any(o.evidence is not None and o.evidence.start == after.end() and within(o, place)
                                     for o in others)


def _coarseness(place: Place) -> tuple[int, int]:
    """How wide a non-specific place is: a country, then a region, then a named place located at its region."""
    rank = 0 if place.kind == UNRESOLVED else 1 if place.kind != "country" else 2
    return rank, place.evidence.start if place.evidence else 0


def _may_narrow(new: Place | None, old: Place | None) -> bool:
    """A town may stand in for a lead's region only inside it (Addis Ababa is not in "Oromia region")."""
    return new is not None and (old is None or old.kind not in ("region", UNRESOLVED) or within(new, old))


def _names_the_scene(new: Place, draft: Draft) -> bool:
    """A headline's or dateline's town gives way to the unresolved village the body names inside its region."""
    return draft.place_weak and is_specific(draft.place) and new.kind == UNRESOLVED \
        and draft.place is not None and within(new, draft.place)


def _refines(new: Place | None, old: Place | None) -> bool:
    """A narrower area inside the draft's country or region ("Amuru district" after "Oromia region")."""
    if new is None or old is None or is_specific(new) or is_specific(old) or new.country != old.country:
        return False
    return _coarseness(new)[0] < _coarseness(old)[0] and places_compatible(new, old)


def _point_dates(info: SentenceInfo, text: str) -> list[tuple[DateRef, bool]]:
    """The sentence's resolved point dates outside periods, period clauses and datelines, each with
    whether it is only when the figure was reported ("said on Saturday", "On Monday, the army said").
    A sum over several attacks of one day ("killed 12 in two attacks on Sunday") still dates them."""
    from .dates import in_dateline
    from .tallies import clauses, period_clause

    if not info.dates:
        return []
    tally_spans = [(a, b) for a, b in clauses(text, info.sentence.start, info.sentence.end)
                   if period_clause(text, a, b)] if info.tally else []
    out = []
    found = incident_cues().discovery.search(info.text) is not None  # the day bodies were found: a report day
    for d in info.dates:
        if d.precision is None or d.evidence is None or in_dateline(text, d.evidence.start, d.evidence.end):
            continue
        if any(a <= d.evidence.start < b for a, b in tally_spans):
            continue
        before = text[info.sentence.start:d.evidence.start]
        if EVENT_NAME_AFTER.match(text, d.evidence.end) and re.search(r"\bthe\s+$", before, re.I):
            continue  # "the October 7 attacks": the name of an older event, not a date of this one
        when_clause = re.match(r",?\s+when\b", text[d.evidence.end:d.evidence.end + 12])  # "since May, when ..."
        if PERIOD_BEFORE.search(before) and not when_clause:
            continue
        after = text[d.evidence.end:min(info.sentence.end, d.evidence.end + 80)]
        opens = CLAUSE_START.search(before) is not None  # "On Wednesday evening, the army revealed that"
        aside = ASIDE_BEFORE.search(before) and incident_cues().report_next.match(after.lstrip(","))
        reported = REPORT_BEFORE.search(before) or incident_cues().report_next.match(after) or aside or found or \
            (opens and (incident_cues().report_after.match(after) or TOLL_AFTER.match(after)))
        if d.date_end and d.precision == "day" and d.date_end != d.date and INTO_THE_DAY.search(info.text):
            d = DateRef(d.date_end, "day", None, d.evidence)  # a night that ran into the next day: that day
        out.append((d, bool(reported)))
    return out


def anchor_date(info: SentenceInfo, text: str) -> DateRef | None:
    """The first point date of the sentence outside periods ("since January"), tally clauses and
    report dates; the first inside the clause of the figure when that clause follows the date's ("after")."""
    dates = [d for d, reported in _point_dates(info, text) if not reported]
    figures = [h.start for h in info.claims if not h.claim.vague]
    if len(dates) > 1 and figures and dates[0].evidence is not None:
        cause = CAUSE_CLAUSE.search(text, dates[0].evidence.end, figures[0])
        later = [d for d in dates if cause and d.evidence and d.evidence.start > cause.end()]
        if later:
            return later[0]  # "a hunt began today after four rangers were killed in a blast yesterday"
    return dates[0] if dates else None


def report_date(info: SentenceInfo, text: str) -> DateRef | None:
    """The day a figure was reported ("police said on Saturday"): the incident's day when the text gives
    no other (the publication day is later still)."""
    return next((d for d, reported in _point_dates(info, text) if reported and d.precision == "day"), None)


def finer(date: DateRef | None, known: DateRef | None) -> bool:
    """A more precise date inside a coarser one ("this year" then "on Thursday")."""
    if date is None or known is None or date.precision is None or known.precision is None:
        return False
    return PRECISION_RANK[date.precision] < PRECISION_RANK[known.precision] and dates_compatible(date, known)


# -- grouping --------------------------------------------------------------------------------
class IncidentBuilder:
    """Walks an article's sentences in order and groups them into incident drafts.

    A sentence with a figure or a violent verb that names another specific place and/or another day
    opens (or returns to) the incident of that (place, day); one without a new anchor elaborates the
    current incident. An older event the article recalls (a coarse date after the lead, "two days
    after", "in a similar attack", "the 2015 bombing") goes to a draft of its own that never lends its
    date, place or figures to the main incident (see ``_recall_date``)."""

    def __init__(self, text: str, published: str | None, lead_place: Place | None) -> None:
        self.text = text
        self.published = published
        self.lead_place = lead_place
        self.drafts: list[Draft] = []
        self.cur: Draft | None = None
        self.para_place: dict[int, Place] = {}
        self.pending_date: DateRef | None = None  # "The incidents happened on Friday." before any figure
        self.captions = caption_paragraphs(text)

    def _default_date(self) -> DateRef | None:
        return DateRef(self.published, "day") if self.published else None

    def _find(self, place: Place | None, date: DateRef | None, info: SentenceInfo) -> Draft | None:
        for d in reversed(self.drafts):
            if d.recalled or (place is not None and d.place is not None and place.country != d.place.country):
                continue
            if place is not None and place.kind == "country" and d.place is None:
                continue  # a country the text set apart is not an unplaced incident's
            if place is not None and d.place is not None and is_point(place, self.text) and \
                    is_point(d.place, self.text):
                if not places_compatible(place, d.place):
                    continue
            if place is not None and is_point(place, self.text) and d.place_weak and not _open_place(d, info):
                continue  # a roundup's region-wide lead does not take the next item's town ("In Y, eight ...")
            opens_item = info.separate or (BREAKDOWN_OPENING.match(info.text) is not None and bool(info.claims))
            if opens_item and place is not None and d.place is not None and is_point(d.place, self.text) \
                    and not (within(d.place, place)
                             and (place.kind != UNRESOLVED or places_compatible(place, d.place))):
                continue  # "Elsewhere, ... in Helmand province": not the Farah incident
            if date is not None and d.date_explicit and not self._same_time(date, d.date, info):
                continue
            if date is not None and not d.date_explicit and d is not self.drafts[0]:
                continue
            return d
        return None

    def _since_when(self, info: SentenceInfo) -> DateRef | None:
        """'since late January, when an attack killed 30': the period start dates the attack."""
        from .dates import resolve_expression

        m = SINCE_WHEN.search(info.text)
        if m is None:
            return None
        found = resolve_expression(m.group("expr"), self.published)
        if found is None or found.precision is None:
            return None
        start = info.sentence.start + m.start("expr")
        found.evidence = Evidence.of(self.text, start, start + len(m.group("expr")))
        return found

    def _same_time(self, date: DateRef, known: DateRef | None, info: SentenceInfo) -> bool:
        """Inside one article two different days are two incidents, unless the text says it went on."""
        if not dates_compatible(date, known):
            return False
        if known is None or date.precision != "day" or known.precision != "day" or date.date == known.date:
            return True
        phrase = info.text
        return bool(CONTINUATION.search(phrase) or info.anaphora)

    def _with_figures(self, place: Place | None) -> Draft | None:
        """The latest draft with figures at a compatible place (a tentative draft is not carried on)."""
        for d in reversed(self.drafts):
            if (d.claims or d.lead) and not d.recalled and places_compatible(place, d.place):
                return d
        return None

    def _told(self) -> int:
        """How many incidents the story tells (the older events it recalls aside)."""
        return sum(1 for d in self.drafts if not d.recalled)

    def _main(self) -> Draft | None:
        """The incident the story is telling now (the current one unless it is a recalled event)."""
        if self.cur is not None and not self.cur.recalled:
            return self.cur
        return next((d for d in self.drafts if not d.recalled), None)

    def _new(self, place: Place | None, date: DateRef | None, lead: bool, reported: DateRef | None = None) -> Draft:
        fallback = reported or (self.cur.date if self.cur else self._default_date())
        draft = Draft(place=place, date=date or fallback, date_explicit=date is not None, lead=lead,
                      date_reported=date is None and reported is not None)
        self.drafts.append(draft)
        return draft

    def _attach(self, draft: Draft, info: SentenceInfo, place: Place | None, date: DateRef | None,
                reported: DateRef | None = None) -> None:
        if place is not None and not is_point(place, self.text) and not (draft.place is None
                                                                           or _refines(place, draft.place)
                                                                 or _names_the_scene(place, draft)):
            place = None  # a wide area only fills or narrows the draft's place
        if place is not None and draft.place is not None and draft.place.kind in ("region", UNRESOLVED) \
                and not within(place, draft.place):
            place = None  # "... in the Amuru district of Oromia": a town outside Oromia is not the scene
        # a local name the gazetteer lacks names the scene, but never displaces a better located town
        point = is_specific(place) or (is_point(place, self.text) and not is_specific(draft.place))
        better = (is_specific(place) and not is_specific(draft.place)) or \
            (point and not is_point(draft.place, self.text))  # a verified town locates better than a local name
        if place is not None and (draft.place is None or better
                                  or _more_specific(place, draft.place) or (draft.place_weak and point)
                                  or _refines(place, draft.place) or _names_the_scene(place, draft)):
            draft.place = place
            draft.place_weak = False
        if date is not None and not draft.date_explicit and draft.sentences and not _dates_draft(draft, info):
            date = None  # a day named far from the incident's first lines, without its figures
        self._date(draft, date, reported)
        draft.add(info)
        self.cur = draft

    def _date(self, draft: Draft, date: DateRef | None, reported: DateRef | None = None) -> None:
        """Date a draft: its own first date, a finer one inside it, else the day its figure was reported."""
        if date is not None and (not draft.date_explicit or finer(date, draft.date)):
            draft.date, draft.date_explicit, draft.date_reported = date, True, False
        elif reported is not None and not draft.date_explicit and not draft.date_reported:
            draft.date, draft.date_reported = reported, True

    def _date_only(self, info: SentenceInfo) -> None:
        """'The attack took place on Saturday': a sentence without figures that dates the incident
        (and places it, when it was placed only by a country or region: "The revenge attack just
        outside Galkayo ...")."""
        subject = EVENT_SUBJECT.match(info.text) is not None  # "The revenge attack on Friday ..."
        dated_event = DAY_OF_EVENT.search(info.text)  # "who was responsible for Friday's attack in X"
        if subject or (self.cur is not None and self.cur.place_inherited):
            self._place_only(info)
        verb = incident_cues().date_verbs.search(info.text) or dated_event
        if verb is None and not subject:
            return
        if self.cur is not None and self.cur.recalled and info.sentence.paragraph == self.cur.last_paragraph:
            return  # it dates the older event being recalled
        date = anchor_date(info, self.text)
        if date is None or date.evidence is None or (date.precision in COARSE and self.drafts):
            return
        at = info.sentence.start + (verb.start() if verb is not None else 0)
        if min(abs(date.evidence.start - at), abs(date.evidence.end - at)) > 160:
            return  # the date belongs to another clause
        main = self._main()
        if main is None:
            self.pending_date = self.pending_date or date
        elif not main.recalled and (not main.date_explicit or finer(date, main.date)):
            self._date(main, date)

    def _place_only(self, info: SentenceInfo) -> None:
        cur = self.cur
        if cur is None or cur.recalled or (is_specific(cur.place) and not cur.place_inherited):
            return
        place = anchor_place(info, self.text)
        if cur.place_inherited and is_point(place, self.text) and info.sentence.paragraph == cur.last_paragraph:
            cur.place, cur.place_inherited = place, False  # the next incident's own place, named after its day
            return
        if is_specific(place) and places_compatible(place, cur.place) and info.sentence.paragraph - \
                cur.last_paragraph <= 1:
            cur.place, cur.place_weak = place, False

    def _recall_date(self, info: SentenceInfo, date: DateRef | None) -> tuple[bool, DateRef | None]:
        """Does the sentence recall an older event? (and its date: "comes two days after" = two days
        before the main incident). The article's first incident is never a recalled one."""
        main = self._main()
        if main is None:
            return False, date
        gap = GAP_AFTER.search(info.text)
        if gap is not None:
            count = gap.group("n")  # "came days after": some days before, undated unless the sentence says
            return True, date or (_days_before(main.date, count, gap.group("unit")) if count else None)
        if incident_cues().recall.search(info.text):
            return True, date
        year = YEAR_WORD.search(info.text)
        main_year = (main.date.date or "")[:4] if main.date else ""
        if year is not None and date is None and year.group("year") != main_year:
            return True, None  # "the 2015 university massacre that killed 148"
        if date is not None and not main.date_explicit and self._long_before(date):
            return True, date  # the story's incident is recent: a date weeks back is another event's
        lead_paragraph = info.sentence.paragraph == main.sentences[0].sentence.paragraph if main.sentences else True
        if date is not None and date.precision in COARSE and not (lead_paragraph and not main.claims) \
                and not (main.date_explicit and main.date and main.date.precision in COARSE):
            return True, date  # "Earlier in February, 40 people died ...", "Last month, six were killed"
        return False, date

    def _long_before(self, date: DateRef) -> bool:
        from .dates import parse_published

        pub, day = parse_published(self.published), _day(date)
        if pub is None or day is None:
            return False
        return (pub - day).days > int(SETTINGS["recent_days"])

    def _recall(self, info: SentenceInfo, place: Place | None, date: DateRef | None) -> None:
        draft = Draft(place=place, date=date, date_explicit=date is not None, lead=False, recalled=True)
        self.drafts.append(draft)
        draft.add(info)
        self.cur = draft

    def feed(self, info: SentenceInfo) -> None:
        s = info.sentence
        if s.paragraph in self.captions:  # a photo caption: often a file picture of another place and day
            main = self._main()
            if main is not None and main.sentences and (info.claims or info.violence) \
                    and _pictures(info, main):
                main.add(replace(info, places=[], dates=[]))  # a picture of the story: its figures and words count
            return
        place = anchor_place(info, self.text)
        if place is not None and is_specific(place):
            self.para_place[s.paragraph] = place
        if s.heading:
            if place is not None and is_specific(place):
                self.para_place[s.paragraph + 1] = place
            return
        lead = self.drafts[0] if self.drafts else None
        if lead is not None and _open_place(lead, info) and self._told() == 1 \
                and (is_specific(place) and _may_narrow(place, lead.place) or _refines(place, lead.place)
                     or (place is not None and _names_the_scene(place, lead))) \
                and s.paragraph - lead.sentences[0].sentence.paragraph <= 2:
            lead.place, lead.place_weak = place, False  # the lead's town, named in the next paragraphs
        if not (info.claims or info.violence or info.victims):
            self._date_only(info)
            return
        date = anchor_date(info, self.text) or self._since_when(info)
        reported = report_date(info, self.text) if date is None else None
        if date is None and self.cur is not None and self.cur.date_explicit and SAME_DAY.search(info.text):
            date = self.cur.date  # "On the same day, ..." / "Hours later, ..."
        recalled, date = self._recall_date(info, date)
        if recalled:
            self._recall(info, place, date)
            return
        specific = place if is_point(place, self.text) else None
        apart = False  # the text sets this place apart from the current incident's
        opens_item = info.separate or (BREAKDOWN_OPENING.match(info.text) is not None and bool(info.claims))
        if specific is None and opens_item and place is not None and place.kind != "country" \
                and self.cur is not None and not places_compatible(place, self.cur.place):
            specific, apart = place, True  # "Separately, gunmen killed 17 in X district"; "In X state, ..."
        if specific is None and place is not None and place.kind == "country" and self.cur is not None \
                and (self.cur.place is None or place.country != self.cur.place.country) \
                and ELSEWHERE_OPENING.match(info.text) and info.claims:
            specific, apart = place, True  # "Meanwhile in Somalia, nine civilians were executed"
        context_place = specific or self.para_place.get(s.paragraph)
        if self.cur is None:
            lead_place = specific or self.para_place.get(s.paragraph) \
                or (place if _refines(place, self.lead_place) else self.lead_place) or place
            lead = self._new(lead_place, date or self.pending_date, lead=True, reported=reported)
            lead.place_weak = specific is None
            self._attach(lead, info, None, date or self.pending_date)
            return
        cur = self.cur
        if cur.recalled and s.paragraph != cur.last_paragraph and (
                (specific is None and date is None) or (date is not None and date.precision == "day"
                                                        and cur.date is not None and cur.date.precision in COARSE)):
            cur = self._main() or cur  # back to the story after a paragraph about an older event
        date_differs = date is not None and cur.date_explicit and not self._same_time(date, cur.date, info)
        place_differs = specific is not None and (
            (is_point(cur.place, self.text) and not cur.place_weak and not places_compatible(specific, cur.place)
             and _told_apart(specific, cur.place, info))
            or (cur.place_weak and not _open_place(cur, info)) or apart)
        if not date_differs and not place_differs:
            anchored = specific is not None or date is not None
            if s.paragraph != cur.last_paragraph and not cur.lead and not cur.claims and cur.date_explicit \
                    and date is None:
                cur = self._with_figures(specific) or cur
            early = self._told() == 1 and s.paragraph - self.drafts[0].sentences[0].sentence.paragraph <= 3
            if anchored or info.anaphora or s.paragraph == cur.last_paragraph or early or cur is not self.cur:
                self._attach(cur, info, specific or place, date, reported)
            return
        if not (info.claims or info.violence or info.separate):
            return
        target_place = context_place if date_differs and specific is None else specific
        target = self._find(target_place, date, info)
        if target is None:
            own_day = date_differs and (any(not h.claim.vague for h in info.claims) or info.separate)
            if not own_day and (target_place is None or not (is_point(target_place, self.text)
                                                             or target_place is specific)):
                return  # (``specific`` may be a region or country the text set apart: "Meanwhile in Somalia")
            # another day with its own figure is another incident, even where the text names only a region
            new_place = target_place or _region_or_same(place, None if _names_other(info) else cur.place)
            if new_place is None and (place is not None or cur.place is not None):
                return
            target = self._new(new_place, date, lead=False)
            target.place_inherited = target_place is None and place is None  # "The second raid was on Friday."
            if not date_differs and date is None:
                target.date, target.date_explicit = cur.date, False
        self._attach(target, info, specific or place, date)


ATTACK_NOUNS = (r"attacks?|raids?|strikes?|air\s?strikes?|ambush|bombing|blast|explosion|killings?|massacre|assault|"
                r"shooting")
EVENT_SUBJECT = re.compile(
    r"\s*(?:The|This|That|Saturday's|Sunday's|Monday's|Tuesday's|Wednesday's|Thursday's|Friday's)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:" + ATTACK_NOUNS + r"|incident|clash(?:es)?)\b"
)
DAY_OF_EVENT = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)['’]s\s+(?:[\w-]+\s+){0,2}?"
    r"(?:" + ATTACK_NOUNS + r")\b"
)
ELSEWHERE_OPENING = re.compile(r"\s*(?:Meanwhile|Elsewhere|Separately|In\s+neighbou?ring)\b")
BREAKDOWN_OPENING = re.compile(r"\s*(?:(?:In|At|Near|Outside)\s+(?:the\s+)?[A-Z]|(?:Elsewhere|Meanwhile|Separately)\b)")


def _told_apart(new: Place, old: Place | None, info: SentenceInfo) -> bool:
    """Is a new place another incident's? A village the gazetteer lacks and can place only in its region,
    named while a verified town is the scene, is most often that town's surroundings ("Mabanga village,
    outside Beni"): only a cue sets it apart ("Separately", "In X, ...", "another strike"). Verified places,
    or two local names, differ as they are."""
    if new.kind != UNRESOLVED or is_specific(new) or old is None or not is_specific(old) or old.kind == UNRESOLVED:
        return True
    return info.separate or BREAKDOWN_OPENING.match(info.text) is not None \
        or incident_cues().another_event.search(info.text) is not None


def _open_place(draft: Draft, info: SentenceInfo) -> bool:
    """Can a specific place named now still become the place of a draft placed only by a headline, a
    dateline or a region? Not once a later paragraph that opens on a place of its own (one the gazetteer
    did not know) has given it a figure and this sentence brings another (a roundup: "In X, ... killed
    11." then "In Y, eight were killed.")."""
    if not draft.place_weak:
        return False
    first = draft.sentences[0].sentence.paragraph if draft.sentences else info.sentence.paragraph
    later = any(si.claims and si.sentence.paragraph != first and BREAKDOWN_OPENING.match(si.text)
                for si in draft.sentences)
    return not (later and info.claims and info.sentence.paragraph != first)


def _dates_draft(draft: Draft, info: SentenceInfo) -> bool:
    """May this sentence give the (so far undated) incident its day? Near its first lines, or with its
    figures or a word for it ("the attack")."""
    near = info.sentence.paragraph - draft.sentences[0].sentence.paragraph <= int(SETTINGS["dating_paragraphs"])
    return near or bool(info.claims) or info.anaphora


LOCATIVE = re.compile(r"\b(?:in|at|near|outside|on|of)\s+(?:the\s+)?(?P<name>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)*)")


def _names_other(info: SentenceInfo) -> bool:
    """Does the sentence name a place ("in Ras Kamal", "at the Kilo Market") the gazetteer did not find?"""
    from .dates import date_data

    calendar = set(date_data()["weekdays"]) | set(date_data()["months"])
    found = [(p.evidence.start, p.evidence.end) for p in info.places if p.evidence]
    for m in LOCATIVE.finditer(info.text):
        start = info.sentence.start + m.start("name")
        if m.group("name").split()[0].lower() in calendar or any(a <= start < b for a, b in found):
            continue
        return True
    return False


def _region_or_same(place: Place | None, known: Place | None) -> Place | None:
    """Where an incident is when the sentence names at most a region: that region, else the place
    already known (unless the sentence names another country)."""
    if place is not None and place.kind != "country":
        return place
    if place is not None and known is not None and place.country != known.country:
        return None
    return known


def _pictures(caption: SentenceInfo, draft: Draft) -> bool:
    """Does a caption picture this incident (it names its place, or no place below a country)?"""
    named = [p for p in caption.places if p.kind != "country"]
    return not named or any(places_compatible(p, draft.place) for p in named)


def caption_paragraphs(text: str) -> set[int]:
    """Indexes of the paragraphs that are photo captions: with a photographer's credit, or next to a line
    that is only a credit ("AP") -- the caption is often printed twice around it."""
    lines = [text[a:b] for a, b in paragraphs(text)]
    out = {i for i, line in enumerate(lines) if PHOTO_CREDIT.search(line)}
    for i, line in enumerate(lines):
        if i > 0 and CREDIT_LINE.match(line):
            out.add(i - 1)
            if i + 1 < len(lines) and lines[i + 1] == lines[i - 1]:
                out.add(i + 1)
    return out


def _days_before(known: DateRef | None, count: str, unit: str) -> DateRef | None:
    """The day ``count`` days (or weeks, at week precision) before a known day."""
    day = _day(known) if known is not None and known.precision == "day" else None
    n = 1 if count.lower() in ("a", "an", "one") else _small_number(count)
    if day is None or n is None:
        return None
    if unit.lower().startswith("week"):
        start = day - dt.timedelta(days=7 * n)
        return DateRef(start.isoformat(), "week", (start + dt.timedelta(days=6)).isoformat())
    return DateRef((day - dt.timedelta(days=n)).isoformat(), "day")


def _small_number(word: str) -> int | None:
    from .numbers import parse_number

    return parse_number(word)


def _more_specific(new: Place, old: Place) -> bool:
    """A camp or neighbourhood named inside the city already known."""
    return is_specific(new) and _norm(new.parent) == _norm(old.name)


# -- figures ---------------------------------------------------------------------------------
def _combined(hits: list[ClaimHit]) -> list[ClaimHit]:
    """Conjunction groups become one claim whose count is the sum of its members."""
    groups: dict[tuple[int, int], list[ClaimHit]] = {}
    out = []
    for h in hits:
        if h.conj_group is None:
            out.append(h)
        else:
            key = (h.claim.evidence.start if h.claim.evidence else 0, h.conj_group)
            groups.setdefault(key, []).append(h)
    for members in groups.values():
        first = members[0]
        total = sum(m.claim.count for m in members)
        claim = CasualtyClaim(
            outcome=first.claim.outcome, count=total, qualifier=first.claim.qualifier,
            victims=" and ".join(m.claim.victims or "?" for m in members), claimant=first.claim.claimant,
            evidence=first.claim.evidence,
        )
        sides = {m.side for m in members}
        out.append(ClaimHit(claim, first.start, members[-1].end,
                            side=next(iter(sides)) if len(sides) == 1 else "all", members=members))
        if len(sides) > 1:
            out.extend(members)  # each member still counts for its own group
    return out


def _rivals(hits: list[ClaimHit], ratio: float) -> tuple[int, int] | None:
    """The largest figure and those of comparable size (rival estimates of the same toll)."""
    if not hits:
        return None
    counts = [(h.claim.count, h.claim.count_high or h.claim.count, h.estimate or h.initial) for h in hits]
    top = max(c for c, _, _ in counts)
    revised = any(h.initial for h in hits if h.claim.count == top)  # an initial toll revised down
    rivals = [(c, hi) for c, hi, estimate in counts if c >= ratio * top or estimate or revised]
    return min(c for c, _ in rivals), max(hi for _, hi in rivals)


def _add(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None or b is None:
        return a or b
    return a[0] + b[0], a[1] + b[1]


def figure(hits: list[ClaimHit], outcome: str) -> Range | None:
    """low/high for one outcome over an incident's claims (see the module docstring).

    Two readings are compared: the largest all-inclusive figure ("12 people", "the death toll") and
    the sum over groups (soldiers + attackers + civilians), each group's figure being its largest
    claim. When the two readings are of comparable size they span the range; otherwise the larger wins.
    """
    ratio = float(SETTINGS["alternative_ratio"])
    pool = [h for h in hits if h.claim.outcome == outcome and not h.claim.vague]
    totals = _combined([h for h in pool if not h.claim.part_of_total])
    if not totals:
        totals = [h for h in pool if not h.severity] or pool
    if not totals:
        return None
    inclusive = _rivals([h for h in totals if h.side == "all"], ratio)
    group = {side: _rivals([h for h in totals if h.side == side], ratio)
             for side in ("forces", "attackers", "general", "population")}
    # a people ("Palestinians", "Sudanese") includes its fighters and civilians: the larger reading wins
    fighters_and_civilians = _add(group["attackers"], group["general"])
    people = group["population"]
    if people and fighters_and_civilians and fighters_and_civilians[1] > people[1]:
        people = fighters_and_civilians
    by_group = [r for r in (group["forces"], people or fighters_and_civilians) if r is not None]
    summed = (sum(lo for lo, _ in by_group), sum(hi for _, hi in by_group)) if by_group else None
    only_forces = bool(by_group) and all(h.side == "forces" for h in totals if h.side != "all")
    if inclusive is None or summed is None:
        low, high = inclusive or summed or (0, 0)
    elif only_forces and inclusive[1] > summed[1]:  # "five people killed ... three soldiers among them"
        low, high = inclusive
    elif min(inclusive[1], summed[1]) >= ratio * max(inclusive[1], summed[1]) or _partial_count(
            totals, min(inclusive, summed, key=lambda r: r[1])):  # "50 bodies found so far" beside "100 killed"
        low, high = min(inclusive[0], summed[0]), max(inclusive[1], summed[1])
    else:
        low, high = max(inclusive, summed, key=lambda r: r[1])
    return Range(low=low, high=high, best=low)


def _partial_count(hits: list[ClaimHit], reading: tuple[int, int]) -> bool:
    """Is the smaller reading an early or partial count ("the initial toll", "found so far")?"""
    return any(h.initial and h.claim.count == reading[0] for h in hits)


def _well_described(draft: Draft, sentences: list[str]) -> bool:
    """A figure-less incident is kept when it has its own day, a specific place and a clear event word."""
    if not (draft.date_explicit and draft.date and draft.date.precision == "day" and is_specific(draft.place)):
        return False
    strongest = max((v for s in sentences for v in cue_scores(s).values()), default=0)
    return strongest >= int(SETTINGS["strong_cue_weight"])


def strikes_figure(draft: Draft, hits: list[ClaimHit], outcome: str) -> Range | None:
    """An incident's figure when it tells several strikes at one place on one day ("Another strike hit
    a house nearby, killing four"): each strike's own figure, added up."""
    kept = {id(h) for h in hits}
    parts: list[list[ClaimHit]] = [[]]
    for info in draft.sentences:
        own = [h for h in info.claims if id(h) in kept]
        another = info.separate or incident_cues().another_event.search(info.text) is not None
        if own and another and any(h.claim.outcome == outcome for h in parts[-1]):
            parts.append([])
        parts[-1].extend(own)
    ranges = [r for r in (figure(part, outcome) for part in parts) if r is not None]
    if len(ranges) < 2:
        return ranges[0] if ranges else None
    low, high = sum(r.low for r in ranges), sum(r.high for r in ranges)
    return Range(low=low, high=high, best=low)


def _recall_kept(draft: Draft) -> bool:
    """A recalled event is an incident of its own only when dated (to its day, week or month: a coarse
    date stays coarse), placed and counted."""
    return bool(draft.date_explicit and draft.date and draft.date.precision in ("day", "week", "month")
                and is_specific(draft.place)
                and any(not h.claim.vague and h.claim.outcome in EVENT_OUTCOMES for h in draft.claims))


def own_claims(draft: Draft, split: bool) -> list[ClaimHit]:
    """The draft's claims without a roundup's total ("42 killed in separate attacks") once the incident
    has a figure of its own for that outcome, or the article gives its incidents' own figures (``split``)."""
    cues = incident_cues()
    total = {id(h) for s in draft.sentences if cues.aggregate.search(s.text) for h in s.claims}
    if not total:
        return draft.claims
    own = {h.claim.outcome for h in draft.claims if id(h) not in total and not h.claim.vague}
    return [h for h in draft.claims if id(h) not in total or not (split or h.claim.outcome in own)]


def roundup_totals(drafts: list[Draft], text: str) -> set[int]:
    """Claims (by id) that sum a roundup: a figure in a sentence that names no one place (only a country, several
    villages, or nothing: "Israeli raids killed three people in the south") which is at least the sum of the
    figures the article gives its incidents of that day ("one person in Khiam", "two in Tiri"). Such a figure is
    no incident's own toll, wherever the lead's sentence happened to land."""
    live = [d for d in drafts if not d.recalled]
    out: set[int] = set()
    if len(live) < 2:
        return out
    known: dict[tuple[int, str], Range | None] = {}  # each draft's figure per outcome, computed once

    def figure_of(d: Draft, outcome: str) -> Range | None:
        if (id(d), outcome) not in known:
            known[(id(d), outcome)] = figure(d.claims, outcome)
        return known[(id(d), outcome)]

    for draft in live:
        others = [o for o in live if o is not draft and dates_compatible(o.date, draft.date)]
        if not others:
            continue
        wide = [info for info in draft.sentences if _names_no_one_place(info, text)]
        own = [h for info in draft.sentences if info not in wide for h in info.claims]
        first_own = min((h.start for h in own), default=len(text))
        candidates = [h for info in wide for h in info.claims  # a lead's total comes before the items' figures;
                      if not (h.claim.vague or h.claim.part_of_total or h.estimate) and h.start < first_own]
        if not candidates:  # a later "put the toll at 13" is a rival estimate of the incident's own figure
            continue
        for h in candidates:
            parts = [figure(own, h.claim.outcome), *(figure_of(d, h.claim.outcome) for d in others)]
            counted = [r.low for r in parts if r is not None and r.low > 0]
            if len(counted) >= 2 and h.claim.count >= sum(counted):
                out.add(id(h))
        summed = {_sentence_of(h) for h in candidates if id(h) in out}  # "killing 33 and wounding five" in
        out |= {id(h) for h in candidates if _sentence_of(h) in summed}  # the villages: both figures are sums
    return out


def _sentence_of(hit: ClaimHit) -> int | None:
    return hit.claim.evidence.start if hit.claim.evidence else None


SETTLEMENTS = re.compile(  # several places, in a region or around a town: their figure is a sum
    r"\b(?:villages|towns|communities|localities|settlements|hamlets)\b(?P<where>\s+(?:in|of|around|near|across)\b)?",
    re.I)


def _names_no_one_place(info: SentenceInfo, text: str) -> bool:
    """Does a sentence place its figures nowhere in particular (a country, several places or regions, or none)?"""
    named = {_norm(p.name) for p in info.places if p.kind != "country"}
    points = {_norm(p.name) for p in info.places if is_point(p, text)}
    settlements = SETTLEMENTS.search(info.text)
    if settlements is not None and (settlements.group("where") is not None or not points):
        return True  # "attacked villages in the Mopti region", "killed 31 in some communities in Maradun"
    return not named or len(points) > 1 or (not points and len(named) > 1)


def victims_of(draft: Draft) -> list[Victim]:
    return dedupe_victims([v for s in draft.sentences for v in s.victims])


def build_reports(article_id: str, text: str, drafts: list[Draft], actors_in: dict[int, list[ActorMention]],
                  tallies: Sequence[Tally] = ()) -> list[IncidentReport]:
    """Turn drafts into IncidentReports; drop secondary drafts that carry no figure. A claim that repeats
    one of the article's ``tallies`` (same outcome, same count from ``tally_echo_min`` up: a standfirst's "killed
    95 rebels" beside "95 killed in operations in the last 24 hours") is the tally, not an incident's toll."""
    reports: list[IncidentReport] = []
    drafts = [d for d in merge_twins(drafts, text) if not d.recalled or _recall_kept(d)]
    figured = [d for d in drafts if not d.recalled and any(not h.claim.vague for h in d.claims)]
    totals = roundup_totals(drafts, text)
    told = {(t.outcome, t.count) for t in tallies if t.count >= int(SETTINGS["tally_echo_min"])}
    for draft in drafts:
        split = any(o is not draft and dates_compatible(o.date, draft.date) for o in figured)
        hits = [h for h in own_claims(draft, split=split) if id(h) not in totals and not h.broken_down
                and (h.claim.outcome, h.claim.count) not in told]
        victims = victims_of(draft)
        fatalities = strikes_figure(draft, hits, "killed")
        named_dead = [v for v in victims if v.outcome == "killed"]
        if fatalities is None and named_dead:
            fatalities = Range(len(named_dead), len(named_dead), len(named_dead))
        injuries = strikes_figure(draft, hits, "injured")
        has_figure = any(not h.claim.vague and h.claim.outcome in EVENT_OUTCOMES for h in hits) or bool(victims)
        sentences = [text[s.sentence.start:s.sentence.end] for s in draft.sentences]
        if not draft.lead and not has_figure and not _well_described(draft, sentences):
            continue
        anchors = [i == 0 or bool(info.claims) for i, info in enumerate(draft.sentences)]
        event_type, sub_type = classify(sentences, [h.claim.victims or "" for h in hits],
                                        lethal=bool(fatalities and fatalities.high > 0), anchors=anchors)
        country = draft.place.country if draft.place else None
        actors = incident_sides([a for s in draft.sentences for a in actors_in.get(s.sentence.start, [])],
                                country, [a for found in actors_in.values() for a in found])
        armed_sides = {a.inter_code for a in actors if a.inter_code not in (0, 6, 7)}
        if event_type == "Violence against civilians" and len(armed_sides) <= 1 \
                and not any(a.inter_code == 7 for a in actors):  # one side attacked: its victims are civilians
            actors.append(civilians_of(country))
        first = draft.sentences[0].sentence
        reports.append(IncidentReport(
            article_id=article_id, index=len(reports), date=_over_days(draft.date, sentences) or DateRef(None, None),
            place=draft.place, event_type=event_type, sub_event_type=sub_type,
            actors=actors, claims=[h.claim for h in hits], victims=victims,
            fatalities=fatalities, injuries=injuries, main=draft.lead,
            summary=text[first.start:first.end], evidence=Evidence.of(text, first.start, first.end),
        ))
    return reports


MULTI_DAY = re.compile(  # "a two-day operation", "the 48-hour onslaught", "a three-day siege"
    r"\b(?P<n>two|three|four|five|2|3|4|5|48|72|96)[- ](?P<unit>day|hour)s?[- ](?:long\s+)?(?:[\w-]+\s+)?"
    r"(?:operation|raid|offensive|onslaught|assault|incursion|siege|battle|fighting|clashes|campaign)\b", re.I)
ENDED = re.compile(r"\b(?:concluded|ended|wound up|wrapped up|completed|finished|withdrew|pulled out)\b", re.I)


def _over_days(date: DateRef | None, sentences: list[str]) -> DateRef | None:
    """An incident its text calls a two-day (or 48-hour) operation spans those days: from its day, or up to its day
    when the text says the operation ended then ("the two-day raid ended on Tuesday")."""
    day = _day(date) if date is not None and date.precision == "day" and not date.date_end else None
    found = next(((m, text) for text in sentences if (m := MULTI_DAY.search(text))), None)
    if date is None or day is None or found is None:
        return date
    span, sentence = found
    days = parse_number(span.group("n")) or 0
    days = days // 24 if span.group("unit").lower() == "hour" else days
    if days < 2:
        return date
    start = day - dt.timedelta(days=days - 1) if ENDED.search(sentence) else day
    return DateRef(start.isoformat(), "day", (start + dt.timedelta(days=days - 1)).isoformat(), date.evidence)


def merge_twins(drafts: list[Draft], text: str) -> list[Draft]:
    """Two drafts of one article with the same day and place are one incident told twice."""
    out: list[Draft] = []
    for d in drafts:
        twin = next((o for o in out if o.date_explicit and d.date_explicit and o.date and d.date
                     and o.date.date == d.date.date and o.date.precision == d.date.precision == "day"
                     and is_point(o.place, text) and is_point(d.place, text) and places_compatible(o.place, d.place)),
                    None)
        if twin is None:
            out.append(d)
        else:
            twin.sentences.extend(d.sentences)
            twin.lead = twin.lead or d.lead
    return out


ITEM_PLACE_GAP = 40  # a list item's place follows its figure within this many characters


def place_items(info: SentenceInfo, text: str) -> list[SentenceInfo]:
    """A sentence that lists figures by place ("12 died in Tinkare, 9 in Boulsa and three in
    Dagou") as one part per place, each with its own figure; any other sentence as itself."""
    hits = sorted((h for h in info.claims if not (h.claim.vague or h.claim.part_of_total or h.broken_down)),
                  key=lambda h: h.start)
    if len(hits) < 2 or info.sentence.heading:
        return [info]
    placed = []
    for hit, following in zip(hits, [*(h.start for h in hits[1:]), info.sentence.end], strict=True):
        place = next((p for p in info.places if p.evidence and p.kind not in REGION_KINDS
                      and hit.end <= p.evidence.start < min(following, hit.end + ITEM_PLACE_GAP)), None)
        if place is None:
            return [info]
        placed.append(place)
    if len({_norm(p.name) for p in placed}) < len(placed):
        return [info]
    cuts = [info.sentence.start, *(h.start for h in hits[1:]), info.sentence.end]
    return [_part(info, a, b) for a, b in zip(cuts, cuts[1:], strict=False)]


def _part(info: SentenceInfo, start: int, end: int) -> SentenceInfo:
    """The item ``text[start:end]`` of a sentence: its claims and places; the sentence's words, dates and
    victims stay shared ("... and three in Dagou on Friday" dates every item)."""
    return replace(info, claims=[h for h in info.claims if start <= h.start < end],
                   places=[p for p in info.places if p.evidence and start <= p.evidence.start < end])


def sentence_flags(text: str, dated_or_counted: bool = True) -> tuple[bool, bool, bool, bool]:
    """(violence, tally, anaphora, separate) cues of one sentence. Only a sentence with a figure or a date
    (``dated_or_counted``) is read for a tally cue: elsewhere it changes nothing."""
    from .tallies import tally_clause

    lex = casualty_lexicon()
    tally = dated_or_counted and tally_clause(text, 0, len(text))
    return has_violence(text), tally, bool(lex.anaphora.search(text)), bool(lex.separate.search(text))


__all__ = ["Draft", "IncidentBuilder", "SentenceInfo", "build_reports", "cue_scores", "figure", "place_items",
           "sentence_flags"]
