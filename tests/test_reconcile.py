"""Reconciliation of a merged incident: best/low/high, disputes, and the record's fields."""

from __future__ import annotations

from test_merge import GUNMEN, ISRAEL_ARMY, JENIN, JENIN_CAMP, make_report

from sitrep.merge import load_settings
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
    assert dispute_note(event) == (
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
    assert dispute_note(event) == ""


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
