"""The XSS payload corpus (tests/test_security.py) in a real browser: no page ever runs a payload.

Every payload calls alert(); the browser records dialogs, page errors and requests. Skipped without
/usr/bin/chromium (scripts/install-browser.sh) or the playwright package.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("browser tests need /usr/bin/chromium: run scripts/install-browser.sh", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright is not installed")

from test_security import XSS_PAYLOADS, build_hostile_db  # noqa: E402
from test_web_browser import BROWSER_ARGS, serve_in_thread  # noqa: E402

TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    yield from serve_in_thread(build_hostile_db(tmp_path_factory.mktemp("xss") / "xss.db"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield b
        b.close()


def test_no_payload_runs_in_any_page(base_url: str, browser) -> None:
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []
    foreign: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in ("", urlsplit(
        base_url).netloc) and not r.url.startswith("data:") else None)
    items = page.request.get(f"{base_url}/api/incidents?limit=500").json()["items"]
    articles = page.request.get(f"{base_url}/api/articles?limit=500").json()["items"]
    assert len(items) == len(XSS_PAYLOADS) == len(articles)
    urls = [f"{base_url}/incidents/{quote(i['id'], safe='')}" for i in items]
    urls += [f"{base_url}/articles/{quote(a['id'], safe='')}" for a in articles]
    urls += [f"{base_url}{path}" for path in ("/articles", "/tallies", "/victims", "/review")]  # the list pages
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
    # the map/list view draws every incident from the API with the payloads in names and types
    page.goto(f"{base_url}/")
    page.wait_for_selector("#incident-list tbody tr")  # (CSP forbids eval, so no wait_for_function)
    assert page.locator("#incident-list tbody tr").count() == len(XSS_PAYLOADS)
    for payload in XSS_PAYLOADS[:8]:  # payloads in the query string are mirrored into the filter form
        page.goto(f"{base_url}/?" + urlencode({"q": payload, "actor": payload}))
        page.wait_for_load_state("networkidle")
    page.close()
    assert dialogs == [], dialogs
    assert foreign == [], foreign


def test_payload_text_is_visible_as_text(base_url: str, browser) -> None:
    page = browser.new_page()
    items = page.request.get(f"{base_url}/api/articles?limit=1").json()["items"]
    page.goto(f"{base_url}/articles/{quote(items[0]['id'], safe='')}")
    body = page.inner_text("body")
    page.close()
    assert "<" in body and ("script" in body or "onerror" in body or "javascript" in body or "svg" in body)
