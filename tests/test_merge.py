"""Cross-source merging: gates, scores, complete linkage, order independence, stable ids.

The articles here are short texts written for these tests; reports are built directly (no spaCy).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sitrep import merge
from sitrep.merge import cluster, compare, event_id_for
from sitrep.records import (
    ActorMention,
    Article,
    ArticleExtraction,
    CasualtyClaim,
    DateRef,
    Evidence,
    IncidentReport,
    Place,
    Range,
    Victim,
    report_sort_key,
)
from sitrep.remerge import rebuild_events, update_events
from sitrep.settings import load_settings
from sitrep.store import Area, Store

JENIN = Place("Jenin", 32.4606, 35.2956, "PSE", admin1="Jenin")
JENIN_CAMP = Place("Jenin refugee camp", 32.4614, 35.2892, "PSE", admin1="Jenin", kind="camp", parent="Jenin")
NABLUS = Place("Nablus", 32.2211, 35.2544, "PSE", admin1="Nablus")
KHAN_YOUNIS = Place("Khan Younis", 31.3462, 34.3063, "PSE", admin1="Khan Younis")
# 10 km due north of Khan Younis, same governorate
TEN_KM_NORTH = Place("Village north of Khan Younis", 31.3462 + 10 / 111.2, 34.3063, "PSE",
                     admin1="Khan Younis")

ISRAEL_ARMY = ActorMention("Military Forces of Israel", "Israeli forces", "state forces", 1, "ISR")
GUNMEN = ActorMention("Palestinian militants", "gunmen", "rebel group", 2, "PSE")


@dataclass
class Story:
    """One test article with a single incident report (or several)."""

    aid: str
    outlet: str
    published: str
    text: str
    incidents: list[dict] = field(default_factory=list)


def make_report(aid: str, text: str, index: int = 0, *, day: str = "2024-03-12", precision: str = "day",
                place: Place | None = JENIN, event_type: str = "Battles",
                killed: tuple[int, int] | None = None, injured: tuple[int, int] | None = None,
                claimant: str | None = None,
                victims: tuple[str, ...] = (), actors: tuple[ActorMention, ...] = (ISRAEL_ARMY, GUNMEN),
                summary: str | None = None) -> IncidentReport:
    """A report whose claims point at the whole text as evidence."""
    ev = Evidence.of(text, 0, len(text))
    claims = []
    if killed:
        high = killed[1] if killed[1] != killed[0] else None
        claims.append(CasualtyClaim("killed", killed[0], count_high=high,
                                    qualifier="exact" if killed[0] == killed[1] else "range",
                                    victims="Palestinians", claimant=claimant, evidence=ev))
    if injured:
        claims.append(CasualtyClaim("injured", injured[0], victims="Palestinians", claimant=claimant,
                                    evidence=ev))
    return IncidentReport(
        article_id=aid, index=index, date=DateRef(day, precision), place=place, event_type=event_type,
        sub_event_type="Armed clash" if event_type == "Battles" else "", actors=list(actors), claims=claims,
        victims=[Victim(v, None, "killed", evidence=ev) for v in victims],
        fatalities=Range(*killed) if killed else None, injuries=Range(*injured) if injured else None,
        main=index == 0, summary=summary if summary is not None else text, evidence=ev,
    )


def article(aid: str, outlet: str, published: str, text: str) -> Article:
    return Article(id=aid, text=text, raw=text, content_hash="h-" + aid, source="test", outlet=outlet,
                   published=published, title=f"Report {aid}")


def ingest(store: Store, art: Article, reports: list[IncidentReport]) -> None:
    """What Pipeline.store does: article, extraction and event update in one transaction."""
    with store.transaction():
        store.insert_article(art)
        store.save_extraction(ArticleExtraction(art.id, reports))
        update_events(store, [r.id for r in reports])


# -- the Jenin raid told by four outlets --------------------------------------------------------
RAID_TEXTS = {
    "a1": "Israeli troops raided the Jenin refugee camp on Tuesday, and four Palestinians were killed in "
          "the fighting, the Israeli military said.",
    "a2": "Five Palestinians died when Israeli forces stormed Jenin on Tuesday, according to a local "
          "hospital director.",
    "a3": "In March, a raid on Jenin left six people dead; the monthly review lists it among the "
          "deadliest operations.",
    "a4": "The Palestinian health ministry said the death toll from Tuesday's raid on Jenin refugee camp "
          "had risen to nine, with 20 wounded.",
}


def raid_articles() -> list[tuple[Article, list[IncidentReport]]]:
    t = RAID_TEXTS
    return [
        (article("a1", "Wire One", "2024-03-12", t["a1"]),
         [make_report("a1", t["a1"], place=JENIN_CAMP, killed=(4, 4), claimant="Israeli military")]),
        (article("a2", "City Daily", "2024-03-12", t["a2"]),
         [make_report("a2", t["a2"], place=JENIN, killed=(5, 5), claimant="hospital director")]),
        (article("a3", "Monthly Review", "2024-03-30", t["a3"]),
         [make_report("a3", t["a3"], day="2024-03-01", precision="month", place=JENIN, killed=(6, 6))]),
        (article("a4", "Gulf Wire", "2024-03-13", t["a4"]),
         [make_report("a4", t["a4"], place=JENIN_CAMP, killed=(9, 9), injured=(20, 20),
                      claimant="Palestinian health ministry")]),
    ]


def events_of(store: Store) -> list[dict]:
    """A comparable summary of the stored events."""
    out = []
    for row in store.event_rows():
        members = sorted(r.id for r in store.reports(event_id=row["id"]))
        out.append({"id": row["id"], "members": members, "date": row["date"], "place": row["location_name"],
                    "low": row["fatalities_low"], "high": row["fatalities_high"],
                    "best": row["fatalities_best"], "disputed": row["disputed"]})
    return sorted(out, key=lambda e: e["id"])


def test_four_outlets_one_raid_become_one_disputed_event(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as s:
        for art, reports in raid_articles():
            ingest(s, art, reports)
        [event] = events_of(s)
        assert event["members"] == ["a1#0", "a2#0", "a3#0", "a4#0"]
        assert (event["low"], event["high"]) == (4, 9)
        # best: the close-to-scene claimants (hospital, health ministry) beat the army and the
        # unattributed review; of those, the most recent (a4, published a day later) wins
        assert event["best"] == 9
        assert event["disputed"] == 1
        assert event["date"] == "2024-03-12"  # the day, not the month
        assert event["place"] == "Jenin refugee camp"  # the camp, not the city
        [row] = s.event_rows()
        import json

        reasons = json.loads(row["merge_reasons"])
        assert len(reasons) == 3
        assert any("Jenin refugee camp within Jenin" in r for r in reasons)
        assert any("dates within the same month" in r for r in reasons)


def test_merge_reason_explains_the_pair() -> None:
    t = RAID_TEXTS
    a = make_report("a1", t["a1"], place=JENIN_CAMP, killed=(4, 4))
    b = make_report("a4", t["a4"], place=JENIN, killed=(8, 8))
    pair = compare(a, b)
    assert pair is not None
    text = pair.explain()
    assert "same day" in text and "0.6 km apart (Jenin refugee camp within Jenin)" in text
    assert "same type" in text and "fatalities 4 vs 8" in text


def test_consecutive_day_raids_in_one_city_stay_apart(tmp_path: Path) -> None:
    t1 = "Israeli forces killed three men in Nablus on Monday, including Omar Haddad and Sami Nasser."
    t2 = ("Seven Palestinians were killed on Tuesday in a separate Israeli raid on Nablus, "
          "among them Rami Khalil.")
    with Store(tmp_path / "m.db") as s:
        ingest(s, article("n1", "Wire One", "2024-04-01", t1),
               [make_report("n1", t1, day="2024-04-01", place=NABLUS, killed=(3, 3),
                            victims=("Omar Haddad", "Sami Nasser"))])
        ingest(s, article("n2", "City Daily", "2024-04-02", t2),
               [make_report("n2", t2, day="2024-04-02", place=NABLUS, killed=(7, 7),
                            victims=("Rami Khalil",))])
        assert sorted(e["members"] for e in events_of(s)) == [["n1#0"], ["n2#0"]]


def test_overnight_raid_dated_a_day_apart_merges_when_the_record_agrees(tmp_path: Path) -> None:
    t1 = "Israeli forces killed three men in Nablus late on Monday, including Omar Haddad."
    t2 = "Three Palestinians, among them Omar Haddad, were killed in an overnight raid on Nablus."
    with Store(tmp_path / "m.db") as s:
        ingest(s, article("n1", "Wire One", "2024-04-01", t1),
               [make_report("n1", t1, day="2024-04-01", place=NABLUS, killed=(3, 3),
                            victims=("Omar Haddad",))])
        ingest(s, article("n2", "City Daily", "2024-04-02", t2),
               [make_report("n2", t2, day="2024-04-02", place=NABLUS, killed=(3, 3),
                            victims=("Omar Haddad",))])
        [event] = events_of(s)
        assert event["members"] == ["n1#0", "n2#0"]
        assert event["disputed"] == 0


def test_strikes_ten_km_apart_on_one_day_stay_apart(tmp_path: Path) -> None:
    t1 = "An air strike on a house in Khan Younis killed two people on Friday, medics said."
    t2 = "Six people died when a strike hit a farm north of Khan Younis on Friday, witnesses said."
    with Store(tmp_path / "m.db") as s:
        ingest(s, article("k1", "Wire One", "2024-05-03", t1),
               [make_report("k1", t1, day="2024-05-03", place=KHAN_YOUNIS,
                            event_type="Explosions/Remote violence", killed=(2, 2), actors=(ISRAEL_ARMY,))])
        ingest(s, article("k2", "City Daily", "2024-05-03", t2),
               [make_report("k2", t2, day="2024-05-03", place=TEN_KM_NORTH,
                            event_type="Explosions/Remote violence", killed=(6, 6), actors=(ISRAEL_ARMY,))])
        assert len(events_of(s)) == 2


def test_protest_and_air_strike_never_merge() -> None:
    text = "Crowds marched in Jenin while a drone strike hit the city."
    protest = make_report("p1", text, event_type="Protests", actors=())
    strike = make_report("p2", text, event_type="Explosions/Remote violence", killed=(1, 1))
    assert compare(protest, strike) is None


def test_two_incidents_in_one_article_are_never_merged(tmp_path: Path) -> None:
    text = "Two Palestinians were killed in Jenin on Tuesday. Later that day two more were killed in Jenin."
    twins = [make_report("t1", text, 0, killed=(2, 2)), make_report("t1", text, 1, killed=(2, 2))]
    other_text = "Two Palestinians were killed in Jenin on Tuesday, officials said."
    with Store(tmp_path / "m.db") as s:
        ingest(s, article("t1", "Wire One", "2024-03-12", text), twins)
        assert len(events_of(s)) == 2
        ingest(s, article("t2", "City Daily", "2024-03-12", other_text),
               [make_report("t2", other_text, killed=(2, 2))])
        events = events_of(s)
        assert len(events) == 2
        # the second outlet joins exactly one of the two, never both
        assert sorted(len(e["members"]) for e in events) == [1, 2]
        assert all(not {"t1#0", "t1#1"} <= set(e["members"]) for e in events)


def test_complete_linkage_does_not_chain() -> None:
    """A month-precision report matches raids on the 5th and on the 20th; the two raids don't match."""
    t = "Israeli forces raided Jenin and killed two people."
    early = make_report("c1", t, day="2024-03-05", killed=(2, 2))
    late = make_report("c2", t, day="2024-03-20", killed=(2, 2))
    month = make_report("c3", t, day="2024-03-01", precision="month", killed=(2, 2))
    assert compare(early, month) is not None and compare(late, month) is not None
    assert compare(early, late) is None
    groups = cluster([early, late, month])
    assert len(groups) == 2
    assert sorted(len(g) for g in groups) == [1, 2]


def test_merging_is_the_same_whatever_the_ingest_order(tmp_path: Path) -> None:
    stories = raid_articles()[:3]
    t = "Israeli forces raided Jenin refugee camp on Wednesday and killed two people, including Ali Saleh."
    stories.append((article("a5", "Wire Two", "2024-03-13", t),
                    [make_report("a5", t, day="2024-03-13", place=JENIN_CAMP, killed=(2, 2),
                                 victims=("Ali Saleh",))]))
    results = []
    for n, order in enumerate(itertools.permutations(stories)):
        with Store(tmp_path / f"p{n}.db") as s:
            for art, reports in order:
                ingest(s, art, reports)
            results.append(events_of(s))
    assert len(results) == 24
    assert all(r == results[0] for r in results)
    assert len(results[0]) >= 2  # the Wednesday raid is not swallowed by Tuesday's


def test_event_ids_are_stable_and_rebuild_matches_incremental(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as s:
        for art, reports in raid_articles():
            ingest(s, art, reports)
        before = events_of(s)
        with s.transaction():
            assert rebuild_events(s) == 1
        assert events_of(s) == before
        members = s.reports(event_id=before[0]["id"])
        assert before[0]["id"] == event_id_for(members)


def test_re_extracting_an_article_leaves_no_stale_event(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as s:
        for art, reports in raid_articles()[:2]:
            ingest(s, art, reports)
        assert len(events_of(s)) == 1
        art, _ = raid_articles()[0]
        moved = make_report("a1", art.text, place=KHAN_YOUNIS, killed=(4, 4))
        ingest(s, art, [moved])
        events = events_of(s)
        assert sorted(m for e in events for m in e["members"]) == ["a1#0", "a2#0"]
        assert len(events) == 2
        assert s.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 2


def test_candidate_search_loads_only_reports_a_place_gate_could_accept(tmp_path: Path) -> None:
    """The area filter is a pure speed-up: it keeps everything within the gates' largest distance, and
    regions and countries wherever they are (they hold places by name)."""
    west_bank = Place("West Bank", 32.0, 35.25, "PSE", kind="region")
    hebron = Place("Hebron", 31.5294, 35.0938, "PSE", admin1="Hebron")  # about 104 km south of Jenin
    store = Store(tmp_path / "m.db")
    texts = {"n1": "Troops raided Nablus.", "h1": "Troops raided Hebron.", "w1": "Raids across the West Bank.",
             "c1": "Troops raided Jenin refugee camp."}
    places = {"n1": NABLUS, "h1": hebron, "w1": west_bank, "c1": JENIN_CAMP}
    for aid, text in texts.items():
        ingest(store, article(aid, "Wire", "2024-03-12", text), [make_report(aid, text, place=places[aid])])
    settings = load_settings()
    near_jenin = {r.article_id for r in store.reports(country="PSE", area=merge._reach(JENIN, settings))}
    assert near_jenin == {"w1", "c1"}
    for left_out in store.reports(country="PSE"):
        if left_out.article_id not in near_jenin:  # Nablus (27 km) and Hebron: the gate refuses them too
            assert merge.compare_places(JENIN, left_out.place, settings) is None
    assert merge._reach(west_bank, load_settings()) is None  # a region may hold any of them


def test_area_box_spans_the_antimeridian_and_the_poles() -> None:
    fiji = Area.around(-17.8, 179.9, 25.0)
    assert fiji.lon_min <= -179.9 and fiji.lon_max >= 179.9
    polar = Area.around(89.9, 10.0, 25.0)
    assert polar.lon_min <= -180 and polar.lon_max >= 180
    kyiv = Area.around(50.45, 30.52, 25.0)
    assert 30.1 < kyiv.lon_min < 30.2 and 50.2 < kyiv.lat_min < 50.3


def _greedy_complete_linkage(reports: list[IncidentReport]) -> list[list[str]]:
    """The clustering rule written the slow, obvious way: every step compares every pair of clusters."""
    s = load_settings()
    ordered = sorted(reports, key=report_sort_key)
    scores = {(i, j): compare(ordered[i], ordered[j], s) for i, j in itertools.combinations(range(len(ordered)), 2)}
    clusters = [[i] for i in range(len(ordered))]
    while True:
        best = None
        for a, b in itertools.combinations(range(len(clusters)), 2):
            pairs = [scores[(min(i, j), max(i, j))] for i in clusters[a] for j in clusters[b]]
            if any(p is None for p in pairs):
                continue
            link = min(p.score for p in pairs if p is not None)
            if link >= s.threshold and (best is None or link > best[0]):
                best = (link, a, b)
        if best is None:
            return [[ordered[i].id for i in c] for c in clusters]
        _, a, b = best
        clusters[a] = sorted(clusters[a] + clusters.pop(b))


def test_fast_clustering_equals_the_obvious_algorithm_on_random_reports() -> None:
    import random

    rng = random.Random(7)
    joined = 0
    for trial in range(12):
        reports = []
        for k in range(rng.randint(8, 30)):
            aid = f"r{trial}-{rng.randint(0, 12)}"
            killed = rng.choice([None, (3, 3), (4, 4), (9, 9), (2, 5)])
            text = f"Report {k} on the raid: {rng.choice(['troops', 'gunmen', 'drones'])} in the camp."
            reports.append(make_report(aid, text, index=k, day=f"2024-03-{rng.randint(10, 13)}",
                                       precision=rng.choice(["day", "day", "day", "month"]),
                                       place=rng.choice([JENIN, JENIN_CAMP, NABLUS, None]),
                                       event_type=rng.choice(["Battles", "Battles", "Explosions/Remote violence"]),
                                       killed=killed))
        fast = [[r.id for r in c] for c in cluster(reports)]
        assert fast == _greedy_complete_linkage(reports), trial
        joined += sum(len(c) > 1 for c in fast)
    assert joined >= 10  # the trials do exercise merging


def test_an_update_looks_a_bounded_number_of_hops_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Raids on consecutive days in one town chain through candidate pairs; an update stops after the hops
    set in merge.json instead of walking the town's whole history."""
    store = Store(tmp_path / "m.db")
    for day in range(10, 16):
        aid = f"d{day}"
        text = f"Troops raided Jenin on March {day}."
        ingest(store, article(aid, "Wire", f"2024-03-{day}", text),
               [make_report(aid, text, day=f"2024-03-{day}", victims=(f"Victim {day}",))])
    settings = load_settings()
    seed = [r.id for r in store.reports(article_id="d10")]
    one_hop = {r.article_id for r in merge.neighbourhood(store, seed, settings).reports}
    assert one_hop == {"d10", "d11"}
    monkeypatch.setitem(settings.raw, "neighbourhood_hops", 3)
    assert {r.article_id for r in merge.neighbourhood(store, seed, settings).reports} == {"d10", "d11", "d12", "d13"}


def _record_comparisons(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """From now on, the (id, id) of every pair of reports ``merge.compare`` is asked about."""
    compared: list[tuple[str, str]] = []
    real_compare = merge.compare

    def recording(a: IncidentReport, b: IncidentReport, settings: object = None) -> object:
        compared.append((a.id, b.id))
        return real_compare(a, b, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(merge, "compare", recording)
    return compared


def test_a_settled_event_takes_new_sources_without_comparing_its_members_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A widely reported incident: once an event has settled_event_size sources, an update compares the new
    report with each member once, never the members with each other, and keeps their merge reasons."""
    import json

    monkeypatch.setitem(load_settings().raw, "settled_event_size", 4)
    with Store(tmp_path / "m.db") as s:
        for art, reports in raid_articles():
            ingest(s, art, reports)
        [before] = s.event_rows()
        compared = _record_comparisons(monkeypatch)
        text = "Medics in Jenin said five people were killed in Tuesday's Israeli raid on the camp."
        ingest(s, article("a5", "Night Desk", "2024-03-12", text),
               [make_report("a5", text, place=JENIN_CAMP, killed=(5, 5), claimant="medics")])
        [event] = events_of(s)
        assert event["members"] == ["a1#0", "a2#0", "a3#0", "a4#0", "a5#0"]
        assert compared and all("a5#0" in pair for pair in compared)  # never two old members
        [after] = s.event_rows()
        old_reasons = json.loads(before["merge_reasons"])
        assert json.loads(after["merge_reasons"])[:3] == old_reasons
        assert len(json.loads(after["merge_reasons"])) == 4


def test_events_below_the_settled_size_are_re_clustered_from_their_reports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(load_settings().raw, "settled_event_size", 20)
    with Store(tmp_path / "m.db") as s:
        for art, reports in raid_articles():
            ingest(s, art, reports)
        near = merge.neighbourhood(s, ["a1#0"], load_settings())
        assert near.settled(20) == []
        assert near.settled(4) == [["a1#0", "a2#0", "a3#0", "a4#0"]]


def test_in_a_busy_neighbourhood_only_pairs_with_a_new_report_are_compared(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(load_settings().raw, "exact_neighbourhood_size", 2)
    with Store(tmp_path / "m.db") as s:
        *first, (last, last_reports) = raid_articles()
        for art, reports in first:
            ingest(s, art, reports)
        compared = _record_comparisons(monkeypatch)
        ingest(s, last, last_reports)
        assert compared and all("a4#0" in pair for pair in compared)
        [event] = events_of(s)  # the new report still joins the stored event
        assert event["members"] == ["a1#0", "a2#0", "a3#0", "a4#0"]


def _large_raid_store(path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The four-outlet raid stored as one event, with settled_event_size 2: an update reads two members."""
    monkeypatch.setitem(load_settings().raw, "settled_event_size", 2)
    s = Store(path)
    for art, reports in raid_articles():
        ingest(s, art, reports)
    [event] = events_of(s)
    assert event["members"] == ["a1#0", "a2#0", "a3#0", "a4#0"]
    near = merge.neighbourhood(s, ["a1#0"], load_settings())
    assert near.partial == {event["id"]}
    assert sorted(r.id for r in near.reports) == ["a1#0", "a2#0"]  # a4#0, with the highest toll, is not read
    return s


MEDICS = "Medics in Jenin said five people were killed in Tuesday's Israeli raid on the camp."


@pytest.mark.parametrize("digest_stored", [True, False])
def test_a_large_event_takes_a_source_without_reading_its_other_members(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, digest_stored: bool) -> None:
    """Above settled_event_size sources an update reads only the event's first members; its figures come from
    its stored digest plus the new source (or, for an event stored without a digest, from all its members),
    and equal what merging everything from scratch gives."""
    with _large_raid_store(tmp_path / "m.db", monkeypatch) as s:
        if not digest_stored:  # as in a database written before digests were kept
            s.conn.execute("UPDATE events SET digest = NULL")
        read: list[str] = []  # reports read by id, and events read whole
        real_by_ids, real_reports = s.reports_by_ids, s.reports

        def by_ids(report_ids: list[str], detail: str = "full") -> list[IncidentReport]:
            read.extend(report_ids)
            return real_by_ids(report_ids, detail)  # type: ignore[arg-type]

        def reports(**kwargs: Any) -> list[IncidentReport]:
            if kwargs.get("event_id"):
                read.append(kwargs["event_id"])
            return real_reports(**kwargs)

        monkeypatch.setattr(s, "reports_by_ids", by_ids)
        monkeypatch.setattr(s, "reports", reports)
        ingest(s, article("a5", "Night Desk", "2024-03-12", MEDICS),
               [make_report("a5", MEDICS, place=JENIN_CAMP, killed=(5, 5), claimant="medics")])
        assert "a4#0" not in read
        assert [x for x in read if x.startswith("ev-")] == ([] if digest_stored else [event_id_for(s.reports(
            article_id="a1"))])
        [event] = events_of(s)
        assert event["members"] == ["a1#0", "a2#0", "a3#0", "a4#0", "a5#0"]
        assert (event["low"], event["high"], event["best"], event["disputed"]) == (4, 9, 9, 1)  # a4#0 unread
        [row] = s.event_rows()
        reasons = row["merge_reasons"]
        assert rebuild_events(s) == 1
        assert events_of(s) == [event]
        assert s.event_rows()[0]["merge_reasons"] == reasons


def test_a_new_first_source_renames_a_large_event_and_moves_every_member(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The event id follows the earliest member: a source that sorts first gives the event a new id, and the
    members the update did not read are moved to it too."""
    with _large_raid_store(tmp_path / "m.db", monkeypatch) as s:
        ingest(s, article("a0", "Night Desk", "2024-03-12", MEDICS),
               [make_report("a0", MEDICS, place=JENIN_CAMP, killed=(5, 5), claimant="medics")])
        [event] = events_of(s)
        assert event["id"] == event_id_for(s.reports(article_id="a0"))
        assert event["members"] == ["a0#0", "a1#0", "a2#0", "a3#0", "a4#0"]
        assert s.conn.execute("SELECT count(*) FROM reports WHERE event_id IS NULL").fetchone()[0] == 0
        assert len(json.loads(s.event_rows()[0]["merge_reasons"])) == 4  # a1#0 now has a reason, a0#0 none


def test_an_update_leaves_events_it_does_not_change_unwritten(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A new report that is a candidate of a stored event but does not join it: that event is not rewritten."""
    with Store(tmp_path / "m.db") as s:
        for art, reports in raid_articles():
            ingest(s, art, reports)
        written: list[str] = []
        real_replace = s.replace_events

        def recording(events: list, **kwargs: object) -> None:
            written.extend(e.id for e in events)
            real_replace(events, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(s, "replace_events", recording)
        text = "Gunmen clashed with troops in Qabatiya on Tuesday; no casualties were reported."
        qabatiya = Place("Qabatiya", 32.4100, 35.2810, "PSE", admin1="Jenin")  # 6 km south of Jenin
        ingest(s, article("q1", "City Daily", "2024-03-12", text), [make_report("q1", text, place=qabatiya)])
        raid_id = event_id_for(s.reports(article_id="a1"))
        assert raid_id in merge.neighbourhood(s, ["q1#0"], load_settings()).events  # it was looked at
        [raid] = [e for e in events_of(s) if e["id"] == raid_id]
        assert raid["members"] == ["a1#0", "a2#0", "a3#0", "a4#0"]
        assert written == [event_id_for(s.reports(article_id="q1"))]  # only the new event was written


def test_an_incident_whose_id_changes_leaves_a_redirect(tmp_path: Path) -> None:
    """Links keep working: when an earlier source joins and the id changes, the old id leads to the new one."""
    from fastapi.testclient import TestClient

    from sitrep.dataset.read import Dataset
    from sitrep.web import create_app

    t = RAID_TEXTS
    with Store(tmp_path / "r.db") as s:
        ingest(s, article("b2", "City Daily", "2024-03-12", t["a2"]),
               [make_report("b2", t["a2"], place=JENIN, killed=(5, 5), claimant="hospital director")])
        [old_id] = [e["id"] for e in events_of(s)]
        ingest(s, article("a1", "Wire One", "2024-03-12", t["a1"]),
               [make_report("a1", t["a1"], place=JENIN_CAMP, killed=(4, 4), claimant="Israeli military")])
        [new_id] = [e["id"] for e in events_of(s)]
        assert new_id != old_id and s.redirected_event_id(old_id) == new_id
        found = Dataset(s.conn).find(old_id)
        assert found is not None and found.id == new_id
    with TestClient(create_app(tmp_path / "r.db", allowed_hosts=["testserver"])) as client:
        page = client.get(f"/incidents/{old_id}", follow_redirects=False)
        api = client.get(f"/api/incidents/{old_id}", follow_redirects=False)
    assert page.status_code == api.status_code == 308
    assert page.headers["location"] == f"/incidents/{new_id}"
    assert api.headers["location"] == f"/api/incidents/{new_id}"
