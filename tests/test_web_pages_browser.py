"""Every page of the web app in Debian's chromium at a desk (1400x900) and a phone (390x844) width.

One server and one browser for the whole module. Each page must fit the viewport's width (no horizontal
scroll), log no console error or CSP violation, and ask nothing of any host but 127.0.0.1. Then the
workbench features: sorting and paging the incident list, the filters, the incident's own map, the
marker popup, the tally chart's options, the article highlights and the review queue.
The database is the web fixture (tests/conftest_web.py) plus one article we wrote with a vague quantity
beside an exact figure, placed only at its region. Skipped without /usr/bin/chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from conftest_web import DISPUTED_ID, HOSTILE_ID
from test_web_browser import ARTIFACTS, BROWSER_ARGS, CHROMIUM, Recorder, serve_in_thread
from workbench_db import BORNO_ID, build_workbench_db

sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright is not installed")

TIMEOUT_MS = 10_000
DESK = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desk": DESK, "phone": PHONE}
@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    yield from serve_in_thread(build_workbench_db(tmp_path_factory.mktemp("pages") / "web.db"))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("browser tests need /usr/bin/chromium: run scripts/install-browser.sh")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield b
        b.close()


def _open(browser, viewport: dict[str, int]):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    log = Recorder()
    log.attach(page)
    return context, page, log


@pytest.fixture(params=list(VIEWPORTS))
def viewport_page(request, browser):
    context, page, log = _open(browser, VIEWPORTS[request.param])
    yield request.param, page, log
    context.close()


@pytest.fixture
def desk_page(browser):
    context, page, log = _open(browser, DESK)
    yield page, log
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page, log = _open(browser, PHONE)
    yield page, log
    context.close()


PAGES = {
    "map": "/",
    "incident": "/incidents/" + quote(DISPUTED_ID, safe=""),
    "incident-region": "/incidents/" + quote(BORNO_ID + "#0", safe=""),
    "article": f"/articles/{BORNO_ID}",
    "article-hostile": f"/articles/{HOSTILE_ID}",
    "articles": "/articles",
    "tallies": "/tallies",
    "victims": "/victims",
    "review": "/review",
    "api-docs": "/api/docs",
}


def _page_width(page) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def _wait_ready(page, name: str) -> None:
    if name == "map":
        sync_api.expect(page.locator("#incident-list .incident-row")).to_have_count(9)
        sync_api.expect(page.locator("#tallies svg")).to_be_attached()
    elif name.startswith("incident"):
        sync_api.expect(page.locator("#incident-map .leaflet-interactive").first).to_be_attached()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_fits_the_width_and_stays_clean(base_url, viewport_page, name):
    size, page, log = viewport_page
    page.goto(base_url + PAGES[name])
    _wait_ready(page, name)
    width = VIEWPORTS[size]["width"]
    assert _page_width(page) <= width, f"{name} is {_page_width(page)} px wide at {width} px"
    if name in ("map", "incident", "article", "review", "articles"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
    log.assert_clean(base_url)


def _list_column(page, css: str) -> list[str]:
    return page.locator(f"#incident-list .incident-row {css}").all_inner_texts()


def test_incident_list_sorts_by_header_and_pages(base_url, desk_page):
    page, log = desk_page
    page.goto(base_url + "/?limit=4")
    rows = page.locator("#incident-list .incident-row")
    sync_api.expect(rows).to_have_count(4)
    assert page.locator("#list-page").inner_text() == "1–4 of 9"
    dates = _list_column(page, "td:first-child")
    assert dates == sorted(dates, reverse=True)
    page.click("#list-next")
    sync_api.expect(page.locator("#list-page")).to_have_text("5–8 of 9")
    assert "offset=4" in page.url
    assert not set(_list_column(page, "td:first-child")) & set(dates)
    page.click("#list-next")
    sync_api.expect(rows).to_have_count(1)
    assert page.locator("#list-next").is_disabled()
    page.click("#list-prev")
    sync_api.expect(page.locator("#list-page")).to_have_text("5–8 of 9")

    page.click("#incident-list th button[data-sort=killed]")  # back to the first page, most killed first
    sync_api.expect(page.locator("th[data-col=killed]")).to_have_attribute("aria-sort", "descending")
    assert "sort=killed_desc" in page.url and "offset" not in page.url
    assert _list_column(page, "td.killed")[:2] == ["25", "14"]
    page.click("#incident-list th button[data-sort=sources]")
    sync_api.expect(page.locator("th[data-col=sources]")).to_have_attribute("aria-sort", "descending")
    assert _list_column(page, "td.sources")[0] == "2"
    page.click("#incident-list th button[data-sort=date]")
    page.click("#incident-list th button[data-sort=date]")  # a second click reverses
    sync_api.expect(page.locator("th[data-col=date]")).to_have_attribute("aria-sort", "ascending")
    oldest = _list_column(page, "td:first-child")
    assert oldest == sorted(oldest) and oldest[0] == "2024-03-10"
    page.go_back()
    sync_api.expect(page.locator("th[data-col=date]")).to_have_attribute("aria-sort", "descending")
    log.assert_clean(base_url)


def test_list_shows_actors_and_cli_filters_narrow_it(base_url, desk_page):
    page, log = desk_page
    page.goto(base_url + "/")
    sync_api.expect(page.locator("#incident-list .incident-row")).to_have_count(9)
    assert "Military Forces of Russia" in _list_column(page, "td.actors")
    page.select_option("select[name=admin1]", "Borno")
    page.click("#filters button[type=submit]")
    sync_api.expect(page.locator("#incident-list .incident-row")).to_have_count(1)
    assert "admin1=Borno" in page.url
    page.goto(base_url + "/?sub_type=" + quote("Air/drone strike"))
    sync_api.expect(page.locator("#incident-list .incident-row")).to_have_count(1)
    assert page.locator("#incident-list .incident-row").get_attribute("data-id") == "ua-odesa-0318#0"
    page.goto(base_url + "/?actor=" + quote("Group (Nigeria)"))
    sync_api.expect(page.locator("#incident-list .incident-row")).to_have_count(1)
    log.assert_clean(base_url)


def test_marker_popup_names_the_place_and_its_precision(base_url, desk_page):
    page, log = desk_page
    page.goto(base_url + "/?admin1=Borno")
    sync_api.expect(page.locator("#incident-list .incident-row")).to_have_count(1)
    marker = page.locator(".evt-marker")
    sync_api.expect(marker).to_have_count(1)
    assert "low-conf" in (marker.get_attribute("class") or "")
    marker.click()
    popup = page.locator(".leaflet-popup .popup")
    sync_api.expect(popup).to_contain_text("Borno")
    assert "? region only" in popup.inner_text()
    popup.locator("a.popup-open").click()
    page.wait_for_url("**/incidents/**")
    log.assert_clean(base_url)


def test_tally_chart_follows_filters_and_offers_log_scale(base_url, desk_page):
    page, log = desk_page
    page.goto(base_url + "/")
    sync_api.expect(page.locator("#tallies .series polyline")).to_have_count(1)
    assert page.locator("#tallies .axis-label").all_text_contents() == ["date reported (as of)", "reported total"]
    page.check("#tally-log")
    sync_api.expect(page.locator("#tallies .axis-label").last).to_have_text("reported total (log)")
    page.goto(base_url + "/?country=MLI")  # the Mali articles report no running tally
    sync_api.expect(page.locator("#incident-list .incident-row")).to_have_count(2)
    sync_api.expect(page.locator("#tallies .series")).to_have_count(0)
    page.goto(base_url + "/?since=2030-01-01")  # no incident: no series either
    sync_api.expect(page.locator("#status")).to_contain_text("0 incidents")
    assert page.locator("#tallies .series").count() == 0
    log.assert_clean(base_url)


def test_incident_map_draws_a_circle_for_a_region_and_a_point_for_a_place(base_url, desk_page):
    page, log = desk_page
    page.goto(base_url + PAGES["incident-region"])
    sync_api.expect(page.locator("#incident-map path.place-area.low-conf")).to_have_count(1)
    assert "? region only" in page.locator("#incident-map .leaflet-tooltip").inner_text()
    page.goto(base_url + PAGES["incident"])
    sync_api.expect(page.locator("#incident-map path.place-point")).to_have_count(1)
    assert page.locator("#incident-map path.place-area").count() == 0
    log.assert_clean(base_url)


def test_vague_words_are_shown_as_words_and_do_not_hide_the_exact_figure(base_url, desk_page):
    page, log = desk_page
    page.goto(base_url + PAGES["incident-region"])
    headings = page.locator(".claim h3").all_inner_texts()
    assert any(h.startswith("Dozens injured (vague)") for h in headings), headings
    assert not any("24" in h for h in headings)
    assert page.locator("dd.figure").all_inner_texts() == ["6", "—"]
    page.goto(base_url + f"/articles/{BORNO_ID}")
    text = page.locator("#article-text")
    assert text.locator("mark.hl-vague").all_inner_texts() == ["Dozens"]
    assert text.locator("mark.hl-figure").all_inner_texts() == ["6"]
    assert page.locator("ol.claims li > a:first-child").all_inner_texts() == ["Dozens injured (vague)", "killed 6"]
    log.assert_clean(base_url)


def test_article_highlights_tallies_victims_and_the_followed_claim(base_url, desk_page):
    page, log = desk_page
    page.goto(base_url + PAGES["incident"])
    link = page.locator(".claim .source-link a").first
    link.click()
    page.wait_for_url("**/articles/**")
    assert "?claim=" in page.url and "#claim-" in page.url
    text = page.locator("#article-text")
    sync_api.expect(text.locator(".hl-evidence.target")).not_to_have_count(0)
    assert text.locator("mark.target").count() == 1  # the followed claim's own figure, not its neighbours
    assert text.locator("mark.hl-tally-figure").all_inner_texts() == ["212"]
    assert text.locator(".hl-tally").count() >= 1
    assert "the claim you followed" in page.locator("#highlight-legend").inner_text()
    page.goto(base_url + "/articles/ua-kharkiv-0313")
    assert page.locator("#article-text mark.hl-victim").all_inner_texts() == ["Hanna Bondar"]
    assert page.locator("#article-text .target").count() == 0
    for kind in ("hl-figure", "hl-vague", "hl-tally", "hl-victim"):
        assert page.locator(f"#highlight-legend .{kind}").count() == 1
    log.assert_clean(base_url)


def test_list_pages_filter_and_page(base_url, phone_page):
    page, log = phone_page
    page.goto(base_url + "/articles?limit=4")
    sync_api.expect(page.locator("#article-list .list-row")).to_have_count(4)
    page.locator(".pager a.next").click()
    sync_api.expect(page.locator("#article-list .list-row")).to_have_count(4)
    assert "offset=4" in page.url and "limit=4" in page.url
    page.goto(base_url + "/articles/")  # with the slash too
    page.fill("input[name=outlet]", "Courier")
    page.click("form.filters button[type=submit]")
    sync_api.expect(page.locator("#article-list .list-row")).to_have_count(1)
    page.goto(base_url + "/tallies?limit=2")
    sync_api.expect(page.locator("#tally-list .list-row")).to_have_count(2)
    assert page.locator(".pager-status").inner_text() == "1–2 of 3"
    page.select_option("select[name=outcome]", "injured")
    page.click("form.filters button[type=submit]")
    sync_api.expect(page.locator("#tally-list .list-row")).to_have_count(0)
    page.goto(base_url + "/victims?q=bondar")
    sync_api.expect(page.locator("#victim-list .list-row")).to_have_count(1)
    page.locator("#victim-list a").last.click()
    page.wait_for_url("**/articles/ua-kharkiv-0313#victim-*")
    log.assert_clean(base_url)


def test_review_page_lists_the_seeded_problems(base_url, phone_page):
    page, log = phone_page
    page.goto(base_url + "/review")
    body = page.locator("main").inner_text()
    for kind in ("place", "disputed", "actor"):
        assert f"{kind}:" in body
    links = page.locator("main table a").all_inner_texts()
    assert {DISPUTED_ID, BORNO_ID + "#0", HOSTILE_ID + "#0"} <= set(links)
    log.assert_clean(base_url)
