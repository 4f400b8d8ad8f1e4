"""Cross-source merging: one real-world incident reported by several articles becomes one ``Event``.

How it works (details and the reasoning in docs/MERGING.md):

1. Gates. Two reports are *candidates* only when they come from different articles and their dates
   (at their precisions), places (same place, within ``near_km`` in the same admin1, or one inside
   the other) and event types are compatible.
2. Score. A candidate pair gets a score adding up date closeness, place relation, type agreement,
   actor overlap, figure compatibility, shared or disjoint victim names and summary wording.
   Every weight and threshold is in ``data/merge.json``.
3. Clusters. Complete linkage: two clusters join only when *every* pair across them is a candidate
   scoring at least ``merge_threshold`` and no article appears twice, so A~B, B~C never drags in C.
4. Incremental, order-independent. New reports pull in every stored report reachable through
   candidate pairs (and the members of their events); that whole neighbourhood is re-clustered from
   scratch in a stable order, so the result is the same whatever order the articles arrived in.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import unicodedata
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .reconcile import build_event, digest_of_members, digest_of_sources, event_from_digest, source_figures
from .records import (
    DateRef,
    Event,
    EventDigest,
    IncidentReport,
    Place,
    Range,
    km_between,
    parse_day,
    report_sort_key,
)
from .settings import MergeSettings, load_settings
from .store import Area, Store


# -- small helpers -------------------------------------------------------------------------------
def event_id_for(members: list[IncidentReport]) -> str:
    """A stable event id: a hash of the earliest member report id."""
    return _event_id(min(members, key=report_sort_key).id)


def _event_id(first_report_id: str) -> str:
    return "ev-" + hashlib.sha1(first_report_id.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=16384)
def normalise_name(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _shift(day: date, days: int) -> date:
    """``day`` moved by ``days``, clamped to the calendar (a resolver may return 9999-12-31)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def date_interval(ref: DateRef) -> tuple[date, date] | None:
    """The days a date can mean at its precision (a month date covers the whole month)."""
    return _interval(ref.date, ref.precision, ref.date_end)


@lru_cache(maxsize=16384)
def _interval(day: str | None, precision: str | None, day_end: str | None) -> tuple[date, date] | None:
    start = parse_day(day)
    if start is None:
        return None
    end = parse_day(day_end)
    if precision == "month":
        start = start.replace(day=1)
        end = end or start.replace(day=monthrange(start.year, start.month)[1])
    elif precision == "week":
        end = end or _shift(start, 6)
    elif precision == "year":
        start = start.replace(month=1, day=1)
        end = end or start.replace(month=12, day=31)
    return start, max(start, end or start)


# -- pairwise comparison -------------------------------------------------------------------------
@dataclass
class PairScore:
    """Why two reports may be the same incident: the score and the reasons in words."""

    score: float
    reasons: list[str]

    def explain(self) -> str:
        return ", ".join(self.reasons) + f" (score {self.score:.2f})"


def compare_dates(a: DateRef, b: DateRef, s: MergeSettings) -> tuple[float, str] | None:
    """Date compatibility at both precisions, or None when they can't be the same day."""
    cfg = s.section("date")
    if a.precision not in s.mergeable_precisions or b.precision not in s.mergeable_precisions:
        return None
    ia, ib = date_interval(a), date_interval(b)
    if ia is None or ib is None:
        return None
    if a.precision == "day" and b.precision == "day" and not a.date_end and not b.date_end:
        gap = abs((ia[0] - ib[0]).days)
        if gap == 0:
            return float(cfg["same_day"]), "same day"
        if gap <= int(cfg["day_slack_days"]):
            return float(cfg["adjacent_day"]), f"{gap} day apart"
        return None
    if ia[0] > ib[1] or ib[0] > ia[1]:
        return None
    coarse = "month" if "month" in (a.precision, b.precision) else "week"
    weight = cfg["within_month"] if coarse == "month" else cfg["within_week"]
    return float(weight), f"dates within the same {coarse}"


def _contains(outer: Place, inner: Place) -> bool:
    """``inner`` names ``outer`` as its parent (a camp in a city)."""
    return bool(inner.parent) and normalise_name(inner.parent) == normalise_name(outer.name)


def _in_area(outer: Place, inner: Place, kinds: list[str]) -> bool:
    """``outer`` is a region/country that holds ``inner`` (by admin1 or country)."""
    if outer.kind not in kinds or inner.kind in kinds:
        return False
    if "country" in kinds:
        return outer.country == inner.country
    names = {normalise_name(inner.admin1), normalise_name(inner.admin2)} - {""}
    return normalise_name(outer.name) in names


def compare_places(a: Place, b: Place, s: MergeSettings) -> tuple[float, str] | None:
    """Place compatibility, or None when the places are too far apart or in different areas."""
    cfg = s.section("place")
    if a.country and b.country and a.country != b.country:
        return None
    dist = km_between(a, b)
    if normalise_name(a.name) == normalise_name(b.name) and dist <= float(cfg["containment_max_km"]):
        return float(cfg["same_place"]), f"{dist:.1f} km apart (same place)"
    for outer, inner in ((a, b), (b, a)):
        if _contains(outer, inner) and dist <= float(cfg["containment_max_km"]):
            return float(cfg["contained"]), f"{dist:.1f} km apart ({inner.name} within {outer.name})"
    for outer, inner in ((a, b), (b, a)):
        if _in_area(outer, inner, cfg["region_kinds"]):
            return float(cfg["contained_in_region"]), f"{inner.name} within region {outer.name}"
        if _in_area(outer, inner, cfg["country_kinds"]):
            return float(cfg["contained_in_country"]), f"{inner.name} within country {outer.name}"
    if a.kind in cfg["country_kinds"] or b.kind in cfg["country_kinds"]:
        return None
    same_admin1 = not a.admin1 or not b.admin1 or normalise_name(a.admin1) == normalise_name(b.admin1)
    if not same_admin1 or dist >= float(cfg["near_km"]):
        return None
    where = f"{dist:.1f} km apart"
    if dist <= float(cfg["same_place_km"]):
        return float(cfg["same_place"]), f"{where} (same spot)"
    if dist <= float(cfg["close_km"]):
        return float(cfg["close"]), where
    return float(cfg["near"]), where


def compare_types(a: str, b: str, s: MergeSettings) -> tuple[float, str] | None:
    cfg = s.section("type")
    if not a or not b:
        return float(cfg["unknown"]), "type unknown in one source"
    if a == b:
        return float(cfg["same"]), "same type"
    if frozenset((a, b)) in s.compatible_types:
        return float(cfg["compatible"]), "types compatible"
    return None


def _ratio(a: Range, b: Range) -> float:
    """How close two non-overlapping ranges are: nearest ends, smaller over larger."""
    small, large = (a.high, b.low) if a.high < b.low else (b.high, a.low)
    return small / large if large else 1.0


def compare_figures(a: Range | None, b: Range | None, label: str, factor: float,
                    s: MergeSettings) -> tuple[float, str] | None:
    """Overlapping figures count for a merge, far-apart ones against; a missing figure is neutral."""
    if a is None or b is None:
        return None
    cfg = s.section("figures")
    said = f"{label} {_fmt(a)} vs {_fmt(b)}"
    if a.low <= b.high and b.low <= a.high:
        return factor * float(cfg["overlap"]), said
    ratio = _ratio(a, b)
    if ratio >= float(cfg["close_ratio"]):
        return factor * float(cfg["close"]), said + " (close)"
    if ratio >= float(cfg["loose_ratio"]):
        return 0.0, said + " (differ)"
    return factor * float(cfg["far"]), said + " (far apart)"


def _fmt(r: Range) -> str:
    return str(r.low) if r.low == r.high else f"{r.low}-{r.high}"


def compare_actors(a: IncidentReport, b: IncidentReport, s: MergeSettings) -> tuple[float, str] | None:
    names_a, names_b = {x.name for x in a.actors}, {x.name for x in b.actors}
    if not names_a or not names_b:
        return None
    shared = names_a & names_b
    jaccard = len(shared) / len(names_a | names_b)
    if not shared:
        return 0.0, "no shared actors"
    return s.weight("actors", "overlap_weight") * jaccard, "shared actors: " + ", ".join(sorted(shared))


def compare_victims(a: IncidentReport, b: IncidentReport, s: MergeSettings) -> tuple[float, str] | None:
    names_a = {normalise_name(v.name) for v in a.victims} - {""}
    names_b = {normalise_name(v.name) for v in b.victims} - {""}
    if not names_a or not names_b:
        return None
    shared = names_a & names_b
    if shared:
        return s.weight("victims", "shared"), f"{len(shared)} victim name(s) in common"
    return s.weight("victims", "disjoint"), "different victims named"


def wording_similarity(a: str, b: str, s: MergeSettings) -> float:
    """Jaccard overlap of the content words of two summaries."""
    stop, shortest = s.wording_stopwords, int(s.section("wording")["min_token_length"])
    wa, wb = _content_words(a, stop, shortest), _content_words(b, stop, shortest)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


@lru_cache(maxsize=8192)
def _content_words(text: str, stop: frozenset[str], shortest: int) -> frozenset[str]:
    return frozenset(w for w in normalise_name(text).split() if len(w) >= shortest and w not in stop)


def _gates(a: IncidentReport, b: IncidentReport, s: MergeSettings) -> list[tuple[float, str]] | None:
    """The date, place and type parts of a pair's score; None when a gate shuts (the pair can never merge).
    They read only the reports' own fields, not their claims, actors or victims."""
    if a.article_id == b.article_id or a.place is None or b.place is None:
        return None
    parts: list[tuple[float, str]] = []
    for gate in (lambda: compare_dates(a.date, b.date, s), lambda: compare_places(a.place, b.place, s),
                 lambda: compare_types(a.event_type, b.event_type, s)):
        found = gate()
        if found is None:  # the cheapest gates first: most pairs stop at the date or the place
            return None
        parts.append(found)
    return parts


def is_candidate(a: IncidentReport, b: IncidentReport, s: MergeSettings | None = None) -> bool:
    """Whether two reports pass every gate (``compare`` would score them)."""
    return _gates(a, b, s or load_settings()) is not None


def compare(a: IncidentReport, b: IncidentReport, s: MergeSettings | None = None) -> PairScore | None:
    """Score two reports as accounts of one incident; None when they can never be merged."""
    s = s or load_settings()
    parts = _gates(a, b, s)
    if parts is None:
        return None
    factor = float(s.section("figures")["injuries_factor"])
    extras = (compare_actors(a, b, s), compare_figures(a.fatalities, b.fatalities, "fatalities", 1.0, s),
              compare_figures(a.injuries, b.injuries, "injuries", factor, s), compare_victims(a, b, s))
    parts += [x for x in extras if x is not None]
    similarity = wording_similarity(a.summary, b.summary, s)
    if similarity > 0:
        parts.append((s.weight("wording", "weight") * similarity, f"wording similarity {similarity:.2f}"))
    return PairScore(round(sum(p[0] for p in parts), 4), [p[1] for p in parts])


# -- clustering ----------------------------------------------------------------------------------
Scores = dict[tuple[int, int], PairScore]


def pair_scores(reports: list[IncidentReport], s: MergeSettings, group_of: dict[int, int] | None = None,
                fresh: set[int] | None = None) -> Scores:
    """Scores of every candidate pair (i < j) in ``reports`` (but pairs inside one ``group_of`` group, and
    with ``fresh``, pairs where neither report is fresh).

    Only pairs whose dates can meet (their intervals, widened by the day slack, overlap) are compared:
    a sweep over the reports sorted by first possible day, instead of every pair."""
    group_of = group_of or {}
    slack = int(s.section("date")["day_slack_days"])
    spans = []
    for i, r in enumerate(reports):
        interval = date_interval(r.date) if r.place is not None else None
        if interval is not None:
            spans.append((interval[0], _shift(interval[1], slack), i))
    spans.sort()
    out: Scores = {}
    # (last possible day, index) of the reports that may still meet a later one, as heaps on that day;
    # with ``fresh``, old reports wait apart: an old report is only compared with the fresh ones
    active_fresh: list[tuple[date, int]] = []
    active_old: list[tuple[date, int]] = []
    for first_day, last_day, i in spans:
        for active in (active_fresh, active_old):
            while active and active[0][0] < first_day:
                heapq.heappop(active)
        is_fresh = fresh is None or i in fresh
        for _, j in (active_fresh + active_old) if is_fresh else active_fresh:
            if i in group_of and group_of[i] == group_of.get(j):
                continue
            a, b = (i, j) if i < j else (j, i)
            found = compare(reports[a], reports[b], s)
            if found is not None:
                out[(a, b)] = found
        heapq.heappush(active_fresh if is_fresh else active_old, (last_day, i))
    return out


def cluster(reports: list[IncidentReport], s: MergeSettings | None = None) -> list[list[IncidentReport]]:
    """Group reports into incidents (see ``_cluster_scored``)."""
    return _cluster_scored(reports, s or load_settings(), [])[0]


KnownScores = dict[tuple[str, str], PairScore]  # (earlier report id, later report id) -> score


def _cluster_scored(reports: list[IncidentReport], s: MergeSettings, settled: list[list[str]],
                    fresh: set[str] | None = None) -> tuple[list[list[IncidentReport]], KnownScores]:
    """Group reports into incidents: greedy agglomerative clustering with complete linkage.

    Two clusters may join when every pair across them is a candidate scoring at least the threshold;
    their link is the weakest such pair. The strongest link joins first; ties go to the pair of clusters
    whose first members come first (``reports`` is sorted by article id and index), so the result does
    not depend on the input order. Links are kept per pair of clusters and updated when two join (the
    new link is the weaker of the two old ones), so a busy neighbourhood costs little more than its
    candidate pairs.

    ``settled``: groups of report ids (large stored events) that start as one cluster and are not split
    again; pairs inside them are not compared, so a new report costs one comparison per member.
    ``fresh``: ids of the new reports; when given, pairs of two old reports are not compared (their
    events stay as they are unless a new report joins them).
    """
    ordered = sorted(reports, key=report_sort_key)
    position = {r.id: i for i, r in enumerate(ordered)}
    groups = [sorted(position[rid] for rid in group if rid in position) for group in settled]
    group_of = {i: g for g, group in enumerate(groups) for i in group}
    fresh_positions = None if fresh is None else {position[rid] for rid in fresh if rid in position}
    scores = pair_scores(ordered, s, group_of, fresh_positions)
    links = {pair: found.score for pair, found in scores.items() if found.score >= s.threshold}
    linked: dict[int, set[int]] = {}
    for a, b in links:
        linked.setdefault(a, set()).add(b)
        linked.setdefault(b, set()).add(a)
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}  # cluster named by its first member
    queue = [(-link, a, b) for (a, b), link in links.items()]  # strongest first, then first members first
    heapq.heapify(queue)
    for group in groups:
        for other in group[1:]:
            _join(group[0], other, links, linked, members, queue)
    while queue:
        negative, a, b = heapq.heappop(queue)
        if links.get((a, b)) != -negative:
            continue  # that pair was joined or its link weakened since it was queued
        _join(a, b, links, linked, members, queue)
    known = {(ordered[a].id, ordered[b].id): found for (a, b), found in scores.items()}
    return [[ordered[i] for i in members[c]] for c in sorted(members)], known


def _join(a: int, b: int, links: dict[tuple[int, int], float], linked: dict[int, set[int]],
          members: dict[int, list[int]], queue: list[tuple[float, int, int]]) -> None:
    """Join cluster ``b`` into ``a`` (a < b) and update the links of every cluster linked to either."""
    if b < a:
        a, b = b, a
    for c in linked.pop(a, set()) | linked.pop(b, set()):
        if c in (a, b):
            continue
        with_a, with_b = links.pop(_pair(a, c), None), links.pop(_pair(b, c), None)
        linked[c] -= {a, b}
        if with_a is not None and with_b is not None:  # complete linkage: every pair must be a candidate
            links[_pair(a, c)] = min(with_a, with_b)
            heapq.heappush(queue, (-links[_pair(a, c)], *_pair(a, c)))
            linked[c].add(a)
            linked.setdefault(a, set()).add(c)
    links.pop((a, b), None)
    members[a] = sorted(members[a] + members.pop(b))


def _pair(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def merge_reasons(members: list[IncidentReport], s: MergeSettings | None = None,
                  known: KnownScores | None = None, earlier_reasons: dict[str, str] | None = None) -> list[str]:
    """For each source after the first: the member it matched best and why (``known``: scores already
    computed by the clustering; ``earlier_reasons``: what a settled event said for its members)."""
    return list(_reasons_by_member(members, s or load_settings(), known, earlier_reasons).values())


def _reasons_by_member(members: list[IncidentReport], s: MergeSettings, known: KnownScores | None,
                       earlier_reasons: dict[str, str] | None) -> dict[str, str]:
    """``merge_reasons`` by the id of the member each explains, in member order."""
    ordered = sorted(members, key=report_sort_key)
    reasons = {}
    for k, joined in enumerate(ordered[1:], start=1):
        if earlier_reasons and joined.id in earlier_reasons:
            reasons[joined.id] = earlier_reasons[joined.id]
            continue
        pairs = [(p, earlier) for earlier in ordered[:k] if (p := _score_of(earlier, joined, s, known)) is not None]
        if pairs:
            pair, earlier = max(pairs, key=lambda x: x[0].score)
            reasons[joined.id] = f"{earlier.id} + {joined.id}: {pair.explain()}"
    return reasons


def _member_key(report_id: str) -> tuple[str, int]:
    """The stable order of a report from its id ("article id#index"), like ``report_sort_key``."""
    article_id, _, index = report_id.rpartition("#")
    return article_id, int(index)


def _score_of(earlier: IncidentReport, joined: IncidentReport, s: MergeSettings,
              known: KnownScores | None) -> PairScore | None:
    if known is not None and (earlier.id, joined.id) in known:
        return known[(earlier.id, joined.id)]
    return compare(earlier, joined, s)


def build_events(reports: list[IncidentReport], store: Store, s: MergeSettings | None = None,
                 settled: list[list[str]] | None = None, fresh: set[str] | None = None,
                 partial: dict[str, list[str]] | None = None,
                 unchanged: list[list[str]] | None = None) -> list[Event]:
    """Cluster reports and reconcile each cluster into an event (``settled``, ``fresh``: see
    ``_cluster_scored``).

    ``partial``: stored events represented in ``reports`` by some of their members (event id -> those
    member ids). A cluster that holds one is reconciled from the event's stored digest plus the sources
    that joined it, so its other members are not read (unless it has no digest yet). ``unchanged``:
    member ids of stored events that are still right as stored; a cluster of exactly those members is
    left out of the result (there is nothing to rewrite)."""
    s = s or load_settings()
    partial = partial or {}
    stored_reasons = store.merge_reasons_by_event(store.event_ids_of_reports([group[0] for group in settled or []]))
    earlier = {rid: reason for per_event in stored_reasons.values() for rid, reason in per_event.items()}
    clusters, known = _cluster_scored(reports, s, settled or [], fresh)
    stored_as_is = {tuple(sorted(ids)) for ids in unchanged or []}
    clusters = [members for members in clusters if tuple(sorted(r.id for r in members)) not in stored_as_is]
    bylines = store.bylines([r.article_id for members in clusters for r in members])
    digests = store.event_digests(list(partial))
    events = []
    for members in clusters:
        ids = {r.id for r in members}
        absorbed = sorted(eid for eid, loaded in partial.items() if ids.intersection(loaded))
        if not absorbed:
            reasons = merge_reasons(members, s, known, earlier)
            events.append(build_event(event_id_for(members), members, bylines, reasons, s))
            continue
        read = {rid for eid in absorbed for rid in partial[eid]}  # already in the stored digests
        ordered = sorted(members, key=report_sort_key)
        sources = [source_figures(r, bylines.get(r.article_id)) for r in ordered]
        joined = [(r, src) for r, src in zip(ordered, sources, strict=True) if r.id not in read]
        digest = digest_of_sources([r for r, _ in joined], [src for _, src in joined], s,
                                   start=[digests.get(eid) or _digest_from_store(store, eid, s) for eid in absorbed])
        why = {rid: reason for eid in absorbed for rid, reason in stored_reasons.get(eid, {}).items()}
        why.update(_reasons_by_member(members, s, known, earlier))
        reasons = [why[rid] for rid in sorted(why, key=_member_key)]
        event = event_from_digest(_event_id(digest.first[2]), digest, ordered, sources, reasons, s)
        event.absorbs = absorbed
        events.append(event)
    return sorted(events, key=lambda e: e.id)


def _digest_from_store(store: Store, event_id: str, s: MergeSettings) -> EventDigest:
    """The digest of a stored event computed from all its members (for events stored without one)."""
    members = store.reports(event_id=event_id, detail="sources")
    return digest_of_members(members, store.bylines([r.article_id for r in members]), s)


# -- incremental update --------------------------------------------------------------------------
def _days_around(span: tuple[date, date], before: int, after: int) -> tuple[str, str]:
    """``span`` widened by ``before`` and ``after`` days, as ISO dates."""
    return _shift(span[0], -before).isoformat(), _shift(span[1], after).isoformat()


def _candidates_of(store: Store, r: IncidentReport, s: MergeSettings) -> list[IncidentReport]:
    """Stored reports that could be merged with ``r`` (same country, date window, all gates), read
    without their claims, actors and victims (the gates do not look at them)."""
    span = date_interval(r.date)
    if span is None or r.place is None:
        return []
    window = _days_around(span, int(s.section("date")["window_days"]), 1)
    slack = int(s.section("date")["day_slack_days"])
    nearby = store.reports(date_from=window[0], date_to=window[1], country=r.place.country,
                           area=_reach(r.place, s), single_days=_days_around(span, slack, slack), detail="gates")
    return [o for o in nearby if o.id != r.id and is_candidate(r, o, s)]


def _reach(place: Place, s: MergeSettings) -> Area | None:
    """Where a report's mergeable partners can be: within the largest distance a place gate accepts,
    or anywhere for regions and countries (they contain places by name). None: anywhere."""
    cfg = s.section("place")
    wide = (*cfg["region_kinds"], *cfg["country_kinds"])
    if place.kind in wide:
        return None
    km = max(float(cfg["containment_max_km"]), float(cfg["near_km"]))
    return Area.around(place.lat, place.lon, km, any_place_kinds=wide)


@dataclass
class Neighbourhood:
    """What an update re-merges.

    ``reports``: to be clustered, read without their article text (merging never looks at evidence).
    ``events``: for each stored event among them, the ids of its members in ``reports``. An event with
    more than ``settled_event_size`` sources is represented by its first ``settled_event_size`` members
    (by article id, then index): those are in ``partial``; its figures come from its stored digest (see
    ``build_events``). Events whose members were deleted (re-extracted articles) are read whole."""

    reports: list[IncidentReport]
    events: dict[str, list[str]]
    partial: set[str]

    def settled(self, size: int) -> list[list[str]]:
        """The member ids of the stored events with at least ``size`` sources: they are kept whole (new
        reports may join them) instead of being re-clustered pair by pair, so a widely reported incident
        does not cost time in proportion to the square of its sources."""
        return [ids for eid, ids in sorted(self.events.items()) if len(ids) >= size or eid in self.partial]


def neighbourhood(store: Store, report_ids: list[str], s: MergeSettings,
                  event_ids: set[str] | None = None) -> Neighbourhood:
    """The reports a re-merge looks at: ``report_ids`` (and the members of ``event_ids``), the stored
    reports within ``neighbourhood_hops`` candidate pairs of them, and the members of the events any of
    those belong to, so that events are re-formed whole (large events: see ``Neighbourhood``).

    Unbounded hops would make merging exactly order-independent, but in a busy place day-to-day
    candidate pairs chain a town's whole history into one neighbourhood, and each article would cost
    time in proportion to the database."""
    frontier = store.reports_by_ids(report_ids, detail="gates")
    found = {r.id for r in frontier}
    for _ in range(int(s.raw["neighbourhood_hops"])):
        new: list[IncidentReport] = []
        for r in frontier:
            for other in _candidates_of(store, r, s):
                if other.id not in found:
                    found.add(other.id)
                    new.append(other)
        frontier = new
        if not frontier:
            break
    event_of = store.events_of_reports(sorted(found))
    limit = int(s.raw["settled_event_size"])
    sizes = store.event_sizes(sorted(set(event_of.values()) | (event_ids or set())))
    # events whose members were deleted (``event_ids``) are read whole: their digest is out of date
    partial = {eid for eid, size in sizes.items() if size > limit and eid not in (event_ids or set())}
    events = {eid: store.first_members(eid, limit if eid in partial else size) for eid, size in sorted(sizes.items())}
    # a member of a large event outside its first ones stands aside: a report that joins the event must
    # link to every one of those first members anyway
    wanted = {rid for rid in found if event_of.get(rid) not in partial}
    wanted.update(rid for ids in events.values() for rid in ids)
    return Neighbourhood(store.reports_by_ids(sorted(wanted), detail="sources"), events, partial)


def merge_update(store: Store, report_ids: list[str]) -> set[str] | None:
    """Re-merge the events that the given reports may join (inside the caller's transaction); returns
    the ids of the events written or deleted, None when there was nothing to re-merge. Writers call
    ``remerge.update_events``, which also applies the corrections."""
    s = load_settings()
    touched, store.touched_events = store.touched_events, set()
    store.delete_orphan_events(touched)
    if not report_ids and not touched:
        return None
    near = neighbourhood(store, report_ids, s, touched)
    busy = len(near.reports) > int(s.raw["exact_neighbourhood_size"])  # stored events then stay as they are
    settled = near.settled(2 if busy else int(s.raw["settled_event_size"]))
    events = build_events(near.reports, store, s, settled, fresh=set(report_ids) if busy else None,
                          partial={eid: near.events[eid] for eid in near.partial},
                          unchanged=[ids for eid, ids in near.events.items() if eid not in touched])
    store.replace_events(events, report_ids=[r.id for e in events for r in e.reports])
    return {e.id for e in events} | touched


def merge_all(store: Store, writing: Callable[[int], Callable[[int], None]] | None = None) -> int:
    """Re-merge every stored report from scratch (inside the caller's transaction); returns #events
    (writers call ``remerge.rebuild_events``, which also applies the corrections).

    ``writing(n)`` is told how many events will be written and returns what to call with each batch's
    size (a progress bar)."""
    events = build_events(store.reports(detail="sources"), store)
    advance = writing(len(events)) if writing else None
    store.replace_events([])  # every event goes; the batches below write the new ones
    for start in range(0, len(events), 500):
        batch = events[start:start + 500]
        store.replace_events(batch, report_ids=[r.id for e in batch for r in e.reports])
        if advance:
            advance(len(batch))
    return len(events)
