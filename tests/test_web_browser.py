"""The web app in a real browser: Playwright drives Debian's /usr/bin/chromium against a local uvicorn.

Run scripts/install-browser.sh first; without /usr/bin/chromium these tests are skipped. Screenshots
of each page are written to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest_web import DISPUTED_ID, HOSTILE_ID, build_web_db

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need /usr/bin/chromium: run scripts/install-browser.sh", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright is not installed")

import uvicorn  # noqa: E402

from sitrep.web import create_app  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_in_thread(db: Path) -> Iterator[str]:
    """Run the web app on a free 127.0.0.1 port in a thread; yields its base URL, stops it afterwards."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    yield from serve_in_thread(build_web_db(tmp_path_factory.mktemp("browser") / "web.db"))


class Recorder:
    """Every request the page makes, every dialog, console error and page error."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.problems: list[str] = []

    def attach(self, page) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(str(e)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self, base_url: str) -> None:
        origin = urlsplit(base_url)
        outside = [
            u
            for u in self.requests
            if not (urlsplit(u).hostname == "127.0.0.1" and urlsplit(u).port == origin.port)
            and not u.startswith("data:")
        ]
        assert outside == [], f"requests left 127.0.0.1: {outside}"
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.problems == [], f"console errors / CSP violations: {self.problems}"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture
def page_and_log(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    log = Recorder()
    log.attach(page)
    yield page, log
    context.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _incidents_on_map(page) -> int:
    """Single markers plus the counts shown on cluster bubbles."""
    singles = page.locator(".evt-marker").count()
    clustered = sum(int(t) for t in page.locator(".evt-cluster span").all_inner_texts())
    return singles + clustered


def _wait_for_list(page, rows: int) -> None:
    """Wait without evaluating strings in the page (the CSP forbids eval, rightly)."""
    sync_api.expect(page.locator("#incident-list .incident-row")).to_have_count(rows)


def test_map_timeline_and_list_show_the_incidents(base_url, page_and_log):
    page, log = page_and_log
    page.goto(base_url + "/")
    _wait_for_list(page, 8)
    sync_api.expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()
    assert page.locator(".leaflet-overlay-pane path").count() > 100  # country outlines
    page.wait_for_timeout(400)  # let the cluster animation settle
    assert _incidents_on_map(page) == 8
    assert page.locator("#timeline rect.bar").count() >= 7
    assert page.locator("#timeline .killed-dots circle").count() == 7  # one per day with incidents
    assert page.locator("#tallies .series polyline").count() == 1
    assert page.locator("#tallies .series circle").count() == 3
    assert "8 incidents match" in page.locator("#status").inner_text()
    _shot(page, "map.png")
    log.assert_clean(base_url)


def test_clicking_a_marker_opens_the_incident_with_marked_evidence(base_url, page_and_log):
    page, log = page_and_log
    page.goto(base_url + "/?country=UKR&since=2024-03-12&until=2024-03-12")
    _wait_for_list(page, 1)
    page.locator(".evt-marker").first.click()  # the popup names the place, then links to the incident
    sync_api.expect(page.locator(".leaflet-popup .popup-place")).to_have_text("Kharkiv, Kharkivska, UKR")
    page.locator(".leaflet-popup a.popup-open").click()
    page.wait_for_url("**/incidents/**")
    assert page.url.endswith("/incidents/" + DISPUTED_ID.replace("#", "%23"))
    marks = page.locator(".passage mark").all_inner_texts()
    assert {"7", "9", "19", "23"} <= set(marks)
    assert page.locator("td.disagree").count() == 4
    _shot(page, "incident.png")
    log.assert_clean(base_url)


def test_date_filter_changes_map_list_and_url(base_url, page_and_log):
    page, log = page_and_log
    page.goto(base_url + "/")
    _wait_for_list(page, 8)
    page.fill("input[name=since]", "2024-06-01")
    page.click("#filters button[type=submit]")
    _wait_for_list(page, 4)
    page.wait_for_timeout(400)
    assert "since=2024-06-01" in page.url
    assert _incidents_on_map(page) == 4
    dates = page.locator("#incident-list .incident-row td:first-child").all_inner_texts()
    assert all(d >= "2024-06-01" for d in dates)
    assert "since=2024-06-01" in (page.get_attribute("#dl-csv", "href") or "")
    page.go_back()
    _wait_for_list(page, 8)
    assert page.input_value("input[name=since]") == ""
    log.assert_clean(base_url)


def test_hostile_article_renders_as_inert_text(base_url, page_and_log):
    page, log = page_and_log
    page.goto(f"{base_url}/articles/{HOSTILE_ID}")
    text = page.locator("#article-text").inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text
    assert page.locator("#article-text script, #article-text img, #article-text a").count() == 0
    assert page.locator("script").count() == 0  # the article page loads no script at all
    assert "<img src=x onerror=alert(4)>" in page.locator("#article-title").inner_text()
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator("#article-text mark").all_inner_texts() == ["11"]
    _shot(page, "article.png")
    page.goto(f"{base_url}/incidents/{HOSTILE_ID}%230")
    scripts = page.eval_on_selector_all("script", "els => els.map(e => e.getAttribute('src'))")
    assert scripts and all(src and src.startswith("/static/") for src in scripts)  # only the small map's
    assert "alert(7)" in page.locator("dl.record").inner_text()
    page.goto(base_url + "/?country=MLI")
    _wait_for_list(page, 2)
    scripts = page.eval_on_selector_all("script", "els => els.map(e => e.getAttribute('src'))")
    assert all(src and src.startswith("/static/") for src in scripts)
    log.assert_clean(base_url)


def test_list_marks_low_confidence_places(tmp_path, page_and_log):
    """An incident placed only at its region carries a "?" in the list, explained by the legend."""
    import sqlite3

    db = build_web_db(tmp_path / "vague.db")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE events SET geo_precision = 3 WHERE id = ?", (DISPUTED_ID,))
    page, log = page_and_log
    for base_url in serve_in_thread(db):
        page.goto(base_url + "/")
        _wait_for_list(page, 8)
        marked = page.locator("#incident-list td.low-confidence")
        sync_api.expect(marked).to_have_count(1)
        assert marked.inner_text().startswith("? Kharkiv")
        assert marked.get_attribute("title") == "low confidence: region only"
        assert "low confidence" in page.locator("#place-legend").inner_text()
        log.assert_clean(base_url)
