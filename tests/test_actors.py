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
    ("Border Police", None, "Police Forces of Israel", 1, "ISR"),
    ("Israeli settlers", None, "Israeli settlers", 4, "ISR"),
    ("Russian troops", None, "Military Forces of Russia", 1, "RUS"),
    ("Ukrainian forces", None, "Military Forces of Ukraine", 1, "UKR"),
    ("Ukraine's army", None, "Military Forces of Ukraine", 1, "UKR"),
    ("Sudanese Armed Forces", None, "Military Forces of Sudan", 1, "SDN"),
    ("SAF", None, "Military Forces of Sudan", 1, "SDN"),
    ("RSF", None, "Rapid Support Forces", 2, "SDN"),
    ("the paramilitary Rapid Support Forces", None, "Rapid Support Forces", 2, "SDN"),
    ("Tatmadaw", None, "Military Forces of Myanmar", 1, "MMR"),
    ("junta troops", None, "Military Forces of Myanmar", 1, "MMR"),
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
