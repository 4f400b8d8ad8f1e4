"""A small sitrep database for the web tests, built through the Store API.

Eight incidents in three countries (Ukraine, Sudan, Mali) in two date ranges (March and June 2024),
one disputed incident reported by two outlets, a running tally reported three times, a named victim,
and one hostile article whose text, outlet, title and URL carry HTML and script.
Every text here is written for these tests.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitrep.records import (
    ActorMention,
    Article,
    ArticleExtraction,
    CasualtyClaim,
    DateRef,
    Event,
    Evidence,
    IncidentReport,
    Place,
    Range,
    Tally,
    Victim,
)
from sitrep.store import Store

HOSTILE_ID = "ml-gao-0608"
DISPUTED_ID = "ua-kharkiv-0312#0"
HOSTILE_OUTLET = "<b>Sahel</b> Monitor <script>alert(3)</script>"
HOSTILE_TITLE = 'Attack near Gao <img src=x onerror=alert(4)> "quoted"'

TEXTS: dict[str, str] = {
    "ua-kharkiv-0312": (
        "KHARKIV, March 12 - At least 7 people were killed and 19 wounded when a missile struck an apartment "
        "block in Kharkiv on Tuesday morning, regional governor Oleh Mykhailenko said.\n\n"
        "Rescue crews were still searching the rubble late in the day. The city has come under repeated "
        "attack this month.\n\n"
        "Since the start of the year, 212 civilians have been killed in the Kharkiv region, the regional "
        "prosecutor's office said."
    ),
    "ua-kharkiv-0313": (
        "The death toll from Tuesday's missile strike on a Kharkiv apartment block rose to 9, the state "
        "emergency service said on Wednesday, with 23 people injured.\n\n"
        "Among the dead was Hanna Bondar, 67, a retired teacher who lived on the fourth floor."
    ),
    "ua-odesa-0318": (
        "Two people were killed in a drone attack on the port of Odesa overnight, the Ukrainian air force "
        "said on Monday.\n\n"
        "Since January, 240 civilians have been killed in the Kharkiv region, according to the regional "
        "prosecutor's office."
    ),
    "ua-chasiv-0605": (
        "Ukrainian officials said 14 soldiers were killed in heavy fighting near Chasiv Yar on Wednesday "
        "as Russian troops pressed their assault on the town.\n\n"
        "The regional prosecutor's office said 301 civilians had been killed in the Kharkiv region since "
        "the start of the year."
    ),
    "sd-fasher-0310": (
        "At least 25 civilians were killed when shells hit a crowded market in El Fasher, North Darfur, on "
        "Sunday, a local medical charity said, blaming the Rapid Support Forces.\n\n"
        "Separately, 4 people were killed in clashes between the army and RSF fighters in Omdurman, "
        "residents said."
    ),
    "sd-khartoum-0612": (
        "Security forces arrested 30 people at a protest against food prices in Khartoum on Wednesday, "
        "activists said. No one was reported killed."
    ),
    HOSTILE_ID: (
        "GAO, June 8 - Gunmen killed 11 villagers in an attack near Gao on Saturday, a local official "
        "said.\n\n"
        "A post shared online read <script>alert(1)</script> and another contained "
        '<img src=x onerror=alert(2)> next to a link <a href="javascript:alert(6)">click here</a>.'
    ),
    "ml-mopti-0610": (
        "Five soldiers were killed when their convoy hit a roadside bomb near Mopti on Monday, the Malian "
        "army said in a statement."
    ),
}

META: dict[str, tuple[str, str, str, str | None]] = {  # id -> outlet, published, title, url
    "ua-kharkiv-0312": (
        "Kyiv Wire",
        "2024-03-12",
        "Missile strike on Kharkiv apartment block",
        "https://example.org/kharkiv-strike",
    ),
    "ua-kharkiv-0313": ("Eastern Dispatch", "2024-03-13", "Kharkiv strike toll rises", None),
    "ua-odesa-0318": ("Kyiv Wire", "2024-03-18", "Drone attack on Odesa port", None),
    "ua-chasiv-0605": ("Eastern Dispatch", "2024-06-05", "Heavy fighting near Chasiv Yar", None),
    "sd-fasher-0310": ("Nile Post", "2024-03-10", "Market shelled in El Fasher", None),
    "sd-khartoum-0612": ("Nile Post", "2024-06-12", "Protesters detained in Khartoum", None),
    HOSTILE_ID: (HOSTILE_OUTLET, "2024-06-08", HOSTILE_TITLE, "javascript:alert(5)"),
    "ml-mopti-0610": ("Bamako Daily", "2024-06-10", "Soldiers killed near Mopti", None),
}

PLACES = {
    "Kharkiv": Place("Kharkiv", 49.99, 36.23, "UKR", admin1="Kharkivska"),
    "Odesa": Place("Odesa", 46.48, 30.72, "UKR", admin1="Odeska"),
    "Chasiv Yar": Place("Chasiv Yar", 48.59, 37.84, "UKR", admin1="Donetska"),
    "El Fasher": Place("El Fasher", 13.63, 25.35, "SDN", admin1="North Darfur"),
    "Omdurman": Place("Omdurman", 15.64, 32.48, "SDN", admin1="Khartoum"),
    "Khartoum": Place("Khartoum", 15.50, 32.56, "SDN", admin1="Khartoum"),
    "Gao": Place("Gao", 16.27, -0.04, "MLI", admin1="Gao"),
    "Mopti": Place("Mopti", 14.49, -4.20, "MLI", admin1="Mopti"),
}


def span(article_id: str, phrase: str) -> Evidence:
    """Evidence for the first occurrence of ``phrase`` in an article's text."""
    text = TEXTS[article_id]
    start = text.index(phrase)
    return Evidence.of(text, start, start + len(phrase))


def sentence(article_id: str, start_phrase: str) -> Evidence:
    """Evidence for the sentence that starts with ``start_phrase`` (up to and including its full stop)."""
    text = TEXTS[article_id]
    start = text.index(start_phrase)
    end = text.index(".", start + len(start_phrase)) + 1
    return Evidence.of(text, start, end)


def article(article_id: str) -> Article:
    text = TEXTS[article_id]
    outlet, published, title, url = META[article_id]
    return Article(
        id=article_id,
        text=text,
        raw=text,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        source=f"fixture:{article_id}",
        outlet=outlet,
        published=published,
        title=title,
        url=url,
    )


def claim(
    aid: str,
    start_phrase: str,
    outcome: str,
    count: int,
    claimant: str | None,
    qualifier: str = "exact",
    victims: str | None = None,
) -> CasualtyClaim:
    return CasualtyClaim(
        outcome=outcome,
        count=count,
        qualifier=qualifier,
        victims=victims,  # type: ignore[arg-type]
        claimant=claimant,
        evidence=sentence(aid, start_phrase),
    )


def report(
    aid: str,
    index: int,
    day: str,
    place: str,
    event_type: str,
    sub: str,
    claims: list[CasualtyClaim],
    killed: int | None,
    injured: int | None = None,
    actors: list[str] | None = None,
    victims: list[Victim] | None = None,
) -> IncidentReport:
    return IncidentReport(
        article_id=aid,
        index=index,
        date=DateRef(day, "day"),
        place=PLACES[place],
        event_type=event_type,
        sub_event_type=sub,
        claims=claims,
        victims=victims or [],
        actors=[ActorMention(a, a) for a in actors or []],
        fatalities=Range(killed, killed) if killed is not None else None,
        injuries=Range(injured, injured) if injured is not None else None,
        main=index == 0,
        summary=claims[0].evidence.text if claims and claims[0].evidence else "",
    )


EXPLOSIONS, BATTLES, VAC = "Explosions/Remote violence", "Battles", "Violence against civilians"
MISSILE = "Shelling/artillery/missile attack"


def extractions() -> list[ArticleExtraction]:
    k1, k2 = "ua-kharkiv-0312", "ua-kharkiv-0313"
    prosecutor = "regional prosecutor's office"
    return [
        ArticleExtraction(
            k1,
            [
                report(
                    k1,
                    0,
                    "2024-03-12",
                    "Kharkiv",
                    EXPLOSIONS,
                    MISSILE,
                    [
                        claim(
                            k1, "KHARKIV, March 12", "killed", 7, "regional governor", "at_least", "people"
                        ),
                        claim(k1, "KHARKIV, March 12", "injured", 19, "regional governor", victims="people"),
                    ],
                    7,
                    19,
                    ["Military Forces of Russia"],
                )
            ],
            [
                Tally(
                    "killed",
                    212,
                    victims="civilians",
                    area="Kharkiv region",
                    period_start="2024-01-01",
                    as_of="2024-03-12",
                    claimant=prosecutor,
                    evidence=sentence(k1, "Since the start"),
                ),
            ],
        ),
        ArticleExtraction(
            k2,
            [
                report(
                    k2,
                    0,
                    "2024-03-12",
                    "Kharkiv",
                    EXPLOSIONS,
                    MISSILE,
                    [
                        claim(k2, "The death toll", "killed", 9, "state emergency service", victims="people"),
                        claim(
                            k2, "The death toll", "injured", 23, "state emergency service", victims="people"
                        ),
                    ],
                    9,
                    23,
                    ["Military Forces of Russia"],
                    [Victim("Hanna Bondar", 67, "killed", "retired teacher", span(k2, "Hanna Bondar, 67"))],
                )
            ],
        ),
        ArticleExtraction(
            "ua-odesa-0318",
            [
                report(
                    "ua-odesa-0318",
                    0,
                    "2024-03-18",
                    "Odesa",
                    EXPLOSIONS,
                    "Air/drone strike",
                    [
                        claim(
                            "ua-odesa-0318",
                            "Two people",
                            "killed",
                            2,
                            "Ukrainian air force",
                            victims="people",
                        ),
                    ],
                    2,
                    None,
                    ["Military Forces of Russia"],
                )
            ],
            [
                Tally(
                    "killed",
                    240,
                    victims="civilians",
                    area="Kharkiv region",
                    period_start="2024-01-01",
                    as_of="2024-03-18",
                    claimant=prosecutor,
                    evidence=sentence("ua-odesa-0318", "Since January"),
                ),
            ],
        ),
        ArticleExtraction(
            "ua-chasiv-0605",
            [
                report(
                    "ua-chasiv-0605",
                    0,
                    "2024-06-05",
                    "Chasiv Yar",
                    BATTLES,
                    "Armed clash",
                    [
                        claim(
                            "ua-chasiv-0605",
                            "Ukrainian officials",
                            "killed",
                            14,
                            "Ukrainian officials",
                            victims="soldiers",
                        ),
                    ],
                    14,
                    None,
                    ["Military Forces of Ukraine", "Military Forces of Russia"],
                )
            ],
            [
                Tally(
                    "killed",
                    301,
                    victims="civilians",
                    area="Kharkiv region",
                    period_start="2024-01-01",
                    as_of="2024-06-05",
                    claimant=prosecutor,
                    evidence=sentence("ua-chasiv-0605", "The regional"),
                ),
            ],
        ),
        ArticleExtraction(
            "sd-fasher-0310",
            [
                report(
                    "sd-fasher-0310",
                    0,
                    "2024-03-10",
                    "El Fasher",
                    EXPLOSIONS,
                    MISSILE,
                    [
                        claim(
                            "sd-fasher-0310",
                            "At least 25",
                            "killed",
                            25,
                            "local medical charity",
                            "at_least",
                            "civilians",
                        ),
                    ],
                    25,
                    None,
                    ["Rapid Support Forces"],
                ),
                report(
                    "sd-fasher-0310",
                    1,
                    "2024-03-10",
                    "Omdurman",
                    BATTLES,
                    "Armed clash",
                    [
                        claim("sd-fasher-0310", "Separately", "killed", 4, "residents", victims="people"),
                    ],
                    4,
                    None,
                    ["Military Forces of Sudan", "Rapid Support Forces"],
                ),
            ],
        ),
        ArticleExtraction(
            "sd-khartoum-0612",
            [
                report(
                    "sd-khartoum-0612",
                    0,
                    "2024-06-12",
                    "Khartoum",
                    "Protests",
                    "Protest with intervention",
                    [
                        claim(
                            "sd-khartoum-0612",
                            "Security forces",
                            "arrested",
                            30,
                            "activists",
                            victims="people",
                        ),
                    ],
                    None,
                    None,
                    ["Protesters (Sudan)", "Police Forces of Sudan"],
                )
            ],
        ),
        ArticleExtraction(
            HOSTILE_ID,
            [
                report(
                    HOSTILE_ID,
                    0,
                    "2024-06-08",
                    "Gao",
                    VAC,
                    "Attack",
                    [
                        claim(
                            HOSTILE_ID, "GAO, June 8", "killed", 11, "a local official", victims="villagers"
                        ),
                    ],
                    11,
                    None,
                    ["Unidentified Armed Group <script>alert(7)</script>"],
                )
            ],
        ),
        ArticleExtraction(
            "ml-mopti-0610",
            [
                report(
                    "ml-mopti-0610",
                    0,
                    "2024-06-10",
                    "Mopti",
                    EXPLOSIONS,
                    "Remote explosive/landmine/IED",
                    [
                        claim(
                            "ml-mopti-0610", "Five soldiers", "killed", 5, "Malian army", victims="soldiers"
                        ),
                    ],
                    5,
                    None,
                    ["Military Forces of Mali"],
                )
            ],
        ),
    ]


def events(reports: dict[str, IncidentReport]) -> list[Event]:
    """One event per report, except the two Kharkiv reports, merged into one disputed event."""
    kharkiv = [reports["ua-kharkiv-0312#0"], reports["ua-kharkiv-0313#0"]]
    out = [
        Event(
            id=DISPUTED_ID,
            date=DateRef("2024-03-12", "day"),
            place=PLACES["Kharkiv"],
            event_type=EXPLOSIONS,
            sub_event_type=MISSILE,
            actors=["Military Forces of Russia"],
            fatalities=Range(7, 9, 9),
            injuries=Range(19, 23, 23),
            reports=kharkiv,
            disputed=True,
            merge_reasons=[
                "same place (Kharkiv) and date (2024-03-12)",
                "same event type; figures 7 vs 9 killed",
            ],
        )
    ]
    for rid, r in reports.items():
        if rid in ("ua-kharkiv-0312#0", "ua-kharkiv-0313#0"):
            continue
        out.append(
            Event(
                id=rid,
                date=r.date,
                place=r.place,
                event_type=r.event_type,
                sub_event_type=r.sub_event_type,
                actors=[a.name for a in r.actors],
                fatalities=r.fatalities,
                injuries=r.injuries,
                reports=[r],
                merge_reasons=["single source"],
            )
        )
    return out


def build_web_db(path: Path) -> Path:
    """Write the fixture database at ``path`` and close it (the web app opens it read-only)."""
    exs = extractions()
    with Store(path) as store, store.transaction():
        for aid in TEXTS:
            store.insert_article(article(aid))
        for ex in exs:
            store.save_extraction(ex)
        store.replace_events(events({r.id: r for ex in exs for r in ex.reports}))
    return path
