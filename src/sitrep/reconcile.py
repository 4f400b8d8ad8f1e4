"""Reconcile the sources of one merged incident into best/low/high figures, like UCDP GED.

For fatalities and for injuries, over every source that gives a figure:

- ``low``  = the smallest per-source low; ``high`` = the largest per-source high;
- ``best`` = the figure of the *preferred source*. The one rule (``figure_digest``; thresholds in
  ``merge.json`` ``best_figure``), each step deciding only between sources the steps before tied:

  1. the most authoritative claimant class: ``close`` to the scene (health ministry, hospital, medics,
     civil defence, local officials), then ``independent``/unattributed (UN, monitors, witnesses, the
     outlet itself), then ``party`` to the fighting (military, police, armed groups);
  2. a report published within a few days of the incident before a later retrospective;
  3. a round hedge ("at least 10", not backed by as many named dead) gives way to a larger figure
     (an official count of eleven named dead);
  4. the most recent publication (tolls rise as bodies are found); 5. article order.

  The preferred source's own best is used when it has one, otherwise its high (its latest figure).
  Figures are never summed across reports. Why it won is kept with the event (``figure_reason``:
  "best 11: health ministry via 3 of 4 sources, most recent").

An incident is ``disputed`` when its figures are not all the same: two sources disagree, or one
source gives two figures. The other fields: date = the most precise member date (ties: earliest);
place = the most specific (camp over city, geo precision 1 over 3); event type = the majority, ties
broken by a fixed order; actors = the union of canonical names in source order.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

from .records import (
    DateRef,
    Event,
    EventDigest,
    FigureDigest,
    FigureRank,
    IncidentReport,
    Place,
    Range,
    SourceFigures,
    parse_day,
    preferred_entry,
    report_sort_key,
)
from .settings import MergeSettings, load_settings

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
FIGURE_OUTCOMES = {"fatalities": "killed", "injuries": "injured"}


class Published(Protocol):
    """What reconciling needs of an article: an ``Article``, or a ``Byline`` read without the text."""

    @property
    def outlet(self) -> str | None: ...

    @property
    def published(self) -> str | None: ...


# -- claimants -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _tier_patterns() -> list[tuple[str, re.Pattern[str]]]:
    tiers = load_settings().section("claimant_tiers")
    out = []
    for tier in ("close", "party", "independent"):
        words = [re.escape(p[:-1]) + r"\w*" if p.endswith("*") else re.escape(p) + r"\b" for p in tiers[tier]]
        out.append((tier, re.compile(r"\b(?:" + "|".join(words) + ")", re.IGNORECASE)))
    return out


def claimant_tier(claimant: str | None) -> str:
    """``close``, ``party``, ``independent`` or ``unattributed`` (no claimant) / ``other``."""
    if not claimant:
        return "unattributed"
    for tier, pattern in _tier_patterns():
        if pattern.search(claimant):
            return tier
    return "other"


def tier_rank(tier: str, s: MergeSettings | None = None) -> int:
    ranks = (s or load_settings()).section("tier_rank")
    return int(ranks.get(tier, ranks["other"]))


# -- per-source figures --------------------------------------------------------------------------
def claimants_of(report: IncidentReport, outcome: str | None = None) -> list[str]:
    """Distinct claimants of a report's figures (of one outcome if given), in text order."""
    names = [c.claimant for c in report.claims if c.claimant and (outcome is None or c.outcome == outcome)]
    return list(dict.fromkeys(names))


def source_figures(report: IncidentReport, article: Published | None) -> SourceFigures:
    """What one article says about the incident."""
    return SourceFigures(
        article_id=report.article_id, report_id=report.id,
        outlet=article.outlet if article else None, published=article.published if article else None,
        fatalities=report.fatalities, injuries=report.injuries, claimants=claimants_of(report),
        published_uncertain=bool(getattr(article, "published_uncertain", False)),
    )


def _lead_claimant(report: IncidentReport, outcome: str, s: MergeSettings) -> tuple[int, str | None]:
    """The tier rank of a report's most authoritative claimant of ``outcome`` figures, and its name."""
    ranked = [(tier_rank(claimant_tier(c), s), c) for c in claimants_of(report, outcome)]
    return min(ranked, key=lambda t: t[0]) if ranked else (tier_rank("unattributed", s), None)


def is_retrospective(src: SourceFigures, report: IncidentReport, s: MergeSettings) -> bool:
    """The source was published well after the incident (a look back, not a same-day report)."""
    published, happened = parse_day(src.published), parse_day(report.date.date_end or report.date.date)
    limit = int(s.section("best_figure")["retrospective_after_days"])
    return bool(published and happened and (published - happened).days > limit)


def is_round_hedge(report: IncidentReport, outcome: str, figure: int, s: MergeSettings) -> bool:
    """The report gives ``figure`` only as a round lower bound ("at least 10") and names fewer people."""
    rule = s.section("best_figure")
    said = [c for c in report.claims if c.outcome == outcome and figure in (c.count, c.count_high)]
    named = sum(1 for v in report.victims if v.outcome == outcome)
    return (bool(said) and all(c.qualifier in rule["lower_bound_qualifiers"] for c in said)
            and figure % int(rule["round_multiple"]) == 0 and named < figure)


def source_rank(src: SourceFigures, report: IncidentReport, outcome: str, figure: int,
                s: MergeSettings) -> FigureRank:
    """Sort key of the preferred source (smallest first), the steps of the rule in the module docstring."""
    published = parse_day(src.published)
    newest_first = -published.toordinal() if published else 0
    return (_lead_claimant(report, outcome, s)[0], int(is_retrospective(src, report, s)),
            int(is_round_hedge(report, outcome, figure, s)), newest_first, src.article_id, report.index)


def figure_digest(src: SourceFigures, report: IncidentReport, kind: str, s: MergeSettings) -> FigureDigest | None:
    """One source's ``kind`` figure (fatalities or injuries), ranked for being the preferred one."""
    given: Range | None = getattr(src, kind)
    if given is None:
        return None
    figure = given.best if given.best is not None else given.high
    outcome = FIGURE_OUTCOMES[kind]
    rank = source_rank(src, report, outcome, figure, s)
    return FigureDigest.of(given.low, given.high, ((figure, 1, rank, _lead_claimant(report, outcome, s)[1]),))


#: the step of the rule on which the preferred figure beat the next one (by the place of the rank)
_WON_ON = ("most authoritative claimant", "same-day report over a later retrospective",
           "exact count over a round \"at least\" figure", "most recent", "first source", "first source")


def figure_reason(d: FigureDigest) -> dict[str, Any]:
    """Why the best figure is what it is, as data (``reason_text`` words it): its claimant, how many
    sources gave it, and the step of the rule on which it beat the next figure by the same rule."""
    supporting = sum(n for figure, n, _, _ in d.by_figure if figure == d.figure)
    sources = sum(n for _, n, _, _ in d.by_figure)
    others = [e for e in d.by_figure if e[0] != d.figure]
    if not others:
        why = "only source" if sources <= 1 else "all sources agree"
    else:
        runner_up = preferred_entry(others)[2]
        if runner_up[:2] == d.rank[:2] and runner_up[2] and preferred_entry(others)[0] < d.figure:
            step = 2
        else:
            step = next((i for i, (a, b) in enumerate(zip(d.rank, runner_up, strict=True)) if a != b and i != 2), 4)
        why = _WON_ON[step]
    return {"best": d.range().best, "claimant": d.claimant, "supporting": supporting, "sources": sources,
            "why": why}


def reason_text(reason: dict[str, Any]) -> str:
    """'best 11: health ministry via 3 of 4 sources, most recent'."""
    who = reason.get("claimant") or "unattributed"
    n, total = reason.get("supporting"), reason.get("sources")
    via = f" via {n} of {total} sources" if total and total > 1 else ""
    return f"best {reason.get('best')}: {who}{via}, {reason.get('why')}"


def is_disputed(*ranges: Range | None) -> bool:
    """Figures disagree: any reconciled range whose low differs from its high."""
    return any(r is not None and r.low != r.high for r in ranges)


def dispute_note(fatalities: Range | None, per_source: Sequence[SourceFigures]) -> str:
    """'Sources disagree: Israeli military 6, Palestinian health ministry 9' (empty if no dispute), from an
    event's fatalities and its sources' figures."""
    if fatalities is None or fatalities.low == fatalities.high:
        return ""
    said = []
    for src in per_source:
        if src.fatalities is None:
            continue
        who = ", ".join(src.claimants) or src.outlet or src.article_id
        figure = str(src.fatalities.low) if src.fatalities.low == src.fatalities.high else (
            f"{src.fatalities.low}-{src.fatalities.high}")
        said.append(f"{who} {figure}")
    return "Sources disagree on fatalities: " + "; ".join(said) if said else ""


# -- digests: every field of the record, one source at a time ----------------------------------------
def digest_of(report: IncidentReport, src: SourceFigures, s: MergeSettings) -> EventDigest:
    """What one source contributes to its event's record."""
    key = report_sort_key(report)
    date_key = place_key = None
    if report.date.date and report.date.precision:
        date_key = (PRECISION_RANK.get(report.date.precision, 9), report.date.date, *key)
    if report.place is not None:
        kinds = s.section("place")["specificity_by_kind"]
        place_key = (int(kinds.get(report.place.kind, 2)), report.place.geo_precision, *key)
    actors: dict[str, tuple[str, int, int]] = {}
    for position, actor in enumerate(report.actors):
        actors.setdefault(actor.name, (*key, position))
    t, sub = report.event_type, report.sub_event_type
    return EventDigest(
        first=(*key, report.id), date_key=date_key, date=report.date if date_key else None, place_key=place_key,
        place=report.place, types={t: 1} if t else {}, sub_types={t: {sub: 1}} if t and sub else {}, actors=actors,
        fatalities=figure_digest(src, report, "fatalities", s), injuries=figure_digest(src, report, "injuries", s),
    )


def digest_of_members(members: list[IncidentReport], articles: Mapping[str, Published | None],
                      s: MergeSettings | None = None) -> EventDigest:
    """The digest of all ``members`` (at least one)."""
    return digest_of_sources(members, [source_figures(r, articles.get(r.article_id)) for r in members],
                             s or load_settings())


def digest_of_sources(members: list[IncidentReport], sources: list[SourceFigures], s: MergeSettings,
                      start: list[EventDigest] | None = None) -> EventDigest:
    """The digest of ``members`` whose figures are ``sources`` (in the same order), combined with the
    digests in ``start`` (at least one member or digest in all)."""
    digests = [*(start or []), *(digest_of(r, src, s) for r, src in zip(members, sources, strict=True))]
    if not digests:
        raise ValueError("an event needs at least one member report")
    return functools.reduce(EventDigest.combine, digests)


def type_of(d: EventDigest, s: MergeSettings | None = None) -> tuple[str, str]:
    """Majority event type (ties by the fixed order in merge.json), then its majority sub-type."""
    if not d.types:
        return "", ""
    order = (s or load_settings()).section("type")["tie_order"]

    def position(t: str) -> int:
        return order.index(t) if t in order else len(order)

    event_type = min(d.types, key=lambda t: (-d.types[t], position(t), t))
    subs = d.sub_types.get(event_type, {})
    return event_type, min(subs, key=lambda t: (-subs[t], t)) if subs else ""


def actors_of(d: EventDigest) -> list[str]:
    """Actor names in the order they first appear (members by article id and index)."""
    return sorted(d.actors, key=lambda name: d.actors[name])


def choose_date(members: list[IncidentReport]) -> DateRef:
    """The most precise date; ties go to the earliest."""
    return digest_of_members(members, {}).date or DateRef(None, None)


def choose_place(members: list[IncidentReport], s: MergeSettings | None = None) -> Place | None:
    """The most specific place (camp over city over region; geo precision 1 over 3); ties: the first member."""
    return digest_of_members(members, {}, s).place


def choose_type(members: list[IncidentReport], s: MergeSettings | None = None) -> tuple[str, str]:
    return type_of(digest_of_members(members, {}, s), s)


def union_actors(members: list[IncidentReport]) -> list[str]:
    return actors_of(digest_of_members(members, {}))


def event_from_digest(event_id: str, d: EventDigest, reports: list[IncidentReport], per_source: list[SourceFigures],
                      reasons: list[str], s: MergeSettings | None = None) -> Event:
    """The record of an event whose sources are summed up in ``d`` (``reports``, ``per_source``: the
    members that were read, all of them unless the event is large, see ``merge.Neighbourhood``)."""
    event_type, sub = type_of(d, s)
    fatalities = d.fatalities.range() if d.fatalities else None
    injuries = d.injuries.range() if d.injuries else None
    reasons_by_kind = {kind: figure_reason(f) for kind, f in (("fatalities", d.fatalities), ("injuries", d.injuries))
                       if f is not None}
    return Event(
        id=event_id, date=d.date or DateRef(None, None), place=d.place, event_type=event_type, sub_event_type=sub,
        actors=actors_of(d), fatalities=fatalities, injuries=injuries, reports=reports, per_source=per_source,
        disputed=is_disputed(fatalities, injuries), merge_reasons=reasons, digest=d, figure_reasons=reasons_by_kind,
    )


def build_event(event_id: str, members: list[IncidentReport], articles: Mapping[str, Published | None],
                reasons: list[str], s: MergeSettings | None = None) -> Event:
    """Reconcile a cluster of reports into one event."""
    s = s or load_settings()
    ordered = sorted(members, key=report_sort_key)
    sources = [source_figures(r, articles.get(r.article_id)) for r in ordered]
    return event_from_digest(event_id, digest_of_sources(ordered, sources, s), ordered, sources, reasons, s)
