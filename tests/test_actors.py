"""Actor normalisation to ACLED-style canonical names (texts written for these tests)."""

from __future__ import annotations

import pytest

from sitrep.extract.actors import actor_parent, find_actors, normalise_actor, victim_side

# (mention, focus, canonical name, inter code, ISO3 or None)
CASES = [
    ("Israeli army", None, "Military Forces of Israel", 1, "ISR"),
    ("IDF", None, "Military Forces of Israel", 1, "ISR"),
    ("Israel Defense Forces", None, "Military Forces of Israel", 1, "ISR"),
    ("Israeli troops", None, "Military Forces of Israel", 1, "ISR"),
    ("Israeli forces", None, "Military Forces of Israel", 1, "ISR"),
    ("Israeli soldiers", None, "Military Forces of Israel", 1, "ISR"),
    ("Israeli commandos", None, "Military Forces of Israel", 1, "ISR"),
    ("the Israeli military", None, "Military Forces of Israel", 1, "ISR"),
    ("special forces", ["ISR", "PSE"], "Military Forces of Israel", 1, "ISR"),
    ("troops", ["PSE", "ISR"], "Military Forces of Israel", 1, "ISR"),
    ("Border Police", ["ISR"], "Police Forces of Israel", 1, "ISR"),
    ("Israeli Border Police", None, "Police Forces of Israel", 1, "ISR"),
    ("Israeli settlers", None, "Israeli settlers", 4, "ISR"),
    ("Russian troops", None, "Military Forces of Russia", 1, "RUS"),
    ("Ukrainian forces", None, "Military Forces of Ukraine", 1, "UKR"),
    ("Ukraine's army", None, "Military Forces of Ukraine", 1, "UKR"),
    ("Sudanese Armed Forces", None, "Military Forces of Sudan", 1, "SDN"),
    ("SAF", None, "Military Forces of Sudan", 1, "SDN"),
    ("RSF", None, "Rapid Support Forces", 2, "SDN"),
    ("the paramilitary Rapid Support Forces", None, "Rapid Support Forces", 2, "SDN"),
    ("Tatmadaw", None, "Military Forces of Myanmar", 1, "MMR"),
    ("junta troops", ["MMR"], "Military Forces of Myanmar", 1, "MMR"),
    ("Myanmar junta", None, "Military Forces of Myanmar", 1, "MMR"),
    ("Malian army", None, "Military Forces of Mali", 1, "MLI"),
    ("FAMa", None, "Military Forces of Mali", 1, "MLI"),
    ("Wagner mercenaries", None, "Wagner Group", 8, "RUS"),
    ("JNIM", None, "JNIM", 2, None),
    ("Islamic State Sahel Province", None, "Islamic State Sahel Province", 2, None),
    ("Hamas", None, "Hamas", 2, "PSE"),
    ("Izz ad-Din al-Qassam Brigades", None, "Al-Qassam Brigades", 2, "PSE"),
    ("PIJ", None, "Palestinian Islamic Jihad", 2, "PSE"),
    ("Islamic Jihad", None, "Palestinian Islamic Jihad", 2, "PSE"),
    ("Al-Quds Brigades", None, "Al-Quds Brigades", 2, "PSE"),
    ("Lion's Den", None, "Lions' Den", 3, "PSE"),
    ("Areen al-Usud", None, "Lions' Den", 3, "PSE"),
    ("Balata Brigades", None, "Balata Brigade", 3, "PSE"),
    ("Jenin Battalion", None, "Jenin Brigade", 3, "PSE"),
    ("Al-Aqsa Martyrs Brigades", None, "Al-Aqsa Martyrs' Brigades", 3, "PSE"),
    ("Hezbollah", None, "Hezbollah", 2, "LBN"),
    ("M23 rebels", None, "M23", 2, "COD"),
    ("Allied Democratic Forces", None, "ADF", 2, "COD"),
    ("CODECO", None, "CODECO", 3, "COD"),
    ("al-Shabab", None, "Al Shabaab", 2, "SOM"),
    ("Boko Haram", None, "Boko Haram", 2, "NGA"),
    ("ISWAP", None, "ISWAP", 2, "NGA"),
    ("Arakan Army", None, "Arakan Army", 2, "MMR"),
    ("People's Defence Force", None, "PDF (People's Defence Force)", 2, "MMR"),
    ("Kachin Independence Army", None, "KIA", 2, "MMR"),
    ("TNLA", None, "TNLA", 2, "MMR"),
    ("Viv Ansanm", None, "Viv Ansanm", 3, "HTI"),
    ("400 Mawozo", None, "400 Mawozo", 3, "HTI"),
    ("Houthi rebels", None, "Houthis (Ansar Allah)", 2, "YEM"),
    ("Palestinian civilians", None, "Civilians (Palestine)", 7, "PSE"),
    ("Sudanese protesters", None, "Protesters (Sudan)", 6, "SDN"),
    # attackers named by their weapon or strike after a demonym, a possessive or an acronym
    ("a Russian missile", None, "Military Forces of Russia", 1, "RUS"),
    ("Israeli air strikes", None, "Military Forces of Israel", 1, "ISR"),
    ("Turkish drone strikes", None, "Military Forces of Turkey", 1, "TUR"),
    ("Sudan's shelling", None, "Military Forces of Sudan", 1, "SDN"),
    ("a US air strike", None, "Military Forces of United States", 1, "USA"),
    ("U.S. forces", None, "Military Forces of United States", 1, "USA"),
    # the junta and the regime are the army of the country the story is in
    ("the junta's jets", ["MLI"], "Military Forces of Mali", 1, "MLI"),
    ("regime forces", ["SYR"], "Military Forces of Syria", 1, "SYR"),
    # well-known armed groups of other regions
    ("Pakistani Taliban", None, "TTP: Tehreek-i-Taliban Pakistan", 2, "PAK"),
    ("Baloch Liberation Army", None, "BLA: Balochistan Liberation Army", 2, "PAK"),
    ("Maoist rebels", None, "Communist Party of India (Maoist)", 2, "IND"),
    ("New People's Army", None, "NPA: New People's Army", 2, "PHL"),
    ("ELN", None, "ELN: National Liberation Army", 2, "COL"),
    ("Jalisco New Generation Cartel", None, "CJNG: Jalisco New Generation Cartel", 3, "MEX"),
    ("Ambazonian separatists", None, "Ambazonian Separatists", 2, "CMR"),
    ("Hayat Tahrir al-Sham", None, "HTS: Hayat Tahrir al-Sham", 2, "SYR"),
    ("suspected Fulani herdsmen", None, "Fulani Ethnic Militia", 4, None),
    ("armed herdsmen", ["NGA"], "Herder Militia (Nigeria)", 4, "NGA"),
    ("migrants", ["YEM"], "Civilians (Yemen)", 7, "YEM"),
    ("mourners", ["PAK"], "Civilians (Pakistan)", 7, "PAK"),
]


@pytest.mark.parametrize(("mention", "focus", "name", "inter", "country"), CASES)
def test_normalise_actor(mention: str, focus: list[str] | None, name: str, inter: int, country: str | None) -> None:
    actor = normalise_actor(mention, focus)
    assert actor is not None, mention
    assert actor.name == name
    assert actor.inter_code == inter
    assert actor.country == country


@pytest.mark.parametrize(
    ("mention", "focus", "name"),
    [
        ("gunmen", ["BFA"], "Unidentified Armed Group (Burkina Faso)"),
        ("armed men", ["NGA"], "Unidentified Armed Group (Nigeria)"),
        ("militants", ["MLI"], "Unidentified Armed Group (Mali)"),
        ("assailants", ["COD"], "Unidentified Armed Group (Democratic Republic of the Congo)"),
        ("civilians", ["MMR"], "Civilians (Myanmar)"),
        ("security forces", ["NER"], "Police Forces of Niger"),
        ("soldiers", ["SDN"], "Military Forces of Sudan"),
    ],
)
def test_generic_mentions_take_the_focus_country(mention: str, focus: list[str], name: str) -> None:
    actor = normalise_actor(mention, focus)
    assert actor is not None and actor.name == name


def test_unknown_mention_is_none() -> None:
    assert normalise_actor("the weather office") is None


def test_find_actors_in_text_with_evidence() -> None:
    text = (
        "Israeli forces raided the camp at dawn. Soldiers exchanged fire with gunmen from the Jenin "
        "Brigade and the Al-Qassam Brigades, the IDF said. Palestinian civilians were wounded."
    )
    actors = find_actors(text)
    names = [a.name for a in actors]
    assert names.count("Military Forces of Israel") == 3
    assert "Jenin Brigade" in names and "Al-Qassam Brigades" in names
    assert "Civilians (Palestine)" in names
    for actor in actors:
        assert actor.evidence is not None
        assert text[actor.evidence.start : actor.evidence.end] == actor.evidence.text == actor.mention


@pytest.mark.parametrize(("text", "names"), [
    ("The governor said Ukraine had shelled the village twice overnight.", ["Military Forces of Ukraine"]),
    ("Officials said Israel launched a wave of air strikes on the town.", ["Military Forces of Israel"]),
    ("Kenya launched an inquiry into the killings.", []),
    ("Nigeria was hit by floods, and Somalia struck a deal with donors.", []),
])
def test_a_country_that_attacks_names_its_military(text: str, names: list[str]) -> None:
    assert sorted({a.name for a in find_actors(text) if a.name.startswith("Military")}) == names


def test_context_state_follows_explicitly_named_force() -> None:
    text = "Burkinabe soldiers repelled the attack; troops later searched the area near Djibo."
    actors = find_actors(text)
    assert [a.name for a in actors] == ["Military Forces of Burkina Faso"] * 2


def test_generic_country_from_text_when_no_focus_given() -> None:
    actors = find_actors("Gunmen killed 12 villagers in central Mali, Malian officials said.")
    assert actors[0].name == "Unidentified Armed Group (Mali)"
    assert actors[0].inter_code == 2


def test_armed_wing_links_to_parent() -> None:
    assert actor_parent("Al-Qassam Brigades") == "Hamas"
    assert actor_parent("Al-Aqsa Martyrs' Brigades") == "Fatah"
    assert actor_parent("Hamas") is None


@pytest.mark.parametrize(
    ("group", "focus", "side"),
    [
        ("Israeli soldiers", ["PSE", "ISR"], "Military Forces of Israel"),
        ("soldiers", ["PSE", "ISR"], "Military Forces of Israel"),
        ("Palestinians", ["PSE", "ISR"], "People (Palestine)"),
        ("civilians", ["SDN"], "Civilians (Sudan)"),
        ("gunmen", ["PSE", "ISR"], "Unidentified Armed Group (Palestine)"),
        ("militants", ["NGA"], "Unidentified Armed Group (Nigeria)"),
        ("Hamas fighters", ["PSE"], "Hamas"),
        ("Russian soldiers", ["UKR"], "Military Forces of Russia"),
    ],
)
def test_victim_side(group: str, focus: list[str], side: str) -> None:
    assert victim_side(group, focus) == side


def test_victim_side_unknown_word() -> None:
    assert victim_side("buildings", ["UKR"]) is None


def test_lowercase_us_is_a_pronoun_not_the_united_states() -> None:
    assert find_actors("Let us strike a deal before the talks end, the minister said.", ["FRA"]) == []


def test_country_outside_the_list_is_named_from_the_gazetteer() -> None:
    actor = normalise_actor("gunmen", ["IDN"])
    assert actor is not None and actor.name == "Unidentified Armed Group (Indonesia)"


def test_common_noun_ending_a_proper_name_is_not_an_actor() -> None:
    text = "Leaders of the Popular Mountain Army met in the hills; troops later shelled the area."
    assert [a.mention for a in find_actors(text, ["PER"])] == ["troops"]


def _sides(text: str, country: str) -> list[str]:
    from sitrep.extract.actors import incident_sides

    found = find_actors(text)
    return [a.name for a in incident_sides(found, country, found)]


def test_victims_take_the_country_of_the_place_not_of_the_attacker() -> None:
    text = ("Israel said its jets hit targets across Gaza. An Israeli air strike on a house in Rafah "
            "killed 9 civilians, including children, Israeli and Palestinian officials said.")
    assert _sides(text, "PSE") == ["Military Forces of Israel", "Civilians (Palestine)"]


def test_victims_of_a_russian_strike_are_ukrainian() -> None:
    text = ("Russia said it had hit military targets. A Russian missile hit a cafe in the city centre, "
            "killing four people and wounding 30, and police cordoned off the street.")
    assert _sides(text, "UKR") == ["Military Forces of Russia", "Civilians (Ukraine)", "Police Forces of Ukraine"]


def test_victims_own_demonym_wins_over_the_place() -> None:
    text = "Gunmen opened fire on a bus carrying Israeli civilians near the border crossing."
    assert _sides(text, "PSE") == ["Unidentified Armed Group (Palestine)", "Civilians (Israel)"]


def test_us_strike_on_migrants_in_yemen() -> None:
    text = "A US air strike hit a detention centre holding African migrants in the north, killing 30 migrants."
    assert _sides(text, "YEM") == ["Military Forces of United States", "Civilians (Yemen)"]


def test_unknown_gunmen_take_the_place_country_when_the_text_names_none() -> None:
    text = "Bandits stormed the village at night and killed 11 farmers, residents said."
    assert _sides(text, "NGA") == ["Unidentified Armed Group (Nigeria)", "Civilians (Nigeria)"]


def test_nigerian_for_nigerien_is_the_place_army() -> None:
    text = "Nigerian soldiers repelled an ambush by jihadists near the Malian border, killing 12."
    assert _sides(text, "NER")[0] == "Military Forces of Niger"
    assert _sides(text, "NGA")[0] == "Military Forces of Nigeria"


def test_incident_without_an_armed_party_takes_the_article_attacker() -> None:
    from sitrep.extract.actors import incident_sides

    article = find_actors("Al-Shabaab fighters attacked a base on Monday. Al-Shabaab later claimed it. "
                          "On Tuesday two civilians died in the town.", ["SOM"])
    incident = [a for a in article if a.name.startswith("Civilians")]
    assert [a.name for a in incident_sides(incident, "SOM", article)] == ["Civilians (Somalia)", "Al Shabaab"]


def test_unqualified_troops_are_the_place_army_unless_a_foreign_army_is_named_there() -> None:
    from sitrep.extract.actors import incident_sides

    article = find_actors("French troops left the country last year. On Friday troops were ambushed near the "
                          "border and ten soldiers were killed, the defence ministry said.")
    incident = [a for a in article if a.mention in ("troops", "soldiers")]
    assert {a.name for a in incident} == {"Military Forces of France"}  # the article's reading
    assert [a.name for a in incident_sides(incident, "NER", article)] == ["Military Forces of Niger"]
    gaza = find_actors("Israeli forces raided the camp. Troops fired on a crowd, killing three.")
    assert [a.name for a in incident_sides(gaza[1:], "PSE", gaza)] == ["Military Forces of Israel"]


def test_unidentified_gunmen_and_the_group_the_article_blames() -> None:
    from sitrep.extract.actors import incident_sides

    article = find_actors("Al-Shabaab claimed the attack. Gunmen stormed a hotel, killing 9. Police said the "
                          "attack bore the hallmarks of al-Shabab.", ["SOM"])
    incident = [a for a in article if a.mention == "Gunmen"]
    assert [a.name for a in incident_sides(incident, "SOM", article)] == [
        "Unidentified Armed Group (Somalia)", "Al Shabaab"]
    once = find_actors("Gunmen killed 20 villagers in an area where groups linked to the Islamic State "
                       "Sahel Province (ISSP) operate.", ["BFA"])
    assert [a.name for a in incident_sides(once[:1], "BFA", once)] == ["Unidentified Armed Group (Burkina Faso)"]


@pytest.mark.parametrize(
    ("mention", "focus", "name"),
    [
        ("separatists", ["CMR"], "Unidentified Armed Group (Cameroon)"),
        ("suicide bombers", ["IRQ"], "Unidentified Armed Group (Iraq)"),
        ("kidnappers", ["NGA"], "Unidentified Armed Group (Nigeria)"),
        ("rangers", ["THA"], "Military Forces of Thailand"),
        ("cops", ["PAK"], "Police Forces of Pakistan"),
        ("Israeli security officers", None, "Police Forces of Israel"),
        ("Russian bombers", None, "Military Forces of Russia"),
        ("Levies personnel", ["PAK"], "Police Forces of Pakistan"),
        ("Dawlah Islamiya", ["PHL"], "BIFF: Bangsamoro Islamic Freedom Fighters"),
    ],
)
def test_more_ways_to_name_armed_men(mention: str, focus: list[str] | None, name: str) -> None:
    actor = normalise_actor(mention, focus)
    assert actor is not None and actor.name == name


def test_a_group_claiming_an_attack_is_a_party_not_a_source() -> None:
    from sitrep.extract import _is_claimant

    text = "Al-Shabaab claimed responsibility for the blast. The ministry said 5 died. Hamas claimed 12 were killed."
    actors = {a.mention: _is_claimant(text, a) for a in find_actors(text, ["SOM"])}
    assert actors == {"Al-Shabaab": False, "Hamas": True}


@pytest.mark.parametrize(
    "text",
    [
        "Nine were killed, military sources told reporters.",
        "An army spokesman confirmed the toll.",
        "The figure was given by a police spokesperson in the capital.",
        "A spokesperson for the junta could not be reached.",
        "The toll came from the Russian military's press office.",
    ],
)
def test_sources_named_after_a_force_are_not_parties(text: str) -> None:
    from sitrep.extract import _is_claimant

    actors = find_actors(text, ["MLI"])
    assert actors and all(_is_claimant(text, a) for a in actors)


def test_state_forces_alone_meet_the_group_the_article_keeps_naming() -> None:
    from sitrep.extract.actors import incident_sides

    article = find_actors("Militants have stepped up attacks on army posts. On Monday two soldiers died when their "
                          "convoy hit a mine. The militants later posted a video.", ["MLI"])
    incident = [a for a in article if a.mention == "soldiers"]
    assert [a.name for a in incident_sides(incident, "MLI", article)] == [
        "Military Forces of Mali", "Unidentified Armed Group (Mali)"]
    civilians = find_actors("Soldiers shot dead three villagers. Militants were blamed for earlier attacks "
                            "by militants.", ["MLI"])
    incident = [a for a in civilians if a.mention in ("Soldiers", "villagers")]
    assert [a.name for a in incident_sides(incident, "MLI", civilians)] == [
        "Military Forces of Mali", "Civilians (Mali)"]


def test_a_man_who_opens_fire_is_the_attacker_not_a_civilian() -> None:
    from sitrep.extract.actors import incident_sides

    found = find_actors("A man armed with a rifle opened fire on worshippers, killing five. A woman was wounded.")
    assert [(a.mention, a.inter_code) for a in found] == [("man", 2), ("worshippers", 7), ("woman", 7)]
    assert [a.name for a in incident_sides(found, "NZL")] == ["Unidentified Armed Group (New Zealand)",
                                                            "Civilians (New Zealand)"]


def test_people_armed_with_machetes_are_attackers() -> None:
    found = find_actors("Dozens of people armed with machetes stormed the post.", ["IDN"])
    assert [a.name for a in found] == ["Unidentified Armed Group (Indonesia)"]


def test_people_killed_are_victims_even_without_were() -> None:
    found = find_actors("The crackdown has seen at least 52 people killed and a man stabbed.", ["SDN"])
    assert [a.name for a in found] == ["Civilians (Sudan)", "Civilians (Sudan)"]


def test_bar_patrons_are_civilians_and_cartel_gunmen_a_cartel() -> None:
    sides = _sides("Cartel gunmen burst into a bar in Irapuato late on Saturday and opened fire on patrons "
                   "and employees, killing seven.", "MEX")
    assert "Civilians (Mexico)" in sides and "Unidentified Cartel (Mexico)" in sides
