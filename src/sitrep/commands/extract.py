"""``sitrep extract``: run extraction on one article and print it; nothing is stored."""

from __future__ import annotations

import dataclasses
import json
import time
from typing import Any

import click

from ..clean import UnreadableInput
from ..prepare import build_article
from ..records import Article, ArticleExtraction, Evidence
from ..sources import InputSpec, read_input


def _evidence(e: Evidence | None) -> dict[str, Any] | None:
    return {"start": e.start, "end": e.end, "text": e.text} if e else None


def extraction_dict(article: Article, ex: ArticleExtraction) -> dict[str, Any]:
    """A JSON-ready view of one article's extraction (same field names as the export contract)."""
    incidents = []
    for r in ex.reports:
        place = dataclasses.asdict(r.place) if r.place else None
        if place:
            place["evidence"] = _evidence(r.place.evidence) if r.place else None
        incidents.append({
            "id": r.id, "main": r.main, "date": r.date.date, "date_end": r.date.date_end,
            "date_precision": r.date.precision, "date_evidence": _evidence(r.date.evidence),
            "event_type": r.event_type, "sub_event_type": r.sub_event_type, "location": place,
            "actors": [a.name for a in r.actors],
            "fatalities": r.fatalities.as_dict() if r.fatalities else None,
            "injuries": r.injuries.as_dict() if r.injuries else None,
            "claims": [{"outcome": c.outcome, "count": c.count, "count_high": c.count_high,
                        "qualifier": c.qualifier, "vague": c.vague, "part_of_total": c.part_of_total,
                        "victims": c.victims, "claimant": c.claimant, "evidence": _evidence(c.evidence)}
                       for c in r.claims],
            "victims": [{"name": v.name, "age": v.age, "outcome": v.outcome} for v in r.victims],
        })
    return {
        "article": {"id": article.id, "outlet": article.outlet, "published": article.published,
                    "published_uncertain": article.published_uncertain, "title": article.title,
                    "language": article.language, "status": article.status},
        "incidents": incidents,
        "tallies": [{"outcome": t.outcome, "count": t.count, "qualifier": t.qualifier, "victims": t.victims,
                     "area": t.area, "period_start": t.period_start, "as_of": t.as_of, "claimant": t.claimant,
                     "evidence": _evidence(t.evidence)} for t in ex.tallies],
        "notes": ex.notes,
    }


def _print_summary(data: dict[str, Any], seconds: float) -> None:
    art = data["article"]
    click.echo(f"{art['id']}  {art['published'] or 'no date'}  {art['outlet'] or 'unknown outlet'}")
    for inc in data["incidents"]:
        loc = inc["location"]["name"] if inc["location"] else "no place found"
        k = inc["fatalities"]
        i = inc["injuries"]
        killed = "-" if not k else (f"{k['low']}" if k["low"] == k["high"] else f"{k['low']}-{k['high']}")
        hurt = "-" if not i else (f"{i['low']}" if i["low"] == i["high"] else f"{i['low']}-{i['high']}")
        when = f"{inc['date']} ({inc['date_precision']})" if inc["date"] else "no date found"
        click.echo(f"  {'*' if inc['main'] else ' '} {when}  {loc}  "
                   f"{inc['event_type']}  killed {killed}  injured {hurt}")
        for c in inc["claims"]:
            flags = " vague" * c["vague"] + " part" * c["part_of_total"]
            click.echo(f"      {c['outcome']} {c['count']} {c['qualifier']}{flags}"
                       f"  [{c['claimant'] or 'no claimant'}]")
    for t in data["tallies"]:
        since = f"since {t['period_start']}" if t["period_start"] else "period not stated"
        click.echo(f"  tally: {t['outcome']} {t['count']} {since} ({t['area'] or 'area not stated'})")
    for note in data["notes"]:
        click.echo(f"  note: {note}")
    click.echo(f"({seconds:.2f}s after the model was loaded)", err=True)


@click.command("extract")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the full extraction as JSON.")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date, if the article does not carry one.")
@click.option("--outlet", help="Outlet name, if the article does not carry one.")
@click.option("--model", envvar="SITREP_MODEL", help="spaCy pipeline to load (env: SITREP_MODEL).")
def extract(path: str, as_json: bool, published: str | None, outlet: str | None, model: str | None) -> None:
    """Extract incidents, claims and tallies from one article (.txt or .html) and print them.

    Nothing is stored. Relative dates ("on Wednesday") need a publication date: from the article
    itself, or --published.

    \b
    Examples:
      sitrep extract samples/a02_chuhuiv_toll_reuters.txt
      sitrep extract story.html --published 2024-05-17 --json > story.json
    """
    from ..extract import Extractor

    raw = read_input(InputSpec(source=path, outlet=outlet, published=published))
    if not hasattr(raw, "content"):
        raise click.ClickException(f"cannot read {path}: {getattr(raw, 'reason', 'unreadable')}")
    try:
        article = build_article(raw)  # type: ignore[arg-type]
    except UnreadableInput as exc:
        raise click.ClickException(f"cannot read {path}: {exc}") from exc
    extractor = Extractor(model=model)
    extractor.warm_up()
    started = time.perf_counter()
    ex = extractor.extract(article)
    seconds = time.perf_counter() - started
    data = extraction_dict(article, ex)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_summary(data, seconds)


COMMANDS = [extract]
