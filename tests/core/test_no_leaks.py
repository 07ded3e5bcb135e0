"""Walk every page a reader can reach and check that nothing above their clearance shows up."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masar.accounts.models import Role, User
from masar.core.models import Classification
from masar.core.services import model_create
from masar.decisions.models import Decision, Meeting, MeetingKind
from masar.delivery.models import ObstacleCategory, Severity
from masar.delivery.services import obstacles as obstacle_services
from masar.exchange.models import AgreementAction
from masar.exchange.services import token_issue
from masar.imports.services import import_start
from masar.indicators.models import Aggregation, IndicatorKind
from masar.indicators.services import measurement_record
from masar.portfolio.models import Project
from masar.portfolio.services import milestone_create
from masar.strategy.models import Strategy
from tests.accounts.factories import make_user
from tests.exchange.factories import log_call, make_agreement, make_client
from tests.html import crawl, read_body
from tests.indicators.factories import entry, make_indicator, year
from tests.portfolio.factories import make_project


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
            decisions_published=True,
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
            decisions_published=True,
        ),
    )
    _chain_cases(gov, ministry_a, ministry_b, axis, public)
    _exchange_cases(gov, ministry_a, ministry_b)
    return restricted_strategy


def _exchange_cases(gov, ministry_a, ministry_b):
    """Ministry A's system with its token, agreement and traffic; ministry B's system reading A's data under an
    agreement (which B's people may see)."""
    national = make_user("national_exchange", Role.NATIONAL_ADMIN, gov)
    system_a = make_client(ministry_a, name_ar="نظام-CONFA")
    system_a.name_en = system_a.name_fr = ""
    system_a.save()
    token_a = token_issue(user=system_a.account, client=system_a, name="رمز-CONFA", actor=None).token
    from_gov = make_agreement(system_a, gov, decide=AgreementAction.APPROVE, decided_by=national)
    make_agreement(system_a, gov, purpose="غرض-CONFA")
    log_call(token_a, path="/api/v1/projects/?q=CONFA", owners=[ministry_a, gov], agreements=[from_gov])
    system_b = make_client(ministry_b, name_ar="نظام-وزارة-ب")
    token_b = token_issue(user=system_b.account, client=system_b, name="رمز-ب", actor=None).token
    a_to_b = make_agreement(system_b, ministry_a, decide=AgreementAction.APPROVE, decided_by=national)
    log_call(token_b, path="/api/v1/projects/?b-reads-a", owners=[ministry_a], agreements=[a_to_b])


def _chain_cases(gov, ministry_a, ministry_b, axis, public):
    """Records that reveal a more classified parent or input, and internal material on a public project."""
    secret_meeting = model_create(
        model=Meeting,
        actor=None,
        data=dict(
            kind=MeetingKind.MINISTERIAL_COUNCIL,
            name_ar="مجلس-مكتوم-CONFA",
            body_ar="هيئة",
            owner=ministry_a,
            classification=Classification.CONFIDENTIAL,
            decisions_published=True,
        ),
    )
    national = make_user("national_leaks", Role.NATIONAL_ADMIN, gov)
    # An obstacle of a public project, published, escalated to a confidential meeting.
    obstacle = obstacle_services.obstacle_report(
        project=public,
        actor=national,
        category=ObstacleCategory.FUNDING,
        severity=Severity.CRITICAL,
        description="عقبة-منشورة",
        must_act=ministry_a,
        classification=Classification.PUBLIC,
    )
    obstacle_services.obstacle_escalate(obstacle=obstacle, meeting=secret_meeting, actor=national)
    # Internal material of a public project: restricted by default.
    obstacle_services.obstacle_report(
        project=public,
        actor=national,
        category=ObstacleCategory.LEGAL,
        severity=Severity.LOW,
        description="عقبة-داخلية-RSTR",
        must_act=ministry_a,
    )
    # A public decision of a public meeting, linked to a confidential project.
    open_meeting = Meeting.objects.get(name_ar="اجتماع-عمومي")
    decision = model_create(
        model=Decision,
        actor=None,
        data=dict(meeting=open_meeting, order=2, text_ar="قرار-عمومي", responsible=ministry_a, classification="public"),
    )
    decision.projects.add(Project.objects.get(code="P-CONF-A"))
    # A public decision of a confidential meeting.
    model_create(
        model=Decision,
        actor=None,
        data=dict(
            meeting=secret_meeting, order=1, text_ar="قرار-مجلس-CONFA", responsible=ministry_a, classification="public"
        ),
    )
    # A public project under a confidential strategy.
    secret_strategy = model_create(
        model=Strategy,
        actor=None,
        data=dict(
            kind="strategy",
            code="S-CONFA",
            name_ar="استراتيجية-مكتومة-CONFA",
            owner=ministry_a,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2027, 1, 1),
            classification=Classification.CONFIDENTIAL,
        ),
    )
    make_project("P-UNDER-CONFA", ministry_a, None, strategy=secret_strategy, name_ar="مشروع-تحت-CONFA")
    # A public ratio built on a confidential indicator, and a value not yet approved.
    hidden = make_indicator("IND-CONFA", ministry_a, name_ar="مؤشر-مكتوم-CONFA", classification="confidential")
    shown = make_indicator("IND-PUB-LEAK", ministry_a, name_ar="مؤشر-عمومي")
    make_indicator(
        "IND-RATIO-CONFA",
        ministry_a,
        name_ar="نسبة-CONFA",
        kind=IndicatorKind.RATIO,
        aggregation=Aggregation.RATIO,
        numerator=hidden,
        denominator=shown,
    )
    measurement_record(actor=national, indicator=shown, entry=entry(year(2024), "4242"), submit=True)
    _an_import_of_ministry_a(ministry_a)


def _an_import_of_ministry_a(ministry_a):
    """A refused import by ministry A's coordinator: its job page, file name and problems are theirs alone."""
    coordinator = make_user("coord_import_leaks", Role.SECTOR_COORDINATOR, ministry_a)
    upload = SimpleUploadedFile("projets-CONFA.csv", b"source_system,external_id,code\r\nfin,1,P-IMPORT-CONFA\r\n")
    import_start(actor=coordinator, kind="projects", upload=upload, dry_run=True)


EXPORTS = ["projects", "obstacles", "decisions", "indicator-values"]
MARKERS = ("RSTR", "CONFA", "CONFB", "4242")


def test_an_anonymous_visitor_sees_no_restricted_record_anywhere(classified_world, client_for):
    client = client_for(None)
    pages = crawl(client)
    assert len(pages) > 10
    assert any("مشروع-عمومي-PUBL" in body for body in pages.values())
    assert any("عقبة-منشورة" in body for body in pages.values())  # positive control: published material shows
    for url, body in pages.items():
        for marker in MARKERS:
            assert marker not in body, f"{marker} leaked on {url}"
    for kind in EXPORTS:
        body = read_body(client.get(f"/fr/exports/{kind}.csv"))
        for marker in MARKERS:
            assert marker not in body, f"{marker} leaked in the {kind} export"


def test_a_civil_servant_of_another_ministry_sees_no_confidential_record_of_this_one(
    classified_world, client_for, coordinator_b
):
    client = client_for(coordinator_b)
    pages = crawl(client)
    assert any("مشروع-مكتوم-CONFB" in body for body in pages.values())
    assert any(url.endswith("/imports/") for url in pages)  # the import page is crawled, and shows no one else's
    assert any("مشروع-محدود-RSTR" in body for body in pages.values())
    for url, body in pages.items():
        assert "CONFA" not in body, f"confidential record of ministry A leaked on {url}"
        assert "4242" not in body, f"a value waiting for approval leaked on {url}"
    for kind in EXPORTS:
        body = read_body(client.get(f"/fr/exports/{kind}.csv"))
        assert "CONFA" not in body and "4242" not in body, f"leak in the {kind} export"
    notified = " ".join(str(n.params) for n in coordinator_b.notifications.all())
    assert "CONFA" not in notified and "P-CONF-A" not in notified


def test_the_ministry_sees_its_confidential_chain(classified_world, client_for, coordinator_a):
    """Positive control: the owning ministry's coordinator reads what the others may not."""
    browser = client_for(coordinator_a)
    body = browser.get("/ar/projects/?q=CONFA").content.decode()
    assert "مشروع-تحت-CONFA" in body
    pages = crawl(browser, start="/ar/exchange/", within="/ar/exchange/")
    for marker in ("نظام-CONFA", "رمز-CONFA", "غرض-CONFA", "/api/v1/projects/?q=CONFA"):
        assert any(marker in page for page in pages.values()), marker


def test_the_exchange_pages_show_another_ministry_only_its_own_systems(classified_world, client_for, coordinator_b):
    """Ministry B's coordinator reaches the exchange pages and sees its system and its agreement with A, not A's."""
    pages = crawl(client_for(coordinator_b), start="/ar/exchange/", within="/ar/exchange/")
    assert any("/ar/exchange/agreements/" in url for url in pages)  # it opened agreement pages
    assert any("نظام-وزارة-ب" in page for page in pages.values())
    assert any("/api/v1/projects/?b-reads-a" in page for page in pages.values())  # its own system's traffic
    for url, page in pages.items():
        assert "CONFA" not in page, f"ministry A's exchange records leaked on {url}"


def test_an_anonymous_visitor_reaches_no_exchange_page(classified_world, client_for):
    browser = client_for(None)
    for url in ["/ar/exchange/", "/ar/exchange/agreements/", "/ar/exchange/clients/", "/ar/exchange/readers/"]:
        response = browser.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_counts_on_the_home_page_count_only_what_the_reader_may_see(classified_world, client_for, viewer_a):
    anonymous = client_for(None).get("/en/").content.decode()
    assert re.search(r'<span class="value"><bdi>1</bdi></span><span class="label">projects', anonymous)
    signed_in = client_for(viewer_a).get("/en/").content.decode()
    assert re.search(r'<span class="value"><bdi>4</bdi></span><span class="label">projects', signed_in)


# The API is walked like the pages: every list, page by page, and every record it names ----------


def api_crawl(client, token, limit=300):
    """Return {url: body} for every list of the API (followed page by page) and every record they name."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    lists = [path for path, operations in paths.items() if "get" in operations and "{" not in path]
    records = [path for path, operations in paths.items() if "get" in operations and path.count("{") == 1]
    bodies, ids = {}, {}
    for path in lists:
        url = f"{path}?limit=2"
        while url and len(bodies) < limit:
            response = client.get(url, **headers)
            assert response.status_code < 500, url
            bodies[url] = response.content.decode()
            if response.status_code != 200:
                break
            page = response.json()
            if "releases" in page:  # an OCDS release package (procurement): its next page is in its links
                url = (page.get("links") or {}).get("next", "").replace("http://testserver", "")
                continue
            ids.setdefault(path.split("/")[3], set()).update(row["id"] for row in page["results"])
            url = page.get("next")  # search answers one page
    for template in records:
        collection = template.split("/")[3]
        for pk in sorted(ids.get(collection, ()))[:20]:
            url = re.sub(r"\{[^}]+\}", str(pk), template)
            response = client.get(url, **headers)
            assert response.status_code < 500, url
            bodies[url] = response.content.decode()
    return bodies


def _api_client_of(organization, **kwargs):
    from masar.exchange.models import RecordType
    from masar.exchange.services import client_register, token_issue

    scopes = [f"{value}:read" for value in RecordType.values]
    client = client_register(
        actor=None, organization=organization, name_ar="منظومة", scopes=scopes, clearance="confidential", **kwargs
    )
    return client, token_issue(user=client.account, client=client, name="crawl", actor=None).secret


def test_the_api_shows_another_ministry_no_confidential_record_and_no_value_waiting(
    classified_world, client, coordinator_b
):
    from masar.exchange.services import token_issue

    token = token_issue(user=coordinator_b, name="crawl", actor=None).secret
    bodies = api_crawl(client, token)
    assert len(bodies) > 10
    assert any("مشروع-مكتوم-CONFB" in body for body in bodies.values())  # positive control: its own
    assert any("مشروع-محدود-RSTR" in body for body in bodies.values())  # restricted: all civil servants
    for url, body in bodies.items():
        assert "CONFA" not in body, f"confidential record of ministry A leaked at {url}"
        assert "4242" not in body, f"a value waiting for approval leaked at {url}"


def test_the_api_shows_a_system_without_agreement_nothing_of_another_ministry(
    classified_world, client, ministry_a, ministry_b
):
    _system, token = _api_client_of(ministry_b)
    bodies = api_crawl(client, token)
    assert any("مشروع-مكتوم-CONFB" in body for body in bodies.values())  # its own ministry's records
    for url, body in bodies.items():
        for marker in ("RSTR", "CONFA", "PUBL", "4242", "عقبة-منشورة"):
            assert marker not in body, f"{marker} of ministry A reached a system without agreement at {url}"


def test_the_api_answers_no_one_without_a_token(classified_world, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    lists = [path for path, operations in paths.items() if "get" in operations and "{" not in path]
    assert "/api/v1/projects/" in lists
    for path in lists:
        response = client.get(path)
        assert response.status_code == 401, path
        assert "RSTR" not in response.content.decode() and "PUBL" not in response.content.decode()


@pytest.fixture
def webhooks_of_ministry_a(classified_world, ministry_a):
    """A system of ministry A subscribed to project changes, with a delivery about its confidential project."""
    from masar.exchange.services import client_register
    from masar.portfolio.services import project_update
    from masar.webhooks.models import EventType
    from masar.webhooks.services import subscription_create

    client = client_register(
        actor=None,
        organization=ministry_a,
        name_ar="نظام-CONFA",
        scopes=["projects:read"],
        clearance=Classification.CONFIDENTIAL,
    )
    subscription_create(
        actor=None,
        client=client,
        target_url="https://confa.example.org/hooks",
        event_types=[EventType.PROJECT_CHANGED],
    )
    project = Project.objects.get(code="P-CONF-A")
    project_update(project=project, actor=None, expected_version=project.version, name_en="Changed")
    return client


def test_the_webhook_pages_show_another_ministry_nothing_of_this_ones_systems(
    webhooks_of_ministry_a, client_for, coordinator_b, coordinator_a
):
    pages = crawl(client_for(coordinator_b))
    assert "/ar/webhooks/" in pages  # the crawl reached the webhook pages
    for url, body in pages.items():
        assert "CONFA" not in body and "confa" not in body, f"ministry A's system leaked on {url}"
    # Positive control: the ministry's coordinator sees its system's subscription and what was sent about what.
    subscription = webhooks_of_ministry_a.webhooks.get()
    listing = client_for(coordinator_a).get("/ar/webhooks/").content.decode()
    assert "نظام-CONFA" in listing and "confa.example.org" in listing
    log = client_for(coordinator_a).get(f"/ar/webhooks/{subscription.pk}/").content.decode()
    assert "P-CONF-A" in log


def test_an_importer_sees_their_own_import(classified_world, client_for):
    """Positive control: the import hidden from everyone else is on its importer's page."""
    importer = User.objects.get(username="coord_import_leaks")
    assert "projets-CONFA.csv" in client_for(importer).get("/fr/imports/").content.decode()


# Search: results, counts, facets, snippets and suggestions ---------------------------------------


@pytest.fixture
def confidential_document(classified_world, ministry_a, coordinator_a):
    from masar.documents.models import DocumentKind
    from masar.documents.services import document_create

    document, _content = document_create(
        actor=coordinator_a,
        title="محضر-مكتوم-CONFA",
        kind=DocumentKind.MINUTES,
        classification=Classification.CONFIDENTIAL,
        organization=ministry_a,
        text="محضر اجتماع مكتوم حول رقمنة الصفقات CONFA",
    )
    return document


SEARCHES = ("مكتوم", "مكتومة", "محدود", "رقمنة الصفقات", "محضر", "confa", "rstr")


def _search_bodies(client):
    bodies = {}
    for q in SEARCHES:
        for url in (f"/ar/search/?q={q}", f"/fr/search/?q={q}&type=document", f"/ar/search/suggest/?q={q}"):
            response = client.get(url)
            assert response.status_code == 200, url
            # The page repeats what was typed: only what it found may not hold a marker.
            bodies[url] = response.content.decode().replace(q, "")
    return bodies


def test_search_shows_an_anonymous_visitor_nothing_restricted_not_even_a_count(
    confidential_document, client_for, coordinator_a
):
    own = client_for(coordinator_a).get("/ar/search/?q=مكتوم").content.decode()
    assert "محضر-مكتوم-CONFA" in own and "مشروع-مكتوم-CONFA" in own  # positive control
    for url, body in _search_bodies(client_for(None)).items():
        for marker in MARKERS:
            assert marker not in body, f"{marker} leaked on {url}"


def test_search_shows_another_ministry_none_of_this_ones_confidential_records(
    confidential_document, client_for, coordinator_b
):
    bodies = _search_bodies(client_for(coordinator_b))
    assert any("مشروع-مكتوم-CONFB" in body for body in bodies.values())  # positive control: its own
    for url, body in bodies.items():
        assert "CONFA" not in body, f"a confidential record of ministry A leaked on {url}"
    page = client_for(coordinator_b).get("/ar/search/?q=مكتوم&type=document").content.decode()
    assert 'id="search-count" class="count" data-count="0"' in page  # not even counted


def test_api_search_shows_another_ministry_and_its_systems_nothing_confidential(
    confidential_document, client, coordinator_b, ministry_b
):
    from masar.exchange.services import token_issue

    person = token_issue(user=coordinator_b, name="search", actor=None).secret
    _system, system = _api_client_of(ministry_b)
    for token in (person, system):
        for q in SEARCHES:
            response = client.get(f"/api/v1/search/?q={q}&limit=100", HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code == 200
            answer = response.json()
            assert answer["count"] == len(answer["results"])
            assert "CONFA" not in response.content.decode().replace(q, ""), q
