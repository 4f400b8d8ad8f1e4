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
import math
import re
from dataclasses import dataclass, field

from ..records import ActorMention, CasualtyClaim, DateRef, Evidence, IncidentReport, Place, Range, Victim
from .actors import incident_sides
from .claims import ClaimHit
from .event_types import classify, cue_scores, has_violence
from .lexicon import casualty_lexicon, load_data
from .text import Sentence
from .victims import dedupe_victims

SETTINGS = load_data("extraction_settings.json")
CLAIMANT_PLACE = re.compile(
    r"^(?:’s|'s|’|')?\s*(?:health\s+)?(?:ministry|authorities|officials|governor|branch|brigades?|battalion|"
    r"police|municipality|council|spokes\w+|government|administration|civil defen[cs]e|media\s+office|"
    r"regional|military\s+administration|residents)\b",
    re.I,
)
REPORT_BEFORE = re.compile(
    r"\b(?:said|says|told|announced|reported|confirmed|added|stated|rose|risen|climbed|updated|wrote|posted|"
    r"tweeted|published|released|warned|claimed)\b(?:\s+\w+){0,4}\s*(?:on|late on|early on|in|,)?\s*$",
    re.I,
)
CONTINUATION = re.compile(
    r"\b(?:night|evening|overnight|late|early hours|began|begun|started|continued|extended|lasted|into|"
    r"following day|next day|until|through)\b",
    re.I,
)
DESTINATION_BEFORE = re.compile(
    r"\b(?:hospitals?|clinics?|morgues?|taken|brought|rushed|transferred|evacuated|airlifted|fled|flee|fleeing|"
    r"moved|sent|treated|admitted|referred|returned|travelled|headed|deported|relocated)\b[^,.;]{0,30}"
    r"\b(?:in|to|at|towards|toward|into)\s+(?:the\s+(?:city|town|village)\s+of\s+)?$",
    re.I,
)
SAME_DAY = re.compile(r"\b(?:(?:on|later|earlier)\s+(?:on\s+)?(?:the\s+same|that)\s+"
                      r"(?:day|night|morning|afternoon|evening)|(?:hours|minutes)\s+(?:later|earlier))\b", re.I)
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


def _norm(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (name or "").lower()).strip()


def places_compatible(a: Place | None, b: Place | None) -> bool:
    """Same place, or one inside the other (a camp in its city, a town in its region)."""
    if a is None or b is None:
        return True
    na, nb = _norm(a.name), _norm(b.name)
    if na == nb or _norm(a.parent) == nb or _norm(b.parent) == na:
        return True
    if _km(a, b) < 2.0:
        return True
    for outer, inner in ((a, b), (b, a)):
        if not is_specific(outer) and outer.country == inner.country:
            if outer.kind == "country" or _norm(inner.admin1) == _norm(outer.admin1) or \
                    _norm(outer.name) in (_norm(inner.admin1), _norm(inner.parent)):
                return True
    return False


def _km(a: Place, b: Place) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


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


def anchor_place(info: SentenceInfo, text: str) -> Place | None:
    """The most specific place the sentence says something happened in (not a claimant's 'Gaza's ministry')."""
    usable = []
    for p in info.places:
        after = text[p.evidence.end:p.evidence.end + 40] if p.evidence else ""
        before = text[max(info.sentence.start, p.evidence.start - 50):p.evidence.start] if p.evidence else ""
        if CLAIMANT_PLACE.match(after) or DESTINATION_BEFORE.search(before):
            continue
        usable.append(p)
    specific = [p for p in usable if is_specific(p)]
    if specific:
        return min(specific, key=lambda p: (0 if p.kind in ("camp", "settlement", "crossing", "neighbourhood")
                                            else 1, p.evidence.start if p.evidence else 0))
    return usable[0] if usable else None


def anchor_date(info: SentenceInfo, text: str) -> DateRef | None:
    """The first point date of the sentence outside periods ("since January") and tally clauses."""
    from .tallies import clauses, tally_clause

    tally_spans = [(a, b) for a, b in clauses(text, info.sentence.start, info.sentence.end)
                   if tally_clause(text, a, b)] if info.tally else []
    for d in info.dates:
        if d.precision is None or d.evidence is None:
            continue
        if any(a <= d.evidence.start < b for a, b in tally_spans):
            continue
        before = text[info.sentence.start:d.evidence.start]
        when_clause = re.match(r",?\s+when\b", text[d.evidence.end:d.evidence.end + 12])  # "since May, when ..."
        if (PERIOD_BEFORE.search(before) and not when_clause) or REPORT_BEFORE.search(before):
            continue
        return d
    return None


# -- grouping --------------------------------------------------------------------------------
class IncidentBuilder:
    """Walks an article's sentences in order and groups them into incident drafts."""

    def __init__(self, text: str, published: str | None, lead_place: Place | None) -> None:
        self.text = text
        self.published = published
        self.lead_place = lead_place
        self.drafts: list[Draft] = []
        self.cur: Draft | None = None
        self.para_place: dict[int, Place] = {}

    def _default_date(self) -> DateRef | None:
        return DateRef(self.published, "day") if self.published else None

    def _find(self, place: Place | None, date: DateRef | None, info: SentenceInfo) -> Draft | None:
        for d in reversed(self.drafts):
            if place is not None and d.place is not None and is_specific(place) and is_specific(d.place):
                if not places_compatible(place, d.place):
                    continue
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
            if (d.claims or d.lead) and places_compatible(place, d.place):
                return d
        return None

    def _new(self, place: Place | None, date: DateRef | None, lead: bool) -> Draft:
        draft = Draft(place=place, date=date or (self.cur.date if self.cur else self._default_date()),
                      date_explicit=date is not None, lead=lead)
        self.drafts.append(draft)
        return draft

    def _attach(self, draft: Draft, info: SentenceInfo, place: Place | None, date: DateRef | None) -> None:
        if place is not None and (draft.place is None or (is_specific(place) and not is_specific(draft.place))
                                  or _more_specific(place, draft.place) or (draft.place_weak and is_specific(place))):
            draft.place = place
            draft.place_weak = False
        if date is not None and not draft.date_explicit:
            draft.date, draft.date_explicit = date, True
        draft.add(info)
        self.cur = draft

    def feed(self, info: SentenceInfo) -> None:
        s = info.sentence
        place = anchor_place(info, self.text)
        if place is not None and is_specific(place):
            self.para_place[s.paragraph] = place
        if s.heading:
            if place is not None and is_specific(place):
                self.para_place[s.paragraph + 1] = place
            return
        lead = self.drafts[0] if self.drafts else None
        if lead is not None and lead.place_weak and is_specific(place) and len(self.drafts) == 1 \
                and s.paragraph - lead.sentences[0].sentence.paragraph <= 2:
            lead.place, lead.place_weak = place, False  # the lead's town, named in the next paragraphs
        if not (info.claims or info.violence or info.victims):
            return
        date = anchor_date(info, self.text) or self._since_when(info)
        if date is None and self.cur is not None and self.cur.date_explicit and SAME_DAY.search(info.text):
            date = self.cur.date  # "On the same day, ..." / "Hours later, ..."
        specific = place if is_specific(place) else None
        if specific is None and info.separate and place is not None and place.kind != "country" \
                and self.cur is not None and not places_compatible(place, self.cur.place):
            specific = place  # "Separately, gunmen killed 17 in neighbouring X district": its own incident
        context_place = specific or self.para_place.get(s.paragraph)
        if self.cur is None:
            lead_place = specific or self.para_place.get(s.paragraph) or self.lead_place or place
            lead = self._new(lead_place, date, lead=True)
            lead.place_weak = specific is None
            self._attach(lead, info, None, date)
            return
        cur = self.cur
        date_differs = date is not None and cur.date_explicit and not self._same_time(date, cur.date, info)
        place_differs = specific is not None and is_specific(cur.place) and not cur.place_weak \
            and not places_compatible(specific, cur.place)
        if not date_differs and not place_differs:
            anchored = specific is not None or date is not None
            if s.paragraph != cur.last_paragraph and not cur.lead and not cur.claims and cur.date_explicit \
                    and date is None:
                cur = self._with_figures(specific) or cur
            early = len(self.drafts) == 1 and s.paragraph - self.drafts[0].sentences[0].sentence.paragraph <= 3
            if anchored or info.anaphora or s.paragraph == cur.last_paragraph or early:
                self._attach(cur, info, specific, date)
            return
        if not (info.claims or info.violence or info.separate):
            return
        target_place = context_place if date_differs and specific is None else specific
        target = self._find(target_place, date, info)
        if target is None:
            if target_place is None or not is_specific(target_place):
                return
            target = self._new(target_place, date, lead=False)
            if not date_differs and date is None:
                target.date, target.date_explicit = cur.date, False
        self._attach(target, info, specific, date)


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
    counts = [(h.claim.count, h.claim.count_high or h.claim.count) for h in hits]
    top = max(c for c, _ in counts)
    rivals = [(c, hi) for c, hi in counts if c >= ratio * top]
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
    elif min(inclusive[1], summed[1]) >= ratio * max(inclusive[1], summed[1]):
        low, high = min(inclusive[0], summed[0]), max(inclusive[1], summed[1])
    else:
        low, high = max(inclusive, summed, key=lambda r: r[1])
    return Range(low=low, high=high, best=low)


def _well_described(draft: Draft, sentences: list[str]) -> bool:
    """A figure-less incident is kept when it has its own day, a specific place and a clear event word."""
    if not (draft.date_explicit and draft.date and draft.date.precision == "day" and is_specific(draft.place)):
        return False
    strongest = max((v for s in sentences for v in cue_scores(s).values()), default=0)
    return strongest >= int(SETTINGS["strong_cue_weight"])


def victims_of(draft: Draft) -> list[Victim]:
    return dedupe_victims([v for s in draft.sentences for v in s.victims])


def build_reports(article_id: str, text: str, drafts: list[Draft],
                  actors_in: dict[int, list[ActorMention]]) -> list[IncidentReport]:
    """Turn drafts into IncidentReports; drop secondary drafts that carry no figure."""
    reports: list[IncidentReport] = []
    for draft in merge_twins(drafts):
        hits = draft.claims
        victims = victims_of(draft)
        fatalities = figure(hits, "killed")
        named_dead = [v for v in victims if v.outcome == "killed"]
        if fatalities is None and named_dead:
            fatalities = Range(len(named_dead), len(named_dead), len(named_dead))
        injuries = figure(hits, "injured")
        has_figure = any(not h.claim.vague and h.claim.outcome in EVENT_OUTCOMES for h in hits) or bool(victims)
        sentences = [text[s.sentence.start:s.sentence.end] for s in draft.sentences]
        if not draft.lead and not has_figure and not _well_described(draft, sentences):
            continue
        anchors = [i == 0 or bool(info.claims) for i, info in enumerate(draft.sentences)]
        event_type, sub_type = classify(sentences, [h.claim.victims or "" for h in hits],
                                        lethal=bool(fatalities and fatalities.high > 0), anchors=anchors)
        actors = incident_sides([a for s in draft.sentences for a in actors_in.get(s.sentence.start, [])],
                                draft.place.country if draft.place else None,
                                [a for found in actors_in.values() for a in found])
        first = draft.sentences[0].sentence
        reports.append(IncidentReport(
            article_id=article_id, index=len(reports), date=draft.date or DateRef(None, None),
            place=draft.place, event_type=event_type, sub_event_type=sub_type,
            actors=actors, claims=[h.claim for h in hits], victims=victims,
            fatalities=fatalities, injuries=injuries, main=draft.lead,
            summary=text[first.start:first.end], evidence=Evidence.of(text, first.start, first.end),
        ))
    return reports


def merge_twins(drafts: list[Draft]) -> list[Draft]:
    """Two drafts of one article with the same day and place are one incident told twice."""
    out: list[Draft] = []
    for d in drafts:
        twin = next((o for o in out if o.date_explicit and d.date_explicit and o.date and d.date
                     and o.date.date == d.date.date and o.date.precision == d.date.precision == "day"
                     and is_specific(o.place) and is_specific(d.place) and places_compatible(o.place, d.place)),
                    None)
        if twin is None:
            out.append(d)
        else:
            twin.sentences.extend(d.sentences)
            twin.lead = twin.lead or d.lead
    return out


def sentence_flags(text: str) -> tuple[bool, bool, bool, bool]:
    """(violence, tally, anaphora, separate) cues of one sentence."""
    from .tallies import tally_clause

    lex = casualty_lexicon()
    tally = tally_clause(text, 0, len(text))
    return has_violence(text), tally, bool(lex.anaphora.search(text)), bool(lex.separate.search(text))


__all__ = ["Draft", "IncidentBuilder", "SentenceInfo", "build_reports", "cue_scores", "figure",
           "sentence_flags"]
