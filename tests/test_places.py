"""Place finding and geocoding across conflicts (texts written for these tests)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sitrep.extract.gazetteer import Gazetteer, normalise
from sitrep.extract.nlp import Annotations
from sitrep.extract.places import find_places, focus_countries, resolve_place
from sitrep.records import Place


def _first(text: str, name: str) -> Place:
    for place in find_places(text):
        if place.name == name:
            return place
    raise AssertionError(f"{name!r} not found in {[p.name for p in find_places(text)]}")


# (text, expected place name, ISO3, admin1 or None to skip, geo_precision)
CASES = [
    # Ukraine
    ("Russian missiles struck Kharkiv overnight, Ukrainian officials said.", "Kharkiv", "UKR", "Kharkiv", 1),
    ("Shelling hit villages in the Kharkiv region on Sunday.", "Kharkiv region", "UKR", "Kharkiv", 3),
    ("Two civilians died in Kharkiv oblast after a drone attack.", "Kharkiv region", "UKR", "Kharkiv", 3),
    ("Fighting raged near Bakhmut as Russian troops pressed on.", "Bakhmut", "UKR", "Donetsk", 2),
    ("Ukrainian soldiers held positions on the outskirts of Avdiivka.", "Avdiivka", "UKR", "Donetsk", 2),
    ("A strike on Vuhledar killed a woman, Ukraine's military said.", "Vuhledar", "UKR", "Donetsk", 1),
    ("Russian forces shelled the Donetsk region, killing three.", "Donetsk region", "UKR", "Donetsk", 3),
    ("Heavy fighting continued across the Donbas, Ukrainian commanders said.", "Donbas", "UKR", None, 3),
    (
        "Explosions were heard in Zaporizhzhia region as Ukrainian units advanced.",
        "Zaporizhzhia region",
        "UKR",
        "Zaporizhzhia",
        3,
    ),
    ("Russian artillery hit Kherson, Ukrainian officials said.", "Kherson", "UKR", "Kherson", 1),
    # Sudan
    ("The RSF shelled El Fasher again, Sudanese doctors said.", "El Fasher", "SDN", "North Darfur", 1),
    ("Sudanese activists said Al Fashir was under siege.", "El Fasher", "SDN", "North Darfur", 1),
    (
        "Drone strikes hit Zamzam camp, home to displaced Sudanese families.",
        "Zamzam camp",
        "SDN",
        "North Darfur",
        1,
    ),
    ("Fighting spread across Darfur, Sudanese aid groups said.", "Darfur", "SDN", None, 3),
    (
        "Paramilitaries took over villages in North Darfur, the Sudanese army said.",
        "North Darfur",
        "SDN",
        "North Darfur",
        3,
    ),
    ("Artillery fell on a market in Omdurman, Sudanese medics said.", "Omdurman", "SDN", "Khartoum", 1),
    (
        "The RSF entered Wad Madani in Gezira state, Sudanese witnesses said.",
        "Wad Madani",
        "SDN",
        "Al Jazirah",
        1,
    ),
    ("Sudanese refugees fled El Geneina for Chad.", "El Geneina", "SDN", "West Darfur", 1),
    # Sahel
    ("Jihadists attacked an army post in Djibo, in Burkina Faso.", "Djibo", "BFA", "Sahel", 1),
    ("Militants ambushed a convoy near Menaka in Mali.", "Menaka", "MLI", "Menaka", 2),
    ("Malian troops returned to Kidal after years of rebel control.", "Kidal", "MLI", "Kidal", 1),
    (
        "Gunmen killed soldiers in Niger's Tillaberi region on Tuesday.",
        "Tillaberi region",
        "NER",
        "Tillaberi",
        3,
    ),
    ("Violence in the Mopti region of Mali displaced thousands.", "Mopti region", "MLI", "Mopti", 3),
    # Myanmar
    (
        "Junta jets bombed a village in Sagaing region, Myanmar media reported.",
        "Sagaing region",
        "MMR",
        "Sagaing",
        3,
    ),
    (
        "The Arakan Army said it took Buthidaung in Myanmar's Rakhine state.",
        "Buthidaung",
        "MMR",
        "Rakhine",
        1,
    ),
    ("Myanmar's military lost Lashio to ethnic armed groups.", "Lashio", "MMR", "Shan", 1),
    ("Fighting in Myawaddy, on the Thai border, forced Myanmar troops back.", "Myawaddy", "MMR", "Kayin", 1),
    # DR Congo
    ("M23 rebels advanced on Goma, the capital of North Kivu in Congo.", "Goma", "COD", "North Kivu", 1),
    (
        "CODECO fighters attacked a camp near Bunia in Ituri, Congolese officials said.",
        "Bunia",
        "COD",
        "Ituri",
        2,
    ),
    ("Clashes spread across South Kivu, the Congolese army said.", "South Kivu", "COD", "South Kivu", 3),
    # Haiti
    (
        "Gangs fired on police in Cite Soleil in Port-au-Prince, Haitian officials said.",
        "Cite Soleil",
        "HTI",
        "Ouest",
        1,
    ),
    (
        "Gunmen attacked Pont-Sonde in the Artibonite department of Haiti.",
        "Pont-Sonde",
        "HTI",
        "Artibonite",
        1,
    ),
    # Gaza / West Bank
    (
        "Israeli troops raided the Jenin refugee camp, Palestinian officials said.",
        "Jenin refugee camp",
        "PSE",
        "Jenin",
        1,
    ),
    (
        "An air strike hit a house in Jabalia refugee camp in northern Gaza.",
        "Jabalia refugee camp",
        "PSE",
        "North Gaza",
        1,
    ),
    ("Palestinians fled northern Gaza toward the south.", "northern Gaza", "PSE", "North Gaza", 3),
    (
        "Israeli forces raided the Old City of Nablus, the Palestinian ministry said.",
        "Nablus",
        "PSE",
        "Nablus",
        1,
    ),
    (
        "Protests took place in the city of Ramallah, Palestinian media said.",
        "Ramallah",
        "PSE",
        "Ramallah and al-Bireh",
        1,
    ),
    ("A Palestinian gunman opened fire near Kedumim in the West Bank.", "Kedumim", "PSE", "Qalqilya", 2),
    ("Israeli strikes hit Khan Younis in the Gaza Strip.", "Khan Younis", "PSE", "Khan Yunis", 1),
    (
        "Aid trucks queued at the Rafah crossing, Palestinian officials said.",
        "Rafah crossing",
        "PSE",
        "Rafah",
        1,
    ),
    (
        "Israeli forces entered Nur Shams refugee camp near Tulkarm.",
        "Nur Shams refugee camp",
        "PSE",
        "Tulkarm",
        1,
    ),
    # Somalia, Nigeria, Ethiopia, Lebanon
    (
        "Al Shabaab fighters stormed a hotel in Mogadishu, Somali police said.",
        "Mogadishu",
        "SOM",
        "Banaadir",
        1,
    ),
    ("Boko Haram attacked Maiduguri, Nigerian officials said.", "Maiduguri", "NGA", "Borno", 1),
    ("Gunmen killed 20 farmers in Borno state, Nigerian police said.", "Borno state", "NGA", "Borno", 3),
    (
        "Fighting between Fano and the army spread in Amhara, Ethiopian sources said.",
        "Amhara",
        "ETH",
        "Amhara",
        3,
    ),
    ("Israeli strikes pounded southern Lebanon on Monday.", "south Lebanon", "LBN", None, 3),
]


@pytest.mark.parametrize(("text", "name", "country", "admin1", "precision"), CASES)
def test_places_across_conflicts(text: str, name: str, country: str, admin1: str | None, precision: int) -> None:
    place = _first(text, name)
    assert place.country == country
    if admin1 is not None:
        assert place.admin1 == admin1
    assert place.geo_precision == precision


def test_evidence_slices_text_exactly() -> None:
    text = "Israeli troops raided Jenin's refugee camp and then moved on to Nablus and Tulkarm."
    places = find_places(text)
    assert places, "expected places"
    for place in places:
        assert place.evidence is not None
        assert text[place.evidence.start : place.evidence.end] == place.evidence.text


def test_most_specific_wins_over_city() -> None:
    text = "Israeli forces stormed the Jenin refugee camp before dawn, Palestinian medics said."
    names = [p.name for p in find_places(text)]
    assert "Jenin refugee camp" in names
    assert "Jenin" not in names


def test_known_coordinates() -> None:
    camp = _first("Israeli troops raided the Jenin refugee camp.", "Jenin refugee camp")
    assert (camp.lat, camp.lon) == pytest.approx((32.4614, 35.2892), abs=0.01)
    assert camp.kind == "camp"
    assert camp.parent == "Jenin"


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        (
            "Israeli soldiers raided Jenin in the occupied West Bank, Palestinian officials said.",
            "Jenin",
            "PSE",
        ),
        ("Israeli strikes on Rafah killed Palestinians sheltering in tents in Gaza.", "Rafah", "PSE"),
        ("Egyptian security forces reinforced Rafah in North Sinai, Egypt's army said.", "Rafaḩ", "EGY"),
        ("Rival Libyan militias clashed in Tripoli, Libya's health ministry said.", "Tripoli", "LBY"),
        ("The Lebanese army deployed in Tripoli after clashes in northern Lebanon.", "Tripoli", "LBN"),
    ],
)
def test_context_disambiguation(text: str, name: str, country: str) -> None:
    assert _first(text, name).country == country


def test_focus_countries_ranks_salient_first() -> None:
    text = (
        "Sudanese army jets bombed RSF positions in Omdurman. Sudan's health ministry said 12 died. "
        "Chad received refugees."
    )
    focus = focus_countries(text)
    assert focus[0] == "SDN"
    assert "TCD" in focus


@pytest.mark.parametrize(
    "text",
    [
        "Police said a man was arrested in March after a Monday meeting.",
        "Mobile networks were down, the Health Ministry said on Friday.",
        "Mohammed Jenin, a teacher, told reporters he was afraid.",
        "The Rapid Support Forces denied the claims.",
        "Boko Haram denied responsibility.",
    ],
)
def test_false_positive_guards(text: str) -> None:
    names = [p.name for p in find_places(text)]
    assert not names, names


def test_organisation_names_are_not_places() -> None:
    text = "Fighters from the Jenin Brigade said they clashed with Israeli forces in Nablus."
    names = [p.name for p in find_places(text)]
    assert names == ["Nablus"]


def test_resolve_place_uses_focus() -> None:
    jenin = resolve_place("Jenin", ["PSE"])
    assert jenin is not None and jenin.country == "PSE" and jenin.admin1 == "Jenin"
    assert resolve_place("Tripoli", ["LBN"]).country == "LBN"  # type: ignore[union-attr]
    assert resolve_place("Tripoli", ["LBY"]).country == "LBY"  # type: ignore[union-attr]
    rafah = resolve_place("the city of Rafah", ["EGY"])
    assert rafah is not None and rafah.country == "EGY"
    assert resolve_place("Nowhereville Qwzx") is None


def test_resolve_region_names() -> None:
    region = resolve_place("Kharkiv oblast")
    assert region is not None and region.geo_precision == 3 and region.country == "UKR"
    city = resolve_place("Kharkiv")
    assert city is not None and city.geo_precision == 1


def test_gazetteer_knows_alternate_spellings_and_admin_names() -> None:
    gaz = Gazetteer.load()
    assert Gazetteer.load() is gaz
    kyiv = [e for e in gaz.lookup("Kiev") if e.country == "UKR"]
    assert kyiv and kyiv[0].population > 1_000_000
    assert any(e.country == "PSE" for e in gaz.lookup("Jenin"))
    assert gaz.demonym_country("Palestinians") == "PSE"
    assert normalise("Ma’ale  Adumim") == normalise("Maale Adumim")


def test_palestinian_geonames_places_get_governorates() -> None:
    gaz = Gazetteer.load()
    pse = [e for e in gaz.entries if e.country == "PSE" and e.source == "geonames"]
    assert pse
    governorates = {e.admin1 for e in pse}
    assert "West Bank" not in governorates and "Gaza Strip" not in governorates


def _doc(text: str, ents: list[tuple[str, str]]) -> Annotations:
    """spaCy's output for ``text`` with the given (phrase, label) entities."""
    return Annotations((0,), tuple((text.index(p), text.index(p) + len(p), label) for p, label in ents))


def test_doc_entities_veto_people_and_confirm_places() -> None:
    text = "Police chief Victoria Lopez visited Bakhmut, Ukrainian officials said."
    doc = _doc(text, [("Victoria Lopez", "PERSON"), ("Bakhmut", "GPE")])
    names = [p.name for p in find_places(text, doc)]
    assert names == ["Bakhmut"]


def test_doc_org_label_does_not_hide_a_known_camp() -> None:
    text = "Israeli troops clashed with fighters near Balata camp, Palestinian medics said."
    doc = _doc(text, [("Balata", "ORG")])
    place = find_places(text, doc)[0]
    assert place.name == "Balata refugee camp"
    assert place.geo_precision == 2


# -- admin context, namesakes and unresolved local names (sentences written for these tests) ------------------
def _named(text: str, name: str) -> list[Place]:
    return [p for p in find_places(text) if p.name == name]


def test_stated_state_picks_the_namesake_in_that_state() -> None:
    place = _first("Maoists triggered a blast in Bijapur district of Chhattisgarh on Monday, killing two police "
                   "officers.", "Bijapur")
    assert place.admin1 == "Chhattisgarh"
    assert place.geo_precision == 2  # the district, located at its town


def test_town_outside_the_stated_state_is_not_accepted() -> None:
    text = "Gunmen killed six people in Nasarawa, a village in Maru local government area of Zamfara State."
    places = find_places(text)
    assert all(p.admin1 != "Nasarawa State" for p in places)
    village = _first(text, "Nasarawa")
    assert village.kind == "unresolved" and village.parent == "Maru" and village.geo_precision == 2
    assert village.admin1 == "Zamfara State"


def test_unknown_village_is_kept_at_its_township() -> None:
    place = _first("Soldiers found the bodies of nine villagers in Kyauk Sein village, Kanbalu Township, Sagaing "
                   "Region.", "Kyauk Sein")
    assert (place.kind, place.parent, place.geo_precision, place.country) == ("unresolved", "Kanbalu", 2, "MMR")


def test_unknown_village_with_only_a_region_is_precision_three() -> None:
    place = _first("Fighters attacked Ngassi Kura village in Mopti region on Sunday, killing 11 herders, Malian "
                   "officials said.", "Ngassi Kura")
    assert place.kind == "unresolved" and place.geo_precision == 3 and place.admin1 == "Mopti"


def test_village_inside_a_longer_name_is_not_the_town() -> None:
    text = "Bandits stormed Dan Kano village in Maru local government area of Zamfara State on Friday."
    assert not any(p.name == "Kano" for p in find_places(text))
    assert _first(text, "Dan Kano").parent == "Maru"


def test_listed_villages_are_siblings_not_containers() -> None:
    text = "Israeli drones struck the villages of Yaroun, Maroun and Tyre in south Lebanon."
    for name in ("Yaroun", "Maroun"):
        place = _first(text, name)
        assert place.kind == "unresolved" and place.parent != "Tyre" and place.country == "LBN"


def test_far_reference_point_is_not_the_scene() -> None:
    place = _first("The attack hit a village 300 km north of Addis Ababa, in Ethiopia's Amhara region.", "Addis Ababa")
    assert place.geo_precision == 3
    near = _first("Shelling hit a village 5 km north of Kherson, officials said.", "Kherson")
    assert near.geo_precision == 2


@pytest.mark.parametrize("text, word", [
    ("UPDATED 10:42 Four soldiers died in the ambush near Kidal, where French troops once had a base.", "Four"),
    ("Since 2019, the group has killed hundreds of people in Cabo Delgado province.", "Since"),
    ("Governor Uba Sani said the strike in Kaduna State killed dozens of worshippers.", "Uba"),
])
def test_common_words_and_titled_names_are_not_places(text: str, word: str) -> None:
    assert not any(p.evidence and p.evidence.text == word for p in find_places(text))


def test_region_name_used_as_ethnic_adjective_is_not_a_place() -> None:
    places = find_places("Gunmen targeted Amhara civilians in Ethiopia's Oromia region, residents said.")
    assert [p.name for p in places if p.kind == "region"] == ["Oromia"]


def test_town_named_region_is_the_admin_region() -> None:
    place = find_places("Jihadists attacked an army camp in the Timbuktu region on Saturday.")[0]
    assert place.kind == "region" and place.geo_precision == 3 and place.admin1 == "Tombouctou"


def test_admin_keys_fold_suffixes_and_spellings() -> None:
    from sitrep.extract.place_context import admin_key

    assert admin_key("Zamfara State") == admin_key("Zamfara")
    assert admin_key("Oromiya") == admin_key("Oromia")
    assert admin_key("Kursk Oblast") == admin_key("Kursk")
    assert admin_key("Southern Kordofan") == admin_key("South Kordofan State")
    assert admin_key("Western Equatoria") != admin_key("Equatoria")


def test_sentences_of_the_place_rules_end_at_line_breaks_and_full_stops() -> None:
    from sitrep.extract.place_context import sentence_starts

    text = "Gunmen struck Kano\nPolice said five died. The army (1st Div.) replied. \"We will act.\" Then"
    assert sentence_starts(text) == (0, 19, 42, 71, 86)  # not inside "(1st Div.)"


def test_unit_names_found_by_word_before_and_after() -> None:
    from sitrep.extract.place_context import unit_names

    text = ("Militants raided Gidan Bakko community in Bungudu Local Government Area and the village of "
            "Tungan Mallam; in Kiremu Woreda's Haro town residents fled.")
    names = [(u.name, u.unit) for u in unit_names(text, frozenset())]
    assert ("Gidan Bakko", "community") in names
    assert ("Bungudu", "local government area") in names
    assert ("Tungan Mallam", "village") in names
    assert ("Kiremu", "woreda") in names and ("Haro", "town") in names


# -- datelines and claimants' seats (whole-article extraction, no NLP model) ----------------------------------
def _incident_places(text: str) -> list[Place | None]:
    from sitrep.extract import extract_article
    from sitrep.records import Article

    article = Article(id="t", text=text, raw=text, content_hash="t", source="test", published="2024-05-02")
    return [r.place for r in extract_article(article).reports]


def test_dateline_city_kept_when_the_text_names_no_other_place() -> None:
    places = _incident_places("MAIDUGURI, Nigeria (AP) — A suicide bomber killed five people at a crowded market "
                              "on Wednesday, police said.")
    assert places and places[0] is not None and places[0].name == "Maiduguri"


def test_dateline_city_is_the_bureau_when_the_lead_names_another_state() -> None:
    places = _incident_places("KANO, Nigeria (AP) — Bandits killed 12 people in farming villages of Zamfara State "
                              "on Tuesday, police said.\n"
                              "Residents said the gunmen arrived on motorcycles.")
    assert places and places[0] is not None
    assert places[0].name != "Kano" and places[0].admin1 == "Zamfara"


def test_a_foreign_bureau_dateline_is_not_the_scene() -> None:
    places = _incident_places("NAIROBI: A Sudanese army drone struck a market in a village of North Darfur on "
                              "Sunday, killing eleven civilians, a local aid group said.")
    assert places and places[0] is not None and places[0].country == "SDN"


def test_a_two_city_dateline_is_no_place_of_the_story() -> None:
    places = _incident_places("Islamabad/Quetta: Gunmen killed six labourers at a coal mine in Harnai district of "
                              "Balochistan on Friday, police said.")
    assert places and places[0] is not None and places[0].name not in ("Islamabad", "Quetta")
    assert places[0].admin1 == "Balochistan"


def test_a_country_label_before_a_headline_is_no_dateline() -> None:
    from sitrep.extract import find_dateline

    found = find_dateline("Mozambique: Insurgents Kill Nine Villagers Near Mocimboa\n\n"
                          "Pemba, Mozambique — Insurgents killed nine villagers on Sunday, officials said.")
    assert found is not None and found[1] == "Pemba"
    assert find_dateline("Sudan: Shelling Hits a Market\n\nShelling killed six people on Monday.") is None


def test_a_region_label_before_a_headline_is_no_dateline() -> None:
    from sitrep.extract import find_dateline

    found = find_dateline("Borno: Five Farmers Killed Near Dikwa\n\nMaiduguri: Insurgents killed five farmers on "
                          "Monday near Dikwa, residents said.")
    assert found is not None and found[1] == "Maiduguri"


def test_a_wire_dateline_after_a_paywall_notice_is_found() -> None:
    from sitrep.extract import find_dateline

    notice = "Subscribe to keep reading. Already a subscriber? Log in.\n" * 20
    found = find_dateline(notice + "KADUNA, Nigeria (AP) — Gunmen killed seven worshippers on Sunday, police said.")
    assert found is not None and found[1] == "KADUNA"
    body = notice + "The Ambazonia Defence Forces (ADF) said they had attacked a checkpoint."
    assert find_dateline(body) is None  # far down the page only a city in capitals counts
    bulletin = "GAO: Two soldiers killed\n" + notice + "IN NUMBERS\n- The army says 40 soldiers died this year."
    found = find_dateline(bulletin)
    assert found is not None and found[1] == "GAO"  # a section heading with a list dash is no dateline


def test_a_possessive_names_the_container_not_the_scene() -> None:
    places = _incident_places("Insurgents ambushed a police patrol in Narathiwat's Rangae district on Monday, "
                              "killing three rangers, police said.")
    assert places and places[0] is not None and places[0].name == "Ra-ngae"


def test_a_possessed_namesake_elsewhere_does_not_replace_its_town() -> None:
    places = _incident_places("A drone hit a bus in Kherson's Dniprovskyi district on Monday, killing two "
                              "passengers, the regional administration said.")
    assert places and places[0] is not None and places[0].admin1 == "Kherson"


def test_a_name_keeps_the_sense_it_had_first_in_the_article() -> None:
    text = ("Maoists killed two villagers in Bijapur district of Chhattisgarh on Friday, police said. "
            "Forces later searched the forests between Bijapur and Sukma.")
    bijapur = [p for p in find_places(text) if p.name.startswith(("Bijapur", "Bījāpur", "Vijayapura"))]
    assert len(bijapur) == 2 and {p.admin1 for p in bijapur} == {"Chhattisgarh"}


def test_a_region_named_as_a_region_is_not_the_town_a_headline_called_by_its_name() -> None:
    text = ("Drone Strike Kills 14 in Amhara Town\n\n"
            "A drone struck a market in a town in Ethiopia's Amhara region on Tuesday, doctors said. "
            "Amhara militia fighters had held the town for a week.")
    later = [p for p in find_places(text) if p.evidence and p.evidence.start > 40]
    assert [(p.name, p.kind) for p in later if p.country == "ETH"] == [("Ethiopia", "country"), ("Amhara", "region")]


def test_capitalised_dateline_with_colon() -> None:
    places = _incident_places("JENIN: Israeli troops killed three Palestinians on Tuesday, the health ministry said.")
    assert places and places[0] is not None and places[0].name == "Jenin"


def test_a_dateline_with_the_date_first_is_no_place_or_day_of_the_story() -> None:
    from sitrep.extract import extract_article
    from sitrep.records import Article

    text = ("Militia kills nine in Darfur\n\nMay 1, 2024 (NYALA) – Militia fighters on Monday attacked the villages "
            "of Um Kadada and Tabit in North Darfur, killing nine farmers, a rights group said.")
    article = Article(id="t", text=text, raw=text, content_hash="t", source="test", published="2024-05-02")
    reports = extract_article(article).reports
    assert reports and reports[0].date.date == "2024-04-29" and reports[0].place and reports[0].place.name != "Nyala"


def test_seat_of_the_claimant_is_not_the_scene() -> None:
    places = _incident_places("Gunmen killed eight villagers on Monday night, a military source reached in Yangon "
                              "told reporters. The attack took place in Kanbalu Township, residents said.")
    assert places and places[0] is not None and places[0].name == "Kanbalu"


def test_where_the_wounded_are_treated_is_not_the_scene() -> None:
    places = _incident_places("Insurgents killed three militiamen in Chiure district, Cabo Delgado, on Monday. "
                              "Two wounded fighters are receiving treatment in Pemba.")
    assert [p.name for p in places if p is not None] == ["Chiúre"]


def test_unknown_district_is_not_placed_inside_a_town_it_holds() -> None:
    text = "Gunmen killed four people in the town of Tsafe, in the municipality of Gidan Zaki, Zamfara State."
    district = _first(text, "Gidan Zaki")
    assert district.kind == "unresolved" and district.geo_precision == 3 and district.parent != "Tsafe"


def test_foreign_region_named_like_the_story_town_gives_way() -> None:
    place = _first("Militants attacked a police post in Pakistan's Karak district overnight, killing two officers.",
                   "Karak")
    assert place.country == "PAK" and place.geo_precision == 2


def test_loose_datelines_count_only_for_places() -> None:
    from sitrep.extract import find_dateline

    found = find_dateline("Tyre (Lebanon): An Israeli drone struck a motorcycle on Monday.")
    assert found is not None and found[1] == "Tyre"
    found = find_dateline("Maputo — Insurgents beheaded two farmers near Macomia on Sunday.")
    assert found is not None and found[1] == "Maputo"
    assert find_dateline("WATCH: Insurgents beheaded two farmers near Macomia on Sunday.") is None
    assert find_dateline("Islamic State (IS) claimed the attack on Sunday.") is None


def test_region_lead_is_not_replaced_by_a_town_outside_it() -> None:
    places = _incident_places("Gunmen killed 30 villagers in Ethiopia's Oromia region on Tuesday, residents said.\n"
                              "The federal government in Addis Ababa has sent troops to the area.")
    assert places and places[0] is not None and places[0].name == "Oromia"


def test_country_lead_narrowed_to_the_village_named_next() -> None:
    places = _incident_places("Officials in central Mali say 14 people died when jihadists attacked an army base.\n"
                              "The assault took place in the Mopti region near the village of Ngassi Kura.")
    assert places and places[0] is not None
    assert places[0].name == "Ngassi Kura" and places[0].kind == "unresolved" and places[0].admin1 == "Mopti"


def test_villages_said_to_lie_in_one_country_are_not_namesakes_across_the_border() -> None:
    text = ("Israeli air strikes hit four southern Lebanese villages on Monday. The Israeli raids targeted the "
            "villages of Kfar Hamam, Rashaya al-Fukhar and Taybeh, Israel's army said. Israel and Hezbollah have "
            "traded fire since October, and Israeli towns near the border were evacuated.")
    taybeh = _first(text, "Taybeh")
    assert taybeh.country == "LBN" and taybeh.kind == "unresolved"


def test_cameroon_anglophone_regions_spelled_as_in_the_news() -> None:
    place = _first("Separatists ambushed an army convoy in Ngoketunjia division of the Northwest region on Friday.",
                   "Ngoketunjia")
    assert place.kind == "unresolved" and place.country == "CMR" and place.admin1 == "North-West"
    southwest = resolve_place("Southwest region", ["CMR"])
    assert southwest is not None and southwest.admin1 == "South-West"


def test_a_region_named_elsewhere_in_a_live_blog_does_not_turn_a_city_into_a_village_namesake() -> None:
    text = ("Ukraine live: two killed in shelling of Nikopol; strike on Kharkiv region\n"
            "Three people were wounded when a missile hit a Kharkiv region village, the governor said.\n"
            "Russian shelling killed two people in Nikopol on Thursday, the regional governor said.")
    places = [p for p in find_places(text) if p.name == "Nikopol"]
    assert places and all(p.admin1 == "Dnipropetrovsk" for p in places)


def test_an_army_post_in_a_country_is_where_it_happened_not_a_source_s_seat() -> None:
    places = _incident_places("Jihadists overran an army post in Burkina Faso on Sunday, killing nine soldiers, "
                              "officials said.")
    assert places and places[0] is not None and places[0].country == "BFA"


@pytest.mark.parametrize("text, name, admin1, country", [
    ("Militants stormed a border post in the Kurram district of Khyber Pakhtunkhwa on Sunday, killing three soldiers.",
     "Kurram", "Khyber Pakhtunkhwa", "PAK"),
    ("Soldiers clashed with rebels in a remote village of Camarines Sur province, the army said.",
     "Camarines Sur", "Bicol Region", "PHL"),
])
def test_a_district_without_a_town_of_its_name_is_placed_at_its_towns(
        text: str, name: str, admin1: str, country: str) -> None:
    """Admin2 units (districts, provinces under a region, raions) are places of precision 2 at the centre
    of their towns, not the region's centre or a town named elsewhere in the story."""
    place = _first(text, name)
    assert (place.country, place.admin1, place.geo_precision, place.kind) == (country, admin1, 2, "district")
    region = resolve_place(admin1, [country])
    assert region is not None and (region.lat, region.lon) != (place.lat, place.lon)


def test_district_name_alone_does_not_beat_a_town_of_that_name() -> None:
    place = _first("Two policemen were shot dead in Bannu on Monday, officials said.", "Bannu")
    assert place.kind != "district" and place.geo_precision == 1


def test_a_country_named_state_of_is_a_descriptor_not_a_state() -> None:
    text = ("Gunmen shot dead nine people at a cockfight near the town of Salvatierra in the central Mexico state "
            "of Guanajuato, prosecutors said.")
    names = [p.name for p in find_places(text)]
    assert "Salvatierra" in names and "México" not in names


def test_an_unresolved_name_keeps_its_best_container_in_every_mention() -> None:
    text = ("Gunmen opened fire on farmers in Dorowa Tsoho village in Bokkos local government area of Plateau "
            "State. Mourners in the village of Dorowa Tsoho, in Plateau State, buried the dead the next day.")
    found = [p for p in find_places(text) if p.name == "Dorowa Tsoho"]
    assert len(found) == 2 and found[0].geo_precision == 2
    assert {(p.lat, p.lon, p.geo_precision) for p in found} == {(found[0].lat, found[0].lon, 2)}


def test_an_agency_of_two_words_closes_a_dateline() -> None:
    from sitrep.extract import find_dateline

    found = find_dateline("Kismayo, March 3 (Horn Wire/Agency) Gunmen killed four traders at a livestock market.")
    assert found is not None and found[1] == "Kismayo"


def test_a_state_written_in_full_names_the_country_of_a_local_story() -> None:
    # local papers rarely name their own country; "Plateau" alone is also a region of Benin
    text = ("Gunmen killed six farmers in Kukawa community of Bokkos Local Government Area of Plateau State "
            "late on Saturday, the police said.")
    assert focus_countries(text)[:1] == ["NGA"]
    village = _first(text, "Kukawa")
    assert (village.kind, village.parent, village.geo_precision, village.country) == ("unresolved", "Bokkos", 2, "NGA")


def test_a_bare_region_name_shared_by_two_countries_names_neither() -> None:
    assert "NGA" not in focus_countries("Farmers on the Plateau said the rains came late this year.")


@pytest.mark.parametrize("text, seat", [
    ("A drone hit a market in Avdiivka on Monday. The attack was blamed by Kyiv on Russian forces.", "Kyiv"),
    ("Separatists attacked a checkpoint near Bamenda, killing two soldiers. Yaounde said the attackers fled.",
     "Yaoundé"),
])
def test_a_capital_speaking_or_blaming_is_its_government_not_a_scene(text: str, seat: str) -> None:
    names = [p.name for p in find_places(text)]
    assert seat not in names
    assert any(n in names for n in ("Avdiivka", "Bamenda"))


def test_a_seat_after_in_is_still_a_place_for_the_incident_builder() -> None:
    names = [p.name for p in find_places("Officials in Maroua said two herders were killed near Mora.")]
    assert "Maroua" in names and "Mora" in names


def test_an_unknown_name_placed_by_the_area_after_it_is_kept() -> None:
    text = "Eleven traders were killed in Gorboko, in the Far North, when militants raided the weekly market."
    place = _first(text, "Gorboko")
    assert (place.kind, place.admin1, place.country, place.geo_precision) == ("unresolved", "Far North", "CMR", 3)


def test_a_town_after_two_given_names_is_a_surname() -> None:
    text = ("Rebels ambushed a patrol in Nariño on Tuesday. Corporal Juan Carlos Tumaco and two privates were "
            "killed in the attack, the army said.")
    assert "Tumaco" not in [p.name for p in find_places(text)]
    assert "Tumaco" in [p.name for p in find_places("Rebels ambushed a patrol near Tumaco on Tuesday.")]


@pytest.mark.parametrize("text, place", [
    ("Two people were killed in a drone strike on Syria's Idlib, said a monitoring group.", "Idlib"),
    ("Gunmen killed nine traders, the governor of the Tillaberi region said on Friday.", "Tillaberi region"),
])
def test_a_reporting_clause_after_a_place_is_no_metonym(text: str, place: str) -> None:
    assert place in [p.name for p in find_places(text)]


@pytest.mark.parametrize("text, name, parent", [
    ("Two farmers were shot dead in Barangay Kalipay, Datu Piang, on Tuesday, the Philippine army said.",
     "Kalipay", "Datu Piang"),
    ("Shelling hit a school in the Nikopol hromada overnight, Ukrainian officials said.", None, None),
])
def test_local_unit_words_of_other_countries(text: str, name: str | None, parent: str | None) -> None:
    places = find_places(text)
    if name is None:  # "the Nikopol hromada": the town stands for its community, nearby
        nikopol = next(p for p in places if p.name == "Nikopol")
        assert nikopol.geo_precision == 2
        return
    village = _first(text, name)
    assert (village.kind, village.parent, village.geo_precision) == ("unresolved", parent, 2)


def test_a_possessive_after_a_unit_word_keeps_the_unit() -> None:
    # "X province's Y town": X names the province, not a town of that name
    text = "Troops clashed with rebels in Kunduz province's Imam Sahib district on Sunday, Afghan officials said."
    assert _first(text, "Kunduz").kind == "region"


@pytest.mark.parametrize("text", [
    "Maoists killed two villagers in Chhattisgarh's Bijapur district's Gorna block on Friday.",
    "Maoists killed two villagers in Gorna block of Bijapur district in Chhattisgarh on Friday.",
])
def test_a_unit_below_a_district_is_placed_at_its_district_town(text: str) -> None:
    place = _first(text, "Gorna")
    assert (place.kind, place.geo_precision, place.admin1) == ("unresolved", 2, "Chhattisgarh")


def test_a_front_named_by_its_town_is_the_towns_region() -> None:
    front = _first("The ministry said 40 soldiers were killed in the Zaporizhzhia direction.", "Zaporizhzhia")
    assert (front.kind, front.geo_precision) == ("region", 3)


def test_a_name_set_beside_tambon_or_suburb_is_a_local_unit() -> None:
    text = "Gunmen shot a ranger at Ban Lo, a tambon in Rueso district of Narathiwat, on Monday."
    assert _first(text, "Ban Lo").kind == "unresolved"


def test_a_village_name_with_an_arabic_article_is_a_local_unit() -> None:
    text = "An air strike hit the village of al-Qusayba in Nabatieh district of south Lebanon on Sunday."
    village = _first(text, "al-Qusayba")
    assert (village.kind, village.country) == ("unresolved", "LBN")


def test_villages_listed_after_including_are_kept_and_placed_at_the_town_just_before() -> None:
    text = ("Rebels killed nine farmers in Uvira territory on Sunday, a local official said.\n"
            "The raid hit several villages in the hills, including Mbogwelo, Kasheke and Lwiro-Bas, "
            "in South Kivu province.\nAt Kasheke, four people died.")
    for name in ("Mbogwelo", "Kasheke", "Lwiro-Bas"):
        village = _first(text, name)
        assert (village.kind, village.parent, village.geo_precision) == ("unresolved", "Uvira", 2)
    assert [p.name for p in find_places(text)].count("Kasheke") == 2  # named again later


@pytest.mark.parametrize("text", [
    # the town before is a dateline: where the reporter files from
    "GOMA, Congo (AP) - Rebels killed nine farmers on Sunday.\nThe raid hit the village of Mbogwelo in the hills.",
    # the sentences before name several towns: none of them is the village's
    "Fighting was reported around Goma and Bukavu on Saturday. The raid hit the village of Mbogwelo in the hills, "
    "Congolese officials said.",
    # the village's sentence moves to another scene
    "Rebels killed two farmers near Goma on Saturday. In a separate attack, gunmen raided the village of Mbogwelo, "
    "Congolese officials said.",
])
def test_no_container_is_borrowed_from_a_dateline_a_list_or_another_scene(text: str) -> None:
    village = _first(text, "Mbogwelo")
    assert village.geo_precision == 3


def test_a_region_named_after_its_capital_is_located_at_the_capital() -> None:
    # ACLED codes a region-only event at the provincial capital: a centroid lies in no town at all
    region = _first("A drone strike hit a market in Yemen's northern Saada province on Monday.", "Şa‘dah")
    town = resolve_place("Saada", ["YEM"])
    assert region.kind == "region" and region.geo_precision == 3
    assert town is not None and abs(region.lat - town.lat) < 0.001 and abs(region.lon - town.lon) < 0.001


def test_a_final_h_after_a_vowel_is_a_transliteration_variant() -> None:
    place = _first("Air strikes hit the port of Hodeidah overnight, Yemeni officials said.", "Al Ḩudaydah")
    assert place.country == "YEM"


def test_a_tehsil_named_before_its_name_is_placed_at_the_district_just_named() -> None:
    text = ("Militants stormed a police post in Pakistan's Bannu district before dawn on Monday. The post lies in "
            "Tehsil Shahgai of the district, police said.")
    place = _first(text, "Shahgai")
    assert (place.kind, place.parent, place.geo_precision) == ("unresolved", "Bannu", 2)


def test_an_unreadable_gazetteer_cache_is_reported_and_rebuilt(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    from sitrep.extract import gazetteer

    broken = tmp_path / "gazetteer-x.pkl"
    broken.write_bytes(b"not a pickle")
    with caplog.at_level(logging.WARNING, logger="sitrep.extract.gazetteer"):
        assert gazetteer._read_cache(broken) is None
    assert [r.getMessage() for r in caplog.records if r.name == "sitrep.extract.gazetteer"] == [
        f"gazetteer cache {broken} unreadable (UnpicklingError: invalid load key, 'n'.): rebuilding it"]


def test_the_town_of_a_known_city_is_not_a_village_namesake_in_the_article_region() -> None:
    text = ("Shelling hit Kherson region overnight, regional officials said. In the east, a woman was killed in "
            "the town of Kostyantynivka, prosecutors said.")
    place = _first(text, "Kostyantynivka")
    assert place.admin1 == "Donetsk"


def test_attacking_sides_weigh_less_than_the_scene_country() -> None:
    text = (
        "Israeli jets and Israeli drones struck the village of Kfar Shuba in southern Lebanon on Monday, "
        "Lebanon's health ministry said. Israel launched the raids after rockets were fired at Israel. "
        "The Israeli military said it hit a weapons depot, and Israeli artillery shelled the area."
    )
    assert focus_countries(text)[0] == "LBN"


def test_the_other_party_of_a_fight_is_no_scene() -> None:
    # "traded fire with Israel" names whom the scene's side fought, as "Israel launched" names who acted
    text = ("Two men were killed when a drone hit a motorbike near Aitaroun, Lebanese officials said. Hezbollah "
            "has traded fire with Israel for months, and talks with Israel have stalled.")
    from sitrep.extract import places as p

    gaz = Gazetteer.load()
    _, matches = p._raw_matches(text, gaz)
    israel = [m for m in matches if text[m.start:m.end] == "Israel"]
    assert len(israel) == 2
    assert {p._country_weight(text, m) for m in israel} == {p.ACTING_COUNTRY_WEIGHT}
    assert focus_countries(text)[0] == "LBN"


def test_a_direction_word_in_the_sentence_before_does_not_make_a_scene() -> None:
    # "... in the south." then "Israel launched": the direction word ends the sentence before the name
    text = "Three people died in raids in the south.\nIsrael launched strikes on Sunday, Lebanese officials said."
    from sitrep.extract import places as p

    gaz = Gazetteer.load()
    _, matches = p._raw_matches(text, gaz)
    israel = next(m for m in matches if text[m.start:m.end] == "Israel")
    assert p._country_weight(text, israel) == p.ACTING_COUNTRY_WEIGHT


def test_admin1_split_off_an_older_one_counts_as_it() -> None:
    from sitrep.extract.place_context import admin_key

    assert admin_key("Highland Papua") == admin_key("Papua")
    assert admin_key("Southwest Papua") == admin_key("West Papua") != admin_key("Papua")


def test_district_named_inside_a_longer_name_is_not_a_place() -> None:
    text = "Rebels fired on soldiers on Puncak Kabo hill in Nduga regency, Papua province, on Wednesday."
    names = [p.name for p in find_places(text)]
    assert "Puncak" not in names
    assert "Nduga" in names


def test_district_before_its_unit_word_is_still_the_district() -> None:
    text = "Gunmen killed a trader on a road in Zangon Kataf Local Government Area of Kaduna State."
    place = _first(text, "Zangon Kataf")
    assert place.kind == "district" and place.admin1 == "Kaduna State"


def test_a_country_named_as_the_scene_picks_its_city_over_a_namesake() -> None:
    # a story mostly about Russia; the sentence itself puts the city in Ukraine
    text = (
        "Drones hit a depot in Russia's Bryansk oblast, the Russian governor said. Russia says Moscow "
        "will respond.\nOfficials in eastern Ukraine said shelling killed four people in the city of Donetsk."
    )
    place = _first(text, "Donetsk")
    assert place.country == "UKR"


def test_kaduna_state_written_in_full_names_its_country() -> None:
    assert focus_countries("Gunmen killed two farmers in Kaduna State on Sunday.") == ["NGA"]


def test_a_one_word_armed_group_is_not_a_town_of_that_name() -> None:
    text = "Fano fighters clashed with federal troops near Debre Markos in Ethiopia's Amhara region on Sunday."
    names = [p.name for p in find_places(text)]
    assert "Fano" not in names
    assert any(n.startswith("Debre Mark") for n in names)


def test_a_title_case_headline_names_no_village() -> None:
    text = "Rebels Raid Three Villages in Ituri\n\nRebels raided the village of Mambasa in Ituri province, DR Congo."
    names = [p.name for p in find_places(text)]
    assert not any("Three" in n for n in names), names


def test_a_name_written_with_a_lowercase_arabic_article_is_a_place() -> None:
    text = "Two brothers died when a missile struck their home in al-Qarara, a town outside Khan Younis, medics said."
    names = [p.name for p in find_places(text)]
    assert any(n.replace("ā", "a").startswith("Al Qarar") for n in names), names


def test_a_district_written_as_one_word_matches_its_two_word_name() -> None:
    text = "A roadside bomb killed six civilians in Khashrod district of Nimroz province, Afghan officials said."
    place = _first(text, "Khash Rod")
    assert place.country == "AFG" and place.admin1 == "Nimroz"


def test_a_dateline_with_a_region_of_several_words() -> None:
    from sitrep.extract import find_dateline

    text = ("Four killed in Kashmir clash\n\nSRINAGAR, Jammu and Kashmir: Three militants and a soldier were killed "
            "in a gunfight in Kupwara district on Saturday, police said.")
    found = find_dateline(text)
    assert found is not None and found[1] == "SRINAGAR"
    assert [normalise(p.name) for p in _incident_places(text) if p] == ["kupwara"]
