"""Walk every page a reader can reach and check that nothing above their clearance shows up."""

import datetime
import re
from collections import deque

import pytest

from masar.core.models import Classification
from masar.core.services import model_create
from masar.decisions.models import Decision, Meeting, MeetingKind
from masar.portfolio.services import milestone_create
from masar.strategy.models import Strategy
from tests.portfolio.factories import make_project

LINK = re.compile(r'href="(/(?:ar|fr|en)/[^"#]*)"')


@pytest.fixture
def classified_world(gov, ministry_a, ministry_b, axis, program):
    restricted_strategy = model_create(
        model=Strategy,
        actor=None,
        data=dict(
            kind="strategy",
            code="S-RESTRICTED",
            name_ar="استراتيجية-محدودة-RSTR",
            owner=ministry_a,
            parent=program,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2027, 1, 1),
            classification=Classification.RESTRICTED,
        ),
    )
    public = make_project("P-PUBLIC", ministry_a, axis, name_ar="مشروع-عمومي-PUBL")
    milestone_create(actor=None, project=public, order=1, name_ar="معلم-عمومي", planned_date=datetime.date(2025, 6, 1))
    restricted = make_project(
        "P-RSTR", ministry_a, axis, name_ar="مشروع-محدود-RSTR", classification=Classification.RESTRICTED
    )
    milestone_create(
        actor=None, project=restricted, order=1, name_ar="معلم-محدود-RSTR", planned_date=datetime.date(2025, 6, 1)
    )
    make_project("P-CONF-A", ministry_a, axis, name_ar="مشروع-مكتوم-CONFA", classification=Classification.CONFIDENTIAL)
    make_project("P-CONF-B", ministry_b, axis, name_ar="مشروع-مكتوم-CONFB", classification=Classification.CONFIDENTIAL)
    meeting = model_create(
        model=Meeting,
        actor=None,
        data=dict(
            kind=MeetingKind.STOCKTAKE,
            name_ar="اجتماع-عمومي",
            body_ar="هيئة",
            owner=gov,
            classification=Classification.PUBLIC,
        ),
    )
    model_create(
        model=Decision,
        actor=None,
        data=dict(
            meeting=meeting,
            order=1,
            text_ar="قرار-محدود-RSTR",
            responsible=ministry_a,
            classification=Classification.RESTRICTED,
        ),
    )
    model_create(
        model=Meeting,
        actor=None,
        data=dict(
            kind=MeetingKind.COUNCIL_OF_MINISTERS,
            name_ar="اجتماع-مكتوم-CONFA",
            body_ar="هيئة",
            owner=ministry_a,
            classification=Classification.CONFIDENTIAL,
        ),
    )
    return restricted_strategy


def crawl(client, start="/ar/", limit=400):
    """Return {url: body} for every page reachable from start by links, failing on any server error."""
    seen, queue, pages = {start}, deque([start]), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        body = response.content.decode()
        pages[url] = body
        for link in LINK.findall(body):
            link = link.replace("&amp;", "&")
            if "/admin/" in link or "/logout/" in link or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return pages


def test_an_anonymous_visitor_sees_no_restricted_record_anywhere(classified_world, client_for):
    pages = crawl(client_for(None))
    assert len(pages) > 10
    assert any("مشروع-عمومي-PUBL" in body for body in pages.values())
    for url, body in pages.items():
        for marker in ("RSTR", "CONFA", "CONFB"):
            assert marker not in body, f"{marker} leaked on {url}"


def test_a_civil_servant_of_another_ministry_sees_no_confidential_record_of_this_one(
    classified_world, client_for, coordinator_b
):
    pages = crawl(client_for(coordinator_b))
    assert any("مشروع-مكتوم-CONFB" in body for body in pages.values())
    assert any("مشروع-محدود-RSTR" in body for body in pages.values())
    for url, body in pages.items():
        assert "CONFA" not in body, f"confidential record of ministry A leaked on {url}"


def test_counts_on_the_home_page_count_only_what_the_reader_may_see(classified_world, client_for, viewer_a):
    anonymous = client_for(None).get("/en/").content.decode()
    assert re.search(r'<span class="value">1</span><span class="label">projects', anonymous)
    signed_in = client_for(viewer_a).get("/en/").content.decode()
    assert re.search(r'<span class="value">3</span><span class="label">projects', signed_in)
