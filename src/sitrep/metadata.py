"""Publication date, outlet and title from an HTML page or from the article text itself.

Used only when the manifest is silent: manifest values always win (see ``prepare.build_article``).
A date whose year had to be guessed (a dateline "Jan 26 (Reuters)") is marked uncertain.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urlparse

from .clean import is_headline, load_junk_data, patterns, strip_title_suffix

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?,?\s+(\d{{4}})", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
_PUBLISHED = re.compile(
    rf"(?:published|posted|updated|last updated)\s*(?:on|at)?\s*:?\s*"
    rf"(\d{{1,2}}\s+{_MONTH}\.?,?\s+\d{{4}}|{_MONTH}\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})",
    re.IGNORECASE,
)
_LEADING_DATE = re.compile(r"^\s*(?:date|dated|published|posted)\s*:?\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE)
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_SOURCE_LINE = re.compile(
    r"\bSource:\s*([A-Z][\w'’&. -]{1,60}?)(?:\s+and\s+(?:news\s+)?agencies)?"
    r"(?=$|[.;,\n]|[a-z]+-logo|[A-Z][a-z]+[A-Z])",
    re.MULTILINE,
)
_COPYRIGHT = re.compile(
    r"(?i:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?\d{4},?\s+([A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,5})"
)

_FOLLOW = re.compile(r"^Follow ([A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,4}):", re.MULTILINE)


@dataclass
class Metadata:
    """What could be learned about an article besides its text."""

    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_uncertain: bool = False

    def fill_from(self, other: Metadata) -> Metadata:
        """Fields of ``self`` win; the gaps are filled from ``other``."""
        published, uncertain = self.published, self.published_uncertain
        if published is None:
            published, uncertain = other.published, other.published_uncertain
        return Metadata(self.title or other.title, self.outlet or other.outlet, published, uncertain)


# -- dates -----------------------------------------------------------------------------------------
def parse_date(text: str) -> str | None:
    """An ISO date from "2 Nov 2023", "Nov 2, 2023", "2023-11-02" or an ISO timestamp."""
    for rx, order in ((_ISO, "ymd"), (_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        m = rx.search(text)
        if not m:
            continue
        parts = dict(zip(order, m.groups(), strict=True))
        month = int(parts["m"]) if parts["m"].isdigit() else MONTHS[parts["m"][:3].lower()]
        iso = _iso(int(parts["y"]), month, int(parts["d"]))
        if iso:
            return iso
    return None


_ISO_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?",
                        re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_WEEKDAY_PREFIX = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)


def parse_published(value: str) -> str:
    """The ISO date of a publication date given by a user (a manifest's ``published``).

    Accepts ISO dates (with or without a time and zone), RFC 2822 ("Thu, 26 Jan 2023 10:00:00 +0000"),
    "26 January 2023", "January 26, 2023" and day/month/year numbers when only one reading is a real
    day ("26/01/2023"). Raises ``ValueError`` saying why for anything else, ambiguous "03/04/2023" too."""
    text = " ".join(value.split())
    if m := _ISO_STAMP.fullmatch(text):
        return _real_day(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if m := _NUMERIC_DATE.fullmatch(text):
        return _numeric_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    bare = _WEEKDAY_PREFIX.sub("", text)
    for rx, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        m = rx.match(bare)
        if m and (not bare[m.end():].strip(" ,") or _rfc2822_tail(bare[m.end():])):
            parts = dict(zip(order, m.groups(), strict=True))
            return _real_day(int(parts["y"]), MONTHS[parts["m"][:3].lower()], int(parts["d"]), text)
    raise ValueError(f"{value!r} is not a date sitrep can read: write it as YYYY-MM-DD")


def _rfc2822_tail(rest: str) -> bool:
    """The time and zone after an RFC 2822 date: " 10:00:00 +0000", " 10:00 GMT"."""
    return bool(re.fullmatch(r"\s+\d{2}:\d{2}(?::\d{2})?(?:\s+(?:[+-]\d{4}|[A-Z]{1,5}))?", rest))


def _numeric_date(first: int, second: int, year: int, text: str) -> str:
    """"26/01/2023" is day-first, "01/26/2023" month-first; "03/04/2023" could be either and is refused."""
    if first > 12 >= second:
        return _real_day(year, second, first, text)
    if second > 12 >= first or first == second:
        return _real_day(year, first, second, text)
    raise ValueError(f"{text!r} is ambiguous (day/month or month/day?): write it as YYYY-MM-DD")


def _real_day(year: int, month: int, day: int, text: str) -> str:
    iso = _iso(year, month, day)
    if iso is None:
        raise ValueError(f"{text!r} is not a real day")
    return iso


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


# -- text ------------------------------------------------------------------------------------------
def _agencies() -> dict[str, str]:
    agencies: dict[str, str] = load_junk_data()["agencies"]
    return agencies


@lru_cache(maxsize=1)
def _dateline_regex() -> re.Pattern[str]:
    names = "|".join(re.escape(a) for a in sorted(_agencies(), key=len, reverse=True))
    return re.compile(
        rf"^(?P<place>[A-Z][A-Z .'’-]{{1,40}}(?:,\s*[A-Z][\w .'’-]{{1,40}}){{0,2}}?),?\s*"
        rf"(?:(?P<month>(?i:{_MONTH}))\.?\s+(?P<day>\d{{1,2}})\s*)?"
        rf"\((?P<agency>{names})\)\s*[-–—]",
        re.MULTILINE,
    )


def text_metadata(text: str, cleaned: str, *, file_date: str | None = None, url: str | None = None) -> Metadata:
    """Metadata from an article's text: date stamps, datelines, source/copyright footers, first line.

    ``file_date`` is a server's Last-Modified date (never a local file's clock time)."""
    published, uncertain = _text_date(text, file_date, url)
    return Metadata(
        title=guess_title(cleaned),
        outlet=_text_outlet(text),
        published=published,
        published_uncertain=uncertain,
    )


_DATE_LINE = re.compile(
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|"
    r"[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})",
    re.I,
)


def _text_date(text: str, file_date: str | None, url: str | None) -> tuple[str | None, bool]:
    lead = _LEADING_DATE.search(text)
    if lead and (iso := parse_date(lead.group(1))):
        return iso, False
    stamp = _PUBLISHED.search(text)
    if stamp and (iso := parse_date(stamp.group(1))):
        return iso, False
    for line in text.splitlines()[:12]:  # a header line with a date: "25 October 2024", "Live | 25 June 2024"
        line = line.strip()
        found = _DATE_LINE.search(line)
        if found and len(line.split()) <= 9 and (iso := parse_date(found.group(0))):
            return iso, False
    m = _dateline_regex().search(text)
    if m and m.group("month"):
        month, day = MONTHS[m.group("month")[:3].lower()], int(m.group("day"))
        year = _infer_year(text, month, day, file_date, url)
        if year is not None and (iso := _iso(year, month, day)):
            return iso, True
    captioned = _caption_date(text)
    return (captioned, True) if captioned else (None, False)


def _caption_date(text: str) -> str | None:
    """The latest full date in a photo caption ("... in the city, July 4, 2023. (Photo: ...)"): when nothing
    else dates the article, the day its pictures were taken is the best guess (kept uncertain)."""
    credit = patterns().caption_credit
    found = [iso for line in text.splitlines() if len(line) <= 400 and credit.search(line)
             for m in _DATE_LINE.finditer(line) if (iso := parse_date(m.group(0)))]
    return max(found) if found else None


def _infer_year(text: str, month: int, day: int, file_date: str | None, url: str | None) -> int | None:
    """The year a dateline ("May 17 (Reuters)") belongs to, from the article itself, never from today.

    In order: a full date in the text with the same month and day; the URL's year ("/2024/05/17/");
    the latest year the text cites (not after the server's Last-Modified date); the server's date."""
    stamp = _ISO.search(file_date or "")
    limit = int(stamp.group(1)) if stamp else 9999
    full = [d for d in _full_dates(text) if d.year <= limit]
    same_day = [d.year for d in full if (d.month, d.day) == (month, day)]
    if same_day:
        return max(same_day)
    if url and (m := _URL_YEAR.search(url)):
        return int(m.group(1))
    years = [int(y) for y in _YEAR.findall(text) if int(y) <= limit]
    if years:
        return max(years)
    if stamp:
        year = int(stamp.group(1))
        stamped = date(year, int(stamp.group(2)), int(stamp.group(3)))
        candidate = _iso(year, month, day)
        return year - 1 if candidate and date.fromisoformat(candidate) > stamped else year
    return None


_URL_YEAR = re.compile(r"/((?:19[89]|20\d)\d)/(?:[01]?\d/)?")


def _full_dates(text: str) -> list[date]:
    """Every full date ("26 January 2023", "Jan. 26, 2023", "2023-01-26") the text gives."""
    found: list[date] = []
    for rx in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for m in rx.finditer(text):
            iso = parse_date(m.group(0))
            if iso:
                found.append(date.fromisoformat(iso))
    return found


def _text_outlet(text: str) -> str | None:
    m = _dateline_regex().search(text)
    if m:
        return _agencies()[m.group("agency")]
    if (src := _SOURCE_LINE.search(text)) and src.group(1).strip():
        return clean_outlet(src.group(1))
    copyrights = list(_COPYRIGHT.finditer(text))
    if copyrights:
        return clean_outlet(copyrights[-1].group(1))
    follow = _FOLLOW.search(text)
    return clean_outlet(follow.group(1)) if follow else None


def clean_outlet(name: str) -> str:
    """"Al Jazeera Media Network" -> "Al Jazeera" (corporate suffixes from the data file)."""
    name = re.sub(r"\s+", " ", name).strip(" .,;:-")
    suffixes: list[str] = load_junk_data()["outlet_suffixes"]
    for suffix in sorted(suffixes, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)].strip()
    return name


def guess_title(cleaned: str) -> str | None:
    """The first short line that does not end like a sentence."""
    dateline = _dateline_regex()
    for line in cleaned.split("\n")[:5]:
        line = line.strip()
        if dateline.match(line):
            continue
        if (3 <= len(line.split()) <= 30 and len(line) <= 200 and not re.search(r"[.!:;]$", line)
                and is_headline(line)):
            return line
    return None


# -- HTML ------------------------------------------------------------------------------------------
_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
    "publish-date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued", "sailthru.date",
    "parsely-pub-date", "article.published", "cxenseparse:recs:publishtime",
)
_SITE_META = ("og:site_name", "application-name", "publisher", "twitter:site", "dc.publisher")


def html_metadata(html: str, *, url: str | None = None) -> Metadata:
    """Metadata from an HTML page: meta tags, JSON-LD, <title>, the domain."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except Exception:  # lxml's parser errors do not share a narrower public base class
        return Metadata()
    meta = _meta_tags(tree)
    ld = _json_ld(tree)
    outlet = next((meta[k] for k in _SITE_META if meta.get(k)), None) or ld.get("publisher")
    if outlet and outlet.startswith("@"):
        outlet = outlet[1:]
    page_url = url or meta.get("og:url") or _canonical(tree)
    if not outlet and page_url:
        outlet = _domain(page_url)
    published = next((parse_date(meta[k]) for k in _DATE_META if meta.get(k) and parse_date(meta[k])), None)
    published = published or (parse_date(ld["datePublished"]) if ld.get("datePublished") else None)
    if not published:
        times = tree.xpath("//time/@datetime")
        published = parse_date(str(times[0])) if times else None
    return Metadata(title=_html_title(tree, meta, outlet), outlet=clean_outlet(outlet) if outlet else None,
                    published=published)


def _meta_tags(tree: object) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):  # type: ignore[attr-defined]
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and key not in out and el.get("content", "").strip():
            out[key] = el.get("content").strip()
    return out


def _json_ld(tree: object) -> dict[str, str]:
    """datePublished / publisher name / headline from the first JSON-LD article object."""
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):  # type: ignore[attr-defined]
        try:
            data = json.loads(str(script))
        except ValueError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]):
            if not isinstance(item, dict) or "datePublished" not in item and "publisher" not in item:
                continue
            publisher = item.get("publisher")
            name = publisher.get("name") if isinstance(publisher, dict) else publisher
            return {k: str(v) for k, v in (("datePublished", item.get("datePublished")),
                                          ("publisher", name), ("headline", item.get("headline"))) if v}
    return {}


def _canonical(tree: object) -> str | None:
    hrefs = tree.xpath("//link[@rel='canonical']/@href")  # type: ignore[attr-defined]
    return str(hrefs[0]) if hrefs else None


def _domain(url: str) -> str | None:
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


def _html_title(tree: object, meta: dict[str, str], outlet: str | None) -> str | None:
    titles = tree.xpath("//title/text()")  # type: ignore[attr-defined]
    title = meta.get("og:title") or (str(titles[0]) if titles else None)
    if not title:
        return None
    title = re.sub(r"\s+", " ", title).strip()
    if outlet:
        for sep in (" | ", " - ", " – ", " — "):
            if title.endswith(sep + outlet):
                title = title[: -len(sep + outlet)]
    title = strip_title_suffix(title)
    return title if title and is_headline(title) else None
