"""``sitrep review``: the queue of incidents and articles that need a human, most important first."""

from __future__ import annotations

import json

import click
from rich.table import Table

from ..review import KINDS, review_queue
from .common import cell, db_option, open_store
from .events import console as wide_console


@click.command(epilog="""\b
Examples:
  sitrep review                          everything that needs a look, most important first
  sitrep review --kind place --limit 20  incidents placed only at a region or not at all
  sitrep review --kind disputed --json   incidents whose sources disagree, as JSON
""")
@db_option
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(KINDS)),
              help="Only items of this kind (repeatable). " + "; ".join(f"{k}: {v}" for k, v in KINDS.items()))
@click.option("--limit", type=click.IntRange(min=1), help="Show at most N items.")
@click.option("--json", "as_json", is_flag=True, help="Print the items as JSON.")
def review(db_path: str, kinds: tuple[str, ...], limit: int | None, as_json: bool) -> None:
    """List what needs a human: unresolved or region-only places, disputed figures, vague-only tolls,
    incidents without a claim, unidentified armed groups, and articles that produced nothing.

    Open an incident with `sitrep events show ID`, an article with `sitrep show ID`.
    """
    with open_store(db_path, must_exist=True, readonly=True) as store:
        items = review_queue(store.conn, list(kinds) or None, limit)
    if as_json:
        click.echo(json.dumps([i.to_json() for i in items], indent=2, ensure_ascii=False))
        return
    console = wide_console()
    if not items:
        console.print("Nothing to review.")
        return
    table = Table(title=f"{len(items)} item(s) to review in {db_path}")
    for column in ("kind", "incident or article", "date", "place", "killed"):
        table.add_column(column, no_wrap=True)
    table.add_column("why", overflow="fold")
    for i in items:
        why = i.reason + (f" ({i.detail})" if i.detail else "")
        table.add_row(i.kind, cell(i.event_id or i.article_id), cell(i.date), cell(i.place),
                      str(i.killed) if i.killed is not None else "-", cell(why))
    console.print(table)


COMMANDS = [review]
