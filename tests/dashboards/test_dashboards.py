"""The dashboards, read by a coordinator, a viewer, another ministry's coordinator and anonymous visitors."""

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache

from masar.core.models import Classification
from masar.delivery.models import Confidence, Obstacle, ProgressUpdate, UpdateStatus
from masar.organizations.services import region_create
from tests.decisions.factories import make_decision, make_meeting
from tests.delivery.factories import make_health
from tests.portfolio.factories import make_project

FIGURE = re.compile(r'<a class="drill" href="([^"]+)" data-figure="(\d+)">')
# A figure that is not a count (a sum, a share, a score) names the count of the list behind it.
DRILL_OF = re.compile(r'<a class="drill-of" href="([^"]+)" data-rows="(\d+)">')
CHART_SPEC = re.compile(r'<script id="ratings-chart-spec" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def region(**data):
    """Create a region through the service, which places it in the tree (its path)."""
    return region_create(actor=None, **data)


def region_tree():
    country = region(kind="country", code="TN", name_ar="تونس")
    north = region(kind="region", code="TN-N", name_ar="الشمال", parent=country)
    tunis = region(kind="governorate", code="TN-11", name_ar="تونس العاصمة", parent=north)
    south = region(kind="region", code="TN-S", name_ar="الجنوب", parent=country)
    return north, tunis, south


@pytest.fixture
def portfolio(ministry_a, directorate_a, ministry_b, axis, manager_a):
    north, tunis, south = region_tree()
    p1 = make_project("A-PUB", ministry_a, axis, status="in_progress", planned_budget=Decimal("1000"))
    p2 = make_project("A-RES", directorate_a, axis, classification=Classification.RESTRICTED)
    p3 = make_project("A-CONF-SECRETMARK", directorate_a, axis, classification=Classification.CONFIDENTIAL)
    p4 = make_project(
        "B-PUB", ministry_b, None, strategy=axis.strategy, status="completed", planned_budget=Decimal("500")
    )
    p5 = make_project("B-CONF-SECRETMARK", ministry_b, axis, classification=Classification.CONFIDENTIAL)
    make_health(p1, Confidence.GREEN, declared=Confidence.GREEN)
    make_health(p2, Confidence.RED, declared=Confidence.GREEN, flagged=True)
    make_health(p3, Confidence.AMBER)
    make_health(p5, Confidence.RED, declared=Confidence.GREEN, flagged=True)
    p1.regions.add(tunis)
    p2.regions.add(north)
    p3.regions.add(south)
    p4.regions.add(tunis, south)
    p5.regions.add(south)
    ProgressUpdate.objects.create(
        project=p1,
        period="2025-11-01",
        percent_complete=10,
        spend_to_date=100,
        declared_confidence="green",
        status=UpdateStatus.APPROVED,
    )
    ProgressUpdate.objects.create(
        project=p1,
        period="2025-12-01",
        percent_complete=20,
        spend_to_date=250,
        declared_confidence="green",
        status=UpdateStatus.SUBMITTED,
    )
    ProgressUpdate.objects.create(
        project=p1,
        period="2026-01-01",
        percent_complete=30,
        spend_to_date=900,
        declared_confidence="green",
        status=UpdateStatus.DRAFT,
    )
    Obstacle.objects.create(project=p3, category="funding", severity="high", description="x", must_act=ministry_a)
    Obstacle.objects.create(project=p4, category="funding", severity="critical", description="x", must_act=ministry_b)
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "north": north, "south": south, "tunis": tunis}


def figures(html):
    return [(url.replace("&amp;", "&"), int(n)) for url, n in FIGURE.findall(html)]


def chart_links(html):
    """Return the (address, count) of every linked bar segment of the ratings chart."""
    match = CHART_SPEC.search(html)
    if match is None:
        return []
    spec = json.loads(match.group(1))
    assert spec["encoding"]["href"] == {"field": "url"}
    return [(value["url"], value["n"]) for value in spec["data"]["values"] if value["url"]]


def every_link(html):
    """Return the (address, count behind it) of every figure, non-count figure and chart segment of a page."""
    return (
        figures(html) + [(url.replace("&amp;", "&"), int(n)) for url, n in DRILL_OF.findall(html)] + chart_links(html)
    )


def listed_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))


def test_national_counts_what_a_coordinator_may_see(portfolio, client_for, coordinator_a):
    response = client_for(coordinator_a).get("/en/dashboards/")
    assert response.status_code == 200
    html = response.content.decode()
    # A's coordinator sees public, restricted and A's confidential project, not B's confidential one.
    assert figures(html)[0] == ("/en/projects/", 4)
    assert "Green" in html and "Not rated" in html


@pytest.mark.parametrize("who", ["coordinator_a", "viewer_a", "coordinator_b", None])
def test_every_figure_links_to_a_list_of_as_many_rows(portfolio, client_for, request, who):
    user = request.getfixturevalue(who) if who else None
    client = client_for(user)
    pages = ["/en/dashboards/", f"/en/dashboards/organizations/{portfolio['p1'].owner_id}/", "/en/dashboards/public/"]
    pages.append(f"/en/dashboards/?region={portfolio['north'].pk}&axis={portfolio['p1'].axis_id}")
    for page in pages:
        html = client.get(page).content.decode()
        found = every_link(html)
        assert figures(html) and chart_links(html), page
        if page == "/en/dashboards/":
            # Positive control: budgets, shares and chart segments are among the links followed.
            assert DRILL_OF.search(html) and "rating=on_track" in html and "fresh=on" in html
        for url, n in found:
            assert listed_count(client, url) == n, (page, url)


def test_the_viewer_does_not_count_another_directorates_confidential_project(portfolio, client_for, viewer_a):
    html = client_for(viewer_a).get("/en/dashboards/").content.decode()
    assert figures(html)[0] == ("/en/projects/", 3)


def test_the_public_dashboard_reveals_no_restricted_record(portfolio, client_for, national):
    for user in (None, national):
        html = client_for(user).get("/en/dashboards/public/").content.decode()
        assert "SECRETMARK" not in html
        assert figures(html)[0] == ("/en/projects/?classification=public", 2)
        # One red project is restricted, one confidential: the public sees neither, nor any gap flag.
        assert 'classification=public&amp;rating=red" data-figure="0"' in html
        assert "A-RES" not in html
        assert re.search(r'flagged=on" data-figure="0"', html)


def test_the_sectoral_dashboard_covers_the_subtree(portfolio, client_for, national, ministry_a):
    html = client_for(national).get(f"/en/dashboards/organizations/{ministry_a.pk}/").content.decode()
    assert figures(html)[0] == (f"/en/projects/?organization={ministry_a.pk}", 3)


def test_a_malformed_or_unknown_organization_is_404(portfolio, client_for, national):
    assert client_for(national).get("/en/dashboards/organizations/abc/").status_code == 404
    assert client_for(national).get("/en/dashboards/organizations/999999/").status_code == 404


def test_an_unknown_filter_value_is_400_with_a_translated_message(portfolio, client_for, national):
    response = client_for(national).get("/fr/dashboards/?axis=999999")
    assert response.status_code == 400
    response = client_for(national).get("/en/dashboards/?strategy=abc")
    assert response.status_code == 400
    assert "not visible to you" in response.content.decode()


def test_spend_is_the_latest_submitted_or_approved_update(portfolio, client_for, national):
    html = client_for(national).get("/en/dashboards/").content.decode()
    budget = html.split('id="budget"')[1].split("</table>")[0]
    assert "1,000" in budget and "250" in budget and "900" not in budget


def test_a_phase_filter_is_kept_by_every_link_and_each_figure_leads_to_its_rows(
    portfolio, client_for, national, program
):
    from masar.portfolio.models import Project
    from masar.strategy.models import Phase

    phase = Phase.objects.create(strategy=program, order=1, name_ar="التأسيس", start="2025-01-01", end="2025-12-31")
    Project.objects.filter(pk=Project.objects.order_by("pk").first().pk).update(phase=phase)
    client = client_for(national)
    response = client.get(f"/en/dashboards/?phase={phase.pk}")
    assert response.status_code == 200
    links = figures(response.content.decode())
    project_links = [url for url, _ in links if url.startswith("/en/projects/")]
    assert project_links and all(f"phase={phase.pk}" in url for url in project_links)
    for url, n in links:
        assert listed_count(client, url) == n, url


def make_many(count, owner, axis, start=0):
    for i in range(start, start + count):
        make_project(f"BULK-{i}", owner, axis, planned_budget=Decimal("10"))


@pytest.mark.parametrize("url", ["/en/dashboards/", "/en/dashboards/public/", "sectoral"])
def test_the_number_of_queries_does_not_grow_with_projects(
    portfolio, client_for, national, ministry_a, axis, django_assert_max_num_queries, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if url == "sectoral":
        url = f"/en/dashboards/organizations/{ministry_a.pk}/"
    client = client_for(national)
    make_many(3, ministry_a, axis)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_many(27, ministry_a, axis, start=3)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_cached_dashboard_shows_a_change_on_the_next_request(portfolio, client_for, national, ministry_a, axis):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(national)
    assert figures(client.get("/en/dashboards/").content.decode())[0][1] == 5
    with CaptureQueriesContext(connection) as warm:
        assert figures(client.get("/en/dashboards/").content.decode())[0][1] == 5
    with CaptureQueriesContext(connection) as cold:
        cache.clear()
        client.get("/en/dashboards/")
    assert len(warm.captured_queries) < len(cold.captured_queries)
    make_project("NEW-1", ministry_a, axis)
    assert figures(client.get("/en/dashboards/").content.decode())[0][1] == 6


def test_blocked_projects_are_counted_within_what_the_reader_may_see(portfolio, client_for, national, coordinator_b):
    def funding(user, url):
        html = client_for(user).get(url).content.decode()
        table = html.split('id="blocked"')[1].split("</table>")[0]
        return int(
            re.search(
                r'Funding</th><td class="num">(?:<a[^>]*>|<span class="figure-value">)(?:<bdi>)?(\d+)<', table
            ).group(1)
        )

    assert funding(national, "/en/dashboards/") == 2
    assert funding(coordinator_b, "/en/dashboards/") == 1  # A's confidential blocked project is not B's to see
    assert funding(national, "/en/dashboards/public/") == 1


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_dashboards_render_in_every_language(portfolio, client_for, viewer_a, language):
    for url in ("dashboards/", "dashboards/public/", f"dashboards/organizations/{portfolio['p2'].owner_id}/"):
        response = client_for(viewer_a).get(f"/{language}/{url}")
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()


def test_the_cache_never_serves_one_readers_figures_to_another(portfolio, client_for, coordinator_a, viewer_a):
    totals = [
        figures(client_for(user).get("/en/dashboards/").content.decode())[0][1]
        for user in (coordinator_a, viewer_a, None)
    ]
    assert totals == [4, 3, 2]


def test_overdue_decisions_are_counted_within_what_the_reader_may_see(portfolio, client_for, national, gov, ministry_a):
    import datetime

    from django.utils import timezone

    meeting = make_meeting(name_ar="مجلس وزاري", owner=gov)
    past = timezone.localdate() - datetime.timedelta(days=5)
    for order, classification in enumerate([Classification.PUBLIC, Classification.CONFIDENTIAL], start=1):
        make_decision(
            meeting=meeting, order=order, responsible=ministry_a, classification=classification, due_date=past
        )

    def overdue(user, url):
        html = client_for(user).get(url).content.decode()
        figure = html.split('id="overdue-decisions"')[1]
        return int(re.search(r'(?:data-figure="|<span class="figure-value">)(\d+)', figure).group(1))

    assert overdue(national, "/en/dashboards/") == 2
    assert overdue(national, "/en/dashboards/public/") == 1


def test_the_dashboard_shows_the_indicator_scorecard_and_a_sector_sees_its_own(
    client_for, ministry_a, ministry_b, coordinator_a, coordinator_b, national, viewer_a, axis
):
    make_project("P-SC", ministry_a, axis)
    from tests.indicators.factories import approved, attainment, indicator_with_trajectory, year

    a1 = indicator_with_trajectory("IND-A1", ministry_a, 100, 600)
    b1 = indicator_with_trajectory("IND-B1", ministry_b, 10, 60)
    approved(a1, year(2024), 420, by=coordinator_a, approver=national)
    approved(b1, year(2024), 50, by=coordinator_b, approver=national)
    client = client_for(viewer_a)
    section = client.get("/en/dashboards/").content.decode().split('id="scorecards"')[1].split("</table>")[0]
    section = re.sub(r"</?bdi>", "", section)  # figures are isolated for right-to-left pages
    rows = re.findall(
        r'<td class="num">(\d+)</td><th scope="row"><a[^>]*>([^<]+)</a></th><td class="num">(?:<a[^>]*>)?([^<]+)<',
        section,
    )
    expected_b = round(100 * attainment(10, 60, 2024, 50))
    expected_a = round(100 * attainment(100, 600, 2024, 420))
    # English page: ministry B has no English name, so its Arabic one shows
    assert rows == [("1", ministry_b.name_ar, f"{expected_b}%"), ("2", ministry_a.name_en, f"{expected_a}%")]
    sector = client.get(f"/en/dashboards/organizations/{ministry_a.pk}/").content.decode()
    sector = sector.split('id="scorecards"')[1].split("</table>")[0]
    assert ministry_a.name_en in sector and ministry_b.name_ar not in sector


def test_the_scorecard_figures_lead_to_a_scorecard_of_as_many_indicators(
    client_for, ministry_a, coordinator_a, national, viewer_a, axis
):
    from tests.indicators.factories import approved, indicator_with_trajectory, year

    make_project("P-SC", ministry_a, axis)
    for code in ("IND-A1", "IND-A2"):
        approved(
            indicator_with_trajectory(code, ministry_a, 100, 600), year(2024), 420, by=coordinator_a, approver=national
        )
    client = client_for(viewer_a)
    section = client.get("/en/dashboards/").content.decode().split('id="scorecards"')[1].split("</table>")[0]
    links = every_link(section)
    assert len(links) == 2 and {n for _url, n in links} == {2}  # the score and the number of indicators
    for url, n in links:
        assert url == f"/en/indicators/scorecards/{ministry_a.pk}/"
        assert listed_count(client, url) == n
    # The public dashboard's scores are the public's: a signed-in reader's scorecard would not match them.
    public = client.get("/en/dashboards/public/").content.decode().split('id="scorecards"')[1].split("</table>")[0]
    assert not every_link(public)


def test_budget_rows_and_ministry_shares_lead_to_the_projects_they_are_computed_from(portfolio, client_for, national):
    client = client_for(national)
    html = client.get("/en/dashboards/").content.decode()
    budget = html.split('id="budget"')[1].split("</table>")[0]
    league = html.split('id="league"')[1].split("</table>")[0]
    budget_links = [(url, n) for url, n in DRILL_OF.findall(budget)]
    assert budget_links and all("axis=" in url for url, _n in budget_links)
    on_track = [(url.replace("&amp;", "&"), int(n)) for url, n in DRILL_OF.findall(league) if "rating=on_track" in url]
    fresh = [(url.replace("&amp;", "&"), int(n)) for url, n in DRILL_OF.findall(league) if "fresh=on" in url]
    assert on_track and fresh
    # Ministry A has one green project (A-PUB) among what the national unit sees.
    a_url = f"organization={portfolio['p1'].owner_id}"
    assert [n for url, n in on_track if a_url in url] == [1]
    for url, n in on_track + fresh:
        assert listed_count(client, url) == n, url


def test_the_ratings_chart_counts_whole_projects_and_gives_each_axis_room(portfolio, client_for, national):
    from django.utils import translation

    from masar.dashboards.charts import ratings_by_axis_spec
    from masar.indicators.charts import bar_direction

    rows = [{"axis": "محور طويل الاسم جدا", "rating": "green", "n": 1, "url": "/ar/projects/?rating=green"}]
    for language, rtl in (("ar", True), ("fr", False), ("en", False)):
        with translation.override(language):
            spec = ratings_by_axis_spec(rows)
            assert bar_direction() is rtl
        assert spec["encoding"]["x"]["axis"] == {"tickMinStep": 1, "format": "d"}
        assert spec["height"] == {"step": 34} and spec["encoding"]["y"]["axis"]["labelLimit"] >= 260
        assert spec["encoding"]["x"]["scale"]["reverse"] is rtl
        assert spec["encoding"]["y"]["axis"]["orient"] == ("right" if rtl else "left")
        assert spec["encoding"]["href"] == {"field": "url"}
    # The council pack's chart has no links: no href channel at all.
    assert "href" not in ratings_by_axis_spec([{"axis": "x", "rating": "", "n": 2}])["encoding"]


def tunisian_governorates():
    # Another country first (in paths and codes): the map shows the country holding the projects.
    morocco = region(kind="country", code="MA", name_ar="المغرب")
    region(kind="region", code="MA-01", name_ar="طنجة - تطوان - الحسيمة", parent=morocco)
    country = region(kind="country", code="TN", name_ar="تونس", name_fr="Tunisie")
    return {
        code: region(kind="governorate", code=code, name_ar=ar, name_en=en, parent=country)
        for code, ar, en in (
            ("TN-11", "تونس", "Tunis"),
            ("TN-32", "جندوبة", "Jendouba"),
            ("TN-61", "صفاقس", "Sfax"),
            ("TN-83", "تطاوين", "Tataouine"),
            ("TN-99", "ولاية تجريبية", "Test governorate"),  # not on the grid: listed under the map
        )
    }


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_region_map_places_governorates_geographically_and_each_tile_leads_to_its_list(
    client_for, national, ministry_a, axis, language
):
    places = tunisian_governorates()
    for i, codes in enumerate([("TN-11", "TN-61"), ("TN-61",), ("TN-61", "TN-99"), ("TN-32",), ("TN-11",)]):
        make_project(f"R-{i}", ministry_a, axis).regions.add(*[places[c] for c in codes])
    client = client_for(national)
    html = client.get(f"/{language}/dashboards/").content.decode()
    section = html.split('id="regions"')[1]
    svg = section.split("<svg")[1].split("</svg>")[0]
    tiles = re.findall(
        r'<a class="drill" href="[^"]+" data-figure="(\d+)"><title>[^<]*</title>'
        r'<g transform="translate\((\d+) (\d+)\)" data-code="(TN-\d\d)"',
        svg,
    )
    placed = {code: (int(n), int(x), int(y)) for n, x, y, code in tiles}
    assert set(placed) == {"TN-11", "TN-32", "TN-61", "TN-83"}
    assert {code: n for code, (n, _x, _y) in placed.items()} == {"TN-11": 2, "TN-32": 1, "TN-61": 3, "TN-83": 0}
    # West on the left, north on top, in Arabic as in English: geography is never mirrored.
    assert placed["TN-32"][1] < placed["TN-11"][1] and placed["TN-11"][2] < placed["TN-61"][2] < placed["TN-83"][2]
    name = "تونس" if language == "ar" else "Tunis"
    assert f"<title>{name}: 2</title>" in svg
    # The governorate off the grid is listed under the map, with its figure.
    assert re.search(r'class="tile-map-unplaced"><li>[^<]+: <a class="drill" href="[^"]+" data-figure="1">', section)
    for url, n in figures(section):
        assert listed_count(client, url) == n, url
    # The table (the accessible alternative) lists the regions by count, then name.
    table = section.split("<table")[1].split("</table>")[0]
    counts = [int(n) for n in re.findall(r'data-figure="(\d+)"', table)]
    assert counts == sorted(counts, reverse=True) and len(counts) == 5
