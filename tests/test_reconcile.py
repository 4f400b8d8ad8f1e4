"""Reconciliation of a merged incident: best/low/high, disputes, and the record's fields."""

from __future__ import annotations

import json

from test_merge import GUNMEN, ISRAEL_ARMY, JENIN, JENIN_CAMP, make_report

from sitrep.reconcile import (
    build_event,
    choose_date,
    choose_place,
    choose_type,
    claimant_tier,
    dispute_note,
    is_disputed,
    union_actors,
)
from sitrep.records import ActorMention, Article, Range
from sitrep.settings import load_settings

TEXT = "Troops and gunmen exchanged fire in Jenin; casualty figures differ between sources."


def art(aid: str, published: str, outlet: str = "Wire") -> Article:
    return Article(id=aid, text=TEXT, raw=TEXT, content_hash=aid, source="t", outlet=outlet,
                   published=published)


def test_claimant_tiers() -> None:
    assert claimant_tier("Palestinian health ministry") == "close"
    assert claimant_tier("doctors at the city hospital") == "close"
    assert claimant_tier("the regional governor") == "close"
    assert claimant_tier("Israeli military") == "party"
    assert claimant_tier("an army spokesman") == "party"
    assert claimant_tier("UN monitors") == "independent"
    assert claimant_tier(None) == "unattributed"
    assert claimant_tier("Wafa news agency") == "other"


def test_low_high_span_sources_and_best_prefers_close_claimant_over_newer_party() -> None:
    army = make_report("s1", TEXT, killed=(6, 6), claimant="Israeli military")
    ministry = make_report("s2", TEXT, killed=(9, 9), claimant="Palestinian health ministry")
    articles = {"s1": art("s1", "2024-03-14"), "s2": art("s2", "2024-03-12")}
    event = build_event("ev", [army, ministry], articles, [])
    assert event.fatalities == Range(low=6, high=9, best=9)  # the ministry, though older
    assert event.disputed
    assert [(p.article_id, p.fatalities) for p in event.per_source] == [
        ("s1", Range(6, 6)), ("s2", Range(9, 9))]
    assert dispute_note(event.fatalities, event.per_source) == (
        "Sources disagree on fatalities: Israeli military 6; Palestinian health ministry 9")


def test_best_takes_the_most_recent_of_equally_close_claimants() -> None:
    early = make_report("s1", TEXT, killed=(3, 3), claimant="hospital director")
    late = make_report("s2", TEXT, killed=(5, 5), claimant="health ministry")
    articles = {"s1": art("s1", "2024-03-12"), "s2": art("s2", "2024-03-13")}
    assert build_event("ev", [early, late], articles, []).fatalities == Range(3, 5, 5)
    articles = {"s1": art("s1", "2024-03-14"), "s2": art("s2", "2024-03-13")}
    assert build_event("ev", [early, late], articles, []).fatalities == Range(3, 5, 3)


def test_figures_are_never_summed_and_agreeing_sources_are_not_disputed() -> None:
    a = make_report("s1", TEXT, killed=(4, 4), injured=(10, 10))
    b = make_report("s2", TEXT, killed=(4, 4), injured=(10, 10))
    event = build_event("ev", [a, b], {"s1": art("s1", "2024-01-02"), "s2": art("s2", "2024-01-02")}, [])
    assert event.fatalities == Range(4, 4, 4)
    assert event.injuries == Range(10, 10, 10)
    assert not event.disputed
    assert dispute_note(event.fatalities, event.per_source) == ""


def test_a_source_without_figures_does_not_widen_the_range() -> None:
    a = make_report("s1", TEXT, killed=(4, 4))
    b = make_report("s2", TEXT)
    event = build_event("ev", [a, b], {}, [])
    assert event.fatalities == Range(4, 4, 4) and event.injuries is None
    assert not is_disputed(event.fatalities, event.injuries)
    assert [p.fatalities for p in event.per_source] == [Range(4, 4), None]


def test_date_place_type_and_actors() -> None:
    month = make_report("s1", TEXT, day="2024-03-01", precision="month", place=JENIN, event_type="Battles")
    strike = "Explosions/Remote violence"
    day_late = make_report("s2", TEXT, day="2024-03-13", place=JENIN_CAMP, event_type=strike,
                           actors=(ISRAEL_ARMY,))
    day_early = make_report("s3", TEXT, day="2024-03-12", place=JENIN, event_type=strike,
                            actors=(GUNMEN, ActorMention("Hamas", "Hamas", "rebel group", 2, "PSE")))
    members = [month, day_late, day_early]
    assert choose_date(members).date == "2024-03-12"  # most precise, then earliest
    place = choose_place(members)
    assert place is not None and place.name == "Jenin refugee camp"
    assert choose_type(members) == ("Explosions/Remote violence", "")
    assert union_actors(members) == ["Military Forces of Israel", "Palestinian militants", "Hamas"]


def test_type_tie_uses_the_fixed_order() -> None:
    order = load_settings().section("type")["tie_order"]
    a = make_report("s1", TEXT, event_type="Violence against civilians")
    b = make_report("s2", TEXT, event_type="Battles")
    expected = min(["Violence against civilians", "Battles"], key=order.index)
    assert choose_type([a, b])[0] == expected == choose_type([b, a])[0]


# -- digests: the record built one source at a time --------------------------------------------------
def _plain_record(members: list, articles: dict) -> tuple:
    """The record's fields by their plain definitions, over all members at once (the reference)."""
    from collections import Counter

    from sitrep.reconcile import source_figures, source_rank

    s = load_settings()
    ordered = sorted(members, key=lambda r: (r.article_id, r.index))
    dated = [r.date for r in ordered if r.date.date and r.date.precision]
    rank = {"day": 0, "week": 1, "month": 2, "year": 3}
    date = min(dated, key=lambda d: (rank[d.precision], d.date)).date if dated else None
    kinds = s.section("place")["specificity_by_kind"]
    placed = [r.place for r in ordered if r.place is not None]
    place = min(placed, key=lambda p: (int(kinds.get(p.kind, 2)), p.geo_precision)).name if placed else None
    order = s.section("type")["tie_order"]
    counts = Counter(r.event_type for r in ordered if r.event_type)
    event_type = min(counts, key=lambda t: (-counts[t], order.index(t), t)) if counts else ""
    actors = list(dict.fromkeys(a.name for r in ordered for a in r.actors))
    figures = []
    for kind, outcome in (("fatalities", "killed"), ("injuries", "injured")):
        given = [(source_figures(r, articles[r.article_id]), r) for r in ordered if getattr(r, kind) is not None]
        if not given:
            figures.append(None)
            continue
        low = min(getattr(src, kind).low for src, _ in given)
        high = max(getattr(src, kind).high for src, _ in given)

        def figure_of(src: object, kind: str = kind) -> int:
            given_range = getattr(src, kind)
            return given_range.best if given_range.best is not None else given_range.high

        src, r = min(given, key=lambda x: source_rank(x[0], x[1], outcome, figure_of(x[0]), s))
        best = figure_of(src)
        figures.append(Range(low, high, min(max(best, low), high)))
    return date, place, event_type, actors, *figures


def test_a_digest_built_in_any_order_and_split_gives_the_plain_record() -> None:
    """Digests combine in any order and any grouping to the record the plain definitions give, so a large
    event can take a new source from its stored digest instead of re-reading every member."""
    import functools
    import random

    from sitrep.reconcile import digest_of, event_from_digest, source_figures
    from sitrep.records import EventDigest, Place

    s = load_settings()
    rng = random.Random(7)
    camp_far = Place("Camp", 32.46, 35.29, "PSE", admin1="Jenin", kind="camp", parent="Jenin", geo_precision=2)
    region = Place("Jenin Governorate", 32.45, 35.3, "PSE", kind="region", geo_precision=3)
    claimants = [None, "Israeli military", "health ministry", "UN monitors", "hospital director"]
    types = ["Battles", "Explosions/Remote violence", "Violence against civilians", ""]
    for trial in range(40):
        members, articles = [], {}
        for k in range(rng.randint(1, 9)):
            aid = f"t{trial}-{rng.randint(0, 99):02d}-{k}"
            killed = rng.choice([None, (3, 3), (4, 6), (9, 9)])
            members.append(make_report(
                aid, TEXT, index=rng.randint(0, 2), day=f"2024-03-{rng.randint(10, 13)}",
                precision=rng.choice(["day", "month", "week"]), place=rng.choice([JENIN, JENIN_CAMP, camp_far, region]),
                event_type=rng.choice(types), killed=killed, injured=rng.choice([None, (2, 2), (10, 10)]),
                claimant=rng.choice(claimants),
                actors=tuple(rng.sample([ISRAEL_ARMY, GUNMEN, ActorMention("Hamas", "Hamas")], rng.randint(0, 2)))))
            articles[aid] = art(aid, f"2024-03-{rng.randint(12, 15)}")
        digests = [digest_of(r, source_figures(r, articles[r.article_id]), s) for r in members]
        rng.shuffle(digests)
        cut = rng.randint(1, len(digests))
        halves = [functools.reduce(EventDigest.combine, part) for part in (digests[:cut], digests[cut:]) if part]
        stored = [EventDigest.from_json(json.loads(json.dumps(h.to_json()))) for h in halves]  # as the store keeps it
        digest = functools.reduce(EventDigest.combine, stored)
        event = event_from_digest("ev", digest, [], [], [], s)
        got = (event.date.date, event.place.name if event.place else None, event.event_type, event.actors,
               event.fatalities, event.injuries)
        assert got == _plain_record(members, articles), trial
        assert build_event("ev", members, articles, []).fatalities == event.fatalities
