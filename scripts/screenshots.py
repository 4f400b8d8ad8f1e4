"""Take the documentation's screenshots (docs/img/) of the web app over the sample articles.

    .venv/bin/python scripts/screenshots.py              # ingests samples/ into a temporary database
    .venv/bin/python scripts/screenshots.py --db my.db   # or uses a database you already have

Needs Debian's /usr/bin/chromium (scripts/install-browser.sh) and the playwright package (dev install).
The server runs on 127.0.0.1 for the duration; nothing is fetched from anywhere else.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from test_web_browser import BROWSER_ARGS, CHROMIUM, serve_in_thread  # noqa: E402

IMG = ROOT / "docs" / "img"
DESK = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


def _sample_db(folder: Path) -> Path:
    db = folder / "samples.db"
    subprocess.run([str(ROOT / ".venv/bin/sitrep"), "ingest", str(ROOT / "samples"), "--db", str(db)],
                   check=True, capture_output=True)
    return db


def _showcase(db: Path) -> tuple[str, str]:
    """The disputed incident with the most dead that has a vague claim, and the URL of its article at the
    first exact claim (so the shot shows the followed claim, a vague phrase and the other highlights)."""
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            """SELECT e.id, c.article_id FROM events e JOIN reports r ON r.event_id = e.id
               JOIN claims c ON c.report_id = r.id WHERE e.disputed = 1 AND c.vague = 1
               ORDER BY e.fatalities_best DESC LIMIT 1""").fetchone()
        if row is None:
            row = conn.execute("SELECT e.id, r.article_id FROM events e JOIN reports r ON r.event_id = e.id "
                               "ORDER BY e.fatalities_best DESC LIMIT 1").fetchone()
        event_id, article_id = row
        claim = conn.execute("SELECT id FROM claims WHERE article_id = ? AND vague = 0 ORDER BY ev_start LIMIT 1",
                             (article_id,)).fetchone()
    article_url = f"/articles/{quote(article_id, safe='')}" + (f"?claim={claim[0]}#claim-{claim[0]}" if claim else "")
    return "/incidents/" + quote(event_id, safe=""), article_url


def _shoot(browser, url: str, name: str, viewport: dict[str, int], *, full: bool, wait: str | None = None) -> None:
    page = browser.new_page(viewport=viewport)
    page.goto(url)
    if wait:
        page.wait_for_selector(wait)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    page.screenshot(path=str(IMG / name), full_page=full)
    page.close()
    print("wrote", IMG / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing sitrep database (default: ingest samples/)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit("needs /usr/bin/chromium: run scripts/install-browser.sh")
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or _sample_db(Path(tmp))
        incident, article = _showcase(db)
        server = serve_in_thread(db)
        base = next(server)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
            _shoot(browser, base + "/", "map.png", DESK, full=False, wait="#incident-list .incident-row")
            _shoot(browser, base + "/", "map-phone.png", PHONE, full=False, wait="#incident-list .incident-row")
            shape = "#incident-map .leaflet-interactive"
            _shoot(browser, base + incident, "incident.png", DESK, full=False, wait=shape)
            _shoot(browser, base + incident, "incident-phone.png", PHONE, full=False, wait=shape)
            _shoot(browser, base + article, "article.png", DESK, full=False)
            _shoot(browser, base + "/review", "review.png", DESK, full=False)
            _shoot(browser, base + "/review", "review-phone.png", PHONE, full=False)
            _shoot(browser, base + "/tallies", "tallies-phone.png", PHONE, full=False)
            browser.close()
        next(server, None)


if __name__ == "__main__":
    main()
