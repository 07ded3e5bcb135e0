"""Pages kept in the cache (project list, roadmap, strategy page): a warm hit reads no project, never shows one
reader's rows to another, and a change shows at once (the key carries the reader's scope and the data version:
masar.core.fragments)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from masar.core.models import Classification
from masar.portfolio.services import project_update
from tests.portfolio.factories import make_project


def test_a_warm_list_reads_no_project_and_shows_the_same_page(client_for, national, ministry_a, axis):
    make_project("P-1", ministry_a, axis)
    client = client_for(national)
    cold = client.get("/en/projects/", {"status": "planned"})
    with CaptureQueriesContext(connection) as queries:
        warm = client.get("/en/projects/", {"status": "planned"})
    assert cold.status_code == warm.status_code == 200

    def body(response):  # the filters and rows (the page around them carries a fresh nonce each time)
        html = response.content.decode()
        return html[html.index('<form class="filters"') : html.index("</table>")]

    assert body(cold) == body(warm) and "P-1" in body(warm)
    read = [q["sql"] for q in queries.captured_queries if "portfolio_project" in q["sql"]]
    assert not read, read


def test_a_kept_list_is_never_shown_to_a_reader_who_may_not_see_its_rows(
    client_for, national, coordinator_a, ministry_a, ministry_b, axis
):
    make_project("P-A", ministry_a, axis)
    make_project("P-B-SECRET", ministry_b, axis, classification=Classification.CONFIDENTIAL)
    assert b"P-B-SECRET" in client_for(national).get("/en/projects/").content  # positive control: kept for them
    for _ in range(2):  # cold, then warm for the coordinator
        page = client_for(coordinator_a).get("/en/projects/")
        assert page.status_code == 200
        assert b"P-A" in page.content and b"P-B-SECRET" not in page.content
    htmx = client_for(coordinator_a).get("/en/projects/", headers={"HX-Request": "true"})
    assert b"P-A" in htmx.content and b"P-B-SECRET" not in htmx.content and b"<form" not in htmx.content


def test_a_change_shows_at_once_and_an_invalid_filter_is_still_refused(client_for, national, ministry_a, axis):
    project = make_project("P-1", ministry_a, axis)
    client = client_for(national)
    assert "مشروع P-1" in client.get("/ar/projects/").content.decode()
    project_update(project=project, actor=national, expected_version=project.version, name_ar="اسم جديد")
    assert "اسم جديد" in client.get("/ar/projects/").content.decode()
    assert client.get("/en/projects/", {"organization": "999999"}).status_code == 400
    assert client.get("/en/projects/", {"organization": "999999"}).status_code == 400  # an error is not kept


def test_the_roadmap_and_the_strategy_page_kept_for_the_national_unit_are_not_shown_to_a_coordinator(
    client_for, national, coordinator_a, ministry_a, ministry_b, axis
):
    make_project("P-A", ministry_a, axis)
    make_project("P-B-SECRET", ministry_b, axis, classification=Classification.CONFIDENTIAL)
    pages = [f"/en/delivery/roadmap/?axis={axis.pk}", f"/en/strategies/{axis.strategy_id}/"]
    for url in pages:
        assert b"P-B-SECRET" in client_for(national).get(url).content, url  # positive control: kept for them
        for _ in range(2):  # cold, then warm for the coordinator
            page = client_for(coordinator_a).get(url)
            assert page.status_code == 200, url
            assert b"P-A" in page.content and b"P-B-SECRET" not in page.content, url


def test_a_warm_roadmap_reads_no_project(client_for, national, ministry_a, axis):
    make_project("P-1", ministry_a, axis)
    client = client_for(national)
    assert b"P-1" in client.get("/en/delivery/roadmap/", {"axis": axis.pk}).content
    with CaptureQueriesContext(connection) as queries:
        warm = client.get("/en/delivery/roadmap/", {"axis": axis.pk})
    assert b"P-1" in warm.content
    assert not [q["sql"] for q in queries.captured_queries if "portfolio_project" in q["sql"]]
