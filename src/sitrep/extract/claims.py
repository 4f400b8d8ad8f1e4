"""Casualty claims in one sentence: a number linked to an outcome, its victims, sub-counts and claimant.

Patterns of news language handled (examples are our own):

- number, victims, outcome: "At least 12 civilians were killed", "45 others were wounded", "30 deaths";
- outcome verb or noun, number: "drones killed seven soldiers", "killing at least four and injuring more than a
  dozen", "the wounding of 120 more", "put the death toll at nine";
- conjunctions share an outcome and add up: "killed seven gunmen and two civilians" (9);
- sub-counts are parts, not new totals: "including 13 children", "five of them", "102 injured –
  82 by live fire", "six were in critical condition";
- singular victims: "a farmer was shot dead" (1);
- claimants: "according to the health ministry", "the army said", "said the governor",
  "officials put the toll at".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..records import CasualtyClaim, Evidence, Quantity
from .lexicon import CasualtyLexicon, alternation, casualty_lexicon, load_data

TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'\-]*|[–—,;:().!?\"“”]")
STOP_PUNCT = frozenset(",;:().!?–—\"“”")
CLAUSE_BOUNDARY = re.compile(r"[,;:“”\"()–—]|\b(?:and|but|while|whereas|as|after|when|before)\b", re.I)
AGENT_NOUNS = frozenset(
    "officials official ministry army military police authorities residents witnesses sources spokesman "
    "spokeswoman spokesperson group government governor mayor medics hospital doctors statement agency "
    "activists monitors observers administration forces office council commission militants command "
    "paramedics rescuers villagers officers survivors relatives service agency committee mission "
    "department directorate observatory organisation organization union network media outlet center centre "
    "unit team source tracker monitor ngo charity watchdog coalition crescent cross prosecutors prosecutor "
    "coroner morgue journalist journalists reporter correspondent official witness".split()
)
MEMBER_NOUNS = frozenset("members fighters militants soldiers officers personnel operatives cadres supporters "
                         "commanders troops gunmen policemen".split())
GROUP_NOUNS = (r"(?:gang|group|militia|cartel|army|police|force|forces|movement|faction|unit|battalion|brigade|"
               r"organisation|organization|network|cell|family|clan|tribe|community)")
GROUP_AFTER_OF = re.compile(  # the group after "members": a name ("of Islamic State (IS)") or noun ("of the gang")
    r"of\s+(?:(?:[Tt]he|al|el)[\s\-]+)?(?:[A-Z][\w’'\-]*\s+(?:(?:of|and|for|al|el|the)\s+)?){0,6}[A-Z][\w’'\-]*"
    r"(?:\s*\([A-Za-z\-]{2,10}\))?(?:\s+" + GROUP_NOUNS + r"\b)?"
    r"|of\s+(?:the|a|an|their|its|his|her|a\s+local|an\s+armed)\s+(?:[\w\-]+\s+){0,2}?" + GROUP_NOUNS + r"\b")
ACRONYM_AFTER = re.compile(r"\(\s*[A-Z][A-Za-z\-]{1,9}\s*\)")  # "(NPA)" after a group's name
PARENTHETICAL = re.compile(
    r"\s*(?:including|among them|among whom|mostly|(?:most|many|some|all|several|one|two|three|four|five|half)\s+of\s+"
    r"(?:them|whom)|the majority)\b[^,.;]*,",
    re.I)
PARTITIVE = re.compile(r"\s+(?:its|their|his|her|our|the)\s+(?:[\w’'-]+\s+){0,3}?(?:soldiers|men|fighters|troops|"
                       r"members|officers|personnel|policemen|guards|militants|crew|comrades|own)\b", re.I)
AUX_AFTER_COMMA = re.compile(r"\s*(?:were|was|have been|had been|has been)\s", re.I)
DEMONYM_PLURAL = re.compile(r"[A-Z][a-z]+(?:ians|ans|is|ese|ites|ers|ch|sh)")  # Palestinians, Sudanese, Somalis
PRONOUNS = frozenset("it he she they we i you this that there which who".split())
FILLERS = frozenset("also another a further an additional more than least at".split())
BASE_SINGULAR_NOUNS = (
    "man|woman|boy|girl|child|person|civilian|soldier|officer|policeman|fighter|militant|gunman|teenager|youth|"
    "journalist|resident|villager|farmer|protester|worker|medic|student|pupil|shepherd|commander|driver")
DEMONYM_SINGULAR = r"[A-Z][a-z]+(?:ian|ean|ani|i|ese|ish|er)"


@cache
def calendar_words() -> frozenset[str]:
    """Weekday and month names and day words: "the ministry said Tuesday" names no claimant."""
    data = load_data("dates.json")
    return frozenset([*data["weekdays"], *data["months"], "today", "yesterday", "tonight", "late", "early", "earlier"])


@cache
def singular_nouns() -> str:
    """Regex alternation of nouns naming one person (lexicon ``singular_person_nouns`` + the base list)."""
    words = set(BASE_SINGULAR_NOUNS.split("|")) | set(casualty_lexicon().singular_nouns)
    return alternation(words)


@cache
def singular_rx() -> re.Pattern[str]:
    """'a farmer was shot dead', 'a member of the militia was killed', 'an officer, Sgt. X, 31, was killed'."""
    return re.compile(
        r"\b(?:[Aa]n?|[Oo]ne)\s+(?P<desc>(?:[\w’'-]+\s+){0,3}?)"
        r"(?P<noun>(?i:" + singular_nouns() + ")|" + DEMONYM_SINGULAR + r")(?:\s+|(?=,))"
        r"(?:of\s+(?:the\s+|a\s+)?(?:[\w’'()-]+\s+){1,4}?)?"  # "a member of the village militia"
        r"(?:(?:in|from|at|near)\s+[^,.;]{2,50}?(?=,|\s+(?:was|has|had)\b)\s*)?"  # "in the village of X, Y region,"
        r"(?:,\s*[^,;]{2,70},(?:\s*(?:aged\s+)?\d{1,3},)?\s+)?"  # ", Sgt. Moshe Levy, 22,"
        r"(?:who\s+[^,.;]{1,40}?\s+)?"  # "a man who tried to run was shot dead"
        r"(?:(?:was|has\s+been|had\s+been|is|were)\s+(?:\w+\s+){0,2}"
        r"(?P<outcome>killed|shot\s+dead|shot\s+and\s+killed|stabbed\s+to\s+death|wounded|injured|arrested|"
        r"detained|abducted|kidnapped|martyred)|(?P<died>died|later\s+died|was\s+killed))\b"
    )


LONG_TOLL = re.compile(
    r"\b(?:(?P<death>death|casualty)\s+toll|(?P<injury>injury)\s+toll|the\s+toll|the\s+figure|(?:the\s+)?number\s+of\s+(?:[\w’'-]+\s+){0,3}?"
    r"(?P<outcome>killed|slain|murdered|dead|deaths|fatalities|injured|wounded|missing|detained|arrested|abducted|"
    r"displaced))\b"
    r"[^.;:!?]{0,160}?\b(?:rose|has\s+risen|had\s+risen|risen|climbed|has\s+climbed|increased|jumped|reached|went\s+up|"
    r"stood|stands|now\s+stands|hit|is|was|to|at)\s*(?:to|at)?\s*[“”\"]?\s*$",
    re.I,
)
TOLL_START = re.compile(r"\b(?:(?:death|casualty|injury)\s+toll|the\s+toll|the\s+figure|(?:the\s+)?number\s+of)\b",
                        re.I)
INITIAL = (r"initial(?:ly)?\s+(?:said|reported|put|gave|toll|death\s+toll|reports?|figures?|count|estimates?)|"
           r"preliminary|provisional|first\s+reports?|early\s+reports?")
INITIAL_BEFORE = re.compile(r"\b(?:" + INITIAL + r")\b[^.;]{0,60}$", re.I)
ESTIMATE_BEFORE = re.compile(r"\b(?:toll|figure|tally|estimate|updated|revised|" + INITIAL + r")\b[^.;]{0,60}$", re.I)
SO_FAR_AFTER = re.compile(r"[^.;,]{0,50}?\b(?:so\s+far|thus\s+far|to\s+date|till\s+now|until\s+now|as\s+of\s+now|"
                          r"at\s+the\s+moment)\b", re.I)  # "85 bodies have so far been buried": a partial count
KIN_AFTER_ONE = re.compile(r"\b(?P<verb>killed|killing|shot\s+dead|wounded|wounding|injured|injuring)\s+(?:a|an|one)\s+"
                           r"(?:[\w’'-]+\s+){1,3}?and\s+(?:his|her|their|its)\s+$", re.I)
OTHER_VERB_BEFORE = re.compile(  # a figure that is the object of another deed is no victim of a later outcome
    r"\b(?:took|taken|seized|kidnapped|abducted|captured|arrested|detained|rescued|freed|released|held|displaced|"
    r"evacuated|hired|deployed|sent|recruited)\s+(?:away\s+)?(?:(?:about|some|around|nearly|at\s+least|over|"
    r"more\s+than)\s+)?$", re.I)
KIN_JOIN = re.compile(r"\s+and\s+(?:his|her|their|its)\s+", re.I)
KIN_TAIL = re.compile(  # "two children and their mother were killed": one more, of the figure's outcome
    r"and\s+(?:his|her|their)\s+(?P<noun>mother|father|wife|husband|son|daughter|brother|sister|grandmother|"
    r"grandfather|uncle|aunt|nephew|niece|cousin|baby|grandson|granddaughter)\b", re.I)
NUMBER_OF_AFTER = re.compile(r"the\s+(?:number|toll|total)\s+of\s+(?:[\w’'-]+\s+){0,3}?"
                             r"(?P<outcome>killed|dead|deaths|injured|wounded)\b", re.I)
AMONG_AFTER = re.compile(r"\s+(?:[\w’'-]+\s+){0,8}?(?:were|was|are|is)\s+(?:also\s+)?among\s+(?:the|those)\b", re.I)
AMONG_WHAT = re.compile(r"among\s+(?:the\s+|those\s+)?(?:[\d,]+\s+|[a-z-]+\s+)?(?P<what>dead|killed|victims|fatalities|"
                        r"casualties|injured|wounded)\b", re.I)
CLAIMED_TOLL = re.compile(r"\s+(?:(?:at\s+least|more\s+than|over|nearly|about|some|the)\s+)?"
                          r"(?:[\d,]+|[a-z-]+\s+lives|lives|responsibility)\b", re.I)
COMBINED_TOLL = re.compile(r"\s+(?:people\s+|persons\s+)?(?:dead|killed)\s+(?:and|or)\s+(?:wounded|injured|hurt)\b",
                           re.I)
COMBINED_AFTER = re.compile(r"\s+(?:and|or)\s+(?:wounded|injured|hurt)\b", re.I)
OUTCOME_WORD = re.compile(r"\b(?:killed|died|dead|wounded|injured|deaths|hurt|missing)\b", re.I)
PASSIVE_REPORT = re.compile(r"\s+(?:to\s+(?:be|have\s+been)\s+)?(?:killed|dead|wounded|injured|hurt|missing)\b", re.I)
VICTIM_STOPS = frozenset(
    "and in on at by during near after who when since from with for to as across over while but".split())
TOLL_OUTCOME = {"killed": "killed", "slain": "killed", "murdered": "killed", "fatalities": "killed",
                "dead": "killed", "deaths": "killed", "injured": "injured",
                "wounded": "injured", "missing": "missing", "detained": "arrested", "arrested": "arrested",
                "abducted": "abducted", "displaced": "displaced"}
AND_ONE_MORE = re.compile(
    r"\s*(?:[\w’'-]+\s+){0,3}?(?:and|,\s*and)\s+(?:a|an|one)\s+(?:[\w’'-]+\s+){0,2}?"
    r"(?P<noun>man|woman|boy|girl|child|nurse|doctor|medic|driver|soldier|officer|policeman|civilian|teacher|"
    r"journalist|student|farmer|guard|worker|volunteer|resident|villager|teenager|baby|infant|passenger)\b"
    r"(?!\s+(?:was\s+|were\s+)?(?:injured|wounded|hurt|arrested|detained|abducted|kidnapped|missing)\b)"
)  # "two men killed and a woman injured": the woman is no third death
LIST_REACH = 90  # how far a list of groups may run before its verb
LIST_VERB = re.compile(r"\s(?:were|was|have been|had been|has been)\s+(?:reportedly\s+)?"
                       r"(?P<outcome>killed|wounded|injured|hurt|fatally shot|shot dead|shot and killed)\b", re.I)
ONE_PERSON = re.compile(r"\b(?:[Aa]n?|[Oo]ne)\s")  # where a list of single victims may begin ("a man and a boy")
LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
LIST_ITEM = re.compile(r"(?:(?P<one>a|an|one)|[\w\-]+)\s+(?P<words>[A-Za-z’'\-]+(?:\s+[A-Za-z’'\-]+){0,2})", re.I)
RAISING = re.compile(r"\b(?:bringing|raising|taking|pushing|lifting)\b[^.;]{0,80}\b(?:toll|total|number)\b", re.I)


@cache
def kin_lead_rx() -> re.Pattern[str]:
    """'a woman and her ' before the figure of her family ('two children')."""
    return re.compile(r"\b(?:[Aa]n?|[Oo]ne)\s+(?:[\w’'-]+\s+){0,2}?(?P<noun>(?i:" + singular_nouns() + r"))"
                      + KIN_JOIN.pattern)


@cache
def active_singular_rx() -> re.Pattern[str]:
    """'killing a ranger', 'shot dead a policeman', 'wounding one passenger'."""
    return re.compile(
        r"\b(?P<outcome>killing|killed|shot\s+dead|shooting\s+dead|wounding|wounded|injuring|injured|abducting|"
        r"abducted|kidnapping|kidnapped|arresting|arrested|detaining|detained)\s+(?:a|an|the|one)\s+"
        r"(?:[\w’'-]+\s+){0,3}?(?P<noun>(?i:" + singular_nouns() + r"))\b"
    )


SINGULAR_OUTCOME = {"killed": "killed", "shot dead": "killed", "shot and killed": "killed",
                    "stabbed to death": "killed", "wounded": "injured", "injured": "injured",
                    "arrested": "arrested", "detained": "arrested", "abducted": "abducted",
                    "kidnapped": "abducted", "killing": "killed", "shooting dead": "killed",
                    "wounding": "injured", "injuring": "injured", "abducting": "abducted",
                    "kidnapping": "abducted", "arresting": "arrested", "detaining": "arrested",
                    "martyred": "killed", "died": "killed"}
ANOTHER_ONE = re.compile(  # "two soldiers were wounded and another killed", "another killed in clashes near X"
    r"\b[Aa]nother\s+(?:(?:was|has\s+been|had\s+been|is)\s+)?(?P<outcome>killed|shot\s+dead|wounded|injured|died)\b")


ELLIPSIS_GAP = re.compile(  # what lies between "12 died in Tinkare" and ", 9 in Boulsa": a place, a comma
    r"[^.;:]*?\b(?:in|at|near)\s+(?:the\s+)?[A-Z][^,;]*?(?:[,;]\s*(?:and\s+)?|\s+and\s+)")
JOINED_GAP = re.compile(r"\s*(?:[A-Za-z’'-]+\s+){0,3}?(?:and|,|, and|as well as|plus)\s*")  # figures that add up
LISTED_GAP = re.compile(r"\s+(?P<who>(?:[A-Za-z’'-]+\s+){0,2}[A-Za-z’'-]+),\s*(?:and\s+)?")
BREAKDOWN_GAP = re.compile(r"\s+(?:[a-z]+\s+){0,3}?[a-z]+\s*[,:(–—]\s*")  # "nine deaths, " before "seven in Segue"
ELLIPSIS_PLACE_AFTER = re.compile(r"\s+(?:(?:others|more)\s+)?(?:in|at|near)\s+(?:the\s+)?[A-Z]")


@dataclass
class ClaimHit:
    """A claim found in a sentence, with what the incident builder needs to add figures up."""

    claim: CasualtyClaim
    start: int  # absolute offsets of the quantity
    end: int
    side: str = "general"  # "forces" (soldiers, police) or "general"
    severity: bool = False  # "in critical condition": a state of people already counted
    estimate: bool = False  # a whole-toll figure ("put the toll at 20", an initial or rival count): never a part
    initial: bool = False  # an earlier count since revised ("the initial toll was ten"): later smaller ones are rivals
    broken_down: bool = False  # a total the sentence then gives by place ("nine dead, seven in Segue and two in X")
    conj_group: int | None = None  # claims joined by "and" that add up
    singular: bool = False
    members: list[ClaimHit] = field(default_factory=list)


def _tokens(text: str, start: int, limit: int) -> list[re.Match[str]]:
    out = []
    for m in TOKEN.finditer(text, start):
        out.append(m)
        if len(out) >= limit:
            break
    return out


def _match_at(rx: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    m = rx.match(text, pos)
    return m if m and m.start() == pos else None


def _last_toll(window: str) -> re.Match[str] | None:
    """The toll phrase nearest the number ("the toll climbed to 12 dead and the wounded to 40")."""
    for start in reversed([m.start() for m in TOLL_START.finditer(window)]):
        m = LONG_TOLL.match(window, start)
        if m:
            return m
    return None


def _ends_with(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``rx`` in ``text`` if only fillers and quotes follow it."""
    last = None
    for m in rx.finditer(text):
        last = m
    if last is None:
        return None
    rest = re.sub(r"[\s“”\"‘’']+", " ", text[last.end():]).strip().lower()
    if rest and not all(w in FILLERS for w in rest.split()):
        return None
    return last


class SentenceClaims:
    """Finds the claims of one sentence. ``text`` is the whole article; offsets are absolute."""

    def __init__(self, text: str, start: int, end: int, lexicon: CasualtyLexicon | None = None) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.lex = lexicon or casualty_lexicon()

    # -- outcome linking ---------------------------------------------------------------------
    def _forward(self, q: Quantity, others: set[int]) -> tuple[str | None, list[str], int, bool]:
        """Outcome after the number: (outcome, victim words, end offset, severity)."""
        victims: list[str] = []
        pos = q.end
        steps = 0
        while steps < 12:
            steps += 1
            tok = next(TOKEN.finditer(self.text, pos), None)
            if tok is None or tok.start() >= self.end or tok.start() in others:
                break
            start = tok.start()
            for outcome, rx in self.lex.after.items():
                m = _match_at(rx, self.text, start)
                if m and outcome == "killed" and COMBINED_AFTER.match(self.text, m.end(), self.end):
                    return None, victims, q.end, False  # "19 dead and wounded": casualties, not deaths
                if m:
                    severe = bool(self.lex.severity.search(m.group()))
                    if not victims:
                        victims = self._victims_after(m.end())
                    return outcome, victims, m.end(), severe
            word = tok.group().lower()
            number_of = NUMBER_OF_AFTER.match(self.text, start, self.end) if word == "the" else None
            if number_of:  # "bringing to 37 the number of people killed"
                return TOLL_OUTCOME[number_of.group("outcome").lower()], victims, number_of.end(), False
            if word == ",":
                skip = PARENTHETICAL.match(self.text, tok.end())
                if skip and skip.end() <= self.end:
                    pos = skip.end()
                    continue
                if skip is None and AUX_AFTER_COMMA.match(self.text, tok.end()):
                    pos = tok.end()
                    continue
                break
            if word in self.lex.injury_verbs:
                for nxt in _tokens(self.text, tok.end(), 4):
                    if nxt.group().lower() in self.lex.injury_nouns:
                        severe = bool(self.lex.severity.search(self.text, tok.end(), nxt.start()))
                        return "injured", victims, nxt.end(), severe
                break
            if word == "of" and (q.vague or PARTITIVE.match(self.text, tok.end())):
                pos = tok.end()
                continue
            if word == "among":
                among = AMONG_WHAT.match(self.text, tok.start())
                if among and among.end() <= self.end:  # "three gunmen were among the 11 killed": a part
                    what = among.group("what").lower()
                    return ("injured" if what in ("injured", "wounded") else "killed"), victims, among.end(), False
            if word == "of" and victims and victims[-1].lower() in MEMBER_NOUNS \
                    and (group := GROUP_AFTER_OF.match(self.text, tok.start())) and group.end() <= self.end:
                victims += group.group().split()  # "six members of the Kachin Independence Army"
                pos = group.end()
                continue
            if word == "(" and victims and (acronym := ACRONYM_AFTER.match(self.text, tok.start())):
                pos = acronym.end()  # "New People's Army (NPA) rebels"
                continue
            if word == "and" and (kin := KIN_TAIL.match(self.text, tok.start())) and kin.end() <= self.end:
                pos = kin.end()  # the relative is counted on its own (``_kin_after``)
                continue
            if word in STOP_PUNCT or word in self.lex.non_person_nouns or word in ("of", "among", "who", "and"):
                break
            pos = tok.end()
            if word in self.lex.auxiliaries or word == "other":
                continue
            victims.append(tok.group())
            if len(victims) > self._victim_span(victims):
                break
        return None, victims, q.end, False

    def _victim_span(self, victims: list[str]) -> int:
        """Words a victim phrase may run to: 4, or 7 with a participle after a person noun ("85 worshippers
        attending a religious festival died")."""
        lowered = [w.lower() for w in victims]
        if lowered[0] in self.lex.person_nouns and any(w.endswith("ing") for w in lowered[1:2]):
            return 7
        if sum(w[:1].isupper() for w in victims) >= 2:
            return 7  # a group's name: "five alleged New People's Army rebels"
        return 4

    def _victims_after(self, pos: int) -> list[str]:
        """Person words right after ``pos`` ("wounded soldiers", "killed seven gunmen")."""
        words: list[str] = []
        for tok in _tokens(self.text, pos, 5):
            if tok.start() >= self.end:
                break
            w = tok.group()
            lw = w.lower()
            if lw in STOP_PUNCT or lw in VICTIM_STOPS:
                break
            if lw in self.lex.non_person_nouns:
                return ["<thing>"]
            words.append(w)
            if lw in self.lex.person_nouns or lw.rstrip("s") in self.lex.person_nouns:
                break
        return words

    def _backward(self, q: Quantity) -> str | None:
        tail = self.text[max(self.start, q.start - 60):q.start]
        for outcome, rx in self.lex.before.items():
            if _ends_with(rx, tail):
                return outcome
        kin = KIN_AFTER_ONE.search(tail)
        if kin:  # "killed a woman and her three children"
            return SINGULAR_OUTCOME[re.sub(r"\s+", " ", kin.group("verb").lower())]
        m = _last_toll(self.text[max(self.start, q.start - 220):q.start])
        if m:
            if m.group("outcome"):
                return TOLL_OUTCOME[m.group("outcome").lower()]
            return "injured" if m.group("injury") else "killed"
        return None

    def _is_person_phrase(self, words: list[str]) -> bool:
        lowered = [w.lower() for w in words]
        if any(w in self.lex.non_person_nouns or w == "<thing>" for w in lowered):
            return False
        return True

    def _side(self, words: list[str], q: Quantity) -> str:
        """Which group the victims belong to: forces, attackers, general, or "all" (people, the toll)."""
        return side_of(words, self.lex)

    # -- claimants ---------------------------------------------------------------------------
    def claimants(self) -> list[tuple[int, str]]:
        """(position, claimant text) for every attribution in the sentence."""
        s, e = self.start, self.end
        found: list[tuple[int, str]] = []
        for m in self.lex.claimant_preps.finditer(self.text, s, e):
            phrase = re.split(r"[,.;:“”\"]|\bthat\b|\bwho\b", self.text[m.end():e], maxsplit=1)[0]
            phrase = _tidy_claimant(phrase)
            if phrase:
                found.append((m.start(), phrase))
        for m in self.lex.claimant_verbs.finditer(self.text, s, e):
            if m.group().lower().startswith("claim") and CLAIMED_TOLL.match(self.text, m.end(), e):
                continue  # "the bombing claimed 26 lives": an outcome, not an attribution
            if PASSIVE_REPORT.match(self.text, m.end(), e):
                continue  # "five reported killed": a passive report, its subject is the victims
            subject = self._subject_before(m.start())
            if subject:
                found.append((m.start(), subject))
                continue
            after = re.split(r"[,.;:“”\"]|\bthat\b|\bon\b|\bin\b", self.text[m.end():e], maxsplit=1)[0]
            after = _tidy_claimant(after)
            said_by_pronoun = re.search(r"\b(?:he|she|it|they|we|i)\s+$", self.text[s:m.start()], re.I)
            named = after and not said_by_pronoun and not set(after.lower().split()) & self.lex.auxiliaries and (
                after[0].isupper() or after.lower().startswith("the ") or any(_agent(w) for w in after.split()))
            if named and len(after.split()) <= 8:
                if after.split()[0].lower() not in PRONOUNS and after.split()[0].lower() not in calendar_words():
                    found.append((m.start(), after))
        return sorted(found)

    def _subject_before(self, pos: int) -> str | None:
        """The subject of a reporting verb: "the health ministry said", "two residents who buried them said",
        "Ali Musa, head of the council, says" (the appositive before the verb)."""
        left = self.text[self.start:pos].rstrip()
        if left.endswith(","):
            if "," not in left[-60:-1]:
                return None  # "killed seven troops, said the army": the source follows the verb
            left = left[:-1]  # "X, head of the provincial council, says"
        cut = 0
        for b in CLAUSE_BOUNDARY.finditer(left):
            cut = b.end()
        subject = _tidy_claimant(re.split(r"\s+who\s", left[cut:], maxsplit=1)[0])
        if not subject:
            return None
        words = subject.split()
        if len(words) > 8 or words[0].lower() in PRONOUNS or words[-1].lower() in self.lex.auxiliaries:
            return None
        if OUTCOME_WORD.search(subject):
            return None  # "Twelve people died, reported the agency": the report, not its source
        if any(w[0].isupper() for w in words) or any(_agent(w) for w in words):
            return subject
        return None

    # -- main --------------------------------------------------------------------------------
    def find(self, quantities: list[Quantity]) -> list[ClaimHit]:
        """Every casualty claim in the sentence (vague ones flagged, sub-counts marked)."""
        qs = [q for q in quantities if self.start <= q.start and q.end <= self.end]
        starts = {q.start for q in qs}
        resolved: list[tuple[Quantity, str | None, list[str], bool]] = []
        for q in qs:
            outcome: str | None
            back = self._backward(q)
            if back:
                outcome, victims, severe = back, self._victims_after(q.end), False
            else:
                outcome, victims, _, severe = self._forward(q, starts - {q.start})
            if outcome is not None and not self._is_person_phrase(victims):
                outcome = None
            if COMBINED_TOLL.match(self.text, q.end, self.end):
                outcome = None  # "19 dead and wounded": casualties, not deaths
            resolved.append((q, outcome, victims, severe))
        resolved = self._share_conjunctions(resolved)
        resolved = self._elliptical_items(resolved)
        resolved, broken_down = self._breakdown_by_place(resolved)
        resolved = self._attach_sub_counts(resolved)
        hits: list[ClaimHit] = []
        group = 0
        for i, (q, linked, victims, severe) in enumerate(resolved):
            if linked is None:
                continue
            outcome = linked
            hit = self._hit(q, outcome, victims, severe)
            hit.broken_down = q.start in broken_down
            if i > 0 and resolved[i - 1][1] == outcome and self._joined(resolved[i - 1][0], q):
                prev = hits[-1] if hits and hits[-1].start == resolved[i - 1][0].start else None
                if prev is not None and not prev.claim.part_of_total and not hit.claim.part_of_total:
                    if prev.conj_group is None:
                        group += 1
                        prev.conj_group = group
                    hit.conj_group = prev.conj_group
            hits.append(hit)
        hits += self._singulars(hits)
        group = self._kin_after(hits, group)
        group = self._listed_groups(hits, qs, group)
        group = self._and_one_more(hits, qs, group)
        group = self._one_and_kin(hits, group)
        for prev, h in zip(hits, hits[1:], strict=False):  # "killed three ... and three more": same group
            if (h.claim.victims or "").lower().split()[:1] in (["more"], ["others"], ["other"]):
                h.side = "population" if prev.side == "all" else prev.side
        self._mark_dash_parts(hits)
        self._mark_increments(hits)
        self._assign_claimants(hits)
        _mark_rival_sources(hits)
        return hits

    def _share_conjunctions(self, resolved: list[tuple[Quantity, str | None, list[str], bool]]
                            ) -> list[tuple[Quantity, str | None, list[str], bool]]:
        """'seven soldiers and 45 civilians were wounded': both take the later outcome, and vice versa."""
        out = list(resolved)
        for i in range(1, len(out)):
            (qa, oa, va, sa), (qb, ob, _vb, sb) = out[i - 1], out[i]
            if not self._joined(qa, qb):
                continue
            if oa is None and ob is not None and not OTHER_VERB_BEFORE.search(self.text, self.start, qa.start):
                out[i - 1] = (qa, ob, va, sb)  # not "they took about three people and three were shot dead"
            elif ob is None and oa is not None:
                victims = self._victims_after(qb.end)
                if victims != ["<thing>"]:  # "killed 14 people and seized hundreds of rifles"
                    out[i] = (qb, oa, victims, sa)
        return out

    def _elliptical_items(self, resolved: list[tuple[Quantity, str | None, list[str], bool]]
                          ) -> list[tuple[Quantity, str | None, list[str], bool]]:
        """'12 died in Tinkare, 9 in Boulsa and three in Dagou': a bare figure before a place, listed
        after a claim that names its own place, takes that claim's outcome and victims."""
        out = list(resolved)
        for i in range(1, len(out)):
            q, outcome, _, _ = out[i]
            previous, known, victims, severe = out[i - 1]
            if outcome is not None or known is None or q.vague or not self._place_item(previous.end, q.start, q.end):
                continue
            out[i] = (q, known, victims, severe)
        return out

    def _breakdown_by_place(self, resolved: list[tuple[Quantity, str | None, list[str], bool]]
                            ) -> tuple[list[tuple[Quantity, str | None, list[str], bool]], set[int]]:
        """'nine deaths, seven in Segue and two in Sonfounou': bare figures by place that add up to the claim
        just before take its outcome and victims. Returns the claims and the starts of the totals so broken down."""
        out, totals = list(resolved), set()
        for i, (q, outcome, victims, severe) in enumerate(out[:-2]):
            first = out[i + 1][0]
            if outcome is None or q.vague or not BREAKDOWN_GAP.fullmatch(self.text, q.end, first.start) \
                    or not ELLIPSIS_PLACE_AFTER.match(self.text, first.end, self.end):
                continue
            items = [i + 1]
            for j in range(i + 2, len(out)):
                if not self._place_item(out[j - 1][0].end, out[j][0].start, out[j][0].end):
                    break
                items.append(j)
            parts = [out[j] for j in items]
            if len(parts) < 2 or any(p[1] not in (None, outcome) or p[0].vague for p in parts) \
                    or sum(p[0].value for p in parts) != q.value:
                continue
            for j in items:
                out[j] = (out[j][0], outcome, victims, severe)
            totals.add(q.start)
        return out, totals

    def _place_item(self, previous_end: int, start: int, end: int) -> bool:
        """Is the figure at ``start:end`` the next item of a list by place ("..., 9 in Boulsa")?"""
        return bool(ELLIPSIS_GAP.fullmatch(self.text, previous_end, start)
                    and ELLIPSIS_PLACE_AFTER.match(self.text, end, self.end))

    def _attach_sub_counts(self, resolved: list[tuple[Quantity, str | None, list[str], bool]]
                           ) -> list[tuple[Quantity, str | None, list[str], bool]]:
        """'100 injured, 80 of them by live fire', 'including 11 children': the part takes the total's outcome."""
        out = list(resolved)
        for i, (q, outcome, _, _) in enumerate(out):
            if outcome is not None or i == 0 or q.vague:
                continue
            prev = next((r for r in reversed(out[:i]) if r[1] is not None), None)
            if prev is None or prev[0].value <= q.value:
                continue
            before = self.text[max(self.start, q.start - 40):q.start]
            after = self.text[q.end:min(self.end, q.end + 30)]
            marked = _ends_with(self.lex.part_before, before) or self.lex.part_after.match(after) \
                or before.rstrip()[-1:] in ("–", "—", "(")
            if marked:
                out[i] = (q, prev[1], self._victims_after(q.end), False)
        return out

    def _joined(self, a: Quantity, b: Quantity) -> bool:
        between = self.text[a.end:b.start]
        if JOINED_GAP.fullmatch(between):
            return True
        listed = LISTED_GAP.fullmatch(between)  # "five soldiers, three civilians": only who, then a comma
        if listed is None or a.vague or b.vague:
            return False
        return all(w.lower() in self.lex.person_nouns or w.lower() in FILLERS for w in listed.group("who").split())

    def _hit(self, q: Quantity, outcome: str, victims: list[str], severe: bool) -> ClaimHit:
        before = self.text[max(self.start, q.start - 40):q.start]
        after = self.text[q.end:min(self.end, q.end + 30)]
        part = bool(_ends_with(self.lex.part_before, before)) or bool(
            self.lex.part_after.match(after)) or bool(
            AMONG_AFTER.match(self.text, q.end, self.end))
        victim_text = " ".join(w for w in victims if w.lower() not in self.lex.auxiliaries) or None
        claim = CasualtyClaim(
            outcome=outcome,  # type: ignore[arg-type]
            count=q.value, qualifier=q.qualifier, count_high=q.high, vague=q.vague,
            victims=victim_text, part_of_total=part or (severe and not _names_people(victims, self.lex)),
            evidence=Evidence.of(self.text, self.start, self.end),
        )
        window = max(self.start, q.start - 70)
        estimate = bool(ESTIMATE_BEFORE.search(self.text, window, q.start)) and not part
        return ClaimHit(claim, q.start, q.end, side=self._side(victims, q),
                        severity=severe and not _names_people(victims, self.lex), estimate=estimate,
                        initial=(estimate and bool(INITIAL_BEFORE.search(self.text, window, q.start)))
                        or bool(SO_FAR_AFTER.match(self.text, q.end, self.end)))

    def _listed_groups(self, hits: list[ClaimHit], qs: list[Quantity], group: int) -> int:
        """'Three rebels, a soldier and a shepherd were killed', 'a man and a teenager were shot dead': each
        listed group is a figure of one sum (5; 2)."""
        if LIST_VERB.search(self.text, self.start, self.end) is None:
            return group  # most sentences: no "were killed" after a list at all
        starts = {q.start for q in qs if not any(h.start == q.start for h in hits)}
        starts |= {m.start() for m in ONE_PERSON.finditer(self.text, self.start, self.end)}
        listed_until = -1
        for start in sorted(starts):
            if start < listed_until or OTHER_VERB_BEFORE.search(self.text, self.start, start):
                continue
            verb = LIST_VERB.search(self.text, start, min(self.end, start + LIST_REACH))
            if verb is None:
                continue
            items = self._list_items(start, verb.start(), qs)
            if len(items) < 2:
                continue
            outcome = "injured" if verb.group("outcome").lower() in ("wounded", "injured", "hurt") else "killed"
            hits[:] = [h for h in hits if not start <= h.start < verb.end()]
            group += 1
            for item_start, end, count, words in items:
                claim = CasualtyClaim(outcome=outcome, count=count, victims=" ".join(words),  # type: ignore[arg-type]
                                      evidence=Evidence.of(self.text, self.start, self.end))
                hits.append(ClaimHit(claim, item_start, end, side=side_of(words, self.lex), conj_group=group,
                                     singular=count == 1))
            hits.sort(key=lambda h: h.start)
            listed_until = verb.start()
        return group

    def _list_items(self, start: int, end: int, qs: list[Quantity]) -> list[tuple[int, int, int, list[str]]]:
        """(start, end, count, words) of each item of "N Xs, a Y and a Z"; [] unless every item is a counted person."""
        items = []
        pos = start
        for part in [*LIST_SEPARATOR.split(self.text[start:end]), ""][:-1]:
            item_start = self.text.index(part, pos)
            pos = item_start + len(part)
            m = LIST_ITEM.fullmatch(part)
            counted = next((x for x in qs if x.start == item_start), None)
            words = m.group("words").split() if m else []
            if m is None or (counted is None and m.group("one") is None) or not 1 <= len(words) <= 3 \
                    or not self._is_person_phrase(words) or (counted is None and not self._listed_people(words)):
                return []  # "a party and two others were wounded": a party is no one
            items.append((item_start, pos, int(counted.value) if counted else 1, words))
        return items if any(self._listed_people(words) for *_, words in items) else []

    def _listed_people(self, words: list[str]) -> bool:
        """A listed group made of people: a person noun or a side's noun ("militants", "a policeman", "a shepherd")."""
        nouns = self.lex.person_nouns
        return side_of(words, self.lex) != "general" or any(
            w in nouns or w + "s" in nouns or w.rstrip("s") in nouns for w in (x.lower() for x in words))

    def _and_one_more(self, hits: list[ClaimHit], qs: list[Quantity], group: int) -> int:
        """'killing two patients and a nurse': the singular joins the figure (3)."""
        for h in list(hits):
            if h.singular or h.claim.part_of_total or h.claim.vague:
                continue
            m = AND_ONE_MORE.match(self.text, h.end, min(self.end, h.end + 60))
            if not m or any(h.end < q.start < m.end() for q in qs):
                continue
            group = _one_more(hits, h, m.group("noun"), m.start("noun"), m.end(), side_of([m.group("noun")], self.lex),
                              group)
        return group

    def _one_and_kin(self, hits: list[ClaimHit], group: int) -> int:
        """'killed a woman and her three children': the one and the family add up (4)."""
        for one in [h for h in hits if h.singular and h.conj_group is None]:
            m = KIN_JOIN.match(self.text, one.end, self.end)
            kin = next((h for h in hits if m and h.start == m.end() and h.claim.outcome == one.claim.outcome), None)
            if kin is not None and kin.conj_group is None:
                group += 1
                one.conj_group = kin.conj_group = group
        return group

    def _kin_after(self, hits: list[ClaimHit], group: int) -> int:
        """'two children and their mother were killed': the relative is one more, added up with the figure."""
        for m in KIN_TAIL.finditer(self.text, self.start, self.end):
            owner = next((h for h in reversed(hits) if not h.singular and h.end <= m.start() <= h.end + 30
                          and not self.text[h.end:m.start()].strip(" ").count(",")), None)
            if owner is not None:
                group = _one_more(hits, owner, m.group("noun"), m.start("noun"), m.end("noun"), owner.side, group)
        return group

    def _one_before_kin(self, hits: list[ClaimHit], taken: list[tuple[int, int]]) -> list[ClaimHit]:
        """'a woman and her two children were killed': the one takes the family's outcome (added up later)."""
        out = []
        for m in kin_lead_rx().finditer(self.text, self.start, self.end):
            kin = next((h for h in hits if h.start == m.end()), None)
            if kin is None or any(s <= m.start() < e for s, e in taken):
                continue
            claim = CasualtyClaim(outcome=kin.claim.outcome, count=1, victims=m.group("noun"),
                                  evidence=Evidence.of(self.text, self.start, self.end))
            out.append(ClaimHit(claim, m.start(), m.end("noun"), side=side_of([m.group("noun")], self.lex),
                                singular=True))
        return out

    def _singulars(self, hits: list[ClaimHit]) -> list[ClaimHit]:
        taken = [(h.start, h.end) for h in hits]
        out = []
        matches = list(singular_rx().finditer(self.text, self.start, self.end))
        matches += list(active_singular_rx().finditer(self.text, self.start, self.end))
        matches += list(ANOTHER_ONE.finditer(self.text, self.start, self.end))
        out += self._one_before_kin(hits, taken)
        taken += [(h.start, h.end) for h in out]
        for m in matches:
            if any(s <= m.start() < e or m.start() <= s < m.end() for s, e in taken):
                continue
            said = m.groupdict().get("outcome") or "killed"  # "a driver died of his wounds"
            outcome = SINGULAR_OUTCOME[re.sub(r"\s+", " ", said)]
            noun = m.groupdict().get("noun")
            claim = CasualtyClaim(outcome=outcome, count=1, victims=noun,  # type: ignore[arg-type]
                                  evidence=Evidence.of(self.text, self.start, self.end))
            side = side_of([noun] if noun else [], self.lex)
            out.append(ClaimHit(claim, m.start(), m.end(), side=side, singular=True))
        return out

    def _mark_dash_parts(self, hits: list[ClaimHit]) -> None:
        """'102 injured – 82 by live fire, six critically': later smaller figures after a dash are parts."""
        for i, h in enumerate(hits):
            left = self.text[self.start:h.start].rstrip(" “”\"")
            if not left or left[-1] not in "–—(:-,":
                continue
            for prev in hits[:i]:  # not items by place: "five in X, three in Y", "nine dead, seven in X, two in Y"
                listed = prev.conj_group is not None and prev.conj_group == h.conj_group  # "five soldiers, three"
                if prev.claim.outcome == h.claim.outcome and prev.claim.count > h.claim.count and not listed \
                        and not prev.broken_down and not self._place_item(prev.end, h.start, h.end):
                    between = self.text[prev.end:h.start]
                    if not self.lex.contrast.search(between) and not re.search(r"\b(were|was|have|has)\b",
                                                                                 self.text[h.end:h.end + 25]):
                        h.claim.part_of_total = True

    def _mark_increments(self, hits: list[ClaimHit]) -> None:
        """'two more bodies were found, raising the toll to nine': the 2 is inside the 9."""
        if not hits:
            return
        raising = bool(RAISING.search(self.text, self.start, self.end))
        for h in hits:
            words = (h.claim.victims or "").lower().split()
            if not raising and not {"more", "additional", "further"} & set(words):
                continue
            if any(o is not h and o.claim.outcome == h.claim.outcome and o.claim.count > h.claim.count
                   and not o.broken_down for o in hits):  # a toll given by place: the items are incidents
                h.claim.part_of_total = True

    def _assign_claimants(self, hits: list[ClaimHit]) -> None:
        if not hits:
            return
        found = self.claimants()
        if not found:
            return
        segments = [m.end() for m in self.lex.contrast.finditer(self.text, self.start, self.end)]
        segments += [m.end() for m in re.finditer(";", self.text[self.start:self.end])]

        def segment(pos: int) -> int:
            return sum(1 for b in segments if b <= pos)

        for h in hits:
            same = [c for c in found if segment(c[0]) == segment(h.start)]
            pool = same or found
            h.claim.claimant = min(pool, key=lambda c: abs(c[0] - h.start))[1]


def _one_more(hits: list[ClaimHit], owner: ClaimHit, noun: str, start: int, end: int, side: str, group: int) -> int:
    """Append one more person of ``owner``'s outcome at ``start:end``, added up with it ('two patients and a
    nurse', 'two children and their mother'). Returns the last conjunction group number used."""
    claim = CasualtyClaim(outcome=owner.claim.outcome, count=1, victims=noun, claimant=owner.claim.claimant,
                          evidence=owner.claim.evidence)
    if owner.conj_group is None:
        group += 1
        owner.conj_group = group
    hits.append(ClaimHit(claim, start, end, side=side, conj_group=owner.conj_group, singular=True))
    return group


def side_of(words: list[str], lex: CasualtyLexicon) -> str:
    lowered = [w.lower().strip("’'") for w in words if w.lower() not in lex.auxiliaries]
    if any(w in lex.force_nouns or w + "s" in lex.force_nouns for w in lowered) or lowered[:1] == ["our"]:
        return "forces"  # "ten of our men", said by an army
    if any(w in lex.attacker_nouns or w + "s" in lex.attacker_nouns for w in lowered):
        return "attackers"
    if any(DEMONYM_PLURAL.fullmatch(w) for w in words):
        return "population"
    if not lowered or all(w in lex.inclusive_nouns for w in lowered):
        return "all"
    return "general"


def _mark_rival_sources(hits: list[ClaimHit]) -> None:
    """'a journalist said 12 were killed, while activists said nearly 60': two sources' estimates of one toll."""
    for a in hits:
        for b in hits:
            if a is b or a.claim.outcome != b.claim.outcome or a.claim.part_of_total or b.claim.part_of_total:
                continue
            if a.claim.claimant and b.claim.claimant and a.claim.claimant != b.claim.claimant \
                    and not a.claim.vague and not b.claim.vague and a.conj_group is None and b.conj_group is None:
                a.estimate = b.estimate = True


def _agent(word: str) -> bool:
    """'activists', 'officials', 'the ministry's': a word that names a source of figures."""
    low = word.lower()
    return low in AGENT_NOUNS or re.sub(r"(?:’s|'s|’|')$", "", low) in AGENT_NOUNS


def _names_people(words: list[str], lex: CasualtyLexicon) -> bool:
    return any(w.lower() in lex.person_nouns and w.lower() not in ("more", "others") for w in words)


def _tidy_claimant(phrase: str) -> str:
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,.;:“”\"'‘’")
    phrase = re.sub(r"^(?:and|but|while|as|also|by)\s+", "", phrase, flags=re.I)
    phrase = re.sub(r"\s+(?:in a statement|on \w+day|late on \w+|earlier|later|on Twitter|on X)$", "", phrase)
    phrase = re.sub(r"\s+(?:also|had|has|have|later|earlier|previously|initially)$", "", phrase, flags=re.I)
    phrase = re.sub(r"^the\s+", "", phrase, flags=re.I)
    return phrase.strip()
