"""``sitrep events`` (list, ``show ID``) and ``sitrep tallies``: read the merged incidents."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from ..dataset.formats import event_json, reason_texts, tally_json
from ..dataset.query import SORTS, IncidentQuery, QueryError
from ..dataset.read import Dataset
from ..dataset.rows import IncidentRow, best_of
from ..place_confidence import LEGEND, Confidence, place_confidence
from ..records import Range
from ..store import Store
from .common import db_option, open_store

F = TypeVar("F", bound=Callable[..., Any])

EVENTS_EPILOG = """\b
Examples:
  sitrep events                                  every incident, oldest first
  sitrep events --country PSE --since 2023-06-01 --min-killed 3
  sitrep events --type battles --actor Hamas --disputed --limit 20
  sitrep events --country Sudan --sort killed_desc --limit 5
  sitrep events --json > incidents.json
  sitrep events show ev-1a2b3c                   one incident: figures, merge reasons, evidence
"""

TALLIES_EPILOG = """\b
Examples:
  sitrep tallies                                 running totals, oldest first
  sitrep tallies --area "West Bank" --json
"""


def filter_options(f: F) -> F:
    """The incident filters, order and page shared by ``events`` and ``export`` (see ``dataset.query``)."""
    options = [
        click.option("--since", metavar="YYYY-MM-DD", help="Incidents on or after this date."),
        click.option("--until", metavar="YYYY-MM-DD", help="Incidents on or before this date."),
        click.option("--country", "countries", metavar="ISO3|NAME", multiple=True,
                     help="Country code (PSE) or name (Palestine); repeat or comma-separate for several."),
        click.option("--type", "event_types", metavar="TYPE", multiple=True,
                     help="ACLED event type, or part of it (battles, explosions, protests); repeatable."),
        click.option("--sub-type", "sub_event_types", metavar="SUBTYPE", multiple=True,
                     help="ACLED sub-event type, exactly (Air/drone strike); repeatable."),
        click.option("--actor", help="Part of an actor's name (Hamas, Military Forces of Israel)."),
        click.option("--admin1", metavar="NAME", help="First-level unit, exactly (Gaza Strip, Kharkiv)."),
        click.option("--min-killed", type=click.IntRange(min=0), help="Best fatality figure at least N."),
        click.option("--disputed/--undisputed", default=None, help="Only incidents whose sources disagree (or agree)."),
        click.option("--text", help="Part of the place, type, actors or a source's summary."),
        click.option("--sort", type=click.Choice(list(SORTS)), default="date_asc", show_default=True,
                     help="Order of the incidents."),
        click.option("--limit", type=click.IntRange(min=1), help="At most N incidents."),
        click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip the first N incidents."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def make_query(**values: Any) -> IncidentQuery:
    """The query the options describe; values that can never match are usage errors (exit 2)."""
    try:
        return IncidentQuery.of(**values)
    except QueryError as exc:
        raise click.BadParameter(exc.message, param_hint=f"--{exc.field.replace('_', '-')}") from exc


def _figure(r: Range | None) -> str:
    if r is None:
        return "-"
    best = best_of(r)
    return str(best) if r.low == r.high else f"{best} ({r.low}-{r.high})"


def _place(e: IncidentRow) -> str:
    if e.place is None:
        return "-"
    extra = [x for x in (e.place.admin1, e.place.country) if x and x != e.place.name]
    return f"{e.place.name} ({', '.join(extra)})" if extra else e.place.name


def _confidence(e: IncidentRow) -> Confidence:
    p = e.place
    if p is None:
        return place_confidence(None, None, None, None)
    return place_confidence(p.name, p.lat, p.geo_precision, p.admin1, p.kind)


def _marked_place(e: IncidentRow, confidence: Confidence) -> str:
    """The place, after a "?" when it is low confidence ("?" alone when there is none)."""
    if not confidence.low:
        return _place(e)
    return confidence.mark if e.place is None else f"{confidence.mark} {_place(e)}"


def _date(e: IncidentRow) -> str:
    if not e.date.date:
        return "?"
    shown = e.date.date if e.date.precision == "day" else f"{e.date.date} ({e.date.precision})"
    return shown + " (year uncertain)" if e.date_uncertain else shown


def events_table(events: list[IncidentRow]) -> Table:
    table = Table(title=f"{len(events)} incident(s)", show_lines=False)
    for column in ("id", "date", "place", "located", "type", "parties", "killed", "injured", "sources", "disputed"):
        table.add_column(column, overflow="fold")
    for e in events:
        confidence = _confidence(e)
        table.add_row(e.id, _date(e), _marked_place(e, confidence), confidence.words, e.event_type or "-",
                      "; ".join(e.actors) or "-",
                      _figure(e.fatalities), _figure(e.injuries), str(e.n_sources),
                      "yes" if e.disputed else "")
    return table


def console() -> Console:
    """A console; when output is piped or captured, wide enough that tables don't wrap every cell."""
    import sys

    return Console() if sys.stdout.isatty() else Console(width=160)


def _open(db_path: str) -> Store:
    return open_store(db_path, must_exist=True)


@click.group(invoke_without_command=True, epilog=EVENTS_EPILOG)
@db_option
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the incidents as JSON (the export's events).")
@click.pass_context
def events(ctx: click.Context, db_path: str, as_json: bool, **filters: Any) -> None:
    """List merged incidents: date, place, type, parties, killed best (low-high), sources."""
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path
    if ctx.invoked_subcommand is not None:
        return
    query = make_query(**filters)
    with _open(db_path) as store:
        ds = Dataset(store.conn)
        found = ds.rows(query, "full" if as_json else "summary")
        if as_json:
            click.echo(json.dumps([event_json(e) for e in found], indent=2, ensure_ascii=False))
            return
        if not found:
            hint = "no incident matches these filters" if ds.total() else (
                "no incidents yet: run `sitrep ingest PATH` first")
            click.echo(f"{hint} ({db_path}).")
            return
        console().print(events_table(found))
        if any(_confidence(e).low for e in found):
            click.echo(LEGEND)


def _print_event(console: Console, e: IncidentRow) -> None:
    console.print(f"[bold]{e.id}[/bold]  {_date(e)}  {_place(e)}")
    console.print(f"type: {e.event_type or '-'} / {e.sub_event_type or '-'}")
    console.print(f"actors: {'; '.join(e.actors) or '-'}")
    confidence = _confidence(e)
    if e.place is not None:
        p = e.place
        console.print(f"location: {p.lat:.4f}, {p.lon:.4f} (geo precision {p.geo_precision}: {confidence.label()}, "
                      f"{p.kind})", markup=False)
    else:
        console.print(f"location: {confidence.label()}", markup=False)
    if confidence.low:
        console.print(LEGEND, markup=False, style="yellow")
    console.print(f"killed: {_figure(e.fatalities)}   injured: {_figure(e.injuries)}"
                  + ("   [red]sources disagree[/red]" if e.disputed else ""))
    for kind, reason in reason_texts(e).items():
        console.print(f"  why this {kind} figure: {reason}", markup=False)
    if e.corrected:
        from ..corrections.model import describe

        console.print(f"corrected by hand (the machine said: {describe(e.corrected)}); "
                      "history: sitrep corrections list",
                      markup=False, style="cyan")
    console.print("\n[bold]Sources[/bold]")
    for s in e.sources:
        console.print(f"  {s.report_id}  {s.outlet or 'unknown outlet'}  {s.published or '?'}  "
                      f"killed {_figure(s.fatalities)}  injured {_figure(s.injuries)}"
                      + (f"  claimants: {', '.join(s.claimants)}" if s.claimants else ""), markup=False)
    console.print("\n[bold]Why these sources were merged[/bold]")
    for reason in e.merge_reasons or ["single source"]:
        console.print(f"  {reason}", markup=False)


def _print_claims(console: Console, e: IncidentRow) -> None:
    console.print("\n[bold]Claims[/bold]")
    for r in e.sources:
        outlet = r.outlet or r.article_id
        for c in r.claims:
            figure = f"{c.count}-{c.count_high}" if c.count_high else str(c.count)
            flags = ", ".join(x for x in (c.qualifier, "vague" if c.vague else "",
                                          "part of total" if c.part_of_total else "") if x)
            console.print(f"  {c.outcome} {figure} ({flags}) {c.victims or ''} - "
                          f"{c.claimant or 'unattributed'} [{outlet}, {r.report_id}]",
                          markup=False)
            if c.evidence:
                console.print(f"      \"{c.evidence.text}\"", markup=False, style="dim")
        for v in r.victims:
            age = f", {v.age}" if v.age is not None else ""
            console.print(f"  victim: {v.name}{age} ({v.outcome}) [{outlet}]",
                          markup=False)


@events.command("show", epilog="\b\nExample:\n  sitrep events show ev-1a2b3c --db sitrep.db")
@click.argument("event_id")
@click.option("--db", "db_path", envvar="SITREP_DB", default=None, type=click.Path(dir_okay=False),
              help="SQLite database file (default: the one given to `sitrep events`).")
@click.option("--json", "as_json", is_flag=True, help="Print the incident as JSON.")
@click.pass_context
def show(ctx: click.Context, event_id: str, db_path: str | None, as_json: bool) -> None:
    """One incident: the record, why its sources were merged, every claim with its evidence."""
    path = db_path or ctx.obj["db_path"]
    with _open(path) as store:
        event = Dataset(store.conn).find(event_id)
    if event is None:
        raise click.ClickException(f"no incident {event_id!r} (or the prefix is ambiguous); "
                                   "list them with `sitrep events`")
    if as_json:
        click.echo(json.dumps(event_json(event), indent=2, ensure_ascii=False))
        return
    out = console()
    _print_event(out, event)
    _print_claims(out, event)


@click.command(epilog=TALLIES_EPILOG)
@db_option
@click.option("--area", help="Only totals whose area contains this text (case-insensitive).")
@click.option("--json", "as_json", is_flag=True, help="Print the totals as JSON.")
def tallies(db_path: str, area: str | None, as_json: bool) -> None:
    """Running totals ("61 killed since January") as a time series, never incident tolls."""
    with _open(db_path) as store:
        rows = [tally_json(aid, t) for aid, t in Dataset(store.conn).tallies()
                if not area or area.lower() in (t.area or "").lower()]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no running totals found" + (f" for area {area!r}" if area else "") + ".")
        return
    table = Table(title=f"{len(rows)} running total(s)")
    for column in ("as of", "area", "outcome", "victims", "count", "since", "claimant", "article"):
        table.add_column(column, overflow="fold")
    for t in rows:
        count = ("at least " if t["qualifier"] == "at_least" else "") + str(t["count"])
        table.add_row(t["as_of"] or "?", t["area"] or "-", t["outcome"], t["victims"] or "-", count,
                      t["period_start"] or "-", t["claimant"] or "-", t["article"])
    console().print(table)


COMMANDS = [events, tallies]
