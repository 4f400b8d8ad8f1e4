"""The workbench pages and parameters without a browser (FastAPI TestClient): the list pages, the incident
list's new sort and filters, the filter-aware tallies, vague quantities as words and the article highlights.
"""

from __future__ import annotations

import re

import pytest
from conftest_web import DISPUTED_ID
from fastapi.testclient import TestClient
from workbench_db import BORNO_ID, BORNO_TEXT, build_workbench_db

from sitrep.web import create_app
from sitrep.web.highlight import claim_spans, segments, vague_words


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = build_workbench_db(tmp_path_factory.mktemp("pages") / "web.db")
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as c:
        yield c


def _ids(body: dict) -> list[str]:
    return [i["id"] for i in body["items"]]


def test_sort_by_sources_and_the_cli_filters(client):
    body = client.get("/api/incidents?sort=sources_desc").json()
    assert _ids(body)[0] == DISPUTED_ID and body["items"][0]["n_sources"] == 2
    assert _ids(client.get("/api/incidents?admin1=Borno").json()) == [BORNO_ID + "#0"]
    assert _ids(client.get("/api/incidents?sub_type=Air/drone strike").json()) == ["ua-odesa-0318#0"]
    assert client.get("/api/incidents?admin1=Nowhere").json()["total"] == 0
    assert client.get("/api/incidents?sort=sources").status_code == 422


def test_tallies_follow_the_incident_filters(client):
    assert len(client.get("/api/tallies").json()["points"]) == 3
    assert len(client.get("/api/tallies?country=UKR").json()["points"]) == 3
    assert client.get("/api/tallies?country=MLI").json()["points"] == []  # Mali articles report no tally
    assert len(client.get("/api/tallies?type=Battles").json()["points"]) == 1  # the Chasiv Yar article's
    assert client.get("/api/tallies?country=12").status_code == 400


@pytest.mark.parametrize(
    ("url", "rows"),
    [("/articles", 9), ("/articles/", 9), ("/articles?outlet=courier", 1), ("/articles?limit=4&offset=8", 1),
     ("/tallies", 3), ("/tallies?area=kharkiv&limit=2", 2), ("/tallies?outcome=injured", 0),
     ("/victims", 1), ("/victims?q=nobody", 0)],
)
def test_list_pages_filter_and_page(client, url, rows):
    r = client.get(url)
    assert r.status_code == 200
    assert r.text.count('<tr class="list-row">') == rows


def test_list_pages_keep_the_filters_in_the_paging_links(client):
    r = client.get("/tallies?area=kharkiv&limit=2")
    assert 'href="?area=kharkiv&amp;limit=2&amp;offset=2"' in r.text
    assert "1–2 of 3" in r.text and 'rel="prev"' not in r.text


@pytest.mark.parametrize("url", ["/articles?since=2024-13-01", "/tallies?outcome=eaten", "/victims?limit=0"])
def test_list_pages_refuse_bad_values_with_a_page(client, url):
    r = client.get(url)
    assert r.status_code in (400, 422) and "text/html" in r.headers["content-type"]


def test_vague_quantity_is_shown_in_words_never_as_a_number(client):
    claims = client.get(f"/api/articles/{BORNO_ID}").json()["claims"]
    vague = [c for c in claims if c["vague"]]
    assert [c["vague_words"] for c in vague] == ["Dozens"]
    page = client.get(f"/incidents/{BORNO_ID}%230").text
    assert "Dozens injured (vague)" in page and "injured 24" not in page and ">24<" not in page


def test_vague_highlight_leaves_the_exact_figure_marked():
    start = BORNO_TEXT.index("Dozens")
    end = BORNO_TEXT.index("police said.") + len("police said.")
    spans = claim_spans(BORNO_TEXT, "a", start, end, 24, vague=True)
    spans += claim_spans(BORNO_TEXT, "b", start, end, 6)
    marks = {(s.kind, s.text) for s in segments(BORNO_TEXT, spans) if s.mark}
    assert marks == {("vague", "Dozens"), ("figure", "6")}
    assert vague_words(BORNO_TEXT, start, end, 24) == "Dozens"
    assert vague_words("Six people died.", 0, 16) is None


def test_article_page_marks_the_followed_claim_tallies_and_victims(client):
    claims = client.get("/api/articles/ua-kharkiv-0312").json()["claims"]
    page = client.get(f"/articles/ua-kharkiv-0312?claim={claims[0]['id']}").text
    assert re.findall(r'<mark class="hl-figure target">([^<]*)</mark>', page) == ["7"]
    assert '<mark class="hl-figure">19</mark>' in page  # the other claim in the sentence is not the target
    assert '<mark class="hl-tally-figure">212</mark>' in page
    assert "the claim you followed" in page
    victim_page = client.get("/articles/ua-kharkiv-0313").text
    assert '<mark class="hl-victim">Hanna Bondar</mark>' in victim_page
    assert "the claim you followed" not in victim_page
    assert client.get("/articles/ua-kharkiv-0312?claim=x").status_code == 422
