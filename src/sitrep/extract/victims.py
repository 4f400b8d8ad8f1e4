"""Named victims: the people an article names as killed or injured, with their age.

A name counts only where the article says the person was killed or wounded, in one of the ways
news names victims:

- a list introduced by a cue: "identified as A, 23, and B", "among the dead were A and B", "the
  victims were named as ...", "the injured are: A, B and C", "including A";
- a list followed by its fate: "A, 23, B, 26 and C, 24 - were killed", "A and B, who were both killed";
- a name after a killing verb or a victim noun: "the strike killed commander A", "the funeral of
  Lieutenant A", "two fighters, A and B, ...", "a 15-year-old boy, A";
- any "Name, 23" or "Name (23)" in a sentence that says people died or were hurt.

Quoted speakers ("said A", "A, the governor, said"), possessives ("General A's forces"), actors and
people arrested or abducted are not victims. Titles and ranks ("Dr", "Sheikh", "Sergeant") are
dropped from the name; the article's spelling is kept, and ``name_key`` folds transliterations
(Mohammad / Muhammad, Ibrahim / Ebrahim) so one person named twice is kept once.

Knowledge lives in ``data/victims.json``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..records import Evidence, IncidentReport, Victim
from .lexicon import alternation, load_data


@cache
def _data() -> dict[str, list[str]]:
    return load_data("victims.json")  # type: ignore[no-any-return]


PARTICLE = r"(?:al|el|ul|bin|ibn|abu|Abu|Abo|abo|de|da|do|dos|das|del|della|di|du|van|von|ould|ag|ben|bint|ter)"
TOKEN = rf"(?:{PARTICLE}[-\s](?=[A-Z]))?(?:[A-Z]\.(?=[ \t]+[A-Z])|[A-Z][\w’']*(?:-[A-Z]?[\w’']+)*)"
NAME = rf"{TOKEN}(?:[ \t]+{TOKEN}){{0,5}}"
AGE_AFTER = r"(?:\s*,\s*(?:aged\s+)?(?P<age>\d{1,3})(?!\d|\s*(?:%|km|kilomet|people|others))|\s*\((?P<age2>\d{1,3})\))"
AGE_BEFORE = r"(?:(?P<age3>\d{1,3}|[A-Za-z]+(?:-[a-z]+)?)[-\s]year[-\s]old\s+(?:[a-z]+\s+){0,2}?)"

OUTCOME_WORDS = {
    "killed": r"killed|killing|kills|dead|died|dies|slain|shot\s+dead|murdered|executed|assassinated|martyred|"
              r"bodies|body|funerals?|buried|lost\s+(?:his|her|their)\s+li(?:fe|ves)|succumbed|beheaded|deaths?|"
              r"fatalities|lynched",
    "injured": r"wounded|injured|hurt|hospitali[sz]ed|treated\s+for|wounds?|injur(?:y|ies)|maimed",
}
KILLED = re.compile(rf"\b(?:{OUTCOME_WORDS['killed']})\b", re.I)
INJURED = re.compile(rf"\b(?:{OUTCOME_WORDS['injured']})\b", re.I)
ARRESTED = re.compile(r"\b(?:arrested|arrests?|detained|detains?|abducted|abducts?|kidnapped|kidnaps?|captured|"
                      r"apprehended|nabbed|charged|convicted|sentenced|custody|hostages?)\b", re.I)
MISSING = re.compile(r"\b(?:missing|unaccounted|untraced|"
                     r"not\s+(?:yet\s+)?(?:been\s+)?(?:traceable|traced|found|located)|"
                     r"escaped|survived|unharmed|unhurt|rescued|released|freed)\b", re.I)
SPEAKER_AFTER = re.compile(r"^(?:\s*\(\d{1,3}\)|\s*,\s*(?:aged\s+)?\d{1,3})?"
                           r"(?:\s*,\s*(?:a|an|the|his|her|their)?[^,.;\"“”]{0,70},)?"
                           r"\s*,?\s*(?:has\s+|had\s+|have\s+)?(?:said|says|say|told|added|wrote|announced|stated|"
                           r"explained|recalled|confirmed|posted|noted)\b", re.I)
SPEAKER_BEFORE = re.compile(r"\b(?:said|says|say|told|added|according\s+to|recalled|explained|quoted|quoting|"
                            r"spokesperson|spokesman|spokeswoman)[\s,]+(?P<between>(?:[\w.’'-]+,?\s+){0,3})$|"
                            r"\b(?:by|photo|photos|credit|reporting|editing|writing)[\s:]+(?P<byline>)$", re.I)
LEADER_BEFORE = re.compile(r"\b(?:under|led\s+by|headed\s+by|commanded\s+by|loyal\s+to|of|by)\s+(?:the\s+)?$", re.I)
PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|near|from|to|into|across|outside|inside|on|toward|towards|between|"
                                r"via|through|around|under|over|against|for|of)\s+(?:the\s+)?$", re.I)
FATE_OF = re.compile(r"\b(?:funeral|burial|killing|murder|assassination|death|body|bodies|shooting|slaying|"
                     r"martyrdom|wounding)\s+of\s+$", re.I)


VERB = (r"(?:killed|killing|kills|shot\s+dead|shooting\s+dead|shot|shooting|murdered|murdering|assassinated|"
        r"assassinating|eliminated|eliminating|wounded|wounding|injured|injuring|beheaded|executed|executing|"
        r"gunned\s+down|claimed\s+the\s+lives?\s+of|took\s+the\s+lives?\s+of)")
VERB_RE = re.compile(VERB, re.I)
FATE = (r"(?:killed|shot\s+dead|shot|wounded|injured|died|slain|murdered|hurt|martyred|executed|beheaded|lynched|"
        r"gunned\s+down|(?:burned|burnt|beaten|stabbed|hacked|tortured|stoned|crushed)\s+to\s+death|"
        r"succumbed|lost\s+(?:his|her|their)\s+li(?:fe|ves)|"
        r"(?:received|sustained|suffered)\s+(?:[\w-]+\s+){0,2}?(?:injuries|wounds)|"
        r"found\s+(?:dead|murdered|killed|shot\s+dead|beheaded)|"
        r"one\s+of\s+(?:the\s+|those\s+)?(?:\w+\s+){0,2}?(?:killed|dead|victims|wounded|injured)|"
        r"among\s+the\s+(?:dead|killed|victims|wounded|injured))")
AUX = (r"(?:\s*,\s*in\s+(?:his|her|their)\s+(?:early\s+|late\s+|mid-)?\w+s\s*,)?"  # ", in his 20s,"
       r"(?:\s*[,–—-]\s*|\s+)(?:who\s+)?(?:(?:were|was|had\s+been|have\s+been|has\s+been|are|is|got)\s+)?"
       r"(?:(?:both|all|also|reportedly|later|fatally|critically|seriously|badly|severely|allegedly)\s+)*")
THEN_DIED = re.compile(r"\b(?:and|but)\s+(?:later\s+|subsequently\s+)?(?:died|succumbed|passed\s+away|"
                       r"lost\s+(?:his|her|their)\s+li(?:fe|ves))\b", re.I)
SAID_THAT = re.compile(r"\b(?i:said|says|say|told\s+\w+|reported|confirmed)\s+(?i:that\s+)?(?:[A-Z][\w.-]*\s+){0,2}$")
FATED_AFTER = re.compile(rf"^{AUX}(?i:{FATE})\b")
OUTCOME_NOUN = (r"(?:dead|killed|deceased|slain|victims?|wounded|injured|casualties|fallen|martyrs|"
                r"those\s+(?:killed|wounded|injured|hurt|treated|hospitali[sz]ed|who\s+died))")
FATE_OF_CUE = (r"\b(?:funeral|burial|killing|murder|assassination|death|body|bodies|shooting|slaying|martyrdom|"
               r"wounding)\s+of\s+")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    data = _data()
    titles = alternation(data["ranks"])
    military = alternation([r for r in data["ranks"] if r not in data["honorifics"]])
    roles = alternation(data["role_nouns"])
    item = (rf"(?:{AGE_BEFORE})?(?:(?:his|her|their)\s+)?(?:(?:{roles})\s+)?(?:(?:{titles})\.?\s+)*"
            rf"(?P<name>{NAME})(?:{AGE_AFTER})?")
    bare_item = re.sub(r"\?P<\w+>", "?:", item)
    sep = r"(?:\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s*;\s*(?:and\s+)?|\s*&\s*)"
    appos = r"(?:\s*,\s*(?:a|an|the|his|her|their)\s+[^,;.]{1,60}?(?=\s*,|\s*;|\s+and\s+[A-Z]|\s*\.|$))?"
    listed = rf"(?:{bare_item}{appos})(?:{sep}{bare_item}{appos})*"
    plain_item = re.sub(r"\?P<\w+>", "?:", rf"(?:{AGE_BEFORE})?(?:(?:{titles})\.?\s+)*{NAME}(?:{AGE_AFTER})?")
    plain_listed = rf"(?:{plain_item}{appos})(?:{sep}{plain_item}{appos})*"
    strong = (rf"(?i:\b(?:identified|named|revealed|listed|given)\s+(?:[\w-]+\s+){{0,4}}?as\b"
              rf"|\bamong\s+(?:the\s+)?{OUTCOME_NOUN}(?:[^,.;:]{{0,30}}?\s+(?:were|was|are|is|included|including))?"
              rf"|\b(?:the\s+)?{OUTCOME_NOUN}(?:\s+\w+){{0,2}}?\s+(?:were|was|are|is|have\s+been|has\s+been)"
              rf"(?:\s+(?:named|identified))?(?:\s+as)?"
              rf"|\b{OUTCOME_NOUN}\b[^.:;\n]{{0,50}}:)")
    weak = (rf"(?<![\w’'-])(?:(?i:\b(?:including|included|includes|such\s+as))"
            rf"|\b(?:two|three|four|five|six|seven|eight|nine|ten|both|\d+)\s+[^,.;:]{{0,40}}?\b(?:{roles}|[a-z]+s),"
            rf"|\b(?:{roles})(?:\s+[a-z]+)?,"
            rf"|(?i:\b{VERB})\s+(?:(?:the|a|an|senior|top|local|veteran|prominent|former|well-known|his|her|their)\s+)*"
            rf"(?:(?:[A-Z][\w’'-]+\s+)?(?:{roles})\s+)?)")
    return {
        "item": re.compile(item),
        "titled": re.compile(rf"\b(?:{titles})\.?\s+$"),
        "strong": re.compile(rf"{strong}\s*(?:the\s+)?(?P<list>{listed})"),
        "weak": re.compile(rf"{weak}\s*(?P<list>{listed})"),
        "fated": re.compile(rf"(?<![\w’'-])(?=[A-Z\d])(?P<list>{plain_listed}){AUX}(?i:{FATE})\b"),
        "ranked": re.compile(rf"(?<![\w’'-])(?:{military})\.?\s+(?P<list>{NAME})"),
        "fate_of": re.compile(rf"(?i:{FATE_OF_CUE})(?P<list>{bare_item})"),
        "aged": re.compile(rf"(?<![\w’'-])(?=[A-Z\d])(?:{AGE_BEFORE})?(?P<name>{NAME}){AGE_AFTER}"),
    }


def _outcome(sentence: str) -> str | None:
    if KILLED.search(sentence):
        return "killed"
    if INJURED.search(sentence):
        return "injured"
    return None


def _age(m: re.Match[str]) -> int | None:
    """The age an item gives: ', 23', '(23)', '23-year-old', 'Sixteen-year-old'."""
    from .numbers import parse_number

    raw = next((m.group(g) for g in ("age", "age2", "age3") if m.group(g)), None)
    if raw is None:
        return None
    return int(raw) if raw.isdigit() else parse_number(raw.lower())


def _cue_outcome(cue: str) -> str | None:
    """'the injured were identified as' -> injured; 'the victims were named as' -> killed."""
    if found := _outcome(cue):
        return found
    if re.search(r"treated|hospitali[sz]ed", cue, re.I):
        return "injured"
    return "killed" if re.search(r"victims?|martyrs|fallen|deceased", cue, re.I) else None


def _clause_outcome(text: str) -> str | None:
    """The fate said right after a name ('..., who was wounded', '..., 34, was arrested', '... is missing'),
    before the next clause: the first of killed, injured, arrested or missing."""
    clause = re.split(r"[.;]", text, maxsplit=1)[0]
    if INJURED.search(clause) and THEN_DIED.search(clause):
        return "killed"  # "received multiple injuries and lost his life", "was wounded and later died"
    found = [(m.start(), outcome) for outcome, rx in (("injured", INJURED), ("killed", KILLED), ("arrested", ARRESTED),
                                                       ("missing", MISSING)) if (m := rx.search(clause))]
    return min(found)[1] if found else None


class _Finder:
    """Names in one sentence, checked one by one."""

    def __init__(self, text: str, start: int, end: int, outcome: str) -> None:
        self.text, self.start, self.end, self.outcome = text, start, end, outcome
        self.found: list[Victim] = []
        self.evidence = Evidence.of(text, start, end)

    def add_items(self, listed: str, at: int, single_ok: bool, outcome: str | None = None) -> None:
        """Every name of a list that starts at ``at`` (absolute offset)."""
        for m in _patterns()["item"].finditer(listed):
            age = _age(m)
            titled = bool(_patterns()["titled"].search(listed, 0, m.start("name")))  # "Sergeant Amrosius"
            self.add(m.group("name"), age, at + m.start("name"), single_ok or titled, outcome)

    def add(self, raw: str, age: int | None, at: int, single_ok: bool, outcome: str | None = None) -> None:
        name = _clean(raw)
        if not name or not _plausible(name, single_ok) or (age is not None and not 0 < age <= 110):
            return
        raw_at, at = at, at + raw.find(name.split()[0])
        if self._excluded(name, at, raw_at):
            return
        after = self.text[at + len(name):min(self.end, at + len(name) + 120)]
        fate = outcome or _clause_outcome(after) or self.outcome
        if fate not in ("killed", "injured"):
            return
        key = name_key(name)
        for i, old in enumerate(self.found):
            if _same_person(key, name_key(old.name)):
                if len(name) > len(old.name) or (old.age is None and age is not None):
                    self.found[i] = Victim(name=name if len(name) > len(old.name) else old.name,
                                           age=old.age or age, outcome=old.outcome, evidence=self.evidence)
                return
        self.found.append(Victim(name=name, age=age, outcome=fate, evidence=self.evidence))  # type: ignore[arg-type]

    def _excluded(self, name: str, at: int, raw_at: int) -> bool:
        before = self.text[max(self.start, at - 40):at]
        raw_before = self.text[max(self.start, raw_at - 40):raw_at]
        after = self.text[at + len(name):min(self.end, at + len(name) + 90)]
        if re.match(r"\s*[’']s?\b", after) or re.search(r"[’']s$", name):
            return True  # "General X's forces"
        clause = re.split(r"[.;:]", self.text[self.start:at])[-1]
        arrest = list(ARRESTED.finditer(clause))
        if arrest and not VERB_RE.search(clause[arrest[-1].end():]):
            return True  # "Police arrested X, 34, and Y, 29"
        if PREPOSITION_BEFORE.search(raw_before) and not FATE_OF.search(raw_before):
            return True  # "in Khan Younis", "near Tal Afar"
        if SAID_THAT.search(before) and FATED_AFTER.match(after):
            return _is_actor_or_word(name)  # "officials said X, in his 20s, succumbed": what was said of X
        if _speaker_before(before) or SPEAKER_AFTER.match(after):
            # a quoted speaker is a victim only if the same clause says they were hurt
            return not re.match(r"^[^.;]{0,40}?\bwho\s+(?:was|were|had\s+been)\s+(?:\w+\s+)?"
                                r"(?:wounded|injured|hurt|treated)", after)
        return _is_actor_or_word(name)


def _speaker_before(before: str) -> bool:
    """'said his mother, X', 'according to police chief X'; not 'according to his family, was X'."""
    speaker = SPEAKER_BEFORE.search(before)
    if speaker is None:
        return False
    between = speaker.group("between") or ""
    return not VERB_RE.search(between) and not re.search(r"\b(?:was|were|is|are|includ\w*)\b", between)


def _is_actor_or_word(name: str) -> bool:
    from .actors import normalise_actor

    actor = normalise_actor(name)
    return actor is not None and len(actor.mention) >= len(name) - 2


def find_victims(text: str, start: int, end: int, context_outcome: str | None = None,
                 earlier_outcome: str | None = None) -> list[Victim]:
    """Named people in ``text[start:end]`` who were killed or injured. ``context_outcome``: the outcome of the
    paragraph's last figure; ``earlier_outcome``: the previous paragraph's, read only for names said to have
    been shot or killed ("Four were shot dead. | X, 17, and Y, 20, were shot in the head")."""
    sentence = text[start:end]
    outcome = _outcome(sentence) or context_outcome
    patterns = _patterns()
    strong = list(patterns["strong"].finditer(sentence))
    if outcome is None and strong and re.search(r"identified|named|revealed|listed|given", sentence):
        outcome = _outcome(text[max(0, start - 800):start])  # "... was killed. The soldier was identified as X."
    if outcome is None and strong:
        outcome = _cue_outcome(sentence)  # "The victims were named as ..."
    if outcome is None and earlier_outcome in ("killed", "injured"):
        finder = _Finder(text, start, end, earlier_outcome)
        for m in patterns["fated"].finditer(sentence):
            finder.add_items(m.group("list"), start + m.start("list"), single_ok=False)
        return finder.found
    if outcome not in ("killed", "injured"):
        return []
    finder = _Finder(text, start, end, outcome)
    for m in strong:
        cue_outcome = _cue_outcome(sentence[m.start():m.start("list")])
        finder.add_items(m.group("list"), start + m.start("list"), single_ok=True, outcome=cue_outcome)
    for key in ("weak", "fated", "fate_of", "ranked"):
        for m in patterns[key].finditer(sentence):
            if key == "ranked" and LEADER_BEFORE.search(sentence, max(0, m.start() - 20), m.start()):
                continue  # "the junta under General X", "forces loyal to Colonel Y": a leader, not a victim
            finder.add_items(m.group("list"), start + m.start("list"), single_ok=False)
    for m in patterns["aged"].finditer(sentence):
        finder.add(m.group("name"), _age(m), start + m.start("name"), single_ok=False)
    return finder.found


@cache
def _title_words() -> frozenset[str]:
    return frozenset(w.lower() for rank in _data()["ranks"] for w in re.split(r"[\s.-]+", rank) if w)


def _clean(raw: str) -> str:
    """'were Adnan Baara' -> 'Adnan Baara', 'Sergeant Major David Cohen' -> 'David Cohen'."""
    words = re.sub(r"\s+", " ", raw).strip(" ,.").split()
    not_names = _not_names()
    titles = _title_words() | _role_words()
    while words and (words[0].lower().strip(".") in not_names or words[0].lower().strip(".") in titles
                     or all(p.lower() in titles for p in words[0].rstrip(".").split("-"))):
        words.pop(0)
    acronyms = [i for i, w in enumerate(words[:-1]) if re.fullmatch(r"[A-Z]{2,5}", w)]
    if acronyms and len(words) - acronyms[-1] >= 2:
        words = words[acronyms[-1] + 1:]  # "DRG Jawan X", "ASI X", "Bhag SHO X": a unit, rank or post before
        while words and words[0].lower().strip(".") in titles:
            words.pop(0)
    while words and words[-1].lower().strip(".,") in _TIME_WORDS:
        words.pop()  # "killed Ali Hassan Monday"
    return " ".join(words)


_TIME_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                        "june july august september october november december".split())


@cache
def _role_words() -> frozenset[str]:
    return frozenset(w.lower() for w in _data()["role_nouns"] if " " not in w)


@cache
def _not_names() -> frozenset[str]:
    return frozenset(w.lower() for w in _data()["not_name_words"])


def _plausible(name: str, single_ok: bool) -> bool:
    words = name.split()
    if not words or any(w.lower().strip("’'.") in _not_names() for w in words):
        return False
    if any(ch.isdigit() for ch in name) or not any(len(w.strip(".")) >= 3 for w in words):
        return False
    if any(_number_or_demonym(w) for w in words):
        return False  # "Twenty-nine Palestinians"
    return len(words) >= 2 or (single_ok and len(words[0]) >= 3)


def _number_or_demonym(word: str) -> bool:
    from .gazetteer import Gazetteer
    from .numbers import number_words

    parts = word.lower().strip("’'.").split("-")
    return all(p in number_words() for p in parts) or Gazetteer.load().demonym_country(word) is not None


# -- one person, several spellings ---------------------------------------------------------------
def name_key(name: str) -> str:
    """A spelling-blind key: Mohammad/Muhammad/Mohammed, Ibrahim/Ebrahim, Hossam/Hussam, Dakheel/Dakhil
    meet (ASCII, lowercase, vowels and doubled letters dropped, one token a word)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    tokens = []
    for word in re.split(r"[\s-]+", ascii_name):
        letters = re.sub(r"[^a-z]", "", word)
        skeleton = re.sub(r"[aeiouwy]", "", letters)
        skeleton = re.sub(r"(.)\1+", r"\1", skeleton)
        if letters in ("al", "el", "ul"):
            continue
        tokens.append(skeleton or letters)
    return " ".join(tokens)


def _same_person(a: str, b: str) -> bool:
    """Keys of one person: equal, or one's words all in the other's in order, first word the same."""
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if short[0] != long_[0] or len(short) < 2:
        return False
    rest = iter(long_)
    return all(word in rest for word in short)


def same_person(a: str, b: str) -> bool:
    """Whether two names in one story are one person (spelling variants, a middle name left out)."""
    return _same_person(name_key(a), name_key(b))


def dedupe_victims(victims: list[Victim]) -> list[Victim]:
    """One entry a person, in reading order, keeping the first spelling and any age given."""
    out: list[Victim] = []
    for v in victims:
        twin = next((i for i, o in enumerate(out) if same_person(o.name, v.name)), None)
        if twin is None:
            out.append(v)
        elif out[twin].age is None and v.age is not None:
            old = out[twin]
            out[twin] = Victim(name=old.name, age=v.age, outcome=old.outcome, role=old.role, evidence=old.evidence)
    return out


def attach_orphans(reports: list[IncidentReport], victims: list[Victim]) -> None:
    """Named victims whose sentence joined no incident (a list of names paragraphs after the lead) go
    to the incident told last before them, or the first one."""
    if not reports:
        return
    for v in victims:
        if any(same_person(v.name, o.name) for r in reports for o in r.victims):
            continue
        at = v.evidence.start if v.evidence else 0
        before = [r for r in reports if r.evidence is not None and r.evidence.start <= at]
        target = max(before, key=lambda r: r.evidence.start if r.evidence else 0) if before else reports[0]
        target.victims.append(v)
