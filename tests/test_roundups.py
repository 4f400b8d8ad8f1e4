"""Roundups: one incident per place and day, each with its own figures, when the places are villages no
gazetteer holds; a lead total that sums the items is nobody's toll; sums over several clashes are tallies;
claims with an aside between the number and its verb. The articles are written for these tests.
"""

from __future__ import annotations

import pytest
from test_incidents import _extract

from sitrep.extract import Extractor
from sitrep.extract.claims import SentenceClaims
from sitrep.extract.dates import resolve_dates
from sitrep.extract.numbers import find_quantities
from sitrep.extract.tallies import tally_clause
from sitrep.records import ArticleExtraction


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _tolls(result: ArticleExtraction) -> dict[str, int | None]:
    return {r.place.name if r.place else "?": (r.fatalities.best if r.fatalities else None) for r in result.reports}


def _ranges(result: ArticleExtraction) -> list[tuple[int, int | None]]:
    return sorted((r.fatalities.low, r.fatalities.high) for r in result.reports if r.fatalities)


def _claims(sentence: str) -> list[tuple[int, str]]:
    hits = SentenceClaims(sentence, 0, len(sentence)).find(find_quantities(sentence))
    return [(h.claim.count, h.claim.outcome) for h in hits if not h.claim.vague]


SAHEL_VILLAGES = (
    "Jihadists kill 11 in two Burkina villages\n"
    "Suspected jihadists killed 11 civilians in attacks on two villages in Burkina Faso's Sahel region on "
    "Saturday, security sources said on Monday.\n"
    "Eight people were killed in the village of Wendou Tiali, where the attackers also burned the market.\n"
    "Three others died in the village of Sabce Nakoure, a local official said.\n"
)


def test_unknown_villages_of_a_roundup_are_incidents_of_their_own(extractor: Extractor) -> None:
    tolls = _tolls(_extract(extractor, SAHEL_VILLAGES, "2025-03-17"))
    assert tolls.get("Wendou Tiali") == 8 and tolls.get("Sabce Nakoure") == 3, tolls
    assert 11 not in tolls.values()  # the lead's sum is no incident's toll


LEBANON_STRIKES = (
    "Israeli strikes kill four in south Lebanon\n"
    "Israeli strikes killed four people in Lebanon's south on Monday, the health ministry said.\n"
    "A drone strike on a motorcycle near the village of Ain Qasrawi killed one man, the ministry said.\n"
    "Separately, an air strike on a house in the village of Deir Samaan killed three people.\n"
)


def test_a_lead_total_summing_the_items_is_nobodys_toll(extractor: Extractor) -> None:
    tolls = _tolls(_extract(extractor, LEBANON_STRIKES, "2025-06-02"))
    assert tolls.get("Ain Qasrawi") == 1 and tolls.get("Deir Samaan") == 3, tolls


KADUNA_ITEMS = (
    "Bandits kill five in Kaduna\n"
    "Bandits killed four residents of Kurmin Dangana village in Kajuru Local Government Area of Kaduna State, "
    "the state government said on Sunday.\n"
    "In another incident, gunmen killed a trader on a road in Tafawa Mahuta Local Government Area.\n"
)


def test_another_incident_in_another_unknown_district_is_split(extractor: Extractor) -> None:
    result = _extract(extractor, KADUNA_ITEMS, "2025-01-12")
    assert sorted(t or 0 for t in _tolls(result).values()) == [1, 4], _tolls(result)


def test_days_after_recalls_an_older_event_whose_toll_stays_apart(extractor: Extractor) -> None:
    text = ("Gunmen killed six police officers at a checkpoint in Tank district on Tuesday, officials said.\n"
            "The attack came days after 14 soldiers and 20 militants were killed in a gunfight elsewhere in the "
            "province.\n")
    result = _extract(extractor, text, "2025-05-07")
    assert [r.fatalities.best if r.fatalities else None for r in result.reports] == [6]


def test_a_capital_that_acts_is_the_government_not_the_scene(extractor: Extractor) -> None:
    text = "Drones killed two people overnight in Kherson, officials said, as Moscow stepped up its attacks.\n"
    result = _extract(extractor, text, "2025-02-03")
    assert [r.place.name for r in result.reports if r.place] == ["Kherson"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("At least 14 people, some of them children, were killed on Friday.", [(14, "killed")]),
    ("Six people, most of them farmers, were injured in the attack.", [(6, "injured")]),
    ("Four people, including a nurse, were fatally shot at the clinic.", [(4, "killed")]),
    ("Gunmen fatally shot three traders at the market.", [(3, "killed")]),
    ("A local chief put the number of fatalities at 30.", [(30, "killed")]),
    ("Nine villagers were hacked to death overnight.", [(9, "killed")]),
])
def test_figures_with_an_aside_or_a_fatal_verb(sentence: str, expected: list[tuple[int, str]]) -> None:
    assert _claims(sentence) == expected


def test_figures_listed_by_place_take_the_first_figures_outcome() -> None:
    assert _claims("Officials said 12 were killed in Tinkare, 9 in Boulsa Peulh and three in Dagou.") == [
        (12, "killed"), (9, "killed"), (3, "killed")]
    assert _claims("Bandits killed six in Kwara and seized 4 cows in Dutse.") == [(6, "killed")]


def test_a_sentence_listing_figures_by_place_gives_one_incident_each(extractor: Extractor) -> None:
    text = ("Gunmen raid Zamfara hamlets\n"
            "Gunmen attacked farming hamlets in Zamfara State on Tuesday, killing at least 20 people, police said.\n"
            "A police spokesman said 11 were killed in Tungar Kaya, seven in Dan Zomo and two in Rafin Kaura.\n")
    result = _extract(extractor, text, "2024-03-14")
    assert _tolls(result) == {"Tungar Kaya": 11, "Dan Zomo": 7, "Rafin Kaura": 2}
    assert {r.date.date for r in result.reports} == {"2024-03-12"}


def test_a_toll_broken_down_by_place_gives_one_incident_per_place(extractor: Extractor) -> None:
    text = ("Jihadists kill ten in two Burkina villages\n"
            "Jihadists attacked two villages of the Sourou province on Saturday, residents said.\n"
            "The toll has climbed to ten dead, six in Kiembara and four in Toeni, a local official said.\n")
    result = _extract(extractor, text, "2024-03-18")
    assert _tolls(result) == {"Kiembara": 6, "Toeni": 4}
    assert _claims("The toll rose to ten dead: six in Kiembara and four in Toeni.") == [
        (10, "killed"), (6, "killed"), (4, "killed")]
    assert _claims("Ten people died, six of them in Kiembara and four in Toeni.")[0] == (10, "killed")


@pytest.mark.parametrize(("sentence", "tally"), [
    ("Nine troopers and 22 insurgents died in several separate firefights in the hills over the past week, "
     "the army said.", True),
    ("Gunmen killed five villagers in Bakori and seven villagers in Dandume in two separate attacks on Sunday.",
     False),
])
def test_a_sum_over_all_sides_of_several_clashes_is_a_tally(sentence: str, tally: bool) -> None:
    assert tally_clause(sentence, 0, len(sentence)) is tally


@pytest.mark.parametrize(("text", "day"), [
    ("Soldiers raided the camp overnight, killing two men, residents said on Friday.\n", "2025-04-10"),
    ("The raid, launched overnight and lasting into Friday, killed two men, residents said.\n", "2025-04-11"),
    ("Fighting that began overnight and raged until dawn killed five fighters, officials said.\n", "2025-04-11"),
])
def test_a_night_that_ran_into_the_day_is_dated_to_that_day(extractor: Extractor, text: str, day: str) -> None:
    result = _extract(extractor, text, "2025-04-11")
    assert [r.date.date for r in result.reports] == [day]


def test_a_rank_abbreviation_ends_no_sentence_so_the_soldier_counts(extractor: Extractor) -> None:
    text = ("Two militants were killed in a raid on a hideout in Tubas on Monday, officials said.\n"
            "During the raid an Israeli soldier, St.-Sgt. Avi Mizrahi, 22, was killed by gunfire, the army said.\n")
    result = _extract(extractor, text, "2025-09-09")
    assert [r.fatalities.best if r.fatalities else None for r in result.reports] == [3]


def test_a_night_between_two_named_days_spans_both() -> None:
    refs = resolve_dates("Troops raided the camp overnight Tuesday-Wednesday, the army said.", "2025-04-10")
    assert (refs[0].date, refs[0].date_end) == ("2025-04-08", "2025-04-09")


def test_a_total_across_a_named_region_gives_way_to_the_items(extractor: Extractor) -> None:
    text = ("A day of violence across northern Mexico killed at least 9 people, officials said on Tuesday.\n"
            "In Culiacan, gunmen killed six men at a car wash on Monday.\n"
            "In Hermosillo, three police officers were shot dead at a checkpoint on Monday.\n")
    tolls = _tolls(_extract(extractor, text, "2025-04-08"))
    assert tolls.get("Culiacán", tolls.get("Culiacan")) == 6 and 9 not in tolls.values(), tolls


def test_the_wounded_of_a_roundup_total_are_a_sum_too(extractor: Extractor) -> None:
    text = ("Gunmen attacked farming villages in Niger's Tillaberi region this week, killing at least 21 people "
            "and wounding at least six, officials said on Friday.\n"
            "An official said 12 were killed in Bossey, seven in Tondikiwindi and two in Wanzerbe.\n")
    result = _extract(extractor, text, "2024-03-15")
    assert all(r.injuries is None for r in result.reports), [(r.place and r.place.name, r.injuries)
                                                            for r in result.reports]


def test_the_victims_of_violence_against_civilians_are_civilians(extractor: Extractor) -> None:
    text = ("Gunmen raid Sokoto hamlets\n"
            "Gunmen on motorbikes raided hamlets in Sokoto State on Sunday, police said.\n"
            "A police spokesman said nine were killed in Gidan Bature and four in Rafin Duma.\n")
    attacks = [r for r in _extract(extractor, text, "2024-03-12").reports
               if r.event_type == "Violence against civilians"]
    assert attacks and all("Civilians (Nigeria)" in [a.name for a in r.actors] for r in attacks)


def test_a_later_rival_toll_is_no_roundup_total(extractor: Extractor) -> None:
    text = ("Air strikes on a market in the town of Maarat Misrin killed at least eight people on Sunday, rescuers "
            "said.\n"
            "A monitoring group based in Britain put the toll at 12, including three children.\n"
            "Separately, shelling on the town of Ariha killed two people, rescuers said.\n")
    ranges = _ranges(_extract(extractor, text, "2025-06-02"))
    assert ranges == [(2, 2), (8, 12)], ranges


def test_an_item_opening_on_another_state_is_its_own_incident(extractor: Extractor) -> None:
    text = ("Gunmen killed seven police officers in an ambush in the town of Zitacuaro on Monday, officials said.\n"
            "In Sonora state, four people were shot dead at a party and two others were wounded, prosecutors "
            "said.\n")
    result = _extract(extractor, text, "2025-03-04")
    figures = sorted((r.fatalities.best if r.fatalities else None, r.injuries.best if r.injuries else None)
                     for r in result.reports)
    assert figures == [(4, 2), (7, None)], figures


TWO_STATES = (
    "Gunmen kill 23 in Benue, Plateau\n"
    "Gunmen have killed at least 23 villagers in Benue and Plateau states during a dawn raid on Sunday.\n"
    "Four vigilantes were among the 19 victims killed at Obagaji in Agatu area of Benue State.\n"
    "In Plateau State, four farmers were killed in Bokkos town, police said.\n"
)


def test_a_lead_total_over_two_states_is_no_towns_toll(extractor: Extractor) -> None:
    spans = _ranges(_extract(extractor, TWO_STATES, "2025-06-02"))
    assert spans == [(4, 4), (19, 19)], spans  # the lead's 23 is in no range


OPERATIONS = (
    "Troops kill 30 insurgents in two operations\n"
    "At least 30 insurgents were killed during two military operations in the north-east, the army said.\n"
    "The first operation took place on March 3 near the town of Kala Dabeji in Borno State, when fighters "
    "attacked a patrol. Soldiers killed at least 18 of them.\n"
    "The second operation took place on March 5. Air and ground forces eliminated a group of insurgents moving "
    "stolen cattle in the Kirawa Dutse area of Borno State. At least 12 insurgents were killed during the operation.\n"
)


def test_the_second_operation_on_another_day_is_its_own_incident(extractor: Extractor) -> None:
    reports = _extract(extractor, OPERATIONS, "2025-03-07").reports
    found = sorted((r.date.date, (r.fatalities.low, r.fatalities.high) if r.fatalities else None) for r in reports)
    assert found == [("2025-03-03", (18, 18)), ("2025-03-05", (12, 12))], found  # the lead's 30 is a total
    second = next(r for r in reports if r.date.date == "2025-03-05")
    assert second.place is not None and second.place.name == "Kirawa Dutse"
