"""``sitrep fix``, ``sitrep split``, ``sitrep join`` and ``sitrep corrections``: corrections made by hand.

Thin skins over ``sitrep.corrections.actions``; the workflow is in docs/REVIEW.md.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.table import Table

from ..corrections.model import Correction, CorrectionError, describe
from .common import cell, db_option, open_store
from .events import console as wide_console

_BY_HELP = "Who makes the correction (default: $USER)."


def _run(action: Callable[[], Correction]) -> Correction:
    """Run an action; a correction that cannot be made is a clear error (exit 1)."""
    try:
        return action()
    except CorrectionError as exc:
        raise click.ClickException(str(exc)) from exc


def _said(c: Correction, verb: str) -> None:
    where = f"incident {c.event_id}" if c.event_id else "no incident any more"
    click.echo(f"correction {c.id} {verb}: {c.summary()} ({where}); undo with `sitrep fix --undo {c.id}`")


@click.command(epilog="""\b
Examples:
  sitrep fix ev-8ac447efa9b8 --fatalities 11 --reason "health ministry list of 11 names"
  sitrep fix ev-8ac447efa9b8 --fatalities 9-12 --injuries 20 --reason "..."
  sitrep fix ev-8ac4 --place Chuhuiv --date 2024-05-16 --reason "dateline and governor's statement"
  sitrep fix ev-8ac4 --place 49.8352,36.6860 --reason "the market on the map in the video"
  sitrep fix ev-8ac4 --type "Violence against civilians" --sub-type Attack --reason "..."
  sitrep fix ev-8ac4 --actor1 "Military Forces of Russia (2000-)" --reason "..."
  sitrep fix ev-8ac4 --not-an-incident --reason "a drill, not an attack"
  sitrep fix --undo 3

\b
Figures: 11 (best, low and high), 9-12 (a range, best 9) or 11:9-12 (best 11 within 9 to 12).
A correction is keyed by the articles the incident draws on, so it still applies after
`sitrep rebuild`, `sitrep reextract` or ingesting the same articles again.
""")
@click.argument("event", required=False)
@db_option
@click.option("--place", metavar="NAME|LAT,LON", help="The place: a gazetteer name, or coordinates.")
@click.option("--date", metavar="YYYY-MM-DD|YYYY-MM", help="The day (or month) of the incident.")
@click.option("--type", "event_type", metavar="TYPE", help="ACLED event type (Battles, Protests, ...).")
@click.option("--sub-type", "sub_event_type", metavar="SUB_TYPE", help="ACLED sub-event type.")
@click.option("--actor1", metavar="NAME", help="The first party.")
@click.option("--actor2", metavar="NAME", help="The second party.")
@click.option("--fatalities", metavar="N|LOW-HIGH|BEST:LOW-HIGH", help="People killed.")
@click.option("--injuries", metavar="N|LOW-HIGH|BEST:LOW-HIGH", help="People injured.")
@click.option("--not-an-incident", is_flag=True, help="Its reports are no incident: it leaves every output.")
@click.option("--reason", help="Why (required): the source, the check, the colleague.")
@click.option("--by", help=_BY_HELP)
@click.option("--undo", "undo_id", type=int, metavar="ID",
              help="Withdraw correction ID (see `sitrep corrections list`).")
def fix(event: str | None, db_path: str, place: str | None, date: str | None, event_type: str | None,
        sub_event_type: str | None, actor1: str | None, actor2: str | None, fatalities: str | None,
        injuries: str | None, not_an_incident: bool, reason: str | None, by: str | None, undo_id: int | None) -> None:
    """Correct an incident by hand: its place, date, type, parties or figures, or that it is none.

    The machine's value is kept beside the corrected one (JSON export, `events show`, the incident
    page) and comes back with `--undo`.
    """
    from ..corrections import actions

    with open_store(db_path, must_exist=True) as store:
        if undo_id is not None:
            _said(_run(lambda: actions.undo(store, undo_id, by)), "undone")
            return
        if not event:
            raise click.UsageError("give the incident's id (sitrep events lists them), or --undo ID")
        if not_an_incident:
            _said(_run(lambda: actions.not_an_incident(store, event, reason or "", by)), "stored")
            return
        actors = {k: v for k, v in (("actor1", actor1), ("actor2", actor2)) if v is not None}
        request = actions.FixRequest(place=place, date=date, event_type=event_type, sub_event_type=sub_event_type,
                                     actors=actors, fatalities=fatalities, injuries=injuries)
        _said(_run(lambda: actions.fix(store, event, request, reason or "", by)), "stored")


@click.command(epilog="""\b
Examples:
  sitrep split ev-8ac447efa9b8 --reports a04_ukraine_liveblog_ledger#0 --reason "another strike that day"
  sitrep split ev-8ac4 --reports "a03#0,a04#0" --reason "..."
""")
@click.argument("event")
@db_option
@click.option("--reports", required=True, metavar="ID[,ID...]",
              help="The reports (article#index, as `sitrep events show` lists them) that are another incident.")
@click.option("--reason", help="Why (required).")
@click.option("--by", help=_BY_HELP)
def split(event: str, db_path: str, reports: str, reason: str | None, by: str | None) -> None:
    """Take reports out of an incident they were wrongly merged into: they become their own incident."""
    from ..corrections import actions

    ids = [r.strip() for r in reports.split(",") if r.strip()]
    with open_store(db_path, must_exist=True) as store:
        _said(_run(lambda: actions.split(store, event, ids, reason or "", by)), "stored")


@click.command(epilog="""\b
Examples:
  sitrep join ev-1f0c2a9b7d11 ev-77aa01c3e2f4 --reason "same market strike, one outlet misdated it"
""")
@click.argument("events", nargs=-1, required=True)
@db_option
@click.option("--reason", help="Why (required).")
@click.option("--by", help=_BY_HELP)
def join(events: tuple[str, ...], db_path: str, reason: str | None, by: str | None) -> None:
    """Make two (or more) incidents one: they are the same incident, reported differently."""
    from ..corrections import actions

    with open_store(db_path, must_exist=True) as store:
        _said(_run(lambda: actions.join(store, list(events), reason or "", by)), "stored")


@click.group(epilog="""\b
Examples:
  sitrep corrections list
  sitrep corrections export -o corrections.jsonl     keep it under version control, share it
  sitrep corrections import corrections.jsonl        into another database (known ones are skipped)
""")
def corrections() -> None:
    """List, export and import the corrections made by hand."""


@corrections.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print them as JSON.")
def list_corrections(db_path: str, as_json: bool) -> None:
    """Every correction: id, state, incident, what it changed, who, when and why."""
    from ..corrections import table as stored

    with open_store(db_path, must_exist=True, readonly=True) as store:
        found = stored.load(store.conn)
    if as_json:
        click.echo(json.dumps([c.to_json() for c in found], indent=2, ensure_ascii=False))
        return
    console = wide_console()
    if not found:
        console.print("No corrections.")
        return
    rows = Table(title=f"{len(found)} correction(s) in {db_path}")
    for column in ("id", "state", "incident", "change", "was", "by", "at"):
        rows.add_column(column, overflow="fold")
    rows.add_column("why", overflow="fold")
    for c in found:
        rows.add_row(str(c.id), _state(c), cell(c.event_id or c.original_event_id), cell(c.summary()),
                     cell(_machine(c.machine)), cell(c.by), cell(c.at), cell(c.reason))
    console.print(rows)


def _state(c: Correction) -> str:
    if not c.active:
        return "undone"
    return "incident gone" if c.status == "not_found" else "applied"


def _machine(values: dict[str, Any]) -> str:
    return describe(values) or "-"


@corrections.command("export")
@db_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
def export_corrections(db_path: str, output: str | None) -> None:
    """Write every correction as JSON Lines (undone ones too), one per line, oldest first."""
    from ..corrections import actions

    with open_store(db_path, must_exist=True, readonly=True) as store:
        lines = list(actions.export_lines(store))
    text = "".join(line + "\n" for line in lines)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"{len(lines)} correction(s) written to {output}", err=True)
    else:
        sys.stdout.write(text)


@corrections.command("import")
@click.argument("path", type=click.File("r", encoding="utf-8"))
@db_option
def import_corrections(path: Any, db_path: str) -> None:
    """Add the corrections of an exported JSONL file and apply them (ones already here are skipped)."""
    from ..corrections import actions

    with open_store(db_path) as store:
        report = actions.import_lines(store, path)
    if report.errors:
        for error in report.errors[:20]:
            click.echo(f"  {error}", err=True)
        raise click.ClickException(f"{path.name}: {len(report.errors)} bad line(s); nothing was imported")
    click.echo(f"{report.added} correction(s) added, {report.known} already here, in {db_path}")


COMMANDS = [fix, split, join, corrections]
