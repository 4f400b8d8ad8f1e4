"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.text import Text

from ..clean import terminal_safe
from ..store import Store, StoreError

F = TypeVar("F", bound=Callable[..., Any])

def cell(value: str | None, empty: str = "-") -> Text:
    """A table cell from stored text: never read as Rich markup ("[/b]", "[link=...]")."""
    return Text(terminal_safe(value) if value else empty)


#: exit codes: 0 ok, 1 some inputs failed but the run finished, 2 usage error (click), 3 database error
EXIT_PARTIAL = 1
EXIT_DB = 3


def db_option(f: F) -> F:
    """The ``--db`` option (env SITREP_DB, default ./sitrep.db)."""
    return click.option(
        "--db", "db_path", envvar="SITREP_DB", default="sitrep.db", show_default=True,
        type=click.Path(dir_okay=False), help="SQLite database file (env: SITREP_DB).",
    )(f)


def quiet_option(f: F) -> F:
    return click.option("-q", "--quiet", is_flag=True, help="Print only errors and the final result.")(f)


def open_store(db_path: str, *, must_exist: bool = False, readonly: bool = False) -> Store:
    """Open the database or exit with a message that says what to do."""
    from pathlib import Path

    if must_exist and not Path(db_path).exists():
        raise click.ClickException(
            f"no database at {db_path}. Run `sitrep ingest PATH --db {db_path}` first, or pass --db."
        )
    try:
        return Store(db_path, readonly=readonly)
    except StoreError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(EXIT_DB) from exc
