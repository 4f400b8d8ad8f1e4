"""Casualty claims in single sentences: one test per pattern of news language the extractor relies on.

All sentences are our own, written in wire style about several conflicts.
"""

from __future__ import annotations

import pytest

from sitrep.extract.claims import SentenceClaims
from sitrep.extract.incidents import figure
from sitrep.extract.numbers import find_quantities


def claims(sentence: str):
    return SentenceClaims(sentence, 0, len(sentence)).find(find_quantities(sentence))


def summary(sentence: str) -> list[tuple[str, int, str, bool]]:
    return [(h.claim.outcome, h.claim.count, h.claim.qualifier, h.claim.part_of_total) for h in claims(sentence)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # number, victims, auxiliary, outcome
        ("At least 12 civilians were killed in the shelling of Kherson on Monday.",
         [("killed", 12, "at_least", False)]),
        ("Some 40 villagers have been wounded, local officials said.", [("injured", 40, "about", False)]),
        ("Nearly 30 people died in the fire at the camp.", [("killed", 30, "about", False)]),
        # outcome verb before the number
        ("The drone strike killed seven soldiers near Bakhmut.", [("killed", 7, "exact", False)]),
        ("Militiamen raided the cattle market, killing at least five and then injuring over a dozen.",
         [("killed", 5, "at_least", False), ("injured", 12, "at_least", False)]),
        # noun phrases
        ("The killing of 12 herders and wounding of 20 more drew condemnation.",
         [("killed", 12, "exact", False), ("injured", 20, "exact", False)]),
        ("Local officials put the death toll at nine.", [("killed", 9, "exact", False)]),
        ("The death toll from Tuesday's air strike on the market in Kalewa rose to 14 on Wednesday.",
         [("killed", 14, "exact", False)]),
        # injuries described with a verb and a noun
        ("Six policemen sustained serious injuries in the blast.", [("injured", 6, "exact", False)]),
        # other outcomes
        ("Troops detained 23 people during the night sweep.", [("arrested", 23, "exact", False)]),
        ("At least 61 people were abducted from the village, residents said.", [("abducted", 61, "at_least", False)]),
        ("Another 120 others are missing under the rubble.", [("missing", 120, "exact", False)]),
        # ranges and qualifiers
        ("The strike killed between 5 and 7 civilians, according to local sources.", [("killed", 5, "range", False)]),
        ("Up to 15 people were wounded.", [("injured", 15, "up_to", False)]),
    ],
)
def test_outcome_patterns(sentence, expected):
    assert summary(sentence) == expected


def test_vague_quantities_are_flagged_not_figures():
    [hit] = claims("Dozens of fighters were killed in the assault, the army said.")
    assert hit.claim.vague and hit.claim.outcome == "killed"
    assert figure([hit], "killed") is None


@pytest.mark.parametrize(
    "sentence, total, parts",
    [
        ("More than 100 people were injured, 80 of them by live fire.", 100, [80]),
        ("At least 40 people were wounded – 25 by shrapnel – the hospital said.", 40, [25]),
        ("Some 30 people were killed, including 11 children, the ministry said.", 30, [11]),
        ("Rescuers pulled four more bodies from the rubble, bringing the death toll to 19.", 19, [4]),
    ],
)
def test_sub_counts_are_parts_of_the_total(sentence, total, parts):
    hits = claims(sentence)
    totals = [h.claim.count for h in hits if not h.claim.part_of_total]
    assert totals == [total]
    assert sorted(h.claim.count for h in hits if h.claim.part_of_total) == sorted(parts)


def test_severity_without_a_victim_noun_is_a_part():
    [hit] = claims("Six were in critical condition.")
    assert hit.claim.outcome == "injured" and hit.claim.part_of_total


def test_conjunction_adds_up():
    hits = claims("Soldiers killed seven gunmen and two civilians in the raid, officials said.")
    assert [h.claim.count for h in hits] == [7, 2]
    assert hits[0].conj_group is not None and hits[0].conj_group == hits[1].conj_group
    assert figure(hits, "killed").low == 9


def test_singular_victims_count_one():
    assert summary("Separately, a farmer was shot dead near Djibo.") == [("killed", 1, "exact", False)]
    assert summary("A tractor driver died of his wounds after hitting a landmine.") == [("killed", 1, "exact", False)]
    assert ("killed", 1, "exact", False) in summary("A man who tried to run was shot dead, residents said.")
    assert summary("A drone hit a car, killing the 52-year-old driver.") == [("killed", 1, "exact", False)]


@pytest.mark.parametrize(
    "sentence, claimant",
    [
        ("At least 11 people were killed, according to the regional health ministry.", "regional health ministry"),
        ("The army said 14 militants were killed in the clash.", "army"),
        ("Nine people were killed, said Governor Ibrahim Musa.", "Governor Ibrahim Musa"),
        ("Two local officials told Reuters that 20 people were wounded.", "Two local officials"),
    ],
)
def test_claimants(sentence, claimant):
    assert claims(sentence)[0].claim.claimant == claimant


def test_rival_claimants_in_one_sentence():
    sentence = "The army said it had killed at least six militants, but local officials put the toll at nine."
    hits = claims(sentence)
    assert [(h.claim.count, h.claim.claimant) for h in hits] == [(6, "army"), (9, "local officials")]
    fig = figure(hits, "killed")
    assert (fig.low, fig.high) == (6, 9)


def test_groups_add_up_but_an_inclusive_toll_covers_them():
    wounded = claims("Seven soldiers were wounded.") + claims("Medics said 45 others were wounded.")
    assert figure(wounded, "injured").low == 52
    covered = claims("The strike killed at least five people.") + claims("Three soldiers were killed.")
    assert figure(covered, "killed").low == 5


def test_things_are_not_victims():
    assert claims("An explosive device hit five military vehicles, disabling them.") == []
    assert claims("The ceasefire lasted 48 hours before shelling resumed.") == []


def test_evidence_is_the_sentence_slice():
    text = "Intro line.\nAt least 8 people were killed in Sake on Friday, officials said. More follows."
    start = text.index("At least")
    end = text.index("said.") + len("said.")
    [hit] = SentenceClaims(text, start, end).find(find_quantities(text))
    ev = hit.claim.evidence
    assert ev is not None and text[ev.start:ev.end] == ev.text and ev.text.startswith("At least 8")


def test_a_singular_joins_a_figure():
    hits = claims("Shells hit the clinic, killing two patients and a nurse, officials said.")
    assert figure(hits, "killed").low == 3


def test_taken_to_hospital_counts_as_injured():
    assert summary("The health ministry said 26 protesters had been taken to hospital.") == [
        ("injured", 26, "exact", False)]


def test_same_period_and_comparisons():
    from sitrep.extract.tallies import tally_clause

    tally = "The ministry says 113 officers have been injured over the same period."
    assert tally_clause(tally, 0, len(tally))
    lead = "Strikes killed nine people on Sunday, in one of the deadliest attacks in the area this year."
    assert not tally_clause(lead, 0, len(lead))


def test_protest_marches_are_events():
    from sitrep.extract.event_types import classify

    assert classify(["Hundreds marched peacefully to the governor's office on Tuesday."], []) == (
        "Protests", "Peaceful protest")
    assert classify(["Police fired tear gas to disperse the protest."], [])[0] == "Protests"


@pytest.mark.parametrize(
    "sentences, victims, expected",
    [
        # remote violence named in the incident's own sentence wins over clashes around it
        (["A drone struck a minibus in Kherson, killing two passengers.", "Clashes continued nearby."],
         ["passengers"], "Explosions/Remote violence"),
        (["A truck packed with explosives blew up at the base, killing three soldiers."], ["soldiers"],
         "Explosions/Remote violence"),
        # demonstrators who turn violent: a riot
        (["Protesters threw stones and set fire to cars outside the embassy.", "Police fired tear gas."], [],
         "Riots"),
        # one-sided killing of civilians by gunmen is not a battle
        (["Gunmen stormed the village overnight, killing 17 villagers."], ["villagers"],
         "Violence against civilians"),
        # two armed sides
        (["Troops clashed with insurgents near the town, leaving 12 fighters dead."], ["fighters"], "Battles"),
    ],
)
def test_event_type_precedence(sentences, victims, expected):
    from sitrep.extract.event_types import classify

    assert classify(sentences, victims, lethal=True)[0] == expected


@pytest.mark.parametrize("sentence", [
    "Militia fighters on Monday attacked the villages of Um Kadada and Tabit.",
    "Raiders attacked markets and schools across the district.",
])
def test_attacks_on_villages_or_markets_are_violence(sentence):
    from sitrep.extract.event_types import has_violence

    assert has_violence(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "More than 150 people have been detained since the protests began on Thursday.",
        "Gangs killed more than 1,500 people between January and March, the UN said.",
        "At least 30 soldiers have been killed in the first three months of the year.",
        "Nearly 200 fighters have died in clashes in October around the port, medics said.",
        "The army said 60 insurgents were killed in raids carried out over the past 48 hours in Kunar.",
        "Two people died and 19 were hurt in separate clashes in three towns within two days, police said.",
        "The killing of a farmer raised the provincial death toll to eight in a 24-hour period.",
        "The air force said it had carried out 14 operations that killed 70 fighters.",
    ],
)
def test_period_phrases_make_tallies(sentence):
    from sitrep.extract.tallies import tally_clause

    assert tally_clause(sentence, 0, len(sentence))


def test_one_attack_in_a_month_is_no_period():
    from sitrep.extract.tallies import tally_clause

    sentence = "Six soldiers were killed in an ambush in October, the army said."
    assert not tally_clause(sentence, 0, len(sentence))


def test_displacement_is_a_stock_not_a_toll():
    from sitrep.extract.tallies import find_tallies

    text = "More than 75,000 people have fled Loikaw and nearby townships, the UN said."
    qs = find_quantities(text)
    hits = SentenceClaims(text, 0, len(text)).find(qs)
    tallies, taken = find_tallies(text, 0, len(text), hits, qs, "2023-11-15", None, (None, None), stock_only=True)
    assert [(t.outcome, t.count) for t in tallies] == [("displaced", 75000)]
    assert taken == {hits[0].start}


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Among the dead was the Reverend Yakubu Dalyop, 56, a pastor.", [("Yakubu Dalyop", 56, "killed")]),
        ("The army identified the soldier who died as Corporal Andres Felipe Rojas, 23.",
         [("Andres Felipe Rojas", 23, "killed")]),
        ("Among the dead was Lieutenant-Colonel Nasser al-Qadhi, the commander.",
         [("Nasser al-Qadhi", None, "killed")]),
        ("Troops shot dead U Tin Maung, 62, the village head.", [("U Tin Maung", 62, "killed")]),
        ('"It was chaos," said Hodan Mohamed, 24, who was treated for a leg wound.',
         [("Hodan Mohamed", 24, "injured")]),
        # a quoted relative is not a victim
        ('"No warning," said Samira Abu Taha, 43, who lost her sister in the strike.', []),
    ],
)
def test_named_victims(sentence, expected):
    from sitrep.extract.victims import find_victims

    assert [(v.name, v.age, v.outcome) for v in find_victims(sentence, 0, len(sentence))] == expected


def test_toll_updates_and_role_names():
    from sitrep.extract.victims import find_victims

    hits = claims("A spokesman said on Saturday that the toll had risen to 21, with 48 people wounded.")
    assert [(h.claim.outcome, h.claim.count) for h in hits] == [("killed", 21), ("injured", 48)]
    victim = "Among the dead was the mosque's imam, Mawlawi Abdul Karim, residents said."
    assert [v.name for v in find_victims(victim, 0, len(victim))] == ["Mawlawi Abdul Karim"]
    speaker = "Nine people were killed, the regional governor, Oleh Syniehubov, said."
    assert find_victims(speaker, 0, len(speaker)) == []


def _find_tallies(sentence: str, published: str = "2024-05-20"):
    """(tallies, (outcome, count) of the claims left to the incident) of one sentence."""
    from sitrep.extract.tallies import find_tallies

    qs = find_quantities(sentence)
    hits = SentenceClaims(sentence, 0, len(sentence)).find(qs)
    found, taken = find_tallies(sentence, 0, len(sentence), hits, qs, published, None, (None, None))
    return found, [(h.claim.outcome, h.claim.count) for h in hits if h.start not in taken and not h.claim.vague]


def _tallies_of(sentence: str):
    found, left = _find_tallies(sentence)
    return sorted((t.outcome, t.count) for t in found), left


@pytest.mark.parametrize(
    "sentence, tallies",
    [
        # sums over several incidents in a period
        ("Over the past week, a string of raids by armed groups in Borno has killed 46 farmers.", [("killed", 46)]),
        ("This week some 35 people, soldiers and civilians alike, died in various ambushes in the north.",
         [("killed", 35)]),
        ("Earlier in March, 28 people died in a spate of bombings in the capital.", [("killed", 28)]),
        ("Four separate attacks across Guerrero on Saturday left 19 people dead.", [("killed", 19)]),
        # totals since an event, over a span of dates, of a war
        ("Nearly 9,500 Yemenis have since been killed, the UN agency said.", [("killed", 9500)]),
        ("Police recorded 74 officers killed between March 3, 2022 and June 30.", [("killed", 74)]),
        ("More than 18,300 lives have been lost in the conflict, a monitoring group estimates.",
         [("killed", 18300)]),
        ("Months of clashes along the frontier have now claimed at least 212 lives.", [("killed", 212)]),
        ("A government crackdown on the marches has now seen 63 people killed, doctors said.", [("killed", 63)]),
        ("Rights monitors counted 1 350 civilians killed across the province since 2019.", [("killed", 1350)]),
        ("The state's homicide figures show 311 people murdered in August alone.", [("killed", 311)]),
        ("Soldiers killed 14 fighters, bringing the militia's dead so far this month to 90.", [("killed", 90)]),
        ("With his death, the number of rangers slain in the district this year went up to 27.", [("killed", 27)]),
        ("The country has recorded more than 310,000 murders since 2007.", [("killed", 310000)]),
        ("Rights groups say 2,300 people have been killed in the unrest to date.", [("killed", 2300)]),
        ("The number of civilians killed in the province this month has climbed to 48.", [("killed", 48)]),
        ("In March alone, gangs killed 300 people in the capital.", [("killed", 300)]),
        ("Artillery fire killed three fishermen, raising the total to 88.", [("killed", 88)]),
        ("Raids in recent weeks have left at least 70 dead across the district.", [("killed", 70)]),
        ("Though the port is among the most violent cities, the state has accumulated 2,100 murders with firearms.",
         [("killed", 2100)]),
        # a period opened by an event without a toll of its own; spans told loosely
        ("At least 90 people have been killed in the hill districts since June 9, when clan clashes erupted.",
         [("killed", 90)]),
        ("More than 140 people have died in the unrest since early April, officials say.", [("killed", 140)]),
        ("The state, where 75 people have died over nearly three months, remains under curfew.",
         [("killed", 75)]),
        # a population is never a tally
        ("Attacks in the province, home to 40 million people, killed 900 people last year, a think tank said.",
         [("killed", 900)]),
        # displacement is a stock wherever it stands
        ("Fighting in the valley killed nine people and some 4,000 residents fled their homes.",
         [("displaced", 4000)]),
        ("The war has left more than 2,000 dead and forced 650,000 people to flee their homes.",
         [("displaced", 650000), ("killed", 2000)]),
    ],
)
def test_running_totals_and_sums_are_tallies(sentence, tallies):
    assert _tallies_of(sentence)[0] == tallies


@pytest.mark.parametrize(
    "sentence, toll",
    [
        # "so far" of the incident being reported is its own running figure
        ("Rescuers said 41 bodies had so far been pulled from the collapsed mosque.", [("killed", 41)]),
        ("The governor said 17 people were confirmed dead so far and 30 injured.",
         [("killed", 17), ("injured", 30)]),
        ("The death toll from Tuesday's strike rose to 25, officials said this week.", [("killed", 25)]),
        # a birth year is no period
        ("Four people died, among them a girl born in 2011, the emergency service said.", [("killed", 4)]),
        # a trailing "the latest in a series" describes the series, not this figure
        ("Bandits killed 23 villagers near Gusau on Sunday, the latest in a wave of attacks over the past year.",
         [("killed", 23)]),
        # several figures beside "separate attacks" are the incidents' own
        ("In separate attacks on Monday, gunmen killed five in Dogo and seven in Bassa.",
         [("killed", 5), ("killed", 7)]),
    ],
)
def test_incident_figures_are_not_tallies(sentence, toll):
    tallies, left = _tallies_of(sentence)
    assert tallies == [] and sorted(left) == sorted(toll)


def test_tally_keeps_the_period_of_its_own_clause():
    sentence = ("A roadside bomb killed two soldiers on Monday, while 58 soldiers have been killed since "
                "January in the province.")
    found, left = _find_tallies(sentence)
    assert [(t.count, t.period_start) for t in found] == [(58, "2024-01-01")] and left == [("killed", 2)]


@pytest.mark.parametrize(
    "sentence, low, high",
    [
        # all sides add up; "neutralised", "eliminated", "martyred", "lives" are deaths
        ("Nineteen gendarmes died in the ambush, while some forty assailants were neutralised, the ministry said.",
         59, 59),
        ("Troops eliminated 12 insurgents and lost three of their own men.", 15, 15),
        ("Two policemen were martyred and five others wounded at the checkpoint.", 2, 2),
        ("The car bomb claimed 31 lives outside the courthouse.", 31, 31),
        ("About 40 people lost their lives when the ferry was shelled.", 40, 40),
        ("Bodies of 14 herders were found near the river.", 14, 14),
        ("Mourners buried 19 victims of the massacre on Sunday.", 19, 19),
        ("Three more bodies were pulled from the river, bringing to 26 the number of people killed.", 26, 26),
        ("The air strike killed a farmer and his four sons in Maarat.", 5, 5),
        # a group among the dead is part of the toll, not added
        ("The army said four rebels were among the 17 killed in the raid.", 17, 17),
        # two sources, or an initial and a revised toll: low/high span them
        ("A medic said nine people had died, while residents said as many as 30 were killed.", 9, 30),
        ("Local radio reported 44 people killed, while a rights group put the figure at 15 or more.", 15, 44),
        ("Officials put the initial toll at three dead, but the death toll later rose to 11.", 3, 11),
    ],
)
def test_incident_figures(sentence, low, high):
    r = figure(claims(sentence), "killed")
    assert r is not None and (r.low, r.high) == (low, high)


@pytest.mark.parametrize(
    "sentence, victim",
    [
        ("A member of the local vigilance committee was killed in the raid.", "member"),
        ("A suspected Maoist was killed in an exchange of fire with police.", "Maoist"),
        ("A roadside bomb killed a ranger near the school.", "ranger"),
        ("A police officer, Inspector Adam Kowal, 41, was killed by a sniper.", "police officer"),
        ("A jawan of the border force was on Tuesday killed in the blast.", "jawan"),
    ],
)
def test_one_named_victim_counts_one(sentence, victim):
    [hit] = [h for h in claims(sentence) if h.claim.outcome == "killed"]
    assert (hit.claim.count, hit.claim.victims) == (1, victim)


def test_each_toll_phrase_takes_its_own_number():
    hits = claims("The death toll from the riots has risen to 22, the number of injured to 140.")
    assert [(h.claim.outcome, h.claim.count) for h in hits] == [("killed", 22), ("injured", 140)]


def test_groups_and_weapons_are_not_victims():
    hits = claims("Fighting between the two clans killed 14 people and hundreds of rifles were seized.")
    assert [(h.claim.outcome, h.claim.count) for h in hits] == [("killed", 14)]


def test_claimant_of_a_contrasting_clause():
    hits = claims("A nurse said 12 people were killed, while activists said 25 people died.")
    assert [h.claim.claimant for h in hits] == ["A nurse", "activists"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Police said the toll from the market bombing stood at 23 dead and wounded.",
        "Some 40 soldiers were killed or wounded in the fighting around the airport.",
    ],
)
def test_dead_and_wounded_together_is_no_death_toll(sentence):
    assert figure(claims(sentence), "killed") is None


@pytest.mark.parametrize(
    "sentence, claimant",
    [
        ("The twin blasts claimed 17 lives near the bus station, the governor said.", "governor"),
        ("The death toll has risen to 31, the interior ministry said Thursday.", "interior ministry"),
        ("The blast killed 9 people, police said Monday.", "police"),
        ('"Fourteen people have died," the emergency centre said on its website.', "emergency centre"),
        ("Two more fighters were killed in a drone strike on a farm, said a local security source.",
         "a local security source"),
        ("Jonas Peralta, head of the municipal council, says four farmers were shot dead.",
         "head of the municipal council"),
        ("The ambush killed five troops, said the army on Friday.", "army"),
        ("Eleven villagers died, reported the state news agency.", "state news agency"),
        ("Seven reported killed as drones hit a fuel depot outside Sittwe, residents said.", "residents"),
        ("Three confirmed dead after the raid on Ngala market, a council official told reporters.",
         "a council official"),
    ],
)
def test_claimant_is_a_source_not_a_verb_or_day(sentence, claimant):
    assert [h.claim.claimant for h in claims(sentence)] == [claimant]


@pytest.mark.parametrize(
    "sentence, killed",
    [
        ("A shell that hit the market killed five more boys, two nurses and a driver.", 8),
        ("Gunmen killed five soldiers, three civilians and two police officers at the checkpoint.", 10),
        ("A mother and her two sons died when a shell struck their home in Kupiansk.", 3),
        ("Four girls and their father died when a drone hit the family car near Rafah.", 5),
        ("Gunmen shot dead two brothers and their father at a farm near Jos.", 3),
        # not a list: a part, a reporter, a thing
        ("The strike killed 12 people, 7 children among them.", 12),
        ("The raid killed more than 20 villagers on Monday, two local officials said.", 20),
        ("Two fighters dead, more than 10 houses burned, the governor wrote.", 2),
        ("A witness said the raiders took about five people away and two farmers were shot dead.", 2),

    ],
)
def test_figures_listed_after_one_verb_add_up(sentence, killed):
    assert figure(claims(sentence), "killed").high == killed


def test_a_population_with_many_of_them_displaced_is_no_figure():
    counts = [h.claim.count for h in claims("The province is home to more than 2 million people, many of them "
                                            "displaced by years of fighting.")]
    assert 2_000_000 not in counts


def test_one_victim_placed_before_the_verb_is_counted():
    assert summary("A 52-year-old farmer in the village of Ivanivka, Kherson region, was killed by shelling.") == [
        ("killed", 1, "exact", False)]
    assert summary("A teacher at Ban Lo, a tambon or group of hamlets in Narathiwat's Rueso district, was shot "
                   "dead on Monday.") == [("killed", 1, "exact", False)]


def test_captured_is_an_abduction():
    assert summary("Eight soldiers were captured by the rebels.") == [("abducted", 8, "exact", False)]


def test_another_alone_is_one():
    assert summary("Two police officers were wounded and another was killed at the checkpoint.") == [
        ("injured", 2, "exact", False), ("killed", 1, "exact", False)]


def test_a_roundup_sentence_keeps_its_day():
    """Several figures beside "separate attacks": the clause is no tally, so "on Monday" can date the incidents."""
    from sitrep.extract.tallies import tally_clause

    roundup = "In separate attacks on Monday, militiamen killed four in Kitchanga and nine in Rutshuru."
    summed = "On Monday, three separate attacks left 13 people dead across North Kivu."
    assert not tally_clause(roundup, 0, len(roundup)) and tally_clause(summed, 0, len(summed))


def test_a_headline_tally_is_kept_and_never_a_toll():
    from sitrep.extract import extract_article
    from sitrep.records import Article

    text = ("Village raid brings this year's dead in the district to 48\n\n"
            "Gunmen killed six farmers in the village of Dorowa on Tuesday, police said.\n")
    found = extract_article(Article(id="t", text=text, raw=text, content_hash="h", source="test",
                                    published="2024-03-14"))
    assert [(t.outcome, t.count, t.period_start) for t in found.tallies] == [("killed", 48, "2024-01-01")]
    assert [r.fatalities.low for r in found.reports if r.fatalities] == [6]


def test_a_pronoun_source_is_not_replaced_by_the_victims():
    assert [h.claim.claimant for h in claims("She said four guards were wounded.")] == [None]


def test_a_partial_count_so_far_spans_with_the_full_toll():
    hits = claims("At least 64 villagers were killed when gunmen stormed the market.") + claims(
        "The police spokesman said 30 bodies had been recovered so far.")
    r = figure(hits, "killed")
    assert (r.low, r.high) == (30, 64)


def test_a_participle_after_the_victims_keeps_the_outcome():
    assert summary("At least 26 pilgrims returning from the shrine died in the ambush.") == [
        ("killed", 26, "at_least", False)]


def test_a_sum_in_one_clause_flags_the_sentence():
    from sitrep.extract.tallies import tally_clause

    sentence = "Gunmen killed 12 villagers in Bakura on Sunday, while this week some 40 people died in various attacks."
    assert tally_clause(sentence, 0, len(sentence))
    assert _tallies_of(sentence) == ([("killed", 40)], [("killed", 12)])


def test_each_clause_keeps_its_own_period():
    sentence = ("Since January some 300 people have been killed in the region, while the previous week "
                "25 died in several raids.")
    found, _ = _find_tallies(sentence)
    assert [(t.count, t.period_start) for t in found] == [(300, "2024-01-01"), (25, None)]


def test_a_list_of_groups_before_one_verb_adds_up():
    hits = claims("Three rebels, a soldier and a shepherd were killed in the clash near Kidal, the army said.")
    assert [h.claim.count for h in hits] == [3, 1, 1]
    assert len({h.conj_group for h in hits}) == 1 and hits[0].conj_group is not None
    assert figure(hits, "killed").low == 5


def test_a_group_named_with_its_acronym_keeps_its_figure():
    hits = claims("Four suspected Islamic State West Africa Province (ISWAP) fighters were killed in Borno on Monday.")
    assert [(h.claim.outcome, h.claim.count) for h in hits] == [("killed", 4)]


@pytest.mark.parametrize("sentence, count", [
    ("Police said eleven members of the Mungiki gang were killed in the shoot-out.", 11),
    ("Seven members of the Allied Democratic Forces (ADF) were killed by troops.", 7),
    ("Six fighters of a local militia were wounded in the fighting.", 6),
])
def test_members_of_a_group_are_victims(sentence, count):
    hits = claims(sentence)
    assert [h.claim.count for h in hits] == [count]


def test_members_of_a_family_among_the_dead_are_a_part():
    hits = claims("The monitor said 9 members of one family were among the dead.")
    assert hits and all(h.claim.part_of_total for h in hits)


@pytest.mark.parametrize("sentence", [
    "Monitors recorded 17 attacks by armed groups in June, killing more than 60 people in the province.",
    "The blasts brought to at least 41 the number of people killed in the region since troops raided a camp on Jan. 3.",
    "At least 90 people have been killed since two militias launched an all-out war late last month, a monitor said.",
    "Another 12 deaths were recorded in similar raids between Saturday and last Tuesday in the north.",
    "Doctors counted 30 dead from 3 to 9 March, which the ministry confirmed.",
    "The UN said at least 50 civilians were killed in this latest upsurge of violence.",
    "Five people died in attacks over the weekend.",
    "Two people were killed and nine hurt in several bomb attacks across the province on Sunday night.",
    "Rebels claimed three coordinated attacks in Kidal, Tessalit and Aguelhok, killing five soldiers.",
    "About 700 people have been killed in the two provinces since martial law was imposed, a tracker said.",
    "Some 120 fighters have died since a truce was signed in the spring.",
    "The raids took place in Kafr Dan, Burqin and Yamun, leaving five men dead.",
    "Troops killed two gunmen in Tubas, taking the toll in the territory to over 400 during the war.",
])
def test_sums_over_a_period_or_several_attacks_are_tallies(sentence):
    from sitrep.extract.tallies import tally_clause

    assert tally_clause(sentence, 0, len(sentence))


@pytest.mark.parametrize("sentence", [
    "Gunmen stormed a checkpoint in several waves of attacks against a single post, killing nine guards.",
    "The death toll has risen to 12 since gunmen attacked the market on Monday.",
    "Police said 9 people died on Wednesday in an operation in the favela.",
    "The attacks took place in the east and west of the camp, leaving six people dead.",
])
def test_one_incident_stays_an_incident(sentence):
    from sitrep.extract.tallies import tally_clause

    assert not tally_clause(sentence, 0, len(sentence))


@pytest.mark.parametrize("sentence, count", [
    ("The raiders slaughtered nine herders near the river, a local leader said.", 9),
    ("Militants beheaded four farmers in the district on Sunday.", 4),
    ("Gunmen gunned down 14 worshippers at the mosque.", 14),
])
def test_more_ways_to_say_killed(sentence, count):
    assert summary(sentence) == [("killed", count, "exact", False)]


def test_a_list_of_single_victims_adds_up():
    hits = claims("A farmer and a teenager were shot dead near the checkpoint, relatives said.")
    assert figure(hits, "killed").low == 2
    hits = claims("A soldier and a shepherd were wounded when the mine exploded.")
    assert figure(hits, "injured").low == 2


def test_a_listed_thing_is_no_victim():
    hits = claims("Four people were shot dead at a wedding and two others were wounded.")
    assert figure(hits, "killed").low == 4 and figure(hits, "injured").low == 2


def test_a_singular_with_another_outcome_does_not_join_the_dead():
    hits = claims("The shelling left three men dead and a woman wounded, medics said.")
    assert figure(hits, "killed").low == 3


def test_a_which_clause_keeps_the_sum_it_refers_to():
    from sitrep.extract.tallies import clauses

    sentence = ("Monitors reported a series of armed clashes in the valley, which resulted in four men killed and "
                "a boy injured.")
    assert clauses(sentence, 0, len(sentence)) == [(0, len(sentence))]
    other = "Troops killed 12 rebels, which the army said was a record."
    assert len(clauses(other, 0, len(other))) == 2
