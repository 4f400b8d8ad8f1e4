"""``sitrep serve``: the read-only web app and JSON API over a sitrep database."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import click

from .common import EXIT_DB, db_option

WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


def allowed_hosts_for(host: str) -> list[str]:
    """Host headers to accept: loopback names plus the bound host (any, when bound to all interfaces)."""
    from ..web.app import LOCAL_HOSTS

    if host in WILDCARD_HOSTS:
        return ["*"]
    return sorted({*LOCAL_HOSTS, host})


def check_database(path: Path) -> None:
    """Fail early, with a message, when the file is missing or is not a sitrep database."""
    from ..web.db import connect_readonly

    if not path.is_file():
        raise click.ClickException(
            f"no database at {path}. Run `sitrep ingest PATH --db {path}` first, or pass --db."
        )
    try:
        conn = connect_readonly(path)
        try:
            conn.execute("SELECT COUNT(*) FROM events").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        click.echo(f"Error: cannot read {path} as a sitrep database: {exc}", err=True)
        raise SystemExit(EXIT_DB) from exc


def check_port(host: str, port: int) -> None:
    """Fail early, with what to do, when the address is taken (instead of a raw "[Errno 98]")."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise click.ClickException(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}): another program is using the port "
                f"or the address is not this machine's. Try another one, e.g. --port {port % 65535 + 1}."
            ) from exc


@click.command()
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind. Keep 127.0.0.1 unless you mean to share the data on a network.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
def serve(db_path: str, host: str, port: int) -> None:
    """Serve the map, timeline, incident pages and JSON API (read-only) for a database.

    \b
    Pages:  /  (map, timeline, list)   /incidents/ID   /articles/ID   /api/docs
    API:    /api/incidents  /api/incidents.csv  /api/incidents.geojson  /api/articles
            /api/tallies  /api/victims  /api/timeline  /api/openapi.json
    """
    import uvicorn

    from ..web import create_app

    path = Path(db_path)
    check_database(path)
    check_port(host, port)
    if host in WILDCARD_HOSTS:
        click.echo(
            "Warning: binding all interfaces; anyone who can reach this machine can read the data.", err=True
        )
    app = create_app(path, allowed_hosts=allowed_hosts_for(host))
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"sitrep: serving {path} read-only on http://{shown}:{port}/  (Ctrl-C stops)", err=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
        access_log=False,
    )


COMMANDS = [serve]
