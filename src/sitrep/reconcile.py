"""Reconcile the sources of one merged incident into best/low/high figures, like UCDP GED.

For fatalities and for injuries, over every source that gives a figure:

- ``low``  = the smallest per-source low; ``high`` = the largest per-source high;
- ``best`` = the figure of the *preferred source*: sources are ranked by their claimant's tier
  (``close`` to the scene: health ministry, hospital, medics, civil defence, local officials; then
  ``independent``/unattributed: UN, monitors, witnesses, the outlet itself; then ``party`` to the
  fighting: military, police, armed groups), then by the most recent publication date (tolls rise as
  bodies are found), then by article id. The preferred source's own best is used when it has one,
  otherwise its high (its latest figure). Figures are never summed across reports.

An incident is ``disputed`` when its figures are not all the same: two sources disagree, or one
source gives two figures. The other fields: date = the most precise member date (ties: earliest);
place = the most specific (camp over city, geo precision 1 over 3); event type = the majority, ties
broken by a fixed order; actors = the union of canonical names in source order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from typing import Protocol

from .merge import MergeSettings, load_settings, parse_day, report_sort_key
from .records import DateRef, Event, IncidentReport, Place, Range, SourceFigures

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
    )


def source_rank(src: SourceFigures, report: IncidentReport, outcome: str,
                s: MergeSettings) -> tuple[int, int, str]:
    """Sort key of the preferred source (smallest first): claimant tier, newest, article id."""
    tiers = [tier_rank(claimant_tier(c), s) for c in claimants_of(report, outcome)] or [
        tier_rank("unattributed", s)]
    published = parse_day(src.published)
    newest_first = -published.toordinal() if published else 0
    return (min(tiers), newest_first, src.article_id)


def reconcile_range(sources: list[tuple[SourceFigures, IncidentReport]], kind: str,
                    s: MergeSettings | None = None) -> Range | None:
    """best/low/high over the sources' ranges of ``kind`` (fatalities or injuries)."""
    s = s or load_settings()
    given = [(src, rep, r) for src, rep in sources if (r := getattr(src, kind)) is not None]
    if not given:
        return None
    low, high = min(r.low for _, _, r in given), max(r.high for _, _, r in given)
    _, _, preferred = min(given, key=lambda x: source_rank(x[0], x[1], FIGURE_OUTCOMES[kind], s))
    best = preferred.best if preferred.best is not None else preferred.high
    return Range(low=low, high=high, best=min(max(best, low), high))


def is_disputed(*ranges: Range | None) -> bool:
    """Figures disagree: any reconciled range whose low differs from its high."""
    return any(r is not None and r.low != r.high for r in ranges)


def dispute_note(event: Event) -> str:
    """'Sources disagree: Israeli military 6, Palestinian health ministry 9' (empty if no dispute)."""
    if event.fatalities is None or event.fatalities.low == event.fatalities.high:
        return ""
    said = []
    for src in event.per_source:
        if src.fatalities is None:
            continue
        who = ", ".join(src.claimants) or src.outlet or src.article_id
        figure = str(src.fatalities.low) if src.fatalities.low == src.fatalities.high else (
            f"{src.fatalities.low}-{src.fatalities.high}")
        said.append(f"{who} {figure}")
    return "Sources disagree on fatalities: " + "; ".join(said) if said else ""


# -- record fields -------------------------------------------------------------------------------
def choose_date(members: list[IncidentReport]) -> DateRef:
    """The most precise date; ties go to the earliest."""
    dated = [r.date for r in members if r.date.date and r.date.precision]
    if not dated:
        return DateRef(None, None)
    return min(dated, key=lambda d: (PRECISION_RANK.get(d.precision or "year", 9), d.date or ""))


def choose_place(members: list[IncidentReport], s: MergeSettings | None = None) -> Place | None:
    """The most specific place (camp over city over region; geo precision 1 over 3)."""
    kinds = (s or load_settings()).section("place")["specificity_by_kind"]
    placed = [r for r in sorted(members, key=report_sort_key) if r.place is not None]
    if not placed:
        return None
    best = min(placed, key=lambda r: (int(kinds.get(r.place.kind, 2)) if r.place else 9,
                                      r.place.geo_precision if r.place else 9))
    return best.place


def choose_type(members: list[IncidentReport], s: MergeSettings | None = None) -> tuple[str, str]:
    """Majority event type (ties by the fixed order in merge.json), then its majority sub-type."""
    order = (s or load_settings()).section("type")["tie_order"]
    counts = Counter(r.event_type for r in members if r.event_type)
    if not counts:
        return "", ""

    def position(t: str) -> int:
        return order.index(t) if t in order else len(order)

    event_type = min(counts, key=lambda t: (-counts[t], position(t), t))
    subs = Counter(r.sub_event_type for r in members if r.event_type == event_type and r.sub_event_type)
    sub = min(subs, key=lambda t: (-subs[t], t)) if subs else ""
    return event_type, sub


def union_actors(members: list[IncidentReport]) -> list[str]:
    names = [a.name for r in sorted(members, key=report_sort_key) for a in r.actors]
    return list(dict.fromkeys(names))


def build_event(event_id: str, members: list[IncidentReport], articles: Mapping[str, Published | None],
                reasons: list[str], s: MergeSettings | None = None) -> Event:
    """Reconcile a cluster of reports into one event."""
    s = s or load_settings()
    ordered = sorted(members, key=report_sort_key)
    sources = [(source_figures(r, articles.get(r.article_id)), r) for r in ordered]
    event_type, sub = choose_type(ordered, s)
    fatalities = reconcile_range(sources, "fatalities", s)
    injuries = reconcile_range(sources, "injuries", s)
    return Event(
        id=event_id, date=choose_date(ordered), place=choose_place(ordered, s), event_type=event_type,
        sub_event_type=sub, actors=union_actors(ordered), fatalities=fatalities, injuries=injuries,
        reports=ordered, per_source=[src for src, _ in sources], disputed=is_disputed(fatalities, injuries),
        merge_reasons=reasons,
    )
