"""Named victims: who the article says was killed or injured (sentences written for these tests)."""

from __future__ import annotations

import pytest

from sitrep.extract.victims import attach_orphans, dedupe_victims, find_victims, name_key, same_person
from sitrep.records import DateRef, Evidence, IncidentReport, Victim


def _found(sentence: str) -> list[tuple[str, int | None, str]]:
    return [(v.name, v.age, v.outcome) for v in find_victims(sentence, 0, len(sentence))]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a list of names and ages, then their fate
        ("The three men targeted in the raid – Karim Haddad Saleh, 31, Yusuf Nabil, 28 and Omar Tawfiq, 22 – "
         "were killed, along with Salim Aboud Jaber, 70.",
         [("Karim Haddad Saleh", 31, "killed"), ("Yusuf Nabil", 28, "killed"), ("Omar Tawfiq", 22, "killed"),
          ("Salim Aboud Jaber", 70, "killed")]),
        ("Mohammed Ali Hassan, 33, and Hussein Karimi (27) were wounded when the bomb exploded.",
         [("Mohammed Ali Hassan", 33, "injured"), ("Hussein Karimi", 27, "injured")]),
        ("Corporal Amrosius, Private Dirman and First Lieutenant Budi Santoso died in the ambush, he said.",
         [("Amrosius", None, "killed"), ("Dirman", None, "killed"), ("Budi Santoso", None, "killed")]),
        ("Two brothers, Eli Mizrahi and Avi Mizrahi, who were both shot dead at the junction, were buried.",
         [("Eli Mizrahi", None, "killed"), ("Avi Mizrahi", None, "killed")]),
        # a list after a cue
        ("The health ministry identified those killed as Rami Khoury, 24, Nadim Sabbagh, 30, and 16-year-old "
         "Majd Halabi.",
         [("Rami Khoury", 24, "killed"), ("Nadim Sabbagh", 30, "killed"), ("Majd Halabi", 16, "killed")]),
        ("Among the dead were Dr. Aisha Rahimi, a paediatrician, and Sheikh Hamid Lutfi, the village imam.",
         [("Aisha Rahimi", None, "killed"), ("Hamid Lutfi", None, "killed")]),
        ("The victims were named as Tomasz Nowak and Pavlo Kravets.",
         [("Tomasz Nowak", None, "killed"), ("Pavlo Kravets", None, "killed")]),
        ("The slain commander was named as Colonel Viktor Hrytsenko.", [("Viktor Hrytsenko", None, "killed")]),
        ("The injured were identified as Gul Rahman, Sher Ali, Bakhtiar and Naveed.",
         [("Gul Rahman", None, "injured"), ("Sher Ali", None, "injured"), ("Bakhtiar", None, "injured"),
          ("Naveed", None, "injured")]),
        ("Names of the dead: Ousmane Diallo, Boubacar Sow, Hamidou Barry.",
         [("Ousmane Diallo", None, "killed"), ("Boubacar Sow", None, "killed"), ("Hamidou Barry", None, "killed")]),
        ("Among those wounded in the blast was Ahmad Zaki, a 12-year-old boy.", [("Ahmad Zaki", None, "injured")]),
        ("The two policemen killed were named as HC Rakesh Kumar and Constable Anil Verma.",
         [("Rakesh Kumar", None, "killed"), ("Anil Verma", None, "killed")]),
        ("Two soldiers were killed. The dead were named as Staff Sgt. Kevin Morales and Spc. Tyler Burns.",
         [("Kevin Morales", None, "killed"), ("Tyler Burns", None, "killed")]),
        ("Hamas said Israeli strikes killed 30 people, including journalist Hamza Dahdouh and photographer "
         "Mustafa Thuraya.", [("Hamza Dahdouh", None, "killed"), ("Mustafa Thuraya", None, "killed")]),
        # a name after a killing verb, a role or a fate noun
        ("The strike killed Hezbollah commander Wissam Tawil near the border.", [("Wissam Tawil", None, "killed")]),
        ("Separately, the army said it had killed Ahmed Jaber, a senior Hamas operative.",
         [("Ahmed Jaber", None, "killed")]),
        ("Ukrainian officials said the strike in Kharkiv killed Olena Petrenko, 67.",
         [("Olena Petrenko", 67, "killed")]),
        ("Journalist Shireen Haddad was shot dead while covering the raid.", [("Shireen Haddad", None, "killed")]),
        ("A 15-year-old boy, Yousef Amro, was killed by a sniper.", [("Yousef Amro", None, "killed")]),
        ("Mourners gathered for the funeral of Lieutenant Amadou Traore, the commander of the patrol.",
         [("Amadou Traore", None, "killed")]),
        ("Father Isaac Achi was burned to death when gunmen set fire to the parish house.",
         [("Isaac Achi", None, "killed")]),
        ("Sergeant Major Yosef Cohen, 21, from Haifa, died of wounds sustained in the clash.",
         [("Yosef Cohen", 21, "killed")]),
        ("Among those killed in the strike was the acclaimed writer Victoria Amelina, 37.",
         [("Victoria Amelina", 37, "killed")]),
        ("Mexican journalist Luis Martin Sanchez was found dead in Nayarit state.",
         [("Luis Martin Sanchez", None, "killed")]),
        ("Two suspects, Ali Musa and Sani Garba, were killed in a shootout with police, spokesman Abubakar Sadiq said.",
         [("Ali Musa", None, "killed"), ("Sani Garba", None, "killed")]),
        ("The wounded include Cpl. Ahmad Nasser, who lost a leg.", [("Ahmad Nasser", None, "injured")]),
        ("Five protesters were shot dead. Among them, according to his family, was Brian Otieno, 24, a student.",
         [("Brian Otieno", 24, "killed")]),
        ("Seventeen-year-old Diego Ramos Vega was one of the people killed at the party.",
         [("Diego Ramos Vega", 17, "killed")]),
        # said of someone: what was said, not who said it
        ("Doctors at the clinic said Samir Odeh, in his 30s, succumbed to his wounds overnight.",
         [("Samir Odeh", None, "killed")]),
        ("The district officer said Tank SHO Gul Nawaz received bullet wounds and lost his life on the spot.",
         [("Gul Nawaz", None, "killed")]),
        ("Police said Bilal Ahmed sustained serious injuries when the grenade went off.",
         [("Bilal Ahmed", None, "injured")]),
    ],
)
def test_named_victims_in_news_phrasing(sentence: str, expected: list[tuple[str, int | None, str]]) -> None:
    assert _found(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Police arrested Samuel Okonkwo, 34, and Chidi Eze, 29, in connection with the killing.",
        "Amina Bello, 19, was arrested at the scene after the bombing killed four people.",
        "Rebels abducted Pastor Emmanuel Obi and killed two guards on Sunday.",
        '"We heard the blast," said Maria Gonzalez, 45, whose shop was destroyed when three people were killed.',
        "Governor Babagana Zulum, who visited the site, said 40 farmers were killed.",
        "Pakistan army spokesman Major General Ahmed Sharif said 10 militants were killed.",
        "The attack killed 14 people, Mayor Ivan Fedorov said.",
        "General Min Thant's forces shelled the town, killing 8 civilians.",
        "Five people were killed in Khan Younis and Rafah, including two children.",
        "Fighting in the district of Upper Kalat wounded five policemen, the governor said.",
        "Checkpoints were overrun in the district of Lower Kalat, wounded another five policemen.",
        "The attackers, led by Abu Hafs al-Mauritani, killed 20 villagers.",
        "Interior Minister Ali Mohammed Hassan condemned the attack that killed 9 people.",
        "Reporting by Aidan Lewis in Cairo; Editing by Jane Merriman. Twelve people died.",
        "Twenty-nine Palestinians were wounded in the clashes.",
        '"My son was only 12," said his mother, Fatima Ali, whose home was destroyed in the strike that killed four.',
        "Health Minister Majed Abu Ramadan said 30 people were killed.",
        "Prime Minister Benjamin Netanyahu vowed revenge after three soldiers were killed.",
        "President Volodymyr Zelensky condemned the strike, which killed 11 people in Kryvyi Rih.",
        "Photo: Ahmed Hassan/AFP. Twelve people were killed.",
        "Three bodies were found at the post, and another soldier, Private Juma Okello, is still missing.",
        "Two guards were killed, while the driver, Peter Mwangi, escaped unhurt.",
        "Fighters of the Islamic Jihad and Hamas were killed in the raid.",
    ],
)
def test_not_victims(sentence: str) -> None:
    assert _found(sentence) == []


@pytest.mark.parametrize(
    "text",
    ["A reservist died of his wounds on Tuesday. The soldier was identified as Sergeant Omer Levi, 22.",
     "Seven policemen were martyred in the raid. The names of the others were revealed as Omer Levi, 22."],
)
def test_identified_as_reads_the_fate_from_the_sentences_before(text: str) -> None:
    start = text.index(". ") + 2
    assert [(v.name, v.age) for v in find_victims(text, start, len(text))] == [("Omer Levi", 22)]


def test_names_shot_in_the_next_paragraph_take_its_outcome() -> None:
    text = ("Soldiers shot dead three men at a checkpoint near Tubas on Sunday, medics said.\n"
            "Karim Nasser, 19, and Omar Haddad, 23, were shot in the chest, a relative said.\n")
    start = text.index("Karim")
    assert [(v.name, v.outcome) for v in find_victims(text, start, len(text), None, "killed")] == [
        ("Karim Nasser", "killed"), ("Omar Haddad", "killed")]
    quoted = "Khalil Odeh, 52, a neighbour, said the family had lived there for decades.\n"
    assert find_victims(quoted, 0, len(quoted), None, "killed") == []


@pytest.mark.parametrize(
    ("a", "b"),
    [("Mohammad Abdulghani", "Muhammad Abdalghani"), ("Ibrahim Biari", "Ebrahim Biari"),
     ("Hossam Isleem", "Hussam Isleem"), ("Waleed Dakheel", "Walid Dakhil"),
     ("Musab Owais", "Musab Munir Uweis"), ("Yusuf al-Masri", "Youssef el-Masri")],
)
def test_transliterations_are_one_person(a: str, b: str) -> None:
    assert same_person(a, b)


def test_different_people_stay_apart() -> None:
    assert not same_person("Ahmed Saleh", "Omar Saleh")
    assert not same_person("Ahmed Saleh", "Ahmed Nasser")
    assert name_key("Mohammed") == name_key("Muhammad")


def test_dedupe_keeps_the_first_spelling_and_any_age() -> None:
    victims = [Victim("Hossam Isleem"), Victim("Mohammad Abdulghani"), Victim("Hussam Isleem", age=24)]
    assert [(v.name, v.age) for v in dedupe_victims(victims)] == [("Hossam Isleem", 24), ("Mohammad Abdulghani", None)]


def _report(index: int, start: int) -> IncidentReport:
    return IncidentReport(article_id="a", index=index, date=DateRef(None, None), place=None, event_type="",
                          sub_event_type="", evidence=Evidence(start, start + 10, "x" * 10))


def test_orphan_names_join_the_incident_told_before_them() -> None:
    first, second = _report(0, 0), _report(1, 500)
    late = Victim("Nadia Farouk", evidence=Evidence(800, 850, "y" * 50))
    early = Victim("Karim Aziz", evidence=Evidence(100, 150, "z" * 50))
    known = Victim("Ali Hamdan", evidence=Evidence(120, 150, "w" * 30))
    first.victims.append(Victim("Ali Hamdan"))
    attach_orphans([first, second], [late, early, known])
    assert [v.name for v in first.victims] == ["Ali Hamdan", "Karim Aziz"]
    assert [v.name for v in second.victims] == ["Nadia Farouk"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Residents carried the bodies of the dead to the palace to meet the Emir, Alhaji Musa Danladi Bello.",
        "There were no injuries, local military commander Col. Rudi P. Simanjuntak said of the firefight.",
    ],
)
def test_a_title_alone_does_not_make_a_victim(sentence: str) -> None:
    assert _found(sentence) == []


def test_a_commander_named_as_a_side_of_the_war_is_no_victim() -> None:
    text = ("The war broke out between the army under General Amos Dungu and rebels loyal to Colonel Pierre "
            "Lokwa, leaving thousands dead.")
    assert find_victims(text, 0, len(text)) == []
