"""How an article's sentences become incidents and how each is dated: roundups split by (place, day),
each incident keeping its own figures; recalled older events kept apart; report days, dateline days
and the publication day kept from taking the incident's day. The articles are written for these tests.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from sitrep.extract import Extractor
from sitrep.extract.dates import in_dateline, resolve_dates
from sitrep.records import Article, ArticleExtraction, IncidentReport


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _extract(extractor: Extractor, text: str, published: str | None) -> ArticleExtraction:
    article = Article(id="t", text=text, raw=text, content_hash="h", source="test", published=published)
    return extractor.extract(article)


def _at(result: ArticleExtraction, name: str) -> IncidentReport:
    found = [r for r in result.reports if r.place and r.place.name == name]
    assert len(found) == 1, [(r.place and r.place.name, r.date.date) for r in result.reports]
    return found[0]


def _killed(report: IncidentReport) -> int | None:
    return report.fatalities.best if report.fatalities else None


NIGERIA_ROUNDUP = (
    "Gunmen kill 19 in attacks on Plateau villages\n"
    "Gunmen killed at least 19 people in separate attacks on villages in Plateau State on Sunday, a police "
    "spokesman said on Monday.\n"
    "In Riyom, attackers on motorcycles opened fire on worshippers leaving a church, killing 11 people.\n"
    "In Mangu, eight people were killed when gunmen stormed a weekly market in the evening.\n"
    "Residents said soldiers arrived hours after the attackers had left.\n"
)


def test_roundup_gives_one_incident_per_place_with_its_own_toll(extractor: Extractor) -> None:
    result = _extract(extractor, NIGERIA_ROUNDUP, "2024-03-11")
    riyom, mangu = _at(result, "Riyom"), _at(result, "Mangu")
    assert (_killed(riyom), _killed(mangu)) == (11, 8)
    assert riyom.date.date == mangu.date.date == "2024-03-10"
    assert all(_killed(r) != 19 for r in result.reports)  # the roundup's total is nobody's toll


def test_roundup_item_at_an_unknown_village_keeps_its_toll_apart(extractor: Extractor) -> None:
    text = NIGERIA_ROUNDUP.replace("In Riyom,", "In Tudun Kwarandi,")  # a village no gazetteer holds
    result = _extract(extractor, text, "2024-03-11")
    assert _killed(_at(result, "Mangu")) == 8
    assert sorted(_killed(r) or 0 for r in result.reports) == [8, 11]


UKRAINE_OVERNIGHT = (
    "Russian drones and missiles hit Ukrainian cities overnight\n"
    "KYIV, Ukraine (AP) — Russian drones and missiles struck several regions of Ukraine overnight, killing "
    "at least seven people, officials said on Tuesday.\n"
    "In Kharkiv, a drone hit an apartment block, killing three people and wounding 12, the regional governor "
    "said.\n"
    "In Odesa, four people were killed when a missile struck a port warehouse, the city's mayor said.\n"
)


def test_overnight_strikes_on_several_cities_are_split(extractor: Extractor) -> None:
    result = _extract(extractor, UKRAINE_OVERNIGHT, "2024-07-09")
    kharkiv, odesa = _at(result, "Kharkiv"), _at(result, "Odesa")
    assert _killed(kharkiv) == 3 and kharkiv.injuries and kharkiv.injuries.best == 12
    assert _killed(odesa) == 4
    assert kharkiv.date.date == "2024-07-08"  # overnight Monday-Tuesday: the night's first day


MYANMAR_BACKGROUND = (
    "Junta air strike kills nine villagers in Sagaing\n"
    "A military air strike killed nine villagers in Kanbalu township of Sagaing Region on Wednesday, "
    "residents told reporters.\n"
    "The jet dropped two bombs on the village as people gathered for a funeral, a resident said.\n"
    "Last Saturday, a similar strike on a monastery near Monywa killed four people, according to local "
    "media.\n"
    "The bodies of the nine victims were buried on Thursday.\n"
)


def test_background_strike_on_another_day_in_another_town_is_its_own(extractor: Extractor) -> None:
    result = _extract(extractor, MYANMAR_BACKGROUND, "2023-04-14")  # a Friday
    main, earlier = _at(result, "Kanbalu"), _at(result, "Monywa")
    assert (main.date.date, _killed(main)) == ("2023-04-12", 9)
    assert (earlier.date.date, _killed(earlier)) == ("2023-04-08", 4)


MALI_RECALL = (
    "BAMAKO, March 3 (Reuters) - Suspected jihadists killed 14 soldiers in an attack on an army post near "
    "Douentza in central Mali on Saturday, the army said.\n"
    "The attackers arrived on motorbikes before dawn and set fire to two vehicles, the army said.\n"
    "Earlier in February, 30 civilians died in a spate of attacks in the Mopti region.\n"
    "Violence linked to armed groups has killed thousands of people in Mali since 2012.\n"
)


def test_recalled_month_neither_dates_nor_adds_to_the_main_incident(extractor: Extractor) -> None:
    result = _extract(extractor, MALI_RECALL, "2025-03-03")
    assert len(result.reports) == 1
    main = result.reports[0]
    assert (main.date.date, main.date.precision, _killed(main)) == ("2025-03-01", "day", 14)


PAKISTAN_YEAR_RECALL = (
    "Bomb kills six at Bannu police checkpoint\n"
    "A roadside bomb killed six police officers at a checkpoint in Bannu, police said.\n"
    "The blast destroyed a police vehicle and damaged nearby shops.\n"
    "The district has seen some of the worst violence in the province, including the 2014 school massacre "
    "in Peshawar that killed nearly 150 people.\n"
)


def test_an_event_named_by_its_year_is_no_incident_of_this_article(extractor: Extractor) -> None:
    result = _extract(extractor, PAKISTAN_YEAR_RECALL, None)
    assert [(r.place and r.place.name, _killed(r)) for r in result.reports] == [("Bannu", 6)]


COLOMBIA_DATES = (
    "Two police officers killed in Cauca ambush\n"
    "Two police officers were killed and three wounded when dissidents ambushed their patrol near Suárez "
    "in Cauca department, the national police said on Thursday.\n"
    "The ambush took place on Tuesday afternoon on a rural road, police said.\n"
)


def test_sentence_without_figures_dates_the_incident(extractor: Extractor) -> None:
    result = _extract(extractor, COLOMBIA_DATES, "2024-05-17")  # a Friday
    assert [r.date.date for r in result.reports] == ["2024-05-14"]


def test_report_day_is_a_fallback_before_the_publication_day(extractor: Extractor) -> None:
    text = ("Gunmen killed five farmers in Konduga, in Borno State, a local official said on Sunday.\n"
            "The farmers were working in their fields when the attackers arrived.\n")
    result = _extract(extractor, text, "2024-06-04")  # a Tuesday
    assert [r.date.date for r in result.reports] == ["2024-06-02"]


def test_a_date_after_said_that_is_the_day_of_what_was_said(extractor: Extractor) -> None:
    text = ("Rebels kill two soldiers in Borno\n\n"
            "Rebels killed two soldiers in Borno State, officials said on Monday.\n\n"
            "A rebel spokesman said that on June 1, his fighters ambushed an army patrol near Konduga and killed "
            "two soldiers.\n")
    result = _extract(extractor, text, "2024-06-04")
    assert [r.date.date for r in result.reports] == ["2024-06-01"]


@pytest.mark.parametrize(("text", "published", "day"), [
    # a day set off by commas before "reported" is the report day (published on a Wednesday)
    ("Gunmen kill six at a wedding in Burkina Faso\n\n"
     "The state broadcaster RTB, on Wednesday, reported that gunmen killed six guests at a wedding in "
     "Dori on Tuesday.\n", "2024-06-05", "2024-06-04"),
    # the day inside the clause of the figure, after "after", dates the incident
    ("Troops comb Yala for bombers\n\n"
     "Troops began a search in Yala province today after three rangers were killed in a roadside bombing "
     "yesterday.\n", "2024-06-05", "2024-06-04"),
    # a sentence that says when they attacked dates the incident (published on a Friday)
    ("Gunmen kill seven in Haitian town\n\n"
     "Gunmen killed seven people in a town in central Haiti, a local official said on Thursday.\n\n"
     "The gang attacked on Wednesday evening in Liancourt, a farming town of the Artibonite region.\n",
     "2024-06-07", "2024-06-05"),
], ids=["report-day-set-off-by-commas", "day-of-the-after-clause", "day-they-attacked"])
def test_the_incidents_own_day_among_other_days(extractor: Extractor, text: str, published: str, day: str) -> None:
    result = _extract(extractor, text, published)
    assert [r.date.date for r in result.reports] == [day]


def test_the_day_bodies_were_found_is_not_the_day_of_the_killing(extractor: Extractor) -> None:
    text = ("Rebels kill nine villagers in Ituri\n\n"
            "Rebels killed nine villagers in Mambasa territory on Sunday, local officials said.\n\n"
            '"On Monday, we found the bodies of nine civilians, including four women," a local chief said.\n')
    result = _extract(extractor, text, "2024-06-04")  # a Tuesday
    assert [(r.date.date, _killed(r)) for r in result.reports] == [("2024-06-02", 9)]


def test_a_claim_repeating_a_tally_is_no_incidents_toll(extractor: Extractor) -> None:
    text = ("Rebel shelling kills six in Taiz\n\n"
            "The army said it had killed 40 rebels in an operation near Taiz.\n\n"
            "Rebel shelling killed six civilians in a market in Taiz on Sunday, medics said.\n\n"
            "The army said 40 rebels were killed in operations over the past 24 hours around the city.\n")
    result = _extract(extractor, text, "2024-06-04")
    assert [_killed(r) for r in result.reports] == [6]
    assert [t.count for t in result.tallies] == [40]


def test_the_israeli_air_strike_points_back_to_the_incident() -> None:
    from sitrep.extract.incidents import sentence_flags

    _, _, anaphora, _ = sentence_flags("Medics said 30 people were killed by the Israeli air strike.")
    assert anaphora
    assert not sentence_flags("Medics said 30 people were killed in Gaza on Monday.")[2]


def test_a_place_before_a_run_ministry_is_its_seat() -> None:
    from sitrep.extract.incidents import CLAIMANT_PLACE

    assert CLAIMANT_PLACE.match("’s Hamas-run health ministry said")  # "Gaza’s Hamas-run health ministry"
    assert CLAIMANT_PLACE.match("'s Houthi-controlled interior ministry")
    assert not CLAIMANT_PLACE.match("'s main market")


def test_date_of_a_named_older_event_does_not_date_the_story(extractor: Extractor) -> None:
    text = ("An air strike on a house in Gwoza killed seven people, residents said.\n"
            "The army said the strike killed a commander it blamed for the attacks of 14 April on a school.\n")
    result = _extract(extractor, text, "2024-09-20")
    assert [r.date.date for r in result.reports] == ["2024-09-20"]


def test_another_day_with_its_own_figure_is_another_incident(extractor: Extractor) -> None:
    text = ("Gunmen killed four people in Riyom on Friday, police said on Saturday.\n"
            "On Wednesday, three other villagers were killed by gunmen in the same area, residents said.\n")
    result = _extract(extractor, text, "2024-08-10")
    days = sorted((r.date.date, _killed(r)) for r in result.reports)
    assert days == [("2024-08-07", 3), ("2024-08-09", 4)]


def test_victims_home_district_is_not_the_incident_place(extractor: Extractor) -> None:
    text = ("Two soldiers were killed on Saturday when a bomb hit their vehicle near Maiduguri, the army said.\n"
            "One of the slain soldiers hailed from Bokkos in Plateau State.\n")
    result = _extract(extractor, text, "2024-06-09")
    assert [r.place.name for r in result.reports if r.place] == ["Maiduguri"]


# -- dates ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["PESHAWAR, Oct 12 (Reuters) - A bomb", "Abuja [Nigeria], May 4 (ANI): Gunmen", "GAO, Mali, June 2 — The"],
)
def test_dateline_days_are_recognised(text: str) -> None:
    (ref,) = resolve_dates(text, "2024-10-12")
    assert ref.evidence is not None and in_dateline(text, ref.evidence.start, ref.evidence.end)


def test_a_day_in_running_text_is_no_dateline() -> None:
    text = "Gunmen attacked the village on May 4 - residents said the army came late."
    (ref,) = resolve_dates(text, "2024-05-10")
    assert ref.evidence is not None and not in_dateline(text, ref.evidence.start, ref.evidence.end)


def test_weekday_gives_the_year_of_an_undated_article() -> None:
    (ref,) = resolve_dates("Two gendarmes died on Thursday, Sept. 16, when their patrol hit a mine.", None)
    day = dt.date.fromisoformat(ref.date or "")
    assert (day.month, day.day, day.weekday()) == (9, 16, 3) and day <= dt.date.today()
    assert resolve_dates("The soldiers were killed on Sept. 16.", None)[0].date is None


def test_two_strikes_at_one_place_on_one_day_add_up(extractor: Extractor) -> None:
    text = ("Shelling kills nine in El Fasher\n"
            "Artillery shells hit a crowded market in El Fasher on Sunday, killing six people, medics said.\n"
            "Another shell struck a clinic nearby an hour later, killing three patients, the medics added.\n")
    result = _extract(extractor, text, "2024-06-10")
    assert [(r.date.date, _killed(r)) for r in result.reports] == [("2024-06-09", 9)]


def test_rival_figures_of_one_strike_do_not_add_up(extractor: Extractor) -> None:
    text = ("A missile strike on a shopping centre in Kharkiv killed six people on Sunday, the governor said.\n"
            "The city's mayor said eight people had been killed in the strike.\n")
    result = _extract(extractor, text, "2024-06-10")
    assert [(r.fatalities.low, r.fatalities.high) for r in result.reports if r.fatalities] == [(6, 8)]


def test_overnight_between_two_named_days_is_the_first_day() -> None:
    refs = resolve_dates("Gunmen raided the village overnight Thursday and Friday, residents said.", "2023-02-14")
    assert refs[0].date == "2023-02-09"


def test_a_file_photo_caption_neither_places_nor_dates_the_incident(extractor: Extractor) -> None:
    text = ("Bandits kill six in Katsina village\n"
            "Soldiers stand guard at a checkpoint in Kaduna, Nigeria, March 3, 2019. REUTERS/John Smith\n"
            "Bandits killed six villagers in an attack on a village near Katsina on Sunday, police said.\n")
    result = _extract(extractor, text, None)
    assert [(r.place and r.place.name, r.date.date, _killed(r)) for r in result.reports] == [("Katsina", None, 6)]


def test_undated_article_is_read_near_the_latest_full_date_it_names(extractor: Extractor) -> None:
    text = ("Troops pull out of Jenin camp after two-day raid\n"
            "The army said on 4 July 2023 that its forces had begun to leave the camp.\n"
            "Twelve fighters were killed in the raid, and a soldier was killed in a gunfight on Tuesday evening.\n")
    result = _extract(extractor, text, None)
    assert [r.date.date for r in result.reports] == ["2023-07-04"]
    caption_only = text.replace("The army said on 4 July 2023 that its forces had begun to leave the camp.",
                                "Soldiers patrol in Jenin, 4 July 2023. REUTERS/Jane Doe")
    assert [r.date.date for r in _extract(extractor, caption_only, None).reports] == [None]


def test_day_a_toll_was_given_and_a_month_tally_do_not_date_the_ambush(extractor: Extractor) -> None:
    text = ("Insurgents in Cabo Delgado have killed nine soldiers, according to the latest count.\n"
            "On Wednesday the provisional toll stood at three; officials now count nine troops killed in the "
            "province over the past month.\n"
            "A local official said the patrol came under fire near Macomia on Tuesday night.\n")
    result = _extract(extractor, text, "2024-05-16")  # a Thursday
    assert [(r.place and r.place.name, r.date.date) for r in result.reports] == [("Macomia", "2024-05-14")]


def test_story_in_a_neighbouring_country_is_its_own_incident(extractor: Extractor) -> None:
    text = ("A roadside bomb killed five policemen in Quetta, in south-western Pakistan, on Monday, officials said.\n"
            "The policemen were on their way to a checkpoint when the bomb went off.\n"
            "Meanwhile in Afghanistan, police said on Monday that eight civilians had been killed by gunmen.\n"
            "The attack on Sunday near Jalalabad targeted a wedding party, a police spokesman said.\n")
    result = _extract(extractor, text, "2024-04-15")  # a Monday
    got = sorted((_ascii(r.place.name) if r.place else "", r.date.date, _killed(r)) for r in result.reports)
    assert got == [("Jalalabad", "2024-04-14", 8), ("Quetta", "2024-04-15", 5)]


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def test_a_capital_speaking_for_its_government_is_not_a_scene(extractor: Extractor) -> None:
    text = ("Drone strike kills four in Belgorod region\n"
            "A drone struck a bus station in Shebekino in Russia's Belgorod region on Tuesday, killing four people, "
            "the regional governor said. Moscow will raise the attack at the United Nations, a foreign ministry "
            "spokeswoman said, and Kyiv denied targeting civilians.")
    names = {r.place.name for r in _extract(extractor, text, "2024-05-14").reports if r.place}
    assert "Shebekino" in names and not names & {"Moscow", "Kyiv"}


def test_where_the_wounded_were_transported_is_not_the_scene(extractor: Extractor) -> None:
    text = ("Three soldiers were killed and five wounded when rebels ambushed a patrol near Kalilangan on Saturday, "
            "the army said. The wounded were transported by helicopter to Cagayan de Oro for treatment.")
    names = [r.place.name for r in _extract(extractor, text, "2021-03-07").reports if r.place]
    assert names and "Cagayan de Oro" not in names


def test_the_hospital_a_place_names_is_where_the_wounded_went_not_the_scene(extractor: Extractor) -> None:
    text = ("Gang members opened fire on a market in Croix-des-Bouquets on Thursday, killing 10 people, witnesses "
            "said.\nAt least 17 people were injured and rushed to the Hope ACF Martissant hospital in the capital, "
            "hospital sources said.")
    reports = [(r.place.name, r.injuries.best if r.injuries else None)
               for r in _extract(extractor, text, "2024-02-15").reports if r.place]
    assert reports == [("Croix-des-Bouquets", 17)]


def test_unqualified_police_take_the_country_of_the_places_when_no_country_is_named(extractor: Extractor) -> None:
    text = ("Gunmen ambushed police commandos near Jiribam in Manipur on Friday, killing two of them, "
            "officials said.")
    (report,) = _extract(extractor, text, "2024-06-08").reports
    assert "Police Forces of India" in [a.name for a in report.actors]


def test_a_town_is_the_scene_before_the_district_that_holds_it(extractor: Extractor) -> None:
    text = ("Philippine troops clashed with Abu Sayyaf gunmen on Monday in Sulu province's hilly Patikul town, "
            "leaving seven fighters dead, the military said.")
    names = [r.place.name for r in _extract(extractor, text, "2022-03-08").reports if r.place]
    assert names == ["Patikul"]


def test_the_event_an_attack_is_counted_after_keeps_its_own_toll(extractor: Extractor) -> None:
    text = ("The district commissioner of Qansahley in Bay region was among five people killed when militants "
            "stormed an army base on Tuesday, officials said.\n"
            "The attack is the third within a day after troops ended a siege of a hotel in Kismayo on Monday "
            "evening where 11 people were killed.")
    tolls = sorted((_killed(r), r.date.date) for r in _extract(extractor, text, "2023-05-10").reports)
    assert tolls == [(5, "2023-05-09"), (11, "2023-05-08")]


def test_a_weekday_attack_named_later_dates_the_incident(extractor: Extractor) -> None:
    text = ("Masked gunmen kill 9 in Chad village\n"
            "Masked gunmen killed nine people in a village in western Chad, shooting farmers in their fields, "
            "the UN said.\n"
            "Chad's army has long fought armed groups in the region.\n"
            "It was not clear who carried out Saturday's attack, which the army blamed on rebels.\n")
    reports = _extract(extractor, text, "2025-03-11").reports
    assert [r.date.date for r in reports] == ["2025-03-08"]


def test_a_sum_over_attacks_of_one_day_still_dates_them(extractor: Extractor) -> None:
    text = ("Gunmen kill 12 in two attacks in Zamfara\n"
            "Gunmen killed 12 villagers in two attacks on Sunday in Maru area of Zamfara State, police said.\n")
    reports = _extract(extractor, text, "2025-03-12").reports
    assert reports and all(r.date.date == "2025-03-09" for r in reports), [r.date for r in reports]


def test_a_two_day_operation_spans_its_days(extractor: Extractor) -> None:
    text = ("Troops end raid on Tulkarm camp\n"
            "The army said its two-day raid on the Nur Shams camp near Tulkarm ended on Wednesday night, "
            "in which 14 Palestinians were killed, the health ministry said.\n")
    dates = [(r.date.date, r.date.date_end) for r in _extract(extractor, text, "2024-04-19").reports]
    assert dates == [("2024-04-16", "2024-04-17")], dates
