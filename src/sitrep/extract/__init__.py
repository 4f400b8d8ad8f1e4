"""Per-article extraction: incidents, casualty claims, tallies, dates, places, actors, victims.

``Extractor`` loads the spaCy pipeline once (the model name is configurable: argument, env
``SITREP_MODEL`` or data/extraction_settings.json) and runs the stages on each article:

sentences (spaCy) -> quantities (numbers) -> dates -> places -> actors -> claims per sentence ->
tallies split off -> incidents grouped -> figures reconciled -> ``ArticleExtraction``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import Any

from ..records import ActorMention, Article, ArticleExtraction, Place, Tally, Victim
from .actors import find_actors
from .claims import SentenceClaims
from .dates import period_end_in, period_start_in, reference_day, resolve_dates
from .incidents import (
    IncidentBuilder,
    SentenceInfo,
    anchor_place,
    build_reports,
    caption_paragraphs,
    is_specific,
    place_items,
    places_compatible,
    sentence_flags,
)
from .nlp import PERFORMANCE, SETTINGS, Annotations, annotate, as_annotations, load_nlp
from .numbers import find_quantities
from .places import find_places, focus_countries, resolve_place
from .tallies import dedupe, find_tallies
from .text import paragraphs, split_sentences
from .victims import attach_orphans, find_victims

AGENCY = r"\((?:Reuters|AP|AFP|Xinhua|dpa|UPI|Anadolu|IANS|PTI|EFE|ANSA|Kyodo|Yonhap|Bernama|Tass|TASS|Sputnik|" \
    r"Tasnim|[A-Z]{2,12}(?:[/-][A-Za-z]{2,12})?|[A-Z][A-Za-z]{1,11} [A-Z][a-z]{2,12}(?:/[A-Z][a-z]{2,12})?)\)"
# "(ANI/Xinhua)", "(KUNA)", "(NNN-AGENCIES)", "(SO News/Agency)"
COUNTRY_PART = r"(?:\(?[A-Z][\w .'’-]{1,30}?\)?,?\s+|\[[^\]\n]{2,30}\],?\s+)?"  # ", Nigeria", " (Nigeria)", "[Mali]"
DATELINE = re.compile(  # "JENIN, West Bank, Jan 26 (Reuters) -", "ABUJA, Nigeria (AP) —", "Bogota (AFP) -"
    r"^\s*(?:(?P<place>[A-Z][A-Z'’.\-]+(?:[ \-][A-Z][A-Z'’.\-]+){0,3}),?\s+" + COUNTRY_PART +
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s*)?(?:" + AGENCY + r"|[-–—])"
    r"|(?P<titled>[A-Z][a-z'’.\-]+(?:[ \-][A-Z][a-z'’.\-]+){0,2}),?\s+" + COUNTRY_PART +
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s*)?" + AGENCY + r")",
    re.M,
)
LOOSE_DATELINE = re.compile(  # "JENIN: ", "Maputo — ", "Sidon (Lebanon): ", "Garissa, Kenya — ", "New Delhi/Imphal: ",
    # "SRINAGAR, Jammu and Kashmir: "
    r"^\s*(?P<loose>[A-Z][A-Za-z'’.\-]+(?:[ \-][A-Z][A-Za-z'’.\-]+){0,2})"
    r"(?:/[A-Z][A-Za-z'’.\-]+(?:[ \-][A-Z][A-Za-z'’.\-]+){0,2})?"
    r"(?:,\s*[A-Z][\w.]{1,20}(?:\s+(?:and\s+)?[A-Z][\w.]{1,20}){0,2})?"  # ", Jammu and Kashmir:"
    r"\s*(?:\([A-Z][\w .'’-]{1,30}\))?"
    r"(?::\s|\s+[–—]\s)",
    re.M,
)
DATE_FIRST_DATELINE = re.compile(  # "May 1, 2024 (NYALA) – ": the date, then the place in brackets
    r"^\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}\s+\((?P<loose>[A-Z][A-Za-z'’.\-]+(?:[ \-][A-Za-z'’.\-]+){0,2})\)"
    r"\s*[–—-]\s",
    re.M,
)


DATELINE_REACH = 600  # characters from the top where a loose dateline ("JENIN: ") may stand
WIRE_DATELINE_REACH = 3000  # a wire dateline in capitals ("BOGOTA, Colombia (AP) —") may follow a paywall notice


def find_dateline(text: str) -> tuple[re.Match[str], str] | None:
    """The dateline at the head of a story and its place name, or None. The loose forms (a colon or a dash
    after a bare name) count only when the name is a known place ("WATCH: ..." is not a dateline)."""
    m = DATELINE.search(text[:DATELINE_REACH])
    if m and (m.group("place") or _is_place(m.group("titled"), text)):  # "Islamic State (IS) said" is not one
        return m, m.group("place") or m.group("titled")
    for pattern in (LOOSE_DATELINE, DATE_FIRST_DATELINE):
        for loose in pattern.finditer(text[:DATELINE_REACH]):
            if _is_place(loose.group("loose"), text, towns_only=True):
                return loose, loose.group("loose")
    far = DATELINE.search(text[:WIRE_DATELINE_REACH], DATELINE_REACH)
    if far and far.group("place") and "(" in far.group() and _is_place(far.group("place"), text, towns_only=True):
        return far, far.group("place")  # a wire dateline below a paywall notice: a known city, an agency
    return None


def _is_place(name: str, text: str, towns_only: bool = False) -> bool:
    """Whether ``name`` is a known place; ``towns_only``: not a country or region ("Ethiopia: Drone strike
    kills 26", "Chhattisgarh: 2 killed" are a headline's label, not a bureau)."""
    place = resolve_place(name.title(), focus_countries(text))
    return place is not None and not (towns_only and place.kind in ("country", "region"))


class Extractor:
    """Loads the NLP model once and extracts incidents from articles."""

    def __init__(self, model: str | None = None) -> None:
        self.model_name = model
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = load_nlp(self.model_name)
        return self._nlp

    def warm_up(self) -> None:
        """Load the model, the gazetteer and the lexicons now (otherwise the first article pays)."""
        from .gazetteer import Gazetteer
        from .lexicon import casualty_lexicon, event_lexicon

        _ = self.nlp
        Gazetteer.load()
        find_actors("Troops clashed with gunmen.")  # compiles the alias tables
        casualty_lexicon()
        event_lexicon()

    def extract(self, article: Article) -> ArticleExtraction:
        return next(self.extract_many([article]))

    def annotate(self, articles: list[Article]) -> list[Annotations]:
        """spaCy's sentences and entities for a batch of articles (batched ``nlp.pipe`` calls)."""
        return annotate(self.nlp, [a.text for a in articles], batch_size=int(PERFORMANCE["nlp_batch_size"]))

    def extract_many(self, articles: Iterable[Article]) -> Iterator[ArticleExtraction]:
        """Extract a stream of articles, running spaCy over them in batches."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= int(SETTINGS["batch_size"]):
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Article]) -> Iterator[ArticleExtraction]:
        for article, nlp_output in zip(batch, self.annotate(batch), strict=True):
            yield extract_article(article, nlp_output)


def _lead_place(text: str, heading_places: list[Place], places: list[Place]) -> Place | None:
    """The place a story's lead is about before its sentences name one: the dateline's city (resolved in the
    story's countries) unless the opening paragraphs place the story elsewhere ("KANO, Nigeria - ... villages
    in Katsina State": Kano is the bureau, not the scene), else the headline's place."""
    found = find_dateline(text)
    if found:
        m, name = found
        place = resolve_place(name.title(), focus_countries(text), text)
        if place is not None and not _placed_elsewhere(text, place, places, m.end()):
            return place
    specific = [p for p in heading_places if is_specific(p)]
    return specific[0] if specific else (heading_places[0] if heading_places else None)


def _placed_elsewhere(text: str, dateline: Place, places: list[Place], body_start: int) -> bool:
    """Whether the first two paragraphs after the dateline name a place (not a country) that cannot hold the
    dateline's city or lie inside it."""
    focus = focus_countries(text, body_start)
    if focus and dateline.country not in focus:
        return True  # a foreign bureau ("BANGKOK:" over a Myanmar story) is not the scene
    first_breaks = [m.start() for m in re.finditer(r"\n", text[body_start:])][:2]
    body_end = body_start + first_breaks[-1] if len(first_breaks) == 2 else len(text)
    for p in places:
        if p.evidence is None or not body_start <= p.evidence.start < body_end or p.kind == "country":
            continue
        if p.country == dateline.country and not places_compatible(p, dateline):
            return True
    return False


def extract_article(article: Article, nlp_output: Annotations | Any | None = None) -> ArticleExtraction:
    """Everything sitrep extracts from one cleaned article.

    ``nlp_output``: the article's ``Annotations`` (or a spaCy Doc); without it sentences are split by
    punctuation and places are found without entity labels."""
    text = article.text
    doc = as_annotations(nlp_output)
    published = article.published
    reading_day = published
    sentences = split_sentences(text, doc)
    quantities = find_quantities(text)
    starts = [q.start for q in quantities]
    max_figures, tables = int(SETTINGS["max_figures_per_sentence"]), 0
    if not reading_day:  # an undated article is read near the latest full date it names (captions aside)
        spans = paragraphs(text)
        reading_day = reference_day(text, [spans[i] for i in caption_paragraphs(text)])
    dates = resolve_dates(text, reading_day)
    places = _in_story_countries(text, find_places(text, doc))
    head = find_dateline(text)
    dateline = head[0] if head else None
    if dateline:  # where the reporter filed from and when, not where and when it happened
        places = [p for p in places if not (p.evidence and p.evidence.start < dateline.end())]
        dates = [d for d in dates if not (d.evidence and d.evidence.start < dateline.end())]
    actors = [a for a in find_actors(text, focus_countries(text) or None) if not _is_claimant(text, a)]
    heading_places = [p for p in places if p.evidence and sentences and sentences[0].heading
                      and p.evidence.start < sentences[0].end]
    builder = IncidentBuilder(text, published, _lead_place(text, heading_places, places))
    tallies: list[Tally] = []
    victims: list[Victim] = []
    actors_in: dict[int, list[ActorMention]] = {}
    previous_outcome: tuple[int, str | None] = (-1, None)  # (paragraph, outcome) of the last claim
    for s in sentences:
        s_places = [p for p in places if p.evidence and s.start <= p.evidence.start < s.end]
        s_dates = [d for d in dates if d.evidence and s.start <= d.evidence.start < s.end]
        actors_in[s.start] = [a for a in actors if a.evidence and s.start <= a.evidence.start < s.end]
        sentence_text = text[s.start:s.end]
        in_sentence = quantities[bisect_left(starts, s.start):bisect_left(starts, s.end)]
        violence, tally, anaphora, separate = sentence_flags(sentence_text, bool(in_sentence or s_dates))
        if len(in_sentence) > max_figures:  # a table pasted as prose: its figures are no incident's claims
            tables += 1
            in_sentence = []
        hits = [] if s.heading else SentenceClaims(text, s.start, s.end).find(in_sentence)
        stock = [h for h in hits if h.claim.outcome == "displaced" and not h.claim.vague]
        if tally or stock:  # a headline may carry a tally ("attack brings this year's dead to 61")
            area = _tally_area(s_places)
            period = (period_start_in(sentence_text, published), period_end_in(sentence_text, published))
            found, taken = find_tallies(text, s.start, s.end, hits, in_sentence, published, area, period,
                                        stock_only=not tally)
            tallies += found
            hits = [h for h in hits if h.start not in taken]
        context = previous_outcome[1] if previous_outcome[0] == s.paragraph else None
        if hits:
            previous_outcome = (s.paragraph, hits[0].claim.outcome)
        earlier = previous_outcome[1] if previous_outcome[0] == s.paragraph - 1 else None
        named = find_victims(text, s.start, s.end, context, earlier) if not s.heading else []
        victims += named
        info = SentenceInfo(
            sentence=s, text=sentence_text, claims=hits, places=s_places, dates=s_dates, victims=named,
            violence=violence, tally=tally, anaphora=anaphora, separate=separate,
        )
        for part in place_items(info, text):
            builder.feed(part)
    reports = build_reports(article.id, text, builder.drafts, actors_in, tallies)
    attach_orphans(reports, victims)
    notes = [f"{tables} sentence(s) with over {max_figures} figures read as tables, not claims"] if tables else []
    return ArticleExtraction(article_id=article.id, reports=reports, tallies=dedupe(tallies), notes=notes)


CLAIMANT_AFTER = re.compile(r"^[\w\s’'-]{0,25}?\b(?:said|says|say|told|reported|announced|confirmed|stated|"
                            r"added|claimed(?!\s+(?:the\s+)?(?:responsibility|credit|(?:the|an|a)\s+(?:attack|bombing|"
                            r"killing|strike|raid|ambush)))|put the)\b")
CLAIMANT_BEFORE = re.compile(r"\b(?:according to|citing|quoting|said|told)\s+(?:the\s+)?[\w\s’'-]{0,25}$|"
                             r"\b(?:spokes(?:person|man|woman)|statement|source)\s+(?:for|of|from)\s+(?:the\s+)?$",
                             re.I)
CLAIMANT_NOUN = re.compile(r"^[’']?s?\s+(?:(?:operations|media|press|public\s+relations)\s+)?"
                           r"(?:spokes(?:person|man|woman)|sources?|statement|communiqu[ée]|press\s+(?:office|release)|"
                           r"media\s+(?:office|centre|center|wing|cell))\b", re.I)


def _is_claimant(text: str, actor: ActorMention) -> bool:
    """'regional police said', 'military sources', 'an army spokesman', 'a spokesperson for the junta': a
    source of figures, not a party to the incident."""
    if actor.evidence is None:
        return False
    after = text[actor.evidence.end:actor.evidence.end + 40]
    before = text[max(0, actor.evidence.start - 40):actor.evidence.start]
    return bool(CLAIMANT_AFTER.match(after) or CLAIMANT_BEFORE.search(before) or CLAIMANT_NOUN.match(after))


def _in_story_countries(text: str, places: list[Place]) -> list[Place]:
    """Drop places in countries the story never names ("Naivasha market" in a Sudan story is not in Kenya)."""
    from .gazetteer import Gazetteer, normalise

    named = {p.country for p in places if p.kind == "country"}
    demonyms = Gazetteer.load().demonyms
    named |= {demonyms[w] for w in {normalise(t) for t in re.findall(r"\b[A-Z][\w’'-]+", text)} if w in demonyms}
    focus = focus_countries(text)
    allowed = named | set(focus[:1])
    if not allowed:
        return places
    return [p for p in places if p.country in allowed]


def _tally_area(places: list[Place]) -> Place | None:
    wide = [p for p in places if not is_specific(p)]
    return wide[0] if wide else (places[0] if places else None)


__all__ = ["Annotations", "Extractor", "anchor_place", "extract_article", "load_nlp"]
